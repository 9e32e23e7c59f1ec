//! The parse stage of a scope: its files from the source store in their languages' parsed
//! forms, with their suppression comments; and the `--var-file` files, parsed once per run.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Discovered, DiscoveredFile, Scope};
use crate::error::Error;
use crate::finding::{ContextError, FileError, ScopeReport, capped_message};
use crate::frontend::{FileKind, ParsedFiles, SyntaxError, arm, bicep, plan, terraform};
use crate::policy::Catalog;
use crate::source::{FileId, LineIndex, display_path, lexical_normalize};
use crate::source_store::{Loaded, SourceFile, SourceStore, Syntax, read_text};
use crate::stats::{self, Stage};

/// A parsed file of any language.
pub(crate) enum Parsed {
    Terraform(terraform::ParsedFile),
    Bicep(bicep::BicepFile),
    Arm(arm::ArmFile),
    Plan(plan::PlanFile),
    /// JSON that is not an ARM template or parameters file.
    NotIac,
}

fn mentions_arm_schema(text: &str) -> bool {
    const HOST: &[u8] = b"schema.management.azure.com";
    text.as_bytes()
        .windows(HOST.len())
        .any(|window| window.eq_ignore_ascii_case(HOST))
}

/// A file in its language's parsed form; `None` for JSON that is not an ARM document.
fn parse_file(
    file: &DiscoveredFile,
    id: FileId,
    loaded: &Loaded,
) -> Option<Result<Parsed, SyntaxError>> {
    let parsed = match &loaded.syntax {
        Some(Ok(Syntax::Terraform(body, dropped))) => {
            let name = file
                .path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            Ok(Parsed::Terraform(terraform::ParsedFile {
                id,
                body: body.clone(),
                role: terraform::role_of(&name),
                dropped: dropped.clone(),
            }))
        }
        Some(Ok(Syntax::Bicep(program))) => Ok(Parsed::Bicep(bicep::BicepFile {
            id,
            path: file.path.clone(),
            program: program.clone(),
            module_only: false,
            contents: Default::default(),
        })),
        Some(Err(error)) => Err(error.clone()),
        None if plan::looks_like_plan(&loaded.text) => {
            stats::timed(Stage::Parse, || plan::parse(&loaded.text)).map(|root| {
                Parsed::Plan(plan::PlanFile {
                    id,
                    path: file.path.clone(),
                    root,
                    reported: file.target,
                })
            })
        }
        // Only JSON that names the ARM schemas can be a template; the rest is not read.
        None if !mentions_arm_schema(&loaded.text) => return None,
        None => {
            stats::timed(Stage::Parse, || arm::parse(&loaded.text)).map(|parsed| match parsed {
                Some((kind, root)) => Parsed::Arm(arm::ArmFile {
                    id,
                    path: file.path.clone(),
                    kind,
                    root,
                }),
                None => Parsed::NotIac,
            })
        }
    };
    Some(parsed)
}

/// A scope's files after parsing: their texts, and the parsed ones by language.
pub(crate) struct ParsedScope {
    pub files: Vec<SourceFile>,
    pub languages: ParsedFiles,
}

/// Reads and parses a scope's files (in parallel), counting them and reporting those that
/// cannot be read or parsed.
pub(crate) fn parse_scope(
    scope: &Scope,
    store: &SourceStore<'_>,
    catalog: &'static Catalog,
    output: &mut ScopeReport,
) -> ParsedScope {
    let loaded: Vec<(SourceFile, Result<Parsed, FileError>)> = scope
        .files
        .par_iter()
        .filter_map(|&id| load_file(store, id, catalog))
        .collect();
    let discovered = store.discovered();
    let targets = scope_targets(scope, discovered);
    let mut parsed = ParsedScope {
        files: Vec::with_capacity(loaded.len()),
        languages: ParsedFiles::default(),
    };
    for (file, result) in loaded {
        let discovered_file = discovered.file(file.id);
        let target = discovered_file.target;
        output.files += usize::from(target && !matches!(result, Ok(Parsed::NotIac)));
        match result {
            Ok(Parsed::Terraform(file)) => parsed.languages.terraform.push(file),
            Ok(Parsed::Bicep(file)) => parsed.languages.bicep.push(file),
            Ok(Parsed::Arm(file)) => parsed.languages.arm.push(file),
            Ok(Parsed::Plan(file)) => parsed.languages.plans.push(file),
            Ok(Parsed::NotIac) => {}
            Err(error) if target => output.errors.push(error),
            // A sibling read as context that does not parse changes what the module of the
            // files given holds (a missing `network.tf` would make a false AOAI002): a warning
            // for them, not a failure of the run.
            Err(error) => {
                output
                    .context_errors
                    .extend(context_error(error, &targets, discovered_file.kind))
            }
        }
        parsed.files.push(file);
    }
    parsed
}

