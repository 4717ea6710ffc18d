//! One-pass hash aggregation for `WITH` and `RETURN`: [`Aggregation`]
//! takes rows one at a time (straight from a pattern match), keeps one set
//! of aggregates per group, merges partial aggregations from a parallel
//! scan, and hands each group's row to a consumer (all of them, or a
//! [`TopK`]).

use std::borrow::Cow;
use std::collections::VecDeque;

use crate::error::QueryError;
use crate::graph::Value;
use crate::query::aggregate::{self, Accumulator};
use crate::query::analyze::ir::BProjection;
use crate::query::eval::{Env, Row, eval, peek, readable_in_place, slot_property, value_ref};

use super::group::{Grouper, keys_eq};
use super::pregroup::PreGroups;
use super::topk::TopK;

/// One aggregate's running state. Plain `count` is by far the most
/// common aggregate, so it is kept inline rather than boxed.
pub(super) enum Acc {
    /// `count(*)` or `count(e)` without `DISTINCT`: rows (or non-null
    /// values) so far.
    Count(i64),
    /// Any other aggregate.
    Other(Box<dyn Accumulator>),
}

impl Acc {
    /// Takes the next row's value (for `count(*)`, any non-null value).
    #[inline]
    pub(super) fn update(&mut self, v: &Value) -> Result<(), QueryError> {
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

/// A new group's aggregates for projection `p`, one per aggregate, for a
/// group whose first row is `row`.
pub(super) fn fresh_accumulators(
    p: &BProjection,
    env: &Env,
    row: &mut Row,
) -> Result<Vec<Acc>, QueryError> {
    let mut accs = Vec::with_capacity(p.aggregates.len());
    for a in &p.aggregates {
        if !a.distinct && a.name == "count" {
            accs.push(Acc::Count(0));
            continue;
        }
        let extra = a
            .args
            .iter()
            .skip(1)
            .map(|e| eval(env, e, row))
            .collect::<Result<Vec<_>, _>>()?;
        accs.push(Acc::Other(aggregate::accumulator(
            &a.name, a.distinct, &extra,
        )?));
    }
    Ok(accs)
}

/// How many rows late [`Aggregation::push`] places a row counted into
/// many pre-groups: about as many as memory can fetch for at once. Measured
/// on co_mentions at 10^6 relationships, one thread (medians): 1 row 214
/// ms, 4 rows 187, 8 rows 176, 16 rows 194.
const DEFER_ROWS: usize = 8;

/// Grouping keys read per row without copies: up to this many keys live
/// on the stack.
pub(super) const INLINE_KEYS: usize = 4;

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
    /// Rows grouped by the elements their keys are read from, while that
    /// lasts (see [`PreGroups`]): the aggregates in `accs` are then the
    /// pre-groups', and `grouper` is empty until they are folded into it.
    pre: Option<PreGroups>,
    /// Whether the first row has decided to keep `pre` or not.
    pre_decided: bool,
    /// Whether every aggregate is `count(*)`: a row's counts are then
    /// bumped one row late ([`Aggregation::push`]).
    counts_only: bool,
    /// The aggregates (by index of the first) of the row that came last,
    /// not counted yet.
    pending: Option<usize>,
    /// The pre-group numbers of the last rows, not placed yet, oldest
    /// first (see [`Aggregation::push`]); at most [`DEFER_ROWS`].
    deferred: VecDeque<[u64; INLINE_KEYS]>,
}

/// Moves the next `n` aggregates of `from` into group `g` of `accs`: as
/// its aggregates when the group is `new`, else merged into them.
fn merge_accs(
    accs: &mut Vec<Acc>,
    g: usize,
    new: bool,
    n: usize,
    from: &mut impl Iterator<Item = Acc>,
) {
    if new {
        accs.extend(from.take(n));
    } else {
        for (j, mut acc) in from.take(n).enumerate() {
            let merged = accs[g * n + j].merge(&mut acc);
            debug_assert!(merged, "merge() of an aggregation that is not mergeable");
        }
    }
}

/// Where [`Aggregation::for_each_group`] sends the groups' rows.
enum Sink<'s, 'p> {
    /// Every row, charged to the memory budget.
    All(&'s mut Vec<Row>),
    /// The first rows in `ORDER BY` order.
    Top(&'s mut TopK<'p>),
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
            pre: if keep_rows {
                None
            } else {
                PreGroups::plan(p, &keys)
            },
            pre_decided: false,
            counts_only: p
                .aggregates
                .iter()
                .all(|a| a.name == "count" && !a.distinct && a.args.is_empty()),
            pending: None,
            deferred: VecDeque::new(),
            keys,
            rows: Vec::new(),
            keep_rows,
            accs: Vec::new(),
            last_group: 0,
        }
    }

