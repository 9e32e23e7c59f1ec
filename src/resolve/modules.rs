//! Which scanned Terraform directories and Bicep templates another scanned one calls as a local
//! module. Those are linted through their callers, with the values the callers pass, and not a
//! second time on their own with unresolved inputs.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use std::sync::Arc;

use crate::discover::Discovered;
use crate::finding::{FileError, capped_message};
use crate::frontend::{FileKind, SyntaxError, bicep, terraform};
use crate::policy::catalog;
use crate::source::{FileId, display_path, lexical_normalize};
use crate::sources::{SourceFile, read_source};
use crate::suppress;

#[derive(Debug, Default)]
pub struct CalledModules {
    /// Terraform directories called by a scanned module.
    pub terraform_dirs: HashSet<PathBuf>,
    /// Bicep templates called by a scanned template.
    pub bicep_templates: HashSet<PathBuf>,
}

/// Reads every scanned `.tf` and `.bicep` file and parses those with a line that starts like a
/// module declaration (a cheap test that can only let too many through: the calls themselves
/// come from the parser).
pub fn called_modules(discovered: &Discovered) -> CalledModules {
    let edges: Vec<(Language, PathBuf, PathBuf)> = discovered
        .files
        .par_iter()
        .filter(|file| {
            let name = file.path.to_string_lossy();
            (file.kind == FileKind::Terraform && name.ends_with(".tf"))
                || (file.kind == FileKind::Bicep && name.ends_with(".bicep"))
        })
        .flat_map_iter(|file| {
            crate::stats::file_read();
            let text = std::fs::read_to_string(&file.path).unwrap_or_default();
            if !may_declare_modules(&text) {
                return Vec::new();
            }
            let dir = file.path.parent().unwrap_or(std::path::Path::new(""));
            if file.kind == FileKind::Terraform {
                let Ok(body) = terraform::parse(&text) else {
                    return Vec::new();
                };
                terraform::local_calls(&body)
                    .into_iter()
                    .map(|source| {
                        let callee = lexical_normalize(&dir.join(source));
                        (Language::Terraform, dir.to_path_buf(), callee)
                    })
                    .collect()
            } else {
                let Ok(program) = bicep::parse(&text) else {
                    return Vec::new();
                };
                bicep::local_module_paths(&program)
                    .into_iter()
                    .map(|path| {
                        let callee = lexical_normalize(&dir.join(path));
                        (Language::Bicep, file.path.clone(), callee)
                    })
                    .collect()
            }
        })
        .collect();
    let mut called = CalledModules::default();
    for language in [Language::Terraform, Language::Bicep] {
        let nodes: BTreeSet<PathBuf> = discovered
            .files
            .iter()
            .filter(|file| {
                let name = file.path.to_string_lossy();
                match language {
                    Language::Terraform => name.ends_with(".tf"),
                    Language::Bicep => name.ends_with(".bicep"),
                }
            })
            .map(|file| match language {
                Language::Terraform => file.path.parent().unwrap_or(std::path::Path::new("")),
                Language::Bicep => file.path.as_path(),
            })
            .map(lexical_normalize)
            .collect();
        let mut graph: BTreeMap<&PathBuf, Vec<&PathBuf>> = BTreeMap::new();
        for (_, caller, callee) in edges.iter().filter(|(l, _, _)| *l == language) {
            if nodes.contains(callee) && caller != callee {
                graph.entry(caller).or_default().push(callee);
            }
        }
        let reached = reached_from_entries(&nodes, &graph);
        match language {
            Language::Terraform => called.terraform_dirs = reached,
            Language::Bicep => called.bicep_templates = reached,
        }
    }
    called
}

