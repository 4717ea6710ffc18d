//! Expression evaluation over a row of slots, delegating operator and
//! function semantics to [`operators`] and [`functions`](crate::query::functions).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::error::{ErrorKind, QueryError};
use crate::graph::{Graph, Value};
use crate::query::analyze::ir::{BExpr, BMapItem, PropKey};
use crate::query::ast::{BinaryOp, Quantifier};
use crate::query::exec::matcher;
use crate::query::operators;

/// One row: a value per slot.
pub type Row = Vec<Value>;

/// Checks the cancel flag and the deadline, cheaply: the clock and the
/// flag are read once every 1024 ticks.
pub struct Guard<'a> {
    cancel: &'a AtomicBool,
    deadline: Option<Instant>,
    ticks: Cell<u32>,
    /// The memory bound of the rows this clause keeps.
    pub budget: crate::query::exec::budget::Budget,
}

impl<'a> Guard<'a> {
    /// A guard over `cancel` that also stops at `deadline`.
    pub fn new(cancel: &'a AtomicBool, deadline: Option<Instant>) -> Guard<'a> {
        Guard {
            cancel,
            deadline,
            ticks: Cell::new(0),
            budget: Default::default(),
        }
    }

    /// The same guard, also bounding the memory of the rows kept to
    /// `limit` bytes (see [`crate::query::exec::budget`]).
    pub fn with_memory_limit(mut self, limit: Option<usize>) -> Guard<'a> {
        self.budget = crate::query::exec::budget::Budget::new(limit);
        self
    }

    /// Counts one unit of work; fails once the query is cancelled or out
    /// of time.
    #[inline]
    pub fn tick(&self) -> Result<(), QueryError> {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t % 1024 == 0 { self.check() } else { Ok(()) }
    }

    /// Checks now.
    pub fn check(&self) -> Result<(), QueryError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(QueryError::runtime(
                ErrorKind::Cancelled,
                "Cancelled",
                "the query was cancelled",
                None,
            ));
        }
        if let Some(d) = self.deadline
            && Instant::now() >= d
        {
            return Err(QueryError::runtime(
                ErrorKind::Cancelled,
                "Timeout",
                "the query ran out of time",
                None,
            )
            .with_hint("raise the timeout or make the query more selective"));
        }
        Ok(())
    }
}

/// What evaluation reads: the graph and the guard.
pub struct Env<'a> {
    /// The graph.
    pub graph: &'a Graph,
    /// Cancellation.
    pub guard: &'a Guard<'a>,
}

/// Whether `v` counts as true in a predicate (null and false do not).
pub fn truthy(v: &Value) -> Result<bool, QueryError> {
    operators::is_true(v)
}

