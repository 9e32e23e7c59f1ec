//! The SARIF output is valid against the official SARIF 2.1.0 JSON schema (vendored from the
//! SARIF SDK in `tests/data/`), for a tree with findings, unknowns, related locations and a
//! parse error.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn sarif(path: &str) -> Value {
    let output = Command::cargo_bin("aoai-lint")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args([path, "--format", "sarif", "--show-suppressed"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

fn schema_errors(document: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    for tree in ["fixtures/demo", "fixtures/parse-errors", "fixtures/report"] {
        let document = sarif(tree);
        let errors = schema_errors(&document);
        assert!(errors.is_empty(), "{tree}: {errors:#?}");
    }
    // The validator does reject a broken document.
    let mut broken = sarif("fixtures/demo");
    broken["runs"][0]["results"][0]["level"] = "bogus".into();
    assert!(!schema_errors(&broken).is_empty());
}

#[test]
fn results_carry_rules_fingerprints_and_relative_locations() {
    let document = sarif("fixtures/demo");
    let run = &document["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "AOAI001"
        && r["properties"]["security-severity"] == "8.0"
        && r["defaultConfiguration"]["level"] == "error"));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        assert!(
            artifact["uri"]
                .as_str()
                .unwrap()
                .starts_with("fixtures/demo/")
        );
        assert_eq!(
            result["partialFingerprints"]["aoaiLint/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
        match result["properties"]["outcome"].as_str().unwrap() {
            "unknown" => assert_eq!(
                (&result["kind"], &result["level"]),
                (&"review".into(), &"note".into())
            ),
            _ => assert_eq!(result["kind"], "fail"),
        }
    }
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()));
    let canned = sarif("fixtures/report");
    let suppressed: Vec<_> = canned["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'));
}

#[test]
fn parse_errors_are_tool_execution_notifications() {
    let document = sarif("fixtures/parse-errors");
    let notifications = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(!notifications.is_empty());
    assert!(notifications.iter().all(|n| {
        n["level"] == "error"
            && n["message"]["text"]
                .as_str()
                .unwrap()
                .contains("syntax error")
    }));
}
