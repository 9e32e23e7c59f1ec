//! Terraform resources -> the normalized model.
//!
//! Each modeled resource block becomes a [`Node`] tree (attributes evaluated, nested blocks as
//! objects, azapi bodies as objects whether written as HCL or `jsonencode(...)`), read with the
//! shared [`BodyReader`]. Provider defaults cite the provider documentation they come from
//! (`../shared/reference/azurerm/*.md`); azapi bodies take the ARM defaults of
//! [`crate::frontend::azure`].

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};

use super::configuration::{Child, Configuration};
use super::eval::{Evaluator, Repetition, Value, count_or_for_each};
use super::module::ResourceBlock;
use super::syntax::{block_extent, block_header};
use crate::frontend::node::{BodyReader, Lookup, Node, NodeKind, name_key, prefixed};
use crate::frontend::{azure, registry_modules};
use crate::model::{
    AiAccount, Attr, AttrState, CmkBinding, CmkKey, Connection, Declared, DiagnosticSetting,
    Existence, Identity, KeyVault, KeyVaultKey, Language, Model, ModelDeployment, NetworkAcls,
    Outbound, PrivateEndpoint, PrivateLinkConnection, ResourceGroup, RoleAssignment,
    UnfollowedModule, Via,
};
use crate::source::Span;

/// The resource types the model reads; all others are skipped before any evaluation.
const MODELED_TYPES: [&str; 16] = [
    "azurerm_cognitive_account",
    "azurerm_ai_services",
    "azapi_resource",
    "azapi_update_resource",
    "azurerm_private_endpoint",
    "azurerm_role_assignment",
    "azurerm_cognitive_account_customer_managed_key",
    "azurerm_cognitive_deployment",
    "azurerm_cognitive_account_rai_policy",
    "azurerm_cognitive_account_connection_api_key",
    "azurerm_cognitive_account_connection_entra_id",
    "azurerm_cognitive_account_connection_account_managed_identity",
    "azurerm_resource_group",
    "azurerm_key_vault",
    "azurerm_key_vault_key",
    "azurerm_monitor_diagnostic_setting",
];

/// Whether the model reads resources of this type.
pub(super) fn is_modeled(type_name: &str) -> bool {
    MODELED_TYPES.contains(&type_name) || super::foundry::TYPES.contains(&type_name)
}

/// An `azurerm_cognitive_account_connection_*`: the resource type says how it authenticates.
fn azurerm_connection(reader: &BodyReader<'_>, type_name: &str, declared: Declared) -> Connection {
    let header = declared.header.clone();
    let auth_type = match type_name.trim_start_matches("azurerm_cognitive_account_connection_") {
        "api_key" => {
            let key = reader.present("api_key");
            let shown = "set";
            Attr::explicit("api_key", key.span, "ApiKey".to_string(), shown)
        }
        "entra_id" => Attr::default("type", header, "AAD".to_string(), "Entra ID"),
        _ => Attr::default(
            "type",
            header,
            "ManagedIdentity".to_string(),
            "a managed identity",
        ),
    };
    Connection {
        category: reader.string("category", None),
        auth_type,
        target: azure::connection_target(reader, "metadata.ResourceId", "target"),
        declared,
    }
}

/// `azurerm_cognitive_account_rai_policy`: one `content_filter` block per entry.
const RAI_POLICY_BLOCKS: azure::RaiPolicyFields = azure::RaiPolicyFields {
    name: "name",
    base_policy: "base_policy_name",
    mode: "mode",
    filters: "content_filter",
    filters_are_blocks: true,
    filter_name: "name",
    enabled: "filter_enabled",
    blocking: "block_enabled",
    severity_threshold: "severity_threshold",
    source: "source",
};

/// More instances than this are checked once, as if `count`/`for_each` were unknown.
const MAX_INSTANCES: usize = 64;

