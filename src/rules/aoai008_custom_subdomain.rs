//! AOAI008 custom-subdomain: the account has its own DNS name. Entra ID tokens need it, and a
//! private endpoint or network ACLs on an account without one fail to deploy or do not resolve
//! (an error then; a warning otherwise).

use super::{Context, Findings, Rule};
use crate::finding::{Level, Outcome};
use crate::model::{AttrState, Known};

pub struct CustomSubdomain;

impl Rule for CustomSubdomain {
    fn id(&self) -> &'static str {
        "AOAI008"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (index, account) in cx.declared_accounts() {
            let subdomain = &account.custom_subdomain;
            match &subdomain.state {
                // A generated or composed name a reader knows is not empty.
                AttrState::Unresolved {
                    known: Some(Known::NonEmpty),
                    ..
                } => {}
                AttrState::Unresolved {
                    known: Some(Known::OneOf(names)),
                    ..
                } if names.iter().all(|name| !name.trim().is_empty()) => {}
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell whether the account has a custom subdomain: {}",
                        subdomain.describe()
                    );
                    out.push(
                        &account.declared,
                        Outcome::Unknown,
                        subdomain.span.clone(),
                        &subdomain.name,
                        message,
                    );
                }
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. }
                    if value.trim().is_empty() =>
                {
                    let named = cx.endpoint_connections.named(index);
                    let endpoint = named.map(|(endpoint, _)| endpoint).next();
                    let acls = account.network_acls.present.value() == Some(&true);
                    let (needed_by, related) = match (endpoint, acls) {
                        (Some(endpoint), _) => (
                            format!(
                                ": the private endpoint `{}` needs it to resolve",
                                endpoint.declared.address
                            ),
                            Some((endpoint.declared.header.clone(), "this endpoint needs it")),
                        ),
                        (None, true) => (
                            ": network ACLs cannot be deployed without it".to_string(),
                            Some((
                                account.network_acls.present.span.clone(),
                                "these ACLs need it",
                            )),
                        ),
                        (None, false) => (
                            " (Entra ID tokens and private endpoints need it)".to_string(),
                            None,
                        ),
                    };
                    let span = if subdomain.is_default() {
                        account.declared.header.clone()
                    } else {
                        subdomain.span.clone()
                    };
                    let message = format!("the account has no custom subdomain{needed_by}");
                    let finding = out.account_fail(account, span, &subdomain.name, message);
                    if finding.outcome == Outcome::Fail {
                        finding.label = format!("`{}` is not set", subdomain.name);
                    }
                    if let Some((span, label)) = related {
                        finding.level = Some(Level::Error);
                        finding.related.push((span, label.into()));
                    }
                }
                _ => {}
            }
        }
    }
}
