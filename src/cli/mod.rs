//! The command line: clap derive, merged with `.aoai-lint.hcl` into engine [`Options`].
//!
//! Exit codes (the contract CI relies on): 0 nothing at or above `--fail-on`; 1 findings at or
//! above it; 2 usage, config, I/O or parse error.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, FailOn, UnknownLevel};
use crate::engine::{Options, lint_streaming};
use crate::error::Error;
use crate::finding::Level;
use crate::finding::Summary;
use crate::model::DataResidency;
use crate::policy::{Policy, catalog};
use crate::report::{self, Format, RenderOptions};
use crate::stats::Stage;

mod output;

use output::{ClosablePipe, Destination, ReportFile, destinations};

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "aoai-lint",
    version,
    about = "Lints Terraform that declares Azure OpenAI resources: network isolation, keys, encryption, regions, roles.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint files and directories (the default command).
    Check(Box<CheckArgs>),
    /// List the rules.
    Rules,
    /// Show the documentation of a rule, by ID or name.
    Explain {
        /// Rule ID (AOAI001) or name (public-network-access).
        rule: String,
    },
    /// Write a commented `.aoai-lint.hcl` in the current directory.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UnknownArg {
    Error,
    Warning,
    Note,
    Ignore,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files and directories to lint. Files given explicitly are always linted, with their
    /// sibling files read as the same module.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format (repeatable: each may be followed by its own --output).
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    formats: Vec<Format>,
    /// Write the preceding --format to this file (atomically) instead of standard output.
    #[arg(long = "output", value_name = "FILE")]
    outputs: Vec<PathBuf>,
    /// Configuration file (default: the nearest .aoai-lint.hcl from the working directory up).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any .aoai-lint.hcl.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Run only these rules (IDs or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Skip these rules (IDs or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// Lowest level that makes the exit code 1 [default: warning].
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Level of findings whose value cannot be determined statically [default: note].
    #[arg(long, value_enum)]
    unknown: Option<UnknownArg>,
    /// Regions where accounts may be deployed (comma-separated), for AOAI005.
    #[arg(long, value_delimiter = ',', value_name = "REGION")]
    approved_regions: Vec<String>,
    /// Where model deployments may process prompts and completions, for AOAI011
    /// [default: off].
    #[arg(long, value_enum, value_name = "MODE")]
    data_residency: Option<DataResidency>,
    /// The region Bicep and ARM templates are deployed to: the value of
    /// `resourceGroup().location`, otherwise only known at deployment.
    #[arg(long, value_name = "REGION")]
    location: Option<String>,
    /// Terraform variable values from a `.tfvars` file (repeatable; applied after
    /// terraform.tfvars and *.auto.tfvars, later files winning).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// A Terraform variable value, winning over every file (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Report a module's findings for every caller that deploys it (by default a finding that
    /// does not depend on the caller is reported once, for the first).
    #[arg(long)]
    per_caller: bool,
    /// List findings silenced by suppression comments too (marked; they never fail the run).
    #[arg(long)]
    show_suppressed: bool,
    /// Lint standard input as if it were this file (editors): its sibling files are read
    /// from disk as context, and only it is reported on.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (for --baseline).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Skip paths matching this glob (repeatable; a name without `/` matches anywhere).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// When to use colors (NO_COLOR is honoured in auto mode).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    let check_matches = matches.subcommand_matches("check").unwrap_or(&matches);
    let result = match cli.command {
        None => destinations(check_matches).and_then(|to| check(cli.check, to)),
        Some(Command::Check(args)) => destinations(check_matches).and_then(|to| check(*args, to)),
        Some(Command::Rules) => print_quietly(&rules_table()),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Init { force }) => init(force),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            print_error(&error);
            EXIT_ERROR
        }
    }
}

