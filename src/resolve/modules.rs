//! Which scanned Terraform directories and Bicep templates another scanned one calls as a local
//! module. Those are linted through their callers, with the values the callers pass, and not a
//! second time on their own with unresolved inputs.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Discovered, DiscoveredFile, Scope};
use crate::finding::FileError;
use crate::frontend::{FileKind, SyntaxError, bicep, terraform};
use crate::policy::catalog;
use crate::source::{FileId, display_path, lexical_normalize};
use crate::source_store::{self, Loaded, SourceFile, SourceStore, Syntax, read_source};

#[derive(Debug, Default)]
pub struct CalledModules {
    /// Terraform directories called by a scanned module.
    pub terraform_dirs: HashSet<PathBuf>,
    /// Bicep templates called by a scanned template.
    pub bicep_templates: HashSet<PathBuf>,
}

/// What the module-call scan found: which scanned modules are called, and the reports of the
/// scopes it linted on its way.
pub struct Scanned<R> {
    pub called: CalledModules,
    /// By scope: the report of a scope that calls no local module and that no scope calls,
    /// linted as soon as its files were read, so they are not read again.
    pub linted: Vec<Option<R>>,
}

/// Reads every scanned `.tf` and `.bicep` file, scope by scope, and parses those with a line
/// that starts like a module declaration (a cheap test that can only let too many through: the
/// calls themselves come from the parser). A scope that calls no local module is linted right
/// away by `lint_leaf`, with its files in hand; its report is kept unless another scope turns
/// out to call it (then its callers build it and it is linted again, as called). Tells the
/// store how many more times each file will be used, so what it read here is kept for those
/// uses and let go after the last.
pub fn called_modules<R: Send, L: Fn(&Scope) -> R + Sync>(
    store: &SourceStore<'_>,
    lint_leaf: Option<L>,
) -> Scanned<R> {
    let discovered = store.discovered();
    let scanned: Vec<(Vec<Call>, Option<R>)> = discovered
        .scopes
        .par_iter()
        .map(|scope| scan_scope(store, scope, lint_leaf.as_ref()))
        .collect();
    let started = std::time::Instant::now();
    let (edges, mut linted): (Vec<Vec<Call>>, Vec<Option<R>>) = scanned.into_iter().unzip();
    let edges: Vec<Call> = edges.into_iter().flatten().collect();
    let graphs = [Language::Terraform, Language::Bicep]
        .map(|language| CallGraph::of(discovered, language, &edges));
    let mut called = CalledModules::default();
    for graph in &graphs {
        let reached = reached_from_entries(&graph.nodes, &graph.calls);
        match graph.language {
            Language::Terraform => called.terraform_dirs = reached,
            Language::Bicep => called.bicep_templates = reached,
        }
    }
    for (scope, report) in discovered.scopes.iter().zip(&mut linted) {
        if called.contains_any_of(discovered, scope) {
            *report = None;
        }
    }
    let done: Vec<bool> = linted.iter().map(Option::is_some).collect();
    count_uses(store, &called, &graphs, &done);
    crate::stats::add_since(crate::stats::Stage::Modules, started);
    Scanned { called, linted }
}

/// One local module call: (language, caller node, callee node).
type Call = (Language, PathBuf, PathBuf);

/// The local module calls of a scope's files, and the scope's report when it makes none.
fn scan_scope<R>(
    store: &SourceStore<'_>,
    scope: &Scope,
    lint_leaf: Option<&(impl Fn(&Scope) -> R + Sync)>,
) -> (Vec<Call>, Option<R>) {
    let discovered = store.discovered();
    let read: Vec<(FileId, Loaded, Vec<Call>)> = scope
        .files
        .par_iter()
        .filter(|&&id| Language::of_node(discovered.file(id)).is_some())
        .filter_map(|&id| {
            let loaded = store.load(id, may_declare_modules).ok()?;
            let calls = calls_of(discovered.file(id), &loaded);
            Some((id, loaded, calls))
        })
        .collect();
    if read.iter().any(|(_, _, calls)| !calls.is_empty()) {
        return (
            read.into_iter().flat_map(|(_, _, calls)| calls).collect(),
            None,
        );
    }
    // Within the store's budget the scope waits for the call graph, and reads its files from
    // the store; past it, they would be read again.
    let Some(lint_leaf) = lint_leaf.filter(|_| !read.iter().all(|(id, _, _)| store.keeps(*id)))
    else {
        return (Vec::new(), None);
    };
    for (id, loaded, _) in read {
        store.hold(id, loaded);
    }
    (Vec::new(), Some(lint_leaf(scope)))
}

