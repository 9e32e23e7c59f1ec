//! Static evaluation of Bicep expressions, with unknowns that say why, and conversion of
//! resource bodies to [`Node`] trees.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use super::syntax::{
    ArrayItem, BinaryOp, Expr, ExprKind, ForLoop, ObjectItem, PropertyKey, StringPart, UnaryOp,
};
use crate::frontend::node::{Node, NodeKind, name_key, resource_id};
use crate::frontend::value::{
    Known, MAX_BUILT_STRING, NamedWeight, Scale, TOO_DEEP, Value, too_big, too_long,
};
use crate::model::Via;
use crate::source::{FileId, Span};

/// How many references deep one evaluation may go; reference cycles stop here too.
const MAX_DEPTH: usize = 32;

/// An expression and the file it is written in.
#[derive(Clone, Copy)]
pub struct Located<'a> {
    pub expr: &'a Expr,
    pub file: FileId,
}

pub enum ParamValue<'a> {
    /// An expression of the template or its parameters file.
    Expr(Located<'a>),
    /// Evaluated by the template that calls this one as a module; `via` is the argument.
    Passed(Value, Option<Span>),
    /// A default in a template that is not a root (not main.bicep, no targetScope, no
    /// parameters file) and that no linted template calls: deployed with it, but a caller
    /// could set another value.
    CallerSets(Located<'a>),
    /// A nullable parameter (`param x string?`) without a default: null when not passed. The
    /// span is its declaration.
    Null(Span),
    /// A nullable parameter without a default in a template that is not a root: null, but a
    /// caller could set it.
    CallerSetsOrNull(Span),
    /// No value: where the deployment would set it (its `.bicepparam` file, its parameters
    /// JSON, or either when it has none).
    Missing(String),
}

/// A user-defined function: `func name(a string) string => body`.
#[derive(Clone, Copy)]
pub struct Func<'a> {
    pub params: &'a [String],
    pub body: &'a Expr,
}

/// A name another template exports, as this one imports it.
pub enum Import<'a> {
    /// An exported variable or function, by its name in the exporting template.
    Name {
        from: Rc<Exports<'a>>,
        name: &'a str,
    },
    /// Every export of a template: `import * as ns from '...'`.
    Namespace(Rc<Exports<'a>>),
}

/// What a template exports, ready to evaluate in that template: its file and names.
pub struct Exports<'a> {
    pub file: FileId,
    pub symbols: Symbols<'a>,
}

/// The texts of the files a template reads as content, by the path as written; why not, for
/// one outside the repository or unreadable.
pub type Contents = HashMap<String, Result<std::sync::Arc<String>, String>>;

/// What names mean in one template.
#[derive(Default)]
pub struct Symbols<'a> {
    /// Parameter values: passed by a calling template, set by the `.bicepparam` file, or the
    /// default.
    pub params: HashMap<&'a str, ParamValue<'a>>,
    pub vars: HashMap<&'a str, Located<'a>>,
    /// Resource symbols -> (link key, body object when literal, type when the resource is
    /// top-level, so that its id follows from its name).
    pub resources: HashMap<&'a str, (String, Option<&'a Expr>, Option<&'a str>)>,
    /// Module symbols -> their value (`{ outputs: {...} }`) once the module is evaluated.
    pub modules: HashMap<&'a str, RefCell<Value>>,
    /// User-defined functions of the template.
    pub funcs: HashMap<&'a str, Func<'a>>,
    /// Names imported from other templates (`import { x } from 'file.bicep'`).
    pub imports: HashMap<&'a str, Import<'a>>,
    /// Each `@allowed([...])` parameter's values: whatever sets it, it is one of them.
    pub allowed: HashMap<&'a str, Vec<Value>>,
    /// Parameters known to be non-empty strings whatever sets them: a resource's name (Azure
    /// names are never empty), or `@minLength` of one or more.
    pub non_empty: HashSet<&'a str>,
    /// The files the template reads as content (see [`Contents`]).
    pub contents: std::sync::Arc<Contents>,
    /// `--location`: what `resourceGroup().location` and `deployment().location` are.
    pub location: Option<String>,
    /// Where the template's resources are deployed, when known: two resources in one place
    /// with one name are one resource (see `Known::NameOf`).
    pub place: Option<String>,
    /// The template's `targetScope` (`resourceGroup` when not written).
    pub target_scope: String,
    /// Params and vars once evaluated, with where they are written and the caller default
    /// they rest on: a template refers to the same few names many times, from every element
    /// of its loops.
    pub named: RefCell<HashMap<String, Named>>,
    /// What the values in `named` weigh together.
    pub named_weight: NamedWeight,
    /// Loop and lambda elements evaluated so far in this template: nested loops over known
    /// lists multiply, and past [`MAX_TEMPLATE_ELEMENTS`] they are unknown.
    pub elements_evaluated: Cell<usize>,
}

/// A param or var once evaluated (see [`Symbols::named`]).
pub type Named = (Value, Option<Span>, Option<String>);

impl<'a> Symbols<'a> {
    pub fn add_module(&mut self, name: &'a str) {
        let unknown = Value::Unknown(format!(
            "depends on module `{name}`, whose outputs are not known here"
        ));
        self.modules.insert(name, RefCell::new(unknown));
    }

    pub fn set_module_outputs(&self, name: &str, value: Value) {
        // Names evaluated before may read these outputs.
        self.named.borrow_mut().clear();
        if let Some(slot) = self.modules.get(name) {
            *slot.borrow_mut() = value;
        }
    }
}

