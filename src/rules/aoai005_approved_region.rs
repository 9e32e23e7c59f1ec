//! AOAI005 approved-region: the account lives in an approved region, and in one where Azure
//! OpenAI exists at all.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::AttrState;

pub struct ApprovedRegion;

impl Rule for ApprovedRegion {
    fn id(&self) -> &'static str {
        "AOAI005"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, account) in cx.declared_accounts() {
            let location = &account.location;
            let region = match &location.state {
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => value,
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell whether the region is approved: {}",
                        location.describe()
                    );
                    out.push(
                        &account.declared,
                        Outcome::Unknown,
                        location.span.clone(),
                        &location.name,
                        message,
                    );
                    continue;
                }
            };
            let message = if !cx.catalog.is_openai_region(region) {
                format!("`{region}` is not a region where Azure OpenAI is available")
            } else if let Some(approved) = cx
                .settings
                .approved_regions
                .as_deref()
                .filter(|list| !list.contains(region))
            {
                format!(
                    "`{region}` is not an approved region (approved: {})",
                    approved.join(", ")
                )
            } else {
                continue;
            };
            let finding = out.account_fail(account, location.span.clone(), &location.name, message);
            if let Some(via) = location.via() {
                finding.related.push((via.span.clone(), via.label.into()));
            }
        }
    }
}
