//! Baselines: `--write-baseline FILE` records the current findings by fingerprint, and
//! `--baseline FILE` then reports only findings that are not in it. The file is stable,
//! sorted JSON (one entry per line), so it diffs and merges well in version control.
//!
//! Entries name files relative to the baseline file's own directory, so a baseline matches
//! from any working directory (`cd sub && aoai-lint . --baseline ../base.json`). Version 1
//! files, which named them relative to the working directory they were written from, are
//! still read that way.

use std::collections::HashMap;
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
        let Some(dir) = &self.dir else {
            return finding.location.file.to_string();
        };
        let file = lexical_normalize(&self.cwd.join(finding.location.file.as_ref()));
        let relative = pathdiff::diff_paths(&file, dir).unwrap_or(file);
        relative.to_string_lossy().replace('\\', "/")
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

    /// Entries no finding matched: fixed since the baseline was written.
    pub fn unmatched(&self) -> usize {
        self.counts.values().sum()
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
    for entry in file.findings {
        *counts.entry(entry.fingerprint).or_insert(0) += 1;
    }
    Ok(Baseline { anchor, counts })
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
