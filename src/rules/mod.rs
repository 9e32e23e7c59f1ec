//! Rules: one file each, reading only the [`Model`]. Their metadata (title, severity, help)
//! lives in `policies/`, matched by ID.

mod aoai001_public_network_access;
mod aoai002_private_endpoint;
mod aoai003_customer_managed_key;
mod aoai004_local_auth_disabled;
mod aoai005_approved_region;
mod aoai006_least_privilege_role;
mod aoai007_network_default_deny;
mod aoai008_custom_subdomain;
mod aoai009_managed_identity;
mod aoai010_outbound_restricted;
mod aoai011_data_residency;
mod aoai012_preview_api_version;
mod aoai013_diagnostic_logs;
mod aoai014_cmk_key_vault_protection;
mod aoai015_key_exposure;
mod aoai016_content_filter;
mod aoai017_keyless_connections;
// Model governance (issue 30).
mod aoai018_approved_model;
mod aoai019_model_lifecycle;
mod aoai020_foundry_hub_public_access;
mod aoai021_foundry_hub_managed_network;
mod aoai022_foundry_hub_keyless_storage;
mod aoai023_defender_for_ai;
mod aoai900_module_not_followed;
mod foundry;

use crate::finding::{Level, Outcome};
use crate::model::{
    AiAccount, ApprovedModel, Attr, AttrState, CmkBinding, CmkKey, DataResidency, Declared, Known,
    Language, Model, PrivateEndpoint, PrivateLinkConnection, Setting,
};
use std::collections::HashMap;

use crate::policy::Catalog;
use crate::resolve::{ByAccount, Links};
use crate::source::Span;
use crate::stats::{self, Stage};

/// What a rule may read.
pub struct Context<'a> {
    pub model: &'a Model,
    pub links: &'a Links,
    pub catalog: &'a Catalog,
    pub settings: &'a Settings,
    /// The private endpoints' connections, by the account each names.
    pub endpoint_connections: ByAccount<'a, (&'a PrivateEndpoint, &'a PrivateLinkConnection)>,
    /// The customer-managed key bindings, by the account each names.
    pub cmk_bindings: ByAccount<'a, &'a CmkBinding>,
    /// The accounts by address (the first of an address), when a registry module deploys one
    /// of them: a failure on it gets its fix in the module's inputs. Empty otherwise.
    module_accounts: HashMap<&'a str, &'a AiAccount>,
}

/// What users configure about the rules themselves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Normalized approved regions, when configured (AOAI005).
    pub approved_regions: Option<Vec<String>>,
    /// Where model deployments may process data (AOAI011).
    pub data_residency: DataResidency,
    /// The models deployments may serve, when configured (AOAI018).
    pub approved_models: Option<Vec<ApprovedModel>>,
    /// The day model lifecycle dates are compared with (AOAI019): today (UTC), or `--today`.
    pub today: jiff::civil::Date,
    /// Subscription deployments must declare the Defender for AI plan (AOAI023).
    pub require_defender_for_ai: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            approved_regions: None,
            data_residency: DataResidency::default(),
            approved_models: None,
            require_defender_for_ai: false,
            today: jiff::tz::Offset::UTC
                .to_datetime(jiff::Timestamp::now())
                .date(),
        }
    }
}

impl<'a> Context<'a> {
    pub fn new(
        model: &'a Model,
        links: &'a Links,
        catalog: &'a Catalog,
        settings: &'a Settings,
    ) -> Self {
        let connections = model.private_endpoints.iter().flat_map(|endpoint| {
            let connections = endpoint.connections.iter();
            let language = endpoint.declared.language;
            connections
                .map(move |connection| ((endpoint, connection), &connection.target, language))
        });
        let bindings = model.cmk_bindings.iter();
        Context {
            model,
            links,
            catalog,
            settings,
            endpoint_connections: ByAccount::new(links, connections),
            cmk_bindings: ByAccount::new(
                links,
                bindings.map(|b| (b, &b.account, b.declared.language)),
            ),
            module_accounts: accounts_by_address(model),
        }
    }

    /// The accounts declared in the scope, with their index for [`Links`]; `existing` ones are
    /// declared elsewhere, so their settings are not checked here.
    pub fn declared_accounts(&self) -> impl Iterator<Item = (usize, &AiAccount)> {
        self.model
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, account)| !account.existing)
            .map(|(i, account)| (i, account.as_ref()))
    }

    /// The customer-managed keys of the account at `index`, each with the declaration that
    /// sets it and whether that is the account itself (inline) rather than a binding resource.
    pub fn cmk_keys<'m>(
        &self,
        index: usize,
        account: &'m AiAccount,
    ) -> Vec<(&'m CmkKey, &'m Declared, bool)>
    where
        'a: 'm,
    {
        let mut keys = Vec::new();
        if account.inline_cmk.value() == Some(&true)
            && let Some(key) = &account.inline_key
        {
            keys.push((key, &account.declared, true));
        }
        for binding in self.cmk_bindings.named(index) {
            keys.push((&binding.key, &binding.declared, false));
        }
        keys
    }
}

