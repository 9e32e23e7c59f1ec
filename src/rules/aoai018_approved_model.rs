//! AOAI018 approved-model: with `approved_models` configured, each model deployment serves an
//! approved model, in an approved version where the entry lists versions.

use super::{Context, Findings, Rule, possible_values};
use crate::finding::Outcome;
use crate::model::{ApprovedModel, Attr, Declared, DeployedModel};

pub struct ApprovedModelRule;

impl Rule for ApprovedModelRule {
    fn id(&self) -> &'static str {
        "AOAI018"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let Some(approved) = cx.settings.approved_models.as_deref() else {
            return;
        };
        for deployment in &cx.model.deployments {
            if let Some((outcome, attr, message)) = verdict(approved, &deployment.model) {
                let span = attr.span.clone();
                let finding = out.push(&deployment.declared, outcome, span, &attr.name, message);
                if let Some(via) = attr.via() {
                    finding.related.push((via.span.clone(), via.label.into()));
                }
            }
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        match cx.settings.approved_models {
            Some(_) => cx.model.deployments.iter().map(|d| &d.declared).collect(),
            None => Vec::new(),
        }
    }
}

/// Why a deployment's model is not approved, or cannot be told to be, with the attribute that
/// decides; `None` when it is approved. A name or version known to be one of several is judged
/// for each: failing when every one fails, unknown when only some do.
fn verdict<'m>(
    approved: &[ApprovedModel],
    model: &'m DeployedModel,
) -> Option<(Outcome, &'m Attr<String>, String)> {
    let unknown = |attr: &'m Attr<String>| {
        let message = format!(
            "cannot tell whether the model is approved: {}",
            attr.describe()
        );
        Some((Outcome::Unknown, attr, message))
    };
    let Some(format) = model.format.value().filter(|f| !f.trim().is_empty()) else {
        return unknown(&model.format);
    };
    let Some(names) = possible_values(&model.name) else {
        return unknown(&model.name);
    };
    let versions = possible_values(&model.version);
    // (whether the version is what is wrong, why) for each model it can be, and how many.
    let (mut problems, mut judged) = (Vec::new(), 0);
    for name in &names {
        let covering: Vec<&ApprovedModel> =
            approved.iter().filter(|a| a.covers(format, name)).collect();
        if covering.is_empty() || covering.iter().any(|a| a.allows_every_version()) {
            judged += 1;
            problems.extend(
                covering
                    .is_empty()
                    .then(|| (false, not_approved(approved, format, name))),
            );
            continue;
        }
        let Some(versions) = &versions else {
            return unknown(&model.version);
        };
        for version in versions {
            judged += 1;
            problems.extend(version_problem(&covering, format, name, version).map(|m| (true, m)));
        }
    }
    let attr = match problems.iter().all(|(at_version, _)| *at_version) {
        true => &model.version,
        false => &model.name,
    };
    let messages: Vec<&str> = problems.iter().map(|(_, m)| m.as_str()).collect();
    match problems.len() {
        0 => None,
        1 if judged == 1 => Some((Outcome::Fail, attr, messages.join(""))),
        n if n == judged => {
            let why = one_of(model);
            let message = format!(
                "no model it can be is approved ({why}): {}",
                messages.join("; ")
            );
            Some((Outcome::Fail, attr, message))
        }
        _ => {
            let why = one_of(model);
            let message = format!(
                "cannot tell whether the model is approved: only some of the models it can be are ({why}): {}",
                messages.join("; ")
            );
            Some((Outcome::Unknown, attr, message))
        }
    }
}

/// What the model's name or version depends on, when it is one of several.
fn one_of(model: &DeployedModel) -> String {
    [&model.name, &model.version]
        .into_iter()
        .find_map(|attr| Some(format!("`{}` {}", attr.name, attr.unresolved_reason()?)))
        .unwrap_or_default()
}

fn not_approved(approved: &[ApprovedModel], format: &str, name: &str) -> String {
    format!(
        "`{format}/{name}` is not an approved model (approved: {})",
        listed(approved.iter())
    )
}

/// Why `version` (empty: not pinned) of a model the `covering` entries approve in some versions
/// is not one of them; `None` when it is.
fn version_problem(
    covering: &[&ApprovedModel],
    format: &str,
    name: &str,
    version: &str,
) -> Option<String> {
    if covering.iter().any(|a| a.allows(version)) {
        return None;
    }
    let versions = listed(covering.iter().copied());
    Some(match version.is_empty() {
        true => format!(
            "the deployment pins no version of `{format}/{name}`: it takes the account's default version, which moves as new versions become the default (approved: {versions})"
        ),
        false => format!(
            "version `{version}` of `{format}/{name}` is not approved (approved: {versions})"
        ),
    })
}

fn listed<'a>(models: impl Iterator<Item = &'a ApprovedModel>) -> String {
    models
        .map(ApprovedModel::shown)
        .collect::<Vec<_>>()
        .join(", ")
}
