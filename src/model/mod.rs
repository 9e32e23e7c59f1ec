//! The normalized resource model: what every front-end produces and the only thing rules read.
//!
//! Values follow trivy's adapters: each carries the span it came from and whether it was written
//! by the user, filled in with the platform default, or could not be determined statically.

mod approved_model;
mod attr;
mod region;

pub use approved_model::ApprovedModel;
pub use attr::{Attr, AttrState, Known, Via, negated};
pub use region::{DataResidency, approved_region, normalize_region};

use crate::source::Span;

/// The IaC language a resource was declared in; chooses the remediation text shown to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Terraform,
    Bicep,
    Arm,
}

/// Whether a declared resource is really created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existence {
    Always,
    /// `count`/`for_each` (or a condition) that cannot be evaluated statically.
    Conditional {
        reason: String,
    },
}

/// Where and how a resource is declared.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// Terraform address (`azurerm_cognitive_account.main`), Bicep symbolic name, or ARM name.
    pub address: String,
    /// The resource header (`resource "type" "name"`): where findings about missing
    /// attributes point.
    pub header: Span,
    /// The whole declaration (block, statement, JSON object): a suppression comment inside it
    /// applies to the resource.
    pub extent: Span,
    pub language: Language,
    pub existence: Existence,
}

/// An Azure OpenAI capable Cognitive Services account (kind `OpenAI` or `AIServices`).
#[derive(Debug, Clone, PartialEq)]
pub struct AiAccount {
    pub declared: Declared,
    pub kind: Attr<String>,
    pub location: Attr<String>,
    /// True when public network access is enabled.
    pub public_network_access: Attr<bool>,
    /// True when local (key) authentication is enabled.
    pub local_auth: Attr<bool>,
    /// True when encryption uses a customer-managed Key Vault key declared on the account itself.
    pub inline_cmk: Attr<bool>,
    /// The key of an inline customer-managed key, when one is written.
    pub inline_key: Option<CmkKey>,
    /// `customSubDomainName`: the account's own DNS name, empty when not set.
    pub custom_subdomain: Attr<String>,
    pub network_acls: NetworkAcls,
    pub identity: Identity,
    pub outbound: Outbound,
    /// Keys by which other resources refer to this account (see [`Reference`]).
    pub link_keys: Vec<String>,
    /// The resource group that holds it, as a reference (a group key, an ARM id, a group
    /// resource): a role assigned on the group reaches the account.
    pub resource_group: Reference,
    /// Declared elsewhere and only referenced here (Bicep `existing`): a link target for
    /// role assignments and endpoints, but its settings are not checked here.
    pub existing: bool,
    /// When a registry module deploys the account, the module input that sets each setting:
    /// a fix goes there, not on a resource the user does not write.
    pub module_inputs: Vec<(Setting, String)>,
}

/// An account setting a registry module exposes as an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Location,
    PublicAccess,
    PrivateEndpoints,
    CustomerManagedKey,
    LocalAuth,
    NetworkAcls,
    CustomSubdomain,
    Identity,
    Outbound,
    DiagnosticSettings,
}

/// The account's network rules for public traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAcls {
    /// Whether network ACLs are written at all.
    pub present: Attr<bool>,
    /// `Allow` or `Deny`; `Allow` when no ACLs are written.
    pub default_action: Attr<String>,
    /// Allowed IP addresses and CIDR ranges.
    pub ip_rules: Attr<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// `None`, `SystemAssigned`, `UserAssigned` or `SystemAssigned, UserAssigned`.
    pub kind: Attr<String>,
    /// Link keys of the attached user-assigned identities.
    pub user_assigned: Attr<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    /// True when outbound network access is restricted to the allow-list.
    pub restricted: Attr<bool>,
    pub allowed_fqdns: Attr<Vec<String>>,
}

/// The Key Vault key a customer-managed key names, and the identity that reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct CmkKey {
    /// The key (Terraform `key_vault_key_id`) or the vault holding it (`keyVaultUri`).
    pub key: Reference,
    /// The user-assigned identity whose client id reads the key; defaulted to empty when not
    /// written (the account's only identity is used).
    pub identity: Reference,
}

