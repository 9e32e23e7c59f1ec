//! Reporters: one file per output format, all over the same sorted [`Report`].

mod compact;
mod human;
mod json;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::engine::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets.
    Human,
    /// One line per finding: `path:line:col: level[ID] message`.
    Compact,
    /// Versioned JSON document (schema in README.md).
    Json,
}

pub struct RenderOptions {
    pub color: bool,
    /// Where the displayed paths are relative to, to read source snippets back.
    pub cwd: PathBuf,
}

pub fn write(
    report: &Report,
    format: Format,
    out: &mut dyn Write,
    options: &RenderOptions,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, out, options),
        Format::Compact => compact::write(report, out),
        Format::Json => json::write(report, out),
    }
}

/// "1 error", "2 warnings": counts with the right plural.
fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}
