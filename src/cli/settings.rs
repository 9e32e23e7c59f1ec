//! Settings for a run: `.aoai-lint.hcl` merged with the flags, flags winning.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use super::args::{CheckArgs, FailOnArg, UnknownArg};
use crate::config::{self, Config, FailOn, UnknownLevel};
use crate::error::Error;
use crate::finding::Level;
use crate::frontend::FileKind;
use crate::model::ApprovedModel;
use crate::options::Options;
use crate::policy::catalog;

/// The configuration that applies: `--config`, else the nearest `.aoai-lint.hcl` to what is
/// linted (as ruff and tflint do), else the working directory's; none with `--no-config`.
pub(super) fn config(args: &CheckArgs, cwd: &Path) -> Result<Config, Error> {
    let config = if args.no_config {
        Config::default()
    } else {
        // The nearest to what is linted, as ruff and tflint do; else the working directory's.
        let near_paths = || {
            args.paths
                .first()
                .and_then(|path| config::find(&cwd.join(path)))
        };
        match args
            .config
            .clone()
            .or_else(near_paths)
            .or_else(|| config::find(cwd))
        {
            Some(path) => config::load(&path)?,
            None => Config::default(),
        }
    };
    Ok(config)
}

/// The lowest level that makes the exit code 1 for the files a configuration applies to.
fn fail_on(args: &CheckArgs, config: &Config) -> FailOn {
    match args.fail_on {
        Some(FailOnArg::Error) => FailOn::Level(Level::Error),
        Some(FailOnArg::Warning) => FailOn::Level(Level::Warning),
        Some(FailOnArg::Note) => FailOn::Level(Level::Note),
        Some(FailOnArg::Never) => FailOn::Never,
        None => config.fail_on.unwrap_or_default(),
    }
}

/// The paths to lint: the arguments, and the `--plan` files (each checked to be a plan); with
/// plans and no other path, only the plans.
fn paths(args: &CheckArgs) -> Result<Vec<PathBuf>, Error> {
    for plan in &args.plans {
        crate::boundary::check_named("--plan", plan)?;
        let text = std::fs::read_to_string(plan).map_err(|source| Error::Io {
            path: plan.display().to_string(),
            source,
        })?;
        if !crate::frontend::plan::looks_like_plan(&text) {
            return Err(Error::Usage(format!(
                "`{}` is not a Terraform plan in JSON (make one with `terraform show -json plan.out`)",
                plan.display()
            )));
        }
    }
    let mut paths = args.paths.clone();
    if !args.plans.is_empty() && paths == [PathBuf::from(".")] {
        paths.clear();
    }
    paths.extend(args.plans.iter().cloned());
    Ok(paths)
}

/// The engine's options from the flags and the configuration.
pub(super) fn options(args: &CheckArgs, config: &Config, cwd: PathBuf) -> Result<Options, Error> {
    let mut options = Options::new(paths(args)?, cwd);
    options.jobs = args.jobs;
    options.var_files = args.var_files.clone();
    options.vars = args.vars.iter().cloned().collect();
    options.per_caller = args.per_caller;
    options.plan_root = args.plan_root.clone();
    options.no_ignore = args.no_ignore;
    options.show_suppressed = args.show_suppressed;
    if let Some(day) = args.today {
        options.set_today(day);
    }
    if let Some(path) = &args.stdin_filename {
        refuse_unread_stdin_name(path)?;
        let mut text = String::new();
        io::Read::read_to_string(&mut io::stdin(), &mut text).map_err(|source| Error::Io {
            path: "standard input".into(),
            source,
        })?;
        options.paths = vec![path.clone()];
        options.stdin = Some((path.clone(), text));
    }
    options.baseline = args
        .baseline
        .as_deref()
        .map(|path| crate::baseline::read(path, &options.cwd))
        .transpose()?;
    // A configuration found near the paths excludes only below it, in the walk; `--config`
    // is one for everything.
    let config_excludes = args.config.is_some().then_some(&config.exclude);
    options.exclude = (config_excludes.into_iter().flatten())
        .chain(&args.exclude)
        .cloned()
        .collect();
    apply_config(args, config, &mut options)?;
    Ok(options)
}

/// A buffer named as no file the linter reads would be skipped, and the run would look clean.
fn refuse_unread_stdin_name(path: &Path) -> Result<(), Error> {
    if FileKind::of(path).is_some() {
        return Ok(());
    }
    let endings: Vec<String> = FileKind::ENDINGS
        .iter()
        .map(|ending| format!("`{ending}`"))
        .collect();
    Err(Error::Usage(format!(
        "--stdin-filename {}: aoai-lint reads only files whose name ends in {}, so this buffer would be skipped",
        path.display(),
        endings.join(", ")
    )))
}

