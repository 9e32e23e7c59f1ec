//! AOAI011 data-residency: model deployments whose SKU may process prompts and completions
//! outside the geography the configured `data_residency` allows. `Global*` SKUs may use any
//! Azure region; `DataZone*` SKUs any region of their account's data zone (EU or US).

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{DataResidency, Declared, ModelDeployment};
use crate::resolve::Target;

pub struct DataResidencyRule;

impl Rule for DataResidencyRule {
    fn id(&self) -> &'static str {
        "AOAI011"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let mode = cx.settings.data_residency;
        let zone = match mode {
            DataResidency::Off => return,
            DataResidency::Region => None,
            DataResidency::DatazoneEu => Some(("EU", &cx.catalog.regions.datazone_eu)),
            DataResidency::DatazoneUs => Some(("US", &cx.catalog.regions.datazone_us)),
        };
        for deployment in &cx.model.deployments {
            let sku = &deployment.sku;
            match verdict(cx, deployment, mode, zone) {
                None => {}
                Some((Outcome::Unknown, message)) => {
                    let span = sku.span.clone();
                    out.push(
                        &deployment.declared,
                        Outcome::Unknown,
                        span,
                        &sku.name,
                        message,
                    );
                }
                Some((Outcome::Fail, message)) => {
                    let account = deployment_account(cx, &deployment.account);
                    fail(cx, out, account, &deployment.declared, sku, message);
                }
            }
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        if cx.settings.data_residency == DataResidency::Off {
            return Vec::new();
        }
        cx.model.deployments.iter().map(|d| &d.declared).collect()
    }
}

/// Whether a deployment's SKU keeps data where `mode` allows: `None` when it does, else the
/// outcome and its message.
fn verdict(
    cx: &Context<'_>,
    deployment: &ModelDeployment,
    mode: DataResidency,
    zone: Option<(&str, &Vec<String>)>,
) -> Option<(Outcome, String)> {
    let sku = &deployment.sku;
    let Some(name) = sku.value() else {
        let message = format!(
            "cannot tell where the deployment processes data: {}",
            sku.describe()
        );
        return Some((Outcome::Unknown, message));
    };
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("global") {
        return Some((
            Outcome::Fail,
            format!(
                "the `{name}` SKU may process prompts and completions in any Azure region (data_residency = \"{}\")",
                mode.as_str()
            ),
        ));
    }
    if !lower.starts_with("datazone") {
        return None;
    }
    let Some((zone_name, regions)) = zone else {
        return Some((
            Outcome::Fail,
            format!(
                "the `{name}` SKU may process prompts and completions in other regions of its data zone (data_residency = \"region\")"
            ),
        ));
    };
    let account = cx.links.target(&deployment.account);
    let region = match &account {
        Target::Account(i) => cx.model.accounts[*i].location.value(),
        _ => None,
    };
    match region {
        Some(region) if regions.contains(region) => None,
        Some(region) => Some((
            Outcome::Fail,
            format!(
                "the `{name}` SKU processes data in the data zone of `{region}`, which is not the {zone_name} data zone (data_residency = \"{}\")",
                mode.as_str()
            ),
        )),
        None => {
            let why = match &account {
                Target::Account(i) => cx.model.accounts[*i].location.describe(),
                Target::Unresolved(reason) => format!("`{}` {reason}", deployment.account.name),
                Target::Other => "its account is not declared in this scope".into(),
            };
            Some((
                Outcome::Unknown,
                format!(
                    "cannot tell whether the `{name}` SKU stays in the {zone_name} data zone: {why}"
                ),
            ))
        }
    }
}

fn deployment_account(cx: &Context<'_>, account: &crate::model::Reference) -> Option<usize> {
    match cx.links.target(account) {
        Target::Account(i) => Some(i),
        _ => None,
    }
}

/// A failure on the deployment, subject to its account's kind when the account is known.
fn fail(
    cx: &Context<'_>,
    out: &mut Findings,
    account: Option<usize>,
    declared: &Declared,
    sku: &crate::model::Attr<String>,
    message: String,
) {
    let finding = match account {
        Some(i) => out.fail_on(
            &cx.model.accounts[i],
            declared,
            sku.span.clone(),
            &sku.name,
            message,
        ),
        None => out.push(
            declared,
            Outcome::Fail,
            sku.span.clone(),
            &sku.name,
            message,
        ),
    };
    if let Some(via) = sku.via() {
        finding.related.push((via.span.clone(), via.label.into()));
    }
}
