//! ARM template expressions: `"[concat(parameters('name'), '-pe')]"`, parsed and evaluated.
//! Functions outside the evaluated set make the value unknown, with the expression as written.

use crate::frontend::value::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    String(String),
    Number(f64),
    Call { name: String, args: Vec<Expr> },
    Member { base: Box<Expr>, name: String },
    Index { base: Box<Expr>, index: Box<Expr> },
}

/// The expression inside `[...]`, or `None` for a plain string (`[[` escapes a literal `[`).
pub fn expression_text(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    if trimmed.starts_with("[[") {
        return None;
    }
    trimmed.strip_prefix('[')?.strip_suffix(']')
}

/// Parses an expression; `None` when it is malformed (it is then reported as unknown).
pub fn parse(text: &str) -> Option<Expr> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    parser.skip_spaces();
    (parser.pos == text.len()).then_some(expr)
}

struct Parser<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn skip_spaces(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_spaces();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.skip_spaces();
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.text[start..self.pos].to_string())
    }

    fn expr(&mut self) -> Option<Expr> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let mut expr = self.primary()?;
        loop {
            if self.eat(b'.') {
                expr = Expr::Member {
                    base: Box::new(expr),
                    name: self.ident()?,
                };
            } else if self.eat(b'[') {
                let index = self.expr()?;
                if !self.eat(b']') {
                    return None;
                }
                expr = Expr::Index {
                    base: Box::new(expr),
                    index: Box::new(index),
                };
            } else {
                self.depth -= 1;
                return Some(expr);
            }
        }
    }

    fn primary(&mut self) -> Option<Expr> {
        self.skip_spaces();
        match self.bytes.get(self.pos)? {
            b'\'' => {
                self.pos += 1;
                let mut text = String::new();
                loop {
                    let rest = &self.text[self.pos..];
                    let quote = rest.find('\'')?;
                    text.push_str(&rest[..quote]);
                    self.pos += quote + 1;
                    // `''` is an escaped quote.
                    if self.bytes.get(self.pos) == Some(&b'\'') {
                        text.push('\'');
                        self.pos += 1;
                    } else {
                        return Some(Expr::String(text));
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.pos += 1;
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
                {
                    self.pos += 1;
                }
                self.text[start..self.pos].parse().ok().map(Expr::Number)
            }
            _ => {
                let mut name = self.ident()?;
                // User-defined functions are namespaced: `ns.func()`.
                while self.bytes.get(self.pos) == Some(&b'.') {
                    let saved = self.pos;
                    self.pos += 1;
                    match self.ident() {
                        Some(part) if self.bytes.get(self.pos) == Some(&b'(') => {
                            name = format!("{name}.{part}")
                        }
                        _ => {
                            self.pos = saved;
                            break;
                        }
                    }
                }
                if !self.eat(b'(') {
                    return None;
                }
                let mut args = Vec::new();
                if !self.eat(b')') {
                    loop {
                        args.push(self.expr()?);
                        if self.eat(b')') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Expr::Call { name, args })
            }
        }
    }
}

/// `if(c, createObject('value', a), createObject('value', b))` as `if(c, a, b)`: the value of a
/// parameter object chosen by a condition.
pub fn value_of_parameter_object(expr: &Expr) -> Option<Expr> {
    let Expr::Call { name, args } = expr else {
        return None;
    };
    let value = |e: &Expr| match e {
        Expr::Call { name, args } if name.eq_ignore_ascii_case("createObject") => {
            match args.as_slice() {
                [Expr::String(key), value] if key == "value" => Some(value.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    match args.as_slice() {
        [cond, then, otherwise] if name.eq_ignore_ascii_case("if") => Some(Expr::Call {
            name: name.clone(),
            args: vec![cond.clone(), value(then)?, value(otherwise)?],
        }),
        _ => None,
    }
}

/// What an expression's names refer to.
pub trait Names {
    fn parameter(&self, name: &str) -> Value;
    fn variable(&self, name: &str) -> Value;
    /// The index of the copy loop being expanded: the innermost, or the one named.
    fn copy_index(&self, loop_name: Option<&str>) -> Option<usize>;
    /// A parameter of the lambda being applied (`lambdaVariables('x')`); a template's own
    /// names hold none.
    fn lambda_variable(&self, _name: &str) -> Option<Value> {
        None
    }
    /// Counts one application of a lambda; false once the template has used its budget (a
    /// lambda within a lambda over long arrays would otherwise run for hours).
    fn spend_lambda(&self) -> bool {
        true
    }
    /// `reference()` of a nested deployment of the template: its outputs, each with its
    /// `value`, when its template is inline.
    fn deployment_outputs(&self, _name: &str) -> Option<Value> {
        None
    }
    /// `--location`, when given.
    fn location(&self) -> Option<&str>;
}

/// An expression's value for an operation that does not keep partial knowledge.
pub fn eval(expr: &Expr, cx: &dyn Names, written: &str) -> Value {
    eval_partial(expr, cx, written).demote()
}

/// An expression's value, partial knowledge kept (see [`Value::Partial`]): `if()`, names,
/// generated names, `format()`, `concat()` and the case functions pass it on.
pub fn eval_partial(expr: &Expr, cx: &dyn Names, written: &str) -> Value {
    match expr {
        Expr::String(s) => Value::String(s.clone()),
        Expr::Number(n) => Value::Number(*n),
        Expr::Member { base, name } => match eval(base, cx, written) {
            Value::Object(map) => map
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map_or_else(
                    || Value::Unknown(format!("reads `{name}`, which is not set, in `{written}`")),
                    |(_, v)| v,
                ),
            Value::Unknown(reason) => Value::Unknown(reason),
            Value::ResourceAttr { key, shown, attr } => Value::ResourceAttr {
                key,
                shown,
                attr: if attr.is_empty() {
                    name.clone()
                } else {
                    format!("{attr}.{name}")
                },
            },
            other => Value::Unknown(format!(
                "reads `{name}` of {} in `{written}`",
                other.shown()
            )),
        },
        Expr::Index { base, index } => match (eval(base, cx, written), eval(index, cx, written)) {
            (Value::Unknown(reason), _) | (_, Value::Unknown(reason)) => Value::Unknown(reason),
            (Value::List(items), Value::Number(i)) if i >= 0.0 => items
                .into_iter()
                .nth(i as usize)
                .unwrap_or_else(|| Value::Unknown(format!("indexes past the end in `{written}`"))),
            (Value::Object(mut map), Value::String(key)) => map.remove(&key).unwrap_or_else(|| {
                Value::Unknown(format!("reads `{key}`, which is not set, in `{written}`"))
            }),
            _ => Value::Unknown(format!(
                "indexes a value that is not a collection in `{written}`"
            )),
        },
        Expr::Call { name, args } => call(name, args, cx, written),
    }
}

/// ARM function names are case-insensitive; messages keep them as written.
fn call(written_name: &str, args: &[Expr], cx: &dyn Names, written: &str) -> Value {
    let name = written_name.to_ascii_lowercase();
    let name = name.as_str();
    // Lazy: only the chosen branch of `if` is evaluated.
    if name == "if" && args.len() == 3 {
        return match eval(&args[0], cx, written) {
            Value::Bool(true) => eval_partial(&args[1], cx, written),
            Value::Bool(false) => eval_partial(&args[2], cx, written),
            // A reader knows the result is one of the branches, and that `x` is not empty in
            // `if(not(empty(x)), x, ...)`.
            Value::Unknown(reason) => {
                let branch = |i: usize| {
                    let value = eval_partial(&args[i], cx, written);
                    non_empty_when(&args[0], &args[i], i == 1, value)
                };
                Value::either(reason, branch(1), branch(2))
            }
            other => Value::Unknown(format!(
                "has a condition that is {} in `{written}`",
                other.shown()
            )),
        };
    }
    if let Some(value) = lambda_call(name, args, cx, written) {
        return value;
    }
    let raw: Vec<Value> = args
        .iter()
        .map(|arg| eval_partial(arg, cx, written))
        .collect();
    if let Some(partial) = crate::frontend::arm_functions::known_in_part(written_name, &raw) {
        return partial;
    }
    let values: Vec<Value> = raw.into_iter().map(Value::demote).collect();
    // An array or object holds what is not known as its elements: a reader knows that
    // `createArray(x)` is not empty, whatever `x` is. Keys must be known.
    let holds_unknowns = name == "createarray"
        || (name == "createobject"
            && values
                .iter()
                .step_by(2)
                .all(|key| !matches!(key, Value::Unknown(_))));
    let unknown = values.iter().find(|v| matches!(v, Value::Unknown(_)));
    if let (Some(Value::Unknown(reason)), false) = (unknown, holds_unknowns) {
        return Value::Unknown(reason.clone());
    }
    let result = match name {
        "parameters" | "variables" => match values.first() {
            Some(Value::String(n)) if name == "parameters" => Some(cx.parameter(n)),
            Some(Value::String(n)) => Some(cx.variable(n)),
            _ => None,
        },
        // A nested deployment's outputs are evaluated; of another resource given by id, which
        // resource it is, is known.
        "reference" => match values.first() {
            Some(Value::String(id)) => cx.deployment_outputs(deployment_name(id)).or_else(|| {
                crate::frontend::node::arm_id_key(id).map(|key| Value::ResourceAttr {
                    key,
                    shown: format!("[{written}]"),
                    attr: String::new(),
                })
            }),
            _ => None,
        },
        "copyindex" => copy_index(&values, cx, written),
        "lambdavariables" => match values.first() {
            Some(Value::String(name)) => cx.lambda_variable(name),
            _ => None,
        },
        "resourcegroup" | "subscription" | "deployment" | "tenant" | "managementgroup"
        | "environment" => {
            return crate::frontend::arm_functions::deployment_scope(written_name, cx.location());
        }
        _ => crate::frontend::arm_functions::call(name, &values),
    };
    result.unwrap_or_else(|| Value::Unknown(format!("uses `{written}`, which is not evaluated")))
}

/// The deployment a `reference()` argument names: its symbolic name or name, or the last
/// segment of a `Microsoft.Resources/deployments` resource id.
fn deployment_name(reference: &str) -> &str {
    let mut segments = reference.rsplit('/');
    match (segments.next(), segments.next(), segments.next()) {
        (Some(name), Some(kind), Some(namespace))
            if kind.eq_ignore_ascii_case("deployments")
                && namespace.eq_ignore_ascii_case("Microsoft.Resources") =>
        {
            name
        }
        _ => reference,
    }
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')` or `copyIndex('loop', offset)`.
fn copy_index(args: &[Value], cx: &dyn Names, written: &str) -> Option<Value> {
    let (name, offset) = match args {
        [] => (None, 0.0),
        [Value::Number(offset)] => (None, *offset),
        [Value::String(name)] => (Some(name.as_str()), 0.0),
        [Value::String(name), Value::Number(offset)] => (Some(name.as_str()), *offset),
        _ => return None,
    };
    Some(match cx.copy_index(name) {
        Some(index) => Value::Number(index as f64 + offset),
        None => Value::Unknown(format!("uses `{written}` outside the copy loop it names")),
    })
}

/// A branch's value, knowing the condition chose it: the `x` of `if(not(empty(x)), x, y)` (or of
/// `if(empty(x), y, x)`) is not empty there, even when its text is not known.
fn non_empty_when(cond: &Expr, branch: &Expr, is_then: bool, value: Value) -> Value {
    let Value::Unknown(reason) = value else {
        return value;
    };
    let call = |expr: &Expr, function: &str| match expr {
        Expr::Call { name, args } if name.eq_ignore_ascii_case(function) && args.len() == 1 => {
            args.first().cloned()
        }
        _ => None,
    };
    let (negated, tested) = match call(cond, "not") {
        Some(inner) => (true, inner),
        None => (false, cond.clone()),
    };
    let guarded = call(&tested, "empty").is_some_and(|arg| arg == *branch);
    if guarded && negated == is_then {
        Value::partial(reason, crate::frontend::value::Known::NonEmpty)
    } else {
        Value::Unknown(reason)
    }
}

// ---- lambdas ---------------------------------------------------------------------------
// `map`, `filter`, `reduce`, `toObject` and `mapValues` with `lambda('x', ...)` and
// `lambdaVariables('x')`, which every Bicep `map()`, `filter()` and `reduce()` compiles to (the
// Azure Verified Modules build their identity objects this way). They evaluate expressions and
// expressions call them: one module.

/// `map`, `filter`, `reduce`, `toObject` and `mapValues` called with a lambda; `None` for any
/// other call, which is evaluated as usual.
fn lambda_call(name: &str, args: &[Expr], cx: &dyn Names, written: &str) -> Option<Value> {
    let lambda = |i: usize| args.get(i).and_then(Lambda::of);
    let collection = || eval(&args[0], cx, written);
    let value = match (name, args.len()) {
        ("map", 2) => map(&collection(), &lambda(1)?, cx, written),
        ("filter", 2) => filter(&collection(), &lambda(1)?, cx, written),
        ("reduce", 3) => {
            let initial = eval(&args[1], cx, written);
            reduce(&collection(), initial, &lambda(2)?, cx, written)
        }
        ("toobject", 2 | 3) => {
            let value = match args.get(2) {
                Some(_) => Some(lambda(2)?),
                None => None,
            };
            to_object(&collection(), &lambda(1)?, value.as_ref(), cx, written)
        }
        ("mapvalues", 2) => map_values(&collection(), &lambda(1)?, cx, written),
        _ => return None,
    };
    // An error is the unknown the whole call is.
    Some(value.unwrap_or_else(|unknown| unknown))
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

/// A lambda function's value; an error is the unknown the whole call is (its collection is not
/// known, or the template's lambdas ran their budget).
type Lambdas = Result<Value, Value>;

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

fn map(collection: &Value, lambda: &Lambda<'_>, cx: &dyn Names, written: &str) -> Lambdas {
    let mapped = elements(collection, written)?
        .into_iter()
        .enumerate()
        .map(|(i, item)| lambda.apply(vec![item, Value::Number(i as f64)], cx, written))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::List(mapped))
}

fn filter(collection: &Value, lambda: &Lambda<'_>, cx: &dyn Names, written: &str) -> Lambdas {
    let mut kept = Vec::new();
    for (i, item) in elements(collection, written)?.into_iter().enumerate() {
        match lambda.apply(vec![item.clone(), Value::Number(i as f64)], cx, written)? {
            Value::Bool(true) => kept.push(item),
            Value::Bool(false) => {}
            unknown @ Value::Unknown(_) => return Err(unknown),
            other => {
                return Err(Value::Unknown(format!(
                    "filters with a lambda that gives {}, not a bool, in `{written}`",
                    other.shown()
                )));
            }
        }
    }
    Ok(Value::List(kept))
}

fn reduce(
    collection: &Value,
    initial: Value,
    lambda: &Lambda<'_>,
    cx: &dyn Names,
    written: &str,
) -> Lambdas {
    elements(collection, written)?
        .into_iter()
        .enumerate()
        .try_fold(initial, |current, (i, next)| match current {
            unknown @ Value::Unknown(_) => Err(unknown),
            current => lambda.apply(vec![current, next, Value::Number(i as f64)], cx, written),
        })
}

fn to_object(
    collection: &Value,
    key: &Lambda<'_>,
    value: Option<&Lambda<'_>>,
    cx: &dyn Names,
    written: &str,
) -> Lambdas {
    let mut object = std::collections::BTreeMap::new();
    for item in elements(collection, written)? {
        let Value::String(name) = key.apply(vec![item.clone()], cx, written)? else {
            return Err(Value::Unknown(format!(
                "builds an object key that is not known in `{written}`"
            )));
        };
        let entry = match value {
            Some(value) => value.apply(vec![item], cx, written)?,
            None => item,
        };
        if let unknown @ Value::Unknown(_) = entry {
            return Err(unknown);
        }
        object.insert(name, entry);
    }
    Ok(Value::Object(object))
}

fn map_values(object: &Value, lambda: &Lambda<'_>, cx: &dyn Names, written: &str) -> Lambdas {
    match object {
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| Ok((key.clone(), lambda.apply(vec![value.clone()], cx, written)?)))
            .collect::<Result<_, Value>>()
            .map(Value::Object),
        Value::Unknown(reason) => Err(Value::Unknown(reason.clone())),
        other => Err(Value::Unknown(format!(
            "maps the values of {}, which is not an object, in `{written}`",
            other.shown()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Params;
    impl Names for Params {
        fn parameter(&self, name: &str) -> Value {
            match name {
                "name" => Value::String("oai".into()),
                "on" => Value::Bool(true),
                _ => Value::Unknown(format!("depends on parameter `{name}`")),
            }
        }
        fn variable(&self, name: &str) -> Value {
            Value::Unknown(format!("depends on variable `{name}`"))
        }
        fn location(&self) -> Option<&str> {
            None
        }
        fn copy_index(&self, loop_name: Option<&str>) -> Option<usize> {
            (loop_name != Some("other")).then_some(2)
        }
    }

    fn run(text: &str) -> Value {
        let inner = expression_text(text).unwrap();
        eval(&parse(inner).unwrap(), &Params, inner)
    }

    /// What Bicep's `map`, `filter` and `reduce` compile to, as the Azure Verified Modules
    /// build their identity objects.
    #[test]
    fn lambdas_are_applied() {
        let identities = "[reduce(map(createArray('a', 'b'), lambda('id', createObject(format('{0}', lambdaVariables('id')), createObject()))), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]";
        let empty = || Value::Object(Default::default());
        assert_eq!(
            run(identities),
            Value::Object([("a".to_string(), empty()), ("b".to_string(), empty())].into())
        );
        assert_eq!(
            run(
                "[filter(createArray(1, 2, 3), lambda('x', not(equals(lambdaVariables('x'), 2))))]"
            ),
            Value::List(vec![Value::Number(1.0), Value::Number(3.0)])
        );
        assert_eq!(
            run("[toObject(createArray('a'), lambda('x', lambdaVariables('x')), lambda('x', 1))]"),
            Value::Object([("a".to_string(), Value::Number(1.0))].into())
        );
        let Value::Unknown(reason) = run("[map(parameters('list'), lambda('x', 1))]") else {
            panic!("a lambda over an unknown array is unknown")
        };
        assert!(reason.contains("`list`"), "{reason}");
        assert!(matches!(run("[lambdaVariables('x')]"), Value::Unknown(_)));
    }

    /// An array with an element that is not known is known not to be empty; what it
    /// contains is known only where a known element matches.
    #[test]
    fn arrays_hold_elements_that_are_not_known() {
        assert_eq!(
            run("[empty(createArray(parameters('x')))]"),
            Value::Bool(false)
        );
        assert_eq!(
            run("[length(createArray(parameters('x'), 1))]"),
            Value::Number(2.0)
        );
        assert_eq!(
            run("[contains(createArray(parameters('x'), 'a'), 'a')]"),
            Value::Bool(true)
        );
        assert!(matches!(
            run("[contains(createArray(parameters('x')), 'a')]"),
            Value::Unknown(_)
        ));
        assert!(matches!(
            run("[createObject(parameters('x'), 1)]"),
            Value::Unknown(_)
        ));
    }

    #[test]
    fn copy_index_is_the_loop_index_with_its_offset() {
        assert_eq!(run("[copyIndex()]"), Value::Number(2.0));
        assert_eq!(run("[copyIndex(1)]"), Value::Number(3.0));
        assert_eq!(run("[copyIndex('loop', 10)]"), Value::Number(12.0));
        let Value::Unknown(reason) = run("[copyIndex('other')]") else {
            panic!("copyIndex of another loop is not known")
        };
        assert!(
            reason.contains("outside the copy loop it names"),
            "{reason}"
        );
    }

    #[test]
    fn a_conditional_parameter_object_is_its_conditional_value() {
        let text = "if(equals(parameters('name'), 'oai'), createObject('value', 'a'), createObject('value', 'b'))";
        let unwrapped = value_of_parameter_object(&parse(text).unwrap()).unwrap();
        assert_eq!(eval(&unwrapped, &Params, text), Value::String("a".into()));
        assert!(value_of_parameter_object(&parse("createObject('value', 'a')").unwrap()).is_none());
    }

    #[test]
    fn evaluates_the_common_functions() {
        assert_eq!(
            run("[concat(parameters('name'), '-pe')]"),
            Value::String("oai-pe".into())
        );
        assert_eq!(
            run("[format('{0}/{1}', parameters('name'), 'gpt')]"),
            Value::String("oai/gpt".into())
        );
        assert_eq!(run("[toLower('AbC')]"), Value::String("abc".into()));
        assert_eq!(
            run("[if(parameters('on'), 'Disabled', 'Enabled')]"),
            Value::String("Disabled".into())
        );
        assert_eq!(
            run("[not(equals(parameters('name'), 'x'))]"),
            Value::Bool(true)
        );
        assert_eq!(
            run("[and(true(), or(false(), parameters('on')))]"),
            Value::Bool(true)
        );
        assert_eq!(run("[createObject('a', 1).a]"), Value::Number(1.0));
        assert_eq!(run("[createArray('x', 'y')[1]]"), Value::String("y".into()));
        assert_eq!(
            run("[resourceId('Microsoft.CognitiveServices/accounts', parameters('name'))]"),
            Value::String("/providers/Microsoft.CognitiveServices/accounts/oai".into())
        );
        assert_eq!(run("['it''s']"), Value::String("it's".into()));
    }

    #[test]
    fn anything_else_is_unknown_with_the_expression() {
        let Value::Unknown(reason) = run("[reference(parameters('name')).endpoint]") else {
            panic!()
        };
        assert!(reason.contains("reference(parameters('name'))"), "{reason}");
        assert!(
            matches!(run("[resourceGroup().location]"), Value::Unknown(r) if r.contains("`resourceGroup()`"))
        );
        assert!(
            matches!(run("[parameters('missing')]"), Value::Unknown(r) if r.contains("missing"))
        );
        assert_eq!(expression_text("[[not an expression]"), None);
        assert_eq!(expression_text("plain"), None);
        assert!(parse("concat('a'").is_none());
        assert!(parse(&"f(".repeat(1000)).is_none());
    }
}
