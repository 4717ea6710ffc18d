//! Planning one pattern: where each part starts (a bound variable, an
//! index seek, the smallest label), the order of expansions, and where
//! each conjunct of the predicate is checked (as soon as its variables
//! are bound).

use std::fmt::Write as _;

use crate::graph::Graph;
use crate::query::analyze::ir::{BExpr, BNode, BRel, PatternQuery, Slot};
use crate::query::ast::{BinaryOp, PathKind, RelDirection};

/// How a node is found when nothing binds it yet.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeSource {
    /// The slot already holds it (bound earlier); only check it.
    Bound,
    /// Every node.
    AllNodes,
    /// The nodes with this label.
    Label(String),
    /// Equality index on (label, key), with the value's expression.
    Index(String, String, usize),
}

/// One step of a pattern's plan.
#[derive(Clone, Debug)]
pub enum Step {
    /// Bind (or check) `nodes[node]` of `part`.
    Node {
        /// Part index.
        part: usize,
        /// Node index in the part.
        node: usize,
        /// How to find it.
        source: NodeSource,
    },
    /// Follow `rels[rel]` of `part` from one bound node to the other.
    Expand {
        /// Part index.
        part: usize,
        /// Relationship index.
        rel: usize,
        /// `true`: from `nodes[rel]` to `nodes[rel + 1]`.
        forward: bool,
        /// Whether the far node is bound already (then only checked).
        into: bool,
    },
    /// Find shortest paths between the two bound ends of `part`.
    Shortest {
        /// Part index.
        part: usize,
    },
    /// Build the path value of `part`.
    Path {
        /// Part index.
        part: usize,
    },
    /// Check a conjunct of the predicate.
    Filter(BExpr),
}

