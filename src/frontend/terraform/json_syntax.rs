//! Terraform's JSON syntax (`*.tf.json`, `*.tfvars.json`), read into the hcl-edit tree that a
//! `.tf` file with the same blocks parses to, every span in the JSON: the rest of the front-end
//! cannot tell the two syntaxes apart.
//!
//! Terraform maps JSON onto its blocks with the providers' schemas; this mapping knows the
//! language's own blocks and the nested blocks of the resources aoai-lint reads
//! ([`NESTED_BLOCKS`]). A property is an argument unless it names such a block; an argument's
//! strings are templates (`"${var.x}"`) except where Terraform reads them literally (variable
//! defaults, module sources, `.tfvars.json` values) or as references (`depends_on`,
//! `provider`); `"//"` properties are comments.

use std::ops::Range;

use hcl_edit::expr::{Array, Expression, Null, Object, ObjectKey, ObjectValue};
use hcl_edit::structure::{Attribute, Block, BlockLabel, Body, Structure};
use hcl_edit::template::StringTemplate;
use hcl_edit::visit_mut::{self, VisitMut};
use hcl_edit::{Decorated, Ident, Number, SetSpan, Span as _};

use crate::frontend::SyntaxError;
use crate::frontend::json::{self, Json, JsonKind, Property};

type Converted<T> = Result<T, SyntaxError>;

/// Nested block types of the resources aoai-lint reads (from the azurerm documentation of
/// each), and of the providers: an object or an array of objects under one of these names is
/// one block or several, as in Terraform.
const NESTED_BLOCKS: &[&str] = &[
    "access_policy",
    "connection_string",
    "container",
    "content_filter",
    "customer_managed_key",
    "enabled_log",
    "enabled_metric",
    "encryption",
    "env",
    "features",
    "identity",
    "init_container",
    "ip_configuration",
    "log",
    "managed_network",
    "metric",
    "model",
    "network_acls",
    "network_injection",
    "network_interface",
    "private_dns_zone_group",
    "private_service_connection",
    "record_sets",
    "sku",
    "storage",
    "template",
    "timeouts",
    "virtual_network_rules",
];

/// A `.tf.json` file as the body of the `.tf` file with the same blocks.
pub fn parse_config(text: &str) -> Converted<Body> {
    let root = root_object(text)?;
    let mut structures = Vec::new();
    for property in arguments(&root) {
        let (labels, schema) = top_level_block(&property.key);
        blocks(property, labels, schema, &mut structures)?;
    }
    Ok(Body::from(structures))
}

/// A `.tfvars.json` file: one attribute per property, its strings literal (Terraform
/// evaluates no templates in value files).
pub fn parse_values(text: &str) -> Converted<Body> {
    let root = root_object(text)?;
    let structures = arguments(&root)
        .map(|property| attribute(property, Read::Literal).map(Structure::from))
        .collect::<Converted<Vec<_>>>()?;
    Ok(Body::from(structures))
}

fn root_object(text: &str) -> Converted<Json> {
    match json::parse(text)? {
        Some(root) if matches!(root.kind, JsonKind::Object(_)) => Ok(root),
        Some(other) => Err(error(
            other.span.start,
            "a Terraform JSON file holds one object",
        )),
        None => Ok(Json {
            span: 0..0,
            kind: JsonKind::Object(Box::default()),
        }),
    }
}

/// An object's properties, comments (`"//"`) left out.
fn arguments(object: &Json) -> impl Iterator<Item = &Property> {
    object.properties().iter().filter(|p| &*p.key != "//")
}

/// How the body of a block type is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    Resource,
    Module,
    Variable,
    Output,
    Locals,
    Dynamic,
    Lifecycle,
    /// `terraform`: its `backend`, `cloud` and `required_providers` blocks.
    Settings,
    /// Providers, `terraform`, nested blocks: arguments and [`NESTED_BLOCKS`].
    Nested,
}

/// How a property of a block body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// An expression: strings are templates.
    Template,
    /// A value: strings are what they say.
    Literal,
    /// A string that is an expression itself (`"aws.west"`, `"list(string)"`), or an array of
    /// such strings.
    Reference,
    /// An object whose values are references (`providers`).
    ReferenceValues,
    Block {
        labels: usize,
        schema: Schema,
    },
}

fn top_level_block(block_type: &str) -> (usize, Schema) {
    match block_type {
        "resource" | "data" | "ephemeral" => (2, Schema::Resource),
        "module" => (1, Schema::Module),
        "variable" => (1, Schema::Variable),
        "output" => (1, Schema::Output),
        "provider" | "check" => (1, Schema::Nested),
        "locals" => (0, Schema::Locals),
        "terraform" => (0, Schema::Settings),
        _ => (0, Schema::Nested),
    }
}

