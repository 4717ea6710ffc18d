//! Distinct reach: a variable-length pattern whose matches only feed
//! aggregates that ignore duplicates, such as
//! `MATCH (s {name: $n})-[*1..3]-(x) WHERE x <> s RETURN count(DISTINCT x)`.
//!
//! Enumerating the paths costs as many steps as there are trails, which
//! grows with the product of the degrees; the distinct ends are found by
//! one breadth-first search instead. This is exact because:
//! - the relationship is unnamed and there is no path variable, so two
//!   matches that differ only in their path are the same row downstream,
//!   and every aggregate ignores repeated rows (`DISTINCT`, `min`, `max`);
//! - for `x <> s` and a minimum of at most one hop, some trail (a walk
//!   without a repeated relationship, which is what a match is) of length
//!   in range reaches `x` exactly when its breadth-first distance is in
//!   `1..=max`: a shortest walk repeats no node, so no relationship.
//!
//! The pattern must exclude the start itself (`x <> s`), as whether a
//! trail returns to its start is not a question of distance.

use crate::error::QueryError;
use crate::graph::{Symbol, Value};
use crate::query::analyze::ir::{BExpr, BNode, BProjection, BRel, Slot};
use crate::query::ast::{BinaryOp, PathKind, RelDirection};
use crate::query::eval::{Env, Row, eval, truthy};
use crate::query::plan::pattern::{PatternPlan, Step};

use super::matcher;
use crate::graph::Direction;

/// A pattern recognised as a distinct reach, ready to run.
pub struct DistinctReach<'a> {
    /// The pattern up to the variable-length hop: binds the start.
    head: PatternPlan,
    start_slot: Slot,
    end: &'a BNode,
    rel: &'a BRel,
    dir: Direction,
    max: u64,
    /// The conjuncts checked once the end is bound.
    filters: Vec<&'a BExpr>,
}

/// Whether the aggregate gives the same result when rows repeat or come
/// in another order. `collect(DISTINCT ...)` ignores repeats, but its
/// list shows the order, which the search would change.
fn ignores_repeats(name: &str, distinct: bool) -> bool {
    (distinct && name != "collect") || matches!(name, "min" | "max")
}

/// Whether `e` is `a <> b` over the two slots, in either order.
fn excludes(e: &BExpr, a: Slot, b: Slot) -> bool {
    match e {
        BExpr::Binary(BinaryOp::Ne, x, y) => matches!(
            (&**x, &**y),
            (BExpr::Var(p), BExpr::Var(q)) if (*p == a && *q == b) || (*p == b && *q == a)
        ),
        _ => false,
    }
}

impl<'a> DistinctReach<'a> {
    /// Recognises `plan` feeding `p` as a distinct reach.
    pub fn detect(plan: &'a PatternPlan, p: &BProjection) -> Option<DistinctReach<'a>> {
        if p.aggregates.is_empty()
            || !p
                .aggregates
                .iter()
                .all(|a| ignores_repeats(&a.name, a.distinct))
        {
            return None;
        }
        let [part] = plan.query.parts.as_slice() else {
            return None;
        };
        if part.kind != PathKind::Normal || part.path_slot.is_some() {
            return None;
        }
        let ([rel], [_, _]) = (part.rels.as_slice(), part.nodes.as_slice()) else {
            return None;
        };
        let (min, max) = rel.range?;
        let max = max?;
        if min > 1 || rel.bound || rel.name.is_some() || !rel.props.is_empty() {
            return None;
        }
        let k = plan
            .steps
            .iter()
            .position(|s| matches!(s, Step::Expand { .. }))?;
        let Step::Expand {
            forward,
            into: false,
            ..
        } = plan.steps[k]
        else {
            return None;
        };
        // Before the hop: the start and checks on it; after: checks only.
        if !plan.steps[..k]
            .iter()
            .all(|s| matches!(s, Step::Node { .. } | Step::Filter(_)))
        {
            return None;
        }
        let mut filters = Vec::new();
        for s in &plan.steps[k + 1..] {
            match s {
                Step::Filter(e) => filters.push(e),
                Step::Path { .. } => {}
                _ => return None,
            }
        }
        let (start, end) = if forward {
            (&part.nodes[0], &part.nodes[1])
        } else {
            (&part.nodes[1], &part.nodes[0])
        };
        if end.bound || !end.props.is_empty() || end.slot == start.slot {
            return None;
        }
        if !filters.iter().any(|e| excludes(e, start.slot, end.slot)) {
            return None;
        }
        let mut head = plan.clone();
        head.steps.truncate(k);
        Some(DistinctReach {
            head,
            start_slot: start.slot,
            end,
            rel,
            dir: match (rel.direction, forward) {
                (RelDirection::Both, _) => Direction::Both,
                (RelDirection::Right, true) | (RelDirection::Left, false) => Direction::Outgoing,
                (RelDirection::Right, false) | (RelDirection::Left, true) => Direction::Incoming,
            },
            max,
            filters,
        })
    }

    /// Calls `emit` with each distinct end reached from each start that
    /// `row` gives.
    pub fn run(
        &self,
        env: &Env,
        row: &mut Row,
        emit: &mut dyn FnMut(&mut Row) -> Result<(), QueryError>,
    ) -> Result<(), QueryError> {
        let g = env.graph;
        // Types the graph has never seen match nothing.
        let types: Vec<Symbol> = self.rel.types.iter().filter_map(|t| g.symbol(t)).collect();
        if !self.rel.types.is_empty() && types.is_empty() {
            return Ok(());
        }
        let labels: Option<Vec<Symbol>> = self.end.labels.iter().map(|l| g.symbol(l)).collect();
        let Some(labels) = labels else {
            return Ok(());
        };
        matcher::run(env, &self.head, row, &mut |r| {
            let Value::Node(s) = r[self.start_slot] else {
                return Ok(true);
            };
            for (x, _) in g.reach(s, self.dir, &types, self.max) {
                env.guard.tick()?;
                if !labels.is_empty()
                    && !g
                        .node(x)
                        .is_some_and(|n| labels.iter().all(|&l| n.has_label_symbol(l)))
                {
                    continue;
                }
                r[self.end.slot] = Value::Node(x);
                let mut pass = true;
                for f in &self.filters {
                    if !truthy(&eval(env, f, r)?)? {
                        pass = false;
                        break;
                    }
                }
                if pass {
                    emit(r)?;
                }
            }
            Ok(true)
        })
    }
}
