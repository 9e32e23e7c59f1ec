//! AOAI011 data-residency: model deployments whose SKU may process prompts and completions
//! outside the geography the configured `data_residency` allows. `Global*` SKUs may use any
//! Azure region; `DataZone*` SKUs any region of their account's data zone (EU or US).

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Declared};
use crate::resolve::Target;

/// Where model deployments may process data (`data_residency` in the configuration).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DataResidency {
    /// No residency requirement: the rule checks nothing.
    #[default]
    Off,
    /// Only the account's own region: regional SKUs only.
    Region,
    /// The EU data zone: no `Global*` SKUs, `DataZone*` only for accounts in the EU zone.
    #[value(name = "datazone-eu")]
    DatazoneEu,
    /// The US data zone, likewise.
    #[value(name = "datazone-us")]
    DatazoneUs,
}

impl DataResidency {
    pub fn parse(text: &str) -> Option<DataResidency> {
        match text {
            "off" => Some(DataResidency::Off),
            "region" => Some(DataResidency::Region),
            "datazone-eu" => Some(DataResidency::DatazoneEu),
            "datazone-us" => Some(DataResidency::DatazoneUs),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            DataResidency::Off => "off",
            DataResidency::Region => "region",
            DataResidency::DatazoneEu => "datazone-eu",
            DataResidency::DatazoneUs => "datazone-us",
        }
    }
}

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
            let declared = &deployment.declared;
            let name = match &sku.state {
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell where the deployment processes data: {}",
                        sku.describe()
                    );
                    out.push(
                        declared,
                        Outcome::Unknown,
                        sku.span.clone(),
                        &sku.name,
                        message,
                    );
                    continue;
                }
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => value,
            };
            let lower = name.to_ascii_lowercase();
            let message = if lower.starts_with("global") {
                format!(
                    "the `{name}` SKU may process prompts and completions in any Azure region (data_residency = \"{}\")",
                    mode.as_str()
                )
            } else if !lower.starts_with("datazone") {
                continue;
            } else if let Some((zone_name, regions)) = zone {
                let account = cx.links.target(&deployment.account);
                let region = match &account {
                    Target::Account(i) => cx.model.accounts[*i].location.value(),
                    _ => None,
                };
                match region {
                    Some(region) if regions.contains(region) => continue,
                    Some(region) => format!(
                        "the `{name}` SKU processes data in the data zone of `{region}`, which is not the {zone_name} data zone (data_residency = \"{}\")",
                        mode.as_str()
                    ),
                    None => {
                        let why = match &account {
                            Target::Account(i) => cx.model.accounts[*i].location.describe(),
                            Target::Unresolved(reason) => {
                                format!("`{}` {reason}", deployment.account.name)
                            }
                            Target::Other => "its account is not declared in this scope".into(),
                        };
                        let message = format!(
                            "cannot tell whether the `{name}` SKU stays in the {zone_name} data zone: {why}"
                        );
                        out.push(
                            declared,
                            Outcome::Unknown,
                            sku.span.clone(),
                            &sku.name,
                            message,
                        );
                        continue;
                    }
                }
            } else {
                format!(
                    "the `{name}` SKU may process prompts and completions in other regions of its data zone (data_residency = \"region\")"
                )
            };
            fail(
                cx,
                out,
                deployment_account(cx, &deployment.account),
                declared,
                sku,
                message,
            );
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        if cx.settings.data_residency == DataResidency::Off {
            return Vec::new();
        }
        cx.model.deployments.iter().map(|d| &d.declared).collect()
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
