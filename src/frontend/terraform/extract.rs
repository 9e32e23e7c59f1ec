//! Terraform resources -> the normalized model.
//!
//! Every provider default applied here cites the provider documentation it comes from
//! (`../shared/reference/azurerm/*.md`, azurerm 4.x/5.x; ARM defaults for azapi bodies).

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};

use super::eval::{Evaluator, Value};
use super::module::{ModuleIndex, ResourceBlock};
use crate::model::{
    AiAccount, Attr, AttrState, CmkBinding, Declared, Existence, Language, Model, ModelDeployment,
    PrivateEndpoint, PrivateLinkConnection, Reference, RoleAssignment,
};
use crate::source::{FileId, Span};

const ACCOUNT_KINDS: [&str; 2] = ["OpenAI", "AIServices"];
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
const AZAPI_ACCOUNT_TYPE: &str = "Microsoft.CognitiveServices/accounts";

pub fn extract(module: &ModuleIndex<'_>) -> Model {
    let eval = Evaluator::new(module);
    let mut model = Model::default();
    for resource in module
        .resources()
        .iter()
        .filter(|r| MODELED_TYPES.contains(&r.type_name))
    {
        let reader = Reader::new(&eval, resource);
        let Some(existence) = reader.existence() else {
            continue;
        };
        let declared = || reader.declared(existence.clone());
        match resource.type_name {
            "azurerm_cognitive_account" => {
                if let Some(account) = cognitive_account(&reader, declared()) {
                    model.accounts.push(account);
                }
            }
            "azurerm_ai_services" => model.accounts.push(ai_services(&reader, declared())),
            "azapi_resource" if reader.is_azapi_account() => {
                if let Some(account) = azapi_account(&reader, declared()) {
                    model.accounts.push(account);
                }
            }
            "azurerm_private_endpoint" => model.private_endpoints.push(PrivateEndpoint {
                connections: reader
                    .root()
                    .get_blocks("private_service_connection")
                    .map(|block| PrivateLinkConnection {
                        target: prefixed(
                            "private_service_connection",
                            reader.reference(&block.body, "private_connection_resource_id"),
                        ),
                        group_ids: prefixed(
                            "private_service_connection",
                            reader.string_list(&block.body, "subresource_names"),
                        ),
                    })
                    .collect(),
                declared: declared(),
            }),
            "azurerm_role_assignment" => {
                let role = if reader.root().get_attribute("role_definition_id").is_some() {
                    reader.string(reader.root(), "role_definition_id", None)
                } else {
                    reader.string(reader.root(), "role_definition_name", None)
                };
                model.role_assignments.push(RoleAssignment {
                    scope: reader.reference(reader.root(), "scope"),
                    role,
                    declared: declared(),
                });
            }
            "azapi_update_resource" if reader.is_azapi_account() => {
                if let Some(binding) = azapi_cmk_patch(&reader, declared()) {
                    model.cmk_bindings.push(binding);
                }
            }
            "azurerm_cognitive_account_customer_managed_key" => {
                model.cmk_bindings.push(CmkBinding {
                    account: reader.reference(reader.root(), "cognitive_account_id"),
                    declared: declared(),
                })
            }
            "azurerm_cognitive_deployment" => model.deployments.push(ModelDeployment {
                account: reader.reference(reader.root(), "cognitive_account_id"),
                sku: reader.string(reader.root(), "sku.name", None),
                declared: declared(),
            }),
            _ => {}
        }
    }
    model
}

fn cognitive_account(reader: &Reader<'_>, declared: Declared) -> Option<AiAccount> {
    let body = reader.root();
    let kind = reader.string(body, "kind", None);
    if kind
        .value()
        .is_some_and(|k| !ACCOUNT_KINDS.contains(&k.as_str()))
    {
        return None;
    }
    Some(AiAccount {
        kind,
        location: reader.location(body, "location"),
        // cognitive_account.md: "public_network_access_enabled - (Optional) ... Defaults to true."
        public_network_access: reader.bool(body, "public_network_access_enabled", Some(true)),
        // cognitive_account.md: "local_auth_enabled - (Optional) ... Defaults to true."
        local_auth: reader.bool(body, "local_auth_enabled", Some(true)),
        inline_cmk: reader.block_present(body, "customer_managed_key"),
        link_keys: vec![declared.address.clone()],
        declared,
    })
}

fn ai_services(reader: &Reader<'_>, declared: Declared) -> AiAccount {
    let body = reader.root();
    AiAccount {
        kind: Attr::default(
            "kind",
            declared.header.clone(),
            "AIServices".into(),
            "\"AIServices\"",
        ),
        location: reader.location(body, "location"),
        // ai_services.md: "public_network_access - (Optional) ... Defaults to Enabled."
        public_network_access: reader.enabled_string(body, "public_network_access", "Enabled"),
        // ai_services.md: "local_authentication_enabled - (Optional) ... Defaults to true."
        local_auth: reader.bool(body, "local_authentication_enabled", Some(true)),
        inline_cmk: reader.block_present(body, "customer_managed_key"),
        link_keys: vec![declared.address.clone()],
        declared,
    }
}

