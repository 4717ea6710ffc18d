//! `ORDER BY ... LIMIT k` as a streaming top-k: [`TopK`] keeps the first
//! `k` rows in order while the rows go by.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::error::QueryError;
use crate::graph::Value;
use crate::query::analyze::ir::{BExpr, BProjection, Slot};
use crate::query::eval::{Env, Row, eval, peek, readable_in_place, value_ref};

use super::aggregation::INLINE_KEYS;

/// The most rows [`TopK`] keeps in order; a larger `SKIP` + `LIMIT` sorts
/// everything instead.
const TOP_K_MAX: usize = 4096;

/// The first `k` rows in `ORDER BY` order, kept while rows stream by, so
/// that `ORDER BY ... LIMIT k` over a million rows holds `k` of them. Ties
/// keep the order the rows came in, as the stable sort it stands for.
pub struct TopK<'p> {
    p: &'p BProjection,
    k: usize,
    /// Whether each `ORDER BY` key is read in place.
    in_place: Vec<bool>,
    /// Kept rows with their keys, best first.
    kept: Vec<(Vec<Value>, Row)>,
    /// The first `ORDER BY` key as an expression of the aggregates alone,
    /// when it is one: it ranks a group before its keys are built.
    lead: Option<&'p BExpr>,
}

impl<'p> TopK<'p> {
    /// A collector for `p` when it orders and limits without `DISTINCT`
    /// (which must see every row first) and `SKIP` + `LIMIT` is small.
    pub fn for_projection(
        p: &'p BProjection,
        skip: Option<usize>,
        limit: Option<usize>,
    ) -> Option<TopK<'p>> {
        let k = limit?.checked_add(skip.unwrap_or(0))?;
        if p.order_by.is_empty() || p.distinct || k > TOP_K_MAX {
            return None;
        }
        Some(TopK {
            p,
            k,
            in_place: p
                .order_by
                .iter()
                .map(|(e, _)| readable_in_place(e))
                .collect(),
            kept: Vec::with_capacity(k + 1),
            lead: lead_key(p),
        })
    }

    /// Whether a row not yet projected (its items not computed: a match's
    /// row, or a group's with only its aggregates) cannot make the first
    /// `k`: its first `ORDER BY` key is worse than the last kept row's.
    /// Saves projecting rows that would be thrown away. Always `false`
    /// while fewer than `k` rows are kept or when the first key cannot be
    /// read before projecting (see `lead_key`).
    pub fn hopeless(&self, env: &Env, row: &mut Row) -> Result<bool, QueryError> {
        let Some(lead) = self.lead else {
            return Ok(false);
        };
        let Some((worst, _)) = self.kept.last().filter(|_| self.kept.len() == self.k) else {
            return Ok(false);
        };
        let v = match value_ref(env.graph, lead, row) {
            Some(v) => Cow::Borrowed(v),
            None => match peek(env.graph, lead, row) {
                Some(v) => v?,
                None => Cow::Owned(eval(env, lead, row)?),
            },
        };
        let c = v.order_cmp(&worst[0]);
        let c = if self.p.order_by[0].1 { c.reverse() } else { c };
        Ok(c == Ordering::Greater)
    }
}

/// The expression that gives `p`'s first `ORDER BY` key from the row
/// before the items are written: the key itself, or the item it names.
/// For an aggregation that row holds only the aggregates, so the
/// expression must read nothing else; without aggregation it is the input
/// row, which the items read, so the expression must not read a slot that
/// an item overwrites (an item passing a variable through is harmless).
fn lead_key(p: &BProjection) -> Option<&BExpr> {
    let (first, _) = p.order_by.first()?;
    let expr = match first {
        BExpr::Var(s) => p
            .items
            .iter()
            .find(|(_, slot)| slot == s)
            .map_or(first, |(item, _)| item),
        _ => first,
    };
    let mut ok = true;
    if p.aggregating() {
        let agg_slots: Vec<Slot> = p.aggregates.iter().map(|a| a.slot).collect();
        expr.visit_slots(&mut |s| ok &= agg_slots.contains(&s));
    } else {
        expr.visit_slots(&mut |s| {
            ok &= p
                .items
                .iter()
                .all(|(e, slot)| *slot != s || matches!(e, BExpr::Var(v) if *v == s))
        });
    }
    ok.then_some(expr)
}

