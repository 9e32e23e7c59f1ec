//! Static evaluation of Terraform expressions, with unknowns that say why.
//!
//! No crate does this part: hcl-rs' evaluator stops at the first undefined variable, while a
//! linter must keep going and report *what* a value depends on. Evaluated: literals, templates,
//! operators, conditionals, `for` expressions, splats, variables (`--var`, `.tfvars`, defaults and
//! `optional()` attributes), locals, the common functions, and references to literal arguments of
//! other resources of the module, and key vault data sources read by the id of a vault declared
//! here. Other data sources, resource attributes known only after apply, `each`/`count` over
//! what is not known and unknown functions stay [`Value::Unknown`] with the reason.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Element, Template};

use super::configuration::{Child, Configuration};
use super::functions;
use super::module::{ModuleIndex, SetValue};
pub use crate::frontend::value::Value;
use crate::frontend::value::{
    MAX_BUILT_STRING, NamedWeight, Scale, TOO_DEEP, per_alternative, too_big, too_long,
};
use crate::source::{FileId, Span};

/// The attributes of `data.azurerm_key_vault_key` that are the key's id (in its vault).
const KEY_ID_ATTRIBUTES: [&str; 4] = [
    "id",
    "versionless_id",
    "resource_id",
    "resource_versionless_id",
];

/// How many references deep one evaluation may go; reference cycles stop here too.
const MAX_DEPTH: usize = 32;

/// A value and, when it was read through a reference, where the referenced value is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub value: Value,
    pub via: Option<Span>,
    /// The variable whose default decided the value because no linted caller sets it.
    pub caller_default: Option<String>,
}

/// A module instance and a name in it (`var.x`, `local.y`).
type NamedKey = (usize, String);

/// A named value once computed: where it is written, and the caller default it rests on.
type Named = (Value, Option<Span>, Option<String>);

pub struct Evaluator<'m> {
    configuration: &'m Configuration<'m>,
    /// The module instance whose expressions are being evaluated.
    current: Cell<usize>,
    depth: Cell<usize>,
    /// Variables of enclosing `for` expressions, innermost last.
    bindings: RefCell<Vec<(String, Value)>>,
    /// `var.x` and `local.x` values once computed (by instance), with where they are written:
    /// a module's resources refer to the same few names many times.
    named: RefCell<HashMap<NamedKey, Named>>,
    /// What the values in `named` weigh together.
    named_weight: NamedWeight,
    /// The first variable of a directory nobody calls whose default the value being evaluated
    /// read (see [`Evaluated::caller_default`]).
    caller_default: RefCell<Option<String>>,
}

impl<'m> Evaluator<'m> {
    pub fn new(configuration: &'m Configuration<'m>) -> Self {
        Evaluator {
            configuration,
            current: Cell::new(0),
            depth: Cell::new(0),
            bindings: RefCell::new(Vec::new()),
            named: RefCell::new(HashMap::new()),
            named_weight: NamedWeight::default(),
            caller_default: RefCell::new(None),
        }
    }

    /// Evaluates in `instance` from now on.
    pub fn enter(&self, instance: usize) {
        self.current.set(instance);
    }

    pub fn instance(&self) -> usize {
        self.current.get()
    }

    fn module(&self) -> &'m ModuleIndex<'m> {
        &self.configuration.instances[self.current.get()].index
    }

    /// Runs `f` with `each`/`count` bound to one instance of a resource.
    pub fn with_bindings<R>(&self, bindings: Vec<(String, Value)>, f: impl FnOnce() -> R) -> R {
        let depth = self.bindings.borrow().len();
        self.bindings.borrow_mut().extend(bindings);
        let result = f();
        self.bindings.borrow_mut().truncate(depth);
        result
    }

    pub fn eval(&self, expr: &Expression) -> Evaluated {
        let mut evaluated = self.eval_partial(expr);
        evaluated.value = evaluated.value.demote();
        evaluated
    }

    /// [`Evaluator::eval`] keeping what is known of a value known in part: for attributes a rule
    /// reads.
    pub fn eval_partial(&self, expr: &Expression) -> Evaluated {
        let mut via = None;
        let value = self.eval_raw(expr, &mut via).settle();
        let caller_default = self.caller_default.take();
        Evaluated {
            value,
            via,
            caller_default,
        }
    }

    /// A value for an operation that does not keep partial knowledge.
    fn eval_inner(&self, expr: &Expression, via: &mut Option<Span>) -> Value {
        self.eval_raw(expr, via).demote()
    }

