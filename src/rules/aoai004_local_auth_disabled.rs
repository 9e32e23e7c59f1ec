//! AOAI004 local-auth-disabled: API keys are turned off, so only Entra ID tokens work.

use super::{Context, Findings, Rule};

pub struct LocalAuthDisabled;

impl Rule for LocalAuthDisabled {
    fn id(&self) -> &'static str {
        "AOAI004"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            out.account_attr(
                account,
                &account.local_auth,
                |enabled| *enabled,
                "key (local) authentication is enabled",
            );
        }
    }
}
