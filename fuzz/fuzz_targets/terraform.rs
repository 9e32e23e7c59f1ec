//! The Terraform comment lexer, parser, evaluator and model building on arbitrary text, with a local module
//! that is the same text again: no panic, no stack overflow, no hang; then
//! the whole run through every reporter.
#![no_main]

use std::collections::HashMap;
use std::path::Path;

use aoai_lint::frontend::terraform::{self, FileRole, ModuleLoader, ParsedFile};
use aoai_lint::source::FileId;
use libfuzzer_sys::fuzz_target;

mod render;

/// Every module directory holds the fuzzed text itself: calls recurse until the bounds stop them.
struct SameText<'a>(&'a str);

impl ModuleLoader for SameText<'_> {
    fn load(&mut self, _dir: &Path) -> Option<Vec<ParsedFile>> {
        Some(vec![
            ParsedFile::parse(FileId(1), FileRole::Config, self.0).ok()?,
        ])
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = terraform::comments(text);
    if let Ok(file) = ParsedFile::parse(FileId(0), FileRole::Config, text) {
        let model = terraform::build_model(
            Path::new(""),
            vec![file],
            &HashMap::new(),
            &mut SameText(text),
        );
        let _ = aoai_lint::rules::run(&model, aoai_lint::policy::catalog(), &settings(), |_| true);
    }
    render::lint_and_render("main.tf", text);
});

/// Every rule runs, AOAI011 with its strictest mode.
fn settings() -> aoai_lint::rules::Settings {
    aoai_lint::rules::Settings {
        approved_regions: None,
        data_residency: aoai_lint::model::DataResidency::Region,
    }
}