/// A value that names another resource: how a private endpoint, role assignment, CMK binding or
/// model deployment says which account it belongs to.
pub type Reference = Attr<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct PrivateEndpoint {
    pub declared: Declared,
    pub connections: Vec<PrivateLinkConnection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrivateLinkConnection {
    pub target: Reference,
    /// Sub-resources (group ids) the connection reaches; an account needs `account`.
    pub group_ids: Attr<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoleAssignment {
    pub declared: Declared,
    pub scope: Reference,
    /// The role as written: a role name or a role definition id/GUID.
    pub role: Attr<String>,
}

/// A customer-managed key bound to an account by a separate resource.
#[derive(Debug, Clone, PartialEq)]
pub struct CmkBinding {
    pub declared: Declared,
    pub account: Reference,
    pub key: CmkKey,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyVault {
    pub declared: Declared,
    pub link_keys: Vec<String>,
    pub purge_protection: Attr<bool>,
    pub soft_delete: Attr<bool>,
    /// Declared elsewhere (Bicep `existing`, Terraform `data`): its settings are not known here.
    pub existing: bool,
}

/// A key in a vault (`azurerm_key_vault_key`, `Microsoft.KeyVault/vaults/keys`).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyVaultKey {
    pub declared: Declared,
    pub link_keys: Vec<String>,
    pub vault: Reference,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticSetting {
    pub declared: Declared,
    pub target: Reference,
    /// The enabled log categories and category groups.
    pub logs: Attr<Vec<String>>,
}

/// A `Microsoft.CognitiveServices/*` resource with the API version it is declared with.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiVersionUse {
    pub declared: Declared,
    pub resource_type: String,
    pub version: Attr<String>,
}

/// An account key (`primary_access_key`, `listKeys()`) written somewhere it is readable: an
/// output, an app setting, an environment variable, a parameter that is not secure.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyExposure {
    /// The output, resource or module call that receives the key.
    pub declared: Declared,
    /// Where the key is used.
    pub span: Span,
    /// What receives it ("output `key`", "app setting `OPENAI_KEY`").
    pub sink: String,
    /// The key as read (`azurerm_cognitive_account.openai.primary_access_key`).
    pub source: String,
    /// The names it went through on the way, in order (`local.key`), with where each is.
    pub path: Vec<(String, Span)>,
    /// Why the receiving end may protect the key after all (a parameter of a user-defined type
    /// whose properties may be secure): the exposure is then only possible.
    pub unknown: Option<String>,
    /// The address of the account whose key it is, when this deployment declares it: the key
    /// is an Azure OpenAI key only where that account is one (a module may be called for an
    /// OpenAI account and for a Form Recognizer one).
    pub account: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelDeployment {
    pub declared: Declared,
    pub account: Reference,
    pub sku: Attr<String>,
    /// The content filter policy it uses; not set, the platform default.
    pub rai_policy: Attr<String>,
    /// The model it serves (AOAI018, AOAI019).
    pub model: DeployedModel,
    /// `versionUpgradeOption`: `OnceNewDefaultVersionAvailable` when not set.
    pub version_upgrade: Attr<String>,
}

/// The model of a deployment: `properties.model` in ARM bodies, the `model` block in Terraform.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployedModel {
    /// Who serves it: `OpenAI`, or another provider of Foundry models.
    pub format: Attr<String>,
    pub name: Attr<String>,
    /// Empty when not set: the account then deploys its default version of the model, which
    /// moves as new versions become the default.
    pub version: Attr<String>,
}

/// A resource group declared in the scope (Terraform `azurerm_resource_group` and its data
/// source, Bicep `Microsoft.Resources/resourceGroups`): how role scopes name it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceGroup {
    pub link_keys: Vec<String>,
    pub name: Attr<String>,
}

/// The key of the resource group named `name`.
pub fn group_key(name: &str) -> String {
    format!("group:{}", name.to_ascii_lowercase())
}

/// The resource group a Bicep or ARM deployment deploys to: where resources without a
/// `scope:` go, and what a role assignment without one is scoped to.
pub const DEPLOYMENT_GROUP: &str = "group:(the deployment's resource group)";
/// The subscription a deployment (or the Terraform provider) deploys to.
pub const DEPLOYMENT_SUBSCRIPTION: &str = "subscription:(the deployment's subscription)";

