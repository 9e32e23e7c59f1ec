//! A newline-aware recursive-descent parser for Bicep and `.bicepparam` files.
//!
//! Scannerless: tokens are read on demand from the bytes, so string interpolation (`'a${b}c'`)
//! simply recurses into the expression parser. Newlines separate statements, array items and
//! object properties; an expression continues onto the next line only when that line starts with
//! an operator that cannot start an item (`?`, `:`, `&&`, `.`, ...), never with `(`, `[`, `-`,
//! `+` or `!`, which would start a new item. The first syntax error stops parsing, with its
//! offset; nesting is bounded so no input can overflow the stack.

use super::syntax::*;
use crate::frontend::SyntaxError;

/// Deeper nesting than any real template; bounds recursion.
const MAX_DEPTH: usize = 256;
/// The most binary operators on any path through an expression. A chain of operators is
/// parsed in a loop but builds a tree one level deep per operator, which evaluation and drop
/// walk recursively, so long chains are bounded too (as hcl-edit bounds them).
const MAX_OPERATOR_DEPTH: usize = 1024;

pub fn parse(src: &str) -> Result<Program, SyntaxError> {
    let mut parser = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        depth: 0,
        operator_depth: 0,
        peeked: None,
        comments: Vec::new(),
        content_paths: Vec::new(),
    };
    // A byte-order mark is allowed at the start of the file.
    if src.starts_with('\u{feff}') {
        parser.pos = 3;
    }
    parser.program()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Ident,
    Int,
    /// `'` or `'''` or `$'''`: a string starts here.
    Str,
    Punct(&'static str),
    Newline,
    Eof,
    /// A byte that starts no token.
    Unknown,
}

/// The punctuation at the start of `rest`, longest match first (`...` over `.`, `??` over `?`).
fn punctuation(rest: &[u8]) -> Option<&'static str> {
    let next = rest.get(1).copied();
    Some(match rest.first()? {
        b'.' if rest.starts_with(b"...") => "...",
        b'.' if next == Some(b'?') => ".?",
        b'.' => ".",
        b'?' if next == Some(b'?') => "??",
        b'?' => "?",
        b':' if next == Some(b':') => "::",
        b':' => ":",
        b'=' => match next {
            Some(b'>') => "=>",
            Some(b'=') => "==",
            Some(b'~') => "=~",
            _ => "=",
        },
        b'!' => match next {
            Some(b'=') => "!=",
            Some(b'~') => "!~",
            _ => "!",
        },
        b'<' if next == Some(b'=') => "<=",
        b'<' => "<",
        b'>' if next == Some(b'=') => ">=",
        b'>' => ">",
        b'&' if next == Some(b'&') => "&&",
        b'&' => "&",
        b'|' if next == Some(b'|') => "||",
        b'|' => "|",
        b'{' => "{",
        b'}' => "}",
        b'[' => "[",
        b']' => "]",
        b'(' => "(",
        b')' => ")",
        b',' => ",",
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        b'%' => "%",
        b'@' => "@",
        b'^' => "^",
        b';' => ";",
        _ => return None,
    })
}

/// Operators that continue an expression from the start of the next line.
const CONTINUATIONS: [&str; 17] = [
    "?", ":", "??", "||", "&&", "==", "!=", "=~", "!~", "<", "<=", ">", ">=", "*", "/", "%", ".",
];

struct Parser<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    depth: usize,
    /// The most binary operators on a path through what the current operand has parsed so far.
    operator_depth: usize,
    /// The last peek: (position it started from, position after trivia, token, length).
    /// The parser peeks the same token several times; trivia is skipped once.
    peeked: Option<(usize, usize, Tok, usize)>,
    comments: Vec<Span>,
    content_paths: Vec<String>,
}

type PResult<T> = Result<T, SyntaxError>;

impl<'s> Parser<'s> {
    // ---- tokens -------------------------------------------------------------------------

