//! The files of a run as the engine holds them: a file's text, its line index (built when a
//! finding needs it) and its suppression comments, and how texts are read from disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::Location;
use crate::policy::Catalog;
use crate::source::{FileId, LineIndex, Span, lexical_normalize};
use crate::suppress::{self, Directive};

/// A file's text, kept while its scope is linted to turn spans into lines and columns.
pub struct SourceFile {
    pub id: FileId,
    pub text: String,
    /// Built on first use: most files have no finding.
    lines: std::sync::OnceLock<LineIndex>,
    /// Suppression comments.
    pub directives: Vec<Directive>,
}

impl SourceFile {
    pub fn new(id: FileId, text: String) -> Self {
        SourceFile {
            id,
            text,
            lines: std::sync::OnceLock::new(),
            directives: Vec::new(),
        }
    }

    /// Reads the suppression directives among `comments` (byte ranges of the text).
    pub fn read_directives(
        &mut self,
        comments: &[std::ops::Range<usize>],
        catalog: &'static Catalog,
    ) {
        for range in comments {
            let Some(comment) = self.text.get(range.clone()) else {
                continue;
            };
            if !comment.contains("aoai-lint:") && !comment.contains("checkov:skip") {
                continue;
            }
            let line = self.line_col(range.start).line;
            if let Some(directive) = suppress::parse(comment, range.clone(), line, catalog) {
                self.directives.push(directive);
            }
        }
    }

    pub fn line_col(&self, offset: usize) -> crate::source::LineCol {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }

    /// A span of this file, as shown: `display` is its path in output.
    pub fn locate(&self, display: &Arc<str>, span: &Span) -> Location {
        let start = self.line_col(span.range.start);
        let end = self.line_col(span.range.end);
        Location {
            file: display.clone(),
            start,
            end,
            offset: span.range.start,
            length: span.range.end.saturating_sub(span.range.start),
        }
    }
}

/// Why a file could not be read.
pub struct ReadError {
    pub message: String,
    /// (line, column, byte offset) of the problem, when inside the file.
    pub position: Option<(usize, usize, usize)>,
}

/// A file's text: `stdin`'s buffer when it stands for `path` (an editor's `--stdin-filename`),
/// else the file on disk.
pub fn read_source(path: &Path, stdin: Option<&(PathBuf, String)>) -> Result<String, ReadError> {
    match stdin {
        Some((buffer, text)) if lexical_normalize(buffer) == lexical_normalize(path) => {
            Ok(text.clone())
        }
        _ => read_text(path),
    }
}

/// A file's text, counted as one read.
pub fn read_text(path: &std::path::Path) -> Result<String, ReadError> {
    crate::stats::file_read();
    let bytes = std::fs::read(path).map_err(|e| ReadError {
        message: format!("cannot read file: {e}"),
        position: None,
    })?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        // Valid up to `valid` by definition, so this prefix always converts.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let position = LineIndex::new(prefix).line_col(prefix, valid);
        ReadError {
            message: format!("file is not valid UTF-8 (invalid byte at offset {valid})"),
            position: Some((position.line, position.column, valid)),
        }
    })
}
