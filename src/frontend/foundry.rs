//! AI Foundry hubs and projects, their managed network's outbound rules, and Microsoft Defender
//! for AI settings, as ARM writes them -> the model. The azapi provider, Bicep and ARM share
//! these bodies (`body` prefixes their fields in azapi). Defaults are the ARM API's: a
//! workspace's `publicNetworkAccess` is `Enabled`, `allowPublicAccessWhenBehindVnet` false,
//! `managedNetwork.isolationMode` `Disabled` and `systemDatastoresAuthMode` `accessKey` when not
//! written (Microsoft.MachineLearningServices/workspaces, API 2024-10-01).

use super::node::{BodyReader, Lookup};
use super::value::Value;
use crate::model::{
    Attr, Declared, DefenderScope, DefenderSetting, FoundryWorkspace, Reference, WorkspaceNetwork,
    WorkspaceOutboundRule, WorkspacePatch,
};

/// Workspace kinds that are AI Foundry hubs and their projects.
pub const WORKSPACE_KINDS: [&str; 2] = ["Hub", "Project"];

/// What the platform sets when a workspace does not say.
pub const DEFAULT_KIND: &str = "Default";
pub const DEFAULT_ISOLATION_MODE: &str = "Disabled";
pub const DEFAULT_DATASTORE_AUTH: &str = "accessKey";

/// Whether a workspace kind is a hub or a project.
pub fn is_foundry_kind(kind: &str) -> bool {
    WORKSPACE_KINDS.iter().any(|k| k.eq_ignore_ascii_case(kind))
}

/// A hub or project from its body; `None` when its kind is known and is neither (a classic
/// Azure Machine Learning workspace, a feature store). An `existing` one, whose kind is not
/// written, is kept whatever it says: a project names its hub through it.
pub fn workspace(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    link_keys: Vec<String>,
    existing: bool,
) -> Option<FoundryWorkspace> {
    let kind = reader.string(&format!("{body}kind"), Some(DEFAULT_KIND));
    if !existing && kind.value().is_some_and(|k| !is_foundry_kind(k)) {
        return None;
    }
    let properties = |name: &str| format!("{body}properties.{name}");
    let hub_path = properties("hubResourceId");
    let hub = match reader.root.find(&hub_path) {
        Lookup::Missing => Attr::default(hub_path, reader.header.clone(), String::new(), "not set"),
        _ => reader.reference(&hub_path),
    };
    Some(FoundryWorkspace {
        kind,
        link_keys,
        hub,
        network: WorkspaceNetwork {
            public_access: reader.enabled(&properties("publicNetworkAccess"), "Enabled"),
            public_behind_vnet: reader
                .bool(&properties("allowPublicAccessWhenBehindVnet"), Some(false)),
            isolation_mode: reader.string(
                &properties("managedNetwork.isolationMode"),
                Some(DEFAULT_ISOLATION_MODE),
            ),
            outbound_rules: outbound_rules(reader, &properties("managedNetwork.outboundRules")),
        },
        datastore_auth: reader.string(
            &properties("systemDatastoresAuthMode"),
            Some(DEFAULT_DATASTORE_AUTH),
        ),
        existing,
        declared,
    })
}

/// The outbound rules of `managedNetwork.outboundRules` (an object keyed by rule name), each
/// shown `name: destination`; none when not written.
pub fn outbound_rules(reader: &BodyReader<'_>, path: &str) -> Attr<Vec<String>> {
    reader.read(
        path,
        Some((Vec::new(), "none".into())),
        "an object of outbound rules",
        |value| match value {
            Value::Object(rules) => Some(
                rules
                    .iter()
                    .filter(|(name, _)| name.as_str() != super::node::SPREAD_KEY)
                    .map(|(name, rule)| format!("{name}: {}", destination(rule)))
                    .collect(),
            ),
            _ => None,
        },
    )
}

/// Where an outbound rule (`{ type, destination }`) lets traffic go: an FQDN, a service tag,
/// a private endpoint's resource.
fn destination(rule: &Value) -> String {
    let Value::Object(fields) = rule else {
        return rule.shown();
    };
    match fields.get("destination") {
        Some(Value::Object(target)) => ["serviceTag", "serviceResourceId"]
            .iter()
            .find_map(|field| target.get(*field))
            .map_or_else(|| Value::Object(target.clone()).shown(), plain),
        Some(other) => plain(other),
        None => rule.shown(),
    }
}

/// A string as it is, anything else as shown.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.shown(),
    }
}

/// A `workspaces/outboundRules` child; `workspace` is where the language names its parent.
pub fn outbound_rule(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    workspace: Reference,
) -> WorkspaceOutboundRule {
    let path = format!("{body}properties");
    let destination = reader.read(&path, None, "an outbound rule", |value| match value {
        Value::Object(_) => Some(destination(value)),
        _ => None,
    });
    WorkspaceOutboundRule {
        declared,
        workspace,
        destination,
    }
}

/// An `azapi_update_resource` of a workspace that sets its datastore authentication; `None`
/// when it does not touch it.
pub fn workspace_patch(
    reader: &BodyReader<'_>,
    declared: Declared,
    workspace: Reference,
) -> Option<WorkspacePatch> {
    const PATH: &str = "body.properties.systemDatastoresAuthMode";
    if reader.root.find(PATH) == Lookup::Missing {
        return None;
    }
    Some(WorkspacePatch {
        declared,
        workspace,
        datastore_auth: reader.string(PATH, None),
    })
}

/// A `Microsoft.Security/pricings` plan: its name (`AI` for AI services, read beside the body
/// in every language) and whether its tier is `Standard` (on) rather than `Free`.
pub fn pricing(reader: &BodyReader<'_>, body: &str, declared: Declared) -> DefenderSetting {
    let plan = reader.string("name", None);
    let tier = format!("{body}properties.pricingTier");
    DefenderSetting {
        declared,
        scope: DefenderScope::Plan(plan),
        enabled: tier_enabled(reader, &tier),
    }
}

/// `"Standard"` / `"Free"` as a bool (true = on); required, so unresolved when missing.
pub fn tier_enabled(reader: &BodyReader<'_>, path: &str) -> Attr<bool> {
    reader.read(
        path,
        None,
        "\"Standard\" or \"Free\"",
        |value| match value {
            Value::String(s) if s.eq_ignore_ascii_case("Standard") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("Free") => Some(false),
            _ => None,
        },
    )
}

/// An account's `defenderForAISettings`: its `state`, `Enabled` or `Disabled`.
pub fn account_defender(
    reader: &BodyReader<'_>,
    body: &str,
    declared: Declared,
    account: Reference,
) -> DefenderSetting {
    let path = format!("{body}properties.state");
    let enabled = reader.read(
        &path,
        None,
        "\"Enabled\" or \"Disabled\"",
        |value| match value {
            Value::String(s) if s.eq_ignore_ascii_case("Enabled") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("Disabled") => Some(false),
            _ => None,
        },
    );
    DefenderSetting {
        declared,
        scope: DefenderScope::Account(account),
        enabled,
    }
}
