//! What the AI Foundry hub rules (AOAI020-AOAI022) share: the hubs of a scope, the projects
//! each covers, and failures that depend on a workspace's kind.

use super::{AttrCheck, Context, Findings, RawFinding};
use crate::finding::Outcome;
use std::collections::HashMap;

use crate::model::{Attr, Declared, FoundryWorkspace, Reference};
use crate::resolve::WorkspaceTarget;
use crate::source::Span;

/// The hubs declared in the scope, with their index for [`crate::resolve::Links`]: workspaces
/// of kind `Hub`, and those whose kind is not known (reported as unknown, as they may be one).
/// A project is judged by its hub.
pub fn hubs<'m>(cx: &Context<'m>) -> impl Iterator<Item = (usize, &'m FoundryWorkspace)> {
    cx.model
        .workspaces
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.existing)
        .filter(|(_, w)| w.kind.value().is_none_or(|k| k.eq_ignore_ascii_case("Hub")))
}

pub fn subjects<'m>(cx: &Context<'m>) -> Vec<&'m Declared> {
    hubs(cx).map(|(_, hub)| &hub.declared).collect()
}

/// Items that name a hub or project of the scope, grouped once by the workspace they name (a
/// scope may hold thousands: each hub takes its own instead of testing every pair).
pub fn by_workspace<'m, T>(
    cx: &Context<'m>,
    items: impl IntoIterator<Item = (T, &'m Reference)>,
) -> HashMap<usize, Vec<T>> {
    let mut grouped: HashMap<usize, Vec<T>> = HashMap::new();
    for (item, reference) in items {
        if let WorkspaceTarget::Workspace(index) = cx.links.workspace(reference) {
            grouped.entry(index).or_default().push(item);
        }
    }
    grouped
}

/// The projects of the scope, by the hub they name.
pub fn projects<'m>(cx: &Context<'m>) -> HashMap<usize, Vec<&'m Declared>> {
    let projects = cx.model.workspaces.iter().filter(|w| {
        w.kind
            .value()
            .is_some_and(|k| k.eq_ignore_ascii_case("Project"))
    });
    by_workspace(cx, projects.map(|w| (&w.declared, &w.hub)))
}

/// "; its project `p` shares it" (or projects), naming the projects on the hub at `hub`.
pub fn covered(projects: &HashMap<usize, Vec<&Declared>>, hub: usize) -> String {
    let names: Vec<String> = projects
        .get(&hub)
        .into_iter()
        .flatten()
        .map(|project| format!("`{}`", project.address))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("; its project {one} shares it"),
        many => format!("; its projects {} share it", many.join(", ")),
    }
}

/// A failure of a hub. When its kind is not known it may not be a hub at all: reported as
/// unknown, as [`Findings::account_fail`] does for an account's kind.
pub fn hub_fail<'f>(
    out: &'f mut Findings,
    hub: &FoundryWorkspace,
    span: Span,
    attribute: &str,
    message: String,
) -> &'f mut RawFinding {
    match hub.kind.unresolved_reason() {
        Some(reason) => {
            let message = format!("{message}, if this is an AI Foundry hub: `kind` {reason}");
            let finding = out.push(&hub.declared, Outcome::Unknown, span, attribute, message);
            finding.label = "only a hub if `kind` is Hub".into();
            finding
        }
        None => out.push(&hub.declared, Outcome::Fail, span, attribute, message),
    }
}

/// The common shape of a check on one hub attribute: fail when `bad` holds (the message is
/// `what`, the value, then `suffix`), unknown when the value is unresolved.
pub fn hub_attr<T>(
    out: &mut Findings,
    hub: &FoundryWorkspace,
    attr: &Attr<T>,
    bad: impl Fn(&T) -> bool,
    what: &str,
    suffix: &str,
) {
    let check = AttrCheck { attr, what, suffix };
    out.attr_check(&hub.declared, check, bad, |out, span, name, message| {
        hub_fail(out, hub, span, name, message)
    });
}
