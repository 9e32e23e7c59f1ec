//! aoai-lint in real pipelines: output paths that are not plain files, closed pipes,
//! pre-commit on value files, symlinks, explicit files and portable baselines.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt, symlink};
use std::path::Path;
use std::process::Stdio;

mod common;
use common::*;

fn binary() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("aoai-lint"))
}

/// `O_NONBLOCK` on Linux.
const O_NONBLOCK: i32 = 0o4000;

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_to_a_fifo_writes_through_and_leaves_it_a_fifo() {
    let dir = tree(&[("main.tf", INSECURE)]);
    let fifo = dir.path().join("report.fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // A reader that does not wait for a writer, so the test ends even when none comes.
    let mut reader = fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let output = aoai_lint(dir.path())
        .args(["main.tf", "--format", "compact", "--output"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let mut text = String::new();
    reader.read_to_string(&mut text).unwrap();
    assert!(text.contains("AOAI001"), "{text}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names_in(dir.path()), ["main.tf", "report.fifo"]);
}

#[test]
fn output_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = tree(&[("main.tf", INSECURE), ("reports/real.txt", "old")]);
    symlink("reports/real.txt", dir.path().join("link.txt")).unwrap();
    let output = aoai_lint(dir.path())
        .args(["main.tf", "--format", "compact", "--output", "link.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let link = fs::symlink_metadata(dir.path().join("link.txt")).unwrap();
    assert!(link.file_type().is_symlink());
    let written = fs::read_to_string(dir.path().join("reports/real.txt")).unwrap();
    assert!(written.contains("AOAI001"), "{written}");
    assert_eq!(names_in(&dir.path().join("reports")), ["real.txt"]);
}

#[test]
fn output_to_dev_stdout_reaches_the_callers_standard_output() {
    let dir = tree(&[("main.tf", INSECURE)]);
    let output = aoai_lint(dir.path())
        .args(["main.tf", "--format", "compact", "--output", "/dev/stdout"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("AOAI001"));
}

#[test]
fn output_to_a_directory_or_an_unwritable_path_fails_first_and_leaves_nothing() {
    let dir = tree(&[("main.tf", INSECURE), ("out/keep", "")]);
    for target in ["out", "main.tf/x.json"] {
        let output = aoai_lint(dir.path())
            .args(["main.tf", "--format", "json", "--output", "ok.json"])
            .args(["--format", "sarif", "--output", target])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{target}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot write"), "{stderr}");
        assert!(output.stdout.is_empty());
        assert_eq!(names_in(dir.path()), ["main.tf", "out"], "{target}");
        assert_eq!(names_in(&dir.path().join("out")), ["keep"]);
    }
}

/// Two reports into one file: the second would replace the first (or both interleave), so it
/// is refused before any work, whatever the spelling, link or hard link that names it.
#[test]
fn two_reports_naming_one_file_are_a_usage_error_that_writes_nothing() {
    let dir = tree(&[("main.tf", INSECURE), ("r.json", "keep"), ("sub/x", "")]);
    symlink("r.json", dir.path().join("sym.json")).unwrap();
    symlink("gone.json", dir.path().join("dangling.json")).unwrap();
    fs::hard_link(dir.path().join("r.json"), dir.path().join("hard.json")).unwrap();
    let absolute = dir.path().join("r.json").display().to_string();
    let names = names_in(dir.path());
    let pairs = [
        ("r.json", "r.json"),
        ("r.json", "./r.json"),
        ("r.json", "sub/../r.json"),
        ("r.json", absolute.as_str()),
        ("r.json", "sym.json"),
        ("r.json", "hard.json"),
        ("new.json", "./new.json"),
        ("new/a.json", "new/./a.json"),
        ("gone.json", "dangling.json"),
    ];
    for (first, second) in pairs {
        for flags in [
            ["--output", first, "--output", second],
            ["--output", first, "--write-baseline", second],
            ["--output", first, "--baseline", second],
        ] {
            let output = aoai_lint(dir.path())
                .args(["main.tf", "--format", "json", flags[0], flags[1]])
                .args(["--format", "compact"])
                .args(&flags[2..])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{flags:?}: {output:?}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("the same file"), "{flags:?}: {stderr}");
            assert!(output.stdout.is_empty(), "{flags:?}: {output:?}");
            assert_eq!(names_in(dir.path()), names, "{flags:?}");
            assert_eq!(
                fs::read_to_string(dir.path().join("r.json")).unwrap(),
                "keep"
            );
        }
    }
    // A baseline read and rewritten in one run is its refresh, not a clash.
    let output = aoai_lint(dir.path())
        .args(["main.tf", "--write-baseline", "b.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let output = aoai_lint(dir.path())
        .args([
            "main.tf",
            "--baseline",
            "b.json",
            "--write-baseline",
            "./b.json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

/// A report replacing a file keeps who may read it: a private report stays private.
#[test]
fn a_replaced_report_keeps_its_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, chown};
    let dir = tree(&[("main.tf", INSECURE)]);
    let report = dir.path().join("r.json");
    let as_root = fs::metadata(dir.path()).unwrap().uid() == 0;
    for mode in [0o600, 0o640, 0o604] {
        fs::write(&report, "old").unwrap();
        fs::set_permissions(&report, fs::Permissions::from_mode(mode)).unwrap();
        if as_root {
            chown(&report, Some(65534), Some(65534)).unwrap();
        }
        let output = aoai_lint(dir.path())
            .args(["main.tf", "--output", "r.json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let metadata = fs::metadata(&report).unwrap();
        assert_eq!(metadata.mode() & 0o7777, mode, "{mode:o}");
        if as_root {
            assert_eq!((metadata.uid(), metadata.gid()), (65534, 65534));
        }
        assert!(fs::read_to_string(&report).unwrap().contains("AOAI001"));
    }
}

/// `aoai-lint | head -3`: the reader stops early; the exit code still reports the findings.
#[test]
fn a_closed_pipe_keeps_the_exit_code_in_every_format() {
    let files: Vec<(String, &str)> = (0..200)
        .map(|i| (format!("stack{i}/main.tf"), INSECURE))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = tree(&files);
    for format in ["human", "compact", "json", "sarif", "github", "junit"] {
        let mut child = binary()
            .current_dir(dir.path())
            .args([".", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read a little, then close the pipe as `head` does.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}: {output:?}");
        assert!(output.stderr.is_empty(), "{format}: {output:?}");
    }
}

/// A minified template: one line, the account past column 65,535.
fn minified_template(tail: &str) -> String {
    let pad = "x".repeat(70_000);
    format!(
        r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","parameters":{{"pad":{{"type":"string","defaultValue":"{pad}"}}}},"resources":[{{"type":"Microsoft.CognitiveServices/accounts","apiVersion":"2024-10-01","name":"oai","location":"swedencentral","kind":"OpenAI","properties":{{"publicNetworkAccess":"[f('{}')]"}}}}]{tail}"#,
        "y".repeat(800_000)
    )
}

#[test]
fn findings_and_parse_errors_past_column_65535_render_as_a_window_of_the_line() {
    let dir = tree(&[
        ("ok/azuredeploy.json", &minified_template("}")),
        ("broken/azuredeploy.json", &minified_template(",,}")),
    ]);
    let output = aoai_lint(dir.path()).arg(".").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("AOAI001") && text.contains("AOAI002"),
        "{text}"
    );
    assert!(text.contains("broken/azuredeploy.json:1:"), "{text}");
    assert!(text.contains("ok/azuredeploy.json:1:70"), "{text}");
    assert!(text.contains('…'), "the long line is cut: {text}");
    // The 800 KB expression is not echoed whole.
    assert!(text.len() < 50_000, "{} bytes of output", text.len());
    assert!(text.contains("characters cut]"), "{text}");
}

#[test]
fn human_snippets_show_the_stdin_buffer_not_the_file_on_disk() {
    let dir = tree(&[("main.tf", "# on disk\n")]);
    let output = aoai_lint(dir.path())
        .args(["--stdin-filename", "main.tf", "--color", "never"])
        .write_stdin(INSECURE)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("resource \"azurerm_cognitive_account\" \"main\""),
        "{text}"
    );
    assert!(!text.contains("on disk"), "{text}");
}

#[test]
fn a_sibling_that_does_not_parse_is_reported_as_a_warning_when_a_file_is_given() {
    let dir = tree(&[
        ("main.tf", INSECURE),
        (
            "network.tf",
            "resource \"azurerm_private_endpoint\" \"pe\" {\n  name = \n",
        ),
    ]);
    let output = aoai_lint(dir.path())
        .args(["main.tf", "--format", "json"])
        .output()
        .unwrap();
    // The findings of main.tf decide the exit code; the sibling is a warning for it.
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let errors = json(&output.stdout)["errors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "network.tf");
    assert_eq!(errors[0]["severity"], "warning");
    assert_eq!(errors[0]["context_for"], serde_json::json!(["main.tf"]));
    assert!(errors[0]["line"].as_u64().unwrap() > 0);
}

/// pre-commit stages only a value file: the finding it decides is reported, at the value.
#[test]
fn a_value_file_given_alone_reports_the_findings_it_decides_at_the_value() {
    let fixtures = Path::new(ROOT).join("fixtures/rules/AOAI001-public-network-access");
    let cases = [
        ("terraform/fail/tfvars", "terraform.tfvars", 1),
        ("bicep/fail/params", "main.bicepparam", 4),
        ("bicep/fail/json-params", "main.parameters.json", 6),
        ("arm/fail/params", "main.parameters.json", 5),
    ];
    for (dir, value_file, line) in cases {
        let output = aoai_lint(&fixtures.join(dir))
            .args([value_file, "--select", "AOAI001", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{dir}: {output:?}");
        let found = findings_of(&output);
        assert_eq!(found.len(), 1, "{dir}: {found:?}");
        assert_eq!(
            (&found[0]["file"], &found[0]["line"]),
            (&Value::from(value_file), &Value::from(line)),
            "{dir}"
        );
        let related = found[0]["related"].as_array().unwrap();
        assert!(
            related
                .iter()
                .any(|r| r["message"] == "the configuration uses it here"),
            "{dir}: {related:?}"
        );
    }
}

/// The insecure account with `local_auth_enabled` from `var.local_auth`, whose default is safe.
fn local_auth_from_variable() -> String {
    let main = INSECURE.replace(
        "  sku_name            = \"S0\"\n",
        "  sku_name            = \"S0\"\n  local_auth_enabled  = var.local_auth\n",
    );
    format!("variable \"local_auth\" {{\n  default = false\n}}\n{main}")
}

/// A value set in `*.auto.tfvars` (given alone, as pre-commit does) or in a `--var-file` is
/// reported in that file.
#[test]
fn values_from_auto_tfvars_and_var_files_are_reported_where_they_are_set() {
    let cases: [(&str, &[&str]); 2] = [
        ("dev.auto.tfvars", &["dev.auto.tfvars"]),
        ("env/prod.tfvars", &[".", "--var-file", "env/prod.tfvars"]),
    ];
    for (value_file, args) in cases {
        let main = local_auth_from_variable();
        let dir = tree(&[("main.tf", &main), (value_file, "local_auth = true\n")]);
        let output = aoai_lint(dir.path())
            .args(args)
            .args(["--select", "AOAI004", "--format", "json"])
            .output()
            .unwrap();
        let found = findings_of(&output);
        assert_eq!(found.len(), 1, "{value_file}: {found:?}");
        assert_eq!(
            (&found[0]["file"], &found[0]["line"]),
            (&Value::from(value_file), &Value::from(1)),
            "{value_file}"
        );
    }
}

/// A baseline names files relative to itself: it matches from any working directory.
#[test]
fn baselines_match_from_another_working_directory() {
    let dir = tree(&[("infra/main.tf", INSECURE)]);
    let written = aoai_lint(dir.path())
        .args([
            "infra",
            "--write-baseline",
            "ci/base.json",
            "--format",
            "compact",
        ])
        .output()
        .unwrap();
    assert_eq!(written.status.code(), Some(0), "{written:?}");
    let text = fs::read_to_string(dir.path().join("ci/base.json")).unwrap();
    assert!(text.contains("\"file\":\"../infra/main.tf\""), "{text}");
    for (cwd, path, baseline) in [
        ("infra", ".", "../ci/base.json"),
        ("ci", "../infra", "base.json"),
        (".", "infra", "ci/base.json"),
    ] {
        let output = aoai_lint(&dir.path().join(cwd))
            .args([path, "--baseline", baseline, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "from {cwd}: {output:?}");
        assert!(findings_of(&output).is_empty(), "from {cwd}");
    }
}

#[test]
fn version_1_baselines_are_still_read_relative_to_the_working_directory() {
    let dir = tree(&[("main.tf", INSECURE)]);
    aoai_lint(dir.path())
        .args(["--write-baseline", "base.json", "--format", "compact"])
        .output()
        .unwrap();
    let path = dir.path().join("base.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("\"version\": 2", "\"version\": 1")).unwrap();
    let output = aoai_lint(dir.path())
        .args(["--baseline", "base.json", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

/// A secret outside the linted tree, reachable through a symlink.
fn secret_outside() -> tempfile::TempDir {
    tree(&[("secret.tf", "machine example.com password hunter2-token\n")])
}

/// Nothing of [`secret_outside`] reaches either output stream; returns standard error.
fn assert_secret_not_shown(output: &std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stdout.contains("hunter2") && !stderr.contains("hunter2"),
        "{stdout}{stderr}"
    );
    stderr
}

/// Lints `args` in `dir` as JSON: no error and nothing of the outside secret; returns stderr.
fn lint_without_reading_outside(dir: &Path, args: &[&str]) -> String {
    let output = aoai_lint(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = assert_secret_not_shown(&output);
    assert_eq!(
        json(&output.stdout)["errors"],
        Value::Array(vec![]),
        "{args:?}"
    );
    stderr
}

#[test]
fn a_walk_follows_links_inside_the_root_once_and_never_reads_outside() {
    let outside = secret_outside();
    let dir = tree(&[("stacks/real/main.tf", INSECURE)]);
    let root = dir.path();
    // A linked directory inside the root, a link back up (a loop), a link to a secret outside.
    symlink(root.join("stacks/real"), root.join("stacks/alias")).unwrap();
    symlink(root.join("stacks"), root.join("stacks/real/loop")).unwrap();
    symlink(
        outside.path().join("secret.tf"),
        root.join("stacks/real/netrc.tf"),
    )
    .unwrap();
    let output = aoai_lint(root)
        .args(["stacks", "--format", "json", "--select", "AOAI001"])
        .output()
        .unwrap();
    let stderr = assert_secret_not_shown(&output);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report = json(&output.stdout);
    assert_eq!(report["errors"], Value::Array(vec![]), "no loop error");
    let files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    // The directory is walked once, by one of its two paths.
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        stderr
            .matches("note: not read: 1 path leads outside")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_given_file_or_sibling_linked_outside_the_root_is_not_read() {
    let outside = secret_outside();
    let dir = tree(&[("main.tf", INSECURE)]);
    symlink(
        outside.path().join("secret.tf"),
        dir.path().join("netrc.tf"),
    )
    .unwrap();
    for args in [
        vec!["main.tf"],
        vec!["netrc.tf"],
        vec!["main.tf", "netrc.tf"],
    ] {
        let stderr = lint_without_reading_outside(dir.path(), &args);
        assert!(
            stderr.contains("note: not read: 1 path"),
            "{args:?}: {stderr}"
        );
    }
    // Standard input mode reads the same siblings, under the same rule.
    let output = aoai_lint(dir.path())
        .args(["--stdin-filename", "main.tf", "--format", "json"])
        .write_stdin(INSECURE)
        .output()
        .unwrap();
    assert_eq!(json(&output.stdout)["errors"], Value::Array(vec![]));
    assert!(String::from_utf8_lossy(&output.stderr).contains("note: not read"));
}

/// Files given by name cost what they are: their directory is listed once, not once per file.
#[test]
fn many_files_given_in_one_directory_list_it_once() {
    let files: Vec<(String, String)> = (0..200)
        .map(|i| {
            (
                format!("f{i:03}.tf"),
                format!("locals {{\n  n{i} = {i}\n}}\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = tree(&files);
    let names: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    let output = aoai_lint(dir.path())
        .args(&names)
        .env("AOAI_LINT_IO_STATS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(", 1 directory listings"), "{stderr}");
}

/// A module called by two roots (and twice by one of them) is read and parsed once in the
/// run, as is every other file, and its directory is listed once; both callers still check it.
#[test]
fn a_module_called_by_two_roots_is_read_and_parsed_once() {
    let account = "resource \"azurerm_cognitive_account\" \"x\" {\n  name = var.name\n  kind = \"OpenAI\"\n}\n";
    let call = |name: &str| {
        format!("module \"{name}\" {{\n  source = \"../modules/shared\"\n  name = \"{name}\"\n}}\n")
    };
    let twice = call("b") + &call("c");
    let bicep_call = "module o '../modules/openai.bicep' = {\n  name: 'o'\n}\n";
    let bicep_account = "resource a 'Microsoft.CognitiveServices/accounts@2023-05-01' = {\n  name: 'x'\n  location: 'eastus'\n  kind: 'OpenAI'\n  properties: {}\n}\n";
    let files = [
        ("a/main.tf", call("a")),
        ("b/main.tf", twice),
        ("a/main.bicep", bicep_call.to_string()),
        ("b/main.bicep", bicep_call.to_string()),
        ("modules/shared/main.tf", account.to_string()),
        (
            "modules/shared/variables.tf",
            "variable \"name\" {}\n".to_string(),
        ),
        ("modules/openai.bicep", bicep_account.to_string()),
    ];
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let dir = tree(&borrowed);
    let output = aoai_lint(dir.path())
        .args(["--format", "json", "--per-caller"])
        .env("AOAI_LINT_IO_STATS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("io: 7 file reads, 7 file parses, 1 directory listings"),
        "{stderr}"
    );
    let aoai004: Vec<String> = findings_of(&output)
        .iter()
        .filter(|f| f["rule"] == "AOAI004")
        .map(|f| {
            format!(
                "{} {}",
                f["file"].as_str().unwrap(),
                f["resource"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        aoai004,
        [
            "modules/openai.bicep module.o.a",
            "modules/shared/main.tf module.a.azurerm_cognitive_account.x",
            "modules/openai.bicep module.o.a",
            "modules/shared/main.tf module.b.azurerm_cognitive_account.x",
            "modules/shared/main.tf module.c.azurerm_cognitive_account.x",
        ],
        "{stderr}"
    );
}

/// With no room kept by the module-call scan, a scope that calls no local module is linted as
/// the scan reads it, and read once; a scope with calls waits for the call graph and reads its
/// files again; a module (`modules/m`) is linted through its caller, not on its own.
#[test]
fn scopes_past_the_scan_budget_that_call_no_module_are_read_once() {
    let account =
        "resource \"azurerm_cognitive_account\" \"x\" {\n  name = \"x\"\n  kind = \"OpenAI\"\n}\n";
    let call = "module \"m\" {\n  source = \"../modules/m\"\n}\n";
    let dir = tree(&[
        ("a/main.tf", account),
        ("b/main.tf", account),
        ("b/variables.tf", "variable \"name\" {}\n"),
        ("c/main.tf", call),
        ("modules/m/main.tf", account),
    ]);
    let run = |budget: Option<&str>| {
        let mut cmd = aoai_lint(dir.path());
        cmd.args(["--format", "json", "--select", "AOAI004"])
            .env("AOAI_LINT_IO_STATS", "1");
        if let Some(budget) = budget {
            cmd.env("AOAI_LINT_SCAN_BUDGET", budget);
        }
        cmd.output().unwrap()
    };
    let (within, past) = (run(None), run(Some("0")));
    let stderr = String::from_utf8_lossy(&past.stderr);
    // The files of a and b once each; c/main.tf and modules/m/main.tf twice, by the scan and
    // by c (the scan parses c/main.tf for its calls, and lints modules/m as no module).
    assert!(
        stderr.contains("io: 7 file reads, 7 file parses"),
        "{stderr}"
    );
    let resources = |output: &std::process::Output| -> Vec<String> {
        findings_of(output)
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["file"].as_str().unwrap(),
                    f["resource"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        resources(&past),
        [
            "a/main.tf azurerm_cognitive_account.x",
            "b/main.tf azurerm_cognitive_account.x",
            "modules/m/main.tf module.m.azurerm_cognitive_account.x",
        ]
    );
    assert_eq!(past.stdout, within.stdout);
}

#[test]
fn timings_name_every_stage_when_asked() {
    let dir = tree(&[("main.tf", INSECURE)]);
    let output = aoai_lint(dir.path())
        .env("AOAI_LINT_TIMINGS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    for stage in [
        "discover", "read", "parse", "modules", "build", "rules", "findings", "report",
    ] {
        assert!(stderr.contains(&format!("{stage} ")), "{stage}: {stderr}");
    }
}

/// A module call that leads through a symlink out of the tree does not read what is there.
#[test]
fn a_module_linked_outside_the_root_is_not_read() {
    let outside = secret_outside();
    let call = "module \"shared\" {\n  source = \"./modules/shared\"\n}\n";
    let dir = tree(&[("main.tf", call)]);
    fs::create_dir(dir.path().join("modules")).unwrap();
    symlink(outside.path(), dir.path().join("modules/shared")).unwrap();
    for args in [vec!["."], vec!["main.tf"]] {
        let stderr = lint_without_reading_outside(dir.path(), &args);
        assert!(stderr.contains("note: not read"), "{args:?}: {stderr}");
    }
}

#[test]
fn errors_name_what_failed_once_without_internal_codes() {
    let dir = tree(&[("main.tf", INSECURE)]);
    let output = aoai_lint(dir.path()).arg("missing.tf").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read missing.tf"), "{stderr}");
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("aoai_lint::"), "{stderr}");
}

/// The repository boundary: a link is followed when its target lies in the git work tree that
/// holds the linted path, whatever the working directory; outside a git work tree, in the
/// directory given (a file's own directory).
mod repository_boundary {
    use super::*;

    const NETRC: &str = "machine x login me password ghp_FAKETOKEN\n";
    const PROVIDER: &str = "provider \"azurerm\" {\n  features {}\n}\n";

    fn assert_token_not_shown(output: &std::process::Output) -> String {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            !stdout.contains("FAKETOKEN") && !stderr.contains("FAKETOKEN"),
            "{stdout}{stderr}"
        );
        stderr
    }

    /// `H/.netrc`, and a repository below `H` whose `providers.tf` links up to it.
    fn netrc_above_the_link() -> tempfile::TempDir {
        let home = tree(&[(".netrc", NETRC), ("src/evil/env/dev/main.tf", PROVIDER)]);
        symlink(
            "../../../../.netrc",
            home.path().join("src/evil/env/dev/providers.tf"),
        )
        .unwrap();
        home
    }

    #[test]
    fn a_link_above_the_given_file_is_not_read_from_a_directory_above_it() {
        let home = netrc_above_the_link();
        for args in [
            vec!["src/evil/env/dev/main.tf"],
            vec!["src/evil/env/dev/providers.tf"],
            vec!["src/evil/env/dev"],
            vec!["src"],
        ] {
            for format in ["human", "json"] {
                let output = aoai_lint(home.path())
                    .args(&args)
                    .args(["--format", format])
                    .output()
                    .unwrap();
                let stderr = assert_token_not_shown(&output);
                assert!(stderr.contains("note: not read"), "{args:?}: {stderr}");
            }
        }
        let output = aoai_lint(home.path())
            .args(["--stdin-filename", "src/evil/env/dev/main.tf"])
            .write_stdin(PROVIDER)
            .output()
            .unwrap();
        assert_token_not_shown(&output);
    }

    #[test]
    fn a_link_to_the_environment_is_not_read_from_the_file_system_root() {
        let dir = tree(&[("repo/main.tf", PROVIDER)]);
        symlink("/proc/self/environ", dir.path().join("repo/x.tf")).unwrap();
        let main = dir.path().join("repo/main.tf");
        for args in [
            vec![main.to_str().unwrap()],
            vec![dir.path().to_str().unwrap()],
        ] {
            let output = aoai_lint(Path::new("/"))
                .args(&args)
                .env("AOAI_LINT_TEST_SECRET", "ghp_FAKETOKEN")
                .output()
                .unwrap();
            assert_token_not_shown(&output);
        }
    }

    /// A git work tree whose environments link to shared files: the private endpoint of the
    /// account lies in the shared `network.tf`.
    fn shared_files_in_a_repository() -> tempfile::TempDir {
        let network = private_endpoint("openai", r#"["account"]"#);
        let repo = tree(&[
            ("shared/providers.tf", PROVIDER),
            ("shared/network.tf", &network),
            ("envs/prod/main.tf", INSECURE),
        ]);
        fs::create_dir(repo.path().join(".git")).unwrap();
        for name in ["providers.tf", "network.tf"] {
            symlink(
                format!("../../shared/{name}"),
                repo.path().join("envs/prod").join(name),
            )
            .unwrap();
        }
        repo
    }

    #[test]
    fn links_to_shared_files_inside_the_repository_are_read_from_any_directory() {
        let repo = shared_files_in_a_repository();
        let prod = repo.path().join("envs/prod");
        let above = repo.path().parent().unwrap().to_path_buf();
        let main = prod.join("main.tf");
        for (cwd, arg) in [
            (prod.clone(), "."),
            (prod.clone(), "main.tf"),
            (repo.path().to_path_buf(), "envs/prod"),
            (above, main.to_str().unwrap()),
        ] {
            let output = aoai_lint(&cwd)
                .args([arg, "--format", "json", "--select", "AOAI002"])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains("not read"), "{arg}: {stderr}");
            assert_eq!(
                findings_of(&output),
                Vec::<Value>::new(),
                "{arg}: {output:?}"
            );
        }
    }

    #[test]
    fn a_link_leaving_the_repository_is_not_read_even_below_the_working_directory() {
        let home = netrc_above_the_link();
        fs::create_dir(home.path().join("src/evil/.git")).unwrap();
        for args in [vec!["src/evil/env/dev/main.tf"], vec!["src"], vec!["."]] {
            let output = aoai_lint(home.path()).args(&args).output().unwrap();
            let stderr = assert_token_not_shown(&output);
            assert!(
                stderr.contains("outside the repository"),
                "{args:?}: {stderr}"
            );
        }
    }

    /// Files the user names on the command line are read; a link among them that leaves the
    /// repository is not, in every option that reads a file.
    #[test]
    fn value_config_and_baseline_links_leaving_the_repository_are_not_read() {
        let home = netrc_above_the_link();
        let dev = home.path().join("src/evil/env/dev");
        fs::create_dir(home.path().join("src/evil/.git")).unwrap();
        for name in ["prod.tfvars", "base.json", ".aoai-lint.hcl"] {
            symlink("../../../../.netrc", dev.join(name)).unwrap();
        }
        for args in [
            vec!["--var-file", "prod.tfvars", "main.tf"],
            vec!["--baseline", "base.json", "main.tf"],
            vec!["--config", ".aoai-lint.hcl", "main.tf"],
            vec!["main.tf"],
        ] {
            let output = aoai_lint(&dev).args(&args).output().unwrap();
            let stderr = assert_token_not_shown(&output);
            assert!(
                stderr.contains("outside the repository"),
                "{args:?}: {stderr}"
            );
        }
    }

    /// Inside a git work tree, a module path that leaves it is not read, and AOAI900 says why;
    /// a template called from Bicep is never read as Bicep.
    #[test]
    fn module_paths_leaving_the_repository_are_not_read() {
        let home = tree(&[
            (
                "secret/main.tf",
                "variable \"x\" { default = \"ghp_FAKETOKEN\" }\nsyntax error ghp_FAKETOKEN\n",
            ),
            ("secret.json", "{ ghp_FAKETOKEN"),
            (
                "repo/main.tf",
                "module \"m\" {\n  source = \"../secret\"\n}\n",
            ),
            (
                "repo/main.bicep",
                "module m '../secret.json' = {\n  name: 'm'\n}\n",
            ),
        ]);
        fs::create_dir(home.path().join("repo/.git")).unwrap();
        let output = aoai_lint(&home.path().join("repo"))
            .args([".", "--format", "json"])
            .output()
            .unwrap();
        assert_token_not_shown(&output);
        let reasons: Vec<String> = findings_of(&output)
            .iter()
            .filter(|f| f["rule"] == "AOAI900")
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(
            reasons.iter().any(|m| m.contains("outside the repository")),
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|m| m.contains("is an ARM template")),
            "{reasons:?}"
        );
    }

    #[test]
    fn a_json_template_called_from_bicep_is_never_parsed_as_bicep() {
        let home = tree(&[
            ("secret.json", "{ ghp_FAKETOKEN"),
            (
                "repo/main.bicep",
                "module m '../secret.json' = {\n  name: 'm'\n}\n",
            ),
        ]);
        let output = aoai_lint(home.path())
            .args(["repo", "--format", "json"])
            .output()
            .unwrap();
        assert_token_not_shown(&output);
        assert_eq!(json(&output.stdout)["errors"], Value::Array(vec![]));
    }

    /// What a template reads as content lies inside the repository, strictly: a path out of
    /// it is never opened, git work tree or not.
    #[test]
    fn content_a_template_reads_outside_the_repository_is_not_read() {
        let home = tree(&[
            (".netrc", NETRC),
            (
                "repo/main.bicep",
                "var secret = loadTextContent('../.netrc')\nresource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: secret\n  kind: 'OpenAI'\n  properties: {}\n}\n",
            ),
        ]);
        for git in [false, true] {
            if git {
                fs::create_dir(home.path().join("repo/.git")).unwrap();
            }
            let output = aoai_lint(home.path())
                .args(["repo", "--format", "json", "--select", "AOAI005"])
                .output()
                .unwrap();
            let stderr = assert_token_not_shown(&output);
            let found = findings_of(&output);
            assert_eq!(found.len(), 1, "{found:?}");
            let message = found[0]["message"].as_str().unwrap_or_default();
            assert!(message.contains("outside the repository"), "{message}");
            assert!(stderr.contains("note: not read"), "{stderr}");
        }
    }

    /// Content missing inside the repository, directories and all, is said to be missing,
    /// not to lie outside it (the AVM corpus lacks the policy JSON its templates load).
    #[test]
    fn content_missing_inside_the_repository_is_said_to_be_missing() {
        let repo = tree(&[(
            "main.bicep",
            "var region = loadTextContent('policy/definitions/region.txt')\nresource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: region\n  kind: 'OpenAI'\n  properties: {}\n}\n",
        )]);
        let output = aoai_lint(repo.path())
            .args([".", "--format", "json", "--select", "AOAI005"])
            .output()
            .unwrap();
        let found = findings_of(&output);
        let message = found[0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("reads a file that does not exist"),
            "{message}"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("not read"), "{stderr}");
    }

    /// The ways a second pair of eyes found around the boundary: a linked directory given,
    /// a plan from elsewhere widening it, a linked directory whose target is a repository of
    /// its own, and a report written through a link out.
    #[test]
    fn the_boundary_holds_where_a_review_tried_to_break_it() {
        let home = tree(&[
            (".netrc", NETRC),
            ("secrets/creds.tf", "password = ghp_FAKETOKEN !!\n"),
            ("tmp/secret.txt", NETRC),
            (
                "tmp/plan.json",
                r#"{"format_version":"1.2","planned_values":{"root_module":{}}}"#,
            ),
            (
                "repo/main.bicep",
                "var secret = loadTextContent('../tmp/secret.txt')\nresource a 'Microsoft.CognitiveServices/accounts@2024-10-01' = {\n  name: 'oai'\n  location: secret\n  kind: 'OpenAI'\n  properties: {}\n}\n",
            ),
        ]);
        let repo = home.path().join("repo");
        fs::create_dir(repo.join(".git")).unwrap();
        fs::create_dir(home.path().join("secrets/.git")).unwrap();
        symlink("../secrets", repo.join("infra")).unwrap();
        symlink("d1/d2", repo.join("a")).unwrap();
        fs::write(
            home.path().join("secret.tf"),
            "password = ghp_FAKETOKEN !!\n",
        )
        .unwrap();
        for args in [
            vec!["infra"],
            vec!["infra/creds.tf"],
            vec!["main.bicep", "--plan", "../tmp/plan.json"],
        ] {
            for format in ["human", "json", "sarif"] {
                let output = aoai_lint(&repo)
                    .args(&args)
                    .args(["--format", format])
                    .output()
                    .unwrap();
                assert_token_not_shown(&output);
            }
        }
        // A report is never written through a link out of the repository.
        let bashrc = home.path().join(".bashrc");
        fs::write(&bashrc, "echo hi\n").unwrap();
        symlink("../.bashrc", repo.join("results.sarif")).unwrap();
        let output = aoai_lint(&repo)
            .args(["main.bicep", "--output", "results.sarif"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        assert_eq!(fs::read_to_string(&bashrc).unwrap(), "echo hi\n");
        assert!(String::from_utf8_lossy(&output.stderr).contains("outside the repository"));
    }
}
