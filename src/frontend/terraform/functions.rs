//! Terraform's built-in functions seen in real Azure OpenAI code, evaluated as Terraform does.
//! `try` and `can` are lazy and live in the evaluator; any other function is unknown, never
//! guessed.

use std::collections::BTreeMap;

use crate::frontend::partial::{self, Function, Placeholders, Through, function as f};
use crate::frontend::value::{
    MAX_BUILT_STRING, Value, format_number, per_alternative, replaced_len, too_long,
};

pub fn call(name: &str, args: Vec<Value>) -> Value {
    if let Some(error) = args.iter().find(|v| matches!(v, Value::Error(_))) {
        return error.clone();
    }
    let rule = through(name);
    if rule == Through::Generated {
        return rule.apply(name, &args).unwrap_or_else(|| not_known(name));
    }
    if let Some(value) = per_alternative(&args, |args| evaluate(name, args)) {
        return value.within_bounds();
    }
    // An argument not known whole at the top: only the function's rule can say something.
    let not_known_whole = |v: &&Value| {
        matches!(
            v,
            Value::Unknown(_) | Value::Partial(_) | Value::ResourceAttr { .. }
        ) || partial::has_unknown_keys(v)
    };
    if let Some(arg) = args.iter().find(not_known_whole) {
        let reason = partial::unknown_reason(arg).unwrap_or_default();
        return rule.apply(name, &args).unwrap_or(Value::Unknown(reason));
    }
    match evaluate(name, &args) {
        Some(value) => value.within_bounds(),
        // An element not known is no invalid argument: the result is not known.
        None => match args.iter().find_map(partial::unknown_reason) {
            Some(reason) => rule.apply(name, &args).unwrap_or(Value::Unknown(reason)),
            None if function(name).is_some() => {
                Value::Error(format!("invalid arguments to `{name}()`"))
            }
            None => not_known(name),
        },
    }
}

fn not_known(name: &str) -> Value {
    Value::Unknown(format!("calls `{name}()`, which is not evaluated"))
}

/// How partial knowledge passes through a function this module evaluates, or one it does not
/// but whose result is never empty (a generated name).
fn through(name: &str) -> Through {
    function(name).map_or_else(
        || {
            GENERATED
                .iter()
                .find(|(known, _)| *known == name)
                .map_or(Through::Nothing, |(_, rule)| *rule)
        },
        |f| f.through,
    )
}

fn function(name: &str) -> Option<&'static Function> {
    partial::find(FUNCTIONS, name)
}

/// Functions not evaluated here whose result is never empty, whatever their arguments.
const GENERATED: &[(&str, Through)] = &[
    ("uuid", Through::Generated),
    ("uuidv5", Through::Generated),
    ("timestamp", Through::Generated),
    ("md5", Through::Generated),
    ("sha1", Through::Generated),
    ("sha256", Through::Generated),
    ("sha512", Through::Generated),
];

