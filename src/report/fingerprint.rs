//! Fingerprints that stay put while lines move, each unique within one report: SARIF's
//! `partialFingerprints` and GitLab Code Quality's `fingerprint` carry the same one, so both
//! tools match a finding across runs alike (GitLab keeps one degradation per fingerprint).

use std::collections::HashMap;

use crate::finding::{FileError, Finding, ScopeReport, stable_hash};

#[derive(Default)]
pub(super) struct Fingerprints {
    /// Results per fingerprint so far: a repeated one gets an ordinal, so each is unique.
    seen: HashMap<String, usize>,
}

impl Fingerprints {
    /// A finding's: one in a module file names the caller it holds for (two roots calling one
    /// module give two results).
    pub(super) fn of(&mut self, finding: &Finding, scope: &ScopeReport) -> String {
        let caller = scope
            .module_files
            .contains(&finding.location.file)
            .then_some(scope.root.as_ref());
        self.unique(finding.fingerprint_in(&finding.location.file, caller))
    }

    /// A file that could not be read or parsed: by its kind and file, not its message, which
    /// changes with the text.
    pub(super) fn of_error(&mut self, error: &FileError) -> String {
        self.unique(stable_hash([error.kind(), &error.file]))
    }

    fn unique(&mut self, fingerprint: String) -> String {
        let seen = self.seen.entry(fingerprint.clone()).or_insert(0);
        *seen += 1;
        match *seen {
            1 => fingerprint,
            n => format!("{fingerprint}:{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_fingerprint_gets_an_ordinal() {
        let mut fingerprints = Fingerprints::default();
        let error = FileError {
            file: "a.tf".into(),
            line: 1,
            column: 1,
            message: "bad".into(),
            offset: Some(0),
        };
        let first = fingerprints.of_error(&error);
        assert_eq!(first.len(), 16);
        assert_eq!(fingerprints.of_error(&error), format!("{first}:2"));
    }
}
