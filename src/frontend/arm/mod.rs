//! ARM JSON templates -> the normalized model. Only files whose `$schema` is a deployment
//! template or parameters schema are read; other JSON (package.json, app settings, API specs)
//! is not ours and is skipped without a word.

mod exposure;
mod expr;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::frontend::json::{self, Json, JsonKind};

use crate::frontend::azure;
use crate::frontend::node::{BodyReader, Node, NodeKind, name_key};
use crate::frontend::value::{NamedWeight, Scale, TOO_DEEP, Value, too_big};
use crate::frontend::{Built, Scope, SyntaxError};
use crate::model::{
    Attr, DEPLOYMENT_GROUP, DEPLOYMENT_SUBSCRIPTION, Declared, Existence, Language, Model,
    UnfollowedModule, Via,
};
use crate::source::{FileId, Span};

/// Nested inline deployments followed at most this deep.
const MAX_NESTED_DEPLOYMENTS: usize = 16;
/// Parameter and variable references followed at most this deep (cycles stop here too).
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArmKind {
    Template,
    Parameters,
}

pub struct ArmFile {
    pub id: FileId,
    pub path: PathBuf,
    pub kind: ArmKind,
    pub root: Json,
}

/// `Ok(None)` for JSON that is not an ARM template or parameter file.
pub fn parse(text: &str) -> Result<Option<(ArmKind, Json)>, SyntaxError> {
    let root = match json::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(None),
        // A broken file is only ours to report when it says it is a template.
        Err(error) if schema_kind(text).is_some() => return Err(error),
        Err(_) => return Ok(None),
    };
    let Some(kind) = root
        .get("$schema")
        .and_then(Json::as_str)
        .and_then(schema_kind)
    else {
        return Ok(None);
    };
    // A template whose resources cannot be read is an error, not a template with none.
    if let (ArmKind::Template, Some(resources)) = (kind, root.get("resources"))
        && !matches!(resources.kind, JsonKind::Array(_) | JsonKind::Object(_))
    {
        return Err(SyntaxError {
            offset: resources.span.start,
            message: "`resources` must be an array (or, in languageVersion 2.0, an object of symbolic names)".into(),
        });
    }
    Ok(Some((kind, root)))
}

fn schema_kind(schema: &str) -> Option<ArmKind> {
    let schema = schema.to_ascii_lowercase();
    if schema.contains("deploymenttemplate.json") {
        Some(ArmKind::Template)
    } else if schema.contains("deploymentparameters.json") {
        Some(ArmKind::Parameters)
    } else {
        None
    }
}

/// A scope's ARM model: each template with the parameters file that applies to it. Nested
/// deployments are inline; a linked template is not followed (AOAI900), so no module files are
/// read.
pub fn build(scope: &Scope<'_>) -> Built {
    Built {
        model: build_model(&scope.files.arm, scope.settings.location),
        also_reported: Vec::new(),
    }
}

