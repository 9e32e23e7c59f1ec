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
