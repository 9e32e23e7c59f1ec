//! Which scanned Terraform directories and Bicep templates another scanned one calls as a local
//! module. Those are linted through their callers, with the values the callers pass, and not a
//! second time on their own with unresolved inputs.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::discover::Discovered;
use crate::frontend::{FileKind, bicep, terraform};
use crate::source::lexical_normalize;

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
