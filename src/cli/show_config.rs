//! `aoai-lint config [PATH] [FLAGS]`: the settings a check with the same arguments would use,
//! as ruff's `--show-settings` shows them: which `.aoai-lint.hcl` applies to the paths, and
//! each other one the walk meets below them, each with the flags applied over it. Nothing is
//! parsed or linted.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::args::CheckArgs;
use super::{commands::print_quietly, settings};
use crate::config::{self, UnknownLevel};
use crate::error::Error;
use crate::finding::FailOn;
use crate::options::Options;
use crate::policy::catalog;
use crate::report::Format;
use crate::source::display_path;

/// One configuration that applies: what to, read from where, and the options it gives.
struct Applied {
    /// The paths given, or the directory below which a nested file applies.
    scope: String,
    /// The file as shown, or why there is none.
    source: String,
    /// The file as shown, when there is one.
    file: Option<String>,
    exclude: Vec<String>,
    options: Options,
}

pub(super) fn show(args: CheckArgs) -> Result<i32, Error> {
    let as_json = match args.formats.last().copied() {
        None | Some(Format::Human | Format::Compact) => false,
        Some(Format::Json) => true,
        Some(_) => {
            return Err(Error::Usage(
                "`aoai-lint config` prints text or, with --format json, JSON".into(),
            ));
        }
    };
    if !args.outputs.is_empty() {
        return Err(Error::Usage(
            "`aoai-lint config` prints to standard output: it takes no --output".into(),
        ));
    }
    let applied = configurations(&args)?;
    match as_json {
        true => {
            let list: Vec<Value> = applied.iter().map(to_json).collect();
            let text = serde_json::to_string_pretty(&json!({ "configurations": list }));
            print_quietly(&format!("{}\n", text.unwrap_or_default()))
        }
        false => {
            let blocks: Vec<String> = applied.iter().map(to_text).collect();
            print_quietly(&blocks.join("\n"))
        }
    }
}

/// The paths' own configuration first, then the nested ones by directory.
fn configurations(args: &CheckArgs) -> Result<Vec<Applied>, Error> {
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
    let config = settings::config(args, &cwd)?;
    let mut options = settings::options(args, &config, cwd.clone())?;
    options.config_path = config.path.clone();
    let nearest = args.config.is_none() && !args.no_config;
    let source = match (&config.path, args.no_config) {
        (_, true) => "none (--no-config): the defaults".to_string(),
        (Some(path), _) if args.config.is_some() => {
            format!("{} (--config: for every file)", shown(path, &cwd))
        }
        (Some(path), _) => shown(path, &cwd),
        (None, false) => format!("none ({} not found): the defaults", config::FILE_NAME),
    };
    let paths: Vec<String> = options.paths.iter().map(|p| shown(p, &cwd)).collect();
    let mut applied = vec![Applied {
        scope: paths.join(", "),
        source,
        file: config.path.as_ref().map(|path| shown(path, &cwd)),
        exclude: excludes(&options, nearest.then_some(&config.exclude)),
        options: options.clone(),
    }];
    if nearest {
        options.config_loader = Some(settings::nearest_config_loader(args, &options));
        for (dir, nested) in crate::engine::other_configurations(&options)? {
            applied.push(nested_configuration(&dir, &nested, &cwd)?);
        }
    }
    Ok(applied)
}

fn nested_configuration(dir: &Path, options: &Options, cwd: &Path) -> Result<Applied, Error> {
    let file = dir.join(config::FILE_NAME);
    let own = config::load(&file)?;
    Ok(Applied {
        scope: format!("below {}", shown(dir, cwd)),
        source: shown(&file, cwd),
        file: Some(shown(&file, cwd)),
        exclude: excludes(options, Some(&own.exclude)),
        options: options.clone(),
    })
}

/// `--exclude` (and `--config`'s) patterns, then those of the nearest file, which apply below
/// its directory.
fn excludes(options: &Options, file: Option<&Vec<String>>) -> Vec<String> {
    let mut all = options.exclude.clone();
    all.extend(file.into_iter().flatten().cloned());
    all
}

