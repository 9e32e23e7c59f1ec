//! Helpers shared by the command-line test files.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

pub use assert_cmd::Command;
pub use serde_json::Value;

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub fn aoai_lint(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("aoai-lint").unwrap();
    cmd.current_dir(cwd).env_remove("NO_COLOR");
    cmd
}

pub fn repo() -> Command {
    aoai_lint(Path::new(ROOT))
}

pub fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON")
}

pub fn findings_of(output: &std::process::Output) -> Vec<Value> {
    json(&output.stdout)["findings"]
        .as_array()
        .expect("findings")
        .clone()
}

/// Each finding as `file:line`.
pub fn located(output: &std::process::Output) -> Vec<String> {
    findings_of(output)
        .iter()
        .map(|f| format!("{}:{}", f["file"].as_str().unwrap_or_default(), f["line"]))
        .collect()
}

/// The message of the report's `i`th file error.
pub fn error_message(output: &std::process::Output, i: usize) -> String {
    json(&output.stdout)["errors"][i]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// An account that fails most rules.
pub const INSECURE: &str = r#"resource "azurerm_cognitive_account" "main" {
  name                = "oai"
  location            = "swedencentral"
  resource_group_name = "rg"
  kind                = "OpenAI"
  sku_name            = "S0"
}
"#;

/// The project's shared directory: `AOAI_LINT_SHARED_DIR`, else `../shared` beside the
/// repository (the development setup; a fresh clone has none).
pub fn shared_dir() -> std::path::PathBuf {
    match std::env::var_os("AOAI_LINT_SHARED_DIR") {
        Some(dir) if !dir.is_empty() => dir.into(),
        _ => Path::new(ROOT).join("../shared"),
    }
}

/// `sub` of the shared directory, or `None` when it is absent: a fresh clone needs only Rust,
/// so a test that reads it says it is skipped and passes. With `AOAI_LINT_REQUIRE_SHARED=1`
/// (set by `.ci/run`) its absence fails the test instead, so CI never skips one.
pub fn shared_path(sub: &str) -> Option<std::path::PathBuf> {
    use std::io::Write;
    let path = shared_dir().join(sub);
    if path.is_dir() {
        return Some(path);
    }
    let required = std::env::var_os("AOAI_LINT_REQUIRE_SHARED").is_some_and(|v| v == "1");
    assert!(
        !required,
        "{} is absent and AOAI_LINT_REQUIRE_SHARED=1: clone the shared directory beside the project or set AOAI_LINT_SHARED_DIR",
        path.display()
    );
    // Straight to the process's standard error: the test harness captures `eprintln!` of a
    // passing test, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} is absent (set AOAI_LINT_SHARED_DIR to run this test)",
        path.display()
    );
    None
}

/// A private endpoint named `name` that connects to `azurerm_cognitive_account.main` with the
/// sub-resources written `subresource_names` (`["account"]`, `[var.sub]`).
pub fn private_endpoint(name: &str, subresource_names: &str) -> String {
    format!(
        r#"resource "azurerm_private_endpoint" "{name}" {{
  name                = "pe-{name}"
  location            = "swedencentral"
  resource_group_name = "rg"
  subnet_id           = "subnet"
  private_service_connection {{
    name                           = "openai"
    private_connection_resource_id = azurerm_cognitive_account.main.id
    subresource_names              = {subresource_names}
    is_manual_connection           = false
  }}
}}
"#
    )
}
