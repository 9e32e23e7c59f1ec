//! A Terraform module: the parsed `.tf` files of one directory and the resources they declare.

use std::collections::HashMap;

use hcl_edit::structure::{Block, Body};

use crate::source::FileId;

pub struct ParsedFile {
    pub id: FileId,
    pub body: Body,
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

/// Every `resource` block of a module, in file then source order, addressable by
/// `type.name`.
pub struct ModuleIndex<'a> {
    resources: Vec<ResourceBlock<'a>>,
    by_address: HashMap<String, usize>,
}

impl<'a> ModuleIndex<'a> {
    pub fn new(files: &'a [ParsedFile]) -> Self {
        let mut resources = Vec::new();
        let mut by_address = HashMap::new();
        for file in files {
            for block in file.body.get_blocks("resource") {
                let [type_label, name_label] = block.labels.as_slice() else {
                    continue;
                };
                let resource = ResourceBlock {
                    file: file.id,
                    block,
                    type_name: type_label.as_str(),
                    name: name_label.as_str(),
                };
                // Terraform rejects duplicate addresses; keep the first, as its error would.
                by_address
                    .entry(resource.address())
                    .or_insert(resources.len());
                resources.push(resource);
            }
        }
        ModuleIndex {
            resources,
            by_address,
        }
    }

    pub fn resource(&self, address: &str) -> Option<&ResourceBlock<'a>> {
        self.by_address.get(address).map(|&i| &self.resources[i])
    }

    pub fn resources(&self) -> &[ResourceBlock<'a>] {
        &self.resources
    }
}
