//! Azure resource types as ARM defines them -> the model. The azapi provider (Terraform), Bicep
//! and ARM templates all write the same resource bodies, so they share this mapping. Defaults
//! are the ARM API's (`../shared/reference/schema-facts.md`, section 8).

use super::node::{BodyReader, Lookup, map_attr, prefixed};
use crate::model::{
    AiAccount, ApiVersionUse, Attr, CmkKey, Connection, ContentFilter, Declared, DeployedModel,
    DiagnosticSetting, Identity, KeyVault, KeyVaultKey, Model, ModelDeployment, NetworkAcls,
    Outbound, PrivateEndpoint, PrivateLinkConnection, RaiPolicy, Reference, ResourceGroup,
    RoleAssignment,
};

/// What Azure Monitor lists for an Azure OpenAI or AI Services account (the
/// `azurerm_monitor_diagnostic_categories` data source reads these): its resource log categories,
/// category groups and metrics (Microsoft Learn, "Supported logs for
/// Microsoft.CognitiveServices/accounts").
pub const ACCOUNT_LOG_CATEGORIES: [&str; 4] = [
    "Audit",
    "RequestResponse",
    "Trace",
    "AzureOpenAIRequestUsage",
];
pub const ACCOUNT_LOG_CATEGORY_GROUPS: [&str; 2] = ["allLogs", "audit"];
pub const ACCOUNT_METRICS: [&str; 1] = ["AllMetrics"];

pub const ACCOUNT_TYPE: &str = "Microsoft.CognitiveServices/accounts";
pub const DEPLOYMENT_TYPE: &str = "Microsoft.CognitiveServices/accounts/deployments";
pub const RESOURCE_GROUP_TYPE: &str = "Microsoft.Resources/resourceGroups";
pub const RAI_POLICY_TYPE: &str = "Microsoft.CognitiveServices/accounts/raiPolicies";
/// Connections of AI Foundry accounts, their projects, and hubs (ML workspaces).
pub const CONNECTION_TYPES: [&str; 3] = [
    "Microsoft.CognitiveServices/accounts/connections",
    "Microsoft.CognitiveServices/accounts/projects/connections",
    "Microsoft.MachineLearningServices/workspaces/connections",
];

pub fn is_connection_type(type_name: &str) -> bool {
    CONNECTION_TYPES
        .iter()
        .any(|known| known.eq_ignore_ascii_case(type_name))
}
/// AI Foundry hubs and projects (and other Azure Machine Learning workspaces, not read).
pub const WORKSPACE_TYPE: &str = "Microsoft.MachineLearningServices/workspaces";
pub const OUTBOUND_RULE_TYPE: &str = "Microsoft.MachineLearningServices/workspaces/outboundRules";
/// Microsoft Defender for Cloud plans of a subscription; `AI` is Defender for AI services.
pub const PRICING_TYPE: &str = "Microsoft.Security/pricings";
pub const DEFENDER_SETTINGS_TYPE: &str =
    "Microsoft.CognitiveServices/accounts/defenderForAISettings";
pub const PRIVATE_ENDPOINT_TYPE: &str = "Microsoft.Network/privateEndpoints";
pub const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";
pub const KEY_VAULT_TYPE: &str = "Microsoft.KeyVault/vaults";
pub const KEY_TYPE: &str = "Microsoft.KeyVault/vaults/keys";
pub const DIAGNOSTIC_SETTING_TYPE: &str = "Microsoft.Insights/diagnosticSettings";
/// Every type of this namespace is checked for preview API versions.
pub const COGNITIVE_NAMESPACE: &str = "Microsoft.CognitiveServices/";
/// Account kinds that serve Azure OpenAI models.
pub const ACCOUNT_KINDS: [&str; 2] = ["OpenAI", "AIServices"];

