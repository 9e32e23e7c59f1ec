//! The JSON report. Its schema is a contract scripts depend on: fields may be added, never
//! removed or changed. `version` changes only on a breaking change.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::Report;
use crate::finding::{Finding, Level, Outcome};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

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
    attribute: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    related: Vec<JsonRelated<'a>>,
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
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    resources: usize,
    findings: usize,
    errors: usize,
    by_level: ByLevel,
    unknown: usize,
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
        url: &f.url,
        resource: &f.resource,
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
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let count = |level| report.findings.iter().filter(|f| f.level == level).count();
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(finding).collect(),
        errors: report
            .errors
            .iter()
            .map(|e| JsonError {
                file: &e.file,
                line: e.line,
                column: e.column,
                message: &e.message,
            })
            .collect(),
        summary: Summary {
            files: report.summary.files,
            resources: report.summary.resources,
            findings: report.summary.findings,
            errors: report.summary.errors,
            by_level: ByLevel {
                error: count(Level::Error),
                warning: count(Level::Warning),
                note: count(Level::Note),
            },
            unknown: report
                .findings
                .iter()
                .filter(|f| f.outcome == Outcome::Unknown)
                .count(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