pub fn extract(configuration: &Configuration<'_>) -> Model {
    let eval = Evaluator::new(configuration);
    let mut model = Model::default();
    for (i, instance) in configuration.instances.iter().enumerate() {
        eval.enter(i);
        let Some(module_existence) = module_existence(&eval, configuration, i) else {
            continue;
        };
        let mut instance_model = Model::default();
        super::exposure::find(configuration, i, &mut instance_model);
        if instance.caller.is_none() {
            instance_model
                .subscription_deployments
                .extend(subscription_deployment(instance));
        }
        let modeled = |type_name: &str| is_modeled(type_name);
        instance.index.for_each_resource(modeled, |resource| {
            let converter = Converter {
                eval: &eval,
                configuration,
                resource,
            };
            let address = format!("{}{}", instance.prefix, resource.address());
            instance_model.extend(converter.instances(&address));
        });
        for call in instance.index.calls() {
            let address = format!("{}module.{}", instance.prefix, call.name);
            let declared = |existence| Declared {
                address: address.clone(),
                header: block_header(call.file, call.block),
                extent: block_extent(call.file, call.block),
                language: Language::Terraform,
                existence,
            };
            match configuration.child(i, call.name) {
                Some(Child::NotFollowed(reason)) => {
                    let receives = call
                        .block
                        .body
                        .attributes()
                        .flat_map(|attribute| eval.eval(&attribute.value).value.resource_keys())
                        .collect();
                    instance_model.unfollowed_modules.push(UnfollowedModule {
                        declared: declared(Existence::Always),
                        source: call.source.clone().unwrap_or_default(),
                        reason: reason.clone(),
                        receives,
                    });
                }
                Some(Child::Registry(mapping)) => {
                    let existence = match count_or_for_each(&eval, &call.block.body) {
                        Repetition::Never => continue,
                        Repetition::Unknown(reason) => Existence::Conditional { reason },
                        Repetition::Once | Repetition::Instances(_) => Existence::Always,
                    };
                    let block = ResourceBlock {
                        file: call.file,
                        block: call.block,
                        type_name: "module",
                        name: call.name,
                    };
                    let converter = Converter {
                        eval: &eval,
                        configuration,
                        resource: &block,
                    };
                    let header = converter.header();
                    let root = converter.block(&call.block.body, header.clone());
                    let reader = BodyReader {
                        root: &root,
                        header,
                    };
                    let key = address.clone();
                    registry_modules::map_registry_module(
                        *mapping,
                        &reader,
                        declared(existence),
                        key,
                        &mut instance_model,
                    );
                }
                Some(Child::Local(_)) | None => {}
            }
        }
        if let Existence::Conditional { .. } = module_existence {
            for declared in instance_model.declarations_mut() {
                if declared.existence == Existence::Always {
                    declared.existence = module_existence.clone();
                }
            }
        }
        model.extend(instance_model);
    }
    model
}

/// A root module that configures the azurerm provider deploys to a subscription: its
/// `provider "azurerm"` block is where a subscription-wide setting would sit beside it.
fn subscription_deployment(instance: &super::configuration::Instance<'_>) -> Option<Declared> {
    let (file, block) = instance.index.azurerm_provider()?;
    Some(Declared {
        address: "provider.azurerm".into(),
        header: block_header(file, block),
        extent: block_extent(file, block),
        language: Language::Terraform,
        existence: Existence::Always,
    })
}

/// Whether the `module` blocks leading to an instance create it: `None` when a `count` or
/// `for_each` on the way is empty.
fn module_existence(
    eval: &Evaluator<'_>,
    configuration: &Configuration<'_>,
    instance: usize,
) -> Option<Existence> {
    let mut existence = Existence::Always;
    let mut current = configuration.instances[instance].caller;
    while let Some(caller) = current {
        eval.enter(caller.instance);
        match count_or_for_each(eval, &caller.block.body) {
            Repetition::Once => {}
            Repetition::Never => {
                eval.enter(instance);
                return None;
            }
            Repetition::Unknown(reason) => {
                let name = caller.block.labels.first().map_or("", |l| l.as_str());
                existence = Existence::Conditional {
                    reason: format!("the `module \"{name}\"` block's {reason}"),
                };
            }
            Repetition::Instances(_) => {}
        }
        current = configuration.instances[caller.instance].caller;
    }
    eval.enter(instance);
    Some(existence)
}

