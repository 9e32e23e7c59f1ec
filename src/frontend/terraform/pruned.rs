//! The tree of a huge `.tf` file, pruned as it is parsed: held whole, hcl-edit's tree is 13 to
//! 20 times the text (a 48 MiB file of storage accounts took 620 MiB). Each top-level
//! `resource`, `variable` and `locals` block is dropped as soon as it is parsed: a resource of
//! a type the front-end reads is *deferred*, parsed again from its span when it is read
//! (`ModuleIndex::for_each_resource`), one at a time; the others are read only through
//! references. A block an expression refers to is in the tree (the evaluator follows
//! `type.name.attribute`, `var.name` and `local.name` into it): the first of its address,
//! parsed again here until every reference of the file is met; another file of the module may
//! refer to one too, or a caller pass a variable, and those are parsed again when the module is
//! loaded ([`revive_referenced`]). Nothing is lost: the verdicts are those of a whole parse
//! (`tests/cli.rs` compares them on every fixture).

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
    /// Blocks read only when an expression refers to them, by the address a reference names:
    /// resources of types nothing reads (`type.name`), variables (`var.name`) and locals
    /// (`local.name`, each name of a `locals` block). The first block of each (Terraform
    /// rejects the others, and the module index keeps the first).
    on_reference: HashMap<String, Range<usize>>,
    /// Blocks of types the front-end reads, in the file's order: each is parsed again when it
    /// is read, one at a time.
    pub deferred: Vec<Deferred>,
    /// The first deferred block of each address.
    first_deferred: HashMap<String, usize>,
    /// What the deferred blocks refer to, which must be in a tree when they are read.
    deferred_references: Vec<String>,
}

/// A resource block read later, from its span of the file.
pub struct Deferred {
    pub type_name: String,
    pub name: String,
    pub span: Range<usize>,
}

impl Dropped {
    /// A deferred block's tree, parsed again.
    pub fn parse(&self, deferred: &Deferred) -> Option<hcl_edit::structure::Block> {
        let body = hcl_edit::parser::parse_body_at(&self.text, deferred.span.clone())?;
        body.into_iter().next()?.into_block().ok()
    }

    /// The names of the variables declared in blocks still dropped.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.on_reference
            .keys()
            .filter_map(|address| address.strip_prefix("var."))
    }

    /// The block at `span` parsed again, unless it was (`parsed` holds the starts): a `locals`
    /// block has several names.
    fn parse_once(&self, span: Range<usize>, parsed: &mut HashSet<usize>) -> Option<Body> {
        parsed
            .insert(span.start)
            .then(|| hcl_edit::parser::parse_body_at(&self.text, span))
            .flatten()
    }

    /// The span of the first block dropped with this address.
    fn first_of(&self, address: &str) -> Option<Range<usize>> {
        self.on_reference.get(address).cloned().or_else(|| {
            let first = *self.first_deferred.get(address)?;
            Some(self.deferred[first].span.clone())
        })
    }
}

impl Deferred {
    pub fn address(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
    }
}

/// `text`'s tree without the resource blocks nothing reads, nor those the front-end reads
/// (`reads` says which types), which come back in [`Dropped`]; a block an expression of the
/// file refers to is in the tree.
pub fn parse_pruned(
    text: &Arc<String>,
    reads: impl Fn(&str) -> bool,
) -> Result<(Body, Dropped), hcl_edit::parser::Error> {
    let mut dropped = Dropped {
        text: text.clone(),
        on_reference: HashMap::new(),
        deferred: Vec::new(),
        first_deferred: HashMap::new(),
        deferred_references: Vec::new(),
    };
    let mut keep = |structure: &Structure| !dropped.drop(structure, &reads);
    let body = hcl_edit::parser::parse_body_filtered(text, &mut keep)?;
    let revived = dropped.revive_referred_to(&body);
    Ok((merged(body, revived), dropped))
}

impl Dropped {
    /// Drops a top-level block read later, or only through references: whether it did.
    fn drop(&mut self, structure: &Structure, reads: &impl Fn(&str) -> bool) -> bool {
        match resource_block(structure) {
            None => match read_on_reference(structure) {
                Some((addresses, span)) => {
                    for address in addresses {
                        self.on_reference.entry(address).or_insert(span.clone());
                    }
                    true
                }
                None => false,
            },
            Some((type_name, name, span)) if !reads(type_name) => {
                self.on_reference
                    .entry(format!("{type_name}.{name}"))
                    .or_insert(span);
                true
            }
            Some((type_name, name, span)) => {
                // What it refers to is read with it.
                let mut references = References {
                    addresses: std::mem::take(&mut self.deferred_references),
                };
                references.visit_structure(structure);
                self.deferred_references = references.addresses;
                self.first_deferred
                    .entry(format!("{type_name}.{name}"))
                    .or_insert(self.deferred.len());
                self.deferred.push(Deferred {
                    type_name: type_name.to_string(),
                    name: name.to_string(),
                    span,
                });
                true
            }
        }
    }

