//! Terraform plans in JSON (`terraform show -json plan.out`): what Terraform will deploy, with
//! every variable, `.tfvars` file and module (registry ones included) resolved by Terraform.
//! The resources of `planned_values` go through the Terraform front-end's own resource mapping;
//! a value known only after apply is unresolved ("known after apply"), and the configuration's
//! `references` link what ids cannot. Sensitive values are never read, so never shown.
//! Findings point at the resources' `.tf` blocks (root and local modules) when those are linted
//! too, else into the plan JSON. Format: Terraform's "JSON Output Format", `format_version` 1.x
//! (`../shared/reference/terraform-json/json-format.mdx`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::azure;
use super::json::{self, Json, JsonKind, array};
use super::node::{BodyReader, Node, NodeKind};
use super::value::Value;
use super::{Built, ModuleLoader, Scope};
use super::{SyntaxError, terraform};
use crate::model::{Declared, Existence, Language, Model, Via};
use crate::source::{FileId, Span};

pub struct PlanFile {
    pub id: FileId,
    pub path: PathBuf,
    pub root: Json,
    /// Reported on (given, or found in a walk): then so is the configuration beside it.
    pub reported: bool,
}

/// Whether a JSON text is a plan: it names `format_version` and planned values or changes.
pub fn looks_like_plan(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(1 << 20)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    has(b"\"format_version\"") && (has(b"\"planned_values\"") || has(b"\"resource_changes\""))
}

/// A plan's JSON; a located error when it does not parse or its format's major version is not 1.
pub fn parse(text: &str) -> Result<Json, SyntaxError> {
    let root = json::parse(text)?.ok_or_else(|| SyntaxError {
        offset: 0,
        message: "the plan is empty".into(),
    })?;
    let version = root.get("format_version");
    match version.and_then(Json::as_str) {
        Some(v) if v.split('.').next() == Some("1") => Ok(root),
        Some(v) => Err(SyntaxError {
            offset: version.map_or(0, |j| j.span.start),
            message: format!(
                "plan format_version {v:?} is not supported (aoai-lint reads format 1.x)"
            ),
        }),
        None => Err(SyntaxError {
            offset: version.map_or(0, |j| j.span.start),
            message: "the plan's format_version is not a string".into(),
        }),
    }
}

/// The text of a plan with every sensitive value masked (same length, so every span and line
/// stays put): reporters show snippets from it, and sensitive values are never printed. Masked
/// in place when the text is not shared, and not copied when nothing is sensitive: a plan can
/// be tens of megabytes.
pub fn masked(text: Arc<String>, root: &Json) -> Arc<String> {
    let mut ranges = Vec::new();
    let modules = ["planned_values", "prior_state"]
        .iter()
        .filter_map(|key| root.get(key)?.get("values").or_else(|| root.get(key)));
    for values in modules {
        sensitive_in_module(values.get("root_module").unwrap_or(values), &mut ranges);
    }
    for change in array(root.get("resource_changes"))
        .iter()
        .filter_map(|c| c.get("change"))
    {
        for (value, marks) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
            if let Some(value) = change.get(value) {
                sensitive_ranges(value, change.get(marks), &mut ranges);
            }
        }
    }
    let declared = root
        .get("configuration")
        .and_then(|c| c.get("root_module"))
        .and_then(|m| m.get("variables"));
    for variable in root
        .get("variables")
        .map(Json::properties)
        .unwrap_or_default()
    {
        let sensitive = declared
            .and_then(|d| d.get(&variable.key))
            .and_then(|d| d.get("sensitive"))
            .is_some_and(|s| s.kind == JsonKind::Bool(true));
        if let (true, Some(value)) = (sensitive, variable.value.get("value")) {
            ranges.push(value.span.clone());
        }
    }
    if ranges.is_empty() {
        return text;
    }
    let mut bytes = Arc::unwrap_or_clone(text).into_bytes();
    for range in ranges {
        for byte in bytes.get_mut(range).into_iter().flatten() {
            if !matches!(byte, b'"' | b'\n') {
                *byte = b'*';
            }
        }
    }
    Arc::new(String::from_utf8(bytes).unwrap_or_default())
}

fn sensitive_in_module(module: &Json, ranges: &mut Vec<std::ops::Range<usize>>) {
    for resource in array(module.get("resources")) {
        if let Some(values) = resource.get("values") {
            sensitive_ranges(values, resource.get("sensitive_values"), ranges);
        }
    }
    for child in array(module.get("child_modules")) {
        sensitive_in_module(child, ranges);
    }
}

