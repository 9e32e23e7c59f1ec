//! Inline suppressions, read from comments:
//!
//! - `aoai-lint:ignore[AOAI001,AOAI004] reason`: on the line above a resource or attribute, at
//!   the end of its line, or anywhere inside the resource's block;
//! - `aoai-lint:ignore-file[AOAI003] reason`: every finding located in the file;
//! - `exp:YYYY-MM-DD` anywhere in the reason: the suppression stops working after that day, and
//!   says so. An `exp:` that is not such a date (`exp:2020-1-5`, `exp:2026-13-45`) makes the
//!   suppression suppress nothing, and is reported: read as no expiry, it would hold forever;
//! - Checkov's `checkov:skip=CKV_AZURE_134:reason`, for the checks a policy names as its Checkov
//!   equivalents (`references.checkov` in `policies/`), to ease migration.
//!
//! A suppression without a reason, naming an unknown rule, expired or with a malformed expiry,
//! or that suppresses nothing is reported as AOAI901 (invalid-suppression).

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use crate::finding::{Finding, Level, Location, Outcome};
use crate::policy::Catalog;
use crate::rules::RawFinding;
use crate::source::{FileId, Span};

/// The engine policy under which suppression problems are reported.
pub const INVALID_SUPPRESSION: &str = "AOAI901";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The comment, in its file.
    pub span: Range<usize>,
    /// 1-based line of the comment.
    pub line: usize,
    pub file_wide: bool,
    /// Rule IDs it suppresses.
    pub rules: Vec<&'static str>,
    /// IDs or names that are not rules (reported).
    pub unknown: Vec<String>,
    pub reason: String,
    /// `YYYY-MM-DD`, a real date, compared as text.
    pub expires: Option<String>,
    /// An `exp:` that is not a real `YYYY-MM-DD` date, as written after `exp:`.
    pub bad_expiry: Option<String>,
    /// A Checkov skip: never reported as a problem (it may be meant for Checkov itself).
    pub checkov: bool,
    /// `aoai-lint:ignore` without its `[rules]`: it suppresses nothing, and is reported so
    /// that a mistyped suppression is not silently ignored.
    pub malformed: bool,
}

impl Directive {
    pub fn expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|day| day < today)
    }

    /// Whether it silences what it covers: not past its expiry, and with no malformed one.
    pub fn holds(&self, today: &str) -> bool {
        self.bad_expiry.is_none() && !self.expired(today)
    }

    /// Whether it applies to a finding at `finding_line` of a resource spanning `extent_lines`
    /// (in the same file as the comment).
    pub fn covers(
        &self,
        finding_line: Option<usize>,
        extent_lines: Option<(usize, usize)>,
    ) -> bool {
        if self.file_wide {
            return finding_line.is_some();
        }
        let near = |line: usize| self.line + 1 == line || self.line == line;
        finding_line.is_some_and(near)
            || extent_lines
                .is_some_and(|(start, end)| near(start) || (start..=end).contains(&self.line))
    }
}

/// A file's directives, in the file's order. A finding is matched against those on or just
/// above its lines and the file-wide ones, found without looking at the others: a huge file
/// may have a directive on every resource.
#[derive(Debug, Clone, Default)]
pub struct Directives {
    all: Vec<Directive>,
    /// Positions in `all` of the file-wide ones.
    file_wide: Vec<usize>,
    /// Whether `all` is in the order of lines (comments come in the file's order).
    by_line: bool,
}

