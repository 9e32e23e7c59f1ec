//! Reading a registry module's inputs, for every kind of module mapped
//! (`policies/data-modules.hcl`): the entries of a list or map input, a setting the module
//! fixes itself, and the private endpoint an input creates.

use crate::frontend::node::{BodyReader, Lookup, Node, NodeKind};
use crate::frontend::value::Value;
use crate::model::{Attr, Declared, Existence, PrivateEndpoint, PrivateLinkConnection};

pub enum Entries {
    /// (key or index, entry) pairs.
    Known(Vec<(String, Node)>),
    Unknown(crate::source::Span, String),
}

/// The entries of a map or list input; `None` when the input is absent.
pub fn entries(reader: &BodyReader<'_>, input: &str) -> Option<Entries> {
    let node = match reader.root.find(input) {
        Lookup::Missing => return None,
        Lookup::Unresolved { reason, span } => {
            return Some(Entries::Unknown(span, format!("`{input}` {reason}")));
        }
        Lookup::Found(node) => node.into_owned(),
    };
    let entries = match &node.kind {
        NodeKind::Object(entries) => entries.clone(),
        NodeKind::Value(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| (key.clone(), Node::value(value.clone(), node.span.clone())))
            .collect(),
        _ => match node.items() {
            Ok(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| (i.to_string(), item))
                .collect(),
            Err(reason) => {
                let reason = format!("`{input}` {reason}");
                return Some(Entries::Unknown(node.span.clone(), reason));
            }
        },
    };
    Some(Entries::Known(entries))
}

/// A setting the module makes itself, whatever its caller passes: `property` is the account's
/// property it writes (or leaves out).
pub fn fixed_by_module<T>(
    property: &str,
    header: &crate::source::Span,
    value: T,
    shown: &str,
) -> Attr<T> {
    let shown = format!("{shown} in the module, whatever its caller passes");
    Attr::explicit(property, header.clone(), value, shown)
}

/// Where a module input that creates a resource is written, and whether it does.
pub struct ModuleInput<'a> {
    pub name: &'a str,
    pub span: crate::source::Span,
    pub existence: Existence,
}

/// The private endpoint a module creates from `input` on the resource it deploys (linked by
/// `key`, shown as `target`), to the sub-resource `group`.
pub fn module_endpoint(
    declared: &Declared,
    input: ModuleInput<'_>,
    key: &str,
    target: &str,
    group: &str,
) -> PrivateEndpoint {
    let ModuleInput {
        name,
        span,
        existence,
    } = input;
    PrivateEndpoint {
        declared: Declared {
            address: format!("{}.{name}", declared.address),
            header: span.clone(),
            extent: declared.extent.clone(),
            language: declared.language,
            existence,
        },
        connections: vec![PrivateLinkConnection {
            target: Attr::explicit(name, span.clone(), key.to_string(), target),
            group_ids: Attr::explicit(
                name,
                span,
                vec![group.to_string()],
                format!("[\"{group}\"]"),
            ),
        }],
    }
}
