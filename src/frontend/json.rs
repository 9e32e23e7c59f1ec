//! JSON with comments, read with jsonc-parser's scanner into an owned tree that keeps every byte
//! range: what ARM templates, Terraform plans and Terraform's JSON syntax are read from.

use std::ops::Range;
use std::sync::Arc;

#[cfg(test)]
use jsonc_parser::ast;
#[cfg(test)]
use jsonc_parser::common::Ranged as _;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::tokens::Token;
use jsonc_parser::{Scanner, ScannerOptions};

use crate::frontend::SyntaxError;
use crate::source::SharedTexts;

/// A value and its byte range. Kept small: a huge template's tree is held whole while it is
/// read, so strings and keys are shared (one copy of each text per file) and lists are exact.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub span: Range<usize>,
    pub kind: JsonKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    Number(f64),
    String(Arc<str>),
    Array(Box<[Json]>),
    /// Properties in order.
    Object(Box<[Property]>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: Arc<str>,
    /// `"key"`, quotes included.
    pub key_span: Range<usize>,
    pub value: Json,
}

impl Property {
    /// The range of `"key": value`.
    pub fn span(&self) -> Range<usize> {
        self.key_span.start..self.value.span.end
    }
}

impl Json {
    /// A property, matched case-insensitively as ARM does.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.property(key).map(|p| &p.value)
    }

    pub fn property(&self, key: &str) -> Option<&Property> {
        match &self.kind {
            JsonKind::Object(properties) => {
                properties.iter().find(|p| p.key.eq_ignore_ascii_case(key))
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn properties(&self) -> &[Property] {
        match &self.kind {
            JsonKind::Object(properties) => properties,
            _ => &[],
        }
    }
}

/// The elements of an array; none for anything else, or for nothing.
pub fn array(json: Option<&Json>) -> &[Json] {
    match json.map(|j| &j.kind) {
        Some(JsonKind::Array(items)) => items,
        _ => &[],
    }
}

/// The tree of `text`, built straight from jsonc-parser's scanner with the rules of its
/// `parse_to_ast` and default options (comments, trailing and missing commas, unquoted keys):
/// its own tree is several times the size of the text, and on a huge template it was the peak.
pub fn parse(text: &str) -> Result<Option<Json>, SyntaxError> {
    let mut parser = Parser {
        scanner: Scanner::new(text, &ScannerOptions::default()),
        open: Vec::new(),
        texts: SharedTexts::default(),
    };
    let Some(token) = parser.next()? else {
        return Ok(None);
    };
    let root = parser.value(token)?;
    match parser.next()? {
        Some(_) => Err(parser.at_token(ParseErrorKind::MultipleRootJsonValues)),
        None => Ok(Some(root)),
    }
}

/// How deep objects, arrays and properties may nest, as in `parse_to_ast`: the parser recurses.
const MAX_NESTING: usize = 512;

struct Parser<'t> {
    scanner: Scanner<'t>,
    /// Where each object, array and property being read starts, innermost last.
    open: Vec<usize>,
    /// One copy of each key and string: templates repeat most of theirs.
    texts: SharedTexts,
}

impl<'t> Parser<'t> {
    /// The next token that is not a comment.
    fn next(&mut self) -> Result<Option<Token<'t>>, SyntaxError> {
        loop {
            match self.scanner.scan().map_err(scan_error)? {
                Some(Token::CommentLine(_) | Token::CommentBlock(_)) => {}
                token => return Ok(token),
            }
        }
    }

    fn value(&mut self, token: Token<'t>) -> Result<Json, SyntaxError> {
        if self.open.len() > MAX_NESTING {
            return Err(self.at_open(ParseErrorKind::NestingDepthExceeded));
        }
        let span = self.scanner.token_start()..self.scanner.token_end();
        let kind = match token {
            Token::OpenBrace => return self.object(span.start),
            Token::OpenBracket => return self.array(span.start),
            Token::String(text) => JsonKind::String(self.texts.get(&text)),
            Token::Boolean(value) => JsonKind::Bool(value),
            Token::Number(text) => text.parse().map_or(JsonKind::Null, JsonKind::Number),
            Token::Null => JsonKind::Null,
            Token::CloseBracket => {
                return Err(self.at_token(ParseErrorKind::UnexpectedCloseBracket));
            }
            Token::CloseBrace => return Err(self.at_token(ParseErrorKind::UnexpectedCloseBrace)),
            Token::Comma => return Err(self.at_token(ParseErrorKind::UnexpectedComma)),
            Token::Colon => return Err(self.at_token(ParseErrorKind::UnexpectedColon)),
            Token::Word(_) | Token::CommentLine(_) | Token::CommentBlock(_) => {
                return Err(self.at_token(ParseErrorKind::UnexpectedWord));
            }
        };
        Ok(Json { span, kind })
    }

    fn object(&mut self, start: usize) -> Result<Json, SyntaxError> {
        self.open.push(start);
        let mut properties = Vec::new();
        let mut token = self.next()?;
        loop {
            let key = match token {
                Some(Token::CloseBrace) => break,
                None => return Err(self.at_open(ParseErrorKind::UnterminatedObject)),
                Some(Token::String(key)) => self.texts.get(&key),
                Some(other) => match loose_key(&other) {
                    Some(key) => self.texts.get(key),
                    None => return Err(self.at_token(ParseErrorKind::UnexpectedTokenInObject)),
                },
            };
            properties.push(self.property(key)?);
            token = self.after_item()?;
        }
        self.open.pop();
        let span = start..self.scanner.token_end();
        Ok(Json {
            span,
            kind: JsonKind::Object(properties.into_boxed_slice()),
        })
    }

    /// A property whose key is the current token.
    fn property(&mut self, key: Arc<str>) -> Result<Property, SyntaxError> {
        let key_span = self.scanner.token_start()..self.scanner.token_end();
        self.open.push(key_span.start);
        if !matches!(self.next()?, Some(Token::Colon)) {
            return Err(self.at_token(ParseErrorKind::ExpectedColonAfterObjectKey));
        }
        let Some(token) = self.next()? else {
            return Err(self.at_token(ParseErrorKind::ExpectedObjectValue));
        };
        let value = self.value(token)?;
        self.open.pop();
        Ok(Property {
            key,
            key_span,
            value,
        })
    }

    fn array(&mut self, start: usize) -> Result<Json, SyntaxError> {
        self.open.push(start);
        let mut elements = Vec::new();
        let mut token = self.next()?;
        loop {
            match token {
                Some(Token::CloseBracket) => break,
                None => return Err(self.at_open(ParseErrorKind::UnterminatedArray)),
                Some(token) => elements.push(self.value(token)?),
            }
            token = self.after_item()?;
        }
        self.open.pop();
        let span = start..self.scanner.token_end();
        Ok(Json {
            span,
            kind: JsonKind::Array(elements.into_boxed_slice()),
        })
    }

    /// The token after an element or property, past its comma; a missing comma is allowed.
    fn after_item(&mut self) -> Result<Option<Token<'t>>, SyntaxError> {
        match self.next()? {
            Some(Token::Comma) => self.next(),
            token => Ok(token),
        }
    }

    fn at_token(&self, kind: ParseErrorKind) -> SyntaxError {
        syntax_error(self.scanner.token_start(), &kind)
    }

    /// At the start of the innermost object, array or property being read.
    fn at_open(&self, kind: ParseErrorKind) -> SyntaxError {
        let start = self.open.last().copied().unwrap_or(0);
        syntax_error(start, &kind)
    }
}