    /// A value, partial knowledge kept: only parentheses, conditionals, templates, references
    /// and case functions pass it on; every other operand is evaluated with `eval_inner`.
    fn eval_raw(&self, expr: &Expression, via: &mut Option<Span>) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n.value().as_f64().map_or_else(
                || Value::Error("a number out of range".into()),
                Value::Number,
            ),
            Expression::String(s) => Value::String(s.value().clone()),
            // Collections are built from many values: where the first of them comes from says
            // nothing about the others, so they report no `via`.
            Expression::Array(array) => {
                let mut scale = Scale::default();
                let mut items = Vec::new();
                for item in array.iter() {
                    let item = self.eval_raw(item, &mut None);
                    if !scale.holds(&item) {
                        return too_big();
                    }
                    items.push(item);
                }
                Value::List(items)
            }
            Expression::Object(object) => self.object(object),
            Expression::StringTemplate(template) => self.eval_template(template, via),
            Expression::HeredocTemplate(heredoc) => self.eval_template(&heredoc.template, via),
            Expression::Parenthesis(inner) => self.eval_raw(inner.inner(), via),
            Expression::Variable(ident) => match self.binding(ident.as_str()) {
                Some(value) => value,
                None => Value::Unknown(format!(
                    "refers to `{}`, which is not evaluated",
                    ident.as_str()
                )),
            },
            Expression::Conditional(cond) => match self.eval_inner(&cond.cond_expr, via) {
                Value::Bool(true) => self.eval_raw(&cond.true_expr, via),
                Value::Bool(false) => self.eval_raw(&cond.false_expr, via),
                // A reader knows the result is one of the branches, and that `x` is not empty
                // in `x != "" ? x : ...`.
                Value::Unknown(reason) => match (
                    non_empty_when(cond, true, self.eval_raw(&cond.true_expr, via)),
                    non_empty_when(cond, false, self.eval_raw(&cond.false_expr, via)),
                ) {
                    (Value::Error(_), _) | (_, Value::Error(_)) => Value::Unknown(reason),
                    (then, otherwise) => Value::either(reason, then, otherwise),
                },
                error @ Value::Error(_) => error,
                other => Value::Error(format!("a condition that is {}", other.shown())),
            },
            Expression::FuncCall(call) => self.call(call, via),
            Expression::Traversal(traversal) => self.eval_traversal(traversal, via),
            Expression::UnaryOp(op) => {
                let operator = *op.operator.value();
                let operand = self.eval_raw(&op.expr, via);
                if operator == UnaryOperator::Not {
                    negate_default(&self.caller_default);
                }
                let per_value = |args: &[Value]| Some(unary(operator, args[0].clone()));
                per_alternative(std::slice::from_ref(&operand), per_value)
                    .unwrap_or_else(|| unary(operator, operand.demote()))
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval_raw(&op.lhs_expr, via);
                // `&&` and `||` decide on one side alone when it is known.
                match (op.operator.value(), &lhs) {
                    (BinaryOperator::And, Value::Bool(false)) => return Value::Bool(false),
                    (BinaryOperator::Or, Value::Bool(true)) => return Value::Bool(true),
                    _ => {}
                }
                let rhs = self.eval_raw(&op.rhs_expr, via);
                let operator = *op.operator.value();
                let per_value =
                    |args: &[Value]| Some(binary(operator, args[0].clone(), args[1].clone()));
                per_alternative(&[lhs.clone(), rhs.clone()], per_value)
                    .unwrap_or_else(|| binary(operator, lhs.demote(), rhs.demote()))
            }
            Expression::ForExpr(for_expr) => self.eval_for(for_expr, &mut None),
        }
    }

    fn binding(&self, name: &str) -> Option<Value> {
        self.bindings
            .borrow()
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn object(&self, object: &hcl_edit::expr::Object) -> Value {
        let via = &mut None;
        let mut scale = Scale::default();
        let mut map = BTreeMap::new();
        for (key, value) in object.iter() {
            let key = match key {
                hcl_edit::expr::ObjectKey::Ident(ident) => ident.as_str().to_string(),
                hcl_edit::expr::ObjectKey::Expression(expr) => {
                    match self.eval_inner(expr, via).to_template_string() {
                        Ok(key) => key,
                        Err(reason) => return Value::Unknown(reason),
                    }
                }
            };
            // Elements keep what is known of them: `{ name = "${var.x}-oai" }` holds a
            // non-empty name.
            let value = self.eval_raw(value.expr(), via);
            if !scale.holds(&value) {
                return too_big();
            }
            map.insert(key, value);
        }
        Value::Object(map)
    }

    /// A template's text; when a part is not known, a non-empty string if a known part or
    /// what is known of an unknown one says so.
    fn eval_template(&self, template: &Template, via: &mut Option<Span>) -> Value {
        // HCL: a template that is one interpolation and nothing else is its value unconverted
        // (`"${var.tags}"` is a map; Terraform's JSON syntax can write references no other way).
        if let (1, Some(Element::Interpolation(only))) = (template.len(), template.get(0)) {
            return self.eval_raw(&only.expr, via);
        }
        let mut out = String::new();
        let mut unknown: Option<String> = None;
        let mut non_empty = false;
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interp) => match self.eval_raw(&interp.expr, via) {
                    error @ Value::Error(_) => return error,
                    value => match value.to_template_string() {
                        Ok(text) if out.len() + text.len() > MAX_BUILT_STRING => return too_long(),
                        Ok(text) => out.push_str(&text),
                        Err(reason) => {
                            non_empty |= value.is_non_empty_string();
                            unknown.get_or_insert(reason);
                        }
                    },
                },
                Element::Directive(_) => {
                    return Value::Unknown(
                        "uses a template directive, which is not evaluated".into(),
                    );
                }
            }
        }
        match unknown {
            None => Value::String(out),
            Some(reason) if non_empty || !out.is_empty() => {
                Value::partial(reason, crate::frontend::value::Known::NonEmpty)
            }
            Some(reason) => Value::Unknown(reason),
        }
    }

    fn eval_for(&self, for_expr: &ForExpr, via: &mut Option<Span>) -> Value {
        let pairs = match self.for_collection(for_expr, via) {
            Ok(pairs) => pairs,
            Err(error) => return error,
        };
        let mut list = Vec::new();
        let mut object = BTreeMap::new();
        let mut scale = Scale::default();
        for (key, value) in pairs {
            let result = self.for_element(for_expr, key, value, via);
            if let Ok(Some((_, value))) = &result
                && !scale.holds(value)
            {
                return too_big();
            }
            match result {
                Ok(None) => {}
                Ok(Some((None, value))) => list.push(value),
                Ok(Some((Some(key), value))) => match key.to_template_string() {
                    Ok(key) if for_expr.grouping => {
                        let group = object.entry(key).or_insert_with(|| Value::List(Vec::new()));
                        if let Value::List(items) = group {
                            items.push(value);
                        }
                    }
                    Ok(key) => {
                        object.insert(key, value);
                    }
                    Err(reason) => return Value::Unknown(reason),
                },
                // `{ for k, v in x : k => v if v != null }` over an unknown `v`: the other
                // keys are still known; this one may or may not be there.
                Err((Value::Unknown(reason), Some(key))) if !for_expr.grouping => {
                    object.insert(key, Value::Unknown(reason));
                }
                Err((unknown, _)) => return unknown,
            }
        }
        if for_expr.key_expr.is_some() {
            Value::Object(object)
        } else {
            Value::List(list)
        }
    }

    /// The `(key, value)` pairs a `for` expression goes over.
    fn for_collection(
        &self,
        for_expr: &ForExpr,
        via: &mut Option<Span>,
    ) -> Result<Vec<(Value, Value)>, Value> {
        match self
            .eval_inner(&for_expr.intro.collection_expr, via)
            .into_entries()
        {
            Ok(pairs) => Ok(pairs),
            Err(Value::Null) => Err(Value::Error("a `for` expression over null".into())),
            Err(unknown @ (Value::Unknown(_) | Value::Error(_))) => Err(unknown),
            Err(other) => Err(Value::Error(format!(
                "a `for` expression over {}",
                other.shown()
            ))),
        }
    }

    /// One element of a `for` expression, its names bound: `None` when its condition drops
    /// it, else its key (object `for`) and value; an error or unknown condition, with the
    /// element's key when that is known.
    fn for_element(
        &self,
        for_expr: &ForExpr,
        key: Value,
        value: Value,
        via: &mut Option<Span>,
    ) -> ForElement {
        let intro = &for_expr.intro;
        let mut bindings = vec![(intro.value_var.as_str().to_string(), value)];
        if let Some(key_var) = &intro.key_var {
            bindings.push((key_var.as_str().to_string(), key));
        }
        let depth = self.bindings.borrow().len();
        self.bindings.borrow_mut().extend(bindings);
        let result = (|| {
            if let Some(cond) = &for_expr.cond {
                match self.eval_inner(&cond.expr, via) {
                    Value::Bool(true) => {}
                    Value::Bool(false) => return Ok(None),
                    Value::Unknown(reason) => {
                        let key = for_expr.key_expr.as_ref().map(|k| self.eval_inner(k, via));
                        let key = key.and_then(|k| k.to_template_string().ok());
                        return Err((Value::Unknown(reason), key));
                    }
                    error @ Value::Error(_) => return Err((error, None)),
                    other => {
                        let error =
                            Value::Error(format!("a `for` condition that is {}", other.shown()));
                        return Err((error, None));
                    }
                }
            }
            let value = self.eval_raw(&for_expr.value_expr, via);
            let key = for_expr.key_expr.as_ref().map(|k| self.eval_inner(k, via));
            Ok(Some((key, value)))
        })();
        self.bindings.borrow_mut().truncate(depth);
        result
    }

    /// The values of an object `for` (`{ for ds in var.settings : ds.name => ds }`) whose keys
    /// are not all known, with the reason of the first one that is not: Terraform fails on a
    /// duplicate key, so it holds one entry per element kept. `None` when it is not such a
    /// `for`, or when anything but a key is not known.
    pub fn for_values_of_unknown_keys(&self, expr: &Expression) -> Option<(String, Vec<Value>)> {
        let Expression::ForExpr(for_expr) = expr else {
            return None;
        };
        if for_expr.key_expr.is_none() || for_expr.grouping {
            return None;
        }
        let via = &mut None;
        let mut values = Vec::new();
        let mut unknown_key = None;
        let mut scale = Scale::default();
        for (key, value) in self.for_collection(for_expr, via).ok()? {
            let (key, value) = match self.for_element(for_expr, key, value, via) {
                Ok(Some((Some(key), value))) => (key, value),
                Ok(_) => continue,
                Err(_) => return None,
            };
            if let Err(reason) = key.to_template_string() {
                unknown_key.get_or_insert(reason);
            }
            if !scale.holds(&value) {
                return None;
            }
            values.push(value);
        }
        unknown_key.map(|reason| (reason, values))
    }

    fn call(&self, call: &FuncCall, via: &mut Option<Span>) -> Value {
        let name = call.name.name.as_str();
        let args: Vec<&Expression> = call.args.iter().collect();
        if call.args.expand_final() {
            return self.call_expanded(name, &args, via);
        }
        match name {
            // Lazy: `try` returns its first argument that evaluates without an error; an
            // unknown argument makes the result unknown (it might or might not fail).
            // What is known of the first argument that evaluates passes through: a name known
            // to be non-empty stays so.
            "try" => {
                for arg in &args {
                    match self.eval_raw(arg, via) {
                        Value::Error(_) => continue,
                        other => return other,
                    }
                }
                Value::Error("no argument of `try()` succeeded".into())
            }
            "can" => match args.first().map(|arg| self.eval_inner(arg, via)) {
                Some(Value::Error(_)) => Value::Bool(false),
                Some(unknown @ Value::Unknown(_)) => unknown,
                Some(_) => Value::Bool(true),
                None => Value::Error("`can()` needs an argument".into()),
            },
            // The first argument that is neither null nor an empty string, whatever the later
            // ones are; a non-empty string known in part counts.
            "coalesce" => {
                for (i, arg) in args.iter().enumerate() {
                    match self.eval_raw(arg, via) {
                        Value::Null => continue,
                        Value::String(s) if s.is_empty() => continue,
                        partial @ Value::Partial(_) if partial.is_non_empty_string() => {
                            return partial;
                        }
                        unknown @ (Value::Partial(_)
                        | Value::Unknown(_)
                        | Value::Error(_)
                        | Value::ResourceAttr { .. }) => {
                            let unknown = functions::call(name, vec![unknown.demote()]);
                            // It is returned only when it is a non-empty string itself;
                            // otherwise a later non-empty string is.
                            let fallback = args[i + 1..]
                                .iter()
                                .any(|arg| self.eval_raw(arg, &mut None).is_non_empty_string());
                            return match unknown {
                                Value::Unknown(reason) if fallback => {
                                    Value::partial(reason, crate::frontend::value::Known::NonEmpty)
                                }
                                other => other,
                            };
                        }
                        known => return known,
                    }
                }
                functions::call(name, Vec::new())
            }
            _ => {
                let values: Vec<Value> = args.iter().map(|arg| self.eval_raw(arg, via)).collect();
                functions::call(name, values)
            }
        }
    }

    /// `f(a, list...)`: the final argument's elements are the last arguments, for every
    /// function alike (`merge([for ...]...)`); a final value that is not known makes the
    /// number of arguments, and so the result, unknown.
    fn call_expanded(&self, name: &str, args: &[&Expression], via: &mut Option<Span>) -> Value {
        let mut values: Vec<Value> = args.iter().map(|arg| self.eval_raw(arg, via)).collect();
        match values.pop() {
            Some(Value::List(last)) => values.extend(last),
            Some(error @ Value::Error(_)) => return error,
            Some(Value::Null)
            | Some(Value::Bool(_))
            | Some(Value::Number(_))
            | Some(Value::String(_))
            | Some(Value::Object(_)) => {
                return Value::Error(format!("`{name}(...)` expands a value that is not a list"));
            }
            Some(unknown) => {
                let reason = match unknown.demote() {
                    Value::Unknown(reason) => reason,
                    _ => format!("expands `{name}`'s last argument, whose value is not known here"),
                };
                return Value::Unknown(reason);
            }
            None => {}
        }
        functions::call(name, values)
    }

    fn eval_traversal(
        &self,
        traversal: &hcl_edit::expr::Traversal,
        via: &mut Option<Span>,
    ) -> Value {
        let Expression::Variable(root) = &traversal.expr else {
            let base = self.eval_inner(&traversal.expr, via);
            return self.apply_operators(base, &traversal.operators, via);
        };
        let root = root.as_str();
        let ops = &traversal.operators;
        if let Some(bound) = self.binding(root) {
            return self.apply_operators(bound, ops, via);
        }
        let attr_name = |i: usize| match ops.get(i).map(|op| op.value()) {
            Some(TraversalOperator::GetAttr(ident)) => Some(ident.as_str()),
            _ => None,
        };
        let path = |n: usize| {
            let mut text = root.to_string();
            for name in (0..n).map_while(attr_name) {
                text.push('.');
                text.push_str(name);
            }
            text
        };
        match root {
            "var" => match attr_name(0) {
                Some(name) => {
                    let value =
                        self.memoized(&format!("var.{name}"), via, |via| self.variable(name, via));
                    self.apply_operators(value, &ops[1..], via)
                }
                None => Value::Unknown("refers to `var` as a whole, which is not evaluated".into()),
            },
            "local" => match attr_name(0) {
                Some(name) => {
                    let value =
                        self.memoized(&format!("local.{name}"), via, |via| self.local(name, via));
                    self.apply_operators(value, &ops[1..], via)
                }
                None => {
                    Value::Unknown("refers to `local` as a whole, which is not evaluated".into())
                }
            },
            "data" => match (attr_name(0), attr_name(1)) {
                (Some("azurerm_cognitive_account"), Some(name)) => {
                    self.account_data_source(name, attr_name(2), &path(2))
                }
                (Some("azurerm_monitor_diagnostic_categories"), Some(name)) => {
                    self.diagnostic_categories(name, attr_name(2), &path(2))
                }
                (Some(data_type @ ("azurerm_key_vault" | "azurerm_key_vault_key")), Some(name)) => {
                    self.key_vault_data_source(data_type, name, &ops[2..], &path(2))
                }
                _ => Value::Unknown(format!(
                    "depends on `{}`, which is only known when Terraform reads the data source",
                    path(2)
                )),
            },
            "module" => self.module_output(ops, via),
            "each" | "count" => Value::Unknown(format!(
                "depends on `{}`, which differs per instance and is not known here",
                path(1)
            )),
            "self" | "path" | "terraform" => {
                Value::Unknown(format!("depends on `{}`, which is not evaluated", path(1)))
            }
            resource_type => self.resource_reference(resource_type, ops, via),
        }
    }

    /// The value of a variable or local, computed once. A result cut short by the depth bound
    /// is not kept: it depends on where the evaluation started.
    fn memoized(
        &self,
        key: &str,
        via: &mut Option<Span>,
        compute: impl FnOnce(&mut Option<Span>) -> Value,
    ) -> Value {
        let key = (self.current.get(), key.to_string());
        if let Some((value, found_via, default)) = self.named.borrow().get(&key) {
            if via.is_none() {
                *via = found_via.clone();
            }
            if let Some(default) = default {
                self.caller_default
                    .borrow_mut()
                    .get_or_insert_with(|| default.clone());
            }
            return value.clone();
        }
        let mut own_via = None;
        let outer_default = self.caller_default.borrow_mut().take();
        let value = compute(&mut own_via);
        let own_default = self.caller_default.borrow().clone();
        *self.caller_default.borrow_mut() = outer_default.or_else(|| own_default.clone());
        let value = match value.is_cut_short() {
            true => value,
            false => {
                let value = self.named_weight.keep(value);
                let named = (value.clone(), own_via.clone(), own_default);
                self.named.borrow_mut().insert(key, named);
                value
            }
        };
        if via.is_none() {
            *via = own_via;
        }
        value
    }

    /// `var.name`: `--var`, then `.tfvars` (by Terraform's precedence), then the default; an
    /// object value gets the defaults of its `optional()` attributes.
    fn variable(&self, name: &str, via: &mut Option<Span>) -> Value {
        let Some(variable) = self.module().variable(name) else {
            return Value::Unknown(format!(
                "refers to `var.{name}`, which is not declared in this module"
            ));
        };
        let instance = &self.configuration.instances[self.current.get()];
        let argument = instance.caller.and_then(|caller| {
            let argument = caller.block.body.get_attribute(name)?;
            Some((caller.instance, caller.file, argument))
        });
        let value = if let Some((caller, file, argument)) = argument {
            let saved = self.current.replace(caller);
            // A `module` block with one instance binds its `each` / `count` for its arguments.
            let bindings = instance
                .caller
                .map(|call| single_instance(self, &call.block.body))
                .unwrap_or_default();
            let name = format!("var.{name}");
            let value = self.follow_with(file, argument, &name, via, bindings);
            self.current.set(saved);
            value
        } else {
            match self.module().value(name) {
                Some(SetValue::Cli(text)) => Value::String(text),
                Some(SetValue::Vars(file, attribute)) => {
                    self.follow(file, attribute, &format!("var.{name}"), via)
                }
                None => match variable.default {
                    // A directory nobody calls is deployed with its defaults, as a reader
                    // assumes; the value says a caller could set another.
                    Some(default) if !self.module().is_root() => {
                        self.caller_default
                            .borrow_mut()
                            .get_or_insert_with(|| format!("var.{name}"));
                        self.follow(variable.file, default, &format!("var.{name}"), via)
                    }
                    Some(default) => {
                        self.follow(variable.file, default, &format!("var.{name}"), via)
                    }
                    None if instance.caller.is_some() => {
                        return Value::Unknown(format!(
                            "depends on `var.{name}`, which has no default value and is not passed by the `module` block"
                        ));
                    }
                    None => {
                        return Value::Unknown(match self.module().unloaded_value_file(name) {
                            Some(file) => format!(
                                "depends on `var.{name}`, which has no default value: `{file}` sets it, but Terraform reads that file only when asked (pass --var-file {file})"
                            ),
                            None => format!(
                                "depends on `var.{name}`, which has no default value (set it with --var {name}=..., --var-file or a terraform.tfvars)"
                            ),
                        });
                    }
                },
            }
        };
        match variable.type_expr {
            Some(type_expr) => self.with_optional_defaults(value, type_expr),
            None => value,
        }
    }

    fn local(&self, name: &str, via: &mut Option<Span>) -> Value {
        match self.module().local(name) {
            Some((file, attribute)) => self.follow(file, attribute, &format!("local.{name}"), via),
            None => Value::Unknown(format!(
                "refers to `local.{name}`, which is not declared in this module"
            )),
        }
    }

    /// The value of an attribute reached through a name, remembering where it is written. The
    /// depth bound also stops cycles (`local.a = local.b`, `local.b = local.a`).
    fn follow(
        &self,
        file: FileId,
        attribute: &hcl_edit::structure::Attribute,
        name: &str,
        via: &mut Option<Span>,
    ) -> Value {
        self.follow_with(file, attribute, name, via, Vec::new())
    }

    /// [`Evaluator::follow`] with `bindings` as the only names bound in the referenced value.
    fn follow_with(
        &self,
        file: FileId,
        attribute: &hcl_edit::structure::Attribute,
        name: &str,
        via: &mut Option<Span>,
        bindings: Vec<(String, Value)>,
    ) -> Value {
        if self.depth.get() >= MAX_DEPTH {
            return Value::Unknown(format!(
                "depends on `{name}` through a reference chain that is {TOO_DEEP}"
            ));
        }
        // Names inside the referenced value are not the `for` variables of this expression.
        let saved = std::mem::replace(&mut *self.bindings.borrow_mut(), bindings);
        self.depth.set(self.depth.get() + 1);
        let mut origin = None;
        let value = self.eval_raw(&attribute.value, &mut origin);
        self.depth.set(self.depth.get() - 1);
        *self.bindings.borrow_mut() = saved;
        if via.is_none() {
            // A chain that ends in a `.tfvars` value is reported there: that is where it is
            // fixed. Otherwise the value comes from the first place the chain leads to.
            let in_value_file = |span: &Span| self.module().is_value_file(span.file);
            *via = origin
                .filter(in_value_file)
                .or_else(|| attribute.span().map(|range| Span::new(file, range)));
        }
        value
    }

    /// [`Evaluator::follow`] in another module instance (a caller's argument, a child's output).
    fn follow_in(
        &self,
        instance: usize,
        file: FileId,
        attribute: &hcl_edit::structure::Attribute,
        name: &str,
        via: &mut Option<Span>,
    ) -> Value {
        let saved = self.current.replace(instance);
        let value = self.follow(file, attribute, name, via);
        self.current.set(saved);
        value
    }

    /// `module.<name>.<output>`: the output's value in a followed module; unknown, saying why,
    /// for a module that is not followed.
    fn module_output(
        &self,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        via: &mut Option<Span>,
    ) -> Value {
        let Some(TraversalOperator::GetAttr(name)) = ops.first().map(|op| op.value()) else {
            return Value::Unknown("refers to `module` as a whole, which is not evaluated".into());
        };
        let name = name.as_str();
        // Instance keys of a module with `count`/`for_each`: every instance has the same outputs
        // as far as a static reading goes.
        let next = 1 + ops[1..]
            .iter()
            .take_while(|op| !matches!(op.value(), TraversalOperator::GetAttr(_)))
            .count();
        let output = match ops.get(next).map(|op| op.value()) {
            Some(TraversalOperator::GetAttr(output)) => output.as_str(),
            _ => {
                return Value::Unknown(format!(
                    "refers to `module.{name}` as a whole, which is not evaluated"
                ));
            }
        };
        match self.configuration.child(self.current.get(), name) {
            Some(Child::Local(child)) => {
                let Some((file, attribute)) =
                    self.configuration.instances[*child].index.output(output)
                else {
                    return Value::Error(format!("`module.{name}` has no output `{output}`"));
                };
                let value = self.follow_in(
                    *child,
                    file,
                    attribute,
                    &format!("module.{name}.{output}"),
                    via,
                );
                self.apply_operators(value, &ops[next + 1..], via)
            }
            Some(Child::Registry(mapping)) if mapping.id_outputs().iter().any(|o| o == output) => {
                let prefix = &self.configuration.instances[self.current.get()].prefix;
                Value::ResourceAttr {
                    key: format!("{prefix}module.{name}"),
                    shown: format!("module.{name}"),
                    attr: "id".into(),
                }
            }
            Some(Child::Registry(_)) => Value::Unknown(format!(
                "depends on `module.{name}.{output}`, an output of a registry module, which is not evaluated"
            )),
            Some(Child::NotFollowed(reason)) => Value::Unknown(format!(
                "depends on `module.{name}.{output}`, an output of a module that is not followed: {reason}"
            )),
            None => Value::Unknown(format!(
                "refers to `module.{name}`, which is not declared in this module"
            )),
        }
    }

    /// Fills missing attributes of object values from `optional(type, default)` in the type.
    fn with_optional_defaults(&self, value: Value, type_expr: &Expression) -> Value {
        match (value, type_expr) {
            (Value::Object(mut map), Expression::FuncCall(call))
                if call.name.name.as_str() == "object" =>
            {
                let Some(Expression::Object(attributes)) = call.args.get(0) else {
                    return Value::Object(map);
                };
                for (key, attr_type) in attributes.iter() {
                    let key = match key {
                        hcl_edit::expr::ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        hcl_edit::expr::ObjectKey::Expression(expr) => match expr.as_str() {
                            Some(key) => key.to_string(),
                            None => continue,
                        },
                    };
                    let attr_type = attr_type.expr();
                    let (inner_type, default) = match attr_type {
                        Expression::FuncCall(optional)
                            if optional.name.name.as_str() == "optional" =>
                        {
                            (optional.args.get(0), optional.args.get(1))
                        }
                        other => (Some(other), None),
                    };
                    let current = map.remove(&key).filter(|v| *v != Value::Null);
                    let filled = match (current, default) {
                        (Some(v), _) => Some(v),
                        (None, Some(default)) => Some(self.eval_inner(default, &mut None)),
                        // An optional attribute without a default is null; a required one that is
                        // missing is a Terraform error, left for Terraform to report.
                        (None, None) => Some(Value::Null),
                    };
                    if let (Some(v), Some(inner_type)) = (filled, inner_type) {
                        map.insert(key, self.with_optional_defaults(v, inner_type));
                    }
                }
                Value::Object(map)
            }
            (Value::List(items), Expression::FuncCall(call))
                if matches!(call.name.name.as_str(), "list" | "set") && call.args.len() == 1 =>
            {
                let Some(element_type) = call.args.get(0) else {
                    return Value::List(items);
                };
                Value::List(
                    items
                        .into_iter()
                        .map(|item| self.with_optional_defaults(item, element_type))
                        .collect(),
                )
            }
            (Value::Object(map), Expression::FuncCall(call))
                if call.name.name.as_str() == "map" && call.args.len() == 1 =>
            {
                let Some(element_type) = call.args.get(0) else {
                    return Value::Object(map);
                };
                Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (k, self.with_optional_defaults(v, element_type)))
                        .collect(),
                )
            }
            (value, _) => value,
        }
    }

    /// `data.azurerm_monitor_diagnostic_categories.<name>.<attr>` of an account declared here:
    /// what Azure Monitor lists for every Azure OpenAI account, a fact a reader brings.
    fn diagnostic_categories(&self, name: &str, attr: Option<&str>, shown: &str) -> Value {
        use crate::frontend::azure;
        let unknown = || {
            Value::Unknown(format!(
                "depends on `{shown}`, which is only known when Terraform reads the data source"
            ))
        };
        let block = self
            .module()
            .data_block("azurerm_monitor_diagnostic_categories", name);
        let Some(resource_id) = block.and_then(|b| b.body.get_attribute("resource_id")) else {
            return unknown();
        };
        let of_account = match self.eval_raw(&resource_id.value, &mut None) {
            Value::ResourceAttr { shown, .. } => {
                let resource_type = shown.split('.').next().unwrap_or_default();
                terraform_account_type(resource_type)
            }
            _ => false,
        };
        let names: &[&str] = match attr {
            Some("log_category_types") => &azure::ACCOUNT_LOG_CATEGORIES,
            Some("log_category_groups") => &azure::ACCOUNT_LOG_CATEGORY_GROUPS,
            Some("metrics") => &azure::ACCOUNT_METRICS,
            _ => return unknown(),
        };
        match of_account {
            true => Value::List(names.iter().map(|n| Value::String(n.to_string())).collect()),
            false => unknown(),
        }
    }

    /// `data.azurerm_cognitive_account.<name>.<attr>`: the account the data source reads, by
    /// its name (a declared account of that name is that account; links find it); what it reads
    /// is only known when Terraform reads it.
    fn account_data_source(&self, name: &str, attr: Option<&str>, shown: &str) -> Value {
        let unknown = || {
            Value::Unknown(format!(
                "depends on `{shown}`, which is only known when Terraform reads the data source"
            ))
        };
        let Some(block) = self.module().data_block("azurerm_cognitive_account", name) else {
            return unknown();
        };
        let Some(account) = block.body.get_attribute("name") else {
            return unknown();
        };
        match self.eval_inner(&account.value, &mut None) {
            Value::String(account) => Value::ResourceAttr {
                key: crate::frontend::node::name_key(
                    crate::frontend::azure::ACCOUNT_TYPE,
                    &account,
                ),
                shown: shown.to_string(),
                attr: attr.unwrap_or_default().to_string(),
            },
            _ => unknown(),
        }
    }

    /// `data.azurerm_key_vault.<name>` whose name and group come from the id of a vault
    /// declared here (`split("/", azurerm_key_vault.this.id)[8]`) reads that vault back;
    /// `data.azurerm_key_vault_key.<name>` whose `key_vault_id` is such an id reads a key of
    /// that vault, so its id leads to the vault (AOAI014). Anything else is only known when
    /// Terraform reads the data source.
    fn key_vault_data_source(
        &self,
        data_type: &str,
        name: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        shown: &str,
    ) -> Value {
        let unknown = || {
            Value::Unknown(format!(
                "depends on `{shown}`, which is only known when Terraform reads the data source"
            ))
        };
        let Some(block) = self.module().data_block(data_type, name) else {
            return unknown();
        };
        let attr = ops.iter().find_map(|op| match op.value() {
            TraversalOperator::GetAttr(attr) => Some(attr.as_str()),
            _ => None,
        });
        let (arguments, attr_leads_to_vault): (&[&str], bool) = match data_type {
            "azurerm_key_vault" => (&["name", "resource_group_name"], attr.is_some()),
            _ => (
                &["key_vault_id"],
                attr.is_some_and(|attr| KEY_ID_ATTRIBUTES.contains(&attr)),
            ),
        };
        let mut vaults = arguments.iter().map(|argument| {
            let value = &block.body.get_attribute(argument)?.value;
            match self.resource_ids_within(value).as_slice() {
                [(key, resource_type)] if resource_type == "azurerm_key_vault" => Some(key.clone()),
                _ => None,
            }
        });
        let first = vaults.next().flatten();
        match (first, attr) {
            (Some(key), Some(attr))
                if attr_leads_to_vault && vaults.all(|v| v == Some(key.clone())) =>
            {
                Value::ResourceAttr {
                    key,
                    shown: shown.to_string(),
                    attr: attr.to_string(),
                }
            }
            _ => unknown(),
        }
    }

    /// The declared resources whose `id` an expression is built from, each with its type:
    /// what every reference in it evaluates to, when that is a resource's id.
    fn resource_ids_within(&self, expr: &Expression) -> Vec<(String, String)> {
        struct Ids<'e, 'm> {
            eval: &'e Evaluator<'m>,
            found: Vec<(String, String)>,
        }
        impl hcl_edit::visit::Visit for Ids<'_, '_> {
            fn visit_traversal(&mut self, traversal: &hcl_edit::expr::Traversal) {
                if !matches!(traversal.expr, Expression::Variable(_)) {
                    return hcl_edit::visit::visit_traversal(self, traversal);
                }
                if let Value::ResourceAttr { key, shown, attr } =
                    self.eval.eval_traversal(traversal, &mut None)
                    && attr == "id"
                    && !self.found.iter().any(|(found, _)| *found == key)
                {
                    let resource_type = shown.split('.').next().unwrap_or_default().to_string();
                    self.found.push((key, resource_type));
                }
            }
        }
        let mut ids = Ids {
            eval: self,
            found: Vec::new(),
        };
        hcl_edit::visit::Visit::visit_expr(&mut ids, expr);
        ids.found
    }

    /// `type.name.attr`: a literal argument of a resource of this module is its value; an
    /// attribute only known after apply keeps which resource it belongs to.
    fn resource_reference(
        &self,
        resource_type: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        via: &mut Option<Span>,
    ) -> Value {
        let Some(TraversalOperator::GetAttr(name)) = ops.first().map(|op| op.value()) else {
            return Value::Unknown(format!(
                "refers to `{resource_type}`, which is not evaluated"
            ));
        };
        let address = format!("{resource_type}.{}", name.as_str());
        let Some(resource) = self.module().resource(&address) else {
            return Value::Unknown(format!(
                "refers to `{address}`, which is not declared in this module"
            ));
        };
        let key = format!(
            "{}{address}",
            self.configuration.instances[self.current.get()].prefix
        );
        // Skip instance keys (`x[0]`, `x["k"]`, `x[*]`): every instance has the same literal
        // arguments, and links go to the resource as a whole.
        let next = 1 + ops[1..]
            .iter()
            .take_while(|op| !matches!(op.value(), TraversalOperator::GetAttr(_)))
            .count();
        let Some(TraversalOperator::GetAttr(attr)) = ops.get(next).map(|op| op.value()) else {
            return Value::ResourceAttr {
                key,
                shown: address,
                attr: String::new(),
            };
        };
        let attr = attr.as_str();
        let Some(argument) = resource.block.body.get_attribute(attr) else {
            let after_apply = Value::ResourceAttr {
                key,
                shown: address,
                attr: attr.to_string(),
            };
            return match self.random_result(resource_type, resource.block, attr, &ops[next + 1..]) {
                Some(known) => Value::partial(
                    crate::frontend::value::after_deployment(&after_apply),
                    known,
                ),
                None => after_apply,
            };
        };
        let value = self.follow(resource.file, argument, &format!("{address}.{attr}"), via);
        self.apply_operators(value, &ops[next + 1..], via)
    }

    /// What a reader knows of a result of the `random` provider, only known after apply: a
    /// generated string or number is never empty, and an element of a shuffle is one of its
    /// `input`.
    fn random_result(
        &self,
        resource_type: &str,
        block: &hcl_edit::structure::Block,
        attr: &str,
        rest: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Option<crate::frontend::value::Known> {
        use crate::frontend::value::Known;
        const GENERATED: [&str; 6] = [
            "random_string",
            "random_password",
            "random_pet",
            "random_id",
            "random_uuid",
            "random_integer",
        ];
        const OUTPUTS: [&str; 6] = ["result", "id", "hex", "b64_url", "b64_std", "dec"];
        if GENERATED.contains(&resource_type) && OUTPUTS.contains(&attr) && rest.is_empty() {
            return Some(Known::NonEmpty);
        }
        let element = matches!(
            rest.iter().map(|op| op.value()).collect::<Vec<_>>()[..],
            [TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)]
        );
        if resource_type != "random_shuffle" || attr != "result" || !element {
            return None;
        }
        let input = block.body.get_attribute("input")?;
        let Value::List(items) = self.eval_inner(&input.value, &mut None) else {
            return None;
        };
        let mut values: Vec<Value> = Vec::new();
        for item in items {
            if !matches!(item, Value::String(_)) {
                return None;
            }
            if !values.contains(&item) {
                values.push(item);
            }
        }
        (!values.is_empty()).then_some(Known::OneOf(values))
    }

    fn apply_operators(
        &self,
        mut value: Value,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        via: &mut Option<Span>,
    ) -> Value {
        for (i, op) in ops.iter().enumerate() {
            value = match (op.value(), value.demote()) {
                (_, unknown @ (Value::Unknown(_) | Value::Error(_))) => return unknown,
                (TraversalOperator::GetAttr(key), Value::Object(mut map)) => {
                    match map.remove(key.as_str()) {
                        Some(v) => v,
                        None => {
                            return Value::Error(format!(
                                "an object without attribute `{}`",
                                key.as_str()
                            ));
                        }
                    }
                }
                (TraversalOperator::Index(index), collection) => {
                    match (self.eval_inner(index, via), collection) {
                        (Value::Number(i), Value::List(items)) if i >= 0.0 => {
                            match items.into_iter().nth(i as usize) {
                                Some(item) => item,
                                None => return Value::Error(format!("an index {i} out of range")),
                            }
                        }
                        (Value::String(key), Value::Object(mut map)) => match map.remove(&key) {
                            Some(v) => v,
                            None => return Value::Error(format!("a map without key {key:?}")),
                        },
                        (unknown @ (Value::Unknown(_) | Value::Error(_)), _) => return unknown,
                        (index, collection) => {
                            return Value::Error(format!(
                                "{} indexed with {}",
                                collection.shown(),
                                index.shown()
                            ));
                        }
                    }
                }
                (TraversalOperator::LegacyIndex(i), Value::List(items)) => {
                    match items.into_iter().nth(*i.value() as usize) {
                        Some(item) => item,
                        None => return Value::Error("an index out of range".into()),
                    }
                }
                // `list[*].attr`: the rest applies to every element.
                (
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_),
                    Value::List(items),
                ) => {
                    let rest = &ops[i + 1..];
                    return Value::List(
                        items
                            .into_iter()
                            .map(|item| self.apply_operators(item, rest, via))
                            .collect(),
                    );
                }
                (
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_),
                    Value::Null,
                ) => return Value::List(Vec::new()),
                (TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_), single) => {
                    let rest = &ops[i + 1..];
                    return Value::List(vec![self.apply_operators(single, rest, via)]);
                }
                (_, attr @ Value::ResourceAttr { .. }) => {
                    return Value::Unknown(crate::frontend::value::after_deployment(&attr));
                }
                (_, other) => return Value::Error(format!("an attribute of {}", other.shown())),
            };
        }
        value
    }
}

