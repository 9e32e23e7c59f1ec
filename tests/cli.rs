//! The command line as users and CI see it: arguments, exit codes, output.

use std::fs;
use std::path::Path;

mod common;
use common::*;

#[test]
fn demo_exits_1_with_findings_in_the_documented_json_schema() {
    let output = repo()
        .args(["fixtures/demo", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "aoai-lint");
    assert!(report["tool"]["version"].is_string());
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for finding in findings {
        for key in [
            "rule", "name", "level", "outcome", "message", "help", "resource", "file",
        ] {
            assert!(finding[key].is_string(), "{key} in {finding}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(finding[key].as_u64().unwrap() >= 1, "{key} in {finding}");
        }
        assert!(["error", "warning", "note"].contains(&finding["level"].as_str().unwrap()));
        assert!(["fail", "unknown"].contains(&finding["outcome"].as_str().unwrap()));
        // The secure stack has nothing to report.
        assert!(
            !finding["file"]
                .as_str()
                .unwrap()
                .starts_with("fixtures/demo/secure/"),
            "{finding}"
        );
    }
    // Every language of the demo is reported.
    for ending in [".tf", ".bicep", ".json"] {
        assert!(
            findings
                .iter()
                .any(|f| f["file"].as_str().unwrap().ends_with(ending)),
            "{ending}"
        );
    }
    assert_eq!(report["errors"], Value::Array(vec![]));
    for key in ["files", "resources", "findings", "errors"] {
        assert!(report["summary"][key].is_u64(), "summary.{key}");
    }
    assert_eq!(
        report["summary"]["findings"].as_u64().unwrap() as usize,
        findings.len()
    );
}

/// The README's promise: the demo's stacks together trip every rule over the model (the
/// engine's own, about suppression comments, aside).
#[test]
fn the_demo_trips_every_rule() {
    let output = repo()
        .args(["fixtures/demo", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&output.stdout);
    let tripped: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    let policies = aoai_lint::policy::catalog().policies.iter();
    let untripped: Vec<&str> = policies
        .filter(|p| !p.engine && !tripped.contains(&p.id.as_str()))
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(untripped, Vec::<&str>::new());
}

#[test]
fn secure_stack_is_clean_and_exits_0() {
    repo()
        .args(["fixtures/demo/secure"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("No findings"));
}

#[test]
fn parse_error_is_reported_with_location_and_other_files_are_still_linted() {
    let dir = tree(&[
        ("good/main.tf", INSECURE),
        ("bad/main.tf", "resource \"x\" \"y\" {\n  a = \n}\n"),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output.stdout);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["file"], "bad/main.tf");
    assert_eq!(errors[0]["line"], 2);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("syntax error")
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["file"] == "good/main.tf" && f["rule"] == "AOAI001")
    );

    let human = aoai_lint(dir.path())
        .args(["--color", "never"])
        .output()
        .unwrap();
    assert_eq!(human.status.code(), Some(2));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("bad/main.tf"), "{text}");
    assert!(text.contains("could not be read or parsed"), "{text}");
}

#[test]
fn non_utf8_file_is_an_error_not_a_crash() {
    let dir = tree(&[("main.tf", INSECURE)]);
    fs::write(
        dir.path().join("latin1.tf"),
        b"# caf\xe9\nresource \"a\" \"b\" {}\n",
    )
    .unwrap();
    let output = aoai_lint(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output.stdout);
    assert_eq!(report["errors"][0]["file"], "latin1.tf");
    assert_eq!(report["errors"][0]["line"], 1);
    assert_eq!(report["errors"][0]["column"], 6);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
    assert!(!report["findings"].as_array().unwrap().is_empty());
}

#[test]
fn output_is_identical_for_any_thread_count() {
    for format in ["json", "human", "compact"] {
        let run = |jobs: &str| {
            let mut cmd = repo();
            cmd.args([
                "fixtures", "--format", format, "--color", "never", "--jobs", jobs,
            ]);
            cmd.output().unwrap()
        };
        let one = run("1");
        let many = run("8");
        assert_eq!(one.status.code(), many.status.code());
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, many.stdout, "--format {format}");
    }
}

#[test]
fn fail_on_sets_the_threshold_of_exit_code_1() {
    let dir = tree(&[("main.tf", INSECURE)]);
    aoai_lint(dir.path())
        .args(["--fail-on", "never"])
        .assert()
        .code(0);
    // Only a warning (AOAI003) remains once the errors are ignored.
    let args = ["--ignore", "AOAI001,private-endpoint,AOAI004,AOAI005"];
    aoai_lint(dir.path())
        .args(args)
        .args(["--fail-on", "error"])
        .assert()
        .code(0);
    aoai_lint(dir.path()).args(args).assert().code(1);
}