/// The canonical spelling of a resource type (ARM types are case-insensitive).
pub fn canonical_type(type_name: &str) -> Option<&'static str> {
    [
        ACCOUNT_TYPE,
        DEPLOYMENT_TYPE,
        RAI_POLICY_TYPE,
        RESOURCE_GROUP_TYPE,
        CONNECTION_TYPES[0],
        CONNECTION_TYPES[1],
        CONNECTION_TYPES[2],
        PRIVATE_ENDPOINT_TYPE,
        ROLE_ASSIGNMENT_TYPE,
        KEY_VAULT_TYPE,
        KEY_TYPE,
        DIAGNOSTIC_SETTING_TYPE,
        WORKSPACE_TYPE,
        OUTBOUND_RULE_TYPE,
        PRICING_TYPE,
        DEFENDER_SETTINGS_TYPE,
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
    placement: &Placement,
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
    let inline_key = match reader
        .root
        .find(&properties("encryption.keyVaultProperties"))
    {
        Lookup::Missing => None,
        _ => Some(CmkKey {
            key: reader.resource_of(
                &properties("encryption.keyVaultProperties.keyVaultUri"),
                None,
            ),
            identity: reader.resource_of(
                &properties("encryption.keyVaultProperties.identityClientId"),
                Some(""),
            ),
        }),
    };
    Some(AiAccount {
        kind,
        location: reader.location("location"),
        public_network_access,
        local_auth,
        inline_cmk,
        inline_key,
        custom_subdomain: reader.string(&properties("customSubDomainName"), Some("")),
        network_acls: NetworkAcls {
            present: reader.present(&properties("networkAcls")),
            // defaultAction is Allow when omitted (and without ACLs, everything is allowed).
            default_action: reader.string(&properties("networkAcls.defaultAction"), Some("Allow")),
            ip_rules: reader.string_or_field_list(&properties("networkAcls.ipRules"), "value"),
        },
        // Without an identity block the account has none.
        identity: Identity {
            kind: reader.string(&format!("{body}identity.type"), Some("None")),
            user_assigned: reader.resource_list(&format!("{body}identity.userAssignedIdentities")),
        },
        // restrictOutboundNetworkAccess is false when omitted.
        outbound: Outbound {
            restricted: reader.bool(&properties("restrictOutboundNetworkAccess"), Some(false)),
            allowed_fqdns: reader.string_list(&properties("allowedFqdnList")),
        },
        link_keys,
        resource_group: placement.group.clone(),
        existing: placement.existing,
        module_inputs: Vec::new(),
        declared,
    })
}

pub fn key_vault(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    link_keys: Vec<String>,
    existing: bool,
) -> KeyVault {
    let properties = |name: &str| format!("{body}properties.{name}");
    KeyVault {
        // enablePurgeProtection is off when omitted; enableSoftDelete defaults to true.
        purge_protection: reader.bool(&properties("enablePurgeProtection"), Some(false)),
        soft_delete: reader.bool(&properties("enableSoftDelete"), Some(true)),
        link_keys,
        existing,
        declared,
    }
}

/// A diagnostic setting; `target` is where the language puts its resource (Bicep/ARM `scope`,
/// azapi `parent_id`).
pub fn diagnostic_setting(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    target: Reference,
) -> DiagnosticSetting {
    let path = format!("{body}properties.logs");
    let logs = match reader.root.find(&path) {
        Lookup::Missing => Attr::default(&path, reader.header.clone(), Vec::new(), "[]"),
        Lookup::Unresolved { reason, span } => Attr::unresolved(&path, span, reason),
        Lookup::Found(node) => match node.items() {
            Err(reason) => Attr::unresolved(&path, node.span.clone(), reason),
            Ok(items) => enabled_logs(&path, node.span.clone(), &items),
        },
    };
    DiagnosticSetting {
        declared,
        target,
        logs,
    }
}

/// The categories (or groups) of `logs: [{ category|categoryGroup, enabled }]` that are enabled.
fn enabled_logs(
    path: &str,
    span: crate::source::Span,
    items: &[super::node::Node],
) -> Attr<Vec<String>> {
    let mut enabled = Vec::new();
    for item in items {
        match enabled_log(item, ("category", "categoryGroup"), false) {
            Ok(category) => enabled.extend(category),
            Err(reason) => {
                return Attr::unresolved(
                    path,
                    item.span.clone(),
                    format!("has an entry that {reason}"),
                );
            }
        }
    }
    let shown = format!("{enabled:?}");
    Attr::explicit(path, span, enabled, shown)
}

