//! AOAI021 foundry-hub-managed-network: the hub's managed network only lets its compute
//! (prompt flows, agents, compute instances) call out to an allow-list of outbound rules
//! (`AllowOnlyApprovedOutbound`). Without managed isolation, a hub closed to the internet
//! and reached through private endpoints leaves outbound traffic to the customer's own
//! network: a note, not a failure.

use std::collections::HashMap;

use super::{Context, Findings, Rule, foundry};
use crate::finding::{Level, Outcome};
use crate::model::{
    Declared, Existence, FoundryWorkspace, PrivateEndpoint, PrivateLinkConnection,
    WorkspaceOutboundRule,
};
use crate::resolve::WorkspaceTarget;
use crate::source::Span;

pub struct FoundryHubManagedNetwork;

const APPROVED_ONLY: &str = "AllowOnlyApprovedOutbound";
const INTERNET: &str = "AllowInternetOutbound";
/// The sub-resource of a workspace that private endpoints connect to.
const WORKSPACE_GROUP: &str = "amlworkspace";

impl Rule for FoundryHubManagedNetwork {
    fn id(&self) -> &'static str {
        "AOAI021"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let endpoints = cx.model.private_endpoints.iter().flat_map(|endpoint| {
            let connections = endpoint.connections.iter();
            connections.map(move |connection| ((endpoint, connection), &connection.target))
        });
        let unresolved = endpoints
            .clone()
            .filter_map(|(pair, target)| match cx.links.workspace(target) {
                WorkspaceTarget::Unresolved(reason) => Some((pair, reason)),
                _ => None,
            })
            .collect();
        let rules = cx.model.outbound_rules.iter();
        let around = Around {
            endpoints: foundry::by_workspace(cx, endpoints),
            unresolved,
            rules: foundry::by_workspace(cx, rules.map(|rule| (rule, &rule.workspace))),
        };
        for (index, hub) in foundry::hubs(cx) {
            check_hub(&around, index, hub, out);
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        foundry::subjects(cx)
    }
}

type Endpoint<'m> = (&'m PrivateEndpoint, &'m PrivateLinkConnection);

/// What the scope declares around its hubs, by the hub each names.
struct Around<'m> {
    endpoints: HashMap<usize, Vec<Endpoint<'m>>>,
    /// Endpoints whose target is not known, with why: any may connect to a hub.
    unresolved: Vec<(Endpoint<'m>, &'m str)>,
    rules: HashMap<usize, Vec<&'m WorkspaceOutboundRule>>,
}

fn check_hub(around: &Around<'_>, index: usize, hub: &FoundryWorkspace, out: &mut Findings) {
    let mode = &hub.network.isolation_mode;
    let Some(value) = mode.value() else {
        let message = format!(
            "cannot tell whether the hub's managed network restricts outbound traffic: {}",
            mode.describe()
        );
        out.unknown_on(&hub.declared, mode, message);
        return;
    };
    if value.eq_ignore_ascii_case(APPROVED_ONLY) {
        return;
    }
    let rules = allow_list(around, index, hub);
    let span = mode.span.clone();
    if value.eq_ignore_ascii_case(INTERNET) {
        let message = format!(
            "the hub's managed network lets its compute call anywhere on the internet: {}{}",
            mode.describe(),
            listed(
                &rules,
                "are added to, not an allow-list for, internet outbound"
            )
        );
        foundry::hub_fail(out, hub, span, &mode.name, message);
        return;
    }
    let unisolated = format!(
        "the hub has no managed network isolation: {}",
        mode.describe()
    );
    match private_network(around, index, hub) {
        Private::Yes => {
            let message = format!(
                "{unisolated}; public access is disabled and a private endpoint connects to it, so its outbound traffic is what the customer's network allows{}",
                listed(&rules, "apply only with managed isolation")
            );
            let finding = foundry::hub_fail(out, hub, span, &mode.name, message);
            if finding.outcome == Outcome::Fail {
                finding.level = Some(Level::Note);
            }
        }
        Private::Unknown(at, reason) => {
            let message = format!(
                "{unisolated}, and it cannot be told whether the hub is private instead: {reason}"
            );
            let finding = out.push(&hub.declared, Outcome::Unknown, span, &mode.name, message);
            finding.related.push((at, "this decides it".into()));
        }
        Private::No(why) => {
            let message = format!(
                "{unisolated}; outbound traffic from its compute is not restricted ({why}){}",
                listed(&rules, "apply only with managed isolation")
            );
            foundry::hub_fail(out, hub, span, &mode.name, message);
        }
    }
}

