//! Errors that stop a run before any file is linted (exit code 2). Problems with single files
//! are not errors: they are [`crate::finding::FileError`]s in the report.

use std::ops::Range;

use miette::{Diagnostic, SourceSpan};

use crate::report::{Snippet, SourceText, terminal_safe};

/// Each says what failed; its cause is the `source`, which miette prints once beneath it.
/// No diagnostic codes: `aoai_lint::io` names a Rust module, not anything a user can act on.
/// Paths and quoted file text are shown [`terminal_safe`].
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("{}", terminal_safe(.0))]
    Usage(String),

    #[error("cannot read {}", terminal_safe(path))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {}", terminal_safe(path))]
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

/// A problem in `.aoai-lint.hcl`, shown with a caret on the offending text; its texts and
/// snippet are [`terminal_safe`].
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic()]
pub struct ConfigError {
    message: String,
    #[source_code]
    source_code: Snippet,
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
        let range = range.start..range.end.max(range.start);
        let source = SourceText::new(text.into());
        let snippet = Snippet::new(name, &source, std::slice::from_ref(&range), range.start);
        let span = snippet.span(range.start, range.len()).unwrap_or_default();
        let safe = |text: String| terminal_safe(&text).into_owned();
        ConfigError {
            message: safe(message),
            source_code: snippet,
            span: span.into(),
            label: safe(label),
            help: help.map(safe),
            others: Vec::new(),
        }
    }
}
