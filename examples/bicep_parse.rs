//! Parses every `.bicep`/`.bicepparam` file under the given directories with our Bicep parser
//! and reports failures, file count and single-core throughput (the parser acceptance check and
//! its benchmark; `tests/bicep_corpus.rs` asserts the same over the shared corpus).

// The same allocator as aoai-lint, so the floor measures the parser alone.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let mut files = Vec::new();
    for root in &roots {
        for entry in ignore::WalkBuilder::new(root).build().flatten() {
            let path = entry.into_path();
            let name = path.to_string_lossy();
            if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
                files.push(path);
            }
        }
    }
    files.sort();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let start = Instant::now();
    let mut failures = 0;
    for (path, text) in &texts {
        if let Err(error) = aoai_lint::frontend::bicep::parse(text) {
            failures += 1;
            let line = text[..error.offset.min(text.len())].matches('\n').count() + 1;
            println!("{}:{line}: {}", path.display(), error.message);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} files, {failures} failures, {:.1} MB in {seconds:.3} s = {:.1} MB/s on one core",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds
    );
}
