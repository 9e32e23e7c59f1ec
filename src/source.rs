//! Files, byte spans and their conversion to the 1-based line/column positions users see.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in the list produced by discovery; stable for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }

    /// Whether `other` lies within this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.file == other.file
            && self.range.start <= other.range.start
            && other.range.end <= self.range.end
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One shared copy of each text: a huge template repeats its keys and values, a huge scope's
/// findings their messages, attributes and labels.
#[derive(Default)]
pub struct SharedTexts(foldhash::HashSet<std::sync::Arc<str>>);

impl SharedTexts {
    pub fn get(&mut self, text: &str) -> std::sync::Arc<str> {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: std::sync::Arc<str> = std::sync::Arc::from(text);
        self.0.insert(shared.clone());
        shared
    }
}

/// Start offsets of every line of a text, for offset -> line/column conversion.
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// For a text with a long line (a minified template): how many characters come before
    /// each [`CHAR_MARK_BYTES`] bytes, so a column costs a short count, not one from the start
    /// of a line of megabytes.
    char_marks: Vec<usize>,
}

/// A line this long gets character marks.
const LONG_LINE_BYTES: usize = 64 << 10;
const CHAR_MARK_BYTES: usize = 4 << 10;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let last_line = text.len() - line_starts.last().copied().unwrap_or(0);
        let has_long_line = last_line >= LONG_LINE_BYTES
            || line_starts
                .windows(2)
                .any(|pair| pair[1] - pair[0] >= LONG_LINE_BYTES);
        let char_marks = match has_long_line {
            true => std::iter::once(0)
                .chain(
                    text.as_bytes()
                        .chunks(CHAR_MARK_BYTES)
                        .scan(0, |before, chunk| {
                            *before += chars_in(chunk);
                            Some(*before)
                        }),
                )
                .collect(),
            false => Vec::new(),
        };
        LineIndex {
            line_starts,
            char_marks,
        }
    }

    /// Position of a byte offset; offsets past the end or inside a character are clamped.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = match self.char_marks.is_empty() {
            true => text[start..offset].chars().count(),
            false => self.chars_before(text, offset) - self.chars_before(text, start),
        } + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// How many characters of `text` come before `offset`, from the marks.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        // A mark for every multiple of the mark's size up to the text's length.
        let mark = (offset / CHAR_MARK_BYTES).min(self.char_marks.len() - 1);
        self.char_marks[mark] + chars_in(&text.as_bytes()[mark * CHAR_MARK_BYTES..offset])
    }
}

/// The characters of UTF-8 bytes: those that do not continue one (`0b10xx_xxxx`), so a range
/// may start or end inside a character.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| (byte as i8) >= -0x40).count()
}

impl LineIndex {
    /// The 0-based line a byte offset is on.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Where 0-based line `line` starts, if the text has it.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// How many lines start in the text: one more than its line breaks.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The path as shown to users: relative to the working directory when it lies below it,
/// with `/` separators whatever the platform, and nothing lost ([`shown_name`]).
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let shown: PathBuf = if path.is_absolute() {
        path.strip_prefix(cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    let text = shown_name(shown.as_os_str());
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// A path's bytes as text, losslessly: a byte that is not UTF-8 as `\xNN` and (outside
/// Windows, where it separates) a `\` as `\\`, so two files never look alike and
/// [`shown_path_bytes`] gives the bytes back.
fn shown_name(path: &std::ffi::OsStr) -> String {
    use std::fmt::Write;
    let bytes = path.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' if cfg!(windows) => out.push('/'),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            // Writing to a String cannot fail.
            _ = write!(out, "\\x{byte:02X}");
        }
    }
    out
}

/// The bytes of the path a name shown by [`display_path`] stands for, its escapes undone.
pub fn shown_path_bytes(shown: &str) -> Vec<u8> {
    let bytes = shown.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let digit = |byte: u8| char::from(byte).to_digit(16);
        let escaped_byte = match bytes[i..] {
            [b'\\', b'\\', ..] => Some((b'\\', 2)),
            [b'\\', b'x', high, low, ..] => match (digit(high), digit(low)) {
                (Some(high), Some(low)) => u8::try_from(high * 16 + low).ok().map(|b| (b, 4)),
                _ => None,
            },
            _ => None,
        };
        let (byte, length) = escaped_byte.unwrap_or((bytes[i], 1));
        out.push(byte);
        i += length;
    }
    out
}

/// `a/b/../c` -> `a/c`, without touching the file system (`..` at the start stays).
pub fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                let last_is_normal = matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                );
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Sorts `items` (stably) by their paths in `Path`'s order, component by component. When
/// every path is plain (no `.`, `..` or empty components, which is what a walk finds), by
/// comparing bytes with `/` below every other byte, the same order; else with `Path`'s own
/// comparison. Sorting 35,000 paths with `Path`'s, which splits both into components each
/// time, was a twentieth of a run.
pub fn sort_by_path<T>(items: &mut [T], path: impl Fn(&T) -> &Path) {
    if items.iter().all(|item| is_plain(bytes_of(path(item)))) {
        items.sort_by(|a, b| plain_order(bytes_of(path(a)), bytes_of(path(b))));
    } else {
        items.sort_by(|a, b| path(a).cmp(path(b)));
    }
}