/// A token that may stand as an unquoted key (JSON5 allows `true`, `false` and `null` too).
fn loose_key<'t>(token: &Token<'t>) -> Option<&'t str> {
    match token {
        Token::Word(text) | Token::Number(text) => Some(text),
        Token::Boolean(true) => Some("true"),
        Token::Boolean(false) => Some("false"),
        Token::Null => Some("null"),
        _ => None,
    }
}

fn syntax_error(offset: usize, kind: &ParseErrorKind) -> SyntaxError {
    SyntaxError {
        offset,
        message: kind.to_string(),
    }
}

/// The scanner's error in its own words; the position is reported separately.
fn scan_error(error: jsonc_parser::errors::ParseError) -> SyntaxError {
    SyntaxError {
        offset: error.range().start,
        message: error.kind().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// jsonc-parser's own tree, in ours: what [`parse`] must give.
    fn reference(text: &str) -> Result<Option<Json>, SyntaxError> {
        let options = jsonc_parser::ParseOptions::default();
        let collect = jsonc_parser::CollectOptions::default();
        let result =
            jsonc_parser::parse_to_ast(text, &collect, &options).map_err(|error| SyntaxError {
                offset: error.range().start,
                message: error.kind().to_string(),
            })?;
        Ok(result.value.map(convert))
    }

    fn convert(value: ast::Value<'_>) -> Json {
        let span = |range: jsonc_parser::common::Range| range.start..range.end;
        match value {
            ast::Value::StringLit(s) => Json {
                span: span(s.range),
                kind: JsonKind::String(s.value.as_ref().into()),
            },
            ast::Value::NumberLit(n) => Json {
                span: span(n.range),
                kind: n.value.parse().map_or(JsonKind::Null, JsonKind::Number),
            },
            ast::Value::BooleanLit(b) => Json {
                span: span(b.range),
                kind: JsonKind::Bool(b.value),
            },
            ast::Value::NullKeyword(n) => Json {
                span: span(n.range),
                kind: JsonKind::Null,
            },
            ast::Value::Array(array) => Json {
                span: span(array.range),
                kind: JsonKind::Array(array.elements.into_iter().map(convert).collect()),
            },
            ast::Value::Object(object) => Json {
                span: span(object.range),
                kind: JsonKind::Object(
                    object
                        .properties
                        .into_iter()
                        .map(|p| {
                            let property = Property {
                                key_span: span(p.name.range()),
                                key: p.name.into_string().into(),
                                value: convert(p.value),
                            };
                            assert_eq!(property.span(), span(p.range));
                            property
                        })
                        .collect(),
                ),
            },
        }
    }

    #[test]
    fn the_tree_and_the_errors_are_jsonc_parsers() {
        let deep_array = "[".repeat(600);
        let deep_object = "{\"a\":".repeat(300);
        let cases = [
            "",
            "  // only a comment\n",
            "null",
            r#"{"a": 1, "b": [true, false, null, "x\u00e9\n"], c: {d: -1.5e3}}"#,
            r#"{"a": 1,}"#,
            r#"[1, 2,]"#,
            r#"{"a": 1 "b": 2}"#,
            r#"[1 2 3]"#,
            r#"{ true: 1, null: 2, 12: 3, word: 4 }"#,
            r#"{'single': 'quoted', "hex": 0x1F, "inf": Infinity, "plus": +1, "bare": .5}"#,
            "/* block */ {\"a\" /* in */ : /* between */ 1} // after",
            "[][]",
            "{",
            "[",
            "{ [] }",
            "{ asdf asdf: 5 }",
            "[:]",
            "/* test",
            "\" test",
            r#"{"a": }"#,
            r#"{"a" 1}"#,
            r#"{"a":"#,
            r#"{"a": 1"#,
            r#"[1, ]]"#,
            "[word]",
            "}",
            "]",
            ",",
            ":",
            "{\"\u{1F600}\": \"é\", \"k\": [ {}, [], \"\" ]}",
            "\"\\q\"",
            "-",
            "1.",
            "tru",
            &deep_array,
            &deep_object,
        ];
        for text in cases {
            assert_eq!(parse(text), reference(text), "{text:?}");
        }
    }
}
