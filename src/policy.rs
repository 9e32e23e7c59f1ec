//! Rule metadata and domain data, read from the `policies/` files embedded at build time.
//!
//! One `AOAInnn-<name>.hcl` per rule feeds `explain`, `rules`, the help of every finding and
//! (later) SARIF; `data-*.hcl` files hold facts that change over time (regions, roles).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::finding::{Level, Outcome};

include!(concat!(env!("OUT_DIR"), "/policies.rs"));

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub title: String,
    pub severity: Level,
    pub category: String,
    pub summary: String,
    pub rationale: String,
    pub remediation: Remediation,
    pub references: References,
    /// Reported by the engine itself (suppression problems), not by a rule over the model.
    #[serde(default)]
    pub engine: bool,
    /// Every finding is an unknown that says what was not checked (AOAI900), and the
    /// remediation says how to check it: unknowns take it as it is.
    #[serde(default)]
    pub unknown_only: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub terraform: String,
    pub bicep: String,
    pub arm: String,
    /// The help of an unknown in Terraform, Bicep and ARM: decide first, then fix. Built from
    /// the above.
    #[serde(skip)]
    pub when_unknown: [String; 3],
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct References {
    /// Microsoft Learn page.
    pub learn: String,
    /// Matching Azure Policy built-in definition GUIDs, where they exist (each one listed in
    /// `policies/data-azure-policy.hcl`).
    #[serde(default)]
    pub azure_policy: Vec<String>,
    #[serde(default)]
    pub checkov: Vec<String>,
    #[serde(default)]
    pub psrule: Vec<String>,
}

impl Policy {
    pub fn remediation_for(&self, language: crate::model::Language) -> &str {
        let Remediation {
            terraform,
            bicep,
            arm,
            ..
        } = &self.remediation;
        in_language(language, [terraform, bicep, arm])
    }

    /// A finding's help: the remediation of a fail. An unknown's help says to decide first,
    /// so that it does not tell to set what may be set already.
    pub fn help_for(&self, language: crate::model::Language, outcome: Outcome) -> &str {
        match outcome {
            Outcome::Unknown if !self.unknown_only => {
                in_language(language, self.remediation.when_unknown.each_ref())
            }
            _ => self.remediation_for(language),
        }
    }
}

/// The text for `language` of texts in Terraform, Bicep and ARM.
fn in_language(language: crate::model::Language, [terraform, bicep, arm]: [&String; 3]) -> &str {
    match language {
        crate::model::Language::Terraform => terraform,
        crate::model::Language::Bicep => bicep,
        crate::model::Language::Arm => arm,
    }
}

impl Remediation {
    fn build_when_unknown(&mut self) {
        let decide = "Make the deciding value known (the message says how) to get a verdict.";
        self.when_unknown = [&self.terraform, &self.bicep, &self.arm]
            .map(|fix| format!("{decide} If it fails: {fix}"));
    }
}

