//! AOAI022 foundry-hub-keyless-storage: the hub reaches its default storage (system
//! datastores: uploaded data, prompt flows, evaluation results) with its managed identity,
//! not with the storage account's key stored in the hub. A later `azapi_update_resource`
//! that sets it (what azurerm's `azurerm_ai_foundry` has no argument for) counts.

use super::{Context, Findings, Rule, foundry};
use crate::model::{Attr, Declared, FoundryWorkspace};
use crate::resolve::WorkspaceTarget;

pub struct FoundryHubKeylessStorage;

impl Rule for FoundryHubKeylessStorage {
    fn id(&self) -> &'static str {
        "AOAI022"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (index, hub) in foundry::hubs(cx) {
            foundry::hub_attr(
                out,
                hub,
                datastore_auth(cx, index, hub),
                |mode| !mode.eq_ignore_ascii_case("identity"),
                "the hub's system datastores authenticate with the storage account's key",
                "",
            );
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        foundry::subjects(cx)
    }
}

/// The hub's datastore authentication: the last patch of the scope that sets it, else its own.
fn datastore_auth<'m>(
    cx: &Context<'m>,
    index: usize,
    hub: &'m FoundryWorkspace,
) -> &'m Attr<String> {
    cx.model
        .workspace_patches
        .iter()
        .rev()
        .find(|patch| cx.links.workspace(&patch.workspace) == WorkspaceTarget::Workspace(index))
        .map_or(&hub.datastore_auth, |patch| &patch.datastore_auth)
}