/// `location` is `--location`: what `resourceGroup().location` is.
pub fn build_model(files: &[ArmFile], location: Option<&str>) -> Model {
    let mut model = Model::default();
    for template in files.iter().filter(|f| f.kind == ArmKind::Template) {
        let params_file = files
            .iter()
            .find(|f| f.kind == ArmKind::Parameters && applies_to(&f.path, &template.path));
        let given: HashMap<String, (Value, Span)> = params_file
            .and_then(|f| Some((f.id, f.root.get("parameters")?)))
            .map(|(file, params)| {
                params
                    .properties()
                    .iter()
                    .filter_map(|p| {
                        let value = p.value.get("value")?;
                        let span = Span::new(file, value.span.clone());
                        Some((p.key.to_ascii_lowercase(), (parameter_value(value), span)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut scope = Template::new(
            template.id,
            &template.root,
            |name| {
                let (value, span) = given.get(name)?;
                Some((value.clone(), Some(span.clone())))
            },
            None,
        );
        scope.location = location.map(str::to_string);
        scope.subscription = template
            .root
            .get("$schema")
            .and_then(Json::as_str)
            .is_some_and(|schema| {
                schema
                    .to_ascii_lowercase()
                    .contains("subscriptiondeploymenttemplate")
            });
        if scope.subscription
            && let Some(schema) = template.root.property("$schema")
        {
            // A subscription deployment: where a subscription plan would be declared.
            model.subscription_deployments.push(Declared {
                address: "$schema".into(),
                header: Span::new(template.id, schema.span()),
                extent: Span::new(template.id, template.root.span.clone()),
                language: Language::Arm,
                existence: Existence::Always,
            });
        }
        scope.resources(&template.root, None, &mut model, 0);
        // A resource of the template is named as its declaration is: by its name's value.
        let name_of = |json: &Json| match json.get("name").map(|n| scope.value(n)) {
            Some(Value::String(name)) => Some(name),
            _ => None,
        };
        exposure::find(template.id, &template.root, &name_of, &mut model);
    }
    model
}

/// `x.parameters.json` applies to `x.json` or `x.bicep` in the same directory (the Azure CLI's
/// and azd's convention).
fn applies_to(params: &Path, template: &Path) -> bool {
    let name = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(str::to_ascii_lowercase)
    };
    match (name(params), name(template)) {
        (Some(params_name), Some(template_name)) => {
            let Some(stem) = params_name.strip_suffix(".parameters.json") else {
                return false;
            };
            params.parent() == template.parent()
                && [".json", ".bicep"]
                    .iter()
                    .any(|ext| template_name == format!("{stem}{ext}"))
        }
        _ => false,
    }
}

/// The values of the JSON parameters file that applies to `template` (a Bicep template: the
/// ARM ones are read by [`build_model`]), by parameter name, with where each is written.
pub fn parameters_for(
    files: &[ArmFile],
    template: &Path,
) -> Option<HashMap<String, (Value, Span)>> {
    let file = files
        .iter()
        .find(|f| f.kind == ArmKind::Parameters && applies_to(&f.path, template))?;
    let parameters = file.root.get("parameters")?;
    Some(
        parameters
            .properties()
            .iter()
            .filter_map(|p| {
                let value = p.value.get("value")?;
                let span = Span::new(file.id, p.value.span.clone());
                Some((p.key.to_string(), (parameter_value(value), span)))
            })
            .collect(),
    )
}

/// A value from a parameters file. azd fills `${NAME}` placeholders from the environment at
/// deployment; `${NAME=default}` is the default when the variable is unset, which is what the
/// repository declares and what is linted. A placeholder without a default is not known here.
fn parameter_value(json: &Json) -> Value {
    match json.as_str() {
        Some(text) if text.contains("${") => match azd_defaults(text) {
            Ok(filled) => Value::String(filled),
            Err(names) => Value::Unknown(format!(
                "is set from the environment at deployment (`{text}` in the parameters file: {} no default)",
                match names.as_slice() {
                    [name] => format!("`{name}` has"),
                    names => format!("`{}` have", names.join("` and `")),
                }
            )),
        },
        _ => literal(json),
    }
}

/// `text` with each `${NAME=default}` replaced by its default; the first name without one
/// otherwise. A default may itself be a placeholder (`${A=${B}}`: `B`'s default, else unknown).
fn azd_defaults(text: &str) -> Result<String, Vec<String>> {
    let (filled, rest) = fill(text, false)?;
    Ok(filled + rest)
}

/// Fills the placeholders of `text` up to its end, or up to the `}` that closes the enclosing
/// placeholder's default when `nested`; returns the text and what follows that `}`.
fn fill(text: &str, nested: bool) -> Result<(String, &str), Vec<String>> {
    let mut filled = String::new();
    let mut rest = text;
    loop {
        let next = rest.find(|c| c == '$' || (nested && c == '}'));
        let Some(at) = next else {
            filled.push_str(rest);
            return Ok((filled, ""));
        };
        filled.push_str(&rest[..at]);
        if rest[at..].starts_with('}') {
            return Ok((filled, &rest[at + 1..]));
        }
        let Some(inner) = rest[at..].strip_prefix("${") else {
            filled.push('$');
            rest = &rest[at + 1..];
            continue;
        };
        let name_end = inner.find(['=', '}']).unwrap_or(inner.len());
        let name = &inner[..name_end];
        match inner[name_end..].chars().next() {
            Some('=') => {
                let (default, after) = fill(&inner[name_end + 1..], true).map_err(|unset| {
                    std::iter::once(name.to_string())
                        .chain(unset)
                        .collect::<Vec<_>>()
                })?;
                filled.push_str(&default);
                rest = after;
            }
            Some(_) => return Err(vec![name.to_string()]),
            // An unclosed placeholder is text.
            None => {
                filled.push_str(&rest[at..]);
                return Ok((filled, ""));
            }
        }
    }
}

/// A parameters-file value as the parameter's declared type takes it: azd writes every
/// placeholder as a string (`"${ENABLED=true}"`), which a `bool` or `int` parameter reads as
/// `true` or `3`.
pub fn as_declared_type(value: Value, declared: Option<&str>) -> Value {
    let declared = declared.map(|t| t.trim_end_matches('?').to_ascii_lowercase());
    match (declared.as_deref(), value) {
        (Some("bool"), Value::String(text)) if text == "true" || text == "false" => {
            Value::Bool(text == "true")
        }
        (Some("int"), Value::String(text)) => match text.parse::<f64>() {
            Ok(number) => Value::Number(number),
            Err(_) => Value::String(text),
        },
        (_, value) => value,
    }
}

/// A JSON value taken as is (parameter files hold literals).
pub fn literal(json: &Json) -> Value {
    match &json.kind {
        JsonKind::Null => Value::Null,
        JsonKind::Bool(b) => Value::Bool(*b),
        JsonKind::Number(n) => Value::Number(*n),
        JsonKind::String(s) => Value::String(s.to_string()),
        JsonKind::Array(items) => Value::List(items.iter().map(literal).collect()),
        JsonKind::Object(properties) => Value::Object(
            properties
                .iter()
                .map(|p| (p.key.to_string(), literal(&p.value)))
                .collect(),
        ),
    }
}

enum Param<'a> {
    /// A value given by a parameters file (with where it is written) or an enclosing deployment.
    Given(Value, Option<Span>),
    Default(&'a Json),
    /// `"nullable": true` without a default: null when not given.
    Null,
    Missing,
}

/// Whether no two instances of a copy loop declare anything under the same name. An instance
/// declares several things under its own (its API version too).
fn names_tell_apart(instances: &mut [(String, Model)]) -> bool {
    let mut seen = std::collections::HashSet::new();
    instances.iter_mut().all(|(_, instance)| {
        let own: std::collections::BTreeSet<String> = instance
            .declarations_mut()
            .map(|declared| declared.address.clone())
            .collect();
        own.into_iter().all(|address| seen.insert(address))
    })
}

/// A template's (or a resource's) `resources`: an array, or in languageVersion 2.0 an object of
/// symbolic names.
fn resources_of(container: &Json) -> Vec<&Json> {
    match container.get("resources").map(|r| &r.kind) {
        Some(JsonKind::Array(items)) => items.iter().collect(),
        Some(JsonKind::Object(properties)) => properties.iter().map(|p| &p.value).collect(),
        _ => Vec::new(),
    }
}

/// ARM's own limit on the instances of one copy loop.
const MAX_COPIES: f64 = 800.0;

/// The copy-loop instances read in one template and its nested deployments: loops within
/// looped deployments multiply, and a template of three nested loops of 800 would otherwise be
/// read 512 million times.
const MAX_EXPANDED: usize = 10_000;

/// Lambda applications evaluated in one template and its nested deployments: a lambda within
/// a lambda over long arrays multiplies too.
const MAX_LAMBDAS: usize = 200_000;

/// The work a template has caused so far: copy-loop instances and lambda applications.
#[derive(Default)]
struct Spent {
    instances: Cell<usize>,
    lambdas: Cell<usize>,
}

/// One template's names: its parameters (given values or defaults) and variables.
struct Template<'a> {
    file: FileId,
    /// The template itself: its resources are what `reference('name')` finds.
    root: &'a Json,
    params: HashMap<String, Param<'a>>,
    /// Each parameter's `allowedValues`: whatever sets it, it is one of them.
    allowed: HashMap<String, Vec<Value>>,
    /// Parameters known to be non-empty strings whatever sets them: a resource's name (Azure
    /// names are never empty), or a `minLength` of one or more.
    non_empty: HashSet<String>,
    variables: HashMap<String, Variable<'a>>,
    /// Variables once evaluated, with the parameters-file value each read: a variable that
    /// uses another twice, down a chain, would otherwise be evaluated exponentially often.
    evaluated: RefCell<HashMap<String, (Value, Option<Span>)>>,
    /// What the values in `evaluated` weigh together.
    evaluated_weight: NamedWeight,
    depth: Cell<usize>,
    /// `--location`, shared by nested deployments.
    location: Option<String>,
    /// A subscription-level template (`subscriptionDeploymentTemplate.json`).
    subscription: bool,
    /// Where the first parameters-file value read by the value being evaluated is written:
    /// the finding on that value is fixed there.
    origin: RefCell<Option<Span>>,
    /// The copy loops being expanded, innermost last: (name, index).
    copies: RefCell<Vec<(String, usize)>>,
    /// What the template and its nested deployments have spent of the bounds on the work one
    /// template may cause.
    spent: std::rc::Rc<Spent>,
}

/// The parent of a nested child resource.
struct Parent {
    type_name: String,
    name: Option<String>,
    key: String,
}

impl<'a> Template<'a> {
    /// `given` supplies parameter values (from a parameters file or an enclosing deployment);
    /// `outer` is the enclosing template whose names an outer-scoped nested template uses.
    fn new(
        file: FileId,
        root: &'a Json,
        given: impl Fn(&str) -> Option<(Value, Option<Span>)>,
        outer: Option<&Template<'a>>,
    ) -> Self {
        if let Some(outer) = outer {
            let params = outer
                .params
                .iter()
                .map(|(k, p)| (k.clone(), p.share()))
                .collect();
            return Template {
                file,
                root,
                params,
                allowed: outer.allowed.clone(),
                non_empty: outer.non_empty.clone(),
                variables: outer.variables.clone(),
                evaluated: RefCell::default(),
                evaluated_weight: NamedWeight::default(),
                depth: Cell::new(0),
                origin: RefCell::new(None),
                copies: RefCell::default(),
                spent: outer.spent.clone(),
                location: outer.location.clone(),
                subscription: false,
            };
        }
        let mut params = HashMap::new();
        let mut allowed = HashMap::new();
        let mut non_empty: HashSet<String> = resources_named_by_parameters(root).collect();
        for property in root
            .get("parameters")
            .map(Json::properties)
            .unwrap_or_default()
        {
            let name = property.key.to_ascii_lowercase();
            let nullable = property
                .value
                .get("nullable")
                .is_some_and(|n| n.kind == json::JsonKind::Bool(true));
            let declared = property.value.get("type").and_then(Json::as_str);
            let param = match (given(&name), property.value.get("defaultValue")) {
                (Some((value, origin)), _) => {
                    Param::Given(as_declared_type(value, declared), origin)
                }
                (None, Some(default)) => Param::Default(default),
                (None, None) if nullable => Param::Null,
                (None, None) => Param::Missing,
            };
            if let Some(values) = allowed_values(&property.value) {
                allowed.insert(name.clone(), values);
            }
            let min_length = property.value.get("minLength");
            if min_length.is_some_and(|n| matches!(n.kind, json::JsonKind::Number(n) if n >= 1.0)) {
                non_empty.insert(name.clone());
            }
            params.insert(name, param);
        }
        let variables = declared_variables(root);
        Template {
            file,
            root,
            params,
            allowed,
            non_empty,
            variables,
            evaluated: RefCell::default(),
            evaluated_weight: NamedWeight::default(),
            depth: Cell::new(0),
            location: None,
            subscription: false,
            origin: RefCell::new(None),
            copies: RefCell::default(),
            spent: std::rc::Rc::default(),
        }
    }

    /// The first parameters-file value the value being evaluated reads.
    fn note_origin(&self, origin: Option<&Span>) {
        if let Some(origin) = origin
            && self.origin.borrow().is_none()
        {
            *self.origin.borrow_mut() = Some(origin.clone());
        }
    }

    fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.file, range.clone())
    }

    /// A JSON value with its template expressions evaluated.
    fn value(&self, json: &Json) -> Value {
        self.value_partial(json).demote()
    }

    /// [`Template::value`] keeping what is known of a value known in part (see
    /// [`Value::Partial`]): for properties a rule reads, and parameters and variables, which
    /// the evaluator passes on.
    fn value_partial(&self, json: &Json) -> Value {
        match &json.kind {
            JsonKind::String(text) => match expr::expression_text(text) {
                Some(inner) => {
                    if self.depth.get() >= MAX_DEPTH {
                        return Value::Unknown(format!(
                            "uses `{inner}` through references that are {TOO_DEEP}"
                        ));
                    }
                    self.depth.set(self.depth.get() + 1);
                    let value = match expr::parse(inner) {
                        Some(parsed) => expr::eval_partial(&parsed, self, inner),
                        None => Value::Unknown(format!(
                            "uses `{inner}`, which is not a valid expression"
                        )),
                    };
                    self.depth.set(self.depth.get() - 1);
                    value
                }
                // `[[` starts a literal string that begins with `[`.
                None if text.trim_start().starts_with("[[") => {
                    Value::String(text.trim_start()[1..].to_string())
                }
                None => Value::String(text.to_string()),
            },
            JsonKind::Array(items) => {
                let mut scale = Scale::default();
                let mut values = Vec::new();
                for item in items {
                    let value = self.value(item);
                    if !scale.holds(&value) {
                        return too_big();
                    }
                    values.push(value);
                }
                Value::List(values)
            }
            JsonKind::Object(properties) => {
                let mut scale = Scale::default();
                let mut entries = BTreeMap::new();
                for property in properties {
                    let value = self.value(&property.value);
                    if !scale.holds(&value) {
                        return too_big();
                    }
                    entries.insert(property.key.to_string(), value);
                }
                Value::Object(entries)
            }
            _ => literal(json),
        }
    }

    /// A resource body as a [`Node`] tree: structure and spans kept, expressions evaluated.
    fn node(&self, json: &Json, span: std::ops::Range<usize>) -> Node {
        let span_of = |range: &std::ops::Range<usize>| self.span(range);
        match &json.kind {
            JsonKind::Object(properties) => Node::object(
                properties
                    .iter()
                    .map(|p| (self.key(&p.key), self.node(&p.value, p.span())))
                    .collect(),
                span_of(&span),
            ),
            JsonKind::Array(items) => Node {
                span: span_of(&span),
                via: None,
                kind: NodeKind::Array(items.iter().map(|i| self.node(i, i.span.clone())).collect()),
            },
            _ => {
                self.origin.borrow_mut().take();
                let value = self.value_partial(json);
                // A value set in the parameters file is fixed there.
                match self.origin.borrow_mut().take() {
                    Some(origin) => Node {
                        span: origin,
                        via: Some(Via::value_use(span_of(&span))),
                        kind: NodeKind::Value(value),
                    },
                    None => Node::value(value, span_of(&span)),
                }
            }
        }
    }

    /// A property name; an expression (`userAssignedIdentities` keyed by `[resourceId(...)]`)
    /// is evaluated, and kept as written when it cannot be.
    fn key(&self, key: &str) -> String {
        if expr::expression_text(key).is_none() {
            return key.to_string();
        }
        let value = self.value(&Json {
            kind: JsonKind::String(key.into()),
            span: 0..0,
        });
        match value {
            Value::String(text) => text,
            other => {
                crate::frontend::node::reference_key(&other).unwrap_or_else(|| key.to_string())
            }
        }
    }

    fn resources(
        &self,
        container: &Json,
        parent: Option<&Parent>,
        model: &mut Model,
        nesting: usize,
    ) {
        for resource in resources_of(container) {
            self.resource(resource, parent, model, nesting);
        }
    }

    /// A resource, once per element of its `copy` loop: instances that agree are one, the
    /// others keep their index (`name[1]`) unless their names tell them apart. A loop whose
    /// count is not known is one resource that may not exist.
    fn resource(&self, json: &Json, parent: Option<&Parent>, model: &mut Model, nesting: usize) {
        let Some(copy) = json.get("copy") else {
            return self.resource_instance(json, parent, model, nesting, None);
        };
        let name = match copy.get("name").map(|n| self.value(n)) {
            Some(Value::String(name)) => name,
            _ => String::new(),
        };
        let count = match self.copy_count(copy) {
            Ok(count) => count,
            Err(reason) => {
                let existence = Existence::Conditional { reason };
                return self.resource_instance(json, parent, model, nesting, Some(existence));
            }
        };
        let mut instances: Vec<(String, Model)> = (0..count)
            .map(|index| {
                self.copies.borrow_mut().push((name.clone(), index));
                let mut instance = Model::default();
                self.resource_instance(json, parent, &mut instance, nesting, None);
                self.copies.borrow_mut().pop();
                (format!("[{index}]"), instance)
            })
            .collect();
        if names_tell_apart(&mut instances) {
            instances.iter_mut().for_each(|(suffix, _)| suffix.clear());
        }
        model.extend(Model::from_instances(instances));
    }

    /// How many instances a copy loop makes, counted against the budget of the whole
    /// deployment; why it is not known otherwise (the resource then may not exist).
    fn copy_count(&self, copy: &Json) -> Result<usize, String> {
        let count = match copy.get("count").map(|c| self.value(c)) {
            Some(Value::Number(n)) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_COPIES => n as usize,
            Some(Value::Unknown(reason)) => return Err(format!("its copy count {reason}")),
            other => {
                let shown = other.map_or_else(|| "missing".into(), |count| count.shown());
                return Err(format!(
                    "its copy count is {shown}, not a number up to {MAX_COPIES}"
                ));
            }
        };
        let expanded = self.spent.instances.get() + count;
        if expanded > MAX_EXPANDED {
            return Err(format!(
                "it is in copy loops of more than {MAX_EXPANDED} instances in all, past which they are read once"
            ));
        }
        self.spent.instances.set(expanded);
        Ok(count)
    }

    fn resource_instance(
        &self,
        json: &Json,
        parent: Option<&Parent>,
        model: &mut Model,
        nesting: usize,
        loop_existence: Option<Existence>,
    ) {
        let Some(Value::String(written_type)) = json.get("type").map(|t| self.value(t)) else {
            return;
        };
        let full_type = match parent {
            Some(parent) if !written_type.contains('.') => {
                format!("{}/{written_type}", parent.type_name)
            }
            _ => written_type.clone(),
        };
        let name = json.get("name").map(|n| self.value(n));
        let name = match (name, parent.and_then(|p| p.name.as_deref())) {
            (Some(Value::String(name)), Some(parent_name)) if !name.contains('/') => {
                Some(format!("{parent_name}/{name}"))
            }
            (Some(Value::String(name)), _) => Some(name),
            _ => None,
        };
        let address = name.clone().unwrap_or_else(|| {
            json.get("name")
                .and_then(Json::as_str)
                .unwrap_or("(unnamed)")
                .to_string()
        });
        let existence = match json.get("condition").map(|c| self.value(c)) {
            Some(Value::Bool(false)) => return,
            Some(Value::Unknown(reason)) => Existence::Conditional {
                reason: format!("its condition {reason}"),
            },
            _ => loop_existence.unwrap_or(Existence::Always),
        };
        let header_range = json
            .property("type")
            .map_or_else(|| json.span.clone(), |p| p.span());
        let header = self.span(&header_range);
        let declared = Declared {
            address: address.clone(),
            header: header.clone(),
            extent: self.span(&json.span),
            language: Language::Arm,
            existence,
        };
        let key = match &name {
            Some(name) => name_key(&full_type, name),
            None => format!("arm:{}:{address}", self.file.0),
        };

        if full_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            let properties = json.get("properties");
            if let Some(link) = properties.and_then(|p| p.get("templateLink")) {
                // A linked template lives at a URI (or in a template spec): never fetched.
                let source = ["uri", "id", "relativePath"]
                    .iter()
                    .find_map(|key| link.get(key).map(|value| self.value(value).shown()))
                    .unwrap_or_default();
                model.unfollowed_modules.push(UnfollowedModule {
                    declared,
                    reason: format!("its linked template {source} is not fetched"),
                    source,
                    receives: Vec::new(),
                });
                return;
            }
            self.nested_deployment(json, model, nesting);
            return;
        }
        let root = self.node(json, json.span.clone());
        let reader = BodyReader {
            root: &root,
            header: header.clone(),
        };
        let existing = matches!(
            json.get("existing").map(|e| self.value(e)),
            Some(Value::Bool(true))
        );
        if !existing {
            azure::api_version(
                &full_type,
                reader.string("apiVersion", None),
                &declared,
                model,
            );
        }
        // The older form of a diagnostic setting: `<type>/providers/diagnosticSettings` named
        // `<resource>/Microsoft.Insights/<setting>`.
        const NESTED_DIAGNOSTICS: &str = "/providers/diagnosticsettings";
        if full_type.to_ascii_lowercase().ends_with(NESTED_DIAGNOSTICS) {
            let target_type = &full_type[..full_type.len() - NESTED_DIAGNOSTICS.len()];
            let target = match name.as_deref().and_then(|n| n.split('/').next()) {
                Some(resource) => Attr::explicit(
                    "name",
                    header.clone(),
                    name_key(target_type, resource),
                    resource.to_string(),
                ),
                None => Attr::unresolved("name", header.clone(), "cannot be evaluated"),
            };
            model
                .diagnostic_settings
                .push(azure::diagnostic_setting(&reader, "", declared, target));
            return;
        }
        // A child named `parent/child` belongs to the parent of its type.
        let parent_type = full_type
            .rsplit_once('/')
            .map_or(azure::ACCOUNT_TYPE, |(parent, _)| parent);
        let parent_account = || match (parent, name.as_deref().and_then(|n| n.rsplit_once('/'))) {
            (Some(parent), _) => Attr::explicit(
                "name",
                header.clone(),
                parent.key.clone(),
                parent.name.clone().unwrap_or_default(),
            ),
            (None, Some((account, _))) => Attr::explicit(
                "name",
                header.clone(),
                name_key(parent_type, account),
                account.to_string(),
            ),
            (None, None) => Attr::unresolved("name", header.clone(), "does not name its account"),
        };
        let placement = self.placement(existing, nesting, &header);
        azure::add_declaration(
            &full_type,
            &reader,
            declared,
            &placement,
            vec![key.clone()],
            parent_account,
            model,
        );
        let parent = Parent {
            type_name: full_type,
            name,
            key,
        };
        self.resources(json, Some(&parent), model, nesting);
    }

    /// A variable a `copy` loop builds: its `input` once per index, as a resource's loop is
    /// expanded, against the same budget.
    fn copied_variable(&self, copy: &Json) -> Value {
        let count = match self.copy_count(copy) {
            Ok(count) => count,
            Err(reason) => return Value::Unknown(format!("is built by a copy loop: {reason}")),
        };
        let Some(input) = copy.get("input") else {
            return Value::Unknown("is built by a copy loop without an `input`".into());
        };
        let name = copy.get("name").and_then(Json::as_str).unwrap_or_default();
        let elements = (0..count).map(|index| {
            self.copies.borrow_mut().push((name.to_string(), index));
            let element = self.value_partial(input);
            self.copies.borrow_mut().pop();
            element
        });
        Value::List(elements.collect())
    }

    /// A parameter an inner-scope deployment passes: `{ "value": ... }`, or an expression for
    /// that object, as compiled Bicep writes a conditional argument
    /// (`[if(c, createObject('value', a), createObject('value', b))]`: `a` or `b`).
    fn passed_parameter(&self, passed: &Json) -> Option<Value> {
        if let Some(value) = passed.get("value") {
            return Some(self.value_partial(value));
        }
        let text = passed.as_str()?;
        let inner = expr::expression_text(text)?;
        let parsed = expr::parse(inner)?;
        let unwrapped = expr::value_of_parameter_object(&parsed);
        match expr::eval_partial(unwrapped.as_ref().unwrap_or(&parsed), self, inner) {
            Value::Object(mut map) if unwrapped.is_none() => {
                Some(map.remove("value").unwrap_or_else(|| {
                    Value::Unknown(format!("is passed without a `value` in `{inner}`"))
                }))
            }
            value if unwrapped.is_some() => Some(value),
            other => Some(Value::Unknown(format!(
                "is passed as {} in `{inner}`",
                other.shown()
            ))),
        }
    }

    /// Where a resource deploys: the template's own group (or subscription), unless a nested
    /// deployment may move it elsewhere.
    fn placement(&self, existing: bool, nesting: usize, header: &Span) -> azure::Placement {
        let unknown = |name: &str| {
            Attr::unresolved(
                name,
                header.clone(),
                "is where a nested deployment deploys to",
            )
        };
        let group = Attr::default(
            "scope",
            header.clone(),
            DEPLOYMENT_GROUP.to_string(),
            "not set",
        );
        let subscription = Attr::default(
            "scope",
            header.clone(),
            DEPLOYMENT_SUBSCRIPTION.to_string(),
            "not set",
        );
        match (nesting, self.subscription) {
            (0, false) => azure::Placement {
                existing,
                group: group.clone(),
                deployment_scope: group,
            },
            (0, true) => azure::Placement {
                existing,
                group: unknown("resource group"),
                deployment_scope: subscription,
            },
            _ => azure::Placement {
                existing,
                group: unknown("resource group"),
                deployment_scope: unknown("scope"),
            },
        }
    }

    /// A `Microsoft.Resources/deployments` with an inline template: its resources are part of
    /// this deployment.
    fn nested_deployment(&self, json: &'a Json, model: &mut Model, nesting: usize) {
        if nesting >= MAX_NESTED_DEPLOYMENTS {
            return;
        }
        if let Some((nested, template)) = self.nested_template(json) {
            nested.resources(template, None, model, nesting + 1);
        }
    }

    /// The names of a nested deployment's inline template: the parameters it passes (inner
    /// scope) or this template's own (outer scope, the default).
    fn nested_template(&self, json: &'a Json) -> Option<(Template<'a>, &'a Json)> {
        let properties = json.get("properties")?;
        let template = properties.get("template")?;
        let inner = properties
            .get("expressionEvaluationOptions")
            .and_then(|o| o.get("scope"))
            .and_then(Json::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let mut nested = if inner {
            let passed = properties.get("parameters");
            Template::new(
                self.file,
                template,
                |name| {
                    let property = passed?
                        .properties()
                        .iter()
                        .find(|p| p.key.eq_ignore_ascii_case(name))?;
                    Some((self.passed_parameter(&property.value)?, None))
                },
                None,
            )
        } else {
            Template::new(self.file, template, |_| None, Some(self))
        };
        nested.location = self.location.clone();
        // References through deployments count towards the same bound as any other.
        nested.depth.set(self.depth.get());
        nested.spent = self.spent.clone();
        Some((nested, template))
    }

    /// What `reference('name')` of a nested deployment of this template gives: its `outputs`,
    /// each with its `value`. `name` is its symbolic name (languageVersion 2.0) or its name.
    fn outputs_of_deployment(&self, name: &str) -> Option<Value> {
        let by_symbol = self
            .root
            .get("resources")?
            .properties()
            .iter()
            .find(|p| p.key.eq_ignore_ascii_case(name))
            .map(|p| &p.value);
        let deployment = by_symbol.or_else(|| {
            resources_of(self.root).into_iter().find(|resource| {
                resource.get("name").map(|n| self.value(n)) == Some(Value::String(name.into()))
            })
        })?;
        let is_deployment = deployment
            .get("type")
            .and_then(Json::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Resources/deployments"));
        if !is_deployment || self.depth.get() >= MAX_DEPTH {
            return None;
        }
        let (nested, template) = self.nested_template(deployment)?;
        let outputs = template
            .get("outputs")
            .map(Json::properties)
            .unwrap_or_default()
            .iter()
            .filter_map(|output| {
                let value = nested.value_partial(output.value.get("value")?);
                Some((
                    output.key.to_string(),
                    Value::Object([("value".into(), value)].into()),
                ))
            })
            .collect();
        Some(Value::Object(
            [("outputs".into(), Value::Object(outputs))].into(),
        ))
    }
}

impl Template<'_> {
    /// A parameter's value as given, defaulted or missing.
    fn declared_parameter(&self, name: &str, key: &str) -> Value {
        match self.params.get(key) {
            Some(Param::Given(value, origin)) => {
                self.note_origin(origin.as_ref());
                value.clone()
            }
            Some(Param::Default(default)) => self.value_partial(default),
            Some(Param::Null) => Value::Null,
            Some(Param::Missing) => Value::Unknown(format!(
                "depends on parameter `{name}`, which has no default value (pass it in a parameters file)"
            )),
            None => Value::Unknown(format!(
                "refers to parameter `{name}`, which is not declared"
            )),
        }
    }
}

/// A declared variable: its value, or a `copy` loop that builds it.
#[derive(Clone, Copy)]
enum Variable<'a> {
    Value(&'a Json),
    /// `{ "name", "count", "input" }` in the `variables.copy` array: an array of `count`
    /// elements, each `input` with `copyIndex(name)` its index.
    Copy(&'a Json),
}

/// A template's variables by name (in lower case), those its `copy` array builds included.
fn declared_variables(root: &Json) -> HashMap<String, Variable<'_>> {
    let declared = root
        .get("variables")
        .map(Json::properties)
        .unwrap_or_default();
    let mut variables = HashMap::new();
    for property in declared {
        if property.key.eq_ignore_ascii_case("copy") {
            for copy in json::array(Some(&property.value)) {
                if let Some(name) = copy.get("name").and_then(Json::as_str) {
                    variables.insert(name.to_ascii_lowercase(), Variable::Copy(copy));
                }
            }
        } else {
            let name = property.key.to_ascii_lowercase();
            variables.insert(name, Variable::Value(&property.value));
        }
    }
    variables
}

/// The parameters (in lower case) that name a resource of the template whole:
/// `"name": "[parameters('accountName')]"`.
fn resources_named_by_parameters(root: &Json) -> impl Iterator<Item = String> + '_ {
    let resources = root.get("resources");
    let listed = json::array(resources).iter();
    // Language version 2.0 keys resources by symbolic name.
    let keyed = resources
        .map(Json::properties)
        .unwrap_or_default()
        .iter()
        .map(|p| &p.value);
    listed.chain(keyed).filter_map(|resource| {
        let name = resource.get("name")?.as_str()?.to_ascii_lowercase();
        let param = name.strip_prefix("[parameters('")?.strip_suffix("')]")?;
        (!param.contains('\'')).then(|| param.to_string())
    })
}

/// The literal values of a parameter's `allowedValues`.
fn allowed_values(declaration: &Json) -> Option<Vec<Value>> {
    let values = json::array(declaration.get("allowedValues"))
        .iter()
        .map(|value| match &value.kind {
            json::JsonKind::String(s) => Some(Value::String(s.to_string())),
            json::JsonKind::Number(n) => Some(Value::Number(*n)),
            json::JsonKind::Bool(b) => Some(Value::Bool(*b)),
            _ => None,
        })
        .collect::<Option<Vec<Value>>>()?;
    (!values.is_empty()).then_some(values)
}

impl Param<'_> {
    fn share(&self) -> Self {
        match self {
            Param::Given(value, origin) => Param::Given(value.clone(), origin.clone()),
            Param::Default(json) => Param::Default(json),
            Param::Null => Param::Null,
            Param::Missing => Param::Missing,
        }
    }
}

