//! `WITH` and `RETURN`: projection, one-pass hash aggregation, `DISTINCT`,
//! `ORDER BY` (top-k under `LIMIT`), `SKIP`, `LIMIT` and `WHERE`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::hash::{BuildHasher, Hash, Hasher};

use hashbrown::HashTable;

use crate::error::{ErrorKind, QueryError};
use crate::graph::Value;
use crate::query::aggregate::{self, Accumulator};
use crate::query::analyze::ir::{BExpr, BProjection};
use crate::query::eval::{Env, Row, eval, peek, readable_in_place, truthy};

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

/// Hashes a grouping key. The seed is fixed: group order follows first
/// appearance, never the hash, so it only has to be fast.
fn hash_key<V: std::borrow::Borrow<Value>>(key: &[V]) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(0x6b67_7120).build_hasher();
    for v in key {
        hash_value(v.borrow(), &mut h);
    }
    h.finish()
}

fn keys_eq<V: std::borrow::Borrow<Value>>(a: &[Value], b: &[V]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| value_eq(x, y.borrow()))
}

/// [`Value::group_eq`] with the common cases first: strings compare
/// bytewise there, so an equality test (lengths, then bytes) says the
/// same without ordering them.
fn value_eq(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Node(a), Value::Node(b)) => a == b,
        _ => x.group_eq(y),
    }
}

/// Groups keys of one width in one pass: `find_or_insert` returns the
/// group's index, numbered in order of first appearance. Keys are stored
/// end to end in one vector, so a new group costs no allocation of its
/// own beyond its values.
#[derive(Default)]
pub struct Grouper {
    /// (hash, group index) per group.
    table: HashTable<(u64, usize)>,
    /// The keys of all groups, `width` values each.
    keys: Vec<Value>,
    width: usize,
    groups: usize,
}

impl Grouper {
    /// A grouper for keys of `width` values.
    pub fn new(width: usize) -> Grouper {
        Grouper {
            width,
            ..Grouper::default()
        }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.groups
    }

    /// Whether there is no group yet.
    pub fn is_empty(&self) -> bool {
        self.groups == 0
    }

    fn key(&self, i: usize) -> &[Value] {
        &self.keys[i * self.width..(i + 1) * self.width]
    }

    /// The index of `key`'s group and whether it is new. A key of another
    /// width than the first one's sets the width (all callers use one).
    pub fn find_or_insert(&mut self, key: Vec<Value>) -> (usize, bool) {
        if self.groups == 0 {
            self.width = key.len();
        }
        let hash = hash_key(&key);
        if let Some(i) = self.find(hash, &key) {
            return (i, false);
        }
        self.keys.extend(key);
        (self.insert(hash), true)
    }

    /// [`Grouper::find_or_insert`] for a key read in place: the values
    /// are copied only when they start a new group.
    pub fn find_or_insert_ref(&mut self, key: &[Cow<Value>]) -> (usize, bool) {
        if self.groups == 0 {
            self.width = key.len();
        }
        let hash = hash_key(key);
        if let Some(i) = self.find(hash, key) {
            return (i, false);
        }
        self.keys.extend(key.iter().map(|v| v.as_ref().clone()));
        (self.insert(hash), true)
    }

    fn find<V: std::borrow::Borrow<Value>>(&self, hash: u64, key: &[V]) -> Option<usize> {
        self.table
            .find(hash, |&(h, i)| h == hash && keys_eq(self.key(i), key))
            .map(|&(_, i)| i)
    }

    fn insert(&mut self, hash: u64) -> usize {
        let i = self.groups;
        self.groups += 1;
        self.table.insert_unique(hash, (hash, i), |&(h, _)| h);
        i
    }