/// The category (or category group) of one log entry when it is enabled; `enabled` is read
/// with `enabled_default` when missing. The reason when either cannot be known.
pub fn enabled_log(
    entry: &super::node::Node,
    (category, group): (&str, &str),
    enabled_default: bool,
) -> Result<Option<String>, String> {
    let reader = BodyReader {
        root: entry,
        header: entry.span.clone(),
    };
    let on = reader.bool("enabled", Some(enabled_default));
    let name = match reader.root.find(category) {
        Lookup::Missing => reader.string(group, None),
        _ => reader.string(category, None),
    };
    match (on.value(), name.value()) {
        (Some(false), _) => Ok(None),
        (Some(true), Some(name)) => Ok(Some(name.clone())),
        _ => Err(on
            .unresolved_reason()
            .or(name.unresolved_reason())
            .unwrap_or("cannot be read")
            .to_string()),
    }
}

/// The API version of a `Microsoft.CognitiveServices/*` declaration, when it is one.
pub fn api_version(
    resource_type: &str,
    version: Attr<String>,
    declared: &Declared,
    model: &mut Model,
) {
    let is_cognitive = resource_type
        .get(..COGNITIVE_NAMESPACE.len())
        .is_some_and(|ns| ns.eq_ignore_ascii_case(COGNITIVE_NAMESPACE));
    if is_cognitive {
        model.api_versions.push(ApiVersionUse {
            declared: declared.clone(),
            resource_type: resource_type.to_string(),
            version,
        });
    }
}

/// A private endpoint: automatic and manual private link connections alike.
pub fn private_endpoint(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
) -> PrivateEndpoint {
    let lists = [
        format!("{body}properties.privateLinkServiceConnections"),
        format!("{body}properties.manualPrivateLinkServiceConnections"),
    ];
    PrivateEndpoint {
        declared,
        connections: listed_connections(
            reader,
            &lists,
            "properties.privateLinkServiceId",
            "properties.groupIds",
        ),
    }
}

/// The private link connections listed by the inputs at `lists` (absent ones list none), each
/// naming its resource at `target` and its group ids at `group_ids`.
fn listed_connections(
    reader: &BodyReader<'_>,
    lists: &[String],
    target: &str,
    group_ids: &str,
) -> Vec<PrivateLinkConnection> {
    let mut connections = Vec::new();
    for path in lists {
        let items = match reader.root.find(path) {
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
                        target: prefixed(&format!("{path}[]"), item_reader.reference(target)),
                        group_ids: prefixed(
                            &format!("{path}[]"),
                            item_reader.string_list(group_ids),
                        ),
                    });
                }
            }
            Err((reason, span)) => connections.push(PrivateLinkConnection {
                target: Attr::unresolved(path.clone(), span.clone(), reason.clone()),
                group_ids: Attr::unresolved(path.clone(), span, reason),
            }),
        }
    }
    connections
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
    let properties = |name: &str| format!("{body}properties.{name}");
    ModelDeployment {
        declared,
        account,
        // A deployment without a SKU is a regional Standard deployment.
        sku: reader.string(&format!("{body}sku.name"), Some("Standard")),
        rai_policy: rai_policy_name(reader, &properties("raiPolicyName")),
        model: deployed_model(reader, &properties("model")),
        version_upgrade: version_upgrade(reader, &properties("versionUpgradeOption")),
    }
}

/// What a deployment that sets no upgrade option does: it moves to each new default version.
pub const DEFAULT_VERSION_UPGRADE: &str = "OnceNewDefaultVersionAvailable";

/// How a deployment's model version is upgraded, read at `path`.
pub fn version_upgrade(reader: &BodyReader<'_>, path: &str) -> Attr<String> {
    reader.string(path, Some(DEFAULT_VERSION_UPGRADE))
}

/// The model a deployment serves, read at `model` (`properties.model`, the `model` block).
pub fn deployed_model(reader: &BodyReader<'_>, model: &str) -> DeployedModel {
    let field = |name: &str| format!("{model}.{name}");
    model_fields(
        reader,
        [&field("format"), &field("name"), &field("version")],
    )
}

