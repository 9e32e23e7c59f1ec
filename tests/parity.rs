//! The same deployment written in Terraform (native and JSON syntax), Bicep and ARM (and as a
//! Terraform plan, where a scenario has one) gives the same (rule, outcome) set:
//! `fixtures/parity/<scenario>/{terraform,terraform-json,bicep,arm,plan}/`, expected set in
//! `expected.txt`.

use std::collections::BTreeSet;
use std::path::Path;

use aoai_lint::model::ApprovedModel;
use aoai_lint::{Options, lint};

fn outcomes(dir: &Path) -> BTreeSet<String> {
    let mut options = Options::new(vec![dir.to_path_buf()], dir.to_path_buf());
    options.settings.approved_regions = Some(
        ["swedencentral", "eastus", "westeurope"]
            .map(String::from)
            .to_vec(),
    );
    // Model governance: the gpt-5.2 models are approved, and lifecycle verdicts are of one day.
    let approved = ApprovedModel::parse_flag("OpenAI/gpt-5.2*").unwrap();
    options.settings.approved_models = Some(vec![approved]);
    options.set_today("2026-12-07".parse().unwrap());
    let report = lint(&options).unwrap();
    assert!(
        report.errors.is_empty(),
        "{}: {:?}",
        dir.display(),
        report.errors
    );
    assert!(
        report.summary.resources > 0,
        "{}: nothing was read",
        dir.display()
    );
    report
        .findings
        .iter()
        .map(|f| format!("{} {}", f.rule, format!("{:?}", f.outcome).to_lowercase()))
        .collect()
}

#[test]
fn every_scenario_gives_the_same_outcomes_in_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/parity");
    let mut scenarios: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 3);
    for scenario in scenarios {
        let expected: BTreeSet<String> = std::fs::read_to_string(scenario.join("expected.txt"))
            .unwrap()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        // A Terraform plan of the scenario, where there is one, gives the same set too.
        let plan = scenario.join("plan");
        let plan = plan.is_dir().then_some("plan");
        let languages = ["terraform", "terraform-json", "bicep", "arm"];
        for language in languages.into_iter().chain(plan) {
            let found = outcomes(&scenario.join(language));
            assert_eq!(found, expected, "{}/{language}", scenario.display());
        }
    }
}
