//! The pipeline for one run: discover -> per scope (in parallel): read, parse, model, link,
//! rules, locate -> one sorted report.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::UnknownLevel;
use crate::discover::{Discovered, Scope, discover, exclude_set};
use crate::error::Error;
use crate::finding::{FileError, Finding, Level, Location, Outcome, Related};
use crate::frontend::{FileKind, SyntaxError, arm, bicep, terraform};
use crate::module_graph::{CalledModules, called_modules};
use crate::policy::{Catalog, catalog};
use crate::rules;
use crate::source::{FileId, LineIndex, Span, display_path, lexical_normalize};

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
    /// `--var-file` files, applied in order after the auto-loaded `.tfvars`.
    pub var_files: Vec<PathBuf>,
    /// `--var name=value`, winning over every other value.
    pub vars: HashMap<String, String>,
    /// Report a module's findings once for every caller, even when they do not depend on it.
    pub per_caller: bool,
    /// List every check made, passes included, in [`ScopeReport::checks`] (for JUnit).
    pub list_checks: bool,
    /// `--location`: the region deployments go to, for `resourceGroup().location` in Bicep and
    /// ARM (normalized: `swedencentral`).
    pub location: Option<String>,
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
            var_files: Vec::new(),
            vars: HashMap::new(),
            location: None,
            per_caller: false,
            list_checks: false,
        }
    }
}

/// Counts over a whole run, accumulated as scopes are reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files linted (context-only siblings of explicitly given files are not counted).
    pub files: usize,
    /// Resources of the model (accounts and what attaches to them).
    pub resources: usize,
    /// Azure OpenAI capable accounts checked (declared in the tree, not `existing` ones).
    pub accounts: usize,
    pub findings: usize,
    pub errors: usize,
    pub errors_level: usize,
    pub warnings: usize,
    pub notes: usize,
    pub unknown: usize,
}

impl Summary {
    fn add(&mut self, scope: &ScopeReport) {
        self.files += scope.files;
        self.resources += scope.resources;
        self.accounts += scope.accounts;
        self.findings += scope.findings.len();
        self.errors += scope.errors.len();
        for finding in &scope.findings {
            match finding.level {
                Level::Error => self.errors_level += 1,
                Level::Warning => self.warnings += 1,
                Level::Note => self.notes += 1,
            }
            self.unknown += usize::from(finding.outcome == Outcome::Unknown);
        }
    }

    pub fn max_level(&self) -> Option<Level> {
        [
            (self.errors_level, Level::Error),
            (self.warnings, Level::Warning),
            (self.notes, Level::Note),
        ]
        .into_iter()
        .find(|(count, _)| *count > 0)
        .map(|(_, level)| level)
    }
}

/// The findings and errors of one scope (a directory), sorted: the unit reporters receive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeReport {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    /// Files linted (JSON that is not a template, and context-only siblings, do not count).
    pub files: usize,
    pub resources: usize,
    pub accounts: usize,
    /// Files outside the scope read because its module calls lead there: only findings in them
    /// can repeat in another scope.
    pub module_files: Vec<Arc<str>>,
    /// Every check made, when [`Options::list_checks`] asks for them.
    pub checks: Vec<Check>,
}

/// One resource checked by one rule, at the resource's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub rule: &'static str,
    pub resource: String,
    pub location: Location,
}

/// A whole run collected in memory: for the library API and tests. The command line streams
/// scopes to its reporters instead, so its memory does not grow with the size of the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub summary: Summary,
}

pub fn lint(options: &Options) -> Result<Report, Error> {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let summary = lint_streaming(options, &mut |scope: ScopeReport| {
        findings.extend(scope.findings);
        errors.extend(scope.errors);
        Ok(())
    })?;
    Ok(Report {
        findings,
        errors,
        summary,
    })
}

/// Scopes linted in parallel per batch: large enough to keep every core busy, small enough
/// that the findings waiting to be reported stay few.
const SCOPES_PER_BATCH: usize = 256;

