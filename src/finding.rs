//! What rules report and what reporters print.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::LineCol;

/// How serious a finding is; ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// The result of one check. Passes are not reported as findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Fail,
    /// The deciding value could not be determined statically.
    Unknown,
}

/// A position in a file, resolved for output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Path relative to the working directory, `/`-separated; shared by the findings of a file.
    pub file: Arc<str>,
    pub start: LineCol,
    pub end: LineCol,
    /// Byte range, for snippet rendering.
    pub offset: usize,
    pub length: usize,
}

/// A secondary location that explains a finding (where a value really comes from).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub location: Location,
    pub message: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub outcome: Outcome,
    pub message: Arc<str>,
    /// The policy's remediation for the resource's language, or the fix in the inputs of the
    /// registry module that deploys the account.
    pub help: Arc<str>,
    /// The policy's documentation link.
    pub url: &'static str,
    /// Address of the resource the finding is about.
    pub resource: Arc<str>,
    /// The other callers of a shared module the same finding holds for: each one's resource
    /// address and root (`module.b.azurerm_cognitive_account.this in prod`).
    pub also_for: Vec<String>,
    /// The attribute the finding is about, as written in the source language; empty when the
    /// finding is about the resource as a whole.
    pub attribute: Arc<str>,
    pub location: Location,
    /// Short text under the primary span in snippets.
    pub label: Arc<str>,
    pub related: Vec<Related>,
    /// The reason of the suppression comment that silences it, for suppressed findings.
    pub suppressed: Option<String>,
}

impl Finding {
    /// The resource, and the other callers the finding holds for, for one-line outputs.
    pub fn resources_shown(&self) -> std::borrow::Cow<'_, str> {
        if self.also_for.is_empty() {
            return std::borrow::Cow::Borrowed(&self.resource);
        }
        let others = self.also_for.join(", ");
        std::borrow::Cow::Owned(format!("{}; also for {others}", self.resource))
    }

    /// Identifies the finding across runs while lines move: rule, file, resource and attribute
    /// (FNV-1a, 64 bits, hex). Used by SARIF `partialFingerprints` and baselines.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_in(&self.location.file, None)
    }

    /// [`Finding::fingerprint`] with the file named as given (baselines name files relative to
    /// themselves), and the caller whose module call the finding holds for when one does.
    pub fn fingerprint_in(&self, file: &str, caller: Option<&str>) -> String {
        let parts = [self.rule, file, &self.resource, &self.attribute];
        stable_hash(parts.into_iter().chain(caller))
    }

    /// Total order used for output: by file, position, then rule, so output never depends on
    /// thread scheduling.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (&self.location, self.rule, &self.resource, &self.message)
    }
}

/// FNV-1a (64 bits, hex) of the parts, each ended by a NUL: the same on every machine and in
/// every release, as fingerprints that outlive a run must be.
pub fn stable_hash<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A file that could not be read or parsed. It is reported and skipped; other files go on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileError {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Byte offset of the error, for snippet rendering (None when the file was not read).
    pub offset: Option<usize>,
}

impl FileError {
    /// `io` when the file (or directory) could not be read at all, `parse` when its text was
    /// read and does not parse.
    pub fn kind(&self) -> &'static str {
        match (self.offset, self.line) {
            (None, 0) => "io",
            _ => "parse",
        }
    }

    /// `file:line:column`, or the file alone when no place in it is meant.
    pub fn place(&self) -> String {
        match self.line {
            0 => self.file.to_string(),
            line => format!("{}:{line}:{}", self.file, self.column),
        }
    }
}

/// A file read only as context for the files given (a sibling, a module they call) that does
/// not parse: the files given are linted still, so it is a warning, not a failure of the run;
/// what it declares is missing from their verdicts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContextError {
    pub error: FileError,
    /// The files given whose verdicts may depend on it, as shown.
    pub context_for: Vec<Arc<str>>,
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
    /// Files given (or walked) that could not be read or parsed: they make the exit code 2.
    pub errors: usize,
    /// Context files that do not parse, each once, naming every file given they serve.
    pub context_errors: Vec<ContextError>,
    pub errors_level: usize,
    /// Whether a finding is at or above the `fail_on` level of the scope it was found in (by
    /// that scope's configuration): the exit code 1.
    pub fails: bool,
    pub warnings: usize,
    pub notes: usize,
    pub unknown: usize,
    /// Findings silenced by suppression comments (not in the counts above).
    pub suppressed: usize,
    /// Findings hidden because the baseline lists them (not in the counts above).
    pub baselined: usize,
    /// Baseline entries that no finding matched any more: fixed since the baseline.
    pub baseline_fixed: usize,
    /// Symlinks not followed because they lead outside the repository, as shown.
    pub outside_links: Vec<String>,
    /// The Terraform variables the linted root modules declare (when `--var` is given).
    pub declared_variables: std::collections::BTreeSet<String>,
}

impl Summary {
    /// Adds a reported scope's counts.
    pub fn add(&mut self, scope: &ScopeReport) {
        self.outside_links
            .extend(scope.outside_links.iter().cloned());
        self.declared_variables
            .extend(scope.declared_variables.iter().cloned());
        self.files += scope.files;
        self.resources += scope.resources;
        self.accounts += scope.accounts;
        self.findings += scope.findings.len();
        self.errors += scope.errors.len();
        for context in &scope.context_errors {
            self.add_context_error(context);
        }
        self.suppressed += scope.suppressed_count;
        for finding in &scope.findings {
            match finding.level {
                Level::Error => self.errors_level += 1,
                Level::Warning => self.warnings += 1,
                Level::Note => self.notes += 1,
            }
            self.unknown += usize::from(finding.outcome == Outcome::Unknown);
        }
    }

