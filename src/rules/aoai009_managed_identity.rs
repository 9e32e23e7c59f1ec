//! AOAI009 managed-identity: the account has a managed identity, so it reaches Key Vault and
//! storage without keys. A customer-managed key makes it an error when the identity cannot read
//! the key: no identity at all, an inline key without a user-assigned identity (a system-assigned
//! identity only exists once the account does, too late to be granted the key), or a key whose
//! `identity_client_id` names an identity that is not attached to the account.

use super::{Context, Findings, Rule};
use crate::finding::{Level, Outcome};
use crate::model::{AiAccount, AttrState, CmkKey, Declared};

pub struct ManagedIdentity;

impl Rule for ManagedIdentity {
    fn id(&self) -> &'static str {
        "AOAI009"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (index, account) in cx.declared_accounts() {
            let kind = &account.identity.kind;
            let identity = match &kind.state {
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell whether the account has a managed identity: {}",
                        kind.describe()
                    );
                    out.push(
                        &account.declared,
                        Outcome::Unknown,
                        kind.span.clone(),
                        &kind.name,
                        message,
                    );
                    continue;
                }
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => value,
            };
            let none = identity.trim().is_empty() || identity.eq_ignore_ascii_case("None");
            let user_assigned = identity.to_ascii_lowercase().contains("userassigned");
            let keys = cx.cmk_keys(index, account);
            if none {
                let (message, level) = match keys.first() {
                    Some((_, declared, _)) => (
                        format!(
                            "the account has no managed identity, so the customer-managed key of `{}` cannot be read",
                            declared.address
                        ),
                        Some(Level::Error),
                    ),
                    None => (
                        format!("the account has no managed identity: {}", kind.describe()),
                        None,
                    ),
                };
                let span = if kind.is_default() {
                    account.declared.header.clone()
                } else {
                    kind.span.clone()
                };
                let finding = out.account_fail(account, span, &kind.name, message);
                finding.level = level;
                if let Some((_, declared, false)) = keys.first() {
                    finding.related.push((
                        declared.header.clone(),
                        "this key needs an identity to be read".into(),
                    ));
                }
                if kind.is_default() && finding.outcome == Outcome::Fail {
                    finding.label = "no `identity`".into();
                }
                continue;
            }
            for (key, declared, inline) in keys {
                if inline && !user_assigned {
                    let message = format!(
                        "the inline customer-managed key needs a user-assigned identity: the {identity} identity does not exist before the account, so it cannot be granted the key"
                    );
                    let finding = out.account_fail(account, kind.span.clone(), &kind.name, message);
                    finding.level = Some(Level::Error);
                    continue;
                }
                check_attached(account, key, declared, out);
            }
        }
    }
}

/// An `identity_client_id` that names a user-assigned identity of the scope must be attached to
/// the account. A literal client id (a GUID) cannot be matched statically, so it is left alone.
fn check_attached(account: &AiAccount, key: &CmkKey, declared: &Declared, out: &mut Findings) {
    let (Some(named), Some(attached)) =
        (key.identity.value(), account.identity.user_assigned.value())
    else {
        return;
    };
    if named.is_empty() || is_guid(named) || attached.contains(named) {
        return;
    }
    let shown = match &key.identity.state {
        AttrState::Explicit { shown, .. } => shown.clone(),
        _ => named.clone(),
    };
    let message = format!(
        "`{}` is {shown}, an identity that is not attached to `{}`: the key cannot be read",
        key.identity.name, account.declared.address
    );
    let finding = out.fail_on(
        account,
        declared,
        key.identity.span.clone(),
        &key.identity.name,
        message,
    );
    finding.level = Some(Level::Error);
    finding.related.push((
        account.identity.user_assigned.span.clone(),
        "the identities attached to the account".into(),
    ));
}

fn is_guid(text: &str) -> bool {
    text.len() == 36
        && text.chars().enumerate().all(|(i, c)| {
            matches!(i, 8 | 13 | 18 | 23) == (c == '-') && (c == '-' || c.is_ascii_hexdigit())
        })
}