/// The functions evaluated here; wrong arguments to them are errors, not unknowns.
const FUNCTIONS: &[Function] = &[
    f("lower", Through::FirstNonEmpty, |a| {
        Some(Value::String(text(a, 0)?.to_lowercase()))
    }),
    f("upper", Through::FirstNonEmpty, |a| {
        Some(Value::String(text(a, 0)?.to_uppercase()))
    }),
    f("trimspace", Through::FirstNonEmpty, |a| {
        Some(Value::String(text(a, 0)?.trim().to_string()))
    }),
    f("title", Through::FirstNonEmpty, title),
    f("format", Through::Format(Placeholders::Printf), |a| {
        Some(Value::String(format(&text(a, 0)?, a.get(1..)?)?))
    }),
    f(
        "join",
        Through::Join {
            separator: 0,
            list: 1,
        },
        join,
    ),
    f("split", Through::Nothing, |a| {
        let (separator, text) = (text(a, 0)?, text(a, 1)?);
        Some(Value::List(
            text.split(separator.as_str())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ))
    }),
    f("replace", Through::Replace, replace),
    f(
        "substr",
        Through::Prefix {
            start: Some(1),
            length: 2,
        },
        substr,
    ),
    f("coalesce", Through::Nothing, |a| {
        a.iter()
            .find(|v| !matches!(v, Value::Null) && **v != Value::String(String::new()))
            .cloned()
    }),
    f("coalescelist", Through::Nothing, |a| {
        a.iter()
            .find(|v| matches!(v, Value::List(items) if !items.is_empty()))
            .cloned()
    }),
    f("concat", Through::Nothing, |a| {
        Some(Value::List(
            (0..a.len())
                .map(|i| list(a, i))
                .collect::<Option<Vec<_>>>()?
                .concat(),
        ))
    }),
    f("contains", Through::Nothing, |a| {
        Some(Value::Bool(list(a, 0)?.contains(a.get(1)?)))
    }),
    f("length", Through::Nothing, length),
    f("lookup", Through::Nothing, lookup),
    f("merge", Through::Merge, merge),
    f("keys", Through::Nothing, |a| {
        Some(Value::List(
            object(a, 0)?.into_keys().map(Value::String).collect(),
        ))
    }),
    f("values", Through::Nothing, |a| {
        Some(Value::List(object(a, 0)?.into_values().collect()))
    }),
    f("toset", Through::Nothing, |a| {
        let mut items = distinct(list(a, 0)?);
        // Sets of strings iterate in lexical order.
        if items.iter().all(|v| matches!(v, Value::String(_))) {
            items.sort_by_key(|v| v.shown());
        }
        Some(Value::List(items))
    }),
    f("distinct", Through::Nothing, |a| {
        Some(Value::List(distinct(list(a, 0)?)))
    }),
    f("tolist", Through::Nothing, |a| {
        Some(Value::List(list(a, 0)?))
    }),
    f("tomap", Through::Nothing, |a| {
        Some(Value::Object(object(a, 0)?))
    }),
    f("tostring", Through::FirstNonEmpty, |a| {
        Some(Value::String(text(a, 0)?))
    }),
    f("tobool", Through::Nothing, tobool),
    f("tonumber", Through::Nothing, |a| {
        Some(Value::Number(number(a, 0)?))
    }),
    f("jsonencode", Through::Nothing, |a| {
        Some(Value::String(
            serde_json::to_string(&to_json(a.first()?)?).ok()?,
        ))
    }),
    f("jsondecode", Through::Nothing, |a| {
        Some(from_json(serde_json::from_str(&text(a, 0)?).ok()?))
    }),
    f("element", Through::Nothing, |a| {
        let items = list(a, 0)?;
        let index = number(a, 1)? as usize;
        items.get(index.checked_rem(items.len())?).cloned()
    }),
    f("flatten", Through::Nothing, |a| {
        Some(Value::List(flatten(list(a, 0)?)))
    }),
    f("startswith", Through::Nothing, |a| {
        Some(Value::Bool(text(a, 0)?.starts_with(&text(a, 1)?)))
    }),
    f("endswith", Through::Nothing, |a| {
        Some(Value::Bool(text(a, 0)?.ends_with(&text(a, 1)?)))
    }),
    f("abs", Through::Nothing, |a| {
        Some(Value::Number(number(a, 0)?.abs()))
    }),
    f("min", Through::Nothing, |a| fold_numbers(a, f64::min)),
    f("max", Through::Nothing, |a| fold_numbers(a, f64::max)),
    f("compact", Through::Nothing, |a| {
        let kept = list(a, 0)?
            .into_iter()
            .filter(|v| !matches!(v, Value::Null) && *v != Value::String(String::new()));
        Some(Value::List(kept.collect()))
    }),
    f("one", Through::Nothing, |a| match list(a, 0)?.as_slice() {
        [] => Some(Value::Null),
        [single] => Some(single.clone()),
        _ => None,
    }),
    f("alltrue", Through::Nothing, |a| {
        Some(Value::Bool(bools(a)?.iter().all(|b| *b)))
    }),
    f("anytrue", Through::Nothing, |a| {
        Some(Value::Bool(bools(a)?.iter().any(|b| *b)))
    }),
    f("sort", Through::Nothing, |a| {
        let mut items = list(a, 0)?
            .iter()
            .map(|v| v.to_template_string().ok())
            .collect::<Option<Vec<_>>>()?;
        items.sort();
        Some(Value::List(items.into_iter().map(Value::String).collect()))
    }),
    f("reverse", Through::Nothing, |a| {
        Some(Value::List(list(a, 0)?.into_iter().rev().collect()))
    }),
    f("range", Through::Nothing, |a| match a.len() {
        1 => Some(Value::List(
            (0..number(a, 0)? as i64)
                .map(|i| Value::Number(i as f64))
                .collect(),
        )),
        _ => None,
    }),
    f("zipmap", Through::Nothing, |a| {
        let keys = list(a, 0)?
            .iter()
            .map(|k| k.to_template_string().ok())
            .collect::<Option<Vec<_>>>()?;
        Some(Value::Object(keys.into_iter().zip(list(a, 1)?).collect()))
    }),
    f("trimprefix", Through::Nothing, |a| {
        let (text, prefix) = (text(a, 0)?, text(a, 1)?);
        Some(Value::String(
            text.strip_prefix(&prefix).unwrap_or(&text).to_string(),
        ))
    }),
    f("trimsuffix", Through::Nothing, |a| {
        let (text, suffix) = (text(a, 0)?, text(a, 1)?);
        Some(Value::String(
            text.strip_suffix(&suffix).unwrap_or(&text).to_string(),
        ))
    }),
    f("strcontains", Through::Nothing, |a| {
        Some(Value::Bool(text(a, 0)?.contains(&text(a, 1)?)))
    }),
];