impl Directives {
    pub fn push(&mut self, directive: Directive) {
        let in_order = self
            .all
            .last()
            .is_none_or(|last| last.line <= directive.line);
        self.by_line = in_order && (self.by_line || self.all.is_empty());
        if directive.file_wide {
            self.file_wide.push(self.all.len());
        }
        self.all.push(directive);
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Directive> {
        self.all.iter()
    }

    /// The directives that may cover lines `first..=last` (on them, on the line before, or
    /// file-wide), with their position, in order.
    fn near(&self, first: usize, last: usize) -> impl Iterator<Item = (usize, &Directive)> {
        let (start, end) = match self.by_line {
            true => (
                self.all.partition_point(|d| d.line + 1 < first),
                self.all.partition_point(|d| d.line <= last),
            ),
            false => (0, self.all.len()),
        };
        let mut at: Vec<usize> = (start..end.max(start))
            .chain(self.file_wide.iter().copied())
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter()
            .filter_map(|at| Some((at, self.all.get(at)?)))
    }
}

/// Whether a text may hold a directive: files that do not are not searched for comments.
pub fn may_contain_directives(text: &str) -> bool {
    text.contains("aoai-lint:") || text.contains("checkov:skip")
}

/// The directives in one comment (`comment` is its text, starting at `span.start`).
pub fn parse(
    comment: &str,
    span: Range<usize>,
    line: usize,
    catalog: &'static Catalog,
) -> Option<Directive> {
    let text = comment.trim_end_matches("*/");
    if let Some(at) = text.find("aoai-lint:ignore") {
        let rest = &text[at + "aoai-lint:ignore".len()..];
        let (file_wide, rest) = match rest.strip_prefix("-file") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let Some((ids, reason)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) else {
            return Some(Directive {
                span,
                line,
                file_wide,
                rules: Vec::new(),
                unknown: Vec::new(),
                reason: String::new(),
                expires: None,
                bad_expiry: None,
                checkov: false,
                malformed: true,
            });
        };
        let mut rules = Vec::new();
        let mut unknown = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            match catalog.find(id) {
                Some(policy) => rules.push(policy.id.as_str()),
                None => unknown.push(id.to_string()),
            }
        }
        let reason = Reason::read(reason);
        return Some(Directive {
            span,
            line,
            file_wide,
            rules,
            unknown,
            reason: reason.text,
            expires: reason.expires,
            bad_expiry: reason.bad_expiry,
            checkov: false,
            malformed: false,
        });
    }
    let at = text.find("checkov:skip=")?;
    let rest = &text[at + "checkov:skip=".len()..];
    let (check, reason) = rest.split_once(':').unwrap_or((rest, ""));
    let check = check.trim();
    let rules: Vec<&'static str> = catalog
        .policies
        .iter()
        .filter(|p| {
            p.references
                .checkov
                .iter()
                .any(|c| c.eq_ignore_ascii_case(check))
        })
        .map(|p| p.id.as_str())
        .collect();
    if rules.is_empty() {
        return None;
    }
    let reason = Reason::read(reason);
    Some(Directive {
        span,
        line,
        file_wide: false,
        rules,
        unknown: Vec::new(),
        reason: reason.text,
        expires: reason.expires,
        bad_expiry: reason.bad_expiry,
        checkov: true,
        malformed: false,
    })
}

/// A suppression's reason, with its `exp:` taken out.
struct Reason {
    text: String,
    expires: Option<String>,
    bad_expiry: Option<String>,
}

impl Reason {
    /// Splits `exp:...` words off a reason (`exp:` in any case, in brackets or before a comma).
    fn read(reason: &str) -> Reason {
        let mut read = Reason {
            text: String::new(),
            expires: None,
            bad_expiry: None,
        };
        let mut words = Vec::new();
        for word in reason.split_whitespace() {
            let bare = word
                .trim_start_matches(['(', '['])
                .trim_end_matches([')', ']', ',', ';', '.']);
            let day = bare
                .get(..4)
                .filter(|prefix| prefix.eq_ignore_ascii_case("exp:"))
                .and_then(|_| bare.get(4..));
            match day {
                Some(day) if is_date(day) => read.expires = Some(day.to_string()),
                Some(day) => read.bad_expiry = Some(day.to_string()),
                None => words.push(word),
            }
        }
        let text = words.join(" ");
        read.text = text.trim_end_matches([',', ';']).to_string();
        read
    }
}

