//! AOAI006 least-privilege-role: role assignments on an account grant the data-plane OpenAI
//! roles, not roles that can read keys or change the account.
//!
//! Only assignments whose scope is known to be an account of the scope are checked: a role
//! assignment with an unresolved scope is far more often about something else, and reporting
//! each one as unknown would bury the real findings.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Declared};
use crate::resolve::Target;

pub struct LeastPrivilegeRole;

impl Rule for LeastPrivilegeRole {
    fn id(&self) -> &'static str {
        "AOAI006"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for assignment in &cx.model.role_assignments {
            let Target::Account(index) = cx.links.target(&assignment.scope) else {
                continue;
            };
            let account = &cx.model.accounts[index];
            let role = &assignment.role;
            match &role.state {
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell whether the role granted on `{}` is least-privilege: {}",
                        account.declared.address,
                        role.describe()
                    );
                    out.push(
                        &assignment.declared,
                        Outcome::Unknown,
                        role.span.clone(),
                        &role.name,
                        message,
                    );
                }
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => {
                    let Some((name, found)) = cx.catalog.find_role(value) else {
                        continue;
                    };
                    if found.broad {
                        let message = format!(
                            "`{name}` on `{}` can read its keys or change its settings; grant Cognitive Services OpenAI User or Contributor instead",
                            account.declared.address
                        );
                        let finding = out.fail_on(
                            account,
                            &assignment.declared,
                            role.span.clone(),
                            &role.name,
                            message,
                        );
                        finding.related.push((
                            assignment.scope.span.clone(),
                            "scoped to the account here".into(),
                        ));
                    }
                }
            }
        }
    }

    /// Role assignments scoped to an account of the scope.
    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model
            .role_assignments
            .iter()
            .filter(|a| matches!(cx.links.target(&a.scope), Target::Account(_)))
            .map(|a| &a.declared)
            .collect()
    }
}
