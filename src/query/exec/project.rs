//! `WITH` and `RETURN`: projection, then `DISTINCT`, `ORDER BY`, `SKIP`,
//! `LIMIT` and `WITH`'s `WHERE`. Grouping lives in [`super::group`] and
//! [`super::aggregation`], the streaming top-k in [`super::topk`].

use std::cmp::Ordering;

use crate::error::{ErrorKind, QueryError};
use crate::graph::Value;
use crate::query::analyze::ir::{BExpr, BProjection};
use crate::query::eval::{Env, Row, eval, truthy};

pub use super::aggregation::Aggregation;
pub use super::group::{Grouper, hash_value};
pub use super::topk::TopK;

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

/// Runs a projection over `rows`.
pub fn project(
    env: &Env,
    p: &BProjection,
    rows: Vec<Row>,
    width: usize,
) -> Result<Vec<Row>, QueryError> {
    let (skip, limit) = skip_and_limit(env, p)?;
    let out: Vec<Row> = if p.aggregating() {
        aggregate_rows(env, p, rows, width, skip, limit)?
    } else {
        let mut top = TopK::for_projection(p, skip, limit);
        let mut out = Vec::with_capacity(if top.is_some() { 0 } else { rows.len() });
        for mut row in rows {
            env.guard.tick()?;
            project_row(env, p, &mut row, width)?;
            if let Some(top) = &mut top {
                top.offer_owned(env, row)?;
                continue;
            }
            env.guard.budget.keep(&row)?;
            out.push(row);
            if p.order_by.is_empty()
                && !p.distinct
                && let Some(l) = limit
                && out.len() >= l + skip.unwrap_or(0)
            {
                break;
            }
        }
        match top {
            Some(top) => top.into_rows(),
            None => out,
        }
    };
    finish_projection(env, p, out, skip, limit)
}

/// The `SKIP` and `LIMIT` counts of `p`.
pub fn skip_and_limit(
    env: &Env,
    p: &BProjection,
) -> Result<(Option<usize>, Option<usize>), QueryError> {
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
    Ok((skip, limit))
}

/// Computes the items of a non-aggregating projection into their slots
/// of `row` (widened to `width`). All items are read before any is
/// written, as an item may shadow a slot another one reads.
pub fn project_row(
    env: &Env,
    p: &BProjection,
    row: &mut Row,
    width: usize,
) -> Result<(), QueryError> {
    if row.len() < width {
        row.resize(width, Value::Null);
    }
    let mut vals = Vec::with_capacity(p.items.len());
    for (e, _) in &p.items {
        vals.push(eval(env, e, row)?);
    }
    for ((_, slot), v) in p.items.iter().zip(vals) {
        row[*slot] = v;
    }
    Ok(())
}

/// The rest of an aggregating projection: the groups of `agg`, then
/// `DISTINCT`, `ORDER BY`, `SKIP`, `LIMIT` and `WHERE`.
pub fn finish_aggregation(
    env: &Env,
    p: &BProjection,
    agg: Aggregation,
) -> Result<Vec<Row>, QueryError> {
    let (skip, limit) = skip_and_limit(env, p)?;
    let groups = agg.finish_top(env, skip, limit)?;
    finish_projection(env, p, groups, skip, limit)
}

/// The rest of an aggregating projection once [`Aggregation::finish`] has
/// produced its groups.
pub fn after_aggregation(
    env: &Env,
    p: &BProjection,
    groups: Vec<Row>,
) -> Result<Vec<Row>, QueryError> {
    let (skip, limit) = skip_and_limit(env, p)?;
    finish_projection(env, p, groups, skip, limit)
}

/// `DISTINCT`, `ORDER BY`, `SKIP`, `LIMIT` and `WHERE` over projected rows.
pub fn finish_projection(
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
    skip: Option<usize>,
    limit: Option<usize>,
) -> Result<Vec<Row>, QueryError> {
    let mut agg = Aggregation::new(p, width);
    for mut row in rows {
        agg.push(env, &mut row)?;
    }
    agg.finish_top(env, skip, limit)
}