    /// The keys of all groups, `width` values each, in group order.
    pub fn into_keys(self) -> Vec<Value> {
        self.keys
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
        })
    }

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
                None => match peek(env.graph, e, row) {
                    Some(v) => v?,
                    None => Cow::Owned(eval(env, e, &mut row.clone())?),
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

/// One aggregate's running state. Plain `count` is by far the most
/// common aggregate, so it is kept inline rather than boxed.
enum Acc {
    /// `count(*)` or `count(e)` without `DISTINCT`: rows (or non-null
    /// values) so far.
    Count(i64),
    /// Any other aggregate.
    Other(Box<dyn Accumulator>),
}

impl Acc {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        match self {
            Acc::Count(n) => {
                if !v.is_null() {
                    *n += 1;
                }
                Ok(())
            }
            Acc::Other(a) => a.update(v),
        }
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        match self {
            Acc::Count(n) => Ok(Value::Int(*n)),
            Acc::Other(a) => a.finish(),
        }
    }

    /// Folds in the same aggregate over later rows; `false` when it
    /// cannot be merged.
    fn merge(&mut self, later: &mut Acc) -> bool {
        match (self, later) {
            (Acc::Count(n), Acc::Count(m)) => {
                *n += *m;
                true
            }
            (Acc::Other(a), Acc::Other(b)) => a.merge(b.as_mut()),
            _ => false,
        }
    }
}

/// Grouping keys read per row without copies: up to this many keys live
/// on the stack.
const INLINE_KEYS: usize = 4;

/// One-pass hash aggregation: rows are pushed one at a time (straight from
/// a pattern match, without collecting them). Keys that are slots or
/// properties are read in place and copied only for a new group; a group
/// keeps its first row only when something after the aggregation reads a
/// slot that is neither a key nor an aggregate.
pub struct Aggregation<'p> {
    p: &'p BProjection,
    width: usize,
    /// Indexes of the items without aggregates: the grouping keys.
    keys: Vec<usize>,
    /// Per key: whether it is read in place.
    keys_in_place: Vec<bool>,
    /// Per aggregate: whether its argument is read in place.
    args_in_place: Vec<bool>,
    grouper: Grouper,
    /// Each group's first row, when [`Aggregation::keeps_rows`].
    rows: Vec<Row>,
    keep_rows: bool,
    /// The aggregates of all groups, one per aggregate each.
    accs: Vec<Acc>,
    /// The group the last row went to: rows of one group often come in
    /// runs (a scan meets the nodes of one label together), and comparing
    /// with one group's key skips hashing. Only a hint: it is checked
    /// against the group count and the key before use.
    last_group: usize,
}