    /// Skips spaces, tabs, comments and `#` directives; not newlines.
    fn skip_trivia(&mut self) -> PResult<()> {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\t' | 0x0c) => self.pos += 1,
                // A lone carriage return is a newline; `\r\n` is handled as `\n`.
                Some(b'\r') if self.bytes.get(self.pos + 1) == Some(&b'\n') => self.pos += 1,
                // `//` comments, and `#disable-next-line ...` and other directives, run to the
                // end of the line.
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => self.line_comment(),
                Some(b'#') => self.line_comment(),
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(end) => self.pos += end + 4,
                        None => return Err(self.error_at(start, "unterminated `/*` comment")),
                    }
                    self.record_comment(start);
                }
                _ => return Ok(()),
            }
        }
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        while !matches!(self.bytes.get(self.pos), None | Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        self.record_comment(start);
    }

    /// Backtracking may skip the same comment again: keep each once, in order.
    fn record_comment(&mut self, start: usize) {
        if self.comments.last().is_none_or(|last| last.start < start) {
            self.comments.push(start..self.pos);
        }
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        loop {
            self.skip_trivia()?;
            match self.bytes.get(self.pos) {
                Some(b'\n' | b'\r') => self.pos += 1,
                _ => return Ok(()),
            }
        }
    }

    /// The next token (after trivia, not newlines) and its length, without consuming it.
    fn peek(&mut self) -> PResult<(Tok, usize)> {
        if let Some((from, after, tok, len)) = self.peeked
            && (from == self.pos || after == self.pos)
        {
            self.pos = after;
            return Ok((tok, len));
        }
        let from = self.pos;
        self.skip_trivia()?;
        let token = self.scan();
        self.peeked = Some((from, self.pos, token.0, token.1));
        Ok(token)
    }

    fn scan(&self) -> (Tok, usize) {
        let rest = &self.bytes[self.pos..];
        let Some(&first) = rest.first() else {
            return (Tok::Eof, 0);
        };
        match first {
            b'\n' | b'\r' => (Tok::Newline, 1),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
                (Tok::Ident, len)
            }
            b'0'..=b'9' => (
                Tok::Int,
                rest.iter().take_while(|b| b.is_ascii_digit()).count(),
            ),
            b'\'' => (Tok::Str, 1),
            b'$' if rest
                .iter()
                .skip_while(|b| **b == b'$')
                .take(3)
                .eq(b"'''".iter()) =>
            {
                (Tok::Str, 1)
            }
            _ => punctuation(rest).map_or((Tok::Unknown, 1), |p| (Tok::Punct(p), p.len())),
        }
    }

    fn peek_text(&mut self) -> PResult<&'s str> {
        let (_, len) = self.peek()?;
        Ok(&self.src[self.pos..self.pos + len])
    }

    fn at_punct(&mut self, punct: &str) -> PResult<bool> {
        Ok(matches!(self.peek()?, (Tok::Punct(p), _) if p == punct))
    }

    fn at_keyword(&mut self, word: &str) -> PResult<bool> {
        Ok(self.peek()?.0 == Tok::Ident && self.peek_text()? == word)
    }

    fn eat_punct(&mut self, punct: &str) -> PResult<bool> {
        if self.at_punct(punct)? {
            self.pos += punct.len();
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect_punct(&mut self, punct: &str) -> PResult<()> {
        if self.eat_punct(punct)? {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{punct}`")))
        }
    }

    fn eat_keyword(&mut self, word: &str) -> PResult<bool> {
        if self.at_keyword(word)? {
            self.pos += word.len();
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `\u{...}` after its `\u` (at `{`): a code point, or a UTF-16 surrogate pair written as
    /// two escapes (`\u{D801}\u{DC37}`), as Bicep reads them.
    fn unicode_escape(&mut self) -> PResult<char> {
        let code = |parser: &mut Self| -> PResult<u32> {
            let close = parser.src[parser.pos..]
                .find('}')
                .ok_or_else(|| parser.error_at(parser.pos, "unterminated `\\u{` escape"))?;
            let hex = &parser.src[parser.pos + 1..parser.pos + close];
            let value = u32::from_str_radix(hex, 16)
                .map_err(|_| parser.error_at(parser.pos, "invalid `\\u{...}` escape"))?;
            parser.pos += close + 1;
            Ok(value)
        };
        let start = self.pos;
        let first = code(self)?;
        if (0xD800..0xDC00).contains(&first) && self.src[self.pos..].starts_with("\\u{") {
            self.pos += 2;
            let second = code(self)?;
            if (0xDC00..0xE000).contains(&second) {
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                if let Some(c) = char::from_u32(combined) {
                    return Ok(c);
                }
            }
            return Err(self.error_at(start, "invalid `\\u{...}` escape (an unpaired surrogate)"));
        }
        char::from_u32(first).ok_or_else(|| self.error_at(start, "invalid `\\u{...}` escape"))
    }

    fn ident(&mut self) -> PResult<(String, Span)> {
        match self.peek()? {
            (Tok::Ident, len) => {
                let start = self.pos;
                self.pos += len;
                Ok((self.src[start..self.pos].to_string(), start..self.pos))
            }
            _ => Err(self.unexpected("an identifier")),
        }
    }

    /// Whether the next line starts with an operator that continues the current expression;
    /// if so, the newlines are consumed.
    fn continues_on_next_line(&mut self) -> PResult<bool> {
        let saved = self.pos;
        self.skip_newlines()?;
        if let (Tok::Punct(p), _) = self.peek()? {
            // `.?` and `::` start with a continuation too.
            if CONTINUATIONS.contains(&p) || p == ".?" || p == "::" {
                return Ok(true);
            }
        }
        self.pos = saved;
        Ok(false)
    }

    /// Skips newlines only before one of `puncts` (used for `|` in multi-line union types).
    fn newline_then(&mut self, punct: &str) -> PResult<bool> {
        let saved = self.pos;
        self.skip_newlines()?;
        if self.at_punct(punct)? {
            return Ok(true);
        }
        self.pos = saved;
        Ok(false)
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }

    fn unexpected(&mut self, expected: &str) -> SyntaxError {
        let found = match self.peek() {
            Ok((Tok::Eof, _)) => "the end of the file".to_string(),
            Ok((Tok::Newline, _)) => "a line break".to_string(),
            Ok((_, len)) => {
                let end = crate::source::clamp_to_char_boundary(self.src, self.pos + len.max(1));
                let end = if end == self.pos {
                    self.src[self.pos..]
                        .chars()
                        .next()
                        .map_or(self.pos, |c| self.pos + c.len_utf8())
                } else {
                    end
                };
                format!("`{}`", &self.src[self.pos..end])
            }
            Err(error) => return error,
        };
        self.error_at(self.pos, format!("expected {expected}, found {found}"))
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(self.pos, format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// A statement or item ends at a newline, `}`/`]` or the end of the file.
    fn expect_line_end(&mut self) -> PResult<()> {
        match self.peek()? {
            (Tok::Newline | Tok::Eof, _) => Ok(()),
            _ => Err(self.unexpected("a line break")),
        }
    }

    /// Notes the literal path of a call that reads a file as content.
    fn note_content_path(&mut self, callee: &Expr, args: &[Expr]) {
        let function = match &callee.kind {
            ExprKind::Ident(name) => name.as_str(),
            ExprKind::Member { name, .. } => name,
            _ => return,
        };
        if CONTENT_FUNCTIONS.contains(&function)
            && let Some(path) = args.first().and_then(Expr::as_literal_str)
        {
            self.content_paths.push(path);
        }
    }

    // ---- statements ---------------------------------------------------------------------

    fn program(&mut self) -> PResult<Program> {
        let mut statements = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek()?.0 == Tok::Eof {
                return Ok(Program {
                    statements,
                    comments: std::mem::take(&mut self.comments),
                    content_paths: std::mem::take(&mut self.content_paths),
                });
            }
            statements.push(self.statement()?);
            self.expect_line_end()?;
        }
    }

    fn decorators(&mut self) -> PResult<Vec<Expr>> {
        let mut decorators = Vec::new();
        while self.eat_punct("@")? {
            decorators.push(self.postfix()?);
            self.skip_newlines()?;
        }
        Ok(decorators)
    }

    fn statement(&mut self) -> PResult<Statement> {
        let decorators = self.decorators()?;
        let start = self.pos;
        let keyword = match self.peek()? {
            (Tok::Ident, _) => self.peek_text()?,
            _ => return Err(self.unexpected("a declaration")),
        };
        self.pos += keyword.len();
        let mut header_end = self.pos;
        let kind = match keyword {
            "targetScope" => {
                self.expect_punct("=")?;
                StatementKind::TargetScope(self.value()?)
            }
            "metadata" => {
                let (name, value) = self.name_equals_value()?;
                StatementKind::Metadata { name, value }
            }
            "param" => {
                let (name, name_span) = self.ident()?;
                header_end = name_span.end;
                if self.eat_punct("=")? {
                    // .bicepparam: `param name = value`
                    StatementKind::Param {
                        name,
                        default: Some(self.value()?),
                        type_text: None,
                    }
                } else {
                    let type_start = self.pos;
                    self.declared_type()?;
                    let type_text = Some(self.src[type_start..self.pos].trim().to_string());
                    let default = if self.eat_punct("=")? {
                        Some(self.value()?)
                    } else {
                        None
                    };
                    StatementKind::Param {
                        name,
                        default,
                        type_text,
                    }
                }
            }
            "var" => {
                let (name, name_span) = self.ident()?;
                header_end = name_span.end;
                if !self.at_punct("=")? {
                    self.type_expr()?;
                }
                self.expect_punct("=")?;
                StatementKind::Var {
                    name,
                    value: self.value()?,
                }
            }
            "output" => {
                let (name, name_span) = self.ident()?;
                header_end = name_span.end;
                self.declared_type()?;
                self.expect_punct("=")?;
                StatementKind::Output {
                    name,
                    value: self.value()?,
                }
            }
            "type" => {
                let (name, _) = self.ident()?;
                self.expect_punct("=")?;
                self.skip_newlines()?;
                self.type_expr()?;
                StatementKind::Type { name }
            }
            "func" => {
                let (name, _) = self.ident()?;
                let params = self.typed_params()?;
                self.type_expr()?;
                self.expect_punct("=>")?;
                self.skip_newlines()?;
                StatementKind::Func {
                    name,
                    params,
                    body: self.expr()?,
                }
            }
            "resource" => return self.resource(decorators, start),
            "module" => {
                let (name, _) = self.ident()?;
                let path = self.string()?;
                header_end = path.span.end;
                self.expect_punct("=")?;
                StatementKind::Module {
                    name,
                    path,
                    value: self.declaration_body()?,
                }
            }
            "import" => self.import()?,
            "extension" | "provider" => {
                if self.peek()?.0 == Tok::Str {
                    self.string()?;
                } else {
                    self.ident()?;
                }
                if self.eat_keyword("with")? {
                    self.object()?;
                }
                if self.eat_keyword("as")? {
                    self.ident()?;
                }
                StatementKind::Extension
            }
            "using" => {
                if self.eat_keyword("none")? {
                    StatementKind::Using { path: None }
                } else {
                    StatementKind::Using {
                        path: Some(self.string()?),
                    }
                }
            }
            "extends" => StatementKind::Extends {
                path: self.string()?,
            },
            "assert" => {
                let (name, value) = self.name_equals_value()?;
                StatementKind::Assert { name, value }
            }
            "test" => {
                let (name, _) = self.ident()?;
                self.string()?;
                self.expect_punct("=")?;
                StatementKind::Test {
                    name,
                    value: self.value()?,
                }
            }
            _ => {
                self.pos = start;
                return Err(
                    self.unexpected("a declaration (param, var, resource, module, output, ...)")
                );
            }
        };
        Ok(Statement {
            kind,
            decorators,
            span: start..self.pos,
            header: start..header_end,
        })
    }

    /// The type of a `param` or `output`: a type expression, or `resource 'type@version'`.
    fn declared_type(&mut self) -> PResult<()> {
        if self.eat_keyword("resource")? {
            self.string().map(drop)
        } else {
            self.type_expr()
        }
    }

    /// `name = value`
    fn name_equals_value(&mut self) -> PResult<(String, Expr)> {
        let (name, _) = self.ident()?;
        self.expect_punct("=")?;
        Ok((name, self.value()?))
    }

    /// The value after `=`, which may start on the next line.
    fn value(&mut self) -> PResult<Expr> {
        self.skip_newlines()?;
        self.expr()
    }

    fn resource(&mut self, decorators: Vec<Expr>, start: usize) -> PResult<Statement> {
        let (name, _) = self.ident()?;
        let type_string = self.string()?;
        let header_end = type_string.span.end;
        let existing = self.eat_keyword("existing")?;
        self.expect_punct("=")?;
        let value = self.declaration_body()?;
        let resource = Resource {
            name,
            type_string,
            existing,
            value,
        };
        Ok(Statement {
            kind: StatementKind::Resource(Box::new(resource)),
            decorators,
            span: start..self.pos,
            header: start..header_end,
        })
    }

    /// `{ ... }`, `if (cond) { ... }` or `[for ...: ...]`.
    fn declaration_body(&mut self) -> PResult<Expr> {
        self.skip_newlines()?;
        self.expr()
    }

    fn import(&mut self) -> PResult<StatementKind> {
        let imported = if self.eat_punct("*")? {
            if !self.eat_keyword("as")? {
                return Err(self.unexpected("`as`"));
            }
            Imported::Namespace(self.ident()?.0)
        } else if self.eat_punct("{")? {
            Imported::Names(self.imported_names()?)
        } else {
            // Legacy provider import: `import 'az@1.0.0' [with {...}] [as alias]`.
            self.string()?;
            if self.eat_keyword("with")? {
                self.object()?;
            }
            if self.eat_keyword("as")? {
                self.ident()?;
            }
            return Ok(StatementKind::Import {
                imported: Imported::Provider,
                from: None,
            });
        };
        if !self.eat_keyword("from")? {
            return Err(self.unexpected("`from`"));
        }
        let from = Some(self.string()?);
        Ok(StatementKind::Import { imported, from })
    }

    /// `a, b as c }`: each name as exported and as known here.
    fn imported_names(&mut self) -> PResult<Vec<(String, String)>> {
        let mut names = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.eat_punct("}")? {
                return Ok(names);
            }
            // A name that is not an identifier is quoted: `'not-an-identifier' as alias`.
            let exported = match self.peek()?.0 {
                Tok::Str => self.string()?.as_literal_str().unwrap_or_default(),
                _ => self.ident()?.0,
            };
            let local = match self.eat_keyword("as")? {
                true => self.ident()?.0,
                false => exported.clone(),
            };
            names.push((exported, local));
            self.skip_newlines()?;
            self.eat_punct(",")?;
        }
    }

    // ---- types (validated and skipped) ------------------------------------------------------

    fn type_expr(&mut self) -> PResult<()> {
        self.enter()?;
        // A union may start with `|`, also on the next line.
        if self.at_punct("|")? || self.newline_then("|")? {
            self.pos += 1;
            self.skip_newlines()?;
        }
        self.singular_type()?;
        while self.eat_punct("|")? || (self.newline_then("|")? && self.eat_punct("|")?) {
            self.skip_newlines()?;
            self.singular_type()?;
        }
        self.leave();
        Ok(())
    }

    fn singular_type(&mut self) -> PResult<()> {
        self.primary_type()?;
        loop {
            if self.at_punct("[")? {
                self.pos += 1;
                // `T[]`, `T[0]`, `T[*]`
                if !self.eat_punct("]")? {
                    if !self.eat_punct("*")? {
                        self.expect_int()?;
                    }
                    self.expect_punct("]")?;
                }
            } else if self.eat_punct("?")? || self.eat_punct("!")? {
                // `T?` nullable, `T!` not null.
            } else if self.eat_punct(".")? {
                if !self.eat_punct("*")? {
                    // `sys.resourceInput<'type@version'>`: a namespaced type function.
                    let (word, _) = self.ident()?;
                    if matches!(
                        word.as_str(),
                        "resourceInput" | "resourceOutput" | "resource"
                    ) && self.eat_punct("<")?
                    {
                        self.string()?;
                        self.expect_punct(">")?;
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    fn expect_int(&mut self) -> PResult<()> {
        match self.peek()? {
            (Tok::Int, len) => {
                self.pos += len;
                Ok(())
            }
            _ => Err(self.unexpected("a number")),
        }
    }

    fn primary_type(&mut self) -> PResult<()> {
        match self.peek()? {
            (Tok::Ident, len) => {
                let word = &self.src[self.pos..self.pos + len];
                self.pos += len;
                if matches!(word, "resourceInput" | "resourceOutput" | "resource")
                    && self.eat_punct("<")?
                {
                    self.string()?;
                    self.expect_punct(">")?;
                }
                Ok(())
            }
            (Tok::Int, _) => self.expect_int(),
            (Tok::Str, _) => self.string().map(drop),
            (Tok::Punct("-" | "!" | "+"), len) => {
                self.pos += len;
                self.primary_type()
            }
            (Tok::Punct("("), _) => {
                self.pos += 1;
                self.skip_newlines()?;
                self.type_expr()?;
                self.skip_newlines()?;
                self.expect_punct(")")
            }
            (Tok::Punct("{"), _) => self.object_type(),
            (Tok::Punct("["), _) => self.tuple_type(),
            _ => Err(self.unexpected("a type")),
        }
    }

    fn object_type(&mut self) -> PResult<()> {
        self.enter()?;
        self.expect_punct("{")?;
        loop {
            self.skip_newlines()?;
            if self.eat_punct("}")? {
                break;
            }
            self.decorators()?;
            if self.eat_punct("*")? {
                // `*: T` matches additional properties.
            } else if self.peek()?.0 == Tok::Str {
                self.string()?;
            } else {
                self.ident()?;
            }
            self.eat_punct("?")?;
            self.expect_punct(":")?;
            self.skip_newlines()?;
            self.type_expr()?;
            self.eat_punct(",")?;
        }
        self.leave();
        Ok(())
    }

    fn tuple_type(&mut self) -> PResult<()> {
        self.enter()?;
        self.expect_punct("[")?;
        loop {
            self.skip_newlines()?;
            if self.eat_punct("]")? {
                break;
            }
            self.decorators()?;
            self.type_expr()?;
            self.eat_punct(",")?;
        }
        self.leave();
        Ok(())
    }

    /// `(name type, ...)` of a user-defined function.
    fn typed_params(&mut self) -> PResult<Vec<String>> {
        self.expect_punct("(")?;
        let mut names = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.eat_punct(")")? {
                return Ok(names);
            }
            names.push(self.ident()?.0);
            self.type_expr()?;
            self.skip_newlines()?;
            self.eat_punct(",")?;
        }
    }

    // ---- expressions ----------------------------------------------------------------------

    fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let start = self.pos;
        let (cond, _) = self.binary(0)?;
        let saved = self.pos;
        let result =
            if self.at_punct("?")? || (self.continues_on_next_line()? && self.at_punct("?")?) {
                self.pos += 1;
                self.skip_newlines()?;
                let then = self.expr()?;
                if !self.at_punct(":")? {
                    self.continues_on_next_line()?;
                }
                self.expect_punct(":")?;
                self.skip_newlines()?;
                let otherwise = self.expr()?;
                Expr {
                    span: span_from(start, &otherwise),
                    kind: ExprKind::Ternary {
                        cond: Box::new(cond),
                        then: Box::new(then),
                        otherwise: Box::new(otherwise),
                    },
                }
            } else {
                self.pos = saved;
                cond
            };
        self.leave();
        Ok(result)
    }

    fn binary_op(&mut self) -> PResult<Option<(BinaryOp, u8, usize)>> {
        let (tok, len) = self.peek()?;
        let Tok::Punct(p) = tok else { return Ok(None) };
        let op = match p {
            "??" => (BinaryOp::Coalesce, 1),
            "||" => (BinaryOp::Or, 1),
            "&&" => (BinaryOp::And, 1),
            "==" => (BinaryOp::Equal, 2),
            "!=" => (BinaryOp::NotEqual, 2),
            "=~" => (BinaryOp::EqualIgnoreCase, 2),
            "!~" => (BinaryOp::NotEqualIgnoreCase, 2),
            "<" => (BinaryOp::Less, 3),
            "<=" => (BinaryOp::LessEqual, 3),
            ">" => (BinaryOp::Greater, 3),
            ">=" => (BinaryOp::GreaterEqual, 3),
            "+" => (BinaryOp::Add, 4),
            "-" => (BinaryOp::Subtract, 4),
            "*" => (BinaryOp::Multiply, 5),
            "/" => (BinaryOp::Divide, 5),
            "%" => (BinaryOp::Modulo, 5),
            _ => return Ok(None),
        };
        Ok(Some((op.0, op.1, len)))
    }

    /// Precedence climbing over the left-associative binary operators. Returns the expression
    /// with the most binary operators on any path through it.
    fn binary(&mut self, min_precedence: u8) -> PResult<(Expr, usize)> {
        let start = self.pos;
        let (mut lhs, mut lhs_depth) = self.operand()?;
        loop {
            let saved = self.pos;
            let mut op = self.binary_op()?;
            if op.is_none() && self.continues_on_next_line()? {
                op = self.binary_op()?;
            }
            let Some((op, precedence, len)) =
                op.filter(|(_, precedence, _)| *precedence > min_precedence)
            else {
                self.pos = saved;
                return Ok((lhs, lhs_depth));
            };
            let op_start = self.pos;
            self.pos += len;
            self.skip_newlines()?;
            let (rhs, rhs_depth) = self.binary(precedence)?;
            lhs_depth = lhs_depth.max(rhs_depth) + 1;
            if lhs_depth > MAX_OPERATOR_DEPTH {
                return Err(self.error_at(
                    op_start,
                    format!("more than {MAX_OPERATOR_DEPTH} chained binary operators"),
                ));
            }
            self.operator_depth = self.operator_depth.max(lhs_depth);
            lhs = Expr {
                span: span_from(start, &rhs),
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
            };
        }
    }

    /// An operand of a binary operator, with the most operators on a path through it (those of
    /// the expressions nested in it, e.g. in parentheses or arguments).
    fn operand(&mut self) -> PResult<(Expr, usize)> {
        let outer = std::mem::take(&mut self.operator_depth);
        let operand = self.unary();
        let depth = self.operator_depth;
        self.operator_depth = outer.max(depth);
        Ok((operand?, depth))
    }

    fn unary(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let op = match self.peek()? {
            (Tok::Punct("!"), _) => UnaryOp::Not,
            (Tok::Punct("-"), _) => UnaryOp::Minus,
            (Tok::Punct("+"), _) => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        self.pos += 1;
        self.enter()?;
        let expr = self.unary()?;
        self.leave();
        Ok(Expr {
            span: span_from(start, &expr),
            kind: ExprKind::Unary {
                op,
                expr: Box::new(expr),
            },
        })
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let mut expr = self.primary()?;
        loop {
            let (tok, len) = self.peek()?;
            let tok = match tok {
                Tok::Newline => {
                    // `.`, `.?` and `::` may continue on the next line; other operators are
                    // handled by the callers.
                    let saved = self.pos;
                    self.skip_newlines()?;
                    match self.peek()? {
                        (Tok::Punct(p @ ("." | ".?" | "::")), _) => Tok::Punct(p),
                        _ => {
                            self.pos = saved;
                            return Ok(expr);
                        }
                    }
                }
                other => other,
            };
            let len = if let Tok::Punct(p) = tok {
                p.len()
            } else {
                len
            };
            expr = match tok {
                Tok::Punct(p @ ("." | ".?")) => {
                    self.pos += len;
                    let (name, _) = self.ident()?;
                    Expr {
                        kind: ExprKind::Member {
                            base: Box::new(expr),
                            name: name.into(),
                            safe: p == ".?",
                        },
                        span: start..self.pos,
                    }
                }
                Tok::Punct("::") => {
                    self.pos += len;
                    let (name, _) = self.ident()?;
                    Expr {
                        kind: ExprKind::Child {
                            base: Box::new(expr),
                            name,
                        },
                        span: start..self.pos,
                    }
                }
                Tok::Punct("[") => {
                    self.pos += 1;
                    let safe = self.eat_punct("?")?;
                    self.eat_punct("^")?;
                    self.skip_newlines()?;
                    let index = self.expr()?;
                    self.skip_newlines()?;
                    self.expect_punct("]")?;
                    Expr {
                        kind: ExprKind::Index {
                            base: Box::new(expr),
                            index: Box::new(index),
                            safe,
                        },
                        span: start..self.pos,
                    }
                }
                Tok::Punct("(") => {
                    let args = self.arguments()?;
                    self.note_content_path(&expr, &args);
                    Expr {
                        kind: ExprKind::Call {
                            callee: Box::new(expr),
                            args,
                        },
                        span: start..self.pos,
                    }
                }
                // `x!` (non-null assertion) unless it is `!=` or `!~`, which are binary.
                Tok::Punct("!") => {
                    self.pos += 1;
                    Expr {
                        kind: ExprKind::NonNull(Box::new(expr)),
                        span: start..self.pos,
                    }
                }
                _ => return Ok(expr),
            };
        }
    }

    fn arguments(&mut self) -> PResult<Vec<Expr>> {
        self.expect_punct("(")?;
        let mut args = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.eat_punct(")")? {
                return Ok(args);
            }
            args.push(self.expr()?);
            self.skip_newlines()?;
            if !self.eat_punct(",")? {
                self.skip_newlines()?;
                self.expect_punct(")")?;
                return Ok(args);
            }
        }
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let (tok, len) = self.peek()?;
        match tok {
            Tok::Int => {
                self.pos += len;
                let value = self.src[start..self.pos]
                    .parse()
                    .map_err(|_| self.error_at(start, "integer out of range"))?;
                Ok(Expr {
                    kind: ExprKind::Int(value),
                    span: start..self.pos,
                })
            }
            Tok::Str => self.string(),
            Tok::Ident => {
                let word = &self.src[start..start + len];
                self.pos += len;
                let kind = match word {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    "null" => ExprKind::Null,
                    "if" if self.at_punct("(")? => return self.if_condition(start),
                    _ => {
                        if self.at_punct("=>")? {
                            self.pos += 2;
                            self.skip_newlines()?;
                            let body = self.expr()?;
                            return Ok(Expr {
                                span: span_from(start, &body),
                                kind: ExprKind::Lambda {
                                    params: vec![word.to_string()],
                                    body: Box::new(body),
                                },
                            });
                        }
                        ExprKind::Ident(word.to_string())
                    }
                };
                Ok(Expr {
                    kind,
                    span: start..self.pos,
                })
            }
            Tok::Punct("[") => self.array(),
            Tok::Punct("{") => self.object(),
            Tok::Punct("(") => self.paren_or_lambda(),
            _ => Err(self.unexpected("an expression")),
        }
    }

    fn if_condition(&mut self, start: usize) -> PResult<Expr> {
        self.expect_punct("(")?;
        self.skip_newlines()?;
        let cond = self.expr()?;
        self.skip_newlines()?;
        self.expect_punct(")")?;
        self.skip_newlines()?;
        let body = self.object()?;
        Ok(Expr {
            span: start..self.pos,
            kind: ExprKind::If {
                cond: Box::new(cond),
                body: Box::new(body),
            },
        })
    }

    fn paren_or_lambda(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.expect_punct("(")?;
        // `(a, b) => ...` or `() => ...`: try the parameter list first.
        let mut params = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.eat_punct(")")? {
                if self.eat_punct("=>")? {
                    self.skip_newlines()?;
                    let body = self.expr()?;
                    return Ok(Expr {
                        span: span_from(start, &body),
                        kind: ExprKind::Lambda {
                            params,
                            body: Box::new(body),
                        },
                    });
                }
                break;
            }
            match self.peek()? {
                (Tok::Ident, _) => {
                    params.push(self.ident()?.0);
                    self.skip_newlines()?;
                    if !self.eat_punct(",")? && !self.at_punct(")")? {
                        break;
                    }
                }
                _ => break,
            }
        }
        self.pos = start + 1;
        self.skip_newlines()?;
        self.enter()?;
        let inner = self.expr()?;
        self.leave();
        self.skip_newlines()?;
        self.expect_punct(")")?;
        Ok(Expr {
            kind: ExprKind::Paren(Box::new(inner)),
            span: start..self.pos,
        })
    }

    fn array(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.enter()?;
        self.expect_punct("[")?;
        self.skip_newlines()?;
        if self.eat_keyword("for")? {
            let result = self.for_expr(start);
            self.leave();
            return result;
        }
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.eat_punct("]")? {
                break;
            }
            let item = if self.eat_punct("...")? {
                ArrayItem::Spread(self.expr()?)
            } else {
                ArrayItem::Item(self.expr()?)
            };
            items.push(item);
            self.item_separator("]")?;
        }
        self.leave();
        Ok(Expr {
            kind: ExprKind::Array(items),
            span: start..self.pos,
        })
    }

    fn for_expr(&mut self, start: usize) -> PResult<Expr> {
        let (item, index) = if self.eat_punct("(")? {
            self.skip_newlines()?;
            let item = self.ident()?.0;
            self.skip_newlines()?;
            self.expect_punct(",")?;
            self.skip_newlines()?;
            let index = self.ident()?.0;
            self.skip_newlines()?;
            self.expect_punct(")")?;
            (item, Some(index))
        } else {
            (self.ident()?.0, None)
        };
        if !self.eat_keyword("in")? {
            return Err(self.unexpected("`in`"));
        }
        self.skip_newlines()?;
        let iterable = self.expr()?;
        self.skip_newlines()?;
        self.expect_punct(":")?;
        self.skip_newlines()?;
        let body = self.expr()?;
        self.skip_newlines()?;
        self.expect_punct("]")?;
        Ok(Expr {
            kind: ExprKind::For(Box::new(ForLoop {
                item,
                index,
                iterable,
                body,
            })),
            span: start..self.pos,
        })
    }

    fn object(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.enter()?;
        self.expect_punct("{")?;
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.eat_punct("}")? {
                break;
            }
            items.push(self.object_item()?);
            self.item_separator("}")?;
        }
        self.leave();
        // Exact: a huge template's tree is held whole.
        items.shrink_to_fit();
        Ok(Expr {
            kind: ExprKind::Object(items),
            span: start..self.pos,
        })
    }

    /// Items of arrays and objects are separated by `,` or a line break.
    fn item_separator(&mut self, close: &'static str) -> PResult<()> {
        if self.eat_punct(",")? {
            return Ok(());
        }
        match self.peek()? {
            (Tok::Newline, _) => Ok(()),
            (Tok::Punct(p), _) if p == close => Ok(()),
            _ => Err(self.unexpected(&format!("`,`, a line break or `{close}`"))),
        }
    }

    fn object_item(&mut self) -> PResult<ObjectItem> {
        if self.eat_punct("...")? {
            return Ok(ObjectItem::Spread(self.expr()?));
        }
        // A nested child resource: `resource name 'type' = ...`, possibly decorated.
        let saved = self.pos;
        if self.at_punct("@")? || self.at_keyword("resource")? {
            let decorators = self.decorators()?;
            let start = self.pos;
            if self.eat_keyword("resource")? && self.peek()?.0 == Tok::Ident {
                return Ok(ObjectItem::Resource(Box::new(
                    self.resource(decorators, start)?,
                )));
            }
            self.pos = saved;
        }
        let key_start = self.pos;
        let key = match self.peek()? {
            (Tok::Ident, _) => PropertyKey::Name(self.ident()?.0),
            (Tok::Str, _) => {
                let key = self.string()?;
                match key.as_literal_str() {
                    Some(name) => PropertyKey::Name(name),
                    None => PropertyKey::Expr(Box::new(key)),
                }
            }
            _ => return Err(self.unexpected("a property name")),
        };
        let key_span = key_start..self.pos;
        self.expect_punct(":")?;
        self.skip_newlines()?;
        let value = self.expr()?;
        Ok(ObjectItem::Property(Property {
            key,
            key_span,
            value,
        }))
    }

    /// `'...'` with escapes and `${}` interpolation, `'''...'''` verbatim, and
    /// `$'''...${}...'''` (as many `$` as the interpolation marker needs).
    fn string(&mut self) -> PResult<Expr> {
        self.skip_trivia()?;
        let start = self.pos;
        let dollars = self.bytes[self.pos..]
            .iter()
            .take_while(|b| **b == b'$')
            .count();
        if self.bytes[self.pos + dollars..].starts_with(b"'''") {
            return self.multiline_string(start, dollars);
        }
        if self.bytes.get(self.pos) != Some(&b'\'') {
            return Err(self.unexpected("a string"));
        }
        self.pos += 1;
        let mut parts = Vec::new();
        let mut literal = String::new();
        loop {
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Err(self.error_at(start, "unterminated string"));
            };
            match byte {
                b'\'' => {
                    self.pos += 1;
                    break;
                }
                b'\n' | b'\r' => return Err(self.error_at(start, "unterminated string (strings end on the same line; use ''' for multi-line strings)")),
                b'\\' => {
                    let escape = self.bytes.get(self.pos + 1).copied();
                    self.pos += 2;
                    match escape {
                        Some(b'\'') => literal.push('\''),
                        Some(b'\\') => literal.push('\\'),
                        Some(b'n') => literal.push('\n'),
                        Some(b'r') => literal.push('\r'),
                        Some(b't') => literal.push('\t'),
                        Some(b'$') => literal.push('$'),
                        Some(b'u') if self.bytes.get(self.pos) == Some(&b'{') => {
                            let c = self.unicode_escape()?;
                            literal.push(c);
                        }
                        _ => return Err(self.error_at(self.pos - 2, "invalid escape sequence")),
                    }
                }
                b'$' if self.bytes.get(self.pos + 1) == Some(&b'{') => {
                    self.pos += 2;
                    if !literal.is_empty() {
                        parts.push(StringPart::Literal(std::mem::take(&mut literal)));
                    }
                    self.skip_newlines()?;
                    parts.push(StringPart::Interpolation(self.expr()?));
                    self.skip_newlines()?;
                    self.expect_punct("}")?;
                }
                _ => {
                    let run = self.bytes[self.pos..]
                        .iter()
                        .position(|b| matches!(b, b'\'' | b'\\' | b'$' | b'\n' | b'\r'))
                        .map_or(self.bytes.len() - self.pos, |n| n.max(1));
                    literal.push_str(&self.src[self.pos..self.pos + run]);
                    self.pos += run;
                }
            }
        }
        if !literal.is_empty() || parts.is_empty() {
            parts.push(StringPart::Literal(literal));
        }
        parts.shrink_to_fit();
        Ok(Expr {
            kind: ExprKind::String(parts),
            span: start..self.pos,
        })
    }

    fn multiline_string(&mut self, start: usize, dollars: usize) -> PResult<Expr> {
        self.pos += dollars + 3;
        // A line break right after the opening quotes is not part of the value.
        if self.bytes[self.pos..].starts_with(b"\r\n") {
            self.pos += 2;
        } else if self.bytes.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
        }
        let marker = format!("{}{{", "$".repeat(dollars));
        let mut parts = Vec::new();
        let mut literal = String::new();
        loop {
            let rest = &self.src[self.pos..];
            let close = rest.find("'''");
            let interpolation = if dollars > 0 {
                rest.find(&marker)
            } else {
                None
            };
            match (close, interpolation) {
                (None, _) => return Err(self.error_at(start, "unterminated multi-line string")),
                (Some(close), Some(open)) if open < close => {
                    literal.push_str(&rest[..open]);
                    self.pos += open + marker.len();
                    if !literal.is_empty() {
                        parts.push(StringPart::Literal(std::mem::take(&mut literal)));
                    }
                    self.skip_newlines()?;
                    parts.push(StringPart::Interpolation(self.expr()?));
                    self.skip_newlines()?;
                    self.expect_punct("}")?;
                }
                (Some(close), _) => {
                    // `''''` ends with the last three quotes: a quote may end the content.
                    let extra = rest[close + 3..]
                        .bytes()
                        .take_while(|b| *b == b'\'')
                        .count();
                    literal.push_str(&rest[..close + extra]);
                    self.pos += close + extra + 3;
                    break;
                }
            }
        }
        if !literal.is_empty() || parts.is_empty() {
            parts.push(StringPart::Literal(literal));
        }
        parts.shrink_to_fit();
        Ok(Expr {
            kind: ExprKind::String(parts),
            span: start..self.pos,
        })
    }
}

fn span_from(start: usize, end: &Expr) -> Span {
    start..end.span.end
}