/// Most elements a `for` expression or lambda function is evaluated over; past it, the result
/// is unknown.
const MAX_ELEMENTS: usize = 256;

/// Most loop and lambda elements evaluated in one template, all loops together.
const MAX_TEMPLATE_ELEMENTS: usize = 100_000;

pub struct Evaluator<'a> {
    pub file: FileId,
    pub symbols: &'a Symbols<'a>,
    depth: Cell<usize>,
    /// Loop and lambda variables in scope with their values (one element of a known
    /// collection), innermost last.
    bound: Vec<(String, Value)>,
    /// The templates that call this one as a module, innermost first: a value read from one of
    /// them is its argument, where a finding is fixed.
    callers: Vec<FileId>,
    /// The first param default of a template nobody calls that the value being evaluated read
    /// (see [`Evaluated::caller_default`]).
    caller_default: RefCell<Option<String>>,
}

pub struct Evaluated {
    pub value: Value,
    pub via: Option<Span>,
    /// The param whose default decided the value because no linted caller sets it.
    pub caller_default: Option<String>,
}

impl<'a> Evaluator<'a> {
    pub fn new(file: FileId, symbols: &'a Symbols<'a>) -> Self {
        Evaluator {
            file,
            symbols,
            depth: Cell::new(0),
            bound: Vec::new(),
            callers: Vec::new(),
            caller_default: RefCell::new(None),
        }
    }

    /// The evaluator of a template called as a module by `callers`.
    pub fn called_by(mut self, callers: Vec<FileId>) -> Self {
        self.callers = callers;
        self
    }