/// One resource's model from its arguments (read by `reader`), whether they come from HCL or
/// from a plan's values.
pub(crate) fn map_resource(
    type_name: &str,
    azapi_type: Option<&'static str>,
    reader: &BodyReader<'_>,
    declared: Declared,
    model: &mut Model,
) {
    let Err(declared) = super::foundry::map(type_name, azapi_type, reader, declared, model) else {
        return;
    };
    match type_name {
        "azurerm_cognitive_account" => {
            let kind = reader.string("kind", None);
            if kind
                .value()
                .is_some_and(|k| !azure::ACCOUNT_KINDS.contains(&k.as_str()))
            {
                return;
            }
            model.accounts.push(Box::new(AiAccount {
                kind,
                location: reader.location("location"),
                // cognitive_account.md: "public_network_access_enabled - (Optional) ... Defaults to true."
                public_network_access: reader.bool("public_network_access_enabled", Some(true)),
                // cognitive_account.md: "local_auth_enabled - (Optional) ... Defaults to true."
                local_auth: reader.bool("local_auth_enabled", Some(true)),
                inline_cmk: reader.present("customer_managed_key"),
                inline_key: inline_key(reader),
                custom_subdomain: reader.string("custom_subdomain_name", Some("")),
                network_acls: network_acls(reader),
                identity: identity(reader),
                outbound: outbound(reader),
                link_keys: link_keys(reader, &declared),
                resource_group: reader.resource_group("resource_group_name"),
                existing: false,
                module_inputs: Vec::new(),
                declared,
            }));
        }
        "azurerm_ai_services" => model.accounts.push(Box::new(AiAccount {
            kind: Attr::default(
                "kind",
                declared.header.clone(),
                "AIServices".into(),
                "\"AIServices\"",
            ),
            location: reader.location("location"),
            // ai_services.md: "public_network_access - (Optional) ... Defaults to Enabled."
            public_network_access: reader.enabled("public_network_access", "Enabled"),
            // ai_services.md: "local_authentication_enabled - (Optional) ... Defaults to true."
            local_auth: reader.bool("local_authentication_enabled", Some(true)),
            inline_cmk: reader.present("customer_managed_key"),
            inline_key: inline_key(reader),
            custom_subdomain: reader.string("custom_subdomain_name", Some("")),
            network_acls: network_acls(reader),
            identity: identity(reader),
            outbound: outbound(reader),
            link_keys: link_keys(reader, &declared),
            resource_group: reader.resource_group("resource_group_name"),
            existing: false,
            module_inputs: Vec::new(),
            declared,
        })),
        "azurerm_resource_group" => model.resource_groups.push(ResourceGroup {
            link_keys: vec![declared.address.clone()],
            name: reader.string("name", None),
        }),
        "azurerm_key_vault" => model.key_vaults.push(KeyVault {
            // key_vault.md: purge protection is optional and off unless set.
            purge_protection: reader.bool("purge_protection_enabled", Some(false)),
            // azurerm 3+ has no way to disable soft delete.
            soft_delete: Attr::default(
                "soft_delete_retention_days",
                declared.header.clone(),
                true,
                "on (it cannot be disabled in azurerm)",
            ),
            link_keys: vec![declared.address.clone()],
            existing: false,
            declared,
        }),
        "azurerm_key_vault_key" => model.key_vault_keys.push(KeyVaultKey {
            vault: reader.reference("key_vault_id"),
            link_keys: vec![declared.address.clone()],
            declared,
        }),
        "azurerm_monitor_diagnostic_setting" => model.diagnostic_settings.push(DiagnosticSetting {
            target: reader.reference("target_resource_id"),
            logs: terraform_logs(reader),
            declared,
        }),
        "azapi_resource" => match azapi_type {
            Some(azure::ACCOUNT_TYPE) => {
                let keys = link_keys(reader, &declared);
                let placement = azure::Placement {
                    existing: false,
                    group: reader.resource_group("parent_id"),
                    deployment_scope: Attr::unresolved(
                        "scope",
                        declared.header.clone(),
                        "is not set",
                    ),
                };
                let account = azure::account(reader, "body.", declared, keys, &placement);
                // azapi >= 1.13 reads the identity from its own block; older bodies carry it.
                let in_body = reader.root.find("body.identity") != Lookup::Missing
                    && reader.root.find("identity") == Lookup::Missing;
                model.accounts.extend(account.map(|mut account| {
                    if !in_body {
                        account.identity = identity(reader);
                    }
                    Box::new(account)
                }));
            }
            Some(azure::KEY_VAULT_TYPE) => {
                let keys = vec![declared.address.clone()];
                model
                    .key_vaults
                    .push(azure::key_vault(reader, "body.", declared, keys, false));
            }
            Some(azure::KEY_TYPE) => model.key_vault_keys.push(KeyVaultKey {
                vault: reader.reference("parent_id"),
                link_keys: vec![declared.address.clone()],
                declared,
            }),
            Some(azure::DIAGNOSTIC_SETTING_TYPE) => {
                let target = reader.reference("parent_id");
                model
                    .diagnostic_settings
                    .push(azure::diagnostic_setting(reader, "body.", declared, target));
            }
            Some(azure::PRIVATE_ENDPOINT_TYPE) => {
                model
                    .private_endpoints
                    .push(azure::private_endpoint(reader, "body.", declared));
            }
            Some(azure::ROLE_ASSIGNMENT_TYPE) => {
                let scope = reader.reference("parent_id");
                model
                    .role_assignments
                    .push(azure::role_assignment(reader, "body.", declared, scope));
            }
            Some(azure::DEPLOYMENT_TYPE) => {
                let account = reader.reference("parent_id");
                model
                    .deployments
                    .push(azure::model_deployment(reader, "body.", declared, account));
            }
            Some(connection) if azure::is_connection_type(connection) => {
                model
                    .connections
                    .push(azure::connection_of(reader, "body.", declared));
            }
            Some(azure::RAI_POLICY_TYPE) => {
                let account = reader.reference("parent_id");
                let fields = &azure::RAI_POLICY_PROPERTIES;
                let policy = azure::rai_policy(reader, "body.", fields, declared, account);
                model.rai_policies.push(policy);
            }
            _ => {}
        },
        "azapi_update_resource" if azapi_type == Some(azure::ACCOUNT_TYPE) => {
            model.cmk_bindings.extend(azapi_cmk_patch(reader, declared));
        }
        "azurerm_private_endpoint" => {
            let connections = reader
                .root
                .get_all("private_service_connection")
                .iter()
                .map(|block| {
                    let block_reader = BodyReader {
                        root: block,
                        header: block.span.clone(),
                    };
                    PrivateLinkConnection {
                        target: prefixed(
                            "private_service_connection",
                            block_reader.reference("private_connection_resource_id"),
                        ),
                        group_ids: prefixed(
                            "private_service_connection",
                            block_reader.string_list("subresource_names"),
                        ),
                    }
                })
                .collect();
            model.private_endpoints.push(PrivateEndpoint {
                declared,
                connections,
            });
        }
        "azurerm_role_assignment" => {
            // Either names the role; a plan also has the one Terraform computes, unknown.
            let by_id = reader.string("role_definition_id", None);
            let role = match (
                reader.root.get_all("role_definition_id").is_empty(),
                by_id.value(),
            ) {
                (false, Some(_)) => by_id,
                (true, _) => reader.string("role_definition_name", None),
                (false, None) => match reader.string("role_definition_name", None) {
                    by_name if by_name.value().is_some() => by_name,
                    _ => by_id,
                },
            };
            model.role_assignments.push(RoleAssignment {
                scope: reader.reference("scope"),
                role,
                declared,
            });
        }
        "azurerm_cognitive_account_customer_managed_key" => {
            model.cmk_bindings.push(CmkBinding {
                account: reader.reference("cognitive_account_id"),
                key: CmkKey {
                    key: reader.resource_of("key_vault_key_id", None),
                    identity: reader.resource_of("identity_client_id", Some("")),
                },
                declared,
            });
        }
        "azurerm_cognitive_deployment" => model.deployments.push(ModelDeployment {
            account: reader.reference("cognitive_account_id"),
            // azurerm 3 wrote the SKU as `scale { type }`.
            sku: match (reader.root.find("sku"), reader.root.find("scale")) {
                (Lookup::Missing, Lookup::Found(_)) => reader.string("scale.type", None),
                _ => reader.string("sku.name", None),
            },
            rai_policy: azure::rai_policy_name(reader, "rai_policy_name"),
            model: azure::deployed_model(reader, "model"),
            version_upgrade: azure::version_upgrade(reader, "version_upgrade_option"),
            declared,
        }),
        connection if connection.starts_with("azurerm_cognitive_account_connection_") => {
            model
                .connections
                .push(azurerm_connection(reader, connection, declared));
        }
        "azurerm_cognitive_account_rai_policy" => {
            let account = reader.reference("cognitive_account_id");
            let policy = azure::rai_policy(reader, "", &RAI_POLICY_BLOCKS, declared, account);
            model.rai_policies.push(policy);
        }
        _ => {}
    }
}