fn read_of(schema: Schema, key: &str, value: &Json) -> Read {
    let block = |labels, schema| Read::Block { labels, schema };
    match (schema, key) {
        (Schema::Locals, _) => Read::Template,
        (_, "depends_on") => Read::Reference,
        (Schema::Variable, "type") => Read::Reference,
        (Schema::Variable, "validation") => block(0, Schema::Nested),
        (Schema::Variable, _) => Read::Literal,
        (Schema::Output, "description" | "sensitive" | "ephemeral") => Read::Literal,
        (Schema::Module, "source" | "version") => Read::Literal,
        (Schema::Module, "providers") => Read::ReferenceValues,
        (Schema::Resource, "provider") => Read::Reference,
        (Schema::Resource, "lifecycle") => block(0, Schema::Lifecycle),
        (Schema::Resource, "provisioner") => block(1, Schema::Nested),
        (Schema::Resource | Schema::Nested, "dynamic") => block(1, Schema::Dynamic),
        (Schema::Resource | Schema::Nested, "connection") => block(0, Schema::Nested),
        (Schema::Dynamic, "content") => block(0, Schema::Nested),
        (Schema::Dynamic, "iterator") => Read::Reference,
        (Schema::Lifecycle, "ignore_changes" | "replace_triggered_by") => Read::Reference,
        (Schema::Lifecycle, "precondition" | "postcondition") => block(0, Schema::Nested),
        (Schema::Settings, "backend") => block(1, Schema::Nested),
        (Schema::Settings, "cloud" | "required_providers") => block(0, Schema::Nested),
        (Schema::Resource | Schema::Nested, name)
            if NESTED_BLOCKS.contains(&name) && holds_bodies(value) =>
        {
            block(0, Schema::Nested)
        }
        _ => Read::Template,
    }
}

/// An object, or an array of objects: what a nested block type's value is.
fn holds_bodies(value: &Json) -> bool {
    match &value.kind {
        JsonKind::Object(_) => true,
        JsonKind::Array(items) => items
            .iter()
            .all(|item| matches!(item.kind, JsonKind::Object(_))),
        _ => false,
    }
}

/// The blocks one block-type property stands for: `labels` levels of objects keyed by label,
/// then a body; an array at any level holds several.
fn blocks(
    block_type: &Property,
    labels: usize,
    schema: Schema,
    out: &mut Vec<Structure>,
) -> Converted<()> {
    let mut each_body = |labels: &[&Property], body: &Json| -> Converted<()> {
        out.push(block(block_type, labels, body, schema)?.into());
        Ok(())
    };
    bodies(&block_type.value, labels, &mut Vec::new(), &mut each_body)
}

fn bodies<'j>(
    value: &'j Json,
    depth: usize,
    labels: &mut Vec<&'j Property>,
    each_body: &mut dyn FnMut(&[&Property], &Json) -> Converted<()>,
) -> Converted<()> {
    match &value.kind {
        JsonKind::Array(items) => {
            for item in items {
                bodies(item, depth, labels, each_body)?;
            }
        }
        JsonKind::Object(_) if depth > 0 => {
            for label in arguments(value) {
                labels.push(label);
                bodies(&label.value, depth - 1, labels, each_body)?;
                labels.pop();
            }
        }
        JsonKind::Object(_) => each_body(labels, value)?,
        _ => {
            let expected = if depth > 0 {
                "an object of block labels"
            } else {
                "an object: the block's body"
            };
            return Err(error(value.span.start, &format!("expected {expected}")));
        }
    }
    Ok(())
}

/// One block. Its header is the innermost label (`"main": {`), where findings about missing
/// arguments point, as they point at `resource "type" "main"` in a `.tf` file.
fn block(
    block_type: &Property,
    labels: &[&Property],
    body: &Json,
    schema: Schema,
) -> Converted<Block> {
    let header = labels.last().map_or(&block_type.key_span, |l| &l.key_span);
    let mut block = Block::new(spanned_ident(&block_type.key, header)?);
    block.labels = labels
        .iter()
        .map(|label| {
            let mut text = Decorated::new(label.key.to_string());
            text.set_span(label.key_span.clone());
            BlockLabel::String(text)
        })
        .collect();
    block.body = block_body(body, schema)?;
    block.set_span(header.start..body.span.end);
    Ok(block)
}

