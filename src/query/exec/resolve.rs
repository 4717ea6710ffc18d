//! A pattern's names resolved to the graph's symbols, once per run of the
//! matcher: labels, relationship types and property keys become integers
//! compared without hashing, and simple comparisons of the predicate are
//! decided on borrowed property values instead of cloned ones.
//!
//! Resolution happens when a run starts, not when the pattern is planned:
//! a `MATCH` after a `CREATE` in the same query must see labels and keys
//! that the `CREATE` introduced.

mod needle;

use std::cell::{Cell, OnceCell, RefCell};

use needle::Needle;

use crate::error::QueryError;
use crate::graph::columns::{Cell as ColumnCell, Column};
use crate::graph::{Graph, KeyCache, NodeId, NodeRef, RelId, Symbol, Value};
use crate::query::analyze::ir::{BExpr, BNode, BRel, Slot};
use crate::query::ast::BinaryOp;
use crate::query::eval::{Env, Row, eval};
use crate::query::operators;
use crate::query::plan::pattern::{PatternPlan, Step};

/// The null every missing property reads as.
static NULL: Value = Value::Null;

/// What a node of the pattern must satisfy, in symbols.
pub struct NodeCheck {
    /// The label symbols, or `None` when some label is unknown to the
    /// graph (then no node matches).
    labels: Option<Vec<Symbol>>,
    /// The first label's node count, for the bitmap.
    first_count: usize,
    /// Key symbol of each property equality (`None`: no element has it).
    keys: Vec<Option<Symbol>>,
    /// Label checks so far.
    checks: Cell<usize>,
    /// Per node id, whether it carries every label: built once checks
    /// outnumber the first label's nodes by far enough that one pass over
    /// them is cheaper than looking each checked node up.
    bitmap: OnceCell<Vec<u64>>,
}

/// A node check builds its bitmap once its label checks outnumber a
/// `1 / BITMAP_RATIO` share of the first label's nodes.
const BITMAP_RATIO: usize = 4;

/// What a relationship of the pattern must satisfy, in symbols.
pub struct RelCheck {
    /// The type alternatives that exist in the graph; `None`: any type.
    types: Option<Vec<Symbol>>,
    /// Key symbol of each property equality.
    keys: Vec<Option<Symbol>>,
}

/// A pattern resolved against one graph.
pub struct Resolved<'g> {
    /// Per part, per node.
    nodes: Vec<Vec<NodeCheck>>,
    /// Per part, per relationship.
    rels: Vec<Vec<RelCheck>>,
    /// Per step: the fast form of a `Filter` step, when it has one.
    filters: Vec<Option<FastFilter<'g>>>,
}

impl<'g> Resolved<'g> {
    /// Resolves `plan`'s names against `g`.
    pub fn new(plan: &PatternPlan, g: &'g Graph) -> Resolved<'g> {
        let keys = |props: &[(String, BExpr)]| props.iter().map(|(k, _)| g.symbol(k)).collect();
        let nodes = plan
            .query
            .parts
            .iter()
            .map(|p| {
                p.nodes
                    .iter()
                    .map(|n| NodeCheck {
                        labels: n.labels.iter().map(|l| g.symbol(l)).collect(),
                        first_count: n.labels.first().map_or(0, |l| g.label_count(l)),
                        keys: keys(&n.props),
                        checks: Cell::new(0),
                        bitmap: OnceCell::new(),
                    })
                    .collect()
            })
            .collect();
        let rels = plan
            .query
            .parts
            .iter()
            .map(|p| {
                p.rels
                    .iter()
                    .map(|r| RelCheck {
                        types: (!r.types.is_empty())
                            .then(|| r.types.iter().filter_map(|t| g.symbol(t)).collect()),
                        keys: keys(&r.props),
                    })
                    .collect()
            })
            .collect();
        let filters = plan
            .steps
            .iter()
            .map(|s| match s {
                Step::Filter(e) => FastFilter::compile(e, g),
                _ => None,
            })
            .collect();
        Resolved {
            nodes,
            rels,
            filters,
        }
    }

    /// The check of node `node` of part `part`.
    pub fn node(&self, part: usize, node: usize) -> &NodeCheck {
        &self.nodes[part][node]
    }

    /// The check of relationship `rel` of part `part`.
    pub fn rel(&self, part: usize, rel: usize) -> &RelCheck {
        &self.rels[part][rel]
    }

    /// The fast form of filter step `i`.
    pub fn filter(&self, i: usize) -> Option<&FastFilter<'g>> {
        self.filters.get(i).and_then(Option::as_ref)
    }
}