/// An account is found by its address, and by its name when that is known (so that a literal
/// ARM resource id links to it too).
fn link_keys(reader: &BodyReader<'_>, declared: &Declared) -> Vec<String> {
    let mut keys = vec![declared.address.clone()];
    if let Some(name) = reader.string("name", None).value() {
        keys.push(name_key(azure::ACCOUNT_TYPE, name));
    }
    keys
}

/// The resource type of an azapi `type`, without its API version. The version is often
/// interpolated from a variable, so the literal text before it is enough.
fn azapi_type(eval: &Evaluator<'_>, resource: &ResourceBlock<'_>) -> Option<&'static str> {
    if !resource.type_name.starts_with("azapi_") {
        return None;
    }
    let expr = &resource.block.body.get_attribute("type")?.value;
    let text = match (eval.eval(expr).value, expr) {
        (Value::String(text), _) => text,
        (_, Expression::StringTemplate(template)) => literal_prefix(template)?,
        _ => return None,
    };
    let (resource_type, _) = text.split_once('@')?;
    azure::canonical_type(resource_type)
}

/// An `azapi_update_resource` that sets a Key Vault key on an existing account (how modules add
/// CMK after the identity has been granted access to the key).
fn azapi_cmk_patch(reader: &BodyReader<'_>, mut declared: Declared) -> Option<CmkBinding> {
    const KEY_SOURCE: &str = "body.properties.encryption.keySource";
    // A patch that does not touch the key source says nothing about CMK.
    if reader.root.find(KEY_SOURCE) == Lookup::Missing {
        return None;
    }
    let key_source = reader.string(KEY_SOURCE, None);
    match &key_source.state {
        AttrState::Explicit { value, .. } if value.eq_ignore_ascii_case("Microsoft.KeyVault") => {}
        AttrState::Unresolved { .. } => {
            // The patch may set a Key Vault key or not: treat it like a conditional binding.
            if declared.existence == Existence::Always {
                declared.existence = Existence::Conditional {
                    reason: key_source.describe(),
                };
            }
        }
        _ => return None,
    }
    const KEY: &str = "body.properties.encryption.keyVaultProperties";
    Some(CmkBinding {
        account: reader.reference("resource_id"),
        key: CmkKey {
            key: reader.resource_of(&format!("{KEY}.keyVaultUri"), None),
            identity: reader.resource_of(&format!("{KEY}.identityClientId"), Some("")),
        },
        declared,
    })
}