/// The model of a deployment whose format, name and version are read at these paths. A version
/// that is not set is empty and points at the object that holds it (the model), or the header:
/// the account's default version.
pub fn model_fields(reader: &BodyReader<'_>, [format, name, version]: [&str; 3]) -> DeployedModel {
    let version = match reader.root.find(version) {
        Lookup::Missing => {
            let holder = version.rsplit_once('.').map(|(holder, _)| holder);
            let at = match holder.map(|holder| reader.root.find(holder)) {
                Some(Lookup::Found(node)) => node.span.clone(),
                _ => reader.header.clone(),
            };
            let shown = "the account's default version of the model, which moves";
            Attr::default(version, at, String::new(), shown)
        }
        _ => reader.string(version, None),
    };
    DeployedModel {
        format: reader.string(format, None),
        name: reader.string(name, None),
        version,
    }
}

/// A connection as ARM writes it; `body` prefixes the body's fields (azapi).
pub fn connection_of(reader: &BodyReader<'_>, body: &str, declared: Declared) -> Connection {
    let field = |name: &str| format!("{body}properties.{name}");
    Connection {
        category: reader.string(&field("category"), None),
        auth_type: reader.string(&field("authType"), None),
        target: connection_target(reader, &field("metadata.ResourceId"), &field("target")),
        declared,
    }
}

/// What a connection connects to: its resource id when written, else its target endpoint.
pub fn connection_target(reader: &BodyReader<'_>, resource_id: &str, target: &str) -> Reference {
    match reader.root.find(resource_id) {
        Lookup::Missing => reader.reference(target),
        _ => reader.reference(resource_id),
    }
}

/// The content filter policy a deployment names; none named, the platform default.
pub fn rai_policy_name(reader: &BodyReader<'_>, path: &str) -> Attr<String> {
    reader.string(path, Some(DEFAULT_RAI_POLICY))
}

/// What a deployment that names no content filter policy uses.
pub const DEFAULT_RAI_POLICY: &str = "Microsoft.DefaultV2";

/// Where a language writes a content filter policy's fields.
pub struct RaiPolicyFields {
    pub name: &'static str,
    pub base_policy: &'static str,
    pub mode: &'static str,
    /// The filter entries: a list of objects, or repeated blocks.
    pub filters: &'static str,
    pub filters_are_blocks: bool,
    pub filter_name: &'static str,
    pub enabled: &'static str,
    pub blocking: &'static str,
    pub severity_threshold: &'static str,
    pub source: &'static str,
}

/// `Microsoft.CognitiveServices/accounts/raiPolicies` in Bicep, ARM and azapi bodies.
pub const RAI_POLICY_PROPERTIES: RaiPolicyFields = RaiPolicyFields {
    name: "name",
    base_policy: "properties.basePolicyName",
    mode: "properties.mode",
    filters: "properties.contentFilters",
    filters_are_blocks: false,
    filter_name: "name",
    enabled: "enabled",
    blocking: "blocking",
    severity_threshold: "severityThreshold",
    source: "source",
};

/// A content filter policy read with `fields`; `body` prefixes the body's fields (azapi).
pub fn rai_policy(
    reader: &BodyReader<'_>,
    body: &str,
    fields: &RaiPolicyFields,
    declared: Declared,
    account: Reference,
) -> RaiPolicy {
    let name = map_attr(reader.string(fields.name, None), |name| {
        // ARM writes a child's name as `account/policy`.
        name.rsplit('/').next().unwrap_or(name).to_string()
    });
    RaiPolicy {
        account,
        name,
        base_policy: reader.string(&format!("{body}{}", fields.base_policy), None),
        mode: reader.string(&format!("{body}{}", fields.mode), Some("Default")),
        filters: content_filters(reader, &format!("{body}{}", fields.filters), fields),
        declared,
    }
}

fn content_filters(
    reader: &BodyReader<'_>,
    path: &str,
    fields: &RaiPolicyFields,
) -> Attr<Vec<ContentFilter>> {
    let items = match reader.root.find(path) {
        Lookup::Missing => return Attr::default(path, reader.header.clone(), Vec::new(), "[]"),
        Lookup::Unresolved { reason, span } => return Attr::unresolved(path, span, reason),
        // Repeated Terraform blocks are found one by one.
        Lookup::Found(node) => match node.items() {
            Ok(items) => items,
            Err(_) if matches!(node.kind, crate::frontend::node::NodeKind::Object(_)) => {
                reader.root.get_all(path)
            }
            Err(reason) => return Attr::unresolved(path, node.span.clone(), reason),
        },
    };
    let span = items
        .first()
        .map_or_else(|| reader.header.clone(), |item| item.span.clone());
    let filters = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let entry = BodyReader {
                root: item,
                header: item.span.clone(),
            };
            // Entries of a list are named by index; repeated blocks by their name.
            let at = match fields.filters_are_blocks {
                true => path.to_string(),
                false => format!("{path}[{i}]"),
            };
            let read = |field: &str| prefixed(&at, entry.string(field, None));
            ContentFilter {
                span: item.span.clone(),
                name: read(fields.filter_name),
                enabled: prefixed(&at, entry.bool(fields.enabled, None)),
                blocking: prefixed(&at, entry.bool(fields.blocking, None)),
                // Not every category has one (prompt shields, protected material).
                severity_threshold: prefixed(
                    &at,
                    entry.string(fields.severity_threshold, Some("")),
                ),
                source: read(fields.source),
            }
        })
        .collect();
    Attr::explicit(path, span, filters, "the listed filters")
}

