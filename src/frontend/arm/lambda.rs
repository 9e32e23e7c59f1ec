//! ARM's lambda functions: `map`, `filter`, `reduce`, `toObject` and `mapValues` with
//! `lambda('x', ...)` and `lambdaVariables('x')`, which every Bicep `map()`, `filter()` and
//! `reduce()` compiles to (the Azure Verified Modules build their identity objects this way).

use super::expr::{Expr, Names, eval, eval_partial};
use crate::frontend::value::Value;

/// `map`, `filter`, `reduce`, `toObject` and `mapValues` called with a lambda; `None` for any
/// other call, which is evaluated as usual.
pub fn call(name: &str, args: &[Expr], cx: &dyn Names, written: &str) -> Option<Value> {
    let lambda = |i: usize| args.get(i).and_then(Lambda::of);
    let value = match (name, args.len()) {
        ("map", 2) => map(&eval(&args[0], cx, written), &lambda(1)?, cx, written),
        ("filter", 2) => filter(&eval(&args[0], cx, written), &lambda(1)?, cx, written),
        ("reduce", 3) => {
            let initial = eval(&args[1], cx, written);
            reduce(
                &eval(&args[0], cx, written),
                initial,
                &lambda(2)?,
                cx,
                written,
            )
        }
        ("toobject", 2 | 3) => {
            let value = match args.get(2) {
                Some(_) => Some(lambda(2)?),
                None => None,
            };
            to_object(
                &eval(&args[0], cx, written),
                &lambda(1)?,
                value.as_ref(),
                cx,
                written,
            )
        }
        ("mapvalues", 2) => map_values(&eval(&args[0], cx, written), &lambda(1)?, cx, written),
        _ => return None,
    };
    Some(value)
}

/// `lambda('a', 'b', body)`: its parameters and body.
struct Lambda<'e> {
    params: Vec<&'e str>,
    body: &'e Expr,
}

