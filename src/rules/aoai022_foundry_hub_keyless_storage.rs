//! AOAI022 foundry-hub-keyless-storage: the hub reaches its default storage (system
//! datastores: uploaded data, prompt flows, evaluation results) with its managed identity,
//! not with the storage account's key stored in the hub. A later `azapi_update_resource`
//! that sets it (what azurerm's `azurerm_ai_foundry` has no argument for) counts.

use super::{Context, Findings, Rule, foundry};
use crate::model::Declared;

pub struct FoundryHubKeylessStorage;

impl Rule for FoundryHubKeylessStorage {
    fn id(&self) -> &'static str {
        "AOAI022"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let patches = cx.model.workspace_patches.iter();
        let patches = foundry::by_workspace(cx, patches.map(|p| (p, &p.workspace)));
        for (index, hub) in foundry::hubs(cx) {
            // The last patch of the scope that sets it wins over the hub's own value.
            let patched = patches.get(&index).and_then(|p| p.last());
            foundry::hub_attr(
                out,
                hub,
                patched.map_or(&hub.datastore_auth, |patch| &patch.datastore_auth),
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
