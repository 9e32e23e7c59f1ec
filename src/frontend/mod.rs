//! Front-ends turn source files into the [`crate::model`]. They never emit findings, only
//! resources and syntax errors with their location.

pub mod arm;
pub mod arm_functions;
pub mod azure;
pub mod bicep;
pub mod json;
pub mod node;
pub mod plan;
pub mod registry_modules;
pub mod terraform;
pub mod value;

use std::path::Path;

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
}

#[cfg(test)]
/// Runs `f` on a thread with half the stack the linter's own threads have, so that passing
/// leaves at least twice the room the deepest input needs.
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
