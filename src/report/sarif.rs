//! SARIF 2.1.0, as GitHub code scanning and Azure DevOps read it: the rules from `policies/`,
//! one result per finding with its related locations and a fingerprint that survives line
//! moves, and files that could not be parsed as tool execution notifications.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::fingerprint::Fingerprints;
use super::{RenderOptions, Reporter};
use crate::finding::{FileError, Finding, Level, Location, Outcome};
use crate::finding::{ScopeReport, Summary};
use crate::policy::{Policy, catalog};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/aoai-lint/aoai-lint";
/// `category/`: one analysis category, as GitHub and Azure DevOps track runs by it.
const AUTOMATION_ID: &str = "aoai-lint/";
/// The base of every artifact URI: the working directory the paths are relative to.
const SRCROOT: &str = "%SRCROOT%";

pub struct Sarif<'w> {
    out: Box<dyn Write + 'w>,
    options: RenderOptions,
    started: bool,
    results_written: usize,
    errors: Vec<FileError>,
    fingerprints: Fingerprints,
}

impl<'w> Sarif<'w> {
    pub fn new(out: Box<dyn Write + 'w>, options: RenderOptions) -> Self {
        Sarif {
            out,
            options,
            started: false,
            results_written: 0,
            errors: Vec::new(),
            fingerprints: Fingerprints::default(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let driver = json!({
            "name": env!("CARGO_PKG_NAME"),
            "fullName": concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")),
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": INFORMATION_URI,
            "rules": catalog().policies.iter().map(rule).collect::<Vec<_>>(),
        });
        let base = json!({ SRCROOT: { "uri": directory_uri(&self.options.cwd) } });
        let automation = match &self.options.azure_pipeline {
            Some(pipeline) => pipeline.automation_details(),
            None => json!({ "id": AUTOMATION_ID }),
        };
        write!(
            self.out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": {driver}}},\n      \"automationDetails\": {automation},\n      \"originalUriBaseIds\": {base},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        )
    }
}

/// `security-severity` as GitHub ranks it (critical >= 9, high >= 7, medium >= 4, low > 0).
fn security_severity(level: Level) -> &'static str {
    match level {
        Level::Error => "8.0",
        Level::Warning => "5.0",
        Level::Note => "2.0",
    }
}

fn rule(policy: &Policy) -> Value {
    let remediation = [
        ("Terraform", &policy.remediation.terraform),
        ("Bicep", &policy.remediation.bicep),
        ("ARM", &policy.remediation.arm),
    ];
    let text = remediation
        .iter()
        .map(|(language, fix)| format!("{language}: {fix}"))
        .collect::<Vec<_>>()
        .join("\n");
    let markdown = remediation
        .iter()
        .map(|(language, fix)| format!("- **{language}**: {fix}"))
        .collect::<Vec<_>>()
        .join("\n");
    json!({
        "id": policy.id,
        "name": policy.name,
        "shortDescription": { "text": policy.title },
        "fullDescription": { "text": policy.summary },
        "help": {
            "text": format!("{}\n\n{text}\n\n{}", policy.rationale, policy.references.learn),
            "markdown": format!("{}\n\n{markdown}\n\n[Documentation]({})", policy.rationale, policy.references.learn),
        },
        "helpUri": policy.references.learn,
        "defaultConfiguration": { "level": policy.severity.as_str() },
        "properties": {
            "tags": ["security", "azure-openai", policy.category],
            "security-severity": security_severity(policy.severity),
        },
    })
}

fn location(location: &Location) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": relative_uri(&location.file), "uriBaseId": SRCROOT },
            "region": {
                "startLine": location.start.line,
                "startColumn": location.start.column,
                "endLine": location.end.line,
                "endColumn": location.end.column,
            },
        },
    })
}

