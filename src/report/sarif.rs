//! SARIF 2.1.0, as GitHub code scanning and Azure DevOps read it: the rules from `policies/`,
//! one result per finding with its related locations and a fingerprint that survives line
//! moves, and files that could not be parsed as tool execution notifications.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{RenderOptions, Reporter};
use crate::engine::{ScopeReport, Summary};
use crate::finding::{FileError, Finding, Level, Location, Outcome};
use crate::policy::{Policy, catalog};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/aoai-lint/aoai-lint";
/// The base of every artifact URI: the working directory the paths are relative to.
const SRCROOT: &str = "%SRCROOT%";

pub struct Sarif<'w> {
    out: Box<dyn Write + 'w>,
    options: RenderOptions,
    started: bool,
    results_written: usize,
    errors: Vec<FileError>,
}

impl<'w> Sarif<'w> {
    pub fn new(out: Box<dyn Write + 'w>, options: RenderOptions) -> Self {
        Sarif {
            out,
            options,
            started: false,
            results_written: 0,
            errors: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let driver = json!({
            "name": env!("CARGO_PKG_NAME"),
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": INFORMATION_URI,
            "rules": catalog().policies.iter().map(rule).collect::<Vec<_>>(),
        });
        let base = json!({ SRCROOT: { "uri": directory_uri(&self.options.cwd) } });
        write!(
            self.out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": {driver}}},\n      \"originalUriBaseIds\": {base},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
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

fn result(finding: &Finding) -> Value {
    let rule_index = catalog()
        .policies
        .iter()
        .position(|p| p.id == finding.rule)
        .unwrap_or_default();
    // An unknown outcome asks a person to look: SARIF's `review` kind. Its level stays `note`
    // (the SARIF text prefers `none` for non-`fail` kinds, but GitHub code scanning would not
    // show such results, and an unknown must not read as a pass).
    let (kind, level) = match finding.outcome {
        Outcome::Fail => ("fail", finding.level.as_str()),
        Outcome::Unknown => ("review", "note"),
    };
    let related: Vec<Value> = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, related)| {
            let mut value = location(&related.location);
            value["id"] = json!(i + 1);
            value["message"] = json!({ "text": related.message });
            value
        })
        .collect();
    let mut result = json!({
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "kind": kind,
        "level": level,
        "message": { "text": format!("{} ({})", finding.message, finding.resource) },
        "locations": [location(&finding.location)],
        "partialFingerprints": { "aoaiLint/v1": finding.fingerprint() },
        "properties": {
            "outcome": finding.outcome,
            "resource": finding.resource,
            "attribute": finding.attribute,
            "configuredLevel": finding.level.as_str(),
        },
    });
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
            serde_json::to_writer(&mut self.out, &result(finding))?;
            self.results_written += 1;
        }
        self.errors.extend(scope.errors.iter().cloned());
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.start()?;
        let notifications: Vec<Value> = self
            .errors
            .iter()
            .map(|error| {
                let mut region = json!({});
                if error.line > 0 {
                    region = json!({ "startLine": error.line, "startColumn": error.column.max(1) });
                }
                json!({
                    "level": "error",
                    "message": { "text": error.message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": relative_uri(&error.file), "uriBaseId": SRCROOT },
                            "region": region,
                        },
                    }],
                })
            })
            .collect();
        let invocation = json!({
            "executionSuccessful": true,
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

/// `file:///work/repo/`: the working directory as an absolute URI ending in `/`.
fn directory_uri(dir: &std::path::Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut path = absolute.to_string_lossy().replace('\\', "/");
    if !path.ends_with('/') {
        path.push('/');
    }
    if !path.starts_with('/') {
        // Windows: `C:/x/` -> `/C:/x/`.
        path.insert(0, '/');
    }
    format!("file://{}", percent_encode(&path, b"-._~/:"))
}

/// A displayed path as a relative URI reference (a `:` is encoded: it would read as a scheme).
fn relative_uri(path: &str) -> String {
    percent_encode(path, b"-._~/")
}

/// Percent-encodes every byte but ASCII letters, digits and `keep` (RFC 3986), so any file
/// name gives a valid URI.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
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
    fn uris_are_percent_encoded() {
        assert_eq!(relative_uri("a b/ü.tf"), "a%20b/%C3%BC.tf");
        assert_eq!(directory_uri(std::path::Path::new("/w/r")), "file:///w/r/");
    }
}
