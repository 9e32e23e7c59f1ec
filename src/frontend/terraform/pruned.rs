//! The tree of a huge `.tf` file, pruned as it is parsed: held whole, hcl-edit's tree is 13 to
//! 20 times the text (a 48 MiB file of storage accounts took 620 MiB). A `resource` block of a
//! type the front-end never reads is dropped as soon as it is parsed, unless an expression that
//! is kept refers to it (the evaluator follows `type.name.attribute` into the block): those are
//! parsed again, until every reference is met. Another file of the module may refer to a
//! dropped block too: the module's files are searched for references when it is loaded, and
//! those blocks parsed again there ([`revive_referenced`]). Nothing is lost: what is dropped
//! could not change a verdict.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::visit::{Visit, visit_traversal};
use hcl_edit::{SetSpan, Span};

use super::ParsedFile;

/// Files from this size on are parsed pruned. `AOAI_LINT_PRUNE_FROM_BYTES` sets another size
/// (tests set 0, to prune every file and compare the verdicts with a whole parse).
const PRUNE_FROM_BYTES: usize = 8 << 20;

pub fn prune_from_bytes() -> usize {
    static FROM: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *FROM.get_or_init(|| {
        std::env::var("AOAI_LINT_PRUNE_FROM_BYTES")
            .ok()
            .and_then(|bytes| bytes.parse().ok())
            .unwrap_or(PRUNE_FROM_BYTES)
    })
}

/// The names of expressions that are not resources.
const NOT_RESOURCES: [&str; 9] = [
    "var",
    "local",
    "data",
    "module",
    "each",
    "count",
    "self",
    "path",
    "terraform",
];

/// The resource blocks of a file that its pruned parse dropped and that no expression of the
/// file refers to: another file of its module may.
pub struct Dropped {
    text: Arc<String>,
    /// By address, in the file's order.
    spans: HashMap<String, Vec<Range<usize>>>,
}

/// `text`'s tree without the resource blocks nothing reads, and those blocks. `reads` says
/// which resource types the front-end reads.
pub fn parse_pruned(
    text: &Arc<String>,
    reads: impl Fn(&str) -> bool,
) -> Result<(Body, Dropped), hcl_edit::parser::Error> {
    let mut dropped: HashMap<String, Vec<Range<usize>>> = HashMap::new();
    let mut keep = |structure: &Structure| match unread_resource(structure, &reads) {
        Some((address, span)) => {
            dropped.entry(address).or_default().push(span);
            false
        }
        None => true,
    };
    let body = hcl_edit::parser::parse_body_filtered(text, &mut keep)?;
    let mut referenced = References::default();
    referenced.visit_body(&body);
    let mut revived = Vec::new();
    while let Some(address) = referenced.addresses.pop() {
        for span in dropped.remove(&address).unwrap_or_default() {
            let Some(again) = hcl_edit::parser::parse_body_at(text, span) else {
                continue;
            };
            referenced.visit_body(&again);
            revived.extend(again);
        }
    }
    let dropped = Dropped {
        text: text.clone(),
        spans: dropped,
    };
    if revived.is_empty() {
        return Ok((body, dropped));
    }
    let span = body.span();
    let mut structures: Vec<Structure> = body.into_iter().chain(revived).collect();
    structures.sort_by_key(|structure| structure.span().map_or(0, |span| span.start));
    let mut body = Body::from(structures);
    if let Some(span) = span {
        body.set_span(span);
    }
    Ok((body, dropped))
}

