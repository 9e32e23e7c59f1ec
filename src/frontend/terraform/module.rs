//! A Terraform module: the parsed files of one directory, the resources, variables and locals
//! they declare, and the variable values that apply to them.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};

use crate::source::FileId;

/// What a parsed file contributes to its module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileRole {
    /// A `.tf` file.
    Config,
    /// Variable values, applied in this rank order, later ranks winning (Terraform's order:
    /// `terraform.tfvars`, then `*.auto.tfvars` by name, then `--var-file` in command-line order).
    Values(u32),
    /// A `.tfvars` file Terraform does not load by itself (pass it with `--var-file`), by
    /// name.
    NotLoaded(std::sync::Arc<str>),
}

#[derive(Clone)]
pub struct ParsedFile {
    pub id: FileId,
    pub body: std::sync::Arc<Body>,
    pub role: FileRole,
    /// A huge file's blocks its pruned parse dropped (see `pruned.rs`).
    pub dropped: Option<std::sync::Arc<super::pruned::Dropped>>,
}

pub struct ResourceBlock<'a> {
    pub file: FileId,
    pub block: &'a Block,
    pub type_name: &'a str,
    pub name: &'a str,
}

impl ResourceBlock<'_> {
    pub fn address(&self) -> String {
        format!("{}.{}", self.type_name, self.name)
    }
}

/// A resource block of a huge file that was not parsed with it (see `pruned.rs`).
struct DeferredResource<'a> {
    file: FileId,
    dropped: &'a super::pruned::Dropped,
    block: &'a super::pruned::Deferred,
}

/// Where a resource block is in [`ModuleIndex::resources`] or its deferred ones.
enum Slot {
    Parsed(usize),
    Deferred(usize),
}

/// A `variable` block.
pub struct Variable<'a> {
    pub file: FileId,
    pub default: Option<&'a Attribute>,
    /// The `type`, whose `optional(type, default)` attributes fill in object values.
    pub type_expr: Option<&'a Expression>,
}

/// An `output` block.
pub struct OutputBlock<'a> {
    pub file: FileId,
    pub block: &'a Block,
    pub name: &'a str,
}

/// Whether a block says `sensitive = true` (literally).
pub fn is_sensitive(block: &Body) -> bool {
    block
        .get_attribute("sensitive")
        .and_then(|a| a.value.as_bool())
        .unwrap_or(false)
}

/// A `module` block.
pub struct ModuleCall<'a> {
    pub file: FileId,
    pub block: &'a Block,
    pub name: &'a str,
    /// The `source` when written as a literal string (Terraform requires it).
    pub source: Option<String>,
}

/// Everything names in a module's expressions can refer to.
pub struct ModuleIndex<'a> {
    resources: Vec<ResourceBlock<'a>>,
    by_address: HashMap<String, usize>,
    variables: HashMap<&'a str, Variable<'a>>,
    locals: HashMap<&'a str, (FileId, &'a Attribute)>,
    /// Values from `.tfvars` files, the winning one for each variable.
    values: HashMap<&'a str, (FileId, &'a Attribute)>,
    /// The `.tfvars` files beside a root module that Terraform does not load by itself, by
    /// the variables they set: why a value is unknown or defaulted, and how to set it.
    unloaded_values: HashMap<&'a str, &'a str>,
    /// `--var name=value`, which wins over everything; only for the module the run starts at.
    cli_values: Option<&'a HashMap<String, String>>,
    /// Whether the directory is a root module (see [`ModuleIndex::is_root`]).
    root: bool,
    /// The first `provider "azurerm"` block: the subscription the module deploys to.
    azurerm_provider: Option<(FileId, &'a Block)>,
    calls: Vec<ModuleCall<'a>>,
    outputs: HashMap<&'a str, (FileId, &'a Attribute)>,
    output_blocks: Vec<OutputBlock<'a>>,
    /// The `data` blocks: type, name, block.
    data: Vec<(&'a str, &'a str, &'a Block)>,
    files: Vec<FileId>,
    /// The files of `files` that set variable values, for a root module.
    value_files: Vec<FileId>,
    /// Resource blocks of huge files parsed when read, and every resource block in the files'
    /// order (only when there are such blocks).
    deferred: Vec<DeferredResource<'a>>,
    order: Vec<Slot>,
}

