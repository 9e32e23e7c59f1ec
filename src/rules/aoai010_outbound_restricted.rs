//! AOAI010 outbound-restricted: the account may only call out to an allow-list of FQDNs, so a
//! prompt cannot make it send data elsewhere. Both OpenAI and AIServices kinds, whatever the
//! attribute is set from.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;

pub struct OutboundRestricted;

impl Rule for OutboundRestricted {
    fn id(&self) -> &'static str {
        "AOAI010"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            let outbound = &account.outbound;
            out.account_attr(
                account,
                &outbound.restricted,
                |restricted| !restricted,
                "outbound network access is not restricted",
            );
            if outbound.restricted.value() != Some(&true) {
                continue;
            }
            let fqdns = &outbound.allowed_fqdns;
            match fqdns.value() {
                None => {
                    let message = format!(
                        "cannot tell which FQDNs the account may reach: {}",
                        fqdns.describe()
                    );
                    out.push(
                        &account.declared,
                        Outcome::Unknown,
                        fqdns.span.clone(),
                        &fqdns.name,
                        message,
                    );
                }
                Some(list) if list.iter().all(|f| f.trim().is_empty()) => {
                    let message = format!(
                        "outbound network access is restricted without an allow-list (`{}` is empty): list the FQDNs the account must reach so the restriction is deliberate",
                        fqdns.name
                    );
                    let span = if fqdns.is_default() {
                        outbound.restricted.span.clone()
                    } else {
                        fqdns.span.clone()
                    };
                    out.account_fail(account, span, &fqdns.name, message);
                }
                Some(_) => {}
            }
        }
    }
}