fn block_body(body: &Json, schema: Schema) -> Converted<Body> {
    let mut structures = Vec::new();
    for property in arguments(body) {
        match read_of(schema, &property.key, &property.value) {
            Read::Block { labels, schema } => blocks(property, labels, schema, &mut structures)?,
            read => structures.push(attribute(property, read)?.into()),
        }
    }
    Ok(Body::from(structures))
}

fn attribute(property: &Property, read: Read) -> Converted<Attribute> {
    let value = match read {
        Read::ReferenceValues => reference_values(&property.value)?,
        read => expression(&property.value, read)?,
    };
    let mut attribute = Attribute::new(spanned_ident(&property.key, &property.key_span)?, value);
    attribute.set_span(property.span());
    Ok(attribute)
}

fn spanned_ident(name: &str, span: &Range<usize>) -> Converted<Decorated<Ident>> {
    let ident = Ident::try_new(name).map_err(|_| {
        error(
            span.start,
            &format!("`{name}` is not a valid Terraform name"),
        )
    })?;
    let mut ident = Decorated::new(ident);
    ident.set_span(span.clone());
    Ok(ident)
}

fn expression(value: &Json, read: Read) -> Converted<Expression> {
    let mut expr = match &value.kind {
        JsonKind::Null => Expression::Null(Decorated::new(Null)),
        JsonKind::Bool(b) => Expression::from(*b),
        JsonKind::Number(n) => number(*n),
        JsonKind::String(text) => return string(text, &value.span, read),
        JsonKind::Array(items) => Expression::Array(Array::from(
            items
                .iter()
                .map(|item| expression(item, read))
                .collect::<Converted<Vec<_>>>()?,
        )),
        JsonKind::Object(_) => {
            let mut object = Object::new();
            for property in arguments(value) {
                let mut key = Decorated::new(property.key.to_string());
                key.set_span(property.key_span.clone());
                let key = ObjectKey::Expression(Expression::String(key));
                object.insert(key, ObjectValue::new(expression(&property.value, read)?));
            }
            Expression::Object(object)
        }
    };
    expr.set_span(value.span.clone());
    Ok(expr)
}

/// `{"azurerm": "azurerm.west"}`: each value a reference.
fn reference_values(value: &Json) -> Converted<Expression> {
    match &value.kind {
        JsonKind::Object(_) => {
            let mut object = Object::new();
            for property in arguments(value) {
                let key = spanned_ident(&property.key, &property.key_span)?;
                let value = expression(&property.value, Read::Reference)?;
                object.insert(ObjectKey::Ident(key), ObjectValue::new(value));
            }
            let mut expr = Expression::Object(object);
            expr.set_span(value.span.clone());
            Ok(expr)
        }
        _ => expression(value, Read::Reference),
    }
}

fn number(n: f64) -> Expression {
    // Whole numbers stay integers, as `5` in a `.tf` file does.
    let exact = n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0;
    let number = if exact {
        Some(Number::from(n as i64))
    } else {
        Number::from_f64(n)
    };
    number.map_or(Expression::Null(Decorated::new(Null)), Expression::from)
}

fn string(text: &str, span: &Range<usize>, read: Read) -> Converted<Expression> {
    let mut expr = match read {
        Read::Reference => {
            let expr = hcl_edit::parser::parse_expr(text)
                .map_err(|e| error(inside(span, e.location().offset()), e.message()))?;
            shifted(expr, span)
        }
        Read::Template if text.contains("${") || text.contains("%{") => {
            let template = hcl_edit::parser::parse_template(text)
                .map_err(|e| error(inside(span, e.location().offset()), e.message()))?;
            shifted(
                Expression::StringTemplate(StringTemplate::from_iter(template)),
                span,
            )
        }
        _ => Expression::String(Decorated::new(text.to_string())),
    };
    expr.set_span(span.clone());
    Ok(expr)
}

/// An expression parsed from a JSON string's contents, its spans moved into the string. They
/// are exact unless the string has escapes before them, and never leave the string.
fn shifted(mut expr: Expression, string: &Range<usize>) -> Expression {
    struct Shift<'s>(&'s Range<usize>);
    impl VisitMut for Shift<'_> {
        fn visit_expr_mut(&mut self, node: &mut Expression) {
            if let Some(range) = node.span() {
                node.set_span(inside(self.0, range.start)..inside(self.0, range.end));
            }
            visit_mut::visit_expr_mut(self, node);
        }
    }
    Shift(string).visit_expr_mut(&mut expr);
    expr
}

/// The file offset of `offset` in a JSON string's contents (after its opening quote).
fn inside(string: &Range<usize>, offset: usize) -> usize {
    (string.start + 1 + offset).min(string.end.saturating_sub(1).max(string.start))
}

