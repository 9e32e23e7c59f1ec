//! `.aoai-lint.hcl`: project settings, found by walking up from the working directory.
//!
//! Read with hcl-edit rather than serde so that every mistake points at its exact key or value.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};

use crate::error::ConfigError;
pub use crate::finding::FailOn;
use crate::finding::Level;
use crate::model::{ApprovedModel, DataResidency};
use crate::policy::catalog;

pub const FILE_NAME: &str = ".aoai-lint.hcl";

/// What happens to findings whose outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownLevel {
    Level(Level),
    Ignore,
}

impl UnknownLevel {
    pub fn parse(text: &str) -> Option<Self> {
        if text == "ignore" {
            Some(UnknownLevel::Ignore)
        } else {
            Level::parse(text).map(UnknownLevel::Level)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub level: Option<Level>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from, if from a file.
    pub path: Option<PathBuf>,
    pub approved_regions: Option<Vec<String>>,
    pub approved_models: Option<Vec<ApprovedModel>>,
    /// The region Bicep and ARM deployments go to (normalized).
    pub location: Option<String>,
    pub data_residency: Option<DataResidency>,
    /// Subscription deployments must declare the Defender for AI plan (AOAI023).
    pub require_defender_for_ai: Option<bool>,
    pub unknown_level: Option<UnknownLevel>,
    pub fail_on: Option<FailOn>,
    pub exclude: Vec<String>,
    /// Keyed by rule ID (names are resolved when reading).
    pub rules: BTreeMap<String, RuleSetting>,
}

/// The nearest `.aoai-lint.hcl` in `start` or one of its parents.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|path| path.is_file())
}

pub fn load(path: &Path) -> Result<Config, crate::error::Error> {
    crate::boundary::check_named("configuration", path)?;
    let text = std::fs::read_to_string(path).map_err(|source| crate::error::Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut config = parse(&path.display().to_string(), &text)?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

pub fn parse(name: &str, text: &str) -> Result<Config, Box<ConfigError>> {
    let reader = Reader { name, text };
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        let offset = error.location().offset();
        reader.error(
            offset..offset,
            format!("{name} is not valid HCL"),
            error.message().to_string(),
            None,
        )
    })?;
    reader.config(&body)
}

struct Reader<'a> {
    name: &'a str,
    text: &'a str,
}