/// The files given in a scope, with their kinds, as shown: those its context files serve.
pub(crate) fn scope_targets(scope: &Scope, discovered: &Discovered) -> Vec<(FileKind, Arc<str>)> {
    scope
        .files
        .iter()
        .map(|&id| discovered.file(id))
        .filter(|file| file.target)
        .map(|file| (file.kind, file.display.clone()))
        .collect()
}

/// A context file's error, as a warning for the files given whose verdicts it may change:
/// those of its language, and Bicep templates for JSON (their parameters files). `None` when
/// it serves none of them.
pub(crate) fn context_error(
    error: FileError,
    targets: &[(FileKind, Arc<str>)],
    kind: FileKind,
) -> Option<ContextError> {
    let serves =
        |target: FileKind| target == kind || (kind == FileKind::Json && target == FileKind::Bicep);
    let context_for: Vec<Arc<str>> = targets
        .iter()
        .filter(|(target, _)| serves(*target))
        .map(|(_, display)| display.clone())
        .collect();
    (!context_for.is_empty()).then_some(ContextError { error, context_for })
}

/// One file read, parsed and its suppression comments read; `None` for a context file that
/// cannot be read and for JSON that is not an ARM document.
fn load_file(
    store: &SourceStore<'_>,
    id: FileId,
    catalog: &'static Catalog,
) -> Option<(SourceFile, Result<Parsed, FileError>)> {
    let file = store.discovered().file(id);
    let loaded = match store.load(id, |_| true) {
        Ok(loaded) => loaded,
        Err(error) => {
            // Context files that cannot be read are not the user's concern here.
            return file.target.then(|| {
                let (line, column, offset) = error.position.unwrap_or((0, 0, 0));
                let error = FileError {
                    file: file.display.clone(),
                    line,
                    column,
                    message: capped_message(error.message),
                    offset: error.position.map(|_| offset),
                };
                (SourceFile::new(id, Arc::default()), Err(error))
            });
        }
    };
    let parsed = parse_file(file, id, &loaded)?;
    let text = match &parsed {
        // Snippets of a plan never show its sensitive values.
        Ok(Parsed::Plan(plan)) => plan::masked(loaded.text, &plan.root),
        _ => loaded.text,
    };
    let mut source = SourceFile::new(id, text);
    // Value files (`.tfvars`) hold no resources to suppress findings on.
    let values_file =
        matches!(&parsed, Ok(Parsed::Terraform(p)) if p.role != terraform::FileRole::Config);
    if let (Some(Ok(syntax)), false) = (&loaded.syntax, values_file) {
        source.read_directives_of(syntax, catalog);
    }
    let parsed = parsed.map_err(|error| source.syntax_error(&file.display, &error));
    Some((source, parsed))
}

/// `--var-file` files, read and parsed once for every scope. They are not part of the linted
/// tree, so their ids lie past the discovered files; a finding whose value they set is reported
/// in them, so their texts are kept.
pub(crate) struct VarFiles {
    pub parsed: Vec<terraform::ParsedFile>,
    pub loaded: Vec<(Arc<str>, SourceFile)>,
}

pub(crate) fn read_var_files(paths: &[PathBuf], cwd: &std::path::Path) -> Result<VarFiles, Error> {
    let mut files = VarFiles {
        parsed: Vec::new(),
        loaded: Vec::new(),
    };
    for (i, path) in paths.iter().enumerate() {
        let shown = path.display().to_string();
        crate::boundary::check_named("--var-file", path)?;
        let text: Arc<String> = read_text(path)
            .map_err(|error| Error::Usage(format!("--var-file {shown}: {}", error.message)))?
            .into();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let parsed =
            terraform::parse_file(&name, &text).map_err(|SyntaxError { offset, message }| {
                let position = LineIndex::new(&text).line_col(&text, offset);
                Error::Usage(format!(
                    "--var-file {shown}:{}:{}: syntax error: {message}",
                    position.line, position.column
                ))
            })?;
        let id = FileId(u32::MAX - i as u32);
        files.parsed.push(terraform::ParsedFile {
            id,
            body: parsed.body.into(),
            role: terraform::FileRole::Values(1_000 + i as u32),
            dropped: parsed.dropped,
        });
        let display = display_path(&lexical_normalize(&cwd.join(path)), cwd).into();
        files.loaded.push((display, SourceFile::new(id, text)));
    }
    Ok(files)
}
