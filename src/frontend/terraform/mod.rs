//! Terraform front-end: `.tf` files of one directory (a module) -> [`Model`].

mod eval;
mod extract;
mod module;

pub use module::ParsedFile;

use crate::model::Model;

/// Parses one `.tf` file. Errors carry the byte offset where parsing stopped.
pub fn parse(text: &str) -> Result<hcl_edit::structure::Body, super::SyntaxError> {
    hcl_edit::parser::parse_body(text).map_err(|error| super::SyntaxError {
        offset: error.location().offset(),
        message: error.message().to_string(),
    })
}

/// The model of one module: resources of all its files, linked by reference.
pub fn build_model(files: &[ParsedFile]) -> Model {
    let index = module::ModuleIndex::new(files);
    extract::extract(&index)
}

#[cfg(test)]
mod tests;
