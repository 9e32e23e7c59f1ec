//! Account keys (`listKeys()` on a Cognitive Services account) flowing into places where they
//! can be read: outputs that are not `@secure()`, app settings and connection strings of web
//! apps, container environment variables, and module params that are not `@secure()`. Keys are
//! followed through variables, and each name on the way is recorded.

use super::syntax::{
    ArrayItem, Expr, ExprKind, ObjectItem, Program, Resource, Statement, StatementKind, StringPart,
};
use crate::frontend::azure;
use crate::model::{Declared, Existence, KeyExposure, Language, Model};
use crate::source::{FileId, Span};

/// How many variables deep a key is followed.
const MAX_DEPTH: usize = 8;

/// A key found in an expression: its source as written, the names it went through, and the
/// address (relative to the template) of the account whose key it is, when declared here.
type Found = (String, Vec<(String, Span)>, Option<String>);

/// What the finder needs to know about one template.
pub struct Template<'a> {
    pub file: FileId,
    pub program: &'a Program,
    /// `module.<name>.` for each module on the way.
    pub prefix: &'a str,
}

/// The template a module statement calls, when it is a local one: its file and program.
pub type Callee<'c, 'a> = &'c dyn Fn(&Statement) -> Option<(FileId, &'a Program)>;

/// Adds the key exposures of one template to `model`. `callee` gives the template a module
/// statement calls (to read which of its params are secure, and which outputs carry a key).
pub fn find<'a>(template: &Template<'a>, callee: Callee<'_, 'a>, model: &mut Model) {
    let finder = Finder { template, callee };
    let mut report = |statement: &Statement,
                      address: String,
                      at: &Expr,
                      sink: String,
                      unknown: Option<String>| {
        if let Some((source, path, account)) = finder.key_in(at, &mut Vec::new()) {
            model.key_exposures.push(KeyExposure {
                declared: Declared {
                    address: format!("{}{address}", template.prefix),
                    header: Span::new(template.file, statement.header.clone()),
                    extent: Span::new(template.file, statement.span.clone()),
                    language: Language::Bicep,
                    existence: Existence::Always,
                },
                span: Span::new(template.file, at.span.clone()),
                sink,
                source,
                path,
                unknown,
                account: account.map(|account| format!("{}{account}", template.prefix)),
            });
        }
    };
    for statement in &template.program.statements {
        match &statement.kind {
            StatementKind::Output { name, value } if !is_secure(statement) => report(
                statement,
                format!("output.{name}"),
                value,
                format!("output `{name}`, which is not `@secure()`"),
                None,
            ),
            StatementKind::Resource(_) => {
                for (statement, resource, type_name, body) in with_children(statement, None) {
                    for (at, sink) in resource_sinks(&type_name, body) {
                        report(statement, resource.name.clone(), at, sink, None);
                    }
                }
            }
            StatementKind::Module { name, value, .. } => {
                let Some((_, program)) = callee(statement) else {
                    continue;
                };
                let Some(params) = value.declaration_body().and_then(|b| b.property("params"))
                else {
                    continue;
                };
                for property in params.value.properties() {
                    let super::syntax::PropertyKey::Name(param) = &property.key else {
                        continue;
                    };
                    let declaration = program.statements.iter().find(
                        |s| matches!(&s.kind, StatementKind::Param { name, .. } if name == param),
                    );
                    let Some(declaration) = declaration else {
                        continue;
                    };
                    let unknown = match param_protection(declaration) {
                        Protection::Secure => continue,
                        Protection::Plain => None,
                        Protection::Maybe(reason) => Some(reason),
                    };
                    report(
                        statement,
                        name.clone(),
                        &property.value,
                        format!("param `{param}` of module `{name}`, which is not `@secure()`"),
                        unknown,
                    );
                }
            }
            _ => {}
        }
    }
}

