//! A resource body as a tree of evaluated values with spans: the common ground of the
//! front-ends. Terraform blocks, azapi bodies, Bicep objects and ARM JSON all become [`Node`]s,
//! and one [`BodyReader`] turns paths in them into model [`Attr`]s, with the platform default
//! when a value is missing and the reason when it cannot be known.

use std::borrow::Cow;

use crate::frontend::value::{self, Value, after_deployment};
use crate::model::{Attr, AttrState, Known, Reference, Via};
use crate::source::Span;

pub use super::value::SPREAD_KEY;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The key and value as written (or the expression the value was computed from).
    pub span: Span,
    /// Where the value really lives, when it was read through a reference.
    pub via: Option<Via>,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// Keys may repeat (Terraform blocks of the same type).
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// A computed value, possibly structured, null or unknown.
    Value(Value),
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    Found(Cow<'a, Node>),
    Missing,
    Unresolved { reason: String, span: Span },
}

impl Lookup<'_> {
    fn into_owned(self) -> Lookup<'static> {
        match self {
            Lookup::Found(node) => Lookup::Found(Cow::Owned(node.into_owned())),
            Lookup::Missing => Lookup::Missing,
            Lookup::Unresolved { reason, span } => Lookup::Unresolved { reason, span },
        }
    }
}

impl Node {
    pub fn value(value: Value, span: Span) -> Node {
        Node {
            span,
            via: None,
            kind: NodeKind::Value(value),
        }
    }

    pub fn object(entries: Vec<(String, Node)>, span: Span) -> Node {
        Node {
            span,
            via: None,
            kind: NodeKind::Object(entries),
        }
    }

    /// The child under `key`; `null` counts as missing, as in every IaC language here. Syntax
    /// children are borrowed; only children of computed objects are built.
    pub fn get(&self, key: &str) -> Lookup<'_> {
        let found = match &self.kind {
            NodeKind::Object(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, node)| Cow::Borrowed(node)),
            NodeKind::Value(Value::Object(map)) => map.get(key).map(|value| {
                Cow::Owned(Node {
                    span: self.span.clone(),
                    via: self.via.clone(),
                    kind: NodeKind::Value(value.clone()),
                })
            }),
            NodeKind::Value(Value::Null) => None,
            NodeKind::Value(Value::Unknown(reason)) => {
                return Lookup::Unresolved {
                    reason: reason.clone(),
                    span: self.span.clone(),
                };
            }
            NodeKind::Value(other @ Value::ResourceAttr { .. }) => {
                return Lookup::Unresolved {
                    reason: after_deployment(other),
                    span: self.span.clone(),
                };
            }
            NodeKind::Array(_) | NodeKind::Value(_) => {
                let shown = self.shown();
                return Lookup::Unresolved {
                    reason: format!("is {shown}, not an object"),
                    span: self.span.clone(),
                };
            }
        };
        match found {
            Some(node) if matches!(node.kind, NodeKind::Value(Value::Null)) => Lookup::Missing,
            Some(node) => Lookup::Found(node),
            None => match self.unknown_spread() {
                Some((reason, span)) => Lookup::Unresolved {
                    reason: format!("may be set by what is spread or merged in: {reason}"),
                    span,
                },
                None => Lookup::Missing,
            },
        }
    }

    /// What may set keys an object does not show: a spread (or merge) of something not known.
    fn unknown_spread(&self) -> Option<(String, Span)> {
        match &self.kind {
            NodeKind::Object(entries) => entries.iter().find_map(|(key, node)| match &node.kind {
                NodeKind::Value(Value::Unknown(reason)) if key == SPREAD_KEY => {
                    Some((reason.clone(), node.span.clone()))
                }
                _ => None,
            }),
            NodeKind::Value(Value::Object(map)) => match map.get(SPREAD_KEY) {
                Some(Value::Unknown(reason)) => Some((reason.clone(), self.span.clone())),
                _ => None,
            },
            _ => None,
        }
    }

    /// Every child under `key` (repeated Terraform blocks).
    pub fn get_all(&self, key: &str) -> Vec<Node> {
        match &self.kind {
            NodeKind::Object(entries) => entries
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, node)| node.clone())
                .collect(),
            _ => match self.get(key) {
                Lookup::Found(node) => vec![node.into_owned()],
                _ => Vec::new(),
            },
        }
    }

    /// Follows a dotted path.
    pub fn find(&self, path: &str) -> Lookup<'_> {
        let mut current = Lookup::Found(Cow::Borrowed(self));
        for key in path.split('.') {
            current = match current {
                Lookup::Found(Cow::Borrowed(node)) => node.get(key),
                // A computed child owns its node: what is found in it is owned too.
                Lookup::Found(Cow::Owned(node)) => node.get(key).into_owned(),
                done => return done,
            };
        }
        current
    }

    /// The elements of an array; the reason when the array itself cannot be known.
    pub fn items(&self) -> Result<Vec<Node>, String> {
        match &self.kind {
            NodeKind::Array(items) => Ok(items.clone()),
            NodeKind::Value(Value::List(items)) => Ok(items
                .iter()
                .map(|value| Node {
                    span: self.span.clone(),
                    via: self.via.clone(),
                    kind: NodeKind::Value(value.clone()),
                })
                .collect()),
            NodeKind::Value(Value::Null) => Ok(Vec::new()),
            NodeKind::Value(Value::Unknown(reason)) => Err(reason.clone()),
            _ => Err(format!("is {}, not a list", self.shown())),
        }
    }

    /// The node as a plain value (objects and arrays included).
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Value(value) => value.clone(),
            // Collections never hold a value known in part (see `Value::Partial`).
            NodeKind::Array(items) => {
                Value::List(items.iter().map(|item| item.to_value().demote()).collect())
            }
            NodeKind::Object(entries) => {
                let mut map = std::collections::BTreeMap::new();
                for (key, node) in entries {
                    map.entry(key.clone())
                        .or_insert_with(|| node.to_value().demote());
                }
                Value::Object(map)
            }
        }
    }

    fn shown(&self) -> String {
        self.to_value().shown()
    }
}

