//! The benchmark floor: parse every `.tf` file under a directory with hcl-edit, in parallel,
//! and nothing else (no model, no rules, no output). `scripts/bench` compares aoai-lint to it.

// The same allocator as aoai-lint, so the floor measures the parser alone.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

use rayon::prelude::*;

fn main() {
    let root: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| ".".into());
    let files: Vec<PathBuf> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "tf"))
        .collect();
    let (bytes, failures) = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let ok = hcl_edit::parser::parse_body(&text).is_ok();
            (text.len(), usize::from(!ok))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{} files, {bytes} bytes, {failures} parse failures",
        files.len()
    );
}