    /// The dropped blocks that `body` or a deferred block refers to, parsed again, and those
    /// they refer to: the first block of each address (the others stay dropped, or deferred).
    fn revive_referred_to(&mut self, body: &Body) -> Vec<Structure> {
        self.deferred_references.sort_unstable();
        self.deferred_references.dedup();
        let mut referenced = References {
            addresses: self.deferred_references.clone(),
        };
        referenced.visit_body(body);
        let mut revived = Vec::new();
        let mut revived_deferred: Vec<usize> = Vec::new();
        let mut revived_starts = HashSet::new();
        let mut met = HashSet::new();
        while let Some(address) = referenced.addresses.pop() {
            if !met.insert(address.clone()) {
                continue;
            }
            let first = match self.on_reference.remove(&address) {
                Some(span) => Some(span),
                None => self.first_deferred.remove(&address).map(|i| {
                    revived_deferred.push(i);
                    self.deferred[i].span.clone()
                }),
            };
            let Some(again) = first.and_then(|span| self.parse_once(span, &mut revived_starts))
            else {
                continue;
            };
            referenced.visit_body(&again);
            revived.extend(again);
        }
        self.on_reference
            .retain(|_, span| !revived_starts.contains(&span.start));
        // An address whose first block is in the tree is met: its other blocks stay deferred.
        let unmet: HashSet<String> = std::mem::take(&mut self.first_deferred)
            .into_keys()
            .collect();
        self.deferred = without(std::mem::take(&mut self.deferred), revived_deferred);
        self.first_deferred = first_indices(&self.deferred, &unmet);
        revived
    }
}

/// `body` with the `revived` blocks in their places.
fn merged(body: Body, revived: Vec<Structure>) -> Body {
    if revived.is_empty() {
        return body;
    }
    let span = body.span();
    let mut structures: Vec<Structure> = body.into_iter().chain(revived).collect();
    structures.sort_by_key(|structure| structure.span().map_or(0, |span| span.start));
    let mut body = Body::from(structures);
    if let Some(span) = span {
        body.set_span(span);
    }
    body
}

/// `blocks` without those at `indices`.
fn without(blocks: Vec<Deferred>, mut indices: Vec<usize>) -> Vec<Deferred> {
    indices.sort_unstable();
    blocks
        .into_iter()
        .enumerate()
        .filter(|(i, _)| indices.binary_search(i).is_err())
        .map(|(_, block)| block)
        .collect()
}

/// The index of the first of `blocks` with each address of `addresses`.
fn first_indices(blocks: &[Deferred], addresses: &HashSet<String>) -> HashMap<String, usize> {
    let mut first = HashMap::new();
    for (i, block) in blocks.iter().enumerate() {
        let address = block.address();
        if addresses.contains(&address) {
            first.entry(address).or_insert(i);
        }
    }
    first
}

/// The dropped blocks of a module's pruned files that an expression of the module refers to
/// (from another file: each file's own references were met when it was parsed) or that
/// `also` names (the variables a caller passes), and those they refer to, parsed again: one
/// more body for each such file.
pub fn revive_referenced(files: &mut Vec<ParsedFile>, also: impl IntoIterator<Item = String>) {
    if files.iter().all(|file| file.dropped.is_none()) {
        return;
    }
    let mut referenced = References {
        addresses: also.into_iter().collect(),
    };
    for file in files.iter() {
        referenced.visit_body(&file.body);
        if let Some(dropped) = &file.dropped {
            referenced
                .addresses
                .extend(dropped.deferred_references.iter().cloned());
        }
    }
    let mut revived: Vec<(Vec<Structure>, HashSet<usize>)> =
        files.iter().map(|_| Default::default()).collect();
    let mut met = HashSet::new();
    while let Some(address) = referenced.addresses.pop() {
        if !met.insert(address.clone()) {
            continue;
        }
        for (file, (revived, starts)) in files.iter().zip(&mut revived) {
            let Some(dropped) = &file.dropped else {
                continue;
            };
            let Some(again) = dropped
                .first_of(&address)
                .and_then(|span| dropped.parse_once(span, starts))
            else {
                continue;
            };
            referenced.visit_body(&again);
            revived.extend(again);
        }
    }
    let mut again: Vec<ParsedFile> = Vec::new();
    for (file, (mut revived, _)) in files.iter().zip(revived) {
        revived.sort_by_key(|structure| structure.span().map_or(0, |span| span.start));
        if !revived.is_empty() {
            again.push(ParsedFile {
                id: file.id,
                body: Arc::new(Body::from(revived)),
                role: file.role.clone(),
                dropped: None,
            });
        }
    }
    files.extend(again);
}

