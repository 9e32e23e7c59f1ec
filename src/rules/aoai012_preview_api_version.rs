//! AOAI012 preview-api-version: `Microsoft.CognitiveServices/*` resources declared with a
//! `-preview` API version. Preview features come with separate terms and may not be covered by
//! the Data Protection Addendum; the finding names the newest GA version when it is known.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AttrState, Declared};

pub struct PreviewApiVersion;

impl Rule for PreviewApiVersion {
    fn id(&self) -> &'static str {
        "AOAI012"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for usage in &cx.model.api_versions {
            let version = &usage.version;
            match &version.state {
                AttrState::Unresolved { .. } => {
                    let message = format!(
                        "cannot tell whether `{}` uses a preview API version: {}",
                        usage.resource_type,
                        version.describe()
                    );
                    out.push(
                        &usage.declared,
                        Outcome::Unknown,
                        version.span.clone(),
                        &version.name,
                        message,
                    );
                }
                AttrState::Explicit { value, .. } | AttrState::Default { value, .. }
                    if value.to_ascii_lowercase().ends_with("-preview") =>
                {
                    let instead = match cx.catalog.latest_ga_api_version(&usage.resource_type) {
                        Some(ga) => format!("; the newest GA version is `{ga}`"),
                        None => String::new(),
                    };
                    let message = format!(
                        "`{}` is declared with the preview API version `{value}`{instead}",
                        usage.resource_type
                    );
                    out.push(
                        &usage.declared,
                        Outcome::Fail,
                        version.span.clone(),
                        &version.name,
                        message,
                    );
                }
                _ => {}
            }
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model.api_versions.iter().map(|u| &u.declared).collect()
    }
}
