//! Where reports go: standard output or `--output` files, opened before any work so that a bad
//! path fails fast and leaves nothing behind.
//!
//! A regular file (or one that does not exist yet) is written atomically: a temporary file in
//! the same directory, renamed over it once the report is complete, so readers never see half
//! a report. Anything else (a device, a FIFO, `/dev/stdout`) is opened and written through:
//! renaming over it would replace what the path is (`/dev/null` made a regular file, as root).
//! A symlink is followed to its target, which is written the same way.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::report::Format;

/// Where one report goes.
#[derive(Debug, Clone)]
pub struct Destination {
    pub format: Format,
    /// `None`: standard output.
    pub file: Option<PathBuf>,
}

/// Pairs each `--output` with the `--format` written before it; formats without an output go
/// to standard output (at most one). No `--format` at all means human output.
pub fn destinations(matches: &clap::ArgMatches) -> Result<Vec<Destination>, Error> {
    let formats: Vec<(usize, Format)> = match (
        matches.indices_of("formats"),
        matches.get_many::<Format>("formats"),
    ) {
        (Some(indices), Some(values)) => indices.zip(values.copied()).collect(),
        _ => vec![(0, Format::Human)],
    };
    let outputs: Vec<(usize, PathBuf)> = match (
        matches.indices_of("outputs"),
        matches.get_many::<PathBuf>("outputs"),
    ) {
        (Some(indices), Some(values)) => indices.zip(values.cloned()).collect(),
        _ => Vec::new(),
    };
    // `--output x.sarif` alone: the format is the file's.
    if matches.indices_of("formats").is_none() && !outputs.is_empty() {
        return outputs
            .into_iter()
            .map(|(_, file)| {
                let format = format_of(&file).ok_or_else(|| {
                    Error::Usage(format!(
                        "cannot tell the format of --output {} from its name: give a --format before it",
                        file.display()
                    ))
                })?;
                Ok(Destination {
                    format,
                    file: Some(file),
                })
            })
            .collect();
    }
    let mut destinations: Vec<Destination> = formats
        .iter()
        .map(|&(_, format)| Destination { format, file: None })
        .collect();
    for (output_index, file) in outputs {
        let Some(i) = formats
            .iter()
            .rposition(|&(format_index, _)| format_index < output_index)
            .filter(|&i| destinations[i].file.is_none())
        else {
            return Err(Error::Usage(format!(
                "--output {} needs its own --format before it",
                file.display()
            )));
        };
        destinations[i].file = Some(file);
    }
    if destinations.iter().filter(|d| d.file.is_none()).count() > 1 {
        return Err(Error::Usage(
            "only one --format can go to standard output: give the others an --output".into(),
        ));
    }
    Ok(destinations)
}

/// The format a report file's name says: `.sarif` (also `.sarif.json`), `.json`, `.xml` (JUnit).
fn format_of(file: &std::path::Path) -> Option<Format> {
    let name = file.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
        Some(Format::Sarif)
    } else if name.ends_with(".json") {
        Some(Format::Json)
    } else if name.ends_with(".xml") {
        Some(Format::Junit)
    } else {
        None
    }
}

/// A file to write (or a baseline to read) and the flag that named it, for messages.
pub struct NamedFile<'a> {
    pub flag: &'static str,
    pub path: &'a Path,
}

/// Refuses two report files that are one file, however they are spelt (`r.json`,
/// `./r.json`, a symlink or hard link to it): one report would replace the other. `read` is a
/// file the run reads first (the `--baseline`): a report over it would lose it; a
/// `--write-baseline` may name it (a baseline refreshed in place). Devices and FIFOs are
/// written through, never replaced: `/dev/stdout` and `/dev/stderr` may share a terminal.
pub fn refuse_shared_files(written: &[NamedFile], read: Option<NamedFile>) -> Result<(), Error> {
    let identities: Vec<Option<FileIdentity>> =
        written.iter().map(|file| identity(file.path)).collect();
    for (i, first) in written.iter().enumerate() {
        for (j, second) in written.iter().enumerate().skip(i + 1) {
            if identities[i].is_some() && identities[i] == identities[j] {
                return Err(shared_file(first, second));
            }
        }
    }
    let Some(read) = read else { return Ok(()) };
    let read_identity = identity(read.path);
    let overwritten = written
        .iter()
        .zip(&identities)
        .find(|(file, id)| file.flag == "--output" && id.is_some() && **id == read_identity);
    match overwritten {
        Some((file, _)) => Err(shared_file(file, &read)),
        None => Ok(()),
    }
}

fn shared_file(first: &NamedFile, second: &NamedFile) -> Error {
    Error::Usage(format!(
        "{} {} and {} {} name the same file: one would replace the other; give each its own file",
        first.flag,
        first.path.display(),
        second.flag,
        second.path.display()
    ))
}