impl NodeCheck {
    /// Whether node `id` carries the labels only (properties unchecked).
    /// Nodes that do not exist never match.
    pub fn labels_ok(&self, g: &Graph, id: NodeId) -> bool {
        let Some(labels) = &self.labels else {
            return false;
        };
        if labels.is_empty() {
            return g.contains_node(id);
        }
        if let Some(bits) = self.bitmap.get() {
            return bit(bits, id);
        }
        let checks = self.checks.get() + 1;
        self.checks.set(checks);
        if checks > 1024 && checks * BITMAP_RATIO > self.first_count {
            let bits = self.bitmap.get_or_init(|| {
                let mut bits = vec![0u64; (g.next_node_id().0 as usize).div_ceil(64)];
                for n in g.nodes_with_label(g.symbols().name(labels[0])) {
                    let all = labels.len() == 1
                        || g.node(n)
                            .is_some_and(|r| labels.iter().all(|&l| r.has_label_symbol(l)));
                    if all && let Some(w) = bits.get_mut((n.0 / 64) as usize) {
                        *w |= 1 << (n.0 % 64);
                    }
                }
                bits
            });
            return bit(bits, id);
        }
        g.node(id)
            .is_some_and(|n| labels.iter().all(|&l| n.has_label_symbol(l)))
    }

