//! Pattern matching: runs a [`PatternPlan`] depth first from one input
//! row, binding slots as it goes. A relationship is bound at most once
//! per match of the whole pattern (openCypher's relationship uniqueness),
//! variable-length hops included.

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use super::count::TESTED_AHEAD;
use super::resolve::{NodeCheck, NodeTest, RelCheck, Resolved, all_pass, all_pass_in_columns};
use crate::error::QueryError;
use crate::graph::{Direction, Graph, NodeId, Path, RelId, Value};
use crate::query::analyze::ir::{BNode, BPart, BRel, PatternQuery};
use crate::query::ast::{PathKind, RelDirection};
use crate::query::eval::{Env, Row, eval, truthy};
use crate::query::plan::pattern::{NodeSource, PatternPlan, Step, plan_pattern};

/// Calls `emit` with each completed row; `emit` returns `false` to stop.
pub fn run(
    env: &Env,
    plan: &PatternPlan,
    row: &mut Row,
    emit: &mut dyn FnMut(&mut Row) -> Result<bool, QueryError>,
) -> Result<(), QueryError> {
    run_scan(env, plan, row, None, emit)
}

/// [`run`], with the nodes of the plan's first step, a scan, taken from
/// `scan` instead (one chunk of a scan split over threads; see
/// [`super::parallel`]) when given.
pub fn run_scan(
    env: &Env,
    plan: &PatternPlan,
    row: &mut Row,
    scan: Option<&[NodeId]>,
    emit: &mut dyn FnMut(&mut Row) -> Result<bool, QueryError>,
) -> Result<(), QueryError> {
    let mut used = Vec::new();
    let res = Resolved::new(plan, env.graph);
    let mut m = Matcher {
        env,
        plan,
        res: &res,
        emit,
        stop: plan.steps.len(),
        counted: 0,
        degrees: None,
        tail_calls: 0,
        adjacency: sharing(plan),
        scan,
    };
    m.step(0, row, &mut used)?;
    Ok(())
}

/// The number of matches of `plan` from `row`. When the last hop binds a
/// fresh node that nothing checks or reads, its relationships are counted
/// (degrees) instead of bound one by one; see [`super::count`].
pub fn count(env: &Env, plan: &PatternPlan, row: &mut Row) -> Result<u64, QueryError> {
    count_scan(env, plan, row, None)
}

/// [`count`] over one chunk of the first step's scan, as [`run_scan`].
pub fn count_scan(
    env: &Env,
    plan: &PatternPlan,
    row: &mut Row,
    scan: Option<&[NodeId]>,
) -> Result<u64, QueryError> {
    let res = Resolved::new(plan, env.graph);
    if let Some(n) = super::count::count_node_scan(env, plan, &res, scan) {
        return n;
    }
    let mut used = Vec::new();
    let mut enumerated = 0u64;
    let stop = super::count::countable_tail(plan).unwrap_or(plan.steps.len());
    let mut emit = |_: &mut Row| {
        enumerated += 1;
        Ok(true)
    };
    let mut m = Matcher {
        env,
        plan,
        res: &res,
        emit: &mut emit,
        stop,
        counted: 0,
        degrees: None,
        tail_calls: 0,
        adjacency: sharing(plan),
        scan,
    };
    m.step(0, row, &mut used)?;
    let counted = m.counted;
    Ok(enumerated + counted)
}

/// Whether `q` has at least one match from `row`.
pub fn exists(env: &Env, q: &PatternQuery, row: &mut Row) -> Result<bool, QueryError> {
    let plan = plan_pattern(q, env.graph);
    let mut scratch = row.clone();
    let mut found = false;
    run(env, &plan, &mut scratch, &mut |_| {
        found = true;
        Ok(false)
    })?;
    Ok(found)
}

/// Every match of `q` from `row`, as completed rows.
pub fn all_matches(env: &Env, q: &PatternQuery, row: &mut Row) -> Result<Vec<Row>, QueryError> {
    let plan = plan_pattern(q, env.graph);
    let mut scratch = row.clone();
    let mut out = Vec::new();
    run(env, &plan, &mut scratch, &mut |r| {
        out.push(r.clone());
        Ok(true)
    })?;
    Ok(out)
}

