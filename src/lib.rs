//! aoai-lint: a linter for infrastructure-as-code that declares Azure OpenAI resources.
//!
//! The pipeline, one module each: [`discover`] files (reading only inside the [`boundary`]) ->
//! [`source_store`] reads them once -> [`parse`] -> [`frontend`] builds the [`model`] ->
//! [`resolve`] links resources to their account and follows modules -> [`rules`] (metadata in
//! [`policy`], model lifecycle data in [`lifecycle`]) -> [`locate`] and [`suppress`] / [`baseline`] -> [`report`]. [`engine`] runs it
//! with the [`options`]; [`cli`] is the command line over it.

pub mod baseline;
pub mod boundary;
pub mod callers;
pub mod cli;
pub mod config;
pub mod discover;
pub mod docs;
pub mod engine;
pub mod error;
pub mod finding;
pub mod frontend;
pub mod lifecycle;
pub mod locate;
pub mod model;
pub mod options;
pub mod parse;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod source;
pub mod source_store;
pub mod stats;
pub mod suppress;

pub use engine::{Report, lint, lint_streaming};
pub use error::Error;
pub use finding::{ScopeReport, Summary};
pub use options::Options;