    /// Whether node `id` satisfies the labels and property equalities of
    /// `n`. Property values are evaluated before they are compared, so an
    /// erroneous expression errs even where the key is missing.
    pub fn ok(&self, env: &Env, n: &BNode, id: NodeId, row: &mut Row) -> Result<bool, QueryError> {
        if !self.labels_ok(env.graph, id) {
            return Ok(false);
        }
        if n.props.is_empty() {
            return Ok(true);
        }
        let Some(node) = env.graph.node(id) else {
            return Ok(false);
        };
        for ((_, e), key) in n.props.iter().zip(&self.keys) {
            let have = key.and_then(|k| node.property_symbol(k)).unwrap_or(&NULL);
            if !props_equal(env, e, have, row)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether the node check is only about labels (no properties).
    pub fn labels_only(&self) -> bool {
        self.keys.is_empty()
    }
}

impl RelCheck {
    /// Whether a relationship of type `t` has a wanted type.
    #[inline]
    pub fn type_ok(&self, t: Symbol) -> bool {
        self.types.as_ref().is_none_or(|ts| ts.contains(&t))
    }

    /// Whether the pattern constrains the relationship's properties.
    pub fn has_props(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Whether relationship `id` (of type `t`) satisfies the property
    /// equalities of `r`; types are checked by [`RelCheck::type_ok`].
    pub fn props_ok(
        &self,
        env: &Env,
        r: &BRel,
        id: RelId,
        row: &mut Row,
    ) -> Result<bool, QueryError> {
        for ((_, e), key) in r.props.iter().zip(&self.keys) {
            let have = key
                .and_then(|k| env.graph.rel_property(id, k).flatten())
                .unwrap_or(&NULL);
            if !props_equal(env, e, have, row)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether relationship `id` exists and satisfies type and properties.
    pub fn ok(&self, env: &Env, r: &BRel, id: RelId, row: &mut Row) -> Result<bool, QueryError> {
        let Some(rel) = env.graph.rel(id) else {
            return Ok(false);
        };
        if !self.type_ok(rel.type_symbol()) {
            return Ok(false);
        }
        self.props_ok(env, r, id, row)
    }
}

/// Whether bit `id` is set.
fn bit(bits: &[u64], id: NodeId) -> bool {
    bits.get((id.0 / 64) as usize)
        .is_some_and(|w| w & (1 << (id.0 % 64)) != 0)
}

/// Whether `have` equals the value of `want` (a constant compared in
/// place, anything else evaluated).
fn props_equal(env: &Env, want: &BExpr, have: &Value, row: &mut Row) -> Result<bool, QueryError> {
    Ok(match want {
        BExpr::Const(v) => operators::equals(have, v) == Some(true),
        e => operators::equals(have, &eval(env, e, row)?) == Some(true),
    })
}

/// One side of a [`FastFilter`].
enum Operand<'g> {
    /// A constant.
    Const(Value),
    /// A slot's value.
    Var(Slot),
    /// `slot.key` of a node or relationship (`None`: no element has the
    /// key), with the values read from nodes remembered.
    Prop(Slot, Option<Symbol>, NodeValues<'g>),
}

/// Values of one property read from nodes during a run (the graph does
/// not change during a run, so a value read once stays valid): the last
/// node's, as inner loops compare many rows with the same outer node,
/// and once many nodes were read, every node's by id.
#[derive(Default)]
struct NodeValues<'g> {
    last: Cell<Option<(NodeId, &'g Value)>>,
    reads: Cell<usize>,
    by_id: RefCell<Vec<Option<&'g Value>>>,
}

/// Node property reads after which an operand remembers values by id.
const REMEMBER_AFTER: usize = 1 << 16;

impl<'g> NodeValues<'g> {
    /// The value of `key` on node `id`; `None` if the node does not exist.
    fn get(&self, g: &'g Graph, id: NodeId, key: Option<Symbol>) -> Option<&'g Value> {
        if let Some((seen, v)) = self.last.get()
            && seen == id
        {
            return Some(v);
        }
        let i = id.0 as usize;
        let remembered = self.by_id.borrow().get(i).copied().flatten();
        let v = match remembered {
            Some(v) => v,
            None => {
                let n = g.node(id)?;
                let v = key.and_then(|k| n.property_symbol(k)).unwrap_or(&NULL);
                let reads = self.reads.get() + 1;
                self.reads.set(reads);
                let mut by_id = self.by_id.borrow_mut();
                if reads == REMEMBER_AFTER {
                    by_id.resize(g.next_node_id().0 as usize, None);
                }
                if let Some(slot) = by_id.get_mut(i) {
                    *slot = Some(v);
                }
                v
            }
        };
        self.last.set(Some((id, v)));
        Some(v)
    }
}

/// A conjunct `a op b` whose sides are constants, variables or properties
/// of variables, with an operator that cannot fail: decided on borrowed
/// values. Anything unusual at run time (a map, a deleted element) is left
/// to the general evaluator, which gives the same answer or error.
pub struct FastFilter<'g> {
    op: BinaryOp,
    a: Operand<'g>,
    b: Operand<'g>,
    /// For `a CONTAINS 'constant'`: the needle's searcher, built once per
    /// run instead of searching byte by byte on every row.
    needle: Option<Needle>,
    /// For a comparison of one key on two nodes (`p1.name < p2.name`)
    /// when the key has a text column: nodes whose cells hold text
    /// compare by their ranks ([`Column::text_rank`]), without reading
    /// either text.
    ranked: Option<&'g Column>,
    /// For a property compared with a constant, when the key has a node
    /// column: the column, and whether the property is on the left. A
    /// node's cell decides without its record.
    cells: Option<(&'g Column, bool)>,
}

impl<'g> FastFilter<'g> {
    /// The fast form of `e`, if it has one.
    fn compile(e: &BExpr, g: &'g Graph) -> Option<FastFilter<'g>> {
        let BExpr::Binary(op, a, b) = e else {
            return None;
        };
        let pure = matches!(
            op,
            BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
                | BinaryOp::StartsWith
                | BinaryOp::EndsWith
                | BinaryOp::Contains
        );
        if !pure {
            return None;
        }
        let operand = |e: &BExpr| match e {
            BExpr::Const(v) => Some(Operand::Const(v.clone())),
            BExpr::Var(s) => Some(Operand::Var(*s)),
            BExpr::Prop(base, key) => match **base {
                BExpr::Var(s) => Some(Operand::Prop(s, g.symbol(key), NodeValues::default())),
                _ => None,
            },
            _ => None,
        };
        let needle = match (op, &**b) {
            (BinaryOp::Contains, BExpr::Const(Value::String(n))) => Some(Needle::new(n.as_bytes())),
            _ => None,
        };
        let (a, b) = (operand(a)?, operand(b)?);
        let ranked = match (&a, &b) {
            (Operand::Prop(_, Some(x), _), Operand::Prop(_, Some(y), _))
                if x == y
                    && !matches!(
                        op,
                        BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains
                    ) =>
            {
                g.node_columns().and_then(|c| c.column(*x))
            }
            _ => None,
        };
        let columns = g.node_columns();
        let cells = match (&a, &b) {
            (Operand::Prop(_, Some(key), _), Operand::Const(_)) => {
                columns.and_then(|c| c.column(*key)).map(|c| (c, true))
            }
            (Operand::Const(_), Operand::Prop(_, Some(key), _)) => {
                columns.and_then(|c| c.column(*key)).map(|c| (c, false))
            }
            _ => None,
        };
        Some(FastFilter {
            op: *op,
            a,
            b,
            needle,
            ranked,
            cells,
        })
    }

    /// The verdict on the node in the property's slot from its column
    /// cell, or `None` when the slot holds no node or the cell cannot give
    /// it.
    #[inline]
    fn by_cell(&self, column: &Column, prop_first: bool, row: &Row) -> Option<bool> {
        let ((Operand::Prop(s, ..), Operand::Const(c)) | (Operand::Const(c), Operand::Prop(s, ..))) =
            (&self.a, &self.b)
        else {
            return None;
        };
        let Some(Value::Node(id)) = row.get(*s) else {
            return None;
        };
        decide_cell(self, column.cell(*id), c, prop_first)
    }

    /// The verdict of a comparison of two nodes' texts by their ranks, or
    /// `None` when either slot holds no node with a text cell.
    #[inline]
    fn by_rank(&self, column: &Column, row: &Row) -> Option<bool> {
        let (Operand::Prop(x, ..), Operand::Prop(y, ..)) = (&self.a, &self.b) else {
            return None;
        };
        let (Some(Value::Node(p)), Some(Value::Node(q))) = (row.get(*x), row.get(*y)) else {
            return None;
        };
        ordered(self.op, &column.text_rank(*p)?, &column.text_rank(*q)?)
    }

    /// The filter's verdict on `row`, or `None` when the general evaluator
    /// must decide.
    pub fn test(&self, g: &'g Graph, row: &Row) -> Option<Result<bool, QueryError>> {
        if let Some(column) = self.ranked
            && let Some(pass) = self.by_rank(column, row)
        {
            return Some(Ok(pass));
        }
        if let Some((column, prop_first)) = self.cells
            && let Some(pass) = self.by_cell(column, prop_first, row)
        {
            return Some(Ok(pass));
        }
        let a = value(&self.a, g, row)?;
        if let Some(needle) = &self.needle {
            // `CONTAINS` is null (so false) unless both sides are strings,
            // and never fails.
            return Some(Ok(match a {
                Value::String(s) => needle.found_in(s.as_bytes()),
                _ => false,
            }));
        }
        let b = value(&self.b, g, row)?;
        if let Some(pass) = operators::holds(self.op, a, b) {
            return Some(Ok(pass));
        }
        Some(operators::binary(self.op, a, b).and_then(|v| operators::is_true(&v)))
    }
}

/// One side of a [`NodeTest`].
enum Side<'f> {
    /// A constant.
    Const(&'f Value),
    /// A property of the scanned node, with where its key sat last.
    Prop(KeyCache),
}

/// A [`FastFilter`] that reads nothing but constants and properties of one
/// node, decided on that node directly: a scan of single nodes tests its
/// nodes without binding them in a row, and finds each property without
/// searching the node's key list (see [`KeyCache`]). When the property
/// has a node column, most nodes are decided on their cell alone
/// ([`NodeTest::decide_in_column`]).
pub struct NodeTest<'f, 'g> {
    filter: &'f FastFilter<'g>,
    a: Side<'f>,
    b: Side<'f>,
    /// The column of the property, when one side is a property with a
    /// column and the other a constant.
    column: Option<&'g Column>,
}

impl<'f, 'g> NodeTest<'f, 'g> {
    /// `filter` as a test of the node in `slot`, if it reads nothing else.
    pub fn new(filter: &'f FastFilter<'g>, slot: Slot, g: &'g Graph) -> Option<NodeTest<'f, 'g>> {
        let side = |o: &'f Operand<'g>| match o {
            Operand::Const(v) => Some(Side::Const(v)),
            Operand::Prop(s, key, _) if *s == slot => Some(Side::Prop(KeyCache::new(*key))),
            _ => None,
        };
        let column = match (&filter.a, &filter.b) {
            (Operand::Prop(_, Some(key), _), Operand::Const(_))
            | (Operand::Const(_), Operand::Prop(_, Some(key), _)) => {
                g.node_columns().and_then(|c| c.column(*key))
            }
            _ => None,
        };
        Some(NodeTest {
            filter,
            a: side(&filter.a)?,
            b: side(&filter.b)?,
            column,
        })
    }

    /// For `n.key CONTAINS 'non-empty constant'` with a text column: the
    /// column and the needle's searcher, to search the texts end to end.
    pub(crate) fn contains_in_column(
        &self,
    ) -> Option<(&'g Column, &memchr::memmem::Finder<'static>)> {
        let column = self.column?;
        let needle = self.filter.needle.as_ref()?;
        matches!((&self.a, &self.b), (Side::Prop(_), Side::Const(_)))
            .then(|| (column, needle.finder()))
    }

    /// Whether most nodes are decided by [`NodeTest::decide_in_column`]
    /// (a scan then need not fetch their records ahead).
    pub fn has_column(&self) -> bool {
        self.column.is_some()
    }

    /// The verdict on node `id` from its cell in the property's column,
    /// without its record: the verdict [`NodeTest::test`] gives, or `None`
    /// when the cell cannot give it (no column, a changed node, an
    /// operation the cell does not decide) and the record must.
    #[inline]
    pub fn decide_in_column(&self, id: NodeId) -> Option<bool> {
        let column = self.column?;
        let (constant, prop_first) = match (&self.a, &self.b) {
            (Side::Prop(_), Side::Const(c)) => (*c, true),
            (Side::Const(c), Side::Prop(_)) => (*c, false),
            _ => return None,
        };
        decide_cell(self.filter, column.cell(id), constant, prop_first)
    }

    /// A fresh cache for the first node property the test reads, if any:
    /// what a scan prefetches ahead of testing.
    pub fn key(&self) -> Option<KeyCache> {
        [&self.a, &self.b].into_iter().find_map(|s| match s {
            Side::Prop(c) => Some(c.fresh()),
            Side::Const(_) => None,
        })
    }

    /// The verdict on `node`, as [`FastFilter::test`] gives it on a row
    /// that binds the node.
    #[inline]
    pub fn test(&mut self, node: NodeRef<'g>) -> Result<bool, QueryError> {
        let a = side_value(&mut self.a, node);
        if let Some(needle) = &self.filter.needle {
            return Ok(match a {
                Value::String(s) => needle.found_in(s.as_bytes()),
                _ => false,
            });
        }
        let b = side_value(&mut self.b, node);
        if let Some(pass) = operators::holds(self.filter.op, a, b) {
            return Ok(pass);
        }
        operators::binary(self.filter.op, a, b).and_then(|v| operators::is_true(&v))
    }
}

/// `x op y` for a comparison operator on totally ordered operands (text
/// ranks, UTF-8 bytes); `None` for any other operator.
#[inline]
fn ordered<T: Ord + ?Sized>(op: BinaryOp, x: &T, y: &T) -> Option<bool> {
    Some(match op {
        BinaryOp::Eq => x == y,
        BinaryOp::Ne => x != y,
        BinaryOp::Lt => x < y,
        BinaryOp::Le => x <= y,
        BinaryOp::Gt => x > y,
        BinaryOp::Ge => x >= y,
        _ => return None,
    })
}

/// The verdict of `filter`, comparing a node's column cell with
/// `constant` (the cell on the left when `prop_first`), as the filter
/// gives it on the node's value; `None` when the cell cannot give it.
#[inline]
fn decide_cell(
    filter: &FastFilter,
    cell: ColumnCell,
    constant: &Value,
    prop_first: bool,
) -> Option<bool> {
    match cell {
        ColumnCell::Record => None,
        ColumnCell::Text(text) => {
            if let Some(needle) = &filter.needle {
                return Some(needle.found_in(text));
            }
            let Value::String(c) = constant else {
                return None;
            };
            // UTF-8 orders and compares as its bytes do.
            let (x, y) = if prop_first {
                (text, c.as_bytes())
            } else {
                (c.as_bytes(), text)
            };
            match filter.op {
                BinaryOp::StartsWith => Some(x.starts_with(y)),
                BinaryOp::EndsWith => Some(x.ends_with(y)),
                op => ordered(op, x, y),
            }
        }
        cell => {
            let v = cell.scalar()?;
            if filter.needle.is_some() {
                // `CONTAINS` on a number, boolean or null is null.
                return Some(false);
            }
            let (x, y) = if prop_first {
                (&v, constant)
            } else {
                (constant, &v)
            };
            operators::holds(filter.op, x, y)
        }
    }
}

/// Whether node `id` passes every one of `tests`, decided on the node
/// columns alone ([`NodeTest::decide_in_column`]); `None` when some test
/// needs the record (then [`all_pass`] decides them all).
#[inline]
pub fn all_pass_in_columns(tests: &[NodeTest<'_, '_>], id: NodeId) -> Option<bool> {
    for t in tests {
        if !t.decide_in_column(id)? {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether `node` passes every one of `tests`, tried in order (the first
/// error or failure ends it, as filter steps would).
#[inline]
pub fn all_pass<'g>(tests: &mut [NodeTest<'_, 'g>], node: NodeRef<'g>) -> Result<bool, QueryError> {
    for t in tests {
        if !t.test(node)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A side's value on `node` (null for a property it lacks).
#[inline]
fn side_value<'f>(side: &mut Side<'f>, node: NodeRef<'f>) -> &'f Value {
    match side {
        Side::Const(v) => v,
        Side::Prop(cache) => node.property_cached(cache).unwrap_or(&NULL),
    }
}

/// An operand's value, borrowed; `None` when it is not a plain read.
fn value<'v, 'g: 'v>(o: &'v Operand<'g>, g: &'g Graph, row: &'v Row) -> Option<&'v Value> {
    match o {
        Operand::Const(v) => Some(v),
        Operand::Var(s) => row.get(*s),
        Operand::Prop(s, key, values) => match row.get(*s)? {
            Value::Null => Some(&NULL),
            Value::Node(id) => values.get(g, *id, *key),
            Value::Rel(id) => {
                if !g.contains_rel(*id) {
                    return None;
                }
                Some(
                    key.and_then(|k| g.rel_property(*id, k).flatten())
                        .unwrap_or(&NULL),
                )
            }
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::analyze::ir::PropKey;
    use crate::query::eval::{Guard, eval, truthy};
    use std::sync::atomic::AtomicBool;

    /// `n.name CONTAINS needle` decided by the precompiled needle gives the
    /// general evaluator's verdict on strings, other types, missing
    /// properties and nulls.
    #[test]
    fn contains_with_a_constant_needle_agrees_with_the_evaluator() {
        let mut g = Graph::new();
        let names = [
            Value::from("Ivanova"),
            Value::from("ova"),
            Value::from("ov"),
            Value::from(""),
            Value::from("a much longer name that is over sixty-four bytes long, Novak ova."),
            Value::from("Ünïcödé ova"),
            Value::Int(7),
            Value::Float(1.5),
            Value::Bool(true),
            Value::List(vec![Value::from("ova")]),
        ];
        let mut ids: Vec<NodeId> = names
            .iter()
            .map(|v| g.add_node(["Person"], [("name", v.clone())]))
            .collect();
        ids.push(g.add_node(["Person"], [("age", Value::Int(3))]));
        let cancel = AtomicBool::new(false);
        let guard = Guard::new(&cancel, None);
        let env = Env {
            graph: &g,
            guard: &guard,
        };
        for needle in ["ova", "", "o", "ünïcödé", "Ün"] {
            let e = BExpr::Binary(
                BinaryOp::Contains,
                Box::new(BExpr::Prop(Box::new(BExpr::Var(0)), PropKey::new("name"))),
                Box::new(BExpr::Const(Value::from(needle))),
            );
            let fast = FastFilter::compile(&e, &g).expect("a fast form");
            assert!(fast.needle.is_some());
            for &id in &ids {
                let mut row = vec![Value::Node(id)];
                let general = truthy(&eval(&env, &e, &mut row).unwrap()).unwrap();
                let quick = fast.test(&g, &row).expect("decided").unwrap();
                assert_eq!(quick, general, "{needle:?} in node {id:?}");
            }
            let mut row = vec![Value::Null];
            assert!(!fast.test(&g, &row).unwrap().unwrap());
            assert!(!truthy(&eval(&env, &e, &mut row).unwrap()).unwrap());
        }
    }
}
