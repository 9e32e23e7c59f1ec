//! The rules' findings located in the files a scope reads, leveled, and matched against the
//! suppression comments; the checks made (for JUnit) and the texts reporters show.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::config::UnknownLevel;
use crate::discover::{Discovered, DiscoveredFile};
use crate::finding::{
    Check, Finding, Level, Location, Outcome, Related, ScopeReport, capped_message,
};
use crate::options::Options;
use crate::parse::VarFiles;
use crate::policy::Catalog;
use crate::resolve::modules::ModuleFile;
use crate::rules;
use crate::source::{FileId, SharedTexts, Span};
use crate::source_store::SourceFile;
use crate::suppress;

/// Every file a scope's findings can point into: its own, the module files it read, the
/// `--var-file` files.
pub(crate) struct ScopeFiles<'a> {
    pub discovered: &'a Discovered,
    pub files: Vec<SourceFile>,
    pub module_files: Vec<ModuleFile>,
    pub var_files: &'a VarFiles,
    pub also_reported: Vec<FileId>,
}

impl ScopeFiles<'_> {
    /// Every file with its displayed path and whether findings in it are reported: the
    /// scope's own, then the module files, then the `--var-file` files.
    fn entries(&self) -> impl Iterator<Item = (&SourceFile, &Arc<str>, bool)> {
        let own = self.files.iter().map(|file| {
            let discovered = self.discovered.file(file.id);
            let reported = discovered.target || self.also_reported.contains(&file.id);
            (file, &discovered.display, reported)
        });
        let modules = self
            .module_files
            .iter()
            .map(|m| (&m.file, &m.display, m.target));
        let var_files = self
            .var_files
            .loaded
            .iter()
            .map(|(display, file)| (file, display, true));
        own.chain(modules).chain(var_files)
    }

    fn get(&self, id: FileId) -> Option<(&SourceFile, &Arc<str>, bool)> {
        self.entries().find(|(file, _, _)| file.id == id)
    }

    fn locate(&self, span: &Span) -> Option<Location> {
        let (file, display, _) = self.get(span.file)?;
        Some(file.locate(display, span))
    }

    fn is_target(&self, id: FileId) -> bool {
        self.get(id).is_some_and(|(_, _, target)| target)
    }

    /// The text of the file shown as `display`.
    pub(crate) fn text_of(&self, display: &str) -> Option<&str> {
        self.entries()
            .find(|(_, shown, _)| shown.as_ref() == display)
            .map(|(file, _, _)| file.text.as_str())
    }
}

/// Locates a scope's findings rule by rule (see [`rules::run_each`]): the suppression comments
/// matched so far, and one shared copy of each text the findings repeat.
pub(crate) struct Locator<'s, 'a> {
    located: &'s ScopeFiles<'a>,
    options: &'s Options,
    catalog: &'static Catalog,
    /// The suppression comments that matched a finding, by file and index.
    pub used: HashSet<(FileId, usize)>,
    texts: SharedTexts,
}

impl<'s, 'a> Locator<'s, 'a> {
    pub fn new(
        located: &'s ScopeFiles<'a>,
        options: &'s Options,
        catalog: &'static Catalog,
    ) -> Self {
        Locator {
            located,
            options,
            catalog,
            used: HashSet::new(),
            texts: SharedTexts::default(),
        }
    }

    /// The rules' findings in reported files, located, leveled and checked against suppression
    /// comments.
    pub fn report(&mut self, raw: Vec<rules::RawFinding>, output: &mut ScopeReport) {
        for finding in raw {
            let Some(finding) = self.located_finding(finding) else {
                continue;
            };
            if finding.suppressed.is_none() {
                output.findings.push(finding);
            } else {
                output.suppressed_count += 1;
                if self.options.show_suppressed {
                    output.suppressed.push(finding);
                }
            }
        }
    }

