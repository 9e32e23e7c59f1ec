//! Registry modules that deploy an account (the Azure Verified Modules for Cognitive Services)
//! or a private endpoint: not downloaded, but recognized by source and mapped onto the model
//! from the inputs their caller writes, with the defaults in `policies/data-modules.hcl`. Shared
//! by Terraform `module` blocks and Bicep `module` declarations.

use super::registry_inputs::{Entries, ModuleInput, entries, fixed_by_module, module_endpoint};
use crate::frontend::node::{BodyReader, Lookup, Node, NodeKind, map_attr, prefixed};
use crate::frontend::value::Value;
use crate::model::{
    AiAccount, Attr, AttrState, Declared, DeployedModel, DiagnosticSetting, Existence, Identity,
    Model, ModelDeployment, NetworkAcls, Outbound, PrivateEndpoint, PrivateLinkConnection,
    RoleAssignment, Setting,
};
use crate::policy::{
    AccessForm, EndpointsForm, ModuleDeployments, PrivateEndpointModule, RegistryMapping,
    RegistryModule,
};

/// Adds what a registry module deploys: see [`map_module`] and [`map_private_endpoint`].
pub fn map_registry_module(
    mapping: RegistryMapping<'_>,
    reader: &BodyReader<'_>,
    declared: Declared,
    key: String,
    model: &mut Model,
) {
    match mapping {
        RegistryMapping::Account(module) => map_module(module, reader, declared, key, model),
        RegistryMapping::PrivateEndpoint(module) => {
            let endpoint = map_private_endpoint(module, reader, declared);
            model.private_endpoints.push(endpoint);
        }
        RegistryMapping::Workspace(module) => {
            super::registry_workspace::map_workspace(module, reader, declared, key, model)
        }
    }
}

/// The private endpoints a registry module deploys, with the connections its inputs name.
fn map_private_endpoint(
    module: &PrivateEndpointModule,
    reader: &BodyReader<'_>,
    declared: Declared,
) -> PrivateEndpoint {
    let target = |entry: &BodyReader<'_>| match (&module.target_input, &module.target) {
        (Some(input), _) => reader.reference(input),
        (None, Some(target)) => entry.reference(target),
        (None, None) => Attr::unresolved("target", entry.header.clone(), "is not mapped"),
    };
    let mut connections = Vec::new();
    if module.connection_lists.is_empty() {
        connections.push(PrivateLinkConnection {
            target: target(reader),
            group_ids: reader.strings_or_one(&module.group_ids),
        });
    }
    for list in &module.connection_lists {
        match entries(reader, list) {
            None => {}
            Some(Entries::Unknown(span, reason)) => connections.push(PrivateLinkConnection {
                target: Attr::unresolved(list.as_str(), span.clone(), reason.clone()),
                group_ids: Attr::unresolved(list.as_str(), span, reason),
            }),
            Some(Entries::Known(items)) => {
                for (_, item) in items {
                    let entry = BodyReader {
                        root: &item,
                        header: item.span.clone(),
                    };
                    let shown = format!("{list}[]");
                    connections.push(PrivateLinkConnection {
                        target: prefixed(&shown, target(&entry)),
                        group_ids: prefixed(&shown, entry.strings_or_one(&module.group_ids)),
                    });
                }
            }
        }
    }
    PrivateEndpoint {
        declared,
        connections,
    }
}

