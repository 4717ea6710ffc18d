//! Counting without enumerating: `MATCH ... RETURN count(*)` needs the
//! number of matches, not the matches. When the pattern's last hop goes to
//! a fresh node that nothing checks or reads afterwards, the number of
//! matches through it is the number of relationships it may take — a
//! degree, counted without binding each one and running the rest of the
//! pipeline per row.

use super::resolve::{NodeCheck, NodeTest, Resolved, all_pass, all_pass_in_columns};
use crate::error::QueryError;
use crate::graph::{Direction, Graph, NodeId, RelId, Value};
use crate::query::analyze::ir::{BExpr, BNode, BProjection, Slot};
use crate::query::ast::BinaryOp;
use crate::query::eval::{Env, Row, eval};
use crate::query::plan::pattern::{NodeSource, PatternPlan, Step};

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

/// A pattern that is one scanned node and filters: `MATCH (n)` or
/// `MATCH (n:Label)` with a `WHERE`, no properties in the pattern, no path
/// variable. Scans of this shape can test, count and aggregate their nodes
/// without binding them in rows (here, [`searches_text_column`] and
/// [`super::scan_aggregate`]).
pub struct LoneNode<'p> {
    /// The node.
    pub node: &'p BNode,
    /// How it is scanned: every node, or a label's.
    pub source: &'p NodeSource,
}

impl<'p> LoneNode<'p> {
    /// The lone node of `plan`, if it has that shape.
    pub fn of(plan: &'p PatternPlan) -> Option<LoneNode<'p>> {
        let [part] = plan.query.parts.as_slice() else {
            return None;
        };
        let ([node], []) = (part.nodes.as_slice(), part.rels.as_slice()) else {
            return None;
        };
        if part.path_slot.is_some() || !node.props.is_empty() {
            return None;
        }
        let (
            Step::Node {
                part: 0,
                node: 0,
                source: source @ (NodeSource::AllNodes | NodeSource::Label(_)),
            },
            rest,
        ) = plan.steps.split_first()?
        else {
            return None;
        };
        rest.iter()
            .all(|s| matches!(s, Step::Filter(_)))
            .then_some(LoneNode { node, source })
    }

    /// The label check each scanned node needs: as in the matcher, a scan
    /// of a label's nodes for a node with only that label, or of all nodes
    /// for one without labels, checks none.
    pub fn check<'r>(&self, res: &'r Resolved) -> Option<&'r NodeCheck> {
        match self.source {
            NodeSource::Label(_) if self.node.labels.len() == 1 => None,
            NodeSource::AllNodes if self.node.labels.is_empty() => None,
            _ => Some(res.node(0, 0)),
        }
    }
}

/// The number of matches of a pattern that is a single scanned node (every
/// node, or a label's) whose every conjunct has a fast form reading only
/// constants and the node's properties (`MATCH (n) WHERE n.name CONTAINS
/// 'ova'`), over `scan` when given (a chunk of a parallel scan) or the
/// whole scan: each node is tested on its record, without binding it in a
/// row. `None` when the pattern is not of that shape; the matcher then
/// counts, with the same answer or error.
pub fn count_node_scan<'g>(
    env: &Env<'g>,
    plan: &PatternPlan,
    res: &Resolved<'g>,
    scan: Option<&[NodeId]>,
) -> Option<Result<u64, QueryError>> {
    let lone = LoneNode::of(plan)?;
    let (n, source) = (lone.node, lone.source);
    let mut tests = Vec::with_capacity(plan.steps.len() - 1);
    for i in 1..plan.steps.len() {
        tests.push(NodeTest::new(res.filter(i)?, n.slot, env.graph)?);
    }
    let check = lone.check(res);
    let g = env.graph;
    // Nothing to test: the count is the scan's length.
    if tests.is_empty() && check.is_none() {
        let n = match (scan, source) {
            (Some(ids), _) => ids.len(),
            (None, NodeSource::Label(l)) => g.label_count(l),
            (None, _) => g.node_count(),
        };
        return Some(Ok(n as u64));
    }
    // One `CONTAINS` on a text column over a run of consecutive ids: the
    // texts are searched end to end.
    let run = match (scan, source) {
        (Some(ids @ [first, .., last]), _) if last.0 - first.0 + 1 == ids.len() as u64 => {
            Some(first.0..last.0 + 1)
        }
        (None, NodeSource::AllNodes) => Some(0..g.next_node_id().0),
        _ => None,
    };
    if let (None, [test], Some(run)) = (check, tests.as_slice(), run)
        && let Some((column, finder)) = test.contains_in_column()
    {
        let mut records = Vec::new();
        if let Some(found) = column.count_texts_containing(run, finder, &mut records) {
            return Some(
                count_nodes(env, records.into_iter(), check, &mut tests).map(|n| n + found),
            );
        }
    }
    Some(match (scan, source) {
        (Some(ids), _) => count_nodes(env, ids.iter().copied(), check, &mut tests),
        (None, NodeSource::Label(l)) => count_nodes(env, g.nodes_with_label(l), check, &mut tests),
        (None, _) => count_nodes(env, g.node_ids(), check, &mut tests),
    })
}

