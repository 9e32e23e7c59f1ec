//! The ways in that need no toolchain, run here as far as this machine can: the GitHub Action's
//! script with the `GITHUB_*` variables a runner sets, the installer of released binaries (from a
//! release laid out in a temporary directory, read through `file://`: never the network), the
//! pre-commit hooks, and the GitLab CI and Azure Pipelines templates' own commands, with the
//! variables their runners set. The binary under test stands in for a released one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;
use yaml_rust2::{Yaml, YamlLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BINARY: &str = env!("CARGO_BIN_EXE_aoai-lint");
const TARGET: &str = "x86_64-unknown-linux-musl";

fn script(name: &str) -> Command {
    let mut command = Command::new(Path::new(ROOT).join("scripts").join(name));
    // Nothing of the machine's own runner or cache leaks in.
    for variable in [
        "GITHUB_OUTPUT",
        "AOAI_LINT_BINARY",
        "AOAI_LINT_VERSION",
        "TF_BUILD",
    ] {
        command.env_remove(variable);
    }
    command
}

/// A workspace holding the insecure demo stack, as a checkout would.
fn workspace() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let stack = Path::new(ROOT).join("fixtures/demo/insecure");
    fs::create_dir(dir.path().join("infra")).unwrap();
    for entry in fs::read_dir(stack).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            dir.path().join("infra").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    dir
}

/// What a release's asset holds here: a script that runs the binary under test (small, where
/// the debug binary is 150 MB to copy and hash in every test).
fn asset() -> Vec<u8> {
    format!("#!/bin/sh\nexec '{BINARY}' \"$@\"\n").into_bytes()
}

/// A release as `.github/workflows/release.yml` lays it out: the asset by its name and
/// `SHA256SUMS` (of `checksum_of`), in a directory read through `file://`.
fn release(checksum_of: &[u8]) -> (TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let asset_name = format!("aoai-lint-{TARGET}");
    fs::write(dir.path().join(&asset_name), asset()).unwrap();
    let hash = Command::new("sha256sum")
        .arg("-")
        .stdin(stdin_of(checksum_of))
        .output();
    let hash = String::from_utf8(hash.unwrap().stdout).unwrap();
    let sum = hash.split_whitespace().next().unwrap().to_string();
    fs::write(
        dir.path().join("SHA256SUMS"),
        format!("{sum}  {asset_name}\n"),
    )
    .unwrap();
    let url = format!("file://{}", dir.path().display());
    (dir, url)
}

