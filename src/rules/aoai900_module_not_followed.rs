//! AOAI900 module-not-followed: a module call whose content aoai-lint does not read (a remote
//! source that is not downloaded, a cycle, a missing directory). What it deploys is not checked,
//! and users should know rather than assume a clean report covers it.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::Declared;

pub struct ModuleNotFollowed;

impl Rule for ModuleNotFollowed {
    fn id(&self) -> &'static str {
        "AOAI900"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for module in &cx.model.unfollowed_modules {
            let message = format!(
                "the resources of `{}` are not checked: {}",
                module.declared.address, module.reason
            );
            let finding = out.push(
                &module.declared,
                Outcome::Unknown,
                module.declared.header.clone(),
                "source",
                message,
            );
            finding.label = "not followed".into();
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model
            .unfollowed_modules
            .iter()
            .map(|module| &module.declared)
            .collect()
    }
}