/// The `customer_managed_key` block of an azurerm account.
fn inline_key(reader: &BodyReader<'_>) -> Option<CmkKey> {
    if reader.root.find("customer_managed_key") == Lookup::Missing {
        return None;
    }
    Some(CmkKey {
        key: reader.resource_of("customer_managed_key.key_vault_key_id", None),
        identity: reader.resource_of("customer_managed_key.identity_client_id", Some("")),
    })
}

/// cognitive_account.md / ai_services.md: `network_acls { default_action, ip_rules }`; without
/// the block nothing is filtered.
fn network_acls(reader: &BodyReader<'_>) -> NetworkAcls {
    NetworkAcls {
        present: reader.present("network_acls"),
        default_action: reader.string("network_acls.default_action", Some("Allow")),
        ip_rules: reader.string_list("network_acls.ip_rules"),
    }
}

/// `identity { type, identity_ids }` (azurerm and azapi alike); no block means no identity.
fn identity(reader: &BodyReader<'_>) -> Identity {
    Identity {
        kind: reader.string("identity.type", Some("None")),
        user_assigned: reader.resource_list("identity.identity_ids"),
    }
}

/// cognitive_account.md: "outbound_network_access_restricted - (Optional) ... Defaults to false."
fn outbound(reader: &BodyReader<'_>) -> Outbound {
    Outbound {
        restricted: reader.bool("outbound_network_access_restricted", Some(false)),
        allowed_fqdns: reader.string_list("fqdns"),
    }
}