impl Reader<'_> {
    fn error(
        &self,
        range: Range<usize>,
        message: String,
        label: String,
        help: Option<String>,
    ) -> Box<ConfigError> {
        Box::new(ConfigError::new(
            self.name, self.text, range, message, label, help,
        ))
    }

    fn config(&self, body: &Body) -> Result<Config, Box<ConfigError>> {
        let mut config = Config::default();
        // Every problem at once (an attribute may have several, as a list with bad entries).
        let errors: Vec<ConfigError> = body
            .iter()
            .filter_map(|structure| self.structure(structure, &mut config).err())
            .flat_map(|mut error| {
                let others = std::mem::take(&mut error.others);
                std::iter::once(*error).chain(others)
            })
            .collect();
        together(errors).map_or(Ok(config), Err)
    }

    fn structure(
        &self,
        structure: &Structure,
        config: &mut Config,
    ) -> Result<(), Box<ConfigError>> {
        match structure {
            Structure::Attribute(attr) => {
                let key = attr.key.as_str();
                let value = &attr.value;
                match key {
                    "approved_regions" => {
                        config.approved_regions = Some(self.regions(value)?);
                    }
                    "approved_models" => config.approved_models = Some(self.models(value)?),
                    "exclude" => config.exclude = self.excludes(value)?,
                    "location" => {
                        let location = value
                            .as_str()
                            .ok_or_else(|| self.wrong_type(value, "a string"))?;
                        config.location = Some(crate::model::normalize_region(location));
                    }
                    "data_residency" => {
                        config.data_residency = Some(self.choice(
                            value,
                            "region, datazone-eu, datazone-us or off",
                            DataResidency::parse,
                        )?)
                    }
                    "require_defender_for_ai" => match value.as_bool() {
                        Some(required) => config.require_defender_for_ai = Some(required),
                        None => return Err(self.wrong_type(value, "true or false")),
                    },
                    "unknown_level" => {
                        config.unknown_level = Some(self.choice(
                            value,
                            "error, warning, note or ignore",
                            UnknownLevel::parse,
                        )?)
                    }
                    "fail_on" => {
                        config.fail_on = Some(self.choice(
                            value,
                            "error, warning, note or never",
                            FailOn::parse,
                        )?)
                    }
                    _ => return Err(self.unknown_key(&attr.key, key, ATTRIBUTES)),
                }
            }
            Structure::Block(block) => {
                if block.ident.as_str() != "rule" {
                    return Err(self.unknown_key(&block.ident, block.ident.as_str(), ATTRIBUTES));
                }
                let [label] = block.labels.as_slice() else {
                    return Err(self.error(
                        block.ident.span().unwrap_or_default(),
                        "a `rule` block takes one label: the rule ID or name".into(),
                        "expected `rule \"AOAI001\" { ... }`".into(),
                        None,
                    ));
                };
                let Some(policy) = catalog().find(label.as_str()) else {
                    return Err(self.error(
                        label.span().unwrap_or_default(),
                        format!("unknown rule `{}`", label.as_str()),
                        "not a rule ID or name".into(),
                        Some("`aoai-lint rules` lists the rules".into()),
                    ));
                };
                config
                    .rules
                    .insert(policy.id.clone(), self.rule_setting(&block.body)?);
            }
        }
        Ok(())
    }

    fn rule_setting(&self, body: &Body) -> Result<RuleSetting, Box<ConfigError>> {
        let mut setting = RuleSetting::default();
        for structure in body.iter() {
            let Structure::Attribute(attr) = structure else {
                let block = structure.as_block().map(|b| &b.ident);
                return Err(match block {
                    Some(ident) => self.unknown_key(ident, ident.as_str(), RULE_ATTRIBUTES),
                    None => self.error(0..0, "unexpected block".into(), String::new(), None),
                });
            };
            match attr.key.as_str() {
                "enabled" => match attr.value.as_bool() {
                    Some(enabled) => setting.enabled = Some(enabled),
                    None => return Err(self.wrong_type(&attr.value, "true or false")),
                },
                "level" => {
                    setting.level =
                        Some(self.choice(&attr.value, "error, warning or note", Level::parse)?)
                }
                other => return Err(self.unknown_key(&attr.key, other, RULE_ATTRIBUTES)),
            }
        }
        Ok(setting)
    }

    fn strings(&self, value: &Expression) -> Result<Vec<String>, Box<ConfigError>> {
        let Some(array) = value.as_array() else {
            return Err(self.wrong_type(value, "a list of strings"));
        };
        array
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| self.wrong_type(item, "a string"))
            })
            .collect()
    }

    /// Exclude patterns, each a valid glob; the first that is not is located.
    fn excludes(&self, value: &Expression) -> Result<Vec<String>, Box<ConfigError>> {
        let patterns = self.strings(value)?;
        let items = value.as_array().into_iter().flat_map(|a| a.iter());
        for (pattern, item) in patterns.iter().zip(items) {
            if let Err(error) = exclude_globs(pattern) {
                let why = format!("invalid exclude pattern `{pattern}`: {error}");
                return Err(self.error(item.span().unwrap_or_default(), why.clone(), why, None));
            }
        }
        Ok(patterns)
    }

    /// Approved regions, each an Azure OpenAI region; every one that is not is located.
    fn regions(&self, value: &Expression) -> Result<Vec<String>, Box<ConfigError>> {
        let Some(array) = value.as_array() else {
            return Err(self.wrong_type(value, "a list of strings"));
        };
        let known = &crate::policy::catalog().regions.openai_regions;
        let mut regions = Vec::new();
        let mut errors = Vec::new();
        for item in array.iter() {
            let region = item
                .as_str()
                .ok_or_else(|| self.wrong_type(item, "a string"))
                .and_then(|written| {
                    crate::model::approved_region(written, known).map_err(|why| {
                        self.error(item.span().unwrap_or_default(), why.clone(), why, None)
                    })
                });
            match region {
                Ok(region) => regions.push(region),
                Err(error) => errors.push(*error),
            }
        }
        together(errors).map_or(Ok(regions), Err)
    }

    /// Approved models, `{ format, name, versions }` each; every malformed entry is located.
    fn models(&self, value: &Expression) -> Result<Vec<ApprovedModel>, Box<ConfigError>> {
        let Some(array) = value.as_array() else {
            return Err(self.wrong_type(value, "a list of { format, name, versions } objects"));
        };
        let mut models = Vec::new();
        let mut errors = Vec::new();
        for item in array.iter() {
            match self.model(item) {
                Ok(model) => models.push(model),
                Err(error) => errors.push(*error),
            }
        }
        together(errors).map_or(Ok(models), Err)
    }

    /// One approved model: `format` and `name` strings, `versions` an optional list of them.
    fn model(&self, item: &Expression) -> Result<ApprovedModel, Box<ConfigError>> {
        let Some(object) = item.as_object() else {
            return Err(self.wrong_type(item, "an object { format, name, versions }"));
        };
        let (mut format, mut name, mut versions) = (None, None, Vec::new());
        for (key, value) in object.iter() {
            let written = match key {
                ObjectKey::Ident(ident) => ident.as_str(),
                ObjectKey::Expression(expr) => expr.as_str().unwrap_or_default(),
            };
            let value = value.expr();
            let text = || {
                value
                    .as_str()
                    .ok_or_else(|| self.wrong_type(value, "a string"))
            };
            match written {
                "format" => format = Some(text()?),
                "name" => name = Some(text()?),
                "versions" => versions = self.strings(value)?,
                other => return Err(self.unknown_key(key, other, MODEL_KEYS)),
            }
        }
        let span = item.span().unwrap_or_default();
        let (Some(format), Some(name)) = (format, name) else {
            let why = "an approved model needs a `format` and a `name`".to_string();
            return Err(self.error(span, why.clone(), why, None));
        };
        ApprovedModel::new(format, name, versions)
            .map_err(|why| self.error(span, why.clone(), why, None))
    }

    fn choice<T>(
        &self,
        value: &Expression,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, Box<ConfigError>> {
        value
            .as_str()
            .and_then(parse)
            .ok_or_else(|| self.wrong_type(value, &format!("one of {expected}")))
    }

    fn wrong_type(&self, value: &Expression, expected: &str) -> Box<ConfigError> {
        self.error(
            value.span().unwrap_or_default(),
            format!("expected {expected}"),
            format!("expected {expected}"),
            None,
        )
    }

    fn unknown_key(
        &self,
        key: &impl hcl_edit::Span,
        name: &str,
        known: &[&str],
    ) -> Box<ConfigError> {
        self.error(
            key.span().unwrap_or_default(),
            format!("unknown key `{name}` in {}", self.name),
            "unknown key".into(),
            Some(format!("known keys: {}", known.join(", "))),
        )
    }
}

