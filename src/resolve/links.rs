//! Links resources to the account they belong to: private endpoints, role assignments, CMK
//! bindings, deployments and diagnostic settings name their account by reference, possibly from
//! another file; a customer-managed key names its key or vault.

use std::collections::HashMap;

use crate::model::{AttrState, DEPLOYMENT_SUBSCRIPTION, Language, Model, Reference, group_key};
use crate::source::FileId;

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

/// The vault a customer-managed key lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultTarget<'m> {
    /// The vault at this index of [`Model::key_vaults`].
    Vault(usize),
    Unresolved(&'m str),
    /// Not a vault or key of this scope.
    NotFound,
}

/// What a reference to an AI Foundry hub or project points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkspaceTarget<'m> {
    /// The workspace at this index of [`Model::workspaces`].
    Workspace(usize),
    Unresolved(&'m str),
    /// Not a hub or project of this scope.
    Other,
}

pub struct Links {
    /// Accounts by link key: every declared one that has it, in order (see [`declared_first`]).
    accounts: HashMap<String, Vec<usize>>,
    /// The file each account is declared in: a name names the account of its own template first.
    account_files: Vec<FileId>,
    /// Hubs and projects by link key, as accounts are.
    workspaces: HashMap<String, usize>,
    vaults: HashMap<String, usize>,
    keys: HashMap<String, usize>,
    /// Resource groups declared in the scope, by link key: their group key.
    groups: HashMap<String, String>,
}

/// What a role assignment's scope names when it is not an account: a resource group (by group
/// key) or the deployment's subscription. Either may hold accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Container {
    Group(String),
    /// The subscription the deployment deploys to.
    Subscription,
    /// A subscription named by id: the accounts' own is not known.
    SubscriptionId(String),
}

fn index<'a>(keys: impl Iterator<Item = (usize, &'a Vec<String>)>) -> HashMap<String, usize> {
    let mut by_key = HashMap::new();
    for (index, link_keys) in keys {
        for key in link_keys {
            by_key.entry(key.clone()).or_insert(index);
        }
    }
    by_key
}

/// Accounts by link key (see [`declared_first`]).
fn account_index(model: &Model) -> HashMap<String, Vec<usize>> {
    let accounts = model.accounts.iter().enumerate();
    declared_first(accounts.map(|(i, a)| (i, &a.link_keys, a.existing)))
}

/// Hubs and projects by link key (see [`declared_first`]): the first that has it.
fn workspace_index(model: &Model) -> HashMap<String, usize> {
    let workspaces = model.workspaces.iter().enumerate();
    let by_key = declared_first(workspaces.map(|(i, w)| (i, &w.link_keys, w.existing)));
    let first = by_key
        .into_iter()
        .filter_map(|(key, all)| Some((key, *all.first()?)));
    first.collect()
}

/// Resources by link key, every declared one that has the key in order: a name is a key of
/// each template that declares it (a compiled `main.json` beside `main.bicep`, another
/// template beside both). An `existing` one that shares a key (its type and name) with one
/// declared is that resource: what refers to it, refers to the declared one.
fn declared_first<'a>(
    items: impl Iterator<Item = (usize, &'a Vec<String>, bool)> + Clone,
) -> HashMap<String, Vec<usize>> {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, keys, _) in items.clone().filter(|(_, _, existing)| !existing) {
        for key in keys {
            let all = by_key.entry(key.clone()).or_default();
            if !all.contains(&i) {
                all.push(i);
            }
        }
    }
    for (i, keys, _) in items.filter(|(_, _, existing)| *existing) {
        let same = keys
            .iter()
            .find_map(|key| by_key.get(key)?.first().copied())
            .unwrap_or(i);
        for key in keys {
            by_key.entry(key.clone()).or_insert_with(|| vec![same]);
        }
    }
    by_key
}

impl Links {
    pub fn new(model: &Model) -> Self {
        let mut groups = HashMap::new();
        for group in &model.resource_groups {
            // A declared group whose name is not known is still one group: what names it by
            // any of its keys (its symbol, its id) meets on its first key.
            let Some(canonical) = (group.name.value().map(|name| group_key(name)))
                .or_else(|| group.link_keys.first().cloned())
            else {
                continue;
            };
            for key in &group.link_keys {
                groups
                    .entry(key.clone())
                    .or_insert_with(|| canonical.clone());
            }
        }
        Links {
            groups,
            accounts: account_index(model),
            account_files: (model.accounts.iter())
                .map(|a| a.declared.header.file)
                .collect(),
            workspaces: workspace_index(model),
            vaults: index(model.key_vaults.iter().map(|v| &v.link_keys).enumerate()),
            keys: index(
                model
                    .key_vault_keys
                    .iter()
                    .map(|k| &k.link_keys)
                    .enumerate(),
            ),
        }
    }

