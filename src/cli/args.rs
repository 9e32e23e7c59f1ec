//! The arguments, as clap derives them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::DataResidency;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "aoai-lint",
    version,
    about = "Lints Terraform (and its plans), Bicep and ARM that declare Azure OpenAI resources: network isolation, keys, encryption, regions, roles, guardrails.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Option<Command>,
    #[command(flatten)]
    pub(super) check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Lint files and directories (the default command; `check rules` lints a directory
    /// named like a subcommand).
    Check(Box<CheckArgs>),
    /// Show the configuration a check with these arguments would use: which `.aoai-lint.hcl`
    /// applies to the paths (and each one below them), approved regions, rule levels, excludes
    /// (`--format json` for JSON). Nothing is linted.
    Config(Box<CheckArgs>),
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
    /// Print a shell completion script (`aoai-lint completions bash > /etc/bash_completion.d/aoai-lint`).
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum FailOnArg {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum UnknownArg {
    Error,
    Warning,
    Note,
    Ignore,
}

#[derive(Debug, Clone, Args)]
pub(super) struct CheckArgs {
    /// Files and directories to lint. Files given explicitly are always linted, with their
    /// sibling files read as the same module.
    #[arg(default_value = ".")]
    pub(super) paths: Vec<PathBuf>,
    /// A Terraform plan in JSON (`terraform show -json plan.out > plan.json`) to lint, whatever
    /// its name (repeatable). With no other path, only the plans are linted.
    #[arg(long = "plan", value_name = "FILE")]
    pub(super) plans: Vec<PathBuf>,
    /// The root module directory a plan was made from, when the plan is not in it: findings
    /// then point at its `.tf` files (and those of its local modules).
    #[arg(long, value_name = "DIR")]
    pub(super) plan_root: Option<PathBuf>,
    /// Walk files that `.gitignore`, `.ignore` and the git excludes (global ones included)
    /// hide too.
    #[arg(long)]
    pub(super) no_ignore: bool,
    /// Print findings and errors only: no summary line, no notes on standard error.
    #[arg(long, short = 'q')]
    pub(super) quiet: bool,
    /// Exit 0 whatever was found, files that do not parse included (soft fail); usage,
    /// configuration and output errors still exit 2.
    #[arg(long)]
    pub(super) exit_zero: bool,
    /// Output format (repeatable: each may be followed by its own --output).
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub(super) formats: Vec<Format>,
    /// Write the preceding --format to this file (atomically) instead of standard output.
    #[arg(long = "output", value_name = "FILE")]
    pub(super) outputs: Vec<PathBuf>,
    /// Configuration file (default: the nearest .aoai-lint.hcl from the working directory up).
    #[arg(long, value_name = "FILE")]
    pub(super) config: Option<PathBuf>,
    /// Ignore any .aoai-lint.hcl.
    #[arg(long, conflicts_with = "config")]
    pub(super) no_config: bool,
    /// Run only these rules (IDs or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub(super) select: Vec<String>,
    /// Skip these rules (IDs or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub(super) ignore: Vec<String>,
    /// Lowest level that makes the exit code 1 [default: warning].
    #[arg(long, value_enum)]
    pub(super) fail_on: Option<FailOnArg>,
    /// Level of findings whose value cannot be determined statically [default: note].
    #[arg(long, value_enum)]
    pub(super) unknown: Option<UnknownArg>,
    /// Regions where accounts may be deployed (comma-separated), for AOAI005.
    #[arg(long, value_delimiter = ',', value_name = "REGION")]
    pub(super) approved_regions: Vec<String>,
    /// Models deployments may serve (comma-separated `FORMAT/NAME` or `FORMAT/NAME@VERSION`; a
    /// name may end with `*`), for AOAI018.
    #[arg(long, value_delimiter = ',', value_name = "MODEL")]
    pub(super) approved_models: Vec<String>,
    /// The day to take for today (`YYYY-MM-DD`): model lifecycle dates (AOAI019) and
    /// suppression expiry dates are compared with it [default: today, UTC].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(super) today: Option<jiff::civil::Date>,
    /// Where model deployments may process prompts and completions, for AOAI011
    /// [default: off].
    #[arg(long, value_enum, value_name = "MODE")]
    pub(super) data_residency: Option<DataResidency>,
    /// The region Bicep and ARM templates are deployed to: the value of
    /// `resourceGroup().location`, otherwise only known at deployment.
    #[arg(long, value_name = "REGION")]
    pub(super) location: Option<String>,
    /// Terraform variable values from a `.tfvars` file (repeatable; applied after
    /// terraform.tfvars and *.auto.tfvars, later files winning).
    #[arg(long = "var-file", value_name = "FILE")]
    pub(super) var_files: Vec<PathBuf>,
    /// A Terraform variable value, winning over every file (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub(super) vars: Vec<(String, String)>,
    /// Report a module's findings for every caller that deploys it (by default a finding that
    /// does not depend on the caller is reported once, for the first).
    #[arg(long)]
    pub(super) per_caller: bool,
    /// List findings silenced by suppression comments too (marked; they never fail the run).
    #[arg(long)]
    pub(super) show_suppressed: bool,
    /// Lint standard input as if it were this file (editors): its sibling files are read
    /// from disk as context, and only it is reported on.
    #[arg(long, value_name = "PATH")]
    pub(super) stdin_filename: Option<PathBuf>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub(super) baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (for --baseline).
    #[arg(long, value_name = "FILE")]
    pub(super) write_baseline: Option<PathBuf>,
    /// Skip paths matching this glob (repeatable; a name without `/` matches anywhere).
    #[arg(long, value_name = "GLOB")]
    pub(super) exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub(super) jobs: Option<usize>,
    /// When to use colors (NO_COLOR is honoured in auto mode).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(super) color: ColorChoice,
}

/// A day written `YYYY-MM-DD`, that exists.
fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let written = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    match text.parse::<jiff::civil::Date>() {
        Ok(day) if written => Ok(day),
        _ => Err(format!("expected a day written YYYY-MM-DD, found `{text}`")),
    }
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, found `{text}`")),
    }
}