impl CalledModules {
    /// Whether another scope calls this scope's directory or one of its templates.
    fn contains_any_of(&self, discovered: &Discovered, scope: &Scope) -> bool {
        self.terraform_dirs.contains(&lexical_normalize(&scope.dir))
            || scope.files.iter().any(|&id| {
                let file = discovered.file(id);
                Language::of_node(file) == Some(Language::Bicep)
                    && self
                        .bicep_templates
                        .contains(&lexical_normalize(&file.path))
            })
    }
}

/// The modules of one language in the scanned tree, and which calls which.
struct CallGraph {
    language: Language,
    nodes: BTreeSet<PathBuf>,
    calls: BTreeMap<PathBuf, Vec<PathBuf>>,
}

impl CallGraph {
    /// The scanned modules of `language` and the calls among them.
    fn of(discovered: &Discovered, language: Language, edges: &[Call]) -> CallGraph {
        let mut graph = CallGraph {
            language,
            nodes: BTreeSet::new(),
            calls: BTreeMap::new(),
        };
        if !edges.iter().any(|(l, _, _)| *l == language) {
            return graph;
        }
        graph.nodes = discovered
            .files
            .iter()
            .filter(|file| Language::of_node(file) == Some(language))
            .map(|file| language.node_of(file))
            .collect();
        for (_, caller, callee) in edges.iter().filter(|(l, _, _)| *l == language) {
            if graph.nodes.contains(callee) && caller != callee {
                graph
                    .calls
                    .entry(caller.clone())
                    .or_default()
                    .push(callee.clone());
            }
        }
        graph
    }
}

