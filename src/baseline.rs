//! Baselines: `--write-baseline FILE` records the current findings by fingerprint, and
//! `--baseline FILE` then reports only findings that are not in it. The file is stable,
//! sorted JSON (one entry per line), so it diffs and merges well in version control.
//!
//! Entries name files relative to the baseline file's own directory, so a baseline matches
//! from any working directory (`cd sub && aoai-lint . --baseline ../base.json`). Version 1
//! files, which named them relative to the working directory they were written from, are
//! still read that way.

use std::collections::{HashMap, HashSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::finding::Finding;
use crate::source::lexical_normalize;

const VERSION: u32 = 2;
/// Files relative to the working directory.
const VERSION_CWD_RELATIVE: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One accepted finding. Only `fingerprint` matters for matching; the rest says what it was.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    file: String,
    rule: String,
    resource: String,
    attribute: String,
    fingerprint: String,
}

/// Where a baseline's file names are relative to.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// The baseline file's directory, absolute; `None` for version 1: the working directory.
    dir: Option<PathBuf>,
    cwd: PathBuf,
}

impl Anchor {
    /// For a baseline file at `path`, as given from `cwd`.
    pub fn new(path: &Path, cwd: &Path) -> Self {
        let file = lexical_normalize(&cwd.join(path));
        Anchor {
            dir: Some(file.parent().map(Path::to_path_buf).unwrap_or_default()),
            cwd: cwd.to_path_buf(),
        }
    }

    /// A finding's file as the baseline names it: relative to its directory, `/`-separated.
    fn file_of(&self, finding: &Finding) -> String {
        self.name_of(&finding.location.file)
    }

    /// A file as the baseline names it, from its path as displayed.
    fn name_of(&self, displayed: &str) -> String {
        let Some(dir) = &self.dir else {
            return displayed.to_string();
        };
        let file = lexical_normalize(&self.cwd.join(displayed));
        let relative = pathdiff::diff_paths(&file, dir).unwrap_or(file);
        relative.to_string_lossy().replace('\\', "/")
    }

    /// Where a file the baseline names is (absolute when the working directory is).
    fn path_of(&self, name: &str) -> PathBuf {
        lexical_normalize(&self.dir.as_ref().unwrap_or(&self.cwd).join(name))
    }

    /// The fingerprint a baseline stores for `finding`.
    pub fn fingerprint(&self, finding: &Finding) -> String {
        finding.fingerprint_in(&self.file_of(finding), None)
    }
}

/// An accepted set of findings: fingerprints with how many findings each stands for.
#[derive(Debug, Clone)]
pub struct Baseline {
    anchor: Anchor,
    counts: HashMap<String, usize>,
    /// The file of each fingerprint's entries, as the baseline names it (a fingerprint is of
    /// one file).
    files: HashMap<String, String>,
}

impl Baseline {
    /// Removes the findings the baseline accepts, each entry matching one finding; returns
    /// how many were removed.
    pub fn remove_accepted(&mut self, findings: &mut Vec<Finding>) -> usize {
        let before = findings.len();
        findings.retain(|f| match self.counts.get_mut(&self.anchor.fingerprint(f)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        });
        before - findings.len()
    }

    /// Entries no finding matched in a file this run linted (`linted`, as displayed), or in a
    /// file that no longer exists below a path it was given (`given`, from the working
    /// directory): fixed since the baseline was written. An entry of a file the run did not
    /// lint, as when linting part of the tree, may well still hold.
    pub fn fixed<'a>(&self, linted: impl IntoIterator<Item = &'a str>, given: &[PathBuf]) -> usize {
        let linted: HashSet<String> = linted.into_iter().map(|f| self.anchor.name_of(f)).collect();
        let given: Vec<PathBuf> = given
            .iter()
            .map(|path| lexical_normalize(&self.anchor.cwd.join(path)))
            .collect();
        let is_fixed = |fingerprint: &String| {
            self.files
                .get(fingerprint)
                .is_some_and(|file| linted.contains(file) || self.deleted_below(file, &given))
        };
        self.counts
            .iter()
            .filter(|(fingerprint, _)| is_fixed(fingerprint))
            .map(|(_, count)| count)
            .sum()
    }

    /// Whether the file `name` (as the baseline names it) lies below one of `given` (absolute)
    /// and no longer exists.
    fn deleted_below(&self, name: &str, given: &[PathBuf]) -> bool {
        let path = self.anchor.path_of(name);
        given.iter().any(|root| path.starts_with(root))
            && std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == ErrorKind::NotFound)
    }
}

pub fn read(path: &Path, cwd: &Path) -> Result<Baseline, Error> {
    let shown = path.display().to_string();
    crate::boundary::check_named("--baseline", path)?;
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: shown.clone(),
        source,
    })?;
    let file: BaselineFile = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("--baseline {shown}: not a baseline file: {e}")))?;
    let mut anchor = Anchor::new(path, cwd);
    match file.version {
        VERSION => {}
        VERSION_CWD_RELATIVE => anchor.dir = None,
        other => {
            return Err(Error::Usage(format!(
                "--baseline {shown}: baseline version {other} is not supported (expected {VERSION})"
            )));
        }
    }
    let mut counts = HashMap::new();
    let mut files = HashMap::new();
    for entry in file.findings {
        *counts.entry(entry.fingerprint.clone()).or_insert(0) += 1;
        files.insert(entry.fingerprint, entry.file);
    }
    Ok(Baseline {
        anchor,
        counts,
        files,
    })
}

/// The baseline of `findings`, as the text to write at the place `anchor` describes.
pub fn render(findings: &[Finding], anchor: &Anchor) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            file: anchor.file_of(f),
            rule: f.rule.to_string(),
            resource: f.resource.to_string(),
            attribute: f.attribute.to_string(),
            fingerprint: anchor.fingerprint(f),
        })
        .collect();
    entries.sort();
    let lines: Vec<String> = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap_or_default())
        .collect();
    let body = if lines.is_empty() {
        String::new()
    } else {
        format!("\n    {}\n  ", lines.join(",\n    "))
    };
    format!("{{\n  \"version\": {VERSION},\n  \"findings\": [{body}]\n}}\n")
}
