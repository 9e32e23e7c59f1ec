//! The Bicep syntax tree: what the model needs, with byte spans. Type expressions are parsed
//! (to validate and skip them) but not kept.

use std::ops::Range;

pub type Span = Range<usize>;

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub statements: Vec<Statement>,
    /// `//` and `/* */` comments and `#` directives (`#disable-next-line`), in source order:
    /// what suppressions are read from.
    pub comments: Vec<Span>,
    /// The literal paths of the files it reads as content (`loadTextContent('x.txt')`,
    /// `loadJsonContent`, `loadYamlContent`), noted while parsing: read before evaluation.
    pub content_paths: Vec<String>,
}

/// The functions that read a file as content, with the path as their first argument.
pub const CONTENT_FUNCTIONS: [&str; 3] = ["loadTextContent", "loadJsonContent", "loadYamlContent"];

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub decorators: Vec<Expr>,
    /// From the keyword to the end of the statement.
    pub span: Span,
    /// The declaration header (`resource name 'type@version'`): where findings about a missing
    /// property point.
    pub header: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    TargetScope(Expr),
    Metadata {
        name: String,
        value: Expr,
    },
    /// `param name type = default` in templates, `param name = value` in `.bicepparam` files.
    Param {
        name: String,
        default: Option<Expr>,
        /// The declared type as written (`string`, `secretToSetType[]`); none in `.bicepparam`.
        type_text: Option<String>,
    },
    Var {
        name: String,
        value: Expr,
    },
    Output {
        name: String,
        value: Expr,
    },
    Type {
        name: String,
    },
    /// A user-defined function: `func name(a string, b int) string => body`.
    Func {
        name: String,
        params: Vec<String>,
        body: Expr,
    },
    Resource(Box<Resource>),
    Module {
        name: String,
        path: Expr,
        value: Expr,
    },
    /// `import { a, b as c } from 'file.bicep'`, `import * as ns from 'file.bicep'`, or a
    /// provider (`import 'az@1.0.0'`: `from` none).
    Import {
        imported: Imported,
        from: Option<Expr>,
    },
    Extension,
    Using {
        path: Option<Expr>,
    },
    /// `extends 'base.bicepparam'`: a parameters file taking the values of another.
    Extends {
        path: Expr,
    },
    Assert {
        name: String,
        value: Expr,
    },
    Test {
        name: String,
        value: Expr,
    },
}

impl Statement {
    /// The arguments of the statement's decorator `@name(...)` (or `@sys.name(...)`).
    pub fn decorator(&self, name: &str) -> Option<&[Expr]> {
        self.decorators
            .iter()
            .find_map(|decorator| match &decorator.kind {
                ExprKind::Call { callee, args } => match &callee.kind {
                    ExprKind::Ident(called) if called == name => Some(args.as_slice()),
                    ExprKind::Member { name: called, .. } if &**called == name => {
                        Some(args.as_slice())
                    }
                    _ => None,
                },
                _ => None,
            })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub name: String,
    /// `'Microsoft.CognitiveServices/accounts@2024-10-01'` (may be interpolated).
    pub type_string: Expr,
    pub existing: bool,
    /// An object, `if (cond) { ... }`, or `[for ...: ...]`.
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// Integers as written (Bicep has no floating point literals).
    Int(i64),
    String(Vec<StringPart>),
    Ident(String),
    Array(Vec<ArrayItem>),
    Object(Vec<ObjectItem>),
    Member {
        base: Box<Expr>,
        name: Box<str>,
        safe: bool,
    },
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `expr!`
    NonNull(Box<Expr>),
    /// `parent::child`
    Child {
        base: Box<Expr>,
        name: String,
    },
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// Boxed, as the rarest and largest kind: every expression is the size of the largest.
    For(Box<ForLoop>),
    If {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    Lambda {
        params: Vec<String>,
        body: Box<Expr>,
    },
    Paren(Box<Expr>),
}

/// `[for item in iterable: body]` or `[for (item, index) in iterable: body]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForLoop {
    pub item: String,
    pub index: Option<String>,
    pub iterable: Expr,
    pub body: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StringPart {
    Literal(String),
    Interpolation(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArrayItem {
    Item(Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectItem {
    Property(Property),
    Spread(Expr),
    /// A child resource declared inside its parent's body.
    Resource(Box<Statement>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub key: PropertyKey,
    pub key_span: Span,
    pub value: Expr,
}

impl Property {
    /// Key to end of value.
    pub fn span(&self) -> Span {
        self.key_span.start..self.value.span.end
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PropertyKey {
    Name(String),
    /// A string key with interpolation.
    Expr(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Minus,
    Plus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Coalesce,
    Or,
    And,
    Equal,
    NotEqual,
    EqualIgnoreCase,
    NotEqualIgnoreCase,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

impl Expr {
    /// The text of a string without interpolation.
    pub fn as_literal_str(&self) -> Option<String> {
        match &self.kind {
            ExprKind::String(parts) => match parts.as_slice() {
                [] => Some(String::new()),
                [StringPart::Literal(text)] => Some(text.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The properties of an object literal.
    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        let items = match &self.kind {
            ExprKind::Object(items) => items.as_slice(),
            _ => &[],
        };
        items.iter().filter_map(|item| match item {
            ObjectItem::Property(property) => Some(property),
            _ => None,
        })
    }

    /// The object of a declaration's value: `{...}`, `if (c) {...}` or `[for ...: {...}]`.
    pub fn declaration_body(&self) -> Option<&Expr> {
        match &self.kind {
            ExprKind::Object(_) => Some(self),
            ExprKind::If { body, .. } => body.declaration_body(),
            ExprKind::For(for_loop) => for_loop.body.declaration_body(),
            _ => None,
        }
    }

    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties()
            .find(|p| matches!(&p.key, PropertyKey::Name(n) if n == name))
    }
}

/// What an `import` statement brings in.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    /// Exported names, each `(name in the file, name here)`.
    Names(Vec<(String, String)>),
    /// Every export, under a namespace: `* as ns`.
    Namespace(String),
    /// A provider or extension: nothing to evaluate.
    Provider,
}