impl expr::Names for Template<'_> {
    fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    fn deployment_outputs(&self, name: &str) -> Option<Value> {
        self.outputs_of_deployment(name)
    }

    fn spend_lambda(&self) -> bool {
        let spent = self.spent.lambdas.get();
        self.spent.lambdas.set(spent + 1);
        spent < MAX_LAMBDAS
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<usize> {
        let copies = self.copies.borrow();
        match loop_name {
            None => copies.last(),
            Some(name) => copies
                .iter()
                .rev()
                .find(|(copy, _)| copy.eq_ignore_ascii_case(name)),
        }
        .map(|(_, index)| *index)
    }

    fn parameter(&self, name: &str) -> Value {
        let key = name.to_ascii_lowercase();
        self.declared_parameter(name, &key)
            .declared_as(self.allowed.get(&key), self.non_empty.contains(&key))
    }

    fn variable(&self, name: &str) -> Value {
        let key = name.to_ascii_lowercase();
        if let Some((value, origin)) = self.evaluated.borrow().get(&key) {
            self.note_origin(origin.as_ref());
            return value.clone();
        }
        let Some(&declared) = self.variables.get(&key) else {
            return Value::Unknown(format!(
                "refers to variable `{name}`, which is not declared"
            ));
        };
        let outer_origin = self.origin.borrow_mut().take();
        let value = match declared {
            Variable::Value(json) => self.value_partial(json),
            Variable::Copy(copy) => self.copied_variable(copy),
        };
        let origin = self.origin.replace(outer_origin);
        self.note_origin(origin.as_ref());
        if value.is_cut_short() {
            return value;
        }
        let value = self.evaluated_weight.keep(value);
        self.evaluated
            .borrow_mut()
            .insert(key, (value.clone(), origin));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azd_placeholders_take_their_defaults_nested_or_not() {
        let filled = |text: &str| azd_defaults(text);
        assert_eq!(filled("${LOCATION=eastus}"), Ok("eastus".into()));
        assert_eq!(filled("rg-${ENV=dev}-${REGION=we}"), Ok("rg-dev-we".into()));
        assert_eq!(
            filled("${A=${B=swedencentral}}"),
            Ok("swedencentral".into())
        );
        assert_eq!(filled("${A=x-${B=y}-z}!"), Ok("x-y-z!".into()));
        // A default that is a placeholder without one is not known: never the text `${B}`.
        assert_eq!(filled("${A=${B}}"), Err(vec!["A".into(), "B".into()]));
        assert_eq!(
            filled("${AZURE_LOCATION}"),
            Err(vec!["AZURE_LOCATION".into()])
        );
        assert_eq!(filled("cost $5 ${X=1}"), Ok("cost $5 1".into()));
        assert_eq!(filled("${UNCLOSED"), Ok("${UNCLOSED".into()));
    }
}