    /// The account a link key names, if it is one of this scope.
    pub fn account(&self, key: &str) -> Option<usize> {
        self.accounts.get(key)?.first().copied()
    }

    /// The account a reference names: of the accounts with its key, the one declared in the
    /// reference's own file, else the first. A name written in a template names that
    /// template's account: another template beside it is another deployment.
    pub fn target<'m>(&self, reference: &'m Reference) -> Target<'m> {
        match &reference.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => {
                let Some(all) = self.accounts.get(value) else {
                    return Target::Other;
                };
                let written_in = reference.span.file;
                let own = all
                    .iter()
                    .find(|&&i| self.account_files.get(i) == Some(&written_in));
                own.or(all.first())
                    .map_or(Target::Other, |&index| Target::Account(index))
            }
            AttrState::Unresolved { reason, .. } => Target::Unresolved(reason),
        }
    }

    /// The hub or project a reference names.
    pub fn workspace<'m>(&self, reference: &'m Reference) -> WorkspaceTarget<'m> {
        match &reference.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => self
                .workspaces
                .get(value)
                .map_or(WorkspaceTarget::Other, |&i| WorkspaceTarget::Workspace(i)),
            AttrState::Unresolved { reason, .. } => WorkspaceTarget::Unresolved(reason),
        }
    }

    /// The resource group or subscription a reference names, when it names one.
    pub fn container(&self, reference: &Reference) -> Option<Container> {
        let value = reference.value()?;
        if value == DEPLOYMENT_SUBSCRIPTION {
            return Some(Container::Subscription);
        }
        if is_subscription_id(value) {
            return Some(Container::SubscriptionId(value.to_string()));
        }
        self.group(value).map(Container::Group)
    }

    /// The group key of a reference to a resource group: a group key, a declared group's link
    /// key, or a resource group id.
    pub fn group(&self, value: &str) -> Option<String> {
        if value.starts_with("group:") {
            return Some(value.to_string());
        }
        if let Some(key) = self.groups.get(value) {
            return Some(key.clone());
        }
        group_id_name(value).map(group_key)
    }

    /// The vault of a key reference: the vault itself (`keyVaultUri`), or the vault of a key
    /// resource of the scope (`azurerm_key_vault_key.k.id`).
    pub fn key_vault<'m>(&self, model: &'m Model, key: &'m Reference) -> VaultTarget<'m> {
        let value = match &key.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => value,
            AttrState::Unresolved { reason, .. } => return VaultTarget::Unresolved(reason),
        };
        if let Some(&vault) = self.vaults.get(value) {
            return VaultTarget::Vault(vault);
        }
        let Some(&key_index) = self.keys.get(value) else {
            return VaultTarget::NotFound;
        };
        match &model.key_vault_keys[key_index].vault.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => self
                .vaults
                .get(value)
                .map_or(VaultTarget::NotFound, |&vault| VaultTarget::Vault(vault)),
            AttrState::Unresolved { reason, .. } => VaultTarget::Unresolved(reason),
        }
    }
}

/// Resources that name their account by a reference, grouped once by the account they name: a
/// rule that looks at each account's endpoints, bindings or settings takes its own, instead of
/// testing every pair (quadratic on a scope of thousands of accounts).
pub struct ByAccount<'m, T> {
    /// The items that name an account of the scope or one not known, with what they name.
    items: Vec<(T, Target<'m>)>,
    /// Positions in `items` by the account they name, in order.
    named: HashMap<usize, Vec<usize>>,
    /// Positions in `items` whose account is not known, in order, with their language.
    unresolved: Vec<(usize, Language)>,
}

