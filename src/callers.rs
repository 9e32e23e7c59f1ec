//! Findings in a module that several callers deploy (several roots, or one root calling it
//! more than once): a finding that does not depend on the caller (same rule, place and
//! message) is reported once, naming every other caller it holds for. Findings in module files
//! are held until every scope is linted, then reported after the scopes, grouped by the root
//! that met them first; the order is the scopes' order, so it does not depend on threads.

use std::collections::HashMap;
use std::sync::Arc;

use crate::finding::{Finding, ScopeReport};

type Key = (&'static str, Arc<str>, usize, Arc<str>);

#[derive(Default)]
pub struct SharedFindings {
    /// One report per root that met a module finding first, in the order they were met.
    reports: Vec<ScopeReport>,
    report_of_root: HashMap<Arc<str>, usize>,
    /// Where each finding is: its report and its index there.
    index: HashMap<Key, (usize, usize)>,
}

impl SharedFindings {
    /// Takes the findings of `scope` that lie in the module files it reads.
    pub fn take_from(&mut self, scope: &mut ScopeReport) {
        if scope.module_files.is_empty() {
            return;
        }
        let (shared, own): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut scope.findings)
            .into_iter()
            .partition(|f| scope.module_files.contains(&f.location.file));
        scope.findings = own;
        for finding in shared {
            self.add(scope, finding);
        }
    }

    fn add(&mut self, scope: &ScopeReport, finding: Finding) {
        let key = (
            finding.rule,
            finding.location.file.clone(),
            finding.location.offset,
            finding.message.clone(),
        );
        if let Some(&(report, at)) = self.index.get(&key) {
            let root = self.reports[report].root.clone();
            let first = &mut self.reports[report].findings[at];
            let same_caller = first.resource == finding.resource && root == scope.root;
            let holder = format!("{} in {}", finding.resource, shown_root(&scope.root));
            if !same_caller && !first.also_for.contains(&holder) {
                first.also_for.push(holder);
            }
            return;
        }
        let report = *self
            .report_of_root
            .entry(scope.root.clone())
            .or_insert_with(|| {
                self.reports.push(ScopeReport {
                    root: scope.root.clone(),
                    ..ScopeReport::default()
                });
                self.reports.len() - 1
            });
        let held = &mut self.reports[report];
        let files = std::iter::once(&finding.location.file)
            .chain(finding.related.iter().map(|r| &r.location.file));
        for file in files {
            if let Some(text) = scope.sources.get(file) {
                held.sources.insert(file.clone(), text.clone());
            }
        }
        if !held.module_files.contains(&finding.location.file) {
            held.module_files.push(finding.location.file.clone());
        }
        self.index.insert(key, (report, held.findings.len()));
        held.findings.push(finding);
    }

    /// The held findings, each naming the other callers it holds for.
    pub fn into_reports(self) -> Vec<ScopeReport> {
        self.reports
    }
}

fn shown_root(root: &str) -> &str {
    if root.is_empty() { "." } else { root }
}
