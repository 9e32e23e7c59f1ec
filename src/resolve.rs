//! Links resources to the account they belong to: private endpoints, role assignments, CMK
//! bindings and deployments name their account by reference, possibly from another file.

use std::collections::HashMap;

use crate::model::{AttrState, Model, Reference};

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'m> {
    /// The account at this index of [`Model::accounts`].
    Account(usize),
    /// Cannot be known statically.
    Unresolved(&'m str),
    /// Something that is not an account of this scope.
    Other,
}

pub struct Links {
    by_key: HashMap<String, usize>,
}

impl Links {
    pub fn new(model: &Model) -> Self {
        let mut by_key = HashMap::new();
        for (index, account) in model.accounts.iter().enumerate() {
            for key in &account.link_keys {
                by_key.entry(key.clone()).or_insert(index);
            }
        }
        Links { by_key }
    }

    pub fn target<'m>(&self, reference: &'m Reference) -> Target<'m> {
        match &reference.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => self
                .by_key
                .get(value)
                .map_or(Target::Other, |&index| Target::Account(index)),
            AttrState::Unresolved { reason } => Target::Unresolved(reason),
        }
    }
}