/// Adds the account a registry module deploys, and the private endpoints and role assignments
/// its inputs ask for. `reader` reads the module's inputs; `key` is how references to the
/// module's id outputs find the account.
fn map_module(
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
    let local_auth = if module.local_auth_inverted {
        let disabled = reader.bool(&module.local_auth, Some(!module.local_auth_default));
        map_attr(disabled, |disabled| !disabled)
    } else {
        reader.bool(&module.local_auth, Some(module.local_auth_default))
    };
    let account = AiAccount {
        kind,
        location: location(module, reader),
        public_network_access: public_access(module, reader),
        local_auth,
        inline_cmk: match &module.customer_managed_key {
            Some(input) => reader.present(input),
            None => fixed_by_module("properties.encryption", &header, false, "not set"),
        },
        inline_key: None,
        custom_subdomain: custom_subdomain(module, reader),
        network_acls: network_acls(module, reader),
        identity: identity(module, reader),
        outbound: outbound(module, reader),
        link_keys: vec![key.clone()],
        resource_group: registry_group(module, reader),
        existing: false,
        module_inputs: module_inputs(module),
        declared: declared.clone(),
    };
    model.accounts.push(Box::new(account));
    if let Some(endpoint) = private_endpoint(module, reader, &declared, &key) {
        model.private_endpoints.push(endpoint);
    }
    if let Some(input) = &module.diagnostic_settings {
        model
            .diagnostic_settings
            .extend(diagnostic_settings(module, reader, input, &declared, &key));
    }
    if let (Some(input), Some(role_key)) = (&module.role_assignments, &module.role_key) {
        model
            .role_assignments
            .extend(role_assignments(reader, input, role_key, &declared, &key));
    }
    if let Some(input) = &module.defender_for_ai {
        let setting = super::registry_workspace::account_defender(reader, input, &declared, &key);
        model.defender_settings.extend(setting);
    }
    if let Some(fields) = &module.model_deployments {
        model
            .deployments
            .extend(model_deployments(fields, reader, &declared, &key));
    }
}

/// The model deployments a module creates on its account, one per entry of its input; entries
/// that cannot be listed are one deployment whose every field says why.
fn model_deployments(
    fields: &ModuleDeployments,
    reader: &BodyReader<'_>,
    account: &Declared,
    key: &str,
) -> Vec<ModelDeployment> {
    let input = fields.input.as_str();
    let deployment = |name: &str, entry: &BodyReader<'_>| {
        let at = format!("{input}[{name}]");
        let sku = entry.string(&fields.sku, fields.sku_default.as_deref());
        let paths = [&fields.format, &fields.name, &fields.version].map(String::as_str);
        let model = super::azure::model_fields(entry, paths);
        ModelDeployment {
            declared: Declared {
                address: format!("{}.{at}", account.address),
                header: entry.header.clone(),
                extent: account.extent.clone(),
                language: account.language,
                existence: account.existence.clone(),
            },
            account: Attr::explicit(
                input,
                entry.header.clone(),
                key.to_string(),
                "the module's account",
            ),
            sku: prefixed(&at, sku),
            rai_policy: prefixed(
                &at,
                super::azure::rai_policy_name(entry, &fields.rai_policy),
            ),
            model: DeployedModel {
                format: prefixed(&at, model.format),
                name: prefixed(&at, model.name),
                version: prefixed(&at, model.version),
            },
            version_upgrade: prefixed(
                &at,
                super::azure::version_upgrade(entry, &fields.version_upgrade),
            ),
        }
    };
    match entries(reader, input) {
        None => Vec::new(),
        Some(Entries::Unknown(span, reason)) => {
            let unknown = Node::value(Value::Unknown(reason), span.clone());
            let entry = BodyReader {
                root: &unknown,
                header: span,
            };
            vec![deployment("", &entry)]
        }
        Some(Entries::Known(items)) => items
            .iter()
            .map(|(name, item)| {
                let entry = BodyReader {
                    root: item,
                    header: item.span.clone(),
                };
                deployment(name, &entry)
            })
            .collect(),
    }
}

/// The resource group a module deploys its account to: its Terraform `resource_group_name` or
/// `parent_id` input; a Bicep module deploys to its caller's group (set by the caller).
/// The module input that sets each account setting, where the module has one.
fn module_inputs(module: &RegistryModule) -> Vec<(Setting, String)> {
    let identity = (module.identity_type.as_ref()).or(module.identity_system_assigned.as_ref());
    let outbound = module.outbound_restricted.as_ref();
    let inputs = [
        (Setting::Location, Some(&module.location)),
        (Setting::PublicAccess, module.public_access.as_ref()),
        (Setting::PrivateEndpoints, module.private_endpoints.as_ref()),
        (
            Setting::CustomerManagedKey,
            module.customer_managed_key.as_ref(),
        ),
        (Setting::LocalAuth, Some(&module.local_auth)),
        (Setting::NetworkAcls, module.network_acls.as_ref()),
        (Setting::CustomSubdomain, module.custom_subdomain.as_ref()),
        (Setting::Identity, identity),
        (Setting::Outbound, outbound),
        (
            Setting::DiagnosticSettings,
            module.diagnostic_settings.as_ref(),
        ),
    ];
    let written = inputs
        .into_iter()
        .filter_map(|(setting, input)| Some((setting, input?)));
    written
        .map(|(setting, input)| (setting, input.clone()))
        .collect()
}