/// The ranges of the values `marks` flags `true` (or flags a whole object or list of).
fn sensitive_ranges(value: &Json, marks: Option<&Json>, ranges: &mut Vec<std::ops::Range<usize>>) {
    let Some(marks) = marks else {
        return;
    };
    match (&value.kind, &marks.kind) {
        (_, JsonKind::Bool(true)) => ranges.push(value.span.clone()),
        (JsonKind::Object(properties), JsonKind::Object(_)) => {
            for property in properties {
                sensitive_ranges(&property.value, marks.get(&property.key), ranges);
            }
        }
        (JsonKind::Array(elements), JsonKind::Array(flags)) => {
            for (element, flag) in elements.iter().zip(flags) {
                sensitive_ranges(element, Some(flag), ranges);
            }
        }
        _ => {}
    }
}

/// A scope's model from its Terraform plans. A plan is what Terraform deploys from the
/// configuration beside it (or at `--plan-root`): it replaces that configuration, and its
/// findings point into the configuration's `.tf` files, which are reported on when the plan is.
pub fn build(scope: &Scope<'_>, loader: &mut impl ModuleLoader) -> Built {
    let plans = &scope.files.plans;
    let (root, root_files) = match scope.settings.plan_root {
        Some(plan_root) => (plan_root, loader.terraform_root(plan_root)),
        None => (scope.dir, scope.files.terraform.clone()),
    };
    let reported = plans.iter().any(|plan| plan.reported);
    let written = loader.plan_configuration(root, &root_files, plans, reported);
    Built {
        model: build_model(plans, &written),
        also_reported: match reported {
            true => root_files.iter().map(|file| file.id).collect(),
            false => Vec::new(),
        },
    }
}

/// The model of every resource each plan will deploy. `written` are the `resource` blocks of
/// the configuration the plan comes from (by address without instance keys), where its `.tf`
/// files are reported on with it: findings then point at the block (and at the argument, where
/// written).
fn build_model(plans: &[PlanFile], written: &HashMap<String, terraform::Written>) -> Model {
    let mut model = Model::default();
    for plan in plans {
        let reader = PlanReader::new(plan, written);
        if let Some(root) = plan
            .root
            .get("planned_values")
            .and_then(|v| v.get("root_module"))
        {
            let config = plan
                .root
                .get("configuration")
                .and_then(|c| c.get("root_module"));
            reader.module(root, config, "", &mut model);
        }
    }
    model
}

struct PlanReader<'a> {
    file: FileId,
    /// `resource_changes` by address.
    changes: HashMap<&'a str, &'a Json>,
    written: &'a HashMap<String, terraform::Written>,
}

impl<'a> PlanReader<'a> {
    fn new(plan: &'a PlanFile, written: &'a HashMap<String, terraform::Written>) -> Self {
        let changes = array(plan.root.get("resource_changes"))
            .iter()
            .filter_map(|c| Some((c.get("address")?.as_str()?, c.get("change")?)))
            .collect();
        PlanReader {
            file: plan.id,
            changes,
            written,
        }
    }

    fn span(&self, json: &Json) -> Span {
        Span::new(self.file, json.span.clone())
    }

    /// One module of `planned_values` with its configuration; `prefix` is `module.a.` for
    /// references inside it (instance keys dropped, as references are written).
    fn module(&self, module: &'a Json, config: Option<&'a Json>, prefix: &str, model: &mut Model) {
        // The configuration of each resource by its address in the module, the first of a name
        // as Terraform reads it; searched once per resource, a plan of thousands needs the index.
        let mut configured = HashMap::new();
        for resource in array(config.and_then(|c| c.get("resources"))) {
            if let Some(address) = resource.get("address").and_then(Json::as_str) {
                configured.entry(address).or_insert(resource);
            }
        }
        for resource in array(module.get("resources")) {
            if resource.get("mode").and_then(Json::as_str) == Some("managed") {
                self.resource(resource, config, &configured, prefix, model);
            }
        }
        for child in array(module.get("child_modules")) {
            let Some(address) = child.get("address").and_then(Json::as_str) else {
                continue;
            };
            let Some(call) = last_module_call(address) else {
                continue;
            };
            let child_config = config
                .and_then(|c| c.get("module_calls"))
                .and_then(|calls| calls.get(&call))
                .and_then(|call| call.get("module"));
            let prefix = format!("{prefix}module.{call}.");
            self.module(child, child_config, &prefix, model);
        }
    }

