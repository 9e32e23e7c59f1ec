//! A root module and the local modules it calls, followed recursively: one tree of module
//! instances that evaluate together (inputs flow down, outputs flow up).

use std::collections::HashMap;
use std::path::Path;

use hcl_edit::structure::Block;

use super::module::{ModuleIndex, ParsedFile, is_local_source, literal_source};
use crate::policy::{ModuleLanguage, RegistryMapping, catalog};
use crate::source::lexical_normalize;

/// How deep local modules are followed, and how many module instances one root may have:
/// bounds for pathological trees (Terraform itself has no such bound, real trees are far below).
const MAX_DEPTH: usize = 16;
const MAX_INSTANCES: usize = 256;

/// Reads the `.tf` files of a module directory. The engine implements it: it owns file ids and
/// keeps the texts to locate findings.
pub trait ModuleLoader {
    fn load(&mut self, dir: &Path) -> Result<Vec<ParsedFile>, Unread>;
}

/// Why a module directory gives no file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// It does not exist or has no `.tf` file.
    NoFiles,
    /// It lies outside the repository (see [`crate::boundary`]).
    Outside,
}

/// The files of every module instance, owned, before they are indexed.
pub struct LoadedTree {
    modules: Vec<LoadedModule>,
}

struct LoadedModule {
    files: Vec<ParsedFile>,
    /// The calling instance and the name of its `module` block.
    caller: Option<(usize, String)>,
    /// Why a local `module` call of this instance was not followed, by call name.
    not_followed: HashMap<String, String>,
}

impl LoadedTree {
    /// Loads the local modules `root` calls, recursively. A module calling one of its own
    /// callers (a cycle) is not followed again.
    pub fn load(root_dir: &Path, mut root: Vec<ParsedFile>, loader: &mut dyn ModuleLoader) -> Self {
        super::pruned::revive_referenced(&mut root, []);
        let mut modules = vec![LoadedModule {
            files: root,
            caller: None,
            not_followed: HashMap::new(),
        }];
        let mut dirs = vec![root_dir.to_path_buf()];
        let mut next = 0;
        while next < modules.len() {
            let calls: Vec<LocalCall> = modules[next]
                .files
                .iter()
                .filter(|file| file.role == super::FileRole::Config)
                .flat_map(|file| file.body.blocks())
                .filter_map(local_call)
                .collect();
            for LocalCall {
                name,
                source,
                passed,
            } in calls
            {
                let dir = lexical_normalize(&dirs[next].join(&source));
                let reason = if ancestors(&modules, next).any(|i| dirs[i] == dir) {
                    Some(format!("`{source}` calls a module that calls it (a cycle)"))
                } else if ancestors(&modules, next).count() >= MAX_DEPTH
                    || modules.len() >= MAX_INSTANCES
                {
                    Some("modules nest too deep or too many to follow".to_string())
                } else {
                    None
                };
                let loaded = match reason {
                    Some(reason) => Err(reason),
                    None => loader.load(&dir).map_err(|unread| match unread {
                        Unread::NoFiles => format!("`{source}` has no `.tf` file to read"),
                        Unread::Outside => format!(
                            "`{source}` is not read: it lies {}",
                            crate::boundary::OUTSIDE
                        ),
                    }),
                };
                match loaded {
                    Ok(mut files) => {
                        super::pruned::revive_referenced(&mut files, passed);
                        modules.push(LoadedModule {
                            files,
                            caller: Some((next, name)),
                            not_followed: HashMap::new(),
                        });
                        dirs.push(dir);
                    }
                    Err(reason) => {
                        modules[next].not_followed.insert(name, reason);
                    }
                }
            }
            next += 1;
        }
        LoadedTree { modules }
    }
}

/// A `module` block with a local source.
struct LocalCall {
    name: String,
    source: String,
    /// The variables it passes (`var.<argument>`): read in the module it calls even when that
    /// module does not refer to them (see `pruned::revive_referenced`).
    passed: Vec<String>,
}

fn local_call(block: &Block) -> Option<LocalCall> {
    if block.ident.as_str() != "module" {
        return None;
    }
    let name = block.labels.first()?.as_str().to_string();
    let source = literal_source(block)?;
    let passed = block
        .body
        .attributes()
        .map(|attribute| format!("var.{}", attribute.key.as_str()))
        .collect();
    is_local_source(&source).then_some(LocalCall {
        name,
        source,
        passed,
    })
}

