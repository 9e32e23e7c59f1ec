//! AOAI015 key-exposure: account keys written where they can be read: outputs (kept in
//! deployment history and state), app settings, container environment variables, parameters
//! that are not secure. The front-ends find the flows; the finding points at the use and names
//! the path the key took.

use super::{Context, Findings, Rule};
use crate::finding::Outcome;
use crate::model::{AiAccount, Declared};

pub struct KeyExposure;

impl Rule for KeyExposure {
    fn id(&self) -> &'static str {
        "AOAI015"
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for exposure in &cx.model.key_exposures {
            // The key of an account this deployment declares is an Azure OpenAI key only where
            // the account is one: not for a caller that deploys a Form Recognizer.
            let account = match &exposure.account {
                Some(address) => match declared_account(cx, address) {
                    Some(account) => Some(account),
                    None => continue,
                },
                None => None,
            };
            // The path is recorded from the use back to the key; the message follows the key.
            let names: Vec<String> = exposure
                .path
                .iter()
                .rev()
                .map(|(name, _)| format!("`{name}`"))
                .collect();
            let through = match names.is_empty() {
                true => String::new(),
                false => format!(" through {}", names.join(" then ")),
            };
            let message = format!(
                "the account key `{}` flows{through} into {}",
                exposure.source, exposure.sink
            );
            let (outcome, message) = match &exposure.unknown {
                Some(reason) => (
                    Outcome::Unknown,
                    format!("cannot tell whether a key is exposed: {message}, {reason}"),
                ),
                None => (Outcome::Fail, message),
            };
            let span = exposure.span.clone();
            let finding = match account {
                Some(account) if outcome == Outcome::Fail => {
                    out.fail_on(account, &exposure.declared, span, "", message)
                }
                _ => out.push(&exposure.declared, outcome, span, "", message),
            };
            if finding.outcome == Outcome::Fail {
                finding.label = "the key is exposed here".into();
            }
            for (name, span) in &exposure.path {
                finding
                    .related
                    .push((span.clone(), format!("`{name}` carries the key")));
            }
        }
    }

    fn subjects<'m>(&self, cx: &Context<'m>) -> Vec<&'m Declared> {
        cx.model.key_exposures.iter().map(|e| &e.declared).collect()
    }
}

/// The declared Azure OpenAI account at `address` (an account of another kind is not one),
/// or one of its instances (`address[0]`, `address["weu"]`) when a loop's instances differ;
/// an instance the key names (`address["weu"]`) is its loop's when the instances are alike.
/// An `existing` account that is one declared in the same deployment (same type and name) is
/// that account: its key is the declared account's key.
fn declared_account<'m>(cx: &'m Context<'m>, address: &str) -> Option<&'m AiAccount> {
    let instance_of = |whole: &str, part: &str| {
        part.strip_prefix(whole)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
    };
    let is_instance =
        |candidate: &str| instance_of(address, candidate) || instance_of(candidate, address);
    let mut accounts = cx.model.accounts.iter().map(Box::as_ref);
    let account = accounts.find(|account| is_instance(&account.declared.address))?;
    if !account.existing {
        return Some(account);
    }
    let index = account
        .link_keys
        .iter()
        .find_map(|key| cx.links.account(key))?;
    cx.declared_accounts()
        .find(|(i, _)| *i == index)
        .map(|(_, account)| account)
}
