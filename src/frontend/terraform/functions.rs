//! Terraform's built-in functions seen in real Azure OpenAI code, evaluated as Terraform does.
//! `try` and `can` are lazy and live in the evaluator; any other function is unknown, never
//! guessed.

use std::collections::BTreeMap;

use crate::frontend::partial::{self, Placeholders, Through};
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
    if let Some(value) = per_alternative(&args, |args| evaluate(name, args.to_vec())) {
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
    match evaluate(name, args.clone()) {
        Some(value) => value.within_bounds(),
        // An element not known is no invalid argument: the result is not known.
        None => match args.iter().find_map(partial::unknown_reason) {
            Some(reason) => rule.apply(name, &args).unwrap_or(Value::Unknown(reason)),
            None if FUNCTIONS.iter().any(|(known, _)| *known == name) => {
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
    FUNCTIONS
        .iter()
        .chain(GENERATED)
        .find(|(known, _)| *known == name)
        .map_or(Through::Nothing, |(_, rule)| *rule)
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

/// The functions evaluated here, each with how partial knowledge passes through it; wrong
/// arguments to them are errors, not unknowns.
const FUNCTIONS: &[(&str, Through)] = &[
    ("lower", Through::FirstNonEmpty),
    ("upper", Through::FirstNonEmpty),
    ("trimspace", Through::FirstNonEmpty),
    ("title", Through::FirstNonEmpty),
    ("format", Through::Format(Placeholders::Printf)),
    (
        "join",
        Through::Join {
            separator: 0,
            list: 1,
        },
    ),
    ("split", Through::Nothing),
    ("replace", Through::Replace),
    (
        "substr",
        Through::Prefix {
            start: Some(1),
            length: 2,
        },
    ),
    ("coalesce", Through::Nothing),
    ("coalescelist", Through::Nothing),
    ("concat", Through::Nothing),
    ("contains", Through::Nothing),
    ("length", Through::Nothing),
    ("lookup", Through::Nothing),
    ("merge", Through::Merge),
    ("keys", Through::Nothing),
    ("values", Through::Nothing),
    ("toset", Through::Nothing),
    ("tolist", Through::Nothing),
    ("tomap", Through::Nothing),
    ("tostring", Through::FirstNonEmpty),
    ("tobool", Through::Nothing),
    ("tonumber", Through::Nothing),
    ("jsonencode", Through::Nothing),
    ("jsondecode", Through::Nothing),
    ("element", Through::Nothing),
    ("flatten", Through::Nothing),
    ("distinct", Through::Nothing),
    ("startswith", Through::Nothing),
    ("endswith", Through::Nothing),
    ("abs", Through::Nothing),
    ("min", Through::Nothing),
    ("max", Through::Nothing),
    ("compact", Through::Nothing),
    ("one", Through::Nothing),
    ("alltrue", Through::Nothing),
    ("anytrue", Through::Nothing),
    ("sort", Through::Nothing),
    ("reverse", Through::Nothing),
    ("range", Through::Nothing),
    ("zipmap", Through::Nothing),
    ("trimprefix", Through::Nothing),
    ("trimsuffix", Through::Nothing),
    ("strcontains", Through::Nothing),
];

fn evaluate(name: &str, args: Vec<Value>) -> Option<Value> {
    let text = |i: usize| match args.get(i) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(format_number(*n)),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    };
    let number = |i: usize| match args.get(i) {
        Some(Value::Number(n)) => Some(*n),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let list = |i: usize| match args.get(i) {
        Some(Value::List(items)) => Some(items.clone()),
        _ => None,
    };
    let object = |i: usize| match args.get(i) {
        Some(Value::Object(map)) => Some(map.clone()),
        _ => None,
    };
    Some(match name {
        "lower" => Value::String(text(0)?.to_lowercase()),
        "upper" => Value::String(text(0)?.to_uppercase()),
        "trimspace" => Value::String(text(0)?.trim().to_string()),
        "trimprefix" => Value::String(
            text(0)?
                .strip_prefix(&text(1)?)
                .map_or_else(|| text(0), |s| Some(s.to_string()))?,
        ),
        "trimsuffix" => Value::String(
            text(0)?
                .strip_suffix(&text(1)?)
                .map_or_else(|| text(0), |s| Some(s.to_string()))?,
        ),
        "title" => Value::String(
            text(0)?
                .split(' ')
                .map(|w| {
                    let mut chars = w.chars();
                    chars
                        .next()
                        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "format" => Value::String(format(&text(0)?, &args[1..])?),
        "join" => {
            let separator = text(0)?;
            let mut parts = Vec::new();
            for value in &args[1..] {
                let Value::List(items) = value else {
                    return None;
                };
                for item in items {
                    parts.push(item.to_template_string().ok()?);
                }
            }
            Value::String(parts.join(&separator))
        }
        "split" => Value::List(
            text(1)?
                .split(text(0)?.as_str())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        // A `/pattern/` substring is a regular expression: not evaluated.
        "replace" if text(1)?.starts_with('/') && text(1)?.ends_with('/') && text(1)?.len() > 1 => {
            Value::Unknown(
                "calls `replace()` with a regular expression, which is not evaluated".into(),
            )
        }
        "replace" => {
            let (text, from, to) = (text(0)?, text(1)?, text(2)?);
            match replaced_len(&text, &from, &to) > MAX_BUILT_STRING {
                true => too_long(),
                false => Value::String(text.replace(&from, &to)),
            }
        }
        "substr" => {
            let chars: Vec<char> = text(0)?.chars().collect();
            let offset = number(1)? as i64;
            let length = number(2)? as i64;
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
            Value::String(chars[start..end].iter().collect())
        }
        "strcontains" => Value::Bool(text(0)?.contains(&text(1)?)),
        "startswith" => Value::Bool(text(0)?.starts_with(&text(1)?)),
        "endswith" => Value::Bool(text(0)?.ends_with(&text(1)?)),
        "coalesce" => args
            .iter()
            .find(|v| !matches!(v, Value::Null) && **v != Value::String(String::new()))?
            .clone(),
        "coalescelist" => args
            .iter()
            .find(|v| matches!(v, Value::List(items) if !items.is_empty()))?
            .clone(),
        "concat" => Value::List(
            (0..args.len())
                .map(list)
                .collect::<Option<Vec<_>>>()?
                .concat(),
        ),
        "contains" => Value::Bool(list(0)?.contains(args.get(1)?)),
        "length" => Value::Number(match args.first()? {
            Value::List(items) => items.len(),
            Value::Object(map) => map.len(),
            Value::String(s) => s.chars().count(),
            _ => return None,
        } as f64),
        "lookup" => match (object(0)?.remove(&text(1)?), args.get(2)) {
            (Some(value), _) => value,
            (None, Some(default)) => default.clone(),
            (None, None) => return None,
        },
        "merge" => {
            let mut merged = BTreeMap::new();
            for value in &args {
                match value {
                    Value::Object(map) => merged.extend(map.clone()),
                    Value::Null => {}
                    _ => return None,
                }
            }
            Value::Object(merged)
        }
        "keys" => Value::List(object(0)?.into_keys().map(Value::String).collect()),
        "values" => Value::List(object(0)?.into_values().collect()),
        "toset" | "distinct" => {
            let mut items: Vec<Value> = Vec::new();
            for item in list(0)? {
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            // Sets of strings iterate in lexical order.
            if name == "toset" && items.iter().all(|v| matches!(v, Value::String(_))) {
                items.sort_by_key(|v| v.shown());
            }
            Value::List(items)
        }
        "tolist" => Value::List(list(0)?),
        "tomap" => Value::Object(object(0)?),
        "tostring" => Value::String(text(0)?),
        "tobool" => match args.first()? {
            Value::Bool(b) => Value::Bool(*b),
            Value::String(s) if s == "true" => Value::Bool(true),
            Value::String(s) if s == "false" => Value::Bool(false),
            Value::Null => Value::Null,
            _ => return None,
        },
        "tonumber" => Value::Number(number(0)?),
        "jsonencode" => Value::String(serde_json::to_string(&to_json(args.first()?)?).ok()?),
        "jsondecode" => from_json(serde_json::from_str(&text(0)?).ok()?),
        "element" => {
            let items = list(0)?;
            let index = number(1)? as usize;
            items.get(index.checked_rem(items.len())?)?.clone()
        }
        "flatten" => Value::List(flatten(list(0)?)),
        "compact" => Value::List(
            list(0)?
                .into_iter()
                .filter(|v| !matches!(v, Value::Null) && *v != Value::String(String::new()))
                .collect(),
        ),
        "one" => match list(0)?.as_slice() {
            [] => Value::Null,
            [single] => single.clone(),
            _ => return None,
        },
        "alltrue" | "anytrue" => {
            let bools: Vec<bool> = list(0)?
                .iter()
                .map(|v| match v {
                    Value::Bool(b) => Some(*b),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            Value::Bool(if name == "alltrue" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            })
        }
        "sort" => {
            let mut items = list(0)?
                .iter()
                .map(|v| v.to_template_string().ok())
                .collect::<Option<Vec<_>>>()?;
            items.sort();
            Value::List(items.into_iter().map(Value::String).collect())
        }
        "reverse" => Value::List(list(0)?.into_iter().rev().collect()),
        "range" if args.len() == 1 => Value::List(
            (0..number(0)? as i64)
                .map(|i| Value::Number(i as f64))
                .collect(),
        ),
        "zipmap" => Value::Object(
            list(0)?
                .iter()
                .map(|k| k.to_template_string().ok())
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .zip(list(1)?)
                .collect(),
        ),
        "abs" => Value::Number(number(0)?.abs()),
        "min" | "max" => {
            let numbers = (0..args.len()).map(number).collect::<Option<Vec<f64>>>()?;
            let fold = if name == "min" { f64::min } else { f64::max };
            Value::Number(numbers.into_iter().reduce(fold)?)
        }
        _ => return None,
    })
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
        for (name, rule) in FUNCTIONS.iter().chain(GENERATED) {
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
                        assert_ne!(*rule, Through::Nothing, "{name}({args:?}) = {result:?}");
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
