//! AOAI014 cmk-key-vault-protection: the vault holding an account's customer-managed key keeps
//! deleted keys (soft delete) and cannot be purged early (purge protection): a purged key makes
//! the account's data unreadable for good.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AiAccount, Attr, AttrState, Declared};
use crate::resolve::VaultTarget;

pub struct CmkKeyVaultProtection;

impl Rule for CmkKeyVaultProtection {
    fn id(&self) -> &'static str {
        "AOAI014"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (index, account) in cx.declared_accounts() {
            for (key, declared, _) in cx.cmk_keys(index, account) {
                let name = &key.key.name;
                let unknown = match cx.links.key_vault(cx.model, &key.key) {
                    VaultTarget::Vault(i) if !cx.model.key_vaults[i].existing => {
                        let vault = &cx.model.key_vaults[i];
                        for (attr, what) in [
                            (&vault.purge_protection, "purge protection is off"),
                            (&vault.soft_delete, "soft delete is disabled"),
                        ] {
                            check(out, account, &vault.declared, attr, what, &key.key.span);
                        }
                        continue;
                    }
                    VaultTarget::Vault(i) => format!(
                        "cannot tell whether `{}` is protected: it is declared elsewhere (`existing`)",
                        cx.model.key_vaults[i].declared.address
                    ),
                    VaultTarget::Unresolved(reason) => format!(
                        "cannot tell which key vault holds the customer-managed key: `{name}` {reason}"
                    ),
                    VaultTarget::NotFound => format!(
                        "cannot tell whether the key vault of the customer-managed key is protected: `{name}` names a key or vault that is not declared in this scope"
                    ),
                };
                out.push(
                    declared,
                    Outcome::Unknown,
                    key.key.span.clone(),
                    name,
                    unknown,
                );
            }
        }
    }

    /// Accounts with a customer-managed key.
    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        let model: &'m crate::model::Model = cx.model;
        model
            .accounts
            .iter()
            .enumerate()
            .filter(|(index, account)| {
                !account.existing && !cx.cmk_keys(*index, account).is_empty()
            })
            .map(|(_, account)| &account.declared)
            .collect()
    }
}

fn check(
    out: &mut Findings,
    account: &AiAccount,
    vault: &Declared,
    attr: &Attr<bool>,
    what: &str,
    key_span: &crate::source::Span,
) {
    let finding = match &attr.state {
        AttrState::Explicit { value: true, .. } | AttrState::Default { value: true, .. } => return,
        AttrState::Unresolved { .. } => {
            let message = format!(
                "cannot tell whether the key vault of the customer-managed key is protected: {}",
                attr.describe()
            );
            out.push(
                vault,
                Outcome::Unknown,
                attr.span.clone(),
                &attr.name,
                message,
            )
        }
        _ => {
            let message = format!(
                "the key vault holding the customer-managed key of `{}` can lose the key for good ({what}): {}",
                account.declared.address,
                attr.describe()
            );
            let finding = out.fail_on(account, vault, attr.span.clone(), &attr.name, message);
            if attr.is_default() && finding.outcome == Outcome::Fail {
                finding.label = format!("`{}` is not set", attr.name);
            }
            finding
        }
    };
    finding.related.push((
        key_span.clone(),
        "the account's key is in this vault".into(),
    ));
}