fn evaluate(name: &str, args: &[Value]) -> Option<Value> {
    (function(name)?.evaluate)(args)
}

/// An argument as text, as Terraform converts primitives to strings.
fn text(args: &[Value], i: usize) -> Option<String> {
    match args.get(i) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(format_number(*n)),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

fn number(args: &[Value], i: usize) -> Option<f64> {
    match args.get(i) {
        Some(Value::Number(n)) => Some(*n),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

fn list(args: &[Value], i: usize) -> Option<Vec<Value>> {
    match args.get(i) {
        Some(Value::List(items)) => Some(items.clone()),
        _ => None,
    }
}

fn object(args: &[Value], i: usize) -> Option<BTreeMap<String, Value>> {
    match args.get(i) {
        Some(Value::Object(map)) => Some(map.clone()),
        _ => None,
    }
}

fn title(args: &[Value]) -> Option<Value> {
    let capitalized = text(args, 0)?
        .split(' ')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>();
    Some(Value::String(capitalized.join(" ")))
}

fn join(args: &[Value]) -> Option<Value> {
    let separator = text(args, 0)?;
    let mut parts = Vec::new();
    for value in args.get(1..)? {
        let Value::List(items) = value else {
            return None;
        };
        for item in items {
            parts.push(item.to_template_string().ok()?);
        }
    }
    Some(Value::String(parts.join(&separator)))
}

fn replace(args: &[Value]) -> Option<Value> {
    let (text, from, to) = (text(args, 0)?, text(args, 1)?, text(args, 2)?);
    // A `/pattern/` substring is a regular expression: not evaluated.
    if from.starts_with('/') && from.ends_with('/') && from.len() > 1 {
        return Some(Value::Unknown(
            "calls `replace()` with a regular expression, which is not evaluated".into(),
        ));
    }
    Some(match replaced_len(&text, &from, &to) > MAX_BUILT_STRING {
        true => too_long(),
        false => Value::String(text.replace(&from, &to)),
    })
}

fn substr(args: &[Value]) -> Option<Value> {
    let chars: Vec<char> = text(args, 0)?.chars().collect();
    let offset = number(args, 1)? as i64;
    let length = number(args, 2)? as i64;
    let start = if offset < 0 {
        (chars.len() as i64 + offset).max(0)
    } else {
        offset.min(chars.len() as i64)
    } as usize;
    let end = if length < 0 {
        chars.len()
    } else {
        (start + length as usize).min(chars.len())
    };
    Some(Value::String(chars[start..end].iter().collect()))
}

fn length(args: &[Value]) -> Option<Value> {
    let length = match args.first()? {
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        Value::String(s) => s.chars().count(),
        _ => return None,
    };
    Some(Value::Number(length as f64))
}

fn lookup(args: &[Value]) -> Option<Value> {
    match (object(args, 0)?.remove(&text(args, 1)?), args.get(2)) {
        (Some(value), _) => Some(value),
        (None, default) => default.cloned(),
    }
}

fn merge(args: &[Value]) -> Option<Value> {
    let mut merged = BTreeMap::new();
    for value in args {
        match value {
            Value::Object(map) => merged.extend(map.clone()),
            Value::Null => {}
            _ => return None,
        }
    }
    Some(Value::Object(merged))
}

fn distinct(items: Vec<Value>) -> Vec<Value> {
    let mut kept: Vec<Value> = Vec::new();
    for item in items {
        if !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

fn tobool(args: &[Value]) -> Option<Value> {
    match args.first()? {
        Value::Bool(b) => Some(Value::Bool(*b)),
        Value::String(s) if s == "true" => Some(Value::Bool(true)),
        Value::String(s) if s == "false" => Some(Value::Bool(false)),
        Value::Null => Some(Value::Null),
        _ => None,
    }
}

fn bools(args: &[Value]) -> Option<Vec<bool>> {
    list(args, 0)?
        .iter()
        .map(|v| match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        })
        .collect()
}

fn fold_numbers(args: &[Value], fold: fn(f64, f64) -> f64) -> Option<Value> {
    let numbers = (0..args.len())
        .map(|i| number(args, i))
        .collect::<Option<Vec<f64>>>()?;
    Some(Value::Number(numbers.into_iter().reduce(fold)?))
}

/// `format("%s-%d", ...)`: the verbs Terraform configurations use.
fn format(template: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' | 'd' => out.push_str(&next.next()?.to_template_string().ok()?),
            'q' => out.push_str(&format!("{:?}", next.next()?.to_template_string().ok()?)),
            't' => out.push_str(&next.next()?.to_template_string().ok()?),
            _ => return None,
        }
    }
    Some(out)
}

fn flatten(items: Vec<Value>) -> Vec<Value> {
    items
        .into_iter()
        .flat_map(|item| match item {
            Value::List(inner) => flatten(inner),
            other => vec![other],
        })
        .collect()
}

fn to_json(value: &Value) -> Option<serde_json::Value> {
    Some(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n).map(serde_json::Value::Number)?,
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => {
            serde_json::Value::Array(items.iter().map(to_json).collect::<Option<_>>()?)
        }
        Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

fn from_json(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or_default()),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::value::Known;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    /// Every function of the table, with each kind of partial knowledge in each argument
    /// position: a value not known is never an invalid argument, and a non-empty result is
    /// claimed only by the function's own rule.
    #[test]
    fn every_function_against_every_kind_of_knowledge() {
        let kinds = [
            Value::partial("generated", Known::NonEmpty),
            Value::partial("chosen", Known::OneOf(vec![s("a"), s("b")])),
            Value::Unknown("no default".into()),
            Value::List(vec![Value::Unknown("element".into())]),
        ];
        let table = FUNCTIONS.iter().map(|f| (f.name, f.through));
        for (name, rule) in table.chain(GENERATED.iter().copied()) {
            for position in 0..3 {
                for kind in &kinds {
                    let mut args = vec![s("-"), list(&["a", "b"]), Value::Number(1.0)];
                    args[position] = kind.clone();
                    let result = call(name, args.clone());
                    let invalid = matches!(&result, Value::Error(e) if e.starts_with("invalid"));
                    assert!(!invalid, "{name}({args:?}) = {result:?}");
                    // A result known in part comes from the function's rule, or from
                    // evaluating it for each of a few values.
                    let one_of =
                        matches!(kind, Value::Partial(p) if matches!(p.known, Known::OneOf(_)));
                    if matches!(result, Value::Partial(_)) && !one_of {
                        assert_ne!(rule, Through::Nothing, "{name}({args:?}) = {result:?}");
                    }
                }
            }
        }
    }

    fn list(items: &[&str]) -> Value {
        Value::List(items.iter().map(|t| s(t)).collect())
    }

    #[test]
    fn strings_past_64_kib_are_not_built() {
        let big = "x".repeat(40 << 10);
        // An empty pattern matches between every two characters: 40 KiB squared.
        assert_eq!(call("replace", vec![s(&big), s(""), s(&big)]), too_long());
        assert_eq!(call("join", vec![s(""), list(&[&big, &big])]), too_long());
        assert_eq!(call("replace", vec![s("a-b"), s(""), s("_")]), s("_a_-_b_"));
        assert_eq!(call("join", vec![s(""), list(&[&big])]), s(&big));
    }

    #[test]
    fn strings() {
        assert_eq!(call("lower", vec![s("AbC")]), s("abc"));
        assert_eq!(
            call("format", vec![s("%s-%d%%"), s("oai"), Value::Number(3.0)]),
            s("oai-3%")
        );
        assert_eq!(call("join", vec![s(","), list(&["a", "b"])]), s("a,b"));
        assert_eq!(call("split", vec![s(","), s("a,b")]), list(&["a", "b"]));
        assert_eq!(call("replace", vec![s("a-b"), s("-"), s("_")]), s("a_b"));
        assert_eq!(
            call(
                "substr",
                vec![s("hello"), Value::Number(1.0), Value::Number(3.0)]
            ),
            s("ell")
        );
        assert_eq!(call("title", vec![s("east us")]), s("East Us"));
        assert!(matches!(
            call("replace", vec![s("a"), s("/a+/"), s("b")]),
            Value::Unknown(_)
        ));
    }

    #[test]
    fn collections() {
        assert_eq!(call("coalesce", vec![Value::Null, s(""), s("x")]), s("x"));
        assert_eq!(
            call("concat", vec![list(&["a"]), list(&["b"])]),
            list(&["a", "b"])
        );
        assert_eq!(
            call("contains", vec![list(&["a"]), s("a")]),
            Value::Bool(true)
        );
        assert_eq!(call("length", vec![list(&["a", "b"])]), Value::Number(2.0));
        assert_eq!(
            call("toset", vec![list(&["b", "a", "b"])]),
            list(&["a", "b"])
        );
        assert_eq!(
            call("flatten", vec![Value::List(vec![list(&["a"]), s("b")])]),
            list(&["a", "b"])
        );
        assert_eq!(
            call("element", vec![list(&["a", "b"]), Value::Number(3.0)]),
            s("b")
        );
        let map = call(
            "merge",
            vec![
                call("zipmap", vec![list(&["k"]), list(&["v"])]),
                Value::Null,
            ],
        );
        assert_eq!(call("lookup", vec![map.clone(), s("k")]), s("v"));
        assert_eq!(call("lookup", vec![map, s("x"), s("d")]), s("d"));
        assert_eq!(
            call("max", vec![Value::Number(1.0), Value::Number(5.0)]),
            Value::Number(5.0)
        );
        assert_eq!(
            call("jsondecode", vec![call("jsonencode", vec![list(&["a"])])]),
            list(&["a"])
        );
    }

    #[test]
    fn unknown_arguments_and_functions_stay_unknown_and_bad_arguments_are_errors() {
        assert!(
            matches!(call("lower", vec![Value::Unknown("depends on x".into())]), Value::Unknown(r) if r == "depends on x")
        );
        assert!(
            matches!(call("filebase64", vec![s("x")]), Value::Unknown(r) if r.contains("filebase64"))
        );
        assert!(matches!(
            call("lookup", vec![Value::Object(BTreeMap::new()), s("x")]),
            Value::Error(_)
        ));
        assert!(matches!(
            call("one", vec![list(&["a", "b"])]),
            Value::Error(_)
        ));
    }
}
