//! The Terraform plan reader on arbitrary text: no panic, no hang; then the whole run through
//! every reporter.
#![no_main]

use std::collections::HashMap;

use aoai_lint::frontend::plan;
use aoai_lint::source::FileId;
use libfuzzer_sys::fuzz_target;

mod render;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(root) = plan::parse(text) {
        let _ = plan::masked(text, &root);
        let file = plan::PlanFile { id: FileId(0), path: "plan.json".into(), root };
        let model = plan::build_model(&[file], &HashMap::new());
        let settings = aoai_lint::rules::Settings::default();
        let _ = aoai_lint::rules::run(&model, aoai_lint::policy::catalog(), &settings, |_| true);
    }
    render::lint_and_render("plan.json", text);
});
