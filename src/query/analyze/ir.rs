//! The bound form of a query: every variable resolved to a slot of the
//! row, parameters substituted, aggregates pulled out of projections.
//! Execution over this form does no name lookups.

use crate::graph::Value;
use crate::query::ast::{BinaryOp, PathKind, Quantifier, RelDirection, UnaryOp};
use crate::query::functions::FunctionInfo;

/// The index of a value in a row.
pub type Slot = usize;

/// The key of a property access, with its symbol in the graph once
/// looked up. A query runs against one graph and symbols are never
/// renumbered, so the first successful lookup holds for the whole run; a
/// key the graph does not know yet is looked up again each time (a `SET`
/// earlier in the query may create it).
#[derive(Clone, Debug)]
pub struct PropKey {
    /// The key as written.
    pub name: String,
    symbol: std::sync::OnceLock<crate::graph::Symbol>,
}

impl PropKey {
    /// A key not looked up yet.
    pub fn new(name: impl Into<String>) -> PropKey {
        PropKey {
            name: name.into(),
            symbol: std::sync::OnceLock::new(),
        }
    }

    /// The key's symbol in `graph`, if any element ever used the key.
    #[inline]
    pub fn symbol(&self, graph: &crate::graph::Graph) -> Option<crate::graph::Symbol> {
        if let Some(s) = self.symbol.get() {
            return Some(*s);
        }
        let s = graph.symbol(&self.name)?;
        Some(*self.symbol.get_or_init(|| s))
    }
}

impl std::ops::Deref for PropKey {
    type Target = str;
    fn deref(&self) -> &str {
        &self.name
    }
}

/// A bound expression.
#[derive(Clone, Debug)]
pub enum BExpr {
    /// A constant (literals and parameters).
    Const(Value),
    /// The value in a slot.
    Var(Slot),
    /// `e.key`.
    Prop(Box<BExpr>, PropKey),
    /// `e[i]`.
    Index(Box<BExpr>, Box<BExpr>),
    /// `e[a..b]`.
    Slice(Box<BExpr>, Option<Box<BExpr>>, Option<Box<BExpr>>),
    /// A unary operator.
    Unary(UnaryOp, Box<BExpr>),
    /// A binary operator.
    Binary(BinaryOp, Box<BExpr>, Box<BExpr>),
    /// `IS NULL` (`false`) / `IS NOT NULL` (`true`).
    IsNull(Box<BExpr>, bool),
    /// `e:A:B`.
    HasLabels(Box<BExpr>, Vec<String>),
    /// `[a, b]`.
    List(Vec<BExpr>),
    /// `{k: v}`.
    Map(Vec<(String, BExpr)>),
    /// A scalar function.
    Call(&'static FunctionInfo, Vec<BExpr>),
    /// `CASE`.
    Case {
        /// Simple form's operand.
        operand: Option<Box<BExpr>>,
        /// `WHEN`/`THEN` pairs.
        alternatives: Vec<(BExpr, BExpr)>,
        /// `ELSE`.
        default: Option<Box<BExpr>>,
    },
    /// `[x IN list WHERE p | e]`.
    ListComp {
        /// Slot of `x`.
        slot: Slot,
        /// The list.
        list: Box<BExpr>,
        /// `WHERE`.
        predicate: Option<Box<BExpr>>,
        /// `| e`.
        projection: Option<Box<BExpr>>,
    },
    /// `all/any/none/single(x IN list WHERE p)`.
    Quantified {
        /// Which.
        quantifier: Quantifier,
        /// Slot of `x`.
        slot: Slot,
        /// The list.
        list: Box<BExpr>,
        /// The predicate.
        predicate: Box<BExpr>,
    },
    /// `reduce(acc = init, x IN list | e)`.
    Reduce {
        /// Slot of the accumulator.
        acc: Slot,
        /// Initial value.
        init: Box<BExpr>,
        /// Slot of `x`.
        slot: Slot,
        /// The list.
        list: Box<BExpr>,
        /// The step.
        expr: Box<BExpr>,
    },
    /// Whether a pattern has at least one match (pattern predicates and
    /// `EXISTS { ... }`).
    Exists(Box<PatternQuery>),
    /// Whether a reading subquery (`EXISTS { MATCH ... WITH ... }`) has a
    /// row; with the outer slots it reads.
    ExistsQuery(Box<BSingle>, Vec<Slot>),
    /// `[pattern WHERE p | e]`: one value per match.
    PatternComp(Box<PatternQuery>, Box<BExpr>),
    /// `v{.k, .*, k: e, var}`.
    MapProjection(Box<BExpr>, Vec<BMapItem>),
}

/// One entry of a map projection.
#[derive(Clone, Debug)]
pub enum BMapItem {
    /// `.key`.
    Property(String),
    /// `.*`.
    All,
    /// `key: expr` (also `var`, keyed by its name).
    Entry(String, BExpr),
}

impl BExpr {
    /// Calls `f` on every slot this expression reads (outside the slots
    /// that its own comprehensions bind).
    pub fn visit_slots(&self, f: &mut dyn FnMut(Slot)) {
        match self {
            BExpr::Const(_) => {}
            BExpr::Var(s) => f(*s),
            BExpr::Prop(e, _)
            | BExpr::Unary(_, e)
            | BExpr::IsNull(e, _)
            | BExpr::HasLabels(e, _) => e.visit_slots(f),
            BExpr::Index(a, b) | BExpr::Binary(_, a, b) => {
                a.visit_slots(f);
                b.visit_slots(f);
            }
            BExpr::Slice(a, b, c) => {
                a.visit_slots(f);
                for e in [b, c].into_iter().flatten() {
                    e.visit_slots(f);
                }
            }
            BExpr::List(items) | BExpr::Call(_, items) => {
                items.iter().for_each(|e| e.visit_slots(f))
            }
            BExpr::Map(items) => items.iter().for_each(|(_, e)| e.visit_slots(f)),
            BExpr::Case {
                operand,
                alternatives,
                default,
            } => {
                for e in [operand, default].into_iter().flatten() {
                    e.visit_slots(f);
                }
                for (a, b) in alternatives {
                    a.visit_slots(f);
                    b.visit_slots(f);
                }
            }
            BExpr::ListComp {
                list,
                predicate,
                projection,
                ..
            } => {
                list.visit_slots(f);
                for e in [predicate, projection].into_iter().flatten() {
                    e.visit_slots(f);
                }
            }
            BExpr::Quantified {
                list, predicate, ..
            } => {
                list.visit_slots(f);
                predicate.visit_slots(f);
            }
            BExpr::Reduce {
                init, list, expr, ..
            } => {
                init.visit_slots(f);
                list.visit_slots(f);
                expr.visit_slots(f);
            }
            BExpr::Exists(p) => p.visit_slots(f),
            BExpr::ExistsQuery(_, outer) => outer.iter().for_each(|s| f(*s)),
            BExpr::PatternComp(p, e) => {
                p.visit_slots(f);
                e.visit_slots(f);
            }
            BExpr::MapProjection(e, items) => {
                e.visit_slots(f);
                for item in items {
                    if let BMapItem::Entry(_, e) = item {
                        e.visit_slots(f);
                    }
                }
            }
        }
    }