/// Azure regions and roles, as data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    /// Regions where Azure OpenAI accounts can be created.
    pub openai_regions: Vec<String>,
    /// Regions of the EU and US data zones.
    pub datazone_eu: Vec<String>,
    pub datazone_us: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiVersions {
    /// Newest GA API version by resource type.
    pub latest_ga: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    pub role: BTreeMap<String, Role>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Built-in role definition GUID.
    pub id: String,
    /// Grants management-plane rights (keys, settings, access) on an account, rather than
    /// data-plane use of the models only.
    pub broad: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryModules {
    pub registry_module: BTreeMap<String, RegistryModule>,
    #[serde(default)]
    pub private_endpoint_module: BTreeMap<String, PrivateEndpointModule>,
    #[serde(default)]
    pub workspace_module: BTreeMap<String, WorkspaceModule>,
}

/// What a registry module deploys, as far as aoai-lint maps it.
#[derive(Debug, Clone, Copy)]
pub enum RegistryMapping<'a> {
    Account(&'a RegistryModule),
    PrivateEndpoint(&'a PrivateEndpointModule),
    Workspace(&'a WorkspaceModule),
}

impl RegistryMapping<'_> {
    /// Outputs that are the deployed account's resource id.
    pub fn id_outputs(&self) -> &[String] {
        match self {
            RegistryMapping::Account(module) => &module.id_outputs,
            RegistryMapping::PrivateEndpoint(_) => &[],
            RegistryMapping::Workspace(module) => &module.id_outputs,
        }
    }
}

/// How a registry module that deploys a private endpoint names what it connects to (see
/// `policies/data-modules.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateEndpointModule {
    pub language: ModuleLanguage,
    pub docs: String,
    /// Inputs that list connections; none when the module's inputs are one connection.
    #[serde(default)]
    pub connection_lists: Vec<String>,
    /// The connected resource's id, within a connection.
    #[serde(default)]
    pub target: Option<String>,
    /// ... or a module input naming it for every connection.
    #[serde(default)]
    pub target_input: Option<String>,
    /// The sub-resources (group ids) reached, within a connection: a list, or one name.
    pub group_ids: String,
}

/// How a registry module that deploys an Azure Machine Learning workspace (an AI Foundry hub
/// or project when its kind says so) maps its inputs (see `policies/data-modules.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceModule {
    pub language: ModuleLanguage,
    pub docs: String,
    pub kind: String,
    /// The kind when the input is absent.
    pub kind_default: String,
    pub public_access: String,
    #[serde(default = "AccessForm::bool")]
    pub public_access_form: AccessForm,
    #[serde(default)]
    pub public_access_default: bool,
    /// The input holding `isolationMode` and `outboundRules`.
    pub managed_network: String,
    pub datastore_auth: String,
    /// A project's hub.
    pub hub: String,
    /// The input whose entries each create a private endpoint (group `amlworkspace`).
    pub private_endpoints: String,
    /// The input whose entries each create a connection, and where an entry says how it
    /// authenticates.
    pub connections: String,
    pub connection_auth: String,
    pub id_outputs: Vec<String>,
}

/// How a registry module's inputs map onto an account (see `policies/data-modules.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryModule {
    pub language: ModuleLanguage,
    pub docs: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub kind_fixed: Option<String>,
    pub location: String,
    /// The input used when `location` is not set (before the resource group's location).
    #[serde(default)]
    pub location_fallback: Option<String>,
    /// The public access input; a module without one decides it from `public_access_disabled_with`.
    #[serde(default)]
    pub public_access: Option<String>,
    #[serde(default = "AccessForm::bool")]
    pub public_access_form: AccessForm,
    #[serde(default)]
    pub public_access_default: bool,
    #[serde(default)]
    pub public_access_default_with: Option<String>,
    /// A bool input that, when true, turns `public_access_default` around.
    #[serde(default)]
    pub public_access_default_flipped_by: Option<String>,
    /// Inputs that, all set, make the module disable public access (and enable it otherwise).
    #[serde(default)]
    pub public_access_disabled_with: Vec<String>,
    pub local_auth: String,
    #[serde(default)]
    pub local_auth_inverted: bool,
    pub local_auth_default: bool,
    /// None when the module never sets a customer-managed key.
    #[serde(default)]
    pub customer_managed_key: Option<String>,
    /// The input whose entries each create a private endpoint (`bool` form: one when true).
    #[serde(default)]
    pub private_endpoints: Option<String>,
    #[serde(default)]
    pub private_endpoints_form: EndpointsForm,
    /// Inputs that, all set, make the module create one private endpoint.
    #[serde(default)]
    pub private_endpoints_with: Vec<String>,
    #[serde(default)]
    pub role_assignments: Option<String>,
    #[serde(default)]
    pub role_key: Option<String>,
    pub id_outputs: Vec<String>,
    #[serde(default)]
    pub custom_subdomain: Option<String>,
    #[serde(default)]
    pub custom_subdomain_generated: bool,
    #[serde(default)]
    pub network_acls: Option<String>,
    #[serde(default)]
    pub network_acls_default_action: Option<String>,
    #[serde(default)]
    pub network_acls_ip_rules: Option<String>,
    #[serde(default)]
    pub identity_type: Option<String>,
    /// The identity type the module always sets (no input).
    #[serde(default)]
    pub identity_fixed: Option<String>,
    #[serde(default)]
    pub identity_system_assigned: Option<String>,
    #[serde(default)]
    pub identity_system_assigned_default: bool,
    #[serde(default)]
    pub identity_user_assigned: Option<String>,
    #[serde(default)]
    pub outbound_restricted: Option<String>,
    #[serde(default)]
    pub outbound_restricted_default: bool,
    /// Whether the module always restricts outbound access (no input, no allowed FQDNs).
    #[serde(default)]
    pub outbound_fixed: Option<bool>,
    /// The default action of the network ACLs the module always sets (no input).
    #[serde(default)]
    pub network_acls_fixed_default_action: Option<String>,
    #[serde(default)]
    pub allowed_fqdns: Option<String>,
    /// The input whose entries each create a diagnostic setting on the account.
    #[serde(default)]
    pub diagnostic_settings: Option<String>,
    /// Fields of an entry that list log categories or groups (strings or
    /// `{ category | categoryGroup, enabled }`).
    #[serde(default)]
    pub diagnostic_log_lists: Vec<String>,
    /// The logs an entry enables when it lists none...
    #[serde(default)]
    pub diagnostic_log_default: Vec<String>,
    /// ... unless it has this field (AVM Bicep: metrics only, then no logs).
    #[serde(default)]
    pub diagnostic_log_default_unless: Option<String>,
    /// Fields whose presence in an entry enables a log category.
    #[serde(default)]
    pub diagnostic_log_presence: BTreeMap<String, String>,
    /// A bool input that, when set, declares the account's Defender for AI setting.
    #[serde(default)]
    pub defender_for_ai: Option<String>,
    /// The input whose entries each deploy a model on the account.
    #[serde(default)]
    pub model_deployments: Option<ModuleDeployments>,
}