/// Whether `text` is a real date written `YYYY-MM-DD` (`2024-02-29`, not `2023-02-29`,
/// `2020-1-5` or `20200101`).
fn is_date(text: &str) -> bool {
    written_as_date(text) && text.parse::<jiff::civil::Date>().is_ok()
}

/// Whether `text` is written `YYYY-MM-DD`, whether or not such a day exists.
fn written_as_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The reason of the suppression comment that silences `finding`, if any: in the finding's file
/// (above or at its line, or inside its resource's block), in the resource's file (above or
/// inside the block), or file-wide. An expired suppression does not silence.
///
/// `lines_of` gives the first and last line of a span, `directives_of` a file's suppression
/// comments; `used` collects the comments that matched, by file and index.
pub fn suppression_of<'f>(
    finding: &RawFinding,
    lines_of: impl Fn(&Span) -> Option<(usize, usize)>,
    directives_of: impl Fn(FileId) -> Option<&'f Directives>,
    today: &str,
    used: &mut HashSet<(FileId, usize)>,
) -> Option<String> {
    let extent = lines_of(&finding.extent);
    let finding_line = lines_of(&finding.span).map(|(start, _)| start);
    let mut places = vec![(finding.span.file, finding_line, None)];
    if finding.extent.file == finding.span.file {
        places[0].2 = extent;
    } else {
        places.push((finding.extent.file, None, extent));
    }
    for (file, line, extent) in places {
        let Some(directives) = directives_of(file) else {
            continue;
        };
        let lines = line
            .into_iter()
            .chain(extent.into_iter().flat_map(|(a, b)| [a, b]));
        let (first, last) = lines.fold((usize::MAX, 0), |(lo, hi), l| (lo.min(l), hi.max(l)));
        for (index, directive) in directives.near(first, last) {
            if !directive.rules.contains(&finding.rule) || !directive.covers(line, extent) {
                continue;
            }
            used.insert((file, index));
            if directive.holds(today) {
                return Some(directive.reason.clone());
            }
        }
    }
    None
}

/// What is wrong with a suppression comment, if anything.
pub fn problems(
    directive: &Directive,
    used: bool,
    today: &str,
    selected: &BTreeSet<&'static str>,
) -> Vec<String> {
    let mut problems: Vec<String> = directive.bad_expiry.iter().map(|e| bad_expiry(e)).collect();
    if directive.checkov {
        // Checkov skips may be meant for Checkov's own checks: only expiry is ours to report.
        if directive.expired(today) && used {
            problems.push(format!(
                "the suppression expired on {}: the finding is reported again",
                directive.expires.as_deref().unwrap_or_default()
            ));
        }
        return problems;
    }
    if directive.malformed {
        let form = if directive.file_wide {
            "ignore-file"
        } else {
            "ignore"
        };
        problems.push(format!(
            "this is not a suppression, so it suppresses nothing: write `aoai-lint:{form}[RULE, ...] reason`"
        ));
        return problems;
    }
    for unknown in &directive.unknown {
        problems.push(format!("`{unknown}` is not a rule ID or name"));
    }
    if directive.reason.is_empty() {
        problems.push("the suppression gives no reason: say why the finding is acceptable".into());
    }
    if directive.expired(today) {
        problems.push(format!(
            "the suppression expired on {}: it no longer suppresses anything",
            directive.expires.as_deref().unwrap_or_default()
        ));
    } else if !used
        && directive.bad_expiry.is_none()
        && !directive.rules.is_empty()
        && directive.rules.iter().all(|rule| selected.contains(rule))
    {
        problems.push(format!(
            "the suppression matches no {} finding: remove it",
            directive.rules.join("/")
        ));
    }
    problems
}

/// What is wrong with `exp:{written}`, which is not a real `YYYY-MM-DD` date.
fn bad_expiry(written: &str) -> String {
    let what = if written_as_date(written) {
        "is not a real date (month 1-12, day within the month)"
    } else {
        "is not a date written YYYY-MM-DD"
    };
    format!(
        "`exp:{written}` {what}, so this suppression suppresses nothing: write the expiry as `exp:YYYY-MM-DD` (e.g. `exp:2030-01-31`)"
    )
}

