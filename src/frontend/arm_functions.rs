//! The ARM template functions that Bicep and ARM share (Bicep compiles to ARM), on known
//! arguments. Names are case-insensitive. `None` means "not evaluated here": the caller reports
//! the call as unknown.

use std::collections::BTreeMap;

use super::node::resource_id;
use super::partial::{self, Function, Placeholders, Through, function as f};
use super::value::{MAX_BUILT_STRING, Value, format_number, replaced_len, too_long};

pub fn call(name: &str, values: &[Value]) -> Option<Value> {
    let function = partial::find(FUNCTIONS, &name.to_ascii_lowercase())?;
    Some((function.evaluate)(values)?.within_bounds())
}

/// Functions not evaluated here whose result is never empty, whatever their arguments.
const GENERATED: &[&str] = &["uniquestring", "guid", "newguid", "utcnow"];

/// The functions evaluated here, by lower-case name.
const FUNCTIONS: &[Function] = &[
    f("concat", Through::Concatenation(0), concat),
    f("format", Through::Format(Placeholders::Braces), format),
    f("resourceid", Through::Nothing, |a| resource_id_of(a, 0)),
    f("subscriptionresourceid", Through::Nothing, |a| {
        resource_id_of(a, 0)
    }),
    f("tenantresourceid", Through::Nothing, |a| {
        resource_id_of(a, 0)
    }),
    f("extensionresourceid", Through::Nothing, |a| {
        resource_id_of(a, 1)
    }),
    f("tolower", Through::FirstNonEmpty, |a| {
        Some(Value::String(string(a, 0)?.to_lowercase()))
    }),
    f("toupper", Through::FirstNonEmpty, |a| {
        Some(Value::String(string(a, 0)?.to_uppercase()))
    }),
    f("trim", Through::FirstNonEmpty, |a| {
        Some(Value::String(string(a, 0)?.trim().to_string()))
    }),
    f("padleft", Through::FirstNonEmpty, pad_left),
    f("string", Through::FirstNonEmpty, |a| {
        Some(Value::String(a.first()?.to_template_string().ok()?))
    }),
    f("bool", Through::Nothing, |a| match a.first()? {
        Value::Bool(b) => Some(Value::Bool(*b)),
        Value::String(s) => Some(Value::Bool(s.eq_ignore_ascii_case("true"))),
        _ => None,
    }),
    f("int", Through::Nothing, |a| match a.first()? {
        Value::Number(n) => Some(Value::Number(n.trunc())),
        Value::String(s) => Some(Value::Number(s.parse().ok()?)),
        _ => None,
    }),
    f("equals", Through::Nothing, |a| match a {
        [x, y] if x.is_comparable() && y.is_comparable() => {
            Some(Value::Bool(text_or_number_eq(x, y)))
        }
        _ => None,
    }),
    f("not", Through::Nothing, |a| match a.first()? {
        Value::Bool(b) => Some(Value::Bool(!b)),
        _ => None,
    }),
    f("and", Through::Nothing, |a| {
        Some(Value::Bool(bools(a)?.iter().all(|b| *b)))
    }),
    f("or", Through::Nothing, |a| {
        Some(Value::Bool(bools(a)?.iter().any(|b| *b)))
    }),
    f("true", Through::Nothing, |_| Some(Value::Bool(true))),
    f("false", Through::Nothing, |_| Some(Value::Bool(false))),
    f("null", Through::Nothing, |_| Some(Value::Null)),
    f("createarray", Through::Nothing, |a| {
        Some(Value::List(a.to_vec()))
    }),
    f("array", Through::Nothing, |a| match a.first()? {
        list @ Value::List(_) => Some(list.clone()),
        other => Some(Value::List(vec![other.clone()])),
    }),
    f("createobject", Through::Nothing, create_object),
    f("empty", Through::Nothing, empty),
    f("length", Through::Nothing, length),
    f("contains", Through::Nothing, contains),
    f("tryget", Through::Nothing, try_get),
    f("coalesce", Through::FirstNotNull, |a| {
        Some(
            a.iter()
                .find(|v| !matches!(v, Value::Null))
                .cloned()
                .unwrap_or(Value::Null),
        )
    }),
    f("union", Through::Merge, union),
    f("range", Through::Nothing, range),
    f("items", Through::Nothing, items),
    f("flatten", Through::Nothing, |a| match a.first()? {
        Value::List(lists) => joined_lists(lists),
        _ => None,
    }),
    f(
        "take",
        Through::Prefix {
            start: None,
            length: 1,
        },
        |a| cut(a, |n, len| 0..n.min(len)),
    ),
    f("skip", Through::Nothing, |a| {
        cut(a, |n, len| n.min(len)..len)
    }),
    f("first", Through::Nothing, |a| {
        end_of(a, |items| items.first(), |s| s.chars().next())
    }),
    f("last", Through::Nothing, |a| {
        end_of(a, |items| items.last(), |s| s.chars().last())
    }),
    f(
        "join",
        Through::Join {
            separator: 1,
            list: 0,
        },
        join,
    ),
    f(
        "substring",
        Through::Prefix {
            start: Some(1),
            length: 2,
        },
        substring,
    ),
    f("replace", Through::Replace, replace),
];