/// A connection of an AI Foundry account, project or hub to another service.
#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub declared: Declared,
    /// What it connects to (`AzureOpenAI`, `AIServices`, `CognitiveSearch`, ...).
    pub category: Attr<String>,
    /// How it authenticates (`ApiKey`, `AAD`, `ManagedIdentity`, ...).
    pub auth_type: Attr<String>,
    /// The resource it connects to: `metadata.ResourceId`, else `target`.
    pub target: Reference,
}

/// An AI Foundry hub or hub-based project: a `Microsoft.MachineLearningServices/workspaces` of
/// kind `Hub` or `Project` (`azurerm_ai_foundry`, `azurerm_ai_foundry_project`). The hub holds
/// the connections to the account and the network its projects share.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundryWorkspace {
    pub declared: Declared,
    /// `Hub` or `Project`; unresolved when computed from what is not known.
    pub kind: Attr<String>,
    /// Keys by which projects, private endpoints and outbound rules refer to it.
    pub link_keys: Vec<String>,
    /// A project's hub (`properties.hubResourceId`, `ai_services_hub_id`); not set for a hub.
    pub hub: Reference,
    pub network: WorkspaceNetwork,
    /// `systemDatastoresAuthMode`: how the hub reaches its storage (`accessKey` or `identity`).
    pub datastore_auth: Attr<String>,
    /// Declared elsewhere and only referenced here (Bicep `existing`).
    pub existing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceNetwork {
    /// True when public network access is enabled.
    pub public_access: Attr<bool>,
    /// `allowPublicAccessWhenBehindVnet`: public access allowed behind a virtual network all the same.
    pub public_behind_vnet: Attr<bool>,
    /// `managedNetwork.isolationMode`: `Disabled`, `AllowInternetOutbound` or
    /// `AllowOnlyApprovedOutbound`.
    pub isolation_mode: Attr<String>,
    /// The managed network's outbound rules written on the workspace, each `name: destination`.
    pub outbound_rules: Attr<Vec<String>>,
}

/// An outbound rule of a workspace's managed network declared on its own
/// (`workspaces/outboundRules`, `azurerm_machine_learning_workspace_network_outbound_rule_*`).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceOutboundRule {
    pub declared: Declared,
    pub workspace: Reference,
    /// Where it lets traffic go: an FQDN, a service tag, a resource id.
    pub destination: Attr<String>,
}

/// A later write of a workspace's datastore authentication (`azapi_update_resource`): how a
/// Terraform configuration sets what `azurerm_ai_foundry` has no argument for.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspacePatch {
    pub declared: Declared,
    pub workspace: Reference,
    pub datastore_auth: Attr<String>,
}

/// A Microsoft Defender for AI switch: the subscription's plan (`Microsoft.Security/pricings`,
/// `azurerm_security_center_subscription_pricing`) or one account's own setting
/// (`accounts/defenderForAISettings`).
#[derive(Debug, Clone, PartialEq)]
pub struct DefenderSetting {
    pub declared: Declared,
    pub scope: DefenderScope,
    /// True when threat protection is on (`pricingTier` `Standard`, `state` `Enabled`).
    pub enabled: Attr<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefenderScope {
    /// A subscription plan, by its name (`AI` is Defender for AI services).
    Plan(Attr<String>),
    /// The account it is declared on.
    Account(Reference),
}

/// A content filter policy (`raiPolicies`) of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct RaiPolicy {
    pub declared: Declared,
    pub account: Reference,
    pub name: Attr<String>,
    /// The policy it starts from: filters it does not list keep the base's settings.
    pub base_policy: Attr<String>,
    pub mode: Attr<String>,
    pub filters: Attr<Vec<ContentFilter>>,
}

/// One entry of a content filter policy: a category on prompts or completions.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentFilter {
    /// The entry as written.
    pub span: Span,
    pub name: Attr<String>,
    pub enabled: Attr<bool>,
    pub blocking: Attr<bool>,
    pub severity_threshold: Attr<String>,
    pub source: Attr<String>,
}

