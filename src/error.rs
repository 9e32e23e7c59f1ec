//! Errors that stop a run before any file is linted (exit code 2). Problems with single files
//! are not errors: they are [`crate::finding::FileError`]s in the report.

use std::ops::Range;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// Each says what failed; its cause is the `source`, which miette prints once beneath it.
/// No diagnostic codes: `aoai_lint::io` names a Rust module, not anything a user can act on.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("{0}")]
    Usage(String),

    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {path}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    InvalidConfig(Box<ConfigError>),

    /// Writing the report failed. A closed standard output is not an error: the CLI stops
    /// writing to it and keeps its exit code.
    #[error("cannot write the report")]
    Output(#[source] std::io::Error),
}

impl From<Box<ConfigError>> for Error {
    fn from(error: Box<ConfigError>) -> Self {
        Error::InvalidConfig(error)
    }
}

/// A problem in `.aoai-lint.hcl`, shown with a caret on the offending text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic()]
pub struct ConfigError {
    message: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
    /// The file's other problems, shown with this one.
    #[related]
    pub others: Vec<ConfigError>,
}

impl ConfigError {
    /// An error at `range` of the configuration file `name`, whose text is `text`.
    pub fn new(
        name: &str,
        text: &str,
        range: Range<usize>,
        message: String,
        label: String,
        help: Option<String>,
    ) -> Self {
        ConfigError {
            message,
            source_code: NamedSource::new(name, text.to_string()),
            span: SourceSpan::from(range.start..range.end.max(range.start)),
            label,
            help,
            others: Vec::new(),
        }
    }
}
