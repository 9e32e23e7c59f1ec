//! The pipeline for one run: discover -> per scope (in parallel): read, parse, model, link,
//! rules, locate -> one sorted report.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::callers::SharedFindings;
use crate::config::UnknownLevel;
use crate::discover::{Discovered, DiscoveredFile, Scope, WalkFilters, discover, exclude_set};
use crate::error::Error;
use crate::finding::{
    Check, FileError, Finding, Level, Location, Outcome, Related, ScopeReport, Summary,
    capped_message,
};
use crate::frontend::{
    self, BuildSettings, FileKind, ParsedFiles, SyntaxError, arm, bicep, plan, terraform,
};
use crate::policy::{Catalog, catalog};
use crate::resolve::modules::{CalledModules, ModuleFile, ModuleFiles, Scanned, called_modules};
use crate::rules;
use crate::source::{FileId, LineIndex, Span, display_path, lexical_normalize};
use crate::source_store::{Loaded, SourceFile, SourceStore, Syntax, read_text};
use crate::stats::{self, Stage};
use crate::suppress;

/// Everything a run needs, already merged from defaults, config file and flags.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// Reads another `.aoai-lint.hcl` into the options of the files below it (the flags still
    /// win); `None` with `--config` or `--no-config`, where one configuration holds for all.
    pub config_loader: Option<ConfigLoader>,
    /// The configuration these options come from, if any (the working directory's nearest).
    pub config_path: Option<PathBuf>,
    /// Paths in output are shown relative to this directory.
    pub cwd: PathBuf,
    pub exclude: Vec<String>,
    /// Worker threads; `None` = one per core.
    pub jobs: Option<usize>,
    /// Approved regions and data residency, for the rules.
    pub settings: rules::Settings,
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
    /// Keep suppressed findings in [`ScopeReport::suppressed`] (they are always counted).
    pub show_suppressed: bool,
    /// Attach the texts findings point into to [`ScopeReport::sources`], for reporters that
    /// show snippets (the human format); the others need no copy of them.
    pub keep_sources: bool,
    /// The day suppression expiry dates are compared with (`YYYY-MM-DD`).
    pub today: String,
    /// `--stdin-filename`: a file's path and the text that replaces it (an editor's buffer).
    pub stdin: Option<(PathBuf, String)>,
    /// `--baseline`: accepted findings; matching findings are not reported.
    pub baseline: Option<crate::baseline::Baseline>,
    /// `--location`: the region deployments go to, for `resourceGroup().location` in Bicep and
    /// ARM (normalized: `swedencentral`).
    pub location: Option<String>,
    /// `--plan-root`: the configuration a plan was made from, when it is not beside the plan.
    pub plan_root: Option<PathBuf>,
    /// `--no-ignore`: walk what `.gitignore` and the git excludes hide too.
    pub no_ignore: bool,
}

impl Options {
    pub fn new(paths: Vec<PathBuf>, cwd: PathBuf) -> Self {
        Options {
            paths,
            cwd,
            exclude: Vec::new(),
            jobs: None,
            settings: rules::Settings::default(),
            unknown_level: UnknownLevel::Level(Level::Note),
            rules: catalog().policies.iter().map(|p| p.id.as_str()).collect(),
            levels: HashMap::new(),
            var_files: Vec::new(),
            vars: HashMap::new(),
            location: None,
            plan_root: None,
            no_ignore: false,
            config_loader: None,
            config_path: None,
            per_caller: false,
            list_checks: false,
            show_suppressed: false,
            keep_sources: true,
            today: crate::suppress::today(),
            baseline: None,
            stdin: None,
        }
    }
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

/// Scopes linted in parallel per batch once the call graph is known: large enough to keep
/// every core busy, small enough that the findings waiting to be reported stay few (the
/// reports of scopes linted during the scan wait in any case).
const SCOPES_PER_BATCH: usize = 256;

/// How the command line turns a configuration file into options (see
/// [`Options::config_loader`]).
#[derive(Clone)]
pub struct ConfigLoader(pub Arc<LoadConfig>);

/// Options from a configuration file, or from none.
pub type LoadConfig = dyn Fn(Option<&std::path::Path>) -> Result<Options, Error> + Send + Sync;

impl std::fmt::Debug for ConfigLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfigLoader")
    }
}

