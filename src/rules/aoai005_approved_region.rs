//! AOAI005 approved-region: the account lives in an approved region, and in one where Azure
//! OpenAI exists at all.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Known};

pub struct ApprovedRegion;

impl Rule for ApprovedRegion {
    fn id(&self) -> &'static str {
        "AOAI005"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            let location = &account.location;
            let message = match &location.state {
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => {
                    match problem(cx, &location.name, value) {
                        Some(problem) => problem,
                        None => continue,
                    }
                }
                AttrState::Unresolved {
                    known: Some(Known::OneOf(regions)),
                    reason,
                } => match one_of(cx, regions, reason) {
                    Decided::Pass => continue,
                    Decided::Fail(message) => message,
                    Decided::Unknown(message) => {
                        unknown(out, account, location, message);
                        continue;
                    }
                },
                AttrState::Unresolved { .. } => {
                    unknown(out, account, location, location.describe());
                    continue;
                }
            };
            let finding = out.account_fail(account, location.span.clone(), &location.name, message);
            if let Some(via) = location.via() {
                finding.related.push((via.span.clone(), via.label.into()));
            }
        }
    }
}

fn unknown(
    out: &mut Findings,
    account: &crate::model::AiAccount,
    location: &crate::model::Attr<String>,
    what: String,
) {
    let message = format!("cannot tell whether the region is approved: {what}");
    out.push(
        &account.declared,
        Outcome::Unknown,
        location.span.clone(),
        &location.name,
        message,
    );
}

/// Why a region (the value of attribute `name`) is not acceptable; `None` when it is.
fn problem(cx: &Context<'_>, name: &str, region: &str) -> Option<String> {
    if region.trim().is_empty() {
        return Some(format!("`{name}` is empty: it must name a region"));
    }
    if !cx.catalog.is_openai_region(region) {
        return Some(format!(
            "`{region}` is not a region where Azure OpenAI is available"
        ));
    }
    let approved = cx
        .settings
        .approved_regions
        .as_deref()
        .filter(|list| !list.iter().any(|r| r == region))?;
    Some(format!(
        "`{region}` is not an approved region (approved: {})",
        approved.join(", ")
    ))
}

enum Decided {
    Pass,
    Fail(String),
    Unknown(String),
}

/// A location that is one of several regions (a conditional, a shuffle): decided when every
/// one of them is acceptable, or none is.
fn one_of(cx: &Context<'_>, regions: &[String], reason: &str) -> Decided {
    let unavailable = |r: &&String| !cx.catalog.is_openai_region(r);
    let approved = cx.settings.approved_regions.as_deref();
    let unapproved =
        |r: &&String| !unavailable(r) && approved.is_some_and(|list| !list.contains(r));
    let ticked = |names: Vec<&String>| {
        names
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let are = |names: &[&String]| if names.len() == 1 { "is" } else { "are" };
    let mut problems = Vec::new();
    let missing: Vec<&String> = regions.iter().filter(unavailable).collect();
    if !missing.is_empty() {
        let verb = are(&missing);
        problems.push(format!(
            "{} {verb} not where Azure OpenAI is available",
            ticked(missing)
        ));
    }
    let refused: Vec<&String> = regions.iter().filter(unapproved).collect();
    if let (false, Some(list)) = (refused.is_empty(), approved) {
        let verb = are(&refused);
        problems.push(format!(
            "{} {verb} not approved (approved: {})",
            ticked(refused),
            list.join(", ")
        ));
    }
    let bad = regions
        .iter()
        .filter(|r| unavailable(r) || unapproved(r))
        .count();
    let listed = ticked(regions.iter().collect());
    let problems = problems.join("; ");
    if bad == 0 {
        Decided::Pass
    } else if bad == regions.len() {
        Decided::Fail(format!(
            "the location is one of {listed}, and none is acceptable: {problems}; it {reason}"
        ))
    } else {
        Decided::Unknown(format!(
            "the location is one of {listed}, and only some are acceptable: {problems}; it {reason}"
        ))
    }
}
