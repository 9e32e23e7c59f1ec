//! GitLab Code Quality: a JSON array of issues (`artifacts:reports:codequality`), shown in the
//! merge request widget and on the diff. GitLab checks each issue against its schema
//! (`tests/data/gitlab-codeclimate.json`) and keeps one per `fingerprint`: the fingerprints are
//! SARIF's, unique in the report and stable while lines move. The issues are Code Climate's
//! too (`type`, `categories`). Files that could not be read or parsed are issues of their own.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Reporter;
use super::fingerprint::Fingerprints;
use crate::finding::{FileError, Finding, Level, Outcome, ScopeReport, Summary};

pub struct Gitlab<'w> {
    out: Box<dyn Write + 'w>,
    issues_written: usize,
    fingerprints: Fingerprints,
}

impl<'w> Gitlab<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Gitlab {
            out,
            issues_written: 0,
            fingerprints: Fingerprints::default(),
        }
    }

    /// One issue per line, after the array's opening bracket.
    fn write(&mut self, issue: &Value) -> io::Result<()> {
        let separator = match self.issues_written {
            0 => "[\n  ",
            _ => ",\n  ",
        };
        self.out.write_all(separator.as_bytes())?;
        serde_json::to_writer(&mut self.out, issue)?;
        self.issues_written += 1;
        Ok(())
    }
}

/// GitLab's severities are `info`, `minor`, `major`, `critical` and `blocker`.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "critical",
        Level::Warning => "major",
        Level::Note => "minor",
    }
}

fn issue(finding: &Finding, fingerprint: String) -> Value {
    let unknown = match finding.outcome {
        Outcome::Unknown => "(unknown) ",
        Outcome::Fail => "",
    };
    let location = &finding.location;
    json!({
        "type": "issue",
        "check_name": finding.rule,
        "description": format!(
            "{}: {unknown}{} ({})",
            finding.rule,
            finding.message,
            finding.resources_shown()
        ),
        "content": { "body": &*finding.help },
        "categories": ["Security"],
        "fingerprint": fingerprint,
        "severity": severity(finding.level),
        "location": {
            "path": &*location.file,
            "lines": { "begin": location.start.line, "end": location.end.line },
        },
    })
}

/// A file not linted fails the run (exit 2): the most severe issue.
fn error_issue(error: &FileError, fingerprint: String) -> Value {
    json!({
        "type": "issue",
        "check_name": format!("aoai-lint/{}-error", error.kind()),
        "description": format!("file not linted: {}", error.message),
        "categories": ["Bug Risk"],
        "fingerprint": fingerprint,
        "severity": "blocker",
        "location": {
            "path": &*error.file,
            "lines": { "begin": error.line.max(1) },
        },
    })
}

impl Reporter for Gitlab<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        // Suppressed findings are not listed: GitLab has no way to show one as suppressed.
        for finding in &scope.findings {
            let fingerprint = self.fingerprints.of(finding, scope);
            self.write(&issue(finding, fingerprint))?;
        }
        for error in &scope.errors {
            let fingerprint = self.fingerprints.of_error(error);
            self.write(&error_issue(error, fingerprint))?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let close = match self.issues_written {
            0 => "[]\n",
            _ => "\n]\n",
        };
        self.out.write_all(close.as_bytes())?;
        self.out.flush()
    }
}
