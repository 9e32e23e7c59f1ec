//! AI Foundry hubs and projects, their outbound rules, and Defender for AI plans in Terraform:
//! the azurerm resources (defaults from the provider's documentation and schema) and the azapi
//! bodies, which are ARM's ([`crate::frontend::foundry`]).
//!
//! `azurerm_machine_learning_workspace` is not read: the provider accepts its `kind` as
//! `Default` or `FeatureStore` only (internal/services/machinelearning/
//! machine_learning_workspace_resource.go), so it never declares a hub or a project.

use crate::frontend::azure;
use crate::frontend::foundry::{self, DEFAULT_DATASTORE_AUTH, DEFAULT_ISOLATION_MODE};
use crate::frontend::node::{BodyReader, name_key};
use crate::model::{
    Attr, Declared, DefenderScope, DefenderSetting, FoundryWorkspace, Model, WorkspaceNetwork,
    WorkspaceOutboundRule,
};

/// The resource types read here (see [`super::extract::is_modeled`]).
pub(super) const TYPES: [&str; 6] = [
    "azurerm_ai_foundry",
    "azurerm_ai_foundry_project",
    "azurerm_machine_learning_workspace_network_outbound_rule_fqdn",
    "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint",
    "azurerm_machine_learning_workspace_network_outbound_rule_service_tag",
    "azurerm_security_center_subscription_pricing",
];

/// Adds a resource read here to the model; its declaration back when it is not one.
pub(super) fn map(
    type_name: &str,
    azapi_type: Option<&'static str>,
    reader: &BodyReader<'_>,
    declared: Declared,
    model: &mut Model,
) -> Result<(), Declared> {
    match (type_name, azapi_type) {
        ("azurerm_ai_foundry", _) => model.workspaces.push(hub(reader, declared)),
        ("azurerm_ai_foundry_project", _) => model.workspaces.push(project(reader, declared)),
        ("azurerm_security_center_subscription_pricing", _) => model
            .defender_settings
            .push(subscription_pricing(reader, declared)),
        (rule, _)
            if rule.starts_with("azurerm_machine_learning_workspace_network_outbound_rule_") =>
        {
            model
                .outbound_rules
                .push(outbound_rule(reader, rule, declared))
        }
        ("azapi_resource", Some(azure::WORKSPACE_TYPE)) => {
            let keys = link_keys(reader, &declared);
            model
                .workspaces
                .extend(foundry::workspace(reader, "body.", declared, keys, false));
        }
        ("azapi_resource", Some(azure::OUTBOUND_RULE_TYPE)) => {
            let workspace = reader.reference("parent_id");
            let rule = foundry::outbound_rule(reader, "body.", declared, workspace);
            model.outbound_rules.push(rule);
        }
        ("azapi_resource", Some(azure::PRICING_TYPE)) => model
            .defender_settings
            .push(foundry::pricing(reader, "body.", declared)),
        ("azapi_resource", Some(azure::DEFENDER_SETTINGS_TYPE)) => {
            let account = reader.reference("parent_id");
            let setting = foundry::account_defender(reader, "body.", declared, account);
            model.defender_settings.push(setting);
        }
        ("azapi_update_resource", Some(azure::WORKSPACE_TYPE)) => {
            let workspace = reader.reference("resource_id");
            let patch = foundry::workspace_patch(reader, declared, workspace);
            model.workspace_patches.extend(patch);
        }
        _ => return Err(declared),
    }
    Ok(())
}

/// A workspace is found by its address, and by its name when that is known.
fn link_keys(reader: &BodyReader<'_>, declared: &Declared) -> Vec<String> {
    let mut keys = vec![declared.address.clone()];
    if let Some(name) = reader.string("name", None).value() {
        keys.push(name_key(azure::WORKSPACE_TYPE, name));
    }
    keys
}