/// Lints and hands each scope's report to `report`, in an order that does not depend on the
/// number of threads: scopes by directory, then findings by file, position and rule. Stops at
/// the first error `report` returns (e.g. a closed pipe).
pub fn lint_streaming(
    options: &Options,
    report: &mut dyn FnMut(ScopeReport) -> std::io::Result<()>,
) -> Result<Summary, Error> {
    let excludes = exclude_set(&options.exclude)?;
    let discovered = discover(&options.paths, &excludes, &options.cwd)?;
    let var_files = read_var_files(&options.var_files)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        // Generous stacks: parsers and evaluation recurse on nested input.
        .stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let catalog = catalog();
    let called = pool.install(|| called_modules(&discovered));

    let mut summary = Summary::default();
    // A module called from several roots is checked once per caller; a finding that does not
    // depend on the caller (same rule, place and message) is reported for the first only.
    let mut reported: std::collections::HashSet<(&'static str, Arc<str>, usize, String)> =
        std::collections::HashSet::new();
    let mut emit = |mut scope: ScopeReport| -> Result<(), Error> {
        if !options.per_caller && !scope.module_files.is_empty() {
            let module_files = &scope.module_files;
            scope.findings.retain(|f| {
                !module_files.contains(&f.location.file)
                    || reported.insert((
                        f.rule,
                        f.location.file.clone(),
                        f.location.offset,
                        f.message.clone(),
                    ))
            });
            scope.checks.retain(|c| {
                !module_files.contains(&c.location.file)
                    || reported.insert((
                        c.rule,
                        c.location.file.clone(),
                        c.location.offset,
                        c.resource.clone(),
                    ))
            });
        }
        summary.add(&scope);
        report(scope).map_err(Error::Output)
    };
    if !discovered.errors.is_empty() {
        emit(ScopeReport {
            errors: discovered.errors.clone(),
            ..ScopeReport::default()
        })?;
    }
    for batch in discovered.scopes.chunks(SCOPES_PER_BATCH) {
        let reports: Vec<ScopeReport> = pool.install(|| {
            batch
                .par_iter()
                .map(|scope| lint_scope(scope, &discovered, &called, options, &var_files, catalog))
                .collect()
        });
        for scope in reports {
            emit(scope)?;
        }
    }
    Ok(summary)
}

/// A file's text, kept while its scope is linted to turn spans into lines and columns.
struct LoadedFile {
    id: FileId,
    text: String,
    /// Built on first use: most files have no finding.
    lines: std::cell::OnceCell<LineIndex>,
}

impl LoadedFile {
    fn new(id: FileId, text: String) -> Self {
        LoadedFile {
            id,
            text,
            lines: std::cell::OnceCell::new(),
        }
    }

    fn line_col(&self, offset: usize) -> crate::source::LineCol {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }
}

/// A parsed file of any language.
enum Parsed {
    Terraform(terraform::ParsedFile),
    Bicep(bicep::BicepFile),
    Arm(arm::ArmFile),
    /// JSON that is not an ARM template or parameters file.
    NotIac,
}

fn mentions_arm_schema(text: &str) -> bool {
    const HOST: &[u8] = b"schema.management.azure.com";
    text.as_bytes()
        .windows(HOST.len())
        .any(|window| window.eq_ignore_ascii_case(HOST))
}

fn lint_scope(
    scope: &Scope,
    discovered: &Discovered,
    called: &CalledModules,
    options: &Options,
    var_files: &[terraform::ParsedFile],
    catalog: &'static Catalog,
) -> ScopeReport {
    let mut output = ScopeReport::default();
    let loaded: Vec<(LoadedFile, Result<Parsed, FileError>)> = scope
        .files
        .par_iter()
        .filter_map(|&id| {
            let file = discovered.file(id);
            let text = match read_text(&file.path) {
                Ok(text) => text,
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
                        (LoadedFile::new(id, String::new()), Err(error))
                    });
                }
            };
            let parsed = match file.kind {
                FileKind::Terraform => terraform::parse(&text).map(|body| {
                    let name = file
                        .path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default();
                    Parsed::Terraform(terraform::ParsedFile {
                        id,
                        body,
                        role: terraform::role_of(name),
                    })
                }),
                FileKind::Bicep => bicep::parse(&text).map(|program| {
                    Parsed::Bicep(bicep::BicepFile {
                        id,
                        path: file.path.clone(),
                        program,
                        module_only: false,
                    })
                }),
                // Only JSON that names the ARM schemas can be a template; the rest is not read.
                FileKind::Json if !mentions_arm_schema(&text) => return None,
                FileKind::Json => arm::parse(&text).map(|parsed| match parsed {
                    Some((kind, root)) => Parsed::Arm(arm::ArmFile {
                        id,
                        path: file.path.clone(),
                        kind,
                        root,
                    }),
                    None => Parsed::NotIac,
                }),
            };
            let loaded = LoadedFile::new(id, text);
            let parsed = parsed.map_err(|SyntaxError { offset, message }| {
                let position = loaded.line_col(offset);
                FileError {
                    file: file.display.clone(),
                    line: position.line,
                    column: position.column,
                    message: format!("syntax error: {message}"),
                    offset: Some(offset),
                }
            });
            Some((loaded, parsed))
        })
        .collect();

    let mut files = Vec::with_capacity(loaded.len());
    let mut terraform_files = Vec::new();
    let mut bicep_files = Vec::new();
    let mut arm_files = Vec::new();
    for (file, result) in loaded {
        let target = discovered.file(file.id).target;
        output.files += usize::from(target && !matches!(result, Ok(Parsed::NotIac)));
        match result {
            Ok(Parsed::Terraform(parsed)) => terraform_files.push(parsed),
            Ok(Parsed::Bicep(parsed)) => bicep_files.push(parsed),
            Ok(Parsed::Arm(parsed)) => arm_files.push(parsed),
            Ok(Parsed::NotIac) => {}
            Err(error) if discovered.file(file.id).target => output.errors.push(error),
            Err(_) => {}
        }
        files.push(file);
    }

    // A directory is one Terraform module, with the local modules it calls; each Bicep and ARM
    // template stands alone, with the local modules it calls. `--var-file` values apply to
    // every module linted as a root.
    let mut modules = ModuleFiles::new(discovered, &options.cwd);
    let mut model = crate::model::Model::default();
    let is_terraform_module = terraform_files
        .iter()
        .any(|file| file.role == terraform::FileRole::Config);
    if is_terraform_module
        && !called
            .terraform_dirs
            .contains(&lexical_normalize(&scope.dir))
    {
        terraform_files.extend(var_files.iter().map(|file| terraform::ParsedFile {
            id: file.id,
            body: file.body.clone(),
            role: file.role,
        }));
        model = terraform::build_model(&scope.dir, terraform_files, &options.vars, &mut modules);
    }
    modules.add_bicep_modules(&mut bicep_files);
    let location = options.location.as_deref();
    let inputs = bicep::Inputs {
        called_elsewhere: Some(&called.bicep_templates),
        json_files: &arm_files,
        location,
    };
    model.extend(bicep::build_model(&bicep_files, &inputs));
    model.extend(arm::build_model(&arm_files, location));
    drop((bicep_files, arm_files));
    output.resources = model.resource_count();
    output.accounts = model.accounts.iter().filter(|a| !a.existing).count();
    output.errors.extend(modules.errors);
    let module_files = modules.files;
    output.module_files = module_files.iter().map(|m| m.display.clone()).collect();
    let (raw, checks) =
        rules::run_with_checks(&model, catalog, options.approved_regions.as_deref(), |id| {
            options.rules.contains(id)
        });
    let file_of = |id: FileId| -> Option<(&LoadedFile, &Arc<str>, bool)> {
        if let Some(file) = files.iter().find(|f| f.id == id) {
            let discovered = discovered.file(id);
            return Some((file, &discovered.display, discovered.target));
        }
        module_files
            .iter()
            .find(|m| m.file.id == id)
            .map(|m| (&m.file, &m.display, m.target))
    };
    let locate = |span: &Span| -> Option<Location> {
        let (file, display, _) = file_of(span.file)?;
        Some(locate(display, file, span))
    };
    for finding in raw {
        if !file_of(finding.span.file).is_some_and(|(_, _, target)| target) {
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
            name: &policy.name,
            level,
            outcome: finding.outcome,
            message: finding.message,
            help: policy.remediation_for(finding.language),
            url: &policy.references.learn,
            resource: finding.resource,
            attribute: finding.attribute,
            location,
            label: finding.label,
            related,
        });
    }
    if options.list_checks {
        for check in checks {
            if !file_of(check.header.file).is_some_and(|(_, _, target)| target) {
                continue;
            }
            if let Some(location) = locate(&check.header) {
                output.checks.push(Check {
                    rule: check.rule,
                    resource: check.resource,
                    location,
                });
            }
        }
        output.checks.sort_by(|a, b| {
            (&a.location, a.rule, &a.resource).cmp(&(&b.location, b.rule, &b.resource))
        });
        output.checks.dedup();
    }
    output
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output.errors.sort();
    output
}

