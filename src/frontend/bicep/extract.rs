//! Bicep templates -> the normalized model. Each template is evaluated with the values of the
//! `.bicepparam` file that points at it (`using`), else its parameter defaults.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use std::collections::{HashMap, HashSet};

use super::eval::{
    Contents, Evaluated, Evaluator, Exports, Func, Import, Located, ParamValue, Symbols,
};
use super::syntax::{
    ArrayItem, Expr, ExprKind, Imported, ObjectItem, Program, Property, PropertyKey, Resource,
    Statement, StatementKind,
};
use crate::frontend::arm::{self, ArmFile};
use crate::frontend::azure;
use crate::frontend::node::{BodyReader, name_key};
use crate::frontend::node::{Lookup, Node, NodeKind};
use crate::frontend::registry_modules;
use crate::frontend::value::{Known, Value};
use crate::frontend::{Built, ModuleLoader, Scope};
use crate::model::{
    Attr, DEPLOYMENT_GROUP, DEPLOYMENT_SUBSCRIPTION, Declared, Existence, Language, Model,
    UnfollowedModule,
};
use crate::policy::{ModuleLanguage, RegistryMapping, catalog};
use crate::source::{FileId, Span, lexical_normalize};

#[derive(Clone)]
pub struct BicepFile {
    pub id: FileId,
    pub path: PathBuf,
    pub program: std::sync::Arc<Program>,
    /// Read only because a template of the scope calls it as a module (it lives in another
    /// directory): checked through that caller, never on its own.
    pub module_only: bool,
    /// The files it reads as content (`loadTextContent('x')`), by the path as written: read
    /// before it is evaluated (see [`read_contents`]).
    pub contents: std::sync::Arc<Contents>,
}

/// Reads the files each template names as content, through `loader` (inside the repository
/// only), so that evaluation needs no file access.
fn read_contents(files: &mut [BicepFile], loader: &mut impl ModuleLoader) {
    for file in files.iter_mut() {
        if file.program.content_paths.is_empty() {
            continue;
        }
        let dir = file.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let contents = file
            .program
            .content_paths
            .iter()
            .map(|path| (path.clone(), loader.read_content(&dir.join(path))))
            .collect();
        file.contents = std::sync::Arc::new(contents);
    }
}

impl BicepFile {
    fn is_params(&self) -> bool {
        self.path.extension().is_some_and(|ext| ext == "bicepparam")
    }

    /// The template a `.bicepparam` file applies to.
    fn using_target(&self) -> Option<PathBuf> {
        self.program
            .statements
            .iter()
            .find_map(|statement| match &statement.kind {
                StatementKind::Using { path: Some(path) } => self.relative(path),
                _ => None,
            })
    }

    /// The parameters file a `.bicepparam` file `extends`, as written and resolved.
    fn extended(&self) -> Option<(&Expr, Option<PathBuf>)> {
        self.program
            .statements
            .iter()
            .find_map(|statement| match &statement.kind {
                StatementKind::Extends { path } => Some((path, self.relative(path))),
                _ => None,
            })
    }

    fn relative(&self, path: &Expr) -> Option<PathBuf> {
        let dir = self.path.parent().unwrap_or(Path::new(""));
        Some(lexical_normalize(&dir.join(path.as_literal_str()?)))
    }
}

/// Modules followed at most this deep (module cycles stop here too).
const MAX_MODULE_DEPTH: usize = 8;

/// What a scope's templates are evaluated with, besides their own files.
#[derive(Default)]
pub struct Inputs<'a> {
    /// Templates that a template of another scope calls as a module: like templates called
    /// within the scope, they are checked through their callers, with the values those pass,
    /// not on their own with unknown inputs.
    pub called_elsewhere: Option<&'a HashSet<PathBuf>>,
    /// The scope's ARM JSON files: `main.parameters.json` sets the params of `main.bicep`.
    pub json_files: &'a [ArmFile],
    /// `--location`: the resource group's (and deployment's) location.
    pub location: Option<&'a str>,
}

/// A scope's Bicep model: each template with the `.bicepparam` and parameters JSON files that
/// apply to it, and the templates it calls from other directories (`loader` reads them).
pub fn build(scope: &Scope<'_>, loader: &mut impl ModuleLoader) -> Built {
    let mut files = scope.files.bicep.clone();
    loader.add_bicep_modules(&mut files);
    read_contents(&mut files, loader);
    let inputs = Inputs {
        called_elsewhere: Some(scope.settings.called_bicep_templates),
        json_files: &scope.files.arm,
        location: scope.settings.location,
    };
    Built {
        model: build_model(&files, &inputs),
        also_reported: Vec::new(),
    }
}

