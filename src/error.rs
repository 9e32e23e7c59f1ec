//! Errors that stop a run before any file is linted (exit code 2). Problems with single files
//! are not errors: they are [`crate::finding::FileError`]s in the report.

use miette::Diagnostic;

use crate::config::ConfigError;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("{0}")]
    #[diagnostic(code(aoai_lint::usage))]
    Usage(String),

    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(aoai_lint::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {path}")]
    #[diagnostic(code(aoai_lint::output))]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    /// Writing the report failed. A closed standard output is not an error: the CLI stops
    /// writing to it and keeps its exit code.
    #[error("cannot write the report: {0}")]
    #[diagnostic(code(aoai_lint::output))]
    Output(#[source] std::io::Error),
}

impl From<Box<ConfigError>> for Error {
    fn from(error: Box<ConfigError>) -> Self {
        Error::Config(error)
    }
}