impl<'a> ModuleIndex<'a> {
    /// The module a run starts at: its `.tfvars` and `--var` values apply.
    pub fn new(files: &'a [ParsedFile], cli_values: &'a HashMap<String, String>) -> Self {
        Self::build(files, Some(cli_values))
    }

    /// A module called by another: its caller's arguments set its variables, and Terraform
    /// loads no `.tfvars` of its directory.
    pub fn called(files: &'a [ParsedFile]) -> Self {
        let mut index = Self::build(files, None);
        index.root = true;
        index
    }

    fn build(files: &'a [ParsedFile], cli_values: Option<&'a HashMap<String, String>>) -> Self {
        let mut index = ModuleIndex {
            resources: Vec::new(),
            by_address: HashMap::new(),
            variables: HashMap::new(),
            locals: HashMap::new(),
            values: HashMap::new(),
            unloaded_values: HashMap::new(),
            cli_values,
            root: cli_values.is_some_and(|values| !values.is_empty()),
            azurerm_provider: None,
            calls: Vec::new(),
            outputs: HashMap::new(),
            output_blocks: Vec::new(),
            data: Vec::new(),
            files: files.iter().map(|f| f.id).collect(),
            value_files: Vec::new(),
            deferred: Vec::new(),
            order: Vec::new(),
        };
        let mut value_files: Vec<&ParsedFile> = files
            .iter()
            .filter(|f| matches!(f.role, FileRole::Values(_)) && cli_values.is_some())
            .collect();
        value_files.sort_by_key(|f| f.role.clone());
        index.root |= !value_files.is_empty();
        index.value_files = value_files.iter().map(|f| f.id).collect();
        for file in value_files {
            for attribute in file.body.attributes() {
                index
                    .values
                    .insert(attribute.key.as_str(), (file.id, attribute));
            }
        }
        for file in files.iter().filter(|_| cli_values.is_some()) {
            if let FileRole::NotLoaded(name) = &file.role {
                for attribute in file.body.attributes() {
                    index
                        .unloaded_values
                        .entry(attribute.key.as_str())
                        .or_insert(name);
                }
            }
        }
        let resident = resident_resources(files);
        for file in files.iter().filter(|f| f.role == FileRole::Config) {
            let mut deferred = file
                .dropped
                .iter()
                .flat_map(|dropped| dropped.deferred.iter().map(move |block| (dropped, block)))
                .filter(|(_, block)| !resident.contains(&(file.id, block.span.start)))
                .peekable();
            for block in file.body.blocks() {
                let start = block.span().map_or(0, |span| span.start);
                while let Some((dropped, deferred_block)) =
                    deferred.next_if(|(_, b)| b.span.start < start)
                {
                    index.add_deferred(file.id, dropped, deferred_block);
                }
                index.add_block(file.id, block);
            }
            for (dropped, deferred_block) in deferred {
                index.add_deferred(file.id, dropped, deferred_block);
            }
        }
        index
    }

