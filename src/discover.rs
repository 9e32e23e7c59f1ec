//! Finds the files to lint and groups them into scopes (one directory = one Terraform module).

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError};

use globset::{GlobSet, GlobSetBuilder};

use crate::boundary::Boundary;
use crate::error::Error;
use crate::finding::FileError;
use crate::frontend::FileKind;
use crate::source::{FileId, display_path, lexical_normalize, sort_by_path};

/// Directories never worth entering: tool state, not user code.
const SKIPPED_DIRS: [&str; 2] = [".terraform", ".git"];

#[derive(Debug, Clone)]
pub struct DiscoveredFile {
    pub path: PathBuf,
    /// The path as shown in output.
    pub display: Arc<str>,
    pub kind: FileKind,
    /// False for sibling files read only as context for an explicitly given file: their
    /// resources are linked, but findings located in them are not reported.
    pub target: bool,
}

/// Files of one directory, linted together.
#[derive(Debug, Clone)]
pub struct Scope {
    pub dir: PathBuf,
    pub files: Vec<FileId>,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<DiscoveredFile>,
    pub scopes: Vec<Scope>,
    /// Directories or files the walk could not read; everything else is still linted.
    pub errors: Vec<FileError>,
    /// Whether files were given by name (pre-commit, editors): then only they are reported on.
    pub explicit_files: bool,
    /// Symlinks not followed because their target lies outside the repository, as shown.
    pub outside_links: Vec<String>,
    /// Where reads are bounded: the repositories of the paths given.
    boundary: Boundary,
    /// The `.aoai-lint.hcl` files the walks met: each configures the files below it.
    pub config_files: Vec<PathBuf>,
    cwd: PathBuf,
}

impl Discovered {
    pub fn file(&self, id: FileId) -> &DiscoveredFile {
        &self.files[id.0 as usize]
    }

    /// What the scope of `dir` may read (see [`Boundary::of_scope`]).
    pub fn scope_boundary(&self, dir: &Path) -> Boundary {
        self.boundary.of_scope(dir, &self.cwd)
    }

    /// The id of a discovered file, by its normalized path (files are in path order).
    pub fn id_of(&self, path: &Path) -> Option<FileId> {
        self.files
            .binary_search_by(|file| file.path.as_path().cmp(path))
            .ok()
            .map(|i| FileId(i as u32))
    }
}

/// Builds the exclude matcher. A pattern without `/` matches a file or directory name anywhere
/// (like `.gitignore`); one with `/` matches the path as displayed.
pub fn exclude_set(patterns: &[String]) -> Result<GlobSet, Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let globs = crate::config::exclude_globs(pattern)
            .map_err(|e| Error::Usage(format!("invalid exclude pattern `{pattern}`: {e}")))?;
        for glob in globs {
            builder.add(glob);
        }
    }
    builder
        .build()
        .map_err(|e| Error::Usage(format!("invalid exclude patterns: {e}")))
}

/// What a walk leaves out.
pub struct WalkFilters {
    /// `--exclude` patterns (and those of `--config`), matched against paths as shown.
    pub excludes: GlobSet,
    /// Whether each path's nearest `.aoai-lint.hcl` excludes what its `exclude` patterns
    /// match below it (not with `--config` or `--no-config`).
    pub nearest_configs: bool,
    /// `.gitignore`, `.ignore`, `.git/info/exclude` and the global git excludes (off with
    /// `--no-ignore`).
    pub ignore_files: bool,
    /// Threads that walk a directory (`--jobs`; 0 for one per core).
    pub threads: usize,
}