    /// The same template inside a loop body or lambda, its variables bound to known values.
    pub fn with_bindings(
        &self,
        bindings: impl IntoIterator<Item = (String, Value)>,
    ) -> Evaluator<'a> {
        let mut inner = self.inner();
        inner.bound.extend(bindings);
        inner
    }

    fn inner(&self) -> Evaluator<'a> {
        Evaluator {
            file: self.file,
            symbols: self.symbols,
            depth: Cell::new(self.depth.get()),
            bound: self.bound.clone(),
            callers: self.callers.clone(),
            caller_default: RefCell::new(None),
        }
    }

    /// Whether `file` is the `.bicepparam` or parameters JSON that sets this template's params.
    fn is_value_file(&self, file: FileId) -> bool {
        file != self.file
            && self.symbols.params.values().any(|param| match param {
                ParamValue::Expr(located) => located.file == file,
                ParamValue::Passed(_, Some(span)) => span.file == file,
                _ => false,
            })
    }

    pub fn eval(&self, expr: &Expr) -> Evaluated {
        let mut evaluated = self.eval_partial(expr);
        evaluated.value = evaluated.value.demote();
        evaluated
    }

    /// [`Evaluator::eval`] keeping what is known of a value known in part: for properties a
    /// rule reads and arguments passed to a module.
    pub fn eval_partial(&self, expr: &Expr) -> Evaluated {
        let mut via = None;
        let value = self.eval_raw(expr, self.file, &mut via);
        let caller_default = self.caller_default.take();
        Evaluated {
            value,
            via,
            caller_default,
        }
    }

    /// Notes that the value being evaluated rests on the default of `param`.
    fn assume_caller_default(&self, param: &str) {
        self.caller_default
            .borrow_mut()
            .get_or_insert_with(|| param.to_string());
    }

    /// A value for an operation that does not keep partial knowledge.
    fn eval_in(&self, expr: &Expr, file: FileId, via: &mut Option<Span>) -> Value {
        self.eval_raw(expr, file, via).demote()
    }

    /// An array literal, spreads included, weighed as it is built.
    fn array(&self, items: &[ArrayItem], file: FileId, via: &mut Option<Span>) -> Value {
        let mut values = Vec::new();
        let mut scale = Scale::default();
        for item in items {
            match item {
                ArrayItem::Item(item) => {
                    let value = self.eval_raw(item, file, via);
                    if !scale.holds(&value) {
                        return too_big();
                    }
                    values.push(value);
                }
                ArrayItem::Spread(spread) => match self.eval_in(spread, file, via) {
                    Value::List(more) if more.iter().all(|v| scale.holds(v)) => values.extend(more),
                    Value::List(_) => return too_big(),
                    Value::Unknown(reason) => return Value::Unknown(reason),
                    other => {
                        return Value::Unknown(format!(
                            "spreads {}, which is not a list",
                            other.shown()
                        ));
                    }
                },
            }
        }
        Value::List(values)
    }

    /// An object literal, spreads included, weighed as it is built.
    fn object(&self, items: &[ObjectItem], file: FileId, via: &mut Option<Span>) -> Value {
        let mut map = BTreeMap::new();
        let mut scale = Scale::default();
        for item in items {
            match item {
                ObjectItem::Property(property) => {
                    let key = match &property.key {
                        PropertyKey::Name(name) => name.clone(),
                        PropertyKey::Expr(key) => {
                            match self.eval_in(key, file, via).to_template_string() {
                                Ok(key) => key,
                                Err(reason) => return Value::Unknown(reason),
                            }
                        }
                    };
                    let value = self.eval_raw(&property.value, file, via);
                    if !scale.holds(&value) {
                        return too_big();
                    }
                    map.insert(key, value);
                }
                ObjectItem::Spread(spread) => match self.eval_in(spread, file, via) {
                    Value::Object(more) if more.values().all(|v| scale.holds(v)) => {
                        map.extend(more)
                    }
                    Value::Object(_) => return too_big(),
                    Value::Null => {}
                    Value::Unknown(reason) => return Value::Unknown(reason),
                    other => {
                        return Value::Unknown(format!(
                            "spreads {}, which is not an object",
                            other.shown()
                        ));
                    }
                },
                ObjectItem::Resource(_) => {}
            }
        }
        Value::Object(map)
    }

    /// A value, partial knowledge kept: only parentheses, conditionals, interpolated strings,
    /// names and a few functions pass it on; every other operand is evaluated with `eval_in`.
    fn eval_raw(&self, expr: &Expr, file: FileId, via: &mut Option<Span>) -> Value {
        match &expr.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Int(n) => Value::Number(*n as f64),
            ExprKind::String(parts) => {
                // `'${uami.id}'` is the id itself: still known to name that resource.
                if let [StringPart::Interpolation(inner)] = parts.as_slice() {
                    return match self.eval_raw(inner, file, via) {
                        attr @ Value::ResourceAttr { .. } => attr,
                        partial @ Value::Partial(_) if partial.is_non_empty_string() => partial,
                        value => value
                            .to_template_string()
                            .map_or_else(Value::Unknown, Value::String),
                    };
                }
                let mut text = String::new();
                let mut unknown: Option<String> = None;
                let mut non_empty = false;
                for part in parts {
                    match part {
                        StringPart::Literal(literal) => text.push_str(literal),
                        StringPart::Interpolation(inner) => {
                            let value = self.eval_raw(inner, file, via);
                            match value.to_template_string() {
                                Ok(piece) if text.len() + piece.len() > MAX_BUILT_STRING => {
                                    return too_long();
                                }
                                Ok(piece) => text.push_str(&piece),
                                Err(reason) => {
                                    non_empty |= value.is_non_empty_string();
                                    unknown.get_or_insert(reason);
                                }
                            }
                        }
                    }
                }
                match unknown {
                    None => Value::String(text),
                    // Unknown in part, but a reader sees it is not empty.
                    Some(reason) if non_empty || !text.is_empty() => {
                        Value::partial(reason, crate::frontend::value::Known::NonEmpty)
                    }
                    Some(reason) => Value::Unknown(reason),
                }
            }
            ExprKind::Ident(name) => self.ident(name, via),
            ExprKind::Array(items) => self.array(items, file, via),
            ExprKind::Object(items) => self.object(items, file, via),
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.eval_raw(inner, file, via),
            ExprKind::Member { base, name, safe } => {
                if let Some(exports) = self.namespace(base) {
                    return self.in_template(exports).ident(name, &mut None);
                }
                let base = self.eval_in(base, file, via);
                self.member(base, name, *safe, file, via)
            }
            ExprKind::Index { base, index, safe } => {
                let base = self.eval_in(base, file, via);
                let index = self.eval_in(index, file, via);
                match (base, index) {
                    // `accounts[i]`: any instance of a looped resource is that resource.
                    (attr @ Value::ResourceAttr { .. }, _) => attr,
                    (Value::Unknown(reason), _) | (_, Value::Unknown(reason)) => {
                        Value::Unknown(reason)
                    }
                    (Value::Null, _) if *safe => Value::Null,
                    (Value::List(items), Value::Number(i)) if i >= 0.0 => match items
                        .into_iter()
                        .nth(i as usize)
                    {
                        Some(item) => item,
                        None if *safe => Value::Null,
                        None => Value::Unknown(format!("indexes past the end of a list with {i}")),
                    },
                    (Value::Object(mut map), Value::String(key)) => {
                        map.remove(&key).unwrap_or(if *safe {
                            Value::Null
                        } else {
                            Value::Unknown(format!("reads `{key}`, which is not set"))
                        })
                    }
                    (base, index) => {
                        Value::Unknown(format!("indexes {} with {}", base.shown(), index.shown()))
                    }
                }
            }
            ExprKind::Child { .. } => Value::Unknown(
                "refers to a child resource through `::`, which is not evaluated".into(),
            ),
            ExprKind::Call { callee, args } => self.call(callee, args, file, via),
            ExprKind::Unary { op, expr } => {
                let operand = self.eval_raw(expr, file, via);
                if *op == UnaryOp::Not
                    && let Some(name) = self.caller_default.borrow_mut().as_mut()
                {
                    *name = crate::model::negated(name);
                }
                let per_value = |args: &[Value]| unary(*op, args[0].clone()).ok();
                crate::frontend::value::per_alternative(std::slice::from_ref(&operand), per_value)
                    .unwrap_or_else(|| {
                        unary(*op, operand.demote()).unwrap_or_else(|unknown| unknown)
                    })
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let lhs = self.eval_raw(lhs, file, via);
                match (op, &lhs) {
                    (BinaryOp::And, Value::Bool(false)) => return Value::Bool(false),
                    (BinaryOp::Or, Value::Bool(true)) => return Value::Bool(true),
                    (BinaryOp::Coalesce, value)
                        if !matches!(value, Value::Null | Value::Unknown(_)) =>
                    {
                        return lhs;
                    }
                    _ => {}
                }
                let rhs = self.eval_raw(rhs, file, via);
                let per_value =
                    |args: &[Value]| Some(binary(*op, args[0].clone(), args[1].clone()));
                crate::frontend::value::per_alternative(&[lhs.clone(), rhs.clone()], per_value)
                    .unwrap_or_else(|| binary(*op, lhs.demote(), rhs.demote()))
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => match self.eval_in(cond, file, via) {
                Value::Bool(true) => self.eval_raw(then, file, via),
                Value::Bool(false) => self.eval_raw(otherwise, file, via),
                // A reader knows the result is one of the branches, and that `x` is not empty
                // in `!empty(x) ? x : ...`.
                Value::Unknown(reason) => {
                    let then = non_empty_when(cond, then, true, self.eval_raw(then, file, via));
                    let otherwise =
                        non_empty_when(cond, otherwise, false, self.eval_raw(otherwise, file, via));
                    Value::either(reason, then, otherwise)
                }
                other => Value::Unknown(format!("has a condition that is {}", other.shown())),
            },
            ExprKind::For(for_loop) => self.for_expression(for_loop, file, via),
            ExprKind::If { .. } => Value::Unknown("is conditional".into()),
            ExprKind::Lambda { .. } => Value::Unknown("is a lambda".into()),
        }
    }

    fn ident(&self, name: &str, via: &mut Option<Span>) -> Value {
        if let Some((_, value)) = self.bound.iter().rev().find(|(bound, _)| bound == name) {
            return value.clone();
        }
        let symbols = self.symbols;
        if let Some(value) = symbols.params.get(name) {
            let value = match value {
                ParamValue::Expr(located) => self.named_value(name, *located, via),
                ParamValue::Passed(value, passed_via) => {
                    if via.is_none() {
                        *via = passed_via.clone();
                    }
                    value.clone()
                }
                ParamValue::CallerSets(default) => {
                    self.assume_caller_default(name);
                    self.named_value(name, *default, via)
                }
                ParamValue::Null(_) => Value::Null,
                ParamValue::CallerSetsOrNull(declaration) => {
                    self.assume_caller_default(name);
                    if via.is_none() {
                        *via = Some(declaration.clone());
                    }
                    Value::Null
                }
                ParamValue::Missing(where_set) => Value::Unknown(format!(
                    "depends on param `{name}`, which has no default value (set it {where_set})"
                )),
            };
            return value.declared_as(symbols.allowed.get(name), symbols.non_empty.contains(name));
        }
        if let Some(located) = symbols.vars.get(name) {
            return self.named_value(name, *located, via);
        }
        if let Some((key, _, _)) = symbols.resources.get(name) {
            return Value::ResourceAttr {
                key: key.clone(),
                shown: name.to_string(),
                attr: String::new(),
            };
        }
        if let Some(module) = symbols.modules.get(name) {
            return module.borrow().clone();
        }
        match symbols.imports.get(name) {
            Some(Import::Name { from, name }) => self.in_template(from).ident(name, &mut None),
            Some(Import::Namespace(_)) => Value::Unknown(format!(
                "is the namespace `{name}`, not a value (use one of its names: `{name}.x`)"
            )),
            None => Value::Unknown(format!(
                "refers to `{name}`, which is not declared in this file"
            )),
        }
    }

    /// The template an `import * as ns` names, when `expr` is `ns` (not a loop variable).
    fn namespace(&self, expr: &Expr) -> Option<&'a Exports<'a>> {
        let ExprKind::Ident(name) = &expr.kind else {
            return None;
        };
        if self.bound.iter().any(|(bound, _)| bound == name) {
            return None;
        }
        match self.symbols.imports.get(name.as_str())? {
            Import::Namespace(exports) => Some(exports),
            Import::Name { .. } => None,
        }
    }

    /// An evaluator in the template that exports a name, one reference deeper: what it
    /// exports sees its own names only.
    fn in_template(&self, exports: &'a Exports<'a>) -> Evaluator<'a> {
        Evaluator {
            file: exports.file,
            symbols: &exports.symbols,
            depth: Cell::new(self.depth.get() + 1),
            bound: Vec::new(),
            callers: Vec::new(),
            caller_default: RefCell::new(None),
        }
    }

    /// A call of a user-defined function, of this template or imported: its body with the
    /// parameters bound to the arguments. `None` when `callee` names no such function.
    fn user_function(
        &self,
        callee: &Expr,
        args: &[Expr],
        file: FileId,
        via: &mut Option<Span>,
    ) -> Option<Value> {
        let (name, func, evaluator) = match &callee.kind {
            ExprKind::Ident(name) => match self.symbols.imports.get(name.as_str()) {
                Some(Import::Name { from, name }) => (
                    *name,
                    *from.symbols.funcs.get(name)?,
                    self.in_template(from),
                ),
                _ => {
                    let func = *self.symbols.funcs.get(name.as_str())?;
                    let own = Evaluator {
                        bound: Vec::new(),
                        ..self.inner()
                    };
                    (name.as_str(), func, own)
                }
            },
            ExprKind::Member { base, name, .. } => {
                let exports = self.namespace(base)?;
                let func = *exports.symbols.funcs.get(&**name)?;
                (&**name, func, self.in_template(exports))
            }
            _ => return None,
        };
        let values = args.iter().map(|arg| self.eval_raw(arg, file, via));
        let body = evaluator.with_bindings(func.params.iter().cloned().zip(values));
        Some(body.guarded(func.body, body.file, &format!("{name}()"), &mut None))
    }

    /// A param or var, evaluated once. Its expression sees the template's names only, not the
    /// loop variables around the reference.
    fn named_value(&self, name: &str, located: Located<'_>, via: &mut Option<Span>) -> Value {
        let cached = self.symbols.named.borrow().get(name).cloned();
        let (value, own_via, default) = match cached {
            Some(named) => named,
            None => {
                let top = Evaluator {
                    bound: Vec::new(),
                    ..self.inner()
                };
                let mut own_via = None;
                let value = top.follow(located, name, &mut own_via);
                let default = top.caller_default.take();
                let value = match value.is_cut_short() {
                    true => value,
                    false => {
                        let value = self.symbols.named_weight.keep(value);
                        let named = (value.clone(), own_via.clone(), default.clone());
                        self.symbols
                            .named
                            .borrow_mut()
                            .insert(name.to_string(), named);
                        value
                    }
                };
                (value, own_via, default)
            }
        };
        if via.is_none() {
            *via = own_via;
        }
        if let Some(default) = default {
            self.assume_caller_default(&default);
        }
        value
    }

    /// The value of a param or var, remembering where it is written.
    fn follow(&self, located: Located<'_>, name: &str, via: &mut Option<Span>) -> Value {
        let value = self.guarded(located.expr, located.file, name, &mut None);
        if via.is_none() {
            *via = Some(Span::new(located.file, located.expr.span.clone()));
        }
        value
    }

    /// Evaluates an expression reached through a name; the depth bound also stops cycles
    /// (a var defined by itself, a resource named after its own id).
    fn guarded(&self, expr: &Expr, file: FileId, name: &str, via: &mut Option<Span>) -> Value {
        if self.depth.get() >= MAX_DEPTH {
            return Value::Unknown(format!(
                "depends on `{name}` through a reference chain that is {TOO_DEEP}"
            ));
        }
        self.depth.set(self.depth.get() + 1);
        let value = self.eval_raw(expr, file, via);
        self.depth.set(self.depth.get() - 1);
        value
    }

    fn member(
        &self,
        base: Value,
        name: &str,
        safe: bool,
        file: FileId,
        via: &mut Option<Span>,
    ) -> Value {
        match base {
            Value::Object(mut map) => map.remove(name).unwrap_or(if safe {
                Value::Null
            } else {
                Value::Unknown(format!("reads `{name}`, which is not set"))
            }),
            Value::Null if safe => Value::Null,
            Value::ResourceAttr { key, shown, attr } if attr.is_empty() => {
                let (body, type_name) = match self.symbols.resources.get(shown.as_str()) {
                    Some((_, body, type_name)) => (*body, *type_name),
                    None => (None, None),
                };
                let property = |key: &str| body.and_then(|body| body.property(key));
                match (name, property(name), type_name) {
                    // A resource's own `name`, `location` and `kind` are what its body says; a
                    // name not known whole is still known to be that resource's.
                    ("name", Some(property), _) if self.symbols.place.is_some() => {
                        let place = self.symbols.place.clone().unwrap_or_default();
                        let name_of = Known::NameOf { key, place };
                        match self.guarded(&property.value, file, &shown, via) {
                            Value::Unknown(reason) => Value::partial(reason, name_of),
                            Value::Partial(partial) => Value::partial(partial.reason, name_of),
                            known => known,
                        }
                    }
                    ("name" | "location" | "kind", Some(property), _) => {
                        self.guarded(&property.value, file, &shown, via)
                    }
                    // Its id follows from its type and name (an `existing` role definition's id
                    // names the role).
                    ("id", _, Some(type_name)) => {
                        match property("name")
                            .map(|p| self.guarded(&p.value, file, &shown, &mut None))
                        {
                            Some(Value::String(resource_name)) => {
                                resource_id(&[type_name, &resource_name], 0)
                            }
                            _ => Value::ResourceAttr {
                                key,
                                shown,
                                attr: name.to_string(),
                            },
                        }
                    }
                    // Other attributes (`uami.properties.clientId`, `kv.properties.vaultUri`) name
                    // the resource the way its id does, so that they meet on one key.
                    (_, _, Some(type_name)) => {
                        let key = match property("name")
                            .map(|p| self.guarded(&p.value, file, &shown, &mut None))
                        {
                            Some(Value::String(resource_name)) => {
                                name_key(type_name, &resource_name)
                            }
                            _ => key,
                        };
                        Value::ResourceAttr {
                            key,
                            shown,
                            attr: name.to_string(),
                        }
                    }
                    _ => Value::ResourceAttr {
                        key,
                        shown,
                        attr: name.to_string(),
                    },
                }
            }
            Value::ResourceAttr { key, shown, attr } => Value::ResourceAttr {
                key,
                shown,
                attr: format!("{attr}.{name}"),
            },
            Value::Unknown(reason) => Value::Unknown(reason),
            other => Value::Unknown(format!("reads `{name}` of {}", other.shown())),
        }
    }

    /// `[for x in coll: body]` and `[for (x, i) in coll: if (cond) body]` over a known list: the
    /// body evaluated for each element.
    fn for_expression(&self, for_loop: &ForLoop, file: FileId, via: &mut Option<Span>) -> Value {
        let ForLoop {
            item,
            index,
            iterable,
            body,
        } = for_loop;
        let items = match self.elements(iterable, file, via) {
            Ok(items) => items,
            Err(unknown) => return unknown,
        };
        let (cond, body) = match &body.kind {
            ExprKind::If { cond, body } => (Some(cond.as_ref()), body.as_ref()),
            _ => (None, body),
        };
        let mut out = Vec::new();
        for (i, element) in items.into_iter().enumerate() {
            let mut bindings = vec![(item.clone(), element)];
            let index = index.as_ref();
            bindings.extend(index.map(|index| (index.clone(), Value::Number(i as f64))));
            let inner = self.with_bindings(bindings);
            let keep = cond.map_or(Value::Bool(true), |cond| inner.eval_in(cond, file, via));
            match kept(keep) {
                Ok(true) => out.push(inner.eval_in(body, file, via)),
                Ok(false) => {}
                Err(unknown) => return unknown,
            }
            self.absorb(&inner);
        }
        Value::List(out)
    }

    /// The elements of a collection a loop or lambda runs over; the unknown when not known.
    fn elements(
        &self,
        expr: &Expr,
        file: FileId,
        via: &mut Option<Span>,
    ) -> Result<Vec<Value>, Value> {
        let evaluated = &self.symbols.elements_evaluated;
        match self.eval_in(expr, file, via) {
            Value::List(items) if evaluated.get() + items.len() > MAX_TEMPLATE_ELEMENTS => {
                Err(Value::Unknown(format!(
                    "loops within loops over more than the {MAX_TEMPLATE_ELEMENTS} elements evaluated in one template"
                )))
            }
            Value::List(items) if items.len() <= MAX_ELEMENTS => {
                evaluated.set(evaluated.get() + items.len());
                Ok(items)
            }
            Value::List(items) => Err(Value::Unknown(format!(
                "loops over {} elements, more than the {MAX_ELEMENTS} evaluated",
                items.len()
            ))),
            unknown @ Value::Unknown(_) => Err(unknown),
            other => Err(Value::Unknown(format!(
                "loops over {}, which is not a list",
                other.shown()
            ))),
        }
    }

    /// What an inner evaluator noted (a caller default) belongs to the value being evaluated.
    fn absorb(&self, inner: &Evaluator<'_>) {
        if let Some(param) = inner.caller_default.take() {
            self.assume_caller_default(&param);
        }
    }

    /// `map`, `filter`, `toObject` and `reduce` over a known list, with a lambda; `None` when
    /// the arguments are not of that shape.
    fn lambda_call(
        &self,
        name: &str,
        args: &[Expr],
        file: FileId,
        via: &mut Option<Span>,
    ) -> Option<Value> {
        fn lambda(expr: &Expr) -> Option<(Vec<String>, &Expr)> {
            match &expr.kind {
                ExprKind::Lambda { params, body } => Some((params.clone(), body.as_ref())),
                _ => None,
            }
        }
        // Evaluates a lambda's body with its parameters bound to `values`, in order.
        let apply =
            |(params, body): &(Vec<String>, &Expr), values: Vec<Value>, via: &mut Option<Span>| {
                let inner = self.with_bindings(params.iter().cloned().zip(values));
                let value = inner.eval_in(body, file, via);
                self.absorb(&inner);
                value
            };
        let items = match self.elements(args.first()?, file, via) {
            Ok(items) => items,
            Err(unknown) => return Some(unknown),
        };
        let indexed = items
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, item)| (item, Value::Number(i as f64)));
        let result = match (name, args) {
            ("map", [_, f]) => {
                let f = lambda(f)?;
                Value::List(
                    indexed
                        .map(|(item, i)| apply(&f, vec![item, i], via))
                        .collect(),
                )
            }
            ("filter", [_, f]) => {
                let f = lambda(f)?;
                let mut chosen = Vec::new();
                for (item, i) in indexed {
                    match kept(apply(&f, vec![item.clone(), i], via)) {
                        Ok(true) => chosen.push(item),
                        Ok(false) => {}
                        Err(unknown) => return Some(unknown),
                    }
                }
                Value::List(chosen)
            }
            ("toObject", [_, key, rest @ ..]) if rest.len() <= 1 => {
                let key = lambda(key)?;
                let value = match rest.first() {
                    Some(f) => Some(lambda(f)?),
                    None => None,
                };
                let mut object = BTreeMap::new();
                for item in items {
                    let k = match apply(&key, vec![item.clone()], via).to_template_string() {
                        Ok(k) => k,
                        Err(reason) => return Some(Value::Unknown(reason)),
                    };
                    let v = match &value {
                        Some(value) => apply(value, vec![item], via),
                        None => item,
                    };
                    object.insert(k, v);
                }
                Value::Object(object)
            }
            ("reduce", [_, initial, f]) => {
                let f = lambda(f)?;
                let mut acc = self.eval_in(initial, file, via);
                for (item, i) in indexed {
                    acc = apply(&f, vec![acc, item, i], via);
                }
                acc
            }
            _ => return None,
        };
        Some(result)
    }

    fn call(&self, callee: &Expr, args: &[Expr], file: FileId, via: &mut Option<Span>) -> Value {
        if let Some(value) = self.user_function(callee, args, file, via) {
            return value;
        }
        let name = match &callee.kind {
            ExprKind::Ident(name) => name.as_str(),
            ExprKind::Member { base, name, .. } if matches!(&base.kind, ExprKind::Ident(ns) if ns == "sys" || ns == "az") => {
                name
            }
            _ => return Value::Unknown("calls a method, which is not evaluated".into()),
        };
        match name {
            "resourceGroup" | "subscription" | "deployment" | "tenant" | "managementGroup"
            | "environment" => {
                return crate::frontend::arm_functions::deployment_scope(
                    name,
                    self.symbols.location.as_deref(),
                );
            }
            "loadTextContent" | "loadJsonContent" | "loadYamlContent" => {
                return self.content(name, args, file, via);
            }
            // As azd's `${NAME=default}`: the default is what the repository declares.
            "readEnvironmentVariable" => {
                let variable = args
                    .first()
                    .and_then(Expr::as_literal_str)
                    .unwrap_or_default();
                return match args.get(1) {
                    Some(default) => self.eval_raw(default, file, via),
                    None => Value::Unknown(format!(
                        "is set from the environment at deployment (`readEnvironmentVariable('{variable}')` has no default)"
                    )),
                };
            }
            "map" | "filter" | "toObject" | "reduce" => {
                if let Some(value) = self.lambda_call(name, args, file, via) {
                    return value;
                }
            }
            _ => {}
        }
        let values: Vec<Value> = args
            .iter()
            .map(|arg| self.eval_raw(arg, file, via))
            .collect();
        if let Some(value) = crate::frontend::arm_functions::known_in_part(name, &values) {
            return value;
        }
        let values: Vec<Value> = values.into_iter().map(Value::demote).collect();
        if let Some(Value::Unknown(reason)) = values.iter().find(|v| matches!(v, Value::Unknown(_)))
        {
            return Value::Unknown(reason.clone());
        }
        functions(name, values)
    }

    /// A file read as content: its text, or its JSON or YAML as a value (at `jsonPath` /
    /// `pathFilter` when given).
    fn content(&self, name: &str, args: &[Expr], file: FileId, via: &mut Option<Span>) -> Value {
        let Some(path) = args.first().and_then(Expr::as_literal_str) else {
            return Value::Unknown(format!("calls `{name}()` with a path that is not literal"));
        };
        let text = match self.symbols.contents.get(&path) {
            Some(Ok(text)) => text,
            Some(Err(reason)) => return Value::Unknown(format!("{reason} (`{name}('{path}')`)")),
            None => return Value::Unknown(format!("calls `{name}('{path}')`, which was not read")),
        };
        let value = match name {
            "loadTextContent" => return Value::String(text.to_string()),
            "loadJsonContent" => super::super::content::json(text),
            _ => super::super::content::yaml(text),
        };
        let value = match value {
            Ok(value) => value,
            Err(reason) => return Value::Unknown(format!("reads `{path}`, which {reason}")),
        };
        match args.get(1).map(|filter| self.eval_in(filter, file, via)) {
            None => value,
            Some(Value::String(filter)) => super::super::content::select(value, &filter),
            Some(_) => Value::Unknown(format!("filters `{path}` by a path that is not known")),
        }
    }

    /// A resource body (or any value) as a [`Node`] tree: object and array syntax keeps its
    /// structure and spans, everything else is evaluated.
    pub fn node(&self, expr: &Expr) -> Node {
        self.node_at(expr, Span::new(self.file, expr.span.clone()))
    }

    /// [`Evaluator::node`] for a value written at `span` (a property: its key and value).
    fn node_at(&self, expr: &Expr, span: Span) -> Node {
        match &expr.kind {
            ExprKind::Object(items) => {
                let mut entries = Vec::new();
                for item in items {
                    match item {
                        ObjectItem::Property(property) => {
                            let key = match &property.key {
                                PropertyKey::Name(name) => name.clone(),
                                PropertyKey::Expr(key) => match self.eval(key).value {
                                    Value::String(key) => key,
                                    // `'${uami.id}': {}` (user-assigned identities) is keyed by
                                    // the resource, as links know it.
                                    value => match crate::frontend::node::reference_key(&value) {
                                        Some(link) => link,
                                        None => continue,
                                    },
                                },
                            };
                            let span = Span::new(self.file, property.span());
                            entries.push((key, self.node_at(&property.value, span)));
                        }
                        ObjectItem::Spread(spread) => {
                            let evaluated = self.eval(spread);
                            match evaluated.value {
                                Value::Object(map) => {
                                    entries.extend(map.into_iter().map(|(key, value)| {
                                        (
                                            key,
                                            Node {
                                                span: Span::new(self.file, spread.span.clone()),
                                                via: evaluated.via.clone().map(Via::source),
                                                kind: NodeKind::Value(value),
                                            },
                                        )
                                    }))
                                }
                                Value::Unknown(reason) => entries.push((
                                    crate::frontend::node::SPREAD_KEY.to_string(),
                                    Node::value(
                                        Value::Unknown(reason),
                                        Span::new(self.file, spread.span.clone()),
                                    ),
                                )),
                                _ => {}
                            }
                        }
                        ObjectItem::Resource(_) => {}
                    }
                }
                Node::object(entries, span)
            }
            ExprKind::Array(items)
                if items.iter().all(|item| matches!(item, ArrayItem::Item(_))) =>
            {
                let nodes = items
                    .iter()
                    .filter_map(|item| match item {
                        ArrayItem::Item(item) => Some(self.node(item)),
                        ArrayItem::Spread(_) => None,
                    })
                    .collect();
                Node {
                    span,
                    via: None,
                    kind: NodeKind::Array(nodes),
                }
            }
            ExprKind::Paren(inner) => self.node_at(inner, span),
            _ => {
                let evaluated = self.eval_partial(expr);
                // A value the caller passes into the module is fixed at the caller's argument.
                // A value set in the `.bicepparam` or parameters JSON is fixed there.
                let (span, via) = match evaluated.via {
                    Some(via) if self.callers.contains(&via.file) => {
                        (via, Some(Via::module_use(span)))
                    }
                    Some(via) if self.is_value_file(via.file) => (via, Some(Via::value_use(span))),
                    via => {
                        let source = |via: Span| match &evaluated.caller_default {
                            Some(name) => Via::caller_default(via, name),
                            None => Via::source(via),
                        };
                        (span, via.map(source))
                    }
                };
                Node {
                    span,
                    via,
                    kind: NodeKind::Value(evaluated.value),
                }
            }
        }
    }
}

