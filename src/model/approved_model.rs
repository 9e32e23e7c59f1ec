//! The models deployments may serve (`approved_models` in the configuration, AOAI018).

/// One approved model: a format and a name (a name ending in `*` approves every name that
/// starts with the rest), and the versions approved, any when none are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedModel {
    pub format: String,
    pub name: String,
    pub versions: Vec<String>,
}

impl ApprovedModel {
    /// An entry, checked: `format` and `name` are not empty, `*` only ends a name, and versions
    /// are not empty. The reason when it is malformed.
    pub fn new(format: &str, name: &str, versions: Vec<String>) -> Result<Self, String> {
        if format.trim().is_empty() {
            return Err("the model format is empty (OpenAI for Azure OpenAI models)".into());
        }
        let prefix = name.strip_suffix('*').unwrap_or(name);
        if name.trim().is_empty() || prefix.contains('*') {
            return Err(format!(
                "`{name}` is not a model name: a name, or the start of one followed by `*`"
            ));
        }
        if versions.iter().any(|v| v.trim().is_empty()) {
            return Err(format!("`{name}` lists an empty version"));
        }
        Ok(ApprovedModel {
            format: format.to_string(),
            name: name.to_string(),
            versions,
        })
    }

    /// `FORMAT/NAME` or `FORMAT/NAME@VERSION`, as `--approved-models` takes it.
    pub fn parse_flag(text: &str) -> Result<Self, String> {
        let Some((format, rest)) = text.split_once('/') else {
            return Err(format!(
                "`{text}` is not FORMAT/NAME or FORMAT/NAME@VERSION (OpenAI/gpt-4o@2024-11-20)"
            ));
        };
        match rest.split_once('@') {
            Some((name, version)) => ApprovedModel::new(format, name, vec![version.to_string()]),
            None => ApprovedModel::new(format, rest, Vec::new()),
        }
    }

    /// Whether the entry approves the model `format`/`name` in some version (formats and names
    /// compare without case, as Azure does).
    pub fn covers(&self, format: &str, name: &str) -> bool {
        if !self.format.eq_ignore_ascii_case(format) {
            return false;
        }
        match self.name.strip_suffix('*') {
            Some(prefix) => name
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix)),
            None => self.name.eq_ignore_ascii_case(name),
        }
    }

    /// Whether the entry approves `version` (every version when it lists none).
    pub fn allows(&self, version: &str) -> bool {
        self.allows_every_version() || self.versions.iter().any(|v| v == version)
    }

    /// Whether the entry lists no versions: it approves every one, the account's default too.
    pub fn allows_every_version(&self) -> bool {
        self.versions.is_empty()
    }

    /// The entry as messages show it: `OpenAI/gpt-4o` (any version) or
    /// `OpenAI/gpt-4o@2024-11-20|2024-08-06`.
    pub fn shown(&self) -> String {
        match self.versions.as_slice() {
            [] => format!("{}/{}", self.format, self.name),
            versions => format!("{}/{}@{}", self.format, self.name, versions.join("|")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_exactly_or_by_prefix_and_versions_by_list() {
        let any = ApprovedModel::parse_flag("OpenAI/gpt-4.1*").unwrap();
        assert!(any.covers("openai", "gpt-4.1-mini") && any.covers("OpenAI", "GPT-4.1"));
        assert!(!any.covers("OpenAI", "gpt-4o") && !any.covers("Microsoft", "gpt-4.1"));
        assert!(any.allows("2025-04-14"));
        let pinned = ApprovedModel::parse_flag("OpenAI/gpt-4o@2024-11-20").unwrap();
        assert!(pinned.covers("OpenAI", "gpt-4o") && !pinned.covers("OpenAI", "gpt-4o-mini"));
        assert!(pinned.allows("2024-11-20") && !pinned.allows("2024-08-06"));
        assert_eq!(pinned.shown(), "OpenAI/gpt-4o@2024-11-20");
    }

    #[test]
    fn malformed_entries_say_why() {
        for bad in [
            "gpt-4o",
            "/gpt-4o",
            "OpenAI/",
            "OpenAI/g*t",
            "OpenAI/gpt-4o@",
        ] {
            assert!(ApprovedModel::parse_flag(bad).is_err(), "{bad}");
        }
    }
}
