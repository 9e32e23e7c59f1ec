//! Bicep front-end: our own parser (no crate parses modern Bicep) -> [`crate::model::Model`].

mod parser;
pub mod syntax;

pub use parser::parse;

#[cfg(test)]
mod tests;