/// Where a module's model deployment entries write each field (see
/// `policies/data-modules.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleDeployments {
    /// The input: a list or a map of entries.
    pub input: String,
    /// The model's format, name and version within an entry.
    pub format: String,
    pub name: String,
    pub version: String,
    pub sku: String,
    /// The SKU of an entry that names none, when the module has a default.
    #[serde(default)]
    pub sku_default: Option<String>,
    pub rai_policy: String,
    pub version_upgrade: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleLanguage {
    Terraform,
    Bicep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessForm {
    /// `true` = enabled.
    Bool,
    /// `"Enabled"` / `"Disabled"`.
    Enabled,
}

impl AccessForm {
    fn bool() -> Self {
        AccessForm::Bool
    }
}

/// How a module's private endpoint input creates endpoints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointsForm {
    /// A list or map: one endpoint per entry.
    #[default]
    Entries,
    /// A bool: one endpoint when true.
    Bool,
}

/// What the platform's content filters do (see `policies/data-content-filters.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentFilters {
    pub default_policy: String,
    pub builtin_prefix: String,
    pub harm_categories: Vec<String>,
    pub severity_order: Vec<String>,
    pub default_threshold: String,
    pub prompt_shields: Vec<String>,
    pub protected_material: Vec<String>,
    pub asynchronous_mode: String,
}

impl ContentFilters {
    /// Whether a filter name is one of `names` (ignoring case, spaces, `_` and `-`).
    pub fn is_one_of(name: &str, names: &[String]) -> bool {
        let key = |text: &str| -> String {
            text.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let name = key(name);
        names.iter().any(|known| key(known) == name)
    }

    pub fn is_builtin(&self, policy: &str) -> bool {
        policy
            .to_ascii_lowercase()
            .starts_with(&self.builtin_prefix.to_ascii_lowercase())
    }

    /// Whether a threshold lets through what the default blocks; `None` for an unknown name.
    pub fn is_weaker_threshold(&self, threshold: &str) -> Option<bool> {
        let rank = |name: &str| {
            self.severity_order
                .iter()
                .position(|known| known.eq_ignore_ascii_case(name))
        };
        Some(rank(threshold)? > rank(&self.default_threshold)?)
    }
}

/// Which connections AOAI017 reads (see `policies/data-connections.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connections {
    pub categories: Vec<String>,
    pub keyed_auth_types: Vec<String>,
}

/// The Azure Policy built-in definitions the rules cite (see `policies/data-azure-policy.hcl`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzurePolicies {
    pub builtin: BTreeMap<String, AzurePolicyBuiltin>,
    #[serde(default)]
    pub deprecated: BTreeMap<String, DeprecatedAzurePolicy>,
}

