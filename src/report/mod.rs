//! Reporters: one file per output format. Each receives the sorted report of one scope at a
//! time, then the summary, so output starts early and memory stays flat on large trees.

mod compact;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod snippet;
mod terminal;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::finding::{Finding, ScopeReport, Summary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets.
    Human,
    /// One line per finding: `path:line:col: level[ID] message`.
    Compact,
    /// Versioned JSON document (schema in README.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and Azure DevOps.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// JUnit XML: a test case per resource and rule checked.
    Junit,
}

#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub color: bool,
    /// Where the displayed paths are relative to (SARIF's `%SRCROOT%`).
    pub cwd: PathBuf,
    /// The Azure DevOps pipeline run this is, when it is one (SARIF `automationDetails`).
    pub azure_pipeline: Option<AzurePipeline>,
    /// `--quiet`: findings and errors only, no summary line.
    pub quiet: bool,
}

pub use sarif::AzurePipeline;
pub(crate) use snippet::{Snippet, SourceText};
pub use terminal::terminal_safe;

pub trait Reporter {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

pub fn reporter<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    options: RenderOptions,
) -> Box<dyn Reporter + 'w> {
    match format {
        Format::Human => Box::new(human::Human::new(out, options)),
        Format::Compact => Box::new(compact::Compact { out }),
        Format::Json => Box::new(json::Json::new(out)),
        Format::Sarif => Box::new(sarif::Sarif::new(out, options)),
        Format::Github => Box::new(github::Github { out }),
        Format::Junit => Box::new(junit::Junit::new(out)),
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

/// ` (suppressed: reason)` after a suppressed finding's level, the reason terminal-safe (it is
/// the comment's text); empty for others.
fn suppression_note(finding: &Finding) -> String {
    match &finding.suppressed {
        Some(reason) if reason.is_empty() => " (suppressed)".to_string(),
        Some(reason) => format!(" (suppressed: {})", terminal_safe(reason)),
        None => String::new(),
    }
}