fn result(finding: &Finding, fingerprint: String) -> Value {
    let rule_index = catalog()
        .policies
        .iter()
        .position(|p| p.id == finding.rule)
        .unwrap_or_default();
    // An unknown outcome asks a person to look: SARIF's `review` kind, whose level is `none`
    // (SARIF 2.1.0 3.27.10); how serious it was configured to be stays in `properties`.
    let (kind, level) = match finding.outcome {
        Outcome::Fail => ("fail", finding.level.as_str()),
        Outcome::Unknown => ("review", "none"),
    };
    let related: Vec<Value> = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, related)| {
            let mut value = location(&related.location);
            value["id"] = json!(i + 1);
            value["message"] = json!({ "text": &*related.message });
            value
        })
        .collect();
    let mut result = json!({
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": format!("{} ({})", finding.message, finding.resources_shown()) },
        "locations": [location(&finding.location)],
        "partialFingerprints": { "aoaiLint/v1": fingerprint },
        "properties": {
            "outcome": finding.outcome,
            "resource": &*finding.resource,
            "attribute": &*finding.attribute,
            "configuredLevel": finding.level.as_str(),
        },
    });
    if !finding.also_for.is_empty() {
        result["properties"]["alsoFor"] = json!(finding.also_for);
    }
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if let Some(reason) = &finding.suppressed {
        result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
    }
    result
}

impl Reporter for Sarif<'_> {
    fn scope(&mut self, scope: &ScopeReport) -> io::Result<()> {
        self.start()?;
        for finding in scope.findings.iter().chain(&scope.suppressed) {
            let separator = if self.results_written == 0 {
                "\n        "
            } else {
                ",\n        "
            };
            self.out.write_all(separator.as_bytes())?;
            let fingerprint = self.fingerprints.of(finding, scope);
            serde_json::to_writer(&mut self.out, &result(finding, fingerprint))?;
            self.results_written += 1;
        }
        self.errors.extend(scope.errors.iter().cloned());
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        let own = self
            .errors
            .iter()
            .map(|e| notification(e, "error", String::new()));
        let context = summary.context_errors.iter().map(|c| {
            let why = format!(
                " (read as context for {}; verdicts that depend on it may be wrong)",
                c.context_for.join(", ")
            );
            notification(&c.error, "warning", why)
        });
        let notifications: Vec<Value> = own.chain(context).collect();
        // A file that could not be read or parsed makes the run exit 2: not a successful one.
        let invocation = json!({
            "executionSuccessful": summary.errors == 0,
            "toolExecutionNotifications": notifications,
        });
        let close = if self.results_written == 0 {
            "]"
        } else {
            "\n      ]"
        };
        write!(
            self.out,
            "{close},\n      \"invocations\": [{invocation}]\n    }}\n  ]\n}}\n"
        )?;
        self.out.flush()
    }
}

/// The Azure DevOps pipeline run, from its predefined variables: GitHub Advanced Security for
/// Azure DevOps attaches a SARIF run to its pipeline by these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzurePipeline {
    organization: String,
    project: String,
    definition_id: String,
    definition_name: String,
    phase_id: String,
    phase_name: String,
    branch: String,
    build_id: String,
}

