//! Reporters: one file per output format. Each receives the sorted report of one scope at a
//! time, then the summary, so output starts early and memory stays flat on large trees.

mod checkstyle;
mod compact;
mod fingerprint;
mod github;
mod gitlab;
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
    /// Versioned JSON document (schema in docs/output-formats.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and Azure DevOps.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// JUnit XML: a test case per resource and rule checked.
    Junit,
    /// GitLab Code Quality JSON (`artifacts:reports:codequality`).
    Gitlab,
    /// Checkstyle XML (Jenkins warnings-ng, reviewdog).
    Checkstyle,
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
        Format::Gitlab => Box::new(gitlab::Gitlab::new(out)),
        Format::Checkstyle => Box::new(checkstyle::Checkstyle::new(out)),
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

/// Escapes text for XML attributes and content, made [`terminal_safe`] first: XML 1.0 cannot
/// hold most control characters, and dashboards and terminals show the others raw.
fn xml(text: &str) -> String {
    let safe = terminal_safe(text);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            xml("a<b & \"c\"\n\u{1}\u{1b}[8m"),
            "a&lt;b &amp; &quot;c&quot;\\u{a}\\u{1}\\u{1b}[8m"
        );
    }
}
