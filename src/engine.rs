//! The pipeline of one run, stage by stage, with no stage logic of its own: discover -> the
//! module-call scan over the source store -> per scope, in parallel: [`crate::parse`], build
//! the models (front-ends, with the resolve stage's module files), rules, [`crate::locate`] ->
//! the reports in order, past the baseline.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::callers::SharedFindings;
use crate::discover::{Discovered, DiscoveredFile, Scope, WalkFilters, discover, exclude_set};
use crate::error::Error;
use crate::finding::{FileError, Finding, ScopeReport, Summary};
use crate::frontend::{self, BuildSettings, FileKind, ParsedFiles, arm, bicep, plan, terraform};
use crate::locate::{self, ScopeFiles};
use crate::options::Options;
use crate::parse::{VarFiles, context_error, parse_scope, read_var_files, scope_targets};
use crate::policy::{Catalog, catalog};
use crate::resolve::modules::{CalledModules, ModuleFiles, Scanned, called_modules};
use crate::rules;
use crate::source::{FileId, display_path, lexical_normalize};
use crate::source_store::SourceStore;
use crate::stats::{self, Stage};
use crate::suppress;

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

/// How the paths are walked: the same for a run and for `aoai-lint config`.
fn walk_filters(options: &Options) -> Result<WalkFilters, Error> {
    Ok(WalkFilters {
        excludes: exclude_set(&options.exclude)?,
        nearest_configs: options.config_loader.is_some(),
        ignore_files: !options.no_ignore,
        threads: options.jobs.unwrap_or(0),
    })
}

/// The other configurations a run with `options` would apply, as [`nearest_configs`] finds
/// them: each `.aoai-lint.hcl` directory with the options of the files below it, by directory
/// (for `aoai-lint config`; nothing is parsed).
pub fn other_configurations(options: &Options) -> Result<Vec<(PathBuf, Arc<Options>)>, Error> {
    let discovered = discover(&options.paths, &walk_filters(options)?, &options.cwd, None)?;
    let nearest = nearest_configs(options, &discovered)?;
    Ok(nearest.by_dir.into_iter().collect())
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
    let filters = walk_filters(options)?;
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
    /// With a baseline: the module files the scopes read, which they linted too, and the files
    /// that could not be read or parsed, which they did not.
    module_files: HashSet<Arc<str>>,
    unreadable: HashSet<Arc<str>>,
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
            module_files: HashSet::new(),
            unreadable: HashSet::new(),
        }
    }

    fn emit(&mut self, mut scope: ScopeReport) -> Result<(), Error> {
        if let Some(baseline) = self.baseline.as_mut() {
            self.summary.baselined += baseline.remove_accepted(&mut scope.findings);
            self.module_files.extend(scope.module_files.iter().cloned());
            self.unreadable
                .extend(scope.errors.iter().map(|error| error.file.clone()));
        }
        // Before a shared module's findings are held: each caller's configuration decides.
        let fail_on = scope.fail_on;
        self.summary.fails |= scope.findings.iter().any(|f| fail_on.fails(f.level));
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
        if let Some(left) = &self.baseline {
            let targets = discovered.files.iter().filter(|file| file.target);
            let linted = targets
                .map(|file| &file.display)
                .chain(&self.module_files)
                .filter(|file| !self.unreadable.contains(*file))
                .map(|file| file.as_ref());
            summary.baseline_fixed = left.fixed(linted, &self.options.paths);
        }
        summary
            .outside_links
            .extend(discovered.outside_links.iter().cloned());
        summary.outside_links.sort();
        summary.outside_links.dedup();
        Ok(summary)
    }
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
        fail_on: options.fail_on,
        ..ScopeReport::default()
    };
    let parsed = parse_scope(scope, store, catalog, &mut output);
    if !options.vars.is_empty() {
        output.declared_variables = terraform::declared_variables(&parsed.languages.terraform);
    }
    let terraform_called = called
        .terraform_dirs
        .contains(&lexical_normalize(&scope.dir));
    let mut built = build_scope_model(scope, &parsed.languages, store, called, options, var_files);
    // The syntax trees are not needed past the model, and on a huge file they are its size.
    drop(parsed.languages);
    output.resources = built.model.resource_count();
    output.accounts = built.model.accounts.iter().filter(|a| !a.existing).count();
    take_module_errors(scope, store, &mut built.modules, &mut output);
    output.outside_links = built.modules.outside_links;
    output.module_files = built
        .modules
        .files
        .iter()
        .map(|m| m.display.clone())
        .collect();
    let located = ScopeFiles {
        discovered: store.discovered(),
        files: parsed.files,
        module_files: built.modules.files,
        var_files,
        also_reported: built.also_reported,
    };
    let (used, checks) = run_rules(&built.model, &located, options, catalog, &mut output);
    // Findings own what they say: the model is not needed past the rules, and on a huge file
    // it is as large as they are.
    drop(built.model);
    let findings_started = std::time::Instant::now();
    if options.rules.contains(suppress::INVALID_SUPPRESSION) {
        let owned = |file: &DiscoveredFile| match file.kind {
            FileKind::Terraform => !terraform_called,
            FileKind::Bicep => !called
                .bicep_templates
                .contains(&lexical_normalize(&file.path)),
            FileKind::Json => true,
        };
        locate::report_invalid_suppressions(&located, &used, owned, options, catalog, &mut output);
    }
    if options.list_checks {
        output.checks = locate::located_checks(checks, &located);
    }
    output
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output
        .suppressed
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output.errors.sort();
    output.context_errors.sort();
    if options.keep_sources {
        output.sources = locate::shown_sources(&output, |display| located.text_of(display));
    }
    stats::add_since(Stage::Findings, findings_started);
    output
}

/// The errors of the module files a scope read: their own, and as warnings those of files
/// read only as context for the files given by name.
fn take_module_errors(
    scope: &Scope,
    store: &SourceStore<'_>,
    modules: &mut ModuleFiles<'_>,
    output: &mut ScopeReport,
) {
    output.errors.append(&mut modules.errors);
    let targets = scope_targets(scope, store.discovered());
    let context_errors = std::mem::take(&mut modules.context_errors).into_iter();
    output
        .context_errors
        .extend(context_errors.filter_map(|(kind, error)| context_error(error, &targets, kind)));
}

/// The rules over a scope's model, each rule's findings located as soon as it is done (a huge
/// scope's raw findings are never all held); the suppression comments they matched, and the
/// checks made when asked (JUnit).
fn run_rules(
    model: &crate::model::Model,
    located: &ScopeFiles<'_>,
    options: &Options,
    catalog: &'static Catalog,
    output: &mut ScopeReport,
) -> (HashSet<(FileId, usize)>, Vec<rules::RawCheck>) {
    let mut locator = locate::Locator::new(located, options, catalog);
    let mut checks = Vec::new();
    let selected = |id: &str| options.rules.contains(id);
    let (settings, list_checks) = (&options.settings, options.list_checks);
    rules::run_each(
        model,
        catalog,
        settings,
        selected,
        list_checks,
        |raw, made| {
            stats::timed(Stage::Findings, || locator.report(raw, output));
            checks.extend(made);
        },
    );
    (locator.used, checks)
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
    let bound_dir = match (files.plans.is_empty(), &options.plan_root) {
        (false, Some(plan_root)) => plan_root.as_path(),
        _ => scope.dir.as_path(),
    };
    let mut modules = ModuleFiles::new(store, &options.cwd, bound_dir);
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
