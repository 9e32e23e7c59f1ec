//! Terraform front-end: `.tf` files of one directory (a module) -> [`Model`].

mod eval;
mod extract;
mod functions;
mod module;

pub use module::{FileRole, ParsedFile};

use std::collections::HashMap;

use crate::model::Model;

/// Parses one `.tf` file. Errors carry the byte offset where parsing stopped.
pub fn parse(text: &str) -> Result<hcl_edit::structure::Body, super::SyntaxError> {
    hcl_edit::parser::parse_body(text).map_err(|error| super::SyntaxError {
        offset: error.location().offset(),
        message: error.message().to_string(),
    })
}

/// The model of one module: resources of all its files, linked by reference.
/// `cli_values` are `--var name=value` pairs, which win over every other value.
pub fn build_model(files: &[ParsedFile], cli_values: &HashMap<String, String>) -> Model {
    let index = module::ModuleIndex::new(files, cli_values);
    extract::extract(&index)
}

/// The role of a file of a module directory, from its name: Terraform loads
/// `terraform.tfvars` and `*.auto.tfvars` by itself, other `.tfvars` only when asked.
pub fn role_of(file_name: &str) -> FileRole {
    if file_name.ends_with(".tf") {
        FileRole::Config
    } else if file_name == "terraform.tfvars" {
        FileRole::Values(0)
    } else if file_name.ends_with(".auto.tfvars") {
        // Equal ranks keep path order: later files win, as in Terraform.
        FileRole::Values(1)
    } else {
        FileRole::NotLoaded
    }
}

#[cfg(test)]
mod tests;