/// Reads the values of one resource's body as model attributes.
pub struct BodyReader<'a> {
    pub root: &'a Node,
    /// Where defaulted values point: the resource header.
    pub header: Span,
}

impl BodyReader<'_> {
    /// The value at `path`, converted by `convert`. A missing value takes `default` (shown as
    /// written in the source language) and points at the header; a value of the wrong type is
    /// unresolved with the reason, never coerced silently.
    pub fn read<T>(
        &self,
        path: &str,
        default: Option<(T, String)>,
        expected: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Attr<T> {
        let node = match self.root.find(path) {
            Lookup::Found(node) => node,
            Lookup::Unresolved { reason, span } => return Attr::unresolved(path, span, reason),
            Lookup::Missing => {
                return match default {
                    Some((value, shown)) => Attr::default(path, self.header.clone(), value, shown),
                    None => Attr::unresolved(path, self.header.clone(), "is not set"),
                };
            }
        };
        let value = node.to_value();
        let (span, via) = (node.span.clone(), node.via.clone());
        match (&value, convert(&value)) {
            (_, Some(converted)) => Attr {
                name: path.to_string(),
                span,
                state: AttrState::Explicit {
                    value: converted,
                    shown: match via.as_ref().and_then(|via| via.note.as_deref()) {
                        Some(note) => format!("{} ({note})", value.shown()),
                        None => value.shown(),
                    },
                    via: via.map(Box::new),
                },
            },
            (Value::Unknown(reason), None) => Attr::unresolved(path, span, reason.clone()),
            (Value::Partial(partial), None) => {
                let known = match &partial.known {
                    value::Known::NonEmpty | value::Known::NameOf { .. } => Some(Known::NonEmpty),
                    value::Known::OneOf(values) => values
                        .iter()
                        .map(&convert)
                        .collect::<Option<Vec<T>>>()
                        .map(Known::OneOf),
                };
                match known {
                    Some(known) => Attr::partial(path, span, partial.reason.clone(), known),
                    None => Attr::unresolved(path, span, partial.reason.clone()),
                }
            }
            (attr @ Value::ResourceAttr { .. }, None) => {
                Attr::unresolved(path, span, after_deployment(attr))
            }
            (Value::List(items), None)
                if items
                    .iter()
                    .any(|item| super::partial::unknown_reason(item).is_some()) =>
            {
                Attr::unresolved(path, span, unknown_elements(items))
            }
            (other, None) => Attr::unresolved(
                path,
                span,
                format!("is {}, expected {expected}", other.shown()),
            ),
        }
    }

    pub fn bool(&self, path: &str, default: Option<bool>) -> Attr<bool> {
        self.read(
            path,
            default.map(|b| (b, b.to_string())),
            "a bool",
            |value| match value {
                Value::Bool(b) => Some(*b),
                // Terraform converts the strings "true" and "false" to bool.
                Value::String(s) if s == "true" => Some(true),
                Value::String(s) if s == "false" => Some(false),
                _ => None,
            },
        )
    }

    pub fn string(&self, path: &str, default: Option<&str>) -> Attr<String> {
        let default = default.map(|s| (s.to_string(), format!("{s:?}")));
        self.read(path, default, "a string", |value| match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(_) | Value::Bool(_) => Some(value.shown()),
            _ => None,
        })
    }

    /// A list of strings; empty when missing.
    pub fn string_list(&self, path: &str) -> Attr<Vec<String>> {
        self.strings(path, None)
    }

    /// A location, normalized the way Azure does ("East US 2" -> "eastus2").
    pub fn location(&self, path: &str) -> Attr<String> {
        map_attr(self.string(path, None), |location| {
            crate::model::normalize_region(location)
        })
    }

    /// `"Enabled"`/`"Disabled"` as a bool (true = enabled).
    pub fn enabled(&self, path: &str, default: &str) -> Attr<bool> {
        let default = Some((
            default.eq_ignore_ascii_case("Enabled"),
            format!("{default:?}"),
        ));
        self.read(
            path,
            default,
            "\"Enabled\" or \"Disabled\"",
            |value| match value {
                Value::String(s) if s.eq_ignore_ascii_case("Enabled") => Some(true),
                Value::String(s) if s.eq_ignore_ascii_case("Disabled") => Some(false),
                _ => None,
            },
        )
    }

    /// Whether a nested object (a Terraform block, an ARM property object) is present.
    pub fn present(&self, path: &str) -> Attr<bool> {
        match self.root.find(path) {
            Lookup::Found(node) => match &node.kind {
                NodeKind::Value(Value::Unknown(reason)) => {
                    Attr::unresolved(path, node.span.clone(), reason.clone())
                }
                NodeKind::Value(Value::Partial(partial)) => {
                    Attr::unresolved(path, node.span.clone(), partial.reason.clone())
                }
                _ => Attr::explicit(path, node.span.clone(), true, "present"),
            },
            Lookup::Missing => Attr::default(path, self.header.clone(), false, "absent"),
            Lookup::Unresolved { reason, span } => Attr::unresolved(path, span, reason),
        }
    }

    /// The resource group a resource is in, from its `resource_group_name` (a name, or a
    /// group resource's `name`) or azapi `parent_id` (a group id).
    pub fn resource_group(&self, path: &str) -> Reference {
        let by_name = path.ends_with("_name");
        self.read(path, None, "a resource group", |value| match value {
            Value::String(name) if by_name => Some(crate::model::group_key(name)),
            Value::String(id) => Some(id.clone()),
            // `azurerm_resource_group.rg.name` or `.id` of a group whose name is not known.
            Value::ResourceAttr { key, attr, .. } if attr == "name" || attr == "id" => {
                Some(key.clone())
            }
            _ => None,
        })
    }

    /// Which resource an id-valued property names, as a link key.
    pub fn reference(&self, path: &str) -> Reference {
        self.read(path, None, "a resource id", reference_key)
    }

    /// Which resource any of its attributes names (`x.client_id`, `kv.properties.vaultUri`, a
    /// vault URI, a resource id), as a link key; `default` when missing.
    pub fn resource_of(&self, path: &str, default: Option<&str>) -> Reference {
        let default = default.map(|s| (s.to_string(), "not set".to_string()));
        self.read(path, default, "a resource reference", resource_of)
    }

    /// Link keys of the resources a list of ids names, or the keys of an object keyed by ids
    /// (ARM `userAssignedIdentities`); empty when missing.
    pub fn resource_list(&self, path: &str) -> Attr<Vec<String>> {
        self.read(
            path,
            Some((Vec::new(), "not set".into())),
            "a list of resource ids",
            |value| match value {
                Value::List(items) => items.iter().map(resource_of).collect(),
                Value::Object(map) => Some(
                    map.keys()
                        .map(|key| arm_id_key(key).unwrap_or_else(|| key.clone()))
                        .collect(),
                ),
                _ => None,
            },
        )
    }

    /// Strings of a list whose items are strings or `{ <field>: string }` objects (ARM
    /// `ipRules: [{ value: ... }]`); empty when missing.
    pub fn string_or_field_list(&self, path: &str, field: &str) -> Attr<Vec<String>> {
        self.strings(path, Some(field))
    }

    /// A list of strings, or one string as a list of one; empty when missing.
    pub fn strings_or_one(&self, path: &str) -> Attr<Vec<String>> {
        match self.root.find(path) {
            Lookup::Found(node) if matches!(node.to_value(), Value::String(_)) => {
                map_attr(self.string(path, None), |one| vec![one.clone()])
            }
            _ => self.string_list(path),
        }
    }

    fn strings(&self, path: &str, field: Option<&str>) -> Attr<Vec<String>> {
        self.read(
            path,
            Some((Vec::new(), "[]".into())),
            "a list of strings",
            |value| match value {
                Value::List(items) => items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => Some(s.clone()),
                        Value::Object(map) => match field.and_then(|field| map.get(field)) {
                            Some(Value::String(s)) => Some(s.clone()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect(),
                _ => None,
            },
        )
    }
}

/// The link key of the resource a value belongs to, whatever attribute of it is read.
pub fn resource_of(value: &Value) -> Option<String> {
    match value {
        Value::ResourceAttr { key, .. } => Some(key.clone()),
        Value::String(text) => Some(
            vault_uri_key(text)
                .or_else(|| arm_id_key(text))
                .unwrap_or_else(|| text.clone()),
        ),
        _ => None,
    }
}

/// `https://<name>.vault.azure.net/...` -> the key of the vault named `<name>`.
fn vault_uri_key(uri: &str) -> Option<String> {
    let host = uri.strip_prefix("https://")?.split('/').next()?;
    let (name, domain) = host.split_once('.')?;
    domain
        .starts_with("vault.")
        .then(|| name_key("Microsoft.KeyVault/vaults", name))
}

/// The link key of a value that names a resource: its declaration (`x.id`, or the resource
/// itself as in Bicep `scope: x`), or a literal/computed ARM resource id.
pub fn reference_key(value: &Value) -> Option<String> {
    match value {
        Value::ResourceAttr { key, attr, .. } if attr == "id" || attr.is_empty() => {
            Some(key.clone())
        }
        Value::String(id) => Some(arm_id_key(id).unwrap_or_else(|| id.clone())),
        _ => None,
    }
}

/// `.../providers/Microsoft.CognitiveServices/accounts/name` -> a key that also matches an
/// account declared with that name (see [`name_key`]).
pub fn arm_id_key(id: &str) -> Option<String> {
    // Full ids contain `/providers/`; ARM `scope` values may start at the namespace.
    let provider_part = match id.rsplit_once("/providers/") {
        Some((_, part)) => part,
        None if id.split('/').next().is_some_and(|ns| ns.contains('.')) => id,
        None => return None,
    };
    let segments: Vec<&str> = provider_part.split('/').collect();
    if segments.len() < 3 || segments.len().is_multiple_of(2) {
        return None;
    }
    let namespace = segments[0];
    let types: Vec<&str> = segments[1..].iter().step_by(2).copied().collect();
    let names: Vec<&str> = segments[2..].iter().step_by(2).copied().collect();
    Some(name_key(
        &format!("{namespace}/{}", types.join("/")),
        &names.join("/"),
    ))
}

/// `resourceId([subscriptionId], [resourceGroup], 'Namespace/type[/child]', name[, childName])`
/// -> `/providers/Namespace/type/name[/child/childName]`, the part of an id that names the
/// resource (see [`arm_id_key`]). `skip` drops leading arguments (`extensionResourceId`'s scope).
pub fn resource_id(args: &[&str], skip: usize) -> Value {
    let args = &args[skip.min(args.len())..];
    let Some(type_index) = args
        .iter()
        .position(|arg| arg.contains('/') && arg.contains('.'))
    else {
        return Value::Unknown("calls a resource id function without a resource type".into());
    };
    let mut segments = args[type_index].split('/');
    let namespace = segments.next().unwrap_or_default();
    let types: Vec<&str> = segments.collect();
    let names = &args[type_index + 1..];
    if types.len() != names.len() {
        return Value::Unknown(
            "calls a resource id function whose names do not match its type".into(),
        );
    }
    let mut id = format!("/providers/{namespace}");
    for (t, n) in types.iter().zip(names) {
        id.push_str(&format!("/{t}/{n}"));
    }
    Value::String(id)
}

/// The key under which a resource of `type_name` named `name` is found by id.
pub fn name_key(type_name: &str, name: &str) -> String {
    format!(
        "id:{}/{}",
        type_name.to_ascii_lowercase(),
        name.to_ascii_lowercase()
    )
}

pub fn map_attr<T, U>(attr: Attr<T>, f: impl Fn(&T) -> U) -> Attr<U> {
    let state = match attr.state {
        AttrState::Explicit { value, shown, via } => AttrState::Explicit {
            value: f(&value),
            shown,
            via,
        },
        AttrState::Default { value, shown } => AttrState::Default {
            value: f(&value),
            shown,
        },
        AttrState::Unresolved { reason, known } => AttrState::Unresolved {
            reason,
            known: known.map(|known| match known {
                Known::NonEmpty => Known::NonEmpty,
                Known::OneOf(values) => Known::OneOf(values.iter().map(&f).collect()),
            }),
        },
    };
    Attr {
        name: attr.name,
        span: attr.span,
        state,
    }
}

/// Names an attribute read inside a nested object by its full path.
pub fn prefixed<T>(prefix: &str, mut attr: Attr<T>) -> Attr<T> {
    attr.name = format!("{prefix}.{}", attr.name);
    attr
}

/// Why a list literal whose elements are not all known is not known: its length is, so say so
/// with the first element's reason, not "`[(unknown)]`, expected a list of strings".
fn unknown_elements(items: &[Value]) -> String {
    let unknown: Vec<String> = items
        .iter()
        .filter_map(super::partial::unknown_reason)
        .collect();
    let reason = unknown.first().cloned().unwrap_or_default();
    match (items.len(), unknown.len()) {
        (1, _) => format!("is a list of one element whose value is not known: {reason}"),
        (n, 1) => format!("is a list of {n} elements, one of which is not known: {reason}"),
        (n, m) => format!("is a list of {n} elements, {m} of which are not known: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_ids_and_names_meet_on_one_key() {
        let id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/OAI-1";
        assert_eq!(
            arm_id_key(id).unwrap(),
            name_key("Microsoft.CognitiveServices/accounts", "oai-1")
        );
        let child =
            "/subscriptions/s/providers/Microsoft.CognitiveServices/accounts/a/deployments/d";
        assert_eq!(
            arm_id_key(child).unwrap(),
            "id:microsoft.cognitiveservices/accounts/deployments/a/d"
        );
        assert_eq!(arm_id_key("not an id"), None);
    }
}