/// Where a declaration is deployed.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Declared elsewhere and only referenced here (Bicep `existing`).
    pub existing: bool,
    /// The resource group it deploys to (see [`crate::model::AiAccount::resource_group`]).
    pub group: Reference,
    /// What a role assignment without a `scope:` is scoped to: the deployment's resource group
    /// or subscription.
    pub deployment_scope: Reference,
}

/// Adds a Bicep or ARM declaration of `type_name` to the model. `link_keys` are how others find
/// it if it is an account or a vault; `parent` names the account of a model deployment or the
/// vault of a key.
pub fn add_declaration(
    type_name: &str,
    reader: &BodyReader<'_>,
    declared: Declared,
    placement: &Placement,
    link_keys: Vec<String>,
    parent: impl FnOnce() -> Reference,
    model: &mut Model,
) {
    let existing = placement.existing;
    match canonical_type(type_name) {
        Some(ACCOUNT_TYPE) => model
            .accounts
            .extend(account(reader, "", declared, link_keys, placement).map(Box::new)),
        Some(RESOURCE_GROUP_TYPE) => model.resource_groups.push(ResourceGroup {
            link_keys,
            name: reader.string("name", None),
        }),
        Some(KEY_VAULT_TYPE) => model
            .key_vaults
            .push(key_vault(reader, "", declared, link_keys, existing)),
        Some(KEY_TYPE) => model.key_vault_keys.push(KeyVaultKey {
            declared,
            link_keys,
            vault: parent(),
        }),
        Some(WORKSPACE_TYPE) => model.workspaces.extend(super::foundry::workspace(
            reader, "", declared, link_keys, existing,
        )),
        // Other resources declared elsewhere are not checked here.
        _ if existing => {}
        Some(OUTBOUND_RULE_TYPE) => model.outbound_rules.push(super::foundry::outbound_rule(
            reader,
            "",
            declared,
            parent(),
        )),
        Some(PRICING_TYPE) => model
            .defender_settings
            .push(super::foundry::pricing(reader, "", declared)),
        Some(DEFENDER_SETTINGS_TYPE) => {
            model
                .defender_settings
                .push(super::foundry::account_defender(
                    reader,
                    "",
                    declared,
                    parent(),
                ))
        }
        Some(DEPLOYMENT_TYPE) => {
            model
                .deployments
                .push(model_deployment(reader, "", declared, parent()))
        }
        Some(connection) if is_connection_type(connection) => {
            model.connections.push(connection_of(reader, "", declared));
        }
        Some(RAI_POLICY_TYPE) => model.rai_policies.push(rai_policy(
            reader,
            "",
            &RAI_POLICY_PROPERTIES,
            declared,
            parent(),
        )),
        Some(DIAGNOSTIC_SETTING_TYPE) => {
            let target = deployment_scope(reader, "scope");
            model
                .diagnostic_settings
                .push(diagnostic_setting(reader, "", declared, target));
        }
        Some(PRIVATE_ENDPOINT_TYPE) => model
            .private_endpoints
            .push(private_endpoint(reader, "", declared)),
        Some(ROLE_ASSIGNMENT_TYPE) => {
            let scope = match reader.root.find("scope") {
                Lookup::Missing => placement.deployment_scope.clone(),
                _ => reader.reference("scope"),
            };
            model
                .role_assignments
                .push(role_assignment(reader, "", declared, scope));
        }
        _ => {}
    }
}
