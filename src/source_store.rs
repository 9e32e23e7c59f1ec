//! The files of a run: the store that reads each discovered file from disk once and parses it
//! once, shared by the module-call graph and every scope that uses the file; and a scope's own
//! copy of a file (its text, line index and suppression comments) to locate findings in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::discover::Discovered;
use crate::finding::{FileError, Location, capped_message};
use crate::frontend::{FileKind, SyntaxError, bicep, terraform};
use crate::policy::Catalog;
use crate::source::{FileId, LineIndex, Span, lexical_normalize};
use crate::stats::{Stage, timed};
use crate::suppress;

/// A file's syntax tree, shared by the scopes that use it.
#[derive(Clone)]
pub enum Syntax {
    /// With the blocks a pruned parse of a huge file dropped.
    Terraform(
        Arc<hcl_edit::structure::Body>,
        Option<Arc<terraform::Dropped>>,
    ),
    Bicep(Arc<bicep::syntax::Program>),
}

/// A file as the store hands it out: its text and, when asked for, its syntax tree (ARM JSON
/// has none here: a template is read by one scope only).
#[derive(Clone)]
pub struct Loaded {
    pub text: Arc<String>,
    pub syntax: Option<Result<Syntax, SyntaxError>>,
}

/// A file kept between its uses, and the bytes it counts against the budget.
struct Kept {
    loaded: Loaded,
    cost: usize,
    /// Kept by the module-call scan, before uses were counted.
    scanned: bool,
}

/// Uses of a file not yet counted: the module-call graph counts them after its own.
const UNCOUNTED: u32 = u32::MAX;

/// Bytes of texts and syntax trees kept from the module-call scan for the file's own scope:
/// most repositories fit, and their scopes are linted once the call graph is known. A scope
/// whose files do not fit is linted as the scan reads it when it calls no local module (see
/// `resolve::modules`), so it is read once too; its report then waits for the graph. Measured
/// on 5,000 generated modules (67.9 MB of `.tf`), peak RSS over five runs: 50-54 MiB with
/// 8 MiB, up to 59 with 10 or 12, 57-61 with 16 (the target is under 60). With 8 MiB the real
/// corpus (`../shared/corpus/real`, 10 MB) takes 377 reads and 345 parses of its files, against
/// 342 and 317 with everything kept. `AOAI_LINT_SCAN_BUDGET` sets another size in bytes (tests
/// set 0, so that every scope that can be is linted during the scan).
const SCAN_BUDGET: usize = 8 << 20;

fn scan_budget() -> usize {
    std::env::var("AOAI_LINT_SCAN_BUDGET")
        .ok()
        .and_then(|bytes| bytes.parse().ok())
        .unwrap_or(SCAN_BUDGET)
}

/// Bytes kept once uses are counted: module files that several scopes load, between loads.
const SHARED_BUDGET: usize = 32 << 20;

/// A syntax tree takes about this many times its text's size in memory.
const SYNTAX_SIZE_FACTOR: usize = 12;

/// The discovered files of a run, read and parsed on first use and kept until their last.
pub struct SourceStore<'a> {
    discovered: &'a Discovered,
    /// `--stdin-filename`: the editor's buffer, read instead of that file on disk.
    stdin: Option<&'a (PathBuf, String)>,
    /// Few files are kept at a time: a slot is small until one is.
    kept: Vec<Mutex<Option<Box<Kept>>>>,
    uses_left: Vec<AtomicU32>,
    /// Bytes kept by the module-call scan and for shared module files.
    scanned_bytes: AtomicUsize,
    scan_budget: usize,
    shared_bytes: AtomicUsize,
    /// The `.tf` files of each module directory listed so far, sorted.
    listings: Mutex<HashMap<PathBuf, Option<Arc<[PathBuf]>>>>,
}

impl<'a> SourceStore<'a> {
    pub fn new(discovered: &'a Discovered, stdin: Option<&'a (PathBuf, String)>) -> Self {
        SourceStore {
            discovered,
            stdin,
            kept: discovered.files.iter().map(|_| Mutex::default()).collect(),
            uses_left: discovered
                .files
                .iter()
                .map(|_| AtomicU32::new(UNCOUNTED))
                .collect(),
            scanned_bytes: AtomicUsize::new(0),
            scan_budget: scan_budget(),
            shared_bytes: AtomicUsize::new(0),
            listings: Mutex::default(),
        }
    }

