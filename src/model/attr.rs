use crate::source::Span;

/// One value of the model with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr<T> {
    /// The attribute as the user writes it in the source language (`public_network_access_enabled`,
    /// `body.properties.publicNetworkAccess`): used in messages and fingerprints.
    pub name: String,
    /// The attribute when written; the resource header when defaulted.
    pub span: Span,
    pub state: AttrState<T>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AttrState<T> {
    /// Written by the user. `via` is where the value really lives when the attribute refers to
    /// another resource's argument.
    Explicit {
        value: T,
        shown: String,
        via: Option<Span>,
    },
    /// Not written: the platform default applies.
    Default { value: T, shown: String },
    /// Cannot be determined statically; the reason says what it depends on.
    Unresolved { reason: String },
}

impl<T> Attr<T> {
    pub fn explicit(
        name: impl Into<String>,
        span: Span,
        value: T,
        shown: impl Into<String>,
    ) -> Self {
        Attr {
            name: name.into(),
            span,
            state: AttrState::Explicit {
                value,
                shown: shown.into(),
                via: None,
            },
        }
    }

    pub fn default(
        name: impl Into<String>,
        header: Span,
        value: T,
        shown: impl Into<String>,
    ) -> Self {
        Attr {
            name: name.into(),
            span: header,
            state: AttrState::Default {
                value,
                shown: shown.into(),
            },
        }
    }

    pub fn unresolved(name: impl Into<String>, span: Span, reason: impl Into<String>) -> Self {
        Attr {
            name: name.into(),
            span,
            state: AttrState::Unresolved {
                reason: reason.into(),
            },
        }
    }

    /// The value, whether written or defaulted.
    pub fn value(&self) -> Option<&T> {
        match &self.state {
            AttrState::Explicit { value, .. } | AttrState::Default { value, .. } => Some(value),
            AttrState::Unresolved { .. } => None,
        }
    }

    pub fn unresolved_reason(&self) -> Option<&str> {
        match &self.state {
            AttrState::Unresolved { reason } => Some(reason),
            _ => None,
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self.state, AttrState::Default { .. })
    }

    /// "`name` is X" or "`name` is not set and defaults to X", for messages.
    pub fn describe(&self) -> String {
        match &self.state {
            AttrState::Explicit { shown, .. } => format!("`{}` is {shown}", self.name),
            AttrState::Default { shown, .. } => {
                format!("`{}` is not set and defaults to {shown}", self.name)
            }
            AttrState::Unresolved { reason } => format!("`{}` {reason}", self.name),
        }
    }

    pub fn via(&self) -> Option<&Span> {
        match &self.state {
            AttrState::Explicit { via, .. } => via.as_ref(),
            _ => None,
        }
    }
}
