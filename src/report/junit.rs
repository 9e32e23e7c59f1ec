//! JUnit XML for CI dashboards: one test suite per file, one test case per rule and resource
//! checked in it. A failed check is a `<failure>`; an unknown one is `<skipped>` (neither passed
//! nor failed); the rest pass, so dashboards show what was checked, not only what failed. Files
//! that could not be parsed are suites with an `<error>`.
//!
//! The output is valid under both the Jenkins xUnit plugin's schema and Ant's
//! (`tests/data/junit/`): a case has at most one status element, holding every finding of its
//! check; each suite's `<properties>` say where its file and cases are (the schemas have no
//! `file` or `line` on a test case); `time` is 0 (checks are not timed) and `hostname` is
//! `localhost` (a report says nothing of the machine it was made on).

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use foldhash::HashMap;

use super::{Reporter, xml};
use crate::finding::{FileError, Finding, Level, Outcome};
use crate::finding::{ScopeReport, Summary};

pub struct Junit<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
    /// When the run started, UTC, as Ant's schema writes it (no zone).
    timestamp: String,
    /// The next suite's `id`: Ant's schema numbers suites from 0.
    next_id: usize,
    /// The suites of module files, which several scopes may check: written at the end, with
    /// each case once.
    held: BTreeMap<Arc<str>, Suite<Finding>>,
}

impl<'w> Junit<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Junit {
            out,
            started: false,
            timestamp: jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%S")
                .to_string(),
            next_id: 0,
            held: BTreeMap::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(self.out, "<testsuites>")?;
        }
        Ok(())
    }

    /// A suite's start tag and its properties: the file, and where each of `cases` is.
    fn open_suite(
        &mut self,
        file: &str,
        counts: SuiteCounts,
        cases: impl Iterator<Item = (String, usize)>,
    ) -> io::Result<()> {
        let package = file.rsplit_once('/').map_or(".", |(dir, _)| dir);
        writeln!(
            self.out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\" timestamp=\"{}\" hostname=\"localhost\" id=\"{}\" package=\"{}\">",
            xml(file),
            counts.tests,
            counts.failures,
            counts.errors,
            counts.skipped,
            self.timestamp,
            self.next_id,
            xml(package)
        )?;
        self.next_id += 1;
        writeln!(self.out, "    <properties>")?;
        writeln!(
            self.out,
            "      <property name=\"file\" value=\"{}\"/>",
            xml(file)
        )?;
        for (name, line) in cases {
            let place = xml(&format!("{file}:{line}"));
            writeln!(
                self.out,
                "      <property name=\"{}\" value=\"{place}\"/>",
                xml(&name)
            )?;
        }
        writeln!(self.out, "    </properties>")
    }

    /// A suite's end: Ant's schema requires both outputs, which a linter has none of.
    fn close_suite(&mut self) -> io::Result<()> {
        writeln!(
            self.out,
            "    <system-out/>\n    <system-err/>\n  </testsuite>"
        )
    }

    fn suite<F: Borrow<Finding>>(&mut self, file: &str, suite: &Suite<F>) -> io::Result<()> {
        let counts = SuiteCounts {
            tests: suite.cases.len(),
            failures: suite
                .cases
                .iter()
                .filter(|c| c.status() == Some(Outcome::Fail))
                .count(),
            errors: 0,
            skipped: suite
                .cases
                .iter()
                .filter(|c| c.status() == Some(Outcome::Unknown))
                .count(),
        };
        let places = suite.cases.iter().map(|c| (c.name(), c.line));
        self.open_suite(file, counts, places)?;
        for case in &suite.cases {
            case.write(&mut self.out)?;
        }
        self.close_suite()
    }

    /// A file that could not be read or parsed: a suite of one case in error.
    fn error_suite(&mut self, error: &FileError) -> io::Result<()> {
        let kind = error.kind();
        let name = format!("{kind} {}", error.file);
        let counts = SuiteCounts {
            tests: 1,
            failures: 0,
            errors: 1,
            skipped: 0,
        };
        let place = std::iter::once((name.clone(), error.line));
        self.open_suite(&error.file, counts, place)?;
        writeln!(
            self.out,
            "    <testcase name=\"{}\" classname=\"{kind}\" time=\"0\">",
            xml(&name)
        )?;
        writeln!(
            self.out,
            "      <error message=\"{}\" type=\"{kind}\"/>",
            xml(&error.message)
        )?;
        writeln!(self.out, "    </testcase>")?;
        self.close_suite()
    }
}

struct SuiteCounts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Reporter for Junit<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        self.start()?;
        for (file, suite) in suites_of(scope) {
            if scope.module_files.contains(&file) {
                self.held.entry(file).or_default().merge(suite);
            } else {
                self.suite(&file, &suite)?;
            }
        }
        for error in &scope.errors {
            self.error_suite(error)?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.start()?;
        for (file, suite) in std::mem::take(&mut self.held) {
            self.suite(&file, &suite)?;
        }
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
    }
}

