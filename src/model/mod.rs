//! The normalized resource model: what every front-end produces and the only thing rules read.
//!
//! Values follow trivy's adapters: each carries the span it came from and whether it was written
//! by the user, filled in with the platform default, or could not be determined statically.

mod attr;

pub use attr::{Attr, AttrState};

use crate::source::Span;

/// The IaC language a resource was declared in; chooses the remediation text shown to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Terraform,
    Bicep,
    Arm,
}

/// Whether a declared resource is really created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existence {
    Always,
    /// `count`/`for_each` (or a condition) that cannot be evaluated statically.
    Conditional {
        reason: String,
    },
}

/// Where and how a resource is declared.
#[derive(Debug, Clone)]
pub struct Declared {
    /// Terraform address (`azurerm_cognitive_account.main`), Bicep symbolic name, or ARM name.
    pub address: String,
    /// The resource header (`resource "type" "name"`): where findings about missing
    /// attributes point.
    pub header: Span,
    pub language: Language,
    pub existence: Existence,
}

/// An Azure OpenAI capable Cognitive Services account (kind `OpenAI` or `AIServices`).
#[derive(Debug, Clone)]
pub struct AiAccount {
    pub declared: Declared,
    pub kind: Attr<String>,
    pub location: Attr<String>,
    /// True when public network access is enabled.
    pub public_network_access: Attr<bool>,
    /// True when local (key) authentication is enabled.
    pub local_auth: Attr<bool>,
    /// True when encryption uses a customer-managed Key Vault key declared on the account itself.
    pub inline_cmk: Attr<bool>,
    /// Keys by which other resources refer to this account (see [`Reference`]).
    pub link_keys: Vec<String>,
    /// Declared elsewhere and only referenced here (Bicep `existing`): a link target for
    /// role assignments and endpoints, but its settings are not checked here.
    pub existing: bool,
}

/// A value that names another resource: how a private endpoint, role assignment, CMK binding or
/// model deployment says which account it belongs to.
pub type Reference = Attr<String>;

#[derive(Debug, Clone)]
pub struct PrivateEndpoint {
    pub declared: Declared,
    pub connections: Vec<PrivateLinkConnection>,
}

#[derive(Debug, Clone)]
pub struct PrivateLinkConnection {
    pub target: Reference,
    /// Sub-resources (group ids) the connection reaches; an account needs `account`.
    pub group_ids: Attr<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct RoleAssignment {
    pub declared: Declared,
    pub scope: Reference,
    /// The role as written: a role name or a role definition id/GUID.
    pub role: Attr<String>,
}

/// A customer-managed key bound to an account by a separate resource.
#[derive(Debug, Clone)]
pub struct CmkBinding {
    pub declared: Declared,
    pub account: Reference,
}

#[derive(Debug, Clone)]
pub struct ModelDeployment {
    pub declared: Declared,
    pub account: Reference,
    pub sku: Attr<String>,
}

/// Everything one scope (a Terraform module directory) declares.
#[derive(Debug, Default, Clone)]
pub struct Model {
    pub accounts: Vec<AiAccount>,
    pub private_endpoints: Vec<PrivateEndpoint>,
    pub role_assignments: Vec<RoleAssignment>,
    pub cmk_bindings: Vec<CmkBinding>,
    pub deployments: Vec<ModelDeployment>,
}

impl Model {
    pub fn extend(&mut self, other: Model) {
        self.accounts.extend(other.accounts);
        self.private_endpoints.extend(other.private_endpoints);
        self.role_assignments.extend(other.role_assignments);
        self.cmk_bindings.extend(other.cmk_bindings);
        self.deployments.extend(other.deployments);
    }

    pub fn resource_count(&self) -> usize {
        self.accounts.len()
            + self.private_endpoints.len()
            + self.role_assignments.len()
            + self.cmk_bindings.len()
            + self.deployments.len()
    }
}