/// `buffer` is a file given on standard input (`--stdin-filename`): it need not exist on disk.
pub fn discover(
    paths: &[PathBuf],
    filters: &WalkFilters,
    cwd: &Path,
    buffer: Option<&Path>,
) -> Result<Discovered, Error> {
    // (path, is target), sorted by path at the end.
    let mut found: Vec<(PathBuf, bool)> = Vec::new();
    let mut errors = Vec::new();
    let mut explicit_files = false;
    let mut outside = Vec::new();
    let mut config_files = Vec::new();
    let mut boundary = Boundary::default();
    // Each directory of given files is listed once, however many of its files are given.
    let mut listed: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for path in paths {
        let is_dir = if Some(path.as_path()) == buffer {
            false
        } else {
            let metadata = std::fs::metadata(path).map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })?;
            metadata.is_dir()
        };
        if is_dir {
            let root = boundary.include(path, cwd);
            // A directory given that is itself a link out of the repository is not walked.
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            if !canonical.starts_with(&root) {
                outside.push(lexical_normalize(path));
                continue;
            }
            let mut walked = Walked {
                found: &mut found,
                errors: &mut errors,
                outside: &mut outside,
                configs: &mut config_files,
            };
            walk(path, &root, filters, cwd, &mut walked)?;
        } else if FileKind::of(path).is_some() {
            // Explicit files are always linted; their siblings give them context.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let root = boundary.include(dir, cwd);
            // Not only a link: a file reached through a linked directory, too.
            if !boundary.admits(path, cwd) {
                outside.push(lexical_normalize(path));
                continue;
            }
            found.push((lexical_normalize(path), true));
            explicit_files = true;
            if listed.insert(lexical_normalize(dir)) {
                add_siblings(dir, &root, &mut found, &mut outside);
            }
        }
    }

    outside.sort();
    outside.dedup();
    let mut discovered = Discovered {
        errors,
        explicit_files,
        outside_links: outside.iter().map(|link| display_path(link, cwd)).collect(),
        boundary,
        config_files,
        cwd: cwd.to_path_buf(),
        ..Discovered::default()
    };
    for (path, target) in in_path_order(found) {
        let Some(kind) = FileKind::of(&path) else {
            continue;
        };
        discovered.files.push(DiscoveredFile {
            display: display_path(&path, cwd).into(),
            path,
            kind,
            target,
        });
    }
    discovered.scopes = scopes_of(&discovered.files);
    Ok(discovered)
}

/// The files found, each once (a target when any walk or name gave it as one), in path order.
fn in_path_order(mut found: Vec<(PathBuf, bool)>) -> Vec<(PathBuf, bool)> {
    sort_by_path(&mut found, |(path, _)| path);
    found.dedup_by(|later, first| {
        let same = later.0 == first.0;
        first.1 |= same && later.1;
        same
    });
    found
}

/// The scopes of files in path order: one per directory, in directory order.
fn scopes_of(files: &[DiscoveredFile]) -> Vec<Scope> {
    let mut by_dir: Vec<(&Path, FileId)> = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let dir = file.path.parent().unwrap_or(Path::new(""));
            (dir, FileId(i as u32))
        })
        .collect();
    // Stable: a directory's files stay in path order.
    sort_by_path(&mut by_dir, |(dir, _)| dir);
    let mut scopes: Vec<Scope> = Vec::new();
    for (dir, id) in by_dir {
        match scopes.last_mut() {
            Some(scope) if scope.dir == dir => scope.files.push(id),
            _ => scopes.push(Scope {
                dir: dir.to_path_buf(),
                files: vec![id],
            }),
        }
    }
    scopes
}

/// The files of `dir` beside the ones given, as context (not reported on).
fn add_siblings(
    dir: &Path,
    root: &Path,
    found: &mut Vec<(PathBuf, bool)>,
    outside: &mut Vec<PathBuf>,
) {
    crate::stats::directory_listed();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let sibling = entry.path();
        if FileKind::of(&sibling).is_none() {
            continue;
        }
        // The listing's own file type: no `stat` per sibling unless it is a link.
        let readable = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => follows(&sibling, root, outside) && sibling.is_file(),
            Ok(kind) => kind.is_file(),
            Err(_) => false,
        };
        if readable {
            found.push((lexical_normalize(&sibling), false));
        }
    }
}

/// Whether `path` may be read: not a symlink, or one whose target lies inside `root` (the
/// canonical repository, or directory given), or inside a repository nested in it that holds
/// the link. A link leading outside is recorded in `outside`, never read: it may point
/// at `~/.netrc`.
fn follows(path: &Path, root: &Path, outside: &mut Vec<PathBuf>) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return true;
    }
    match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(crate::boundary::bound_of_link(path, root)) => true,
        Ok(_) => {
            outside.push(lexical_normalize(path));
            false
        }
        // A dangling link: nothing to read.
        Err(_) => false,
    }
}