/// A resource statement and the resources nested in its body (at any depth), each with its
/// full type (a nested `'connections'` under an account is `.../accounts/connections`) and body.
fn with_children<'s>(
    statement: &'s Statement,
    parent_type: Option<&str>,
) -> Vec<(&'s Statement, &'s Resource, String, &'s Expr)> {
    let StatementKind::Resource(resource) = &statement.kind else {
        return Vec::new();
    };
    let Some(written) = resource
        .type_string
        .as_literal_str()
        .and_then(|t| t.split('@').next().map(str::to_string))
    else {
        return Vec::new();
    };
    let type_name = match parent_type {
        Some(parent) => format!("{parent}/{written}"),
        None => written,
    };
    let Some(body) = resource.value.declaration_body() else {
        return Vec::new();
    };
    let mut found = vec![(statement, &**resource, type_name.clone(), body)];
    for item in body_items(body) {
        if let ObjectItem::Resource(child) = item {
            found.extend(with_children(child, Some(&type_name)));
        }
    }
    found
}

/// The items of an object body.
fn body_items(body: &Expr) -> &[ObjectItem] {
    match &body.kind {
        ExprKind::Object(items) => items,
        _ => &[],
    }
}

/// Whether a module param keeps what it receives out of the deployment history.
enum Protection {
    Secure,
    Plain,
    /// A user-defined type whose properties may be `@secure()`: the reason says which.
    Maybe(String),
}

fn param_protection(declaration: &Statement) -> Protection {
    if is_secure(declaration) {
        return Protection::Secure;
    }
    let StatementKind::Param {
        type_text: Some(written),
        ..
    } = &declaration.kind
    else {
        return Protection::Plain;
    };
    if written.contains("@secure") || written.contains("@sys.secure") {
        return Protection::Secure;
    }
    let base = written.trim_end_matches('?').trim_end_matches("[]");
    let primitive = matches!(base, "string" | "int" | "bool" | "object" | "array" | "any")
        || base.starts_with('\'')
        || base.starts_with('{');
    match primitive {
        true => Protection::Plain,
        false => Protection::Maybe(format!(
            "unless the properties of its type `{written}` are `@secure()` (the type is declared elsewhere)"
        )),
    }
}

/// `@secure()` (or `@sys.secure()`).
fn is_secure(statement: &Statement) -> bool {
    statement.decorator("secure").is_some()
}

/// The values of a resource body where a key is readable, with what they are.
fn resource_sinks<'e>(type_name: &str, body: &'e Expr) -> Vec<(&'e Expr, String)> {
    let lower = type_name.to_ascii_lowercase();
    let properties = body.property("properties").map(|p| &p.value);
    let mut sinks = Vec::new();
    let path = |root: Option<&'e Expr>, names: &[&str]| -> Option<&'e Expr> {
        names
            .iter()
            .try_fold(root?, |expr, name| Some(&expr.property(name)?.value))
    };
    let named_items =
        |list: Option<&'e Expr>, value: &str, what: &str, sinks: &mut Vec<(&'e Expr, String)>| {
            for item in items(list) {
                if let Some(at) = item.property(value) {
                    let name = item
                        .property("name")
                        .and_then(|n| n.value.as_literal_str())
                        .unwrap_or_else(|| "(computed)".into());
                    sinks.push((&at.value, format!("{what} `{name}`")));
                }
            }
        };
    if lower == "microsoft.web/sites" || lower == "microsoft.web/sites/slots" {
        let site_config = path(properties, &["siteConfig"]);
        named_items(
            path(site_config, &["appSettings"]),
            "value",
            "app setting",
            &mut sinks,
        );
        named_items(
            path(site_config, &["connectionStrings"]),
            "connectionString",
            "connection string",
            &mut sinks,
        );
    } else if lower == "microsoft.web/sites/config" || lower == "microsoft.web/sites/slots/config" {
        for property in properties.into_iter().flat_map(Expr::properties) {
            if let super::syntax::PropertyKey::Name(name) = &property.key {
                sinks.push((&property.value, format!("app setting `{name}`")));
            }
        }
    } else if lower == "microsoft.app/containerapps" || lower == "microsoft.app/jobs" {
        let template = path(properties, &["template"]);
        for list in ["containers", "initContainers"] {
            for container in items(path(template, &[list])) {
                named_items(
                    container.property("env").map(|p| &p.value),
                    "value",
                    "environment variable",
                    &mut sinks,
                );
            }
        }
    } else if crate::frontend::azure::is_connection_type(&lower) {
        // Each value of a credentials object is stored in the connection; credentials computed
        // as a whole (a condition picking an object) are stored whole, with any key in them.
        if let Some(credentials) = path(properties, &["credentials"]) {
            match &credentials.kind {
                ExprKind::Object(_) => sinks.extend(
                    credentials
                        .properties()
                        .map(|p| (&p.value, "connection credentials".to_string())),
                ),
                _ => sinks.push((credentials, "connection credentials".to_string())),
            }
        }
    } else if lower == "microsoft.containerinstance/containergroups" {
        for container in items(path(properties, &["containers"])) {
            named_items(
                path(Some(container), &["properties", "environmentVariables"]),
                "value",
                "environment variable",
                &mut sinks,
            );
        }
    }
    sinks
}

