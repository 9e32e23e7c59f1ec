//! The GitLab Code Quality report is what GitLab accepts: a JSON array whose every issue is
//! valid under GitLab's own schema (vendored in `tests/data/gitlab/`, with how GitLab reads a
//! report), with a documented severity, a line to link to, and fingerprints that are unique
//! (GitLab keeps one issue per fingerprint) and the same as SARIF's. The Checkstyle report is
//! well-formed XML with the elements and attributes its readers take.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const TREES: [&str; 3] = ["fixtures/demo", "fixtures/parse-errors", "fixtures/report"];

fn report(tree: &str, format: &str) -> String {
    let output = Command::cargo_bin("aoai-lint")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env_remove("TF_BUILD")
        .args([tree, "--format", format, "--show-suppressed"])
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn gitlab_schema_errors(issue: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("data/gitlab/codeclimate.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(issue)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// What GitLab needs of an issue beyond its schema: a severity it ranks, a path and a line
/// for the link, a check name.
fn gitlab_documented_fields(issue: &Value) -> Result<(), String> {
    let severities = ["info", "minor", "major", "critical", "blocker"];
    let severity = issue["severity"].as_str().unwrap_or_default();
    let path = issue["location"]["path"].as_str().unwrap_or_default();
    let line = issue["location"]["lines"]["begin"].as_u64().unwrap_or(0);
    match (
        severities.contains(&severity),
        !path.is_empty() && !path.starts_with('/'),
        line >= 1,
        issue["check_name"].is_string(),
    ) {
        (true, true, true, true) => Ok(()),
        _ => Err(format!("{issue}")),
    }
}

#[test]
fn gitlab_issues_are_valid_under_gitlabs_schema() {
    for tree in TREES {
        let document: Value = serde_json::from_str(&report(tree, "gitlab")).unwrap();
        let issues = document.as_array().expect("a JSON array");
        assert!(!issues.is_empty(), "{tree}");
        for issue in issues {
            let errors = gitlab_schema_errors(issue);
            assert!(errors.is_empty(), "{tree}: {errors:#?}");
            gitlab_documented_fields(issue).unwrap();
        }
        let fingerprints: BTreeSet<&str> = issues
            .iter()
            .filter_map(|i| i["fingerprint"].as_str())
            .collect();
        assert_eq!(
            fingerprints.len(),
            issues.len(),
            "{tree}: repeated fingerprint"
        );
    }
    // The schema does reject an issue without a fingerprint.
    let broken = serde_json::json!({"description": "x", "severity": "major", "location": {}});
    assert!(!gitlab_schema_errors(&broken).is_empty());
}

#[test]
fn gitlab_fingerprints_are_sarifs() {
    let gitlab: Value = serde_json::from_str(&report("fixtures/demo", "gitlab")).unwrap();
    let sarif: Value = serde_json::from_str(&report("fixtures/demo", "sarif")).unwrap();
    let from_sarif: BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["partialFingerprints"]["aoaiLint/v1"].as_str())
        .collect();
    let from_gitlab: BTreeSet<&str> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    assert_eq!(from_gitlab, from_sarif);
}

#[test]
fn checkstyle_is_well_formed_with_the_structure_readers_take() {
    for tree in TREES {
        let text = report(tree, "checkstyle");
        let document = roxmltree::Document::parse(&text).expect("well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "checkstyle");
        assert!(root.attribute("version").is_some());
        let files: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert!(!files.is_empty(), "{tree}");
        for file in files {
            assert_eq!(file.tag_name().name(), "file");
            assert!(!file.attribute("name").unwrap_or_default().is_empty());
            for error in file.children().filter(|n| n.is_element()) {
                assert_eq!(error.tag_name().name(), "error");
                let number = |name| error.attribute(name).and_then(|v| v.parse::<u32>().ok());
                assert!(number("line").is_some_and(|l| l >= 1), "{text}");
                assert!(number("column").is_some_and(|c| c >= 1), "{text}");
                let severity = error.attribute("severity").unwrap_or_default();
                assert!(
                    ["error", "warning", "info"].contains(&severity),
                    "{severity}"
                );
                assert!(!error.attribute("message").unwrap_or_default().is_empty());
                let source = error.attribute("source").unwrap_or_default();
                assert!(source.starts_with("aoai-lint."), "{source}");
            }
        }
    }
}