impl<'e> Lambda<'e> {
    fn of(expr: &'e Expr) -> Option<Lambda<'e>> {
        let Expr::Call { name, args } = expr else {
            return None;
        };
        let (body, params) = args.split_last()?;
        let params = params
            .iter()
            .map(|param| match param {
                Expr::String(name) => Some(name.as_str()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        (name.eq_ignore_ascii_case("lambda") && !params.is_empty())
            .then_some(Lambda { params, body })
    }

    /// The body's value with the parameters bound to `values` (an index may go unbound). Once
    /// the template's lambdas have run their budget, the unknown the whole call is.
    fn apply(&self, values: Vec<Value>, cx: &dyn Names, written: &str) -> Result<Value, Value> {
        if !cx.spend_lambda() {
            return Err(Value::Unknown(format!(
                "applies more lambdas than are evaluated in one template, in `{written}`"
            )));
        }
        let bindings = self
            .params
            .iter()
            .map(|name| name.to_string())
            .zip(values)
            .collect();
        let scope = Bound {
            outer: cx,
            bindings,
        };
        Ok(eval_partial(self.body, &scope, written).demote())
    }
}

/// Names with a lambda's parameters bound, over the template's.
struct Bound<'c> {
    outer: &'c dyn Names,
    bindings: Vec<(String, Value)>,
}

impl Names for Bound<'_> {
    fn parameter(&self, name: &str) -> Value {
        self.outer.parameter(name)
    }
    fn variable(&self, name: &str) -> Value {
        self.outer.variable(name)
    }
    fn location(&self) -> Option<&str> {
        self.outer.location()
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Option<usize> {
        self.outer.copy_index(loop_name)
    }
    fn lambda_variable(&self, name: &str) -> Option<Value> {
        match self.bindings.iter().find(|(bound, _)| bound == name) {
            Some((_, value)) => Some(value.clone()),
            None => self.outer.lambda_variable(name),
        }
    }
    fn deployment_outputs(&self, name: &str) -> Option<Value> {
        self.outer.deployment_outputs(name)
    }
    fn spend_lambda(&self) -> bool {
        self.outer.spend_lambda()
    }
}

fn elements(collection: &Value, written: &str) -> Result<Vec<Value>, Value> {
    match collection {
        Value::List(items) => Ok(items.clone()),
        Value::Null => Ok(Vec::new()),
        Value::Unknown(reason) => Err(Value::Unknown(reason.clone())),
        other => Err(Value::Unknown(format!(
            "iterates over {}, which is not an array, in `{written}`",
            other.shown()
        ))),
    }
}

fn map(collection: &Value, lambda: &Lambda<'_>, cx: &dyn Names, written: &str) -> Value {
    let items = match elements(collection, written) {
        Ok(items) => items,
        Err(unknown) => return unknown,
    };
    let mapped = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| lambda.apply(vec![item, Value::Number(i as f64)], cx, written))
        .collect::<Result<Vec<_>, _>>();
    mapped.map_or_else(|unknown| unknown, Value::List)
}

fn filter(collection: &Value, lambda: &Lambda<'_>, cx: &dyn Names, written: &str) -> Value {
    let items = match elements(collection, written) {
        Ok(items) => items,
        Err(unknown) => return unknown,
    };
    let mut kept = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match lambda.apply(vec![item.clone(), Value::Number(i as f64)], cx, written) {
            Ok(Value::Bool(true)) => kept.push(item),
            Ok(Value::Bool(false)) => {}
            Ok(unknown @ Value::Unknown(_)) | Err(unknown) => return unknown,
            Ok(other) => {
                return Value::Unknown(format!(
                    "filters with a lambda that gives {}, not a bool, in `{written}`",
                    other.shown()
                ));
            }
        }
    }
    Value::List(kept)
}

fn reduce(
    collection: &Value,
    initial: Value,
    lambda: &Lambda<'_>,
    cx: &dyn Names,
    written: &str,
) -> Value {
    let items = match elements(collection, written) {
        Ok(items) => items,
        Err(unknown) => return unknown,
    };
    let reduced =
        items
            .into_iter()
            .enumerate()
            .try_fold(initial, |current, (i, next)| match current {
                unknown @ Value::Unknown(_) => Err(unknown),
                current => lambda.apply(vec![current, next, Value::Number(i as f64)], cx, written),
            });
    reduced.unwrap_or_else(|unknown| unknown)
}

fn to_object(
    collection: &Value,
    key: &Lambda<'_>,
    value: Option<&Lambda<'_>>,
    cx: &dyn Names,
    written: &str,
) -> Value {
    let items = match elements(collection, written) {
        Ok(items) => items,
        Err(unknown) => return unknown,
    };
    let mut object = std::collections::BTreeMap::new();
    for item in items {
        let name = match key.apply(vec![item.clone()], cx, written) {
            Ok(Value::String(name)) => name,
            Err(unknown) => return unknown,
            Ok(_) => {
                return Value::Unknown(format!(
                    "builds an object key that is not known in `{written}`"
                ));
            }
        };
        let entry = match value.map(|value| value.apply(vec![item.clone()], cx, written)) {
            Some(Ok(entry)) => entry,
            Some(Err(unknown)) => return unknown,
            None => item,
        };
        if let unknown @ Value::Unknown(_) = entry {
            return unknown;
        }
        object.insert(name, entry);
    }
    Value::Object(object)
}

fn map_values(object: &Value, lambda: &Lambda<'_>, cx: &dyn Names, written: &str) -> Value {
    match object {
        Value::Object(map) => {
            let mapped = map
                .iter()
                .map(|(key, value)| {
                    Ok((key.clone(), lambda.apply(vec![value.clone()], cx, written)?))
                })
                .collect::<Result<_, Value>>();
            mapped.map_or_else(|unknown| unknown, Value::Object)
        }
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        other => Value::Unknown(format!(
            "maps the values of {}, which is not an object, in `{written}`",
            other.shown()
        )),
    }
}