/// Every problem at once: the first, with the others beside it; `None` without any.
fn together(mut errors: Vec<ConfigError>) -> Option<Box<ConfigError>> {
    if errors.is_empty() {
        return None;
    }
    let mut first = errors.remove(0);
    first.others = errors;
    Some(Box::new(first))
}

const ATTRIBUTES: &[&str] = &[
    "approved_regions",
    "approved_models",
    "location",
    "data_residency",
    "require_defender_for_ai",
    "exclude",
    "unknown_level",
    "fail_on",
    "rule \"ID\" { ... }",
];
const RULE_ATTRIBUTES: &[&str] = &["enabled", "level"];
const MODEL_KEYS: &[&str] = &["format", "name", "versions"];

/// The commented starting point written by `aoai-lint init`.
pub const TEMPLATE: &str = r#"# aoai-lint configuration. Every key is optional.

# Regions where Azure OpenAI accounts may be deployed (AOAI005). Without this list, AOAI005 only
# flags locations where Azure OpenAI does not exist.
# approved_regions = ["swedencentral", "westeurope"]

# Models deployments may serve (AOAI018): a format and a name (ending with `*` for every name
# that starts with the rest) and, optionally, the approved versions. Without this list, AOAI018
# is off.
# approved_models = [
#   { format = "OpenAI", name = "gpt-4.1*" },
#   { format = "OpenAI", name = "gpt-4o", versions = ["2024-11-20"] },
# ]

