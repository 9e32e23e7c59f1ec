//! AOAI007 network-default-deny: the account's network ACLs deny by default. With public access
//! disabled this is defence in depth (a note); with public access enabled, `Allow` lets the whole
//! internet reach the account (a warning). IP rules as broad as `0.0.0.0/0` are called out.

use super::{Context, Findings, Rule};
use crate::finding::{Level, Outcome};
use crate::model::AttrState;

pub struct NetworkDefaultDeny;

impl Rule for NetworkDefaultDeny {
    fn id(&self) -> &'static str {
        "AOAI007"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            let acls = &account.network_acls;
            let action = &acls.default_action;
            let public = account.public_network_access.value().copied();
            match &action.state {
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell whether network ACLs deny by default: {}",
                        action.describe()
                    );
                    out.push(
                        &account.declared,
                        Outcome::Unknown,
                        action.span.clone(),
                        &action.name,
                        message,
                    );
                }
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. }
                    if !value.eq_ignore_ascii_case("Deny") =>
                {
                    let (what, level) = match public {
                        Some(false) => (
                            "network ACLs allow by default (public network access is disabled, so this is defence in depth)",
                            Level::Note,
                        ),
                        Some(true) => (
                            "network ACLs allow every address while public network access is enabled",
                            Level::Warning,
                        ),
                        None => (
                            "network ACLs allow by default, and public network access may be enabled",
                            Level::Warning,
                        ),
                    };
                    let message = match acls.present.value() {
                        Some(false) => format!("{what}: no network ACLs are set"),
                        _ => format!("{what}: {}", action.describe()),
                    };
                    let finding =
                        out.account_fail(account, action.span.clone(), &action.name, message);
                    finding.level = Some(level);
                    if action.is_default() {
                        finding.label = "no `Deny` default action".into();
                    }
                    if let Some(via) = action.via() {
                        finding.related.push((via.span.clone(), via.label.into()));
                    }
                }
                _ => {}
            }
            let rules = &acls.ip_rules;
            if public == Some(false) {
                continue;
            }
            if let Some(broad) = rules.value().into_iter().flatten().find(|r| is_broad(r)) {
                let message = format!(
                    "the IP rule `{broad}` lets most of the internet through the network ACLs"
                );
                out.account_fail(account, rules.span.clone(), &rules.name, message);
            }
        }
    }
}

/// A CIDR range of /8 or wider (`0.0.0.0/0`, `::/0`), or a wildcard.
fn is_broad(rule: &str) -> bool {
    let rule = rule.trim();
    if rule == "*" || rule.eq_ignore_ascii_case("any") || rule.eq_ignore_ascii_case("internet") {
        return true;
    }
    match rule.rsplit_once('/') {
        Some((address, prefix)) => match prefix.parse::<u8>() {
            Ok(prefix) if address.contains(':') => prefix <= 16,
            Ok(prefix) => prefix <= 8,
            Err(_) => false,
        },
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_broad;

    #[test]
    fn broad_ranges_are_slash_eight_or_wider() {
        for rule in ["0.0.0.0/0", "10.0.0.0/8", "::/0", "*"] {
            assert!(is_broad(rule), "{rule}");
        }
        for rule in [
            "203.0.113.0/24",
            "10.0.0.0/9",
            "198.51.100.7",
            "2001:db8::/32",
        ] {
            assert!(!is_broad(rule), "{rule}");
        }
    }
}