/// The AOAI901 finding for one problem of the suppression comment at `location`.
pub fn invalid(
    catalog: &'static Catalog,
    display: &str,
    location: Location,
    message: String,
) -> Finding {
    let policy = catalog.find(INVALID_SUPPRESSION);
    Finding {
        rule: INVALID_SUPPRESSION,
        name: policy.map_or("invalid-suppression", |p| p.name.as_str()),
        level: policy.map_or(Level::Warning, |p| p.severity),
        outcome: Outcome::Fail,
        message: message.into(),
        help: policy
            .map_or("", |p| {
                let language = if display.ends_with(".bicep") {
                    crate::model::Language::Bicep
                } else {
                    crate::model::Language::Terraform
                };
                p.remediation_for(language)
            })
            .into(),
        url: policy.map_or("", |p| p.references.learn.as_str()),
        resource: "".into(),
        also_for: Vec::new(),
        attribute: "".into(),
        location,
        label: "this suppression".into(),
        related: Vec::new(),
        suppressed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::catalog;

    fn directive_at(line: usize, file_wide: bool) -> Directive {
        Directive {
            span: 0..0,
            line,
            file_wide,
            rules: vec!["AOAI001"],
            unknown: Vec::new(),
            reason: format!("line {line}"),
            expires: None,
            bad_expiry: None,
            checkov: false,
            malformed: false,
        }
    }

    #[test]
    fn a_finding_meets_the_directives_near_its_lines_and_the_file_wide_ones_in_order() {
        let lines = [
            (1, false),
            (3, true),
            (5, false),
            (9, false),
            (12, false),
            (20, false),
        ];
        let near = |directives: &Directives, first, last| {
            let near = directives.near(first, last);
            near.map(|(index, d)| (index, d.line)).collect::<Vec<_>>()
        };
        let mut in_order = Directives::default();
        for (line, file_wide) in lines {
            in_order.push(directive_at(line, file_wide));
        }
        assert_eq!(near(&in_order, 10, 12), [(1, 3), (3, 9), (4, 12)]);
        assert_eq!(near(&in_order, 2, 2), [(0, 1), (1, 3)]);
        assert_eq!(near(&in_order, 30, 40), [(1, 3)]);
        // Out of order, every directive is a candidate; `covers` still decides.
        let mut shuffled = Directives::default();
        for (line, file_wide) in lines.into_iter().rev() {
            shuffled.push(directive_at(line, file_wide));
        }
        assert_eq!(near(&shuffled, 30, 40).len(), lines.len());
    }

    #[test]
    fn directives_are_read_from_comments() {
        let d = parse(
            "# aoai-lint:ignore[AOAI001, local-auth-disabled, AOAI999] private lab exp:2030-01-31",
            0..10,
            3,
            catalog(),
        )
        .unwrap();
        assert_eq!(d.rules, ["AOAI001", "AOAI004"]);
        assert_eq!(d.unknown, ["AOAI999"]);
        assert_eq!(d.reason, "private lab");
        assert_eq!(d.expires.as_deref(), Some("2030-01-31"));
        assert!(!d.file_wide && !d.expired("2029-12-31") && d.expired("2030-02-01"));

        let file = parse("// aoai-lint:ignore-file[AOAI003]", 0..1, 1, catalog()).unwrap();
        assert!(file.file_wide && file.reason.is_empty());

        let checkov = parse(
            "#checkov:skip=CKV_AZURE_134:behind a firewall",
            0..1,
            1,
            catalog(),
        )
        .unwrap();
        assert_eq!(
            (checkov.rules.as_slice(), checkov.checkov),
            (["AOAI001"].as_slice(), true)
        );
        assert!(parse("#checkov:skip=CKV_AZURE_1:other", 0..1, 1, catalog()).is_none());
        assert!(parse("# just a comment", 0..1, 1, catalog()).is_none());
    }

    #[test]
    fn coverage_by_line_and_block() {
        let d = parse("# aoai-lint:ignore[AOAI001] r", 0..1, 10, catalog()).unwrap();
        assert!(d.covers(Some(11), None));
        assert!(d.covers(Some(10), None));
        assert!(!d.covers(Some(12), Some((20, 30))));
        assert!(d.covers(Some(40), Some((11, 50))));
        assert!(d.covers(Some(40), Some((5, 50))));
    }

    /// Expiry dates are compared, as text, with the day the rules use.
    #[test]
    fn today_is_a_date() {
        let today = crate::rules::Settings::default().today.to_string();
        assert!(is_date(&today), "{today}");
    }

    #[test]
    fn only_real_dates_written_yyyy_mm_dd_are_dates() {
        for date in ["2030-01-31", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(date), "{date}");
        }
        let not_dates = [
            "2020-1-5",
            "20200101",
            "yesterday",
            "",
            "2026-13-45",
            "2026-00-10",
            "2026-04-31",
            "2023-02-29",
            "1900-02-29",
            "2030-01-31T00:00",
            "+2030-01-31",
            "2030/01/31",
        ];
        for text in not_dates {
            assert!(!is_date(text), "{text}");
        }
    }

    fn with_reason(reason: &str) -> Directive {
        let comment = format!("# aoai-lint:ignore[AOAI001] {reason}");
        parse(&comment, 0..comment.len(), 1, catalog()).unwrap()
    }

    #[test]
    fn a_malformed_or_impossible_expiry_suppresses_nothing_and_says_why() {
        let today = "2025-06-01";
        let selected = BTreeSet::from(["AOAI001"]);
        for (written, what) in [
            ("2020-1-5", "is not a date written YYYY-MM-DD"),
            ("20200101", "is not a date written YYYY-MM-DD"),
            ("yesterday", "is not a date written YYYY-MM-DD"),
            ("", "is not a date written YYYY-MM-DD"),
            ("2026-13-45", "is not a real date"),
            ("2027-02-29", "is not a real date"),
        ] {
            let d = with_reason(&format!("lab only exp:{written}"));
            assert_eq!(
                (d.reason.as_str(), d.expires.as_deref()),
                ("lab only", None)
            );
            assert_eq!(d.bad_expiry.as_deref(), Some(written));
            assert!(!d.holds(today), "{written}");
            let problems = problems(&d, true, today, &selected);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(
                problems[0].starts_with(&format!("`exp:{written}` {what}")),
                "{problems:?}"
            );
            assert!(problems[0].contains("suppresses nothing"), "{problems:?}");
            assert!(problems[0].contains("`exp:YYYY-MM-DD`"), "{problems:?}");
        }
        let checkov = parse(
            "#checkov:skip=CKV_AZURE_134:lab exp:2030-02-30",
            0..1,
            1,
            catalog(),
        );
        let checkov = checkov.unwrap();
        assert!(!checkov.holds(today));
        assert_eq!(problems(&checkov, false, today, &selected).len(), 1);
    }

    #[test]
    fn an_expiry_is_read_in_brackets_before_punctuation_and_in_any_case() {
        for reason in [
            "lab only (exp:2030-01-31)",
            "lab only, exp:2030-01-31.",
            "lab only EXP:2030-01-31",
        ] {
            let d = with_reason(reason);
            assert_eq!(d.expires.as_deref(), Some("2030-01-31"), "{reason}");
            assert!(d.bad_expiry.is_none() && d.holds("2030-01-31"), "{reason}");
            assert!(!d.holds("2030-02-01"), "{reason}");
        }
        // A word that merely contains `exp:` is part of the reason.
        let d = with_reason("matches regexp:foo");
        assert_eq!(
            (d.reason.as_str(), &d.expires, &d.bad_expiry),
            ("matches regexp:foo", &None, &None)
        );
    }
}