/// The options of each directory that has a configuration of its own: the `.aoai-lint.hcl`
/// files the walk met and the nearest above each path given, other than `options`' own. Every
/// file then uses the nearest above it, whatever the order of the paths.
fn nearest_configs(options: &Options, discovered: &Discovered) -> Result<NearestConfigs, Error> {
    let Some(loader) = &options.config_loader else {
        return Ok(NearestConfigs::default());
    };
    let absolute = |path: &std::path::Path| lexical_normalize(&options.cwd.join(path));
    let mut files: BTreeSet<PathBuf> = discovered
        .config_files
        .iter()
        .map(|f| absolute(f))
        .collect();
    for path in &options.paths {
        if let Some(found) = crate::config::find(&absolute(path)) {
            files.insert(absolute(&found));
        }
    }
    if let Some(own) = &options.config_path {
        files.remove(&absolute(own));
    }
    let mut nearest = NearestConfigs::default();
    for file in files {
        let dir = file
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        nearest.by_dir.insert(dir, Arc::new(loader.0(Some(&file))?));
    }
    nearest.none = Some(Arc::new(loader.0(None)?));
    Ok(nearest)
}

/// The options of the directories with a configuration of their own, and of those with none.
#[derive(Default)]
struct NearestConfigs {
    by_dir: BTreeMap<PathBuf, Arc<Options>>,
    none: Option<Arc<Options>>,
}

/// The options of a scope: those of the nearest configuration above it.
fn options_of<'o>(
    options: &'o Options,
    nearest: &'o NearestConfigs,
    dir: &std::path::Path,
) -> &'o Options {
    let Some(none) = &nearest.none else {
        return options;
    };
    let dir = lexical_normalize(&options.cwd.join(dir));
    let own = options.config_path.as_ref().and_then(|p| {
        let file = lexical_normalize(&options.cwd.join(p));
        file.parent().map(std::path::Path::to_path_buf)
    });
    for ancestor in dir.ancestors() {
        if let Some(nearer) = nearest.by_dir.get(ancestor) {
            return nearer;
        }
        if own.as_deref() == Some(ancestor) {
            return options;
        }
    }
    none
}

/// The stack of every thread that parses or evaluates: parsers, evaluation and dropping a tree
/// recurse once per nested level. 16 MiB is twice what the deepest accepted input needs (256
/// levels, 1,024 chained operators; see `vendor/hcl-edit` and the front-ends' nesting tests),
/// even unoptimized. Only touched pages are committed.
pub const THREAD_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Lints and hands each scope's report to `report`, in an order that does not depend on the
/// number of threads: scopes by directory, then findings by file, position and rule. Stops at
/// the first error `report` returns (e.g. a closed pipe).
pub fn lint_streaming(
    options: &Options,
    report: &mut dyn FnMut(ScopeReport) -> std::io::Result<()>,
) -> Result<Summary, Error> {
    let filters = WalkFilters {
        excludes: exclude_set(&options.exclude)?,
        ignore_files: !options.no_ignore,
        threads: options.jobs.unwrap_or(0),
    };
    let buffer = options.stdin.as_ref().map(|(path, _)| path.as_path());
    let discovered = stats::timed(Stage::Discover, || {
        discover(&options.paths, &filters, &options.cwd, buffer)
    })?;
    let var_files = read_var_files(&options.var_files, &options.cwd)?;
    let scoped = nearest_configs(options, &discovered)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .stack_size(THREAD_STACK_BYTES)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))?;
    let catalog = catalog();
    let store = SourceStore::new(&discovered, options.stdin.as_ref());
    let lint = |scope: &Scope, called: &CalledModules| {
        let options = options_of(options, &scoped, &scope.dir);
        lint_scope(scope, &store, called, options, &var_files, catalog)
    };
    // Scopes that call no local module may be linted as the scan reads them, as no scope's
    // callee; not when their reports hold the texts of their files (human output).
    let no_callees = CalledModules::default();
    let lint_leaf = (!options.keep_sources).then_some(|scope: &Scope| lint(scope, &no_callees));
    let Scanned { called, mut linted } = pool.install(|| called_modules(&store, lint_leaf));

    let mut out = Emitter::new(options, report);
    if !discovered.errors.is_empty() {
        out.emit(ScopeReport {
            errors: discovered.errors.clone(),
            ..ScopeReport::default()
        })?;
    }
    // Batches of scopes still to lint; the reports before a batch's last scope go out after it.
    let waiting: Vec<usize> = (0..linted.len()).filter(|&i| linted[i].is_none()).collect();
    let mut emitted = 0;
    for batch in waiting.chunks(SCOPES_PER_BATCH).map(Some).chain([None]) {
        let reports: Vec<(usize, ScopeReport)> = pool.install(|| {
            batch
                .unwrap_or_default()
                .par_iter()
                .map(|&i| (i, lint(&discovered.scopes[i], &called)))
                .collect()
        });
        for (i, report) in reports {
            linted[i] = Some(report);
        }
        let until = batch
            .and_then(|b| b.last())
            .map_or(linted.len(), |&last| last + 1);
        for report in linted[emitted..until].iter_mut().filter_map(Option::take) {
            out.emit(report)?;
        }
        emitted = until;
    }
    out.finish(&discovered)
}