fn registry_group(module: &RegistryModule, reader: &BodyReader<'_>) -> Attr<String> {
    let inputs = ["resource_group_name", "parent_id"];
    match inputs
        .iter()
        .find(|i| !matches!(reader.root.find(i), Lookup::Missing))
    {
        Some(input) if module.language == crate::policy::ModuleLanguage::Terraform => {
            reader.resource_group(input)
        }
        _ => Attr::unresolved("resource group", reader.header.clone(), "is the caller's"),
    }
}

fn location(module: &RegistryModule, reader: &BodyReader<'_>) -> Attr<String> {
    let inputs = std::iter::once(&module.location).chain(&module.location_fallback);
    for input in inputs {
        if !matches!(reader.root.find(input), Lookup::Missing) {
            return reader.location(input);
        }
    }
    Attr::unresolved(
        module.location.as_str(),
        reader.header.clone(),
        "is not set: the module then uses the resource group's location, known only at deployment",
    )
}

fn public_access(module: &RegistryModule, reader: &BodyReader<'_>) -> Attr<bool> {
    let Some(input) = &module.public_access else {
        return disabled_with(reader, &module.public_access_disabled_with);
    };
    let mut default = match &module.public_access_default_with {
        Some(with) if reader.present(with).value() == Some(&true) => true,
        _ => module.public_access_default,
    };
    if let Some(flag) = &module.public_access_default_flipped_by {
        let flipped = reader.bool(flag, Some(false));
        match flipped.value() {
            Some(true) => default = !default,
            Some(false) => {}
            // The default is unknown; it only matters when the input is not set.
            None if matches!(reader.root.find(input), Lookup::Missing) => return flipped,
            None => {}
        }
    }
    match module.public_access_form {
        AccessForm::Bool => reader.bool(input, Some(default)),
        AccessForm::Enabled => reader.enabled(input, if default { "Enabled" } else { "Disabled" }),
    }
}

/// Public access of a module that disables it when every input that sets up private
/// networking is set, and enables it otherwise.
fn disabled_with(reader: &BodyReader<'_>, inputs: &[String]) -> Attr<bool> {
    let all = all_set(reader, inputs);
    if all.value() != Some(&false) {
        return map_attr(all, |all| !all);
    }
    let inputs: Vec<String> = inputs.iter().map(|i| format!("`{i}`")).collect();
    let shown = format!(
        "\"Enabled\" (the module disables it only when {} are set, and `{}` is not)",
        inputs.join(" and "),
        all.name
    );
    let name = "publicNetworkAccess";
    match all.is_default() {
        true => Attr::default(name, all.span, true, shown),
        false => Attr::explicit(name, all.span, true, shown),
    }
}

/// Whether every input is set to something that is not empty (`""`, `[]`, `{}`); true when
/// there are none.
fn all_set(reader: &BodyReader<'_>, inputs: &[String]) -> Attr<bool> {
    let mut last = Attr::default("", reader.header.clone(), true, "set");
    for input in inputs {
        let set = match reader.root.find(input) {
            Lookup::Missing => {
                Attr::default(input.as_str(), reader.header.clone(), false, "absent")
            }
            Lookup::Unresolved { reason, span } => Attr::unresolved(input.as_str(), span, reason),
            Lookup::Found(node) => {
                let value = node.to_value();
                let span = node.span.clone();
                match &value {
                    Value::Unknown(reason) => {
                        Attr::unresolved(input.as_str(), span, reason.clone())
                    }
                    Value::Partial(_) if value.is_non_empty_string() => {
                        Attr::explicit(input.as_str(), span, true, "set")
                    }
                    Value::Partial(partial) => {
                        Attr::unresolved(input.as_str(), span, partial.reason.clone())
                    }
                    Value::String(text) => {
                        Attr::explicit(input.as_str(), span, !text.is_empty(), value.shown())
                    }
                    Value::List(items) => {
                        Attr::explicit(input.as_str(), span, !items.is_empty(), "a list")
                    }
                    Value::Object(map) => {
                        Attr::explicit(input.as_str(), span, !map.is_empty(), "an object")
                    }
                    _ => Attr::explicit(input.as_str(), span, true, "set"),
                }
            }
        };
        match set.value() {
            Some(true) => last = set,
            // One input not set decides; an unknown one leaves it unknown.
            Some(false) | None => return set,
        }
    }
    last
}