impl<'p> Aggregation<'p> {
    /// An empty aggregation for `p` over rows of `width` slots.
    pub fn new(p: &'p BProjection, width: usize) -> Aggregation<'p> {
        let agg_slots: Vec<usize> = p.aggregates.iter().map(|a| a.slot).collect();
        let keys: Vec<usize> = p
            .items
            .iter()
            .enumerate()
            .filter(|(_, (e, _))| !e.slots().iter().any(|s| agg_slots.contains(s)))
            .map(|(i, _)| i)
            .collect();
        // The slots read after grouping: by the items with aggregates, by
        // ORDER BY and by WITH's WHERE. Item and aggregate slots are
        // written at the end; any other slot needs the group's first row.
        let mut read_after = Vec::new();
        for (i, (e, _)) in p.items.iter().enumerate() {
            if !keys.contains(&i) {
                e.visit_slots(&mut |s| read_after.push(s));
            }
        }
        for (e, _) in &p.order_by {
            e.visit_slots(&mut |s| read_after.push(s));
        }
        if let Some(f) = &p.filter {
            f.visit_slots(&mut |s| read_after.push(s));
        }
        let keep_rows = read_after
            .iter()
            .any(|s| !agg_slots.contains(s) && !p.items.iter().any(|(_, slot)| slot == s));
        Aggregation {
            p,
            width,
            keys_in_place: keys
                .iter()
                .map(|&k| readable_in_place(&p.items[k].0))
                .collect(),
            args_in_place: p
                .aggregates
                .iter()
                .map(|a| a.args.first().is_some_and(readable_in_place))
                .collect(),
            grouper: Grouper::new(keys.len()),
            keys,
            rows: Vec::new(),
            keep_rows,
            accs: Vec::new(),
            last_group: 0,
        }
    }

    /// Whether partial aggregations over consecutive runs of rows can be
    /// merged into this one ([`Aggregation::merge`]).
    pub fn mergeable(&self) -> bool {
        self.p
            .aggregates
            .iter()
            .all(|a| aggregate::mergeable(&a.name, a.distinct))
    }

    /// Folds in `later`, the same aggregation over rows that all come
    /// after this one's: its new groups follow this one's, in their
    /// order, and groups in both merge their aggregates. Only for a
    /// [`Aggregation::mergeable`] aggregation.
    pub fn merge(&mut self, later: Aggregation) {
        let n = self.p.aggregates.len();
        let width = later.keys.len();
        let groups = later.grouper.len();
        let mut keys = later.grouper.into_keys().into_iter();
        let mut rows = later.rows.into_iter();
        let mut accs = later.accs.into_iter();
        for _ in 0..groups {
            let key: Vec<Value> = keys.by_ref().take(width).collect();
            let (gi, new) = self.grouper.find_or_insert(key);
            let row = if later.keep_rows { rows.next() } else { None };
            if new {
                self.rows.extend(row);
                self.accs.extend(accs.by_ref().take(n));
            } else {
                for (j, mut acc) in accs.by_ref().take(n).enumerate() {
                    let merged = self.accs[gi * n + j].merge(&mut acc);
                    debug_assert!(merged, "merge() of an aggregation that is not mergeable");
                }
            }
        }
    }

    fn new_accumulators(&mut self, env: &Env, row: &mut Row) -> Result<(), QueryError> {
        for a in &self.p.aggregates {
            if !a.distinct && a.name == "count" {
                self.accs.push(Acc::Count(0));
                continue;
            }
            let extra = a
                .args
                .iter()
                .skip(1)
                .map(|e| eval(env, e, row))
                .collect::<Result<Vec<_>, _>>()?;
            self.accs.push(Acc::Other(aggregate::accumulator(
                &a.name, a.distinct, &extra,
            )?));
        }
        Ok(())
    }

    /// The group of `row`, creating it if new.
    fn group_of(&mut self, env: &Env, row: &mut Row) -> Result<(usize, bool), QueryError> {
        let n = self.keys.len();
        if n > INLINE_KEYS {
            let mut key = Vec::with_capacity(n);
            for &k in &self.keys {
                key.push(eval(env, &self.p.items[k].0, row)?);
            }
            return Ok(self.grouper.find_or_insert(key));
        }
        // Keys that cannot be read in place are computed first, so that
        // the rest can then borrow the row.
        let mut computed: [Option<Value>; INLINE_KEYS] = Default::default();
        for (j, &k) in self.keys.iter().enumerate() {
            if !self.keys_in_place[j] {
                computed[j] = Some(eval(env, &self.p.items[k].0, row)?);
            }
        }
        let mut key: [Cow<Value>; INLINE_KEYS] = Default::default();
        for (j, &k) in self.keys.iter().enumerate() {
            key[j] = match &computed[j] {
                Some(v) => Cow::Borrowed(v),
                None => match peek(env.graph, &self.p.items[k].0, row) {
                    Some(v) => v?,
                    // Not reached (`keys_in_place` said it could be read
                    // in place); a copy of the row stays correct.
                    None => Cow::Owned(eval(env, &self.p.items[k].0, &mut row.clone())?),
                },
            };
        }
        let last = self.last_group;
        if last < self.grouper.len() && keys_eq(self.grouper.key(last), &key[..n]) {
            return Ok((last, false));
        }
        let found = self.grouper.find_or_insert_ref(&key[..n]);
        self.last_group = found.0;
        Ok(found)
    }

    /// Adds one row to its group.
    pub fn push(&mut self, env: &Env, row: &mut Row) -> Result<(), QueryError> {
        env.guard.tick()?;
        if row.len() < self.width {
            row.resize(self.width, Value::Null);
        }
        let (gi, new) = self.group_of(env, row)?;
        if new {
            if self.keep_rows {
                self.rows.push(row.clone());
            }
            self.new_accumulators(env, row)?;
        }
        let base = gi * self.p.aggregates.len();
        for (ai, a) in self.p.aggregates.iter().enumerate() {
            let acc = &mut self.accs[base + ai];
            match a.args.first() {
                None => acc.update(&Value::Bool(true))?,
                Some(e) if self.args_in_place[ai] => match peek(env.graph, e, row) {
                    Some(v) => acc.update(v?.as_ref())?,
                    None => acc.update(&eval(env, e, row)?)?,
                },
                Some(e) => acc.update(&eval(env, e, row)?)?,
            }
        }
        Ok(())
    }

    /// One row per group with the aggregates and items computed; without
    /// grouping keys, one row even when no row came in.
    pub fn finish(self, env: &Env) -> Result<Vec<Row>, QueryError> {
        let mut out = Vec::with_capacity(self.grouper.len());
        self.for_each_group(env, &mut |row| {
            env.guard.budget.keep(&row)?;
            out.push(row);
            Ok(None)
        })?;
        Ok(out)
    }

    /// [`Aggregation::finish`] keeping only the first `skip + limit` rows
    /// in `ORDER BY` order where that is all the projection needs: the
    /// groups then stream through a [`TopK`] and are never all built.
    pub fn finish_top(
        self,
        env: &Env,
        skip: Option<usize>,
        limit: Option<usize>,
    ) -> Result<Vec<Row>, QueryError> {
        let Some(mut top) = TopK::for_projection(self.p, skip, limit) else {
            return self.finish(env);
        };
        self.for_each_group(env, &mut |mut row| {
            top.offer(env, &mut row)?;
            Ok(Some(row))
        })?;
        Ok(top.into_rows())
    }

    /// Builds each group's row in turn and hands it to `f`, which may hand
    /// it back to be reused for the next group.
    fn for_each_group(
        mut self,
        env: &Env,
        f: &mut dyn FnMut(Row) -> Result<Option<Row>, QueryError>,
    ) -> Result<(), QueryError> {
        let p = self.p;
        if self.grouper.is_empty() && self.keys.is_empty() {
            let mut row = vec![Value::Null; self.width];
            self.new_accumulators(env, &mut row)?;
            self.grouper.find_or_insert(Vec::new());
            if self.keep_rows {
                self.rows.push(row);
            }
        }
        let groups = self.grouper.len();
        let width = self.keys.len();
        let mut keys = self.grouper.into_keys().into_iter();
        let mut rows = self.rows.into_iter();
        let mut accs = self.accs.into_iter();
        let mut scratch: Option<Row> = None;
        let is_key: Vec<bool> = (0..p.items.len()).map(|i| self.keys.contains(&i)).collect();
        let mut vals: Vec<Value> = Vec::with_capacity(p.items.len());
        for _ in 0..groups {
            env.guard.tick()?;
            let mut row = match rows.next() {
                Some(r) => r,
                // Without kept rows only item and aggregate slots are
                // read, and every group overwrites them all.
                None => scratch
                    .take()
                    .unwrap_or_else(|| vec![Value::Null; self.width]),
            };
            for a in &p.aggregates {
                if let Some(mut acc) = accs.next() {
                    row[a.slot] = acc.finish()?;
                }
            }
            // Items are all computed before any is written (one may shadow
            // a slot another reads); a key is what it was when the group
            // began, so only the other items are evaluated.
            vals.clear();
            for (i, (e, _)) in p.items.iter().enumerate() {
                if self.keep_rows || !is_key[i] {
                    vals.push(eval(env, e, &mut row)?);
                }
            }
            let mut computed = vals.drain(..);
            for (i, (_, slot)) in p.items.iter().enumerate() {
                let v = if self.keep_rows || !is_key[i] {
                    computed.next()
                } else {
                    keys.next()
                };
                row[*slot] = v.unwrap_or_default();
            }
            drop(computed);
            if self.keep_rows {
                // Stored keys are not needed: the kept row recomputes them.
                keys.by_ref().take(width).for_each(drop);
            }
            if !self.keep_rows {
                scratch = f(row)?;
            } else {
                f(row)?;
            }
        }
        Ok(())
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
        let s = |t: &str| Value::String(t.to_owned());
        assert_eq!(g.find_or_insert(vec![s("ab")]), (4, true));
        assert_eq!(g.find_or_insert(vec![s("abc")]), (5, true));
        assert_eq!(g.find_or_insert(vec![s("ab")]), (4, false));
        assert_eq!(g.find_or_insert(vec![Value::Int(7)]), (6, true));
        assert_eq!(g.find_or_insert(vec![Value::Float(7.0)]), (6, false));
    }
}
