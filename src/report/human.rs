//! miette's graphical diagnostics: a snippet per finding with the span labelled, related spans
//! (in other files too), the policy's help, then a summary line.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use super::{RenderOptions, Reporter, plural};
use crate::engine::{ScopeReport, Summary};
use crate::finding::{FileError, Finding, Level, Location, Outcome};

pub struct Human<'w> {
    out: Box<dyn Write + 'w>,
    handler: GraphicalReportHandler,
    sources: Sources,
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
            .with_break_words(false);
        Human {
            out,
            handler,
            sources: Sources {
                cwd: options.cwd,
                cache: HashMap::new(),
            },
        }
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
        for error in &scope.errors {
            let source = self.sources.get(&error.file);
            self.render(&ErrorDiagnostic { error, source })?;
        }
        for finding in scope.findings.iter().chain(&scope.suppressed) {
            let related = finding
                .related
                .iter()
                .filter(|r| r.location.file != finding.location.file)
                .map(|r| RelatedDiagnostic {
                    message: r.message.clone(),
                    location: r.location.clone(),
                    source: self.sources.get(&r.location.file),
                })
                .collect();
            let source = self.sources.get(&finding.location.file);
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
        writeln!(self.out, "{}", summary_line(summary))?;
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

/// Source texts for snippets, read back from disk once per file: the engine does not keep the
/// text of every file in memory.
struct Sources {
    cwd: std::path::PathBuf,
    cache: HashMap<String, Option<NamedSource<Arc<str>>>>,
}

impl Sources {
    fn get(&mut self, file: &str) -> Option<NamedSource<Arc<str>>> {
        let cwd = &self.cwd;
        self.cache
            .entry(file.to_string())
            .or_insert_with(|| {
                let bytes = std::fs::read(cwd.join(file)).ok()?;
                let text: Arc<str> = String::from_utf8_lossy(&bytes).into();
                Some(NamedSource::new(file, text))
            })
            .clone()
    }
}

/// A span clamped to the text, in case the file changed since it was linted.
fn clamped_span(
    source: &Option<NamedSource<Arc<str>>>,
    offset: usize,
    length: usize,
) -> Option<(usize, usize)> {
    let text = source.as_ref()?.inner();
    let start = crate::source::clamp_to_char_boundary(text, offset);
    let end = crate::source::clamp_to_char_boundary(text, offset + length);
    Some((start, end - start))
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<Arc<str>>>,
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
        write!(f, "{} ({})", finding.message, finding.resource)
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
        let suppressed = match &finding.suppressed {
            Some(reason) if reason.is_empty() => " (suppressed)".to_string(),
            Some(reason) => format!(" (suppressed: {reason})"),
            None => String::new(),
        };
        Some(Box::new(format!(
            "{}[{}]{unknown}{suppressed}",
            finding.rule, finding.name
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
        let primary = clamped_span(
            &self.source,
            finding.location.offset,
            finding.location.length,
        )?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(finding.label.clone()),
            primary,
        )];
        for related in finding
            .related
            .iter()
            .filter(|r| r.location.file == finding.location.file)
        {
            if let Some(span) = clamped_span(
                &self.source,
                related.location.offset,
                related.location.length,
            ) {
                labels.push(LabeledSpan::new_with_span(
                    Some(related.message.clone()),
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
    source: Option<NamedSource<Arc<str>>>,
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}:{})",
            self.message, self.location.file, self.location.start.line
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
        let span = clamped_span(&self.source, self.location.offset, self.location.length)?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, span),
        )))
    }
}

struct ErrorDiagnostic<'a> {
    error: &'a FileError,
    source: Option<NamedSource<Arc<str>>>,
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
        write!(f, "{}: {}", self.error.file, self.error.message)
    }
}

impl std::error::Error for ErrorDiagnostic<'_> {}

impl Diagnostic for ErrorDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new("parse-error"))
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
        let span = clamped_span(&self.source, self.error.offset?, 0)?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".into()), span),
        )))
    }
}
