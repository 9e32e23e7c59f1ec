//! Static evaluation of Terraform expressions, with unknowns that say why.
//!
//! No crate does this part: hcl-rs' evaluator stops at the first undefined variable, while a
//! linter must keep going and report *what* a value depends on. Evaluation here is deliberately
//! partial: literals, templates, operators, conditionals, and references to literal arguments of
//! other resources in the same module. Everything else becomes [`Value::Unknown`] with a reason.

use std::cell::Cell;
use std::collections::BTreeMap;

pub use crate::frontend::value::Value;

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Element, Template};

use super::module::ModuleIndex;
use crate::source::Span;

/// How many references deep one evaluation may go; reference cycles stop here too.
const MAX_DEPTH: usize = 32;

/// A value and, when it was read through a reference, where the referenced argument is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub value: Value,
    pub via: Option<Span>,
}

pub struct Evaluator<'m> {
    module: &'m ModuleIndex<'m>,
    depth: Cell<usize>,
}

impl<'m> Evaluator<'m> {
    pub fn new(module: &'m ModuleIndex<'m>) -> Self {
        Evaluator {
            module,
            depth: Cell::new(0),
        }
    }

    pub fn eval(&self, expr: &Expression) -> Evaluated {
        let mut via = None;
        let value = self.eval_inner(expr, &mut via);
        Evaluated { value, via }
    }