/// A negated value rests on the negation of the default it read (`!var.disable_local_auth`).
fn negate_default(caller_default: &RefCell<Option<String>>) {
    if let Some(name) = caller_default.borrow_mut().as_mut() {
        *name = crate::model::negated(name);
    }
}

fn unary(op: UnaryOperator, operand: Value) -> Value {
    match (op, operand) {
        (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
        (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
        (_, unknown @ (Value::Unknown(_) | Value::Error(_))) => unknown,
        (op, value) => Value::Error(format!("`{}` applied to {}", op.as_str(), value.shown())),
    }
}

/// A branch's value, knowing the condition chose it: the `x` of `x != "" ? x : y` (or of
/// `x == "" ? y : x`) is not empty there, even when its text is not known.
fn non_empty_when(cond: &hcl_edit::expr::Conditional, is_then: bool, value: Value) -> Value {
    let Value::Unknown(reason) = value else {
        return value;
    };
    let branch = if is_then {
        &cond.true_expr
    } else {
        &cond.false_expr
    };
    let guarded = match &cond.cond_expr {
        Expression::BinaryOp(op) => {
            let empty = |e: &Expression| matches!(e, Expression::String(s) if s.value().is_empty());
            let tested = match (&op.lhs_expr, &op.rhs_expr) {
                (tested, other) | (other, tested) if empty(other) && !empty(tested) => Some(tested),
                _ => None,
            };
            let chooses_tested = match op.operator.value() {
                BinaryOperator::NotEq => is_then,
                BinaryOperator::Eq => !is_then,
                _ => false,
            };
            chooses_tested && tested.is_some_and(|tested| same_expression(tested, branch))
        }
        _ => false,
    };
    match guarded {
        true => Value::partial(reason, crate::frontend::value::Known::NonEmpty),
        false => Value::Unknown(reason),
    }
}

/// Whether two references are written the same (`var.x`, `each.value.name`), surrounding
/// whitespace aside.
fn same_expression(a: &Expression, b: &Expression) -> bool {
    let reference =
        |e: &Expression| matches!(e, Expression::Variable(_) | Expression::Traversal(_));
    reference(a) && reference(b) && a.to_string().trim() == b.to_string().trim()
}

fn binary(op: BinaryOperator, lhs: Value, rhs: Value) -> Value {
    use BinaryOperator::*;
    match (lhs, rhs) {
        (error @ Value::Error(_), _) | (_, error @ Value::Error(_)) => error,
        (Value::Unknown(reason), _) | (_, Value::Unknown(reason)) => Value::Unknown(reason),
        // An object or list is not null, whatever its attributes are; nor is a declared
        // resource's `id`, which every resource has once it exists.
        (Value::Null, Value::Object(_) | Value::List(_))
        | (Value::Object(_) | Value::List(_), Value::Null)
            if matches!(op, Eq | NotEq) =>
        {
            Value::Bool(op == NotEq)
        }
        (Value::Null, Value::ResourceAttr { attr, .. })
        | (Value::ResourceAttr { attr, .. }, Value::Null)
            if matches!(op, Eq | NotEq) && attr == "id" =>
        {
            Value::Bool(op == NotEq)
        }
        (lhs, rhs) if matches!(op, Eq | NotEq) && lhs.is_comparable() && rhs.is_comparable() => {
            Value::Bool((lhs == rhs) == (op == Eq))
        }
        (Value::Bool(a), Value::Bool(b)) if matches!(op, And | Or) => {
            Value::Bool(if op == And { a && b } else { a || b })
        }
        (Value::Number(a), Value::Number(b)) => match op {
            Plus => Value::Number(a + b),
            Minus => Value::Number(a - b),
            Mul => Value::Number(a * b),
            Div if b != 0.0 => Value::Number(a / b),
            Mod if b != 0.0 => Value::Number(a % b),
            Less => Value::Bool(a < b),
            LessEq => Value::Bool(a <= b),
            Greater => Value::Bool(a > b),
            GreaterEq => Value::Bool(a >= b),
            _ => Value::Error(format!("{a} {} {b}", op.as_str())),
        },
        (lhs, rhs) => Value::Unknown(format!(
            "computes {} {} {}, which is not evaluated",
            lhs.shown(),
            op.as_str(),
            rhs.shown()
        )),
    }
}

/// The `each` / `count` binding of a block with exactly one instance; none otherwise (one
/// instance of several is not known here).
fn single_instance(eval: &Evaluator<'_>, body: &hcl_edit::structure::Body) -> Vec<(String, Value)> {
    match count_or_for_each(eval, body) {
        Repetition::Instances(mut instances) if instances.len() == 1 => {
            vec![instances.remove(0).1]
        }
        _ => Vec::new(),
    }
}

/// What `count`/`for_each` of a block say about its instances.
/// One element of a `for` expression (see [`Evaluator::for_element`]).
type ForElement = Result<Option<(Option<Value>, Value)>, (Value, Option<String>)>;

pub enum Repetition {
    /// Neither is written.
    Once,
    Never,
    Unknown(String),
    /// The `[key]` suffix of each instance and the `count`/`each` it binds.
    Instances(Vec<(String, (String, Value))>),
}

pub fn count_or_for_each(eval: &Evaluator<'_>, body: &hcl_edit::structure::Body) -> Repetition {
    let (name, attribute) = match (body.get_attribute("count"), body.get_attribute("for_each")) {
        (Some(count), _) => ("count", count),
        (None, Some(for_each)) => ("for_each", for_each),
        (None, None) => return Repetition::Once,
    };
    let object = |pairs: [(&str, Value); 2]| {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    match (name, eval.eval(&attribute.value).value) {
        (_, Value::Null) => Repetition::Never,
        ("for_each", Value::Unknown(reason)) => unknown_keys(eval, &attribute.value)
            .unwrap_or_else(|| Repetition::Unknown(format!("`for_each` {reason}"))),
        (_, Value::Unknown(reason)) => Repetition::Unknown(format!("`{name}` {reason}")),
        ("count", Value::Number(n)) if n < 1.0 => Repetition::Never,
        ("count", Value::Number(n)) => Repetition::Instances(
            (0..n as usize)
                .map(|i| {
                    let index =
                        Value::Object([("index".to_string(), Value::Number(i as f64))].into());
                    (format!("[{i}]"), ("count".to_string(), index))
                })
                .collect(),
        ),
        ("for_each", Value::Object(map)) if map.is_empty() => Repetition::Never,
        ("for_each", Value::Object(map)) => Repetition::Instances(
            map.into_iter()
                .map(|(key, value)| {
                    let each = object([("key", Value::String(key.clone())), ("value", value)]);
                    (format!("[{key:?}]"), ("each".to_string(), each))
                })
                .collect(),
        ),
        ("for_each", Value::List(items)) if items.is_empty() => Repetition::Never,
        // A set of strings: each key is the string itself.
        ("for_each", Value::List(items)) => {
            let mut instances = Vec::new();
            for item in items {
                let Value::String(key) = &item else {
                    return Repetition::Unknown(format!(
                        "`for_each` is a list of {}, not a set of strings",
                        item.shown()
                    ));
                };
                let each = object([("key", item.clone()), ("value", item.clone())]);
                instances.push((format!("[{key:?}]"), ("each".to_string(), each)));
            }
            instances.sort_by(|a, b| a.0.cmp(&b.0));
            instances.dedup_by(|a, b| a.0 == b.0);
            Repetition::Instances(instances)
        }
        (_, other) => Repetition::Unknown(format!(
            "`{name}` is {}, which is not a valid {name}",
            other.shown()
        )),
    }
}

/// A `for_each` over an object `for` whose keys are not known but whose elements are: one
/// instance per element, its `each.key` not known (see [`Evaluator::for_values_of_unknown_keys`]).
fn unknown_keys(eval: &Evaluator<'_>, expr: &Expression) -> Option<Repetition> {
    let (reason, values) = eval.for_values_of_unknown_keys(expr)?;
    if values.is_empty() {
        return Some(Repetition::Never);
    }
    let instances = values.into_iter().enumerate().map(|(i, value)| {
        let key = Value::Unknown(reason.clone());
        let each = [("key".to_string(), key), ("value".to_string(), value)];
        let each = Value::Object(each.into_iter().collect());
        (
            format!("[(key not known, #{})]", i + 1),
            ("each".to_string(), each),
        )
    });
    Some(Repetition::Instances(instances.collect()))
}

/// The Terraform resource types that declare an Azure OpenAI or AI Services account.
fn terraform_account_type(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "azurerm_cognitive_account" | "azurerm_ai_services"
    )
}