/// The log categories a diagnostic setting enables: `enabled_log { category | category_group }`
/// blocks, and the legacy `log { category, enabled }`.
fn terraform_logs(reader: &BodyReader<'_>) -> Attr<Vec<String>> {
    let mut enabled = Vec::new();
    let mut first_span = None;
    for (block_type, block) in ["enabled_log", "log"]
        .iter()
        .flat_map(|t| reader.root.get_all(t).into_iter().map(move |b| (*t, b)))
    {
        if let NodeKind::Value(Value::Unknown(reason)) = &block.kind {
            return Attr::unresolved(block_type, block.span.clone(), reason.clone());
        }
        first_span.get_or_insert_with(|| block.span.clone());
        // `enabled_log` blocks are enabled; legacy `log` blocks say so (default true).
        match azure::enabled_log(&block, ("category", "category_group"), true) {
            Ok(category) => enabled.extend(category),
            Err(reason) => return Attr::unresolved(block_type, block.span.clone(), reason),
        }
    }
    match first_span {
        Some(span) => {
            let shown = format!("{enabled:?}");
            Attr::explicit("enabled_log", span, enabled, shown)
        }
        None => Attr::default("enabled_log", reader.header.clone(), Vec::new(), "none"),
    }
}

/// Turns one resource block into a [`Node`] tree, evaluating as it goes.
struct Converter<'a> {
    eval: &'a Evaluator<'a>,
    configuration: &'a Configuration<'a>,
    resource: &'a ResourceBlock<'a>,
}

