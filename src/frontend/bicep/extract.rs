//! Bicep templates -> the normalized model. Each template is evaluated with the values of the
//! `.bicepparam` file that points at it (`using`), else its parameter defaults.

use std::path::{Component, Path, PathBuf};

use super::eval::{Evaluator, Located, Symbols};
use super::syntax::{Expr, ExprKind, ObjectItem, Program, Resource, Statement, StatementKind};
use crate::frontend::azure;
use crate::frontend::node::{BodyReader, name_key};
use crate::frontend::value::Value;
use crate::model::{Attr, Declared, Existence, Language, Model};
use crate::source::{FileId, Span};

pub struct BicepFile {
    pub id: FileId,
    pub path: PathBuf,
    pub program: Program,
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
                StatementKind::Using { path: Some(path) } => {
                    let dir = self.path.parent().unwrap_or(Path::new(""));
                    Some(lexical_normalize(&dir.join(path.as_literal_str()?)))
                }
                _ => None,
            })
    }
}

pub fn build_model(files: &[BicepFile]) -> Model {
    let mut model = Model::default();
    for template in files.iter().filter(|file| !file.is_params()) {
        let target = lexical_normalize(&template.path);
        // With several parameter files for one template, the first (by path) is used.
        let params = files.iter().find(|file| {
            file.is_params() && file.using_target().as_deref() == Some(target.as_path())
        });
        let symbols = symbols(template, params);
        let eval = Evaluator::new(template.id, &symbols);
        for statement in &template.program.statements {
            if let StatementKind::Resource(resource) = &statement.kind {
                map_resource(&eval, statement, resource, None, &mut model);
            }
        }
    }
    model
}

fn resource_key(file: FileId, symbol: &str) -> String {
    format!("bicep:{}:{symbol}", file.0)
}

fn symbols<'a>(template: &'a BicepFile, params: Option<&'a BicepFile>) -> Symbols<'a> {
    let mut symbols = Symbols::default();
    for statement in &template.program.statements {
        match &statement.kind {
            StatementKind::Param { name, default } => {
                let located = default.as_ref().map(|expr| Located {
                    expr,
                    file: template.id,
                });
                symbols.params.insert(name.as_str(), located);
            }
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
                add_resource(&mut symbols, template.id, resource, false)
            }
            StatementKind::Module { name, .. } => symbols.modules.push(name.as_str()),
            _ => {}
        }
    }
    if let Some(params) = params {
        for statement in &params.program.statements {
            if let StatementKind::Param {
                name,
                default: Some(value),
            } = &statement.kind
            {
                symbols.params.insert(
                    name.as_str(),
                    Some(Located {
                        expr: value,
                        file: params.id,
                    }),
                );
            }
        }
    }
    symbols
}

fn add_resource<'a>(symbols: &mut Symbols<'a>, file: FileId, resource: &'a Resource, nested: bool) {
    let body = declaration_body(&resource.value);
    // The id of a top-level resource follows from its type and name; a child's needs its
    // parent's name too, so it stays a reference.
    let top_level = !nested && body.is_some_and(|body| body.property("parent").is_none());
    let type_name = resource_type(resource).filter(|_| top_level);
    symbols.resources.insert(
        resource.name.as_str(),
        (resource_key(file, &resource.name), body, type_name),
    );
    for child in body.into_iter().flat_map(child_resources) {
        if let StatementKind::Resource(child) = &child.kind {
            add_resource(symbols, file, child, true);
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

/// The object of `{...}`, `if (c) {...}` or `[for ...: {...}]`.
fn declaration_body(value: &Expr) -> Option<&Expr> {
    match &value.kind {
        ExprKind::Object(_) => Some(value),
        ExprKind::If { body, .. } | ExprKind::For { body, .. } => declaration_body(body),
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
    type_name: String,
}

fn map_resource(
    eval: &Evaluator<'_>,
    statement: &Statement,
    resource: &Resource,
    parent: Option<&Parent<'_>>,
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

    // Unwrap `[for ...: ...]` and `if (...)`: the body is checked once, on the declaration.
    let mut value = &resource.value;
    let mut existence = Existence::Always;
    let mut body_eval = None;
    loop {
        match &value.kind {
            ExprKind::For {
                item,
                index,
                iterable,
                body,
            } => {
                match eval.eval(iterable).value {
                    Value::List(items) if items.is_empty() => return,
                    Value::Unknown(reason) => {
                        existence = Existence::Conditional {
                            reason: format!("its `for` loop {reason}"),
                        };
                    }
                    _ => {}
                }
                body_eval = Some(eval.with_locals([item.clone()].into_iter().chain(index.clone())));
                value = body;
            }
            ExprKind::If { cond, body } => {
                let cond_eval = body_eval.as_ref().unwrap_or(eval);
                match cond_eval.eval(cond).value {
                    Value::Bool(false) => return,
                    Value::Bool(true) => {}
                    Value::Unknown(reason) => {
                        existence = Existence::Conditional {
                            reason: format!("its condition {reason}"),
                        };
                    }
                    other => {
                        existence = Existence::Conditional {
                            reason: format!("its condition is {}", other.shown()),
                        };
                    }
                }
                value = body;
            }
            _ => break,
        }
    }
    if !matches!(value.kind, ExprKind::Object(_)) {
        return;
    }
    let eval = body_eval.as_ref().unwrap_or(eval);
    let file = eval.file;
    let header = Span::new(file, statement.header.clone());
    let declared = Declared {
        address: resource.name.clone(),
        header: header.clone(),
        language: Language::Bicep,
        existence,
    };
    let root = eval.node(value);
    let reader = BodyReader {
        root: &root,
        header: header.clone(),
    };
    let key = resource_key(file, &resource.name);
    match azure::canonical_type(&full_type) {
        Some(azure::ACCOUNT_TYPE) => {
            let mut keys = vec![key];
            if let Some(name) = reader.string("name", None).value() {
                keys.push(name_key(azure::ACCOUNT_TYPE, name));
            }
            model.accounts.extend(azure::account(
                &reader,
                "",
                declared,
                keys,
                resource.existing,
            ));
        }
        _ if resource.existing => {}
        Some(azure::DEPLOYMENT_TYPE) => {
            let account = match parent {
                Some(parent) => Attr::explicit(
                    "parent",
                    header,
                    resource_key(file, parent.symbol),
                    parent.symbol,
                ),
                None => reader.reference("parent"),
            };
            model
                .deployments
                .push(azure::model_deployment(&reader, "", declared, account));
        }
        Some(azure::PRIVATE_ENDPOINT_TYPE) => model
            .private_endpoints
            .push(azure::private_endpoint(&reader, "", declared)),
        Some(azure::ROLE_ASSIGNMENT_TYPE) => {
            let scope = azure::deployment_scope(&reader, "scope");
            model
                .role_assignments
                .push(azure::role_assignment(&reader, "", declared, scope));
        }
        _ => {}
    }
    let parent = Parent {
        symbol: &resource.name,
        type_name: full_type,
    };
    for child in child_resources(value) {
        if let StatementKind::Resource(child_resource) = &child.kind {
            map_resource(eval, child, child_resource, Some(&parent), model);
        }
    }
}

/// Resolves `.` and `..` without touching the file system.
fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
