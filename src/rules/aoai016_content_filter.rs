//! AOAI016 content-filter: the content filter policy a model deployment uses does not weaken
//! the platform default. What counts as weaker (categories, thresholds, shields) is data in
//! `policies/data-content-filters.hcl`.

use super::{Context, Findings, Rule};
use crate::finding::{Level, Outcome};
use crate::model::{Attr, ContentFilter, Declared, ModelDeployment, RaiPolicy};
use crate::policy::ContentFilters;
use crate::resolve::Target;
use crate::source::Span;

pub struct ContentFilterPolicy;

impl Rule for ContentFilterPolicy {
    fn id(&self) -> &'static str {
        "AOAI016"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let data = &cx.catalog.content_filters;
        let mut users: Vec<Vec<&ModelDeployment>> = vec![Vec::new(); cx.model.rai_policies.len()];
        for deployment in &cx.model.deployments {
            let policy = &deployment.rai_policy;
            match policy.value() {
                Some(name) if data.is_builtin(name) => {}
                Some(name) => {
                    let used = policies_named(cx, name, deployment);
                    if used.is_empty() {
                        let message = format!(
                            "the deployment uses the content filter policy `{name}`, which is neither declared here nor a built-in `{}*` policy: cannot tell what it filters (lint the files that declare it with this one)",
                            data.builtin_prefix
                        );
                        out.unknown_on(&deployment.declared, policy, message);
                    }
                    for index in used {
                        users[index].push(deployment);
                    }
                }
                None => {
                    let message = format!(
                        "cannot tell which content filter policy the deployment uses: {}",
                        policy.describe()
                    );
                    out.unknown_on(&deployment.declared, policy, message);
                }
            }
        }
        for (policy, users) in cx.model.rai_policies.iter().zip(&users) {
            check_policy(data, policy, users, out);
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model.rai_policies.iter().map(|p| &p.declared).collect()
    }
}

/// The declared policies a deployment's policy name can be: the same name, on the same account
/// when both accounts are known.
fn policies_named(cx: &Context<'_>, name: &str, deployment: &ModelDeployment) -> Vec<usize> {
    let account = cx.links.target(&deployment.account);
    cx.model
        .rai_policies
        .iter()
        .enumerate()
        .filter(|(_, policy)| {
            policy
                .name
                .value()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .filter(
            |(_, policy)| match (&account, cx.links.target(&policy.account)) {
                (Target::Account(a), Target::Account(b)) => *a == b,
                _ => true,
            },
        )
        .map(|(index, _)| index)
        .collect()
}

/// One finding per filter entry that weakens the default, and one for asynchronous filtering.
fn check_policy(
    data: &ContentFilters,
    policy: &RaiPolicy,
    users: &[&ModelDeployment],
    out: &mut Findings,
) {
    let (level, used) = match users {
        [] => (Some(Level::Note), " (no deployment here uses it yet)"),
        _ => (None, ""),
    };
    let related: Vec<(Span, String)> = users
        .iter()
        .map(|d| {
            (
                d.rai_policy.span.clone(),
                format!("`{}` uses this policy", d.declared.address),
            )
        })
        .collect();
    let shown = policy.name.value().map_or("this policy", String::as_str);
    let mut report = |outcome, span: Span, attribute: &str, message: String, level| {
        let finding = out.push(&policy.declared, outcome, span, attribute, message);
        finding.level = level;
        finding.related.extend(related.iter().cloned());
    };
    match policy.filters.value() {
        None => {
            let message = format!(
                "cannot tell what the content filter policy `{shown}` filters: {}",
                policy.filters.describe()
            );
            let filters = &policy.filters;
            report(
                Outcome::Unknown,
                filters.span.clone(),
                &filters.name,
                message,
                None,
            );
        }
        Some(filters) => {
            for filter in filters {
                for (outcome, attr, why) in weaknesses(data, filter) {
                    let message = format!("content filter policy `{shown}` {why}{used}");
                    report(outcome, attr.0, &attr.1, message, level);
                }
            }
        }
    }
    let mode = &policy.mode;
    if mode
        .value()
        .is_some_and(|m| m.eq_ignore_ascii_case(&data.asynchronous_mode))
    {
        let message = format!(
            "content filter policy `{shown}` streams content before filtering finishes ({}): harmful completions can reach users before they are caught",
            mode.describe()
        );
        report(
            Outcome::Fail,
            mode.span.clone(),
            &mode.name,
            message,
            Some(Level::Note),
        );
    }
}

/// Where a weakness is: the attribute's span and name.
type At = (Span, String);

fn at<T>(attr: &Attr<T>) -> At {
    (attr.span.clone(), attr.name.clone())
}

/// How one filter entry is weaker than the default, or cannot be told.
fn weaknesses(data: &ContentFilters, filter: &ContentFilter) -> Vec<(Outcome, At, String)> {
    let Some(name) = filter.name.value() else {
        let why = format!(
            "has a filter whose name is not known: {}",
            filter.name.describe()
        );
        return vec![(Outcome::Unknown, at(&filter.name), why)];
    };
    let source = filter.source.value().map(String::as_str).unwrap_or("");
    let on = match source.to_ascii_lowercase().as_str() {
        "prompt" => "prompts",
        "completion" => "completions",
        _ => "its source",
    };
    let is = |names: &[String]| ContentFilters::is_one_of(name, names);
    let unknown = |attr_at: At, describe: String| {
        (
            Outcome::Unknown,
            attr_at,
            format!("may weaken `{name}` on {on}: {describe}"),
        )
    };
    // A bool that weakens the filter when it is `weak_when`.
    let flag = |attr: &Attr<bool>, weak_when: bool, what: String| match attr.value() {
        Some(value) if *value == weak_when => Some((
            Outcome::Fail,
            at(attr),
            format!("{what} ({})", attr.describe()),
        )),
        Some(_) => None,
        None => Some(unknown(at(attr), attr.describe())),
    };
    let mut found = Vec::new();
    // A filter that is off is not also reported for not blocking.
    let off = filter.enabled.value() == Some(&false);
    if is(&data.harm_categories) {
        found.extend(flag(
            &filter.enabled,
            false,
            format!("does not filter `{name}` content on {on}"),
        ));
        found.extend(
            flag(
                &filter.blocking,
                false,
                format!("only annotates `{name}` content on {on}, without blocking it"),
            )
            .filter(|_| !off),
        );
        let threshold = &filter.severity_threshold;
        match threshold.value().map(|t| data.is_weaker_threshold(t)) {
            Some(Some(true)) => found.push((
                Outcome::Fail,
                at(threshold),
                format!(
                    "lets low- and medium-severity `{name}` content through on {on} ({}; the default blocks {} and above)",
                    threshold.describe(),
                    data.default_threshold
                ),
            )),
            // Not set, or a stricter one.
            Some(_) => {}
            None => found.push(unknown(at(threshold), threshold.describe())),
        }
    } else if is(&data.prompt_shields) {
        found.extend(flag(
            &filter.enabled,
            false,
            format!("turns the `{name}` prompt shield off"),
        ));
        found.extend(
            flag(
                &filter.blocking,
                false,
                format!("only annotates `{name}` attacks, without blocking them"),
            )
            .filter(|_| !off),
        );
    } else if is(&data.protected_material) && on == "completions" {
        found.extend(flag(
            &filter.enabled,
            false,
            format!("does not detect `{name}` in completions"),
        ));
    }
    found
}