/// Whether some line starts with `module` and a space or quote: Terraform `module "x" {` and
/// Bicep `module x '...'` do; comments and other uses of the word mostly do not.
fn may_declare_modules(text: &str) -> bool {
    text.contains("module")
        && text.lines().any(|line| {
            line.trim_start()
                .strip_prefix("module")
                .is_some_and(|rest| rest.starts_with([' ', '\t', '"']))
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Terraform,
    Bicep,
}

/// Nodes reached from an entry (a node no other node calls). Nodes only on a cycle with no
/// entry are not reached: they are linted on their own rather than not at all.
fn reached_from_entries(
    nodes: &BTreeSet<PathBuf>,
    graph: &BTreeMap<&PathBuf, Vec<&PathBuf>>,
) -> HashSet<PathBuf> {
    let callees: HashSet<&PathBuf> = graph.values().flatten().copied().collect();
    let mut stack: Vec<&PathBuf> = nodes.iter().filter(|n| !callees.contains(n)).collect();
    let mut seen: HashSet<&PathBuf> = HashSet::new();
    let mut reached = HashSet::new();
    while let Some(node) = stack.pop() {
        for &callee in graph.get(node).into_iter().flatten() {
            reached.insert(callee.clone());
            if seen.insert(callee) {
                stack.push(callee);
            }
        }
    }
    reached
}

/// A file read because a module call leads to it.
pub struct ModuleFile {
    pub file: SourceFile,
    /// Normalized, as module calls are resolved.
    path: PathBuf,
    pub display: Arc<str>,
    /// Whether findings in it are reported (see [`ModuleFiles::read`]).
    pub target: bool,
}

/// Reads the files that a scope's local module calls lead to, wherever they are, and keeps
/// their texts to locate findings in them.
pub struct ModuleFiles<'a> {
    discovered: &'a Discovered,
    /// `--stdin-filename`: the editor's buffer, read instead of that file on disk.
    stdin: Option<&'a (PathBuf, String)>,
    cwd: &'a std::path::Path,
    /// Ids for files outside the discovered tree, past the discovered ones.
    next_id: u32,
    /// Files of the scope's own directory are not kept here: the scope has them already.
    pub files: Vec<ModuleFile>,
    pub errors: Vec<FileError>,
    /// Module files not read because a symlink leads outside the linted roots, as shown.
    pub outside_links: Vec<String>,
}

/// A bound on the files one scope's module calls may read.
const MAX_MODULE_FILES: usize = 1_024;

impl<'a> ModuleFiles<'a> {
    pub fn new(
        discovered: &'a Discovered,
        stdin: Option<&'a (PathBuf, String)>,
        cwd: &'a std::path::Path,
    ) -> Self {
        ModuleFiles {
            discovered,
            stdin,
            cwd,
            next_id: discovered.files.len() as u32,
            files: Vec::new(),
            errors: Vec::new(),
            outside_links: Vec::new(),
        }
    }

    /// A file's id and text. A file of the scanned tree keeps its id, path and target status; a
    /// file outside it is reported on unless files were given by name (then only those are).
    fn read(&mut self, path: &std::path::Path) -> Option<(FileId, &str)> {
        let path = lexical_normalize(path);
        if let Some(i) = self.files.iter().position(|m| m.path == path) {
            return Some((self.files[i].file.id, &self.files[i].file.text));
        }
        if self.files.len() >= MAX_MODULE_FILES {
            return None;
        }
        let discovered = self.discovered.id_of(&path);
        if discovered.is_none() && self.discovered.leads_outside(&path) {
            self.outside_links.push(display_path(&path, self.cwd));
            return None;
        }
        let text = read_source(&path, self.stdin).ok()?;
        let (id, display, target) = match discovered {
            Some(id) => {
                let file = self.discovered.file(id);
                (id, file.display.clone(), file.target)
            }
            None => {
                let id = FileId(self.next_id);
                self.next_id += 1;
                let display = display_path(&path, self.cwd).into();
                (id, display, !self.discovered.explicit_files)
            }
        };
        self.files.push(ModuleFile {
            file: SourceFile::new(id, text),
            path,
            display,
            target,
        });
        let last = self.files.last()?;
        Some((id, &last.file.text))
    }

    /// Reads a module file's suppression comments, once.
    fn read_directives(&mut self, id: FileId, comments: &[std::ops::Range<usize>]) {
        if let Some(module) = self.files.iter_mut().find(|m| m.file.id == id)
            && module.file.directives.is_empty()
        {
            module.file.read_directives(comments, catalog());
        }
    }

    /// A syntax error in a file outside the scanned tree (files of the tree report their own).
    fn syntax_error(&mut self, id: FileId, error: SyntaxError) {
        let Some(module) = self.files.iter().find(|m| m.file.id == id) else {
            return;
        };
        if (id.0 as usize) < self.discovered.files.len() || !module.target {
            return;
        }
        let position = module.file.line_col(error.offset);
        self.errors.push(FileError {
            file: module.display.clone(),
            line: position.line,
            column: position.column,
            message: capped_message(format!("syntax error: {}", error.message)),
            offset: Some(error.offset),
        });
    }

    /// Adds the templates that `files` call as modules from other directories, recursively.
    pub fn add_bicep_modules(&mut self, files: &mut Vec<bicep::BicepFile>) {
        let mut next = 0;
        while next < files.len() {
            let dir = files[next]
                .path
                .parent()
                .unwrap_or(std::path::Path::new(""))
                .to_path_buf();
            let targets = bicep::local_module_paths(&files[next].program);
            next += 1;
            for target in targets {
                let path = lexical_normalize(&dir.join(target));
                if files.iter().any(|f| lexical_normalize(&f.path) == path) {
                    continue;
                }
                let Some((id, text)) = self.read(&path) else {
                    continue;
                };
                match bicep::parse(text) {
                    Ok(program) => {
                        self.read_directives(id, &program.comments);
                        files.push(bicep::BicepFile {
                            id,
                            path,
                            program,
                            module_only: true,
                        })
                    }
                    Err(error) => self.syntax_error(id, error),
                }
            }
        }
    }
}

impl terraform::ModuleLoader for ModuleFiles<'_> {
    fn load(&mut self, dir: &std::path::Path) -> Option<Vec<terraform::ParsedFile>> {
        // `examples/x/../..` normalizes to the empty path: the working directory.
        let dir = if dir.as_os_str().is_empty() {
            std::path::Path::new(".")
        } else {
            dir
        };
        crate::stats::directory_listed();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "tf") && path.is_file())
            .collect();
        paths.sort();
        let mut parsed = Vec::new();
        for path in paths {
            let Some((id, text)) = self.read(&path) else {
                continue;
            };
            let comments = if suppress::may_contain_directives(text) {
                terraform::comments(text)
            } else {
                Vec::new()
            };
            match terraform::parse(text) {
                Ok(body) => {
                    self.read_directives(id, &comments);
                    parsed.push(terraform::ParsedFile {
                        id,
                        body,
                        role: terraform::FileRole::Config,
                    })
                }
                Err(error) => self.syntax_error(id, error),
            }
        }
        (!parsed.is_empty()).then_some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lines_that_start_like_a_module_declaration_are_parsed() {
        assert!(may_declare_modules(
            "module \"a\" {\n  source = \"./a\"\n}\n"
        ));
        assert!(may_declare_modules("  module openai './openai.bicep' = {}"));
        assert!(!may_declare_modules(
            "# move this to the shared module\nmodules = 1\n"
        ));
    }

    #[test]
    fn callees_of_entries_are_reached_and_pure_cycles_are_not() {
        let p = |s: &str| PathBuf::from(s);
        let nodes: BTreeSet<PathBuf> = ["root", "a", "b", "x", "y"].map(p).into();
        let (root, a, b, x, y) = (p("root"), p("a"), p("b"), p("x"), p("y"));
        let mut graph = BTreeMap::new();
        graph.insert(&root, vec![&a]);
        graph.insert(&a, vec![&b]);
        graph.insert(&x, vec![&y]);
        graph.insert(&y, vec![&x]);
        let reached = reached_from_entries(&nodes, &graph);
        assert_eq!(reached, [p("a"), p("b")].into());
    }
}
