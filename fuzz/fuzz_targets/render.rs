//! Lints the fuzzed text as an editor's buffer (nothing is read from disk) and renders what it
//! finds in every output format, so the reporters meet every finding and parse error the
//! front-ends can produce: long lines, odd spans, control characters.

use std::path::PathBuf;

use aoai_lint::report::{self, Format, RenderOptions};
use aoai_lint::{Options, lint_streaming};

const FORMATS: [Format; 6] = [
    Format::Human,
    Format::Compact,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Junit,
];

/// `name` is the buffer's file name, which decides the language (`main.tf`, `main.bicep`).
pub fn lint_and_render(name: &str, text: &str) {
    let cwd = PathBuf::from("/nonexistent-fuzz-root");
    let path = cwd.join(name);
    let mut options = Options::new(vec![path.clone()], cwd.clone());
    options.stdin = Some((path, text.to_string()));
    options.jobs = Some(1);
    options.list_checks = true;
    options.show_suppressed = true;
    options.settings.data_residency = aoai_lint::model::DataResidency::Region;
    let mut reporters: Vec<_> = FORMATS
        .iter()
        .map(|&format| {
            let render = RenderOptions {
                color: true,
                cwd: cwd.clone(),
                azure_pipeline: None,
                quiet: false,
            };
            report::reporter(format, Box::new(std::io::sink()), render)
        })
        .collect();
    let summary = lint_streaming(&options, &mut |scope| {
        reporters.iter_mut().try_for_each(|r| r.scope(&scope))
    });
    if let Ok(summary) = summary {
        for reporter in &mut reporters {
            let _ = reporter.finish(&summary);
        }
    }
}