/// The fixed parameters of one variable-length expansion.
#[derive(Clone, Copy)]
struct Hop<'a> {
    i: usize,
    r: &'a BRel,
    rc: &'a RelCheck,
    to: &'a BNode,
    tc: &'a NodeCheck,
    into: bool,
    dir: Direction,
    forward: bool,
    /// Whether the relationship list is read (named, or in a path).
    keep: bool,
    /// Whether later steps expand further relationships, which must then
    /// avoid the ones on this path.
    later_expands: bool,
    min: u64,
    max: Option<u64>,
}

struct Matcher<'a, 'e> {
    env: &'a Env<'e>,
    plan: &'a PatternPlan,
    /// The pattern's names as the graph's symbols.
    res: &'a Resolved<'e>,
    emit: &'a mut dyn FnMut(&mut Row) -> Result<bool, QueryError>,
    /// The step at which matches are counted instead of enumerated
    /// (`steps.len()` when every step runs).
    stop: usize,
    /// Matches counted at `stop`.
    counted: u64,
    /// Degrees of every node, built once many last hops have been counted.
    degrees: Option<super::count::Degrees>,
    /// Last hops counted edge by edge so far.
    tail_calls: u64,
    /// Per step: the start node last expanded from and, once it was
    /// expanded from twice in a row, its relationships of the wanted type
    /// to nodes with the wanted labels (inner loops of a pattern revisit
    /// the same node once per outer binding).
    adjacency: Vec<Adjacent>,
    /// The nodes the first step scans, when they are given (a chunk of a
    /// parallel scan) rather than read from the graph.
    scan: Option<&'a [NodeId]>,
}

/// A step's cached relationships; see [`Matcher::adjacency`].
#[derive(Default)]
struct Adjacent {
    start: Option<NodeId>,
    list: Option<Neighbours>,
    /// An earlier step that takes the same relationships from the same
    /// node (`(p1)<-[:T]-(a)-[:T]->(p2)`): its list serves this step too.
    source: Option<usize>,
    /// A later step reads this step's list: build it on the first visit.
    eager: bool,
}

/// The adjacency caches of `plan`'s steps, with the steps that can share
/// a list linked: single hops of unbound relationships from the same
/// slot, in the same direction, with the same types and far labels.
fn sharing(plan: &PatternPlan) -> Vec<Adjacent> {
    let key = |s: &Step| {
        let Step::Expand {
            part, rel, forward, ..
        } = s
        else {
            return None;
        };
        let p = &plan.query.parts[*part];
        let r = &p.rels[*rel];
        if r.range.is_some() || r.bound {
            return None;
        }
        let (from, far) = if *forward {
            (*rel, *rel + 1)
        } else {
            (*rel + 1, *rel)
        };
        // Types and labels compare in written order: no copies per run.
        Some((
            p.nodes[from].slot,
            direction(r.direction, *forward),
            r.types.as_slice(),
            p.nodes[far].labels.as_slice(),
        ))
    };
    let keys: Vec<_> = plan.steps.iter().map(key).collect();
    let mut out: Vec<Adjacent> = keys.iter().map(|_| Adjacent::default()).collect();
    for i in 0..keys.len() {
        let Some(k) = &keys[i] else { continue };
        if let Some(j) = (0..i).find(|&j| keys[j].as_ref() == Some(k)) {
            out[i].source = Some(j);
            out[j].eager = true;
        }
    }
    out
}

/// Breadth-first layers: node -> (depth, predecessors as (node, rel)).
type Layers = HashMap<NodeId, (u64, Vec<(NodeId, RelId)>)>;

/// Paths shorter than this are checked for a repeated relationship by
/// scanning them; longer ones keep a set.
const SCAN_PATH: usize = 9;

/// A node's relationships a variable-length hop may take, with their
/// far ends; shared between the frames that visit the node.
type Neighbours = Rc<[(RelId, NodeId)]>;

/// The most relationships a variable-length expansion keeps in its
/// per-node lists (16 bytes each).
const VAR_MEMO_LIMIT: usize = 1 << 22;

/// How many ids ahead a node scan starts fetching a node's values.
const PREFETCH_AHEAD: u64 = 16;

/// Outcome of a step: go on, or stop everything (the consumer has enough).
type Flow = Result<bool, QueryError>;