/// Hands scope reports to the reporter in order, past the baseline, with the findings of
/// modules several callers share held for the end; sums them up.
struct Emitter<'o, 'r> {
    options: &'o Options,
    report: &'r mut dyn FnMut(ScopeReport) -> std::io::Result<()>,
    summary: Summary,
    shared: SharedFindings,
    /// A module's checks (for JUnit) are listed for its first caller.
    checked: std::collections::HashSet<(&'static str, Arc<str>, usize, String)>,
    baseline: Option<crate::baseline::Baseline>,
}

impl<'o, 'r> Emitter<'o, 'r> {
    fn new(
        options: &'o Options,
        report: &'r mut dyn FnMut(ScopeReport) -> std::io::Result<()>,
    ) -> Self {
        Emitter {
            options,
            report,
            summary: Summary::default(),
            shared: SharedFindings::default(),
            checked: std::collections::HashSet::new(),
            baseline: options.baseline.clone(),
        }
    }

    fn emit(&mut self, mut scope: ScopeReport) -> Result<(), Error> {
        if let Some(baseline) = self.baseline.as_mut() {
            self.summary.baselined += baseline.remove_accepted(&mut scope.findings);
        }
        if !self.options.per_caller && !scope.module_files.is_empty() {
            self.shared.take_from(&mut scope);
            let module_files = &scope.module_files;
            let checked = &mut self.checked;
            scope.checks.retain(|c| {
                !module_files.contains(&c.location.file)
                    || checked.insert((
                        c.rule,
                        c.location.file.clone(),
                        c.location.offset,
                        c.resource.clone(),
                    ))
            });
        }
        self.summary.add(&scope);
        (self.report)(scope).map_err(Error::Output)
    }

