//! `path:line:col: level[ID] message`, one line each: editors and terminals make it clickable.

use std::io::{self, Write};

use super::{Reporter, suppression_note, terminal_safe};
use crate::finding::Outcome;
use crate::finding::{ScopeReport, Summary};

pub struct Compact<'w> {
    pub out: Box<dyn Write + 'w>,
}

impl Reporter for Compact<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        for error in &scope.errors {
            writeln!(
                self.out,
                "{}: error[{}] {}",
                terminal_safe(&error.place()),
                error.kind(),
                terminal_safe(&error.message)
            )?;
        }
        for finding in scope.findings.iter().chain(&scope.suppressed) {
            let unknown = if finding.outcome == Outcome::Unknown {
                " (unknown)"
            } else {
                ""
            };
            let resource = if finding.resource.is_empty() {
                String::new()
            } else {
                format!(" [{}]", terminal_safe(&finding.resources_shown()))
            };
            writeln!(
                self.out,
                "{}:{}:{}: {}[{}]{unknown}{} {}{resource}",
                terminal_safe(&finding.location.file),
                finding.location.start.line,
                finding.location.start.column,
                finding.level.as_str(),
                finding.rule,
                suppression_note(finding),
                terminal_safe(&finding.message),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