fn string(args: &[Value], i: usize) -> Option<&str> {
    match args.get(i) {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

fn strings(args: &[Value]) -> Option<Vec<String>> {
    args.iter().map(|v| v.to_template_string().ok()).collect()
}

fn resource_id_of(args: &[Value], skip: usize) -> Option<Value> {
    let parts = strings(args)?;
    Some(resource_id(
        &parts.iter().map(String::as_str).collect::<Vec<_>>(),
        skip,
    ))
}

fn concat(args: &[Value]) -> Option<Value> {
    if let Some(Value::List(_)) = args.first() {
        return joined_lists(args);
    }
    let parts = strings(args)?;
    Some(
        match parts.iter().map(String::len).sum::<usize>() > MAX_BUILT_STRING {
            true => too_long(),
            false => Value::String(parts.concat()),
        },
    )
}

fn format(args: &[Value]) -> Option<Value> {
    let parts = strings(args)?;
    let (template, args) = parts.split_first()?;
    let mut out = template.clone();
    for (i, arg) in args.iter().enumerate() {
        let placeholder = format!("{{{i}}}");
        if replaced_len(&out, &placeholder, arg) > MAX_BUILT_STRING {
            return Some(too_long());
        }
        out = out.replace(&placeholder, arg);
    }
    Some(Value::String(out))
}

/// padLeft(value, totalLength, padCharacter = ' ').
fn pad_left(args: &[Value]) -> Option<Value> {
    let text = args.first()?.to_template_string().ok()?;
    let Value::Number(total) = args.get(1)? else {
        return None;
    };
    let pad = match args.get(2) {
        None => ' ',
        Some(Value::String(pad)) if pad.chars().count() == 1 => pad.chars().next()?,
        Some(_) => return None,
    };
    let missing = (*total as usize)
        .min(MAX_BUILT_STRING)
        .saturating_sub(text.chars().count());
    Some(Value::String(
        std::iter::repeat_n(pad, missing)
            .chain(text.chars())
            .collect(),
    ))
}

/// join(array, delimiter): the elements as text.
fn join(args: &[Value]) -> Option<Value> {
    let (Value::List(items), Some(delimiter)) = (args.first()?, string(args, 1)) else {
        return None;
    };
    let parts = strings(items)?;
    let joined_len = parts.iter().map(String::len).sum::<usize>() + parts.len() * delimiter.len();
    Some(match joined_len > MAX_BUILT_STRING {
        true => too_long(),
        false => Value::String(parts.join(delimiter)),
    })
}

/// substring(text, start, length = the rest): an error in ARM when out of range.
fn substring(args: &[Value]) -> Option<Value> {
    let chars: Vec<char> = string(args, 0)?.chars().collect();
    let index = |i: usize| match args.get(i) {
        Some(Value::Number(n)) if *n >= 0.0 => Some(*n as usize),
        _ => None,
    };
    let start = index(1)?;
    let length = match args.get(2) {
        None => chars.len().checked_sub(start)?,
        Some(_) => index(2)?,
    };
    Some(Value::String(
        chars
            .get(start..start.checked_add(length)?)?
            .iter()
            .collect(),
    ))
}

fn replace(args: &[Value]) -> Option<Value> {
    let (text, from, to) = (string(args, 0)?, string(args, 1)?, string(args, 2)?);
    Some(match replaced_len(text, from, to) > MAX_BUILT_STRING {
        true => too_long(),
        false => Value::String(text.replace(from, to)),
    })
}

fn bools(args: &[Value]) -> Option<Vec<bool>> {
    args.iter()
        .map(|v| match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        })
        .collect()
}

fn create_object(args: &[Value]) -> Option<Value> {
    let mut map = BTreeMap::new();
    for pair in args.chunks(2) {
        let [Value::String(key), value] = pair else {
            return None;
        };
        map.insert(key.clone(), value.clone());
    }
    Some(Value::Object(map))
}

fn empty(args: &[Value]) -> Option<Value> {
    Some(Value::Bool(match args.first()? {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::List(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => return None,
    }))
}

fn length(args: &[Value]) -> Option<Value> {
    let length = match args.first()? {
        Value::String(s) => s.chars().count(),
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => return None,
    };
    Some(Value::Number(length as f64))
}

/// ARM's contains: substring (case-sensitive), element, or key (case-insensitive).
fn contains(args: &[Value]) -> Option<Value> {
    Some(Value::Bool(match (args.first()?, args.get(1)?) {
        (Value::String(s), item) => s.contains(&item.to_template_string().ok()?),
        // An element that is not known may be the one looked for.
        (Value::List(items), item) if items.contains(item) => true,
        (Value::List(items), _) if items.iter().any(|i| matches!(i, Value::Unknown(_))) => {
            return None;
        }
        (Value::List(items), item) => items.contains(item),
        (Value::Object(map), Value::String(key)) => map.keys().any(|k| k.eq_ignore_ascii_case(key)),
        _ => return None,
    }))
}

/// tryGet(value, key or index, ...): what is there, null when it is not.
fn try_get(args: &[Value]) -> Option<Value> {
    let (first, path) = args.split_first()?;
    let mut current = first.clone();
    for step in path {
        current = match (current, step) {
            (Value::Object(mut map), Value::String(key)) => {
                let found = map.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned();
                found.and_then(|k| map.remove(&k)).unwrap_or(Value::Null)
            }
            (Value::List(items), Value::Number(i)) if i >= &0.0 => {
                items.into_iter().nth(*i as usize).unwrap_or(Value::Null)
            }
            (Value::Null, _) => Value::Null,
            _ => return None,
        };
    }
    Some(current)
}

fn union(args: &[Value]) -> Option<Value> {
    match args.first()? {
        Value::Object(_) => {
            let mut merged = BTreeMap::new();
            for value in args {
                let Value::Object(map) = value else {
                    return None;
                };
                merged.extend(map.clone());
            }
            Some(Value::Object(merged))
        }
        Value::List(_) => {
            let mut items: Vec<Value> = Vec::new();
            for value in args {
                let Value::List(list) = value else {
                    return None;
                };
                for item in list {
                    if !items.contains(item) {
                        items.push(item.clone());
                    }
                }
            }
            Some(Value::List(items))
        }
        _ => None,
    }
}

fn range(args: &[Value]) -> Option<Value> {
    let (Value::Number(start), Value::Number(count)) = (args.first()?, args.get(1)?) else {
        return None;
    };
    if *count < 0.0 || *count > 10_000.0 {
        return None;
    }
    let numbers = (0..*count as i64).map(|i| Value::Number(start + i as f64));
    Some(Value::List(numbers.collect()))
}

/// An object's entries as `{ key, value }` objects, in key order.
fn items(args: &[Value]) -> Option<Value> {
    let Value::Object(map) = args.first()? else {
        return None;
    };
    let entry = |(key, value): (&String, &Value)| {
        Value::Object(BTreeMap::from([
            ("key".to_string(), Value::String(key.clone())),
            ("value".to_string(), value.clone()),
        ]))
    };
    Some(Value::List(map.iter().map(entry).collect()))
}

/// `take` and `skip`: the part of a list or string in `kept(n, length)`.
fn cut(args: &[Value], kept: fn(usize, usize) -> std::ops::Range<usize>) -> Option<Value> {
    let Value::Number(n) = args.get(1)? else {
        return None;
    };
    let n = n.max(0.0) as usize;
    match args.first()? {
        Value::List(items) => Some(Value::List(items[kept(n, items.len())].to_vec())),
        Value::String(s) => {
            let chars: Vec<char> = s.chars().collect();
            Some(Value::String(chars[kept(n, chars.len())].iter().collect()))
        }
        _ => None,
    }
}

/// `first` and `last`: an end of a list (null when empty) or of a string.
fn end_of(
    args: &[Value],
    of_list: fn(&[Value]) -> Option<&Value>,
    of_text: fn(&str) -> Option<char>,
) -> Option<Value> {
    match args.first()? {
        Value::List(items) => Some(of_list(items).cloned().unwrap_or(Value::Null)),
        Value::String(s) => Some(Value::String(
            of_text(s).map(String::from).unwrap_or_default(),
        )),
        _ => None,
    }
}

/// The items of lists, one after the other; `None` when one is not a list.
fn joined_lists(lists: &[Value]) -> Option<Value> {
    let mut items = Vec::new();
    for list in lists {
        let Value::List(list) = list else {
            return None;
        };
        items.extend(list.iter().cloned());
    }
    Some(Value::List(items))
}

/// ARM's `equals` compares strings case-sensitively, but a number equals its text.
fn text_or_number_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::String(y)) | (Value::String(y), Value::Number(x)) => {
            format_number(*x) == *y
        }
        _ => a == b,
    }
}