pub fn build_model(files: &[BicepFile], inputs: &Inputs<'_>) -> Model {
    let mut model = Model::default();
    let called: Vec<PathBuf> = files.iter().flat_map(module_targets).collect();
    for template in files
        .iter()
        .filter(|file| !file.is_params() && !file.module_only)
    {
        let target = lexical_normalize(&template.path);
        // Each parameters file that `using`s the template is a deployment of its own: reported
        // once when they agree, per file (`account[prod.bicepparam]`) when a check tells them
        // apart.
        let params_files: Vec<&BicepFile> = files
            .iter()
            .filter(|file| {
                file.is_params() && file.using_target().as_deref() == Some(target.as_path())
            })
            .collect();
        // A template another one calls is checked through its callers; with a parameters file
        // of its own (a test harness calling `main.bicep`), it is also that deployment.
        let is_called = called.contains(&target)
            || inputs
                .called_elsewhere
                .is_some_and(|called| called.contains(&target));
        let own_params = !params_files.is_empty()
            || arm::parameters_for(inputs.json_files, &template.path).is_some();
        if is_called && !own_params {
            continue;
        }
        let mut call = Call {
            prefix: String::new(),
            deployment: String::new(),
            existence: Existence::Always,
            depth: 0,
            callers: Vec::new(),
            location: inputs.location.map(str::to_string),
            own_group: true,
            group: match target_scope(template).as_str() {
                "resourceGroup" => Ok(DEPLOYMENT_GROUP.to_string()),
                other => Err(format!(
                    "is not a resource group: the template deploys to its {other}"
                )),
            },
        };
        if params_files.len() <= 1 {
            let params_file = params_files.first().copied();
            let params = deployment_params(files, template, params_file, inputs);
            evaluate(files, template, params, &call, &mut model);
            continue;
        }
        let deploy_with = |params_file: &BicepFile, call: &Call| {
            let mut deployment = Model::default();
            let params = deployment_params(files, template, Some(params_file), inputs);
            evaluate(files, template, params, call, &mut deployment);
            (format!("[{}]", file_name(&params_file.path)), deployment)
        };
        let mut deployments: Vec<(String, Model)> = params_files
            .iter()
            .map(|params_file| deploy_with(params_file, &call))
            .collect();
        if !Model::checked_alike(&deployments) {
            // Deployments that differ are reported each on its own, linked within itself.
            for ((tag, deployment), params_file) in deployments.iter_mut().zip(&params_files) {
                call.deployment.clone_from(tag);
                *deployment = deploy_with(params_file, &call).1;
            }
        }
        model.extend(Model::from_instances(deployments));
    }
    model
}

/// A template's params for one deployment: its `.bicepparam` file's values, else those of its
/// parameters JSON, over its defaults (which only a root template's deployment takes as given).
fn file_name(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_name().unwrap_or_default().to_string_lossy()
}

fn deployment_params<'a>(
    files: &'a [BicepFile],
    template: &'a BicepFile,
    params_file: Option<&'a BicepFile>,
    inputs: &Inputs<'a>,
) -> HashMap<&'a str, ParamValue<'a>> {
    let json_params = match params_file {
        Some(_) => None,
        None => arm::parameters_for(inputs.json_files, &template.path),
    };
    let mut params = declared_params(template);
    if !is_root(template, params_file.is_some() || json_params.is_some()) {
        for value in params.values_mut() {
            match value {
                ParamValue::Expr(default) => *value = ParamValue::CallerSets(*default),
                ParamValue::Null(span) => *value = ParamValue::CallerSetsOrNull(span.clone()),
                _ => {}
            }
        }
    }
    let where_set = match (params_file, &json_params) {
        (Some(file), _) => Some(format!("in `{}`", file_name(&file.path))),
        (None, Some(_)) => Some("in the template's parameters JSON file".to_string()),
        (None, None) => None,
    };
    for value in params.values_mut() {
        if let (ParamValue::Missing(hint), Some(where_set)) = (value, &where_set) {
            hint.clone_from(where_set);
        }
    }
    if let Some(params_file) = params_file {
        set_from_params_file(files, params_file, &mut params, 0);
    }
    for (name, (value, span)) in json_params.into_iter().flatten() {
        if let Some((&declared, _)) = params.get_key_value(name.as_str()) {
            let value = arm::as_declared_type(value, param_type(template, declared));
            params.insert(declared, ParamValue::Passed(value, Some(span)));
        }
    }
    params
}

/// The values a `.bicepparam` file sets, over those of the file it `extends` (read first). A
/// base file outside the scope may set any parameter the file does not: those are unknown.
fn set_from_params_file<'a>(
    files: &'a [BicepFile],
    params_file: &'a BicepFile,
    params: &mut HashMap<&'a str, ParamValue<'a>>,
    depth: usize,
) {
    if let Some((written, path)) = params_file.extended() {
        let base = path.and_then(|path| files.iter().find(|file| file.path == path));
        match base {
            Some(base) if depth < MAX_MODULE_DEPTH => {
                set_from_params_file(files, base, params, depth + 1)
            }
            _ => {
                let shown = written
                    .as_literal_str()
                    .unwrap_or_else(|| "its base file".into());
                let reason = format!("may be set by `{shown}`, which is not read");
                for value in params.values_mut() {
                    *value = ParamValue::Passed(Value::Unknown(reason.clone()), None);
                }
            }
        }
    }
    for statement in &params_file.program.statements {
        if let StatementKind::Param {
            name,
            default: Some(value),
            ..
        } = &statement.kind
        {
            params.insert(
                name.as_str(),
                ParamValue::Expr(Located {
                    expr: value,
                    file: params_file.id,
                }),
            );
        }
    }
}

/// A template deployed on its own: `main.bicep`, one that declares its `targetScope`, or one a
/// `.bicepparam` file points at. Others are modules whose callers set their parameters.
fn is_root(template: &BicepFile, has_params_file: bool) -> bool {
    has_params_file
        || template
            .path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("main.bicep"))
        || template
            .program
            .statements
            .iter()
            .any(|s| matches!(s.kind, StatementKind::TargetScope(_)))
}

/// How a template is reached: as a root, or as a module of another template.
struct Call {
    /// `module.<name>.` for each module on the way, prefixed to addresses and keys.
    prefix: String,
    /// The parameters file of this deployment (`[dev.bicepparam]`) when a template has several
    /// whose deployments differ: each deployment's resources link among themselves only.
    deployment: String,
    /// Whether the module call itself is conditional.
    existence: Existence,
    depth: usize,
    /// The calling templates, innermost first.
    callers: Vec<FileId>,
    /// `--location`.
    location: Option<String>,
    /// Whether the template deploys to its root's own resource group: no module on the way
    /// sets a `scope:` other than `resourceGroup()`.
    own_group: bool,
    /// The resource group the template deploys to, as a reference (see
    /// [`crate::model::AiAccount::resource_group`]); else why it is not known.
    group: Result<String, String>,
}