/// The local module calls of one file, read.
fn calls_of(file: &DiscoveredFile, loaded: &Loaded) -> Vec<Call> {
    let dir = file.path.parent().unwrap_or(Path::new(""));
    match &loaded.syntax {
        Some(Ok(Syntax::Terraform(body, _))) => terraform::local_calls(body)
            .into_iter()
            .map(|source| {
                let callee = lexical_normalize(&dir.join(source));
                (Language::Terraform, lexical_normalize(dir), callee)
            })
            .collect(),
        Some(Ok(Syntax::Bicep(program))) => bicep::local_module_paths(program)
            .into_iter()
            .map(|path| {
                let callee = lexical_normalize(&dir.join(path));
                (Language::Bicep, lexical_normalize(&file.path), callee)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// How many more times each discovered file will be loaded: once by its own scope, and once by
/// every scope whose module calls lead to it (a scope loads a module file once, however many
/// calls lead there). Scopes already linted (`done`) use their files no more.
fn count_uses(
    store: &SourceStore<'_>,
    called: &CalledModules,
    graphs: &[CallGraph],
    done: &[bool],
) {
    let discovered = store.discovered();
    let mut uses = vec![0u32; discovered.files.len()];
    for (scope, _) in discovered
        .scopes
        .iter()
        .zip(done)
        .filter(|(_, done)| !**done)
    {
        for id in &scope.files {
            uses[id.0 as usize] += 1;
        }
    }
    if graphs.iter().any(|graph| !graph.calls.is_empty()) {
        add_module_uses(discovered, called, graphs, &mut uses);
    }
    for (i, uses) in uses.into_iter().enumerate() {
        store.expect_uses(FileId(i as u32), uses);
    }
}

/// One use of each file of a module for every scope whose module calls lead to it.
fn add_module_uses(
    discovered: &crate::discover::Discovered,
    called: &CalledModules,
    graphs: &[CallGraph],
    uses: &mut [u32],
) {
    let mut ids_of_node: HashMap<(Language, &Path), Vec<FileId>> = HashMap::new();
    for (i, file) in discovered.files.iter().enumerate() {
        if let Some(language) = Language::of_node(file) {
            ids_of_node
                .entry((language, language.node_path(file)))
                .or_default()
                .push(FileId(i as u32));
        }
    }
    for scope in &discovered.scopes {
        let dir = lexical_normalize(&scope.dir);
        for graph in graphs {
            let language = graph.language;
            let starts: Vec<PathBuf> = match language {
                // A called directory's callers build its module tree, not the directory.
                Language::Terraform if called.terraform_dirs.contains(&dir) => Vec::new(),
                Language::Terraform => vec![dir.clone()],
                Language::Bicep => scope
                    .files
                    .iter()
                    .map(|&id| discovered.file(id))
                    .filter(|file| Language::of_node(file) == Some(Language::Bicep))
                    .map(|file| lexical_normalize(&file.path))
                    .collect(),
            };
            for node in reachable(&graph.calls, starts) {
                let in_scope = match language {
                    Language::Terraform => node == dir,
                    Language::Bicep => node.parent() == Some(dir.as_path()),
                };
                if in_scope {
                    continue;
                }
                for id in ids_of_node
                    .get(&(language, node.as_path()))
                    .into_iter()
                    .flatten()
                {
                    uses[id.0 as usize] += 1;
                }
            }
        }
    }
}

/// Every node reached from `starts` by one or more calls.
fn reachable(graph: &BTreeMap<PathBuf, Vec<PathBuf>>, starts: Vec<PathBuf>) -> BTreeSet<PathBuf> {
    let mut reached = BTreeSet::new();
    let mut stack = starts;
    while let Some(node) = stack.pop() {
        for callee in graph.get(&node).into_iter().flatten() {
            if reached.insert(callee.clone()) {
                stack.push(callee.clone());
            }
        }
    }
    reached
}

/// Whether some line starts with `module` and a space or quote, or the text has a `"module"`
/// property: Terraform `module "x" {` and Bicep `module x '...'` do, and so does Terraform's
/// JSON syntax; comments and other uses of the word mostly do not.
fn may_declare_modules(text: &str) -> bool {
    text.contains("module")
        && (text.contains("\"module\"")
            || text.lines().any(|line| {
                line.trim_start()
                    .strip_prefix("module")
                    .is_some_and(|rest| rest.starts_with([' ', '\t', '"']))
            }))
}

/// The two languages whose files call local modules. A Terraform module is a directory of
/// `.tf` files; a Bicep module is one `.bicep` template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Language {
    Terraform,
    Bicep,
}

impl Language {
    /// The language of a file that may call or be a module.
    fn of_node(file: &DiscoveredFile) -> Option<Language> {
        let name = file.path.to_string_lossy();
        match file.kind {
            FileKind::Terraform if terraform::is_config_file(&name) => Some(Language::Terraform),
            FileKind::Bicep if name.ends_with(".bicep") => Some(Language::Bicep),
            _ => None,
        }
    }

    /// The module a file belongs to, as discovered.
    fn node_path(self, file: &DiscoveredFile) -> &Path {
        match self {
            Language::Terraform => file.path.parent().unwrap_or(Path::new("")),
            Language::Bicep => file.path.as_path(),
        }
    }

    /// The module a file belongs to, normalized as module calls are resolved.
    fn node_of(self, file: &DiscoveredFile) -> PathBuf {
        lexical_normalize(self.node_path(file))
    }
}

/// Nodes reached from an entry (a node no other node calls). Nodes only on a cycle with no
/// entry are not reached: they are linted on their own rather than not at all.
fn reached_from_entries(
    nodes: &BTreeSet<PathBuf>,
    graph: &BTreeMap<PathBuf, Vec<PathBuf>>,
) -> HashSet<PathBuf> {
    let callees: HashSet<&PathBuf> = graph.values().flatten().collect();
    let entries = nodes
        .iter()
        .filter(|n| !callees.contains(n))
        .cloned()
        .collect();
    reachable(graph, entries).into_iter().collect()
}

/// A file read because a module call leads to it.
pub struct ModuleFile {
    pub file: SourceFile,
    /// Normalized, as module calls are resolved.
    path: PathBuf,
    pub display: Arc<str>,
    /// Whether findings in it are reported (see [`ModuleFiles::load`]).
    pub target: bool,
    syntax: Result<Syntax, SyntaxError>,
}

/// Loads the files that a scope's local module calls lead to, wherever they are, each once per
/// scope, and keeps their texts to locate findings in them.
pub struct ModuleFiles<'a> {
    store: &'a SourceStore<'a>,
    cwd: &'a Path,
    /// What the scope may read.
    boundary: crate::boundary::Boundary,
    /// Ids for files outside the discovered tree, past the discovered ones.
    next_id: u32,
    /// Files of the scope's own directory are not kept here: the scope has them already.
    pub files: Vec<ModuleFile>,
    pub errors: Vec<FileError>,
    /// Syntax errors of module files read only as context for files given by name, with
    /// their kinds: warnings for the files given that the kind serves.
    pub context_errors: Vec<(FileKind, FileError)>,
    /// Module files not read because they lie outside the repository, as shown.
    pub outside_links: Vec<String>,
}

/// A bound on the files one scope's module calls may read.
const MAX_MODULE_FILES: usize = 1_024;

impl<'a> ModuleFiles<'a> {
    /// `bound_dir` is the directory whose repository bounds the reads: the scope's own, or for
    /// a plan the configuration it was made from (`--plan-root`).
    pub fn new(store: &'a SourceStore<'a>, cwd: &'a Path, bound_dir: &Path) -> Self {
        ModuleFiles {
            store,
            cwd,
            boundary: store.discovered().scope_boundary(bound_dir),
            next_id: store.discovered().files.len() as u32,
            files: Vec::new(),
            errors: Vec::new(),
            context_errors: Vec::new(),
            outside_links: Vec::new(),
        }
    }

    /// A module file's id and syntax tree. A file of the scanned tree comes from the store and
    /// keeps its id, path and target status; a file outside it is read here, and reported on
    /// unless files were given by name (then only those are).
    fn load(
        &mut self,
        path: &Path,
        kind: FileKind,
    ) -> Option<(FileId, Result<Syntax, SyntaxError>)> {
        let path = lexical_normalize(path);
        if let Some(module) = self.files.iter().find(|m| m.path == path) {
            return Some((module.file.id, module.syntax.clone()));
        }
        if self.files.len() >= MAX_MODULE_FILES {
            return None;
        }
        let discovered = self.store.discovered();
        let id = discovered.id_of(&path);
        if id.is_none() && !self.boundary.admits(&path, self.cwd) {
            self.outside_links.push(display_path(&path, self.cwd));
            return None;
        }
        let (id, display, target, loaded) = match id {
            Some(id) => {
                let file = discovered.file(id);
                let loaded = self.store.load(id, |_| true).ok()?;
                (id, file.display.clone(), file.target, loaded)
            }
            None => {
                let id = FileId(self.next_id);
                self.next_id += 1;
                let text: Arc<String> = read_source(&path, self.store.stdin()).ok()?.into();
                let syntax = source_store::parse(&path, kind, &text);
                let display = display_path(&path, self.cwd).into();
                let loaded = Loaded { text, syntax };
                (id, display, !discovered.explicit_files, loaded)
            }
        };
        let syntax = loaded.syntax?;
        let mut file = SourceFile::new(id, loaded.text);
        match &syntax {
            Ok(syntax) => file.read_directives_of(syntax, catalog()),
            // Files of the scanned tree report their own syntax errors.
            Err(_) if (id.0 as usize) < discovered.files.len() => {}
            Err(error) if target => self.errors.push(file.syntax_error(&display, error)),
            // Read only as context for the files given by name: a warning for them.
            Err(error) => self
                .context_errors
                .push((kind, file.syntax_error(&display, error))),
        }
        self.files.push(ModuleFile {
            file,
            path,
            display,
            target,
            syntax: syntax.clone(),
        });
        Some((id, syntax))
    }
}

/// Where the resources of a Terraform plan are written: the `resource` blocks of the root module
/// (`root_files`, in `dir`) and of the local modules the plan's configuration calls, loaded
/// here, by address without instance keys (`module.app.azurerm_x.y`). Only files that are
/// reported on count, all of them when `report_all` (the plan itself is reported on).
fn plan_sources(
    modules: &mut ModuleFiles<'_>,
    dir: &Path,
    root_files: &[terraform::ParsedFile],
    plans: &[crate::frontend::plan::PlanFile],
    report_all: bool,
) -> HashMap<String, terraform::Written> {
    let discovered = modules.store.discovered();
    let reported = |files: &[terraform::ParsedFile], modules: &mut ModuleFiles<'_>| {
        if report_all {
            for module in &mut modules.files {
                if files.iter().any(|f| f.id == module.file.id) {
                    module.target = true;
                }
            }
        }
        let target = |id: FileId| match modules.files.iter().find(|m| m.file.id == id) {
            Some(module) => module.target,
            None => {
                report_all || (id.0 as usize) < discovered.files.len() && discovered.file(id).target
            }
        };
        files
            .iter()
            .filter(|f| target(f.id))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut written = HashMap::new();
    let mut pending: Vec<(String, PathBuf, &crate::frontend::json::Json)> = Vec::new();
    for plan in plans {
        let config = plan
            .root
            .get("configuration")
            .and_then(|c| c.get("root_module"));
        if let Some(config) = config {
            pending.push((String::new(), dir.to_path_buf(), config));
        }
    }
    let mut root_done = false;
    while let Some((prefix, module_dir, config)) = pending.pop() {
        let files = match prefix.is_empty() {
            true if root_done => continue,
            true => {
                root_done = true;
                reported(root_files, modules)
            }
            false => match terraform::ModuleLoader::load(modules, &module_dir) {
                Ok(files) => reported(&files, modules),
                Err(_) => Vec::new(),
            },
        };
        for (address, block) in terraform::resource_blocks(&files) {
            written.entry(format!("{prefix}{address}")).or_insert(block);
        }
        if pending.len() + written.len() > MAX_MODULE_FILES {
            break;
        }
        let calls = config
            .get("module_calls")
            .map(|c| c.properties())
            .unwrap_or_default();
        for call in calls {
            let source = call
                .value
                .get("source")
                .and_then(|s| s.as_str())
                .unwrap_or_default();
            let Some(module) = call.value.get("module") else {
                continue;
            };
            if source.starts_with("./") || source.starts_with("../") {
                let child = lexical_normalize(&module_dir.join(source));
                pending.push((format!("{prefix}module.{}.", call.key), child, module));
            }
        }
    }
    written
}

impl crate::frontend::ModuleLoader for ModuleFiles<'_> {
    fn terraform_root(&mut self, dir: &Path) -> Vec<terraform::ParsedFile> {
        let files = terraform::ModuleLoader::load(self, dir).unwrap_or_default();
        for module in &mut self.files {
            if files.iter().any(|f| f.id == module.file.id) {
                module.target = true;
            }
        }
        files
    }

    fn add_bicep_modules(&mut self, files: &mut Vec<bicep::BicepFile>) {
        let mut next = 0;
        while next < files.len() {
            let dir = files[next]
                .path
                .parent()
                .unwrap_or(Path::new(""))
                .to_path_buf();
            let targets = bicep::local_template_paths(&files[next].program);
            next += 1;
            for target in targets {
                let path = lexical_normalize(&dir.join(target));
                // An ARM template called from Bicep is not followed: never read it as Bicep.
                let is_bicep = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("bicep"));
                if !is_bicep || files.iter().any(|f| lexical_normalize(&f.path) == path) {
                    continue;
                }
                if let Some((id, Ok(Syntax::Bicep(program)))) = self.load(&path, FileKind::Bicep) {
                    files.push(bicep::BicepFile {
                        id,
                        path,
                        program,
                        module_only: true,
                        contents: Default::default(),
                    });
                }
            }
        }
    }

    fn read_content(&mut self, path: &Path) -> Result<Arc<String>, String> {
        /// Content a template reads is data, not a program: a bound on what one file holds.
        const MAX_CONTENT: u64 = 4 << 20;
        let path = lexical_normalize(path);
        let discovered = self.store.discovered();
        if !self.boundary.contains(&path, self.cwd) {
            // Whether a file exists outside is not said: it would tell what the machine holds.
            // Inside, a file (or the directories above it) that is not there is just missing.
            let nearest = (path.ancestors().skip(1))
                .map(|dir| match dir.as_os_str().is_empty() {
                    true => Path::new("."),
                    false => dir,
                })
                .find(|dir| dir.exists());
            if !path.exists() && nearest.is_some_and(|dir| self.boundary.contains(dir, self.cwd)) {
                return Err("reads a file that does not exist".into());
            }
            self.outside_links.push(display_path(&path, self.cwd));
            return Err(format!("reads a file {}", crate::boundary::OUTSIDE));
        }
        if let Some(id) = discovered.id_of(&path) {
            return self
                .store
                .load(id, |_| false)
                .map(|loaded| loaded.text)
                .map_err(|error| error.message);
        }
        let size = std::fs::metadata(&path)
            .map(|m| m.len())
            .unwrap_or_default();
        if size > MAX_CONTENT {
            return Err(format!(
                "reads a file of {size} bytes, past the {MAX_CONTENT} read"
            ));
        }
        read_source(&path, self.store.stdin())
            .map(Arc::new)
            .map_err(|error| error.message)
    }

    fn plan_configuration(
        &mut self,
        dir: &Path,
        root_files: &[terraform::ParsedFile],
        plans: &[crate::frontend::plan::PlanFile],
        report_all: bool,
    ) -> HashMap<String, terraform::Written> {
        plan_sources(self, dir, root_files, plans, report_all)
    }
}