    /// A context error, merged with the same one met by another scope (a module two callers
    /// read): each file is warned about once.
    fn add_context_error(&mut self, context: &ContextError) {
        let known = self
            .context_errors
            .binary_search_by(|c| c.error.cmp(&context.error));
        match known {
            Ok(i) => {
                let served = &mut self.context_errors[i].context_for;
                for file in &context.context_for {
                    if !served.contains(file) {
                        served.push(file.clone());
                    }
                }
            }
            Err(i) => self.context_errors.insert(i, context.clone()),
        }
    }
}

/// The findings and errors of one scope (a directory), sorted: the unit reporters receive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeReport {
    /// The scope's directory as displayed: the caller of the modules it reads.
    pub root: Arc<str>,
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    /// Files read only as context for the files given that do not parse: warnings.
    pub context_errors: Vec<ContextError>,
    /// The lowest level that fails the run, from the configuration of the scope's directory.
    pub fail_on: FailOn,
    /// Files linted (JSON that is not a template, and context-only siblings, do not count).
    pub files: usize,
    pub resources: usize,
    pub accounts: usize,
    /// Files outside the scope read because its module calls lead there: only findings in them
    /// can repeat in another scope.
    pub module_files: Vec<Arc<str>>,
    /// Module files not read because they lie outside the repository, as shown.
    pub outside_links: Vec<String>,
    /// The Terraform variables the scope's root module declares (when `--var` is given).
    pub declared_variables: Vec<String>,
    /// Every check made, when `Options::list_checks` asks for them.
    pub checks: Vec<Check>,
    /// Findings silenced by a suppression comment: counted always, listed when
    /// `Options::show_suppressed` asks for them.
    pub suppressed: Vec<Finding>,
    pub suppressed_count: usize,
    /// The texts of the files that findings and errors point into, by displayed path: reporters
    /// show snippets from these, never from disk.
    pub sources: BTreeMap<Arc<str>, Arc<str>>,
}

/// One resource checked by one rule, at the resource's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub rule: &'static str,
    pub resource: String,
    pub location: Location,
}

/// Characters a message keeps: messages quote what they are about (an ARM expression, a
/// value), which a minified template can make megabytes long.
const MESSAGE_LIMIT: usize = 400;
/// Characters kept from the end of a cut message, where it says how to make a value known.
const MESSAGE_TAIL: usize = 100;

/// `message`, its middle cut when it is longer than [`MESSAGE_LIMIT`] characters, saying so.
pub fn capped_message(message: String) -> String {
    let length = message.chars().count();
    if length <= MESSAGE_LIMIT {
        return message;
    }
    let head: String = message.chars().take(MESSAGE_LIMIT - MESSAGE_TAIL).collect();
    let tail: String = message.chars().skip(length - MESSAGE_TAIL).collect();
    let cut = length - MESSAGE_LIMIT;
    format!("{head} … [{cut} characters cut] … {tail}")
}

/// Which findings make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Level(Level),
    Never,
}

impl FailOn {
    pub fn parse(text: &str) -> Option<Self> {
        if text == "never" {
            Some(FailOn::Never)
        } else {
            Level::parse(text).map(FailOn::Level)
        }
    }

    /// Whether a finding at `level` makes the exit code 1.
    pub fn fails(self, level: Level) -> bool {
        matches!(self, FailOn::Level(threshold) if level >= threshold)
    }
}

/// Warnings and errors fail a run unless configured otherwise.
impl Default for FailOn {
    fn default() -> Self {
        FailOn::Level(Level::Warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_error_met_by_two_scopes_is_one_naming_both_files_given() {
        let broken = FileError {
            file: "modules/m/main.tf".into(),
            line: 1,
            column: 15,
            message: "syntax error".into(),
            offset: Some(14),
        };
        let scope = |given: &str| ScopeReport {
            context_errors: vec![ContextError {
                error: broken.clone(),
                context_for: vec![given.into()],
            }],
            ..ScopeReport::default()
        };
        let mut summary = Summary::default();
        for given in ["a/main.tf", "b/main.tf", "a/main.tf"] {
            summary.add(&scope(given));
        }
        assert_eq!(summary.errors, 0);
        assert_eq!(summary.context_errors.len(), 1);
        let served: Vec<&str> = (summary.context_errors[0].context_for.iter())
            .map(AsRef::as_ref)
            .collect();
        assert_eq!(served, ["a/main.tf", "b/main.tf"]);
    }

    #[test]
    fn long_messages_are_cut_in_the_middle_and_say_so() {
        assert_eq!(capped_message("short".into()), "short");
        let long = format!(
            "uses `[f('{}')]`, which is not evaluated",
            "y".repeat(800_000)
        );
        let capped = capped_message(long);
        assert!(capped.chars().count() < MESSAGE_LIMIT + 40, "{capped}");
        assert!(capped.contains("characters cut]"));
        assert!(capped.ends_with("which is not evaluated"));
    }
}
