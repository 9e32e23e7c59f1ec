//! `docs/rules/<ID>.md` and the README's rule table are generated from `policies/`: this test
//! fails when they are stale. `UPDATE_DOCS=1 cargo test --test docs` rewrites them. The
//! documented fuzz command is checked against the fuzz targets, and every relative link of the
//! README and `docs/` against the files and headings it points to.

use std::fs;
use std::path::Path;

use aoai_lint::docs::{TABLE_END, TABLE_START, rule_page, rules_table};
use aoai_lint::policy::catalog;

fn update() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

#[test]
fn rule_pages_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    fs::create_dir_all(&dir).unwrap();
    let mut expected_files = Vec::new();
    for policy in &catalog().policies {
        let path = dir.join(format!("{}.md", policy.id));
        let page = rule_page(policy);
        expected_files.push(path.file_name().unwrap().to_owned());
        if update() {
            fs::write(&path, &page).unwrap();
        } else {
            let written = fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                written,
                page,
                "{} is stale: run UPDATE_DOCS=1 cargo test --test docs",
                path.display()
            );
        }
    }
    for entry in fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(
            expected_files.contains(&name),
            "docs/rules/{name:?} has no policy"
        );
    }
}

#[test]
fn readme_rule_table_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let start = readme
        .find(TABLE_START)
        .expect("README has the table start marker");
    let end = readme
        .find(TABLE_END)
        .expect("README has the table end marker")
        + TABLE_END.len();
    let table = rules_table(catalog());
    if update() {
        fs::write(
            &path,
            format!("{}{table}{}", &readme[..start], &readme[end..]),
        )
        .unwrap();
    } else {
        assert_eq!(
            &readme[start..end],
            table,
            "README rule table is stale: run UPDATE_DOCS=1 cargo test --test docs"
        );
    }
}

/// The documented fuzz command works as written: it names every fuzz target and turns off
/// LeakSanitizer's false positive (worker threads' thread-locals freed after the leak check).
#[test]
fn fuzz_command_names_every_target_and_disables_the_leak_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = fs::read_to_string(root.join("docs/development.md")).unwrap();
    let fuzzing = page
        .lines()
        .skip_while(|line| !line.starts_with("- Fuzzing"))
        .take_while(|line| line.starts_with("- Fuzzing") || line.starts_with("  "))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        fuzzing.contains("RUSTC_BOOTSTRAP=1 cargo fuzz run -O bicep -- -detect_leaks=0"),
        "{fuzzing}"
    );
    let manifest = fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
    let targets = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|bin| bin.split('"').nth(1));
    for target in targets {
        assert!(
            fuzzing.contains(&format!("`{target}`")),
            "{target}: {fuzzing}"
        );
    }
}

/// The Markdown files whose links are checked: the README and every page under `docs/`.
fn markdown_pages(root: &Path) -> Vec<std::path::PathBuf> {
    let mut pages = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

/// The targets of a page's Markdown links (`[text](target)`), outside fenced code blocks.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for (at, _) in line.match_indices("](") {
            let rest = &line[at + 2..];
            if let Some(end) = rest.find(')') {
                targets.push(rest[..end].to_string());
            }
        }
    }
    targets
}

/// A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as `-`.
fn anchor_of(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(page: &Path) -> Vec<String> {
    let text = fs::read_to_string(page).unwrap();
    let mut fenced = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            anchors.push(anchor_of(line.trim_start_matches('#')));
        }
    }
    anchors
}

/// A relative link's problem: a file that does not exist, or a heading a page does not have.
fn broken(page: &Path, target: &str) -> Option<String> {
    let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
    let path = match file {
        "" => page.to_path_buf(),
        file => page.parent().unwrap().join(file),
    };
    if !path.exists() {
        return Some(format!("{target}: no such file"));
    }
    let is_page = path.extension().is_some_and(|e| e == "md");
    if !anchor.is_empty() && is_page && !anchors(&path).iter().any(|a| a == anchor) {
        return Some(format!("{target}: no such heading"));
    }
    None
}

#[test]
fn every_relative_link_of_the_readme_and_docs_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in markdown_pages(root) {
        let text = fs::read_to_string(&page).unwrap();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            if let Some(problem) = broken(&page, &target) {
                problems.push(format!("{}: {problem}", page.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 50, "only {checked} links found");
}

#[test]
fn a_broken_link_or_anchor_is_found() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = root.join("README.md");
    assert!(broken(&readme, "docs/usage.md").is_none());
    assert!(broken(&readme, "docs/usage.md#exit-codes").is_none());
    assert!(broken(&readme, "docs/nowhere.md").is_some());
    assert!(broken(&readme, "docs/usage.md#no-such-heading").is_some());
    assert_eq!(
        anchor_of(" CI, pre-commit and the editor"),
        "ci-pre-commit-and-the-editor"
    );
}
