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

/// Where a block's arguments are written: what a Terraform plan's values are found at in the
/// configuration that produced them.
#[derive(Debug, Clone)]
pub struct Written {
    pub header: Span,
    pub extent: Span,
    pub attributes: std::collections::HashMap<String, Span>,
    /// Nested blocks by type, in order.
    pub blocks: std::collections::HashMap<String, Vec<Written>>,
}

impl Written {
    pub fn of(file: FileId, block: &hcl_edit::structure::Block) -> Written {
        let mut written = Written {
            header: block_header(file, block),
            extent: block_extent(file, block),
            attributes: Default::default(),
            blocks: Default::default(),
        };
        for attribute in block.body.attributes() {
            if let Some(range) = attribute.span() {
                let key = attribute.key.as_str().to_string();
                written.attributes.insert(key, Span::new(file, range));
            }
        }
        for nested in block.body.blocks() {
            let key = nested.ident.as_str().to_string();
            written
                .blocks
                .entry(key)
                .or_default()
                .push(Written::of(file, nested));
        }
        written
    }
}

/// The `resource` blocks of a module's files by `type.name`.
pub fn resource_blocks(files: &[super::ParsedFile]) -> std::collections::HashMap<String, Written> {
    let mut blocks = std::collections::HashMap::new();
    for file in files {
        for block in file
            .body
            .blocks()
            .filter(|b| b.ident.as_str() == "resource")
        {
            if let [type_name, name] = block.labels.as_slice() {
                let key = format!("{}.{}", type_name.as_str(), name.as_str());
                blocks
                    .entry(key)
                    .or_insert_with(|| Written::of(file.id, block));
            }
        }
        // A huge file's blocks parsed when read: one at a time.
        for (dropped, deferred) in file.dropped.iter().flat_map(|dropped| {
            dropped
                .deferred
                .iter()
                .map(move |deferred| (dropped, deferred))
        }) {
            if let std::collections::hash_map::Entry::Vacant(entry) =
                blocks.entry(deferred.address())
                && let Some(block) = dropped.parse(deferred)
            {
                entry.insert(Written::of(file.id, &block));
            }
        }
    }
    blocks
}