impl Call {
    /// The link key of a resource of this call, by its address.
    fn key(&self, file: FileId, address: &str) -> String {
        resource_key(file, &format!("{}{address}", self.deployment))
    }

    /// Where this call's resources are deployed, when known: the root's own group (or scope)
    /// when no module on the way sets another `scope:`, else the resource group a module's
    /// `scope:` names (a group declared in a caller, `resourceGroup('name')`).
    fn place(&self) -> Option<String> {
        match (self.own_group, &self.group) {
            (true, _) => Some("(the root's own scope)".into()),
            (false, Ok(group)) => Some(group.clone()),
            (false, Err(_)) => None,
        }
    }

    /// What the link keys of this call's resources start with, after the file.
    fn key_prefix(&self) -> String {
        format!("{}{}", self.deployment, self.prefix)
    }
}

/// A template's `targetScope` as written (`resourceGroup` when not written).
fn target_scope(template: &BicepFile) -> String {
    template
        .program
        .statements
        .iter()
        .find_map(|s| match &s.kind {
            StatementKind::TargetScope(scope) => scope.as_literal_str(),
            _ => None,
        })
        .unwrap_or_else(|| "resourceGroup".to_string())
}

/// A root template that targets a subscription, at its `targetScope`: where a subscription
/// plan would be declared.
fn subscription_deployment(template: &BicepFile) -> Option<Declared> {
    let statement = template
        .program
        .statements
        .iter()
        .find(|s| matches!(s.kind, StatementKind::TargetScope(_)))?;
    Some(Declared {
        address: "targetScope".into(),
        header: Span::new(template.id, statement.header.clone()),
        extent: Span::new(template.id, statement.span.clone()),
        language: Language::Bicep,
        existence: Existence::Always,
    })
}

/// A parameter's declared type as written (`bool`, `string?`).
fn param_type<'t>(template: &'t BicepFile, param: &str) -> Option<&'t str> {
    template
        .program
        .statements
        .iter()
        .find_map(|statement| match &statement.kind {
            StatementKind::Param {
                name, type_text, ..
            } if name == param => type_text.as_deref(),
            _ => None,
        })
}

fn declared_params(template: &BicepFile) -> HashMap<&str, ParamValue<'_>> {
    let mut params = HashMap::new();
    for statement in &template.program.statements {
        if let StatementKind::Param {
            name,
            default,
            type_text,
        } = &statement.kind
        {
            let nullable = type_text.as_deref().is_some_and(|t| t.ends_with('?'));
            let value = match default {
                Some(expr) => ParamValue::Expr(Located {
                    expr,
                    file: template.id,
                }),
                None if nullable => {
                    ParamValue::Null(Span::new(template.id, statement.header.clone()))
                }
                None => ParamValue::Missing("in a .bicepparam or parameters JSON file".into()),
            };
            params.insert(name.as_str(), value);
        }
    }
    params
}

/// The paths of the local templates a program calls as modules, as written.
pub fn local_module_paths(program: &Program) -> Vec<String> {
    local_paths(program, |kind| match kind {
        StatementKind::Module { path, .. } => Some(path),
        _ => None,
    })
}

/// The local templates a file reads: the modules it calls and the files it imports from.
pub fn local_template_paths(program: &Program) -> Vec<String> {
    local_paths(program, |kind| match kind {
        StatementKind::Module { path, .. } => Some(path),
        StatementKind::Import { from, .. } => from.as_ref(),
        _ => None,
    })
}

fn local_paths(program: &Program, path: impl Fn(&StatementKind) -> Option<&Expr>) -> Vec<String> {
    program
        .statements
        .iter()
        .filter_map(|statement| path(&statement.kind)?.as_literal_str())
        .filter(|path| !path.contains(':'))
        .collect()
}

/// The local templates a file calls as modules.
fn module_targets(file: &BicepFile) -> Vec<PathBuf> {
    file.program
        .statements
        .iter()
        .filter_map(|statement| match &statement.kind {
            StatementKind::Module { path, .. } => local_module(file, path),
            _ => None,
        })
        .collect()
}

fn local_module(file: &BicepFile, path: &Expr) -> Option<PathBuf> {
    let path = path.as_literal_str()?;
    // `br:`, `br/public:` and `ts:` modules live in registries: not followed.
    if path.contains(':') {
        return None;
    }
    Some(lexical_normalize(
        &file.path.parent().unwrap_or(Path::new("")).join(path),
    ))
}

/// Adds a template's resources to the model and returns its outputs. Modules come first, in
/// order, so that resources and later modules can read their outputs.
fn evaluate<'a>(
    files: &'a [BicepFile],
    template: &'a BicepFile,
    params: HashMap<&'a str, ParamValue<'a>>,
    call: &Call,
    model: &mut Model,
) -> Value {
    let mut symbols = symbols(template, params, &call.key_prefix());
    symbols.imports = imports(files, template, 0);
    symbols.location = call.location.clone();
    symbols.place = call.place();
    symbols.target_scope = target_scope(template);
    if call.depth == 0 && symbols.target_scope == "subscription" {
        model
            .subscription_deployments
            .extend(subscription_deployment(template));
    }
    let eval = Evaluator::new(template.id, &symbols).called_by(call.callers.clone());
    for statement in &template.program.statements {
        if let StatementKind::Module { name, .. } = &statement.kind
            && let Some(outputs) = evaluate_module(files, template, &eval, statement, call, model)
        {
            symbols.set_module_outputs(name, outputs);
        }
    }
    for statement in &template.program.statements {
        if let StatementKind::Resource(resource) = &statement.kind {
            map_resource(&eval, statement, resource, None, call, model)
        }
    }
    let callee = |statement: &Statement| {
        let StatementKind::Module { path, .. } = &statement.kind else {
            return None;
        };
        let target = local_module(template, path)?;
        files
            .iter()
            .find(|f| !f.is_params() && lexical_normalize(&f.path) == target)
            .map(|f| (f.id, f.program.as_ref()))
    };
    let exposing = super::exposure::Template {
        file: template.id,
        program: &template.program,
        prefix: &call.prefix,
    };
    super::exposure::find(&exposing, &callee, model);
    let outputs = template
        .program
        .statements
        .iter()
        .filter_map(|statement| match &statement.kind {
            // What is known in part (a name generated, or another resource's) goes out too.
            StatementKind::Output { name, value } => {
                Some((name.clone(), eval.eval_partial(value).value))
            }
            _ => None,
        })
        .collect();
    Value::Object(outputs)
}

