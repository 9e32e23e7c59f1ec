//! AOAI023 defender-for-ai: a deployment that declares Microsoft Defender for AI does not turn
//! it off, at the subscription (`Microsoft.Security/pricings` `AI` on the `Free` tier) or on an
//! account (`defenderForAISettings` `Disabled`). Not declaring it is no finding (plans are
//! usually set elsewhere), unless `require_defender_for_ai` asks subscription deployments to.

use super::{Context, Findings, Rule};
use crate::finding::{Level, Outcome};
use crate::model::{Declared, DefenderScope, DefenderSetting};
use crate::resolve::Target;

pub struct DefenderForAi;

/// Whether a subscription plan is Defender for AI services (`Microsoft.Security/pricings`
/// named `AI`, azurerm's `resource_type = "AI"`).
fn is_ai_plan(name: &str) -> bool {
    name.eq_ignore_ascii_case("AI")
}

impl Rule for DefenderForAi {
    fn id(&self) -> &'static str {
        "AOAI023"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for setting in &cx.model.defender_settings {
            match &setting.scope {
                DefenderScope::Plan(plan) => check_plan(setting, plan, out),
                DefenderScope::Account(account) => check_account(cx, setting, account, out),
            }
        }
        if cx.settings.require_defender_for_ai {
            require_plan(cx, out);
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        let settings = cx
            .model
            .defender_settings
            .iter()
            .filter(|s| match &s.scope {
                DefenderScope::Plan(plan) => plan.value().is_none_or(|name| is_ai_plan(name)),
                DefenderScope::Account(_) => true,
            });
        let mut subjects: Vec<&Declared> = settings.map(|s| &s.declared).collect();
        if cx.settings.require_defender_for_ai {
            subjects.extend(&cx.model.subscription_deployments);
        }
        subjects
    }
}

/// A subscription plan: only the `AI` plan is Defender for AI services; one whose name is not
/// known is only reported when it turns a plan off.
fn check_plan(setting: &DefenderSetting, plan: &crate::model::Attr<String>, out: &mut Findings) {
    let enabled = &setting.enabled;
    match (plan.value(), enabled.value()) {
        (Some(name), _) if !is_ai_plan(name) => {}
        (Some(_), Some(true)) | (None, Some(true)) | (None, None) => {}
        (Some(_), Some(false)) => {
            let message = format!(
                "the subscription's Defender for AI services plan is off: {}",
                enabled.describe()
            );
            fail_at(out, setting, enabled, message);
        }
        (Some(_), None) => {
            let message = format!(
                "cannot tell whether the subscription's Defender for AI services plan is on: {}",
                enabled.describe()
            );
            out.unknown_on(&setting.declared, enabled, message);
        }
        (None, Some(false)) => {
            let message = format!(
                "this plan is turned off ({}) and may be Defender for AI services: {}",
                enabled.describe(),
                plan.describe()
            );
            out.unknown_on(&setting.declared, plan, message);
        }
    }
}

/// An account's own setting, naming the account when it is one of the scope's.
fn check_account(
    cx: &Context<'_>,
    setting: &DefenderSetting,
    account: &crate::model::Reference,
    out: &mut Findings,
) {
    let enabled = &setting.enabled;
    let of = match cx.links.target(account) {
        Target::Account(i) => cx
            .model
            .accounts
            .get(i)
            .map_or(String::new(), |a| format!(" `{}`", a.declared.address)),
        _ => String::new(),
    };
    match enabled.value() {
        Some(true) => {}
        Some(false) => {
            let message = format!(
                "Defender for AI threat protection is off for the account{of}: {}",
                enabled.describe()
            );
            fail_at(out, setting, enabled, message);
        }
        None => {
            let message = format!(
                "cannot tell whether Defender for AI threat protection is on for the account{of}: {}",
                enabled.describe()
            );
            out.unknown_on(&setting.declared, enabled, message);
        }
    }
}

fn fail_at(
    out: &mut Findings,
    setting: &DefenderSetting,
    enabled: &crate::model::Attr<bool>,
    message: String,
) {
    let span = enabled.span.clone();
    let finding = out.push(
        &setting.declared,
        Outcome::Fail,
        span,
        &enabled.name,
        message,
    );
    if let Some(via) = enabled.via() {
        finding.related.push((via.span.clone(), via.label.into()));
    }
}

/// With `require_defender_for_ai`, a subscription deployment declares the `AI` plan (in its
/// own language: another language is another deployment): a note where it does not, unknown
/// where a plan's name is not known. Whether the plan it declares is on is the check above.
fn require_plan(cx: &Context<'_>, out: &mut Findings) {
    for deployment in &cx.model.subscription_deployments {
        let plans = cx
            .model
            .defender_settings
            .iter()
            .filter_map(|s| match &s.scope {
                DefenderScope::Plan(plan) if s.declared.language == deployment.language => {
                    Some((s, plan))
                }
                _ => None,
            });
        let mut unnamed = None;
        let mut declared = false;
        for (setting, plan) in plans {
            match plan.value() {
                Some(name) => declared |= is_ai_plan(name),
                None => {
                    unnamed.get_or_insert((setting, plan));
                }
            }
        }
        let header = deployment.header.clone();
        match (declared, unnamed) {
            (true, _) => {}
            (false, Some((setting, plan))) => {
                let message = format!(
                    "cannot tell whether this subscription deployment declares the Defender for AI services plan (`require_defender_for_ai` is set): {} of `{}`",
                    plan.describe(),
                    setting.declared.address
                );
                let finding = out.push(deployment, Outcome::Unknown, header, "", message);
                finding
                    .related
                    .push((plan.span.clone(), "this decides it".into()));
            }
            (false, None) => {
                let message = "this subscription deployment does not declare the Defender for AI services plan (`Microsoft.Security/pricings` `AI`), which `require_defender_for_ai` asks for".to_string();
                let finding = out.push(deployment, Outcome::Fail, header, "", message);
                finding.level = Some(Level::Note);
            }
        }
    }
}