/// The items of an array literal (or of the body of a `for` producing them).
fn items(list: Option<&Expr>) -> impl Iterator<Item = &Expr> {
    let items = match list.map(|l| &l.kind) {
        Some(ExprKind::Array(items)) => items.as_slice(),
        _ => &[],
    };
    items.iter().filter_map(|item| match item {
        ArrayItem::Item(expr) => Some(expr.declaration_body().unwrap_or(expr)),
        ArrayItem::Spread(_) => None,
    })
}

/// Whether an account's `kind` serves Azure OpenAI, or is not known.
fn serves_openai(resource: &Resource) -> bool {
    let kind = resource
        .value
        .declaration_body()
        .and_then(|body| body.property("kind"))
        .and_then(|kind| kind.value.as_literal_str());
    kind.is_none_or(|kind| {
        azure::ACCOUNT_KINDS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(&kind))
    })
}

struct Finder<'t, 'a> {
    template: &'t Template<'a>,
    callee: Callee<'t, 'a>,
}

impl Finder<'_, '_> {
    /// `m.outputs.x` of a local module whose output `x` carries a key: the key, through it.
    fn module_output(&self, expr: &Expr, path: &mut Vec<(String, Span)>) -> Option<Found> {
        let ExprKind::Member {
            base, name: output, ..
        } = &expr.kind
        else {
            return None;
        };
        let ExprKind::Member {
            base: module,
            name: outputs,
            ..
        } = &base.kind
        else {
            return None;
        };
        let ExprKind::Ident(module) = &module.kind else {
            return None;
        };
        if &**outputs != "outputs" || path.len() >= MAX_DEPTH {
            return None;
        }
        let statement =
            self.template.program.statements.iter().find(
                |s| matches!(&s.kind, StatementKind::Module { name, .. } if name == module),
            )?;
        let (file, program) = (self.callee)(statement)?;
        let value = program.statements.iter().find_map(|s| match &s.kind {
            StatementKind::Output { name, value } if **name == **output => Some(value),
            _ => None,
        })?;
        let callee = Template {
            file,
            program,
            prefix: "",
        };
        // One module deep: the callee's own modules are not followed from here.
        let inner = Finder {
            template: &callee,
            callee: &|_| None,
        };
        path.push((
            format!("{module}.outputs.{output}"),
            Span::new(self.template.file, expr.span.clone()),
        ));
        let found = inner.key_in(value, path);
        path.pop();
        found.map(|(source, path, account)| {
            let account = account.map(|account| format!("module.{module}.{account}"));
            (source, path, account)
        })
    }

    /// A key read in `expr`: its source as written and the variables it went through.
    fn key_in(&self, expr: &Expr, path: &mut Vec<(String, Span)>) -> Option<Found> {
        match &expr.kind {
            ExprKind::Call { callee, args } => {
                match &callee.kind {
                    // `openai.listKeys()`
                    ExprKind::Member { base, name, .. }
                        if name.eq_ignore_ascii_case("listKeys") =>
                    {
                        if let ExprKind::Ident(symbol) = &base.kind
                            && self.is_account(symbol)
                        {
                            let source = format!("{symbol}.listKeys()");
                            return Some((source, path.clone(), Some(symbol.clone())));
                        }
                    }
                    // `listKeys(openai.id, '2023-05-01')`
                    ExprKind::Ident(name)
                        if name.eq_ignore_ascii_case("listKeys")
                            && args
                                .first()
                                .is_some_and(|target| self.names_account(target)) =>
                    {
                        return Some(("listKeys()".to_string(), path.clone(), None));
                    }
                    _ => {}
                }
                std::iter::once(callee.as_ref())
                    .chain(args)
                    .find_map(|e| self.key_in(e, path))
            }
            ExprKind::Ident(name) => self.follow_var(name, path),
            ExprKind::Member { .. } => self.module_output(expr, path).or_else(|| {
                children(expr)
                    .into_iter()
                    .find_map(|e| self.key_in(e, path))
            }),
            _ => children(expr)
                .into_iter()
                .find_map(|e| self.key_in(e, path)),
        }
    }