/// A `module` declaration: a local template evaluated with the params passed (its outputs
/// returned), a registry module mapped onto an account or private endpoints, or a module that
/// is not followed.
fn evaluate_module<'a>(
    files: &'a [BicepFile],
    template: &'a BicepFile,
    eval: &Evaluator<'_>,
    statement: &Statement,
    call: &Call,
    model: &mut Model,
) -> Option<Value> {
    let StatementKind::Module { name, path, value } = &statement.kind else {
        return None;
    };
    let (body, instances) = unwrap_declaration(eval, value)?;
    let source = path.as_literal_str().unwrap_or_default();
    let declared_for = |instance: &Instance| Declared {
        address: format!("{}{name}{}", call.prefix, instance.suffix),
        header: Span::new(template.id, statement.header.clone()),
        extent: Span::new(template.id, statement.span.clone()),
        language: Language::Bicep,
        existence: combine(&call.existence, instance.existence.clone()),
    };
    let mapping = if source.contains(':') {
        catalog().registry_module(ModuleLanguage::Bicep, &source)
    } else {
        None
    };
    if let Some(mapping @ RegistryMapping::PrivateEndpoint(_)) = mapping {
        // Each endpoint of a loop connects what its own element names.
        for instance in &instances {
            let eval = instance.evaluator(eval);
            let declared = declared_for(instance);
            let key = call.key(template.id, &declared.address);
            map_registry_call(key, &eval, body, mapping, declared, model);
        }
        return None;
    }
    let each = instances.clone();
    let instance = Instance {
        suffix: String::new(),
        ..checked_once(instances)
    };
    let existence = combine(&call.existence, instance.existence.clone());
    let outer = eval;
    let eval = instance.evaluator(eval);
    let declared = declared_for(&instance);
    if let Some(mapping) = mapping {
        let header = declared.header.clone();
        let before = model.accounts.len();
        let key = call.key(template.id, &declared.address);
        let outputs = map_registry_call(key, &eval, body, mapping, declared, model);
        // A module without `scope:` deploys to its caller's resource group.
        if in_own_group(body) {
            let group = placement(false, call, &eval, &header).group;
            for account in &mut model.accounts[before..] {
                account.resource_group = group.clone();
            }
        }
        return Some(outputs);
    }
    if source.contains(':') {
        let receives = body
            .property("params")
            .map(|params| eval.eval(&params.value).value.resource_keys())
            .unwrap_or_default();
        model.unfollowed_modules.push(UnfollowedModule {
            declared,
            reason: format!("`{source}` is a registry module, which is not downloaded"),
            source,
            receives,
        });
        return None;
    }
    let target = local_module(template, path)?;
    let Some(callee) = files
        .iter()
        .find(|f| !f.is_params() && lexical_normalize(&f.path) == target)
    else {
        let is_json = target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let reason = match (is_json, target.is_file()) {
            (true, true) => {
                format!("`{source}` is an ARM template, which is not followed from Bicep")
            }
            (_, true) => format!("`{source}` is not among the linted files"),
            (_, false) => format!("`{source}` cannot be read (no such file)"),
        };
        model.unfollowed_modules.push(UnfollowedModule {
            declared,
            reason,
            source,
            receives: Vec::new(),
        });
        return None;
    };
    if call.depth >= MAX_MODULE_DEPTH {
        model.unfollowed_modules.push(UnfollowedModule {
            declared,
            reason: "modules nest too deep (or call each other in a cycle)".into(),
            source,
            receives: Vec::new(),
        });
        return None;
    }
    let module = LocalModule {
        files,
        template,
        callee,
        body,
        name,
    };
    // A loop over a known collection deploys one module instance per element, each with the
    // values its element passes. Elements that pass the same values deploy the same module: it
    // is evaluated once for them (the first one's index names it), as instances that agree are
    // reported once.
    if (2..=MAX_MODULE_INSTANCES).contains(&each.len()) {
        let mut evaluated: Vec<(Passed, Existence, Value)> = Vec::new();
        let mut outputs = Vec::with_capacity(each.len());
        for instance in &each {
            let existence = combine(&call.existence, instance.existence.clone());
            let eval = instance.evaluator(outer);
            let passed = module.passed(&eval);
            let same = evaluated.iter().find(|(seen, seen_existence, _)| {
                seen.same_as(&passed) && *seen_existence == existence
            });
            let output = match same {
                Some((_, _, output)) => output.clone(),
                None => {
                    let output = module.call(
                        &eval,
                        &instance.suffix,
                        &passed,
                        call,
                        existence.clone(),
                        model,
                    );
                    evaluated.push((passed, existence, output.clone()));
                    output
                }
            };
            outputs.push(output);
        }
        return Some(Value::List(outputs));
    }
    let passed = module.passed(&eval);
    Some(module.call(&eval, "", &passed, call, existence, model))
}

/// What one instance of a module call passes: each param as written and as evaluated, and
/// the value of its `scope:`.
struct Passed<'e> {
    params: Vec<(&'e Property, Evaluated)>,
    scope: Option<Value>,
}