/// The instances that (transitively) call `module`.
fn ancestors(modules: &[LoadedModule], module: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(Some(module), |&i| {
        modules[i].caller.as_ref().map(|(c, _)| *c)
    })
}

/// One module instance: its index, where it sits in the tree and what its calls lead to.
pub struct Instance<'a> {
    pub index: ModuleIndex<'a>,
    /// `module.<name>.` for each enclosing call (empty for the root): prefixes addresses.
    pub prefix: String,
    /// The calling instance and the `module` block that calls this one.
    pub caller: Option<Caller<'a>>,
    children: HashMap<&'a str, Child>,
}

#[derive(Clone, Copy)]
pub struct Caller<'a> {
    pub instance: usize,
    pub file: crate::source::FileId,
    pub block: &'a Block,
}

/// What a `module` block of an instance leads to.
#[derive(Debug, Clone)]
pub enum Child {
    /// A followed local module: the instance index.
    Local(usize),
    /// A registry module mapped onto an account from its inputs (see [`crate::frontend::registry_modules`]).
    Registry(RegistryMapping<'static>),
    /// Not followed: why (remote source, cycle, missing directory, ...).
    NotFollowed(String),
}

pub struct Configuration<'a> {
    pub instances: Vec<Instance<'a>>,
}

impl<'a> Configuration<'a> {
    pub fn new(tree: &'a LoadedTree, cli_values: &'a HashMap<String, String>) -> Self {
        let mut instances: Vec<Instance<'a>> = Vec::with_capacity(tree.modules.len());
        for (i, module) in tree.modules.iter().enumerate() {
            let index = if i == 0 {
                ModuleIndex::new(&module.files, cli_values)
            } else {
                ModuleIndex::called(&module.files)
            };
            let (prefix, caller) = match &module.caller {
                Some((parent, name)) => {
                    let parent_instance = &instances[*parent];
                    let caller = parent_instance
                        .index
                        .calls()
                        .iter()
                        .find(|call| call.name == name)
                        .map(|call| Caller {
                            instance: *parent,
                            file: call.file,
                            block: call.block,
                        });
                    (format!("{}module.{name}.", parent_instance.prefix), caller)
                }
                None => (String::new(), None),
            };
            let mut children = HashMap::new();
            for call in index.calls() {
                let child = match (&call.source, module.not_followed.get(call.name)) {
                    (_, Some(reason)) => Child::NotFollowed(reason.clone()),
                    (Some(source), None) if is_local_source(source) => {
                        // Filled in below, once the child instance exists.
                        continue;
                    }
                    (Some(source), None) => {
                        match catalog().registry_module(ModuleLanguage::Terraform, source) {
                            Some(mapping) => Child::Registry(mapping),
                            None => Child::NotFollowed(format!(
                                "`{source}` is a remote module, which is not downloaded"
                            )),
                        }
                    }
                    (None, None) => {
                        Child::NotFollowed("its `source` is not a literal string".into())
                    }
                };
                children.insert(call.name, child);
            }
            instances.push(Instance {
                index,
                prefix,
                caller,
                children,
            });
        }
        for (i, module) in tree.modules.iter().enumerate() {
            if let Some((parent, name)) = &module.caller {
                let parent_instance = &mut instances[*parent];
                if let Some(call) = parent_instance
                    .index
                    .calls()
                    .iter()
                    .find(|call| call.name == name)
                {
                    parent_instance.children.insert(call.name, Child::Local(i));
                }
            }
        }
        Configuration { instances }
    }

    pub fn child(&self, instance: usize, name: &str) -> Option<&Child> {
        self.instances[instance].children.get(name)
    }

    /// Whether `file` sets the variables of `instance` (a root module's `.tfvars`).
    pub fn is_value_file(&self, instance: usize, file: crate::source::FileId) -> bool {
        self.instances[instance].index.is_value_file(file)
    }

    /// Whether `file` belongs to an instance that (transitively) calls `instance`: a value
    /// read from there is the caller's argument.
    pub fn is_caller_file(&self, instance: usize, file: crate::source::FileId) -> bool {
        let mut current = self.instances[instance].caller.map(|c| c.instance);
        while let Some(i) = current {
            if self.instances[i].index.contains_file(file) {
                return true;
            }
            current = self.instances[i].caller.map(|c| c.instance);
        }
        false
    }
}