    /// What a top-level block of a configuration file declares.
    fn add_block(&mut self, file: FileId, block: &'a Block) {
        match (block.ident.as_str(), block.labels.as_slice()) {
            ("resource", [type_label, name_label]) => {
                self.add_resource(file, block, type_label.as_str(), name_label.as_str())
            }
            ("data", [type_label, name_label]) => {
                self.data
                    .push((type_label.as_str(), name_label.as_str(), block))
            }
            ("variable", [name]) => {
                let variable = Variable {
                    file,
                    default: block.body.get_attribute("default"),
                    type_expr: block.body.get_attribute("type").map(|t| &t.value),
                };
                self.variables.entry(name.as_str()).or_insert(variable);
            }
            ("module", [name]) => self.calls.push(ModuleCall {
                file,
                block,
                name: name.as_str(),
                source: literal_source(block),
            }),
            ("output", [name]) => {
                self.output_blocks.push(OutputBlock {
                    file,
                    block,
                    name: name.as_str(),
                });
                if let Some(value) = block.body.get_attribute("value") {
                    self.outputs.entry(name.as_str()).or_insert((file, value));
                }
            }
            ("provider", labels) => {
                self.root = true;
                if labels.first().is_some_and(|l| l.as_str() == "azurerm") {
                    self.azurerm_provider.get_or_insert((file, block));
                }
            }
            ("terraform", [])
                if block
                    .body
                    .blocks()
                    .any(|b| matches!(b.ident.as_str(), "backend" | "cloud")) =>
            {
                self.root = true
            }
            ("locals", []) => {
                for attribute in block.body.attributes() {
                    self.locals
                        .entry(attribute.key.as_str())
                        .or_insert((file, attribute));
                }
            }
            _ => {}
        }
    }

    /// A deferred resource block, in order: from the first, every resource block is.
    fn add_deferred(
        &mut self,
        file: FileId,
        dropped: &'a super::pruned::Dropped,
        block: &'a super::pruned::Deferred,
    ) {
        if self.order.is_empty() {
            self.order = (0..self.resources.len()).map(Slot::Parsed).collect();
        }
        self.order.push(Slot::Deferred(self.deferred.len()));
        self.deferred.push(DeferredResource {
            file,
            dropped,
            block,
        });
    }

