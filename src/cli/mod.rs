//! The command line: clap arguments (`args.rs`) merged with `.aoai-lint.hcl` into the engine's options
//! (`settings.rs`), report files and standard output (`output.rs`), the other subcommands
//! (`commands.rs`, `show_config.rs`).
//!
//! Exit codes (the contract CI relies on): 0 nothing at or above `--fail-on` (or each file's
//! configured `fail_on`); 1 findings at or above it; 2 usage, config, I/O or parse error (of a file linted: one read only as context
//! for the files given is a warning).

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use crate::engine::lint_streaming;
use crate::error::Error;
use crate::finding::{ContextError, Summary};
use crate::report::{self, Format, RenderOptions, terminal_safe};
use crate::stats::Stage;

mod args;
mod commands;
mod output;
mod settings;
mod show_config;

use args::{CheckArgs, Cli, ColorChoice, Command};
use commands::{explain, init, print_quietly, rules_table};
use output::{ClosablePipe, Destination, NamedFile, ReportFile, destinations};

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    note_subcommand_beside_directory(&Cli::command(), std::env::args_os().nth(1));
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
        Some(Command::Config(args)) => show_config::show(*args),
        Some(Command::Rules) => print_quietly(&rules_table()),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Init { force }) => init(force),
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "aoai-lint", &mut script);
            print_quietly(&String::from_utf8_lossy(&script))
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            print_error(&error);
            EXIT_ERROR
        }
    }
}

/// `aoai-lint rules` where a directory `rules` exists: the first argument is read as the
/// subcommand, as it is anywhere (what a command does never depends on what the working
/// directory holds), and a note says how to lint the directory instead. ruff dropped its
/// implicit `check` for this ambiguity; here the implicit form stays, for pre-commit's file
/// lists, and `check` is the explicit one.
fn note_subcommand_beside_directory(command: &clap::Command, first: Option<std::ffi::OsString>) {
    let Some(name) = first.as_ref().and_then(|first| first.to_str()) else {
        return;
    };
    let is_subcommand = name == "help" || command.find_subcommand(name).is_some();
    if is_subcommand && Path::new(name).is_dir() {
        let _ = writeln!(
            io::stderr(),
            "note: `{name}` is both a subcommand and a directory here: it was read as the \
             subcommand; to lint the directory, run `aoai-lint check {name}` or `aoai-lint ./{name}`"
        );
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

/// `NO_COLOR` set, or a terminal that says it has no colors (`TERM=dumb`).
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var_os("TERM").is_some_and(|term| term == "dumb")
}

/// `CLICOLOR_FORCE` (not `0`): colors even when not writing to a terminal.
fn color_forced() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

fn stderr_color() -> bool {
    !no_color_env() && io::stderr().is_terminal()
}

fn check(args: CheckArgs, destinations: Vec<Destination>) -> Result<i32, Error> {
    refuse_shared_report_files(&args, &destinations)?;
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
    let config = settings::config(&args, &cwd)?;
    let mut options = settings::options(&args, &config, cwd.clone())?;
    options.config_path = config.path.clone();
    options.list_checks = destinations.iter().any(|d| d.format == Format::Junit);
    options.keep_sources = destinations.iter().any(|d| d.format == Format::Human);
    // Last: the options of other configurations start from these.
    if args.config.is_none() && !args.no_config {
        options.config_loader = Some(settings::nearest_config_loader(&args, &options));
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color_env() && (color_forced() || io::stdout().is_terminal()),
    };
    // Files are opened before any work: a bad path fails fast, with nothing left behind.
    let mut pending = Vec::new();
    let baseline_file = match &args.write_baseline {
        Some(path) => Some(open_or_discard(path, &mut pending)?),
        None => None,
    };
    let mut reporters = open_reporters(&destinations, (color, args.quiet), &cwd, &mut pending)?;
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
            // Even when quiet: it replaces the error that failed such a run before.
            warn_context_errors(&summary.context_errors);
            if !args.quiet {
                note_outside_links(&summary.outside_links);
                warn_undeclared_vars(&args, &summary);
            }
            print_stats();
            // Writing a baseline records the findings: they do not fail that run.
            let findings_fail = summary.fails && args.write_baseline.is_none();
            match args.exit_zero {
                true => Ok(EXIT_CLEAN),
                false => Ok(exit_code(&summary, findings_fail)),
            }
        }
        Err(error) => {
            pending.into_iter().for_each(ReportFile::discard);
            Err(error)
        }
    }
}

