//! AOAI020 foundry-hub-public-access: an AI Foundry hub is not reachable from the internet,
//! and does not allow public access behind a virtual network either. Its projects share its
//! network, so the hub is judged and the projects it covers are named.

use super::{Context, Findings, Rule, foundry};
use crate::model::Declared;

pub struct FoundryHubPublicAccess;

impl Rule for FoundryHubPublicAccess {
    fn id(&self) -> &'static str {
        "AOAI020"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let projects = foundry::projects(cx);
        for (index, hub) in foundry::hubs(cx) {
            let covers = foundry::covered(&projects, index);
            let network = &hub.network;
            foundry::hub_attr(
                out,
                hub,
                &network.public_access,
                |enabled| *enabled,
                "public network access of the hub is enabled",
                &covers,
            );
            foundry::hub_attr(
                out,
                hub,
                &network.public_behind_vnet,
                |allowed| *allowed,
                "the hub allows public access behind a virtual network",
                &covers,
            );
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        foundry::subjects(cx)
    }
}
