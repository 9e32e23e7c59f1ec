//! Snapshots of every output format over the demo tree, a tree with a parse error, and the
//! canned report (`fixtures/report`: a failure, an unknown, a suppressed finding and a parse
//! error) in every format.

use std::path::Path;

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let output = Command::cargo_bin("aoai-lint")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        // An Azure DevOps pipeline's variables would change SARIF's automationDetails.
        .env_remove("TF_BUILD")
        .args(args)
        // Model lifecycle verdicts (AOAI019) are of a day: the same one every run.
        .args(["--color", "never", "--today", "2026-12-07"])
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    format!(
        "exit code: {code}\n{}",
        String::from_utf8(output.stdout).unwrap()
    )
}

#[test]
fn human() {
    insta::assert_snapshot!("demo_human", run(&["fixtures/demo"]));
    insta::assert_snapshot!("parse_error_human", run(&["fixtures/parse-errors"]));
}

#[test]
fn compact() {
    insta::assert_snapshot!(
        "demo_compact",
        run(&["fixtures/demo", "--format", "compact"])
    );
    insta::assert_snapshot!(
        "parse_error_compact",
        run(&["fixtures/parse-errors", "--format", "compact"])
    );
}

#[test]
fn json() {
    insta::assert_snapshot!("demo_json", run(&["fixtures/demo", "--format", "json"]));
    insta::assert_snapshot!(
        "parse_error_json",
        run(&["fixtures/parse-errors", "--format", "json"])
    );
}

/// SARIF output with the working directory's absolute URI, which differs between machines,
/// replaced.
fn redact(text: String) -> String {
    let json = text.split_once('\n').map_or("", |(_, json)| json);
    let document: serde_json::Value = serde_json::from_str(json).unwrap();
    let root = document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    text.replace(&root, "file:///SRCROOT/")
}

#[test]
fn sarif() {
    insta::assert_snapshot!(
        "demo_sarif",
        redact(run(&["fixtures/demo", "--format", "sarif"]))
    );
    insta::assert_snapshot!(
        "parse_error_sarif",
        redact(run(&["fixtures/parse-errors", "--format", "sarif"]))
    );
}

#[test]
fn github() {
    insta::assert_snapshot!("demo_github", run(&["fixtures/demo", "--format", "github"]));
    insta::assert_snapshot!(
        "parse_error_github",
        run(&["fixtures/parse-errors", "--format", "github"])
    );
}

/// JUnit output with the run's start time, which its suites carry, replaced.
fn redact_timestamps(text: String) -> String {
    const LABEL: &str = "timestamp=\"";
    let mut parts = text.split(LABEL);
    let mut out = parts.next().unwrap_or_default().to_string();
    for part in parts {
        out.push_str(LABEL);
        out.push_str("YYYY-MM-DDTHH:MM:SS");
        out.push_str(part.get("2026-01-01T00:00:00".len()..).unwrap_or(part));
    }
    out
}

#[test]
fn junit() {
    insta::assert_snapshot!(
        "demo_junit",
        redact_timestamps(run(&["fixtures/demo", "--format", "junit"]))
    );
    insta::assert_snapshot!(
        "parse_error_junit",
        redact_timestamps(run(&["fixtures/parse-errors", "--format", "junit"]))
    );
}

#[test]
fn gitlab() {
    insta::assert_snapshot!("demo_gitlab", run(&["fixtures/demo", "--format", "gitlab"]));
    insta::assert_snapshot!(
        "parse_error_gitlab",
        run(&["fixtures/parse-errors", "--format", "gitlab"])
    );
}

#[test]
fn checkstyle() {
    insta::assert_snapshot!(
        "demo_checkstyle",
        run(&["fixtures/demo", "--format", "checkstyle"])
    );
    insta::assert_snapshot!(
        "parse_error_checkstyle",
        run(&["fixtures/parse-errors", "--format", "checkstyle"])
    );
}

#[test]
fn canned_report_in_every_format() {
    let formats = [
        "human",
        "compact",
        "json",
        "sarif",
        "github",
        "junit",
        "gitlab",
        "checkstyle",
    ];
    for format in formats {
        // The canned report stays small: one rule of each outcome, plus the suppression.
        let mut output = run(&[
            "fixtures/report",
            "--show-suppressed",
            "--select",
            "AOAI001,AOAI002,AOAI004",
            "--format",
            format,
        ]);
        match format {
            "sarif" => output = redact(output),
            "junit" => output = redact_timestamps(output),
            _ => {}
        }
        insta::assert_snapshot!(format!("report_{format}"), output);
    }
}