fn print_error(error: &Error) {
    let theme = if stderr_color() {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut text = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_links(false);
    if handler.render_report(&mut text, error).is_err() {
        text = format!("error: {error}");
    }
    let _ = writeln!(io::stderr(), "{text}");
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn stderr_color() -> bool {
    !no_color_env() && io::stderr().is_terminal()
}

fn check(args: CheckArgs, destinations: Vec<Destination>) -> Result<i32, Error> {
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
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
            .or_else(|| config::find(&cwd))
        {
            Some(path) => config::load(&path)?,
            None => Config::default(),
        }
    };
    let mut options = options(&args, &config, cwd.clone())?;
    options.list_checks = destinations.iter().any(|d| d.format == Format::Junit);
    let fail_on = match args.fail_on {
        Some(FailOnArg::Error) => FailOn::Level(Level::Error),
        Some(FailOnArg::Warning) => FailOn::Level(Level::Warning),
        Some(FailOnArg::Note) => FailOn::Level(Level::Note),
        Some(FailOnArg::Never) => FailOn::Never,
        None => config.fail_on.unwrap_or(FailOn::Level(Level::Warning)),
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color_env() && io::stdout().is_terminal(),
    };
    // Files are opened before any work: a bad path fails fast, with nothing left behind.
    let mut pending = Vec::new();
    let baseline_file = match &args.write_baseline {
        Some(path) => Some(open_or_discard(path, &mut pending)?),
        None => None,
    };
    let mut reporters = Vec::new();
    for destination in &destinations {
        let (out, color): (Box<dyn Write>, bool) = match &destination.file {
            Some(path) => {
                let handle = open_or_discard(path, &mut pending)?;
                (Box::new(io::BufWriter::new(handle)), false)
            }
            None => {
                let pipe = ClosablePipe::new(io::stdout().lock());
                (Box::new(io::BufWriter::new(pipe)), color)
            }
        };
        let render = RenderOptions {
            color,
            cwd: cwd.clone(),
            azure_pipeline: report::AzurePipeline::from_env(),
        };
        reporters.push(report::reporter(destination.format, out, render));
    }
    let mut baseline_findings = Vec::new();
    let summary = lint_streaming(&options, &mut |scope| {
        if baseline_file.is_some() {
            baseline_findings.extend(scope.findings.iter().cloned());
        }
        crate::stats::timed(Stage::Report, || {
            reporters.iter_mut().try_for_each(|r| r.scope(&scope))
        })
    })
    .and_then(|summary| {
        crate::stats::timed(Stage::Report, || {
            reporters.iter_mut().try_for_each(|r| r.finish(&summary))
        })
        .map(|()| summary)
        .map_err(Error::Output)
    });
    drop(reporters);
    let written = summary.and_then(|summary| {
        if let (Some(mut handle), Some(path)) = (baseline_file, &args.write_baseline) {
            let anchor = crate::baseline::Anchor::new(path, &cwd);
            let text = crate::baseline::render(&baseline_findings, &anchor);
            handle
                .write_all(text.as_bytes())
                .and_then(|()| handle.flush())
                .map_err(|source| Error::Write {
                    path: path.display().to_string(),
                    source,
                })?;
        }
        Ok(summary)
    });
    match written {
        Ok(summary) => {
            for file in pending {
                file.commit()?;
            }
            note_outside_links(&summary.outside_links);
            print_stats();
            Ok(exit_code(&summary, fail_on))
        }
        Err(error) => {
            pending.into_iter().for_each(ReportFile::discard);
            Err(error)
        }
    }
}

/// What the run cost, on standard error, when asked (`AOAI_LINT_IO_STATS`, `AOAI_LINT_TIMINGS`).
fn print_stats() {
    if std::env::var_os("AOAI_LINT_IO_STATS").is_some() {
        let (reads, listings) = crate::stats::io_counts();
        let _ = writeln!(
            io::stderr(),
            "io: {reads} file reads, {listings} directory listings"
        );
    }
    if std::env::var_os("AOAI_LINT_TIMINGS").is_some() {
        let stages: Vec<String> = crate::stats::stage_seconds()
            .iter()
            .map(|(name, seconds)| format!("{name} {seconds:.3}"))
            .collect();
        let _ = writeln!(
            io::stderr(),
            "timings (seconds, summed over threads): {}",
            stages.join(", ")
        );
    }
}

/// Says once, on standard error, which symlinks were not followed.
fn note_outside_links(links: &[String]) {
    const SHOWN: usize = 5;
    if links.is_empty() {
        return;
    }
    let mut list = links[..links.len().min(SHOWN)].join(", ");
    if links.len() > SHOWN {
        list.push_str(&format!(" and {} more", links.len() - SHOWN));
    }
    let _ = writeln!(
        io::stderr(),
        "note: not read: {} {} outside the linted directory ({list})",
        links.len(),
        if links.len() == 1 {
            "symlink leads"
        } else {
            "symlinks lead"
        }
    );
}

/// Opens a report file, discarding the ones already opened when it cannot be.
fn open_or_discard(path: &Path, pending: &mut Vec<ReportFile>) -> Result<Box<dyn Write>, Error> {
    match ReportFile::open(path) {
        Ok((file, handle)) => {
            pending.push(file);
            Ok(handle)
        }
        Err(error) => {
            std::mem::take(pending)
                .into_iter()
                .for_each(ReportFile::discard);
            Err(error)
        }
    }
}

pub fn exit_code(summary: &Summary, fail_on: FailOn) -> i32 {
    if summary.errors > 0 {
        return EXIT_ERROR;
    }
    match (fail_on, summary.max_level()) {
        (FailOn::Level(threshold), Some(max)) if max >= threshold => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

fn options(args: &CheckArgs, config: &Config, cwd: PathBuf) -> Result<Options, Error> {
    let mut options = Options::new(args.paths.clone(), cwd);
    options.jobs = args.jobs;
    options.var_files = args.var_files.clone();
    options.vars = args.vars.iter().cloned().collect();
    options.per_caller = args.per_caller;
    options.show_suppressed = args.show_suppressed;
    if let Some(path) = &args.stdin_filename {
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
    options.location = args
        .location
        .as_deref()
        .map(crate::model::normalize_region)
        .or_else(|| config.location.clone());
    options.exclude = config
        .exclude
        .iter()
        .chain(&args.exclude)
        .cloned()
        .collect();
    options.settings.data_residency = args
        .data_residency
        .or(config.data_residency)
        .unwrap_or_default();
    options.settings.approved_regions = if args.approved_regions.is_empty() {
        config.approved_regions.clone()
    } else {
        Some(
            args.approved_regions
                .iter()
                .map(|r| crate::model::normalize_region(r))
                .collect(),
        )
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
    Ok(options)
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, found `{text}`")),
    }
}

fn rule_ids(names: &[String]) -> Result<BTreeSet<&'static str>, Error> {
    names
        .iter()
        .filter(|name| !name.trim().is_empty())
        .map(|name| {
            let id = catalog().find(name.trim()).map(|policy| policy.id.as_str());
            id.ok_or_else(|| Error::Usage(format!("unknown rule `{name}` (see `aoai-lint rules`)")))
        })
        .collect()
}

fn print_quietly(text: &str) -> Result<i32, Error> {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: "<stdout>".into(),
            source: error,
        }),
        _ => Ok(EXIT_CLEAN),
    }
}

