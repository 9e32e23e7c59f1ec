//! The ARM template functions that Bicep and ARM share (Bicep compiles to ARM), on known
//! arguments. Names are case-insensitive. `None` means "not evaluated here": the caller reports
//! the call as unknown.

use std::collections::BTreeMap;

use super::node::resource_id;
use super::partial::{self, Placeholders, Through};
use super::value::{MAX_BUILT_STRING, Value, format_number, replaced_len, too_long};

pub fn call(name: &str, values: &[Value]) -> Option<Value> {
    let name = name.to_ascii_lowercase();
    let string = |i: usize| match values.get(i) {
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let strings = || {
        values
            .iter()
            .map(|v| v.to_template_string().ok())
            .collect::<Option<Vec<String>>>()
    };
    let resource_id_of = |skip| {
        strings()
            .map(|parts| resource_id(&parts.iter().map(String::as_str).collect::<Vec<_>>(), skip))
    };
    let value = match name.as_str() {
        "concat" => match values.first() {
            Some(Value::List(_)) => joined_lists(values)?,
            _ => {
                let parts = strings()?;
                match parts.iter().map(String::len).sum::<usize>() > MAX_BUILT_STRING {
                    true => too_long(),
                    false => Value::String(parts.concat()),
                }
            }
        },
        "format" => {
            let parts = strings()?;
            let (template, args) = parts.split_first()?;
            let mut out = template.clone();
            for (i, arg) in args.iter().enumerate() {
                let placeholder = format!("{{{i}}}");
                if replaced_len(&out, &placeholder, arg) > MAX_BUILT_STRING {
                    return Some(too_long());
                }
                out = out.replace(&placeholder, arg);
            }
            Value::String(out)
        }
        "resourceid" | "subscriptionresourceid" | "tenantresourceid" => resource_id_of(0)?,
        "extensionresourceid" => resource_id_of(1)?,
        "tolower" => Value::String(string(0)?.to_lowercase()),
        "toupper" => Value::String(string(0)?.to_uppercase()),
        "string" => Value::String(values.first()?.to_template_string().ok()?),
        "bool" => match values.first()? {
            Value::Bool(b) => Value::Bool(*b),
            Value::String(s) => Value::Bool(s.eq_ignore_ascii_case("true")),
            _ => return None,
        },
        "int" => match values.first()? {
            Value::Number(n) => Value::Number(n.trunc()),
            Value::String(s) => Value::Number(s.parse().ok()?),
            _ => return None,
        },
        "equals" if values.len() == 2 && values.iter().all(Value::is_comparable) => {
            Value::Bool(text_or_number_eq(&values[0], &values[1]))
        }
        "not" => match values.first()? {
            Value::Bool(b) => Value::Bool(!b),
            _ => return None,
        },
        "and" | "or" => {
            let bools = values
                .iter()
                .map(|v| match v {
                    Value::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect::<Option<Vec<bool>>>()?;
            Value::Bool(if name == "and" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            })
        }
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        "createarray" => Value::List(values.to_vec()),
        "array" => match values.first()? {
            list @ Value::List(_) => list.clone(),
            other => Value::List(vec![other.clone()]),
        },
        "createobject" => {
            let mut map = BTreeMap::new();
            for pair in values.chunks(2) {
                let [Value::String(key), value] = pair else {
                    return None;
                };
                map.insert(key.clone(), value.clone());
            }
            Value::Object(map)
        }
        "empty" => Value::Bool(match values.first()? {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Object(map) => map.is_empty(),
            _ => return None,
        }),
        "length" => Value::Number(match values.first()? {
            Value::String(s) => s.chars().count(),
            Value::List(items) => items.len(),
            Value::Object(map) => map.len(),
            _ => return None,
        } as f64),
        // ARM's contains: substring (case-sensitive), element, or key (case-insensitive).
        "contains" => Value::Bool(match (values.first()?, values.get(1)?) {
            (Value::String(s), item) => s.contains(&item.to_template_string().ok()?),
            // An element that is not known may be the one looked for.
            (Value::List(items), item) if items.contains(item) => true,
            (Value::List(items), _) if items.iter().any(|i| matches!(i, Value::Unknown(_))) => {
                return None;
            }
            (Value::List(items), item) => items.contains(item),
            (Value::Object(map), Value::String(key)) => {
                map.keys().any(|k| k.eq_ignore_ascii_case(key))
            }
            _ => return None,
        }),
        // tryGet(value, key or index, ...): what is there, null when it is not.
        "tryget" => {
            let (first, path) = values.split_first()?;
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
            current
        }
        "coalesce" => values
            .iter()
            .find(|v| !matches!(v, Value::Null))
            .cloned()
            .unwrap_or(Value::Null),
        "union" => match values.first()? {
            Value::Object(_) => {
                let mut merged = BTreeMap::new();
                for value in values {
                    let Value::Object(map) = value else {
                        return None;
                    };
                    merged.extend(map.clone());
                }
                Value::Object(merged)
            }
            Value::List(_) => {
                let mut items: Vec<Value> = Vec::new();
                for value in values {
                    let Value::List(list) = value else {
                        return None;
                    };
                    for item in list {
                        if !items.contains(item) {
                            items.push(item.clone());
                        }
                    }
                }
                Value::List(items)
            }
            _ => return None,
        },
        "range" => {
            let (Value::Number(start), Value::Number(count)) = (values.first()?, values.get(1)?)
            else {
                return None;
            };
            if *count < 0.0 || *count > 10_000.0 {
                return None;
            }
            Value::List(
                (0..*count as i64)
                    .map(|i| Value::Number(start + i as f64))
                    .collect(),
            )
        }
        // An object's entries as `{ key, value }` objects, in key order.
        "items" => match values.first()? {
            Value::Object(map) => Value::List(
                map.iter()
                    .map(|(key, value)| {
                        Value::Object(BTreeMap::from([
                            ("key".to_string(), Value::String(key.clone())),
                            ("value".to_string(), value.clone()),
                        ]))
                    })
                    .collect(),
            ),
            _ => return None,
        },
        "flatten" => match values.first()? {
            Value::List(lists) => joined_lists(lists)?,
            _ => return None,
        },
        "take" | "skip" => {
            let Value::Number(n) = values.get(1)? else {
                return None;
            };
            let n = n.max(0.0) as usize;
            let cut = |len: usize| {
                if name == "take" {
                    0..n.min(len)
                } else {
                    n.min(len)..len
                }
            };
            match values.first()? {
                Value::List(items) => Value::List(items[cut(items.len())].to_vec()),
                Value::String(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    Value::String(chars[cut(chars.len())].iter().collect())
                }
                _ => return None,
            }
        }
        "first" => match values.first()? {
            Value::List(items) => items.first().cloned().unwrap_or(Value::Null),
            Value::String(s) => {
                Value::String(s.chars().next().map(String::from).unwrap_or_default())
            }
            _ => return None,
        },
        "last" => match values.first()? {
            Value::List(items) => items.last().cloned().unwrap_or(Value::Null),
            Value::String(s) => {
                Value::String(s.chars().last().map(String::from).unwrap_or_default())
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(value.within_bounds())
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
    match name {
        "uniquestring" | "guid" | "newguid" | "utcnow" => Through::Generated,
        "tolower" | "toupper" | "trim" | "string" | "padleft" => Through::FirstNonEmpty,
        "concat" => Through::Concatenation(0),
        "format" => Through::Format(Placeholders::Braces),
        "join" => Through::Join {
            separator: 1,
            list: 0,
        },
        "substring" => Through::Prefix {
            start: Some(1),
            length: 2,
        },
        "take" => Through::Prefix {
            start: None,
            length: 1,
        },
        "replace" => Through::Replace,
        "union" => Through::Merge,
        "coalesce" => Through::FirstNotNull,
        _ => Through::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
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
