//! AOAI003 customer-managed-key: encryption at rest uses a Key Vault key, declared inline or
//! with a separate binding resource anywhere in the scope.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Existence};
use crate::resolve::Target;

pub struct CustomerManagedKey;

impl Rule for CustomerManagedKey {
    fn id(&self) -> &'static str {
        "AOAI003"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (index, account) in cx.declared_accounts() {
            let inline = &account.inline_cmk;
            if inline.value() == Some(&true) {
                continue;
            }
            let mut possible = inline
                .unresolved_reason()
                .map(|_| (inline.span.clone(), inline.describe()));
            let mut bound = false;
            for (binding, target) in cx.cmk_bindings.of(index, account.declared.language) {
                let address = &binding.declared.address;
                match (target, &binding.declared.existence) {
                    (Target::Account(_), Existence::Always) => bound = true,
                    (Target::Account(_), Existence::Conditional { reason }) => {
                        possible.get_or_insert((
                            binding.declared.header.clone(),
                            format!("`{address}` may not be created: {reason}"),
                        ));
                    }
                    (Target::Unresolved(reason), _) => {
                        possible.get_or_insert((
                            binding.account.span.clone(),
                            format!("the account of `{address}` {reason}"),
                        ));
                    }
                    _ => {}
                }
            }
            if bound {
                continue;
            }
            let header = account.declared.header.clone();
            if let Some((span, reason)) = possible {
                let message = format!(
                    "cannot tell whether a customer-managed key encrypts this account: {reason}"
                );
                out.push(
                    &account.declared,
                    Outcome::Unknown,
                    span,
                    &inline.name,
                    message,
                );
            } else {
                let message = match &inline.state {
                    // An explicit non-Key-Vault key source is the attribute to fix.
                    AttrState::Explicit { .. } => format!(
                        "data at rest is encrypted with Microsoft-managed keys: {}",
                        inline.describe()
                    ),
                    _ => "data at rest is encrypted with Microsoft-managed keys: no customer-managed key is configured for this account".to_string(),
                };
                let span = if inline.is_default() {
                    header
                } else {
                    inline.span.clone()
                };
                let finding = out.account_fail(account, span, &inline.name, message);
                if inline.is_default() {
                    finding.label = "no customer-managed key".into();
                }
            }
        }
    }
}