/// Evaluates `e` over `row`. Comprehensions bind their variable in the
/// row's slot and restore it afterwards, so the row is borrowed mutably.
pub fn eval(env: &Env, e: &BExpr, row: &mut Row) -> Result<Value, QueryError> {
    Ok(match e {
        BExpr::Const(v) => v.clone(),
        BExpr::Var(s) => row.get(*s).cloned().unwrap_or(Value::Null),
        BExpr::Prop(base, key) => match peek(env.graph, base, row) {
            // Read the property in place: copying a map or a path just to
            // look into it would cost more than the lookup.
            Some(b) => property_ref(env.graph, b?, key)?.into_owned(),
            None => {
                let b = eval(env, base, row)?;
                operators::property(env.graph, &b, key)?
            }
        },
        BExpr::Index(a, i) => {
            if let Some(v) = label_at(env.graph, a, i, row) {
                return v.map(Cow::into_owned);
            }
            let a = eval(env, a, row)?;
            let i = eval(env, i, row)?;
            operators::index(env.graph, &a, &i)?
        }
        BExpr::Slice(a, from, to) => {
            let a = eval(env, a, row)?;
            let from = from.as_ref().map(|f| eval(env, f, row)).transpose()?;
            let to = to.as_ref().map(|t| eval(env, t, row)).transpose()?;
            operators::slice(&a, from.as_ref(), to.as_ref())?
        }
        BExpr::Unary(op, a) => {
            let a = eval(env, a, row)?;
            operators::unary(*op, &a)?
        }
        BExpr::Binary(op, a, b) => {
            if let Some(v) = binary_in_place(env.graph, *op, a, b, row) {
                return v;
            }
            let a = eval(env, a, row)?;
            // Short-circuit where the result no longer depends on `b`.
            match (op, &a) {
                (BinaryOp::And, Value::Bool(false)) => return Ok(Value::Bool(false)),
                (BinaryOp::Or, Value::Bool(true)) => return Ok(Value::Bool(true)),
                _ => {}
            }
            let b = eval(env, b, row)?;
            operators::binary(*op, &a, &b)?
        }
        BExpr::IsNull(a, not) => {
            let null = match peek(env.graph, a, row) {
                Some(v) => v?.is_null(),
                None => eval(env, a, row)?.is_null(),
            };
            Value::Bool(null != *not)
        }
        BExpr::HasLabels(a, labels) => match eval(env, a, row)? {
            Value::Null => Value::Null,
            Value::Node(id) => match env.graph.node(id) {
                Some(n) => Value::Bool(labels.iter().all(|l| n.has_label(l))),
                None => return Err(deleted("node", id.0)),
            },
            other => {
                return Err(QueryError::runtime(
                    ErrorKind::TypeError,
                    "InvalidArgumentType",
                    format!("cannot test labels of a {}", other.type_name()),
                    None,
                ));
            }
        },
        BExpr::List(items) => Value::List(
            items
                .iter()
                .map(|i| eval(env, i, row))
                .collect::<Result<_, _>>()?,
        ),
        BExpr::Map(entries) => {
            let mut m = BTreeMap::new();
            for (k, v) in entries {
                m.insert(k.clone(), eval(env, v, row)?);
            }
            Value::Map(m)
        }
        BExpr::Call(f, args) => {
            let args = args
                .iter()
                .map(|a| eval(env, a, row))
                .collect::<Result<Vec<_>, _>>()?;
            f.call(env.graph, &args)?
        }
        BExpr::Case {
            operand,
            alternatives,
            default,
        } => {
            let subject = operand.as_ref().map(|o| eval(env, o, row)).transpose()?;
            for (when, then) in alternatives {
                let w = eval(env, when, row)?;
                let hit = match &subject {
                    Some(s) => operators::equals(s, &w) == Some(true),
                    None => matches!(w, Value::Bool(true)),
                };
                if hit {
                    return eval(env, then, row);
                }
            }
            match default {
                Some(d) => eval(env, d, row)?,
                None => Value::Null,
            }
        }
        BExpr::ListComp {
            slot,
            list,
            predicate,
            projection,
        } => {
            let items = match eval(env, list, row)? {
                Value::Null => return Ok(Value::Null),
                Value::List(items) => items,
                other => return Err(not_a_list(&other)),
            };
            let saved = row[*slot].clone();
            let mut out = Vec::with_capacity(items.len());
            let result = (|| {
                for item in items {
                    env.guard.tick()?;
                    row[*slot] = item.clone();
                    if let Some(p) = predicate
                        && !truthy(&eval(env, p, row)?)?
                    {
                        continue;
                    }
                    out.push(match projection {
                        Some(p) => eval(env, p, row)?,
                        None => item,
                    });
                }
                Ok::<_, QueryError>(())
            })();
            row[*slot] = saved;
            result?;
            Value::List(out)
        }
        BExpr::Quantified {
            quantifier,
            slot,
            list,
            predicate,
        } => {
            let items = match eval(env, list, row)? {
                Value::Null => return Ok(Value::Null),
                Value::List(items) => items,
                other => return Err(not_a_list(&other)),
            };
            let len = items.len();
            let saved = row[*slot].clone();
            let (mut trues, mut nulls) = (0usize, 0usize);
            let result = (|| {
                for item in items {
                    env.guard.tick()?;
                    row[*slot] = item;
                    match eval(env, predicate, row)? {
                        Value::Bool(true) => trues += 1,
                        Value::Bool(false) => {}
                        Value::Null => nulls += 1,
                        other => {
                            return Err(QueryError::runtime(
                                ErrorKind::TypeError,
                                "InvalidArgumentType",
                                format!(
                                    "a quantifier's predicate must be a boolean, got {}",
                                    other.type_name()
                                ),
                                None,
                            ));
                        }
                    }
                }
                Ok(())
            })();
            row[*slot] = saved;
            result?;
            quantify(*quantifier, trues, nulls, len)
        }
        BExpr::Reduce {
            acc,
            init,
            slot,
            list,
            expr,
        } => {
            let init = eval(env, init, row)?;
            let items = match eval(env, list, row)? {
                Value::Null => return Ok(Value::Null),
                Value::List(items) => items,
                other => return Err(not_a_list(&other)),
            };
            let (saved_acc, saved_x) = (row[*acc].clone(), row[*slot].clone());
            row[*acc] = init;
            let result = (|| {
                for item in items {
                    env.guard.tick()?;
                    row[*slot] = item;
                    let v = eval(env, expr, row)?;
                    row[*acc] = v;
                }
                Ok::<_, QueryError>(row[*acc].clone())
            })();
            row[*acc] = saved_acc;
            row[*slot] = saved_x;
            result?
        }
        BExpr::Exists(p) => Value::Bool(matcher::exists(env, p, row)?),
        BExpr::ExistsQuery(q, _) => Value::Bool(crate::query::exec::subquery_exists(env, q, row)?),
        BExpr::PatternComp(p, proj) => {
            let rows = matcher::all_matches(env, p, row)?;
            let mut out = Vec::with_capacity(rows.len());
            for mut r in rows {
                out.push(eval(env, proj, &mut r)?);
            }
            Value::List(out)
        }
        BExpr::MapProjection(base, items) => {
            let b = eval(env, base, row)?;
            let mut m = BTreeMap::new();
            let all_props = |m: &mut BTreeMap<String, Value>| -> Result<(), QueryError> {
                match &b {
                    Value::Node(id) => {
                        let n = env.graph.node(*id).ok_or_else(|| deleted("node", id.0))?;
                        for (k, v) in n.properties() {
                            m.insert(k.to_owned(), v.clone());
                        }
                    }
                    Value::Rel(id) => {
                        let r = env
                            .graph
                            .rel(*id)
                            .ok_or_else(|| deleted("relationship", id.0))?;
                        for (k, v) in r.properties() {
                            m.insert(k.to_owned(), v.clone());
                        }
                    }
                    Value::Map(src) => m.extend(src.clone()),
                    _ => {}
                }
                Ok(())
            };
            if b.is_null() {
                return Ok(Value::Null);
            }
            for item in items {
                match item {
                    BMapItem::All => all_props(&mut m)?,
                    BMapItem::Property(k) => {
                        m.insert(k.clone(), operators::property(env.graph, &b, k)?);
                    }
                    BMapItem::Entry(k, e) => {
                        let v = eval(env, e, row)?;
                        m.insert(k.clone(), v);
                    }
                }
            }
            Value::Map(m)
        }
    })
}

