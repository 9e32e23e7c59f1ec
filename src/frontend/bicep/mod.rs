//! Bicep front-end: our own parser (no crate parses modern Bicep) -> [`crate::model::Model`].

mod eval;
mod exposure;
mod extract;
mod parser;
pub mod syntax;

pub use extract::{
    BicepFile, Inputs, build, build_model, local_module_paths, local_template_paths,
};
pub use parser::parse;

#[cfg(test)]
mod tests;