    /// The slots this expression reads.
    pub fn slots(&self) -> Vec<Slot> {
        let mut out = Vec::new();
        self.visit_slots(&mut |s| out.push(s));
        out
    }
}

/// A node of a pattern.
#[derive(Clone, Debug)]
pub struct BNode {
    /// Where the node is bound (anonymous nodes get a slot too).
    pub slot: Slot,
    /// Labels it must carry.
    pub labels: Vec<String>,
    /// Property equalities it must satisfy.
    pub props: Vec<(String, BExpr)>,
    /// Bound before the clause that holds the pattern.
    pub bound: bool,
    /// The name, for plans.
    pub name: Option<String>,
}

/// A relationship of a pattern.
#[derive(Clone, Debug)]
pub struct BRel {
    /// Where it is bound (a list of relationships for variable length).
    pub slot: Slot,
    /// Type alternatives; empty: any.
    pub types: Vec<String>,
    /// Direction, read left to right.
    pub direction: RelDirection,
    /// Property equalities.
    pub props: Vec<(String, BExpr)>,
    /// `(min, max)` hops for variable length.
    pub range: Option<(u64, Option<u64>)>,
    /// Bound before the clause.
    pub bound: bool,
    /// The name, for plans.
    pub name: Option<String>,
}

/// One comma-separated part of a pattern: `nodes[i] -rels[i]- nodes[i+1]`.
#[derive(Clone, Debug)]
pub struct BPart {
    /// The path variable.
    pub path_slot: Option<Slot>,
    /// Plain or shortest.
    pub kind: PathKind,
    /// The nodes.
    pub nodes: Vec<BNode>,
    /// The relationships.
    pub rels: Vec<BRel>,
}

/// A pattern with an optional predicate, as in `MATCH ... WHERE` or a
/// pattern predicate.
#[derive(Clone, Debug)]
pub struct PatternQuery {
    /// The parts.
    pub parts: Vec<BPart>,
    /// The predicate.
    pub filter: Option<BExpr>,
    /// Slots the pattern binds (in no particular order).
    pub new_slots: Vec<Slot>,
}

impl PatternQuery {
    /// Calls `f` on every slot the pattern reads from outside.
    pub fn visit_slots(&self, f: &mut dyn FnMut(Slot)) {
        let mut own = self.new_slots.clone();
        own.sort_unstable();
        let mut g = |s: Slot| {
            if own.binary_search(&s).is_err() {
                f(s)
            }
        };
        for part in &self.parts {
            for n in &part.nodes {
                if n.bound {
                    g(n.slot);
                }
                n.props.iter().for_each(|(_, e)| e.visit_slots(&mut g));
            }
            for r in &part.rels {
                if r.bound {
                    g(r.slot);
                }
                r.props.iter().for_each(|(_, e)| e.visit_slots(&mut g));
            }
        }
        if let Some(e) = &self.filter {
            e.visit_slots(&mut g);
        }
    }
}

/// An aggregate computed by a projection into a slot.
#[derive(Clone, Debug)]
pub struct AggSpec {
    /// Lower-case function name; `count(*)` is `count` with no arguments.
    pub name: String,
    /// `DISTINCT`.
    pub distinct: bool,
    /// The arguments (the first is aggregated, the others are constant
    /// parameters such as a percentile).
    pub args: Vec<BExpr>,
    /// Where the result goes.
    pub slot: Slot,
}

/// `WITH` or `RETURN`.
#[derive(Clone, Debug)]
pub struct BProjection {
    /// Each item and the slot it is written to.
    pub items: Vec<(BExpr, Slot)>,
    /// The aggregates the items and `ORDER BY` keys use, each computed
    /// per group into its slot; empty when the projection does not group.
    pub aggregates: Vec<AggSpec>,
    /// `DISTINCT`.
    pub distinct: bool,
    /// `ORDER BY` keys with `true` for descending.
    pub order_by: Vec<(BExpr, bool)>,
    /// `SKIP`.
    pub skip: Option<BExpr>,
    /// `LIMIT`.
    pub limit: Option<BExpr>,
    /// `WHERE` of `WITH`.
    pub filter: Option<BExpr>,
    /// Column names.
    pub columns: Vec<String>,
}

impl BProjection {
    /// Whether rows are grouped.
    pub fn aggregating(&self) -> bool {
        !self.aggregates.is_empty()
    }
}

/// One assignment of `SET` (or `ON CREATE SET` / `ON MATCH SET`).
#[derive(Clone, Debug)]
pub enum BSetItem {
    /// `e.key = v`.
    Property(BExpr, String, BExpr),
    /// `v = map` (`false`) or `v += map` (`true`).
    Properties(Slot, BExpr, bool),
    /// `v:A:B`.
    Labels(Slot, Vec<String>),
}

/// One item of `REMOVE`.
#[derive(Clone, Debug)]
pub enum BRemoveItem {
    /// `e.key`.
    Property(BExpr, String),
    /// `v:A:B`.
    Labels(Slot, Vec<String>),
}

/// A bound clause.
#[derive(Clone, Debug)]
pub enum BClause {
    /// `[OPTIONAL] MATCH`.
    Match {
        /// `OPTIONAL`.
        optional: bool,
        /// The pattern and its `WHERE`.
        pattern: PatternQuery,
    },
    /// `UNWIND e AS v`.
    Unwind(BExpr, Slot),
    /// `WITH` (`false`) or `RETURN` (`true`).
    Project(Box<BProjection>, bool),
    /// `CREATE`.
    Create(Vec<BPart>),
    /// `MERGE`.
    Merge {
        /// The pattern to match or create.
        pattern: PatternQuery,
        /// `ON CREATE SET`.
        on_create: Vec<BSetItem>,
        /// `ON MATCH SET`.
        on_match: Vec<BSetItem>,
    },
    /// `SET`.
    Set(Vec<BSetItem>),
    /// `REMOVE`.
    Remove(Vec<BRemoveItem>),
    /// `[DETACH] DELETE`.
    Delete(Vec<BExpr>, bool),
}

/// A bound single query.
#[derive(Clone, Debug)]
pub struct BSingle {
    /// The clauses.
    pub clauses: Vec<BClause>,
    /// Width of a row.
    pub slots: usize,
    /// Column names (empty without `RETURN`).
    pub columns: Vec<String>,
    /// The output slots, in column order.
    pub outputs: Vec<Slot>,
}

/// A bound statement.
#[derive(Clone, Debug)]
pub struct BQuery {
    /// The single queries, joined by `UNION`.
    pub parts: Vec<BSingle>,
    /// `true` for `UNION ALL` (all joins are the same kind).
    pub union_all: bool,
    /// Whether any clause writes.
    pub writes: bool,
}