/// The null every missing slot reads as.
static NULL: Value = Value::Null;

/// A constant, a slot or [`slot_property`] as a plain reference: the
/// reads [`peek`] does most, inlined where rows stream.
#[inline]
pub fn value_ref<'x>(graph: &'x Graph, e: &'x BExpr, row: &'x [Value]) -> Option<&'x Value> {
    match e {
        BExpr::Const(v) => Some(v),
        BExpr::Var(s) => row.get(*s),
        _ => slot_property(graph, e, row),
    }
}

/// `n.key` for a slot `n` holding a node or relationship, as a plain
/// reference into the graph: the hottest read of aggregations and
/// filters, kept small enough to inline so that the value is not copied
/// out of a [`peek`] result on every row. `None` for any other shape, or a
/// deleted element (the general path then says what is wrong).
#[inline]
pub fn slot_property<'x>(graph: &'x Graph, e: &BExpr, row: &'x [Value]) -> Option<&'x Value> {
    let BExpr::Prop(base, key) = e else {
        return None;
    };
    let BExpr::Var(s) = **base else {
        return None;
    };
    let found = match row.get(s)? {
        Value::Node(id) => graph.node_property(*id, key.symbol(graph).unwrap_or(MISSING))?,
        Value::Rel(id) => graph.rel_property(*id, key.symbol(graph).unwrap_or(MISSING))?,
        _ => return None,
    };
    Some(found.unwrap_or(&NULL))
}