fn outbound(module: &RegistryModule, reader: &BodyReader<'_>) -> Outbound {
    let header = &reader.header;
    if let Some(restricted) = module.outbound_fixed {
        return Outbound {
            restricted: fixed_by_module(
                "properties.restrictOutboundNetworkAccess",
                header,
                restricted,
                if restricted {
                    "true"
                } else {
                    "not set (false)"
                },
            ),
            allowed_fqdns: fixed_by_module(
                "properties.allowedFqdnList",
                header,
                Vec::new(),
                "not set",
            ),
        };
    }
    match (&module.outbound_restricted, &module.allowed_fqdns) {
        (Some(restricted), Some(fqdns)) => Outbound {
            restricted: reader.bool(restricted, Some(module.outbound_restricted_default)),
            allowed_fqdns: reader.string_list(fqdns),
        },
        _ => Outbound {
            restricted: not_mapped("outbound network access", header),
            allowed_fqdns: not_mapped("outbound network access", header),
        },
    }
}

/// The private endpoints (group `account`) a module creates on its account, as one endpoint.
fn private_endpoint(
    module: &RegistryModule,
    reader: &BodyReader<'_>,
    declared: &Declared,
    key: &str,
) -> Option<PrivateEndpoint> {
    let (input, span, existence) = match (&module.private_endpoints, module.private_endpoints_form)
    {
        (Some(input), EndpointsForm::Entries) => match entries(reader, input)? {
            Entries::Known(items) if items.is_empty() => return None,
            Entries::Known(items) => (
                input.clone(),
                items[0].1.span.clone(),
                declared.existence.clone(),
            ),
            Entries::Unknown(span, reason) => {
                (input.clone(), span, Existence::Conditional { reason })
            }
        },
        (Some(input), EndpointsForm::Bool) => {
            created_when(reader.bool(input, Some(false)), declared)?
        }
        (None, _) if module.private_endpoints_with.is_empty() => return None,
        (None, _) => created_when(all_set(reader, &module.private_endpoints_with), declared)?,
    };
    let at = ModuleInput {
        name: &input,
        span,
        existence,
    };
    Some(module_endpoint(
        declared,
        at,
        key,
        "the module's account",
        "account",
    ))
}

/// Where and whether an endpoint that exists when `condition` holds is created.
fn created_when(
    condition: Attr<bool>,
    declared: &Declared,
) -> Option<(String, crate::source::Span, Existence)> {
    let existence = match &condition.state {
        AttrState::Explicit { value: false, .. } | AttrState::Default { value: false, .. } => {
            return None;
        }
        AttrState::Explicit { .. } | AttrState::Default { .. } => declared.existence.clone(),
        AttrState::Unresolved { reason, .. } => Existence::Conditional {
            reason: format!("`{}` {reason}", condition.name),
        },
    };
    Some((condition.name, condition.span, existence))
}

fn role_assignments(
    reader: &BodyReader<'_>,
    input: &str,
    role_key: &str,
    declared: &Declared,
    key: &str,
) -> Vec<RoleAssignment> {
    let Some(Entries::Known(items)) = entries(reader, input) else {
        return Vec::new();
    };
    items
        .into_iter()
        .map(|(name, item)| {
            let item_reader = BodyReader {
                root: &item,
                header: item.span.clone(),
            };
            RoleAssignment {
                declared: Declared {
                    address: format!("{}.{input}[{name}]", declared.address),
                    header: item.span.clone(),
                    extent: declared.extent.clone(),
                    language: declared.language,
                    existence: declared.existence.clone(),
                },
                scope: Attr::explicit(
                    input,
                    item.span.clone(),
                    key.to_string(),
                    "the module's account",
                ),
                role: item_reader.string(role_key, None),
            }
        })
        .collect()
}