impl AzurePipeline {
    /// The run this is, when `TF_BUILD` says it is a pipeline and its variables are all set.
    pub fn from_env() -> Option<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if !var("TF_BUILD")?.eq_ignore_ascii_case("true") {
            return None;
        }
        let collection = var("SYSTEM_COLLECTIONURI")?;
        let organization = collection
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        Some(AzurePipeline {
            organization,
            project: var("SYSTEM_TEAMPROJECT")?,
            definition_id: var("SYSTEM_DEFINITIONID")?,
            definition_name: var("BUILD_DEFINITIONNAME")?,
            phase_id: var("SYSTEM_PHASEID")?,
            phase_name: var("SYSTEM_PHASENAME")?,
            branch: var("BUILD_SOURCEBRANCH")?,
            build_id: var("BUILD_BUILDID")?,
        })
    }

    /// `azuredevops/pipeline/build/<org>/<project>/<definition>/<phase>/<branch>/<build>`, each
    /// part percent-encoded (a branch has slashes of its own), with the properties ingestion reads.
    fn automation_details(&self) -> Value {
        let parts = [
            &self.organization,
            &self.project,
            &self.definition_id,
            &self.phase_id,
            &self.branch,
            &self.build_id,
        ];
        let encoded: Vec<String> = parts
            .iter()
            .map(|p| percent_encode(p.as_bytes(), b"-._~"))
            .collect();
        const PREFIX: &str = "azuredevops/pipeline/build/";
        json!({
            "id": format!("{PREFIX}{}", encoded.join("/")),
            "properties": {
                // Strings all: ingestion reads the property bag as strings.
                "azuredevops/pipeline/build/buildDefinitionId": self.definition_id,
                "azuredevops/pipeline/build/buildDefinitionName": self.definition_name,
                "azuredevops/pipeline/build/phaseId": self.phase_id,
                "azuredevops/pipeline/build/phaseName": self.phase_name,
            },
        })
    }
}

/// A file that could not be read or parsed; the region only when the problem has a line.
/// A file that could not be read or parsed, at `level`, its message followed by `why`.
fn notification(error: &FileError, level: &str, why: String) -> Value {
    let mut physical = json!({
        "artifactLocation": { "uri": relative_uri(&error.file), "uriBaseId": SRCROOT },
    });
    if error.line > 0 {
        physical["region"] = json!({ "startLine": error.line, "startColumn": error.column.max(1) });
    }
    json!({
        "level": level,
        "message": { "text": format!("{}{why}", error.message) },
        "locations": [{ "physicalLocation": physical }],
    })
}

/// `file:///work/repo/`: the working directory as an absolute URI ending in `/`, from its bytes
/// (a name that is not UTF-8 too).
fn directory_uri(dir: &std::path::Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut path = absolute.as_os_str().as_encoded_bytes().to_vec();
    if cfg!(windows) {
        path.iter_mut()
            .filter(|byte| **byte == b'\\')
            .for_each(|byte| *byte = b'/');
    }
    if path.last() != Some(&b'/') {
        path.push(b'/');
    }
    if path.first() != Some(&b'/') {
        // Windows: `C:/x/` -> `/C:/x/`.
        path.insert(0, b'/');
    }
    format!("file://{}", percent_encode(&path, b"-._~/:"))
}

/// A displayed path as a relative URI reference naming the file's real bytes (a name that is
/// not UTF-8 is displayed with escapes); a `:` is encoded: it would read as a scheme.
fn relative_uri(path: &str) -> String {
    percent_encode(&crate::source::shown_path_bytes(path), b"-._~/")
}

/// Percent-encodes every byte but ASCII letters, digits and `keep` (RFC 3986), so any file
/// name gives a valid URI.
fn percent_encode(bytes: &[u8], keep: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_without_a_line_has_no_region() {
        let error = FileError {
            file: "a.tf".into(),
            line: 0,
            column: 0,
            message: "cannot read file".into(),
            offset: None,
        };
        let physical =
            &notification(&error, "error", String::new())["locations"][0]["physicalLocation"];
        assert!(physical.get("region").is_none(), "{physical}");
        let located = FileError {
            line: 3,
            column: 2,
            ..error
        };
        assert_eq!(
            notification(&located, "error", String::new())["locations"][0]["physicalLocation"]["region"]
                ["startLine"],
            3
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(relative_uri("a b/ü.tf"), "a%20b/%C3%BC.tf");
        // A byte that is not UTF-8, and a backslash, as `display_path` shows them.
        assert_eq!(relative_uri("\\xFF\\\\x.tf"), "%FF%5Cx.tf");
        assert_eq!(directory_uri(std::path::Path::new("/w/r")), "file:///w/r/");
    }
}
