//! AOAI001 public-network-access: the account is not reachable from the internet.

use super::{Context, Findings, Rule};

pub struct PublicNetworkAccess;

impl Rule for PublicNetworkAccess {
    fn id(&self) -> &'static str {
        "AOAI001"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            out.account_attr(
                account,
                &account.public_network_access,
                |enabled| *enabled,
                "public network access is enabled",
            );
        }
    }
}