    fn follow_var(&self, name: &str, path: &mut Vec<(String, Span)>) -> Option<Found> {
        if path.len() >= MAX_DEPTH || path.iter().any(|(seen, _)| seen == name) {
            return None;
        }
        let (statement, value) =
            self.template
                .program
                .statements
                .iter()
                .find_map(|s| match &s.kind {
                    StatementKind::Var { name: var, value } if var == name => Some((s, value)),
                    _ => None,
                })?;
        path.push((
            name.to_string(),
            Span::new(self.template.file, statement.span.clone()),
        ));
        let found = self.key_in(value, path);
        path.pop();
        found
    }

    /// Whether a symbol is a Cognitive Services account resource of the template whose keys are
    /// Azure OpenAI keys: its `kind` is OpenAI or AIServices, or not a literal (then it may be).
    fn is_account(&self, symbol: &str) -> bool {
        self.template
            .program
            .statements
            .iter()
            .any(|s| match &s.kind {
                StatementKind::Resource(resource) => {
                    resource.name == symbol
                        && resource.type_string.as_literal_str().is_some_and(|t| {
                            t.split('@')
                                .next()
                                .is_some_and(|t| t.eq_ignore_ascii_case(azure::ACCOUNT_TYPE))
                        })
                        && serves_openai(resource)
                }
                _ => false,
            })
    }

    /// Whether an expression names an account: `openai.id`, or a resource id of the type.
    fn names_account(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Ident(symbol) => self.is_account(symbol),
            ExprKind::String(parts) => parts.iter().any(|part| match part {
                StringPart::Literal(text) => text
                    .to_ascii_lowercase()
                    .contains(&azure::ACCOUNT_TYPE.to_ascii_lowercase()),
                StringPart::Interpolation(inner) => self.names_account(inner),
            }),
            _ => children(expr).into_iter().any(|e| self.names_account(e)),
        }
    }
}

/// The sub-expressions of an expression.
fn children(expr: &Expr) -> Vec<&Expr> {
    match &expr.kind {
        ExprKind::String(parts) => parts
            .iter()
            .filter_map(|part| match part {
                StringPart::Interpolation(inner) => Some(inner),
                StringPart::Literal(_) => None,
            })
            .collect(),
        ExprKind::Array(items) => items
            .iter()
            .map(|item| match item {
                ArrayItem::Item(e) | ArrayItem::Spread(e) => e,
            })
            .collect(),
        ExprKind::Object(items) => items
            .iter()
            .filter_map(|item| match item {
                ObjectItem::Property(property) => Some(&property.value),
                ObjectItem::Spread(e) => Some(e),
                ObjectItem::Resource(_) => None,
            })
            .collect(),
        ExprKind::Member { base, .. } | ExprKind::Child { base, .. } => vec![base],
        ExprKind::Index { base, index, .. } => vec![base, index],
        ExprKind::Call { callee, args } => std::iter::once(callee.as_ref()).chain(args).collect(),
        ExprKind::NonNull(e) | ExprKind::Paren(e) => vec![e],
        ExprKind::Unary { expr, .. } => vec![expr],
        ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => vec![cond, then, otherwise],
        ExprKind::For(for_loop) => vec![&for_loop.iterable, &for_loop.body],
        ExprKind::If { cond, body } => vec![cond, body],
        ExprKind::Lambda { body, .. } => vec![body],
        ExprKind::Null | ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Ident(_) => Vec::new(),
    }
}