impl Passed<'_> {
    /// Whether two loop elements pass the same values: then they deploy the same module.
    fn same_as(&self, other: &Passed<'_>) -> bool {
        self.scope == other.scope
            && self.params.len() == other.params.len()
            && self
                .params
                .iter()
                .zip(&other.params)
                .all(|((_, a), (_, b))| a.value == b.value)
    }
}

/// How many instances of a module loop are each evaluated; past it, the module is checked once
/// with its loop variable unknown.
const MAX_MODULE_INSTANCES: usize = 16;

/// A local Bicep module a template calls: the callee and the call's declaration.
struct LocalModule<'a, 'e> {
    files: &'a [BicepFile],
    template: &'a BicepFile,
    callee: &'a BicepFile,
    body: &'e Expr,
    name: &'e str,
}

impl<'e> LocalModule<'_, 'e> {
    /// What the call passes, each param evaluated once, in the order it writes them.
    fn passed(&self, eval: &Evaluator<'_>) -> Passed<'e> {
        let params = self.body.property("params").map(|p| &p.value);
        Passed {
            params: params
                .into_iter()
                .flat_map(Expr::properties)
                .map(|property| (property, eval.eval_partial(&property.value)))
                .collect(),
            scope: self
                .body
                .property("scope")
                .map(|s| eval.eval(&s.value).value),
        }
    }

    /// Evaluates one instance of the call (`suffix` is its loop index, if any): its params as
    /// passed, its resources added to the model; its value (`{ outputs: ... }`).
    fn call(
        &self,
        eval: &Evaluator<'_>,
        suffix: &str,
        passed: &Passed<'_>,
        call: &Call,
        existence: Existence,
        model: &mut Model,
    ) -> Value {
        let LocalModule {
            files,
            template,
            callee,
            body,
            name,
        } = *self;
        let mut params = declared_params(callee);
        for (property, evaluated) in &passed.params {
            let PropertyKey::Name(param) = &property.key else {
                continue;
            };
            // The callee's own name for the param, borrowed from its declaration.
            let Some((&declared, _)) = params.get_key_value(param.as_str()) else {
                continue;
            };
            let via = evaluated
                .via
                .clone()
                .or_else(|| Some(Span::new(template.id, property.span())));
            params.insert(declared, ParamValue::Passed(evaluated.value.clone(), via));
        }
        let call = Call {
            prefix: format!("{}module.{name}{suffix}.", call.prefix),
            deployment: call.deployment.clone(),
            existence,
            depth: call.depth + 1,
            callers: std::iter::once(template.id)
                .chain(call.callers.iter().copied())
                .collect(),
            location: scope_location(eval, body).or_else(|| call.location.clone()),
            own_group: call.own_group && in_own_group(body),
            group: match body.property("scope") {
                _ if in_own_group(body) => call.group.clone(),
                Some(scope) => scope_group(&scope.value, eval),
                None => Err("is where a module's `scope:` deploys to".into()),
            },
        };
        let outputs = evaluate(files, callee, params, &call, model);
        Value::Object([("outputs".to_string(), outputs)].into())
    }
}

/// The group a module's `scope:` names: a resource group declared in the caller (`scope: rg`),
/// or one named by `resourceGroup(name)` (or `resourceGroup(subscriptionId, name)`); else why
/// it is not known.
fn scope_group(scope: &Expr, eval: &Evaluator<'_>) -> Result<String, String> {
    if let ExprKind::Call { callee, args } = &scope.kind
        && matches!(&callee.kind, ExprKind::Ident(f) if f == "resourceGroup")
        && let Some(name) = args.last()
    {
        return match eval.eval(name).value {
            Value::String(name) => Ok(crate::model::group_key(&name)),
            Value::Unknown(reason) => Err(format!(
                "is the resource group the module is deployed to, whose name {reason}"
            )),
            other => Err(format!("is the resource group named {}", other.shown())),
        };
    }
    match eval.eval(scope).value {
        Value::ResourceAttr { key, attr, .. } if attr.is_empty() => Ok(key),
        Value::Unknown(reason) => Err(format!(
            "is where the module is deployed to, which {reason}"
        )),
        _ => Err("is where a module's `scope:` deploys to".into()),
    }
}

/// `scope: rg`, a resource group declared in the calling template: its location is what
/// `resourceGroup().location` is inside the module.
fn scope_location(eval: &Evaluator<'_>, body: &Expr) -> Option<String> {
    let ExprKind::Ident(symbol) = &body.property("scope")?.value.kind else {
        return None;
    };
    let (_, Some(group), Some(type_name)) = eval.symbols.resources.get(symbol.as_str())? else {
        return None;
    };
    if !type_name.eq_ignore_ascii_case("Microsoft.Resources/resourceGroups") {
        return None;
    }
    match eval.eval(&group.property("location")?.value).value {
        Value::String(location) => Some(crate::model::normalize_region(&location)),
        _ => None,
    }
}

fn combine(outer: &Existence, inner: Existence) -> Existence {
    match (outer, inner) {
        (Existence::Conditional { reason }, Existence::Always) => Existence::Conditional {
            // Modules within modules: one "in a module" says it.
            reason: match reason.strip_prefix("it is in a module whose ") {
                Some(inner) => format!("it is in a module whose {inner}"),
                None => format!("it is in a module whose {reason}"),
            },
        },
        (_, inner) => inner,
    }
}

fn resource_key(file: FileId, symbol: &str) -> String {
    format!("bicep:{}:{symbol}", file.0)
}