impl terraform::ModuleLoader for ModuleFiles<'_> {
    fn load(&mut self, dir: &Path) -> Result<Vec<terraform::ParsedFile>, terraform::Unread> {
        // `examples/x/../..` normalizes to the empty path: the working directory.
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let outside_before = self.outside_links.len();
        let paths = self
            .store
            .terraform_files(dir)
            .ok_or(terraform::Unread::NoFiles)?;
        let parsed: Vec<terraform::ParsedFile> = paths
            .iter()
            .filter_map(
                |path| match ModuleFiles::load(self, path, FileKind::Terraform)? {
                    (id, Ok(Syntax::Terraform(body, dropped))) => Some(terraform::ParsedFile {
                        id,
                        body,
                        role: terraform::FileRole::Config,
                        dropped,
                    }),
                    _ => None,
                },
            )
            .collect();
        match parsed.is_empty() {
            false => Ok(parsed),
            true if self.outside_links.len() > outside_before => Err(terraform::Unread::Outside),
            true => Err(terraform::Unread::NoFiles),
        }
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
        let mut graph = BTreeMap::new();
        graph.insert(p("root"), vec![p("a")]);
        graph.insert(p("a"), vec![p("b")]);
        graph.insert(p("x"), vec![p("y")]);
        graph.insert(p("y"), vec![p("x")]);
        let reached = reached_from_entries(&nodes, &graph);
        assert_eq!(reached, [p("a"), p("b")].into());
    }
}