    /// The shared module findings, and the summary.
    fn finish(mut self, discovered: &Discovered) -> Result<Summary, Error> {
        for held in std::mem::take(&mut self.shared).into_reports() {
            self.summary.add(&held);
            (self.report)(held).map_err(Error::Output)?;
        }
        let mut summary = self.summary;
        summary.baseline_fixed = self.baseline.map_or(0, |left| left.unmatched());
        summary
            .outside_links
            .extend(discovered.outside_links.iter().cloned());
        summary.outside_links.sort();
        summary.outside_links.dedup();
        Ok(summary)
    }
}

/// A parsed file of any language.
enum Parsed {
    Terraform(terraform::ParsedFile),
    Bicep(bicep::BicepFile),
    Arm(arm::ArmFile),
    Plan(plan::PlanFile),
    /// JSON that is not an ARM template or parameters file.
    NotIac,
}

fn mentions_arm_schema(text: &str) -> bool {
    const HOST: &[u8] = b"schema.management.azure.com";
    text.as_bytes()
        .windows(HOST.len())
        .any(|window| window.eq_ignore_ascii_case(HOST))
}

/// A file in its language's parsed form; `None` for JSON that is not an ARM document.
fn parse_file(
    file: &DiscoveredFile,
    id: FileId,
    loaded: &Loaded,
) -> Option<Result<Parsed, SyntaxError>> {
    let parsed = match &loaded.syntax {
        Some(Ok(Syntax::Terraform(body, dropped))) => {
            let name = file
                .path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            Ok(Parsed::Terraform(terraform::ParsedFile {
                id,
                body: body.clone(),
                role: terraform::role_of(&name),
                dropped: dropped.clone(),
            }))
        }
        Some(Ok(Syntax::Bicep(program))) => Ok(Parsed::Bicep(bicep::BicepFile {
            id,
            path: file.path.clone(),
            program: program.clone(),
            module_only: false,
        })),
        Some(Err(error)) => Err(error.clone()),
        None if plan::looks_like_plan(&loaded.text) => {
            stats::timed(Stage::Parse, || plan::parse(&loaded.text)).map(|root| {
                Parsed::Plan(plan::PlanFile {
                    id,
                    path: file.path.clone(),
                    root,
                    reported: file.target,
                })
            })
        }
        // Only JSON that names the ARM schemas can be a template; the rest is not read.
        None if !mentions_arm_schema(&loaded.text) => return None,
        None => {
            stats::timed(Stage::Parse, || arm::parse(&loaded.text)).map(|parsed| match parsed {
                Some((kind, root)) => Parsed::Arm(arm::ArmFile {
                    id,
                    path: file.path.clone(),
                    kind,
                    root,
                }),
                None => Parsed::NotIac,
            })
        }
    };
    Some(parsed)
}

/// One scope, stage by stage: read and parse its files, build its model (with the modules it
/// calls), run the rules, locate and filter what they found.
fn lint_scope(
    scope: &Scope,
    store: &SourceStore<'_>,
    called: &CalledModules,
    options: &Options,
    var_files: &VarFiles,
    catalog: &'static Catalog,
) -> ScopeReport {
    let mut output = ScopeReport {
        root: display_path(&scope.dir, &options.cwd).into(),
        ..ScopeReport::default()
    };
    let parsed = parse_scope(scope, store, catalog, &mut output);
    if !options.vars.is_empty() {
        output.declared_variables = terraform::declared_variables(&parsed.languages.terraform);
    }
    let terraform_called = called
        .terraform_dirs
        .contains(&lexical_normalize(&scope.dir));
    let built = build_scope_model(scope, &parsed.languages, store, called, options, var_files);
    // The syntax trees are not needed past the model, and on a huge file they are its size.
    drop(parsed.languages);
    output.resources = built.model.resource_count();
    output.accounts = built.model.accounts.iter().filter(|a| !a.existing).count();
    output.errors.extend(built.modules.errors);
    output.outside_links = built.modules.outside_links;
    output.module_files = built
        .modules
        .files
        .iter()
        .map(|m| m.display.clone())
        .collect();
    let selected = |id: &str| options.rules.contains(id);
    let (raw, checks) = stats::timed(Stage::Rules, || {
        if options.list_checks {
            rules::run_with_checks(&built.model, catalog, &options.settings, selected)
        } else {
            let raw = rules::run(&built.model, catalog, &options.settings, selected);
            (raw, Vec::new())
        }
    });
    // Findings own what they say: the model is not needed past the rules, and on a huge file
    // it is as large as they are.
    drop(built.model);
    let findings_started = std::time::Instant::now();
    let located = ScopeFiles {
        discovered: store.discovered(),
        files: parsed.files,
        module_files: built.modules.files,
        var_files,
        also_reported: built.also_reported,
    };
    let used = report_findings(raw, &located, options, catalog, &mut output);
    if options.rules.contains(suppress::INVALID_SUPPRESSION) {
        let owned = |file: &DiscoveredFile| match file.kind {
            FileKind::Terraform => !terraform_called,
            FileKind::Bicep => !called
                .bicep_templates
                .contains(&lexical_normalize(&file.path)),
            FileKind::Json => true,
        };
        report_invalid_suppressions(&located, &used, owned, options, catalog, &mut output);
    }
    if options.list_checks {
        output.checks = located_checks(checks, &located);
    }
    output
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output
        .suppressed
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output.errors.sort();
    if options.keep_sources {
        output.sources = shown_sources(&output, |display| located.text_of(display));
    }
    stats::add_since(Stage::Findings, findings_started);
    output
}

/// A scope's files after parsing: their texts, and the parsed ones by language.
struct ParsedScope {
    files: Vec<SourceFile>,
    languages: ParsedFiles,
}

/// Reads and parses a scope's files (in parallel), counting them and reporting those that
/// cannot be read or parsed.
fn parse_scope(
    scope: &Scope,
    store: &SourceStore<'_>,
    catalog: &'static Catalog,
    output: &mut ScopeReport,
) -> ParsedScope {
    let loaded: Vec<(SourceFile, Result<Parsed, FileError>)> = scope
        .files
        .par_iter()
        .filter_map(|&id| load_file(store, id, catalog))
        .collect();
    let discovered = store.discovered();
    // A sibling read as context that does not parse changes what its target's module holds
    // (a missing `network.tf` would make a false AOAI002): its error is the target's concern.
    let target_kinds: Vec<FileKind> = scope
        .files
        .iter()
        .map(|&id| discovered.file(id))
        .filter(|file| file.target)
        .map(|file| file.kind)
        .collect();
    let mut parsed = ParsedScope {
        files: Vec::with_capacity(loaded.len()),
        languages: ParsedFiles::default(),
    };
    for (file, result) in loaded {
        let discovered_file = discovered.file(file.id);
        let target = discovered_file.target;
        output.files += usize::from(target && !matches!(result, Ok(Parsed::NotIac)));
        match result {
            Ok(Parsed::Terraform(file)) => parsed.languages.terraform.push(file),
            Ok(Parsed::Bicep(file)) => parsed.languages.bicep.push(file),
            Ok(Parsed::Arm(file)) => parsed.languages.arm.push(file),
            Ok(Parsed::Plan(file)) => parsed.languages.plans.push(file),
            Ok(Parsed::NotIac) => {}
            Err(error) if target || target_kinds.contains(&discovered_file.kind) => {
                output.errors.push(error)
            }
            Err(_) => {}
        }
        parsed.files.push(file);
    }
    parsed
}

/// One file read, parsed and its suppression comments read; `None` for a context file that
/// cannot be read and for JSON that is not an ARM document.
fn load_file(
    store: &SourceStore<'_>,
    id: FileId,
    catalog: &'static Catalog,
) -> Option<(SourceFile, Result<Parsed, FileError>)> {
    let file = store.discovered().file(id);
    let loaded = match store.load(id, |_| true) {
        Ok(loaded) => loaded,
        Err(error) => {
            // Context files that cannot be read are not the user's concern here.
            return file.target.then(|| {
                let (line, column, offset) = error.position.unwrap_or((0, 0, 0));
                let error = FileError {
                    file: file.display.clone(),
                    line,
                    column,
                    message: capped_message(error.message),
                    offset: error.position.map(|_| offset),
                };
                (SourceFile::new(id, Arc::default()), Err(error))
            });
        }
    };
    let parsed = parse_file(file, id, &loaded)?;
    let text = match &parsed {
        // Snippets of a plan never show its sensitive values.
        Ok(Parsed::Plan(plan)) => Arc::new(plan::masked(&loaded.text, &plan.root)),
        _ => loaded.text,
    };
    let mut source = SourceFile::new(id, text);
    // Value files (`.tfvars`) hold no resources to suppress findings on.
    let values_file =
        matches!(&parsed, Ok(Parsed::Terraform(p)) if p.role != terraform::FileRole::Config);
    if let (Some(Ok(syntax)), false) = (&loaded.syntax, values_file) {
        source.read_directives_of(syntax, catalog);
    }
    let parsed = parsed.map_err(|error| source.syntax_error(&file.display, &error));
    Some((source, parsed))
}

/// A scope's model and the module files read to build it.
struct BuiltScope<'a> {
    model: crate::model::Model,
    modules: ModuleFiles<'a>,
    /// The scope's own files reported on though not given (the `.tf` files of a plan's
    /// configuration, where its findings point).
    also_reported: Vec<FileId>,
}

