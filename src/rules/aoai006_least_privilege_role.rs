//! AOAI006 least-privilege-role: role assignments on an account, or on the resource group or
//! subscription that holds it, grant the data-plane OpenAI roles, not roles that can read keys
//! or change the account.
//!
//! An assignment whose scope is not known is unknown only when it grants a broad role in a
//! deployment that declares accounts: it may be on one of them or on the group that holds them.
//! Narrow roles with an unknown scope are about something else far more often, and reporting
//! each would bury the real findings.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AiAccount, AttrState, Declared, Existence, RoleAssignment};
use crate::resolve::{Container, Target};

pub struct LeastPrivilegeRole;

impl Rule for LeastPrivilegeRole {
    fn id(&self) -> &'static str {
        "AOAI006"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for assignment in &cx.model.role_assignments {
            match cx.links.target(&assignment.scope) {
                Target::Account(index) => {
                    let account = &cx.model.accounts[index];
                    check_on_account(cx, assignment, account, out);
                }
                Target::Unresolved(reason) => check_unresolved(cx, assignment, reason, out),
                Target::Other => {
                    if let Some(container) = cx.links.container(&assignment.scope) {
                        check_on_container(cx, assignment, &container, out);
                    }
                }
            }
        }
    }

    /// Role assignments scoped to an account of the scope, or to a group or subscription that
    /// holds one.
    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model
            .role_assignments
            .iter()
            .filter(|a| match cx.links.target(&a.scope) {
                Target::Account(_) => true,
                Target::Unresolved(_) => unresolved_broad_role(cx, a).is_some(),
                Target::Other => cx
                    .links
                    .container(&a.scope)
                    .is_some_and(|c| !accounts_in(cx, a, &c).0.is_empty()),
            })
            .map(|a| &a.declared)
            .collect()
    }
}

/// The role's name and whether it is broad; `None` when it is not a known role.
fn broad_role(cx: &Context<'_>, role: &str) -> Option<(String, bool)> {
    let (name, found) = cx.catalog.find_role(role)?;
    Some((name.to_string(), found.broad))
}

fn check_on_account(
    cx: &Context<'_>,
    assignment: &RoleAssignment,
    account: &AiAccount,
    out: &mut Findings,
) {
    let role = &assignment.role;
    match &role.state {
        AttrState::Unresolved { .. } => {
            let on = format!("`{}`", account.declared.address);
            unknown_role(assignment, &on, out);
        }
        AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => {
            let Some((name, true)) = broad_role(cx, value) else {
                return;
            };
            let message = format!(
                "`{name}` on `{}` can read its keys or change its settings; grant Cognitive Services OpenAI User or Contributor instead",
                account.declared.address
            );
            let span = role.span.clone();
            let finding = out.fail_on(account, &assignment.declared, span, &role.name, message);
            finding.related.push((
                assignment.scope.span.clone(),
                "scoped to the account here".into(),
            ));
        }
    }
}

/// The broad role an assignment whose scope is not known grants, in a deployment that declares
/// accounts it may reach.
fn unresolved_broad_role(cx: &Context<'_>, assignment: &RoleAssignment) -> Option<String> {
    cx.declared_accounts().next()?;
    match broad_role(cx, assignment.role.value()?)? {
        (name, true) => Some(name),
        (_, false) => None,
    }
}

/// A broad role on a scope not known: it may be an account of the deployment, or the group or
/// subscription that holds them.
fn check_unresolved(
    cx: &Context<'_>,
    assignment: &RoleAssignment,
    reason: &str,
    out: &mut Findings,
) {
    let Some(name) = unresolved_broad_role(cx, assignment) else {
        return;
    };
    let message = format!(
        "cannot tell what `{name}` is granted on: its scope {reason}; on an account of this deployment, or the group or subscription that holds it, it could read the keys or change the settings"
    );
    let finding = out.unknown_on(&assignment.declared, &assignment.role, message);
    finding
        .related
        .push((assignment.scope.span.clone(), "scoped here".into()));
}

/// A role that cannot be evaluated, granted `on` an account or a group holding accounts.
fn unknown_role(assignment: &RoleAssignment, on: &str, out: &mut Findings) {
    let role = &assignment.role;
    let message = format!(
        "cannot tell whether the role granted on {on} is least-privilege: {}",
        role.describe()
    );
    out.unknown_on(&assignment.declared, role, message);
}

