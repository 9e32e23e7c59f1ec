//! Files a template reads as data (Bicep `loadJsonContent`, `loadYamlContent`), as values.
//! The files themselves are read by the engine's loader, inside the repository only.

use std::collections::BTreeMap;

use yaml_rust2::{Yaml, YamlLoader};

use super::value::Value;

/// A JSON document as a value; why not, when it does not parse.
pub fn json(text: &str) -> Result<Value, String> {
    match super::json::parse(text) {
        Ok(Some(json)) => Ok(super::arm::literal(&json)),
        Ok(None) => Err("is empty".into()),
        Err(error) => Err(format!("is not JSON: {}", error.message)),
    }
}

/// A YAML document (the first of a stream) as a value; why not, when it does not parse.
pub fn yaml(text: &str) -> Result<Value, String> {
    let documents = YamlLoader::load_from_str(text).map_err(|e| format!("is not YAML: {e}"))?;
    let document = documents.into_iter().next().unwrap_or(Yaml::Null);
    yaml_value(document, 0)
}

/// How deep a YAML document is followed: anchors and aliases are resolved by the loader, and
/// a document nested deeper than this is no configuration.
const MAX_DEPTH: usize = 64;

fn yaml_value(yaml: Yaml, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nests deeper than {MAX_DEPTH} levels"));
    }
    Ok(match yaml {
        Yaml::Null | Yaml::BadValue => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(n) => Value::Number(n as f64),
        Yaml::Real(text) => text.parse().map_or(Value::String(text), Value::Number),
        Yaml::String(text) => Value::String(text),
        Yaml::Array(items) => Value::List(
            items
                .into_iter()
                .map(|item| yaml_value(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Hash(entries) => {
            let mut map = BTreeMap::new();
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(key) => key,
                    Yaml::Integer(n) => n.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => return Err(format!("has a key that is not text: {other:?}")),
                };
                map.insert(key, yaml_value(value, depth + 1)?);
            }
            Value::Object(map)
        }
        Yaml::Alias(_) => return Err("has an alias the loader did not resolve".into()),
    })
}

/// The part of a document a path selects (`$.a.b[0]`, `.a.b`, `a.b`); unknown when the path
/// leads nowhere or uses more than properties and indexes.
pub fn select(value: Value, path: &str) -> Value {
    let path = path.trim().trim_start_matches('$');
    let mut current = value;
    for step in steps(path) {
        let next = match (&current, step) {
            (Value::Object(map), Step::Key(key)) => map.get(key).cloned(),
            (Value::List(items), Step::Index(i)) => items.get(i).cloned(),
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => {
                return Value::Unknown(format!(
                    "selects `{path}` from a file, which leads nowhere it can follow"
                ));
            }
        }
    }
    current
}

enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// `.a.b[0]` as its steps; a step that is neither a name nor an index ends the path unmatched.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            match index.trim_end_matches(']').parse() {
                Ok(i) => steps.push(Step::Index(i)),
                Err(_) => steps.push(Step::Key(index)),
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn json_and_yaml_documents_are_values() {
        let text = "deployments:\n  - name: gpt-4o\n    model:\n      version: '2024-11-20'\n    capacity: 30\n";
        let value = yaml(text).unwrap();
        assert_eq!(select(value.clone(), "deployments[0].name"), s("gpt-4o"));
        assert_eq!(
            select(value.clone(), "$.deployments[0].model.version"),
            s("2024-11-20")
        );
        assert_eq!(
            select(value, ".deployments[0].capacity"),
            Value::Number(30.0)
        );
        let regions = json(r#"{ "regions": ["swedencentral", "eastus"] }"#).unwrap();
        assert_eq!(select(regions, "$.regions[1]"), s("eastus"));
        assert!(matches!(select(s("x"), "a"), Value::Unknown(_)));
        assert!(yaml("a: [").is_err());
        assert!(json("{").is_err());
    }
}
