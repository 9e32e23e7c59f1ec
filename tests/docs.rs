//! `docs/rules/<ID>.md` and the README's rule table are generated from `policies/`: this test
//! fails when they are stale. `UPDATE_DOCS=1 cargo test --test docs` rewrites them. The
//! README's fuzz command is checked against the fuzz targets.

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

/// The README's fuzz command works as written: it names every fuzz target and turns off
/// LeakSanitizer's false positive (worker threads' thread-locals freed after the leak check).
#[test]
fn readme_fuzz_command_names_every_target_and_disables_the_leak_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let fuzzing = readme
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
