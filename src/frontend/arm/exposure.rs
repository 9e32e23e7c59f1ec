//! Account keys (`listKeys()` of a Cognitive Services account) flowing into places where they
//! can be read: outputs that are not `securestring`/`secureObject`, app settings and connection
//! strings of web apps, container environment variables. Keys are followed through variables,
//! and each name on the way is recorded.

use super::expr::{self, Expr};
use crate::frontend::azure;
use crate::frontend::json::{Json, JsonKind, array};
use crate::model::{Declared, Existence, KeyExposure, Language, Model};
use crate::source::{FileId, Span};

const MAX_DEPTH: usize = 8;

/// Adds the key exposures of one template to `model`. `name_of` gives the name of a resource
/// of the template itself (not of a nested template, whose parameters are its own).
pub fn find(
    file: FileId,
    root: &Json,
    name_of: &dyn Fn(&Json) -> Option<String>,
    model: &mut Model,
) {
    let finder = Finder { file, root };
    let mut report =
        |declared_json: &Json, header: &Json, address: String, at: &Json, sink: String| {
            if let Some((source, path)) = finder.key_in(at, &mut Vec::new()) {
                model.key_exposures.push(KeyExposure {
                    declared: Declared {
                        address,
                        header: Span::new(file, header.span.clone()),
                        extent: Span::new(file, declared_json.span.clone()),
                        language: Language::Arm,
                        existence: Existence::Always,
                    },
                    span: Span::new(file, at.span.clone()),
                    sink,
                    source,
                    path,
                    unknown: None,
                    account: None,
                });
            }
        };
    for output in root
        .get("outputs")
        .map(Json::properties)
        .unwrap_or_default()
    {
        let secure = output
            .value
            .get("type")
            .and_then(Json::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("secure"));
        if let (false, Some(value)) = (secure, output.value.get("value")) {
            let sink = format!("output `{}`, which is not `securestring`", output.key);
            report(
                &output.value,
                &output.value,
                format!("outputs.{}", output.key),
                value,
                sink,
            );
        }
    }
    let mut resources = Vec::new();
    collect_resources(root, &mut resources, 0);
    for (resource, own) in resources {
        let Some(type_name) = resource.get("type").and_then(Json::as_str) else {
            continue;
        };
        let written = || {
            resource
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or("(unnamed)")
                .to_string()
        };
        let address = own.then(|| name_of(resource)).flatten();
        let address = address.unwrap_or_else(written);
        let header = resource.property("type").map_or(resource, |p| &p.value);
        for (at, sink) in resource_sinks(type_name, resource) {
            report(resource, header, address.clone(), at, sink);
        }
    }
}

/// Every resource of the template, children and inline nested templates included, each with
/// whether it is a top-level resource of the template itself.
fn collect_resources<'j>(container: &'j Json, out: &mut Vec<(&'j Json, bool)>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for resource in super::resources_of(container) {
        out.push((resource, depth == 0));
        collect_resources(resource, out, depth + 1);
        if let Some(template) = resource.get("properties").and_then(|p| p.get("template")) {
            collect_resources(template, out, depth + 1);
        }
    }
}

fn path<'j>(root: Option<&'j Json>, names: &[&str]) -> Option<&'j Json> {
    names.iter().try_fold(root?, |json, name| json.get(name))
}

fn resource_sinks<'j>(type_name: &str, resource: &'j Json) -> Vec<(&'j Json, String)> {
    let lower = type_name.to_ascii_lowercase();
    let properties = resource.get("properties");
    let mut sinks = Vec::new();
    let mut named = |list: Option<&'j Json>, value: &str, what: &str| {
        for item in array(list) {
            if let Some(at) = item.get(value) {
                let name = item
                    .get("name")
                    .and_then(Json::as_str)
                    .unwrap_or("(computed)");
                sinks.push((at, format!("{what} `{name}`")));
            }
        }
    };
    if lower == "microsoft.web/sites" || lower == "microsoft.web/sites/slots" {
        let site_config = path(properties, &["siteConfig"]);
        named(path(site_config, &["appSettings"]), "value", "app setting");
        named(
            path(site_config, &["connectionStrings"]),
            "connectionString",
            "connection string",
        );
    } else if lower == "microsoft.app/containerapps" || lower == "microsoft.app/jobs" {
        let template = path(properties, &["template"]);
        for list in ["containers", "initContainers"] {
            for container in array(path(template, &[list])) {
                named(container.get("env"), "value", "environment variable");
            }
        }
    } else if crate::frontend::azure::is_connection_type(&lower) {
        // Each value of a credentials object is stored in the connection; credentials computed
        // as a whole (`if(...)` picking an object) are stored whole, with any key in them.
        if let Some(credentials) = path(properties, &["credentials"]) {
            match &credentials.kind {
                JsonKind::Object(properties) => sinks.extend(
                    properties
                        .iter()
                        .map(|p| (&p.value, "connection credentials".to_string())),
                ),
                _ => sinks.push((credentials, "connection credentials".to_string())),
            }
        }
    } else if lower == "microsoft.containerinstance/containergroups" {
        for container in array(path(properties, &["containers"])) {
            named(
                path(Some(container), &["properties", "environmentVariables"]),
                "value",
                "environment variable",
            );
        }
    }
    if lower == "microsoft.web/sites/config" || lower == "microsoft.web/sites/slots/config" {
        for property in properties.map(Json::properties).unwrap_or_default() {
            sinks.push((&property.value, format!("app setting `{}`", property.key)));
        }
    }
    sinks
}

