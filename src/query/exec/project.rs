//! `WITH` and `RETURN`: projection, one-pass hash aggregation, `DISTINCT`,
//! `ORDER BY` (top-k under `LIMIT`), `SKIP`, `LIMIT` and `WHERE`.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::error::{ErrorKind, QueryError};
use crate::graph::Value;
use crate::query::aggregate::{self, Accumulator};
use crate::query::analyze::ir::{BExpr, BProjection};
use crate::query::eval::{Env, Row, eval, truthy};

/// Hashes a value consistently with [`Value::group_eq`]: integral floats
/// hash as integers, every NaN alike.
pub fn hash_value<H: Hasher>(v: &Value, h: &mut H) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => {
            1u8.hash(h);
            b.hash(h);
        }
        Value::Int(i) => {
            2u8.hash(h);
            i.hash(h);
        }
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                2u8.hash(h);
                (*f as i64).hash(h);
            } else if f.is_nan() {
                3u8.hash(h);
            } else {
                4u8.hash(h);
                f.to_bits().hash(h);
            }
        }
        Value::String(s) => {
            5u8.hash(h);
            s.hash(h);
        }
        Value::List(items) => {
            6u8.hash(h);
            items.len().hash(h);
            for i in items {
                hash_value(i, h);
            }
        }
        Value::Map(m) => {
            7u8.hash(h);
            for (k, v) in m {
                k.hash(h);
                hash_value(v, h);
            }
        }
        Value::Node(id) => {
            8u8.hash(h);
            id.hash(h);
        }
        Value::Rel(id) => {
            9u8.hash(h);
            id.hash(h);
        }
        Value::Path(p) => {
            10u8.hash(h);
            p.hash(h);
        }
    }
}

fn hash_key(key: &[Value]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for v in key {
        hash_value(v, &mut h);
    }
    h.finish()
}

fn keys_eq(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.group_eq(y))
}

/// Groups rows by key in one pass; `find_or_insert` returns the group's
/// index.
#[derive(Default)]
pub struct Grouper {
    buckets: HashMap<u64, Vec<usize>>,
    keys: Vec<Vec<Value>>,
}

impl Grouper {
    /// The index of `key`'s group and whether it is new.
    pub fn find_or_insert(&mut self, key: Vec<Value>) -> (usize, bool) {
        let h = hash_key(&key);
        let bucket = self.buckets.entry(h).or_default();
        for &i in bucket.iter() {
            if keys_eq(&self.keys[i], &key) {
                return (i, false);
            }
        }
        let i = self.keys.len();
        bucket.push(i);
        self.keys.push(key);
        (i, true)
    }
}

/// A count argument of `SKIP` or `LIMIT`.
fn count_arg(env: &Env, e: &BExpr, what: &str) -> Result<usize, QueryError> {
    let mut empty = Vec::new();
    match eval(env, e, &mut empty)? {
        Value::Int(i) if i >= 0 => Ok(i as usize),
        Value::Int(i) => Err(QueryError::runtime(
            ErrorKind::SyntaxError,
            "NegativeIntegerArgument",
            format!("{what} must not be negative, got {i}"),
            None,
        )),
        other => Err(QueryError::runtime(
            ErrorKind::SyntaxError,
            "InvalidArgumentType",
            format!("{what} must be an integer, got {}", other.type_name()),
            None,
        )),
    }
}

struct Group {
    row: Row,
    accs: Vec<Box<dyn Accumulator>>,
}