/// Whether [`peek`] reads `e` in place: always for constants, slots and
/// their properties; for `labels(n)[i]` whenever `n` is a node. Callers
/// keep a fallback to [`eval`] for the rare miss.
pub fn readable_in_place(e: &BExpr) -> bool {
    match e {
        BExpr::Const(_) | BExpr::Var(_) => true,
        BExpr::Prop(base, _) => readable_in_place(base),
        BExpr::Index(list, index) => match (&**list, &**index) {
            (BExpr::Call(f, args), BExpr::Const(Value::Int(_))) => {
                f.name == "labels" && args.len() == 1 && readable_in_place(&args[0])
            }
            _ => false,
        },
        _ => false,
    }
}

/// Evaluates `e` without copying what it reads, for expressions that only
/// read: constants, slots and properties of those. `None` for any other
/// expression, which the caller evaluates with [`eval`]. Comparisons,
/// string predicates and grouping keys over properties use this so that
/// a row costs no string copies.
pub fn peek<'x>(
    graph: &'x Graph,
    e: &'x BExpr,
    row: &'x [Value],
) -> Option<Result<Cow<'x, Value>, QueryError>> {
    match e {
        BExpr::Const(v) => Some(Ok(Cow::Borrowed(v))),
        BExpr::Var(s) => Some(Ok(Cow::Borrowed(row.get(*s).unwrap_or(&NULL)))),
        // The common `n.key` of a bound node, read straight from the
        // graph without going through a borrowed base.
        BExpr::Prop(base, key)
            if let BExpr::Var(s) = **base
                && let Some(&Value::Node(id)) = row.get(s) =>
        {
            Some(
                match graph.node_property(id, key.symbol(graph).unwrap_or(MISSING)) {
                    Some(v) => Ok(Cow::Borrowed(v.unwrap_or(&NULL))),
                    None => Err(operators::deleted_node(id)),
                },
            )
        }
        BExpr::Prop(base, key) => Some(match peek(graph, base, row)? {
            Ok(b) => property_ref(graph, b, key),
            Err(e) => Err(e),
        }),
        BExpr::Index(list, index) => label_at(graph, list, index, row),
        _ => None,
    }
}

/// `base.key` borrowed from the graph (or from `base`) where possible;
/// the semantics of [`operators::property`].
pub(crate) fn property_ref<'x>(
    graph: &'x Graph,
    base: Cow<'x, Value>,
    key: &PropKey,
) -> Result<Cow<'x, Value>, QueryError> {
    let found = match &*base {
        Value::Node(id) => graph
            .node_property(*id, key.symbol(graph).unwrap_or(MISSING))
            .ok_or_else(|| operators::deleted_node(*id))?,
        Value::Rel(id) => graph
            .rel_property(*id, key.symbol(graph).unwrap_or(MISSING))
            .ok_or_else(|| operators::deleted_rel(*id))?,
        Value::Map(_) => {
            return Ok(match base {
                Cow::Borrowed(Value::Map(m)) => Cow::Borrowed(m.get(&key.name).unwrap_or(&NULL)),
                owned => Cow::Owned(operators::property(graph, &owned, key)?),
            });
        }
        other => return operators::property(graph, other, key).map(Cow::Owned),
    };
    Ok(Cow::Borrowed(found.unwrap_or(&NULL)))
}

