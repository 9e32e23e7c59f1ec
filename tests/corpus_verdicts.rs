//! The verdicts a careful reader reaches on real repositories (`../shared/corpus/real/`, skipped
//! when it is absent: see `common::shared_path`), read from the IaC by hand and written down
//! with the reason in `tests/data/corpus-verdicts.json`:
//! the linter must reach the same ones. The file is the oracle: it is never produced by the
//! linter, and a difference is fixed in the linter or, with a reason, in the file.
//!
//! Each deployment is linted on its own, as the directory (or template) someone deploys, with
//! the rules whose verdicts are recorded. An account with no finding for a rule passes it. A
//! verdict is `[outcome, reason]`, or `[outcome, reason, resource]` when the finding is reported
//! on another resource (AOAI006: the role assignment; AOAI015: where the key lands; AOAI016: the
//! content filter policy; AOAI017: the connection). An account may name its `file` when two
//! templates of one deployment give accounts the same name (a Bicep file and its compiled
//! ARM copy): only the findings in that file count for it. `resources` holds verdicts on
//! resources that are not accounts (AOAI012 on a Content Safety account or a connection).
//! `gaps` records verdicts the linter does not reach yet: the reader's verdict and reason, what the
//! linter says instead (`linter`) and why it differs (`cause`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

mod common;
use common::*;

/// The rules whose verdicts the file records (AOAI011 is off without `data_residency`).
const RULES: &str = "AOAI001,AOAI002,AOAI003,AOAI004,AOAI005,AOAI006,AOAI007,AOAI008,AOAI009,AOAI010,AOAI012,AOAI013,AOAI014,AOAI015,AOAI016,AOAI017";

/// `(resource, rule) -> [(file, outcome)]` for one deployment.
type Found = BTreeMap<(String, String), Vec<(String, String)>>;

fn outcomes(corpus: &Path, target: &Path) -> Found {
    let output = aoai_lint(corpus)
        .arg(target)
        .args(["--format", "json", "--select", RULES])
        .output()
        .unwrap();
    let mut found = Found::new();
    for f in findings_of(&output) {
        let text = |field: &str| f[field].as_str().unwrap_or_default().to_string();
        // A finding in a shared module is reported once and holds for every other caller it
        // names (`also_for`: "<resource> in <root>").
        let others = f["also_for"].as_array().into_iter().flatten();
        let others = others.filter_map(|other| other.as_str()?.split(" in ").next());
        for resource in std::iter::once(text("resource")).chain(others.map(str::to_string)) {
            found
                .entry((resource, text("rule")))
                .or_default()
                .push((text("file"), text("outcome")));
        }
    }
    found
}

/// The linter's outcome for `key`, from the findings in `file` when one is named: `pass` when
/// nothing was reported, and the worst outcome when several findings share the key.
fn outcome_of(found: &Found, key: &(String, String), file: Option<&str>) -> String {
    let outcomes: Vec<&str> = found
        .get(key)
        .into_iter()
        .flatten()
        .filter(|(f, _)| file.is_none_or(|file| f.ends_with(file)))
        .map(|(_, outcome)| outcome.as_str())
        .collect();
    ["fail", "unknown"]
        .into_iter()
        .find(|worst| outcomes.contains(worst))
        .unwrap_or("pass")
        .to_string()
}

#[test]
fn the_linter_reaches_the_verdicts_a_reader_reaches_on_real_repositories() {
    let Some(corpus) = shared_path("corpus/real") else {
        return;
    };
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/data/corpus-verdicts.json"))
        .expect("tests/data/corpus-verdicts.json");
    let oracle: Value = serde_json::from_str(&text).expect("valid JSON");
    let mut differences = Vec::new();
    let mut checked = 0;
    // (reader, linter) for every verdict, gaps included: agreement, recall and precision.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for deployment in oracle["deployments"].as_array().expect("deployments") {
        let target = deployment["target"].as_str().expect("target");
        let found = outcomes(&corpus, Path::new(target));
        let accounts = deployment["accounts"].as_array().expect("accounts");
        let others = deployment["resources"].as_array().into_iter().flatten();
        let judged: Vec<&Value> = accounts.iter().chain(others).collect();
        // A deployment that declares no account with its defaults reports nothing on accounts:
        // only the findings its other resources' verdicts name.
        if accounts.is_empty() {
            let named = |key: &(String, String)| {
                judged.iter().any(|r| {
                    r["resource"].as_str() == Some(key.0.as_str())
                        && r["verdicts"].get(&key.1).is_some()
                })
            };
            let unexpected: Vec<_> = found.keys().filter(|key| !named(key)).collect();
            if !unexpected.is_empty() {
                differences.push(format!(
                    "{target}: reader sees no account, linter {unexpected:?}"
                ));
            }
        }
        for account in judged {
            let resource = account["resource"].as_str().expect("resource");
            let file = account["file"].as_str();
            for (rule, verdict) in account["verdicts"].as_object().expect("verdicts") {
                let expected = verdict[0].as_str().expect("verdict");
                let reason = verdict[1].as_str().expect("reason");
                // A finding reported on another resource names it third.
                let reported_on = verdict[2].as_str().unwrap_or(resource);
                let key = (reported_on.to_string(), rule.clone());
                let actual = outcome_of(&found, &key, file);
                checked += 1;
                pairs.push((expected.to_string(), actual.clone()));
                if actual != expected {
                    differences.push(format!(
                        "{target} {resource} {rule}: reader {expected}, linter {actual} ({reason})"
                    ));
                }
            }
        }
    }
    // Verdicts the linter does not reach yet, kept so that the review stays whole: each must
    // still differ as recorded, so that a fix moves it into the deployments above.
    for gap in oracle["gaps"].as_array().into_iter().flatten() {
        let target = gap["target"].as_str().expect("target");
        // Like a verdict's third element, `reported_on` names the resource a finding would be on.
        let resource = gap["reported_on"].as_str().or(gap["resource"].as_str());
        let key = (
            resource.expect("resource").to_string(),
            gap["rule"].as_str().expect("rule").to_string(),
        );
        let found = outcomes(&corpus, Path::new(target));
        let actual = outcome_of(&found, &key, gap["file"].as_str());
        let recorded = gap["linter"].as_str().expect("linter");
        let reader = gap["reader"].as_str().unwrap_or_default();
        pairs.push((reader.to_string(), actual.clone()));
        if actual != recorded {
            differences.push(format!(
                "{target} {} {}: the gap changed (linter {actual}, recorded {recorded}; reader {reader}): move it to the deployments if it is closed",
                key.0, key.1
            ));
        }
    }
    assert!(checked > 0, "no verdicts");
    let count = |f: &dyn Fn(&(String, String)) -> bool| pairs.iter().filter(|p| f(p)).count();
    let both = count(&|(r, l)| r == "fail" && l == "fail");
    eprintln!(
        "{} verdicts: {} agree; reader fails {}, linter fails {}, both {}",
        pairs.len(),
        count(&|(r, l)| r == l),
        count(&|(r, _)| r == "fail"),
        count(&|(_, l)| l == "fail"),
        both
    );
    assert!(
        differences.is_empty(),
        "{} of {checked} verdicts differ:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