/// Runs a projection over `rows`.
pub fn project(
    env: &Env,
    p: &BProjection,
    rows: Vec<Row>,
    width: usize,
) -> Result<Vec<Row>, QueryError> {
    let skip = p
        .skip
        .as_ref()
        .map(|e| count_arg(env, e, "SKIP"))
        .transpose()?;
    let limit = p
        .limit
        .as_ref()
        .map(|e| count_arg(env, e, "LIMIT"))
        .transpose()?;
    let out: Vec<Row> = if p.aggregating() {
        aggregate_rows(env, p, rows, width)?
    } else {
        let mut out = Vec::with_capacity(rows.len());
        for mut row in rows {
            env.guard.tick()?;
            if row.len() < width {
                row.resize(width, Value::Null);
            }
            let mut vals = Vec::with_capacity(p.items.len());
            for (e, _) in &p.items {
                vals.push(eval(env, e, &mut row)?);
            }
            for ((_, slot), v) in p.items.iter().zip(vals) {
                row[*slot] = v;
            }
            out.push(row);
            if p.order_by.is_empty()
                && !p.distinct
                && let Some(l) = limit
                && out.len() >= l + skip.unwrap_or(0)
            {
                break;
            }
        }
        out
    };
    finish_projection(env, p, out, skip, limit)
}

/// The rest of an aggregating projection once [`Aggregation::finish`] has
/// produced its groups.
pub fn after_aggregation(
    env: &Env,
    p: &BProjection,
    groups: Vec<Row>,
) -> Result<Vec<Row>, QueryError> {
    let skip = p
        .skip
        .as_ref()
        .map(|e| count_arg(env, e, "SKIP"))
        .transpose()?;
    let limit = p
        .limit
        .as_ref()
        .map(|e| count_arg(env, e, "LIMIT"))
        .transpose()?;
    finish_projection(env, p, groups, skip, limit)
}

/// `DISTINCT`, `ORDER BY`, `SKIP`, `LIMIT` and `WHERE` over projected rows.
fn finish_projection(
    env: &Env,
    p: &BProjection,
    mut out: Vec<Row>,
    skip: Option<usize>,
    limit: Option<usize>,
) -> Result<Vec<Row>, QueryError> {
    if p.distinct {
        let mut g = Grouper::default();
        out.retain(|row| {
            let key: Vec<Value> = p.items.iter().map(|(_, s)| row[*s].clone()).collect();
            g.find_or_insert(key).1
        });
    }
    if !p.order_by.is_empty() {
        let mut keyed = Vec::with_capacity(out.len());
        for mut row in out {
            env.guard.tick()?;
            let mut keys = Vec::with_capacity(p.order_by.len());
            for (e, _) in &p.order_by {
                keys.push(eval(env, e, &mut row)?);
            }
            keyed.push((keys, row));
        }
        let cmp = |a: &(Vec<Value>, Row), b: &(Vec<Value>, Row)| -> Ordering {
            for ((x, y), (_, desc)) in a.0.iter().zip(&b.0).zip(&p.order_by) {
                let c = x.order_cmp(y);
                let c = if *desc { c.reverse() } else { c };
                if c != Ordering::Equal {
                    return c;
                }
            }
            Ordering::Equal
        };
        if let Some(l) = limit {
            // Top-k: only the first skip + limit rows need ordering.
            let k = l.saturating_add(skip.unwrap_or(0));
            if k < keyed.len() {
                if k == 0 {
                    keyed.clear();
                } else {
                    keyed.select_nth_unstable_by(k - 1, cmp);
                    keyed.truncate(k);
                }
            }
        }
        keyed.sort_by(cmp);
        out = keyed.into_iter().map(|(_, r)| r).collect();
    }
    let s = skip.unwrap_or(0);
    if s > 0 {
        out.drain(..s.min(out.len()));
    }
    if let Some(l) = limit {
        out.truncate(l);
    }
    if let Some(f) = &p.filter {
        let mut kept = Vec::with_capacity(out.len());
        for mut row in out {
            if truthy(&eval(env, f, &mut row)?)? {
                kept.push(row);
            }
        }
        out = kept;
    }
    Ok(out)
}

fn aggregate_rows(
    env: &Env,
    p: &BProjection,
    rows: Vec<Row>,
    width: usize,
) -> Result<Vec<Row>, QueryError> {
    let mut agg = Aggregation::new(p, width);
    for mut row in rows {
        agg.push(env, &mut row)?;
    }
    agg.finish(env)
}

/// One-pass hash aggregation: rows are pushed one at a time (straight from
/// a pattern match, without collecting them) and each group keeps its
/// first row and one accumulator per aggregate.
pub struct Aggregation<'p> {
    p: &'p BProjection,
    width: usize,
    /// Indexes of the items without aggregates: the grouping keys.
    keys: Vec<usize>,
    grouper: Grouper,
    groups: Vec<Group>,
}