    /// The finding as reported, unless it is in no reported file or its level is to ignore.
    fn located_finding(&mut self, finding: rules::RawFinding) -> Option<Finding> {
        let located = self.located;
        if !located.is_target(finding.span.file) {
            return None;
        }
        let location = located.locate(&finding.span)?;
        let lines_of = |span: &Span| {
            let (file, _, _) = located.get(span.file)?;
            let line = |offset| file.line_col(offset).line;
            Some((line(span.range.start), line(span.range.end)))
        };
        let directives_of = |id| located.get(id).map(|(file, _, _)| &file.directives);
        let today = &self.options.today;
        let suppressed =
            suppress::suppression_of(&finding, lines_of, directives_of, today, &mut self.used);
        let policy = self.catalog.find(finding.rule)?;
        let level = self.level(&finding, policy.severity)?;
        let related = finding
            .related
            .iter()
            .filter_map(|(span, message)| {
                Some(Related {
                    location: located.locate(span)?,
                    message: self.texts.get(message),
                })
            })
            .collect();
        Some(Finding {
            rule: finding.rule,
            name: &policy.name,
            level,
            outcome: finding.outcome,
            message: self.texts.get(&capped_message(finding.message)),
            help: match &finding.help {
                Some(help) => self.texts.get(help),
                None => self
                    .texts
                    .get(policy.help_for(finding.language, finding.outcome)),
            },
            url: &policy.references.learn,
            resource: self.texts.get(&finding.resource),
            also_for: Vec::new(),
            attribute: self.texts.get(&finding.attribute),
            location,
            label: self.texts.get(&finding.label),
            related,
            suppressed,
        })
    }

    /// A failure's level as configured, else as its rule chose, else its policy's; an
    /// unknown's as configured, none when unknowns are ignored.
    fn level(&self, finding: &rules::RawFinding, severity: Level) -> Option<Level> {
        match finding.outcome {
            Outcome::Fail => Some(
                self.options
                    .levels
                    .get(finding.rule)
                    .copied()
                    .or(finding.level)
                    .unwrap_or(severity),
            ),
            Outcome::Unknown => match self.options.unknown_level {
                UnknownLevel::Level(level) => Some(level),
                UnknownLevel::Ignore => None,
            },
        }
    }
}

/// AOAI901 for the suppression comments of reported files. Whether one matches nothing is
/// only known where the file's resources are checked (`owned`): here for the scope's own
/// files, unless its callers check them; a module file read here may match for another caller.
pub(crate) fn report_invalid_suppressions(
    located: &ScopeFiles<'_>,
    used: &HashSet<(FileId, usize)>,
    owned: impl Fn(&DiscoveredFile) -> bool,
    options: &Options,
    catalog: &'static Catalog,
    output: &mut ScopeReport,
) {
    let files = located.files.iter().map(|f| {
        let file = located.discovered.file(f.id);
        (f, &file.display, file.target, owned(file))
    });
    let modules = located
        .module_files
        .iter()
        .map(|m| (&m.file, &m.display, m.target, false));
    for (file, display, target, owned) in files.chain(modules) {
        if !target {
            continue;
        }
        for (index, directive) in file.directives.iter().enumerate() {
            let used = used.contains(&(file.id, index)) || !owned;
            for message in suppress::problems(directive, used, &options.today, &options.rules) {
                let span = Span::new(file.id, directive.span.clone());
                let location = file.locate(display, &span);
                output
                    .findings
                    .push(suppress::invalid(catalog, display, location, message));
            }
        }
    }
}

/// Every check made on a resource of a reported file, at its header, sorted (JUnit).
pub(crate) fn located_checks(checks: Vec<rules::RawCheck>, located: &ScopeFiles<'_>) -> Vec<Check> {
    let mut located_checks: Vec<Check> = checks
        .into_iter()
        .filter(|check| located.is_target(check.header.file))
        .filter_map(|check| {
            Some(Check {
                location: located.locate(&check.header)?,
                rule: check.rule,
                resource: check.resource,
            })
        })
        .collect();
    located_checks.sort_by(|a, b| {
        (&a.location, a.rule, &a.resource).cmp(&(&b.location, b.rule, &b.resource))
    });
    located_checks.dedup();
    located_checks
}

/// The texts of the files a scope's findings and errors point into, for reporters' snippets:
/// what was linted, which for `--stdin-filename` is not what is on disk.
pub(crate) fn shown_sources<'t>(
    output: &ScopeReport,
    text_of: impl Fn(&str) -> Option<&'t str>,
) -> BTreeMap<Arc<str>, Arc<str>> {
    let findings = output.findings.iter().chain(&output.suppressed);
    let locations = findings.flat_map(|f| {
        std::iter::once(&f.location.file).chain(f.related.iter().map(|r| &r.location.file))
    });
    let errors = output.errors.iter().filter(|e| e.offset.is_some());
    let mut sources = BTreeMap::new();
    for file in locations.chain(errors.map(|e| &e.file)) {
        if !sources.contains_key(file)
            && let Some(text) = text_of(file)
        {
            sources.insert(file.clone(), Arc::from(text));
        }
    }
    sources
}