    fn resource(
        &self,
        resource: &'a Json,
        config: Option<&'a Json>,
        configured: &HashMap<&str, &'a Json>,
        prefix: &str,
        model: &mut Model,
    ) {
        let (Some(address), Some(type_name)) = (
            resource.get("address").and_then(Json::as_str),
            resource.get("type").and_then(Json::as_str),
        ) else {
            return;
        };
        let change = self.changes.get(address).copied();
        let actions: Vec<&str> = array(change.and_then(|c| c.get("actions")))
            .iter()
            .filter_map(Json::as_str)
            .collect();
        // A resource being destroyed is not deployed.
        if actions == ["delete"] || actions == ["forget"] {
            return;
        }
        let name = resource
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let expressions = configured
            .get(format!("{type_name}.{name}").as_str())
            .and_then(|r| r.get("expressions"));
        let marks = Marks {
            unknown: change.and_then(|c| c.get("after_unknown")),
            sensitive: resource.get("sensitive_values"),
            expressions,
        };
        let empty = Json {
            span: resource.span.clone(),
            kind: JsonKind::Object(Box::default()),
        };
        let values = resource.get("values").unwrap_or(&empty);
        let written = self.written.get(&format!("{prefix}{type_name}.{name}"));
        let root = self.block(values, &marks, prefix, config, written);
        let (header, extent) = match written {
            Some(written) => (written.header.clone(), written.extent.clone()),
            None => (
                resource
                    .property("address")
                    .map_or_else(|| self.span(resource), |p| Span::new(self.file, p.span())),
                self.span(resource),
            ),
        };
        let reader = BodyReader {
            root: &root,
            header: header.clone(),
        };
        let declared = Declared {
            address: address.to_string(),
            header,
            extent,
            language: Language::Terraform,
            existence: Existence::Always,
        };
        let azapi_type = values
            .get("type")
            .and_then(Json::as_str)
            .and_then(|t| azure::canonical_type(t.split('@').next().unwrap_or(t)));
        let before = (model.accounts.len(), model.workspaces.len());
        terraform::map_resource(type_name, azapi_type, &reader, declared, model);
        // References in the configuration name resources without instance keys.
        let plain = strip_instance_keys(address);
        let keys = model.accounts[before.0..]
            .iter_mut()
            .map(|a| &mut a.link_keys);
        let workspace_keys = model.workspaces[before.1..].iter_mut();
        for keys in keys.chain(workspace_keys.map(|w| &mut w.link_keys)) {
            if !keys.contains(&plain) {
                keys.push(plain.clone());
            }
        }
    }

    /// A resource's values (or a nested block's) as a node: nested blocks (arrays of objects)
    /// become repeated keys, as the HCL front-end reads them; null and empty blocks are absent.
    fn block(
        &self,
        values: &'a Json,
        marks: &Marks<'a>,
        prefix: &str,
        config: Option<&'a Json>,
        written: Option<&terraform::Written>,
    ) -> Node {
        // Where a value is shown: the argument in the `.tf` file when written there, the
        // block's header when not (a default), the plan JSON without the configuration.
        let at = |key: &str, json: &Json| match written {
            Some(written) => written
                .attributes
                .get(key)
                .unwrap_or(&written.header)
                .clone(),
            None => self.span(json),
        };
        let mut entries = Vec::new();
        for property in values.properties() {
            let key = &*property.key;
            let marks = marks.child(key);
            match &property.value.kind {
                _ if marks.is_sensitive() => {
                    let value = Value::Unknown("is sensitive in the plan, not shown".into());
                    let node = Node::value(value, at(key, &property.value));
                    entries.push((key.to_string(), node));
                }
                JsonKind::Null => {}
                JsonKind::Array(elements)
                    if !elements.is_empty()
                        && elements
                            .iter()
                            .all(|e| matches!(e.kind, JsonKind::Object(_))) =>
                {
                    let nested = written.and_then(|w| w.blocks.get(key));
                    for (i, element) in elements.iter().enumerate() {
                        let marks = marks.index(i);
                        let written = nested.and_then(|blocks| blocks.get(i)).or(written);
                        let node = self.block(element, &marks, prefix, config, written);
                        entries.push((key.to_string(), node));
                    }
                }
                JsonKind::Array(elements) if elements.is_empty() => {}
                _ => {
                    let node = self.value(&property.value, &marks);
                    let node = match written {
                        Some(_) => {
                            let mut node = relocate(node, &at(key, &property.value));
                            node.via = Some(Via::planned(self.span(&property.value)));
                            node
                        }
                        None => node,
                    };
                    entries.push((key.to_string(), node));
                }
            }
        }
        // Values known only after apply are absent from `values`.
        if let Some(unknown) = marks.unknown {
            for property in unknown.properties() {
                let key = &*property.key;
                if values.get(key).is_some() || property.value.kind != JsonKind::Bool(true) {
                    continue;
                }
                let value = self.after_apply(&marks.child(key), prefix, config);
                entries.push((
                    key.to_string(),
                    Node::value(value, at(key, &property.value)),
                ));
            }
        }
        let span = written.map_or_else(|| self.span(values), |w| w.extent.clone());
        Node::object(entries, span)
    }

