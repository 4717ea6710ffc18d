//! Aggregating a scan of single nodes without binding rows:
//! `MATCH (n) RETURN labels(n)[0] AS label, count(*), avg(n.score)`.
//!
//! The general path binds each node in a row, finds its group through the
//! aggregation and reads each argument through the row: some 30 ns per
//! node, for a loop whose real work is reading one label set and one
//! value. When the pattern is one scanned node, its filters are
//! [`NodeTest`]s, the grouping keys read only the node's labels and every
//! aggregate is a mergeable one of nothing (`count(*)`) or of one property
//! of the node, [`ScanAggregate`] runs that loop directly: per node, its
//! label set picks one of a few partial groups, and each aggregate takes
//! the property's value from its node column when it has one (a number
//! costs no record read), else from the record.
//!
//! The partial groups (one per label set met, in order of first node) are
//! then handed to the [`Aggregation`] as groups aggregated elsewhere, with
//! their first node bound: it groups them by the keys, as it would have
//! grouped their rows, and finishes as usual (order, top-k, `WITH`'s
//! `WHERE`). Float sums are added per label set and then merged, as the
//! parallel and pre-grouped paths already do. When one group gathers
//! several label sets (`labels(n)[0]`), only `count` and `avg` are
//! admitted: the others depend on the order of their rows.

use super::aggregation::{Acc, Aggregation, fresh_accumulators};
use super::count::LoneNode;
use super::resolve::{NodeCheck, NodeTest, Resolved, all_pass, all_pass_in_columns};
use crate::error::QueryError;
use crate::graph::columns::Column;
use crate::graph::{Graph, NodeId, Symbol, Value};
use crate::query::aggregate;
use crate::query::analyze::ir::{BExpr, BProjection, PropKey, Slot};
use crate::query::eval::{Env, Row};
use crate::query::plan::pattern::{NodeSource, PatternPlan};

/// A scan aggregation that applies (see the module doc).
pub struct ScanAggregate<'p> {
    plan: &'p PatternPlan,
    p: &'p BProjection,
    /// The scanned node's slot.
    slot: Slot,
    /// Per aggregate, the key of the property it reads (`None`:
    /// `count(*)`).
    args: Vec<Option<&'p PropKey>>,
    /// Whether the groups depend on the node's labels (else there is one).
    by_labels: bool,
}

/// The groups of one chunk of the scan, in order of first node.
pub struct Partial {
    /// Per group: its first node, its label set and its aggregates.
    groups: Vec<(NodeId, u32, Vec<Acc>)>,
    /// The nodes that passed the filters.
    pub nodes: u64,
}

/// How one aggregate reads its argument from a node.
enum Arg<'g> {
    /// `count(*)`: every node counts.
    Star,
    /// A key no element has: null.
    Null,
    /// A property, with its column if it has one.
    Prop(Symbol, Option<&'g Column>),
}

impl<'p> ScanAggregate<'p> {
    /// The scan aggregation of `plan` feeding `p`, if they have the shape
    /// of the module doc (filters are checked when it runs).
    pub fn detect(plan: &'p PatternPlan, p: &'p BProjection) -> Option<ScanAggregate<'p>> {
        let n = LoneNode::of(plan)?.node;
        let slot = n.slot;
        let mut args = Vec::with_capacity(p.aggregates.len());
        for a in &p.aggregates {
            if !aggregate::mergeable(&a.name, a.distinct) {
                return None;
            }
            args.push(match a.args.as_slice() {
                [] if a.name == "count" => None,
                [BExpr::Prop(base, key)] if matches!(**base, BExpr::Var(s) if s == slot) => {
                    Some(key)
                }
                _ => return None,
            });
        }
        let agg_slots: Vec<Slot> = p.aggregates.iter().map(|a| a.slot).collect();
        let mut by_labels = false;
        let mut one_label = false;
        for (e, _) in &p.items {
            if e.slots().iter().any(|s| agg_slots.contains(s)) {
                continue;
            }
            if !reads_only_labels(e, slot) {
                return None;
            }
            by_labels = true;
            one_label |= matches!(e, BExpr::Index(..));
        }
        // With `labels(n)[0]`, nodes of several label sets share a group,
        // and their partial groups join it one label set after another,
        // not in scan order: only aggregates indifferent to the order of
        // their rows may take that (`collect` lists would come out in
        // another order, and `max` of 1 and 1.0 keep another of the two).
        if one_label
            && !p
                .aggregates
                .iter()
                .all(|a| matches!(a.name.as_str(), "count" | "avg"))
        {
            return None;
        }
        Some(ScanAggregate {
            plan,
            p,
            slot,
            args,
            by_labels,
        })
    }

    /// Whether every filter is a [`NodeTest`] on graph `g` (else the
    /// general path runs).
    pub fn applies(&self, g: &Graph) -> bool {
        let res = Resolved::new(self.plan, g);
        (1..self.plan.steps.len()).all(|i| {
            res.filter(i)
                .and_then(|f| NodeTest::new(f, self.slot, g))
                .is_some()
        })
    }

    /// Aggregates the scanned nodes of `ids` (a chunk of a parallel scan)
    /// or of the whole scan. `None` when a filter is not a [`NodeTest`]
    /// (see [`ScanAggregate::applies`]).
    pub fn run_chunk(
        &self,
        env: &Env,
        row: &mut Row,
        ids: Option<&[NodeId]>,
    ) -> Option<Result<Partial, QueryError>> {
        let g = env.graph;
        let res = Resolved::new(self.plan, g);
        let mut tests = Vec::with_capacity(self.plan.steps.len() - 1);
        for i in 1..self.plan.steps.len() {
            tests.push(NodeTest::new(res.filter(i)?, self.slot, g)?);
        }
        let lone = LoneNode::of(self.plan)?;
        let source = lone.source;
        let check = lone.check(&res);
        let columns = g.node_columns();
        let args: Vec<Arg> = self
            .args
            .iter()
            .map(|a| match a {
                None => Arg::Star,
                Some(key) => match key.symbol(g) {
                    None => Arg::Null,
                    Some(sym) => Arg::Prop(sym, columns.and_then(|c| c.column(sym))),
                },
            })
            .collect();
        let mut scan = Scan {
            g,
            p: self.p,
            check,
            tests,
            args,
            by_labels: self.by_labels,
            partial: Partial {
                groups: Vec::new(),
                nodes: 0,
            },
        };
        let outcome = match (ids, source) {
            (Some(ids), _) => scan.run(env, row, ids.iter().copied()),
            (None, NodeSource::Label(l)) => scan.run(env, row, g.nodes_with_label(l)),
            (None, _) => scan.run(env, row, g.node_ids()),
        };
        Some(outcome.map(|()| scan.partial))
    }

    /// Hands the groups of `partial` to `agg`, each with its first node
    /// bound in `row`.
    pub fn absorb(
        &self,
        env: &Env,
        agg: &mut Aggregation,
        row: &Row,
        partial: Partial,
    ) -> Result<(), QueryError> {
        for (first, _, accs) in partial.groups {
            let mut r = row.clone();
            r[self.slot] = Value::Node(first);
            agg.absorb_group(env, &mut r, accs)?;
        }
        Ok(())
    }
}