/// Options for the files below another `.aoai-lint.hcl` (or below none): `base` with that
/// configuration's settings, the flags still winning.
pub(super) fn nearest_config_loader(
    args: &CheckArgs,
    base: &Options,
) -> crate::options::ConfigLoader {
    let args = std::sync::Arc::new(args.clone());
    let base = base.clone();
    crate::options::ConfigLoader(std::sync::Arc::new(move |path| {
        let config = match path {
            Some(path) => config::load(path)?,
            None => Config::default(),
        };
        let mut options = base.clone();
        options.config_path = config.path.clone();
        apply_config(&args, &config, &mut options)?;
        Ok(options)
    }))
}

/// The settings a configuration file gives the files below it, the flags winning: rules and
/// their levels, the rule settings, the unknown level, the location and the level that fails.
pub(super) fn apply_config(
    args: &CheckArgs,
    config: &Config,
    options: &mut Options,
) -> Result<(), Error> {
    options.location = args
        .location
        .as_deref()
        .map(crate::model::normalize_region)
        .or_else(|| config.location.clone());
    options.settings.data_residency = args
        .data_residency
        .or(config.data_residency)
        .unwrap_or_default();
    options.settings.require_defender_for_ai = config.require_defender_for_ai.unwrap_or(false);
    options.settings.approved_regions = if args.approved_regions.is_empty() {
        config.approved_regions.clone()
    } else {
        Some(approved_regions(&args.approved_regions)?)
    };
    options.settings.approved_models = if args.approved_models.is_empty() {
        config.approved_models.clone()
    } else {
        Some(approved_models(&args.approved_models)?)
    };
    options.unknown_level = match args.unknown {
        Some(UnknownArg::Error) => UnknownLevel::Level(Level::Error),
        Some(UnknownArg::Warning) => UnknownLevel::Level(Level::Warning),
        Some(UnknownArg::Note) => UnknownLevel::Level(Level::Note),
        Some(UnknownArg::Ignore) => UnknownLevel::Ignore,
        None => config
            .unknown_level
            .unwrap_or(UnknownLevel::Level(Level::Note)),
    };
    options.fail_on = fail_on(args, config);
    let selected = rule_ids(&args.select)?;
    let ignored = rule_ids(&args.ignore)?;
    options.rules = catalog()
        .policies
        .iter()
        .map(|policy| policy.id.as_str())
        .filter(|id| {
            let enabled_in_config = config
                .rules
                .get(*id)
                .and_then(|s| s.enabled)
                .unwrap_or(true);
            let enabled = if selected.is_empty() {
                enabled_in_config
            } else {
                selected.contains(id)
            };
            enabled && !ignored.contains(id)
        })
        .collect();
    options.levels = config
        .rules
        .iter()
        .filter_map(|(id, setting)| Some((id.clone(), setting.level?)))
        .collect();
    Ok(())
}

/// `--approved-regions`, normalized; every entry that is not an Azure OpenAI region is named.
fn approved_regions(written: &[String]) -> Result<Vec<String>, Error> {
    let known = &catalog().regions.openai_regions;
    let mut regions = Vec::new();
    let mut problems = Vec::new();
    for region in written {
        match crate::model::approved_region(region, known) {
            Ok(region) => regions.push(region),
            Err(why) => problems.push(format!("--approved-regions: {why}")),
        }
    }
    match problems.is_empty() {
        true => Ok(regions),
        false => Err(Error::Usage(problems.join("\n"))),
    }
}

/// `--approved-models`; every malformed entry is named.
fn approved_models(written: &[String]) -> Result<Vec<ApprovedModel>, Error> {
    let mut models = Vec::new();
    let mut problems = Vec::new();
    for entry in written.iter().filter(|entry| !entry.trim().is_empty()) {
        match ApprovedModel::parse_flag(entry.trim()) {
            Ok(model) => models.push(model),
            Err(why) => problems.push(format!("--approved-models: {why}")),
        }
    }
    match problems.is_empty() {
        true => Ok(models),
        false => Err(Error::Usage(problems.join("\n"))),
    }
}

pub(super) fn rule_ids(names: &[String]) -> Result<BTreeSet<&'static str>, Error> {
    let mut ids = BTreeSet::new();
    for name in names.iter().filter(|name| !name.trim().is_empty()) {
        let found = catalog().find_all(name.trim());
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "unknown rule `{name}` (see `aoai-lint rules`; Checkov IDs of equivalent checks work too)"
            )));
        }
        ids.extend(found.into_iter().map(|policy| policy.id.as_str()));
    }
    Ok(ids)
}
