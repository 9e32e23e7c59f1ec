//! The pipeline for one run: discover -> per scope (in parallel): read, parse, model, link,
//! rules, locate -> one sorted report.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::UnknownLevel;
use crate::discover::{Discovered, Scope, discover, exclude_set};
use crate::error::Error;
use crate::finding::{FileError, Finding, Level, Location, Outcome, Related};
use crate::frontend::{FileKind, SyntaxError, terraform};
use crate::model::Model;
use crate::policy::{Catalog, catalog};
use crate::resolve::Links;
use crate::rules::{self, Context, Findings, RawFinding};
use crate::source::{FileId, LineIndex, Span};

/// Everything a run needs, already merged from defaults, config file and flags.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// Paths in output are shown relative to this directory.
    pub cwd: PathBuf,
    pub exclude: Vec<String>,
    /// Worker threads; `None` = one per core.
    pub jobs: Option<usize>,
    pub approved_regions: Option<Vec<String>>,
    pub unknown_level: UnknownLevel,
    /// IDs of the rules to run.
    pub rules: BTreeSet<&'static str>,
    /// Level overrides by rule ID; others use their policy's severity.
    pub levels: HashMap<String, Level>,
}

impl Options {
    pub fn new(paths: Vec<PathBuf>, cwd: PathBuf) -> Self {
        Options {
            paths,
            cwd,
            exclude: Vec::new(),
            jobs: None,
            approved_regions: None,
            unknown_level: UnknownLevel::Level(Level::Note),
            rules: rules::all().iter().map(|rule| rule.id()).collect(),
            levels: HashMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub resources: usize,
    pub findings: usize,
    pub errors: usize,
}

/// The complete, sorted result of a run: what every reporter prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub summary: Summary,
}

impl Report {
    pub fn max_level(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }
}

pub fn lint(options: &Options) -> Result<Report, Error> {
    let excludes = exclude_set(&options.exclude)?;
    let discovered = discover(&options.paths, &excludes, &options.cwd)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        // Generous stacks: parsers and evaluation recurse on nested input.
        .stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let catalog = catalog();
    let outputs: Vec<ScopeOutput> = pool.install(|| {
        discovered
            .scopes
            .par_iter()
            .map(|scope| lint_scope(scope, &discovered, options, catalog))
            .collect()
    });

    let mut report = Report {
        errors: discovered.errors.clone(),
        ..Report::default()
    };
    report.summary.files = discovered.files.iter().filter(|f| f.target).count();
    for output in outputs {
        report.findings.extend(output.findings);
        report.errors.extend(output.errors);
        report.summary.resources += output.resources;
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report.errors.sort();
    report.summary.findings = report.findings.len();
    report.summary.errors = report.errors.len();
    Ok(report)
}

#[derive(Default)]
struct ScopeOutput {
    findings: Vec<Finding>,
    errors: Vec<FileError>,
    resources: usize,
}

/// A file's text, kept while its scope is linted to turn spans into lines and columns.
struct LoadedFile {
    id: FileId,
    text: String,
    lines: LineIndex,
}

fn lint_scope(
    scope: &Scope,
    discovered: &Discovered,
    options: &Options,
    catalog: &'static Catalog,
) -> ScopeOutput {
    let mut output = ScopeOutput::default();
    let loaded: Vec<(LoadedFile, Result<terraform::ParsedFile, FileError>)> = scope
        .files
        .par_iter()
        .filter_map(|&id| {
            let file = discovered.file(id);
            debug_assert_eq!(file.kind, FileKind::Terraform);
            let (text, lines) = match read_text(&file.path) {
                Ok(text) => {
                    let lines = LineIndex::new(&text);
                    (text, lines)
                }
                Err(error) => {
                    // Context files that cannot be read are not the user's concern here.
                    return file.target.then(|| {
                        let (line, column, offset) = error.position.unwrap_or((0, 0, 0));
                        let error = FileError {
                            file: file.display.clone(),
                            line,
                            column,
                            message: error.message,
                            offset: error.position.map(|_| offset),
                        };
                        let empty = LoadedFile {
                            id,
                            text: String::new(),
                            lines: LineIndex::new(""),
                        };
                        (empty, Err(error))
                    });
                }
            };
            let parsed = terraform::parse(&text).map(|body| terraform::ParsedFile { id, body });
            let parsed = parsed.map_err(|SyntaxError { offset, message }| {
                let position = lines.line_col(&text, offset);
                FileError {
                    file: file.display.clone(),
                    line: position.line,
                    column: position.column,
                    message: format!("syntax error: {message}"),
                    offset: Some(offset),
                }
            });
            Some((LoadedFile { id, text, lines }, parsed))
        })
        .collect();

    let mut files = Vec::with_capacity(loaded.len());
    let mut parsed = Vec::with_capacity(loaded.len());
    for (file, result) in loaded {
        match result {
            Ok(body) => parsed.push(body),
            Err(error) if discovered.file(file.id).target => output.errors.push(error),
            Err(_) => {}
        }
        files.push(file);
    }

    let model = terraform::build_model(&parsed);
    drop(parsed);
    output.resources = model.resource_count();
    let raw = run_rules(&model, options, catalog);
    let locate = |span: &Span| -> Option<Location> {
        let file = files.iter().find(|f| f.id == span.file)?;
        let display = &discovered.file(span.file).display;
        Some(locate(display, file, span))
    };
    for finding in raw {
        if !discovered.file(finding.span.file).target {
            continue;
        }
        let Some(location) = locate(&finding.span) else {
            continue;
        };
        let Some(policy) = catalog.find(finding.rule) else {
            continue;
        };
        let level = match finding.outcome {
            Outcome::Fail => options
                .levels
                .get(finding.rule)
                .copied()
                .unwrap_or(policy.severity),
            Outcome::Unknown => match options.unknown_level {
                UnknownLevel::Level(level) => level,
                UnknownLevel::Ignore => continue,
            },
        };
        let related = finding
            .related
            .iter()
            .filter_map(|(span, message)| {
                Some(Related {
                    location: locate(span)?,
                    message: message.clone(),
                })
            })
            .collect();
        output.findings.push(Finding {
            rule: finding.rule,
            name: rule_name(catalog, finding.rule),
            level,
            outcome: finding.outcome,
            message: finding.message,
            help: policy.remediation_for(finding.language).trim().to_string(),
            url: policy.references.learn.clone(),
            resource: finding.resource,
            attribute: finding.attribute,
            location,
            label: finding.label,
            related,
        });
    }
    output
}

fn run_rules(model: &Model, options: &Options, catalog: &'static Catalog) -> Vec<RawFinding> {
    let links = Links::new(model);
    let cx = Context {
        model,
        links: &links,
        catalog,
        approved_regions: options.approved_regions.as_deref(),
    };
    let mut raw = Vec::new();
    for rule in rules::all()
        .iter()
        .filter(|rule| options.rules.contains(rule.id()))
    {
        let mut findings = Findings::new(rule.id());
        rule.check(&cx, &mut findings);
        raw.extend(findings.into_vec());
    }
    raw
}

fn rule_name(catalog: &'static Catalog, id: &str) -> &'static str {
    catalog.find(id).map_or("", |policy| policy.name.as_str())
}

fn locate(display: &str, file: &LoadedFile, span: &Span) -> Location {
    let start = file.lines.line_col(&file.text, span.range.start);
    let end = file.lines.line_col(&file.text, span.range.end);
    Location {
        file: display.to_string(),
        start,
        end,
        offset: span.range.start,
        length: span.range.end.saturating_sub(span.range.start),
    }
}

struct ReadError {
    message: String,
    /// (line, column, byte offset) of the problem, when inside the file.
    position: Option<(usize, usize, usize)>,
}

fn read_text(path: &std::path::Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError {
        message: format!("cannot read file: {e}"),
        position: None,
    })?;
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        // Valid up to `valid` by definition, so this prefix always converts.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let position = LineIndex::new(prefix).line_col(prefix, valid);
        ReadError {
            message: format!("file is not valid UTF-8 (invalid byte at offset {valid})"),
            position: Some((position.line, position.column, valid)),
        }
    })
}
