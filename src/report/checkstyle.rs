//! Checkstyle XML, as Jenkins' warnings-ng, reviewdog and SonarQube's external issues read it
//! (tflint and golangci-lint write the same): `<checkstyle>` holds a `<file name>` per file
//! with an `<error line column severity message source>` per finding. Files that could not
//! be read or parsed get an error of their own.

use std::io::{self, Write};

use super::{Reporter, xml};
use crate::finding::{FileError, Finding, Level, Outcome, ScopeReport, Summary};

/// The format version tools write and readers expect.
const VERSION: &str = "4.3";

pub struct Checkstyle<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
}

impl<'w> Checkstyle<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Checkstyle {
            out,
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(self.out, "<checkstyle version=\"{VERSION}\">")?;
        }
        Ok(())
    }

    /// A `<file>` per run of findings in one file (a scope's findings are sorted by file; a
    /// module file another scope reads again gets a second element, which readers merge).
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for group in findings.chunk_by(|a, b| a.location.file == b.location.file) {
            writeln!(
                self.out,
                "  <file name=\"{}\">",
                xml(&group[0].location.file)
            )?;
            for finding in group {
                writeln!(self.out, "    {}", error_element(finding))?;
            }
            writeln!(self.out, "  </file>")?;
        }
        Ok(())
    }

    fn file_error(&mut self, error: &FileError) -> io::Result<()> {
        writeln!(self.out, "  <file name=\"{}\">", xml(&error.file))?;
        writeln!(
            self.out,
            "    <error line=\"{}\" column=\"{}\" severity=\"error\" message=\"{}\" source=\"aoai-lint.{}-error\"/>",
            error.line.max(1),
            error.column.max(1),
            xml(&format!("file not linted: {}", error.message)),
            error.kind()
        )?;
        writeln!(self.out, "  </file>")
    }
}

/// Checkstyle's severities are `error`, `warning`, `info` and `ignore`.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "info",
    }
}

/// `source` names the rule as checkers do (`aoai-lint.AOAI001`): readers group by it.
fn error_element(finding: &Finding) -> String {
    let unknown = match finding.outcome {
        Outcome::Unknown => "(unknown) ",
        Outcome::Fail => "",
    };
    let message = format!(
        "{unknown}{} ({})",
        finding.message,
        finding.resources_shown()
    );
    format!(
        "<error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"aoai-lint.{}\"/>",
        finding.location.start.line,
        finding.location.start.column,
        severity(finding.level),
        xml(&message),
        finding.rule
    )
}

impl Reporter for Checkstyle<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        self.start()?;
        // Suppressed findings are not listed: checkstyle has no way to show one as suppressed.
        self.findings(&scope.findings)?;
        scope.errors.iter().try_for_each(|e| self.file_error(e))
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</checkstyle>")?;
        self.out.flush()
    }
}