/// A current built-in definition, as Azure/azure-policy defines it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzurePolicyBuiltin {
    /// Its display name.
    pub name: String,
    /// Its file under `built-in-policies/policyDefinitions/`.
    pub file: String,
    pub version: String,
    pub effects: Vec<String>,
    /// Set when not `Indexed` (data-plane definitions).
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub preview: bool,
    pub commit: String,
}

/// A definition the rules used to cite, now deprecated, and what replaces it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeprecatedAzurePolicy {
    pub name: String,
    pub file: String,
    pub commit: String,
    pub replaced_by: Vec<String>,
}

#[derive(Debug)]
pub struct Catalog {
    pub policies: Vec<Policy>,
    pub regions: Regions,
    pub roles: Roles,
    pub modules: RegistryModules,
    pub api_versions: ApiVersions,
    pub content_filters: ContentFilters,
    pub connections: Connections,
    pub azure_policies: AzurePolicies,
    pub model_lifecycle: crate::lifecycle::ModelLifecycle,
}

/// The embedded catalog, parsed once. The files are part of the build and checked by tests, so a
/// broken one is a build defect, not user input.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| load(EMBEDDED).unwrap_or_else(|e| panic!("embedded policies: {e}")))
}

pub fn load(files: &[(&str, &str)]) -> Result<Catalog, String> {
    let mut policies = Vec::new();
    let mut regions = None;
    let mut roles = None;
    let mut modules = None;
    let mut api_versions = None;
    let mut content_filters = None;
    let mut connections = None;
    let mut azure_policies = None;
    let mut model_lifecycle = None;
    for (name, text) in files {
        let context = |e: hcl::Error| format!("{name}: {e}");
        match *name {
            "data-regions.hcl" => regions = Some(hcl::from_str(text).map_err(context)?),
            "data-roles.hcl" => roles = Some(hcl::from_str(text).map_err(context)?),
            "data-modules.hcl" => modules = Some(hcl::from_str(text).map_err(context)?),
            "data-api-versions.hcl" => api_versions = Some(hcl::from_str(text).map_err(context)?),
            "data-connections.hcl" => connections = Some(hcl::from_str(text).map_err(context)?),
            "data-azure-policy.hcl" => azure_policies = Some(hcl::from_str(text).map_err(context)?),
            "data-model-lifecycle.hcl" => {
                model_lifecycle = Some(hcl::from_str(text).map_err(context)?)
            }
            "data-content-filters.hcl" => {
                content_filters = Some(hcl::from_str(text).map_err(context)?)
            }
            _ => {
                let mut policy: Policy = hcl::from_str(text).map_err(context)?;
                for field in [
                    &mut policy.summary,
                    &mut policy.rationale,
                    &mut policy.remediation.terraform,
                    &mut policy.remediation.bicep,
                    &mut policy.remediation.arm,
                ] {
                    *field = reflow(field);
                }
                policy.remediation.build_when_unknown();
                let expected = format!("{}-{}.hcl", policy.id, policy.name);
                if *name != expected {
                    return Err(format!("{name}: file name should be {expected}"));
                }
                policies.push(policy);
            }
        }
    }
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Catalog {
        policies,
        regions: regions.ok_or("data-regions.hcl is missing")?,
        roles: roles.ok_or("data-roles.hcl is missing")?,
        modules: modules.ok_or("data-modules.hcl is missing")?,
        api_versions: api_versions.ok_or("data-api-versions.hcl is missing")?,
        content_filters: content_filters.ok_or("data-content-filters.hcl is missing")?,
        connections: connections.ok_or("data-connections.hcl is missing")?,
        azure_policies: azure_policies.ok_or("data-azure-policy.hcl is missing")?,
        model_lifecycle: model_lifecycle.ok_or("data-model-lifecycle.hcl is missing")?,
    })
}

