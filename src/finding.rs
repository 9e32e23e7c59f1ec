//! What rules report and what reporters print.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::LineCol;

/// How serious a finding is; ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "note" => Some(Level::Note),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// The result of one check. Passes are not reported as findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Fail,
    /// The deciding value could not be determined statically.
    Unknown,
}

/// A position in a file, resolved for output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Path relative to the working directory, `/`-separated; shared by the findings of a file.
    pub file: Arc<str>,
    pub start: LineCol,
    pub end: LineCol,
    /// Byte range, for snippet rendering.
    pub offset: usize,
    pub length: usize,
}

/// A secondary location that explains a finding (where a value really comes from).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub outcome: Outcome,
    pub message: String,
    /// The policy's remediation for the resource's language.
    pub help: &'static str,
    /// The policy's documentation link.
    pub url: &'static str,
    /// Address of the resource the finding is about.
    pub resource: String,
    /// The attribute the finding is about, as written in the source language; empty when the
    /// finding is about the resource as a whole.
    pub attribute: String,
    pub location: Location,
    /// Short text under the primary span in snippets.
    pub label: String,
    pub related: Vec<Related>,
    /// The reason of the suppression comment that silences it, for suppressed findings.
    pub suppressed: Option<String>,
}

impl Finding {
    /// Identifies the finding across runs while lines move: rule, file, resource and attribute
    /// (FNV-1a, 64 bits, hex). Used by SARIF `partialFingerprints` and baselines.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_in(&self.location.file, None)
    }

    /// [`Finding::fingerprint`] with the file named as given (baselines name files relative to
    /// themselves), and the caller whose module call the finding holds for when one does.
    pub fn fingerprint_in(&self, file: &str, caller: Option<&str>) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let parts = [self.rule, file, &self.resource, &self.attribute];
        for part in parts.into_iter().chain(caller) {
            for byte in part.bytes().chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }

    /// Total order used for output: by file, position, then rule, so output never depends on
    /// thread scheduling.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (&self.location, self.rule, &self.resource, &self.message)
    }
}

/// A file that could not be read or parsed. It is reported and skipped; other files go on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileError {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Byte offset of the error, for snippet rendering (None when the file was not read).
    pub offset: Option<usize>,
}

/// Characters a message keeps: messages quote what they are about (an ARM expression, a
/// value), which a minified template can make megabytes long.
const MESSAGE_LIMIT: usize = 400;
/// Characters kept from the end of a cut message, where it says how to make a value known.
const MESSAGE_TAIL: usize = 100;

/// `message`, its middle cut when it is longer than [`MESSAGE_LIMIT`] characters, saying so.
pub fn capped_message(message: String) -> String {
    let length = message.chars().count();
    if length <= MESSAGE_LIMIT {
        return message;
    }
    let head: String = message.chars().take(MESSAGE_LIMIT - MESSAGE_TAIL).collect();
    let tail: String = message.chars().skip(length - MESSAGE_TAIL).collect();
    let cut = length - MESSAGE_LIMIT;
    format!("{head} … [{cut} characters cut] … {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_in_the_middle_and_say_so() {
        assert_eq!(capped_message("short".into()), "short");
        let long = format!(
            "uses `[f('{}')]`, which is not evaluated",
            "y".repeat(800_000)
        );
        let capped = capped_message(long);
        assert!(capped.chars().count() < MESSAGE_LIMIT + 40, "{capped}");
        assert!(capped.contains("characters cut]"));
        assert!(capped.ends_with("which is not evaluated"));
    }
}
