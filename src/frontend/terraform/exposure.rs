//! Account keys (`primary_access_key`, `secondary_access_key`) flowing into places where they
//! can be read: root outputs that are not `sensitive`, app settings, connection strings and
//! container environment variables, into and out of local modules. Keys are followed
//! through `local` values, and each name on the way is recorded.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, FuncCall, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::visit::{Visit, visit_func_call, visit_traversal};

use super::configuration::{Child, Configuration};
use super::module::{ModuleIndex, ResourceBlock, is_sensitive};
use super::syntax::{block_extent, block_header};
use crate::model::{Declared, Existence, KeyExposure, Language, Model};
use crate::source::{FileId, Span};

/// Resource types whose `primary_access_key`/`secondary_access_key` are account keys.
const ACCOUNT_TYPES: [&str; 2] = ["azurerm_cognitive_account", "azurerm_ai_services"];
/// Every type a key can be read from (`azapi_resource_action` calls `listKeys`).
const KEY_SOURCE_TYPES: [&str; 3] = [
    "azurerm_cognitive_account",
    "azurerm_ai_services",
    "azapi_resource_action",
];
const KEY_ATTRIBUTES: [&str; 2] = ["primary_access_key", "secondary_access_key"];
/// How many `local` values deep a key is followed.
const MAX_DEPTH: usize = 8;

/// Adds the key exposures of one module instance to `model`.
pub fn find(configuration: &Configuration<'_>, instance: usize, model: &mut Model) {
    let this = &configuration.instances[instance];
    let index = &this.index;
    // Keys are read where an account (or a listKeys action) is declared, come out of a
    // followed module as an output, or come in from the caller through a variable: each is
    // reported where it lands (Terraform carries sensitivity through variables and module
    // outputs, so a module boundary is no exposure by itself).
    let children = || {
        index.calls().iter().any(|call| {
            matches!(
                configuration.child(instance, call.name),
                Some(Child::Local(_))
            )
        })
    };
    if !index.declares_any(&KEY_SOURCE_TYPES) && !children() && this.caller.is_none() {
        return;
    }
    let prefix = &this.prefix;
    let mut sinks = Sinks {
        configuration,
        instance,
        index,
        model,
    };
    // A called module's outputs go back to its caller, where they are followed.
    let outputs = match this.caller {
        None => index.output_blocks(),
        Some(_) => &[],
    };
    for output in outputs {
        if is_sensitive(&output.block.body) {
            continue;
        }
        let declared = || {
            sinks_declared(
                prefix,
                output.file,
                output.block,
                format!("output.{}", output.name),
            )
        };
        if let Some(value) = output.block.body.get_attribute("value") {
            let sink = format!("output `{}`, which is not `sensitive`", output.name);
            sinks.check(output.file, &value.value, &declared, &sink);
        }
    }
    index.for_each_resource(is_sink_type, |resource| {
        check_sink_resource(&mut sinks, prefix, resource)
    });
}

/// The sinks of one resource block: where its keys would be handed out.
fn check_sink_resource(sinks: &mut Sinks<'_, '_>, prefix: &str, resource: &ResourceBlock<'_>) {
    let type_name = resource.type_name;
    let body = &resource.block.body;
    let declared = || sinks_declared(prefix, resource.file, resource.block, resource.address());
    let file = resource.file;
    if is_app_service(type_name) {
        sinks.check_map(file, body, "app_settings", &declared, "app setting");
        for block in body.get_blocks("connection_string") {
            if let Some(value) = block.body.get_attribute("value") {
                let name = literal(&block.body, "name");
                let sink = format!("connection string `{name}`");
                sinks.check(file, &value.value, &declared, &sink);
            }
        }
    }
    if type_name == "azurerm_container_app" || type_name == "azurerm_container_app_job" {
        for template in body.get_blocks("template") {
            for container in template
                .body
                .get_blocks("container")
                .chain(template.body.get_blocks("init_container"))
            {
                for env in container.body.get_blocks("env") {
                    if let Some(value) = env.body.get_attribute("value") {
                        let sink = format!("environment variable `{}`", literal(&env.body, "name"));
                        sinks.check(file, &value.value, &declared, &sink);
                    }
                }
            }
        }
    }
    // A key in a connection is handed to everyone who can use the connection (AOAI017).
    if type_name == "azurerm_cognitive_account_connection_api_key"
        && let Some(value) = body.get_attribute("api_key")
    {
        sinks.check(file, &value.value, &declared, "connection credentials");
    }
    if type_name == "azurerm_container_group" {
        for container in body.get_blocks("container") {
            sinks.check_map(
                file,
                &container.body,
                "environment_variables",
                &declared,
                "environment variable",
            );
        }
    }
}

