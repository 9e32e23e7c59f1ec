//! The JSON report. Its schema is a contract scripts depend on: fields may be added, never
//! removed or changed. `version` changes only on a breaking change.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::Reporter;
use crate::finding::{FileError, Finding, Level, Outcome};
use crate::finding::{ScopeReport, Summary};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    level: Level,
    outcome: Outcome,
    message: &'a str,
    help: &'a str,
    url: &'a str,
    resource: &'a str,
    /// The other callers of a shared module the finding holds for (absent when none).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    also_for: &'a [String],
    attribute: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    related: Vec<JsonRelated<'a>>,
    /// The reason of the suppression comment, for suppressed findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    /// `error` for a file linted itself (the run exits 2), `warning` for one read only as
    /// context for the files given.
    severity: Level,
    /// The files given a context file was read for (absent for files linted themselves).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    context_for: Vec<&'a str>,
}

impl<'a> JsonError<'a> {
    fn new(error: &'a FileError, context_for: &'a [Arc<str>]) -> Self {
        JsonError {
            file: &error.file,
            line: error.line,
            column: error.column,
            message: &error.message,
            severity: match context_for.is_empty() {
                true => Level::Error,
                false => Level::Warning,
            },
            context_for: context_for.iter().map(AsRef::as_ref).collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    resources: usize,
    accounts: usize,
    findings: usize,
    errors: usize,
    /// Files read only as context that do not parse (warnings, in `errors` too).
    context_errors: usize,
    by_level: ByLevel,
    unknown: usize,
    suppressed: usize,
    baselined: usize,
    baseline_fixed: usize,
}

#[derive(Serialize)]
struct ByLevel {
    error: usize,
    warning: usize,
    note: usize,
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: f.rule,
        name: f.name,
        level: f.level,
        outcome: f.outcome,
        message: &f.message,
        help: &f.help,
        url: f.url,
        resource: &f.resource,
        also_for: &f.also_for,
        attribute: &f.attribute,
        file: &f.location.file,
        line: f.location.start.line,
        column: f.location.start.column,
        end_line: f.location.end.line,
        end_column: f.location.end.column,
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                message: &r.message,
                file: &r.location.file,
                line: r.location.start.line,
                column: r.location.start.column,
                end_line: r.location.end.line,
                end_column: r.location.end.column,
            })
            .collect(),
        suppressed: f.suppressed.as_deref(),
    }
}

/// Streams the document: one finding per line inside the usual JSON structure, so the output
/// is valid JSON, greppable and diff-friendly. Errors are few and come after the findings.
pub struct Json<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
    findings_written: usize,
    errors: Vec<FileError>,
    /// Suppressed findings (with `--show-suppressed`), written after the findings.
    suppressed: Vec<Finding>,
}

impl<'w> Json<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Json {
            out,
            started: false,
            findings_written: 0,
            errors: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                self.out,
                "{{\n  \"version\": {SCHEMA_VERSION},\n  \"tool\": {{\"name\": {:?}, \"version\": {:?}}},\n  \"findings\": [",
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
            )?;
        }
        Ok(())
    }
}

impl Reporter for Json<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        self.start()?;
        for f in &scope.findings {
            let separator = if self.findings_written == 0 {
                "\n    "
            } else {
                ",\n    "
            };
            self.out.write_all(separator.as_bytes())?;
            serde_json::to_writer(&mut self.out, &finding(f))?;
            self.findings_written += 1;
        }
        self.errors.extend(scope.errors.iter().cloned());
        self.suppressed.extend(scope.suppressed.iter().cloned());
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        let close = if self.findings_written == 0 {
            "],\n"
        } else {
            "\n  ],\n"
        };
        self.out.write_all(close.as_bytes())?;
        let own = self.errors.iter().map(|e| JsonError::new(e, &[]));
        let context =
            (summary.context_errors.iter()).map(|c| JsonError::new(&c.error, &c.context_for));
        let errors: Vec<_> = own.chain(context).collect();
        write!(self.out, "  \"errors\": ")?;
        serde_json::to_writer(&mut self.out, &errors)?;
        if !self.suppressed.is_empty() {
            let suppressed: Vec<_> = self.suppressed.iter().map(finding).collect();
            write!(self.out, ",\n  \"suppressed\": ")?;
            serde_json::to_writer(&mut self.out, &suppressed)?;
        }
        let summary = JsonSummary {
            files: summary.files,
            resources: summary.resources,
            accounts: summary.accounts,
            findings: summary.findings,
            errors: summary.errors,
            context_errors: summary.context_errors.len(),
            by_level: ByLevel {
                error: summary.errors_level,
                warning: summary.warnings,
                note: summary.notes,
            },
            unknown: summary.unknown,
            suppressed: summary.suppressed,
            baselined: summary.baselined,
            baseline_fixed: summary.baseline_fixed,
        };
        write!(self.out, ",\n  \"summary\": ")?;
        serde_json::to_writer(&mut self.out, &summary)?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}