/// Whether [`count_node_scan`] counts `plan` over all nodes by searching
/// a text column end to end, which takes a fraction of a millisecond per
/// million nodes: splitting the scan over threads would cost more.
pub fn searches_text_column(g: &Graph, plan: &PatternPlan) -> bool {
    let Some(LoneNode {
        node: n,
        source: NodeSource::AllNodes,
    }) = LoneNode::of(plan)
    else {
        return false;
    };
    if !n.labels.is_empty() || plan.steps.len() != 2 {
        return false;
    }
    let res = Resolved::new(plan, g);
    res.filter(1)
        .and_then(|f| NodeTest::new(f, n.slot, g))
        .is_some_and(|t| t.contains_in_column().is_some())
}

/// How many nodes ahead a scan that tests a property of each node starts
/// fetching that value (and at half the distance, its text), here and in
/// the matcher. Measured on name_contains at 10^6 relationships, one
/// thread: 16 ahead 4.4 ms, 32 4.0, 64 4.0, 96 3.8, 128 3.9.
pub const TESTED_AHEAD: u64 = 96;

/// The nodes of `ids` that pass `check` (labels) and every test.
fn count_nodes<'g>(
    env: &Env<'g>,
    ids: impl Iterator<Item = NodeId>,
    check: Option<&NodeCheck>,
    tests: &mut [NodeTest<'_, 'g>],
) -> Result<u64, QueryError> {
    let g: &'g Graph = env.graph;
    let mut count = 0u64;
    // Scans meet nodes in (nearly) consecutive ids: warm the value the
    // first test reads of the nodes far ahead, then its text of those
    // nearer (see `Graph::prefetch_property`). Only the lines read are
    // fetched: the scan is bound by memory traffic. A test decided in its
    // column reads no record: nothing to fetch.
    let mut ahead = tests
        .first()
        .filter(|t| !t.has_column())
        .and_then(NodeTest::key);
    let mut near = ahead;
    for id in ids {
        env.guard.tick()?;
        if check.is_none()
            && let Some(pass) = all_pass_in_columns(tests, id)
        {
            count += u64::from(pass);
            continue;
        }
        if let (Some(ahead), Some(near)) = (&mut ahead, &mut near) {
            g.prefetch_property(NodeId(id.0.wrapping_add(TESTED_AHEAD)), ahead, false);
            g.prefetch_property(NodeId(id.0.wrapping_add(TESTED_AHEAD / 2)), near, true);
        }
        if check.is_some_and(|c| !c.labels_ok(g, id)) {
            continue;
        }
        let Some(node) = g.node(id) else {
            continue;
        };
        count += u64::from(all_pass(tests, node)?);
    }
    Ok(count)
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
