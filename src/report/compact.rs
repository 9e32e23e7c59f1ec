//! `path:line:col: level[ID] message`, one line each: editors and terminals make it clickable.

use std::io::{self, Write};

use crate::engine::Report;
use crate::finding::Outcome;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for error in &report.errors {
        writeln!(
            out,
            "{}:{}:{}: error[parse] {}",
            error.file, error.line, error.column, error.message
        )?;
    }
    for finding in &report.findings {
        let unknown = if finding.outcome == Outcome::Unknown {
            " (unknown)"
        } else {
            ""
        };
        writeln!(
            out,
            "{}:{}:{}: {}[{}]{unknown} {} [{}]",
            finding.location.file,
            finding.location.start.line,
            finding.location.start.column,
            finding.level.as_str(),
            finding.rule,
            finding.message,
            finding.resource,
        )?;
    }
    Ok(())
}
