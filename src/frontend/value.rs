//! Values computed by the front-ends' evaluators, with explicit unknowns.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// A computed attribute of a resource declared in the scope (`azurerm_cognitive_account.x.id`,
    /// Bicep `openai.id`; `attr` is empty for the resource itself, as in Bicep `scope: openai`):
    /// its content is only known after deployment, but which resource it belongs to is known.
    ResourceAttr {
        /// How links find the resource (see [`crate::model::AiAccount::link_keys`]).
        key: String,
        /// The resource as written (`azurerm_cognitive_account.x`, `openai`).
        shown: String,
        attr: String,
    },
    /// Cannot be determined statically; `reason` reads after the attribute name
    /// ("depends on `var.x` ...").
    Unknown(String),
    /// The expression fails (Terraform would report an error). Only Terraform's `try()` and
    /// `can()` look at it: they catch errors, while unknowns stay unknown.
    Error(String),
}

impl Value {
    /// The value as a user would write it, for messages.
    pub fn shown(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => format!("{s:?}"),
            Value::List(items) => {
                let items: Vec<_> = items.iter().map(Value::shown).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Object(_) => "{...}".into(),
            Value::ResourceAttr { shown, attr, .. } if attr.is_empty() => shown.clone(),
            Value::ResourceAttr { shown, attr, .. } => format!("{shown}.{attr}"),
            Value::Unknown(_) => "(unknown)".into(),
            Value::Error(_) => "(error)".into(),
        }
    }

    /// The text of a scalar inside a string template; the reason when it is not known.
    pub fn to_template_string(&self) -> Result<String, String> {
        match self {
            Value::String(s) => Ok(s.clone()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Number(n) => Ok(format_number(*n)),
            Value::Unknown(reason) | Value::Error(reason) => Err(reason.clone()),
            attr @ Value::ResourceAttr { .. } => Err(after_deployment(attr)),
            other => Err(format!(
                "interpolates {}, which is not a string",
                other.shown()
            )),
        }
    }

    /// Whether equality with this value is decided without knowing deployment results.
    pub fn is_comparable(&self) -> bool {
        match self {
            Value::ResourceAttr { .. } | Value::Unknown(_) | Value::Error(_) => false,
            Value::List(items) => items.iter().all(Value::is_comparable),
            Value::Object(map) => map.values().all(Value::is_comparable),
            _ => true,
        }
    }
}

impl Value {
    /// The (key, element) pairs of a list (keys are indexes) or an object; `Err` gives back any
    /// other value.
    pub fn into_entries(self) -> Result<Vec<(Value, Value)>, Value> {
        match self {
            Value::List(items) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect()),
            Value::Object(map) => Ok(map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect()),
            other => Err(other),
        }
    }

    /// Errors become unknowns once evaluation is over: the model only knows values and unknowns.
    pub fn settle(self) -> Value {
        match self {
            Value::Error(message) => Value::Unknown(format!("fails to evaluate: {message}")),
            other => other,
        }
    }
}

/// The unknown reason for a resource attribute that only exists after deployment.
pub fn after_deployment(value: &Value) -> String {
    format!(
        "depends on `{}`, which is only known after deployment",
        value.shown()
    )
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}