/// One attribute checked by [`Findings::attr_check`], with how its message reads.
pub struct AttrCheck<'a, T> {
    pub attr: &'a Attr<T>,
    pub what: &'a str,
    pub suffix: &'a str,
}

/// A finding before levels, help text and line numbers are attached.
#[derive(Debug, Clone)]
pub struct RawFinding {
    pub rule: &'static str,
    pub outcome: Outcome,
    pub message: String,
    pub resource: String,
    pub attribute: String,
    pub language: Language,
    pub span: Span,
    /// Short text under the primary span in snippets.
    pub label: String,
    pub related: Vec<(Span, String)>,
    /// The declaration of the resource, where suppression comments apply.
    pub header: Span,
    pub extent: Span,
    /// A level the rule chooses for this failure instead of its policy's severity (a rule
    /// whose findings differ in gravity); a level configured by the user still wins.
    pub level: Option<Level>,
    /// The fix, when the policy's would not apply: the account is deployed by a registry
    /// module, whose input the user sets (see [`MODULE_FIXES`]).
    pub help: Option<String>,
}

/// What a failure of each rule asks of the registry module that deploys the account: the
/// setting and how to set its input.
const MODULE_FIXES: &[(&str, Setting, &str)] = &[
    (
        "AOAI001",
        Setting::PublicAccess,
        "so that public network access is disabled",
    ),
    (
        "AOAI002",
        Setting::PrivateEndpoints,
        "with a private endpoint to the account",
    ),
    (
        "AOAI003",
        Setting::CustomerManagedKey,
        "to a customer-managed key",
    ),
    (
        "AOAI004",
        Setting::LocalAuth,
        "so that key (local) authentication is disabled",
    ),
    ("AOAI005", Setting::Location, "to an approved region"),
    (
        "AOAI007",
        Setting::NetworkAcls,
        "with a default action of Deny",
    ),
    (
        "AOAI008",
        Setting::CustomSubdomain,
        "to the account's own subdomain",
    ),
    ("AOAI009", Setting::Identity, "to a managed identity"),
    (
        "AOAI010",
        Setting::Outbound,
        "to restrict outbound access (with the FQDNs it needs)",
    ),
    (
        "AOAI013",
        Setting::DiagnosticSettings,
        "with a setting that sends the audit logs",
    ),
];

/// [`Context::module_accounts`].
fn accounts_by_address(model: &Model) -> HashMap<&str, &AiAccount> {
    let mut by_address = HashMap::new();
    if model.accounts.iter().all(|a| a.module_inputs.is_empty()) {
        return by_address;
    }
    for account in &model.accounts {
        by_address
            .entry(account.declared.address.as_str())
            .or_insert(account.as_ref());
    }
    by_address
}

/// The fix of a failure of `rule` on an account deployed by a registry module, in the module's
/// inputs; `None` when the account is declared as a resource or the module has no such input.
fn module_fix(rule: &str, account: &AiAccount) -> Option<String> {
    let (_, setting, how) = MODULE_FIXES.iter().find(|(id, _, _)| *id == rule)?;
    let (_, input) = account.module_inputs.iter().find(|(s, _)| s == setting)?;
    Some(format!(
        "The account is deployed by a registry module: set its `{input}` input {how}."
    ))
}

pub trait Rule: Sync {
    /// The stable ID; its policy file is `policies/<ID>-<name>.hcl`.
    fn id(&self) -> &'static str;
    fn check(&self, cx: &Context<'_>, out: &mut Findings);
    /// The resources the rule checks, passing or not (JUnit lists passes too). Most rules check
    /// every declared account.
    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model
            .accounts
            .iter()
            .filter(|account| !account.existing)
            .map(|account| &account.declared)
            .collect()
    }
}

/// One check of one resource by one rule, whatever its outcome.
#[derive(Debug, Clone)]
pub struct RawCheck {
    pub rule: &'static str,
    pub resource: String,
    pub header: Span,
}

pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &aoai001_public_network_access::PublicNetworkAccess,
        &aoai002_private_endpoint::PrivateEndpoint,
        &aoai003_customer_managed_key::CustomerManagedKey,
        &aoai004_local_auth_disabled::LocalAuthDisabled,
        &aoai005_approved_region::ApprovedRegion,
        &aoai006_least_privilege_role::LeastPrivilegeRole,
        &aoai007_network_default_deny::NetworkDefaultDeny,
        &aoai008_custom_subdomain::CustomSubdomain,
        &aoai009_managed_identity::ManagedIdentity,
        &aoai010_outbound_restricted::OutboundRestricted,
        &aoai011_data_residency::DataResidencyRule,
        &aoai012_preview_api_version::PreviewApiVersion,
        &aoai013_diagnostic_logs::DiagnosticLogs,
        &aoai014_cmk_key_vault_protection::CmkKeyVaultProtection,
        &aoai015_key_exposure::KeyExposure,
        &aoai016_content_filter::ContentFilterPolicy,
        &aoai017_keyless_connections::KeylessConnections,
        // Model governance (issue 30).
        &aoai018_approved_model::ApprovedModelRule,
        &aoai019_model_lifecycle::ModelLifecycleRule,
        &aoai020_foundry_hub_public_access::FoundryHubPublicAccess,
        &aoai021_foundry_hub_managed_network::FoundryHubManagedNetwork,
        &aoai022_foundry_hub_keyless_storage::FoundryHubKeylessStorage,
        &aoai023_defender_for_ai::DefenderForAi,
        &aoai900_module_not_followed::ModuleNotFollowed,
    ]
}

/// Runs the `selected` rules over a model: links it, then lets each rule look.
pub fn run(
    model: &Model,
    catalog: &Catalog,
    settings: &Settings,
    selected: impl Fn(&str) -> bool,
) -> Vec<RawFinding> {
    let mut raw = Vec::new();
    run_each(model, catalog, settings, selected, false, |findings, _| {
        raw.extend(findings);
    });
    raw
}

/// [`run`], handing each rule's findings to `each` as soon as the rule is done, so that the raw
/// findings of every rule are never all held at once (a huge scope has millions). With
/// `list_checks`, also every check the rule made, passes included (JUnit): one per rule and
/// account, they outnumber the findings, so they are listed only when asked.
pub fn run_each(
    model: &Model,
    catalog: &Catalog,
    settings: &Settings,
    selected: impl Fn(&str) -> bool,
    list_checks: bool,
    mut each: impl FnMut(Vec<RawFinding>, Vec<RawCheck>),
) {
    let links = stats::timed(Stage::Rules, || Links::new(model));
    let cx = stats::timed(Stage::Rules, || {
        Context::new(model, &links, catalog, settings)
    });
    for rule in all().iter().filter(|rule| selected(rule.id())) {
        let (findings, checks) = stats::timed(Stage::Rules, || {
            let mut findings = Findings::new(rule.id());
            rule.check(&cx, &mut findings);
            findings.fix_in_modules(&cx);
            let mut checks = Vec::new();
            if list_checks {
                checks.extend(rule.subjects(&cx).into_iter().map(|declared| RawCheck {
                    rule: rule.id(),
                    resource: declared.address.clone(),
                    header: declared.header.clone(),
                }));
            }
            (findings.into_vec(), checks)
        });
        each(findings, checks);
    }
}

/// Collects the findings of one rule.
pub struct Findings {
    rule: &'static str,
    items: Vec<RawFinding>,
}

impl Findings {
    pub fn new(rule: &'static str) -> Self {
        Findings {
            rule,
            items: Vec::new(),
        }
    }

    /// Gives each failure on an account deployed by a registry module its fix in the
    /// module's inputs.
    fn fix_in_modules(&mut self, cx: &Context<'_>) {
        if cx.module_accounts.is_empty() {
            return;
        }
        for finding in &mut self.items {
            if finding.outcome != Outcome::Fail {
                continue;
            }
            let account = cx.module_accounts.get(finding.resource.as_str());
            finding.help = account.and_then(|account| module_fix(finding.rule, account));
        }
    }

    pub fn into_vec(self) -> Vec<RawFinding> {
        self.items
    }

