//! The Bicep parser and model building on arbitrary text: no panic, no stack overflow, no hang; then
//! the whole run through every reporter.
#![no_main]

use aoai_lint::frontend::bicep;
use aoai_lint::source::FileId;
use libfuzzer_sys::fuzz_target;

mod render;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(program) = bicep::parse(text) {
        let file = bicep::BicepFile {
            id: FileId(0),
            path: "main.bicep".into(),
            program: program.into(),
            module_only: false,
        };
        let model = bicep::build_model(&[file], &Default::default());
        let _ = aoai_lint::rules::run(&model, aoai_lint::policy::catalog(), &settings(), |_| true);
    }
    render::lint_and_render("main.bicep", text);
});

/// Every rule runs, AOAI011 with its strictest mode.
fn settings() -> aoai_lint::rules::Settings {
    aoai_lint::rules::Settings {
        approved_regions: None,
        data_residency: aoai_lint::model::DataResidency::Region,
    }
}
