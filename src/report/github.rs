//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request's
//! diff (`::error file=...,line=...::message`).

use std::io::{self, Write};

use super::{Reporter, terminal_safe};
use crate::finding::{Level, Outcome};
use crate::finding::{ScopeReport, Summary};

pub struct Github<'w> {
    pub out: Box<dyn Write + 'w>,
}

/// The annotation command of a level.
fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// Escapes a message: `%`, CR and LF (the runner's rules for command data). Text from files
/// is made [`terminal_safe`] before: the runner's log shows it raw.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        for error in &scope.errors {
            writeln!(
                self.out,
                "::error file={},line={},col={},title={}::{}",
                escape_property(&terminal_safe(&error.file)),
                error.line.max(1),
                error.column.max(1),
                escape_property("aoai-lint: file not linted"),
                escape_data(&terminal_safe(&error.message)),
            )?;
        }
        for finding in &scope.findings {
            let unknown = if finding.outcome == Outcome::Unknown {
                "(unknown) "
            } else {
                ""
            };
            let location = &finding.location;
            writeln!(
                self.out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                command(finding.level),
                escape_property(&terminal_safe(&location.file)),
                location.start.line,
                location.start.column,
                location.end.line,
                location.end.column,
                escape_property(&format!("{} {}", finding.rule, finding.name)),
                escape_data(&format!(
                    "{unknown}{} [{}]\n{}",
                    terminal_safe(&finding.message),
                    terminal_safe(&finding.resources_shown()),
                    finding.help
                )),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
