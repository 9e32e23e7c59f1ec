//! Where the linter may read: the git work trees that hold the linted paths, or outside a git
//! work tree the directories given (a file's own directory). A symlink whose target lies
//! elsewhere is never opened, whatever the working directory: a pull request that adds
//! `providers.tf -> ../../../../.netrc` must not print a secret into public CI logs.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::source::lexical_normalize;

/// What notes and diagnostics call the boundary.
pub const OUTSIDE: &str = "outside the repository (the git work tree that holds the linted path, \
     or outside a git work tree the directory given)";

/// The canonical directories reads are bounded to.
#[derive(Debug, Default, Clone)]
pub struct Boundary {
    roots: Vec<Root>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Root {
    dir: PathBuf,
    /// A git work tree, rather than a directory given outside one.
    repository: bool,
}

impl Boundary {
    /// Bounds reads below `path` (absolute, or relative to `cwd`): a directory given, or the
    /// directory of a file given. Returns the canonical root it adds.
    pub fn include(&mut self, path: &Path, cwd: &Path) -> PathBuf {
        let root = root_of(path, cwd);
        let dir = root.dir.clone();
        if !self.roots.contains(&root) {
            self.roots.push(root);
        }
        dir
    }

    /// Whether `path` may be read: it lies, links resolved, inside a root. A path that does not
    /// exist is admitted (reading it fails as it would anyway). A path through no link is also
    /// admitted outside the roots when none is a git work tree: a module `../..` of a tree
    /// copied without its `.git`, which Terraform and Bicep read the same way.
    pub fn admits(&self, path: &Path, cwd: &Path) -> bool {
        // The path as it will be read: `..` after a linked directory is taken as written.
        let lexical = lexical_normalize(&absolute(path, cwd));
        let Ok(canonical) = std::fs::canonicalize(&lexical) else {
            return true;
        };
        if self
            .roots
            .iter()
            .any(|root| canonical.starts_with(&root.dir))
        {
            return true;
        }
        let through_no_link = canonical == lexical;
        through_no_link && self.roots.iter().all(|root| !root.repository)
    }

    /// The boundary of what one scope reads (its modules, the files its templates read as
    /// content): the most specific root holding `dir`, else the repository of `dir` itself. Not
    /// every root of the run: a plan given from a temporary directory widens nothing.
    pub fn of_scope(&self, dir: &Path, cwd: &Path) -> Boundary {
        let canonical = std::fs::canonicalize(absolute(dir, cwd)).ok();
        let holding = canonical.as_ref().and_then(|dir| {
            self.roots
                .iter()
                .filter(|root| dir.starts_with(&root.dir))
                .max_by_key(|root| root.dir.components().count())
        });
        let root = holding.cloned().unwrap_or_else(|| root_of(dir, cwd));
        Boundary { roots: vec![root] }
    }
}

impl Boundary {
    /// Whether `path` lies, links resolved, inside a root: what a template may read as its
    /// content (`loadTextContent`), strictly, whether or not a root is a git work tree.
    pub fn contains(&self, path: &Path, cwd: &Path) -> bool {
        let lexical = lexical_normalize(&absolute(path, cwd));
        std::fs::canonicalize(lexical).is_ok_and(|canonical| {
            self.roots
                .iter()
                .any(|root| canonical.starts_with(&root.dir))
        })
    }
}

/// The directory a link's target must lie in: the git work tree that holds the link when one
/// lies inside `outer` (a repository nested in the linted directory bounds its own links),
/// else `outer` (canonical).
pub fn bound_of_link(link: &Path, outer: &Path) -> PathBuf {
    link.ancestors()
        .skip(1)
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
        .and_then(|dir| {
            std::fs::canonicalize(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
            .ok()
        })
        .filter(|repository| repository.starts_with(outer))
        .unwrap_or_else(|| outer.to_path_buf())
}

/// Refuses a file named by an option (`--var-file`, `--config`, `--baseline`, `--plan`) or
/// found as the configuration: anything named is read, unless it is a symlink out of its
/// repository (or, outside a git work tree, out of its own directory).
pub fn check_named(option: &str, path: &Path) -> Result<(), Error> {
    if admits_named(path) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{option} {}: not read: it links to a file {OUTSIDE}",
        path.display()
    )))
}