/// Whether this finder reads resources of the type: where keys come from, or where they go.
pub(super) fn reads_resource_type(type_name: &str) -> bool {
    KEY_SOURCE_TYPES.contains(&type_name) || is_sink_type(type_name)
}

/// The resources whose settings can hand a key on (the checks in [`find`]).
fn is_sink_type(type_name: &str) -> bool {
    is_app_service(type_name)
        || matches!(
            type_name,
            "azurerm_container_app"
                | "azurerm_container_app_job"
                | "azurerm_cognitive_account_connection_api_key"
                | "azurerm_container_group"
        )
}

/// App Service, Functions and Logic Apps Standard: `app_settings` and `connection_string`.
fn is_app_service(type_name: &str) -> bool {
    type_name.contains("web_app")
        || type_name.contains("function_app")
        || matches!(
            type_name,
            "azurerm_app_service" | "azurerm_app_service_slot" | "azurerm_logic_app_standard"
        )
}

fn literal(body: &Body, name: &str) -> String {
    body.get_attribute(name)
        .and_then(|a| a.value.as_str().map(str::to_string))
        .unwrap_or_else(|| "(computed)".into())
}

struct Sinks<'a, 'm> {
    configuration: &'a Configuration<'a>,
    instance: usize,
    index: &'a ModuleIndex<'a>,
    model: &'m mut Model,
}

/// The declaration of a sink, built only when a key reaches it.
fn sinks_declared(prefix: &str, file: FileId, block: &Block, address: String) -> Declared {
    Declared {
        address: format!("{prefix}{address}"),
        header: block_header(file, block),
        extent: block_extent(file, block),
        language: Language::Terraform,
        existence: Existence::Always,
    }
}

impl Sinks<'_, '_> {
    /// A map attribute (`app_settings = { KEY = value }`): each entry is its own sink.
    fn check_map(
        &mut self,
        file: FileId,
        body: &Body,
        name: &str,
        declared: &dyn Fn() -> Declared,
        what: &str,
    ) {
        let Some(attribute) = body.get_attribute(name) else {
            return;
        };
        match &attribute.value {
            Expression::Object(object) => {
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(expr) => expr
                            .as_str()
                            .map_or_else(|| "(computed)".to_string(), str::to_string),
                    };
                    let sink = format!("{what} `{key}`");
                    self.check(file, value.expr(), declared, &sink);
                }
            }
            other => {
                let sink = format!("`{name}`");
                self.check(file, other, declared, &sink);
            }
        }
    }

    fn check(
        &mut self,
        file: FileId,
        expr: &Expression,
        declared: &dyn Fn() -> Declared,
        sink: &str,
    ) {
        let mut finder = Finder {
            configuration: self.configuration,
            instance: self.instance,
            index: self.index,
            path: Vec::new(),
            found: None,
            depth: 0,
        };
        finder.visit_expr(expr);
        if let Some(Found {
            source,
            path,
            account,
        }) = finder.found
        {
            let declared = declared();
            let span = expr
                .span()
                .map_or_else(|| declared.header.clone(), |range| Span::new(file, range));
            self.model.key_exposures.push(KeyExposure {
                declared,
                span,
                sink: sink.to_string(),
                source,
                path,
                unknown: None,
                account,
            });
        }
    }
}