/// A symbol no element carries: property keys are interned before use,
/// so a key without a symbol reads as missing.
const MISSING: crate::graph::Symbol = crate::graph::Symbol(u32::MAX);

/// `a op b` over operands read in place, when both can be
/// ([`peek`]); keeps `AND`/`OR` short-circuiting.
fn binary_in_place(
    graph: &Graph,
    op: BinaryOp,
    a: &BExpr,
    b: &BExpr,
    row: &[Value],
) -> Option<Result<Value, QueryError>> {
    let x = match peek(graph, a, row)? {
        Ok(x) => x,
        Err(e) => return Some(Err(e)),
    };
    match (op, &*x) {
        (BinaryOp::And, Value::Bool(false)) => return Some(Ok(Value::Bool(false))),
        (BinaryOp::Or, Value::Bool(true)) => return Some(Ok(Value::Bool(true))),
        _ => {}
    }
    let y = match peek(graph, b, row) {
        Some(Ok(y)) => y,
        Some(Err(e)) => return Some(Err(e)),
        // Only `b` is complex: the caller evaluates both again, which is
        // correct as reading is free of side effects.
        None => return None,
    };
    Some(operators::binary(op, &x, &y))
}

/// `labels(n)[i]` without building the list of labels: the label is
/// borrowed from the graph's symbol table.
fn label_at<'x>(
    graph: &'x Graph,
    list: &'x BExpr,
    index: &'x BExpr,
    row: &'x [Value],
) -> Option<Result<Cow<'x, Value>, QueryError>> {
    let (BExpr::Call(f, args), BExpr::Const(Value::Int(i))) = (list, index) else {
        return None;
    };
    if f.name != "labels" || args.len() != 1 {
        return None;
    }
    let id = match &args[0] {
        // The usual `labels(n)`: the node straight from its slot.
        BExpr::Var(s) => match row.get(*s) {
            Some(&Value::Node(id)) => id,
            _ => return None,
        },
        other => {
            let node = match peek(graph, other, row)? {
                Ok(v) => v,
                Err(e) => return Some(Err(e)),
            };
            let Value::Node(id) = *node else {
                return None;
            };
            id
        }
    };
    let n = graph.node(id)?;
    let labels = n.label_symbols();
    let len = labels.len() as i64;
    let pos = if *i < 0 { i + len } else { *i };
    Some(Ok(if (0..len).contains(&pos) {
        // The order `labels()` gives: symbols by first use.
        Cow::Borrowed(graph.symbols().name_value(labels[pos as usize]))
    } else {
        Cow::Borrowed(&NULL)
    }))
}

fn quantify(q: Quantifier, trues: usize, nulls: usize, len: usize) -> Value {
    let falses = len - trues - nulls;
    match q {
        Quantifier::All => {
            if falses > 0 {
                Value::Bool(false)
            } else if nulls > 0 {
                Value::Null
            } else {
                Value::Bool(true)
            }
        }
        Quantifier::Any => {
            if trues > 0 {
                Value::Bool(true)
            } else if nulls > 0 {
                Value::Null
            } else {
                Value::Bool(false)
            }
        }
        Quantifier::None => {
            if trues > 0 {
                Value::Bool(false)
            } else if nulls > 0 {
                Value::Null
            } else {
                Value::Bool(true)
            }
        }
        Quantifier::Single => {
            if trues > 1 {
                Value::Bool(false)
            } else if nulls > 0 {
                Value::Null
            } else {
                Value::Bool(trues == 1)
            }
        }
    }
}

