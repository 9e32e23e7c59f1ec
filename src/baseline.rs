//! Baselines: `--write-baseline FILE` records the current findings by fingerprint, and
//! `--baseline FILE` then reports only findings that are not in it. The file is stable,
//! sorted JSON (one entry per line), so it diffs and merges well in version control.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::finding::Finding;

const VERSION: u32 = 1;

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

/// Fingerprints with how many findings each stands for.
pub fn read(path: &Path) -> Result<HashMap<String, usize>, Error> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: shown.clone(),
        source,
    })?;
    let file: BaselineFile = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("--baseline {shown}: not a baseline file: {e}")))?;
    if file.version != VERSION {
        return Err(Error::Usage(format!(
            "--baseline {shown}: baseline version {} is not supported (expected {VERSION})",
            file.version
        )));
    }
    let mut counts = HashMap::new();
    for entry in file.findings {
        *counts.entry(entry.fingerprint).or_insert(0) += 1;
    }
    Ok(counts)
}

/// The baseline of `findings`, as the text to write.
pub fn render(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            file: f.location.file.to_string(),
            rule: f.rule.to_string(),
            resource: f.resource.clone(),
            attribute: f.attribute.clone(),
            fingerprint: f.fingerprint(),
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