    /// The `.tf` files of a module directory, sorted; listed once per run.
    pub fn terraform_files(&self, dir: &Path) -> Option<Arc<[PathBuf]>> {
        let mut listings = self
            .listings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        listings
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                crate::stats::directory_listed();
                let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
                    .ok()?
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|path| {
                        let name = path.file_name().unwrap_or_default().to_string_lossy();
                        terraform::is_config_file(&name) && path.is_file()
                    })
                    .collect();
                paths.sort();
                Some(paths.into())
            })
            .clone()
    }

    pub fn discovered(&self) -> &'a Discovered {
        self.discovered
    }

    pub fn stdin(&self) -> Option<&'a (PathBuf, String)> {
        self.stdin
    }

    /// A discovered file's text, with its syntax tree when `wants_syntax` says so of its text.
    /// Counts as one of the file's uses; kept for the next one while uses are left.
    pub fn load(
        &self,
        id: FileId,
        wants_syntax: impl FnOnce(&str) -> bool,
    ) -> Result<Loaded, ReadError> {
        let file = self.discovered.file(id);
        let mut slot = self.lock(id);
        let mut loaded = match slot.take() {
            Some(kept) => {
                self.release(&kept);
                kept.loaded
            }
            None => Loaded {
                text: timed(Stage::Read, || read_source(&file.path, self.stdin))?.into(),
                syntax: None,
            },
        };
        if loaded.syntax.is_none() && wants_syntax(&loaded.text) {
            loaded.syntax = timed(Stage::Parse, || parse(&file.path, file.kind, &loaded.text));
        }
        let uses_left = &self.uses_left[id.0 as usize];
        let left = match uses_left.load(Ordering::Relaxed) {
            UNCOUNTED => UNCOUNTED,
            uses => uses.saturating_sub(1),
        };
        uses_left.store(left, Ordering::Relaxed);
        let cost = cost_of(&loaded);
        let scanned = left == UNCOUNTED;
        if left > 0 && self.reserve(cost, scanned) {
            *slot = Some(Box::new(Kept {
                loaded: loaded.clone(),
                cost,
                scanned,
            }));
        }
        Ok(loaded)
    }

    /// Keeps a file just loaded for its next use, past the budget: the caller holds it anyway,
    /// and uses it right away (the module-call scan, linting a scope whose files it read).
    pub fn hold(&self, id: FileId, loaded: Loaded) {
        let mut slot = self.lock(id);
        if slot.is_none() {
            let cost = cost_of(&loaded);
            self.scanned_bytes.fetch_add(cost, Ordering::Relaxed);
            *slot = Some(Box::new(Kept {
                loaded,
                cost,
                scanned: true,
            }));
        }
    }

    /// Whether the file is kept for its next use.
    pub fn keeps(&self, id: FileId) -> bool {
        self.lock(id).is_some()
    }

    /// Sets how many uses of a file are still to come; a file with none left is let go.
    pub fn expect_uses(&self, id: FileId, uses: u32) {
        let mut slot = self.lock(id);
        self.uses_left[id.0 as usize].store(uses, Ordering::Relaxed);
        if uses == 0
            && let Some(kept) = slot.take()
        {
            self.release(&kept);
        }
    }

    fn lock(&self, id: FileId) -> std::sync::MutexGuard<'_, Option<Box<Kept>>> {
        // A panic while a slot is held cannot leave it half-written: it is set whole.
        self.kept[id.0 as usize]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn reserve(&self, cost: usize, scanned: bool) -> bool {
        let (bytes, budget) = self.budget(scanned);
        bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |kept| {
                (kept + cost <= budget).then_some(kept + cost)
            })
            .is_ok()
    }

    fn release(&self, kept: &Kept) {
        self.budget(kept.scanned)
            .0
            .fetch_sub(kept.cost, Ordering::Relaxed);
    }

    fn budget(&self, scanned: bool) -> (&AtomicUsize, usize) {
        if scanned {
            (&self.scanned_bytes, self.scan_budget)
        } else {
            (&self.shared_bytes, SHARED_BUDGET)
        }
    }
}

/// A Terraform or Bicep file's syntax tree, counted as one parse; `None` for JSON.
pub fn parse(
    path: &Path,
    kind: FileKind,
    text: &Arc<String>,
) -> Option<Result<Syntax, SyntaxError>> {
    if kind != FileKind::Json {
        crate::stats::file_parsed();
    }
    match kind {
        FileKind::Terraform => {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let parsed = terraform::parse_file(&name, text);
            Some(parsed.map(|parsed| Syntax::Terraform(parsed.body.into(), parsed.dropped)))
        }
        FileKind::Bicep => Some(bicep::parse(text).map(|program| Syntax::Bicep(program.into()))),
        FileKind::Json => None,
    }
}

fn cost_of(loaded: &Loaded) -> usize {
    let parsed = matches!(loaded.syntax, Some(Ok(_)));
    loaded.text.len() * if parsed { 1 + SYNTAX_SIZE_FACTOR } else { 1 }
}