#[test]
fn select_and_ignore_take_ids_and_names() {
    let dir = tree(&[("main.tf", INSECURE)]);
    let rules = |args: &[&str]| -> Vec<String> {
        let output = aoai_lint(dir.path())
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let report = json(&output.stdout);
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(&["--select", "public-network-access"]), ["AOAI001"]);
    assert_eq!(
        rules(&[
            "--select",
            "AOAI001,AOAI004",
            "--ignore",
            "local-auth-disabled"
        ]),
        ["AOAI001"]
    );
    assert!(!rules(&["--ignore", "AOAI001"]).contains(&"AOAI001".to_string()));
    aoai_lint(dir.path())
        .args(["--select", "AOAI999"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown rule"));
}

#[test]
fn config_file_is_found_upward_and_applied() {
    let config = r#"
approved_regions = ["eastus"]
rule "AOAI003" {
  enabled = false
}
rule "public-network-access" {
  level = "warning"
}
"#;
    let dir = tree(&[(".aoai-lint.hcl", config), ("infra/main.tf", INSECURE)]);
    let output = aoai_lint(&dir.path().join("infra"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = json(&output.stdout);
    let findings = report["findings"].as_array().unwrap();
    let by_rule = |rule: &str| findings.iter().find(|f| f["rule"] == rule);
    assert!(by_rule("AOAI003").is_none());
    assert_eq!(by_rule("AOAI001").unwrap()["level"], "warning");
    let region = by_rule("AOAI005").unwrap();
    assert!(
        region["message"]
            .as_str()
            .unwrap()
            .contains("not an approved region")
    );
    // The flag wins over the file.
    let output = aoai_lint(&dir.path().join("infra"))
        .args(["--format", "json", "--approved-regions", "Sweden Central"])
        .output()
        .unwrap();
    assert!(findings_of(&output).iter().all(|f| f["rule"] != "AOAI005"));
    // --no-config ignores it.
    let output = aoai_lint(&dir.path().join("infra"))
        .args(["--format", "json", "--no-config"])
        .output()
        .unwrap();
    assert!(findings_of(&output).iter().any(|f| f["rule"] == "AOAI003"));
}

#[test]
fn unknown_config_key_is_an_error_with_a_caret_on_the_key() {
    let dir = tree(&[
        (
            ".aoai-lint.hcl",
            "approved_regions = []\napproved_regoins = [\"x\"]\n",
        ),
        ("main.tf", INSECURE),
    ]);
    let output = aoai_lint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("unknown key `approved_regoins`"),
        "{stderr}"
    );
    assert!(stderr.contains("approved_regoins = [\"x\"]"), "{stderr}");
    assert!(
        stderr.contains("────────┬"),
        "caret under the key: {stderr}"
    );
}

#[test]
fn unknown_outcome_level_is_configurable() {
    let text = INSECURE.replace("\"swedencentral\"", "var.location");
    let dir = tree(&[("main.tf", &text)]);
    let level = |args: &[&str]| {
        let output = aoai_lint(dir.path())
            .args(["--format", "json", "--select", "AOAI005"])
            .args(args)
            .output()
            .unwrap();
        json(&output.stdout)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["level"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(level(&[]), ["note"]);
    assert_eq!(level(&["--unknown", "error"]), ["error"]);
    assert!(level(&["--unknown", "ignore"]).is_empty());
    aoai_lint(dir.path())
        .args(["--select", "AOAI005"])
        .assert()
        .code(0);
    aoai_lint(dir.path())
        .args(["--select", "AOAI005", "--unknown", "warning"])
        .assert()
        .code(1);
}

#[test]
fn explicit_files_are_linted_with_their_siblings_as_context() {
    // The endpoint is in network.tf: linting main.tf alone must still see it.
    let secure = Path::new(ROOT).join("fixtures/demo/secure");
    aoai_lint(&secure).args(["main.tf"]).assert().code(0);
    // Findings in sibling files are not reported when a file is given explicitly.
    let insecure = Path::new(ROOT).join("fixtures/demo/insecure");
    let output = aoai_lint(&insecure)
        .args(["main.tf", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&output.stdout);
    let files: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(!files.is_empty());
    assert!(files.iter().all(|f| *f == "main.tf"), "{files:?}");
    assert_eq!(report["summary"]["files"], 1);
}

/// What a run printed on standard error.
fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_broken_bicep_sibling_read_as_context_is_a_warning_not_a_failure() {
    let broken = "resource oai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n";
    let dir = tree(&[
        ("b/good.bicep", "param name string = 'x'\n"),
        ("b/broken.bicep", broken),
    ]);
    let output = aoai_lint(dir.path())
        .args(["b/good.bicep", "--format", "json"])
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: b/broken.bicep:2:1 (read as context for b/good.bicep) does not parse: syntax error")
            && stderr.contains("verdicts that depend on it may be wrong"),
        "{stderr}"
    );
    // Still in the JSON report, as a warning that names the files it is context for.
    let report = json(&output.stdout);
    let error = &report["errors"][0];
    assert_eq!(error["file"], "b/broken.bicep");
    assert_eq!(error["severity"], "warning");
    assert_eq!(error["context_for"], serde_json::json!(["b/good.bicep"]));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["context_errors"], 1);
    let sarif = aoai_lint(dir.path())
        .args(["b/good.bicep", "--format", "sarif"])
        .output()
        .unwrap();
    let invocation = &json(&sarif.stdout)["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "warning");
    assert!(
        (notification["message"]["text"].as_str().unwrap()).ends_with(
            "(read as context for b/good.bicep; verdicts that depend on it may be wrong)"
        )
    );
    // A finding in the file given still decides the exit code.
    let account = "resource oai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n}\n";
    std::fs::write(dir.path().join("b/good.bicep"), account).unwrap();
    aoai_lint(dir.path()).arg("b/good.bicep").assert().code(1);
    // The broken file given itself fails the run.
    let given = aoai_lint(dir.path())
        .args(["b/broken.bicep", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(given.status.code(), Some(2));
    assert_eq!(json(&given.stdout)["errors"][0]["severity"], "error");
    assert!(!stderr_of(&given).contains("read as context"));
}

#[test]
fn a_broken_terraform_sibling_or_module_read_as_context_is_a_warning_not_a_failure() {
    let dir = tree(&[
        ("tf/main.tf", INSECURE),
        ("tf/broken.tf", "resource \"x\" {\n"),
        (
            "app/main.tf",
            "module \"m\" {\n  source = \"../modules/m\"\n}\n",
        ),
        ("modules/m/main.tf", "variable \"x\" {\n"),
    ]);
    let run = |args: &[&str]| aoai_lint(dir.path()).args(args).output().unwrap();
    let sibling = run(&["tf/main.tf", "--fail-on", "never"]);
    assert_eq!(sibling.status.code(), Some(0), "{}", stderr_of(&sibling));
    assert!(
        stderr_of(&sibling)
            .contains("warning: tf/broken.tf:1:15 (read as context for tf/main.tf) does not parse"),
        "{}",
        stderr_of(&sibling)
    );
    // Human output: the findings, no error for the sibling.
    let stdout = String::from_utf8_lossy(&sibling.stdout);
    assert!(stdout.contains("AOAI001") && !stdout.contains("could not be read or parsed"));
    assert_eq!(run(&["tf/main.tf"]).status.code(), Some(1));
    assert_eq!(
        run(&["tf/broken.tf", "--fail-on", "never"]).status.code(),
        Some(2)
    );
    // A module read for a file given by name (pre-commit): a warning too.
    let module = run(&["app/main.tf"]);
    assert_eq!(module.status.code(), Some(0), "{}", stderr_of(&module));
    assert!(
        stderr_of(&module).contains(
            "warning: modules/m/main.tf:1:15 (read as context for app/main.tf) does not parse"
        ),
        "{}",
        stderr_of(&module)
    );
    // Walking the tree, the module is linted itself: its error fails the run.
    assert_eq!(run(&["."]).status.code(), Some(2));
}

#[test]
fn walking_skips_gitignored_terraform_state_and_excluded_paths() {
    let dir = tree(&[
        ("live/main.tf", INSECURE),
        ("ignored/main.tf", INSECURE),
        (".gitignore", "ignored/\n"),
        ("live/.terraform/modules/m/main.tf", INSECURE),
        ("examples/main.tf", INSECURE),
    ]);
    let files = |args: &[&str]| {
        let output = aoai_lint(dir.path())
            .args(["--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let report = json(&output.stdout);
        let mut files: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        files.dedup();
        files
    };
    assert_eq!(files(&[]), ["examples/main.tf", "live/main.tf"]);
    assert_eq!(files(&["--exclude", "examples"]), ["live/main.tf"]);
}

#[test]
fn compact_format_is_clickable() {
    let output = repo()
        .args(["fixtures/demo", "--format", "compact"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let first = text.lines().next().unwrap();
    let parts: Vec<_> = first.splitn(4, ':').collect();
    assert!(
        [".tf", ".bicep", ".json"]
            .iter()
            .any(|ending| parts[0].ends_with(ending)),
        "{first}"
    );
    assert!(
        parts[1].parse::<usize>().is_ok() && parts[2].parse::<usize>().is_ok(),
        "{first}"
    );
    assert!(
        parts[3].starts_with(" error[AOAI")
            || parts[3].starts_with(" warning[AOAI")
            || parts[3].starts_with(" note[AOAI")
    );
}

#[test]
fn rules_and_explain() {
    let output = repo().arg("rules").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for id in [
        "AOAI001", "AOAI002", "AOAI003", "AOAI004", "AOAI005", "AOAI006",
    ] {
        assert!(text.contains(id), "{id}");
    }
    let by_id = repo().args(["explain", "AOAI004"]).output().unwrap();
    let by_name = repo()
        .args(["explain", "local-auth-disabled"])
        .output()
        .unwrap();
    assert_eq!(by_id.stdout, by_name.stdout);
    let text = String::from_utf8(by_id.stdout).unwrap();
    assert!(text.contains("local_auth_enabled = false"), "{text}");
    assert!(text.contains("CKV_AZURE_236"), "{text}");
    repo().args(["explain", "nope"]).assert().code(2);
}

const SHADOWED_NOTE: &str = "is both a subcommand and a directory here";

/// A directory named as a subcommand is linted when it is given as a path: after `check`,
/// spelt `./NAME`, or after another argument.
#[test]
fn a_directory_named_as_a_subcommand_is_linted_when_given_as_a_path() {
    for name in ["rules", "init", "explain"] {
        let dir = tree(&[(&format!("{name}/main.tf"), INSECURE)]);
        let dotted = format!("./{name}");
        for args in [
            vec!["check", name, "--format", "compact"],
            vec![dotted.as_str(), "--format", "compact"],
            vec!["--format", "compact", name],
        ] {
            let output = aoai_lint(dir.path()).args(&args).output().unwrap();
            assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                stdout.contains("main.tf:1:1: error[AOAI001]"),
                "{args:?}: {stdout}"
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains(SHADOWED_NOTE), "{args:?}: {stderr}");
            assert!(!dir.path().join(".aoai-lint.hcl").exists(), "{args:?}");
        }
    }
}

/// A bare `aoai-lint rules` beside a directory `rules` runs the subcommand, as it does anywhere
/// (what a command does never depends on the working directory's contents), and says on
/// standard error how to lint the directory instead.
#[test]
fn a_bare_subcommand_beside_a_directory_of_its_name_runs_and_says_how_to_lint_it() {
    let dir = tree(&[
        ("rules/main.tf", INSECURE),
        ("init/main.tf", INSECURE),
        ("explain/main.tf", INSECURE),
    ]);
    let cases: [(&[&str], i32, &str); 4] = [
        (&["rules"], 0, "local-auth-disabled"),
        (&["explain", "AOAI004"], 0, "local_auth_enabled = false"),
        (&["init"], 0, ""),
        // A subcommand given paths: clap's error, and the way to lint them.
        (&["rules", "init"], 2, ""),
    ];
    for (args, code, shown) in cases {
        let output = aoai_lint(dir.path()).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(code), "{args:?}: {output:?}");
        assert!(String::from_utf8_lossy(&output.stdout).contains(shown));
        let stderr = String::from_utf8_lossy(&output.stderr);
        let name = args[0];
        assert!(
            stderr.contains(&format!("note: `{name}` {SHADOWED_NOTE}")),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("`aoai-lint check {name}` or `aoai-lint ./{name}`")),
            "{args:?}: {stderr}"
        );
    }
    assert!(dir.path().join(".aoai-lint.hcl").is_file());
    // Without such a directory, nothing is said.
    let output = repo().arg("rules").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty(), "{output:?}");
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    aoai_lint(dir.path()).arg("init").assert().code(0);
    let text = fs::read_to_string(dir.path().join(".aoai-lint.hcl")).unwrap();
    assert!(aoai_lint::config::parse("t", &text).is_ok());
    aoai_lint(dir.path()).arg("init").assert().code(2);
    aoai_lint(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0);
}

#[test]
fn usage_and_io_errors_exit_2() {
    repo().args(["does/not/exist"]).assert().code(2);
    repo().args(["--format", "yaml"]).assert().code(2);
    repo().args(["--version"]).assert().code(0);
}

#[test]
fn no_color_is_honoured() {
    let output = repo()
        .args(["fixtures/demo", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains('\u{1b}'));
    let output = repo()
        .args(["fixtures/demo", "--color", "never"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains('\u{1b}'));
}

#[test]
fn location_sets_the_resource_group_location_of_bicep_and_arm() {
    let bicep = "resource oai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: resourceGroup().location\n  kind: 'OpenAI'\n}\n";
    let arm = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.CognitiveServices/accounts",
      "apiVersion": "2024-10-01",
      "name": "oai",
      "location": "[resourceGroup().location]",
      "kind": "OpenAI"
    }
  ]
}
"#;
    let dir = tree(&[("main.bicep", bicep), ("azuredeploy.json", arm)]);
    let region_findings = |extra: &[&str]| -> Vec<(String, String)> {
        let output = aoai_lint(dir.path())
            .args([
                "--format",
                "json",
                "--select",
                "AOAI005",
                "--approved-regions",
                "swedencentral",
            ])
            .args(extra)
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .map(|f| {
                let outcome = f["outcome"].as_str().unwrap().to_string();
                (outcome, f["message"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let without = region_findings(&[]);
    assert_eq!(without.len(), 2);
    for (outcome, message) in &without {
        assert_eq!(outcome, "unknown");
        assert!(message.contains("pass --location REGION"), "{message}");
    }
    let elsewhere = region_findings(&["--location", "East US 2"]);
    assert_eq!(elsewhere.len(), 2);
    for (outcome, message) in &elsewhere {
        assert_eq!(outcome, "fail");
        assert!(
            message.contains("`eastus2` is not an approved region"),
            "{message}"
        );
    }
    assert!(region_findings(&["--location", "swedencentral"]).is_empty());
}

#[test]
fn a_module_at_the_working_directory_is_followed_from_its_examples() {
    let module = "variable \"public\" {\n  default = false\n}\nresource \"azurerm_cognitive_account\" \"this\" {\n  name                          = \"oai\"\n  location                      = \"swedencentral\"\n  kind                          = \"OpenAI\"\n  public_network_access_enabled = var.public\n}\n";
    let example =
        "provider \"azurerm\" {}\nmodule \"test\" {\n  source = \"../../\"\n  public = true\n}\n";
    let dir = tree(&[("main.tf", module), ("examples/default/main.tf", example)]);
    for path in ["examples/default", "."] {
        let output = aoai_lint(dir.path())
            .args(["--format", "json", "--select", "AOAI001,AOAI900", path])
            .output()
            .unwrap();
        let found: Vec<_> = findings_of(&output)
            .iter()
            .map(|f| {
                (
                    f["rule"].clone(),
                    f["file"].clone(),
                    f["line"].clone(),
                    f["resource"].clone(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [(
                "AOAI001".into(),
                "examples/default/main.tf".into(),
                4.into(),
                "module.test.azurerm_cognitive_account.this".into()
            )],
            "linting {path}"
        );
    }
}

#[test]
fn a_module_finding_shared_by_callers_is_reported_once_naming_them_unless_per_caller() {
    let module = "resource \"azurerm_cognitive_account\" \"this\" {\n  name     = \"oai\"\n  location = \"swedencentral\"\n  kind     = \"OpenAI\"\n}\n";
    let example =
        "provider \"azurerm\" {}\nmodule \"test\" {\n  source = \"../../modules/oai\"\n}\n";
    let twice = format!("{example}module \"again\" {{\n  source = \"../../modules/oai\"\n}}\n");
    let dir = tree(&[
        ("modules/oai/main.tf", module),
        ("examples/a/main.tf", example),
        ("examples/b/main.tf", &twice),
    ]);
    let found = |extra: &[&str]| {
        let output = aoai_lint(dir.path())
            .args(["--format", "json", "--select", "AOAI001"])
            .args(extra)
            .output()
            .unwrap();
        let found = findings_of(&output);
        assert!(found.iter().all(|f| f["file"] == "modules/oai/main.tf"));
        found
    };
    let once = found(&[]);
    assert_eq!(once.len(), 1);
    assert_eq!(
        once[0]["resource"],
        "module.test.azurerm_cognitive_account.this"
    );
    assert_eq!(
        once[0]["also_for"],
        serde_json::json!([
            "module.again.azurerm_cognitive_account.this in examples/b",
            "module.test.azurerm_cognitive_account.this in examples/b",
        ])
    );
    let each = found(&["--per-caller"]);
    assert_eq!(each.len(), 3);
    assert!(each.iter().all(|f| f.get("also_for").is_none()));

    let output = aoai_lint(dir.path())
        .args(["--format", "compact", "--select", "AOAI001"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("[module.test.azurerm_cognitive_account.this; also for module.again.azurerm_cognitive_account.this in examples/b, module.test"),
        "{stdout}"
    );
}

#[test]
fn several_formats_are_written_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let output = repo()
        .args(["fixtures/demo", "--format", "sarif", "--output"])
        .arg(&sarif)
        .args(["--format", "junit", "--output"])
        .arg(&junit)
        .args(["--format", "compact"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("error[AOAI001]"), "{stdout}");
    let document: Value = serde_json::from_slice(&fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(document["version"], "2.1.0");
    let xml = fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml") && xml.trim_end().ends_with("</testsuites>"));
    // Only the reports are left: no temporary files.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);

    for bad in [
        vec!["--format", "json", "--format", "compact"],
        vec!["--format", "json", "--output", "a", "--output", "b"],
    ] {
        let output = repo().arg("fixtures/demo").args(&bad).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn suppressions_silence_findings_and_report_their_own_problems() {
    let output = repo()
        .args([
            "fixtures/suppressions",
            "--format",
            "json",
            "--show-suppressed",
            // The fixture is about the suppressions of AOAI001-AOAI004.
            "--select",
            "AOAI001,AOAI002,AOAI003,AOAI004,AOAI901",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    let lines = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{}:{} {}",
                    f["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                    f["line"],
                    f["rule"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        lines("findings"),
        [
            "main.tf:15 AOAI901", // suppresses nothing: local auth is off
            "main.tf:20 AOAI901", // AOAI999 is not a rule
            "main.tf:20 AOAI901", // expired
            "main.tf:26 AOAI001", // ... so the finding is back
            "main.tf:28 AOAI901", // no reason
        ]
    );
    assert_eq!(
        lines("suppressed"),
        [
            "main.bicep:5 AOAI002", // line above the resource
            "main.bicep:5 AOAI003", // ignore-file
            "main.tf:7 AOAI002",    // line above the resource
            "main.tf:7 AOAI003",    // checkov:skip=CKV2_AZURE_22 inside the block
            "main.tf:14 AOAI001",   // line above the attribute, not yet expired
            "main.tf:19 AOAI002",   // inside the block (without a reason: reported too)
        ]
    );
    assert_eq!(report["summary"]["suppressed"], 6);
    assert!(report["suppressed"][0]["suppressed"].is_string());

    // Without --show-suppressed they are counted but not listed.
    let output = repo()
        .args(["fixtures/suppressions", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&output.stdout);
    assert!(report.get("suppressed").is_none());
    assert_eq!(report["summary"]["suppressed"], 6);
}

#[test]
fn a_mistyped_suppression_is_reported_and_suppresses_nothing() {
    let text = format!("# aoai-lint:ignore AOAI001 behind the corporate proxy\n{INSECURE}");
    let dir = tree(&[("main.tf", &text)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001,AOAI901"])
        .output()
        .unwrap();
    let found: Vec<(String, u64, String)> = findings_of(&output)
        .iter()
        .map(|f| {
            let rule = f["rule"].as_str().unwrap().to_string();
            (rule, f["line"].as_u64().unwrap(), f["message"].to_string())
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("AOAI901", 1));
    assert!(
        found[0]
            .2
            .contains("write `aoai-lint:ignore[RULE, ...] reason`"),
        "{found:?}"
    );
    assert_eq!(found[1].0, "AOAI001");
}

/// Each directory's findings as `dir:line RULE`, and the AOAI901 messages.
fn findings_by_dir(output: &std::process::Output) -> (Vec<String>, Vec<String>) {
    let findings = findings_of(output);
    let located = findings
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            let dir = file.split('/').next().unwrap();
            format!("{dir}:{} {}", f["line"], f["rule"].as_str().unwrap())
        })
        .collect();
    let messages = findings
        .iter()
        .filter(|f| f["rule"] == "AOAI901")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    (located, messages)
}

#[test]
fn a_malformed_expiry_in_terraform_suppresses_nothing_and_is_reported() {
    let suppressed = |comment: &str| format!("{comment}\n{INSECURE}");
    let files = [
        (
            "a/main.tf",
            suppressed("# aoai-lint:ignore[AOAI004] rotated keys exp:2020-1-5"),
        ),
        (
            "b/main.tf",
            suppressed("// aoai-lint:ignore[AOAI004] rotated keys exp:20200101"),
        ),
        (
            "c/main.tf",
            suppressed("/* aoai-lint:ignore[AOAI004] rotated keys exp:yesterday */"),
        ),
        (
            "d/main.tf",
            suppressed("#checkov:skip=CKV_AZURE_236:rotated keys exp:2026-13-45"),
        ),
        (
            "e/main.tf",
            suppressed("# aoai-lint:ignore[AOAI004] rotated keys exp:2999-12-31"),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = tree(&files);
    let output = aoai_lint(dir.path())
        .args([".", "--format", "json", "--select", "AOAI004,AOAI901"])
        .output()
        .unwrap();
    let (located, messages) = findings_by_dir(&output);
    // The finding stays reported beside the AOAI901 at the comment; a real date suppresses it.
    let expected =
        ["a", "b", "c", "d"].map(|d| [format!("{d}:1 AOAI901"), format!("{d}:2 AOAI004")]);
    assert_eq!(located, expected.concat(), "{messages:?}");
    for (message, written) in
        messages
            .iter()
            .zip(["2020-1-5", "20200101", "yesterday", "2026-13-45"])
    {
        assert!(
            message.starts_with(&format!("`exp:{written}` is not a")),
            "{message}"
        );
        assert!(message.contains("suppresses nothing") && message.contains("`exp:YYYY-MM-DD`"));
    }
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_malformed_expiry_in_bicep_suppresses_nothing_and_is_reported() {
    let account = "resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  sku: { name: 'S0' }\n}\n";
    let suppressed = |comment: &str| format!("{comment}\n{account}");
    let files = [
        (
            "a/main.bicep",
            suppressed("// aoai-lint:ignore[AOAI004] rotated keys exp:2027-02-29"),
        ),
        (
            "b/main.bicep",
            suppressed("/* aoai-lint:ignore[AOAI004] rotated keys exp:2030-1-31 */"),
        ),
        (
            "c/main.bicep",
            suppressed("// aoai-lint:ignore[AOAI004] rotated keys exp:2999-12-31"),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = tree(&files);
    let output = aoai_lint(dir.path())
        .args([".", "--format", "json", "--select", "AOAI004,AOAI901"])
        .output()
        .unwrap();
    let (located, messages) = findings_by_dir(&output);
    assert_eq!(
        located,
        ["a:1 AOAI901", "a:2 AOAI004", "b:1 AOAI901", "b:2 AOAI004"],
        "{messages:?}"
    );
    assert!(
        messages[0].starts_with("`exp:2027-02-29` is not a real date"),
        "{messages:?}"
    );
    assert!(messages[1].starts_with("`exp:2030-1-31` is not a date written YYYY-MM-DD"));
}

#[test]
fn a_broad_role_on_a_group_of_many_accounts_names_five_and_counts_the_rest() {
    let mut text = String::from(
        "resource \"azurerm_resource_group\" \"rg\" {\n  name = \"rg\"\n  location = \"swedencentral\"\n}\n",
    );
    for i in 0..7 {
        text.push_str(&format!(
            "resource \"azurerm_cognitive_account\" \"a{i}\" {{\n  name = \"a{i}\"\n  location = \"swedencentral\"\n  resource_group_name = azurerm_resource_group.rg.name\n  kind = \"OpenAI\"\n  sku_name = \"S0\"\n}}\n"
        ));
    }
    text.push_str("resource \"azurerm_role_assignment\" \"team\" {\n  scope = azurerm_resource_group.rg.id\n  role_definition_name = \"Contributor\"\n  principal_id = \"p\"\n}\n");
    let dir = tree(&[("main.tf", &text)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI006"])
        .output()
        .unwrap();
    let findings = findings_of(&output);
    assert_eq!(findings.len(), 1);
    let message = findings[0]["message"].as_str().unwrap();
    let named: Vec<String> = (0..5)
        .map(|i| format!("`azurerm_cognitive_account.a{i}`"))
        .collect();
    let holds = format!("{} and 2 more accounts can read", named.join(", "));
    assert!(message.contains(&holds), "{message}");
    assert!(!message.contains("a5`"), "{message}");
}

/// A name doubled `levels` times from `seed` in each language (Terraform locals `l0`..,
/// Bicep vars and ARM variables `v0`..), and an account that reads the last where `reads`
/// says (`{last}` stands for it). In `double`, `{j}` stands for the name before.
struct Doubled<'a> {
    seed: [&'a str; 3],
    double: [&'a str; 2],
    reads: [&'a str; 3],
}

impl Doubled<'_> {
    fn files(&self, levels: usize) -> [(&'static str, String); 3] {
        let [tf_seed, bicep_seed, arm_seed] = self.seed;
        let mut terraform = format!("locals {{\n  l0 = {tf_seed}\n");
        let mut bicep = format!("var v0 = {bicep_seed}\n");
        let mut arm_variables = vec![format!(r#""v0": {arm_seed}"#)];
        for i in 1..=levels {
            let j = (i - 1).to_string();
            let [tf_double, bicep_double] = self.double.map(|d| d.replace("{j}", &j));
            terraform.push_str(&format!("  l{i} = {tf_double}\n"));
            bicep.push_str(&format!("var v{i} = {bicep_double}\n"));
            // ARM's `concat` joins strings and arrays alike.
            arm_variables.push(format!(
                r#""v{i}": "[concat(variables('v{j}'), variables('v{j}'))]""#
            ));
        }
        let last = levels.to_string();
        let [tf_reads, bicep_reads, arm_reads] = self.reads.map(|r| r.replace("{last}", &last));
        terraform.push_str(&format!(
            "}}\nresource \"azurerm_cognitive_account\" \"a\" {{\n  name = \"a\"\n  resource_group_name = \"rg\"\n  kind = \"OpenAI\"\n  sku_name = \"S0\"\n  {tf_reads}\n}}\n"
        ));
        bicep.push_str(&format!(
            "resource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {{\n  name: 'a'\n  kind: 'OpenAI'\n  sku: {{\n    name: 'S0'\n  }}\n  {bicep_reads}\n}}\n"
        ));
        let arm = format!(
            r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "variables": {{{}}}, "resources": [{{"type": "Microsoft.CognitiveServices/accounts", "apiVersion": "2024-10-01", "name": "a", "kind": "OpenAI", "sku": {{"name": "S0"}}, {arm_reads}}}]}}"#,
            arm_variables.join(", ")
        );
        [
            ("main.tf", terraform),
            ("main.bicep", bicep),
            ("azuredeploy.json", arm),
        ]
    }
}

/// A location doubled `levels` times from `ab`: 2^(levels + 1) characters.
fn doubled_location(levels: usize) -> [(&'static str, String); 3] {
    let doubled = Doubled {
        seed: [r#""ab""#, "'ab'", r#""ab""#],
        double: [r#""${local.l{j}}${local.l{j}}""#, "'${v{j}}${v{j}}'"],
        reads: [
            "location = local.l{last}",
            "location: v{last}",
            r#""location": "[variables('v{last}')]", "properties": {}"#,
        ],
    };
    doubled.files(levels)
}

/// Each file alone gives one finding of `rule`, unknown, whose message says `why`.
fn unknown_because(files: &[(&str, String)], rule: &str, why: &str) {
    for (name, text) in files {
        let dir = tree(&[(name, text)]);
        let output = aoai_lint(dir.path())
            .args(["--format", "json", "--select", rule])
            .output()
            .unwrap();
        let findings = findings_of(&output);
        assert_eq!(findings.len(), 1, "{name}: {findings:?}");
        assert_eq!(findings[0]["outcome"], "unknown", "{name}");
        let message = findings[0]["message"].as_str().unwrap();
        assert!(message.contains(why), "{name}: {message}");
    }
}

#[test]
fn strings_doubled_past_64_kib_are_unknown_in_every_language() {
    // 2^22 characters: megabytes from a few lines; doubled thirty times, gigabytes.
    let why = "`location` builds a string of more than 64 KiB, which is not evaluated";
    unknown_because(&doubled_location(21), "AOAI005", why);
}

/// Public network access decided by whether a list doubled `levels` times from two elements is
/// empty.
fn doubled_list(levels: usize) -> [(&'static str, String); 3] {
    let doubled = Doubled {
        seed: [r#"["a", "b"]"#, "[\n  'a'\n  'b'\n]", r#"["a", "b"]"#],
        double: ["concat(local.l{j}, local.l{j})", "concat(v{j}, v{j})"],
        reads: [
            "location = \"swedencentral\"\n  public_network_access_enabled = length(local.l{last}) > 0",
            "location: 'swedencentral'\n  properties: {\n    publicNetworkAccess: empty(v{last}) ? 'Disabled' : 'Enabled'\n  }",
            r#""location": "swedencentral", "properties": {"publicNetworkAccess": "[if(empty(variables('v{last}')), 'Disabled', 'Enabled')]"}"#,
        ],
    };
    doubled.files(levels)
}

const TOO_BIG: &str = "builds a list or object of more than 16 MiB, which is not evaluated";

#[test]
fn lists_multiplied_past_16_mib_are_unknown_in_every_language() {
    // Two million elements from twenty lines; from thirty, a billion.
    unknown_because(&doubled_list(20), "AOAI001", TOO_BIG);
}

#[test]
fn a_literal_of_many_references_to_a_big_list_is_unknown() {
    // 100 references to a list of 2^17 elements: 400 MiB if built.
    let [(name, text), ..] = doubled_list(16);
    let references = vec!["local.l16"; 100].join(", ");
    let literal = format!("length([{references}]) > 0");
    let text = text.replace("length(local.l16) > 0", &literal);
    unknown_because(&[(name, text)], "AOAI001", TOO_BIG);
}

#[test]
fn baseline_round_trip_reports_only_new_findings_and_counts_fixed_ones() {
    let dir = tree(&[("main.tf", INSECURE)]);
    let baseline = dir.path().join("baseline.json");
    let output = aoai_lint(dir.path())
        .args(["--write-baseline", "baseline.json", "--format", "compact"])
        .output()
        .unwrap();
    // The findings are recorded, not failed on.
    assert_eq!(output.status.code(), Some(0));
    let text = fs::read_to_string(&baseline).unwrap();
    assert!(
        text.starts_with("{\n  \"version\": 2,\n  \"findings\": [\n    {\"file\":\"main.tf\""),
        "{text}"
    );
    // Stable: writing it again gives the same bytes.
    aoai_lint(dir.path())
        .args(["--write-baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(fs::read_to_string(&baseline).unwrap(), text);

    let summary = |output: &std::process::Output| json(&output.stdout)["summary"].clone();
    let output = aoai_lint(dir.path())
        .args(["--baseline", "baseline.json", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(findings_of(&output).is_empty());
    let baselined = summary(&output)["baselined"].as_u64().unwrap();
    assert!(baselined > 0);

    // A new account is reported; moving lines does not matter; a fixed finding is counted.
    let moved = format!(
        "\n\n{}",
        INSECURE.replace(
            "resource_group_name = \"rg\"",
            "resource_group_name = \"rg\"\n  local_auth_enabled  = false"
        )
    );
    let added = INSECURE
        .replace("\"main\"", "\"second\"")
        .replace("\"oai\"", "\"oai-2\"");
    fs::write(dir.path().join("main.tf"), format!("{moved}\n{added}")).unwrap();
    let output = aoai_lint(dir.path())
        .args(["--baseline", "baseline.json", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let found = findings_of(&output);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|f| f["resource"] == "azurerm_cognitive_account.second")
    );
    assert_eq!(summary(&output)["baseline_fixed"], 1); // local auth now disabled on `main`
}

#[test]
fn a_baseline_run_on_part_of_the_tree_calls_only_entries_of_what_it_linted_fixed() {
    let dir = tree(&[
        ("a/main.tf", INSECURE),
        ("b/main.tf", INSECURE),
        ("c/main.tf", INSECURE),
    ]);
    aoai_lint(dir.path())
        .args([".", "--write-baseline", "base.json"])
        .assert()
        .code(0);
    let entries_of_c = fs::read_to_string(dir.path().join("base.json"))
        .unwrap()
        .matches("\"file\":\"c/main.tf\"")
        .count();
    assert!(entries_of_c > 0);
    // One finding of a/ is fixed; c/main.tf is deleted; b/ is as it was.
    let fixed = INSECURE.replace("kind ", "local_auth_enabled = false\n  kind ");
    fs::write(dir.path().join("a/main.tf"), fixed).unwrap();
    fs::remove_file(dir.path().join("c/main.tf")).unwrap();
    fs::write(dir.path().join("c/other.tf"), "").unwrap();
    let fixed_in = |cwd: &str, path: &str, baseline: &str| {
        let output = aoai_lint(&dir.path().join(cwd))
            .args([path, "--baseline", baseline, "--format", "json"])
            .output()
            .unwrap();
        json(&output.stdout)["summary"]["baseline_fixed"].clone()
    };
    assert_eq!(fixed_in(".", "a", "base.json"), 1);
    assert_eq!(fixed_in(".", "a/main.tf", "base.json"), 1);
    assert_eq!(fixed_in("a", ".", "../base.json"), 1);
    assert_eq!(fixed_in(".", "b", "base.json"), 0);
    // The deleted file's entries are fixed when a path that held it is linted.
    assert_eq!(fixed_in(".", "c", "base.json"), entries_of_c);
    assert_eq!(fixed_in(".", ".", "base.json"), 1 + entries_of_c);
    // A file that no longer parses was not linted: its findings are not known to be fixed.
    fs::write(dir.path().join("b/main.tf"), "resource {").unwrap();
    assert_eq!(fixed_in(".", "b", "base.json"), 0);
}

#[test]
fn stdin_buffer_is_linted_as_the_named_file_with_its_siblings() {
    let endpoint = "resource \"azurerm_private_endpoint\" \"pe\" {\n  private_service_connection {\n    private_connection_resource_id = azurerm_cognitive_account.main.id\n    subresource_names              = [\"account\"]\n  }\n}\n";
    let dir = tree(&[("main.tf", INSECURE), ("network.tf", endpoint)]);
    // The buffer differs from the file on disk: local auth is off in the editor.
    let buffer = INSECURE.replace(
        "sku_name            = \"S0\"",
        "sku_name            = \"S0\"\n  local_auth_enabled  = false",
    );
    let run = |name: &str| {
        let output = aoai_lint(dir.path())
            .args(["--stdin-filename", name, "--format", "json"])
            .args(["--select", "AOAI001,AOAI002,AOAI003,AOAI004"])
            .write_stdin(buffer.clone())
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["file"].as_str().unwrap(),
                    f["rule"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    // AOAI002 passes thanks to network.tf; AOAI004 passes thanks to the buffer.
    assert_eq!(run("main.tf"), ["main.tf AOAI001", "main.tf AOAI003"]);
    // A buffer not saved yet, in a directory that does not exist yet, works too.
    assert_eq!(
        run("sub/new.tf"),
        [
            "sub/new.tf AOAI001",
            "sub/new.tf AOAI002",
            "sub/new.tf AOAI003"
        ]
    );
}

/// An editor that names a buffer the linter does not read learns it, instead of a clean run.
#[test]
fn a_stdin_filename_the_linter_does_not_read_is_a_usage_error_naming_the_accepted_ones() {
    let dir = tree(&[("main.tf", INSECURE)]);
    for name in ["foo.txt", "main.tf.bak", "Makefile", "sub/"] {
        let output = aoai_lint(dir.path())
            .args(["--stdin-filename", name])
            .write_stdin(INSECURE)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}: {output:?}");
        assert!(output.stdout.is_empty(), "{name}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        for accepted in [
            ".tf",
            ".tfvars",
            ".tf.json",
            ".bicep",
            ".bicepparam",
            ".json",
        ] {
            assert!(stderr.contains(accepted), "{name}: {stderr}");
        }
    }
}

#[test]
fn data_residency_modes_decide_which_deployment_skus_fail() {
    let dir = "fixtures/rules/AOAI011-data-residency/terraform/pass";
    let run = |args: &[&str]| -> Vec<String> {
        let output = repo()
            .args([dir, "--select", "AOAI011", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .map(|f| format!("{} {}", f["line"], f["outcome"].as_str().unwrap()))
            .collect()
    };
    // The case's `.aoai-lint.hcl` says datazone-eu: a DataZone deployment of a Swedish account
    // stays in the zone.
    assert!(run(&[]).is_empty());
    // Only the account's own region: the DataZone SKU (line 29) goes beyond it.
    assert_eq!(run(&["--data-residency", "region"]), ["29 fail"]);
    // The US zone does not contain Sweden.
    assert_eq!(run(&["--data-residency", "datazone-us"]), ["29 fail"]);
    // Off: nothing is checked, whatever the file says.
    assert!(run(&["--data-residency", "off"]).is_empty());
    assert!(run(&["--no-config"]).is_empty());
}

#[test]
fn config_next_to_the_linted_files_wins_over_the_working_directory() {
    let deployment = "resource \"azurerm_cognitive_deployment\" \"d\" {\n  cognitive_account_id = \"x\"\n  sku {\n    name = \"GlobalStandard\"\n  }\n}\n";
    let dir = tree(&[
        ("infra/main.tf", deployment),
        ("infra/.aoai-lint.hcl", "data_residency = \"region\"\n"),
        (".aoai-lint.hcl", "data_residency = \"off\"\n"),
    ]);
    let output = aoai_lint(dir.path())
        .args(["infra", "--select", "AOAI011", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(findings_of(&output).len(), 1);
    // Walked from above, the files of `infra` still use the configuration beside them.
    let output = aoai_lint(dir.path())
        .args(["--select", "AOAI011", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(findings_of(&output).len(), 1);
}

/// A Bicep loop over a known list is checked per element: the element that differs in a
/// checked value is reported with its index, and a loop whose elements agree is reported once.
#[test]
fn bicep_loops_are_checked_per_element() {
    let fail = Path::new(ROOT).join("fixtures/rules/AOAI005-approved-region/bicep/fail/loops");
    let output = aoai_lint(&fail)
        .args(["--format", "json", "--approved-regions", "swedencentral"])
        .output()
        .unwrap();
    let resources: Vec<String> = findings_of(&output)
        .iter()
        .filter(|f| f["rule"] == "AOAI005")
        .map(|f| f["resource"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(resources, ["accounts[1]", "mapped[1]"]);
    // Names differ per element (`'oai-${i}'`), which no check tells apart: reported once.
    let agree = "resource accounts 'Microsoft.CognitiveServices/accounts@2024-10-01' = [for i in range(0, 3): {\n  name: 'oai-${i}'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  properties: {\n    customSubDomainName: 'oai-${i}'\n  }\n}]\n";
    let dir = tree(&[("main.bicep", agree)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let aoai001: Vec<String> = findings_of(&output)
        .iter()
        .filter(|f| f["rule"] == "AOAI001")
        .map(|f| f["resource"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(aoai001, ["accounts"]);
}

/// Loops within loops over known lists multiply; past a budget per template, what they build
/// is unknown, saying so, rather than evaluated for ever.
#[test]
fn nested_bicep_loops_past_the_element_budget_are_unknown() {
    let template = "var cube = [for a in range(0, 256): [for b in range(0, 256): [for c in range(0, 256): c]]]\n\nresource openai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  properties: {\n    publicNetworkAccess: cube[255][0][0] == 0 ? 'Enabled' : 'Disabled'\n  }\n}\n";
    let dir = tree(&[("main.bicep", template)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    let findings = findings_of(&output);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["outcome"], "unknown");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("elements evaluated in one template"),
        "{message}"
    );
}

#[test]
fn a_terraform_plan_is_linted_without_showing_its_sensitive_values() {
    let plan = r#"{
  "format_version": "1.2",
  "variables": {"subdomain": {"value": "s3cr3t-subdomain"}},
  "planned_values": {"root_module": {"resources": [{
    "address": "azurerm_cognitive_account.oai",
    "mode": "managed",
    "type": "azurerm_cognitive_account",
    "name": "oai",
    "values": {
      "name": "oai-plan",
      "location": "swedencentral",
      "kind": "OpenAI",
      "custom_subdomain_name": "s3cr3t-subdomain",
      "public_network_access_enabled": true
    },
    "sensitive_values": {"custom_subdomain_name": true}
  }]}},
  "configuration": {"root_module": {"variables": {"subdomain": {"sensitive": true}}}}
}
"#;
    let dir = tree(&[
        ("main.tf", "# the configuration of the plan\n"),
        ("tfplan.json", plan),
    ]);
    for format in ["human", "json", "sarif", "compact", "github"] {
        let output = aoai_lint(dir.path())
            .args([
                "tfplan.json",
                "--format",
                format,
                "--select",
                "AOAI001,AOAI008",
            ])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}: {stdout}");
        assert!(stdout.contains("AOAI001"), "{format}: {stdout}");
        assert!(
            !stdout.contains("s3cr3t"),
            "{format} shows a sensitive value: {stdout}"
        );
    }
    let output = aoai_lint(dir.path())
        .args(["tfplan.json", "--format", "json", "--select", "AOAI008"])
        .output()
        .unwrap();
    let found = findings_of(&output);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["outcome"], "unknown");
    assert!(found[0]["message"].as_str().unwrap().contains("sensitive"));
}

#[test]
fn a_broken_or_unsupported_plan_is_a_located_error_and_other_json_is_skipped() {
    let dir = tree(&[
        (
            "truncated.json",
            "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {",
        ),
        (
            "future.json",
            "{\n  \"format_version\": \"2.0\",\n  \"planned_values\": {}\n}\n",
        ),
        (
            "package.json",
            "{\"name\": \"app\", \"version\": \"1.0.0\"}\n",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<(String, u64)> = document["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("future.json".to_string(), 2),
            ("truncated.json".to_string(), 1)
        ]
    );
    assert!(error_message(&output, 0).contains("2.0"));
}

#[test]
fn plan_names_a_plan_of_any_name_and_refuses_other_files() {
    let plan = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rules/AOAI001-public-network-access/plan/fail/plan.json"),
    )
    .unwrap();
    let dir = tree(&[
        ("out/plan.out.json", &plan),
        (
            "main.tf",
            "resource \"azurerm_cognitive_account\" \"x\" {\n  kind = \"OpenAI\"\n}\n",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args([
            "--plan",
            "out/plan.out.json",
            "--format",
            "json",
            "--select",
            "AOAI001",
        ])
        .output()
        .unwrap();
    let files: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, ["out/plan.out.json"]);
    let output = aoai_lint(dir.path())
        .args(["--plan", "main.tf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a Terraform plan"));
}

#[test]
fn plan_findings_point_at_the_tf_source_beside_it_and_its_suppressions_apply() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/parity/quickstart-defaults");
    let hcl = fs::read_to_string(root.join("terraform/main.tf")).unwrap();
    let hcl = hcl.replace(
        "resource \"azurerm_cognitive_account\" \"openai\" {",
        "# aoai-lint:ignore[AOAI008] the subdomain comes with the network work\nresource \"azurerm_cognitive_account\" \"openai\" {",
    );
    let plan = fs::read_to_string(root.join("plan/tfplan.json")).unwrap();
    let dir = tree(&[("main.tf", &hcl), ("tfplan.json", &plan)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001,AOAI006,AOAI008"])
        .output()
        .unwrap();
    let found: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| {
            format!(
                "{}:{} {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    // The account's header (public access is the provider's default) and the role argument.
    assert_eq!(found, ["main.tf:7 AOAI001", "main.tf:17 AOAI006"]);
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["summary"]["suppressed"], 1);
}

#[test]
fn plan_findings_in_a_local_module_point_at_the_module_source() {
    let plan = r#"{"format_version": "1.2",
  "planned_values": {"root_module": {"child_modules": [{"address": "module.app", "resources": [{
    "address": "module.app.azurerm_cognitive_account.this", "mode": "managed",
    "type": "azurerm_cognitive_account", "name": "this",
    "values": {"name": "oai-app", "kind": "OpenAI", "public_network_access_enabled": true}}]}]}},
  "configuration": {"root_module": {"module_calls": {"app": {"source": "./modules/app", "module": {}}}}}
}"#;
    let module = "resource \"azurerm_cognitive_account\" \"this\" {\n  name = \"oai-app\"\n  kind = \"OpenAI\"\n  public_network_access_enabled = true\n}\n";
    let dir = tree(&[
        (
            "main.tf",
            "module \"app\" {\n  source = \"./modules/app\"\n}\n",
        ),
        ("modules/app/main.tf", module),
        ("tfplan.json", plan),
    ]);
    let located = |args: &[&str]| -> Vec<String> {
        let output = aoai_lint(dir.path())
            .args(args)
            .args(["--format", "json", "--select", "AOAI001"])
            .output()
            .unwrap();
        located(&output)
    };
    assert_eq!(located(&["."]), ["modules/app/main.tf:4"]);
    // The plan given alone sits in its root module: its findings go to the source too.
    assert_eq!(located(&["tfplan.json"]), ["modules/app/main.tf:4"]);
}

#[test]
fn plan_root_names_the_configuration_of_a_plan_made_elsewhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/parity/quickstart-defaults");
    let hcl = fs::read_to_string(root.join("terraform/main.tf")).unwrap();
    let plan = fs::read_to_string(root.join("plan/tfplan.json")).unwrap();
    let dir = tree(&[("infra/main.tf", &hcl), ("out/plan.json", &plan)]);
    let output = aoai_lint(dir.path())
        .args(["--plan", "out/plan.json", "--plan-root", "infra"])
        .args(["--format", "json", "--select", "AOAI006"])
        .output()
        .unwrap();
    let found: Vec<String> = located(&output);
    assert_eq!(found, ["infra/main.tf:16"]);
}

#[test]
fn files_with_a_byte_order_mark_are_read_as_terraform_bicep_and_arm_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let bom = |text: &str| [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let tf = "resource \"azurerm_cognitive_account\" \"oai\" {\n  name     = \"oai\"\n  location = \"swedencentral\"\n  kind     = \"OpenAI\"\n  public_network_access_enabled = var.public\n}\nvariable \"public\" {\n  type = bool\n}\n";
    fs::create_dir_all(dir.path().join("tf")).unwrap();
    fs::write(dir.path().join("tf/main.tf"), bom(tf)).unwrap();
    fs::write(
        dir.path().join("tf/terraform.tfvars"),
        bom("public = true\n"),
    )
    .unwrap();
    let arm = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [{"type": "Microsoft.CognitiveServices/accounts", "apiVersion": "2024-10-01",
    "name": "oai", "location": "swedencentral", "kind": "OpenAI"}]
}
"#;
    fs::create_dir_all(dir.path().join("arm8")).unwrap();
    fs::write(dir.path().join("arm8/azuredeploy.json"), bom(arm)).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(arm.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    fs::create_dir_all(dir.path().join("arm16")).unwrap();
    fs::write(dir.path().join("arm16/azuredeploy.json"), utf16).unwrap();
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["errors"], serde_json::json!([]));
    let mut files: Vec<String> = located(&output);
    files.sort();
    assert_eq!(
        files,
        [
            "arm16/azuredeploy.json:4",
            "arm8/azuredeploy.json:4",
            "tf/terraform.tfvars:1"
        ]
    );
}

#[test]
fn quiet_prints_only_findings_and_exit_zero_is_a_soft_fail_covering_parse_errors() {
    let dir = tree(&[
        (
            "main.tf",
            "resource \"azurerm_cognitive_account\" \"oai\" {\n  kind = \"OpenAI\"\n}\n",
        ),
        ("broken/main.tf", "resource \"x\" {\n"),
    ]);
    let run = |args: &[&str]| {
        aoai_lint(dir.path())
            .args(args)
            .args(["--select", "AOAI001", "--color", "never"])
            .output()
            .unwrap()
    };
    let loud = run(&[]);
    let quiet = run(&["--quiet"]);
    let loud_out = String::from_utf8(loud.stdout).unwrap();
    let quiet_out = String::from_utf8(quiet.stdout).unwrap();
    assert!(loud_out.contains("checked"), "{loud_out}");
    assert!(
        quiet_out.contains("AOAI001") && !quiet_out.contains("checked"),
        "{quiet_out}"
    );
    assert_eq!(quiet.status.code(), Some(2));
    // Findings and a file that does not parse: still reported, exit 0.
    let soft = run(&["--exit-zero", "--format", "compact"]);
    let soft_out = String::from_utf8(soft.stdout).unwrap();
    assert_eq!(soft.status.code(), Some(0));
    assert!(
        soft_out.contains("AOAI001") && soft_out.contains("broken/main.tf"),
        "{soft_out}"
    );
    // A usage error is not softened.
    assert_eq!(
        run(&["--exit-zero", "--select", "AOAI999"]).status.code(),
        Some(2)
    );
}

#[test]
fn completions_are_printed_for_the_shells_people_use() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef aoai-lint"),
        ("fish", "complete -c aoai-lint"),
    ] {
        let output = aoai_lint(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(
            script.contains(marker) && script.contains("approved-regions"),
            "{shell}: {script}"
        );
    }
    let output = aoai_lint(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn output_alone_takes_its_format_from_the_name_and_a_baseline_run_exits_zero() {
    let dir = tree(&[(
        "main.tf",
        "resource \"azurerm_cognitive_account\" \"oai\" {\n  kind = \"OpenAI\"\n}\n",
    )]);
    let output = aoai_lint(dir.path())
        .args([
            "--output",
            "report.sarif",
            "--output",
            "report.json",
            "--select",
            "AOAI001",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let sarif: Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let json: Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(json["findings"][0]["rule"], "AOAI001");
    let output = aoai_lint(dir.path())
        .args(["--output", "report.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("give a --format"));
    // Recording a baseline is not a failing run.
    let output = aoai_lint(dir.path())
        .args(["--write-baseline", "baseline.json", "--select", "AOAI001"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("baseline.json").is_file());
}

#[test]
fn colors_follow_term_dumb_and_clicolor_force() {
    let dir = tree(&[(
        "main.tf",
        "resource \"azurerm_cognitive_account\" \"oai\" {\n  kind = \"OpenAI\"\n}\n",
    )]);
    let run = |env: &[(&str, &str)]| {
        let mut command = aoai_lint(dir.path());
        command
            .args(["--select", "AOAI001"])
            .env_remove("NO_COLOR")
            .env_remove("TERM");
        for (key, value) in env {
            command.env(key, value);
        }
        String::from_utf8(command.output().unwrap().stdout).unwrap()
    };
    assert!(run(&[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")]).contains('\u{1b}'));
    assert!(!run(&[]).contains('\u{1b}'));
}

#[test]
fn checkov_ids_select_ignore_and_explain_their_equivalent_rules() {
    let output = repo()
        .args([
            "fixtures/demo",
            "--format",
            "json",
            "--select",
            "CKV_AZURE_134,CKV_AZURE_236",
        ])
        .output()
        .unwrap();
    let mut rules: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules.dedup();
    assert_eq!(rules, ["AOAI001", "AOAI004"]);
    let output = repo()
        .args([
            "fixtures/demo",
            "--format",
            "json",
            "--ignore",
            "CKV_AZURE_134",
        ])
        .output()
        .unwrap();
    assert!(findings_of(&output).iter().all(|f| f["rule"] != "AOAI001"));
    let output = repo().args(["explain", "ckv_azure_134"]).output().unwrap();
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with("AOAI001 public-network-access")
    );
}

#[test]
fn reasons_of_modules_within_modules_read_as_one_sentence() {
    let inner = "resource oai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n}\nresource pe 'Microsoft.Network/privateEndpoints@2023-11-01' = {\n  name: 'pe'\n  location: 'swedencentral'\n  properties: {\n    privateLinkServiceConnections: [\n      { name: 'oai', properties: { privateLinkServiceId: oai.id, groupIds: ['account'] } }\n    ]\n  }\n}\n";
    let dir = tree(&[
        (
            "main.bicep",
            "param deploy bool\nmodule outer 'outer.bicep' = if (deploy) {\n  name: 'outer'\n}\n",
        ),
        (
            "outer.bicep",
            "module middle 'middle.bicep' = {\n  name: 'middle'\n}\n",
        ),
        (
            "middle.bicep",
            "module inner 'inner.bicep' = {\n  name: 'inner'\n}\n",
        ),
        ("inner.bicep", inner),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI002"])
        .output()
        .unwrap();
    let found = findings_of(&output);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("it is in a module whose its condition"),
        "{message}"
    );
    assert!(!message.contains("whose it is in a module"), "{message}");
}

#[test]
fn no_ignore_walks_what_gitignore_hides() {
    let account = "resource \"azurerm_cognitive_account\" \"oai\" {\n  kind = \"OpenAI\"\n}\n";
    let dir = tree(&[
        (".gitignore", "generated/\n"),
        ("generated/main.tf", account),
        ("main.tf", account),
    ]);
    let files = |extra: &[&str]| -> Vec<String> {
        let output = aoai_lint(dir.path())
            .args(["--format", "json", "--select", "AOAI001"])
            .args(extra)
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(files(&[]), ["main.tf"]);
    assert_eq!(files(&["--no-ignore"]), ["main.tf", "generated/main.tf"]);
}

#[test]
fn module_notes_say_why_and_collapse_calls_of_one_source() {
    let main = "module a 'br/public:avm/res/web/site:0.1.0' = {\n  name: 'a'\n}\nmodule b 'br/public:avm/res/web/site:0.1.0' = {\n  name: 'b'\n}\nmodule arm 'nested.json' = {\n  name: 'arm'\n}\nmodule gone 'missing.bicep' = {\n  name: 'gone'\n}\n";
    let nested = "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"contentVersion\": \"1.0.0.0\", \"resources\": []}\n";
    let dir = tree(&[("main.bicep", main), ("nested.json", nested)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI900"])
        .output()
        .unwrap();
    let messages: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("`a` and 1 more calls of the same module"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("is an ARM template, which is not followed"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("cannot be read (no such file)"),
        "{}",
        messages[2]
    );
}

#[test]
fn an_arm_template_whose_resources_are_not_a_list_is_a_located_error() {
    let template = "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": \"none\"\n}\n";
    let dir = tree(&[("azuredeploy.json", template)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["errors"][0]["line"], 4);
    assert!(error_message(&output, 0).contains("`resources` must be an array"));
}

#[test]
fn an_approved_region_azure_openai_does_not_have_is_an_error_with_the_nearest_suggested() {
    let dir = tree(&[
        (
            ".aoai-lint.hcl",
            "approved_regions = [\"swedencentral\", \"westeurop\"]\n",
        ),
        ("main.tf", ""),
    ]);
    let output = aoai_lint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("did you mean `westeurope`") && stderr.contains(":1:38"),
        "{stderr}"
    );
    let output = aoai_lint(dir.path())
        .args([
            "--no-config",
            "--approved-regions",
            "Sweden Central,swedencentrl",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("did you mean `swedencentral`"));
}

#[test]
fn every_bad_approved_region_is_reported_not_only_the_first() {
    let config = "approved_regions = [\"westeurope\", \"nowhere\",\n  \"alsobad\"]\n";
    let dir = tree(&[(".aoai-lint.hcl", config), ("main.tf", "")]);
    let output = aoai_lint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (region, at) in [
        ("nowhere", ".aoai-lint.hcl:1:35"),
        ("alsobad", ".aoai-lint.hcl:2:3"),
    ] {
        let said = format!("`{region}` is not an Azure OpenAI region");
        assert!(
            stderr.contains(&said) && stderr.contains(at),
            "{region}: {stderr}"
        );
    }

    let output = aoai_lint(dir.path())
        .args([
            "--no-config",
            "--approved-regions",
            "nowhere,westeurope,alsobad",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for region in ["nowhere", "alsobad"] {
        let said = format!("--approved-regions: `{region}` is not an Azure OpenAI region");
        assert!(stderr.contains(&said), "{region}: {stderr}");
    }
    assert!(!stderr.contains("`westeurope`"), "{stderr}");
}

#[test]
fn a_bad_exclude_glob_in_the_config_file_is_located() {
    let dir = tree(&[
        (".aoai-lint.hcl", "exclude = [\"ok/**\", \"[bad\"]\n"),
        ("main.tf", ""),
    ]);
    let output = aoai_lint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(":1:21") && stderr.contains("invalid exclude pattern `[bad`"),
        "{stderr}"
    );
}

#[test]
fn each_file_uses_the_nearest_config_above_it_whatever_the_argument_order() {
    let account = "resource \"azurerm_cognitive_account\" \"oai\" {\n  name     = \"oai\"\n  location = \"westeurope\"\n  kind     = \"OpenAI\"\n}\n";
    let dir = tree(&[
        (".aoai-lint.hcl", "approved_regions = [\"swedencentral\"]\n"),
        ("a/main.tf", account),
        ("b/.aoai-lint.hcl", "approved_regions = [\"westeurope\"]\n"),
        ("b/main.tf", account),
    ]);
    let files = |args: &[&str]| -> Vec<String> {
        let output = aoai_lint(dir.path())
            .args(args)
            .args(["--format", "json", "--select", "AOAI005"])
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect()
    };
    for args in [
        &["a", "b"][..],
        &["b", "a"],
        &["."],
        &["b/main.tf", "a/main.tf"],
    ] {
        assert_eq!(files(args), ["a/main.tf"], "{args:?}");
    }
    // --config wins for everything.
    assert_eq!(
        files(&["--config", "b/.aoai-lint.hcl", "."]),
        Vec::<String>::new()
    );
    // An editor's buffer uses the configuration of its file's directory.
    let output = aoai_lint(dir.path())
        .args([
            "--stdin-filename",
            "b/main.tf",
            "--format",
            "json",
            "--select",
            "AOAI005",
        ])
        .write_stdin(account)
        .output()
        .unwrap();
    assert!(findings_of(&output).is_empty());
}

#[test]
fn each_file_fails_the_run_by_its_own_config_whatever_the_argument_order() {
    let dir = tree(&[
        ("projA/.aoai-lint.hcl", "fail_on = \"warning\"\n"),
        ("projA/main.tf", INSECURE),
        ("projB/.aoai-lint.hcl", "fail_on = \"error\"\n"),
        ("projB/main.tf", INSECURE),
    ]);
    // Only AOAI008, a warning: it fails projA, not projB.
    let code = |args: &[&str]| {
        let output = aoai_lint(dir.path())
            .args(args)
            .args(["--select", "AOAI008", "--format", "compact"])
            .output()
            .unwrap();
        output.status.code()
    };
    for args in [
        &["projA", "projB"][..],
        &["projB", "projA"],
        &["projA/main.tf", "projB/main.tf"],
        &["projB/main.tf", "projA/main.tf"],
        &["."],
    ] {
        assert_eq!(code(args), Some(1), "{args:?}");
    }
    for args in [&["projB"][..], &["projB/main.tf"]] {
        assert_eq!(code(args), Some(0), "{args:?}");
    }
    // The flag still decides for every file.
    assert_eq!(code(&["projB", "projA", "--fail-on", "never"]), Some(0));
    assert_eq!(code(&["projA", "projB", "--fail-on", "note"]), Some(1));
    assert_eq!(code(&["projB", "--fail-on", "warning"]), Some(1));
}

#[test]
fn a_config_excludes_only_below_it_whatever_the_argument_order() {
    let dir = tree(&[
        (
            "projA/.aoai-lint.hcl",
            "exclude = [\"legacy\", \"old/*.tf\"]\n",
        ),
        ("projA/main.tf", INSECURE),
        ("projA/legacy/main.tf", INSECURE),
        ("projA/old/main.tf", INSECURE),
        ("projB/.aoai-lint.hcl", "fail_on = \"error\"\n"),
        ("projB/legacy/main.tf", INSECURE),
        ("projB/old/main.tf", INSECURE),
    ]);
    let files = |args: &[&str]| -> Vec<String> {
        let output = aoai_lint(dir.path())
            .args(args)
            .args(["--select", "AOAI001", "--format", "json"])
            .output()
            .unwrap();
        located(&output)
            .into_iter()
            .map(|f| f.replace(":1", ""))
            .collect()
    };
    let expected = ["projA/main.tf", "projB/legacy/main.tf", "projB/old/main.tf"];
    for args in [&["projA", "projB"][..], &["projB", "projA"], &["."]] {
        assert_eq!(files(args), expected, "{args:?}");
    }
    // Patterns with a `/` are relative to the configuration's directory, from wherever it runs.
    let output = aoai_lint(&dir.path().join("projA"))
        .args([".", "--select", "AOAI001", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(located(&output), ["main.tf:1"]);
    // `--exclude` still applies to every path, relative to the working directory, and so do
    // the patterns of `--config`, one configuration for everything.
    assert_eq!(
        files(&["projB", "projA", "--exclude", "projB/old"]),
        ["projA/main.tf", "projB/legacy/main.tf"]
    );
    assert_eq!(
        files(&["projB", "projA", "--config", "projA/.aoai-lint.hcl"]),
        ["projA/main.tf", "projA/old/main.tf", "projB/old/main.tf"]
    );
    // A configuration the walk meets that cannot be read fails the run.
    std::fs::write(
        dir.path().join("projB/legacy/.aoai-lint.hcl"),
        "exclude = 1\n",
    )
    .unwrap();
    let output = aoai_lint(dir.path())
        .args(["projA", "projB"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("expected a list of strings"));
}

#[test]
fn every_problem_of_a_config_file_is_reported_at_once() {
    let config = "approved_regions = [\"westeurop\"]\nfail_on = \"sometimes\"\nbogus = 1\n";
    let dir = tree(&[(".aoai-lint.hcl", config), ("main.tf", "")]);
    let output = aoai_lint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [":1:21", ":2:11", ":3:1", "unknown key `bogus`"] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
}

#[test]
fn a_var_that_no_module_declares_is_warned_about() {
    let dir = tree(&[("main.tf", "variable \"public\" {\n  type = bool\n}\n")]);
    let output = aoai_lint(dir.path())
        .args(["--var", "public=true", "--var", "pubic=true"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--var pubic: no linted Terraform module declares variable `pubic`"),
        "{stderr}"
    );
    assert!(!stderr.contains("--var public:"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_file_whose_name_is_not_utf8_is_linted() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.tf");
    fs::write(
        dir.path().join(name),
        "resource \"azurerm_cognitive_account\" \"oai\" {\n  kind = \"OpenAI\"\n}\n",
    )
    .unwrap();
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    let files: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, ["caf\\xE9.tf"]);
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read_is_an_io_error_not_a_parse_error() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("missing-target.tf", dir.path().join("main.tf")).unwrap();
    let output = aoai_lint(dir.path())
        .args(["--format", "compact"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("main.tf: error[io] cannot read: No such file or directory"),
        "{stdout}"
    );
}

/// 70 chained conditionals and 129 `||` operands are valid Terraform, and are evaluated; past
/// the (raised) limits the error is located, and the other files are still linted.
#[test]
fn deep_but_valid_expressions_are_evaluated_and_too_deep_ones_are_located_errors() {
    let conditionals: String = (0..70)
        .map(|i| format!("var.tier == {i} ? {} : ", i == 69))
        .collect::<String>()
        + "false";
    let alternatives = (0..129)
        .map(|i| format!("var.tier == {}", if i == 128 { 69 } else { i + 100 }))
        .collect::<Vec<_>>()
        .join(" || ");
    let account = |name: &str, public: &str| {
        format!(
            "resource \"azurerm_cognitive_account\" \"{name}\" {{\n  name = \"{name}\"\n  location = \"swedencentral\"\n  kind = \"OpenAI\"\n  public_network_access_enabled = {public}\n}}\n"
        )
    };
    let variable = "variable \"tier\" {\n  default = 69\n}\n";
    let too_deep = format!("{}true{}", "[".repeat(300), "]".repeat(300));
    let dir = tree(&[
        (
            "a/main.tf",
            &format!("{variable}{}", account("a", &conditionals)),
        ),
        (
            "b/main.tf",
            &format!("{variable}{}", account("b", &alternatives)),
        ),
        (
            "c/main.tf",
            &format!("{variable}{}", account("c", &too_deep)),
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    // `tier = 69` takes the 70th conditional, and only the last of the 129 alternatives.
    assert_eq!(located(&output), ["a/main.tf:8", "b/main.tf:8"]);
    for finding in findings_of(&output) {
        assert_eq!(finding["outcome"], "fail");
        assert!(finding["message"].as_str().unwrap().contains("is true"));
    }
    let document = json(&output.stdout);
    assert_eq!(document["errors"][0]["file"], "c/main.tf");
    assert_eq!(document["errors"][0]["line"], 8);
    assert!(error_message(&output, 0).contains("at most 256 nested levels"));
}

/// `*.tf.json`, `terraform.tfvars.json` and `--var-file x.tfvars.json` are read as Terraform
/// reads them: the same findings as the same configuration in native syntax
/// (`fixtures/terraform-json/{json,native}`), each at its place in the JSON.
#[test]
fn terraform_json_syntax_is_read_as_the_native_syntax_is() {
    let lint = |syntax: &str, var_file: &str| {
        aoai_lint(&Path::new(ROOT).join("fixtures/terraform-json").join(syntax))
            .args(["--format", "json", "--var-file", var_file])
            .output()
            .unwrap()
    };
    let json_output = lint("json", "prod.tfvars.json");
    let native_output = lint("native", "prod.tfvars");
    let verdicts = |output: &std::process::Output| {
        let mut verdicts: Vec<String> = findings_of(output)
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["rule"], f["outcome"], f["resource"], f["message"]
                )
            })
            .collect();
        verdicts.sort();
        verdicts
    };
    assert_eq!(json(&json_output.stdout)["errors"], serde_json::json!([]));
    assert!(verdicts(&json_output).len() > 10);
    assert_eq!(verdicts(&json_output), verdicts(&native_output));
    let mut located = located(&json_output);
    located.sort();
    located.dedup();
    assert_eq!(
        located,
        [
            // The `count` block's header, `"main": {`, and the settings from value files.
            "main.tf.json:11",
            "modules/oai/main.tf.json:5",
            "prod.tfvars.json:1",
            "terraform.tfvars.json:2",
        ]
    );
}

/// A `.tf.json` that is not Terraform's JSON is a located error; the other files are linted.
#[test]
fn a_terraform_json_file_that_does_not_parse_is_a_located_error() {
    let dir = tree(&[
        (
            "a/main.tf.json",
            "{\"resource\": {\"azurerm_cognitive_account\": {\"x\": 5}}}",
        ),
        (
            "b/main.tf.json",
            "{\"resource\": {\n  \"azurerm_cognitive_account\": {\"x\": {\"name\": \"${\"}}}}",
        ),
        ("c/main.tf.json", "{\"resource\": "),
        (
            "d/main.tf.json",
            "{\"resource\": {\"azurerm_cognitive_account\": {\"x\": {\"kind\": \"OpenAI\"}}}}",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let errors: Vec<String> = json(&output.stdout)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{} {}",
                e["file"].as_str().unwrap(),
                e["line"],
                e["column"],
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].starts_with("a/main.tf.json:1:50 "), "{errors:?}");
    assert!(errors[0].contains("expected an object: the block's body"));
    assert!(errors[1].starts_with("b/main.tf.json:2:"), "{errors:?}");
    assert!(errors[2].starts_with("c/main.tf.json:1:"), "{errors:?}");
    assert_eq!(located(&output), ["d/main.tf.json:1"]);
}

/// A `.bicepparam` that `extends` a base file takes the base's values under its own; a base
/// that is not read leaves what it may set unknown, saying so.
#[test]
fn a_bicepparam_file_takes_the_values_of_the_file_it_extends() {
    let template = "param access string = 'Disabled'\nparam auth bool = true\nresource oai 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  properties: {\n    publicNetworkAccess: access\n    disableLocalAuth: auth\n  }\n}\n";
    let dir = tree(&[
        ("app/main.bicep", template),
        (
            "app/base.bicepparam",
            "using none\nparam access = 'Enabled'\nparam auth = false\n",
        ),
        (
            "app/prod.bicepparam",
            "using 'main.bicep'\nextends 'base.bicepparam'\nparam auth = true\n",
        ),
        ("other/main.bicep", template),
        (
            "other/prod.bicepparam",
            "using 'main.bicep'\nextends '../shared/base.bicepparam'\nparam auth = true\n",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001,AOAI004"])
        .output()
        .unwrap();
    let findings: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f["rule"],
                f["outcome"],
                f["file"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            // The base's `access`, under prod's own `auth`.
            r#""AOAI001" "fail" app/base.bicepparam:2"#,
            r#""AOAI001" "unknown" other/main.bicep:8"#,
        ]
    );
    let unknown = &findings_of(&output)[1]["message"];
    assert!(
        unknown
            .as_str()
            .unwrap()
            .contains("may be set by `../shared/base.bicepparam`, which is not read"),
        "{unknown}"
    );
}

/// Copy loops within looped nested deployments multiply (800 x 800 x 800 here): past 10,000
/// instances in all, a loop is read once, as a resource that may not exist.
#[test]
fn nested_copy_loops_are_read_up_to_a_budget() {
    let schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
    let looped = |name: &str, resource: Value| {
        serde_json::json!({
            "$schema": schema, "contentVersion": "1.0.0.0",
            "resources": [{
                "copy": {"name": name, "count": 800},
                "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
                "name": format!("[format('{name}{{0}}', copyIndex())]"),
                "properties": {"mode": "Incremental", "template": resource}
            }]
        })
    };
    let accounts = serde_json::json!({
        "$schema": schema, "contentVersion": "1.0.0.0",
        "resources": [{
            "copy": {"name": "a", "count": 800},
            "type": "Microsoft.CognitiveServices/accounts", "apiVersion": "2024-10-01",
            "name": "[format('oai{0}', copyIndex())]", "location": "swedencentral", "kind": "OpenAI",
            "properties": {"publicNetworkAccess": "Enabled"}
        }]
    });
    let template = looped("outer", looped("inner", accounts));
    let dir = tree(&[("azuredeploy.json", &template.to_string())]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let findings = findings_of(&output).len();
    assert!((8_000..=10_000).contains(&findings), "{findings} findings");
}

/// A lambda within lambdas over long arrays (2,000 x 2,000 x 2,000 here) is evaluated up to a
/// budget per template, then is an unknown that says so.
#[test]
fn nested_lambdas_are_evaluated_up_to_a_budget() {
    let deep = "[string(length(map(variables('big'), lambda('x', map(variables('big'), lambda('y', map(variables('big'), lambda('z', 1))))))))]";
    let template = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "variables": {"big": (0..2000).collect::<Vec<_>>()},
        "resources": [{
            "type": "Microsoft.CognitiveServices/accounts", "apiVersion": "2024-10-01",
            "name": "oai", "location": "swedencentral", "kind": "OpenAI",
            "properties": {"publicNetworkAccess": deep}
        }]
    });
    let dir = tree(&[("azuredeploy.json", &template.to_string())]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    let findings = findings_of(&output);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["outcome"], "unknown");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("applies more lambdas than are evaluated"),
        "{message}"
    );
}

/// A huge `.tf` file is parsed pruned (`src/frontend/terraform/pruned.rs`); the size is lowered to
/// 0 here, so every file is.
fn pruned(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.env("AOAI_LINT_PRUNE_FROM_BYTES", "0")
}

/// The JSON of every fixture with the variable `name` set to `value` is that of a plain run.
fn fixtures_verdicts_unchanged_with(name: &str, value: &str) {
    let args = [
        "fixtures",
        "--format",
        "json",
        "--no-config",
        "--fail-on",
        "never",
    ];
    let plain = repo().args(args).output().unwrap();
    let changed = repo().env(name, value).args(args).output().unwrap();
    assert!(findings_of(&plain).len() > 1000);
    assert_eq!(
        String::from_utf8_lossy(&changed.stdout),
        String::from_utf8_lossy(&plain.stdout)
    );
}

#[test]
fn a_pruned_parse_gives_the_verdicts_of_a_whole_parse_on_every_fixture() {
    fixtures_verdicts_unchanged_with("AOAI_LINT_PRUNE_FROM_BYTES", "0");
}

/// With no room kept by the module-call scan, scopes that call no local module are linted as
/// the scan reads them, and those another scope calls again as called: the verdicts do not
/// change.
#[test]
fn scopes_linted_during_the_module_call_scan_give_the_same_verdicts_on_every_fixture() {
    fixtures_verdicts_unchanged_with("AOAI_LINT_SCAN_BUDGET", "0");
}

/// A variable nothing refers to is dropped from a pruned file, and still declared: `--var` of
/// it is no mistake.
#[test]
fn a_pruned_parse_still_declares_the_variables_it_dropped() {
    let dir = tree(&[("main.tf", "variable \"unused\" {}\n")]);
    let output = pruned(&mut aoai_lint(dir.path()))
        .args([
            ".",
            "--no-config",
            "--var",
            "unused=1",
            "--var",
            "undeclared=2",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("declares variable `undeclared`"),
        "{stderr}"
    );
    assert!(!stderr.contains("`unused`"), "{stderr}");
}

/// The storage account is dropped from `main.tf` when it is parsed pruned, and `openai.tf`
/// refers to it: the module's files are searched when it is loaded, and it is parsed again.
#[test]
fn a_pruned_parse_follows_references_from_other_files_of_the_module() {
    let dir = tree(&[
        (
            "main.tf",
            "resource \"azurerm_storage_account\" \"settings\" {\n  public_network_access_enabled = false\n}\n",
        ),
        (
            "openai.tf",
            r#"resource "azurerm_cognitive_account" "openai" {
  name                          = "oai"
  kind                          = "OpenAI"
  public_network_access_enabled = azurerm_storage_account.settings.public_network_access_enabled
}
"#,
        ),
    ]);
    let output = pruned(&mut aoai_lint(dir.path()))
        .args([
            ".",
            "--format",
            "json",
            "--no-config",
            "--select",
            "AOAI001",
        ])
        .output()
        .unwrap();
    // `false`, read from the storage account in the other file: AOAI001 passes.
    assert_eq!(findings_of(&output), Vec::<Value>::new());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_pruned_parse_follows_references_into_resources_it_does_not_read() {
    let dir = tree(&[(
        "main.tf",
        r#"resource "azurerm_storage_account" "settings" {
  public_network_access_enabled = false
}

resource "azurerm_cognitive_account" "openai" {
  name                          = "oai"
  kind                          = "OpenAI"
  public_network_access_enabled = azurerm_storage_account.settings.public_network_access_enabled
}
"#,
    )]);
    let args = [
        ".",
        "--format",
        "json",
        "--no-config",
        "--select",
        "AOAI001",
    ];
    let output = pruned(&mut aoai_lint(dir.path()))
        .args(args)
        .output()
        .unwrap();
    // `false`, read from the storage account: AOAI001 passes.
    assert_eq!(findings_of(&output), Vec::<Value>::new());
    assert_eq!(output.status.code(), Some(0));
}

/// Characters that act on a terminal or reorder text: ESC and BEL (OSC 52 sets the clipboard,
/// SGR 8 hides text), the C1 CSI and the right-to-left override.
const TERMINAL_CONTROLS: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'];

fn has_terminal_control(text: &str) -> bool {
    text.contains(TERMINAL_CONTROLS)
}

/// A resource name, a suppression reason and a value that set the clipboard or hide text, and
/// a line of a snippet with a C1 CSI and a bidi override.
const CONTROLS_IN_VALUES: &str = "resource \"azurerm_cognitive_account\" \"e\u{1b}[8mu\" {
  name                = \"oai\"
  location            = \"Sweden Central\"
  resource_group_name = \"rg\"
  kind                = \"OpenAI\"
  sku_name            = \"S0\"
  # aoai-lint:ignore[AOAI002] lab \u{1b}]52;c;cHduZWQ=\u{7} x
}

resource \"azurerm_cognitive_deployment\" \"d\" {
  name                 = \"d\"
  cognitive_account_id = azurerm_cognitive_account.e.id
  model {
    format = \"OpenAI\"
    name   = \"gpt-4o\"
  }
  sku { name = \"Global\u{1b}]52;c;cHduZWQ=\u{7}Standard\" } # \u{202e}x\u{9b}8m
}
";

#[test]
fn control_characters_from_files_are_escaped_in_every_text_format() {
    let dir = tree(&[("main.tf", CONTROLS_IN_VALUES)]);
    let run = |args: &[&str]| {
        let output = aoai_lint(dir.path())
            .args([
                "--no-config",
                "--data-residency",
                "region",
                "--show-suppressed",
            ])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let clipboard = "Global\\u{1b}]52;c;cHduZWQ=\\u{7}Standard";
    let hidden = "e\\u{1b}[8mu";
    for format in ["human", "compact", "github", "junit"] {
        let text = run(&["--format", format, "--color", "never"]);
        assert!(!has_terminal_control(&text), "{format}: {text}");
        assert!(text.contains(clipboard), "{format}: {text}");
        assert!(text.contains(hidden), "{format}: {text}");
    }
    for format in ["human", "compact"] {
        let text = run(&["--format", format, "--color", "never"]);
        assert!(
            text.contains("suppressed: lab \\u{1b}]52;c;cHduZWQ=\\u{7} x"),
            "{format}: {text}"
        );
    }
    let human = run(&["--color", "never"]);
    assert!(human.contains("# \\u{202e}x\\u{9b}8m"), "{human}");
    // Our own colors stay; the file's sequences do not.
    let colored = run(&["--color", "always"]);
    assert!(colored.contains('\u{1b}'), "{colored}");
    for raw in ["\u{1b}]52", "\u{1b}[8mu", "\u{7}", "\u{9b}", "\u{202e}"] {
        assert!(!colored.contains(raw), "{raw:?} in {colored}");
    }
    assert!(colored.contains(clipboard), "{colored}");
}

#[test]
fn control_characters_in_parse_errors_and_on_standard_error_are_escaped() {
    let dir = tree(&[(
        "bad.tf",
        "resource \"x\" \"y\" {\n  a = \"\u{1b}]52;c;cHduZWQ=\u{7}\" b\n}\n",
    )]);
    for format in ["human", "compact", "github", "junit"] {
        let output = aoai_lint(dir.path())
            .args(["--no-config", "--color", "never", "--format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(!has_terminal_control(&text), "{format}: {text}");
        if format == "human" {
            assert!(
                text.contains("a = \"\\u{1b}]52;c;cHduZWQ=\\u{7}\" b"),
                "{text}"
            );
        }
    }

    // A configuration file's snippet, on standard error.
    let config = tree(&[
        (
            ".aoai-lint.hcl",
            "approved_regoins = [\"\u{1b}[8mx\u{202e}\"]\n",
        ),
        ("main.tf", INSECURE),
    ]);
    let output = aoai_lint(config.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!has_terminal_control(&stderr), "{stderr}");
    assert!(
        stderr.contains("approved_regoins = [\"\\u{1b}[8mx\\u{202e}\"]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("────────┬"),
        "caret under the key: {stderr}"
    );

    // A path in a usage error.
    let output = aoai_lint(config.path())
        .args(["--no-config", "--var-file", "v\u{1b}[8m.tfvars"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!has_terminal_control(&stderr), "{stderr}");
    assert!(stderr.contains("v\\u{1b}[8m.tfvars"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_file_name_with_a_newline_and_an_escape_stays_on_one_line_per_finding() {
    let dir = tree(&[("a\n\u{1b}[8mb.tf", INSECURE)]);
    let run = |format: &str| {
        let output = aoai_lint(dir.path())
            .args(["--no-config", "--color", "never", "--format", format])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let findings = findings_of(
        &aoai_lint(dir.path())
            .args(["--no-config", "--format", "json"])
            .output()
            .unwrap(),
    );
    assert!(!findings.is_empty());
    assert_eq!(findings[0]["file"], "a\n\u{1b}[8mb.tf");
    for format in ["compact", "github"] {
        let text = run(format);
        assert!(!has_terminal_control(&text), "{format}: {text}");
        assert_eq!(text.lines().count(), findings.len(), "{format}: {text}");
    }
    let compact = run("compact");
    assert!(
        compact
            .lines()
            .all(|line| line.starts_with("a\\u{a}\\u{1b}[8mb.tf:")),
        "{compact}"
    );
    for format in ["human", "junit"] {
        let text = run(format);
        assert!(!has_terminal_control(&text), "{format}: {text}");
        assert!(text.contains("a\\u{a}\\u{1b}[8mb.tf"), "{format}: {text}");
    }
}

/// Percent-decodes a URI reference into the bytes it names.
#[cfg(unix)]
fn percent_decoded(uri: &str) -> Vec<u8> {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&uri[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// A name with a byte that is not UTF-8, and one with the same characters written out, are told
/// apart everywhere; SARIF's URI names the real file.
#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_shown_losslessly_and_sarif_names_them() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for name in [&b"\xFF.tf"[..], b"\\xFF.tf"] {
        let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
        fs::write(path, INSECURE).unwrap();
    }
    let run = |format: &str| {
        aoai_lint(dir.path())
            .args(["--no-config", "--select", "AOAI001", "--color", "never"])
            .args(["--format", format])
            .output()
            .unwrap()
    };
    let mut files: Vec<String> = findings_of(&run("json"))
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["\\\\xFF.tf", "\\xFF.tf"]);

    let human = String::from_utf8(run("human").stdout).unwrap();
    assert!(human.contains("[\\xFF.tf:1:1]"), "{human}");
    assert!(human.contains("[\\\\xFF.tf:1:1]"), "{human}");

    let sarif = json(&run("sarif").stdout);
    let mut uris: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            location["uri"].as_str().unwrap().to_string()
        })
        .collect();
    uris.sort();
    assert_eq!(uris, ["%5CxFF.tf", "%FF.tf"]);
    for uri in &uris {
        let path = dir
            .path()
            .join(std::ffi::OsStr::from_bytes(&percent_decoded(uri)));
        assert!(path.is_file(), "{uri} names no file");
    }
}

/// The settings of `[profile.NAME]` in the manifest, one `key = value` line each.
fn profile_settings(name: &str) -> Vec<String> {
    let manifest = fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let header = format!("[profile.{name}]");
    manifest
        .lines()
        .skip_while(|line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(String::from)
        .collect()
}

/// `cargo install` builds the release profile: no debug info (54 MB with line tables, 9 MB
/// without); `perf` gets its line tables from the profiling profile.
#[test]
fn the_installed_build_has_no_debug_info_and_the_profiling_build_keeps_line_tables() {
    let release = profile_settings("release");
    assert!(
        release.contains(&r#"strip = "debuginfo""#.into()),
        "{release:?}"
    );
    assert!(
        !release.iter().any(|line| line.starts_with("debug ")),
        "{release:?}"
    );
    let profiling = profile_settings("profiling");
    for setting in [
        r#"inherits = "release""#,
        r#"debug = "line-tables-only""#,
        r#"strip = "none""#,
    ] {
        assert!(profiling.contains(&setting.into()), "{profiling:?}");
    }
}

/// Two parameter files for one template are two deployments: each links its own private
/// endpoint, role and diagnostic setting to its own account, and each message names that
/// deployment's account (the role of the second set named the first set's account).
#[test]
fn each_parameter_set_links_within_its_own_deployment() {
    let template = r#"param name string
param private bool
param principalId string = 'p'
resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: 'swedencentral'
  kind: 'OpenAI'
  properties: { publicNetworkAccess: 'Disabled' }
}
resource endpoint 'Microsoft.Network/privateEndpoints@2023-11-01' = if (private) {
  name: '${name}-pe'
  location: 'swedencentral'
  properties: {
    subnet: { id: 'subnet' }
    privateLinkServiceConnections: [ { name: 'c', properties: { privateLinkServiceId: account.id, groupIds: [ 'account' ] } } ]
  }
}
resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (private) {
  name: 'logs'
  scope: account
  properties: { workspaceId: 'w', logs: [ { categoryGroup: 'audit', enabled: true } ] }
}
resource role 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId)
  scope: account
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68')
  }
}
"#;
    let dir = tree(&[
        ("main.bicep", template),
        (
            "dev.bicepparam",
            "using 'main.bicep'\nparam name = 'oai-dev'\nparam private = false\n",
        ),
        (
            "prod.bicepparam",
            "using 'main.bicep'\nparam name = 'oai-prod'\nparam private = true\n",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI002,AOAI006,AOAI013"])
        .output()
        .unwrap();
    let findings: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| {
            let message = f["message"].as_str().unwrap();
            let on = message.split('`').nth(3).unwrap_or_default();
            format!("{} {} {} {on}", f["rule"], f["outcome"], f["resource"])
        })
        .collect();
    assert_eq!(
        findings,
        [
            r#""AOAI002" "fail" "account[dev.bicepparam]" "#,
            r#""AOAI013" "fail" "account[dev.bicepparam]" "#,
            r#""AOAI006" "fail" "role[dev.bicepparam]" account[dev.bicepparam]"#,
            r#""AOAI006" "fail" "role[prod.bicepparam]" account[prod.bicepparam]"#,
        ]
    );
}

/// Bicep `import { x as y } from`, `import * as ns from` and user-defined functions are
/// evaluated in the template that declares them: what they give decides a check, in a pass
/// and a fail case; a function that calls itself is unknown, never a hang or a crash.
#[test]
fn bicep_imports_and_user_functions_are_evaluated() {
    let constants = |access: &str| {
        format!(
            "@export()\nvar access = '{access}'\n\n@export()\nfunc accountName(prefix string, suffix string) string => toLower('${{prefix}}-${{suffix}}')\n\n@export()\nfunc forever(x string) string => forever(x)\n"
        )
    };
    let template = r#"import { access, accountName as nameOf } from 'shared/constants.bicep'
import * as c from 'shared/constants.bicep'

func auth(enabled bool) bool => !enabled

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: nameOf('OAI', 'prod')
  location: 'swedencentral'
  kind: 'OpenAI'
  properties: {
    customSubDomainName: c.accountName('oai', 'sub')
    publicNetworkAccess: c.access
    disableLocalAuth: auth(false)
    restrictOutboundNetworkAccess: access == 'Disabled'
    dynamicThrottlingEnabled: c.forever('x') == 'y'
  }
}
"#;
    let dir = tree(&[
        ("pass/main.bicep", template),
        ("pass/shared/constants.bicep", &constants("Disabled")),
        ("fail/main.bicep", template),
        ("fail/shared/constants.bicep", &constants("Enabled")),
        (
            "loop/main.bicep",
            &template.replace("c.access", "c.forever('Disabled')"),
        ),
        ("loop/shared/constants.bicep", &constants("Disabled")),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json"])
        .args(["--select", "AOAI001,AOAI004,AOAI008,AOAI010"])
        .output()
        .unwrap();
    let findings: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            format!("{} {} {file}:{}", f["rule"], f["outcome"], f["line"])
        })
        .collect();
    assert_eq!(
        findings,
        [
            r#""AOAI001" "fail" fail/main.bicep:12"#,
            r#""AOAI010" "fail" fail/main.bicep:14"#,
            r#""AOAI001" "unknown" loop/main.bicep:12"#,
        ]
    );
    let unknown = &findings_of(&output)[2]["message"];
    assert!(
        unknown.as_str().unwrap().contains("`forever()`"),
        "{unknown}"
    );
}

/// A compiled `main.json` beside `main.bicep` is another deployment: its diagnostic setting
/// whose target is not known (here a workspace's, by a parameter) neither logs the Bicep
/// account nor makes it unknown; the same setting in Bicep would.
#[test]
fn a_setting_of_another_language_whose_target_is_not_known_is_another_deployments() {
    let account = "resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  properties: {}\n}\n";
    let arm = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "target": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Insights/diagnosticSettings",
      "apiVersion": "2021-05-01-preview",
      "scope": "[parameters('target')]",
      "name": "logs",
      "properties": { "workspaceId": "w", "logs": [ { "categoryGroup": "audit", "enabled": true } ] }
    }
  ]
}"#;
    let dir = tree(&[("main.bicep", account), ("main.json", arm)]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI013"])
        .output()
        .unwrap();
    let outcomes: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| format!("{} {}", f["outcome"], f["file"]))
        .collect();
    assert_eq!(outcomes, [r#""fail" "main.bicep""#]);
}

#[test]
fn config_shows_the_configuration_that_applies_and_the_nested_ones() {
    let root = r#"
approved_regions = ["Sweden Central"]
exclude = ["examples"]
rule "AOAI003" {
  enabled = false
}
rule "public-network-access" {
  level = "warning"
}
"#;
    let dir = tree(&[
        (".aoai-lint.hcl", root),
        ("infra/main.tf", INSECURE),
        ("infra/prod/.aoai-lint.hcl", "fail_on = \"error\"\n"),
        ("infra/prod/main.tf", INSECURE),
    ]);
    let output = aoai_lint(dir.path())
        .args([
            "config",
            "infra",
            "--format",
            "json",
            "--unknown",
            "warning",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let shown = json(&output.stdout);
    let [own, nested] = shown["configurations"].as_array().unwrap().as_slice() else {
        panic!("{shown:#}");
    };
    assert_eq!(own["for"], "infra");
    assert_eq!(own["file"], ".aoai-lint.hcl");
    assert_eq!(
        own["approved_regions"],
        serde_json::json!(["swedencentral"])
    );
    assert_eq!(own["exclude"], serde_json::json!(["examples"]));
    assert_eq!(own["unknown_level"], "warning", "the flag wins");
    let level = |config: &Value, id: &str| {
        let rules = config["rules"].as_array().unwrap();
        let rule = rules.iter().find(|r| r["id"] == id).unwrap();
        rule["level"].as_str().unwrap().to_string()
    };
    assert_eq!(level(own, "AOAI001"), "warning");
    assert_eq!(level(own, "AOAI003"), "off");
    assert_eq!(level(own, "AOAI002"), "error");
    // The nested file applies below its directory, with the flags over it.
    assert_eq!(nested["for"], "below infra/prod");
    assert_eq!(nested["file"], "infra/prod/.aoai-lint.hcl");
    assert_eq!(nested["fail_on"], "error");
    assert_eq!(nested["unknown_level"], "warning");
    assert_eq!(level(nested, "AOAI003"), "warning");
    // Text: the same, readable; --no-config shows the defaults alone.
    let text = aoai_lint(dir.path())
        .args(["config", "infra"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("infra: .aoai-lint.hcl\n"), "{text}");
    assert!(
        text.contains("  approved_regions  swedencentral\n"),
        "{text}"
    );
    assert!(text.contains("AOAI001  public-network-access       warning (default: error)"));
    assert!(text.contains("AOAI021  foundry-hub-managed-network warning\n"));
    assert!(text.contains("  approved_models   any (AOAI018 is off)\n"));
    assert!(text.contains("  defender_for_ai   not required\n"));
    assert!(
        text.contains("below infra/prod: infra/prod/.aoai-lint.hcl\n"),
        "{text}"
    );
    let defaults = aoai_lint(dir.path())
        .args(["config", "infra", "--no-config"])
        .output()
        .unwrap();
    let defaults = String::from_utf8(defaults.stdout).unwrap();
    assert!(defaults.starts_with("infra: none (--no-config): the defaults\n"));
    assert!(!defaults.contains("below"), "{defaults}");
    aoai_lint(dir.path())
        .args(["config", "--format", "sarif"])
        .assert()
        .code(2);
}

/// `--today` is the day of the whole run: a suppression that expired before it is back, and
/// one that expires after it holds; it takes real days written `YYYY-MM-DD` only.
#[test]
fn today_sets_the_day_suppressions_expire_against() {
    let expired = |today: &str| {
        let output = repo()
            .args(["fixtures/suppressions/main.tf", "--format", "json"])
            .args(["--select", "AOAI001,AOAI901", "--today", today])
            .output()
            .unwrap();
        findings_of(&output).iter().any(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("expired")
        })
    };
    assert!(expired("2026-12-07"));
    assert!(!expired("2020-01-30"));
    for bad in ["2026-13-01", "2026-2-1", "tomorrow"] {
        let output = repo()
            .args(["fixtures/suppressions", "--today", bad])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("expected a day written YYYY-MM-DD"),
            "{stderr}"
        );
    }
}

#[test]
fn every_bad_approved_model_is_reported_in_the_flag_and_the_configuration() {
    let config = "approved_models = [\n  { format = \"OpenAI\", name = \"gpt-4o\" },\n  { name = \"gpt-4.1\" },\n]\n";
    let dir = tree(&[(".aoai-lint.hcl", config), ("main.tf", "")]);
    let output = aoai_lint(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("an approved model needs a `format` and a `name`")
            && stderr.contains(".aoai-lint.hcl:3:3"),
        "{stderr}"
    );
    let output = aoai_lint(dir.path())
        .args([
            "--no-config",
            "--approved-models",
            "gpt-4o,OpenAI/gpt-4.1*,OpenAI/g*t",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--approved-models: `gpt-4o` is not FORMAT/NAME")
            && stderr.contains("--approved-models: `g*t` is not a model name"),
        "{stderr}"
    );
    assert!(!stderr.contains("gpt-4.1"), "{stderr}");
}

/// AOAI018 is off until approved models are configured; `--approved-models` wins over the file.
#[test]
fn approved_models_turn_aoai018_on_and_the_flag_wins() {
    let fixture = "fixtures/rules/AOAI018-approved-model/terraform/fail/main.tf";
    let failing = |args: &[&str]| -> Vec<String> {
        let output = repo()
            .args([fixture, "--format", "json", "--select", "AOAI018"])
            .args(args)
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .filter(|f| f["outcome"] == "fail")
            .map(|f| f["resource"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(failing(&["--no-config"]).is_empty());
    assert_eq!(
        failing(&[]),
        [
            "azurerm_cognitive_deployment.legacy",
            "azurerm_cognitive_deployment.older",
            "azurerm_cognitive_deployment.floating"
        ]
    );
    let flag = ["--approved-models", "OpenAI/gpt-35-turbo,OpenAI/gpt-4o"];
    assert!(failing(&flag).is_empty());
}

/// AOAI019 judges model versions on the run's day: `--today` makes the verdict reproducible.
#[test]
fn model_lifecycle_verdicts_follow_today() {
    let fixture = "fixtures/rules/AOAI019-model-lifecycle/terraform/fail/main.tf";
    let level_on = |today: &str| {
        let output = repo()
            .args([
                fixture, "--format", "json", "--select", "AOAI019", "--today", today,
            ])
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .find(|f| f["resource"] == "azurerm_cognitive_deployment.retired")
            .map(|f| f["level"].as_str().unwrap().to_string())
    };
    assert_eq!(level_on("2026-12-07").as_deref(), Some("error"));
    assert_eq!(level_on("2026-01-05").as_deref(), Some("warning"));
    assert_eq!(level_on("2025-01-05"), None);
}

/// A failure on an account a registry module deploys gives the fix in the module's inputs
/// (the user writes the module call, not the resource); an account declared as a resource
/// keeps the policy's fix.
#[test]
fn a_failure_on_a_registry_module_account_gives_the_fix_in_its_inputs() {
    let dir = tree(&[
        (
            "tf/main.tf",
            "module \"openai\" {\n  source   = \"Azure/avm-res-cognitiveservices-account/azurerm\"\n  version  = \"0.7.0\"\n  name     = \"oai\"\n  location = \"swedencentral\"\n  kind     = \"OpenAI\"\n  sku_name = \"S0\"\n  parent_id = \"rg\"\n}\n",
        ),
        (
            "bicep/main.bicep",
            "module openai 'br/public:avm/res/cognitive-services/account:0.13.2' = {\n  params: {\n    name: 'oai'\n    kind: 'OpenAI'\n    location: 'swedencentral'\n    disableLocalAuth: false\n  }\n}\n",
        ),
        (
            "resource/main.bicep",
            "resource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: 'swedencentral'\n  kind: 'OpenAI'\n  properties: { disableLocalAuth: false }\n}\n",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI004"])
        .output()
        .unwrap();
    let helps: Vec<String> = findings_of(&output)
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["file"].as_str().unwrap(),
                f["help"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(helps.len(), 3, "{helps:?}");
    assert_eq!(
        helps[0],
        "bicep/main.bicep The account is deployed by a registry module: set its `disableLocalAuth` input so that key (local) authentication is disabled."
    );
    assert!(
        helps[1].starts_with("resource/main.bicep Set `properties"),
        "{helps:?}"
    );
    assert_eq!(
        helps[2],
        "tf/main.tf The account is deployed by a registry module: set its `local_auth_enabled` input so that key (local) authentication is disabled."
    );
}

/// A local module deployed for an OpenAI account and for a Form Recognizer account hands out an
/// OpenAI key only for the first caller: one AOAI015 finding, on that caller's sink (issue 27
/// §5); a loop's instances are judged by the instance whose key is read.
#[test]
fn a_terraform_key_exposure_is_judged_per_caller_by_the_account_kind() {
    let module = r#"variable "kind" { type = string }
variable "name" { type = string }
resource "azurerm_cognitive_account" "this" {
  name                = var.name
  location            = "swedencentral"
  resource_group_name = "rg"
  kind                = var.kind
  sku_name            = "S0"
}
resource "azurerm_linux_web_app" "app" {
  name                = "${var.name}-app"
  location            = "swedencentral"
  resource_group_name = "rg"
  service_plan_id     = "x"
  site_config {}
  app_settings = {
    KEY = azurerm_cognitive_account.this.primary_access_key
  }
}
"#;
    let callers = r#"module "openai" {
  source = "./modules/cog"
  kind   = "OpenAI"
  name   = "oai"
}
module "forms" {
  source = "./modules/cog"
  kind   = "FormRecognizer"
  name   = "forms"
}
"#;
    let looped = r#"resource "azurerm_cognitive_account" "this" {
  for_each            = { oai = "OpenAI", forms = "FormRecognizer" }
  name                = each.key
  location            = "swedencentral"
  resource_group_name = "rg"
  kind                = each.value
  sku_name            = "S0"
}
output "forms_key" {
  value = azurerm_cognitive_account.this["forms"].primary_access_key
}
output "oai_key" {
  value = azurerm_cognitive_account.this["oai"].primary_access_key
}
"#;
    let dir = tree(&[
        ("callers/modules/cog/main.tf", module),
        ("callers/main.tf", callers),
        ("looped/main.tf", looped),
    ]);
    let found = |root: &str| {
        let output = aoai_lint(dir.path())
            .args([root, "--format", "json", "--select", "AOAI015"])
            .output()
            .unwrap();
        findings_of(&output)
            .iter()
            .map(|f| {
                let also_for = f.get("also_for").cloned().unwrap_or_default();
                (f["resource"].clone(), f["outcome"].clone(), also_for)
            })
            .collect::<Vec<_>>()
    };
    let none = serde_json::Value::Null;
    assert_eq!(
        found("callers"),
        [(
            "module.openai.azurerm_linux_web_app.app".into(),
            "fail".into(),
            none.clone()
        )]
    );
    assert_eq!(
        found("looped"),
        [("output.oai_key".into(), "fail".into(), none)]
    );
}

/// A role module scoped to a declared resource group (its name only known at deployment) does
/// not reach an account of an ARM template beside it: another language is another deployment.
#[test]
fn a_role_on_a_bicep_group_does_not_reach_an_arm_account_beside_it() {
    let dir = tree(&[
        ("main.bicep", MAIN),
        ("role.bicep", ROLE),
        ("other.json", OTHER),
    ]);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--select", "AOAI006"])
        .output()
        .unwrap();
    let findings = findings_of(&output);
    assert!(findings.is_empty(), "{findings:?}");
    const MAIN: &str = r#"targetScope = 'subscription'

param projectGroupName string

resource projectGroup 'Microsoft.Resources/resourceGroups@2024-03-01' existing = {
  name: projectGroupName
}

module userRole 'role.bicep' = {
  name: 'user-role'
  scope: projectGroup
  params: {
    roleDefinitionId: 'a97b65f3-24c7-4388-baec-2e87135dc908'
  }
}
"#;
    const ROLE: &str = r#"param roleDefinitionId string

resource role 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, roleDefinitionId)
  properties: {
    principalId: '00000000-0000-0000-0000-000000000001'
    roleDefinitionId: resourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
"#;
    const OTHER: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {},
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "ai",
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            {
              "type": "Microsoft.CognitiveServices/accounts",
              "apiVersion": "2024-10-01",
              "name": "oai-arm",
              "location": "swedencentral",
              "kind": "OpenAI",
              "sku": {
                "name": "S0"
              },
              "properties": {}
            }
          ]
        }
      }
    }
  ]
}"#;
}