/// `resourceGroup()`, `deployment()`, `subscription()` and the like: known only at deployment,
/// except the location of a resource group or deployment when the user passes `--location`.
pub fn deployment_scope(function: &str, location: Option<&str>) -> Value {
    let has_location = matches!(
        function.to_ascii_lowercase().as_str(),
        "resourcegroup" | "deployment"
    );
    match location {
        Some(location) if has_location => {
            let unknown = |property: &str| {
                Value::Unknown(format!(
                    "depends on `{function}().{property}`, which is only known at deployment"
                ))
            };
            Value::Object(
                [
                    ("location".to_string(), Value::String(location.to_string())),
                    ("name".to_string(), unknown("name")),
                    ("id".to_string(), unknown("id")),
                ]
                .into(),
            )
        }
        _ if has_location => Value::Unknown(format!(
            "depends on `{function}()`, which is only known at deployment (pass --location REGION to lint with the region you deploy to)"
        )),
        _ => Value::Unknown(format!(
            "depends on `{function}()`, which is only known at deployment"
        )),
    }
}

/// What a reader knows of a call whose result is not known whole (Bicep and ARM alike): with
/// arguments each one of a few values, the results for each; else what the function's rule
/// keeps (see [`Through`]).
pub fn known_in_part(written_name: &str, args: &[Value]) -> Option<Value> {
    let name = written_name.to_ascii_lowercase();
    if let Some(value) = super::value::per_alternative(args, |args| call(&name, args)) {
        return Some(value);
    }
    if args
        .iter()
        .all(|arg| partial::unknown_reason(arg).is_none())
        && !args.is_empty()
    {
        return None;
    }
    through(&name).apply(written_name, args)
}

