//! The part of a file a diagnostic shows: the lines its spans touch, with one line of context,
//! each long line cut to a window around its span (a minified ARM template is one line of
//! megabytes, and miette's renderer cannot draw past column 65,535). miette renders it with the
//! file's real line numbers and columns. Characters that act on a terminal are shown as escapes
//! ([`super::terminal`]), tabs aside: miette expands those.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::LineIndex;

/// Lines longer than this (in bytes) are cut to a window.
const LONG_LINE: usize = 160;
/// Characters of a cut line shown before the span's start, and in all.
const WINDOW_LEAD: usize = 40;
const WINDOW_WIDTH: usize = 120;
const ELLIPSIS: &str = "…";

/// A file's text with its line index, shared by the diagnostics of one file.
pub struct SourceText {
    pub text: std::sync::Arc<str>,
    lines: LineIndex,
}

impl SourceText {
    pub fn new(text: std::sync::Arc<str>) -> Self {
        let lines = LineIndex::new(&text);
        SourceText { text, lines }
    }

    /// The last line with text: a final line break ends a line, it does not start one.
    fn last_line(&self) -> usize {
        let lines = self.lines.line_count();
        if lines > 1 && self.lines.line_start(lines - 1) == Some(self.text.len()) {
            lines - 2
        } else {
            lines - 1
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// The byte range of line `line`, without its line break.
    fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.lines.line_start(line).unwrap_or(self.text.len());
        let end = self
            .lines
            .line_start(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }
}

/// One line of a [`Snippet`].
#[derive(Debug)]
struct SnippetLine {
    /// Where the line starts in the snippet's text.
    start: usize,
    /// Bytes before the window's own text: an ellipsis when the line is cut on the left.
    prefix: usize,
    /// The line's 0-based number in the file.
    number: usize,
    /// The byte range of the file the line shows.
    window: Range<usize>,
    /// Characters of the file's line before the window.
    column: usize,
    /// The window's characters shown as escapes, in order.
    escapes: Vec<Escaped>,
}

/// A character of the file shown as an escape, longer than the character itself.
#[derive(Debug)]
struct Escaped {
    /// Where the character is in the file, and in the snippet's text.
    at: usize,
    shown_at: usize,
    /// Its length in the file, and its escape's (ASCII: bytes and characters alike).
    len: usize,
    shown_len: usize,
}

#[derive(Debug)]
pub struct Snippet {
    name: String,
    text: String,
    lines: Vec<SnippetLine>,
}

impl Snippet {
    /// The lines `spans` (byte ranges of `source`) touch, one line of context around each;
    /// a long line is cut around `anchor` when it holds it, else around its first span.
    pub fn new(name: &str, source: &SourceText, spans: &[Range<usize>], anchor: usize) -> Self {
        let clamp = |offset: usize| crate::source::clamp_to_char_boundary(&source.text, offset);
        let spans: Vec<Range<usize>> = spans
            .iter()
            .map(|s| clamp(s.start)..clamp(s.end.max(s.start)))
            .collect();
        let last_line = source.last_line();
        let mut ranges: Vec<Range<usize>> = spans
            .iter()
            .map(|span| {
                let first = source.line_of(span.start);
                let last = source.line_of(span.end.saturating_sub(1).max(span.start));
                first.saturating_sub(1)..(last + 1).min(last_line)
            })
            .collect();
        ranges.sort_by_key(|r| r.start);
        let mut snippet = Snippet {
            name: super::terminal_safe(name).into_owned(),
            text: String::new(),
            lines: Vec::new(),
        };
        let mut next_line = 0;
        for range in ranges {
            for line in range.start.max(next_line)..=range.end {
                let focus = line_focus(source, line, &spans, clamp(anchor));
                snippet.push_line(source, line, focus);
            }
            next_line = next_line.max(range.end + 1);
        }
        snippet
    }

    fn push_line(&mut self, source: &SourceText, number: usize, focus: usize) {
        let range = source.line_range(number);
        let line = &source.text[range.clone()];
        let (window, column) = if line.len() > LONG_LINE {
            let window = window_around(line, focus - range.start);
            // From the line index: counting from the line's start costs a minified line's size.
            let shown_from = source
                .lines
                .line_col(&source.text, range.start + window.start);
            (window, shown_from.column - 1)
        } else {
            (0..line.len(), 0)
        };
        let start = self.text.len();
        let cut_left = window.start > 0;
        if cut_left {
            self.text.push_str(ELLIPSIS);
        }
        let escapes = self.push_escaped(&line[window.clone()], range.start + window.start);
        if window.end < line.len() {
            self.text.push_str(ELLIPSIS);
        }
        self.text.push('\n');
        self.lines.push(SnippetLine {
            start,
            prefix: if cut_left { ELLIPSIS.len() } else { 0 },
            number,
            window: range.start + window.start..range.start + window.end,
            column,
            escapes,
        });
    }

    /// Pushes `shown` (the text at offset `at` of the file) with the characters that act on a
    /// terminal as escapes, and says where those are.
    fn push_escaped(&mut self, shown: &str, at: usize) -> Vec<Escaped> {
        let mut escapes = Vec::new();
        for (i, c) in shown.char_indices() {
            let Some(escape) = super::terminal::escape_of(c, &['\t']) else {
                self.text.push(c);
                continue;
            };
            let shown_at = self.text.len();
            self.text.extend(escape);
            escapes.push(Escaped {
                at: at + i,
                shown_at,
                len: c.len_utf8(),
                shown_len: self.text.len() - shown_at,
            });
        }
        escapes
    }

    /// Where a byte offset of the file is in the snippet, clamped to the window of its line.
    fn offset_of(&self, offset: usize) -> Option<usize> {
        let index = self
            .lines
            .partition_point(|line| line.window.start <= offset)
            .checked_sub(1)?;
        let line = &self.lines[index];
        let offset = offset.clamp(line.window.start, line.window.end);
        let grown: usize = line
            .escapes
            .iter()
            .take_while(|escape| escape.at < offset)
            .map(|escape| escape.shown_len - escape.len)
            .sum();
        Some(line.start + line.prefix + offset - line.window.start + grown)
    }

    /// A span of the file, as `(offset, length)` in the snippet.
    pub fn span(&self, offset: usize, length: usize) -> Option<(usize, usize)> {
        let start = self.offset_of(offset)?;
        let end = self.offset_of(offset + length)?.max(start);
        Some((start, end - start))
    }
}

/// The offset on `line` a long line's window is cut around: `anchor` when on it, else the
/// first span boundary on it, else its start.
fn line_focus(source: &SourceText, line: usize, spans: &[Range<usize>], anchor: usize) -> usize {
    let range = source.line_range(line);
    let on_line = |offset: &usize| range.contains(offset) || *offset == range.end;
    if on_line(&anchor) {
        return anchor;
    }
    spans
        .iter()
        .flat_map(|span| [span.start, span.end])
        .find(on_line)
        .unwrap_or(range.start)
}

/// A window of at most [`WINDOW_WIDTH`] characters of `line` starting [`WINDOW_LEAD`]
/// characters before `focus`.
fn window_around(line: &str, focus: usize) -> Range<usize> {
    let focus = crate::source::clamp_to_char_boundary(line, focus);
    let before: Vec<(usize, char)> = line[..focus]
        .char_indices()
        .rev()
        .take(WINDOW_LEAD)
        .collect();
    let start = before.last().map_or(focus, |&(i, _)| i);
    let end = line[start..]
        .char_indices()
        .nth(WINDOW_WIDTH)
        .map_or(line.len(), |(i, _)| start + i);
    start..end
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let start = inner.span().offset();
        let index = self
            .lines
            .partition_point(|line| line.start <= start)
            .checked_sub(1)
            .ok_or(MietteError::OutOfBounds)?;
        let line = &self.lines[index];
        let column = if context_lines_before == 0 {
            let shown_from = (line.start + line.prefix).min(start);
            let grown: usize = line
                .escapes
                .iter()
                .filter(|escape| (shown_from..start).contains(&escape.shown_at))
                .map(|escape| escape.shown_len - 1)
                .sum();
            line.column + (self.text[shown_from..start].chars().count()).saturating_sub(grown)
        } else {
            0
        };
        let data = inner.data();
        let line_count = data.iter().filter(|&&b| b == b'\n').count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            *inner.span(),
            line.number,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceText {
        SourceText::new(text.into())
    }

    #[test]
    fn short_lines_are_kept_with_one_line_of_context() {
        let text = "a\nb\nc = 1\nd\ne\n";
        let snippet = Snippet::new("f", &source(text), std::slice::from_ref(&(6..7)), 6);
        assert_eq!(snippet.text, "b\nc = 1\nd\n");
        assert_eq!(snippet.span(6, 1), Some((4, 1)));
        let contents = snippet.read_span(&(4, 1).into(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (2, 2));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_span_with_its_real_column() {
        let text = format!("{}\"x\": 1{}", "a".repeat(70_000), "b".repeat(70_000));
        let source = source(&text);
        let snippet = Snippet::new(
            "f",
            &source,
            std::slice::from_ref(&(70_000..70_003)),
            70_000,
        );
        assert!(snippet.text.starts_with(ELLIPSIS) && snippet.text.ends_with("…\n"));
        assert!(snippet.text.chars().count() < WINDOW_WIDTH + 4);
        let (offset, length) = snippet.span(70_000, 3).unwrap();
        assert_eq!(&snippet.text[offset..offset + length], "\"x\"");
        let contents = snippet.read_span(&(offset, length).into(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (0, 70_000));
    }

    #[test]
    fn controls_are_shown_as_escapes_and_spans_and_columns_stay_on_the_file() {
        let text = "a\n\tx = \"\u{1b}]52;c;eA==\u{7}\u{202e}\" + y\n";
        let source = source(text);
        let y = text.find('y').unwrap();
        let snippet = Snippet::new("f\u{1b}[8m", &source, std::slice::from_ref(&(y..y + 1)), y);
        assert_eq!(snippet.name, "f\\u{1b}[8m");
        assert_eq!(
            snippet.text,
            "a\n\tx = \"\\u{1b}]52;c;eA==\\u{7}\\u{202e}\" + y\n"
        );
        let (offset, length) = snippet.span(y, 1).unwrap();
        assert_eq!(&snippet.text[offset..offset + length], "y");
        let contents = snippet.read_span(&(offset, length).into(), 0, 0).unwrap();
        let column = text[text.find('\t').unwrap()..y].chars().count();
        assert_eq!((contents.line(), contents.column()), (1, column));
    }

    #[test]
    fn distant_spans_keep_their_own_line_numbers() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let source = source(&text);
        let at = |line: usize| source.lines.line_start(line).unwrap();
        let snippet = Snippet::new("f", &source, &[at(10)..at(10) + 4, at(80)..at(80) + 4], 0);
        let (offset, _) = snippet.span(at(80), 4).unwrap();
        let contents = snippet.read_span(&(offset, 4).into(), 1, 1).unwrap();
        assert_eq!(contents.line(), 79);
        assert!(
            std::str::from_utf8(contents.data())
                .unwrap()
                .starts_with("line 79")
        );
    }
}
