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

use super::eval::{Evaluator, Value};
use super::module::{ModuleIndex, ResourceBlock};
use crate::frontend::azure;
use crate::frontend::node::{BodyReader, Lookup, Node, NodeKind, name_key, prefixed};
use crate::model::{
    AiAccount, Attr, AttrState, CmkBinding, Declared, Existence, Language, Model, ModelDeployment,
    PrivateEndpoint, PrivateLinkConnection, RoleAssignment,
};
use crate::source::Span;

/// The resource types the model reads; all others are skipped before any evaluation.
const MODELED_TYPES: [&str; 8] = [
    "azurerm_cognitive_account",
    "azurerm_ai_services",
    "azapi_resource",
    "azapi_update_resource",
    "azurerm_private_endpoint",
    "azurerm_role_assignment",
    "azurerm_cognitive_account_customer_managed_key",
    "azurerm_cognitive_deployment",
];

pub fn extract(module: &ModuleIndex<'_>) -> Model {
    let eval = Evaluator::new(module);
    let mut model = Model::default();
    for resource in module
        .resources()
        .iter()
        .filter(|r| MODELED_TYPES.contains(&r.type_name))
    {
        let converter = Converter {
            eval: &eval,
            resource,
        };
        let Some(existence) = converter.existence() else {
            continue;
        };
        let header = converter.header();
        let root = converter.block(&resource.block.body, header.clone());
        let reader = BodyReader {
            root: &root,
            header: header.clone(),
        };
        let declared = Declared {
            address: format!("{}.{}", resource.type_name, resource.name),
            header,
            language: Language::Terraform,
            existence,
        };
        let azapi_type = azapi_type(&eval, resource);
        map_resource(
            resource.type_name,
            azapi_type,
            &reader,
            declared,
            &mut model,
        );
    }
    model
}

fn map_resource(
    type_name: &str,
    azapi_type: Option<&'static str>,
    reader: &BodyReader<'_>,
    declared: Declared,
    model: &mut Model,
) {
    match type_name {
        "azurerm_cognitive_account" => {
            let kind = reader.string("kind", None);
            if kind
                .value()
                .is_some_and(|k| !azure::ACCOUNT_KINDS.contains(&k.as_str()))
            {
                return;
            }
            model.accounts.push(AiAccount {
                kind,
                location: reader.location("location"),
                // cognitive_account.md: "public_network_access_enabled - (Optional) ... Defaults to true."
                public_network_access: reader.bool("public_network_access_enabled", Some(true)),
                // cognitive_account.md: "local_auth_enabled - (Optional) ... Defaults to true."
                local_auth: reader.bool("local_auth_enabled", Some(true)),
                inline_cmk: reader.present("customer_managed_key"),
                link_keys: link_keys(reader, &declared),
                existing: false,
                declared,
            });
        }
        "azurerm_ai_services" => model.accounts.push(AiAccount {
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
            link_keys: link_keys(reader, &declared),
            existing: false,
            declared,
        }),
        "azapi_resource" => match azapi_type {
            Some(azure::ACCOUNT_TYPE) => {
                let keys = link_keys(reader, &declared);
                model
                    .accounts
                    .extend(azure::account(reader, "body.", declared, keys, false));
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
            let role = if reader.root.get_all("role_definition_id").is_empty() {
                reader.string("role_definition_name", None)
            } else {
                reader.string("role_definition_id", None)
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
                declared,
            });
        }
        "azurerm_cognitive_deployment" => model.deployments.push(ModelDeployment {
            account: reader.reference("cognitive_account_id"),
            sku: reader.string("sku.name", None),
            declared,
        }),
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
    Some(CmkBinding {
        account: reader.reference("resource_id"),
        declared,
    })
}

/// Turns one resource block into a [`Node`] tree, evaluating as it goes.
struct Converter<'a> {
    eval: &'a Evaluator<'a>,
    resource: &'a ResourceBlock<'a>,
}

impl Converter<'_> {
    fn span_of(&self, node: &impl hcl_edit::Span, fallback: &Span) -> Span {
        node.span().map_or_else(
            || fallback.clone(),
            |range| Span::new(self.resource.file, range),
        )
    }

    /// `resource "type" "name"`: where findings about missing attributes point.
    fn header(&self) -> Span {
        let block = self.resource.block;
        let start = block.ident.span().map_or(0, |s| s.start);
        let end = block
            .labels
            .last()
            .and_then(|label| label.span())
            .or_else(|| block.ident.span())
            .map_or(start, |s| s.end);
        Span::new(self.resource.file, start..end)
    }

    /// `None` when `count`/`for_each` say the resource is not created at all.
    fn existence(&self) -> Option<Existence> {
        let body = &self.resource.block.body;
        let (name, attribute) = match (body.get_attribute("count"), body.get_attribute("for_each"))
        {
            (Some(count), _) => ("count", count),
            (None, Some(for_each)) => ("for_each", for_each),
            (None, None) => return Some(Existence::Always),
        };
        match self.eval.eval(&attribute.value).value {
            Value::Number(n) if n <= 0.0 => None,
            Value::List(items) if items.is_empty() => None,
            Value::Object(map) if map.is_empty() => None,
            Value::Null => None,
            Value::Unknown(reason) => Some(Existence::Conditional {
                reason: format!("`{name}` {reason}"),
            }),
            _ => Some(Existence::Always),
        }
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
                    if let Some(node) = self.dynamic_block(block, self.span_of(block, &span)) {
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

    /// A `dynamic` block is present when its `for_each` is non-empty: its `content` then stands
    /// for the blocks; absent when empty; unknown when `for_each` cannot be evaluated.
    fn dynamic_block(&self, block: &hcl_edit::structure::Block, span: Span) -> Option<Node> {
        let Some(for_each) = block.body.get_attribute("for_each") else {
            return Some(Node::value(
                Value::Unknown("is a dynamic block without `for_each`".into()),
                span,
            ));
        };
        let present = match self.eval.eval(&for_each.value).value {
            Value::List(items) => !items.is_empty(),
            Value::Object(map) => !map.is_empty(),
            Value::Null => false,
            Value::Unknown(reason) => {
                let reason = format!("is a dynamic block whose `for_each` {reason}");
                return Some(Node::value(Value::Unknown(reason), span));
            }
            other => {
                let reason = format!(
                    "is a dynamic block over {}, which is not a collection",
                    other.shown()
                );
                return Some(Node::value(Value::Unknown(reason), span));
            }
        };
        let content = block.body.get_blocks("content").next();
        present.then(|| {
            content.map_or_else(
                || Node::object(Vec::new(), span.clone()),
                |c| self.block(&c.body, span.clone()),
            )
        })
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
                let evaluated = self.eval.eval(expr);
                Node {
                    span,
                    via: evaluated.via,
                    kind: NodeKind::Value(evaluated.value),
                }
            }
        }
    }
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
