//! The options of a run, merged from defaults, configuration files and flags: what every stage
//! reads.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{FailOn, UnknownLevel};
use crate::error::Error;
use crate::finding::Level;
use crate::policy::catalog;
use crate::rules;

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
    /// `--exclude` patterns and those of `--config`, for every path; with
    /// [`Options::config_loader`], each path's nearest `.aoai-lint.hcl` excludes too.
    pub exclude: Vec<String>,
    /// Worker threads; `None` = one per core.
    pub jobs: Option<usize>,
    /// Approved regions and data residency, for the rules.
    pub settings: rules::Settings,
    pub unknown_level: UnknownLevel,
    /// The lowest level that makes the exit code 1, for the files these options apply to.
    pub fail_on: FailOn,
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
    /// The day suppression expiry dates are compared with (`YYYY-MM-DD`): the same as
    /// `settings.today` (see [`Options::set_today`]).
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
        let settings = rules::Settings::default();
        Options {
            paths,
            cwd,
            exclude: Vec::new(),
            jobs: None,
            today: settings.today.to_string(),
            settings,
            unknown_level: UnknownLevel::Level(Level::Note),
            fail_on: FailOn::default(),
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
            baseline: None,
            stdin: None,
        }
    }

    /// The day the run takes for today (`--today`): for suppression expiry dates and model
    /// lifecycle dates alike.
    pub fn set_today(&mut self, day: jiff::civil::Date) {
        self.today = day.to_string();
        self.settings.today = day;
    }
}

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
