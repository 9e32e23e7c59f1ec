//! What a run costs, counted as it goes: file reads, parses and directory listings (so tests can
//! hold the engine to "each file read once and parsed once, each directory listed once") and the time spent in each
//! stage of the pipeline, summed over threads (so a benchmark shows where a regression is).
//! `AOAI_LINT_IO_STATS=1` and `AOAI_LINT_TIMINGS=1` print them on standard error.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

static FILE_READS: AtomicUsize = AtomicUsize::new(0);
static FILE_PARSES: AtomicUsize = AtomicUsize::new(0);
static DIRECTORY_LISTINGS: AtomicUsize = AtomicUsize::new(0);

/// A file's contents read from disk.
pub fn file_read() {
    FILE_READS.fetch_add(1, Ordering::Relaxed);
}

/// A Terraform or Bicep file parsed into its syntax tree.
pub fn file_parsed() {
    FILE_PARSES.fetch_add(1, Ordering::Relaxed);
}

/// A directory listed, outside the walk of the paths given.
pub fn directory_listed() {
    DIRECTORY_LISTINGS.fetch_add(1, Ordering::Relaxed);
}

/// `(file reads, file parses, directory listings)` so far in this process.
pub fn io_counts() -> (usize, usize, usize) {
    (
        FILE_READS.load(Ordering::Relaxed),
        FILE_PARSES.load(Ordering::Relaxed),
        DIRECTORY_LISTINGS.load(Ordering::Relaxed),
    )
}

/// The stages of the pipeline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Discover,
    Read,
    Parse,
    /// The module-call graph and the modules each scope loads.
    Modules,
    Build,
    Rules,
    /// Locating findings, suppressions, baselines, sorting.
    Findings,
    Report,
}

const STAGES: [(Stage, &str); 8] = [
    (Stage::Discover, "discover"),
    (Stage::Read, "read"),
    (Stage::Parse, "parse"),
    (Stage::Modules, "modules"),
    (Stage::Build, "build"),
    (Stage::Rules, "rules"),
    (Stage::Findings, "findings"),
    (Stage::Report, "report"),
];

static NANOS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

/// Runs `f`, adding its duration to `stage`.
pub fn timed<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = f();
    add_since(stage, start);
    result
}

/// Adds the time since `start` to `stage`.
pub fn add_since(stage: Stage, start: Instant) {
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
}

/// Seconds spent in each stage so far, summed over threads, by name.
pub fn stage_seconds() -> Vec<(&'static str, f64)> {
    STAGES
        .iter()
        .map(|&(stage, name)| {
            let nanos = NANOS[stage as usize].load(Ordering::Relaxed);
            (name, nanos as f64 / 1e9)
        })
        .collect()
}