/// A file read because a module call leads to it.
struct ModuleFile {
    file: LoadedFile,
    display: Arc<str>,
    /// Whether findings in it are reported (see [`ModuleFiles::read`]).
    target: bool,
}

/// Reads the files that a scope's local module calls lead to, wherever they are, and keeps
/// their texts to locate findings in them.
struct ModuleFiles<'a> {
    discovered: &'a Discovered,
    cwd: &'a std::path::Path,
    /// Ids for files outside the discovered tree, past the discovered ones.
    next_id: u32,
    /// Files of the scope's own directory are not kept here: the scope has them already.
    files: Vec<ModuleFile>,
    errors: Vec<FileError>,
}

/// A bound on the files one scope's module calls may read.
const MAX_MODULE_FILES: usize = 1_024;

impl<'a> ModuleFiles<'a> {
    fn new(discovered: &'a Discovered, cwd: &'a std::path::Path) -> Self {
        ModuleFiles {
            discovered,
            cwd,
            next_id: discovered.files.len() as u32,
            files: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// A file's id and text. A file of the scanned tree keeps its id, path and target status; a
    /// file outside it is reported on unless files were given by name (then only those are).
    fn read(&mut self, path: &std::path::Path) -> Option<(FileId, &str)> {
        let path = lexical_normalize(path);
        let known = self.discovered.id_of(&path);
        if let Some(i) = self
            .files
            .iter()
            .position(|m| Some(m.file.id) == known || self.display_of(&path) == m.display)
        {
            return Some((self.files[i].file.id, &self.files[i].file.text));
        }
        if self.files.len() >= MAX_MODULE_FILES {
            return None;
        }
        let text = read_text(&path).ok()?;
        let (id, display, target) = match known {
            Some(id) => {
                let file = self.discovered.file(id);
                (id, file.display.clone(), file.target)
            }
            None => {
                let id = FileId(self.next_id);
                self.next_id += 1;
                (id, self.display_of(&path), !self.discovered.explicit_files)
            }
        };
        self.files.push(ModuleFile {
            file: LoadedFile::new(id, text),
            display,
            target,
        });
        let last = self.files.last()?;
        Some((id, &last.file.text))
    }

    fn display_of(&self, path: &std::path::Path) -> Arc<str> {
        display_path(path, self.cwd).into()
    }

    /// A syntax error in a file outside the scanned tree (files of the tree report their own).
    fn syntax_error(&mut self, id: FileId, error: SyntaxError) {
        let Some(module) = self.files.iter().find(|m| m.file.id == id) else {
            return;
        };
        if (id.0 as usize) < self.discovered.files.len() || !module.target {
            return;
        }
        let position = module.file.line_col(error.offset);
        self.errors.push(FileError {
            file: module.display.clone(),
            line: position.line,
            column: position.column,
            message: format!("syntax error: {}", error.message),
            offset: Some(error.offset),
        });
    }

    /// Adds the templates that `files` call as modules from other directories, recursively.
    fn add_bicep_modules(&mut self, files: &mut Vec<bicep::BicepFile>) {
        let mut next = 0;
        while next < files.len() {
            let dir = files[next]
                .path
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .to_path_buf();
            let targets = bicep::local_module_paths(&files[next].program);
            next += 1;
            for target in targets {
                let path = lexical_normalize(&dir.join(target));
                if files.iter().any(|f| lexical_normalize(&f.path) == path) {
                    continue;
                }
                let Some((id, text)) = self.read(&path) else {
                    continue;
                };
                match bicep::parse(text) {
                    Ok(program) => files.push(bicep::BicepFile {
                        id,
                        path,
                        program,
                        module_only: true,
                    }),
                    Err(error) => self.syntax_error(id, error),
                }
            }
        }
    }
}

impl terraform::ModuleLoader for ModuleFiles<'_> {
    fn load(&mut self, dir: &std::path::Path) -> Option<Vec<terraform::ParsedFile>> {
        // `examples/x/../..` normalizes to the empty path: the working directory.
        let dir = if dir.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            dir
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "tf") && path.is_file())
            .collect();
        paths.sort();
        let mut parsed = Vec::new();
        for path in paths {
            let Some((id, text)) = self.read(&path) else {
                continue;
            };
            match terraform::parse(text) {
                Ok(body) => parsed.push(terraform::ParsedFile {
                    id,
                    body,
                    role: terraform::FileRole::Config,
                }),
                Err(error) => self.syntax_error(id, error),
            }
        }
        (!parsed.is_empty()).then_some(parsed)
    }
}

fn locate(display: &Arc<str>, file: &LoadedFile, span: &Span) -> Location {
    let start = file.line_col(span.range.start);
    let end = file.line_col(span.range.end);
    Location {
        file: display.clone(),
        start,
        end,
        offset: span.range.start,
        length: span.range.end.saturating_sub(span.range.start),
    }
}

/// `--var-file` files, parsed once for every scope. They are not part of the linted tree, so
/// their ids lie past the discovered files.
fn read_var_files(paths: &[PathBuf]) -> Result<Vec<terraform::ParsedFile>, Error> {
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let shown = path.display().to_string();
            let text = read_text(path)
                .map_err(|error| Error::Usage(format!("--var-file {shown}: {}", error.message)))?;
            let body = terraform::parse(&text).map_err(|SyntaxError { offset, message }| {
                let position = LineIndex::new(&text).line_col(&text, offset);
                Error::Usage(format!(
                    "--var-file {shown}:{}:{}: syntax error: {message}",
                    position.line, position.column
                ))
            })?;
            let id = FileId(u32::MAX - i as u32);
            Ok(terraform::ParsedFile {
                id,
                body,
                role: terraform::FileRole::Values(1_000 + i as u32),
            })
        })
        .collect()
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