/// `azurerm_ai_foundry` (ai_foundry.md; ai_foundry_resource.go sends kind `Hub`).
fn hub(reader: &BodyReader<'_>, declared: Declared) -> FoundryWorkspace {
    let header = declared.header.clone();
    FoundryWorkspace {
        kind: Attr::default("kind", header.clone(), "Hub".into(), "\"Hub\""),
        link_keys: link_keys(reader, &declared),
        hub: Attr::default(
            "ai_services_hub_id",
            header.clone(),
            String::new(),
            "not set",
        ),
        network: WorkspaceNetwork {
            // ai_foundry.md: "public_network_access - (Optional) ... Defaults to `Enabled`."
            public_access: reader.enabled("public_network_access", "Enabled"),
            // The provider has no argument for it and sends none: the platform's false.
            public_behind_vnet: Attr::default(
                "allowPublicAccessWhenBehindVnet",
                header.clone(),
                false,
                "false (azurerm_ai_foundry has no argument for it)",
            ),
            // Without the block the provider sends no managed network: the platform's default.
            isolation_mode: reader.string(
                "managed_network.isolation_mode",
                Some(DEFAULT_ISOLATION_MODE),
            ),
            // Outbound rules are resources of their own in azurerm.
            outbound_rules: Attr::default("managed_network", header.clone(), Vec::new(), "none"),
        },
        datastore_auth: Attr::default(
            "systemDatastoresAuthMode",
            header,
            DEFAULT_DATASTORE_AUTH.into(),
            format!(
                "\"{DEFAULT_DATASTORE_AUTH}\" (azurerm_ai_foundry has no argument for it; set it with an `azapi_update_resource`)"
            ),
        ),
        existing: false,
        declared,
    }
}

/// `azurerm_ai_foundry_project` (ai_foundry_project.md): its network is its hub's.
fn project(reader: &BodyReader<'_>, declared: Declared) -> FoundryWorkspace {
    let header = &declared.header;
    FoundryWorkspace {
        kind: Attr::default("kind", header.clone(), "Project".into(), "\"Project\""),
        link_keys: link_keys(reader, &declared),
        hub: reader.reference("ai_services_hub_id"),
        network: WorkspaceNetwork {
            public_access: inherited("public_network_access", header),
            public_behind_vnet: inherited("allowPublicAccessWhenBehindVnet", header),
            isolation_mode: inherited("managed_network.isolation_mode", header),
            outbound_rules: inherited("managed_network", header),
        },
        datastore_auth: inherited("systemDatastoresAuthMode", header),
        existing: false,
        declared,
    }
}

/// A project's network setting: its hub's, not its own.
fn inherited<T>(name: &str, header: &crate::source::Span) -> Attr<T> {
    Attr::unresolved(name, header.clone(), "is the hub's")
}

/// `azurerm_machine_learning_workspace_network_outbound_rule_{fqdn,private_endpoint,service_tag}`.
fn outbound_rule(
    reader: &BodyReader<'_>,
    type_name: &str,
    declared: Declared,
) -> WorkspaceOutboundRule {
    let destination = match type_name.rsplit('_').next() {
        Some("fqdn") => "destination_fqdn",
        Some("endpoint") => "service_resource_id",
        _ => "service_tag",
    };
    WorkspaceOutboundRule {
        workspace: reader.reference("workspace_id"),
        destination: reader.string(destination, None),
        declared,
    }
}

/// `azurerm_security_center_subscription_pricing`: "resource_type - (Optional) ... Defaults to
/// `VirtualMachines`", "tier - (Required) ... `Free` and `Standard`"
/// (website/docs/r/security_center_subscription_pricing.html.markdown).
fn subscription_pricing(reader: &BodyReader<'_>, declared: Declared) -> DefenderSetting {
    DefenderSetting {
        scope: DefenderScope::Plan(reader.string("resource_type", Some("VirtualMachines"))),
        enabled: foundry::tier_enabled(reader, "tier"),
        declared,
    }
}
