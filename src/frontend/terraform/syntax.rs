//! Where a block is, for findings: helpers over hcl-edit's syntax tree that the extractors
//! of resources and of key exposures share.

use hcl_edit::Span as _;

use crate::source::{FileId, Span};

/// The whole block, header to closing brace.
pub fn block_extent(file: FileId, block: &hcl_edit::structure::Block) -> Span {
    let header = block_header(file, block);
    match block.span() {
        Some(range) => Span::new(file, range),
        None => header,
    }
}

/// `resource "type" "name"` or `module "name"`: where findings about missing attributes point.
pub fn block_header(file: FileId, block: &hcl_edit::structure::Block) -> Span {
    let start = block.ident.span().map_or(0, |s| s.start);
    let end = block
        .labels
        .last()
        .and_then(|label| label.span())
        .or_else(|| block.ident.span())
        .map_or(start, |s| s.end);
    Span::new(file, start..end)
}
