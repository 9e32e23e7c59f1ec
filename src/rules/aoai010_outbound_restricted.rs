//! AOAI010 outbound-restricted: the account may only call out to an allow-list of FQDNs, so a
//! prompt cannot make it send data elsewhere. Both OpenAI and AIServices kinds, whatever the
//! attribute is set from. Whatever the list holds, a restricted account passes: an empty list
//! reaches nothing, the strictest setting.

use super::{Context, Findings, Rule};

pub struct OutboundRestricted;

impl Rule for OutboundRestricted {
    fn id(&self) -> &'static str {
        "AOAI010"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            out.account_attr(
                account,
                &account.outbound.restricted,
                |restricted| !restricted,
                "outbound network access is not restricted",
            );
        }
    }
}
