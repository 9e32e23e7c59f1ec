//! The Terraform plan reader on arbitrary text: no panic, no hang; then the whole run (model,
//! rules) through every reporter.
#![no_main]

use aoai_lint::frontend::plan;
use libfuzzer_sys::fuzz_target;

mod render;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(root) = plan::parse(text) {
        let _ = plan::masked(std::sync::Arc::new(text.to_string()), &root);
    }
    render::lint_and_render("plan.json", text);
});