    pub fn push(
        &mut self,
        declared: &Declared,
        outcome: Outcome,
        span: Span,
        attribute: &str,
        message: String,
    ) -> &mut RawFinding {
        self.items.push(RawFinding {
            rule: self.rule,
            outcome,
            message,
            resource: declared.address.clone(),
            attribute: attribute.to_string(),
            language: declared.language,
            span,
            label: match outcome {
                Outcome::Fail => "here".into(),
                Outcome::Unknown => "not known statically".into(),
            },
            related: Vec::new(),
            header: declared.header.clone(),
            extent: declared.extent.clone(),
            level: None,
            help: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    /// An unknown about `attr` of `declared`, at the attribute.
    pub fn unknown_on<T>(
        &mut self,
        declared: &Declared,
        attr: &Attr<T>,
        message: String,
    ) -> &mut RawFinding {
        let span = attr.span.clone();
        self.push(declared, Outcome::Unknown, span, &attr.name, message)
    }

    /// A failure on an account. When the account's kind is unresolved it may not be an Azure
    /// OpenAI account at all, so the failure is only a possibility: reported as unknown.
    pub fn account_fail(
        &mut self,
        account: &AiAccount,
        span: Span,
        attribute: &str,
        message: String,
    ) -> &mut RawFinding {
        self.fail_on(account, &account.declared, span, attribute, message)
    }

    /// A failure of `declared` (the account or a resource attached to it), subject to the
    /// account's kind as in [`Findings::account_fail`].
    pub fn fail_on(
        &mut self,
        account: &AiAccount,
        declared: &Declared,
        span: Span,
        attribute: &str,
        message: String,
    ) -> &mut RawFinding {
        match account.kind.unresolved_reason() {
            Some(reason) => {
                let message =
                    format!("{message}, if this is an Azure OpenAI account: `kind` {reason}");
                let finding = self.push(declared, Outcome::Unknown, span, attribute, message);
                finding.label =
                    "only an Azure OpenAI account if `kind` is OpenAI or AIServices".into();
                finding
            }
            None => self.push(declared, Outcome::Fail, span, attribute, message),
        }
    }

    /// The common shape of a check on one account attribute: fail when `bad` holds, unknown
    /// when the value is unresolved, nothing otherwise.
    pub fn account_attr<T>(
        &mut self,
        account: &AiAccount,
        attr: &Attr<T>,
        bad: impl Fn(&T) -> bool,
        what: &str,
    ) {
        let check = AttrCheck {
            attr,
            what,
            suffix: "",
        };
        self.attr_check(&account.declared, check, bad, |out, span, name, message| {
            out.account_fail(account, span, name, message)
        });
    }

    /// A check on one attribute of `declared`: `fail` reports it when `bad` holds (the message
    /// is `what`, the value, then `suffix`), unknown when the value is unresolved.
    pub fn attr_check<T, F>(
        &mut self,
        declared: &Declared,
        check: AttrCheck<'_, T>,
        bad: impl Fn(&T) -> bool,
        fail: F,
    ) where
        F: for<'f> FnOnce(&'f mut Findings, Span, &str, String) -> &'f mut RawFinding,
    {
        let AttrCheck { attr, what, suffix } = check;
        match &attr.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => {
                if !bad(value) {
                    return;
                }
                let message = format!("{what}: {}{suffix}", attr.describe());
                let finding = fail(self, attr.span.clone(), &attr.name, message);
                if attr.is_default() && finding.outcome == Outcome::Fail {
                    finding.label = format!("`{}` is not set", attr.name);
                }
                if let Some(via) = attr.via() {
                    finding.related.push((via.span.clone(), via.label.into()));
                }
            }
            AttrState::Unresolved { .. } => {
                let message = format!("cannot tell whether {what}: {}", attr.describe());
                self.unknown_on(declared, attr, message);
            }
        }
    }
}

/// The values a model name or version can have (AOAI018, AOAI019): its own, or those of a value
/// known to be one of several; `None` when it is not known, or is empty where it was written (no
/// model named). A version that is not set is empty on purpose: the account's default.
fn possible_values(attr: &Attr<String>) -> Option<Vec<&str>> {
    let values: Vec<&str> = match &attr.state {
        AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => vec![value],
        AttrState::Unresolved {
            known: Some(Known::OneOf(values)),
            ..
        } => values.iter().map(String::as_str).collect(),
        AttrState::Unresolved { .. } => return None,
    };
    let named = attr.is_default() || values.iter().all(|v| !v.trim().is_empty());
    named.then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::catalog;

    #[test]
    fn every_rule_has_a_policy_and_every_policy_a_rule() {
        let ids: Vec<_> = all().iter().map(|rule| rule.id()).collect();
        for id in &ids {
            assert!(catalog().find(id).is_some(), "{id} has no policy file");
        }
        for policy in catalog().policies.iter().filter(|p| !p.engine) {
            assert!(
                ids.contains(&policy.id.as_str()),
                "{} has no rule",
                policy.id
            );
        }
    }
}