fn custom_subdomain(module: &RegistryModule, reader: &BodyReader<'_>) -> Attr<String> {
    let Some(input) = &module.custom_subdomain else {
        return not_mapped("custom subdomain", &reader.header);
    };
    let written = reader.string(input, Some(""));
    match written.value() {
        Some(name) if name.is_empty() && module.custom_subdomain_generated => Attr::default(
            input.as_str(),
            reader.header.clone(),
            "(generated)".to_string(),
            "a name the module generates",
        ),
        _ => written,
    }
}

fn network_acls(module: &RegistryModule, reader: &BodyReader<'_>) -> NetworkAcls {
    let header = &reader.header;
    if let Some(action) = &module.network_acls_fixed_default_action {
        return NetworkAcls {
            present: fixed_by_module("properties.networkAcls", header, true, "set"),
            default_action: fixed_by_module(
                "properties.networkAcls.defaultAction",
                header,
                action.clone(),
                &format!("{action:?}"),
            ),
            ip_rules: fixed_by_module("properties.networkAcls.ipRules", header, Vec::new(), "[]"),
        };
    }
    let (Some(input), Some(action), Some(ip_rules)) = (
        &module.network_acls,
        &module.network_acls_default_action,
        &module.network_acls_ip_rules,
    ) else {
        return NetworkAcls {
            present: not_mapped("network ACLs", header),
            default_action: not_mapped("network ACLs", header),
            ip_rules: not_mapped("network ACLs", header),
        };
    };
    let node = match reader.root.find(input) {
        Lookup::Found(node) => node.into_owned(),
        Lookup::Missing => {
            return NetworkAcls {
                present: Attr::default(input.as_str(), header.clone(), false, "absent"),
                default_action: Attr::default(
                    input.as_str(),
                    header.clone(),
                    "Allow".into(),
                    "\"Allow\"",
                ),
                ip_rules: Attr::default(input.as_str(), header.clone(), Vec::new(), "[]"),
            };
        }
        Lookup::Unresolved { reason, span } => {
            return NetworkAcls {
                present: Attr::unresolved(input.as_str(), span.clone(), reason.clone()),
                default_action: Attr::unresolved(input.as_str(), span.clone(), reason.clone()),
                ip_rules: Attr::unresolved(input.as_str(), span, reason),
            };
        }
    };
    // A list of ACL objects (Azure/openai's set): the first one is what the provider applies.
    let acl = match &node.kind {
        NodeKind::Object(_) | NodeKind::Value(Value::Object(_)) => node,
        _ => match node.items() {
            Ok(items) => items.into_iter().next().unwrap_or(node),
            Err(_) => node,
        },
    };
    let acl_reader = BodyReader {
        root: &acl,
        header: acl.span.clone(),
    };
    NetworkAcls {
        present: Attr::explicit(input.as_str(), acl.span.clone(), true, "present"),
        default_action: prefixed(input, acl_reader.string(action, Some("Allow"))),
        ip_rules: prefixed(input, acl_reader.string_or_field_list(ip_rules, "value")),
    }
}

/// The identity, from a type string or from a system-assigned flag and a list of identities.
fn identity(module: &RegistryModule, reader: &BodyReader<'_>) -> Identity {
    let header = &reader.header;
    let user_assigned = match &module.identity_user_assigned {
        Some(input) => reader.resource_list(input),
        None => not_mapped("managed identity", header),
    };
    if let Some(fixed) = &module.identity_fixed {
        return Identity {
            kind: fixed_by_module(
                "identity.type",
                header,
                fixed.clone(),
                &format!("{fixed:?}"),
            ),
            user_assigned: fixed_by_module(
                "identity.userAssignedIdentities",
                header,
                Vec::new(),
                "not set",
            ),
        };
    }
    let kind = match (&module.identity_type, &module.identity_system_assigned) {
        (Some(input), _) => reader.string(input, Some("None")),
        (None, Some(input)) => {
            let system = reader.bool(input, Some(module.identity_system_assigned_default));
            match (system.value(), user_assigned.value()) {
                (Some(enabled), Some(users)) => {
                    let kind = match (*enabled, !users.is_empty()) {
                        (true, true) => "SystemAssigned, UserAssigned",
                        (true, false) => "SystemAssigned",
                        (false, true) => "UserAssigned",
                        (false, false) => "None",
                    };
                    let (name, span) = if users.is_empty() {
                        (system.name.clone(), system.span.clone())
                    } else {
                        (user_assigned.name.clone(), user_assigned.span.clone())
                    };
                    match system.is_default() && user_assigned.is_default() {
                        // Neither is written: the message names the input that holds both.
                        true => {
                            let input = input.split('.').next().unwrap_or(input);
                            Attr::default(input, span, kind.to_string(), format!("{kind:?}"))
                        }
                        false => Attr::explicit(name, span, kind.to_string(), format!("{kind:?}")),
                    }
                }
                (None, _) => Attr::unresolved(
                    system.name.clone(),
                    system.span.clone(),
                    system.unresolved_reason().unwrap_or_default().to_string(),
                ),
                (Some(_), None) => Attr::unresolved(
                    user_assigned.name.clone(),
                    user_assigned.span.clone(),
                    user_assigned
                        .unresolved_reason()
                        .unwrap_or_default()
                        .to_string(),
                ),
            }
        }
        (None, None) => not_mapped("managed identity", header),
    };
    Identity {
        kind,
        user_assigned,
    }
}

