//! AOAI900 module-not-followed: a module call whose content aoai-lint does not read (a remote
//! source that is not downloaded, a cycle, a missing directory). What it deploys is not checked,
//! and users should know rather than assume a clean report covers it.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{Declared, UnfollowedModule};

pub struct ModuleNotFollowed;

impl Rule for ModuleNotFollowed {
    fn id(&self) -> &'static str {
        "AOAI900"
    }

    /// One note per source: many calls of one remote module are one thing to know, reported at
    /// the first call with the others listed.
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let mut groups: Vec<Vec<&UnfollowedModule>> = Vec::new();
        for module in &cx.model.unfollowed_modules {
            let same = |group: &&mut Vec<&UnfollowedModule>| {
                group[0].source == module.source && group[0].reason == module.reason
            };
            match groups.iter_mut().find(same) {
                Some(group) => group.push(module),
                None => groups.push(vec![module]),
            }
        }
        for group in groups {
            let first = group[0];
            let message = match group.len() {
                1 => format!(
                    "the resources of `{}` are not checked: {}",
                    first.declared.address, first.reason
                ),
                n => format!(
                    "the resources of `{}` and {} more calls of the same module are not checked: {}",
                    first.declared.address,
                    n - 1,
                    first.reason
                ),
            };
            let header = first.declared.header.clone();
            let finding = out.push(&first.declared, Outcome::Unknown, header, "source", message);
            finding.label = "not followed".into();
            for other in &group[1..] {
                let label = format!("`{}` calls it too", other.declared.address);
                finding.related.push((other.declared.header.clone(), label));
            }
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