/// A `module` call whose content is not read: a remote source that is not downloaded (and not
/// one of the recognized registry modules), a cycle, a missing directory.
#[derive(Debug, Clone, PartialEq)]
pub struct UnfollowedModule {
    pub declared: Declared,
    pub source: String,
    pub reason: String,
    /// Link keys of the resources its arguments refer to: an account passed to a module that
    /// is not followed may get its private endpoint there.
    pub receives: Vec<String>,
}

/// Everything one scope (a Terraform module directory) declares.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Model {
    /// Boxed: an account is near two kilobytes, and a huge file has a hundred thousand of them.
    pub accounts: Vec<Box<AiAccount>>,
    pub private_endpoints: Vec<PrivateEndpoint>,
    pub role_assignments: Vec<RoleAssignment>,
    pub cmk_bindings: Vec<CmkBinding>,
    pub deployments: Vec<ModelDeployment>,
    pub rai_policies: Vec<RaiPolicy>,
    pub connections: Vec<Connection>,
    pub resource_groups: Vec<ResourceGroup>,
    pub unfollowed_modules: Vec<UnfollowedModule>,
    pub key_vaults: Vec<KeyVault>,
    pub key_vault_keys: Vec<KeyVaultKey>,
    pub diagnostic_settings: Vec<DiagnosticSetting>,
    pub api_versions: Vec<ApiVersionUse>,
    pub key_exposures: Vec<KeyExposure>,
    pub workspaces: Vec<FoundryWorkspace>,
    pub outbound_rules: Vec<WorkspaceOutboundRule>,
    pub workspace_patches: Vec<WorkspacePatch>,
    pub defender_settings: Vec<DefenderSetting>,
    /// Deployments to a subscription (a Bicep or ARM template whose target is one, a Terraform
    /// root that configures the azurerm provider), at what names it: where a subscription plan
    /// would be declared.
    pub subscription_deployments: Vec<Declared>,
}

impl Model {
    pub fn extend(&mut self, other: Model) {
        append(&mut self.accounts, other.accounts);
        append(&mut self.private_endpoints, other.private_endpoints);
        append(&mut self.role_assignments, other.role_assignments);
        append(&mut self.cmk_bindings, other.cmk_bindings);
        append(&mut self.deployments, other.deployments);
        append(&mut self.rai_policies, other.rai_policies);
        append(&mut self.connections, other.connections);
        append(&mut self.resource_groups, other.resource_groups);
        append(&mut self.unfollowed_modules, other.unfollowed_modules);
        append(&mut self.key_vaults, other.key_vaults);
        append(&mut self.key_vault_keys, other.key_vault_keys);
        append(&mut self.diagnostic_settings, other.diagnostic_settings);
        append(&mut self.api_versions, other.api_versions);
        append(&mut self.key_exposures, other.key_exposures);
        append(&mut self.workspaces, other.workspaces);
        append(&mut self.outbound_rules, other.outbound_rules);
        append(&mut self.workspace_patches, other.workspace_patches);
        append(&mut self.defender_settings, other.defender_settings);
        append(
            &mut self.subscription_deployments,
            other.subscription_deployments,
        );
    }

    /// Every declaration, to adjust them all at once (instance keys of `count`/`for_each`).
    pub fn declarations_mut(&mut self) -> impl Iterator<Item = &mut Declared> {
        let accounts = self.accounts.iter_mut().map(|r| &mut r.declared);
        let endpoints = self.private_endpoints.iter_mut().map(|r| &mut r.declared);
        let roles = self.role_assignments.iter_mut().map(|r| &mut r.declared);
        let bindings = self.cmk_bindings.iter_mut().map(|r| &mut r.declared);
        let deployments = self.deployments.iter_mut().map(|r| &mut r.declared);
        let policies = self.rai_policies.iter_mut().map(|r| &mut r.declared);
        let connections = self.connections.iter_mut().map(|r| &mut r.declared);
        let modules = self.unfollowed_modules.iter_mut().map(|r| &mut r.declared);
        let vaults = self.key_vaults.iter_mut().map(|r| &mut r.declared);
        let keys = self.key_vault_keys.iter_mut().map(|r| &mut r.declared);
        let diagnostics = self.diagnostic_settings.iter_mut().map(|r| &mut r.declared);
        let versions = self.api_versions.iter_mut().map(|r| &mut r.declared);
        let exposures = self.key_exposures.iter_mut().map(|r| &mut r.declared);
        let workspaces = self.workspaces.iter_mut().map(|r| &mut r.declared);
        let rules = self.outbound_rules.iter_mut().map(|r| &mut r.declared);
        let patches = self.workspace_patches.iter_mut().map(|r| &mut r.declared);
        let defender = self.defender_settings.iter_mut().map(|r| &mut r.declared);
        let subscriptions = self.subscription_deployments.iter_mut();
        accounts
            .chain(endpoints)
            .chain(roles)
            .chain(bindings)
            .chain(deployments)
            .chain(policies)
            .chain(connections)
            .chain(modules)
            .chain(vaults)
            .chain(keys)
            .chain(diagnostics)
            .chain(versions)
            .chain(exposures)
            .chain(workspaces)
            .chain(rules)
            .chain(patches)
            .chain(defender)
            .chain(subscriptions)
    }

