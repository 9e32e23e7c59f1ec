//! Text from scanned files made safe to print: a value, a comment or a file name can hold
//! escape sequences that set the reader's clipboard (OSC 52), hide text (SGR 8), rewrite a line
//! (CR) or reorder what is shown (the bidi overrides of "Trojan Source"). Every text format
//! writes such characters as escapes; JSON and SARIF escape them through serde already.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw: C0 and C1 controls, DEL, and the bidi embeddings,
/// overrides and isolates (U+202A-U+202E, U+2066-U+2069).
fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The escape shown for `c` (`\u{1b}`), when `c` acts on a terminal and is not one of `keep`.
pub(crate) fn escape_of(c: char, keep: &[char]) -> Option<std::char::EscapeUnicode> {
    (acts_on_terminal(c) && !keep.contains(&c)).then(|| c.escape_unicode())
}

/// `text` with every character that acts on a terminal written as an escape (`\u{1b}`), line
/// breaks and tabs included: text from a file never controls the terminal, and stays on its line.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match escape_of(c, &[]) {
            // Writing to a String cannot fail.
            Some(escape) => _ = write!(out, "{escape}"),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_rest_kept() {
        assert!(matches!(terminal_safe("plain é €"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("a\u{1b}]52;c;eA==\u{7}b\u{1b}[8m\n\t\r\u{7f}\u{9b}\u{202e}\u{2066}é"),
            "a\\u{1b}]52;c;eA==\\u{7}b\\u{1b}[8m\\u{a}\\u{9}\\u{d}\\u{7f}\\u{9b}\\u{202e}\\u{2066}é"
        );
        // The escape is itself printable: escaping twice changes nothing.
        let once = terminal_safe("\u{1b}").into_owned();
        assert_eq!(terminal_safe(&once), once);
        assert_eq!(escape_of('\t', &['\t']).map(|e| e.to_string()), None);
        assert_eq!(escape_of('\u{a0}', &[]).map(|e| e.to_string()), None);
    }
}