fn symbols<'a>(
    template: &'a BicepFile,
    params: HashMap<&'a str, ParamValue<'a>>,
    prefix: &str,
) -> Symbols<'a> {
    let mut symbols = Symbols {
        params,
        contents: template.contents.clone(),
        ..Symbols::default()
    };
    for statement in &template.program.statements {
        match &statement.kind {
            StatementKind::Var { name, value } => {
                symbols.vars.insert(
                    name.as_str(),
                    Located {
                        expr: value,
                        file: template.id,
                    },
                );
            }
            StatementKind::Resource(resource) => {
                add_resource(&mut symbols, template.id, resource, prefix, false);
                if let Some(param) = named_by(resource) {
                    symbols.non_empty.insert(param);
                }
            }
            StatementKind::Module { name, .. } => symbols.add_module(name),
            StatementKind::Func { name, params, body } => {
                symbols.funcs.insert(name.as_str(), Func { params, body });
            }
            StatementKind::Param { name, .. } => {
                if let Some(allowed) = allowed_values(statement) {
                    symbols.allowed.insert(name.as_str(), allowed);
                }
                if min_length(statement).is_some_and(|n| n >= 1) {
                    symbols.non_empty.insert(name.as_str());
                }
            }
            _ => {}
        }
    }
    symbols
}

/// The names `template` imports from local templates (`import { x } from 'file.bicep'`,
/// `import * as ns from ...`), each ready to evaluate in the template that exports it. An
/// import from a registry (`br/public:...`) brings types only: nothing to evaluate.
fn imports<'a>(
    files: &'a [BicepFile],
    template: &'a BicepFile,
    depth: usize,
) -> HashMap<&'a str, Import<'a>> {
    let mut imports = HashMap::new();
    if depth >= MAX_MODULE_DEPTH {
        return imports;
    }
    for statement in &template.program.statements {
        let StatementKind::Import {
            imported,
            from: Some(from),
        } = &statement.kind
        else {
            continue;
        };
        let Some(exporter) = local_module(template, from)
            .and_then(|path| files.iter().find(|f| lexical_normalize(&f.path) == path))
        else {
            continue;
        };
        let exports = Rc::new(Exports {
            file: exporter.id,
            symbols: Symbols {
                imports: self::imports(files, exporter, depth + 1),
                ..symbols(exporter, HashMap::new(), "")
            },
        });
        match imported {
            Imported::Names(names) => {
                for (name, local) in names {
                    let from = Rc::clone(&exports);
                    imports.insert(local.as_str(), Import::Name { from, name });
                }
            }
            Imported::Namespace(namespace) => {
                imports.insert(namespace.as_str(), Import::Namespace(exports));
            }
            Imported::Provider => {}
        }
    }
    imports
}

/// The name a resource is given when it is a bare identifier (`name: accountName`).
fn named_by(resource: &Resource) -> Option<&str> {
    let name = resource.value.declaration_body()?.property("name")?;
    match &name.value.kind {
        ExprKind::Ident(param) => Some(param),
        _ => None,
    }
}

/// A parameter's `@minLength(n)`.
fn min_length(statement: &Statement) -> Option<i64> {
    match statement.decorator("minLength")? {
        [argument] => match argument.kind {
            ExprKind::Int(n) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// The literal values of a parameter's `@allowed([...])`.
fn allowed_values(statement: &Statement) -> Option<Vec<Value>> {
    let [list] = statement.decorator("allowed")? else {
        return None;
    };
    let ExprKind::Array(items) = &list.kind else {
        return None;
    };
    items
        .iter()
        .map(|item| match item {
            ArrayItem::Item(expr) => literal(expr),
            ArrayItem::Spread(_) => None,
        })
        .collect::<Option<Vec<Value>>>()
        .filter(|values| !values.is_empty())
}

/// The value of a literal string, number or bool.
fn literal(expr: &Expr) -> Option<Value> {
    match &expr.kind {
        ExprKind::Bool(b) => Some(Value::Bool(*b)),
        ExprKind::Int(n) => Some(Value::Number(*n as f64)),
        _ => expr.as_literal_str().map(Value::String),
    }
}

fn add_resource<'a>(
    symbols: &mut Symbols<'a>,
    file: FileId,
    resource: &'a Resource,
    prefix: &str,
    nested: bool,
) {
    let body = resource.value.declaration_body();
    // The id of a top-level resource follows from its type and name; a child's needs its
    // parent's name too, so it stays a reference.
    let top_level = !nested && body.is_some_and(|body| body.property("parent").is_none());
    let type_name = resource_type(resource).filter(|_| top_level);
    let key = resource_key(file, &format!("{prefix}{}", resource.name));
    symbols
        .resources
        .insert(resource.name.as_str(), (key, body, type_name));
    for child in body.into_iter().flat_map(child_resources) {
        if let StatementKind::Resource(child) = &child.kind {
            add_resource(symbols, file, child, prefix, true);
        }
    }
}

/// `'Microsoft.X/y@version'` -> `Microsoft.X/y`.
fn resource_type(resource: &Resource) -> Option<&str> {
    match &resource.type_string.kind {
        ExprKind::String(parts) => match parts.as_slice() {
            [super::syntax::StringPart::Literal(text)] => text.split('@').next(),
            _ => None,
        },
        _ => None,
    }
}

/// `'Microsoft.X/y@version'` -> `version`.
fn api_version(resource: &Resource) -> Option<&str> {
    match &resource.type_string.kind {
        ExprKind::String(parts) => match parts.as_slice() {
            [super::syntax::StringPart::Literal(text)] => text.split_once('@').map(|(_, v)| v),
            _ => None,
        },
        _ => None,
    }
}

fn child_resources(body: &Expr) -> impl Iterator<Item = &Statement> {
    let items = match &body.kind {
        ExprKind::Object(items) => items.as_slice(),
        _ => &[],
    };
    items.iter().filter_map(|item| match item {
        ObjectItem::Resource(statement) => Some(statement.as_ref()),
        _ => None,
    })
}

/// The parent of a nested resource: its symbol and full type.
struct Parent<'a> {
    symbol: &'a str,
    key: String,
    type_name: String,
}

/// One deployment of a declaration: the values its loops bind and whether it is deployed.
#[derive(Clone)]
struct Instance {
    /// `[1]` for the second element of a loop; empty when there is no loop.
    suffix: String,
    /// Loop variables with their element; over a collection not known, the reason.
    bindings: Vec<(String, Value)>,
    existence: Existence,
}

impl Instance {
    fn evaluator<'a>(&self, eval: &Evaluator<'a>) -> Evaluator<'a> {
        eval.with_bindings(self.bindings.clone())
    }

    /// The same, for a loop checked once: its variables are not known, for `reason`.
    fn looped_once(
        mut self,
        names: &[String],
        reason: &str,
        existence: Option<Existence>,
    ) -> Instance {
        let unknown = |name: &String| {
            let reason =
                format!("depends on the loop variable `{name}`, over a list that {reason}");
            (name.clone(), Value::Unknown(reason))
        };
        self.bindings.extend(names.iter().map(unknown));
        if let Some(existence) = existence {
            self.existence = existence;
        }
        self
    }
}