    /// The models of a looped declaration's instances (`count`, `for_each`, a Bicep `for`),
    /// each with its index or key (`[1]`, `["weu"]`): checked once, under the declaration's
    /// name, when no check can tell them apart; else each under its own.
    pub fn from_instances(mut instances: Vec<(String, Model)>) -> Model {
        if instances.is_empty() {
            return Model::default();
        }
        if Model::checked_alike(&instances) {
            let merged = |keys_of: fn(&Model) -> Vec<String>| {
                let mut keys: Vec<String> =
                    instances.iter().flat_map(|(_, m)| keys_of(m)).collect();
                keys.sort();
                keys.dedup();
                keys
            };
            let account_keys = merged(|m| {
                m.accounts
                    .iter()
                    .flat_map(|a| a.link_keys.clone())
                    .collect()
            });
            let workspace_keys = merged(|m| {
                m.workspaces
                    .iter()
                    .flat_map(|w| w.link_keys.clone())
                    .collect()
            });
            let mut model = instances.swap_remove(0).1;
            model
                .accounts
                .iter_mut()
                .for_each(|a| a.link_keys = account_keys.clone());
            model
                .workspaces
                .iter_mut()
                .for_each(|w| w.link_keys = workspace_keys.clone());
            return model;
        }
        let mut all = Model::default();
        for (suffix, mut model) in instances {
            for declared in model.declarations_mut() {
                declared.address.push_str(&suffix);
            }
            all.extend(model);
        }
        all
    }

    /// Whether the instances are checked alike: the same model as the rules see it.
    pub fn checked_alike(instances: &[(String, Model)]) -> bool {
        let Some((_, first)) = instances.first() else {
            return true;
        };
        let first = first.as_checked();
        instances
            .iter()
            .all(|(_, model)| model.as_checked() == first)
    }

    /// The model as the rules see it: names differ per instance (`"oai-${count.index}"`)
    /// without changing a check, and a subdomain is only checked for being set.
    fn as_checked(&self) -> Model {
        let mut model = self.clone();
        for workspace in &mut model.workspaces {
            workspace.link_keys.clear();
        }
        for account in &mut model.accounts {
            account.link_keys.clear();
            let subdomain = &mut account.custom_subdomain.state;
            if let AttrState::Explicit { value, shown, .. } | AttrState::Default { value, shown } =
                subdomain
                && !value.trim().is_empty()
            {
                *value = "(set)".into();
                *shown = "(set)".into();
            }
        }
        model
    }

    pub fn resource_count(&self) -> usize {
        self.accounts.len()
            + self.private_endpoints.len()
            + self.role_assignments.len()
            + self.cmk_bindings.len()
            + self.deployments.len()
            + self.rai_policies.len()
            + self.connections.len()
            + self.key_vaults.len()
            + self.key_vault_keys.len()
            + self.diagnostic_settings.len()
            + self.workspaces.len()
            + self.outbound_rules.len()
            + self.workspace_patches.len()
            + self.defender_settings.len()
    }
}

/// `items` after `target`'s own; into an empty `target` the vector is moved, not copied (a huge
/// file's accounts are hundreds of megabytes).
fn append<T>(target: &mut Vec<T>, items: Vec<T>) {
    if target.is_empty() {
        *target = items;
    } else {
        target.extend(items);
    }
}
