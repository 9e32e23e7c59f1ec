//! JSON with comments, read by jsonc-parser into an owned tree that keeps every byte range:
//! what ARM templates, Terraform plans and Terraform's JSON syntax are read from.

use std::ops::Range;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged as _;

use crate::frontend::SyntaxError;

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
    String(String),
    Array(Vec<Json>),
    /// Properties in order, each with the range of `"key": value`.
    Object(Vec<Property>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: String,
    /// `"key"`, quotes included.
    pub key_span: Range<usize>,
    pub span: Range<usize>,
    pub value: Json,
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

pub fn parse(text: &str) -> Result<Option<Json>, SyntaxError> {
    let options = jsonc_parser::ParseOptions::default();
    let collect = jsonc_parser::CollectOptions::default();
    let result = jsonc_parser::parse_to_ast(text, &collect, &options).map_err(|error| {
        let message = error.to_string();
        // The position is reported separately; keep the parser's own words.
        let message = message
            .split(" on line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        SyntaxError {
            offset: error.range().start,
            message,
        }
    })?;
    Ok(result.value.map(convert))
}

/// The parser's tree in ours, taken apart as it is converted: a huge template's two trees are
/// not both whole at once.
fn convert(value: ast::Value<'_>) -> Json {
    match value {
        ast::Value::StringLit(s) => Json {
            span: range(&s.range),
            kind: JsonKind::String(s.value.into_owned()),
        },
        ast::Value::NumberLit(n) => Json {
            span: range(&n.range),
            kind: n.value.parse().map_or(JsonKind::Null, JsonKind::Number),
        },
        ast::Value::BooleanLit(b) => Json {
            span: range(&b.range),
            kind: JsonKind::Bool(b.value),
        },
        ast::Value::NullKeyword(n) => Json {
            span: range(&n.range),
            kind: JsonKind::Null,
        },
        ast::Value::Array(array) => Json {
            span: range(&array.range),
            kind: JsonKind::Array(array.elements.into_iter().map(convert).collect()),
        },
        ast::Value::Object(object) => Json {
            span: range(&object.range),
            kind: JsonKind::Object(
                object
                    .properties
                    .into_iter()
                    .map(|p| Property {
                        key_span: range(&p.name.range()),
                        key: p.name.into_string(),
                        span: range(&p.range),
                        value: convert(p.value),
                    })
                    .collect(),
            ),
        },
    }
}

fn range(range: &jsonc_parser::common::Range) -> Range<usize> {
    range.start..range.end
}