/// Joins the lines of each paragraph: policy files wrap text for reading, while outputs (JSON,
/// SARIF, terminals of any width) wrap it themselves.
fn reflow(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

impl Catalog {
    /// A policy by ID (`AOAI001`) or name (`public-network-access`), case-insensitively.
    pub fn find(&self, id_or_name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| {
            p.id.eq_ignore_ascii_case(id_or_name) || p.name.eq_ignore_ascii_case(id_or_name)
        })
    }

    /// The policies an ID, a name or a Checkov check ID names (a Checkov check can be the
    /// equivalent of several): `--select`, `--ignore` and `explain` take all three.
    pub fn find_all(&self, id_name_or_checkov: &str) -> Vec<&Policy> {
        if let Some(policy) = self.find(id_name_or_checkov) {
            return vec![policy];
        }
        self.policies
            .iter()
            .filter(|p| {
                p.references
                    .checkov
                    .iter()
                    .any(|check| check.eq_ignore_ascii_case(id_name_or_checkov))
            })
            .collect()
    }

    /// The newest GA API version of a resource type, when known.
    pub fn latest_ga_api_version(&self, resource_type: &str) -> Option<&str> {
        self.api_versions
            .latest_ga
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(resource_type))
            .map(|(_, version)| version.as_str())
    }

    pub fn is_openai_region(&self, region: &str) -> bool {
        self.regions.openai_regions.iter().any(|r| r == region)
    }

    /// The registry module a `source` names (any version), if it is one aoai-lint maps.
    /// Terraform: `Azure/openai/azurerm`, optionally with the `registry.terraform.io/` host;
    /// Bicep: `br/public:avm/...:1.0.0` or `br:mcr.microsoft.com/bicep/avm/...:1.0.0`.
    pub fn registry_module(
        &self,
        language: ModuleLanguage,
        source: &str,
    ) -> Option<RegistryMapping<'_>> {
        let source = match language {
            ModuleLanguage::Terraform => source
                .strip_prefix("registry.terraform.io/")
                .unwrap_or(source)
                .to_string(),
            ModuleLanguage::Bicep => {
                let source = match source.strip_prefix("br:mcr.microsoft.com/bicep/") {
                    Some(rest) => format!("br/public:{rest}"),
                    None => source.to_string(),
                };
                // The version is the part after the last `:` past the registry alias.
                match source.split_once(':') {
                    Some((alias, path)) => match path.rsplit_once(':') {
                        Some((path, _version)) => format!("{alias}:{path}"),
                        None => source.clone(),
                    },
                    None => source.clone(),
                }
            }
        };
        let named = |name: &String| name.eq_ignore_ascii_case(&source);
        let modules = &self.modules;
        let account = modules
            .registry_module
            .iter()
            .find(|(name, module)| module.language == language && named(name));
        if let Some((_, module)) = account {
            return Some(RegistryMapping::Account(module));
        }
        let workspace = modules
            .workspace_module
            .iter()
            .find(|(name, module)| module.language == language && named(name));
        if let Some((_, module)) = workspace {
            return Some(RegistryMapping::Workspace(module));
        }
        modules
            .private_endpoint_module
            .iter()
            .find(|(name, module)| module.language == language && named(name))
            .map(|(_, module)| RegistryMapping::PrivateEndpoint(module))
    }

    /// A role by name or GUID (also accepted inside a full role definition id).
    pub fn find_role(&self, name_or_id: &str) -> Option<(&str, &Role)> {
        let guid = name_or_id.rsplit('/').next().unwrap_or(name_or_id);
        self.roles
            .role
            .iter()
            .map(|(n, r)| (n.as_str(), r))
            .find(|(name, role)| {
                name.eq_ignore_ascii_case(name_or_id) || role.id.eq_ignore_ascii_case(guid)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unknown's help says to decide first, not to set what may be set already; AOAI900's
    /// remediation is how to check what it did not.
    #[test]
    fn the_help_of_an_unknown_says_to_decide_first() {
        use crate::model::Language;
        let catalog = catalog();
        let subdomain = catalog.find("AOAI008").unwrap();
        let fail = subdomain.help_for(Language::Bicep, Outcome::Fail);
        assert!(
            fail.starts_with("Set `properties: { customSubDomainName"),
            "{fail}"
        );
        let unknown = subdomain.help_for(Language::Bicep, Outcome::Unknown);
        assert!(
            unknown.starts_with("Make the deciding value known"),
            "{unknown}"
        );
        assert!(unknown.ends_with(fail));
        let not_followed = catalog.find("AOAI900").unwrap();
        assert_eq!(
            not_followed.help_for(Language::Terraform, Outcome::Unknown),
            not_followed.remediation.terraform
        );
    }

    #[test]
    fn embedded_catalog_loads_and_ids_are_unique() {
        let catalog = load(EMBEDDED).expect("policies parse");
        assert!(catalog.policies.len() >= 6);
        let mut ids: Vec<_> = catalog.policies.iter().map(|p| &p.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), catalog.policies.len());
        assert!(catalog.is_openai_region("swedencentral"));
    }

    #[test]
    fn registry_modules_are_found_by_source_in_any_version() {
        let catalog = catalog();
        let tf = ModuleLanguage::Terraform;
        let bicep = ModuleLanguage::Bicep;
        assert!(
            catalog
                .registry_module(tf, "Azure/openai/azurerm")
                .is_some()
        );
        assert!(
            catalog
                .registry_module(tf, "registry.terraform.io/azure/OpenAI/azurerm")
                .is_some()
        );
        assert!(
            catalog
                .registry_module(tf, "Azure/naming/azurerm")
                .is_none()
        );
        let avm = "br/public:avm/res/cognitive-services/account:0.10.2";
        assert!(catalog.registry_module(bicep, avm).is_some());
        let mcr = "br:mcr.microsoft.com/bicep/avm/res/cognitive-services/account:0.7.0";
        assert!(catalog.registry_module(bicep, mcr).is_some());
        assert!(catalog.registry_module(tf, avm).is_none());
        let workspace = "br/public:avm/res/machine-learning-services/workspace:0.13.0";
        assert!(matches!(
            catalog.registry_module(bicep, workspace),
            Some(RegistryMapping::Workspace(_))
        ));
        let endpoint = "br/public:avm/res/network/private-endpoint:0.11.0";
        assert!(matches!(
            catalog.registry_module(bicep, endpoint),
            Some(RegistryMapping::PrivateEndpoint(_))
        ));
    }

    #[test]
    fn find_accepts_id_or_name_and_roles_by_guid() {
        let catalog = catalog();
        assert_eq!(
            catalog.find("aoai001").unwrap().name,
            "public-network-access"
        );
        assert_eq!(catalog.find("public-network-access").unwrap().id, "AOAI001");
        let (name, role) = catalog
            .find_role("/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c")
            .unwrap();
        assert_eq!(name, "Contributor");
        assert!(role.broad);
    }

    /// A rule that cites a deprecated or unknown Azure Policy definition sends users to a
    /// definition that no longer audits anything (`policies/data-azure-policy.hcl`).
    #[test]
    fn every_cited_azure_policy_is_a_current_builtin() {
        let known = &catalog().azure_policies;
        let mut problems = Vec::new();
        for policy in &catalog().policies {
            for guid in &policy.references.azure_policy {
                if known.builtin.contains_key(guid) {
                    continue;
                }
                problems.push(match known.deprecated.get(guid) {
                    Some(old) => format!(
                        "{} cites {guid}, deprecated ({}): cite {:?}",
                        policy.id, old.name, old.replaced_by
                    ),
                    None => format!("{} cites {guid}, not in data-azure-policy.hcl", policy.id),
                });
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
        for (guid, old) in &known.deprecated {
            assert!(!known.builtin.contains_key(guid), "{guid} is both");
            for new in &old.replaced_by {
                assert!(known.builtin.contains_key(new), "{guid} -> {new}");
            }
        }
    }

    #[test]
    fn policy_text_is_reflowed_into_paragraphs() {
        assert_eq!(reflow("  a\n  b\n\n  c  \n"), "a b\n\nc");
        let policy = catalog().find("AOAI001").unwrap();
        assert!(!policy.rationale.contains('\n'));
    }

    #[test]
    fn misnamed_policy_file_is_rejected() {
        let (_, text) = EMBEDDED
            .iter()
            .find(|(n, _)| n.starts_with("AOAI001"))
            .unwrap();
        let files = [("AOAI001-wrong.hcl", *text)];
        assert!(load(&files).unwrap_err().contains("file name should be"));
    }
}