/// Whether a filter keeps an element; the unknown when its condition is not a known bool.
fn kept(condition: Value) -> Result<bool, Value> {
    match condition {
        Value::Bool(keep) => Ok(keep),
        unknown @ Value::Unknown(_) => Err(unknown),
        other => Err(Value::Unknown(format!(
            "filters with a condition that is {}",
            other.shown()
        ))),
    }
}

/// A branch's value, knowing the condition chose it: the `x` of `!empty(x) ? x : y` (or of
/// `empty(x) ? y : x`) is not empty there, even when its text is not known.
fn non_empty_when(cond: &Expr, branch: &Expr, is_then: bool, value: Value) -> Value {
    let Value::Unknown(reason) = value else {
        return value;
    };
    let (negated, tested) = match &cond.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            expr,
        } => (true, expr.as_ref()),
        _ => (false, cond),
    };
    let guarded = match &tested.kind {
        ExprKind::Call { callee, args } if matches!(&callee.kind, ExprKind::Ident(f) if f == "empty") =>
        {
            matches!(args.as_slice(), [arg] if same_value(arg, branch))
        }
        _ => false,
    };
    if guarded && negated == is_then {
        Value::partial(reason, crate::frontend::value::Known::NonEmpty)
    } else {
        Value::Unknown(reason)
    }
}

