//! Resolve: what references mean across files. [`links`] ties resources to the account they
//! belong to; [`modules`] finds which directories and templates are called as modules and
//! reads the files module calls lead to.

pub mod links;
pub mod modules;

pub use links::{ByAccount, Container, Links, Target, VaultTarget, WorkspaceTarget};