/// A `resource` block: its type, name and span.
fn resource_block(structure: &Structure) -> Option<(&str, &str, Range<usize>)> {
    let block = structure.as_block()?;
    let [type_name, name] = block.labels.as_slice() else {
        return None;
    };
    (block.ident.as_str() == "resource")
        .then(|| Some((type_name.as_str(), name.as_str(), structure.span()?)))
        .flatten()
}

/// A `variable` or `locals` block: the addresses references give it (`var.name`, `local.name`
/// for each of its names) and its span.
fn read_on_reference(structure: &Structure) -> Option<(Vec<String>, Range<usize>)> {
    let block = structure.as_block()?;
    let addresses = match (block.ident.as_str(), block.labels.as_slice()) {
        ("variable", [name]) => vec![format!("var.{}", name.as_str())],
        ("locals", []) => block
            .body
            .attributes()
            .map(|attribute| format!("local.{}", attribute.key.as_str()))
            .collect(),
        _ => return None,
    };
    Some((addresses, structure.span()?))
}

/// The addresses expressions refer to: resources (`type.name`), variables (`var.name`) and
/// locals (`local.name`).
#[derive(Default)]
struct References {
    addresses: Vec<String>,
}

impl Visit for References {
    fn visit_traversal(&mut self, traversal: &Traversal) {
        if let Expression::Variable(root) = &traversal.expr
            && let Some(TraversalOperator::GetAttr(name)) =
                traversal.operators.first().map(|op| op.value())
        {
            let root = root.as_str();
            if matches!(root, "var" | "local") || !NOT_RESOURCES.contains(&root) {
                self.addresses.push(format!("{root}.{}", name.as_str()));
            }
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
  name     = "b"
  location = var.region
}

resource "azurerm_cognitive_account" "openai" {
  public_network_access_enabled = azurerm_storage_account.settings.public_network_access_enabled
}

variable "region" {}

variable "unused" {}
"#;

    /// A block of a type read is deferred, one of a type not read is dropped; both are in the
    /// tree when an expression of the file (deferred or not) refers to them, and only the first
    /// block of an address is.
    #[test]
    fn a_pruned_tree_holds_what_expressions_refer_to_and_defers_what_is_read() {
        let variables = "variable \"region\" {}\n\nvariable \"unused\" {}\n";
        let text = format!("{TEXT}{}", TEXT.replace(variables, ""));
        let (body, dropped) =
            parse_pruned(&text.clone().into(), |t| t == "azurerm_cognitive_account").unwrap();
        let kept: Vec<String> = body
            .blocks()
            .map(|block| {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                format!("{} {}", block.ident.as_str(), labels.join("."))
            })
            .collect();
        // In the file's order; the unread, unreferred storage account and variable are gone,
        // and so are the second copies of the blocks referred to.
        assert_eq!(
            kept,
            [
                "resource azurerm_storage_account.settings",
                "resource azurerm_virtual_network.chained",
                "variable region",
            ]
        );
        // A block parsed again has spans into the file, as the others do.
        let network = body.blocks().nth(1).unwrap();
        let span = network.body.get_attribute("name").unwrap().span().unwrap();
        assert_eq!(&text[span], r#"name     = "b""#);
        // Both accounts are read later, one at a time, from their spans.
        let deferred: Vec<(String, usize)> = dropped
            .deferred
            .iter()
            .map(|block| (block.address(), block.span.start))
            .collect();
        let second = TEXT.len() + TEXT.find("resource \"azurerm_cognitive_account\"").unwrap();
        assert_eq!(
            deferred,
            [
                (
                    "azurerm_cognitive_account.openai".to_string(),
                    second - TEXT.len()
                ),
                ("azurerm_cognitive_account.openai".to_string(), second),
            ]
        );
        assert_eq!(dropped.variables().collect::<Vec<_>>(), ["unused"]);
        let account = dropped.parse(&dropped.deferred[1]).unwrap();
        let attribute = account.body.get_attribute("public_network_access_enabled");
        assert!(attribute.is_some());
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