fn azapi_account(reader: &Reader<'_>, declared: Declared) -> Option<AiAccount> {
    let body = reader.root();
    let kind = reader.string(body, "body.kind", None);
    if kind
        .value()
        .is_some_and(|k| !ACCOUNT_KINDS.contains(&k.as_str()))
    {
        return None;
    }
    // ARM: publicNetworkAccess is Enabled when omitted (schema-facts.md, section 8).
    let public_network_access =
        reader.enabled_string(body, "body.properties.publicNetworkAccess", "Enabled");
    // ARM: disableLocalAuth is false when omitted, so keys work.
    let local_auth = negate(reader.bool(body, "body.properties.disableLocalAuth", Some(false)));
    // ARM: encryption.keySource defaults to Microsoft.CognitiveServices (platform keys).
    let key_source = reader.string(
        body,
        "body.properties.encryption.keySource",
        Some("Microsoft.CognitiveServices"),
    );
    let inline_cmk = map_attr(key_source, |source| {
        source.eq_ignore_ascii_case("Microsoft.KeyVault")
    });
    Some(AiAccount {
        kind,
        location: reader.location(body, "location"),
        public_network_access,
        local_auth,
        inline_cmk,
        link_keys: vec![declared.address.clone()],
        declared,
    })
}

/// Names an attribute read inside a nested block by its full path.
fn prefixed<T>(block: &str, mut attr: Attr<T>) -> Attr<T> {
    attr.name = format!("{block}.{}", attr.name);
    attr
}

/// An `azapi_update_resource` that sets a Key Vault key on an existing account (how modules add
/// CMK after the identity has been granted access to the key).
fn azapi_cmk_patch(reader: &Reader<'_>, mut declared: Declared) -> Option<CmkBinding> {
    let body = reader.root();
    let key_source = reader.string(body, "body.properties.encryption.keySource", None);
    match &key_source.state {
        AttrState::Explicit { value, .. } if value.eq_ignore_ascii_case("Microsoft.KeyVault") => {}
        AttrState::Unresolved { reason }
            if body.get_attribute("body").is_some() && !reason.contains("is not set") =>
        {
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
        account: reader.reference(body, "resource_id"),
        declared,
    })
}

fn negate(attr: Attr<bool>) -> Attr<bool> {
    map_attr(attr, |b| !b)
}

fn map_attr<T, U>(attr: Attr<T>, f: impl FnOnce(&T) -> U) -> Attr<U> {
    let state = match attr.state {
        AttrState::Explicit { value, shown, via } => AttrState::Explicit {
            value: f(&value),
            shown,
            via,
        },
        AttrState::Default { value, shown } => AttrState::Default {
            value: f(&value),
            shown,
        },
        AttrState::Unresolved { reason } => AttrState::Unresolved { reason },
    };
    Attr {
        name: attr.name,
        span: attr.span,
        state,
    }
}

/// Where a path inside a resource leads.
enum Found<'a> {
    Expr(&'a Expression, Span),
    /// A value reached by evaluation rather than by syntax (the object came from a reference).
    Value(Value, Span),
    Block(&'a Block, Span),
    Missing,
    Unresolved(String, Span),
}

/// Reads the arguments of one resource block, following nested blocks, object attributes and
/// azapi `jsonencode(...)` bodies, and evaluating what it finds.
struct Reader<'a> {
    eval: &'a Evaluator<'a>,
    resource: &'a ResourceBlock<'a>,
    header: Span,
}

impl<'a> Reader<'a> {
    fn new(eval: &'a Evaluator<'a>, resource: &'a ResourceBlock<'a>) -> Self {
        let block = resource.block;
        let start = block.ident.span().map_or(0, |s| s.start);
        let end = block
            .labels
            .last()
            .and_then(|label| label.span())
            .or_else(|| block.ident.span())
            .map_or(start, |s| s.end);
        Reader {
            eval,
            resource,
            header: Span::new(resource.file, start..end),
        }
    }