impl<'a, 'e> Matcher<'a, 'e> {
    fn graph(&self) -> &'e Graph {
        self.env.graph
    }

    fn part(&self, i: usize) -> &'a BPart {
        &self.plan.query.parts[i]
    }

    fn step(&mut self, i: usize, row: &mut Row, used: &mut Vec<RelId>) -> Flow {
        self.env.guard.tick()?;
        let plan: &'a PatternPlan = self.plan;
        if i == self.stop && i < plan.steps.len() {
            self.counted += self.count_tail(i, row, used)?;
            return Ok(true);
        }
        let Some(step) = plan.steps.get(i) else {
            return (self.emit)(row);
        };
        match step {
            Step::Filter(e) => {
                let pass = match self.res.filter(i).and_then(|f| f.test(self.graph(), row)) {
                    Some(verdict) => verdict?,
                    None => truthy(&eval(self.env, e, row)?)?,
                };
                if pass {
                    self.step(i + 1, row, used)
                } else {
                    Ok(true)
                }
            }
            Step::Node { part, node, source } => {
                let n = &self.part(*part).nodes[*node];
                let nc: &'a NodeCheck = self.res.node(*part, *node);
                let slot = n.slot;
                if *source == NodeSource::Bound {
                    let Value::Node(id) = row[slot] else {
                        return Ok(true);
                    };
                    if nc.ok(self.env, n, id, row)? {
                        return self.step(i + 1, row, used);
                    }
                    return Ok(true);
                }
                let g: &'e Graph = self.env.graph;
                let given = if i == 0 { self.scan } else { None };
                let candidates: Box<dyn Iterator<Item = NodeId> + '_> = match source {
                    _ if given.is_some() => Box::new(given.unwrap_or_default().iter().copied()),
                    NodeSource::Bound => Box::new(std::iter::empty()),
                    NodeSource::AllNodes => Box::new(g.node_ids()),
                    NodeSource::Label(l) => Box::new(g.nodes_with_label(l)),
                    NodeSource::Index(l, k, pi) => {
                        let v = eval(self.env, &n.props[*pi].1, row)?;
                        match g.find_nodes(l, k, &v) {
                            Some(ids) => Box::new(ids.into_iter()),
                            None => Box::new(g.nodes_with_label(l)),
                        }
                    }
                };
                // A label scan for the node's only label, without
                // properties, yields nothing but matches.
                // So does a scan of all nodes for a node without labels
                // or properties.
                let scanned = match source {
                    NodeSource::Label(_) => n.labels.len() == 1 && n.props.is_empty(),
                    NodeSource::AllNodes => n.labels.is_empty() && n.props.is_empty(),
                    _ => false,
                };
                // Fetching the nodes' texts ahead pays when a filter will
                // read them; rows going straight to a projection may read
                // none (counting per label), and the texts would only take
                // memory bandwidth.
                let texts = plan.steps[i + 1..]
                    .iter()
                    .any(|s| matches!(s, Step::Filter(_)));
                // The filters right after a scan that read only the node
                // (and constants) are decided on its record before it is
                // bound; the scan then goes on past them.
                let mut tests: Vec<NodeTest<'a, 'e>> = Vec::new();
                if !matches!(source, NodeSource::Index(..)) {
                    for (j, s) in plan.steps.iter().enumerate().skip(i + 1) {
                        let Step::Filter(_) = s else { break };
                        let Some(t) = self.res.filter(j).and_then(|f| NodeTest::new(f, slot, g))
                        else {
                            break;
                        };
                        tests.push(t);
                    }
                }
                let after = i + 1 + tests.len();
                // Their property's value, then text, is what a scan waits
                // on: fetch those ahead, as `count::count_node_scan` does.
                // A test decided in its column reads no record.
                let columnar = tests.first().is_some_and(NodeTest::has_column);
                let mut ahead = tests.first().and_then(NodeTest::key);
                let mut near = ahead;
                for id in candidates {
                    self.env.guard.tick()?;
                    // Scans meet nodes in (nearly) consecutive ids: warm
                    // the values of the nodes just ahead (see
                    // `Graph::prefetch_node`).
                    if columnar {
                        // The cells stream in; records are not read.
                    } else if let (Some(ahead), Some(near)) = (&mut ahead, &mut near) {
                        g.prefetch_property(NodeId(id.0.wrapping_add(TESTED_AHEAD)), ahead, false);
                        g.prefetch_property(
                            NodeId(id.0.wrapping_add(TESTED_AHEAD / 2)),
                            near,
                            true,
                        );
                    } else {
                        g.prefetch_node(NodeId(id.0.wrapping_add(PREFETCH_AHEAD)), false);
                        if texts {
                            g.prefetch_node(NodeId(id.0.wrapping_add(PREFETCH_AHEAD / 2)), true);
                        }
                    }
                    if !scanned && !nc.ok(self.env, n, id, row)? {
                        continue;
                    }
                    // A node the graph lacks (never from a scan) goes
                    // through the filter steps.
                    let mut next = i + 1;
                    if tests.is_empty() {
                        // Nothing to decide before binding.
                    } else if let Some(pass) = all_pass_in_columns(&tests, id) {
                        if !pass {
                            continue;
                        }
                        next = after;
                    } else if let Some(node) = g.node(id) {
                        if !all_pass(&mut tests, node)? {
                            continue;
                        }
                        next = after;
                    }
                    // Rebinding a slot that holds a node needs no drop.
                    match &mut row[slot] {
                        Value::Node(bound) => *bound = id,
                        other => *other = Value::Node(id),
                    }
                    // The last step, not counted: emit the row straight
                    // away, without a call of `step` per node.
                    let more = if next == plan.steps.len() {
                        (self.emit)(row)?
                    } else {
                        self.step(next, row, used)?
                    };
                    if !more {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Step::Expand {
                part,
                rel,
                forward,
                into,
            } => {
                let p = self.part(*part);
                let r = &p.rels[*rel];
                let rc: &'a RelCheck = self.res.rel(*part, *rel);
                let far = if *forward { *rel + 1 } else { *rel };
                let from = if *forward {
                    &p.nodes[*rel]
                } else {
                    &p.nodes[*rel + 1]
                };
                let to = (&p.nodes[far], self.res.node(*part, far));
                let Value::Node(start) = row[from.slot] else {
                    return Ok(true);
                };
                let dir = direction(r.direction, *forward);
                if r.range.is_some() {
                    // The list of relationships is only built when something reads it.
                    let keep = r.name.is_some() || p.path_slot.is_some();
                    self.var_expand(
                        i,
                        (r, rc),
                        to,
                        *into,
                        dir,
                        start,
                        (*forward, keep),
                        row,
                        used,
                    )
                } else {
                    self.expand(i, (r, rc), to, *into, dir, start, row, used)
                }
            }
            Step::Shortest { part } => self.shortest(i, *part, row, used),
            Step::Path { part } => {
                let p = self.part(*part);
                let Some(slot) = p.path_slot else {
                    return self.step(i + 1, row, used);
                };
                let path = build_path(self.graph(), p, row);
                row[slot] = path;
                self.step(i + 1, row, used)
            }
        }
    }

    /// The relationships the countable last hop (step `i`) can take from
    /// its bound start: those of a wanted type not used earlier, to a
    /// node with the wanted labels.
    fn count_tail(&mut self, i: usize, row: &Row, used: &[RelId]) -> Result<u64, QueryError> {
        let Some(Step::Expand {
            part, rel, forward, ..
        }) = self.plan.steps.get(i)
        else {
            return Ok(0);
        };
        let p = self.part(*part);
        let r = &p.rels[*rel];
        let rc = self.res.rel(*part, *rel);
        let (from, far) = if *forward {
            (&p.nodes[*rel], *rel + 1)
        } else {
            (&p.nodes[*rel + 1], *rel)
        };
        let to = &p.nodes[far];
        let tc = self.res.node(*part, far);
        let Value::Node(start) = row[from.slot] else {
            return Ok(0);
        };
        let g: &'e Graph = self.env.graph;
        let dir = direction(r.direction, *forward);
        if r.types.is_empty() && to.labels.is_empty() {
            // Many hops to count: one pass over all relationships for every
            // node's degree beats following each node's relationships.
            self.tail_calls += 1;
            if self.degrees.is_none() && self.tail_calls > super::count::DEGREES_AFTER {
                self.degrees = Some(super::count::Degrees::build(g));
            }
            if let Some(d) = &self.degrees {
                self.env.guard.tick()?;
                return Ok(d.unused(g, start, dir, used));
            }
        }
        if let Some(list) = self.cached_adjacency(i, start, dir, rc, (to, tc)) {
            let n = list.iter().filter(|(id, _)| !used.contains(id)).count() as u64;
            self.env.guard.tick()?;
            return Ok(n);
        }
        let check_far = !to.labels.is_empty();
        let mut n = 0u64;
        for (id, other, t) in g.relationships_typed(start, dir) {
            if !rc.type_ok(t) || used.contains(&id) {
                continue;
            }
            if check_far && !tc.labels_ok(g, other) {
                continue;
            }
            n += 1;
        }
        self.env.guard.tick()?;
        Ok(n)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand(
        &mut self,
        i: usize,
        (r, rc): (&'a BRel, &'a RelCheck),
        to: (&'a BNode, &'a NodeCheck),
        into: bool,
        dir: Direction,
        start: NodeId,
        row: &mut Row,
        used: &mut Vec<RelId>,
    ) -> Flow {
        if r.bound {
            let Value::Rel(id) = row[r.slot] else {
                return Ok(true);
            };
            let Some(rel) = self.graph().rel(id) else {
                return Ok(true);
            };
            let other = match dir {
                Direction::Outgoing if rel.start() == start => Some(rel.end()),
                Direction::Incoming if rel.end() == start => Some(rel.start()),
                Direction::Both if rel.start() == start => Some(rel.end()),
                Direction::Both if rel.end() == start => Some(rel.start()),
                _ => None,
            };
            let Some(other) = other else {
                return Ok(true);
            };
            if used.contains(&id) || !rc.ok(self.env, r, id, row)? {
                return Ok(true);
            }
            return self.bind_far(i, to, into, other, row, used, Some(id), false);
        }
        let props = rc.has_props();
        if let Some(list) = self.cached_adjacency(i, start, dir, rc, to) {
            let mut flow = Ok(true);
            for &(id, other) in list.iter() {
                if let Err(e) = self.env.guard.tick() {
                    flow = Err(e);
                    break;
                }
                if used.contains(&id) {
                    continue;
                }
                if props {
                    match rc.props_ok(self.env, r, id, row) {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(e) => {
                            flow = Err(e);
                            break;
                        }
                    }
                }
                bind_rel(row, r.slot, id);
                match self.bind_far(i, to, into, other, row, used, Some(id), true) {
                    Ok(true) => {}
                    done => {
                        flow = done;
                        break;
                    }
                }
            }
            return flow;
        }
        // The graph outlives the matcher: iterate without collecting.
        let g: &'e Graph = self.env.graph;
        for (id, other, t) in g.relationships_typed(start, dir) {
            self.env.guard.tick()?;
            if !rc.type_ok(t) || used.contains(&id) {
                continue;
            }
            if props && !rc.props_ok(self.env, r, id, row)? {
                continue;
            }
            bind_rel(row, r.slot, id);
            if !self.bind_far(i, to, into, other, row, used, Some(id), false)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The relationships step `i` may take from `start` (wanted type, far
    /// node with the wanted labels), from the cache: when `start` is the
    /// node the step expanded from last time, when the step builds its
    /// list for a later one, or when an equivalent earlier step has the
    /// list. `None`: walk the relationships directly.
    fn cached_adjacency(
        &mut self,
        i: usize,
        start: NodeId,
        dir: Direction,
        rc: &RelCheck,
        (to, tc): (&BNode, &NodeCheck),
    ) -> Option<Neighbours> {
        let g: &'e Graph = self.env.graph;
        if let Some(j) = self.adjacency.get(i)?.source {
            let src = &self.adjacency[j];
            if src.start == Some(start)
                && let Some(list) = &src.list
            {
                return Some(Rc::clone(list));
            }
        }
        let slot = &mut self.adjacency[i];
        if slot.start != Some(start) {
            slot.start = Some(start);
            slot.list = None;
            if !slot.eager {
                // A first visit walks the relationships: a pattern that
                // visits each start once (or stops early) does not pay
                // for a copy.
                return None;
            }
        }
        if slot.list.is_none() {
            let labels = !to.labels.is_empty();
            slot.list = Some(
                g.relationships_typed(start, dir)
                    .filter(|&(_, other, t)| rc.type_ok(t) && (!labels || tc.labels_ok(g, other)))
                    .map(|(id, other, _)| (id, other))
                    .collect(),
            );
        }
        slot.list.clone()
    }

    #[allow(clippy::too_many_arguments)]
    fn bind_far(
        &mut self,
        i: usize,
        (to, tc): (&'a BNode, &'a NodeCheck),
        into: bool,
        other: NodeId,
        row: &mut Row,
        used: &mut Vec<RelId>,
        rel: Option<RelId>,
        labels_checked: bool,
    ) -> Flow {
        if into && row[to.slot] != Value::Node(other) {
            return Ok(true);
        }
        // Labels already checked (by the adjacency cache) and no
        // properties: the node is known to match.
        let known = labels_checked && tc.labels_only();
        if !known && !tc.ok(self.env, to, other, row)? {
            return Ok(true);
        }
        if !into {
            bind_node(row, to.slot, other);
        }
        if let Some(id) = rel {
            used.push(id);
        }
        let r = self.step(i + 1, row, used);
        if rel.is_some() {
            used.pop();
        }
        r
    }

    #[allow(clippy::too_many_arguments)]
    fn var_expand(
        &mut self,
        i: usize,
        (r, rc): (&'a BRel, &'a RelCheck),
        to: (&'a BNode, &'a NodeCheck),
        into: bool,
        dir: Direction,
        start: NodeId,
        (forward, keep): (bool, bool),
        row: &mut Row,
        used: &mut Vec<RelId>,
    ) -> Flow {
        let (min, max) = r.range.unwrap_or((1, Some(1)));
        if r.bound {
            // Follow the given list of relationships.
            let Value::List(mut items) = row[r.slot].clone() else {
                return Ok(true);
            };
            if !forward {
                items.reverse();
            }
            let mut cur = start;
            let mut ids = Vec::new();
            for item in &items {
                let Value::Rel(id) = item else {
                    return Ok(true);
                };
                let Some(rel) = self.graph().rel(*id) else {
                    return Ok(true);
                };
                let next = match dir {
                    Direction::Outgoing if rel.start() == cur => rel.end(),
                    Direction::Incoming if rel.end() == cur => rel.start(),
                    Direction::Both if rel.start() == cur => rel.end(),
                    Direction::Both if rel.end() == cur => rel.start(),
                    _ => return Ok(true),
                };
                if used.contains(id) || ids.contains(id) || !rc.ok(self.env, r, *id, row)? {
                    return Ok(true);
                }
                ids.push(*id);
                cur = next;
            }
            let n = ids.len() as u64;
            if n < min || max.is_some_and(|m| n > m) {
                return Ok(true);
            }
            let depth = used.len();
            used.extend(ids);
            let res = self.bind_far(i, to, into, cur, row, used, None, false);
            used.truncate(depth);
            return res;
        }
        let hop = Hop {
            i,
            r,
            rc,
            to: to.0,
            tc: to.1,
            into,
            dir,
            forward,
            keep,
            later_expands: self.plan.steps[i + 1..]
                .iter()
                .any(|s| matches!(s, Step::Expand { .. } | Step::Shortest { .. })),
            min,
            max,
        };
        self.var_dfs(&hop, start, row, used)
    }

    /// Depth-first over paths from `start`, with an explicit stack so that
    /// long paths cannot overflow the thread's stack. Each path of at
    /// least `min` hops is handed to the rest of the pattern.
    fn var_dfs(
        &mut self,
        hop: &Hop<'a>,
        start: NodeId,
        row: &mut Row,
        used: &mut Vec<RelId>,
    ) -> Flow {
        let Hop {
            r, rc, dir, max, ..
        } = *hop;
        let g: &'e Graph = self.env.graph;
        let props = rc.has_props();
        let mut path: Vec<RelId> = Vec::new();
        // The relationships on `path`, for O(1) uniqueness checks on long paths.
        let mut on_path: HashSet<RelId> = HashSet::new();
        if !self.var_visit(hop, start, &path, row, used)? {
            return Ok(false);
        }
        if max == Some(0) {
            return Ok(true);
        }
        // The relationships a frame may take: of a wanted type, checked
        // once per node. Paths revisit the same nodes (hubs above all), so
        // the lists are kept for the whole expansion, up to a bound.
        let mut memo: HashMap<NodeId, Neighbours> = HashMap::new();
        let mut memo_size = 0usize;
        let mut next_rels = |node: NodeId| -> Neighbours {
            if let Some(list) = memo.get(&node) {
                return Rc::clone(list);
            }
            let list: Neighbours = g
                .relationships_typed(node, dir)
                .filter(|&(_, _, t)| rc.type_ok(t))
                .map(|(id, other, _)| (id, other))
                .collect();
            if memo_size + list.len() <= VAR_MEMO_LIMIT {
                memo_size += list.len() + 1;
                memo.insert(node, Rc::clone(&list));
            }
            list
        };
        // Frames: a node and its neighbours still to try; `path` holds the
        // relationship into every frame but the first.
        let mut stack: Vec<(Neighbours, usize)> = vec![(next_rels(start), 0)];
        while let Some((neighbours, next)) = stack.last_mut() {
            // Binding a path costs O(its length): on long paths, 1024 steps
            // between checks would delay a cancel by far too long.
            if path.len() > 64 {
                self.env.guard.check()?;
            } else {
                self.env.guard.tick()?;
            }
            let Some(&(id, other)) = neighbours.get(*next) else {
                stack.pop();
                if let Some(id) = path.pop()
                    && path.len() >= SCAN_PATH
                {
                    on_path.remove(&id);
                }
                continue;
            };
            *next += 1;
            // Short paths are checked by scanning; the set pays off on long ones.
            let on = if path.len() < SCAN_PATH {
                path.contains(&id)
            } else {
                on_path.contains(&id)
            };
            if on || used.contains(&id) || (props && !rc.props_ok(self.env, r, id, row)?) {
                continue;
            }
            path.push(id);
            if path.len() == SCAN_PATH {
                // The set was stale below this length: rebuild it.
                on_path.clear();
                on_path.extend(path.iter().copied());
            } else if path.len() > SCAN_PATH {
                on_path.insert(id);
            }
            if !self.var_visit(hop, other, &path, row, used)? {
                return Ok(false);
            }
            if max.is_some_and(|m| path.len() as u64 >= m) {
                path.pop();
                if path.len() >= SCAN_PATH {
                    on_path.remove(&id);
                }
                continue;
            }
            stack.push((next_rels(other), 0));
        }
        Ok(true)
    }

    /// Binds one path of a variable-length hop ending at `cur`, if it is
    /// long enough, and runs the rest of the pattern.
    fn var_visit(
        &mut self,
        hop: &Hop<'a>,
        cur: NodeId,
        path: &[RelId],
        row: &mut Row,
        used: &mut Vec<RelId>,
    ) -> Flow {
        let Hop {
            i,
            r,
            to,
            tc,
            into,
            forward,
            min,
            ..
        } = *hop;
        if (path.len() as u64) < min {
            return Ok(true);
        }
        if hop.keep {
            let mut list: Vec<Value> = path.iter().map(|id| Value::Rel(*id)).collect();
            if !forward {
                list.reverse();
            }
            row[r.slot] = Value::List(list);
        }
        let depth = used.len();
        if hop.later_expands {
            used.extend(path.iter().copied());
        }
        // The end of a relationship exists: without labels to check, only
        // property constraints remain.
        let known = !path.is_empty() && to.labels.is_empty();
        let res = self.bind_far(i, (to, tc), into, cur, row, used, None, known);
        used.truncate(depth);
        res
    }

    fn shortest(&mut self, i: usize, part: usize, row: &mut Row, used: &mut Vec<RelId>) -> Flow {
        let p = self.part(part);
        let r = &p.rels[0];
        let rc = self.res.rel(part, 0);
        let (Value::Node(a), Value::Node(b)) = (&row[p.nodes[0].slot], &row[p.nodes[1].slot])
        else {
            return Ok(true);
        };
        let (a, b) = (*a, *b);
        let (min, max) = r.range.unwrap_or((1, Some(1)));
        let dir = direction(r.direction, true);
        let all = p.kind == PathKind::AllShortestPaths;
        let paths = if !all && !rc.has_props() && a != b {
            let g = self.graph();
            let found =
                super::shortest::one(g, self.env.guard, a, b, dir, max, &|t| rc.type_ok(t))?;
            match found {
                Some(rels) if rels.len() as u64 >= min => vec![rels],
                _ => Vec::new(),
            }
        } else {
            self.bfs((r, rc), a, b, dir, min, max, all, row)?
        };
        let varlen = r.range.is_some();
        for rels in paths {
            row[r.slot] = if varlen {
                Value::List(rels.iter().map(|id| Value::Rel(*id)).collect())
            } else {
                match rels.first() {
                    Some(id) => Value::Rel(*id),
                    None => Value::Null,
                }
            };
            if let Some(slot) = p.path_slot {
                row[slot] = Value::Path(Box::new(walk(self.graph(), a, &rels)));
            }
            if !self.step(i + 1, row, used)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Breadth-first search for the shortest paths from `a` to `b`: one
    /// path, or with `all` every path of the shortest length. O(V + E).
    /// Covers what [`super::shortest::one`] does not: every shortest path,
    /// and relationship property constraints.
    #[allow(clippy::too_many_arguments)]
    fn bfs(
        &self,
        (r, rc): (&BRel, &RelCheck),
        a: NodeId,
        b: NodeId,
        dir: Direction,
        min: u64,
        max: Option<u64>,
        all: bool,
        row: &mut Row,
    ) -> Result<Vec<Vec<RelId>>, QueryError> {
        if a == b {
            return Ok(if min == 0 {
                vec![Vec::new()]
            } else {
                Vec::new()
            });
        }
        let g = self.graph();
        let props = rc.has_props();
        // Node -> (depth, predecessors as (node, rel)).
        let mut seen: Layers = HashMap::new();
        seen.insert(a, (0, Vec::new()));
        let mut queue = VecDeque::from([a]);
        let mut found_depth = None;
        while let Some(cur) = queue.pop_front() {
            self.env.guard.tick()?;
            let d = seen[&cur].0;
            if found_depth.is_some_and(|f| d >= f) || max.is_some_and(|m| d >= m) {
                continue;
            }
            for (id, other, t) in g.relationships_typed(cur, dir) {
                if !rc.type_ok(t) || (props && !rc.props_ok(self.env, r, id, row)?) {
                    continue;
                }
                match seen.get_mut(&other) {
                    Some((od, preds)) if *od == d + 1 => preds.push((cur, id)),
                    Some(_) => {}
                    None => {
                        seen.insert(other, (d + 1, vec![(cur, id)]));
                        if other == b {
                            found_depth = Some(d + 1);
                        } else {
                            queue.push_back(other);
                        }
                    }
                }
            }
        }
        let Some(depth) = found_depth else {
            return Ok(Vec::new());
        };
        if depth < min {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let mut stack: Vec<RelId> = Vec::new();
        collect_paths(&seen, a, b, &mut stack, &mut out, all);
        Ok(out)
    }
}

fn collect_paths(
    seen: &Layers,
    a: NodeId,
    cur: NodeId,
    stack: &mut Vec<RelId>,
    out: &mut Vec<Vec<RelId>>,
    all: bool,
) {
    if cur == a {
        out.push(stack.iter().rev().copied().collect());
        return;
    }
    let Some((_, preds)) = seen.get(&cur) else {
        return;
    };
    for (prev, rel) in preds {
        if !all && !out.is_empty() {
            return;
        }
        stack.push(*rel);
        collect_paths(seen, a, *prev, stack, out, all);
        stack.pop();
    }
}

/// The graph direction for a pattern direction read forwards or backwards.
fn direction(d: RelDirection, forward: bool) -> Direction {
    match (d, forward) {
        (RelDirection::Both, _) => Direction::Both,
        (RelDirection::Right, true) | (RelDirection::Left, false) => Direction::Outgoing,
        (RelDirection::Right, false) | (RelDirection::Left, true) => Direction::Incoming,
    }
}

/// The path from `start` along `rels`.
pub fn walk(g: &Graph, start: NodeId, rels: &[RelId]) -> Path {
    let mut nodes = vec![start];
    let mut cur = start;
    for id in rels {
        if let Some(r) = g.rel(*id) {
            cur = if r.start() == cur { r.end() } else { r.start() };
        }
        nodes.push(cur);
    }
    Path {
        nodes,
        rels: rels.to_vec(),
    }
}

/// The path value of a matched part.
fn build_path(g: &Graph, p: &BPart, row: &Row) -> Value {
    let Value::Node(start) = row[p.nodes[0].slot] else {
        return Value::Null;
    };
    let mut rels = Vec::new();
    for r in &p.rels {
        match &row[r.slot] {
            Value::Rel(id) => rels.push(*id),
            Value::List(items) => {
                for item in items {
                    if let Value::Rel(id) = item {
                        rels.push(*id);
                    }
                }
            }
            _ => return Value::Null,
        }
    }
    Value::Path(Box::new(walk(g, start, &rels)))
}

/// Binds node `id` in `slot`. A slot that already holds a node (the same
/// slot rebinds once per candidate) takes the id alone: writing a whole
/// new value would drop the old one and then copy the new one in wider
/// moves than it was built with, a stall on every row.
#[inline]
fn bind_node(row: &mut Row, slot: usize, id: NodeId) {
    match &mut row[slot] {
        Value::Node(bound) => *bound = id,
        other => *other = Value::Node(id),
    }
}

/// [`bind_node`] for a relationship.
#[inline]
fn bind_rel(row: &mut Row, slot: usize, id: RelId) {
    match &mut row[slot] {
        Value::Rel(bound) => *bound = id,
        other => *other = Value::Rel(id),
    }
}