fn bytes_of(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The order of two plain paths: their bytes, `/` below every other byte.
fn plain_order(x: &[u8], y: &[u8]) -> std::cmp::Ordering {
    let rank = |byte: &u8| {
        if *byte == b'/' {
            0
        } else {
            u16::from(*byte) + 1
        }
    };
    x.iter().map(rank).cmp(y.iter().map(rank))
}

/// Whether every component of the path (`/`-separated, after a leading `/`) is a name: not
/// empty, `.` or `..`.
fn is_plain(path: &[u8]) -> bool {
    let relative = path.strip_prefix(b"/").unwrap_or(path);
    relative.is_empty()
        || relative
            .split(|&byte| byte == b'/')
            .all(|name| !name.is_empty() && name != b"." && name != b"..")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns count characters from the line's start, on short lines and on lines long enough
    /// for marks, wherever the offset falls (inside a character, on a mark, at the end).
    #[test]
    fn columns_on_long_lines_count_the_characters_of_the_line() {
        let long_line: String = "aé€😀".repeat(30_000);
        let text = format!("x\n{long_line}\n\nshort é line\n{long_line}");
        let index = LineIndex::new(&text);
        assert!(!index.char_marks.is_empty());
        let naive = |offset: usize| {
            let offset = clamp_to_char_boundary(&text, offset);
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            LineCol {
                line: text[..offset].matches('\n').count() + 1,
                column: text[start..offset].chars().count() + 1,
            }
        };
        let marks = (1..text.len() / CHAR_MARK_BYTES).map(|i| i * CHAR_MARK_BYTES);
        let offsets = (0..text.len() + 3)
            .step_by(997)
            .chain(marks)
            .chain([text.len()]);
        for offset in offsets {
            assert_eq!(index.line_col(&text, offset), naive(offset), "at {offset}");
        }
        let short = "ab\né€x\n";
        assert!(LineIndex::new(short).char_marks.is_empty());
        assert_eq!(
            LineIndex::new(short).line_col(short, 8),
            LineCol { line: 2, column: 3 }
        );
    }

    #[test]
    fn paths_sort_in_the_order_of_paths() {
        let plain = [
            "a",
            "a/b",
            "a-b",
            "a/b/c",
            "a.b",
            "-x",
            "/abs",
            "/abs/a",
            "a/b-c",
            "a/b/c-d",
            "ab",
            "b",
            "a/.hidden",
            "a /b",
            "a/b ",
            "+",
            "",
            "/",
            "a/..b",
            "/-",
            "a\u{e9}",
            "a\u{7f}",
        ];
        let others = [
            "../x", "..", "../../y", "../a/b", "./a", "a//b", "a/", "a/./b", ".",
        ];
        for x in plain {
            for y in plain {
                let (x, y) = (Path::new(x), Path::new(y));
                let bytes = |p: &Path| p.as_os_str().as_encoded_bytes().to_vec();
                assert_eq!(
                    plain_order(&bytes(x), &bytes(y)),
                    x.cmp(y),
                    "{x:?} against {y:?}"
                );
            }
        }
        for paths in [plain.to_vec(), [plain.as_slice(), &others].concat()] {
            let mut sorted: Vec<&Path> = paths.iter().map(Path::new).collect();
            sort_by_path(&mut sorted, |path| path);
            let mut expected = sorted.clone();
            expected.sort();
            assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn normalizes_paths_lexically() {
        assert_eq!(lexical_normalize(Path::new("a/b/../../")), Path::new(""));
        assert_eq!(
            lexical_normalize(Path::new("examples/x/../../mod")),
            Path::new("mod")
        );
        assert_eq!(
            lexical_normalize(Path::new("./a/../../b")),
            Path::new("../b")
        );
        assert_eq!(
            lexical_normalize(Path::new("/r/a/./b/..")),
            Path::new("/r/a")
        );
    }

    #[test]
    fn line_col_counts_characters_from_one() {
        let text = "ab\nçd\r\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, column: 1 });
        // 'd' comes after the two-byte 'ç'
        assert_eq!(index.line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(text, 8), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_col(text, 999), LineCol { line: 3, column: 3 });
    }

    #[test]
    fn display_path_is_relative_and_clean() {
        let cwd = Path::new("/repo");
        assert_eq!(display_path(Path::new("/repo/a/b.tf"), cwd), "a/b.tf");
        assert_eq!(display_path(Path::new("./a/b.tf"), cwd), "a/b.tf");
        assert_eq!(display_path(Path::new("/other/b.tf"), cwd), "/other/b.tf");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_shown_losslessly_and_read_back() {
        use std::os::unix::ffi::OsStrExt;
        let cwd = Path::new("/repo");
        let names: [&[u8]; 5] = [
            b"/repo/a/\xFF\xFE.tf",
            b"/repo/\\xFF.tf",
            b"/repo/a\\\\b\\",
            "/repo/é\u{1b}.tf".as_bytes(),
            b"/repo/\xC3.tf",
        ];
        let shown: Vec<String> = names
            .iter()
            .map(|name| display_path(Path::new(std::ffi::OsStr::from_bytes(name)), cwd))
            .collect();
        assert_eq!(
            shown,
            [
                "a/\\xFF\\xFE.tf",
                "\\\\xFF.tf",
                "a\\\\\\\\b\\\\",
                "é\u{1b}.tf",
                "\\xC3.tf"
            ]
        );
        for (name, shown) in names.iter().zip(&shown) {
            assert_eq!(shown_path_bytes(shown), name[b"/repo/".len()..]);
        }
    }
}