    fn root(&self) -> &'a Body {
        &self.resource.block.body
    }

    fn file(&self) -> FileId {
        self.resource.file
    }

    fn span_of(&self, node: &impl hcl_edit::Span) -> Span {
        node.span().map_or_else(
            || self.header.clone(),
            |range| Span::new(self.file(), range),
        )
    }

    fn declared(&self, existence: Existence) -> Declared {
        Declared {
            address: self.resource.address(),
            header: self.header.clone(),
            language: Language::Terraform,
            existence,
        }
    }

    /// `None` when `count`/`for_each` say the resource is not created at all.
    fn existence(&self) -> Option<Existence> {
        let body = self.root();
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

    fn is_azapi_account(&self) -> bool {
        self.azapi_type().as_deref() == Some(AZAPI_ACCOUNT_TYPE)
    }

    /// The azapi `type` without its API version, when its resource-type part is known (the API
    /// version is often interpolated from a variable).
    fn azapi_type(&self) -> Option<String> {
        let expr = &self.root().get_attribute("type")?.value;
        let text = match self.eval.eval(expr).value {
            Value::String(text) => text,
            _ => {
                let template = expr.as_string_template()?;
                let mut prefix = String::new();
                for element in template.iter() {
                    match element {
                        hcl_edit::template::Element::Literal(literal) => {
                            prefix.push_str(literal.value())
                        }
                        _ => break,
                    }
                }
                prefix
            }
        };
        let (resource_type, _) = text.split_once('@')?;
        Some(if resource_type.eq_ignore_ascii_case(AZAPI_ACCOUNT_TYPE) {
            AZAPI_ACCOUNT_TYPE.to_string()
        } else {
            resource_type.to_string()
        })
    }

    fn find(&self, body: &'a Body, path: &str) -> Found<'a> {
        let mut segments = path.split('.');
        let Some(first) = segments.next() else {
            return Found::Missing;
        };
        let mut found = body_child(body, first, self);
        for segment in segments {
            found = match found {
                Found::Block(block, _) => body_child(&block.body, segment, self),
                Found::Expr(expr, span) => self.expr_child(expr, span, segment),
                Found::Value(value, span) => value_child(value, span, segment),
                done @ (Found::Missing | Found::Unresolved(..)) => return done,
            };
        }
        found
    }

    fn expr_child(&self, expr: &'a Expression, span: Span, key: &str) -> Found<'a> {
        match expr {
            Expression::Parenthesis(inner) => self.expr_child(inner.inner(), span, key),
            Expression::FuncCall(call)
                if call.name.name.as_str() == "jsonencode" && call.args.len() == 1 =>
            {
                match call.args.get(0) {
                    Some(arg) => self.expr_child(arg, span, key),
                    None => Found::Missing,
                }
            }
            Expression::Object(object) => {
                for (object_key, value) in object.iter() {
                    let matches = match object_key {
                        ObjectKey::Ident(ident) => ident.as_str() == key,
                        ObjectKey::Expression(key_expr) => key_expr.as_str() == Some(key),
                    };
                    if matches {
                        let start = object_key.span().map_or(0, |s| s.start);
                        let end = value.expr().span().map_or(start, |s| s.end);
                        return Found::Expr(value.expr(), Span::new(self.file(), start..end));
                    }
                }
                Found::Missing
            }
            _ => {
                let evaluated = self.eval.eval(expr);
                value_child(evaluated.value, span, key)
            }
        }
    }

    /// A value with its default, converted by `convert`; wrong types are unresolved with the
    /// reason, never coerced silently.
    fn read<T>(
        &self,
        body: &'a Body,
        path: &str,
        default: Option<(T, String)>,
        expected: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Attr<T> {
        let (value, span, via) = match self.find(body, path) {
            Found::Expr(expr, span) => {
                let evaluated = self.eval.eval(expr);
                (evaluated.value, span, evaluated.via)
            }
            Found::Value(value, span) => (value, span, None),
            Found::Block(_, span) => {
                return Attr::unresolved(path, span, format!("is a block, expected {expected}"));
            }
            Found::Unresolved(reason, span) => return Attr::unresolved(path, span, reason),
            Found::Missing => {
                return match default {
                    Some((value, shown)) => Attr::default(path, self.header.clone(), value, shown),
                    None => Attr::unresolved(path, self.header.clone(), "is not set"),
                };
            }
        };
        if value == Value::Null {
            // `null` means "not set" in Terraform: the default applies.
            if let Some((value, shown)) = default {
                return Attr::default(path, span, value, shown);
            }
        }
        match (&value, convert(&value)) {
            (_, Some(converted)) => Attr {
                name: path.to_string(),
                span,
                state: AttrState::Explicit {
                    value: converted,
                    shown: value.shown(),
                    via,
                },
            },
            (Value::Unknown(reason), None) => Attr::unresolved(path, span, reason.clone()),
            (Value::ResourceAttr { address, attr }, None) => Attr::unresolved(
                path,
                span,
                format!("depends on `{address}.{attr}`, which is only known after apply"),
            ),
            (other, None) => Attr::unresolved(
                path,
                span,
                format!("is {}, expected {expected}", other.shown()),
            ),
        }
    }

    fn bool(&self, body: &'a Body, path: &str, default: Option<bool>) -> Attr<bool> {
        let default = default.map(|b| (b, b.to_string()));
        self.read(body, path, default, "a bool", |value| match value {
            Value::Bool(b) => Some(*b),
            // Terraform converts the strings "true" and "false" to bool.
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        })
    }

    fn string(&self, body: &'a Body, path: &str, default: Option<&str>) -> Attr<String> {
        let default = default.map(|s| (s.to_string(), format!("{s:?}")));
        self.read(body, path, default, "a string", |value| match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(_) | Value::Bool(_) => Some(value.shown()),
            _ => None,
        })
    }

    fn string_list(&self, body: &'a Body, path: &str) -> Attr<Vec<String>> {
        self.read(
            body,
            path,
            Some((Vec::new(), "[]".into())),
            "a list of strings",
            |value| match value {
                Value::List(items) => items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => None,
            },
        )
    }

    /// A location, normalized the way Azure does ("East US 2" -> "eastus2").
    fn location(&self, body: &'a Body, path: &str) -> Attr<String> {
        map_attr(self.string(body, path, None), |location| {
            normalize_region(location)
        })
    }

    /// `"Enabled"`/`"Disabled"` as a bool (true = enabled).
    fn enabled_string(&self, body: &'a Body, path: &str, default: &str) -> Attr<bool> {
        let default = Some((
            default.eq_ignore_ascii_case("Enabled"),
            format!("{default:?}"),
        ));
        self.read(
            body,
            path,
            default,
            "\"Enabled\" or \"Disabled\"",
            |value| match value {
                Value::String(s) if s.eq_ignore_ascii_case("Enabled") => Some(true),
                Value::String(s) if s.eq_ignore_ascii_case("Disabled") => Some(false),
                _ => None,
            },
        )
    }

    /// Whether a nested block is present; a `dynamic` block is present only if its `for_each`
    /// is non-empty, which is evaluated when possible.
    fn block_present(&self, body: &'a Body, name: &str) -> Attr<bool> {
        if let Some(block) = body.get_blocks(name).next() {
            return Attr::explicit(name, self.span_of(block), true, "present");
        }
        let dynamic = body.get_blocks("dynamic").find(|block| {
            block
                .labels
                .first()
                .is_some_and(|label| label.as_str() == name)
        });
        let Some(dynamic) = dynamic else {
            return Attr::default(name, self.header.clone(), false, "absent");
        };
        let span = self.span_of(dynamic);
        let Some(for_each) = dynamic.body.get_attribute("for_each") else {
            return Attr::unresolved(name, span, "is a dynamic block without `for_each`");
        };
        match self.eval.eval(&for_each.value).value {
            Value::List(items) => Attr::explicit(name, span, !items.is_empty(), "a dynamic block"),
            Value::Object(map) => Attr::explicit(name, span, !map.is_empty(), "a dynamic block"),
            Value::Null => Attr::explicit(name, span, false, "a dynamic block over null"),
            Value::Unknown(reason) => Attr::unresolved(
                name,
                span,
                format!("is a dynamic block whose `for_each` {reason}"),
            ),
            other => Attr::unresolved(
                name,
                span,
                format!(
                    "is a dynamic block over {}, which is not a collection",
                    other.shown()
                ),
            ),
        }
    }

    /// Which resource an id-valued argument names: the address of a resource of this module,
    /// or the literal id as written.
    fn reference(&self, body: &'a Body, path: &str) -> Reference {
        self.read(body, path, None, "a resource id", |value| match value {
            Value::ResourceAttr { address, attr } if attr == "id" => Some(address.clone()),
            Value::String(id) => Some(id.clone()),
            _ => None,
        })
    }
}

fn body_child<'a>(body: &'a Body, key: &str, reader: &Reader<'a>) -> Found<'a> {
    if let Some(attribute) = body.get_attribute(key) {
        return Found::Expr(&attribute.value, reader.span_of(attribute));
    }
    match body.blocks().find(|block| block.ident.as_str() == key) {
        Some(block) => Found::Block(block, reader.span_of(block)),
        None => Found::Missing,
    }
}

fn value_child<'a>(value: Value, span: Span, key: &str) -> Found<'a> {
    match value {
        Value::Object(mut map) => match map.remove(key) {
            Some(Value::Null) | None => Found::Missing,
            Some(child) => Found::Value(child, span),
        },
        Value::Null => Found::Missing,
        Value::Unknown(reason) => Found::Unresolved(reason, span),
        other => Found::Unresolved(format!("is {}, not an object", other.shown()), span),
    }
}

/// Azure's canonical region name: lower case, no spaces ("East US 2" -> "eastus2").
pub fn normalize_region(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}