/// Refuses a report written through a link (`--output`, `--write-baseline`) to `target` (the
/// file the link names, which may not exist yet) outside the link's repository: a committed
/// `results.sarif -> ~/.bashrc` must not let a pull request overwrite a file of the machine
/// that lints it.
pub fn check_written(option: &str, link: &Path, target: &Path) -> Result<(), Error> {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let link_absolute = absolute(link);
    let parent = link_absolute.parent().unwrap_or(Path::new("/"));
    let root = root_of(parent, parent);
    // Through what exists of it: the report creates the rest.
    let target = lexical_normalize(&absolute(target));
    let existing = target
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(Path::new("/"));
    let rest = target.strip_prefix(existing).unwrap_or(Path::new(""));
    let resolved = std::fs::canonicalize(existing)
        .unwrap_or_default()
        .join(rest);
    if resolved.starts_with(&root.dir) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{option} {}: not written: it links to a file {OUTSIDE}",
        link.display()
    )))
}

fn admits_named(path: &Path) -> bool {
    // Relative paths are read from the process's working directory.
    let Ok(absolute) = std::path::absolute(path) else {
        return true;
    };
    let parent = absolute.parent().unwrap_or(Path::new("/"));
    let mut boundary = Boundary::default();
    boundary.include(parent, parent);
    boundary.admits(&absolute, parent)
}

/// The root that bounds reads below `path`: the nearest enclosing git work tree (a `.git`
/// directory, or file for worktrees and submodules), found upward from the path as written so
/// that a link in it does not move the search, else the path itself.
fn root_of(path: &Path, cwd: &Path) -> Root {
    let lexical = lexical_normalize(&absolute(path, cwd));
    // A linked directory on the way is no repository of its own: its target's `.git` would
    // make the link's target the boundary.
    let is_link = |dir: &Path| std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_symlink());
    let repository = lexical
        .ancestors()
        .find(|dir| !is_link(dir) && std::fs::symlink_metadata(dir.join(".git")).is_ok());
    let (dir, is_repository) = match repository {
        Some(repository) => (repository, true),
        None => (lexical.as_path(), false),
    };
    Root {
        dir: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        repository: is_repository,
    }
}

fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn the_repository_bounds_links_whatever_the_working_directory() {
        let home = tempfile::tempdir().unwrap();
        let repo = home.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("envs/prod")).unwrap();
        std::fs::write(home.path().join(".netrc"), "secret").unwrap();
        std::fs::write(repo.join("shared.tf"), "").unwrap();
        symlink("../../shared.tf", repo.join("envs/prod/shared.tf")).unwrap();
        symlink("../../../.netrc", repo.join("envs/prod/netrc.tf")).unwrap();

        let mut boundary = Boundary::default();
        let root = boundary.include(Path::new("repo/envs/prod"), home.path());
        assert_eq!(root, std::fs::canonicalize(&repo).unwrap());
        let prod = repo.join("envs/prod");
        assert!(boundary.admits(&prod.join("shared.tf"), home.path()));
        assert!(!boundary.admits(&prod.join("netrc.tf"), home.path()));
        // Not through a link, but out of the repository all the same.
        assert!(!boundary.admits(&home.path().join(".netrc"), home.path()));
        assert!(!admits_named(&prod.join("netrc.tf")));
        assert!(admits_named(&home.path().join(".netrc")));
        let refused = check_named("--var-file", &prod.join("netrc.tf")).unwrap_err();
        assert!(
            refused.to_string().contains("outside the repository"),
            "{refused}"
        );
    }

    #[test]
    fn outside_a_repository_the_directory_given_bounds_links_but_not_plain_paths() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("stack");
        std::fs::create_dir_all(dir.join("modules")).unwrap();
        std::fs::write(home.path().join("module.tf"), "").unwrap();
        symlink("../../module.tf", dir.join("modules/link.tf")).unwrap();
        let mut boundary = Boundary::default();
        boundary.include(&dir, home.path());
        assert!(!boundary.admits(&dir.join("modules/link.tf"), home.path()));
        assert!(boundary.admits(&dir.join("../module.tf"), home.path()));
        assert!(boundary.admits(&dir.join("missing.tf"), home.path()));
    }
}