    /// A value as a node, structure and spans kept; unknown and sensitive leaves marked.
    fn value(&self, json: &'a Json, marks: &Marks<'a>) -> Node {
        let span = self.span(json);
        if marks.is_sensitive() {
            return Node::value(
                Value::Unknown("is sensitive in the plan, not shown".into()),
                span,
            );
        }
        let kind = match &json.kind {
            JsonKind::Object(properties) => NodeKind::Object(
                properties
                    .iter()
                    .filter(|p| p.value.kind != JsonKind::Null)
                    .map(|p| {
                        (
                            p.key.to_string(),
                            self.value(&p.value, &marks.child(&p.key)),
                        )
                    })
                    .collect(),
            ),
            JsonKind::Array(elements) => NodeKind::Array(
                elements
                    .iter()
                    .enumerate()
                    .map(|(i, e)| self.value(e, &marks.index(i)))
                    .collect(),
            ),
            JsonKind::Null => NodeKind::Value(Value::Null),
            JsonKind::Bool(b) => NodeKind::Value(Value::Bool(*b)),
            JsonKind::Number(n) => NodeKind::Value(Value::Number(*n)),
            // azapi 1.x writes `body` as a JSON string.
            JsonKind::String(text) if text.trim_start().starts_with('{') => {
                match json::parse(text) {
                    Ok(Some(parsed)) => return self.relocated(&parsed, span),
                    _ => NodeKind::Value(Value::String(text.to_string())),
                }
            }
            JsonKind::String(text) => NodeKind::Value(Value::String(text.to_string())),
        };
        Node {
            span,
            via: None,
            kind,
        }
    }

    /// JSON parsed out of a string, every part located at the string.
    fn relocated(&self, json: &Json, span: Span) -> Node {
        let kind = match &json.kind {
            JsonKind::Object(properties) => NodeKind::Object(
                properties
                    .iter()
                    .map(|p| (p.key.to_string(), self.relocated(&p.value, span.clone())))
                    .collect(),
            ),
            JsonKind::Array(elements) => NodeKind::Array(
                elements
                    .iter()
                    .map(|e| self.relocated(e, span.clone()))
                    .collect(),
            ),
            JsonKind::Null => NodeKind::Value(Value::Null),
            JsonKind::Bool(b) => NodeKind::Value(Value::Bool(*b)),
            JsonKind::Number(n) => NodeKind::Value(Value::Number(*n)),
            JsonKind::String(s) => NodeKind::Value(Value::String(s.to_string())),
        };
        Node {
            span,
            via: None,
            kind,
        }
    }

    /// A value known only after apply: the resource (or module output) its expression refers
    /// to, when the configuration says; else unknown.
    fn after_apply(&self, marks: &Marks<'a>, prefix: &str, config: Option<&'a Json>) -> Value {
        let references = marks
            .expressions
            .map(|e| array(e.get("references")))
            .unwrap_or_default();
        for reference in references.iter().filter_map(Json::as_str) {
            if let Some(key) = resolve_reference(reference, prefix, config, 0) {
                return Value::ResourceAttr {
                    key,
                    shown: reference.to_string(),
                    attr: "id".into(),
                };
            }
        }
        Value::Unknown("is known after apply".into())
    }
}

/// A node and everything in it placed at `span` (an argument as written in a `.tf` file).
fn relocate(mut node: Node, span: &Span) -> Node {
    node.span = span.clone();
    node.kind = match node.kind {
        NodeKind::Object(entries) => NodeKind::Object(
            entries
                .into_iter()
                .map(|(k, n)| (k, relocate(n, span)))
                .collect(),
        ),
        NodeKind::Array(items) => {
            NodeKind::Array(items.into_iter().map(|n| relocate(n, span)).collect())
        }
        value => value,
    };
    node
}

/// Where a value is in the plan's parallel structures: `after_unknown`, `sensitive_values`
/// and the configuration's expressions.
#[derive(Clone, Copy)]
struct Marks<'a> {
    unknown: Option<&'a Json>,
    sensitive: Option<&'a Json>,
    expressions: Option<&'a Json>,
}