/// Whether the hub is closed to the internet and reached through a private endpoint.
enum Private {
    Yes,
    /// Why not, for the message.
    No(String),
    Unknown(Span, String),
}

fn private_network(around: &Around<'_>, index: usize, hub: &FoundryWorkspace) -> Private {
    let public = &hub.network.public_access;
    match public.value() {
        Some(true) => return Private::No("public network access is enabled".into()),
        Some(false) => {}
        None => return Private::Unknown(public.span.clone(), public.describe()),
    }
    let mut possible = None;
    for (endpoint, connection) in around.endpoints.get(&index).into_iter().flatten() {
        let address = &endpoint.declared.address;
        match (reaches(connection), &endpoint.declared.existence) {
            (Some(false), _) => {}
            (Some(true), Existence::Always) => return Private::Yes,
            (Some(true), Existence::Conditional { reason }) => {
                possible.get_or_insert((
                    endpoint.declared.header.clone(),
                    format!("`{address}` may not be created: {reason}"),
                ));
            }
            (None, _) => {
                let groups = &connection.group_ids;
                possible.get_or_insert((
                    groups.span.clone(),
                    format!("`{}` of `{address}` {}", groups.name, describe(groups)),
                ));
            }
        }
    }
    // An endpoint whose target is not known may be this hub's, unless it reaches other
    // sub-resources or is of another deployment (another language).
    let language = hub.declared.language;
    let maybe = around
        .unresolved
        .iter()
        .find(|((endpoint, connection), _)| {
            endpoint.declared.language == language && reaches(connection) != Some(false)
        });
    if let Some(((endpoint, connection), reason)) = maybe {
        let target = &connection.target;
        let address = &endpoint.declared.address;
        possible.get_or_insert((
            target.span.clone(),
            format!("`{}` of `{address}` {reason}", target.name),
        ));
    }
    match possible {
        Some((span, reason)) => Private::Unknown(span, reason),
        None => Private::No(format!(
            "no private endpoint with the `{WORKSPACE_GROUP}` sub-resource connects to it"
        )),
    }
}

/// Whether a connection reaches a workspace's `amlworkspace` sub-resource; `None` when its
/// sub-resources are not known.
fn reaches(connection: &PrivateLinkConnection) -> Option<bool> {
    let groups = connection.group_ids.value()?;
    Some(
        groups
            .iter()
            .any(|g| g.eq_ignore_ascii_case(WORKSPACE_GROUP)),
    )
}

fn describe(attr: &crate::model::Attr<Vec<String>>) -> &str {
    attr.unresolved_reason().unwrap_or("is not known")
}

/// The hub's outbound rules: those written on it and those declared on their own.
fn allow_list(around: &Around<'_>, index: usize, hub: &FoundryWorkspace) -> Vec<String> {
    let mut rules: Vec<String> = hub
        .network
        .outbound_rules
        .value()
        .cloned()
        .unwrap_or_default();
    for rule in around.rules.get(&index).into_iter().flatten() {
        let destination = rule
            .destination
            .value()
            .map_or("(not known)", String::as_str);
        rules.push(format!("{}: {destination}", rule.declared.address));
    }
    rules
}

/// "; its outbound rules (a: x, b: y) <what>", or nothing without rules.
fn listed(rules: &[String], what: &str) -> String {
    match rules {
        [] => String::new(),
        rules => format!("; its outbound rules ({}) {what}", rules.join(", ")),
    }
}