/// How partial knowledge passes through each function (a name in lower case).
fn through(name: &str) -> Through {
    if GENERATED.contains(&name) {
        return Through::Generated;
    }
    partial::find(FUNCTIONS, name).map_or(Through::Nothing, |f| f.through)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    /// Every function of the table, with each kind of partial knowledge in each argument
    /// position: a result known in part comes from the function's own rule, or from
    /// evaluating it for each of a few values.
    #[test]
    fn every_function_against_every_kind_of_knowledge() {
        use crate::frontend::value::Known;
        let kinds = [
            Value::partial("generated", Known::NonEmpty),
            Value::partial("chosen", Known::OneOf(vec![s("a"), s("b")])),
            Value::Unknown("no default".into()),
            Value::List(vec![Value::Unknown("element".into())]),
        ];
        let table = FUNCTIONS.iter().map(|f| (f.name, f.through));
        let generated = GENERATED.iter().map(|name| (*name, Through::Generated));
        for (name, rule) in table.chain(generated) {
            for position in 0..3 {
                for kind in &kinds {
                    let mut args = vec![s("-"), Value::List(vec![s("a")]), Value::Number(1.0)];
                    args[position] = kind.clone();
                    let result = known_in_part(name, &args);
                    let one_of =
                        matches!(kind, Value::Partial(p) if matches!(p.known, Known::OneOf(_)));
                    if matches!(result, Some(Value::Partial(_))) && !one_of {
                        assert_ne!(rule, Through::Nothing, "{name}({args:?}) = {result:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn strings_as_arm_evaluates_them() {
        let n = |x: f64| Value::Number(x);
        assert_eq!(call("trim", &[s("  a b ")]), Some(s("a b")));
        assert_eq!(call("padLeft", &[s("7"), n(3.0), s("0")]), Some(s("007")));
        assert_eq!(call("padLeft", &[s("1234"), n(3.0)]), Some(s("1234")));
        let list = Value::List(vec![s("a"), n(1.0)]);
        assert_eq!(call("join", &[list, s("-")]), Some(s("a-1")));
        assert_eq!(
            call("substring", &[s("hello"), n(1.0), n(3.0)]),
            Some(s("ell"))
        );
        assert_eq!(call("substring", &[s("hello"), n(2.0)]), Some(s("llo")));
        assert_eq!(call("substring", &[s("hi"), n(1.0), n(5.0)]), None);
        assert_eq!(
            call("replace", &[s("a-b-c"), s("-"), s("")]),
            Some(s("abc"))
        );
    }

    #[test]
    fn collections_for_loops() {
        let n = |x: f64| Value::Number(x);
        assert_eq!(
            call("range", &[n(1.0), n(3.0)]),
            Some(Value::List(vec![n(1.0), n(2.0), n(3.0)]))
        );
        let object = Value::Object(BTreeMap::from([("b".into(), n(2.0)), ("a".into(), n(1.0))]));
        let Some(Value::List(entries)) = call("items", &[object]) else {
            panic!("items");
        };
        assert_eq!(
            entries[0],
            Value::Object(BTreeMap::from([
                ("key".into(), s("a")),
                ("value".into(), n(1.0))
            ]))
        );
        let nested = Value::List(vec![Value::List(vec![s("x")]), Value::List(vec![s("y")])]);
        assert_eq!(
            call("flatten", &[nested]),
            Some(Value::List(vec![s("x"), s("y")]))
        );
        assert_eq!(call("take", &[s("abcdef"), n(3.0)]), Some(s("abc")));
        assert_eq!(call("skip", &[s("abcdef"), n(4.0)]), Some(s("ef")));
        assert_eq!(call("take", &[s("ab"), n(9.0)]), Some(s("ab")));
    }

    #[test]
    fn shared_functions() {
        assert_eq!(call("empty", &[s("")]), Some(Value::Bool(true)));
        assert_eq!(
            call("contains", &[s("abc"), s("b")]),
            Some(Value::Bool(true))
        );
        assert_eq!(call("coalesce", &[Value::Null, s("x")]), Some(s("x")));
        let object = Value::Object([("Name".to_string(), s("x"))].into());
        assert_eq!(call("tryget", &[object.clone(), s("name")]), Some(s("x")));
        assert_eq!(
            call("tryget", &[object.clone(), s("other")]),
            Some(Value::Null)
        );
        let list = Value::List(vec![object]);
        assert_eq!(
            call("tryget", &[list.clone(), Value::Number(0.0), s("name")]),
            Some(s("x"))
        );
        assert_eq!(
            call("tryget", &[list, Value::Number(3.0)]),
            Some(Value::Null)
        );
        let a = call("createObject", &[s("a"), Value::Number(1.0)]).unwrap();
        let b = call("createObject", &[s("b"), Value::Number(2.0)]).unwrap();
        assert_eq!(
            call("length", &[call("union", &[a, b]).unwrap()]),
            Some(Value::Number(2.0))
        );
        assert_eq!(
            call("format", &[s("{0}-{1}"), s("a"), Value::Number(2.0)]),
            Some(s("a-2"))
        );
        assert_eq!(call("toLower", &[s("AbC")]), Some(s("abc")));
        assert_eq!(call("uniqueString", &[s("x")]), None);
    }
}
