//! Counting without enumerating: `MATCH ... RETURN count(*)` needs the
//! number of matches, not the matches. When the pattern's last hop goes to
//! a fresh node that nothing checks or reads afterwards, the number of
//! matches through it is the number of relationships it may take — a
//! degree, counted without binding each one and running the rest of the
//! pipeline per row.

use crate::error::QueryError;
use crate::graph::{Direction, Graph, NodeId, RelId, Value};
use crate::query::analyze::ir::{BExpr, BProjection, Slot};
use crate::query::ast::BinaryOp;
use crate::query::eval::{Env, Row, eval};
use crate::query::plan::pattern::{PatternPlan, Step};

/// The aggregate slot when `p` computes nothing but one `count(*)` with no
/// grouping key (items may still use the count, e.g. `count(*) + 1`).
pub fn count_star(p: &BProjection) -> Option<Slot> {
    let [a] = p.aggregates.as_slice() else {
        return None;
    };
    if a.name != "count" || !a.args.is_empty() || a.distinct {
        return None;
    }
    let only_count = p
        .items
        .iter()
        .all(|(e, _)| e.slots().iter().all(|s| *s == a.slot));
    only_count.then_some(a.slot)
}

/// The single group of a `count(*)` projection, as the aggregation would
/// produce it.
pub fn count_row(
    env: &Env,
    p: &BProjection,
    slot: Slot,
    n: u64,
    width: usize,
) -> Result<Vec<Row>, QueryError> {
    let mut row = vec![Value::Null; width];
    row[slot] = Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    let mut vals = Vec::with_capacity(p.items.len());
    for (e, _) in &p.items {
        vals.push(eval(env, e, &mut row)?);
    }
    for ((_, s), v) in p.items.iter().zip(vals) {
        row[*s] = v;
    }
    Ok(vec![row])
}

/// The index of the step whose matches can be counted rather than
/// enumerated: the last `Expand`, when it is a single hop of an unbound
/// relationship without property constraints to a fresh node without
/// properties (labels are allowed), and every later step is a filter that
/// relationship uniqueness already makes true (`r1 <> r2` between two
/// relationships of the pattern).
pub fn countable_tail(plan: &PatternPlan) -> Option<usize> {
    let k = plan
        .steps
        .iter()
        .rposition(|s| !matches!(s, Step::Filter(_)))?;
    let Step::Expand {
        part,
        rel,
        forward,
        into: false,
    } = &plan.steps[k]
    else {
        return None;
    };
    let p = plan.query.parts.get(*part)?;
    let r = p.rels.get(*rel)?;
    let to = if *forward {
        p.nodes.get(*rel + 1)?
    } else {
        p.nodes.get(*rel)?
    };
    if r.range.is_some() || r.bound || !r.props.is_empty() {
        return None;
    }
    // Labels are checked per relationship while counting; properties
    // would need evaluating, so they are not counted this way.
    if !to.props.is_empty() || p.path_slot.is_some() {
        return None;
    }
    let single_rel_slots: Vec<Slot> = plan
        .query
        .parts
        .iter()
        .flat_map(|p| &p.rels)
        .filter(|r| r.range.is_none() && !r.bound)
        .map(|r| r.slot)
        .collect();
    let redundant = |e: &BExpr| match e {
        BExpr::Binary(BinaryOp::Ne, a, b) => match (a.as_ref(), b.as_ref()) {
            (BExpr::Var(x), BExpr::Var(y)) => {
                x != y && single_rel_slots.contains(x) && single_rel_slots.contains(y)
            }
            _ => false,
        },
        _ => false,
    };
    plan.steps[k + 1..]
        .iter()
        .all(|s| matches!(s, Step::Filter(e) if redundant(e)))
        .then_some(k)
}

/// Counted last hops after which [`Degrees`] pays for its one pass over
/// every relationship.
pub const DEGREES_AFTER: u64 = 2000;

/// Every node's number of relationships per direction, indexed by node id.
pub struct Degrees {
    /// (outgoing, incoming, both with a self-loop once).
    by_node: Vec<(u32, u32, u32)>,
}

impl Degrees {
    /// One pass over the relationships of `g`.
    pub fn build(g: &Graph) -> Degrees {
        let mut by_node: Vec<(u32, u32, u32)> = Vec::new();
        let mut bump = |n: NodeId, f: &dyn Fn(&mut (u32, u32, u32))| {
            let i = n.0 as usize;
            if by_node.len() <= i {
                by_node.resize(i + 1, (0, 0, 0));
            }
            f(&mut by_node[i]);
        };
        for id in g.rel_ids() {
            let Some(r) = g.rel(id) else { continue };
            let (s, e) = (r.start(), r.end());
            bump(s, &|d| {
                d.0 += 1;
                d.2 += 1;
            });
            if s == e {
                bump(e, &|d| d.1 += 1);
            } else {
                bump(e, &|d| {
                    d.1 += 1;
                    d.2 += 1;
                });
            }
        }
        Degrees { by_node }
    }

    /// The relationships at `node` in `dir` that are not in `used`, as
    /// [`Graph::relationships`] would list them.
    pub fn unused(&self, g: &Graph, node: NodeId, dir: Direction, used: &[RelId]) -> u64 {
        let (o, i, b) = self
            .by_node
            .get(node.0 as usize)
            .copied()
            .unwrap_or((0, 0, 0));
        let all = match dir {
            Direction::Outgoing => o,
            Direction::Incoming => i,
            Direction::Both => b,
        };
        let taken = used
            .iter()
            .filter(|id| {
                g.rel(**id).is_some_and(|r| match dir {
                    Direction::Outgoing => r.start() == node,
                    Direction::Incoming => r.end() == node,
                    Direction::Both => r.start() == node || r.end() == node,
                })
            })
            .count() as u64;
        u64::from(all).saturating_sub(taken)
    }
}
