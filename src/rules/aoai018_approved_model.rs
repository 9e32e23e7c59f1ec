//! AOAI018 approved-model: with `approved_models` configured, each model deployment serves an
//! approved model, in an approved version where the entry lists versions.

use super::{Context, Findings, Rule};
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
/// decides; `None` when it is approved.
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
    let Some(format) = model.format.value() else {
        return unknown(&model.format);
    };
    let Some(name) = model.name.value() else {
        return unknown(&model.name);
    };
    let covering: Vec<&ApprovedModel> =
        approved.iter().filter(|a| a.covers(format, name)).collect();
    if covering.is_empty() {
        let message = format!(
            "`{format}/{name}` is not an approved model (approved: {})",
            listed(approved.iter())
        );
        return Some((Outcome::Fail, &model.name, message));
    }
    if covering.iter().any(|a| a.versions.is_empty()) {
        return None;
    }
    let version = &model.version;
    let Some(written) = version.value() else {
        return unknown(version);
    };
    let versions = listed(covering.iter().copied());
    if written.is_empty() {
        let message = format!(
            "the deployment pins no version of `{format}/{name}`: it takes the account's default version, which moves as new versions become the default (approved: {versions})"
        );
        return Some((Outcome::Fail, version, message));
    }
    if covering.iter().any(|a| a.allows(written)) {
        return None;
    }
    let message =
        format!("version `{written}` of `{format}/{name}` is not approved (approved: {versions})");
    Some((Outcome::Fail, version, message))
}

fn listed<'a>(models: impl Iterator<Item = &'a ApprovedModel>) -> String {
    models
        .map(ApprovedModel::shown)
        .collect::<Vec<_>>()
        .join(", ")
}