    fn eval_inner(&self, expr: &Expression, via: &mut Option<Span>) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n.value().as_f64().map_or_else(
                || Value::Unknown("is a number out of range".into()),
                Value::Number,
            ),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(array) => Value::List(
                array
                    .iter()
                    .map(|item| self.eval_inner(item, via))
                    .collect(),
            ),
            Expression::Object(object) => {
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
                    map.insert(key, self.eval_inner(value.expr(), via));
                }
                Value::Object(map)
            }
            Expression::StringTemplate(template) => self.eval_template(template, via),
            Expression::HeredocTemplate(heredoc) => self.eval_template(&heredoc.template, via),
            Expression::Parenthesis(inner) => self.eval_inner(inner.inner(), via),
            Expression::Variable(ident) => Value::Unknown(format!(
                "refers to `{}`, which is not evaluated",
                ident.as_str()
            )),
            Expression::Conditional(cond) => match self.eval_inner(&cond.cond_expr, via) {
                Value::Bool(true) => self.eval_inner(&cond.true_expr, via),
                Value::Bool(false) => self.eval_inner(&cond.false_expr, via),
                Value::Unknown(reason) => Value::Unknown(reason),
                other => Value::Unknown(format!("has a condition that is {}", other.shown())),
            },
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                Value::Unknown(format!("calls `{name}()`, which is not evaluated"))
            }
            Expression::Traversal(traversal) => self.eval_traversal(traversal, via),
            Expression::UnaryOp(op) => {
                match (op.operator.value(), self.eval_inner(&op.expr, via)) {
                    (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    (_, Value::Unknown(reason)) => Value::Unknown(reason),
                    (op, value) => {
                        Value::Unknown(format!("applies `{}` to {}", op.as_str(), value.shown()))
                    }
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval_inner(&op.lhs_expr, via);
                // `&&` and `||` decide on one side alone when it is known.
                match (op.operator.value(), &lhs) {
                    (BinaryOperator::And, Value::Bool(false)) => return Value::Bool(false),
                    (BinaryOperator::Or, Value::Bool(true)) => return Value::Bool(true),
                    _ => {}
                }
                let rhs = self.eval_inner(&op.rhs_expr, via);
                binary(*op.operator.value(), lhs, rhs)
            }
            Expression::ForExpr(_) => {
                Value::Unknown("uses a `for` expression, which is not evaluated".into())
            }
        }
    }

    fn eval_template(&self, template: &Template, via: &mut Option<Span>) -> Value {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interp) => {
                    match self.eval_inner(&interp.expr, via).to_template_string() {
                        Ok(text) => out.push_str(&text),
                        Err(reason) => return Value::Unknown(reason),
                    }
                }
                Element::Directive(_) => {
                    return Value::Unknown(
                        "uses a template directive, which is not evaluated".into(),
                    );
                }
            }
        }
        Value::String(out)
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
        let attr_name = |i: usize| match ops.get(i).map(|op| op.value()) {
            Some(TraversalOperator::GetAttr(ident)) => Some(ident.as_str()),
            _ => None,
        };
        let path = |n: usize| {
            let mut text = root.to_string();
            for i in 0..n {
                match attr_name(i) {
                    Some(name) => {
                        text.push('.');
                        text.push_str(name);
                    }
                    None => break,
                }
            }
            text
        };
        match root {
            "var" => Value::Unknown(format!(
                "depends on `{}` (variable values are not evaluated yet)",
                path(1)
            )),
            "local" => Value::Unknown(format!(
                "depends on `{}` (locals are not evaluated yet)",
                path(1)
            )),
            "data" => Value::Unknown(format!(
                "depends on `{}`, which is only known when Terraform reads the data source",
                path(2)
            )),
            "module" => Value::Unknown(format!(
                "depends on `{}` (module outputs are not evaluated yet)",
                path(2)
            )),
            "each" | "count" | "self" | "path" | "terraform" => Value::Unknown(format!(
                "depends on `{}`, which is not evaluated yet",
                path(1)
            )),
            resource_type => {
                let Some(name) = attr_name(0) else {
                    return Value::Unknown(format!(
                        "refers to `{resource_type}`, which is not evaluated"
                    ));
                };
                let address = format!("{resource_type}.{name}");
                let Some(resource) = self.module.resource(&address) else {
                    return Value::Unknown(format!(
                        "refers to `{address}`, which is not declared in this module"
                    ));
                };
                // Skip instance keys (`x[0]`, `x["k"]`, `x[*]`): every instance has the same
                // literal arguments, and links go to the resource as a whole.
                let mut next = 1;
                while let Some(op) = ops.get(next) {
                    match op.value() {
                        TraversalOperator::GetAttr(_) => break,
                        _ => next += 1,
                    }
                }
                let Some(attr) = attr_name(next) else {
                    return Value::ResourceAttr {
                        key: address.clone(),
                        shown: address,
                        attr: String::new(),
                    };
                };
                let Some(argument) = resource.block.body.get_attribute(attr) else {
                    return Value::ResourceAttr {
                        key: address.clone(),
                        shown: address,
                        attr: attr.to_string(),
                    };
                };
                if self.depth.get() >= MAX_DEPTH {
                    return Value::Unknown(format!(
                        "depends on `{address}.{attr}` through a reference chain that is too deep or circular"
                    ));
                }
                self.depth.set(self.depth.get() + 1);
                let value = self.eval_inner(&argument.value, &mut None);
                self.depth.set(self.depth.get() - 1);
                if via.is_none() {
                    *via = argument.span().map(|range| Span::new(resource.file, range));
                }
                self.apply_operators(value, &ops[next + 1..], via)
            }
        }
    }

    fn apply_operators(
        &self,
        mut value: Value,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        via: &mut Option<Span>,
    ) -> Value {
        for op in ops {
            value = match (op.value(), value) {
                (_, Value::Unknown(reason)) => return Value::Unknown(reason),
                (TraversalOperator::GetAttr(key), Value::Object(mut map)) => {
                    map.remove(key.as_str()).unwrap_or(Value::Null)
                }
                (TraversalOperator::Index(index), collection) => {
                    match (self.eval_inner(index, via), collection) {
                        (Value::Number(i), Value::List(mut items))
                            if i >= 0.0 && (i as usize) < items.len() =>
                        {
                            items.swap_remove(i as usize)
                        }
                        (Value::String(key), Value::Object(mut map)) => {
                            map.remove(&key).unwrap_or(Value::Null)
                        }
                        (Value::Unknown(reason), _) => return Value::Unknown(reason),
                        (index, collection) => {
                            return Value::Unknown(format!(
                                "indexes {} with {}, which is not evaluated",
                                collection.shown(),
                                index.shown()
                            ));
                        }
                    }
                }
                (TraversalOperator::LegacyIndex(i), Value::List(mut items))
                    if (*i.value() as usize) < items.len() =>
                {
                    items.swap_remove(*i.value() as usize)
                }
                (_, other) => {
                    return Value::Unknown(format!(
                        "reads into {}, which is not evaluated",
                        other.shown()
                    ));
                }
            };
        }
        value
    }
}

fn binary(op: BinaryOperator, lhs: Value, rhs: Value) -> Value {
    use BinaryOperator::*;
    match (lhs, rhs) {
        (Value::Unknown(reason), _) | (_, Value::Unknown(reason)) => Value::Unknown(reason),
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
            _ => Value::Unknown(format!(
                "computes {a} {} {b}, which is not defined",
                op.as_str()
            )),
        },
        (lhs, rhs) => Value::Unknown(format!(
            "computes {} {} {}, which is not evaluated",
            lhs.shown(),
            op.as_str(),
            rhs.shown()
        )),
    }
}