fn error(offset: usize, message: &str) -> SyntaxError {
    SyntaxError {
        offset,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The native syntax the JSON stands for, as hcl-edit prints the tree.
    fn native(json: &str) -> String {
        parse_config(json).unwrap().to_string()
    }

    #[test]
    fn blocks_arguments_and_strings_read_as_terraform_reads_them() {
        let printed = native(
            r#"{
              "//": "a comment",
              "resource": [{"azurerm_cognitive_account": {"a": [{"kind": "OpenAI", "network_acls": [{"default_action": "Deny"}, {"default_action": "Allow"}], "tags": {"env": "${var.env}"}, "provider": "azurerm.west", "depends_on": ["module.x"], "count": 2}]}}],
              "variable": {"env": {"type": "list(string)", "default": "${not a template}"}},
              "module": {"x": {"source": "./x", "providers": {"azurerm": "azurerm.west"}, "n": 1.5}},
              "locals": {"l": "a-${var.env}"}
            }"#,
        );
        // Every string is a template but the variable's default; `provider`, `depends_on`
        // and `type` are expressions; `network_acls` is a block, `tags` an argument.
        let expected = r#"resource "azurerm_cognitive_account" "a" {
kind = "OpenAI"
network_acls {
default_action = "Deny"
}
network_acls {
default_action = "Allow"
}
tags = {"env" = "${var.env}",}
provider = azurerm.west
depends_on = [module.x]
count = 2
}
variable "env" {
type = list(string)
default = "$${not a template}"
}
module "x" {
source = "./x"
providers = {azurerm = azurerm.west,}
n = 1.5
}
locals {
l = "a-${var.env}"
}
"#;
        assert_eq!(printed, expected);
    }

    /// CDK for Terraform's output: comments that are objects, a backend that makes the
    /// directory a root module, providers in arrays.
    #[test]
    fn cdk_for_terraform_output_reads_as_its_native_twin() {
        let printed = native(
            r#"{
              "//": {"metadata": {"version": "0.20.0", "stackName": "app"}},
              "terraform": {"backend": {"local": {"path": "terraform.tfstate"}}, "required_providers": {"azurerm": {"source": "azurerm", "version": "4.0.0"}}},
              "provider": {"azurerm": [{"features": [{}]}]},
              "resource": {"azurerm_cognitive_account": {"oai": {"//": {"metadata": {"path": "app/oai"}}, "kind": "OpenAI"}}}
            }"#,
        );
        let expected = r#"terraform {
backend "local" {
path = "terraform.tfstate"
}
required_providers {
azurerm = {"source" = "azurerm","version" = "4.0.0",}
}
}
provider "azurerm" {
features {
}
}
resource "azurerm_cognitive_account" "oai" {
kind = "OpenAI"
}
"#;
        assert_eq!(printed, expected);
    }

    #[test]
    fn spans_are_in_the_json() {
        let text = r#"{"resource": {"t": {"n": {"a": "${var.x}", "b": true}}}}"#;
        let body = parse_config(text).unwrap();
        let block = body.blocks().next().unwrap();
        let header =
            crate::frontend::terraform::syntax::block_header(crate::source::FileId(0), block);
        assert_eq!(&text[header.range], r#""n""#);
        let a = block.body.get_attribute("a").unwrap();
        assert_eq!(&text[a.span().unwrap()], r#""a": "${var.x}""#);
        assert_eq!(&text[a.value.span().unwrap()], r#""${var.x}""#);
        let Expression::StringTemplate(template) = &a.value else {
            panic!("{:?}", a.value)
        };
        let hcl_edit::template::Element::Interpolation(interpolation) = template.get(0).unwrap()
        else {
            panic!()
        };
        assert_eq!(&text[interpolation.expr.span().unwrap()], "var.x");
    }

    #[test]
    fn what_terraform_rejects_is_a_located_error() {
        let error = |text: &str| parse_config(text).unwrap_err();
        assert_eq!(
            error("[1]").message,
            "a Terraform JSON file holds one object"
        );
        let text = r#"{"resource": {"t": {"n": {"a.b": 1}}}}"#;
        let invalid_name = error(text);
        assert_eq!(invalid_name.offset, text.find(r#""a.b""#).unwrap());
        assert_eq!(invalid_name.message, "`a.b` is not a valid Terraform name");
        let text = r#"{"locals": {"x": "${var.}"}}"#;
        assert!(error(text).offset > text.find("${").unwrap());
        assert!(parse_values(r#"{"x": "${var.y}"}"#).is_ok());
        assert_eq!(parse_config("").unwrap().iter().count(), 0);
    }
}