pub fn rules_table() -> String {
    let policies = &catalog().policies;
    let width = policies.iter().map(|p| p.name.len()).max().unwrap_or(4);
    let mut out = format!(
        "{:<8} {:<width$} {:<8} {}\n",
        "ID", "NAME", "LEVEL", "CHECKS"
    );
    for policy in policies {
        out.push_str(&format!(
            "{:<8} {:<width$} {:<8} {}\n",
            policy.id,
            policy.name,
            policy.severity.as_str(),
            policy.title
        ));
    }
    out
}

fn explain(rule: &str) -> Result<i32, Error> {
    let policy = catalog()
        .find(rule)
        .ok_or_else(|| Error::Usage(format!("unknown rule `{rule}` (see `aoai-lint rules`)")))?;
    print_quietly(&explanation(policy))
}

pub fn explanation(policy: &Policy) -> String {
    let refs = &policy.references;
    let mut out = format!("{} {}: {}\n\n", policy.id, policy.name, policy.title);
    out.push_str(&format!(
        "Level: {}    Category: {}\n\n",
        policy.severity.as_str(),
        policy.category
    ));
    out.push_str(&wrap(&policy.summary, ""));
    out.push_str("\nWhy\n");
    out.push_str(&wrap(&policy.rationale, "  "));
    out.push_str("\nHow to fix\n");
    for (language, text) in [
        ("Terraform", &policy.remediation.terraform),
        ("Bicep", &policy.remediation.bicep),
        ("ARM", &policy.remediation.arm),
    ] {
        out.push_str(&format!("  {language}:\n"));
        out.push_str(&wrap(text, "    "));
    }
    out.push_str(&format!("\nReferences\n  {}\n", refs.learn));
    if let Some(guid) = &refs.azure_policy {
        out.push_str(&format!(
            "  Azure Policy: /providers/Microsoft.Authorization/policyDefinitions/{guid}\n"
        ));
    }
    if !refs.checkov.is_empty() {
        out.push_str(&format!("  Checkov: {}\n", refs.checkov.join(", ")));
    }
    if !refs.psrule.is_empty() {
        out.push_str(&format!("  PSRule: {}\n", refs.psrule.join(", ")));
    }
    out
}

fn wrap(text: &str, indent: &str) -> String {
    let options = textwrap::Options::new(96)
        .initial_indent(indent)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        out.push_str(&textwrap::fill(paragraph, &options));
        out.push('\n');
    }
    out
}

fn init(force: bool) -> Result<i32, Error> {
    let path = Path::new(config::FILE_NAME);
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to overwrite)",
            config::FILE_NAME
        )));
    }
    std::fs::write(path, config::TEMPLATE).map_err(|source| Error::Io {
        path: config::FILE_NAME.into(),
        source,
    })?;
    print_quietly(&format!("wrote {}\n", config::FILE_NAME))
}