/// A file's test cases in order, found by rule and resource; `F` holds a finding (a reference
/// while its scope is written, a copy in a suite held for the end).
struct Suite<F> {
    cases: Vec<Case<F>>,
    index: HashMap<(&'static str, Arc<str>), usize>,
}

impl<F> Default for Suite<F> {
    fn default() -> Self {
        Suite {
            cases: Vec::new(),
            index: HashMap::default(),
        }
    }
}

impl<F> Suite<F> {
    /// The case of `rule` on `resource`, made at `line` if there is none yet.
    fn case(&mut self, rule: &'static str, resource: &Arc<str>, line: usize) -> &mut Case<F> {
        let at = *self
            .index
            .entry((rule, resource.clone()))
            .or_insert_with(|| {
                self.cases.push(Case {
                    rule,
                    resource: resource.clone(),
                    line,
                    findings: Vec::new(),
                });
                self.cases.len() - 1
            });
        &mut self.cases[at]
    }
}

impl Suite<Finding> {
    /// Adds the cases of `other`, kept past its scope: a case both have gets both's findings.
    fn merge(&mut self, other: Suite<&Finding>) {
        for case in other.cases {
            let merged = self.case(case.rule, &case.resource, case.line);
            merged.findings.extend(case.findings.into_iter().cloned());
        }
    }
}

/// A test case: a rule checked on a resource, with the findings it produced.
struct Case<F> {
    rule: &'static str,
    resource: Arc<str>,
    line: usize,
    findings: Vec<F>,
}

impl<F: Borrow<Finding>> Case<F> {
    fn name(&self) -> String {
        format!("{} {}", self.rule, self.resource)
    }

    fn findings(&self) -> impl Iterator<Item = &Finding> + Clone {
        self.findings.iter().map(|f| f.borrow())
    }

    /// Failed if any finding failed, else skipped if any is unknown, else passed (`None`).
    fn status(&self) -> Option<Outcome> {
        self.findings().map(|f| f.outcome).min()
    }

    /// One status element for all its findings: the schemas allow one.
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let name = xml(&self.name());
        let start = format!(
            "    <testcase name=\"{name}\" classname=\"{}\" time=\"0\"",
            self.rule
        );
        let Some(status) = self.status() else {
            return writeln!(out, "{start}/>");
        };
        let texts: Vec<String> = self.findings().map(|f| finding_text(f, status)).collect();
        let body = texts.join("&#10;&#10;");
        let chosen: Vec<&Finding> = self.findings().filter(|f| f.outcome == status).collect();
        let first = chosen.first().map_or("", |f| &*f.message);
        let more = match chosen.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        writeln!(out, "{start}>")?;
        match status {
            Outcome::Fail => {
                let level = chosen.iter().map(|f| f.level).max().unwrap_or(Level::Error);
                writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{body}</failure>",
                    xml(&format!("{first}{more}")),
                    level.as_str()
                )?
            }
            Outcome::Unknown => writeln!(
                out,
                "      <skipped message=\"{}\">{body}</skipped>",
                xml(&format!("unknown: {first}{more}"))
            )?,
        }
        writeln!(out, "    </testcase>")
    }
}

/// A finding as a case's text: where and what, the remedy, and the other callers it holds
/// for. Unknowns beside a failure say so.
fn finding_text(finding: &Finding, status: Outcome) -> String {
    let unknown = match (finding.outcome, status) {
        (Outcome::Unknown, Outcome::Fail) => "(unknown) ",
        _ => "",
    };
    let place = format!(
        "{unknown}{}:{}:{}: {}",
        finding.location.file,
        finding.location.start.line,
        finding.location.start.column,
        finding.message,
    );
    let mut text = format!("{}&#10;{}", xml(&place), xml(&finding.help));
    if !finding.also_for.is_empty() {
        text.push_str(&format!(
            "&#10;{}",
            xml(&format!("also for {}", finding.also_for.join(", ")))
        ));
    }
    text
}

/// The test cases of a scope by file: one per check listed, with the findings of its rule and
/// resource, and one per finding whose resource no listed check names. A finding located in
/// another file than its resource's (a variable's value) joins the case of its resource.
fn suites_of(scope: &ScopeReport) -> BTreeMap<Arc<str>, Suite<&Finding>> {
    let mut suites: BTreeMap<Arc<str>, Suite<&Finding>> = BTreeMap::new();
    // The first file with a case of each rule and resource.
    let mut file_of: HashMap<(&'static str, Arc<str>), Arc<str>> = HashMap::default();
    for check in &scope.checks {
        let resource: Arc<str> = check.resource.as_str().into();
        let file = &check.location.file;
        let suite = suites.entry(file.clone()).or_default();
        suite.case(check.rule, &resource, check.location.start.line);
        file_of
            .entry((check.rule, resource))
            .or_insert_with(|| file.clone());
    }
    for finding in &scope.findings {
        let own = &finding.location.file;
        let key = (finding.rule, finding.resource.clone());
        let in_own = |suites: &BTreeMap<Arc<str>, Suite<&Finding>>| {
            suites.get(own).is_some_and(|s| s.index.contains_key(&key))
        };
        let file = match file_of.get(&key) {
            Some(first) if first != own && !in_own(&suites) => first.clone(),
            Some(_) => own.clone(),
            None => {
                file_of.insert(key, own.clone());
                own.clone()
            }
        };
        let suite = suites.entry(file).or_default();
        let case = suite.case(finding.rule, &finding.resource, finding.location.start.line);
        case.findings.push(finding);
    }
    suites
}
