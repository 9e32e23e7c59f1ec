use crate::source::Span;

/// A second place a value involves, with the label shown there.
#[derive(Debug, Clone, PartialEq)]
pub struct Via {
    pub span: Span,
    pub label: &'static str,
    /// What the value shown in messages rests on, when a reader should know it.
    pub note: Option<String>,
}

impl Via {
    /// Where a value read through a reference is written.
    pub fn source(span: Span) -> Via {
        Via {
            span,
            label: "the value comes from here",
            note: None,
        }
    }

    /// A default that decides the value because no linted caller passes one (a directory or
    /// template nobody calls is deployed with its defaults); `name` is the variable or param.
    pub fn caller_default(span: Span, name: &str) -> Via {
        Via {
            span,
            label: "this default applies: no linted caller sets it",
            note: Some(match name.strip_prefix('!') {
                Some(negated) => {
                    format!("the negation of `{negated}`'s default; a caller can override it")
                }
                None => format!("the default of `{name}`; a caller can override it"),
            }),
        }
    }

    /// The attribute that uses a value set in a value file (`terraform.tfvars`, a
    /// `.bicepparam`, a parameters JSON): the finding points at the value, where it is fixed.
    pub fn value_use(span: Span) -> Via {
        Via {
            span,
            label: "the configuration uses it here",
            note: None,
        }
    }

    /// The value a Terraform plan gives an argument whose finding points at the `.tf` source.
    pub fn planned(span: Span) -> Via {
        Via {
            span,
            label: "the planned value",
            note: Some("as planned".into()),
        }
    }

    /// The attribute inside a module that uses the caller's argument (the finding points at
    /// the argument: that is where it is fixed).
    pub fn module_use(span: Span) -> Via {
        Via {
            span,
            label: "the module uses it here",
            note: None,
        }
    }
}

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
    /// Written by the user. `via` is the other place the value involves: where it really lives
    /// when the attribute refers to a variable or another resource's argument, or the attribute
    /// inside a module when the value is the caller's argument.
    Explicit {
        value: T,
        shown: String,
        /// Boxed: most values have none, and an account holds a score of attributes.
        via: Option<Box<Via>>,
    },
    /// Not written: the platform default applies.
    Default { value: T, shown: String },
    /// Cannot be determined statically; the reason says what it depends on. `known` is what
    /// a reader knows of it all the same, when that is something.
    Unresolved {
        reason: String,
        known: Option<Known<T>>,
    },
}

/// What is known of a value that is not known whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Known<T> {
    /// A string of at least one character.
    NonEmpty,
    /// One of these values, all different.
    OneOf(Vec<T>),
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
                known: None,
            },
        }
    }

    /// Unresolved, but known in part.
    pub fn partial(
        name: impl Into<String>,
        span: Span,
        reason: impl Into<String>,
        known: Known<T>,
    ) -> Self {
        Attr {
            name: name.into(),
            span,
            state: AttrState::Unresolved {
                reason: reason.into(),
                known: Some(known),
            },
        }
    }

    /// What is known of an unresolved value.
    pub fn known(&self) -> Option<&Known<T>> {
        match &self.state {
            AttrState::Unresolved { known, .. } => known.as_ref(),
            _ => None,
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
            AttrState::Unresolved { reason, .. } => Some(reason),
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
            AttrState::Unresolved { reason, .. } => format!("`{}` {reason}", self.name),
        }
    }

    pub fn via(&self) -> Option<&Via> {
        match &self.state {
            AttrState::Explicit { via, .. } => via.as_deref(),
            _ => None,
        }
    }
}

/// The name a negated default is recorded under (see [`Via::caller_default`]); negating twice
/// gives the name back.
pub fn negated(name: &str) -> String {
    match name.strip_prefix('!') {
        Some(name) => name.to_string(),
        None => format!("!{name}"),
    }
}