/// A key read found in an expression.
struct Found {
    /// The key as read (`azurerm_cognitive_account.openai.primary_access_key`).
    source: String,
    /// The names it went through, from the use back to the key.
    path: Vec<(String, Span)>,
    /// The address of the declared account whose key it is, in the module instance that
    /// declares it: the rule judges the key by that account's kind, per caller.
    account: Option<String>,
}

/// Looks for a key read in an expression, following `local` values.
struct Finder<'a> {
    configuration: &'a Configuration<'a>,
    /// The module instance whose expressions are visited, with its index.
    instance: usize,
    index: &'a ModuleIndex<'a>,
    path: Vec<(String, Span)>,
    found: Option<Found>,
    depth: usize,
}

impl Visit for Finder<'_> {
    /// `sensitive(x)` keeps `x` out of plans and outputs: what it wraps is not exposed.
    fn visit_func_call(&mut self, call: &FuncCall) {
        if call.name.name.as_str() != "sensitive" {
            visit_func_call(self, call);
        }
    }

    fn visit_traversal(&mut self, traversal: &Traversal) {
        if self.found.is_some() {
            return;
        }
        if let Expression::Variable(root) = &traversal.expr {
            let names: Vec<&str> = traversal
                .operators
                .iter()
                .filter_map(|op| match op.value() {
                    TraversalOperator::GetAttr(ident) => Some(ident.as_str()),
                    _ => None,
                })
                .collect();
            match (root.as_str(), names.as_slice()) {
                (type_name, [name, attr, ..])
                    if ACCOUNT_TYPES.contains(&type_name)
                        && KEY_ATTRIBUTES.contains(attr)
                        && self.serves_openai(type_name, name) =>
                {
                    let address = format!("{type_name}.{name}");
                    let prefix = &self.configuration.instances[self.instance].prefix;
                    let key = instance_key(traversal);
                    self.found = Some(self.key_read(
                        format!("{address}.{attr}"),
                        Some(format!("{prefix}{address}{key}")),
                    ));
                    return;
                }
                ("data", [type_name, name, attr, ..])
                    if ACCOUNT_TYPES.contains(type_name) && KEY_ATTRIBUTES.contains(attr) =>
                {
                    self.found =
                        Some(self.key_read(format!("data.{type_name}.{name}.{attr}"), None));
                    return;
                }
                ("azapi_resource_action", [name, "output", ..]) if self.lists_keys(name, false) => {
                    self.found =
                        Some(self.key_read(format!("azapi_resource_action.{name}.output"), None));
                    return;
                }
                ("data", ["azapi_resource_action", name, "output", ..])
                    if self.lists_keys(name, true) =>
                {
                    let source = format!("data.azapi_resource_action.{name}.output");
                    self.found = Some(self.key_read(source, None));
                    return;
                }
                ("local", [name, ..]) => self.follow_local(name),
                ("var", [name, ..]) => self.follow_variable(name),
                ("module", [name, output, ..]) => self.follow_output(name, output),
                _ => {}
            }
        }
        visit_traversal(self, traversal);
    }
}

/// The instance a traversal names with a literal index after the resource's name
/// (`azurerm_cognitive_account.this["weu"]`, `.this[0]`), written as in addresses; empty
/// otherwise (every instance, or one not known).
fn instance_key(traversal: &Traversal) -> String {
    let index = match traversal.operators.get(1).map(|op| op.value()) {
        Some(TraversalOperator::Index(index)) => index,
        Some(TraversalOperator::LegacyIndex(index)) => return format!("[{}]", index.value()),
        _ => return String::new(),
    };
    match index {
        Expression::String(key) => format!("[\"{}\"]", key.value()),
        Expression::Number(number) => format!("[{}]", number.value()),
        _ => String::new(),
    }
}

