//! AOAI017 keyless-connections: connections of AI Foundry accounts, projects and hubs to an
//! Azure OpenAI capable account authenticate with Entra ID, not with a key stored in the
//! connection. The categories and key types are data in `policies/data-connections.hcl`.

use super::{Context, Findings, Rule};
use crate::finding::{Level, Outcome};
use crate::model::{Connection, Declared};
use crate::resolve::Target;

pub struct KeylessConnections;

impl Rule for KeylessConnections {
    fn id(&self) -> &'static str {
        "AOAI017"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for connection in &cx.model.connections {
            check_connection(cx, connection, out);
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        let data = &cx.catalog.connections;
        cx.model
            .connections
            .iter()
            .filter(|c| {
                c.category
                    .value()
                    .is_none_or(|c| is_one_of(c, &data.categories))
            })
            .map(|c| &c.declared)
            .collect()
    }
}

fn is_one_of(value: &str, names: &[String]) -> bool {
    names.iter().any(|name| name.eq_ignore_ascii_case(value))
}

fn check_connection(cx: &Context<'_>, connection: &Connection, out: &mut Findings) {
    let data = &cx.catalog.connections;
    let (category, auth) = (&connection.category, &connection.auth_type);
    let keyed = auth.value().map(|a| is_one_of(a, &data.keyed_auth_types));
    let reaches = category.value().map(|c| is_one_of(c, &data.categories));
    match (reaches, keyed) {
        (Some(false), _) | (_, Some(false)) => {}
        (Some(true), None) => {
            let message = format!(
                "cannot tell how the connection authenticates: {}",
                auth.describe()
            );
            out.unknown_on(&connection.declared, auth, message);
        }
        (None, Some(true)) => {
            let message = format!(
                "the connection authenticates with a stored key ({}) and may reach Azure OpenAI: {}",
                auth.describe(),
                category.describe()
            );
            out.unknown_on(&connection.declared, auth, message);
        }
        (None, None) => {}
        (Some(true), Some(true)) => keyed_connection(cx, connection, out),
    }
}

/// A connection to an Azure OpenAI capable account that stores its key.
fn keyed_connection(cx: &Context<'_>, connection: &Connection, out: &mut Findings) {
    let auth = &connection.auth_type;
    let account = match cx.links.target(&connection.target) {
        Target::Account(index) => cx.model.accounts.get(index).map(|a| a.as_ref()),
        _ => None,
    };
    let target = account.map_or(String::new(), |a| format!(" to `{}`", a.declared.address));
    let unusable = account.is_some_and(|a| a.local_auth.value() == Some(&false));
    let listed = cx
        .model
        .key_exposures
        .iter()
        .find(|e| connection.declared.extent.contains(&e.span))
        .map_or(String::new(), |e| {
            format!(
                "; the key is read with `{}` (AOAI015 reports that flow)",
                e.source
            )
        });
    let message = if unusable {
        format!(
            "the connection{target} authenticates with an API key ({}), but the account disables local authentication: the connection cannot work; use `AAD`{listed}",
            auth.describe()
        )
    } else {
        format!(
            "the connection{target} authenticates with an API key ({}): the key is stored in the connection and shared by everyone who can use it; use `AAD` (Entra ID) or a managed identity{listed}",
            auth.describe()
        )
    };
    let finding = out.push(
        &connection.declared,
        Outcome::Fail,
        auth.span.clone(),
        &auth.name,
        message,
    );
    if unusable {
        finding.level = Some(Level::Error);
    }
    if let Some(account) = account {
        let span = account.local_auth.span.clone();
        finding
            .related
            .push((span, "the account it connects to".into()));
    }
}
