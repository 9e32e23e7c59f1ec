//! AOAI002 private-endpoint: a private endpoint with the `account` sub-resource targets the
//! account, from any file of the scope.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Existence};
use crate::resolve::Target;

pub struct PrivateEndpoint;

impl Rule for PrivateEndpoint {
    fn id(&self) -> &'static str {
        "AOAI002"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (index, account) in cx.declared_accounts() {
            // Why a private endpoint may or may not connect, when that cannot be known.
            let mut possible = Vec::new();
            let mut wrong_group = Vec::new();
            let mut connected = false;
            for ((endpoint, connection), target) in
                cx.endpoint_connections.of(index, account.declared.language)
            {
                let address = &endpoint.declared.address;
                match target {
                    Target::Account(_) => {}
                    Target::Other => continue,
                    // Whatever it targets, an endpoint to other sub-resources does not
                    // reach an account's `account` sub-resource.
                    Target::Unresolved(_) if reaches_no_account(&connection.group_ids) => {
                        continue;
                    }
                    Target::Unresolved(reason) => {
                        possible.push((
                            connection.target.span.clone(),
                            format!("`{}` of `{address}` {reason}", connection.target.name),
                        ));
                        continue;
                    }
                }
                match &connection.group_ids.state {
                    AttrState::Unresolved { reason, .. } => possible.push((
                        connection.group_ids.span.clone(),
                        format!("`{}` of `{address}` {reason}", connection.group_ids.name),
                    )),
                    AttrState::Explicit { .. } | AttrState::Default { .. } => {
                        if reaches_no_account(&connection.group_ids) {
                            wrong_group.push((
                                connection.group_ids.span.clone(),
                                format!("`{address}` targets this account without the `account` sub-resource"),
                            ));
                            continue;
                        }
                        match &endpoint.declared.existence {
                            Existence::Always => connected = true,
                            Existence::Conditional { reason } => possible.push((
                                endpoint.declared.header.clone(),
                                format!("`{address}` may not be created: {reason}"),
                            )),
                        }
                    }
                }
            }

            if connected {
                continue;
            }
            // A module that is not followed and is passed the account may create its endpoint.
            for module in &cx.model.unfollowed_modules {
                let passed = module
                    .receives
                    .iter()
                    .any(|key| cx.links.account(key) == Some(index));
                if passed {
                    possible.push((
                        module.declared.header.clone(),
                        format!(
                            "`{}` is passed this account and may create its private endpoint, but {}",
                            module.declared.address, module.reason
                        ),
                    ));
                }
            }
            let header = account.declared.header.clone();
            if let Some((span, reason)) = possible.first() {
                let message = format!(
                    "cannot tell whether a private endpoint connects to this account: {reason}"
                );
                let finding = out.push(&account.declared, Outcome::Unknown, header, "", message);
                finding
                    .related
                    .push((span.clone(), "this decides it".into()));
            } else {
                let message =
                    "no private endpoint with the `account` sub-resource connects to this account"
                        .to_string();
                let finding = out.account_fail(account, header, "", message);
                finding.related.extend(wrong_group);
            }
        }
    }
}

/// Whether known group ids leave out the `account` sub-resource.
fn reaches_no_account(group_ids: &crate::model::Attr<Vec<String>>) -> bool {
    group_ids.value().is_some_and(|groups| {
        !groups
            .iter()
            .any(|group| group.eq_ignore_ascii_case("account"))
    })
}