fn stdin_of(bytes: &[u8]) -> std::process::Stdio {
    let mut file = tempfile::tempfile().unwrap();
    std::io::Write::write_all(&mut file, bytes).unwrap();
    std::io::Seek::rewind(&mut file).unwrap();
    file.into()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `key=value` lines of a `$GITHUB_OUTPUT` file.
fn outputs(path: &Path) -> BTreeMap<String, String> {
    let written = fs::read_to_string(path).unwrap_or_default();
    written
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// The Action's script in `workspace` with a runner's variables and these inputs.
fn action(workspace: &Path, inputs: &[(&str, &str)]) -> (Output, BTreeMap<String, String>) {
    let github_output = workspace.join("github-output");
    let mut command = script("github-action");
    command
        .current_dir(workspace)
        .env("GITHUB_OUTPUT", &github_output)
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_ACTION_PATH", ROOT)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", workspace.join("runner-temp"))
        .env("AOAI_LINT_CACHE_DIR", workspace.join("cache"));
    for (name, value) in inputs {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (output, outputs(&github_output))
}

#[test]
fn the_action_lints_writes_sarif_annotates_and_sets_its_outputs() {
    let workspace = workspace();
    let (output, set) = action(
        workspace.path(),
        &[
            ("AOAI_LINT_BINARY", BINARY),
            ("INPUT_PATHS", "infra"),
            ("INPUT_SARIF_FILE", "results.sarif"),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(set["exit-code"], "1");
    assert_eq!(set["sarif-file"], "results.sarif");
    assert_eq!(set["binary"], BINARY);
    let sarif: Value =
        serde_json::from_slice(&fs::read(workspace.path().join("results.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "AOAI001"));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("::error file=infra/main.tf,line=15"),
        "{stdout}"
    );
}

#[test]
fn the_actions_inputs_set_fail_on_annotations_config_and_more_flags() {
    let workspace = workspace();
    fs::write(workspace.path().join("lint.hcl"), "fail_on = \"never\"\n").unwrap();
    let (output, set) = action(
        workspace.path(),
        &[
            ("AOAI_LINT_BINARY", BINARY),
            ("INPUT_PATHS", "infra\n"),
            ("INPUT_CONFIG", "lint.hcl"),
            ("INPUT_ANNOTATE", "false"),
            ("INPUT_ARGS", "--select AOAI001"),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(set["exit-code"], "0");
    assert!(!text(&output.stdout).contains("::"), "no annotations");
    let sarif = fs::read_to_string(workspace.path().join("aoai-lint.sarif")).unwrap();
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.iter().all(|r| r["ruleId"] == "AOAI001"));
    // `fail-on` wins over the configuration.
    let (output, set) = action(
        workspace.path(),
        &[
            ("AOAI_LINT_BINARY", BINARY),
            ("INPUT_PATHS", "infra"),
            ("INPUT_CONFIG", "lint.hcl"),
            ("INPUT_FAIL_ON", "error"),
        ],
    );
    assert_eq!(
        (output.status.code(), set["exit-code"].as_str()),
        (Some(1), "1")
    );
}

#[test]
fn the_action_installs_the_released_binary_when_none_is_given() {
    let workspace = workspace();
    let (_release, url) = release(&asset());
    let (output, set) = action(
        workspace.path(),
        &[
            ("INPUT_PATHS", "infra"),
            ("AOAI_LINT_RELEASE_URL", &url),
            ("AOAI_LINT_TARGET", TARGET),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let installed = PathBuf::from(&set["binary"]);
    assert!(
        installed.starts_with(workspace.path().join("cache")),
        "{installed:?}"
    );
    assert!(workspace.path().join("aoai-lint.sarif").is_file());
}

#[test]
fn the_installer_checks_the_sum_and_caches_the_binary() {
    let cache = tempfile::tempdir().unwrap();
    let install = |url: &str| {
        script("install-binary")
            .env("AOAI_LINT_RELEASE_URL", url)
            .env("AOAI_LINT_TARGET", TARGET)
            .env("AOAI_LINT_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    // A binary whose sum does not match is refused, and nothing is kept.
    let (_bad, bad_url) = release(b"something else");
    let refused = install(&bad_url);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("checksum"),
        "{}",
        text(&refused.stderr)
    );
    let version = env!("CARGO_PKG_VERSION");
    let kept = cache
        .path()
        .join(version)
        .join(format!("aoai-lint-{TARGET}"));
    assert!(!kept.exists());
    let (release_dir, url) = release(&asset());
    let installed = install(&url);
    assert_eq!(
        installed.status.code(),
        Some(0),
        "{}",
        text(&installed.stderr)
    );
    assert_eq!(text(&installed.stdout).trim(), kept.display().to_string());
    // Cached: the release is not read again.
    drop(release_dir);
    let again = install(&url);
    assert_eq!(text(&again.stdout).trim(), kept.display().to_string());
    let version_line = Command::new(&kept).arg("--version").output().unwrap();
    assert_eq!(
        text(&version_line.stdout).trim(),
        format!("aoai-lint {version}")
    );
}

fn yaml(path: &str) -> Yaml {
    let written = fs::read_to_string(Path::new(ROOT).join(path)).unwrap();
    YamlLoader::load_from_str(&written).unwrap().remove(0)
}

#[test]
fn the_pre_commit_hooks_run_the_toolchain_the_released_binary_or_the_image() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().unwrap();
    let hook = |id: &str| hooks.iter().find(|h| h["id"].as_str() == Some(id)).unwrap();
    assert_eq!(hook("aoai-lint")["language"].as_str(), Some("rust"));
    let binary = hook("aoai-lint-binary");
    assert_eq!(binary["language"].as_str(), Some("script"));
    let image = hook("aoai-lint-docker");
    assert_eq!(image["language"].as_str(), Some("docker_image"));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        image["entry"]
            .as_str()
            .unwrap()
            .ends_with(&format!(":{version}"))
    );
    // The script hook as pre-commit runs it: its entry and args, then the staged files.
    let workspace = workspace();
    let (_release, url) = release(&asset());
    let entry = binary["entry"].as_str().unwrap();
    let args: Vec<&str> = binary["args"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    let output = Command::new(Path::new(ROOT).join(entry))
        .current_dir(workspace.path())
        .args(&args)
        .arg("infra/main.tf")
        .env("AOAI_LINT_RELEASE_URL", &url)
        .env("AOAI_LINT_TARGET", TARGET)
        .env("AOAI_LINT_CACHE_DIR", workspace.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("infra/main.tf:15:3: error[AOAI001]"));
}

#[test]
fn every_action_input_reaches_the_script() {
    let action = yaml("action.yml");
    let inputs = action["inputs"].as_hash().unwrap();
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let lint = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("lint"))
        .unwrap();
    let env = lint["env"].as_hash().unwrap();
    for name in inputs.keys().filter_map(|k| k.as_str()) {
        if name == "upload-sarif" {
            continue;
        }
        let variable = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        let value = env
            .get(&Yaml::String(variable.clone()))
            .and_then(|v| v.as_str());
        assert_eq!(
            value,
            Some(format!("${{{{ inputs.{name} }}}}").as_str()),
            "{variable}"
        );
    }
    let upload = steps.iter().find(|s| s["uses"].as_str().is_some()).unwrap();
    assert!(
        upload["uses"]
            .as_str()
            .unwrap()
            .starts_with("github/codeql-action/upload-sarif@")
    );
}

/// A CI template's commands as its runner runs them: one shell, `$(Name)` macros (Azure)
/// replaced by `macros`, and `##vso[task.prependpath]` honoured between steps.
fn run_steps(
    steps: &[String],
    dir: &Path,
    env: &[(&str, String)],
    macros: &[(&str, String)],
) -> Output {
    let mut path = std::env::var("PATH").unwrap_or_default();
    let mut last = None;
    for step in steps {
        let mut step = step.clone();
        for (name, value) in macros {
            step = step.replace(&format!("$({name})"), value);
        }
        let output = Command::new("sh")
            .args(["-ec", &step])
            .current_dir(dir)
            .env("PATH", &path)
            .envs(env.iter().map(|(k, v)| (*k, v)))
            .output()
            .unwrap();
        for line in text(&output.stdout).lines() {
            if let Some(added) = line.strip_prefix("##vso[task.prependpath]") {
                path = format!("{added}:{path}");
            }
        }
        let failed = !output.status.success();
        last = Some(output);
        if failed {
            break;
        }
    }
    last.unwrap()
}

fn lines_of(node: &Yaml) -> Vec<String> {
    node.as_vec()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_gitlab_template_installs_the_binary_and_writes_code_quality_and_junit() {
    let template = yaml("docs/ci/gitlab-ci.yml");
    let job = &template["aoai-lint"];
    let workspace = workspace();
    let (_release, url) = release(&asset());
    let variables = job["variables"].as_hash().unwrap();
    let mut env: Vec<(&str, String)> = variables
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?.to_string())))
        .collect();
    // The runner's: the checkout, and the release and bin directory of this test.
    env.retain(|(k, _)| !matches!(*k, "AOAI_LINT_RELEASE_URL" | "AOAI_LINT_BIN"));
    env.push(("AOAI_LINT_RELEASE_URL", url));
    env.push((
        "AOAI_LINT_BIN",
        workspace.path().join("bin").display().to_string(),
    ));
    env.push(("CI_PROJECT_DIR", workspace.path().display().to_string()));
    // alpine's package manager is not here: curl is.
    let commands: Vec<String> = lines_of(&job["before_script"])
        .into_iter()
        .filter(|line| !line.starts_with("apk "))
        .chain(lines_of(&job["script"]))
        .collect();
    let output = run_steps(&[commands.join("\n")], workspace.path(), &env, &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings fail the job: {}",
        text(&output.stderr)
    );
    let report = workspace.path().join("gl-code-quality-report.json");
    let issues: Value = serde_json::from_slice(&fs::read(report).unwrap()).unwrap();
    assert!(issues.as_array().is_some_and(|issues| !issues.is_empty()));
    assert!(workspace.path().join("aoai-lint-junit.xml").is_file());
    let reports = &job["artifacts"]["reports"];
    assert_eq!(
        reports["codequality"].as_str(),
        Some("gl-code-quality-report.json")
    );
}

#[test]
fn the_azure_template_installs_the_binary_and_writes_junit_and_sarif() {
    let template = yaml("docs/ci/azure-pipelines.yml");
    let workspace = workspace();
    let (_release, url) = release(&asset());
    let staging = workspace.path().join("staging");
    fs::create_dir_all(&staging).unwrap();
    let variables = template["variables"].as_hash().unwrap();
    let mut macros: Vec<(&str, String)> = variables
        .iter()
        .filter(|(k, _)| k.as_str() != Some("AOAI_LINT_RELEASE_URL"))
        .filter_map(|(k, v)| {
            Some((
                k.as_str()?,
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.as_f64()?.to_string()))?,
            ))
        })
        .collect();
    macros.push(("AOAI_LINT_RELEASE_URL", url));
    macros.push((
        "Agent.TempDirectory",
        workspace.path().join("agent-temp").display().to_string(),
    ));
    macros.push((
        "Build.ArtifactStagingDirectory",
        staging.display().to_string(),
    ));
    let steps: Vec<String> = template["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|step| step["script"].as_str().map(str::to_string))
        .collect();
    let output = run_steps(&steps, workspace.path(), &[], &macros);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let sarif = staging.join("CodeAnalysisLogs/aoai-lint.sarif");
    let sarif: Value = serde_json::from_slice(&fs::read(sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(staging.join("aoai-lint.xml").is_file());
}

/// A `rustc` that has no standard library for any target but its own, as on a machine that
/// cannot reach rust-lang.org to add one.
/// A `rustc` without the musl standard library, and a `rustup` that cannot fetch it (a
/// machine that does not reach rust-lang.org).
fn without_musl_target() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, script) in [
        ("rustc", "#!/bin/sh\necho /nonexistent\n"),
        (
            "rustup",
            "#!/bin/sh\necho 'could not download' >&2\nexit 1\n",
        ),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, script).unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        fs::set_permissions(&path, permissions).unwrap();
    }
    dir
}

#[test]
fn without_the_musl_target_the_static_build_says_so_and_ci_skips_it() {
    let fake = without_musl_target();
    let path = format!(
        "{}:{}",
        fake.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let build = script("build-static").env("PATH", &path).output().unwrap();
    assert_eq!(build.status.code(), Some(3));
    assert!(text(&build.stderr).contains("rustup target add x86_64-unknown-linux-musl"));
    let check = script("check-static")
        .arg(BINARY)
        .env("PATH", &path)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(
        text(&check.stdout).contains("check-static: skipped"),
        "{}",
        text(&check.stdout)
    );
}

#[test]
fn the_release_builds_every_target_the_installer_asks_for() {
    let workflow = yaml(".github/workflows/release.yml");
    let include = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap();
    let built: Vec<&str> = include
        .iter()
        .filter_map(|entry| entry["target"].as_str())
        .collect();
    let installer = fs::read_to_string(Path::new(ROOT).join("scripts/install-binary")).unwrap();
    let asked: Vec<&str> = installer
        .lines()
        .filter_map(|line| line.split(") echo ").nth(1))
        .map(|target| target.trim_end_matches(" ;;").trim())
        .collect();
    assert_eq!(asked.len(), 5, "{asked:?}");
    for target in asked {
        assert!(built.contains(&target), "{target} is not built: {built:?}");
    }
}