impl Converter<'_> {
    /// The model of every instance of the resource. Instances that would be reported alike are
    /// checked once under the resource's address; when they differ, each is reported with its
    /// key (`azurerm_cognitive_account.regional["weu"]`).
    fn instances(&self, address: &str) -> Model {
        let instances = match count_or_for_each(self.eval, &self.resource.block.body) {
            Repetition::Never => return Model::default(),
            Repetition::Once => return self.model(address, Existence::Always),
            Repetition::Unknown(reason) => {
                return self.model(address, Existence::Conditional { reason });
            }
            Repetition::Instances(instances) if instances.len() > MAX_INSTANCES => {
                return self.model(address, Existence::Always);
            }
            Repetition::Instances(instances) => instances,
        };
        let models: Vec<(String, Model)> = instances
            .into_iter()
            .map(|(suffix, binding)| {
                let model = self
                    .eval
                    .with_bindings(vec![binding], || self.model(address, Existence::Always));
                (suffix, model)
            })
            .collect();
        Model::from_instances(models)
    }

    fn model(&self, address: &str, existence: Existence) -> Model {
        let mut model = Model::default();
        let header = self.header();
        let root = self.block(&self.resource.block.body, header.clone());
        let reader = BodyReader {
            root: &root,
            header: header.clone(),
        };
        let declared = Declared {
            address: address.to_string(),
            header,
            extent: block_extent(self.resource.file, self.resource.block),
            language: Language::Terraform,
            existence,
        };
        let azapi_type = azapi_type(self.eval, self.resource);
        if self.resource.type_name == "azapi_resource" {
            self.azapi_api_version(&reader, &declared, &mut model);
        }
        map_resource(
            self.resource.type_name,
            azapi_type,
            &reader,
            declared,
            &mut model,
        );
        model
    }

    /// The API version of an azapi `Microsoft.CognitiveServices/*` resource (`type =
    /// "...@version"`); unknown when only the type before the `@` is literal.
    fn azapi_api_version(&self, reader: &BodyReader<'_>, declared: &Declared, model: &mut Model) {
        let written = reader.string("type", None);
        let (resource_type, version) = match &written.state {
            AttrState::Explicit { value, .. } => match value.split_once('@') {
                Some((resource_type, version)) => (
                    resource_type.to_string(),
                    Attr::explicit("type", written.span.clone(), version.to_string(), version),
                ),
                None => return,
            },
            _ => {
                let prefix = match self
                    .resource
                    .block
                    .body
                    .get_attribute("type")
                    .map(|a| &a.value)
                {
                    Some(Expression::StringTemplate(template)) => literal_prefix(template),
                    _ => None,
                };
                match prefix.as_deref().and_then(|p| p.split_once('@')) {
                    Some((resource_type, _)) => (resource_type.to_string(), written.clone()),
                    None => return,
                }
            }
        };
        azure::api_version(&resource_type, version, declared, model);
    }

    fn span_of(&self, node: &impl hcl_edit::Span, fallback: &Span) -> Span {
        node.span().map_or_else(
            || fallback.clone(),
            |range| Span::new(self.resource.file, range),
        )
    }

    fn header(&self) -> Span {
        block_header(self.resource.file, self.resource.block)
    }

    fn block(&self, body: &Body, span: Span) -> Node {
        let mut entries = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let span = self.span_of(attribute, &span);
                    entries.push((
                        attribute.key.as_str().to_string(),
                        self.expr(&attribute.value, span),
                    ));
                }
                Structure::Block(block) if block.ident.as_str() == "dynamic" => {
                    let Some(label) = block.labels.first() else {
                        continue;
                    };
                    for node in
                        self.dynamic_block(block, label.as_str(), self.span_of(block, &span))
                    {
                        entries.push((label.as_str().to_string(), node));
                    }
                }
                Structure::Block(block) => {
                    let block_span = self.span_of(block, &span);
                    entries.push((
                        block.ident.as_str().to_string(),
                        self.block(&block.body, block_span),
                    ));
                }
            }
        }
        Node::object(entries, span)
    }

    /// A `dynamic` block stands for one block per element of its `for_each`, its `content`
    /// evaluated with the iterator (`<label>.key`, `<label>.value`, or the `iterator` name)
    /// bound to the element; none when the collection is empty; one unknown when it cannot be
    /// evaluated.
    fn dynamic_block(
        &self,
        block: &hcl_edit::structure::Block,
        label: &str,
        span: Span,
    ) -> Vec<Node> {
        let unknown = |reason: String| vec![Node::value(Value::Unknown(reason), span.clone())];
        let Some(for_each) = block.body.get_attribute("for_each") else {
            return unknown("is a dynamic block without `for_each`".into());
        };
        let elements = match self.eval.eval(&for_each.value).value.into_entries() {
            Ok(elements) => elements,
            Err(Value::Null) => Vec::new(),
            Err(Value::Unknown(reason)) => {
                return unknown(format!("is a dynamic block whose `for_each` {reason}"));
            }
            Err(other) => {
                return unknown(format!(
                    "is a dynamic block over {}, which is not a collection",
                    other.shown()
                ));
            }
        };
        let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(name)) => name.as_str().to_string(),
            _ => label.to_string(),
        };
        let content = block.body.get_blocks("content").next();
        elements
            .into_iter()
            .map(|(key, value)| {
                let element: std::collections::BTreeMap<String, Value> =
                    [("key".to_string(), key), ("value".to_string(), value)].into();
                let binding = vec![(iterator.clone(), Value::Object(element))];
                self.eval.with_bindings(binding, || match content {
                    Some(content) => self.block(&content.body, span.clone()),
                    None => Node::object(Vec::new(), span.clone()),
                })
            })
            .collect()
    }

    /// An attribute value: object and array syntax keeps its structure (and spans); everything
    /// else is evaluated. `jsonencode(x)` (azapi 1.x bodies) reads as `x`.
    fn expr(&self, expr: &Expression, span: Span) -> Node {
        match expr {
            Expression::Parenthesis(inner) => self.expr(inner.inner(), span),
            Expression::FuncCall(call)
                if call.name.name.as_str() == "jsonencode" && call.args.len() == 1 =>
            {
                match call.args.get(0) {
                    Some(arg) => self.expr(arg, span),
                    None => Node::value(Value::Null, span),
                }
            }
            // `{ for k, v in { ... } : k => v if v != null }` (the Azure Verified Modules' way
            // to leave unset properties out of an azapi body) is its object: a null entry
            // already counts as not set.
            Expression::ForExpr(for_expr) if drops_nulls(for_expr) => {
                self.expr(&for_expr.intro.collection_expr, span)
            }
            Expression::Object(object) => {
                let mut entries = Vec::new();
                for (key, value) in object.iter() {
                    let key_text = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(key_expr) => match self.eval.eval(key_expr).value {
                            Value::String(text) => text,
                            _ => continue,
                        },
                    };
                    let start = key.span().map_or(span.range.start, |s| s.start);
                    let end = value.expr().span().map_or(start, |s| s.end);
                    entries.push((
                        key_text,
                        self.expr(value.expr(), Span::new(self.resource.file, start..end)),
                    ));
                }
                Node::object(entries, span)
            }
            Expression::Array(array) => {
                let items = array
                    .iter()
                    .map(|item| self.expr(item, self.span_of(item, &span)))
                    .collect();
                Node {
                    span,
                    via: None,
                    kind: NodeKind::Array(items),
                }
            }
            _ => {
                let evaluated = self.eval.eval_partial(expr);
                // A value the caller passes into the module is fixed at the caller's argument.
                // A value set in a `.tfvars` file is fixed there.
                let instance = self.eval.instance();
                let (span, via) = match evaluated.via {
                    Some(via) if self.configuration.is_caller_file(instance, via.file) => {
                        (via, Some(Via::module_use(span)))
                    }
                    Some(via) if self.configuration.is_value_file(instance, via.file) => {
                        (via, Some(Via::value_use(span)))
                    }
                    via => {
                        let source = |via: Span| match &evaluated.caller_default {
                            Some(name) => Via::caller_default(via, name),
                            None => Via::source(via),
                        };
                        (span, via.map(source))
                    }
                };
                Node {
                    span,
                    via,
                    kind: NodeKind::Value(evaluated.value),
                }
            }
        }
    }
}