fn shown(path: &Path, cwd: &Path) -> String {
    let absolute: PathBuf = crate::source::lexical_normalize(&cwd.join(path));
    match display_path(&absolute, cwd) {
        empty if empty.is_empty() => ".".into(),
        text => text,
    }
}

fn unknown_level(level: UnknownLevel) -> &'static str {
    match level {
        UnknownLevel::Level(level) => level.as_str(),
        UnknownLevel::Ignore => "ignore",
    }
}

fn fail_on(fail_on: FailOn) -> &'static str {
    match fail_on {
        FailOn::Level(level) => level.as_str(),
        FailOn::Never => "never",
    }
}

/// Each rule: ID, name, level (`off` when it does not run) and its default level.
fn rules(options: &Options) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let policies = catalog().policies.iter();
    policies
        .map(|policy| {
            let default = policy.severity.as_str();
            let level = match options.rules.contains(policy.id.as_str()) {
                false => "off",
                true => options
                    .levels
                    .get(policy.id.as_str())
                    .map_or(default, |level| level.as_str()),
            };
            (policy.id.as_str(), policy.name.as_str(), level, default)
        })
        .collect()
}

/// Each approved model as written on the command line: `OpenAI/gpt-4o@2024-11-20`.
fn approved_models(models: &[crate::model::ApprovedModel]) -> Vec<String> {
    models.iter().map(|model| model.shown()).collect()
}

fn to_text(applied: &Applied) -> String {
    let options = &applied.options;
    let or = |list: &[String], none: &str| match list.is_empty() {
        true => none.to_string(),
        false => list.join(", "),
    };
    let regions = options.settings.approved_regions.as_deref().map_or_else(
        || "any region where Azure OpenAI exists".to_string(),
        |regions| or(regions, "none"),
    );
    let location = options.location.as_deref().unwrap_or("not set");
    let models = options.settings.approved_models.as_deref().map_or_else(
        || "any (AOAI018 is off)".to_string(),
        |models| or(&approved_models(models), "none"),
    );
    let defender = match options.settings.require_defender_for_ai {
        true => "required",
        false => "not required",
    };
    let mut out = format!("{}: {}\n", applied.scope, applied.source);
    for (key, value) in [
        ("approved_regions", regions.as_str()),
        ("approved_models", models.as_str()),
        ("location", location),
        ("data_residency", options.settings.data_residency.as_str()),
        ("today", &options.settings.today.to_string()),
        ("defender_for_ai", defender),
        ("unknown_level", unknown_level(options.unknown_level)),
        ("fail_on", fail_on(options.fail_on)),
        ("exclude", &or(&applied.exclude, "none")),
    ] {
        out.push_str(&format!("  {key:<17} {value}\n"));
    }
    out.push_str("  rules\n");
    let rules = rules(options);
    let width = rules
        .iter()
        .map(|(_, name, _, _)| name.len())
        .max()
        .unwrap_or(0);
    for (id, name, level, default) in rules {
        let note = match level == default {
            true => String::new(),
            false => format!(" (default: {default})"),
        };
        out.push_str(&format!("    {id:<8} {name:<width$} {level}{note}\n"));
    }
    out
}

fn to_json(applied: &Applied) -> Value {
    let options = &applied.options;
    let rules: Vec<Value> = rules(options)
        .into_iter()
        .map(|(id, name, level, default)| {
            json!({ "id": id, "name": name, "level": level, "default_level": default })
        })
        .collect();
    json!({
        "for": applied.scope,
        "file": applied.file,
        "approved_regions": options.settings.approved_regions,
        "approved_models": options.settings.approved_models.as_deref().map(approved_models),
        "location": options.location,
        "data_residency": options.settings.data_residency.as_str(),
        "today": options.settings.today.to_string(),
        "require_defender_for_ai": options.settings.require_defender_for_ai,
        "unknown_level": unknown_level(options.unknown_level),
        "fail_on": fail_on(options.fail_on),
        "exclude": applied.exclude,
        "rules": rules,
    })
}
