//! JUnit XML for CI dashboards: one test suite per file, one test case per resource and rule
//! checked. A failed check is a `<failure>`; an unknown one is `<skipped>` (neither passed nor
//! failed); the rest pass, so dashboards show what was checked, not only what failed. Files that
//! could not be parsed are suites with an `<error>`.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

use super::{Reporter, terminal_safe};
use crate::finding::{Finding, Outcome};
use crate::finding::{ScopeReport, Summary};

pub struct Junit<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
}

impl<'w> Junit<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Junit {
            out,
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(self.out, "<testsuites name=\"aoai-lint\">")?;
        }
        Ok(())
    }
}

/// A test case: a check, with the findings it produced.
struct Case<'a> {
    name: String,
    classname: &'a str,
    line: usize,
    findings: Vec<&'a Finding>,
}

impl Reporter for Junit<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        self.start()?;
        let suites = cases_by_file(scope);
        for (file, cases) in &suites {
            let failures = cases
                .iter()
                .filter(|c| c.findings.iter().any(|f| f.outcome == Outcome::Fail))
                .count();
            let skipped = cases
                .iter()
                .filter(|c| {
                    !c.findings.is_empty()
                        && c.findings.iter().all(|f| f.outcome == Outcome::Unknown)
                })
                .count();
            writeln!(
                self.out,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
                xml(file),
                cases.len()
            )?;
            for case in cases {
                write!(
                    self.out,
                    "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                    xml(&case.name),
                    case.classname,
                    xml(file),
                    case.line
                )?;
                if case.findings.is_empty() {
                    writeln!(self.out, "/>")?;
                    continue;
                }
                writeln!(self.out, ">")?;
                let failed = case.findings.iter().any(|f| f.outcome == Outcome::Fail);
                for finding in &case.findings {
                    let place = format!(
                        "{}:{}:{}: {}",
                        finding.location.file,
                        finding.location.start.line,
                        finding.location.start.column,
                        finding.message,
                    );
                    let text = format!("{}&#10;{}", xml(&place), xml(finding.help));
                    match finding.outcome {
                        Outcome::Fail => writeln!(
                            self.out,
                            "      <failure message=\"{}\" type=\"{}\">{text}</failure>",
                            xml(&finding.message),
                            finding.level.as_str(),
                        )?,
                        // A case has one status: unknowns beside a failure are in its output.
                        Outcome::Unknown if failed => {
                            writeln!(self.out, "      <system-out>(unknown) {text}</system-out>",)?
                        }
                        Outcome::Unknown => writeln!(
                            self.out,
                            "      <skipped message=\"{}\"/>",
                            xml(&format!("unknown: {}", finding.message))
                        )?,
                    }
                }
                writeln!(self.out, "    </testcase>")?;
            }
            writeln!(self.out, "  </testsuite>")?;
        }
        for error in &scope.errors {
            writeln!(
                self.out,
                "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">",
                xml(&error.file)
            )?;
            let kind = error.kind();
            writeln!(
                self.out,
                "    <testcase name=\"{kind} {}\" classname=\"{kind}\" file=\"{}\" line=\"{}\">",
                xml(&error.file),
                xml(&error.file),
                error.line
            )?;
            writeln!(
                self.out,
                "      <error message=\"{}\" type=\"{kind}\"/>",
                xml(&error.message)
            )?;
            writeln!(self.out, "    </testcase>\n  </testsuite>")?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
    }
}

/// The test cases of a scope by file: one per check listed, with the findings of its rule and
/// resource, and one per finding whose resource no listed check names.
fn cases_by_file(scope: &ScopeReport) -> BTreeMap<Arc<str>, Vec<Case<'_>>> {
    let mut suites: BTreeMap<Arc<str>, Vec<Case<'_>>> = BTreeMap::new();
    for check in &scope.checks {
        suites
            .entry(check.location.file.clone())
            .or_default()
            .push(Case {
                name: format!("{} {}", check.rule, check.resource),
                classname: check.rule,
                line: check.location.start.line,
                findings: Vec::new(),
            });
    }
    // The first case of each name, in the suites' order: found once per finding, not by
    // a search of every case (a huge file has millions of findings).
    let mut first_case: HashMap<String, (Arc<str>, usize)> = HashMap::new();
    for (file, cases) in &suites {
        for (at, case) in cases.iter().enumerate() {
            first_case
                .entry(case.name.clone())
                .or_insert_with(|| (file.clone(), at));
        }
    }
    for finding in &scope.findings {
        let name = format!("{} {}", finding.rule, finding.resource);
        let case = first_case
            .get(&name)
            .and_then(|(file, at)| suites.get_mut(file).and_then(|cases| cases.get_mut(*at)));
        if let Some(case) = case {
            case.findings.push(finding);
            continue;
        }
        // A finding whose resource is not among the listed checks is a case of its own.
        let file = finding.location.file.clone();
        let cases = suites.entry(file.clone()).or_default();
        first_case.insert(name.clone(), (file, cases.len()));
        cases.push(Case {
            name,
            classname: finding.rule,
            line: finding.location.start.line,
            findings: vec![finding],
        });
    }
    suites
}

/// Escapes text for XML attributes and content, made [`terminal_safe`] first: XML 1.0 cannot
/// hold most control characters, and dashboards and terminals show the others raw.
fn xml(text: &str) -> String {
    let safe = terminal_safe(text);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            xml("a<b & \"c\"\n\u{1}\u{1b}[8m"),
            "a&lt;b &amp; &quot;c&quot;\\u{a}\\u{1}\\u{1b}[8m"
        );
    }
}