/// Whether a `for` expression is `{ for k, v in { ... } : k => v if v != null }`.
fn drops_nulls(for_expr: &hcl_edit::expr::ForExpr) -> bool {
    let intro = &for_expr.intro;
    let is_var = |expr: Option<&Expression>, name: Option<&str>| matches!((expr, name), (Some(Expression::Variable(v)), Some(n)) if v.as_str() == n);
    let key = intro.key_var.as_ref().map(|k| k.as_str());
    let value = Some(intro.value_var.as_str());
    let not_null = for_expr.cond.as_ref().is_some_and(|cond| {
        matches!(&cond.expr, Expression::BinaryOp(op)
            if *op.operator.value() == hcl_edit::expr::BinaryOperator::NotEq
                && is_var(Some(&op.lhs_expr), value)
                && matches!(op.rhs_expr, Expression::Null(_)))
    });
    matches!(intro.collection_expr, Expression::Object(_))
        && !for_expr.grouping
        && is_var(for_expr.key_expr.as_ref(), key)
        && is_var(Some(&for_expr.value_expr), value)
        && not_null
}

/// The literal text of a template before its first interpolation.
fn literal_prefix(template: &hcl_edit::template::StringTemplate) -> Option<String> {
    let mut prefix = String::new();
    for element in template.iter() {
        match element {
            hcl_edit::template::Element::Literal(literal) => prefix.push_str(literal.value()),
            _ => break,
        }
    }
    Some(prefix)
}