/// The declared accounts a group or subscription holds, and those that may be in it (their
/// group not known) with the reason. An account written in another language is another
/// deployment (a compiled `main.json` beside `main.bicep`): the assignment does not reach it.
fn accounts_in<'m>(
    cx: &'m Context<'m>,
    assignment: &RoleAssignment,
    container: &Container,
) -> (Vec<&'m AiAccount>, Vec<(&'m AiAccount, String)>) {
    let mut held = Vec::new();
    let mut maybe = Vec::new();
    let language = assignment.declared.language;
    let accounts = cx.declared_accounts().map(|(_, account)| account);
    for account in accounts.filter(|a| a.declared.language == language) {
        let group = &account.resource_group;
        match (container, group.value()) {
            (Container::Subscription, _) => held.push(account),
            (Container::SubscriptionId(id), _) => maybe.push((
                account,
                format!(
                    "subscription is not known to be `{id}` (the deployment's is set at deployment)"
                ),
            )),
            (Container::Group(key), Some(value)) => {
                if cx.links.group(value).as_ref() == Some(key) {
                    held.push(account);
                }
            }
            (Container::Group(_), None) => maybe.push((account, group.describe())),
        }
    }
    (held, maybe)
}

/// A role on a resource group or subscription reaches every account it holds.
fn check_on_container(
    cx: &Context<'_>,
    assignment: &RoleAssignment,
    container: &Container,
    out: &mut Findings,
) {
    let (held, maybe) = accounts_in(cx, assignment, container);
    if held.is_empty() && maybe.is_empty() {
        return;
    }
    let role = &assignment.role;
    let Some(value) = role.value() else {
        if !held.is_empty() {
            unknown_role(assignment, &where_(container, &held), out);
        }
        return;
    };
    let Some((name, true)) = broad_role(cx, value) else {
        return;
    };
    let span = role.span.clone();
    let scoped = (assignment.scope.span.clone(), scoped_here(container));
    if let Some(first) = held.first() {
        let message = format!(
            "`{name}` on {} can read the keys of its Azure OpenAI accounts or change their settings; grant Cognitive Services OpenAI User or Contributor on the account instead",
            where_(container, &held)
        );
        let finding = match &assignment.declared.existence {
            // A group-wide assignment is often one branch of a choice of scopes.
            Existence::Conditional { reason } => {
                let message = format!("{message}, if it is created: {reason}");
                out.push(
                    &assignment.declared,
                    Outcome::Unknown,
                    span,
                    &role.name,
                    message,
                )
            }
            Existence::Always => {
                out.fail_on(first, &assignment.declared, span, &role.name, message)
            }
        };
        finding.related.push(scoped);
    } else if let Some((account, reason)) = maybe.first() {
        let message = format!(
            "`{name}` on {} reaches `{}` if it holds it: its {reason}",
            where_(container, &[]),
            account.declared.address
        );
        let finding = out.push(
            &assignment.declared,
            Outcome::Unknown,
            span,
            &role.name,
            message,
        );
        finding.related.push(scoped);
    }
}

fn scoped_here(container: &Container) -> String {
    match container {
        Container::Group(_) => "scoped to the resource group here".into(),
        Container::Subscription | Container::SubscriptionId(_) => {
            "scoped to the subscription here".into()
        }
    }
}

/// How many of the accounts a group or subscription holds a message names: a landing zone
/// may hold thousands, and every broad assignment on it would repeat them all.
const NAMED_ACCOUNTS: usize = 5;

/// "the resource group that holds `a`, `b`" / "the subscription that holds `a`, `b`, `c`, `d`,
/// `e` and 12 more accounts".
fn where_(container: &Container, held: &[&AiAccount]) -> String {
    let mut names: Vec<String> = held
        .iter()
        .take(NAMED_ACCOUNTS)
        .map(|a| format!("`{}`", a.declared.address))
        .collect();
    let more = held.len().saturating_sub(NAMED_ACCOUNTS);
    let names = match names.pop() {
        None => String::new(),
        Some(last) if more > 0 => format!("{}, {last} and {more} more accounts", names.join(", ")),
        Some(last) if names.is_empty() => last,
        Some(last) => format!("{}, {last}", names.join(", ")),
    };
    let container = match container {
        Container::Group(_) => "the resource group",
        Container::Subscription | Container::SubscriptionId(_) => "the subscription",
    };
    match names.is_empty() {
        true => container.to_string(),
        false => format!("{container} that holds {names}"),
    }
}