    /// Every resource block of a type `wanted` says, in the files' order: a deferred one is
    /// parsed for `visit`, and let go after.
    pub fn for_each_resource(
        &self,
        wanted: impl Fn(&str) -> bool,
        mut visit: impl FnMut(&ResourceBlock<'_>),
    ) {
        if self.order.is_empty() {
            self.resources
                .iter()
                .filter(|r| wanted(r.type_name))
                .for_each(visit);
            return;
        }
        for slot in &self.order {
            match *slot {
                Slot::Parsed(i) if wanted(self.resources[i].type_name) => visit(&self.resources[i]),
                Slot::Deferred(i) if wanted(&self.deferred[i].block.type_name) => {
                    let deferred = &self.deferred[i];
                    if let Some(block) = deferred.dropped.parse(deferred.block) {
                        visit(&ResourceBlock {
                            file: deferred.file,
                            block: &block,
                            type_name: &deferred.block.type_name,
                            name: &deferred.block.name,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn add_resource(&mut self, file: FileId, block: &'a Block, type_name: &'a str, name: &'a str) {
        if !self.order.is_empty() {
            self.order.push(Slot::Parsed(self.resources.len()));
        }
        let resource = ResourceBlock {
            file,
            block,
            type_name,
            name,
        };
        // Terraform rejects duplicate addresses; keep the first, as its error would.
        self.by_address
            .entry(resource.address())
            .or_insert(self.resources.len());
        self.resources.push(resource);
    }

    /// A root module configures a provider or a backend, or has variable values (`.tfvars`,
    /// `--var`, `--var-file`). Any other directory looks like a child module: linted on its
    /// own, its defaults apply, and values resting on them say a caller could set others.
    pub fn is_root(&self) -> bool {
        self.root
    }

    /// The module's first `provider "azurerm"` block, if it configures one.
    pub fn azurerm_provider(&self) -> Option<(FileId, &'a Block)> {
        self.azurerm_provider
    }

    pub fn resource(&self, address: &str) -> Option<&ResourceBlock<'a>> {
        self.by_address.get(address).map(|&i| &self.resources[i])
    }

    pub fn variable(&self, name: &str) -> Option<&Variable<'a>> {
        self.variables.get(name)
    }

    pub fn local(&self, name: &str) -> Option<(FileId, &'a Attribute)> {
        self.locals.get(name).copied()
    }

    /// Whether a resource or `data` block of one of these types is declared.
    pub fn declares_any(&self, types: &[&str]) -> bool {
        self.resources.iter().any(|r| types.contains(&r.type_name))
            || self
                .deferred
                .iter()
                .any(|d| types.contains(&d.block.type_name.as_str()))
            || self.data.iter().any(|(t, _, _)| types.contains(t))
    }

    /// The `data "<type>" "<name>"` block.
    pub fn data_block(&self, type_name: &str, name: &str) -> Option<&'a Block> {
        self.data
            .iter()
            .find(|(t, n, _)| *t == type_name && *n == name)
            .map(|(_, _, block)| *block)
    }

    pub fn output_blocks(&self) -> &[OutputBlock<'a>] {
        &self.output_blocks
    }

    pub fn calls(&self) -> &[ModuleCall<'a>] {
        &self.calls
    }

    pub fn output(&self, name: &str) -> Option<(FileId, &'a Attribute)> {
        self.outputs.get(name).copied()
    }

    pub fn contains_file(&self, file: FileId) -> bool {
        self.files.contains(&file)
    }

    /// Whether `file` sets this module's variables (`terraform.tfvars`, `*.auto.tfvars`,
    /// `--var-file`).
    pub fn is_value_file(&self, file: FileId) -> bool {
        self.value_files.contains(&file)
    }

    /// A `.tfvars` file beside this root module that sets `name`, but that Terraform loads only
    /// when asked (`--var-file`).
    pub fn unloaded_value_file(&self, name: &str) -> Option<&'a str> {
        self.unloaded_values.get(name).copied()
    }

    /// The value set for a variable outside its declaration: `--var` first, then `.tfvars`.
    pub fn value(&self, name: &str) -> Option<SetValue<'a>> {
        if let Some(text) = self.cli_values.and_then(|values| values.get(name)) {
            return Some(SetValue::Cli(text.clone()));
        }
        self.values
            .get(name)
            .map(|&(file, attribute)| SetValue::Vars(file, attribute))
    }
}

/// The resource blocks in the trees of files with deferred blocks, by file and start: a
/// deferred block another file refers to was parsed again into one more tree of its file
/// (`pruned::revive_referenced`), and is not deferred.
fn resident_resources(files: &[ParsedFile]) -> std::collections::HashSet<(FileId, usize)> {
    let pruned: Vec<FileId> = files
        .iter()
        .filter(|f| f.dropped.as_ref().is_some_and(|d| !d.deferred.is_empty()))
        .map(|f| f.id)
        .collect();
    files
        .iter()
        .filter(|f| pruned.contains(&f.id))
        .flat_map(|f| {
            f.body
                .blocks()
                .filter(|b| b.ident.as_str() == "resource")
                .filter_map(move |b| Some((f.id, b.span()?.start)))
        })
        .collect()
}

pub enum SetValue<'a> {
    Cli(String),
    Vars(FileId, &'a Attribute),
}

/// The `source` of a `module` block, when a literal string.
pub fn literal_source(block: &Block) -> Option<String> {
    match &block.body.get_attribute("source")?.value {
        Expression::String(text) => Some(text.value().to_string()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                match element {
                    hcl_edit::template::Element::Literal(literal) => text.push_str(literal.value()),
                    _ => return None,
                }
            }
            Some(text)
        }
        _ => None,
    }
}

/// Whether a module `source` is a path on disk (Terraform: it starts with `./` or `../`).
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// The directories a file's `module` blocks call, for finding which directories are linted
/// through their callers.
pub fn local_calls(body: &Body) -> Vec<String> {
    body.blocks()
        .filter(|block| block.ident.as_str() == "module")
        .filter_map(literal_source)
        .filter(|source| is_local_source(source))
        .collect()
}