/// Most instances a looped declaration is checked as; past it, it is checked once.
const MAX_INSTANCES: usize = 64;

/// Unwraps `[for ...: ...]` and `if (...)` around a declaration's object: one instance per
/// element of a loop over a known list, else one. `None` when it is never deployed (or not an
/// object).
fn unwrap_declaration<'e>(
    eval: &Evaluator<'_>,
    value: &'e Expr,
) -> Option<(&'e Expr, Vec<Instance>)> {
    let mut value = value;
    let mut instances = vec![Instance {
        suffix: String::new(),
        bindings: Vec::new(),
        existence: Existence::Always,
    }];
    loop {
        match &value.kind {
            ExprKind::For(for_loop) => {
                let (item, iterable, body) = (&for_loop.item, &for_loop.iterable, &for_loop.body);
                let names: Vec<String> = std::iter::once(item.clone())
                    .chain(for_loop.index.clone())
                    .collect();
                let mut next = Vec::new();
                for instance in instances {
                    match instance.evaluator(eval).eval(iterable).value {
                        // Nested loops multiply: the instances of all of them together.
                        Value::List(items) if next.len() + items.len() <= MAX_INSTANCES => {
                            for (i, element) in items.into_iter().enumerate() {
                                let mut each = instance.clone();
                                each.suffix.push_str(&format!("[{i}]"));
                                each.bindings.push((item.clone(), element));
                                each.bindings.extend(
                                    for_loop
                                        .index
                                        .clone()
                                        .map(|index| (index, Value::Number(i as f64))),
                                );
                                next.push(each);
                            }
                        }
                        Value::Unknown(reason) => next.push(instance.looped_once(
                            &names,
                            &reason,
                            Some(Existence::Conditional {
                                reason: format!("its `for` loop {reason}"),
                            }),
                        )),
                        other => {
                            let reason = crate::frontend::partial::unknown_reason(&other)
                                .unwrap_or_else(|| {
                                    format!("has more than {MAX_INSTANCES} elements")
                                });
                            next.push(instance.looped_once(&names, &reason, None))
                        }
                    }
                }
                instances = next;
                value = body;
            }
            ExprKind::If { cond, body } => {
                instances.retain_mut(|instance| {
                    let existence = match instance.evaluator(eval).eval(cond).value {
                        Value::Bool(false) => return false,
                        Value::Bool(true) => return true,
                        Value::Unknown(reason) => format!("its condition {reason}"),
                        other => format!("its condition is {}", other.shown()),
                    };
                    instance.existence = Existence::Conditional { reason: existence };
                    true
                });
                value = body;
            }
            ExprKind::Object(_) if instances.is_empty() => return None,
            ExprKind::Object(_) => return Some((value, instances)),
            _ => return None,
        }
    }
}

/// Maps a registry module call from the params it is passed; its value is the module's id
/// outputs, linked by `key`.
fn map_registry_call(
    key: String,
    eval: &Evaluator<'_>,
    body: &Expr,
    mapping: RegistryMapping<'_>,
    declared: Declared,
    model: &mut Model,
) -> Value {
    let params = body
        .property("params")
        .map(|passed| eval.node(&passed.value));
    let empty = Node::object(Vec::new(), declared.header.clone());
    let reader = BodyReader {
        root: params.as_ref().unwrap_or(&empty),
        header: declared.header.clone(),
    };
    let shown = declared
        .address
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_string();
    registry_modules::map_registry_module(mapping, &reader, declared, key.clone(), model);
    let id = Value::ResourceAttr {
        key,
        shown,
        attr: "id".into(),
    };
    let outputs = mapping.id_outputs().iter().map(|o| (o.clone(), id.clone()));
    Value::Object([("outputs".to_string(), Value::Object(outputs.collect()))].into())
}

/// A module looped over a known list is checked once (its loop variables unknown), as a
/// module's outputs are one value.
fn checked_once(mut instances: Vec<Instance>) -> Instance {
    if instances.len() == 1 {
        return instances.remove(0);
    }
    let first = instances.remove(0);
    let names: Vec<String> = first
        .bindings
        .iter()
        .map(|(name, _)| name.clone())
        .collect();
    let existence = first.existence.clone();
    Instance {
        suffix: String::new(),
        bindings: Vec::new(),
        ..first
    }
    .looped_once(
        &names,
        "has several elements, checked as one",
        Some(existence),
    )
}

fn map_resource(
    eval: &Evaluator<'_>,
    statement: &Statement,
    resource: &Resource,
    parent: Option<&Parent<'_>>,
    call: &Call,
    model: &mut Model,
) {
    let Some(written_type) = resource_type(resource) else {
        return;
    };
    // A nested child declares its type relative to its parent (`'deployments'`).
    let full_type = match parent {
        Some(parent) if !written_type.contains('.') => {
            format!("{}/{written_type}", parent.type_name)
        }
        _ => written_type.to_string(),
    };
    let Some((value, instances)) = unwrap_declaration(eval, &resource.value) else {
        return;
    };
    let declaration = Declaration {
        statement,
        resource,
        parent,
        call,
        full_type,
        value,
    };
    let models = instances
        .iter()
        .map(|instance| {
            let mut instance_model = Model::default();
            let body_eval = instance.evaluator(eval);
            map_instance(
                &declaration,
                &body_eval,
                &instance.existence,
                &mut instance_model,
            );
            (instance.suffix.clone(), instance_model)
        })
        .collect();
    model.extend(Model::from_instances(models));
}

