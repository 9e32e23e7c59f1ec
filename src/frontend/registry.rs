//! Registry modules that deploy an account (the Azure Verified Modules for Cognitive Services):
//! not downloaded, but recognized by source and mapped onto the model from the inputs their
//! caller writes, with the defaults in `policies/data-modules.hcl`. Shared by Terraform `module`
//! blocks and Bicep `module` declarations.

use crate::frontend::node::{BodyReader, Lookup, Node, NodeKind, map_attr};
use crate::frontend::value::Value;
use crate::model::{
    AiAccount, Attr, Declared, Existence, Identity, Model, NetworkAcls, Outbound, PrivateEndpoint,
    PrivateLinkConnection, RoleAssignment,
};
use crate::policy::{AccessForm, RegistryModule};

/// Adds the account a registry module deploys, and the private endpoints and role assignments
/// its inputs ask for. `reader` reads the module's inputs; `key` is how references to the
/// module's id outputs find the account.
pub fn map_module(
    module: &RegistryModule,
    reader: &BodyReader<'_>,
    declared: Declared,
    key: String,
    model: &mut Model,
) {
    let header = declared.header.clone();
    let kind = match (&module.kind_fixed, &module.kind) {
        (Some(fixed), _) => {
            Attr::default("kind", header.clone(), fixed.clone(), format!("{fixed:?}"))
        }
        (None, Some(input)) => reader.string(input, None),
        (None, None) => Attr::unresolved("kind", header.clone(), "is not an input of the module"),
    };
    let location = match reader.root.find(&module.location) {
        Lookup::Missing => Attr::unresolved(
            module.location.as_str(),
            header.clone(),
            "is not set: the module then uses the resource group's location, known only at deployment",
        ),
        _ => reader.location(&module.location),
    };
    let public_access_default = match &module.public_access_default_with {
        Some(input) if reader.present(input).value() == Some(&true) => true,
        _ => module.public_access_default,
    };
    let public_network_access = match module.public_access_form {
        AccessForm::Bool => reader.bool(&module.public_access, Some(public_access_default)),
        AccessForm::Enabled => reader.enabled(
            &module.public_access,
            if public_access_default {
                "Enabled"
            } else {
                "Disabled"
            },
        ),
    };
    let local_auth = if module.local_auth_inverted {
        let disabled = reader.bool(&module.local_auth, Some(!module.local_auth_default));
        map_attr(disabled, |disabled| !disabled)
    } else {
        reader.bool(&module.local_auth, Some(module.local_auth_default))
    };
    let account = AiAccount {
        kind,
        location,
        public_network_access,
        local_auth,
        inline_cmk: reader.present(&module.customer_managed_key),
        inline_key: None,
        custom_subdomain: not_mapped("custom subdomain", &header),
        network_acls: NetworkAcls {
            present: not_mapped("network ACLs", &header),
            default_action: not_mapped("network ACLs", &header),
            ip_rules: not_mapped("network ACLs", &header),
        },
        identity: Identity {
            kind: not_mapped("managed identity", &header),
            user_assigned: not_mapped("managed identity", &header),
        },
        outbound: Outbound {
            restricted: not_mapped("outbound network access", &header),
            allowed_fqdns: not_mapped("outbound network access", &header),
        },
        link_keys: vec![key.clone()],
        existing: false,
        declared: declared.clone(),
    };
    model.accounts.push(account);

    if let Some(endpoints) = entries(reader, &module.private_endpoints) {
        let (span, existence) = match endpoints {
            Entries::Known(items) if items.is_empty() => (None, None),
            Entries::Known(items) => (
                Some(items[0].1.span.clone()),
                Some(declared.existence.clone()),
            ),
            Entries::Unknown(span, reason) => (Some(span), Some(Existence::Conditional { reason })),
        };
        if let (Some(span), Some(existence)) = (span, existence) {
            let input = module.private_endpoints.as_str();
            model.private_endpoints.push(PrivateEndpoint {
                declared: Declared {
                    address: format!("{}.{input}", declared.address),
                    header: span.clone(),
                    extent: declared.extent.clone(),
                    language: declared.language,
                    existence,
                },
                connections: vec![PrivateLinkConnection {
                    target: Attr::explicit(
                        input,
                        span.clone(),
                        key.clone(),
                        "the module's account",
                    ),
                    group_ids: Attr::explicit(
                        input,
                        span,
                        vec!["account".to_string()],
                        "[\"account\"]",
                    ),
                }],
            });
        }
    }

    let (Some(input), Some(role_key)) = (&module.role_assignments, &module.role_key) else {
        return;
    };
    if let Some(Entries::Known(items)) = entries(reader, input) {
        for (name, item) in items {
            let item_reader = BodyReader {
                root: &item,
                header: item.span.clone(),
            };
            model.role_assignments.push(RoleAssignment {
                declared: Declared {
                    address: format!("{}.{input}[{name}]", declared.address),
                    header: item.span.clone(),
                    extent: declared.extent.clone(),
                    language: declared.language,
                    existence: declared.existence.clone(),
                },
                scope: Attr::explicit(
                    input.as_str(),
                    item.span.clone(),
                    key.clone(),
                    "the module's account",
                ),
                role: item_reader.string(role_key, None),
            });
        }
    }
}

enum Entries {
    /// (key or index, entry) pairs.
    Known(Vec<(String, Node)>),
    Unknown(crate::source::Span, String),
}

/// The entries of a map or list input; `None` when the input is absent.
fn entries(reader: &BodyReader<'_>, input: &str) -> Option<Entries> {
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

/// A setting the module's data does not map: unknown, never guessed.
fn not_mapped<T>(name: &str, header: &crate::source::Span) -> Attr<T> {
    Attr::unresolved(
        name,
        header.clone(),
        "is set inside the registry module, whose inputs for it are not mapped yet",
    )
}