/// Whether `e` reads nothing of the row but the labels of the node in
/// `slot`: `labels(n)` or `labels(n)[constant]`.
fn reads_only_labels(e: &BExpr, slot: Slot) -> bool {
    let labels_of_node = |e: &BExpr| match e {
        BExpr::Call(f, args) => {
            f.name == "labels" && matches!(args.as_slice(), [BExpr::Var(s)] if *s == slot)
        }
        _ => false,
    };
    match e {
        BExpr::Index(list, index) => {
            labels_of_node(list) && matches!(**index, BExpr::Const(Value::Int(_)))
        }
        e => labels_of_node(e),
    }
}

/// One chunk's loop.
struct Scan<'s, 'g> {
    g: &'g Graph,
    p: &'s BProjection,
    check: Option<&'s NodeCheck>,
    tests: Vec<NodeTest<'s, 'g>>,
    args: Vec<Arg<'g>>,
    by_labels: bool,
    partial: Partial,
}

impl Scan<'_, '_> {
    fn run(
        &mut self,
        env: &Env,
        row: &mut Row,
        ids: impl Iterator<Item = NodeId>,
    ) -> Result<(), QueryError> {
        let g = self.g;
        let columns = g.node_columns();
        // The group the last node went to: a scan meets the nodes of one
        // label set in long runs.
        let mut last: Option<(u32, usize)> = None;
        for id in ids {
            env.guard.tick()?;
            if self.check.is_some_and(|c| !c.labels_ok(g, id)) {
                continue;
            }
            if !self.tests.is_empty() {
                let pass = match all_pass_in_columns(&self.tests, id) {
                    Some(pass) => pass,
                    None => match g.node(id) {
                        Some(node) => all_pass(&mut self.tests, node)?,
                        None => false,
                    },
                };
                if !pass {
                    continue;
                }
            }
            self.partial.nodes += 1;
            let set = if self.by_labels {
                match columns
                    .and_then(|c| c.label_set(id))
                    .or_else(|| g.node_label_set(id))
                {
                    Some(set) => set,
                    None => continue,
                }
            } else {
                0
            };
            let gi = match last {
                Some((s, gi)) if s == set => gi,
                _ => {
                    let gi = match self.partial.groups.iter().position(|(_, s, _)| *s == set) {
                        Some(gi) => gi,
                        None => {
                            let accs = fresh_accumulators(self.p, env, row)?;
                            self.partial.groups.push((id, set, accs));
                            self.partial.groups.len() - 1
                        }
                    };
                    last = Some((set, gi));
                    gi
                }
            };
            let accs = &mut self.partial.groups[gi].2;
            for (acc, arg) in accs.iter_mut().zip(&self.args) {
                match arg {
                    Arg::Star => acc.update(&Value::Bool(true))?,
                    Arg::Null => acc.update(&Value::Null)?,
                    Arg::Prop(key, column) => {
                        if let Some(v) = column.and_then(|c| c.cell(id).scalar()) {
                            // A scalar owns nothing: not dropping it saves
                            // a call per node.
                            let v = std::mem::ManuallyDrop::new(v);
                            acc.update(&v)?;
                        } else {
                            let v = g.node_property(id, *key).flatten();
                            acc.update(v.unwrap_or(&Value::Null))?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