fn not_a_list(v: &Value) -> QueryError {
    QueryError::runtime(
        ErrorKind::TypeError,
        "InvalidArgumentType",
        format!("expected a list, got a {}", v.type_name()),
        None,
    )
}

/// The error for reading a deleted element.
pub fn deleted(what: &str, id: u64) -> QueryError {
    QueryError::runtime(
        ErrorKind::EntityNotFound,
        "DeletedEntityAccess",
        format!("{what} {id} was deleted by this query and can no longer be read"),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::analyze::ir::PropKey;

    /// `labels(n)[i]` read in place agrees with building the list and
    /// indexing it, for in-range, out-of-range and negative indexes,
    /// several labels, no labels, nulls and non-nodes.
    #[test]
    fn label_at_agrees_with_indexing_the_labels_list() {
        let mut g = Graph::new();
        let one = g.add_node(["Person"], Vec::<(&str, Value)>::new());
        let two = g.add_node(["Zeta", "Alpha"], Vec::<(&str, Value)>::new());
        let none = g.add_node(Vec::<&str>::new(), Vec::<(&str, Value)>::new());
        let labels = crate::query::functions::lookup("labels").expect("labels()");
        let list = BExpr::Call(labels, vec![BExpr::Var(0)]);
        for base in [
            Value::Node(one),
            Value::Node(two),
            Value::Node(none),
            Value::Null,
            Value::Int(1),
        ] {
            for i in [-3i64, -1, 0, 1, 2] {
                let index = BExpr::Const(Value::Int(i));
                let row = vec![base.clone()];
                let Some(fast) = label_at(&g, &list, &index, &row) else {
                    // Left to the general evaluator: only for non-nodes.
                    assert!(!matches!(base, Value::Node(_)));
                    continue;
                };
                let all = labels.call(&g, std::slice::from_ref(&base)).unwrap();
                let general = operators::index(&g, &all, &Value::Int(i)).unwrap();
                assert_eq!(fast.unwrap().into_owned(), general, "{base:?}[{i}]");
            }
        }
    }

    /// `n.key` read in place agrees with the general property read on live
    /// nodes with and without the key, deleted nodes, unknown keys, nulls
    /// and non-nodes.
    #[test]
    fn node_property_in_place_agrees_with_the_general_read() {
        let mut g = Graph::new();
        let a = g.add_node(
            ["Person"],
            [("name", Value::from("Ann")), ("score", Value::Float(0.5))],
        );
        let b = g.add_node(["Person"], [("age", Value::Int(4))]);
        let gone = g.add_node(["Person"], [("name", Value::from("Gone"))]);
        g.delete_node(gone).unwrap();
        let bases = [
            Value::Node(a),
            Value::Node(b),
            Value::Node(gone),
            Value::Null,
            Value::Int(3),
        ];
        for key in ["name", "score", "age", "never"] {
            let e = BExpr::Prop(Box::new(BExpr::Var(0)), PropKey::new(key));
            for base in &bases {
                let row = vec![base.clone()];
                let fast = peek(&g, &e, &row)
                    .expect("read in place")
                    .map(Cow::into_owned);
                let general = operators::property(&g, base, key);
                // The inlined read answers for live elements only, and
                // then as the general read does.
                if let Some(v) = slot_property(&g, &e, &row) {
                    assert_eq!(Some(v), general.as_ref().ok(), "{base:?}.{key}");
                } else {
                    assert!(!matches!(base, Value::Node(id) if g.contains_node(*id)));
                }
                match (fast, general) {
                    (Ok(x), Ok(y)) => assert_eq!(x, y, "{base:?}.{key}"),
                    (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string()),
                    (x, y) => panic!("{base:?}.{key}: {x:?} vs {y:?}"),
                }
            }
        }
    }
}
