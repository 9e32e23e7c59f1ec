//! The lifecycle of Azure OpenAI model versions (`policies/data-model-lifecycle.hcl`): when each
//! is deprecated and retired, as Microsoft Learn's tables say, and what a deployment of one is
//! worth on a given day (AOAI019).

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::Deserialize;

/// A day of the data, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Day(pub Date);

impl TryFrom<String> for Day {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let written = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
        match text.parse::<Date>() {
            Ok(day) if written => Ok(Day(day)),
            _ => Err(format!("`{text}` is not a day written YYYY-MM-DD")),
        }
    }
}

/// A lifecycle date: a day, or only a lower bound ("no earlier than"), when the day is not
/// scheduled yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct LifecycleDate {
    pub day: Date,
    pub no_earlier_than: bool,
}

const NO_EARLIER_THAN: &str = "no earlier than ";

impl TryFrom<String> for LifecycleDate {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let (day, no_earlier_than) = match text.strip_prefix(NO_EARLIER_THAN) {
            Some(day) => (day.to_string(), true),
            None => (text, false),
        };
        let Day(day) = Day::try_from(day)?;
        Ok(LifecycleDate {
            day,
            no_earlier_than,
        })
    }
}

impl fmt::Display for LifecycleDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.no_earlier_than {
            true => write!(f, "{NO_EARLIER_THAN}{}", self.day),
            false => write!(f, "{}", self.day),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Status {
    #[serde(rename = "GA")]
    Ga,
    #[serde(rename = "preview")]
    Preview,
}

/// One row of a lifecycle table: a model version (or a whole model, version `*`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleEntry {
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub deprecation: Option<LifecycleDate>,
    #[serde(default)]
    pub retirement: Option<LifecycleDate>,
    /// Deployment types (SKU names) whose retirement differs from `retirement`.
    #[serde(default)]
    pub retirement_by_sku: BTreeMap<String, LifecycleDate>,
    #[serde(default)]
    pub replacement: Option<String>,
    pub source: String,
    pub table: String,
}

/// Where rows come from: a Microsoft Learn page's source file, at a commit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub repository: String,
    pub path: String,
    pub commit: String,
    pub ms_date: Day,
    pub page: String,
}

/// The whole data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelLifecycle {
    /// The day the data is as of (its newest source's).
    pub as_of: Day,
    pub retiring_soon_days: i64,
    pub source: BTreeMap<String, Source>,
    /// The version a deployment that pins none gets, by model.
    #[serde(default)]
    pub default_version: BTreeMap<String, String>,
    /// Rows by model name, then version (`*`: every version).
    pub model: BTreeMap<String, BTreeMap<String, LifecycleEntry>>,
}

/// Every version of a model, retired whole.
pub const EVERY_VERSION: &str = "*";

impl ModelLifecycle {
    /// The rows of a model, by version; names compare without case.
    pub fn versions(&self, name: &str) -> Option<&BTreeMap<String, LifecycleEntry>> {
        self.model
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, versions)| versions)
    }

    /// The row of one version: its own, or that of its whole model.
    pub fn entry(&self, name: &str, version: &str) -> Option<&LifecycleEntry> {
        let versions = self.versions(name)?;
        versions
            .get(version)
            .or_else(|| versions.get(EVERY_VERSION))
    }

    /// The version a deployment of `name` that pins none gets, when the data says.
    pub fn default_version(&self, name: &str) -> Option<&str> {
        self.default_version
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, version)| version.as_str())
    }
}

impl LifecycleEntry {
    /// The retirement of a deployment of this version with the SKU `sku` (`None`: not known):
    /// its SKU's own date, else the general one; for an unknown SKU, the earliest of them.
    pub fn retirement_for(&self, sku: Option<&str>) -> Option<LifecycleDate> {
        let own = sku.and_then(|sku| {
            self.retirement_by_sku
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(sku))
                .map(|(_, date)| *date)
        });
        match (own, sku) {
            (Some(date), _) => Some(date),
            (None, Some(_)) => self.retirement,
            (None, None) => self
                .retirement
                .into_iter()
                .chain(self.retirement_by_sku.values().copied())
                .min_by_key(|date| date.day),
        }
    }

    /// Whether the retirement depends on the deployment type.
    pub fn retires_by_sku(&self) -> bool {
        !self.retirement_by_sku.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::catalog;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn dates_are_days_or_lower_bounds_written_as_the_tables_do() {
        let exact = LifecycleDate::try_from("2026-10-01".to_string()).unwrap();
        assert_eq!(
            (exact.day, exact.no_earlier_than),
            (day("2026-10-01"), false)
        );
        let bound = LifecycleDate::try_from("no earlier than 2027-04-15".to_string()).unwrap();
        assert!(bound.no_earlier_than);
        assert_eq!(bound.to_string(), "no earlier than 2027-04-15");
        for bad in [
            "2026-1-5",
            "No earlier than 2026-01-05",
            "2026-02-30",
            "soon",
        ] {
            assert!(LifecycleDate::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn rows_are_found_by_version_or_for_the_whole_model() {
        let data = &catalog().model_lifecycle;
        let gpt4o = data.entry("GPT-4o", "2024-11-20").unwrap();
        assert_eq!(gpt4o.retirement.unwrap().day, day("2026-10-01"));
        assert_eq!(gpt4o.replacement.as_deref(), Some("gpt-5.1"));
        assert!(data.entry("gpt-4o", "2099-01-01").is_none());
        assert!(data.entry("text-davinci-003", "1").is_some());
        assert_eq!(data.default_version("gpt-4o"), Some("2024-08-06"));
        let older = data.entry("gpt-4o", "2024-08-06").unwrap();
        let on = |sku| older.retirement_for(sku).unwrap().day;
        assert_eq!(on(Some("standard")), day("2026-03-31"));
        assert_eq!(on(Some("GlobalStandard")), day("2026-10-01"));
        assert_eq!(on(None), day("2026-03-31"));
    }

    /// Two blocks for one model version would merge silently: each is its own row.
    #[test]
    fn every_row_of_the_data_file_is_read_once_and_names_its_source() {
        let (_, text) = crate::policy::EMBEDDED
            .iter()
            .find(|(name, _)| *name == "data-model-lifecycle.hcl")
            .unwrap();
        let blocks = text.lines().filter(|l| l.starts_with("model \"")).count();
        let data = &catalog().model_lifecycle;
        let rows: usize = data.model.values().map(BTreeMap::len).sum();
        assert_eq!(blocks, rows);
        for (name, versions) in &data.model {
            for (version, row) in versions {
                assert!(data.source.contains_key(&row.source), "{name} {version}");
            }
        }
    }

    /// A reminder: Microsoft Learn moves retirement dates, so data a year older than its newest
    /// source is to be refreshed (from the sources the file names).
    #[test]
    fn the_lifecycle_data_is_less_than_a_year_old() {
        let data = &catalog().model_lifecycle;
        let newest = data.source.values().map(|s| s.ms_date).max().unwrap();
        assert_eq!(data.as_of, newest, "as_of is the newest source's date");
        let today = crate::rules::Settings::default().today;
        let due = data
            .as_of
            .0
            .checked_add(jiff::Span::new().years(1))
            .unwrap();
        assert!(
            today <= due,
            "policies/data-model-lifecycle.hcl is as of {}: refresh it from its sources",
            data.as_of.0
        );
    }
}