/// What a path names, to tell whether two paths name one file.
#[derive(Debug, PartialEq, Eq)]
enum FileIdentity {
    /// An existing file: its device and inode (links and spellings agree on it).
    Existing(u64, u64),
    /// A file still to be created, by its absolute path with symlinks resolved.
    New(PathBuf),
}

/// The file a report at `path` replaces. `None` for what is written through (a device or FIFO:
/// the caller's own stream, nothing is replaced) and for a path that cannot be examined,
/// whose opening reports why.
fn identity(path: &Path) -> Option<FileIdentity> {
    let target = regular_target(path).ok()??;
    match fs::metadata(&target) {
        Ok(metadata) => existing_identity(&target, &metadata),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            resolved_new_path(&target).map(FileIdentity::New)
        }
        Err(_) => None,
    }
}

#[cfg(unix)]
fn existing_identity(_: &Path, metadata: &fs::Metadata) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    Some(FileIdentity::Existing(metadata.dev(), metadata.ino()))
}

/// Without inodes, the canonical path: hard links are not recognised.
#[cfg(not(unix))]
fn existing_identity(path: &Path, _: &fs::Metadata) -> Option<FileIdentity> {
    fs::canonicalize(path).ok().map(FileIdentity::New)
}

/// The absolute path a new file gets: its deepest existing ancestor canonical, the rest (which
/// holds no symlink, since it does not exist) normalized as written.
fn resolved_new_path(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let existing = absolute
        .ancestors()
        .find_map(|ancestor| Some((ancestor, fs::canonicalize(ancestor).ok()?)))?;
    let rest = absolute.strip_prefix(existing.0).ok()?;
    Some(crate::source::lexical_normalize(&existing.1.join(rest)))
}

/// An opened `--output` (or `--write-baseline`) path.
pub enum ReportFile {
    /// Written to `temporary`, renamed to `target` on [`ReportFile::commit`].
    Atomic { temporary: PathBuf, target: PathBuf },
    /// Written in place: nothing to commit or discard.
    Through,
}

impl ReportFile {
    /// Opens `path` for a report, deciding from what the path is how to write it. A FIFO or
    /// `/dev/stdout` may be a pipe its reader closes, as standard output may.
    pub fn open(path: &Path) -> Result<(Self, Box<dyn Write>), Error> {
        let write_error = |source| Error::Write {
            path: path.display().to_string(),
            source,
        };
        let target = regular_target(path).map_err(write_error)?;
        // A link's target: never one outside the repository.
        if let Some(target) = target.as_deref().filter(|target| *target != path) {
            crate::boundary::check_written("report", path, target)?;
        }
        match target {
            Some(target) => {
                let (file, handle) = Self::create_atomic(&target).map_err(write_error)?;
                Ok((file, Box::new(handle)))
            }
            None => {
                // Appending: `/dev/stdout` redirected to a file shares that file with the
                // caller, whose writes it must not overwrite.
                let handle = OpenOptions::new()
                    .append(true)
                    .open(path)
                    .map_err(write_error)?;
                Ok((ReportFile::Through, Box::new(ClosablePipe::new(handle))))
            }
        }
    }

    fn create_atomic(target: &Path) -> io::Result<(Self, File)> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let replaced = fs::metadata(target).ok();
        // A new file only (`create_new`: never an existing one, never through a link planted
        // at the name in a shared directory); another name when one is taken.
        let mut attempt = 0;
        let (temporary, file) = loop {
            let temporary =
                target.with_file_name(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
            match create_temporary(&temporary, replaced.as_ref()) {
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => {
                    attempt += 1;
                }
                result => break (temporary, result?),
            }
        };
        let pending = ReportFile::Atomic {
            temporary,
            target: target.to_path_buf(),
        };
        Ok((pending, file))
    }

    /// Puts a complete report in place.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            ReportFile::Atomic { temporary, target } => {
                fs::rename(&temporary, &target).map_err(|source| {
                    let _ = fs::remove_file(&temporary);
                    Error::Write {
                        path: target.display().to_string(),
                        source,
                    }
                })
            }
            ReportFile::Through => Ok(()),
        }
    }

    /// Leaves nothing behind of a report that is not complete.
    pub fn discard(self) {
        if let ReportFile::Atomic { temporary, .. } = self {
            let _ = fs::remove_file(&temporary);
        }
    }
}