impl Finder<'_> {
    /// The key read `source`, reached through the names visited so far.
    fn key_read(&self, source: String, account: Option<String>) -> Found {
        Found {
            source,
            path: self.path.clone(),
            account,
        }
    }

    /// Whether an account's keys are Azure OpenAI keys (this rule's business): its `kind` is
    /// OpenAI or AIServices, or not written as a literal (then it may be).
    fn serves_openai(&self, type_name: &str, name: &str) -> bool {
        let Some(resource) = self.index.resource(&format!("{type_name}.{name}")) else {
            return true;
        };
        match resource
            .block
            .body
            .get_attribute("kind")
            .map(|kind| &kind.value)
        {
            Some(Expression::String(kind)) => crate::frontend::azure::ACCOUNT_KINDS
                .iter()
                .any(|k| k.eq_ignore_ascii_case(kind.value())),
            _ => true,
        }
    }

    /// An `azapi_resource_action` (resource or `data`) that calls `listKeys` on an account: its
    /// `output` holds keys (`sensitive_output` does not expose them).
    fn lists_keys(&self, name: &str, data: bool) -> bool {
        let block = match data {
            true => self.index.data_block("azapi_resource_action", name),
            false => self
                .index
                .resource(&format!("azapi_resource_action.{name}"))
                .map(|r| r.block),
        };
        let Some(block) = block else {
            return false;
        };
        let literal = |key: &str| {
            block
                .body
                .get_attribute(key)
                .and_then(|a| a.value.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        literal("action").eq_ignore_ascii_case("listKeys")
            && literal("type").to_ascii_lowercase().starts_with(&format!(
                "{}@",
                crate::frontend::azure::ACCOUNT_TYPE.to_ascii_lowercase()
            ))
    }

    /// `module.<name>.<output>` of a followed module: the output's value, in that module.
    fn follow_output(&mut self, name: &str, output: &str) {
        let step = format!("module.{name}.{output}");
        if self.depth >= MAX_DEPTH || self.path.iter().any(|(seen, _)| *seen == step) {
            return;
        }
        let Some(Child::Local(child)) = self.configuration.child(self.instance, name) else {
            return;
        };
        let child = *child;
        let index = &self.configuration.instances[child].index;
        let Some((file, attribute)) = index.output(output) else {
            return;
        };
        self.visit_step_in(child, step, file, attribute);
    }

    /// [`Finder::visit_step`] in another module instance (a callee's output, a caller's
    /// argument), the names of its expressions being that instance's.
    fn visit_step_in(
        &mut self,
        instance: usize,
        step: String,
        file: FileId,
        attribute: &hcl_edit::structure::Attribute,
    ) {
        let index = &self.configuration.instances[instance].index;
        let (here_instance, here_index) = (self.instance, self.index);
        (self.instance, self.index) = (instance, index);
        self.visit_step(step, file, attribute);
        (self.instance, self.index) = (here_instance, here_index);
    }

    /// Visits the value of a name a key may go through, recording the step.
    fn visit_step(
        &mut self,
        step: String,
        file: FileId,
        attribute: &hcl_edit::structure::Attribute,
    ) {
        let span = attribute
            .span()
            .map_or_else(|| Span::new(file, 0..0), |range| Span::new(file, range));
        self.path.push((step, span));
        self.depth += 1;
        self.visit_expr(&attribute.value);
        self.depth -= 1;
        self.path.pop();
    }

    /// `var.<name>` of a called module: the argument its caller passes, in the caller.
    fn follow_variable(&mut self, name: &str) {
        let step = format!("var.{name}");
        if self.depth >= MAX_DEPTH || self.path.iter().any(|(seen, _)| *seen == step) {
            return;
        }
        let Some(caller) = self.configuration.instances[self.instance].caller else {
            return;
        };
        let Some(argument) = caller.block.body.get_attribute(name) else {
            return;
        };
        self.visit_step_in(caller.instance, step, caller.file, argument);
    }

    fn follow_local(&mut self, name: &str) {
        let step = format!("local.{name}");
        if self.depth >= MAX_DEPTH || self.path.iter().any(|(seen, _)| *seen == step) {
            return;
        }
        let Some((file, attribute)) = self.index.local(name) else {
            return;
        };
        self.visit_step(step, file, attribute);
    }
}