/// Whether two expressions read the same value: names and member chains, whatever their
/// safe access (`.?`) or non-null assertions (`!`).
fn same_value(a: &Expr, b: &Expr) -> bool {
    fn strip(mut e: &Expr) -> &Expr {
        while let ExprKind::NonNull(inner) | ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        e
    }
    match (&strip(a).kind, &strip(b).kind) {
        (ExprKind::Ident(x), ExprKind::Ident(y)) => x == y,
        (
            ExprKind::Member {
                base: x, name: n, ..
            },
            ExprKind::Member {
                base: y, name: m, ..
            },
        ) => n == m && same_value(x, y),
        _ => false,
    }
}

/// A unary operator on a value; `Err` is the unknown result.
fn unary(op: UnaryOp, operand: Value) -> Result<Value, Value> {
    match (op, operand) {
        (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnaryOp::Minus, Value::Number(n)) => Ok(Value::Number(-n)),
        (UnaryOp::Plus, Value::Number(n)) => Ok(Value::Number(n)),
        (_, unknown @ Value::Unknown(_)) => Err(unknown),
        (_, other) => Err(Value::Unknown(format!(
            "applies an operator to {}",
            other.shown()
        ))),
    }
}

fn binary(op: BinaryOp, lhs: Value, rhs: Value) -> Value {
    use BinaryOp::*;
    match (lhs, rhs) {
        (Value::Null, rhs) if op == Coalesce => rhs,
        (Value::Unknown(reason), _) | (_, Value::Unknown(reason)) => Value::Unknown(reason),
        (lhs, rhs)
            if matches!(op, Equal | NotEqual) && lhs.is_comparable() && rhs.is_comparable() =>
        {
            Value::Bool((lhs == rhs) == (op == Equal))
        }
        (Value::String(a), Value::String(b))
            if matches!(op, EqualIgnoreCase | NotEqualIgnoreCase) =>
        {
            Value::Bool(a.eq_ignore_ascii_case(&b) == (op == EqualIgnoreCase))
        }
        (Value::Bool(a), Value::Bool(b)) if matches!(op, And | Or) => {
            Value::Bool(if op == And { a && b } else { a || b })
        }
        (Value::Number(a), Value::Number(b)) => match op {
            Add => Value::Number(a + b),
            Subtract => Value::Number(a - b),
            Multiply => Value::Number(a * b),
            Divide if b != 0.0 => Value::Number((a / b).trunc()),
            Modulo if b != 0.0 => Value::Number(a % b),
            Less => Value::Bool(a < b),
            LessEqual => Value::Bool(a <= b),
            Greater => Value::Bool(a > b),
            GreaterEqual => Value::Bool(a >= b),
            _ => Value::Unknown("computes an undefined arithmetic result".into()),
        },
        (lhs, rhs) => Value::Unknown(format!(
            "combines {} and {}, which is not evaluated",
            lhs.shown(),
            rhs.shown()
        )),
    }
}

/// The Bicep functions evaluated so far (all arguments known). Resource id functions build ids
/// that link to the resources they name.
/// Bicep's functions are ARM's: evaluated with all arguments known.
fn functions(name: &str, args: Vec<Value>) -> Value {
    crate::frontend::arm_functions::call(name, &args)
        .unwrap_or_else(|| Value::Unknown(format!("calls `{name}()`, which is not evaluated yet")))
}
