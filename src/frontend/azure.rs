//! Azure resource types as ARM defines them -> the model. The azapi provider (Terraform), Bicep
//! and ARM templates all write the same resource bodies, so they share this mapping. Defaults
//! are the ARM API's (`../shared/reference/schema-facts.md`, section 8).

use super::node::{BodyReader, Lookup, map_attr, prefixed};
use crate::model::{
    AiAccount, Attr, Declared, Model, ModelDeployment, PrivateEndpoint, PrivateLinkConnection,
    Reference, RoleAssignment,
};

pub const ACCOUNT_TYPE: &str = "Microsoft.CognitiveServices/accounts";
pub const DEPLOYMENT_TYPE: &str = "Microsoft.CognitiveServices/accounts/deployments";
pub const PRIVATE_ENDPOINT_TYPE: &str = "Microsoft.Network/privateEndpoints";
pub const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";
/// Account kinds that serve Azure OpenAI models.
pub const ACCOUNT_KINDS: [&str; 2] = ["OpenAI", "AIServices"];

/// The canonical spelling of a resource type (ARM types are case-insensitive).
pub fn canonical_type(type_name: &str) -> Option<&'static str> {
    [
        ACCOUNT_TYPE,
        DEPLOYMENT_TYPE,
        PRIVATE_ENDPOINT_TYPE,
        ROLE_ASSIGNMENT_TYPE,
    ]
    .into_iter()
    .find(|known| known.eq_ignore_ascii_case(type_name))
}

/// An account from its body; `None` when its kind is known and not an Azure OpenAI kind.
/// `body` prefixes the body's paths (`body.` in azapi, empty in Bicep and ARM); `location` is
/// read beside the body in all three.
pub fn account(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    link_keys: Vec<String>,
    existing: bool,
) -> Option<AiAccount> {
    let kind = reader.string(&format!("{body}kind"), None);
    if kind.value().is_some_and(|k| {
        !ACCOUNT_KINDS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(k))
    }) {
        return None;
    }
    let properties = |name: &str| format!("{body}properties.{name}");
    // publicNetworkAccess is Enabled when omitted.
    let public_network_access = reader.enabled(&properties("publicNetworkAccess"), "Enabled");
    // disableLocalAuth is false when omitted, so keys work.
    let local_auth = map_attr(
        reader.bool(&properties("disableLocalAuth"), Some(false)),
        |disabled| !disabled,
    );
    // encryption.keySource defaults to Microsoft.CognitiveServices (platform-managed keys).
    let key_source = reader.string(
        &properties("encryption.keySource"),
        Some("Microsoft.CognitiveServices"),
    );
    let inline_cmk = map_attr(key_source, |source| {
        source.eq_ignore_ascii_case("Microsoft.KeyVault")
    });
    Some(AiAccount {
        kind,
        location: reader.location("location"),
        public_network_access,
        local_auth,
        inline_cmk,
        link_keys,
        existing,
        declared,
    })
}

/// A private endpoint: automatic and manual private link connections alike.
pub fn private_endpoint(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
) -> PrivateEndpoint {
    let mut connections = Vec::new();
    for list in [
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
    ] {
        let path = format!("{body}properties.{list}");
        let items = match reader.root.find(&path) {
            Lookup::Missing => continue,
            Lookup::Found(node) => node.items().map_err(|reason| (reason, node.span.clone())),
            Lookup::Unresolved { reason, span } => Err((reason, span)),
        };
        match items {
            Ok(items) => {
                for item in items {
                    let item_reader = BodyReader {
                        root: &item,
                        header: item.span.clone(),
                    };
                    connections.push(PrivateLinkConnection {
                        target: prefixed(
                            &format!("{path}[]"),
                            item_reader.reference("properties.privateLinkServiceId"),
                        ),
                        group_ids: prefixed(
                            &format!("{path}[]"),
                            item_reader.string_list("properties.groupIds"),
                        ),
                    });
                }
            }
            Err((reason, span)) => connections.push(PrivateLinkConnection {
                target: Attr::unresolved(path.clone(), span.clone(), reason.clone()),
                group_ids: Attr::unresolved(path, span, reason),
            }),
        }
    }
    PrivateEndpoint {
        declared,
        connections,
    }
}

/// A role assignment; `scope` is where the language puts it (Bicep/ARM `scope`, azapi
/// `parent_id`).
pub fn role_assignment(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    scope: Reference,
) -> RoleAssignment {
    RoleAssignment {
        declared,
        scope,
        role: reader.string(&format!("{body}properties.roleDefinitionId"), None),
    }
}

/// The scope of a role assignment that names none: the deployment's own scope (a resource
/// group or subscription), never an account.
pub fn deployment_scope(reader: &BodyReader<'_>, path: &str) -> Reference {
    match reader.root.find(path) {
        Lookup::Missing => Attr::default(
            path,
            reader.header.clone(),
            "(the deployment scope)".to_string(),
            "not set",
        ),
        _ => reader.reference(path),
    }
}

pub fn model_deployment(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    account: Reference,
) -> ModelDeployment {
    ModelDeployment {
        declared,
        account,
        sku: reader.string(&format!("{body}sku.name"), None),
    }
}

/// Adds a Bicep or ARM declaration of `type_name` to the model. `link_keys` are how others find
/// it if it is an account; `parent_account` names the account of a model deployment.
pub fn add_declaration(
    type_name: &str,
    reader: &BodyReader<'_>,
    declared: Declared,
    existing: bool,
    link_keys: Vec<String>,
    parent_account: impl FnOnce() -> Reference,
    model: &mut Model,
) {
    match canonical_type(type_name) {
        Some(ACCOUNT_TYPE) => model
            .accounts
            .extend(account(reader, "", declared, link_keys, existing)),
        // Other resources declared elsewhere are not checked here.
        _ if existing => {}
        Some(DEPLOYMENT_TYPE) => {
            model
                .deployments
                .push(model_deployment(reader, "", declared, parent_account()))
        }
        Some(PRIVATE_ENDPOINT_TYPE) => model
            .private_endpoints
            .push(private_endpoint(reader, "", declared)),
        Some(ROLE_ASSIGNMENT_TYPE) => {
            let scope = deployment_scope(reader, "scope");
            model
                .role_assignments
                .push(role_assignment(reader, "", declared, scope));
        }
        _ => {}
    }
}