/// A file's text, kept while its scope is linted to turn spans into lines and columns.
pub struct SourceFile {
    pub id: FileId,
    pub text: Arc<String>,
    /// Built on first use: most files have no finding.
    lines: std::sync::OnceLock<LineIndex>,
    /// Suppression comments.
    pub directives: suppress::Directives,
}

impl SourceFile {
    pub fn new(id: FileId, text: Arc<String>) -> Self {
        SourceFile {
            id,
            text,
            lines: std::sync::OnceLock::new(),
            directives: suppress::Directives::default(),
        }
    }

    /// Reads the suppression directives among `comments` (byte ranges of the text).
    pub fn read_directives(
        &mut self,
        comments: &[std::ops::Range<usize>],
        catalog: &'static Catalog,
    ) {
        for range in comments {
            let Some(comment) = self.text.get(range.clone()) else {
                continue;
            };
            if !comment.contains("aoai-lint:") && !comment.contains("checkov:skip") {
                continue;
            }
            let line = self.line_col(range.start).line;
            if let Some(directive) = suppress::parse(comment, range.clone(), line, catalog) {
                self.directives.push(directive);
            }
        }
    }

    /// Reads the suppression directives of this file, parsed: a Terraform file is lexed for
    /// comments only when it mentions a directive.
    pub fn read_directives_of(&mut self, syntax: &Syntax, catalog: &'static Catalog) {
        match syntax {
            Syntax::Terraform(..) if suppress::may_contain_directives(&self.text) => {
                let comments = terraform::comments(&self.text);
                self.read_directives(&comments, catalog);
            }
            Syntax::Terraform(..) => {}
            Syntax::Bicep(program) => self.read_directives(&program.comments, catalog),
        }
    }

    /// This file's syntax error as reported, under its displayed path.
    pub fn syntax_error(&self, display: &Arc<str>, error: &SyntaxError) -> FileError {
        let position = self.line_col(error.offset);
        FileError {
            file: display.clone(),
            line: position.line,
            column: position.column,
            message: capped_message(format!("syntax error: {}", error.message)),
            offset: Some(error.offset),
        }
    }

    pub fn line_col(&self, offset: usize) -> crate::source::LineCol {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }

    /// A span of this file, as shown: `display` is its path in output.
    pub fn locate(&self, display: &Arc<str>, span: &Span) -> Location {
        let start = self.line_col(span.range.start);
        let end = self.line_col(span.range.end);
        Location {
            file: display.clone(),
            start,
            end,
            offset: span.range.start,
            length: span.range.end.saturating_sub(span.range.start),
        }
    }
}

/// Why a file could not be read.
pub struct ReadError {
    pub message: String,
    /// (line, column, byte offset) of the problem, when inside the file.
    pub position: Option<(usize, usize, usize)>,
}

/// A file's text: `stdin`'s buffer when it stands for `path` (an editor's `--stdin-filename`),
/// else the file on disk.
pub fn read_source(path: &Path, stdin: Option<&(PathBuf, String)>) -> Result<String, ReadError> {
    match stdin {
        Some((buffer, text)) if lexical_normalize(buffer) == lexical_normalize(path) => {
            Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text).to_string())
        }
        _ => read_text(path),
    }
}

/// A file's text, counted as one read.
pub fn read_text(path: &std::path::Path) -> Result<String, ReadError> {
    crate::stats::file_read();
    let bytes = std::fs::read(path).map_err(|e| ReadError {
        message: format!("cannot read file: {e}"),
        position: None,
    })?;
    decode(bytes)
}

/// A file's bytes as text: UTF-8 (a byte order mark dropped, as Terraform, Bicep and ARM accept
/// one), or UTF-16 with its byte order mark (ARM templates saved by Windows tools).
fn decode(mut bytes: Vec<u8>) -> Result<String, ReadError> {
    let utf16 = |bytes: &[u8], big_endian: bool| {
        let units = bytes.chunks(2).map(|pair| match (pair, big_endian) {
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            // An odd last byte is not UTF-16.
            _ => 0xD800,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| ReadError {
                message: "file is not valid UTF-16 (it starts with a UTF-16 byte order mark)"
                    .into(),
                position: None,
            })
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => return utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => return utf16(rest, true),
        [0xEF, 0xBB, 0xBF, ..] => {
            bytes.drain(..3);
        }
        _ => {}
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        // Valid up to `valid` by definition, so this prefix always converts.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let position = LineIndex::new(prefix).line_col(prefix, valid);
        ReadError {
            message: format!("file is not valid UTF-8 (invalid byte at offset {valid})"),
            position: Some((position.line, position.column, valid)),
        }
    })
}
