//! The subcommands that do not lint: `rules`, `explain`, `init`.

use std::io::{self, Write};
use std::path::Path;

use super::EXIT_CLEAN;
use crate::config;
use crate::docs;
use crate::error::Error;
use crate::policy::{Policy, catalog};

pub(super) fn print_quietly(text: &str) -> Result<i32, Error> {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: "<stdout>".into(),
            source: error,
        }),
        _ => Ok(EXIT_CLEAN),
    }
}

pub fn rules_table() -> String {
    let policies = &catalog().policies;
    let width = policies.iter().map(|p| p.name.len()).max().unwrap_or(4);
    let mut out = format!(
        "{:<8} {:<width$} {:<8} {}\n",
        "ID", "NAME", "LEVEL", "CHECKS"
    );
    for policy in policies {
        out.push_str(&format!(
            "{:<8} {:<width$} {:<8} {}\n",
            policy.id,
            policy.name,
            policy.severity.as_str(),
            policy.title
        ));
    }
    out
}

pub(super) fn explain(rule: &str) -> Result<i32, Error> {
    let policies = catalog().find_all(rule);
    if policies.is_empty() {
        return Err(Error::Usage(format!(
            "unknown rule `{rule}` (see `aoai-lint rules`)"
        )));
    }
    let text: Vec<String> = policies.into_iter().map(explanation).collect();
    print_quietly(&text.join("\n"))
}

pub fn explanation(policy: &Policy) -> String {
    let mut out = format!("{} {}: {}\n\n", policy.id, policy.name, policy.title);
    out.push_str(&format!(
        "Level: {}    Category: {}\n\n",
        policy.severity.as_str(),
        policy.category
    ));
    out.push_str(&wrap(&policy.summary, ""));
    out.push_str("\nWhy\n");
    out.push_str(&wrap(&policy.rationale, "  "));
    out.push_str("\nHow to fix\n");
    for (language, text) in docs::fixes(policy) {
        out.push_str(&format!("  {language}:\n"));
        out.push_str(&wrap(text, "    "));
    }
    out.push_str(&format!("\nReferences\n  {}\n", policy.references.learn));
    for (what, items) in docs::references(policy) {
        out.push_str(&format!("  {what}: {}\n", items.join(", ")));
    }
    out
}

fn wrap(text: &str, indent: &str) -> String {
    let options = textwrap::Options::new(96)
        .initial_indent(indent)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        out.push_str(&textwrap::fill(paragraph, &options));
        out.push('\n');
    }
    out
}

pub(super) fn init(force: bool) -> Result<i32, Error> {
    let path = Path::new(config::FILE_NAME);
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to overwrite)",
            config::FILE_NAME
        )));
    }
    std::fs::write(path, config::TEMPLATE).map_err(|source| Error::Io {
        path: config::FILE_NAME.into(),
        source,
    })?;
    print_quietly(&format!("wrote {}\n", config::FILE_NAME))
}
