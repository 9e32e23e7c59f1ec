//! Front-ends turn source files into the [`crate::model`]. They never emit findings, only
//! resources and syntax errors with their location.

pub mod arm;
pub mod arm_functions;
pub mod azure;
pub mod bicep;
pub mod content;
pub mod foundry;
pub mod json;
pub mod node;
pub mod partial;
pub mod plan;
mod registry_inputs;
pub mod registry_modules;
mod registry_workspace;
pub mod terraform;
pub mod value;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::Model;
use crate::source::FileId;

/// A scope's parsed files, by language: what the front-ends build its model from.
#[derive(Default)]
pub struct ParsedFiles {
    pub terraform: Vec<terraform::ParsedFile>,
    pub bicep: Vec<bicep::BicepFile>,
    pub arm: Vec<arm::ArmFile>,
    pub plans: Vec<plan::PlanFile>,
}

/// A scope as every front-end's `build` takes it: its directory, its files, and what the run
/// sets.
pub struct Scope<'a> {
    /// One Terraform module; Bicep and ARM templates stand alone in it.
    pub dir: &'a Path,
    pub files: &'a ParsedFiles,
    pub settings: &'a BuildSettings<'a>,
}

/// What the run sets that the front-ends read.
pub struct BuildSettings<'a> {
    /// `--var` values: they win over every other value of a root module's variables.
    pub vars: &'a HashMap<String, String>,
    /// `--var-file` files, applied to every Terraform root module after its own `.tfvars`.
    pub var_files: &'a [terraform::ParsedFile],
    /// `--location`: the resource group's (and deployment's) location in Bicep and ARM.
    pub location: Option<&'a str>,
    /// `--plan-root`: the root module a plan was made from, when it is not beside the plan.
    pub plan_root: Option<&'a Path>,
    /// Terraform directories that another linted directory calls: built through their callers.
    pub called_terraform_dirs: &'a HashSet<PathBuf>,
    /// Bicep templates that a template of another scope calls.
    pub called_bicep_templates: &'a HashSet<PathBuf>,
}

/// What a front-end builds from a scope.
#[derive(Default)]
pub struct Built {
    pub model: Model,
    /// Files of the scope reported on though not given: the `.tf` files a plan's findings
    /// point into.
    pub also_reported: Vec<FileId>,
}

/// Where the front-ends get the files of the modules a scope calls: the resolve stage reads
/// them (from the source store) and remembers them for locating findings.
pub trait ModuleLoader: terraform::ModuleLoader {
    /// The Terraform files of a root module away from the scope, reported on (`--plan-root`).
    fn terraform_root(&mut self, dir: &Path) -> Vec<terraform::ParsedFile>;
    /// Adds the templates that `templates` call as modules or import names from, from other
    /// directories, recursively.
    fn add_bicep_modules(&mut self, templates: &mut Vec<bicep::BicepFile>);
    /// The text of a file a template reads as content (`loadTextContent`, `loadJsonContent`,
    /// `loadYamlContent`); why not, when it is outside the repository or cannot be read.
    fn read_content(&mut self, path: &Path) -> Result<std::sync::Arc<String>, String>;
    /// Where the resources of `plans` are written: the `resource` blocks of the root module
    /// (`root_files`, in `dir`) and of the local modules their configuration calls, by
    /// address. Only files reported on count, every one when `report_all`.
    fn plan_configuration(
        &mut self,
        dir: &Path,
        root_files: &[terraform::ParsedFile],
        plans: &[plan::PlanFile],
        report_all: bool,
    ) -> HashMap<String, terraform::Written>;
}

/// A file that does not parse: where, and what the parser expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// The kinds of file aoai-lint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// Native (`.tf`, `.tfvars`) and JSON syntax (`.tf.json`, `.tfvars.json`).
    Terraform,
    /// Templates (`.bicep`) and parameter files (`.bicepparam`).
    Bicep,
    /// JSON: ARM templates and parameter files; other JSON is skipped.
    Json,
}

impl FileKind {
    pub fn of(path: &Path) -> Option<FileKind> {
        // A name that is not UTF-8 is still linted: only its (ASCII) extension matters.
        let name = path.file_name()?.to_string_lossy();
        let terraform_json = name.ends_with(".tf.json") || name.ends_with(".tfvars.json");
        if name.ends_with(".tf") || name.ends_with(".tfvars") || terraform_json {
            Some(FileKind::Terraform)
        } else if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
            Some(FileKind::Bicep)
        } else if name.ends_with(".json") || name.ends_with(".jsonc") {
            Some(FileKind::Json)
        } else {
            None
        }
    }

    /// The name endings [`FileKind::of`] reads, for messages that say which names are accepted.
    pub const ENDINGS: [&str; 8] = [
        ".tf",
        ".tfvars",
        ".tf.json",
        ".tfvars.json",
        ".bicep",
        ".bicepparam",
        ".json",
        ".jsonc",
    ];
}

#[cfg(test)]
#[test]
fn every_ending_said_to_be_read_is_read() {
    for ending in FileKind::ENDINGS {
        assert!(
            FileKind::of(Path::new(&format!("x{ending}"))).is_some(),
            "{ending}"
        );
    }
}

/// Runs `f` on a thread with half the stack the linter's own threads have, so that passing
/// leaves at least twice the room the deepest input needs.
#[cfg(test)]
pub(crate) fn on_half_a_worker_stack<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    std::thread::Builder::new()
        .stack_size(crate::engine::THREAD_STACK_BYTES / 2)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}
