//! Registry modules that deploy an Azure Machine Learning workspace (an AI Foundry hub or
//! project when its kind is one), mapped onto the model from the inputs their caller writes
//! (`workspace_module` in `policies/data-modules.hcl`); and an account module's Defender for AI
//! input.

use super::foundry::{self, DEFAULT_DATASTORE_AUTH, DEFAULT_ISOLATION_MODE};
use super::node::{BodyReader, Lookup, prefixed};
use super::registry_inputs::{Entries, ModuleInput, entries, fixed_by_module, module_endpoint};
use crate::model::{
    Attr, Connection, Declared, DefenderScope, DefenderSetting, Existence, FoundryWorkspace, Model,
    PrivateEndpoint, WorkspaceNetwork,
};
use crate::policy::{AccessForm, WorkspaceModule};

/// The sub-resource of a workspace that its private endpoints reach.
const WORKSPACE_GROUP: &str = "amlworkspace";

/// Adds the hub or project a module deploys, and the private endpoints and connections its
/// inputs ask for; only the connections when its kind is known and neither. `key` is how references to the module's id
/// outputs find it.
pub fn map_workspace(
    module: &WorkspaceModule,
    reader: &BodyReader<'_>,
    declared: Declared,
    key: String,
    model: &mut Model,
) {
    // A workspace of any kind has connections (AOAI017 reads them all, as it does resources).
    model
        .connections
        .extend(connections(module, reader, &declared));
    let kind = reader.string(&module.kind, Some(&module.kind_default));
    if kind.value().is_some_and(|k| !foundry::is_foundry_kind(k)) {
        return;
    }
    let header = declared.header.clone();
    let hub = match reader.root.find(&module.hub) {
        Lookup::Missing => Attr::default(
            module.hub.as_str(),
            header.clone(),
            String::new(),
            "not set",
        ),
        _ => reader.reference(&module.hub),
    };
    let default = module.public_access_default;
    let public_access = match module.public_access_form {
        AccessForm::Bool => reader.bool(&module.public_access, Some(default)),
        AccessForm::Enabled => reader.enabled(
            &module.public_access,
            if default { "Enabled" } else { "Disabled" },
        ),
    };
    let network = &module.managed_network;
    if let Some(endpoint) = private_endpoint(module, reader, &declared, &key) {
        model.private_endpoints.push(endpoint);
    }
    model.workspaces.push(FoundryWorkspace {
        kind,
        link_keys: vec![key],
        hub,
        network: WorkspaceNetwork {
            public_access,
            public_behind_vnet: fixed_by_module(
                "properties.allowPublicAccessWhenBehindVnet",
                &header,
                false,
                "not set",
            ),
            isolation_mode: reader.string(
                &format!("{network}.isolationMode"),
                Some(DEFAULT_ISOLATION_MODE),
            ),
            outbound_rules: foundry::outbound_rules(reader, &format!("{network}.outboundRules")),
        },
        datastore_auth: reader.string(&module.datastore_auth, Some(DEFAULT_DATASTORE_AUTH)),
        existing: false,
        declared,
    });
}

/// The private endpoints (group `amlworkspace`) a module creates on its workspace, as one.
fn private_endpoint(
    module: &WorkspaceModule,
    reader: &BodyReader<'_>,
    declared: &Declared,
    key: &str,
) -> Option<PrivateEndpoint> {
    let input = module.private_endpoints.as_str();
    let (span, existence) = match entries(reader, input)? {
        Entries::Known(items) => (items.first()?.1.span.clone(), declared.existence.clone()),
        Entries::Unknown(span, reason) => (span, Existence::Conditional { reason }),
    };
    let at = ModuleInput {
        name: input,
        span,
        existence,
    };
    let target = "the module's workspace";
    Some(module_endpoint(declared, at, key, target, WORKSPACE_GROUP))
}

/// The connections a module creates on its workspace, one per entry of its input (AOAI017
/// reads them): `category`, `target` and `metadata.ResourceId` as on the resource, the
/// authentication in the entry's connection properties.
fn connections(
    module: &WorkspaceModule,
    reader: &BodyReader<'_>,
    declared: &Declared,
) -> Vec<Connection> {
    let input = module.connections.as_str();
    let Some(Entries::Known(items)) = entries(reader, input) else {
        return Vec::new();
    };
    items
        .into_iter()
        .map(|(index, item)| {
            let entry = BodyReader {
                root: &item,
                header: item.span.clone(),
            };
            let at = format!("{input}[{index}]");
            Connection {
                declared: Declared {
                    address: format!("{}.{at}", declared.address),
                    header: item.span.clone(),
                    extent: declared.extent.clone(),
                    language: declared.language,
                    existence: declared.existence.clone(),
                },
                category: prefixed(&at, entry.string("category", None)),
                auth_type: prefixed(&at, entry.string(&module.connection_auth, None)),
                target: prefixed(
                    &at,
                    super::azure::connection_target(&entry, "metadata.ResourceId", "target"),
                ),
            }
        })
        .collect()
}

/// The Defender for AI setting an account module declares when its input is set.
pub fn account_defender(
    reader: &BodyReader<'_>,
    input: &str,
    account: &Declared,
    key: &str,
) -> Option<DefenderSetting> {
    if reader.root.find(input) == Lookup::Missing {
        return None;
    }
    let enabled = reader.bool(input, None);
    Some(DefenderSetting {
        declared: Declared {
            address: format!("{}.{input}", account.address),
            header: enabled.span.clone(),
            extent: account.extent.clone(),
            language: account.language,
            existence: account.existence.clone(),
        },
        scope: DefenderScope::Account(Attr::explicit(
            input,
            enabled.span.clone(),
            key.to_string(),
            "the module's account",
        )),
        enabled,
    })
}