impl<'m, T> ByAccount<'m, T> {
    pub fn new(
        links: &Links,
        items: impl IntoIterator<Item = (T, &'m Reference, Language)>,
    ) -> Self {
        let mut grouped = ByAccount {
            items: Vec::new(),
            named: HashMap::new(),
            unresolved: Vec::new(),
        };
        for (item, reference, language) in items {
            let target = links.target(reference);
            let at = grouped.items.len();
            match target {
                Target::Account(account) => grouped.named.entry(account).or_default().push(at),
                Target::Unresolved(_) => grouped.unresolved.push((at, language)),
                Target::Other => continue,
            }
            grouped.items.push((item, target));
        }
        grouped
    }

    /// The items that name the account at `index`.
    pub fn named(&self, index: usize) -> impl Iterator<Item = &T> {
        let named = self.named.get(&index).map_or(&[][..], Vec::as_slice);
        named
            .iter()
            .filter_map(|&at| self.items.get(at))
            .map(|(item, _)| item)
    }

    /// The items that name the account at `index` or whose account is not known, in their
    /// order, with what they name: what a look at every item for the account would not skip.
    /// Another language is another deployment (a compiled `main.json` beside `main.bicep`):
    /// of it, only an item that names the account reaches it.
    pub fn of(&self, index: usize, language: Language) -> impl Iterator<Item = &(T, Target<'m>)> {
        let named = self.named.get(&index).map_or(&[][..], Vec::as_slice);
        let unresolved = (self.unresolved.iter())
            .filter(|(_, written_in)| *written_in == language)
            .map(|(at, _)| at);
        let mut at: Vec<usize> = named.iter().chain(unresolved).copied().collect();
        at.sort_unstable();
        at.into_iter().filter_map(|at| self.items.get(at))
    }
}

/// `/subscriptions/<id>`, nothing after it.
fn is_subscription_id(value: &str) -> bool {
    let segments: Vec<&str> = value.trim_matches('/').split('/').collect();
    segments.len() == 2 && segments[0].eq_ignore_ascii_case("subscriptions")
}

/// The name in `/subscriptions/<id>/resourceGroups/<name>`, nothing after it.
fn group_id_name(value: &str) -> Option<&str> {
    let segments: Vec<&str> = value.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [subscriptions, _, groups, name]
            if subscriptions.eq_ignore_ascii_case("subscriptions")
                && groups.eq_ignore_ascii_case("resourceGroups") =>
        {
            Some(name)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attr;
    use crate::source::{FileId, Span};

    #[test]
    fn each_account_gets_what_names_it_and_what_may_in_order() {
        let links = Links {
            accounts: HashMap::from([("a".to_string(), vec![0]), ("b".to_string(), vec![1])]),
            account_files: vec![FileId(0), FileId(0)],
            workspaces: HashMap::new(),
            vaults: HashMap::new(),
            keys: HashMap::new(),
            groups: HashMap::new(),
        };
        let span = Span::new(FileId(0), 0..0);
        let named = |key: &str| Attr::explicit("target", span.clone(), key.to_string(), key);
        let references = [
            named("a"),
            Attr::unresolved("target", span.clone(), "is a variable"),
            named("b"),
            named("elsewhere"),
            named("a"),
            Attr::unresolved("target", span.clone(), "is computed"),
        ];
        // The last is written in ARM, the others in Bicep.
        let language = |i: usize| match i {
            5 => Language::Arm,
            _ => Language::Bicep,
        };
        let items = references.iter().enumerate();
        let grouped = ByAccount::new(&links, items.map(|(i, r)| (i, r, language(i))));
        let of = |account| {
            let of = grouped.of(account, Language::Bicep);
            of.map(|(i, _)| *i).collect::<Vec<_>>()
        };
        assert_eq!(of(0), [0, 1, 4]);
        assert_eq!(of(1), [1, 2]);
        assert_eq!(of(7), [1]);
        let in_arm: Vec<_> = grouped.of(0, Language::Arm).map(|(i, _)| *i).collect();
        assert_eq!(in_arm, [0, 4, 5]);
        let named: Vec<_> = grouped.named(0).copied().collect();
        assert_eq!(named, [0, 4]);
    }

    #[test]
    fn a_name_names_the_account_of_its_own_template_first() {
        let links = Links {
            accounts: HashMap::from([("oai".to_string(), vec![0, 1])]),
            account_files: vec![FileId(0), FileId(1)],
            workspaces: HashMap::new(),
            vaults: HashMap::new(),
            keys: HashMap::new(),
            groups: HashMap::new(),
        };
        let named_in = |file| {
            let span = Span::new(FileId(file), 0..0);
            Attr::explicit("target", span, "oai".to_string(), "oai")
        };
        assert_eq!(links.target(&named_in(1)), Target::Account(1));
        assert_eq!(links.target(&named_in(0)), Target::Account(0));
        // Written where no account of that name is declared: the first.
        assert_eq!(links.target(&named_in(2)), Target::Account(0));
    }

    #[test]
    fn group_and_subscription_ids_are_recognized() {
        assert_eq!(
            group_id_name("/subscriptions/s/resourceGroups/rg-ai"),
            Some("rg-ai")
        );
        assert_eq!(
            group_id_name("/subscriptions/s/resourceGroups/rg/providers/X/y/z"),
            None
        );
        assert!(is_subscription_id("/subscriptions/0000"));
        assert!(!is_subscription_id("/subscriptions/0000/resourceGroups/rg"));
    }
}
