//! `path:line:col: level[ID] message`, one line each: editors and terminals make it clickable.

use std::io::{self, Write};

use super::Reporter;
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
                error.place(),
                error.kind(),
                error.message
            )?;
        }
        for finding in scope.findings.iter().chain(&scope.suppressed) {
            let unknown = if finding.outcome == Outcome::Unknown {
                " (unknown)"
            } else {
                ""
            };
            let suppressed = match &finding.suppressed {
                Some(reason) if reason.is_empty() => " (suppressed)".to_string(),
                Some(reason) => format!(" (suppressed: {reason})"),
                None => String::new(),
            };
            let resource = if finding.resource.is_empty() {
                String::new()
            } else {
                format!(" [{}]", finding.resources_shown())
            };
            writeln!(
                self.out,
                "{}:{}:{}: {}[{}]{unknown}{suppressed} {}{resource}",
                finding.location.file,
                finding.location.start.line,
                finding.location.start.column,
                finding.level.as_str(),
                finding.rule,
                finding.message,
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
