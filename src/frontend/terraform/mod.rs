//! Terraform front-end: the `.tf` files of a root module directory and the local modules it calls -> [`Model`].

mod comments;
mod configuration;
mod eval;
mod exposure;
mod extract;
mod foundry;
mod functions;
mod json_syntax;
mod module;
mod pruned;
mod syntax;

pub use comments::comments;
pub use configuration::{ModuleLoader, Unread};
pub(crate) use extract::map_resource;
pub use module::{FileRole, ParsedFile, local_calls};
pub use pruned::Dropped;
pub use syntax::{Written, resource_blocks};

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::frontend::{Built, Scope};
use crate::model::Model;
use crate::source::{FileId, lexical_normalize};

/// The names of the `variable` blocks of a module's files.
pub fn declared_variables(files: &[ParsedFile]) -> Vec<String> {
    let dropped = files
        .iter()
        .flat_map(|file| file.dropped.iter().flat_map(|dropped| dropped.variables()))
        .map(str::to_string);
    files
        .iter()
        .flat_map(|file| file.body.blocks())
        .filter(|block| block.ident.as_str() == "variable")
        .filter_map(|block| block.labels.first().map(|label| label.as_str().to_string()))
        .chain(dropped)
        .collect()
}

/// Parses one Terraform file in the syntax its name says: `.tf.json` and `.tfvars.json` are
/// Terraform's JSON syntax, read into the tree the native syntax gives.
pub fn parse_file(file_name: &str, text: &Arc<String>) -> Result<Parsed, super::SyntaxError> {
    if file_name.ends_with(".tfvars.json") {
        json_syntax::parse_values(text).map(Parsed::whole)
    } else if file_name.ends_with(".json") {
        json_syntax::parse_config(text).map(Parsed::whole)
    } else {
        parse(text)
    }
}

impl ParsedFile {
    /// A file of a module directory parsed from its text, as the source store parses it.
    pub fn parse(id: FileId, role: FileRole, text: &str) -> Result<Self, super::SyntaxError> {
        let parsed = parse(&Arc::new(text.to_string()))?;
        Ok(ParsedFile {
            id,
            body: parsed.body.into(),
            role,
            dropped: parsed.dropped,
        })
    }
}

/// A file's tree, and the blocks a pruned parse dropped from it.
pub struct Parsed {
    pub body: hcl_edit::structure::Body,
    pub dropped: Option<Arc<Dropped>>,
}

impl Parsed {
    fn whole(body: hcl_edit::structure::Body) -> Self {
        Parsed {
            body,
            dropped: None,
        }
    }
}

/// Parses one `.tf` file; a huge one is pruned of the resources nothing reads. Errors carry the
/// byte offset where parsing stopped.
pub fn parse(text: &Arc<String>) -> Result<Parsed, super::SyntaxError> {
    let parsed = if text.len() >= pruned::prune_from_bytes() {
        pruned::parse_pruned(text, reads_resource_type).map(|(body, dropped)| Parsed {
            body,
            dropped: Some(dropped.into()),
        })
    } else {
        hcl_edit::parser::parse_body_spanned(text).map(Parsed::whole)
    };
    parsed.map_err(|error| super::SyntaxError {
        offset: error.location().offset(),
        message: error.message().to_string(),
    })
}

/// Whether the front-end reads resources of this type, unless an expression refers to one:
/// the model's, and those where account keys come from or go.
fn reads_resource_type(type_name: &str) -> bool {
    extract::is_modeled(type_name) || exposure::reads_resource_type(type_name)
}

/// A scope's Terraform model: its directory as a root module, with `--var-file` values and the
/// local modules it calls (`loader` reads them). Nothing when the directory holds no
/// configuration (only value files), or when another linted directory calls it: its callers
/// build it, with the values they pass.
pub fn build(scope: &Scope<'_>, loader: &mut impl crate::frontend::ModuleLoader) -> Built {
    let files = &scope.files.terraform;
    let is_module = files.iter().any(|file| file.role == FileRole::Config);
    let dir = lexical_normalize(scope.dir);
    if !is_module || scope.settings.called_terraform_dirs.contains(&dir) {
        return Built::default();
    }
    let mut files = files.clone();
    files.extend(scope.settings.var_files.iter().cloned());
    Built {
        model: build_model(scope.dir, files, scope.settings.vars, loader),
        also_reported: Vec::new(),
    }
}

/// The model of one root module (the files of `dir`) and the local modules it calls, which
/// `loader` reads. `cli_values` are `--var name=value` pairs, which win over every other value.
pub fn build_model(
    dir: &Path,
    files: Vec<ParsedFile>,
    cli_values: &HashMap<String, String>,
    loader: &mut dyn ModuleLoader,
) -> Model {
    let tree = configuration::LoadedTree::load(dir, files, loader);
    let configuration = configuration::Configuration::new(&tree, cli_values);
    extract::extract(&configuration)
}

/// Whether a file of a module directory is part of its configuration (`.tf`, `.tf.json`).
pub fn is_config_file(file_name: &str) -> bool {
    file_name.ends_with(".tf") || file_name.ends_with(".tf.json")
}

/// The role of a file of a module directory, from its name: Terraform loads
/// `terraform.tfvars` and `*.auto.tfvars` by itself (and their `.json` forms), other
/// `.tfvars` only when asked.
pub fn role_of(file_name: &str) -> FileRole {
    let values = file_name.strip_suffix(".json").unwrap_or(file_name);
    if is_config_file(file_name) {
        FileRole::Config
    } else if values == "terraform.tfvars" {
        FileRole::Values(0)
    } else if values.ends_with(".auto.tfvars") {
        // Equal ranks keep path order: later files win, as in Terraform.
        FileRole::Values(1)
    } else {
        FileRole::NotLoaded(file_name.into())
    }
}

#[cfg(test)]
mod tests;
