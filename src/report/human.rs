//! miette's graphical diagnostics: a snippet per finding with the span labelled, related spans
//! (in other files too), the policy's help, then a summary line.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
};

use super::snippet::{Snippet, SourceText};
use super::{RenderOptions, Reporter, plural, suppression_note, terminal_safe};
use crate::finding::{FileError, Finding, Level, Location, Outcome};
use crate::finding::{ScopeReport, Summary};

pub struct Human<'w> {
    out: Box<dyn Write + 'w>,
    handler: GraphicalReportHandler,
    sources: Sources,
    quiet: bool,
}

impl<'w> Human<'w> {
    pub fn new(out: Box<dyn Write + 'w>, options: RenderOptions) -> Self {
        let theme = if options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(options.color)
            .with_width(120)
            .with_break_words(false)
            // Related places under the finding, without an empty "Advice:" header of their own.
            .with_show_related_as_nested(true);
        Human {
            out,
            handler,
            sources: Sources::default(),
            quiet: options.quiet,
        }
    }

    /// The lines of `primary` and of `others` in the same file, cut to what is shown.
    fn snippet(&mut self, primary: &Location, others: &[&Location]) -> Option<Snippet> {
        let text = self.sources.get(&primary.file)?;
        let spans: Vec<std::ops::Range<usize>> = std::iter::once(primary)
            .chain(others.iter().copied())
            .map(|l| l.offset..l.offset + l.length)
            .collect();
        Some(Snippet::new(&primary.file, &text, &spans, primary.offset))
    }

    fn render(&mut self, diagnostic: &dyn Diagnostic) -> io::Result<()> {
        let mut text = String::new();
        self.handler
            .render_report(&mut text, diagnostic)
            .map_err(io::Error::other)?;
        writeln!(self.out, "{text}")
    }
}

impl Reporter for Human<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        self.sources.load(scope);
        for error in &scope.errors {
            let source = error.offset.and_then(|offset| {
                let text = self.sources.get(&error.file)?;
                let span = offset..offset;
                Some(Snippet::new(
                    &error.file,
                    &text,
                    std::slice::from_ref(&span),
                    offset,
                ))
            });
            self.render(&ErrorDiagnostic { error, source })?;
        }
        for finding in scope.findings.iter().chain(&scope.suppressed) {
            let related = finding
                .related
                .iter()
                .filter(|r| r.location.file != finding.location.file)
                .map(|r| RelatedDiagnostic {
                    message: terminal_safe(&r.message).into_owned(),
                    location: r.location.clone(),
                    source: self.snippet(&r.location, &[]),
                })
                .collect();
            let same_file: Vec<&Location> = finding
                .related
                .iter()
                .map(|r| &r.location)
                .filter(|l| l.file == finding.location.file)
                .collect();
            let source = self.snippet(&finding.location, &same_file);
            self.render(&FindingDiagnostic {
                finding,
                source,
                related,
            })?;
        }
        // Sources are only needed within a scope: keep memory flat on large trees.
        self.sources.cache.clear();
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if !self.quiet {
            writeln!(self.out, "{}", summary_line(summary))?;
        }
        self.out.flush()
    }
}

fn summary_line(summary: &Summary) -> String {
    let scanned = format!(
        "{} checked, {} found",
        plural(summary.files, "file"),
        plural(summary.resources, "resource")
    );
    let mut line = if summary.findings == 0 {
        format!("No findings ({scanned})")
    } else {
        let mut counts = vec![
            plural(summary.errors_level, "error"),
            plural(summary.warnings, "warning"),
            plural(summary.notes, "note"),
        ];
        if summary.unknown > 0 {
            counts.push(format!("{} of them unknown", summary.unknown));
        }
        format!(
            "{}: {} ({scanned})",
            plural(summary.findings, "finding"),
            counts.join(", ")
        )
    };
    if summary.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", summary.suppressed));
    }
    if summary.baselined > 0 || summary.baseline_fixed > 0 {
        line.push_str(&format!(
            "; {} in the baseline, {} baseline {} fixed",
            summary.baselined,
            summary.baseline_fixed,
            if summary.baseline_fixed == 1 {
                "entry"
            } else {
                "entries"
            }
        ));
    }
    if summary.errors > 0 {
        line.push_str(&format!(
            "; {} could not be read or parsed",
            plural(summary.errors, "file")
        ));
    }
    line
}

/// The texts of one scope's files, from the engine (what was linted, not what is on disk now),
/// with their line starts computed once per file.
#[derive(Default)]
struct Sources {
    cache: HashMap<Arc<str>, Arc<SourceText>>,
}

impl Sources {
    fn load(&mut self, scope: &ScopeReport) {
        self.cache.clear();
        for (file, text) in &scope.sources {
            let source = Arc::new(SourceText::new(text.clone()));
            self.cache.insert(file.clone(), source);
        }
    }

    fn get(&self, file: &str) -> Option<Arc<SourceText>> {
        self.cache.get(file).cloned()
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<Snippet>,
    related: Vec<RelatedDiagnostic>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = self.finding;
        write!(
            f,
            "{} ({})",
            terminal_safe(&finding.message),
            terminal_safe(&finding.resources_shown())
        )
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let finding = self.finding;
        let unknown = if finding.outcome == Outcome::Unknown {
            " (unknown)"
        } else {
            ""
        };
        Some(Box::new(format!(
            "{}[{}] {}{unknown}{}",
            finding.level.as_str(),
            finding.rule,
            finding.name,
            suppression_note(finding)
        )))
    }

    fn severity(&self) -> Option<Severity> {
        Some(severity(self.finding.level))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.help))
    }

    /// Shown after the code, so it never wraps; a hyperlink on the code in color terminals.
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.url))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let finding = self.finding;
        let source = self.source.as_ref()?;
        let primary = source.span(finding.location.offset, finding.location.length)?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(terminal_safe(&finding.label).into_owned()),
            primary,
        )];
        for related in finding
            .related
            .iter()
            .filter(|r| r.location.file == finding.location.file)
        {
            if let Some(span) = source.span(related.location.offset, related.location.length) {
                labels.push(LabeledSpan::new_with_span(
                    Some(terminal_safe(&related.message).into_owned()),
                    span,
                ));
            }
        }
        Some(Box::new(labels.into_iter()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Advice,
    }
}

/// A related span in another file, shown under its finding.
#[derive(Debug)]
struct RelatedDiagnostic {
    message: String,
    location: Location,
    source: Option<Snippet>,
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}:{})",
            self.message,
            terminal_safe(&self.location.file),
            self.location.start.line
        )
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let source = self.source.as_ref()?;
        let span = source.span(self.location.offset, self.location.length)?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, span),
        )))
    }
}

struct ErrorDiagnostic<'a> {
    error: &'a FileError,
    source: Option<Snippet>,
}

impl fmt::Debug for ErrorDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorDiagnostic")
            .field("file", &self.error.file)
            .finish()
    }
}

impl fmt::Display for ErrorDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let error = self.error;
        write!(
            f,
            "{}: {}",
            terminal_safe(&error.file),
            terminal_safe(&error.message)
        )
    }
}

impl std::error::Error for ErrorDiagnostic<'_> {}

impl Diagnostic for ErrorDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("{}-error", self.error.kind())))
    }

    fn severity(&self) -> Option<Severity> {
        Some(Severity::Error)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(
            "this file was skipped; the other files were still linted",
        ))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.error.offset?;
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.source.as_ref()?.span(self.error.offset?, 0)?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".into()), span),
        )))
    }
}