/// Every front-end builds its part of the scope's model; the resolve stage's module files are
/// their loader. A plan replaces the Terraform configuration it was made from.
fn build_scope_model<'a>(
    scope: &Scope,
    files: &ParsedFiles,
    store: &'a SourceStore<'a>,
    called: &CalledModules,
    options: &'a Options,
    var_files: &VarFiles,
) -> BuiltScope<'a> {
    let mut modules = ModuleFiles::new(store, &options.cwd);
    let settings = BuildSettings {
        vars: &options.vars,
        var_files: &var_files.parsed,
        location: options.location.as_deref(),
        plan_root: options.plan_root.as_deref(),
        called_terraform_dirs: &called.terraform_dirs,
        called_bicep_templates: &called.bicep_templates,
    };
    let scope = frontend::Scope {
        dir: &scope.dir,
        files,
        settings: &settings,
    };
    let mut built = stats::timed(Stage::Build, || match files.plans.is_empty() {
        true => terraform::build(&scope, &mut modules),
        false => plan::build(&scope, &mut modules),
    });
    stats::timed(Stage::Build, || {
        built.model.extend(bicep::build(&scope, &mut modules).model);
        built.model.extend(arm::build(&scope).model);
    });
    BuiltScope {
        model: built.model,
        modules,
        also_reported: built.also_reported,
    }
}

