//! Snapshots of every output format over the demo tree and a tree with a parse error.

use std::path::Path;

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let output = Command::cargo_bin("aoai-lint")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .args(["--color", "never"])
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