/// Directories already walked (canonical), and the links that lead outside the root.
#[derive(Default)]
struct WalkState {
    walked: std::collections::HashSet<PathBuf>,
    /// Until a link is followed, a directory's path below the canonical root is canonical:
    /// no `canonicalize` call per directory on trees without links.
    followed_link: bool,
    outside: Vec<PathBuf>,
    /// The nearest configurations' excludes, when they apply.
    nearest: Option<NearestExcludes>,
}

/// What a walk collects.
struct Walked<'a> {
    found: &'a mut Vec<(PathBuf, bool)>,
    errors: &'a mut Vec<FileError>,
    outside: &'a mut Vec<PathBuf>,
    configs: &'a mut Vec<PathBuf>,
}

/// Walks `root`, following the links whose target lies inside `repository` (canonical); fails
/// only when a configuration whose excludes apply cannot be read.
fn walk(
    root: &Path,
    repository: &Path,
    filters: &WalkFilters,
    cwd: &Path,
    walked: &mut Walked<'_>,
) -> Result<(), Error> {
    let excludes_for_filter = filters.excludes.clone();
    let cwd_for_filter = cwd.to_path_buf();
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let state = std::sync::Arc::new(std::sync::Mutex::new(WalkState {
        nearest: filters.nearest_configs.then(NearestExcludes::default),
        ..WalkState::default()
    }));
    let state_for_filter = state.clone();
    let walk_root = root.to_path_buf();
    let repository = repository.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(filters.ignore_files)
        .git_global(filters.ignore_files)
        .git_exclude(filters.ignore_files)
        .ignore(filters.ignore_files)
        .parents(filters.ignore_files)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |entry| {
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if entry.depth() > 0 && is_dir && SKIPPED_DIRS.contains(&name.as_ref()) {
                return false;
            }
            let Ok(mut state) = state_for_filter.lock() else {
                return false;
            };
            if entry.path_is_symlink() {
                if !follows(entry.path(), &repository, &mut state.outside) {
                    return false;
                }
                state.followed_link |= is_dir;
            }
            // A directory reached twice (through a link) is walked once.
            if is_dir {
                let below_root = entry.path().strip_prefix(&walk_root).ok();
                let canonical = match below_root {
                    Some(relative) if !state.followed_link => canonical_root.join(relative),
                    _ => std::fs::canonicalize(entry.path())
                        .unwrap_or_else(|_| entry.path().to_path_buf()),
                };
                if !state.walked.insert(canonical) {
                    return false;
                }
            }
            let nearest = state.nearest.as_mut();
            entry.depth() == 0
                || !excluded(entry.path(), &excludes_for_filter, &cwd_for_filter, nearest)
        })
        .threads(filters.threads)
        .build_parallel();
    // Entries arrive in any order from the walker's threads: `found` is sorted by path at the
    // end, and the lists are sorted below, so the result does not depend on the thread count.
    let collected = std::sync::Mutex::new(Collected::default());
    walker.run(|| {
        Box::new(|entry| {
            let mut collected = collected.lock().unwrap_or_else(PoisonError::into_inner);
            collected.add(entry, root, cwd);
            ignore::WalkState::Continue
        })
    });
    let collected = collected
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    walked.found.extend(collected.found);
    walked.errors.extend(collected.errors);
    walked.errors.sort();
    walked.configs.extend(collected.configs);
    walked.configs.sort();
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    walked.outside.append(&mut state.outside);
    match state
        .nearest
        .as_mut()
        .and_then(|nearest| nearest.error.take())
    {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Whether `path` is left out of a walk: by an `--exclude` pattern (matched against the path
/// as shown) or by its nearest configuration's (matched below that file's directory).
fn excluded(
    path: &Path,
    flags: &GlobSet,
    cwd: &Path,
    nearest: Option<&mut NearestExcludes>,
) -> bool {
    let by_flags = !flags.is_empty() && flags.is_match(display_path(path, cwd));
    by_flags || nearest.is_some_and(|nearest| nearest.excludes(&lexical_normalize(&cwd.join(path))))
}

/// The `exclude` patterns of each directory's nearest `.aoai-lint.hcl`, each matched against
/// paths relative to its file's directory: a configuration excludes only below it, whatever
/// the order of the paths linted and the working directory.
#[derive(Default)]
struct NearestExcludes {
    /// By directory (absolute): its nearest configuration's patterns, if it has one.
    by_dir: std::collections::HashMap<PathBuf, Option<Arc<ConfigExcludes>>>,
    /// The first configuration that could not be read.
    error: Option<Error>,
}

/// A configuration's `exclude` patterns and the directory they are relative to.
struct ConfigExcludes {
    dir: PathBuf,
    globs: GlobSet,
}

impl NearestExcludes {
    /// Whether the nearest configuration above `path` (absolute) excludes it.
    fn excludes(&mut self, path: &Path) -> bool {
        let nearest = path.parent().and_then(|dir| self.nearest(dir));
        nearest.is_some_and(|config| {
            !config.globs.is_empty() && config.globs.is_match(display_path(path, &config.dir))
        })
    }

    /// The patterns of the configuration in `dir` or nearest above it; each directory is
    /// looked at once.
    fn nearest(&mut self, dir: &Path) -> Option<Arc<ConfigExcludes>> {
        if let Some(known) = self.by_dir.get(dir) {
            return known.clone();
        }
        let file = dir.join(crate::config::FILE_NAME);
        let found = match file.is_file() {
            true => self.read(dir, &file),
            false => dir.parent().and_then(|parent| self.nearest(parent)),
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn read(&mut self, dir: &Path, file: &Path) -> Option<Arc<ConfigExcludes>> {
        let globs = crate::config::load(file).and_then(|config| exclude_set(&config.exclude));
        match globs {
            Ok(globs) => Some(Arc::new(ConfigExcludes {
                dir: dir.to_path_buf(),
                globs,
            })),
            Err(error) => {
                self.error.get_or_insert(error);
                None
            }
        }
    }
}

/// What one walk's threads collect.
#[derive(Default)]
struct Collected {
    found: Vec<(PathBuf, bool)>,
    errors: Vec<FileError>,
    configs: Vec<PathBuf>,
}

impl Collected {
    fn add(&mut self, entry: Result<ignore::DirEntry, ignore::Error>, root: &Path, cwd: &Path) {
        let entry = match entry {
            Ok(entry) => entry,
            // A link back to an ancestor: that directory is walked already.
            Err(error) if is_loop(&error) => return,
            Err(error) => {
                let (path, message) = walk_error(&error, root);
                self.errors.push(FileError {
                    file: display_path(&path, cwd).into(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read: {message}"),
                    offset: None,
                });
                return;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            return;
        }
        if FileKind::of(entry.path()).is_some() {
            self.found.push((lexical_normalize(entry.path()), true));
        } else if entry.file_name() == crate::config::FILE_NAME {
            self.configs.push(lexical_normalize(entry.path()));
        }
    }
}

/// The path a walk error is about, and its cause in a user's words.
fn walk_error(error: &ignore::Error, root: &Path) -> (PathBuf, String) {
    match error {
        ignore::Error::WithPath { path, err } => (path.clone(), walk_error(err, root).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err, root)
        }
        // The innermost cause: the operating system's words, without the wrapper's.
        ignore::Error::Io(io) => {
            let mut cause: &dyn std::error::Error = io;
            while let Some(inner) = cause.source() {
                cause = inner;
            }
            (root.to_path_buf(), cause.to_string())
        }
        other => (root.to_path_buf(), other.to_string()),
    }
}

fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_match_names_anywhere_and_paths_from_the_root() {
        let set = exclude_set(&["examples".into(), "infra/legacy/*.tf".into()]).unwrap();
        assert!(set.is_match("a/examples/main.tf"));
        assert!(set.is_match("examples"));
        assert!(set.is_match("infra/legacy/old.tf"));
        assert!(!set.is_match("infra/main.tf"));
        assert!(exclude_set(&["a[".into()]).is_err());
    }
}