/// The dropped blocks of a module's pruned files that an expression of the module refers to
/// (from another file: each file's own references were met when it was parsed), and those
/// they refer to, parsed again: one more body for each such file.
pub fn revive_referenced(files: &mut Vec<ParsedFile>) {
    if files.iter().all(|file| file.dropped.is_none()) {
        return;
    }
    let mut referenced = References::default();
    for file in files.iter() {
        referenced.visit_body(&file.body);
    }
    let mut revived: Vec<Vec<Structure>> = files.iter().map(|_| Vec::new()).collect();
    let mut met = HashSet::new();
    while let Some(address) = referenced.addresses.pop() {
        if !met.insert(address.clone()) {
            continue;
        }
        for (file, revived) in files.iter().zip(&mut revived) {
            let Some(dropped) = &file.dropped else {
                continue;
            };
            for span in dropped.spans.get(&address).into_iter().flatten() {
                let Some(again) = hcl_edit::parser::parse_body_at(&dropped.text, span.clone())
                else {
                    continue;
                };
                referenced.visit_body(&again);
                revived.extend(again);
            }
        }
    }
    let mut again: Vec<ParsedFile> = Vec::new();
    for (file, mut revived) in files.iter().zip(revived) {
        revived.sort_by_key(|structure| structure.span().map_or(0, |span| span.start));
        if !revived.is_empty() {
            again.push(ParsedFile {
                id: file.id,
                body: Arc::new(Body::from(revived)),
                role: file.role,
                dropped: None,
            });
        }
    }
    files.extend(again);
}

/// A `resource` block of a type not read: its address and span.
fn unread_resource(
    structure: &Structure,
    reads: &impl Fn(&str) -> bool,
) -> Option<(String, Range<usize>)> {
    let block = structure.as_block()?;
    let [type_name, name] = block.labels.as_slice() else {
        return None;
    };
    if block.ident.as_str() != "resource" || reads(type_name.as_str()) {
        return None;
    }
    Some((
        format!("{}.{}", type_name.as_str(), name.as_str()),
        structure.span()?,
    ))
}

/// The resource addresses (`type.name`) that expressions refer to.
#[derive(Default)]
struct References {
    addresses: Vec<String>,
}

impl Visit for References {
    fn visit_traversal(&mut self, traversal: &Traversal) {
        if let Expression::Variable(root) = &traversal.expr
            && !NOT_RESOURCES.contains(&root.as_str())
            && let Some(TraversalOperator::GetAttr(name)) =
                traversal.operators.first().map(|op| op.value())
        {
            self.addresses
                .push(format!("{}.{}", root.as_str(), name.as_str()));
        }
        visit_traversal(self, traversal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"resource "azurerm_storage_account" "unread" {
  name = "a"
}

resource "azurerm_storage_account" "settings" {
  public_network_access_enabled = false
  name                          = "${azurerm_virtual_network.chained.name}-sa"
}

resource "azurerm_virtual_network" "chained" {
  name = "b"
}

resource "azurerm_cognitive_account" "openai" {
  public_network_access_enabled = azurerm_storage_account.settings.public_network_access_enabled
}

variable "region" {}
"#;

    #[test]
    fn a_pruned_tree_keeps_what_is_read_and_what_kept_expressions_refer_to() {
        let (body, _) = parse_pruned(&TEXT.to_string().into(), |t| {
            t == "azurerm_cognitive_account"
        })
        .unwrap();
        let kept: Vec<String> = body
            .blocks()
            .map(|block| {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                format!("{} {}", block.ident.as_str(), labels.join("."))
            })
            .collect();
        // In the file's order; the unread, unreferred storage account is gone.
        assert_eq!(
            kept,
            [
                "resource azurerm_storage_account.settings",
                "resource azurerm_virtual_network.chained",
                "resource azurerm_cognitive_account.openai",
                "variable region",
            ]
        );
        // A block parsed again has spans into the file, as the others do.
        let network = body.blocks().nth(1).unwrap();
        let span = network.body.get_attribute("name").unwrap().span().unwrap();
        assert_eq!(&TEXT[span], r#"name = "b""#);
    }

    #[test]
    fn a_pruned_parse_reports_syntax_errors_where_a_whole_parse_does() {
        let text = "resource \"azurerm_storage_account\" \"a\" {\n  name = \n}\n";
        let whole = hcl_edit::parser::parse_body_spanned(text).unwrap_err();
        let pruned = parse_pruned(&text.to_string().into(), |_| false)
            .err()
            .unwrap();
        assert_eq!(pruned.location(), whole.location());
        assert_eq!(pruned.message(), whole.message());
    }
}