/// The diagnostic settings a module creates on its account, one per entry of its input.
fn diagnostic_settings(
    module: &RegistryModule,
    reader: &BodyReader<'_>,
    input: &str,
    account: &Declared,
    key: &str,
) -> Vec<DiagnosticSetting> {
    let setting =
        |name: String, span: crate::source::Span, logs: Attr<Vec<String>>| DiagnosticSetting {
            declared: Declared {
                address: format!("{}.{input}[{name}]", account.address),
                header: span.clone(),
                extent: account.extent.clone(),
                language: account.language,
                existence: account.existence.clone(),
            },
            target: Attr::explicit(input, span, key.to_string(), "the module's account"),
            logs,
        };
    match entries(reader, input) {
        None => Vec::new(),
        Some(Entries::Unknown(span, reason)) => {
            let logs = Attr::unresolved(input, span.clone(), reason);
            vec![setting(String::new(), span, logs)]
        }
        Some(Entries::Known(items)) => items
            .into_iter()
            .map(|(name, item)| {
                let logs = module_logs(module, input, &item);
                setting(name, item.span.clone(), logs)
            })
            .collect(),
    }
}

/// The log categories one diagnostic-settings entry of a module enables.
fn module_logs(module: &RegistryModule, input: &str, item: &Node) -> Attr<Vec<String>> {
    let mut enabled = Vec::new();
    let mut listed = false;
    for (field, category) in &module.diagnostic_log_presence {
        match item.find(field) {
            Lookup::Missing => {}
            Lookup::Found(_) => enabled.push(category.clone()),
            Lookup::Unresolved { reason, span } => return Attr::unresolved(input, span, reason),
        }
    }
    for field in &module.diagnostic_log_lists {
        let node = match item.find(field) {
            Lookup::Missing => continue,
            Lookup::Found(node) => node,
            Lookup::Unresolved { reason, span } => return Attr::unresolved(input, span, reason),
        };
        listed = true;
        let entries = match node.items() {
            Ok(entries) => entries,
            Err(reason) => return Attr::unresolved(input, node.span.clone(), reason),
        };
        for entry in entries {
            match &entry.kind {
                NodeKind::Value(Value::String(category)) => enabled.push(category.clone()),
                _ => match super::azure::enabled_log(&entry, ("category", "categoryGroup"), true) {
                    Ok(category) => enabled.extend(category),
                    Err(reason) => return Attr::unresolved(input, entry.span.clone(), reason),
                },
            }
        }
    }
    let default_off = module
        .diagnostic_log_default_unless
        .as_ref()
        .is_some_and(|field| item.find(field) != Lookup::Missing);
    if !listed && !default_off && module.diagnostic_log_presence.is_empty() {
        enabled = module.diagnostic_log_default.clone();
    }
    let shown = format!("{enabled:?}");
    Attr::explicit(input, item.span.clone(), enabled, shown)
}

/// A setting the module's data does not map: unknown, never guessed.
fn not_mapped<T>(name: &str, header: &crate::source::Span) -> Attr<T> {
    Attr::unresolved(
        name,
        header.clone(),
        "is set inside the registry module, whose inputs for it are not mapped yet",
    )
}