/// Two reports into one file are a usage error before any work: nothing is written or lost.
fn refuse_shared_report_files(args: &CheckArgs, destinations: &[Destination]) -> Result<(), Error> {
    let outputs = destinations.iter().filter_map(|destination| {
        let path = destination.file.as_deref()?;
        Some(NamedFile {
            flag: "--output",
            path,
        })
    });
    let baseline = args.write_baseline.as_deref().map(|path| NamedFile {
        flag: "--write-baseline",
        path,
    });
    let written: Vec<NamedFile> = outputs.chain(baseline).collect();
    let read = args.baseline.as_deref().map(|path| NamedFile {
        flag: "--baseline",
        path,
    });
    output::refuse_shared_files(&written, read)
}

/// What the run cost, on standard error, when asked (`AOAI_LINT_IO_STATS`, `AOAI_LINT_TIMINGS`).
fn print_stats() {
    if std::env::var_os("AOAI_LINT_IO_STATS").is_some() {
        let (reads, parses, listings) = crate::stats::io_counts();
        let _ = writeln!(
            io::stderr(),
            "io: {reads} file reads, {parses} file parses, {listings} directory listings"
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

/// A `--var` that no linted root module declares is most likely a typo, and sets nothing.
fn warn_undeclared_vars(args: &CheckArgs, summary: &Summary) {
    for (name, _) in &args.vars {
        if !summary.declared_variables.contains(name) {
            let name = terminal_safe(name);
            let _ = writeln!(
                io::stderr(),
                "warning: --var {name}: no linted Terraform module declares variable `{name}`"
            );
        }
    }
}

/// Says once, on standard error, which files were not read because they lie outside the
/// repository (symlinks, and module paths leaving a git work tree).
fn note_outside_links(links: &[String]) {
    if links.is_empty() {
        return;
    }
    let list = terminal_safe(&first_of(links, 5)).into_owned();
    let _ = writeln!(
        io::stderr(),
        "note: not read: {} {} {} ({list}): to read them, keep their targets in that git \
         work tree",
        links.len(),
        if links.len() == 1 {
            "path leads"
        } else {
            "paths lead"
        },
        crate::boundary::OUTSIDE,
    );
}

/// The first `shown` names, joined, and how many more there are.
fn first_of(names: &[impl AsRef<str>], shown: usize) -> String {
    let first: Vec<&str> = names.iter().take(shown).map(AsRef::as_ref).collect();
    let mut list = first.join(", ");
    if names.len() > shown {
        list.push_str(&format!(" and {} more", names.len() - shown));
    }
    list
}

/// Files read only as context for the files given that do not parse: the files given were
/// linted without what those declare, which the exit code does not say.
fn warn_context_errors(errors: &[ContextError]) {
    for context in errors {
        let _ = writeln!(
            io::stderr(),
            "warning: {} (read as context for {}) does not parse: {}; verdicts that depend on it may be wrong",
            terminal_safe(&context.error.place()),
            terminal_safe(&first_of(&context.context_for, 3)),
            terminal_safe(&context.error.message),
        );
    }
}

/// A reporter per destination; colors only on standard output.
fn open_reporters(
    destinations: &[Destination],
    (color, quiet): (bool, bool),
    cwd: &Path,
    pending: &mut Vec<ReportFile>,
) -> Result<Vec<Box<dyn report::Reporter>>, Error> {
    let mut reporters = Vec::new();
    for destination in destinations {
        let (out, color): (Box<dyn Write>, bool) = match &destination.file {
            Some(path) => {
                let handle = open_or_discard(path, pending)?;
                (Box::new(io::BufWriter::new(handle)), false)
            }
            None => {
                let pipe = ClosablePipe::new(io::stdout().lock());
                (Box::new(io::BufWriter::new(pipe)), color)
            }
        };
        let render = RenderOptions {
            color,
            cwd: cwd.to_path_buf(),
            azure_pipeline: report::AzurePipeline::from_env(),
            quiet,
        };
        reporters.push(report::reporter(destination.format, out, render));
    }
    Ok(reporters)
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

/// 2 when a file linted could not be read or parsed, else 1 when findings fail the run (each
/// at or above the `fail_on` level of its own configuration), else 0.
pub fn exit_code(summary: &Summary, findings_fail: bool) -> i32 {
    match (summary.errors, findings_fail) {
        (1.., _) => EXIT_ERROR,
        (0, true) => EXIT_FINDINGS,
        (0, false) => EXIT_CLEAN,
    }
}