/// Every file a scope's findings can point into: its own, the module files it read, the
/// `--var-file` files.
struct ScopeFiles<'a> {
    discovered: &'a Discovered,
    files: Vec<SourceFile>,
    module_files: Vec<ModuleFile>,
    var_files: &'a VarFiles,
    also_reported: Vec<FileId>,
}

impl ScopeFiles<'_> {
    /// Every file with its displayed path and whether findings in it are reported: the
    /// scope's own, then the module files, then the `--var-file` files.
    fn entries(&self) -> impl Iterator<Item = (&SourceFile, &Arc<str>, bool)> {
        let own = self.files.iter().map(|file| {
            let discovered = self.discovered.file(file.id);
            let reported = discovered.target || self.also_reported.contains(&file.id);
            (file, &discovered.display, reported)
        });
        let modules = self
            .module_files
            .iter()
            .map(|m| (&m.file, &m.display, m.target));
        let var_files = self
            .var_files
            .loaded
            .iter()
            .map(|(display, file)| (file, display, true));
        own.chain(modules).chain(var_files)
    }

    fn get(&self, id: FileId) -> Option<(&SourceFile, &Arc<str>, bool)> {
        self.entries().find(|(file, _, _)| file.id == id)
    }

    fn locate(&self, span: &Span) -> Option<Location> {
        let (file, display, _) = self.get(span.file)?;
        Some(file.locate(display, span))
    }

    fn is_target(&self, id: FileId) -> bool {
        self.get(id).is_some_and(|(_, _, target)| target)
    }

    /// The text of the file shown as `display`.
    fn text_of(&self, display: &str) -> Option<&str> {
        self.entries()
            .find(|(_, shown, _)| shown.as_ref() == display)
            .map(|(file, _, _)| file.text.as_str())
    }
}

/// The rules' findings in reported files, located, leveled and checked against suppression
/// comments; returns the comments that matched one, by file and index.
fn report_findings(
    raw: Vec<rules::RawFinding>,
    located: &ScopeFiles<'_>,
    options: &Options,
    catalog: &'static Catalog,
    output: &mut ScopeReport,
) -> std::collections::HashSet<(FileId, usize)> {
    let mut used = std::collections::HashSet::new();
    for finding in raw {
        if !located.is_target(finding.span.file) {
            continue;
        }
        let Some(location) = located.locate(&finding.span) else {
            continue;
        };
        let lines_of = |span: &Span| {
            let (file, _, _) = located.get(span.file)?;
            let line = |offset| file.line_col(offset).line;
            Some((line(span.range.start), line(span.range.end)))
        };
        let directives_of = |id| {
            located
                .get(id)
                .map(|(file, _, _)| file.directives.as_slice())
        };
        let suppression =
            suppress::suppression_of(&finding, lines_of, directives_of, &options.today, &mut used);
        let Some(policy) = catalog.find(finding.rule) else {
            continue;
        };
        let level = match finding.outcome {
            Outcome::Fail => options
                .levels
                .get(finding.rule)
                .copied()
                .or(finding.level)
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
                    location: located.locate(span)?,
                    message: message.clone(),
                })
            })
            .collect();
        let finding = Finding {
            rule: finding.rule,
            name: &policy.name,
            level,
            outcome: finding.outcome,
            message: capped_message(finding.message),
            help: policy.help_for(finding.language, finding.outcome),
            url: &policy.references.learn,
            resource: finding.resource,
            also_for: Vec::new(),
            attribute: finding.attribute,
            location,
            label: finding.label,
            related,
            suppressed: suppression,
        };
        if finding.suppressed.is_none() {
            output.findings.push(finding);
        } else {
            output.suppressed_count += 1;
            if options.show_suppressed {
                output.suppressed.push(finding);
            }
        }
    }
    used
}