/// A planned pattern.
#[derive(Clone, Debug)]
pub struct PatternPlan {
    /// The pattern.
    pub query: PatternQuery,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// Splits a predicate into its `AND` conjuncts.
fn conjuncts(e: BExpr, out: &mut Vec<BExpr>) {
    match e {
        BExpr::Binary(BinaryOp::And, a, b) => {
            conjuncts(*a, out);
            conjuncts(*b, out);
        }
        other => out.push(other),
    }
}

/// Plans `q` given the slots bound before it. `graph` gives the label
/// counts and indexes that choose the starting points.
pub fn plan_pattern(q: &PatternQuery, graph: &Graph) -> PatternPlan {
    let mut bound: Vec<Slot> = Vec::new();
    for part in &q.parts {
        for n in &part.nodes {
            if n.bound {
                bound.push(n.slot);
            }
        }
        for r in &part.rels {
            if r.bound {
                bound.push(r.slot);
            }
        }
    }
    let mut pending: Vec<BExpr> = Vec::new();
    if let Some(f) = &q.filter {
        conjuncts(f.clone(), &mut pending);
    }
    // `WHERE n.key = value` becomes a property of the node pattern, so
    // that an index on (label, key) can find the node.
    let mut q = q.clone();
    pending.retain(|c| !absorb_equality(&mut q, c));
    let q = &q;
    let new_slots = &q.new_slots;
    let mut steps = Vec::new();
    let place_filters = |bound: &[Slot], pending: &mut Vec<BExpr>, steps: &mut Vec<Step>| {
        let mut i = 0;
        while i < pending.len() {
            let ready = pending[i]
                .slots()
                .iter()
                .all(|s| !new_slots.contains(s) || bound.contains(s));
            if ready {
                steps.push(Step::Filter(pending.remove(i)));
            } else {
                i += 1;
            }
        }
    };
    place_filters(&bound, &mut pending, &mut steps);
    let mut done = vec![false; q.parts.len()];
    for _ in 0..q.parts.len() {
        // The part whose best start is cheapest goes next.
        let mut best: Option<(usize, usize, u64, NodeSource)> = None;
        for (pi, part) in q.parts.iter().enumerate() {
            if done[pi] {
                continue;
            }
            let candidates: Vec<usize> = if part.kind == PathKind::Normal {
                (0..part.nodes.len()).collect()
            } else {
                vec![0]
            };
            for ni in candidates {
                let (cost, source) = node_cost(&part.nodes[ni], &bound, graph);
                if best.as_ref().is_none_or(|b| cost < b.2) {
                    best = Some((pi, ni, cost, source));
                }
            }
        }
        let Some((pi, anchor, _, source)) = best else {
            break;
        };
        done[pi] = true;
        let part = &q.parts[pi];
        steps.push(Step::Node {
            part: pi,
            node: anchor,
            source,
        });
        bound.push(part.nodes[anchor].slot);
        place_filters(&bound, &mut pending, &mut steps);
        if part.kind != PathKind::Normal {
            let last = part.nodes.len() - 1;
            let (_, source) = node_cost(&part.nodes[last], &bound, graph);
            steps.push(Step::Node {
                part: pi,
                node: last,
                source,
            });
            bound.push(part.nodes[last].slot);
            steps.push(Step::Shortest { part: pi });
            bound.push(part.rels[0].slot);
        } else {
            for ri in anchor..part.rels.len() {
                let to = part.nodes[ri + 1].slot;
                steps.push(Step::Expand {
                    part: pi,
                    rel: ri,
                    forward: true,
                    into: bound.contains(&to),
                });
                bound.push(part.rels[ri].slot);
                bound.push(to);
                place_filters(&bound, &mut pending, &mut steps);
            }
            for ri in (0..anchor).rev() {
                let to = part.nodes[ri].slot;
                steps.push(Step::Expand {
                    part: pi,
                    rel: ri,
                    forward: false,
                    into: bound.contains(&to),
                });
                bound.push(part.rels[ri].slot);
                bound.push(to);
                place_filters(&bound, &mut pending, &mut steps);
            }
        }
        if let Some(p) = part.path_slot {
            steps.push(Step::Path { part: pi });
            bound.push(p);
        }
        place_filters(&bound, &mut pending, &mut steps);
    }
    // Whatever is left reads slots bound elsewhere (e.g. inside nested
    // scopes): check it at the end.
    steps.extend(pending.into_iter().map(Step::Filter));
    PatternPlan {
        query: q.clone(),
        steps,
    }
}

/// Moves `n.key = e` (with `e` not reading the pattern's own variables)
/// into the pattern of node `n`; returns whether it did.
fn absorb_equality(q: &mut PatternQuery, c: &BExpr) -> bool {
    let BExpr::Binary(BinaryOp::Eq, a, b) = c else {
        return false;
    };
    let (slot, key, value) = match (&**a, &**b) {
        (BExpr::Prop(base, key), v) | (v, BExpr::Prop(base, key))
            if matches!(**base, BExpr::Var(_)) =>
        {
            let BExpr::Var(s) = **base else {
                return false;
            };
            (s, key, v)
        }
        _ => return false,
    };
    if value.slots().iter().any(|s| q.new_slots.contains(s)) || !q.new_slots.contains(&slot) {
        return false;
    }
    for part in &mut q.parts {
        if part.kind != PathKind::Normal {
            continue;
        }
        if let Some(n) = part.nodes.iter_mut().find(|n| n.slot == slot) {
            n.props.push((key.name.clone(), value.clone()));
            return true;
        }
    }
    false
}

/// The estimated number of candidates for a node and how to find them.
fn node_cost(n: &BNode, bound: &[Slot], graph: &Graph) -> (u64, NodeSource) {
    if bound.contains(&n.slot) {
        return (0, NodeSource::Bound);
    }
    for l in &n.labels {
        for (i, (k, v)) in n.props.iter().enumerate() {
            let constant_or_bound = v.slots().iter().all(|s| bound.contains(s));
            if constant_or_bound && graph.has_index(l, k) {
                return (1, NodeSource::Index(l.clone(), k.clone(), i));
            }
        }
    }
    match n
        .labels
        .iter()
        .map(|l| (graph.label_count(l), l))
        .min_by_key(|(c, _)| *c)
    {
        Some((c, l)) => (c as u64 + 2, NodeSource::Label(l.clone())),
        None => (graph.node_count() as u64 + 3, NodeSource::AllNodes),
    }
}

fn node_text(n: &BNode) -> String {
    let mut s = format!("({}", n.name.as_deref().unwrap_or(""));
    for l in &n.labels {
        let _ = write!(s, ":{l}");
    }
    s.push(')');
    s
}

fn rel_text(r: &BRel, forward: bool) -> String {
    let mut inner = r.name.clone().unwrap_or_default();
    if !r.types.is_empty() {
        let _ = write!(inner, ":{}", r.types.join("|"));
    }
    if let Some((min, max)) = r.range {
        let _ = write!(
            inner,
            "*{min}..{}",
            max.map(|m| m.to_string()).unwrap_or_default()
        );
    }
    let dir = if forward {
        r.direction
    } else {
        match r.direction {
            RelDirection::Right => RelDirection::Left,
            RelDirection::Left => RelDirection::Right,
            RelDirection::Both => RelDirection::Both,
        }
    };
    match dir {
        RelDirection::Right => format!("-[{inner}]->"),
        RelDirection::Left => format!("<-[{inner}]-"),
        RelDirection::Both => format!("-[{inner}]-"),
    }
}

impl PatternPlan {
    /// One line per step, for `EXPLAIN`.
    pub fn describe(&self) -> Vec<String> {
        let parts = &self.query.parts;
        self.steps
            .iter()
            .map(|s| match s {
                Step::Node { part, node, source } => {
                    let n = &parts[*part].nodes[*node];
                    match source {
                        NodeSource::Bound => format!("Argument {}", node_text(n)),
                        NodeSource::AllNodes => format!("NodeScan {}", node_text(n)),
                        NodeSource::Label(l) => format!("NodeByLabelScan {} on :{l}", node_text(n)),
                        NodeSource::Index(l, k, _) => {
                            format!("NodeIndexSeek {} on :{l}({k})", node_text(n))
                        }
                    }
                }
                Step::Expand {
                    part,
                    rel,
                    forward,
                    into,
                } => {
                    let p = &parts[*part];
                    let r = &p.rels[*rel];
                    let (a, b) = if *forward {
                        (&p.nodes[*rel], &p.nodes[*rel + 1])
                    } else {
                        (&p.nodes[*rel + 1], &p.nodes[*rel])
                    };
                    let noun = match (r.range.is_some(), into) {
                        (true, _) => "VarLengthExpand",
                        (false, true) => "ExpandInto",
                        (false, false) => "Expand",
                    };
                    format!(
                        "{noun} {}{}{}",
                        node_text(a),
                        rel_text(r, *forward),
                        node_text(b)
                    )
                }
                Step::Shortest { part } => {
                    let p = &parts[*part];
                    format!(
                        "ShortestPath {}{}{}",
                        node_text(&p.nodes[0]),
                        rel_text(&p.rels[0], true),
                        node_text(&p.nodes[1])
                    )
                }
                Step::Path { .. } => "ProjectPath".to_owned(),
                Step::Filter(_) => "Filter".to_owned(),
            })
            .collect()
    }
}
