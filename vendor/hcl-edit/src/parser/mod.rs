//! An HCL parser which keeps track of whitespace, comments and span information.

mod error;
mod expr;
mod nesting;
mod number;
mod pratt;
mod repr;
mod state;
mod string;
mod structure;
mod template;
#[cfg(test)]
mod tests;
mod trivia;

pub use self::error::{Error, Location};
use self::expr::root_expr;
use self::structure::{body, filtered_body};
use self::template::template;
use crate::expr::Expression;
use crate::structure::{Body, Structure};
use crate::template::Template;

mod prelude {
    pub(super) use winnow::error::{ContextError, StrContext, StrContextValue};
    pub(super) use winnow::stream::Stream;
    pub(super) use winnow::{dispatch, ModalParser, ModalResult, Parser};

    pub(super) type Input<'a> =
        winnow::stream::Stateful<winnow::stream::LocatingSlice<&'a str>, NestingState>;

    use super::nesting::NestingState;

    /// Creates a new parser input from `s`.
    pub(super) fn new_input(s: &str) -> Input<'_> {
        Input {
            input: winnow::stream::LocatingSlice::new(s),
            state: NestingState::default(),
        }
    }
}

use self::prelude::*;

/// Parse an input into a [`Body`].
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL body.
pub fn parse_body(input: &str) -> Result<Body, Error> {
    let mut body = parse_complete(input, body)?;
    body.despan(input);
    Ok(body)
}

/// Parse an input into a [`Body`] whose whitespace and comments stay spans of the input
/// (aoai-lint: the tree is read, never printed, so copying every decor string is wasted).
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL body.
pub fn parse_body_spanned(input: &str) -> Result<Body, Error> {
    parse_complete(input, body)
}

/// Parse an input into a [`Body`] of the top-level structures `keep` accepts, as
/// [`parse_body_spanned`] does; the others are dropped as soon as they are parsed (aoai-lint:
/// the whole tree of a huge file is twenty times its size).
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL body.
pub fn parse_body_filtered<'a>(
    input: &'a str,
    keep: &'a mut dyn FnMut(&Structure) -> bool,
) -> Result<Body, Error> {
    // The parser runs once: the filter is handed to the top-level body.
    let mut keep = Some(keep);
    let mut parser = move |input: &mut Input<'a>| match keep.take() {
        Some(keep) => filtered_body(input, keep),
        None => body(input),
    };
    parser
        .parse(new_input(input))
        .map_err(|err| Error::from_parse_error(&err))
}

/// Parse the structures that `range` of `input` holds, with spans into `input`, as
/// [`parse_body_spanned`] does (aoai-lint: to parse again a structure that
/// [`parse_body_filtered`] dropped). `None` when the range is not within the input or does not
/// hold a valid HCL body.
pub fn parse_body_at(input: &str, range: std::ops::Range<usize>) -> Option<Body> {
    let text = input.get(..range.end)?;
    text.get(range.start..)?;
    let mut stream = new_input(text);
    stream.next_slice(range.start);
    body.parse(stream).ok()
}

/// Parse an input into an [`Expression`].
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL expression.
pub fn parse_expr(input: &str) -> Result<Expression, Error> {
    let mut expr = parse_complete(input, root_expr)?;
    expr.despan(input);
    Ok(expr)
}

/// Parse an input into a [`Template`].
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL template.
pub fn parse_template(input: &str) -> Result<Template, Error> {
    let mut template = parse_complete(input, template)?;
    template.despan(input);
    Ok(template)
}

fn parse_complete<'a, P, O>(input: &'a str, mut parser: P) -> Result<O, Error>
where
    P: ModalParser<Input<'a>, O, ContextError>,
{
    let input = new_input(input);

    parser
        .parse(input)
        .map_err(|err| Error::from_parse_error(&err))
}
