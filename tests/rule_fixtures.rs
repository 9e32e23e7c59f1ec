//! Every rule's fixtures: `fixtures/rules/<ID>-<name>/<language>/{pass,fail}/`.
//!
//! A `pass` tree must give no finding at all for its rule; a `fail` tree must give exactly the
//! findings listed in its `expected.txt` (`file:line RULE outcome`, paths relative to `fail/`).
//! Each subdirectory is its own module, so cases that would interfere get their own folder.
//! Fixtures run with the approved regions below, so AOAI005 can show both of its failures, and
//! on the day below, so model lifecycle verdicts (AOAI019) do not move with the calendar; a
//! case's own `.aoai-lint.hcl` sets the rest of the rule settings (AOAI011's `data_residency`,
//! AOAI018's `approved_models`, AOAI023's `require_defender_for_ai`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use aoai_lint::{Options, lint};
use libtest_mimic::{Arguments, Failed, Trial};

const APPROVED_REGIONS: [&str; 3] = ["swedencentral", "eastus", "westeurope"];
const TODAY: &str = "2026-12-07";
const LANGUAGES: [&str; 3] = ["terraform", "bicep", "arm"];
/// Inputs some rules also have fixtures for: Terraform plans in JSON.
const OPTIONAL_INPUTS: [&str; 1] = ["plan"];

fn rule_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut dirs: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

fn findings(dir: &Path, rule: &'static str) -> BTreeSet<String> {
    let mut options = Options::new(vec![dir.to_path_buf()], dir.to_path_buf());
    options.rules = [rule].into_iter().collect();
    options.settings.approved_regions =
        Some(APPROVED_REGIONS.iter().map(|r| r.to_string()).collect());
    options.set_today(TODAY.parse().unwrap());
    let config = dir.join(aoai_lint::config::FILE_NAME);
    if config.is_file() {
        let config = aoai_lint::config::load(&config).unwrap();
        options.settings.data_residency = config.data_residency.unwrap_or_default();
        options.settings.approved_models = config.approved_models;
        options.settings.require_defender_for_ai = config.require_defender_for_ai.unwrap_or(false);
    }
    let report = lint(&options).unwrap();
    assert!(
        report.errors.is_empty(),
        "{}: {:?}",
        dir.display(),
        report.errors
    );
    report
        .findings
        .iter()
        .map(|f| {
            // Paths are shown relative to the working directory, which is the case directory.
            let file = &f.location.file;
            let outcome = format!("{:?}", f.outcome).to_lowercase();
            format!("{file}:{} {} {outcome}", f.location.start.line, f.rule)
        })
        .collect()
}

fn expected(dir: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(dir.join("expected.txt"))
        .unwrap_or_else(|_| panic!("{} needs an expected.txt", dir.display()));
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn rule_id(dir: &Path) -> &'static str {
    let name = dir.file_name().unwrap().to_string_lossy();
    let id = name.split('-').next().unwrap();
    aoai_lint::rules::all()
        .iter()
        .map(|r| r.id())
        .find(|r| *r == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// Each rule has a `pass` and a `fail` tree in every language.
fn every_rule_has_fixtures_for_every_language() -> Result<(), Failed> {
    let dirs = rule_dirs();
    let mut missing = Vec::new();
    for rule in aoai_lint::rules::all() {
        let policy = aoai_lint::policy::catalog().find(rule.id()).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("fixtures/rules/{}-{}", policy.id, policy.name));
        if !dirs.contains(&dir) {
            missing.push(dir.display().to_string());
            continue;
        }
        for language in LANGUAGES {
            for case in ["pass", "fail"] {
                if !dir.join(language).join(case).is_dir() {
                    missing.push(format!("{}/{language}/{case}", dir.display()));
                }
            }
        }
    }
    match missing.is_empty() {
        true => Ok(()),
        false => Err(format!("missing fixtures: {missing:#?}").into()),
    }
}

fn pass_has_no_findings(pass: &Path, rule: &'static str) -> Result<(), Failed> {
    let found = findings(pass, rule);
    match found.is_empty() {
        true => Ok(()),
        false => Err(format!("{}: unexpected findings {found:#?}", pass.display()).into()),
    }
}

fn fail_has_exactly_the_expected_findings(fail: &Path, rule: &'static str) -> Result<(), Failed> {
    let found = findings(fail, rule);
    let expected = expected(fail);
    if expected.is_empty() {
        return Err(format!("{}: a fail fixture must expect findings", fail.display()).into());
    }
    if found == expected {
        return Ok(());
    }
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    Err(format!(
        "{}:\n  expected, not found: {missing:?}\n  found, not expected: {extra:?}",
        fail.display()
    )
    .into())
}

/// One trial per case, named `<ID>-<name>/<language>/<pass|fail>`: every failing case is
/// reported, and one can be run alone (`cargo test --test rule_fixtures AOAI001`).
fn main() {
    let arguments = Arguments::from_args();
    let mut trials = vec![Trial::test(
        "every_rule_has_fixtures_for_every_language",
        every_rule_has_fixtures_for_every_language,
    )];
    for dir in rule_dirs() {
        let rule = rule_id(&dir);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let optional = OPTIONAL_INPUTS
            .into_iter()
            .filter(|input| dir.join(input).is_dir());
        for language in LANGUAGES.into_iter().chain(optional) {
            let pass = dir.join(language).join("pass");
            let fail = dir.join(language).join("fail");
            trials.push(Trial::test(format!("{name}/{language}/pass"), move || {
                pass_has_no_findings(&pass, rule)
            }));
            trials.push(Trial::test(format!("{name}/{language}/fail"), move || {
                fail_has_exactly_the_expected_findings(&fail, rule)
            }));
        }
    }
    libtest_mimic::run(&arguments, trials).exit();
}
