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
        .env_remove("TF_BUILD")
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
                (&"review".into(), &"none".into())
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
    // The run exits 2: not a successful execution.
    assert_eq!(
        document["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    assert_eq!(
        sarif("fixtures/demo")["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
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

#[test]
fn runs_name_their_tool_fully_and_their_automation_for_github_and_azure_devops() {
    let document = sarif("fixtures/demo");
    let run = &document["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "aoai-lint/");
    let full_name = run["tool"]["driver"]["fullName"].as_str().unwrap();
    assert!(full_name.starts_with("aoai-lint "), "{full_name}");
    let output = Command::cargo_bin("aoai-lint")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["fixtures/demo", "--format", "sarif"])
        .envs([
            ("TF_BUILD", "True"),
            ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/contoso/"),
            ("SYSTEM_TEAMPROJECT", "infra"),
            ("SYSTEM_DEFINITIONID", "42"),
            ("BUILD_DEFINITIONNAME", "iac-lint"),
            ("SYSTEM_PHASEID", "3f4b8a52-7c1e-4b8e-9d3a-0f2c5e6a7b81"),
            ("SYSTEM_PHASENAME", "Lint"),
            ("BUILD_SOURCEBRANCH", "refs/heads/main"),
            ("BUILD_BUILDID", "1234"),
        ])
        .output()
        .unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let automation = &document["runs"][0]["automationDetails"];
    assert_eq!(
        automation["id"],
        "azuredevops/pipeline/build/contoso/infra/42/3f4b8a52-7c1e-4b8e-9d3a-0f2c5e6a7b81/refs%2Fheads%2Fmain/1234"
    );
    assert_eq!(
        automation["properties"]["azuredevops/pipeline/build/buildDefinitionId"],
        "42"
    );
    assert!(schema_errors(&document).is_empty());
}

/// Two roots call modules of the same name: each result keeps a fingerprint of its own.
#[test]
fn partial_fingerprints_are_unique_per_result() {
    let module = r#"variable "public" { default = true }
resource "azurerm_cognitive_account" "this" {
  name                          = "oai"
  location                      = "swedencentral"
  resource_group_name           = "rg"
  kind                          = "OpenAI"
  sku_name                      = "S0"
  public_network_access_enabled = var.public
}
"#;
    let call = "module \"openai\" {\n  source = \"../modules/openai\"\n  public = true\n}\n";
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("modules/openai/main.tf", module),
        ("dev/main.tf", call),
        ("prod/main.tf", call),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let output = Command::cargo_bin("aoai-lint")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("TF_BUILD")
        .args([".", "--format", "sarif", "--per-caller"])
        .output()
        .unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = document["runs"][0]["results"].as_array().unwrap();
    let fingerprints: Vec<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["aoaiLint/v1"].as_str().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = fingerprints.iter().collect();
    assert!(fingerprints.len() > 2, "{fingerprints:?}");
    assert_eq!(unique.len(), fingerprints.len(), "{fingerprints:?}");
}
