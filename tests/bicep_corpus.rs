//! Acceptance check for the Bicep parser: every `.bicep`/`.bicepparam` file of the shared
//! corpus (the 2,349 Azure Verified Modules plus the real stacks; all compile with the Bicep
//! CLI) must parse without error. Skipped with a message when the shared corpus is absent
//! (see `common::shared_path`).

use std::path::{Path, PathBuf};

mod common;

#[test]
fn every_corpus_bicep_file_parses() {
    let Some(corpus) = common::shared_path("corpus") else {
        return;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for root in ["avm-bicep", "real"] {
        for entry in ignore::WalkBuilder::new(corpus.join(root))
            .build()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy();
            if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
                files.push(entry.into_path());
            }
        }
    }
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        if let Err(error) = aoai_lint::frontend::bicep::parse(&text) {
            let line = text[..error.offset.min(text.len())].matches('\n').count() + 1;
            failures.push(format!("{}:{line}: {}", path.display(), error.message));
        }
    }
    println!(
        "{} Bicep files parsed, {} failures",
        files.len(),
        failures.len()
    );
    assert!(
        files.len() > 2400,
        "corpus incomplete: {} files",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Constructs of the Bicep language that once failed to parse, one file each.
#[test]
fn every_grammar_fixture_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bicep-grammar");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(error) = aoai_lint::frontend::bicep::parse(&text) {
            panic!("{}: {} at {}", path.display(), error.message, error.offset);
        }
        count += 1;
    }
    // One file per rule of `../shared/reference/bicep/grammar.md` and the parameters grammar
    // (`rule-*`), and one per construct found missing before (the others).
    assert!(count >= 35);
}