impl TopK<'_> {
    fn cmp_keys<A: std::borrow::Borrow<Value>, B: std::borrow::Borrow<Value>>(
        &self,
        a: &[A],
        b: &[B],
    ) -> Ordering {
        for ((x, y), (_, desc)) in a.iter().zip(b).zip(&self.p.order_by) {
            let c = x.borrow().order_cmp(y.borrow());
            let c = if *desc { c.reverse() } else { c };
            if c != Ordering::Equal {
                return c;
            }
        }
        Ordering::Equal
    }

    /// Offers a row that may be kept as it is.
    pub fn offer_owned(&mut self, env: &Env, mut row: Row) -> Result<(), QueryError> {
        if let Some(keys) = self.candidate(env, &mut row)? {
            self.insert(keys, row);
        }
        Ok(())
    }

    /// Offers a row that the caller reuses: copied only when kept.
    pub fn offer(&mut self, env: &Env, row: &mut Row) -> Result<(), QueryError> {
        if let Some(keys) = self.candidate(env, row)? {
            self.insert(keys, row.clone());
        }
        Ok(())
    }

    /// The row's keys if it makes the first `k`. Keys read in place are
    /// only copied then.
    fn candidate(&self, env: &Env, row: &mut Row) -> Result<Option<Vec<Value>>, QueryError> {
        env.guard.tick()?;
        if self.k == 0 {
            return Ok(None);
        }
        let n = self.p.order_by.len();
        if n > INLINE_KEYS {
            let mut keys = Vec::with_capacity(n);
            for (e, _) in &self.p.order_by {
                keys.push(eval(env, e, row)?);
            }
            return Ok(self.beats_worst(&keys).then_some(keys));
        }
        // As in `Aggregation::group_of`: keys that cannot be read in place
        // first, then the rest borrowed, all on the stack.
        let mut computed: [Option<Value>; INLINE_KEYS] = Default::default();
        for (j, ((e, _), in_place)) in self.p.order_by.iter().zip(&self.in_place).enumerate() {
            if !*in_place {
                computed[j] = Some(eval(env, e, row)?);
            }
        }
        let mut keys: [Cow<Value>; INLINE_KEYS] = Default::default();
        for (j, (e, _)) in self.p.order_by.iter().enumerate() {
            keys[j] = match &computed[j] {
                Some(v) => Cow::Borrowed(v),
                None => match value_ref(env.graph, e, row) {
                    Some(v) => Cow::Borrowed(v),
                    None => match peek(env.graph, e, row) {
                        Some(v) => v?,
                        None => Cow::Owned(eval(env, e, &mut row.clone())?),
                    },
                },
            };
        }
        let keys = &keys[..n];
        if !self.beats_worst(keys) {
            return Ok(None);
        }
        Ok(Some(keys.iter().map(|k| k.as_ref().clone()).collect()))
    }

    /// Whether a row with `keys` makes the first `k`: a row that ties with
    /// the last one kept came later, so it loses.
    fn beats_worst<V: std::borrow::Borrow<Value>>(&self, keys: &[V]) -> bool {
        match self.kept.last() {
            Some((worst, _)) if self.kept.len() == self.k => {
                self.cmp_keys(keys, worst) == Ordering::Less
            }
            _ => true,
        }
    }

    /// Keeps `row`. The memory budget is not charged: at most `k` rows
    /// stay, and it could not be refunded for the ones pushed out.
    fn insert(&mut self, keys: Vec<Value>, row: Row) {
        let at = self
            .kept
            .partition_point(|(k, _)| self.cmp_keys(k, &keys) != Ordering::Greater);
        self.kept.insert(at, (keys, row));
        self.kept.truncate(self.k);
    }

    /// The kept rows, best first.
    pub fn into_rows(self) -> Vec<Row> {
        self.kept.into_iter().map(|(_, r)| r).collect()
    }
}
