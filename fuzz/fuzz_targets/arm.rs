//! The ARM reader (jsonc, template expressions, nested deployments) and model building on
//! arbitrary text: no panic, no stack overflow, no hang; then
//! the whole run through every reporter.
#![no_main]

use aoai_lint::frontend::arm;
use aoai_lint::source::FileId;
use libfuzzer_sys::fuzz_target;

mod render;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some((kind, root))) = arm::parse(text) {
        let file = arm::ArmFile {
            id: FileId(0),
            path: "azuredeploy.json".into(),
            kind,
            root,
        };
        let model = arm::build_model(&[file], None);
        let _ = aoai_lint::rules::run(&model, aoai_lint::policy::catalog(), &settings(), |_| true);
    }
    render::lint_and_render("azuredeploy.json", text);
});

/// Every rule runs, AOAI011 with its strictest mode.
fn settings() -> aoai_lint::rules::Settings {
    aoai_lint::rules::Settings {
        approved_regions: None,
        data_residency: aoai_lint::model::DataResidency::Region,
    }
}