/// A resource declaration of a template, as written.
struct Declaration<'d> {
    statement: &'d Statement,
    resource: &'d Resource,
    parent: Option<&'d Parent<'d>>,
    call: &'d Call,
    full_type: String,
    /// The body, inside its loops and conditions.
    value: &'d Expr,
}

/// Where a declaration of a template reached by `call` deploys: the template's resource group,
/// and, for a role assignment without `scope:`, the template's target scope.
fn placement(existing: bool, call: &Call, eval: &Evaluator<'_>, header: &Span) -> azure::Placement {
    let reference = |key: &Result<String, String>, name: &str| match key {
        Ok(key) => Attr::default(name, header.clone(), key.clone(), "not set"),
        Err(reason) => Attr::unresolved(name, header.clone(), reason.clone()),
    };
    let group = reference(&call.group, "resource group");
    let deployment_scope = match eval.symbols.target_scope.as_str() {
        "subscription" if call.depth == 0 => {
            reference(&Ok(DEPLOYMENT_SUBSCRIPTION.to_string()), "scope")
        }
        "resourceGroup" => reference(&call.group, "scope"),
        other => reference(
            &Err(format!(
                "is the template's {other}, which is not known here"
            )),
            "scope",
        ),
    };
    azure::Placement {
        existing,
        group,
        deployment_scope,
    }
}

/// The resource an `existing` declaration names with another resource's `name` (passed on
/// through module params and outputs) in the same place (resource group): it is that resource.
fn existing_named_after(
    resource: &Resource,
    body: &Expr,
    root: &Node,
    call: &Call,
) -> Option<String> {
    if !resource.existing || !in_own_group(body) {
        return None;
    }
    let place = call.place()?;
    let Lookup::Found(name) = root.find("name") else {
        return None;
    };
    match name.to_value() {
        Value::Partial(partial) => match partial.known {
            Known::NameOf { key, place: named } if named == place => Some(key),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a declaration's `scope:` is written as the deployment's own scope:
/// `resourceGroup()` in a template deployed to a resource group, `subscription()` in one
/// deployed to a subscription.
fn names_own_scope(body: &Expr, eval: &Evaluator<'_>) -> bool {
    let scope = body.declaration_body().and_then(|b| b.property("scope"));
    scope.and_then(|scope| deployment_scope_call(&scope.value)) == Some(&eval.symbols.target_scope)
}

/// The function of a `scope:` written as the deployment's own scope: `resourceGroup()`,
/// `subscription()` (no argument).
fn deployment_scope_call(scope: &Expr) -> Option<&str> {
    match &scope.kind {
        ExprKind::Call { callee, args } if args.is_empty() => match &callee.kind {
            ExprKind::Ident(function) => Some(function),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a declaration's `scope:` (none, or `resourceGroup()`) is its template's own group.
fn in_own_group(body: &Expr) -> bool {
    match body.property("scope") {
        None => true,
        Some(scope) => deployment_scope_call(&scope.value) == Some("resourceGroup"),
    }
}

/// One instance of a resource declaration, with its evaluator (loop variables bound).
fn map_instance(
    declaration: &Declaration<'_>,
    eval: &Evaluator<'_>,
    existence: &Existence,
    model: &mut Model,
) {
    let Declaration {
        statement,
        resource,
        parent,
        call,
        value,
        ..
    } = *declaration;
    let full_type = declaration.full_type.clone();
    let file = eval.file;
    let header = Span::new(file, statement.header.clone());
    let symbol = format!("{}{}", call.prefix, resource.name);
    let declared = Declared {
        address: symbol.clone(),
        header: header.clone(),
        extent: Span::new(file, statement.span.clone()),
        language: Language::Bicep,
        existence: combine(&call.existence, existence.clone()),
    };
    let mut root = eval.node(value);
    if names_own_scope(value, eval) {
        // `scope: resourceGroup()` is where the declaration deploys without a `scope:`.
        if let NodeKind::Object(entries) = &mut root.kind {
            entries.retain(|(key, _)| key != "scope");
        }
    }
    let reader = BodyReader {
        root: &root,
        header: header.clone(),
    };
    let key = call.key(file, &symbol);
    let mut keys = vec![key.clone()];
    if let Some(name) = reader.string("name", None).value() {
        keys.push(name_key(&full_type, name));
    }
    keys.extend(existing_named_after(resource, value, &root, call));
    if !resource.existing
        && let Some(version) = api_version(resource)
    {
        let span = Span::new(file, resource.type_string.span.clone());
        let version = Attr::explicit("apiVersion", span, version.to_string(), version);
        azure::api_version(&full_type, version, &declared, model);
    }
    let parent_account = || match parent {
        Some(parent) => Attr::explicit("parent", header.clone(), parent.key.clone(), parent.symbol),
        None => reader.reference("parent"),
    };
    let placement = placement(resource.existing, call, eval, &header);
    azure::add_declaration(
        &full_type,
        &reader,
        declared,
        &placement,
        keys,
        parent_account,
        model,
    );
    let parent = Parent {
        symbol: &resource.name,
        key: call.key(file, &symbol),
        type_name: full_type,
    };
    for child in child_resources(value) {
        if let StatementKind::Resource(child_resource) = &child.kind {
            map_resource(eval, child, child_resource, Some(&parent), call, model);
        }
    }
}