/// AOAI901 for the suppression comments of reported files. Whether one matches nothing is
/// only known where the file's resources are checked (`owned`): here for the scope's own
/// files, unless its callers check them; a module file read here may match for another caller.
fn report_invalid_suppressions(
    located: &ScopeFiles<'_>,
    used: &std::collections::HashSet<(FileId, usize)>,
    owned: impl Fn(&DiscoveredFile) -> bool,
    options: &Options,
    catalog: &'static Catalog,
    output: &mut ScopeReport,
) {
    let files = located.files.iter().map(|f| {
        let file = located.discovered.file(f.id);
        (f, &file.display, file.target, owned(file))
    });
    let modules = located
        .module_files
        .iter()
        .map(|m| (&m.file, &m.display, m.target, false));
    for (file, display, target, owned) in files.chain(modules) {
        if !target {
            continue;
        }
        for (index, directive) in file.directives.iter().enumerate() {
            let used = used.contains(&(file.id, index)) || !owned;
            for message in suppress::problems(directive, used, &options.today, &options.rules) {
                let span = Span::new(file.id, directive.span.clone());
                let location = file.locate(display, &span);
                output
                    .findings
                    .push(suppress::invalid(catalog, display, location, message));
            }
        }
    }
}

/// Every check made on a resource of a reported file, at its header, sorted (JUnit).
fn located_checks(checks: Vec<rules::RawCheck>, located: &ScopeFiles<'_>) -> Vec<Check> {
    let mut located_checks: Vec<Check> = checks
        .into_iter()
        .filter(|check| located.is_target(check.header.file))
        .filter_map(|check| {
            Some(Check {
                location: located.locate(&check.header)?,
                rule: check.rule,
                resource: check.resource,
            })
        })
        .collect();
    located_checks.sort_by(|a, b| {
        (&a.location, a.rule, &a.resource).cmp(&(&b.location, b.rule, &b.resource))
    });
    located_checks.dedup();
    located_checks
}

/// The texts of the files a scope's findings and errors point into, for reporters' snippets:
/// what was linted, which for `--stdin-filename` is not what is on disk.
fn shown_sources<'t>(
    output: &ScopeReport,
    text_of: impl Fn(&str) -> Option<&'t str>,
) -> BTreeMap<Arc<str>, Arc<str>> {
    let findings = output.findings.iter().chain(&output.suppressed);
    let locations = findings.flat_map(|f| {
        std::iter::once(&f.location.file).chain(f.related.iter().map(|r| &r.location.file))
    });
    let errors = output.errors.iter().filter(|e| e.offset.is_some());
    let mut sources = BTreeMap::new();
    for file in locations.chain(errors.map(|e| &e.file)) {
        if !sources.contains_key(file)
            && let Some(text) = text_of(file)
        {
            sources.insert(file.clone(), Arc::from(text));
        }
    }
    sources
}

/// `--var-file` files, read and parsed once for every scope. They are not part of the linted
/// tree, so their ids lie past the discovered files; a finding whose value they set is reported
/// in them, so their texts are kept.
struct VarFiles {
    parsed: Vec<terraform::ParsedFile>,
    loaded: Vec<(Arc<str>, SourceFile)>,
}

fn read_var_files(paths: &[PathBuf], cwd: &std::path::Path) -> Result<VarFiles, Error> {
    let mut files = VarFiles {
        parsed: Vec::new(),
        loaded: Vec::new(),
    };
    for (i, path) in paths.iter().enumerate() {
        let shown = path.display().to_string();
        let text: Arc<String> = read_text(path)
            .map_err(|error| Error::Usage(format!("--var-file {shown}: {}", error.message)))?
            .into();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let parsed =
            terraform::parse_file(&name, &text).map_err(|SyntaxError { offset, message }| {
                let position = LineIndex::new(&text).line_col(&text, offset);
                Error::Usage(format!(
                    "--var-file {shown}:{}:{}: syntax error: {message}",
                    position.line, position.column
                ))
            })?;
        let id = FileId(u32::MAX - i as u32);
        files.parsed.push(terraform::ParsedFile {
            id,
            body: parsed.body.into(),
            role: terraform::FileRole::Values(1_000 + i as u32),
            dropped: parsed.dropped,
        });
        let display = display_path(&lexical_normalize(&cwd.join(path)), cwd).into();
        files.loaded.push((display, SourceFile::new(id, text)));
    }
    Ok(files)
}