/// The temporary file of a report that replaces `replaced`, created new (never an existing file
/// or a link) with no more access than the old file had, so that nobody can open it who could
/// not read the old report, then given its owner and mode (a 0600 report stays 0600). Giving it another's owner needs privileges:
/// without them, the file stays the writer's (in the old group when the writer is a member).
#[cfg(unix)]
fn create_temporary(temporary: &Path, replaced: Option<&fs::Metadata>) -> io::Result<File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, fchown};
    let Some(old) = replaced else {
        return OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(temporary);
    };
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(old.mode() & 0o777)
        .open(temporary)?;
    let denied = |result: io::Result<()>| match result {
        Err(error) if error.kind() == io::ErrorKind::PermissionDenied => Ok(true),
        other => other.map(|()| false),
    };
    // Another's file keeps at least its group when the writer is in it.
    if denied(fchown(&file, Some(old.uid()), Some(old.gid())))? {
        denied(fchown(&file, None, Some(old.gid())))?;
    }
    // After the owner: changing it clears the set-user-ID and set-group-ID bits.
    file.set_permissions(old.permissions())?;
    Ok(file)
}

#[cfg(not(unix))]
fn create_temporary(temporary: &Path, replaced: Option<&fs::Metadata>) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temporary)?;
    if let Some(old) = replaced {
        file.set_permissions(old.permissions())?;
    }
    Ok(file)
}

/// The regular file a report at `path` replaces atomically: `path` itself when it is a regular
/// file or does not exist, a symlink's target when that is one. `None` for what must be written
/// through (devices, FIFOs, sockets, and anything reached through `/dev` or `/proc`, such as
/// `/dev/stdout`, whose target is the caller's open file). A directory is an error.
fn regular_target(path: &Path) -> io::Result<Option<PathBuf>> {
    if through_kernel(path) {
        return Ok(None);
    }
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(Some(path.to_path_buf()));
        }
        Err(error) => return Err(error),
    };
    if metadata.is_dir() {
        return Err(is_a_directory());
    }
    if metadata.is_file() {
        return Ok(Some(path.to_path_buf()));
    }
    if !metadata.file_type().is_symlink() {
        return Ok(None);
    }
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        // A dangling link: the report creates the file it names.
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let link = fs::read_link(path)?;
            let dir = path.parent().unwrap_or(Path::new(""));
            return Ok(Some(dir.join(link)));
        }
        Err(error) => return Err(error),
    };
    let target_metadata = fs::metadata(&target)?;
    if target_metadata.is_dir() {
        return Err(is_a_directory());
    }
    Ok((target_metadata.is_file() && !through_kernel(&target)).then_some(target))
}

/// `/dev/stdout` and `/proc/self/fd/N` name a file the caller opened, and nothing under `/dev`
/// or `/proc` is ours to replace, whatever it is now: written through.
fn through_kernel(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

fn is_a_directory() -> io::Error {
    io::Error::new(io::ErrorKind::IsADirectory, "is a directory")
}

/// Standard output that a reader may close (`aoai-lint | head -3`): once the pipe is closed,
/// writes are dropped instead of failing, so the run finishes and its exit code still says
/// whether there were findings.
pub struct ClosablePipe<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> ClosablePipe<W> {
    pub fn new(inner: W) -> Self {
        ClosablePipe {
            inner,
            closed: false,
        }
    }

    fn guard<T>(&mut self, result: io::Result<T>, closed_value: T) -> io::Result<T> {
        match result {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(closed_value)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for ClosablePipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.guard(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.guard(result, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link planted at the temporary's name (in a shared directory) is never written
    /// through: another name is taken.
    #[cfg(unix)]
    #[test]
    fn a_report_is_never_written_through_a_link_planted_at_its_temporary_name() {
        let dir = std::env::temp_dir().join(format!("aoai-lint-planted-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("victim");
        fs::write(&victim, "keep").unwrap();
        let planted = dir.join(format!(".r.json.{}.0.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let target = dir.join("r.json");
        let (pending, mut file) = ReportFile::create_atomic(&target).unwrap();
        file.write_all(b"report").unwrap();
        drop(file);
        pending.commit().unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(fs::read_to_string(&target).unwrap(), "report");
        let _ = fs::remove_dir_all(&dir);
    }

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_swallows_writes_and_says_it_closed() {
        let mut pipe = ClosablePipe::new(Closed);
        assert!(pipe.write_all(b"finding\n").is_ok());
        assert!(pipe.flush().is_ok());
        assert!(pipe.closed);
    }

    #[test]
    fn regular_files_and_new_paths_are_replaced_atomically_devices_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.json");
        assert_eq!(regular_target(&new).unwrap(), Some(new.clone()));
        fs::write(&new, "x").unwrap();
        assert_eq!(regular_target(&new).unwrap(), Some(new.clone()));
        assert!(regular_target(dir.path()).is_err());
        assert_eq!(regular_target(Path::new("/dev/null")).unwrap(), None);
        assert_eq!(regular_target(Path::new("/dev/stdout")).unwrap(), None);
    }
}