# The region Bicep and ARM templates are deployed to: the value of `resourceGroup().location`
# and `deployment().location`, which are otherwise only known at deployment.
# location = "swedencentral"

# Where model deployments may process prompts and completions (AOAI011): "region" (only the
# account's region: no Global or DataZone SKUs), "datazone-eu" / "datazone-us" (no Global SKUs;
# DataZone only for accounts in that zone) or "off".
# data_residency = "datazone-eu"

# Subscription deployments (Bicep/ARM templates targeting a subscription, Terraform roots that
# configure the azurerm provider) must declare the Defender for AI plan (AOAI023): a note where
# one does not. Off by default: subscription plans are usually set elsewhere.
# require_defender_for_ai = true

# Level of findings whose value cannot be determined statically: error, warning, note or ignore.
# unknown_level = "note"

# Lowest level that makes aoai-lint exit with code 1: error, warning, note or never.
# fail_on = "warning"

# Paths to skip (gitignore-like globs).
# exclude = ["examples", "test/fixtures/**"]

# Per-rule settings, by ID or name.
# rule "AOAI003" {
#   enabled = true
#   level   = "error"
# }
"#;

/// The globs of an exclude pattern: one without `/` matches a name anywhere, and a directory
/// matches everything below it.
pub fn exclude_globs(pattern: &str) -> Result<Vec<globset::Glob>, globset::Error> {
    let trimmed = pattern.trim_end_matches('/');
    let base = if trimmed.contains('/') {
        trimmed.to_string()
    } else {
        format!("**/{trimmed}")
    };
    [base.clone(), format!("{base}/**")]
        .iter()
        .map(|glob| globset::Glob::new(glob))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let config = parse(
            "c.hcl",
            r#"
approved_regions = ["Sweden Central", "eastus"]
unknown_level = "ignore"
fail_on = "error"
exclude = ["examples"]
rule "customer-managed-key" {
  enabled = false
}
rule "AOAI001" {
  level = "warning"
}
"#,
        )
        .unwrap();
        assert_eq!(
            config.approved_regions.unwrap(),
            ["swedencentral", "eastus"]
        );
        assert_eq!(config.unknown_level, Some(UnknownLevel::Ignore));
        assert_eq!(config.fail_on, Some(FailOn::Level(Level::Error)));
        assert_eq!(config.rules["AOAI003"].enabled, Some(false));
        assert_eq!(config.rules["AOAI001"].level, Some(Level::Warning));
    }

    #[test]
    fn unknown_key_points_at_the_key() {
        let text = "approved_regions = []\napproved_regoins = [\"x\"]\n";
        let error = parse("c.hcl", text).unwrap_err();
        assert_eq!(error.to_string(), "unknown key `approved_regoins` in c.hcl");
        let label = miette::Diagnostic::labels(&*error).unwrap().next().unwrap();
        assert_eq!(label.offset(), 22);
        assert_eq!(label.len(), "approved_regoins".len());
    }

    #[test]
    fn every_bad_region_of_the_list_is_located() {
        let text = "approved_regions = [\"westeurope\", \"nowhere\", 3, \"alsobad\"]\n";
        let error = parse("c.hcl", text).unwrap_err();
        let errors = std::iter::once(&*error).chain(&error.others);
        let found: Vec<(String, usize)> = errors
            .map(|e| {
                let label = miette::Diagnostic::labels(e).unwrap().next().unwrap();
                (e.to_string(), label.offset())
            })
            .collect();
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(
            found,
            [
                (
                    "`nowhere` is not an Azure OpenAI region".into(),
                    at("\"nowhere")
                ),
                ("expected a string".into(), at("3")),
                (
                    "`alsobad` is not an Azure OpenAI region".into(),
                    at("\"alsobad")
                ),
            ]
        );
    }

    #[test]
    fn approved_models_are_read_and_every_bad_entry_located() {
        let text = r#"approved_models = [
  { format = "OpenAI", name = "gpt-4.1*" },
  { format = "OpenAI", name = "gpt-4o", versions = ["2024-11-20"] },
]
"#;
        let models = parse("c.hcl", text).unwrap().approved_models.unwrap();
        assert_eq!(models[0].shown(), "OpenAI/gpt-4.1*");
        assert_eq!(models[1].shown(), "OpenAI/gpt-4o@2024-11-20");
        let text = r#"approved_models = [
  { format = "OpenAI", name = "gpt-4o", version = "2024-11-20" },
  { name = "gpt-4o" },
  "gpt-4o",
  { format = "OpenAI", name = "g*t" },
]
"#;
        let error = parse("c.hcl", text).unwrap_err();
        let errors = std::iter::once(&*error).chain(&error.others);
        // Each message, with the text its label points at.
        let found: Vec<(String, String)> = errors
            .map(|e| {
                let label = miette::Diagnostic::labels(e).unwrap().next().unwrap();
                let source = miette::Diagnostic::source_code(e).unwrap();
                let labeled = source.read_span(label.inner(), 0, 0).unwrap();
                let labeled = String::from_utf8_lossy(labeled.data()).into_owned();
                (e.to_string(), labeled)
            })
            .collect();
        let pair = |message: &str, labeled: &str| (message.to_string(), labeled.to_string());
        assert_eq!(
            found,
            [
                pair("unknown key `version` in c.hcl", "version"),
                pair(
                    "an approved model needs a `format` and a `name`",
                    "{ name = \"gpt-4o\" }"
                ),
                pair(
                    "expected an object { format, name, versions }",
                    "\"gpt-4o\""
                ),
                pair(
                    "`g*t` is not a model name: a name, or the start of one followed by `*`",
                    "{ format = \"OpenAI\", name = \"g*t\" }"
                ),
            ]
        );
    }

    #[test]
    fn require_defender_for_ai_is_a_bool_located_when_it_is_not() {
        let config = parse("c.hcl", "require_defender_for_ai = true\n").unwrap();
        assert_eq!(config.require_defender_for_ai, Some(true));
        let text = "require_defender_for_ai = \"yes\"\n";
        let error = parse("c.hcl", text).unwrap_err();
        assert_eq!(error.to_string(), "expected true or false");
        let label = miette::Diagnostic::labels(&*error).unwrap().next().unwrap();
        assert_eq!(label.offset(), text.find("\"yes").unwrap());
    }

    #[test]
    fn wrong_values_and_unknown_rules_are_errors() {
        assert!(parse("c", "unknown_level = \"loud\"").is_err());
        assert!(parse("c", "rule \"AOAI999\" {}").is_err());
        assert!(parse("c", "rule \"AOAI001\" { enabled = \"yes\" }").is_err());
        assert!(parse("c", "approved_regions = \"eastus\"").is_err());
        assert!(parse("c", "approved_regions = [").is_err());
    }
}