struct Finder<'j> {
    file: FileId,
    root: &'j Json,
}

type Found = (String, Vec<(String, Span)>);

impl Finder<'_> {
    fn key_in(&self, json: &Json, path: &mut Vec<(String, Span)>) -> Option<Found> {
        match &json.kind {
            JsonKind::String(text) => {
                let parsed = expr::parse(expr::expression_text(text)?)?;
                self.key_in_expr(&parsed, path)
            }
            JsonKind::Array(items) => items.iter().find_map(|item| self.key_in(item, path)),
            JsonKind::Object(properties) => properties
                .iter()
                .find_map(|property| self.key_in(&property.value, path)),
            _ => None,
        }
    }

    fn key_in_expr(&self, expr: &Expr, path: &mut Vec<(String, Span)>) -> Option<Found> {
        match expr {
            Expr::Call { name, args } if name.eq_ignore_ascii_case("listKeys") => {
                if args
                    .first()
                    .is_some_and(|target| self.names_account(target, 0))
                {
                    return Some(("listKeys()".into(), path.clone()));
                }
                args.iter().find_map(|arg| self.key_in_expr(arg, path))
            }
            Expr::Call { name, args } if name.eq_ignore_ascii_case("variables") => {
                let Some(Expr::String(variable)) = args.first() else {
                    return None;
                };
                self.follow_variable(variable, path)
            }
            Expr::Call { args, .. } => args.iter().find_map(|arg| self.key_in_expr(arg, path)),
            Expr::Member { base, .. } => self.key_in_expr(base, path),
            Expr::Index { base, index } => self
                .key_in_expr(base, path)
                .or_else(|| self.key_in_expr(index, path)),
            Expr::String(_) | Expr::Number(_) => None,
        }
    }

    /// Whether the first argument of `listKeys` names a Cognitive Services account, directly
    /// or through variables.
    fn names_account(&self, expr: &Expr, depth: usize) -> bool {
        match expr {
            Expr::String(text) => text
                .to_ascii_lowercase()
                .contains(&azure::ACCOUNT_TYPE.to_ascii_lowercase()),
            Expr::Call { name, args } if name.eq_ignore_ascii_case("variables") => {
                let Some(Expr::String(variable)) = args.first() else {
                    return false;
                };
                let value = self
                    .root
                    .get("variables")
                    .and_then(|v| {
                        v.properties()
                            .iter()
                            .find(|p| p.key.eq_ignore_ascii_case(variable))
                    })
                    .and_then(|p| p.value.as_str())
                    .and_then(expr::expression_text)
                    .and_then(expr::parse);
                depth < MAX_DEPTH
                    && value.is_some_and(|value| self.names_account(&value, depth + 1))
            }
            Expr::Call { args, .. } => args.iter().any(|arg| self.names_account(arg, depth)),
            Expr::Member { base, .. } | Expr::Index { base, .. } => self.names_account(base, depth),
            Expr::Number(_) => false,
        }
    }

    fn follow_variable(&self, name: &str, path: &mut Vec<(String, Span)>) -> Option<Found> {
        let step = format!("variables('{name}')");
        if path.len() >= MAX_DEPTH || path.iter().any(|(seen, _)| *seen == step) {
            return None;
        }
        let property = self
            .root
            .get("variables")?
            .properties()
            .iter()
            .find(|p| p.key.eq_ignore_ascii_case(name))?;
        path.push((step, Span::new(self.file, property.span())));
        let found = self.key_in(&property.value, path);
        path.pop();
        found
    }
}