    /// Whether the groups are few by construction: no grouping key, or
    /// keys read only from label sets or types. Partial aggregations are
    /// then cheap to merge, and a scan may be cut finer.
    pub fn few_groups(&self) -> bool {
        self.keys.is_empty() || self.pre.as_ref().is_some_and(PreGroups::few)
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
    pub fn merge(&mut self, env: &Env, mut later: Aggregation) -> Result<(), QueryError> {
        self.flush();
        later.flush();
        let n = self.p.aggregates.len();
        if let (Some(pre), Some(later_pre)) = (&mut self.pre, &later.pre)
            && pre.can_absorb(later_pre)
        {
            let mut accs = std::mem::take(&mut later.accs).into_iter();
            let mine = &mut self.accs;
            pre.absorb(later_pre, &mut |g, new| {
                merge_accs(mine, g, new, n, &mut accs)
            });
            return Ok(());
        }
        self.fold_pre_groups(env)?;
        later.fold_pre_groups(env)?;
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
            }
            merge_accs(&mut self.accs, gi, new, n, &mut accs);
        }
        Ok(())
    }

    /// Ends the pre-grouping: each pre-group, in order, joins the group of
    /// its keys, and later rows are grouped by key.
    fn fold_pre_groups(&mut self, env: &Env) -> Result<(), QueryError> {
        self.flush();
        self.pre_decided = true;
        let Some(pre) = self.pre.take() else {
            return Ok(());
        };
        let n = self.p.aggregates.len();
        let mut accs = std::mem::take(&mut self.accs).into_iter();
        let mut row = vec![Value::Null; self.width];
        for g in 0..pre.len() {
            env.guard.tick()?;
            pre.bind(g, &mut row);
            let (gi, new) = self.group_of(env, &mut row)?;
            merge_accs(&mut self.accs, gi, new, n, &mut accs);
        }
        Ok(())
    }

    fn new_accumulators(&mut self, env: &Env, row: &mut Row) -> Result<(), QueryError> {
        let fresh = fresh_accumulators(self.p, env, row)?;
        self.accs.extend(fresh);
        Ok(())
    }

    /// Whether groups keep their first row (something after the
    /// aggregation reads a slot that is neither a key nor an aggregate).
    pub(super) fn keeps_rows(&self) -> bool {
        self.keep_rows
    }

    /// Takes a group aggregated elsewhere: `accs` (from
    /// [`fresh_accumulators`]) over rows that all come after
    /// those taken so far and share the keys of `row`, their first.
    /// As if those rows had been pushed one by one, up to the rounding of
    /// float sums; only for a [`Aggregation::mergeable`] aggregation.
    pub(super) fn absorb_group(
        &mut self,
        env: &Env,
        row: &mut Row,
        accs: Vec<Acc>,
    ) -> Result<(), QueryError> {
        self.flush();
        let (gi, new) = self.place(env, row)?;
        if new {
            if self.keep_rows {
                self.rows.push(row.clone());
            }
            self.accs.extend(accs);
            return Ok(());
        }
        let n = self.p.aggregates.len();
        for (j, mut acc) in accs.into_iter().enumerate() {
            let merged = self.accs[gi * n + j].merge(&mut acc);
            debug_assert!(
                merged,
                "absorb_group() of an aggregation that is not mergeable"
            );
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
                None => match value_ref(env.graph, &self.p.items[k].0, row) {
                    Some(v) => Cow::Borrowed(v),
                    None => match peek(env.graph, &self.p.items[k].0, row) {
                        Some(v) => v?,
                        // Not reached (`keys_in_place` said it could be
                        // read in place); a copy of the row stays correct.
                        None => Cow::Owned(eval(env, &self.p.items[k].0, &mut row.clone())?),
                    },
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

    /// Counts one row into the aggregates at `base` (all plain counts).
    #[inline]
    fn bump(&mut self, base: usize) {
        for acc in &mut self.accs[base..base + self.p.aggregates.len()] {
            if let Acc::Count(n) = acc {
                *n += 1;
            }
        }
    }

    /// Places the rows left deferred and applies the count a row left
    /// pending (see [`Aggregation::push`]): before the aggregates are
    /// read, merged or moved.
    fn flush(&mut self) {
        while let Some(dets) = self.deferred.pop_front() {
            self.count_deferred(dets);
        }
        if let Some(base) = self.pending.take() {
            self.bump(base);
        }
    }

    /// Counts a deferred row into its pre-group, one row late as
    /// [`Aggregation::push`] counts.
    fn count_deferred(&mut self, dets: [u64; INLINE_KEYS]) {
        let Some(pre) = &mut self.pre else {
            return;
        };
        let (gi, new) = pre.place(dets);
        let n = self.p.aggregates.len();
        if new {
            // Every aggregate is a plain `count(*)`.
            self.accs.extend((0..n).map(|_| Acc::Count(0)));
        }
        self.count_late(gi * n);
    }

    /// Counts a row into the aggregates at `base` on the next row: asked
    /// for now, they arrive meanwhile (groups are many and scattered).
    #[inline]
    fn count_late(&mut self, base: usize) {
        crate::graph::prefetch(std::ptr::from_ref(&self.accs[base]).cast());
        if let Some(previous) = self.pending.replace(base) {
            self.bump(previous);
        }
    }

    /// The group of `row` (pre-grouped while that lasts), creating it if
    /// new: (index, whether new).
    fn place(&mut self, env: &Env, row: &mut Row) -> Result<(usize, bool), QueryError> {
        env.guard.tick()?;
        if row.len() < self.width {
            row.resize(self.width, Value::Null);
        }
        if !self.pre_decided {
            self.pre_decided = true;
            if let Some(pre) = &self.pre
                && !pre.worthwhile(env, self.p, &self.keys, row)
            {
                self.pre = None;
            }
        }
        let pre_group = match &mut self.pre {
            Some(pre) => pre.group_of(env.graph, row),
            None => None,
        };
        match pre_group {
            Some(found) => Ok(found),
            None => {
                // A row that cannot be pre-grouped ends the pre-grouping.
                if self.pre.is_some() {
                    self.fold_pre_groups(env)?;
                }
                self.group_of(env, row)
            }
        }
    }

    /// Adds one row to its group.
    pub fn push(&mut self, env: &Env, row: &mut Row) -> Result<(), QueryError> {
        // Counting into many pre-groups: a row's pre-group is looked up
        // `DEFER_ROWS` rows late, its table slot requested now (and its
        // counts bumped another row later, see `count_late`), so neither
        // lookup waits on memory. Groups are still made in the order of
        // their rows.
        if self.counts_only
            && self.pre_decided
            && let Some(pre) = &self.pre
            && pre.defers()
        {
            env.guard.tick()?;
            if let Some(dets) = pre.ahead(env.graph, row) {
                if self.deferred.len() == DEFER_ROWS
                    && let Some(oldest) = self.deferred.pop_front()
                {
                    self.count_deferred(oldest);
                }
                self.deferred.push_back(dets);
                return Ok(());
            }
            // Not this way: the rows before go first.
            self.flush();
        }
        let (gi, new) = self.place(env, row)?;
        if new {
            if self.keep_rows {
                self.rows.push(row.clone());
            }
            self.new_accumulators(env, row)?;
        }
        let base = gi * self.p.aggregates.len();
        if self.counts_only {
            self.count_late(base);
            return Ok(());
        }
        for (ai, a) in self.p.aggregates.iter().enumerate() {
            let acc = &mut self.accs[base + ai];
            match a.args.first() {
                None => acc.update(&Value::Bool(true))?,
                Some(e) if self.args_in_place[ai] => match slot_property(env.graph, e, row) {
                    Some(v) => acc.update(v)?,
                    None => match peek(env.graph, e, row) {
                        Some(v) => acc.update(v?.as_ref())?,
                        None => acc.update(&eval(env, e, row)?)?,
                    },
                },
                Some(e) => acc.update(&eval(env, e, row)?)?,
            }
        }
        Ok(())
    }

    /// One row per group with the aggregates and items computed; without
    /// grouping keys, one row even when no row came in.
    pub fn finish(self, env: &Env) -> Result<Vec<Row>, QueryError> {
        let mut out = Vec::new();
        self.for_each_group(env, Sink::All(&mut out))?;
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
        self.for_each_group(env, Sink::Top(&mut top))?;
        Ok(top.into_rows())
    }

    /// Builds each group's row in turn and hands it to `sink`. A group
    /// that a top-k would reject on its aggregates alone is not built.
    fn for_each_group(mut self, env: &Env, mut sink: Sink) -> Result<(), QueryError> {
        self.flush();
        let p = self.p;
        if let Some(pre) = self.pre.take() {
            if pre.injective(env, p, &self.keys, self.width)? {
                return self.for_each_pre_group(env, &pre, sink);
            }
            self.pre = Some(pre);
            self.fold_pre_groups(env)?;
        }
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
            if let Sink::Top(top) = &sink
                && top.hopeless(env, &mut row)?
            {
                keys.by_ref().take(width).for_each(drop);
                if !self.keep_rows {
                    scratch = Some(row);
                }
                continue;
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
            let reuse = sink.take(env, row)?;
            if !self.keep_rows {
                scratch = reuse;
            }
        }
        Ok(())
    }

    /// [`Aggregation::for_each_group`] when the pre-groups are the groups:
    /// each group's keys are read from its elements.
    fn for_each_pre_group(
        self,
        env: &Env,
        pre: &PreGroups,
        mut sink: Sink,
    ) -> Result<(), QueryError> {
        let p = self.p;
        let mut accs = self.accs.into_iter();
        let mut row = vec![Value::Null; self.width];
        let mut vals: Vec<Value> = Vec::with_capacity(p.items.len());
        for g in 0..pre.len() {
            env.guard.tick()?;
            for a in &p.aggregates {
                if let Some(mut acc) = accs.next() {
                    row[a.slot] = acc.finish()?;
                }
            }
            // The lead key reads only aggregates: a hopeless group's
            // elements are not even bound.
            if let Sink::Top(top) = &sink
                && top.hopeless(env, &mut row)?
            {
                continue;
            }
            pre.bind(g, &mut row);
            // All items are computed before any is written, as above.
            vals.clear();
            for (e, _) in &p.items {
                vals.push(eval(env, e, &mut row)?);
            }
            for ((_, slot), v) in p.items.iter().zip(vals.drain(..)) {
                row[*slot] = v;
            }
            row = match sink.take(env, row)? {
                Some(r) => r,
                None => vec![Value::Null; self.width],
            };
        }
        Ok(())
    }
}

impl Sink<'_, '_> {
    /// Takes a group's row; hands it back when it may be reused.
    fn take(&mut self, env: &Env, mut row: Row) -> Result<Option<Row>, QueryError> {
        match self {
            Sink::All(out) => {
                env.guard.budget.keep(&row)?;
                out.push(row);
                Ok(None)
            }
            Sink::Top(top) => {
                top.offer(env, &mut row)?;
                Ok(Some(row))
            }
        }
    }
}