impl<'p> Aggregation<'p> {
    /// An empty aggregation for `p` over rows of `width` slots.
    pub fn new(p: &'p BProjection, width: usize) -> Aggregation<'p> {
        let agg_slots: Vec<usize> = p.aggregates.iter().map(|a| a.slot).collect();
        let keys = p
            .items
            .iter()
            .enumerate()
            .filter(|(_, (e, _))| !e.slots().iter().any(|s| agg_slots.contains(s)))
            .map(|(i, _)| i)
            .collect();
        Aggregation {
            p,
            width,
            keys,
            grouper: Grouper::default(),
            groups: Vec::new(),
        }
    }

    fn accumulators(
        &self,
        env: &Env,
        row: &mut Row,
    ) -> Result<Vec<Box<dyn Accumulator>>, QueryError> {
        self.p
            .aggregates
            .iter()
            .map(|a| {
                let extra = a
                    .args
                    .iter()
                    .skip(1)
                    .map(|e| eval(env, e, row))
                    .collect::<Result<Vec<_>, _>>()?;
                aggregate::accumulator(&a.name, a.distinct, &extra)
            })
            .collect()
    }

    /// Adds one row to its group.
    pub fn push(&mut self, env: &Env, row: &mut Row) -> Result<(), QueryError> {
        env.guard.tick()?;
        if row.len() < self.width {
            row.resize(self.width, Value::Null);
        }
        let mut key = Vec::with_capacity(self.keys.len());
        for &k in &self.keys {
            key.push(eval(env, &self.p.items[k].0, row)?);
        }
        let (gi, new) = self.grouper.find_or_insert(key);
        if new {
            let accs = self.accumulators(env, row)?;
            self.groups.push(Group {
                row: row.clone(),
                accs,
            });
        }
        for (ai, a) in self.p.aggregates.iter().enumerate() {
            let v = match a.args.first() {
                Some(e) => eval(env, e, row)?,
                None => Value::Bool(true),
            };
            self.groups[gi].accs[ai].update(&v)?;
        }
        Ok(())
    }

    /// One row per group with the aggregates and items computed; without
    /// grouping keys, one row even when no row came in.
    pub fn finish(mut self, env: &Env) -> Result<Vec<Row>, QueryError> {
        let p = self.p;
        if self.groups.is_empty() && self.keys.is_empty() {
            let mut row = vec![Value::Null; self.width];
            let accs = self.accumulators(env, &mut row)?;
            self.groups.push(Group { row, accs });
        }
        let mut out = Vec::with_capacity(self.groups.len());
        for mut g in self.groups {
            for (a, acc) in p.aggregates.iter().zip(g.accs.iter_mut()) {
                g.row[a.slot] = acc.finish()?;
            }
            let mut vals = Vec::with_capacity(p.items.len());
            for (e, _) in &p.items {
                vals.push(eval(env, e, &mut g.row)?);
            }
            for ((_, slot), v) in p.items.iter().zip(vals) {
                g.row[*slot] = v;
            }
            out.push(g.row);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_treats_equal_numbers_and_nans_as_one_key() {
        let mut g = Grouper::default();
        assert_eq!(g.find_or_insert(vec![Value::Int(1)]), (0, true));
        assert_eq!(g.find_or_insert(vec![Value::Float(1.0)]), (0, false));
        assert_eq!(g.find_or_insert(vec![Value::Float(f64::NAN)]), (1, true));
        assert_eq!(g.find_or_insert(vec![Value::Float(f64::NAN)]), (1, false));
        assert_eq!(g.find_or_insert(vec![Value::Null]), (2, true));
        assert_eq!(
            g.find_or_insert(vec![Value::List(vec![Value::Int(2), Value::Null])]),
            (3, true)
        );
        assert_eq!(
            g.find_or_insert(vec![Value::List(vec![Value::Float(2.0), Value::Null])]),
            (3, false)
        );
    }
}