impl<'a> Marks<'a> {
    fn child(&self, key: &str) -> Marks<'a> {
        Marks {
            unknown: self.unknown.and_then(|j| j.get(key)),
            sensitive: self.sensitive.and_then(|j| j.get(key)),
            expressions: self.expressions.and_then(|j| j.get(key)),
        }
    }

    fn index(&self, i: usize) -> Marks<'a> {
        let at = |json: Option<&'a Json>| match json.map(|j| &j.kind) {
            Some(JsonKind::Array(items)) => items.get(i),
            // A single nested block's expressions are one object.
            _ => json,
        };
        Marks {
            unknown: at(self.unknown),
            sensitive: at(self.sensitive),
            expressions: at(self.expressions),
        }
    }

    fn is_sensitive(&self) -> bool {
        self.sensitive
            .is_some_and(|s| s.kind == JsonKind::Bool(true))
    }
}

/// The link key of what a configuration reference names: a resource (`azurerm_x.y`, any
/// attribute) in this module, or the resource a module output (`module.m.out`) comes from.
fn resolve_reference(
    reference: &str,
    prefix: &str,
    config: Option<&Json>,
    depth: usize,
) -> Option<String> {
    let parts: Vec<&str> = reference.split('.').collect();
    match parts.as_slice() {
        ["module", call, output, ..] if depth < 8 => {
            let call = call.split('[').next()?;
            let module = config?.get("module_calls")?.get(call)?.get("module")?;
            let expression = module.get("outputs")?.get(output)?.get("expression")?;
            let inner = format!("{prefix}module.{call}.");
            array(expression.get("references"))
                .iter()
                .filter_map(Json::as_str)
                .find_map(|r| resolve_reference(r, &inner, Some(module), depth + 1))
        }
        [kind, name, ..]
            if !matches!(
                *kind,
                "var"
                    | "local"
                    | "each"
                    | "count"
                    | "path"
                    | "terraform"
                    | "self"
                    | "data"
                    | "module"
            ) && kind.contains('_') =>
        {
            let name = name.split('[').next()?;
            Some(format!("{prefix}{kind}.{name}"))
        }
        _ => None,
    }
}

/// The call name of a module address's last step: `module.a["x"].module.b[0]` -> `b`.
fn last_module_call(address: &str) -> Option<String> {
    let stripped = strip_instance_keys(address);
    let last = stripped.rsplit("module.").next()?;
    Some(last.trim_end_matches('.').to_string())
}

/// An address without its instance keys: `module.a["x"].azurerm_y.z[0]` -> `module.a.azurerm_y.z`.
fn strip_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_lose_their_instance_keys() {
        assert_eq!(
            strip_instance_keys(r#"module.a["x.y"].azurerm_b.c[0]"#),
            "module.a.azurerm_b.c"
        );
        assert_eq!(
            last_module_call(r#"module.a["x"].module.b[0]"#).as_deref(),
            Some("b")
        );
    }

    #[test]
    fn references_name_resources_and_skip_variables() {
        assert_eq!(
            resolve_reference("azurerm_cognitive_account.oai.id", "module.m.", None, 0).as_deref(),
            Some("module.m.azurerm_cognitive_account.oai")
        );
        assert_eq!(resolve_reference("var.account_id", "", None, 0), None);
    }

    #[test]
    fn sensitive_values_are_masked_in_place() {
        let text = r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
            {"values": {"api_key": "s3cr3t", "name": "ok"}, "sensitive_values": {"api_key": true}}]}}}"#;
        let root = parse(text).unwrap();
        let masked = masked(Arc::new(text.to_string()), &root);
        assert_eq!(masked.len(), text.len());
        assert!(
            !masked.contains("s3cr3t")
                && masked.contains("\"******\"")
                && masked.contains("\"ok\"")
        );
    }

    #[test]
    fn plans_are_recognized_and_unsupported_versions_located() {
        let plan = r#"{"format_version": "1.2", "planned_values": {}}"#;
        assert!(looks_like_plan(plan));
        assert!(!looks_like_plan(r#"{"$schema": "x", "resources": []}"#));
        let error = parse(r#"{"format_version": "2.0", "planned_values": {}}"#).unwrap_err();
        assert!(error.message.contains("2.0"), "{}", error.message);
        assert_eq!(error.offset, 19);
        assert!(parse(r#"{"format_version": "1.2", "planned_values": {"#).is_err());
    }
}
