//! The plan: a pipeline of operators per single query, chosen from the
//! bound query and the graph's statistics. `EXPLAIN` prints it.

pub mod pattern;

use std::fmt::Write as _;

use crate::graph::{Graph, Value};
use crate::query::analyze::ir::{
    BClause, BExpr, BPart, BProjection, BQuery, BRemoveItem, BSetItem, Slot,
};
use pattern::{PatternPlan, plan_pattern};

/// One operator of the pipeline; each consumes the rows of the one
/// before it.
#[derive(Clone, Debug)]
pub enum Op {
    /// Pattern matching from each input row (`Expand`, scans, seeks).
    Match {
        /// `OPTIONAL`: a row with nulls when nothing matches.
        optional: bool,
        /// The planned pattern.
        plan: PatternPlan,
        /// Stop after this many rows in total (a `LIMIT` right after).
        limit: Option<usize>,
    },
    /// `UNWIND`, stopping after the given number of rows in total (a
    /// `LIMIT` right after).
    Unwind(BExpr, Slot, Option<usize>),
    /// `WITH` / `RETURN`: filter, aggregate, distinct, sort, skip, limit.
    Project(Box<BProjection>),
    /// `CREATE`.
    Create(Vec<BPart>),
    /// `MERGE`.
    Merge {
        /// Planned pattern.
        plan: PatternPlan,
        /// `ON CREATE SET`.
        on_create: Vec<BSetItem>,
        /// `ON MATCH SET`.
        on_match: Vec<BSetItem>,
    },
    /// `SET`.
    SetProperties(Vec<BSetItem>),
    /// `REMOVE`.
    Remove(Vec<BRemoveItem>),
    /// `[DETACH] DELETE`.
    Delete(Vec<BExpr>, bool),
}

/// The plan of one single query.
#[derive(Clone, Debug)]
pub struct SinglePlan {
    /// The operators in order.
    pub ops: Vec<Op>,
    /// Row width.
    pub slots: usize,
    /// Column names.
    pub columns: Vec<String>,
    /// Output slots in column order.
    pub outputs: Vec<Slot>,
}

/// The plan of a statement.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The single queries joined by `UNION`.
    pub parts: Vec<SinglePlan>,
    /// `UNION ALL`.
    pub union_all: bool,
    /// Whether any operator writes.
    pub writes: bool,
}

/// Plans a bound query against `graph`'s statistics.
pub fn plan(q: &BQuery, graph: &Graph) -> Plan {
    let parts = q
        .parts
        .iter()
        .map(|s| {
            let mut ops: Vec<Op> = s
                .clauses
                .iter()
                .map(|c| match c {
                    BClause::Match { optional, pattern } => Op::Match {
                        optional: *optional,
                        plan: plan_pattern(pattern, graph),
                        limit: None,
                    },
                    BClause::Unwind(e, s) => Op::Unwind(e.clone(), *s, None),
                    BClause::Project(p, _) => Op::Project(p.clone()),
                    BClause::Create(parts) => Op::Create(parts.clone()),
                    BClause::Merge {
                        pattern,
                        on_create,
                        on_match,
                    } => Op::Merge {
                        plan: plan_pattern(pattern, graph),
                        on_create: on_create.clone(),
                        on_match: on_match.clone(),
                    },
                    BClause::Set(items) => Op::SetProperties(items.clone()),
                    BClause::Remove(items) => Op::Remove(items.clone()),
                    BClause::Delete(e, d) => Op::Delete(e.clone(), *d),
                })
                .collect();
            push_limits(&mut ops);
            SinglePlan {
                ops,
                slots: s.slots,
                columns: s.columns.clone(),
                outputs: s.outputs.clone(),
            }
        })
        .collect();
    Plan {
        parts,
        union_all: q.union_all,
        writes: q.writes,
    }
}

/// A `MATCH` or `UNWIND` directly followed by a plain projection with a constant
/// `LIMIT` stops once it has produced enough rows.
fn push_limits(ops: &mut [Op]) {
    for i in 0..ops.len().saturating_sub(1) {
        let hint = match &ops[i + 1] {
            Op::Project(p)
                if !p.aggregating()
                    && !p.distinct
                    && p.order_by.is_empty()
                    && p.filter.is_none() =>
            {
                match (&p.limit, &p.skip) {
                    (Some(BExpr::Const(Value::Int(l))), None) if *l >= 0 => Some(*l as usize),
                    (Some(BExpr::Const(Value::Int(l))), Some(BExpr::Const(Value::Int(s))))
                        if *l >= 0 && *s >= 0 =>
                    {
                        Some(l.saturating_add(*s) as usize)
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        match &mut ops[i] {
            Op::Match { limit, .. } | Op::Unwind(_, _, limit) => *limit = hint,
            _ => {}
        }
    }
}

impl Op {
    /// The operator's lines for `EXPLAIN`, outermost last.
    pub fn describe(&self) -> Vec<String> {
        match self {
            Op::Match {
                optional,
                plan,
                limit,
            } => {
                let mut lines = plan.describe();
                if *optional {
                    lines.insert(0, "Optional".to_owned());
                }
                if let Some(l) = limit {
                    lines.push(format!("(stops after {l} rows)"));
                }
                lines
            }
            Op::Unwind(_, _, limit) => match limit {
                Some(l) => vec![format!("Unwind (stops after {l} rows)")],
                None => vec!["Unwind".to_owned()],
            },
            Op::Project(p) => {
                let mut lines = Vec::new();
                if p.aggregating() {
                    lines.push(format!("Aggregate ({} aggregates)", p.aggregates.len()));
                } else {
                    lines.push(format!("Project {}", p.columns.join(", ")));
                }
                if p.distinct {
                    lines.push("Distinct".to_owned());
                }
                if !p.order_by.is_empty() {
                    lines.push(if p.limit.is_some() {
                        "Top".to_owned()
                    } else {
                        "Sort".to_owned()
                    });
                }
                if p.skip.is_some() {
                    lines.push("Skip".to_owned());
                }
                if p.limit.is_some() {
                    lines.push("Limit".to_owned());
                }
                if p.filter.is_some() {
                    lines.push("Filter".to_owned());
                }
                lines
            }
            Op::Create(_) => vec!["Create".to_owned()],
            Op::Merge { plan, .. } => {
                let mut lines = vec!["Merge".to_owned()];
                lines.extend(plan.describe().into_iter().map(|l| format!("  {l}")));
                lines
            }
            Op::SetProperties(_) => vec!["SetProperties".to_owned()],
            Op::Remove(_) => vec!["Remove".to_owned()],
            Op::Delete(_, detach) => {
                vec![if *detach { "DetachDelete" } else { "Delete" }.to_owned()]
            }
        }
    }
}

impl Plan {
    /// The plan as text, one operator per line; with `profile`, the rows
    /// and time of each operator (from [`Plan`] execution) are appended.
    pub fn describe(&self, profile: Option<&[Vec<(u64, std::time::Duration)>]>) -> String {
        let mut out = String::new();
        for (pi, part) in self.parts.iter().enumerate() {
            if pi > 0 {
                let _ = writeln!(out, "{}", if self.union_all { "UnionAll" } else { "Union" });
            }
            for (oi, op) in part.ops.iter().enumerate() {
                let lines = op.describe();
                let stats = profile.and_then(|p| p.get(pi)).and_then(|p| p.get(oi));
                for (li, line) in lines.iter().enumerate() {
                    let _ = write!(out, "{line}");
                    if li + 1 == lines.len()
                        && let Some((rows, time)) = stats
                    {
                        let _ = write!(
                            out,
                            "  [rows: {rows}, time: {:.3} ms]",
                            time.as_secs_f64() * 1e3
                        );
                    }
                    out.push('\n');
                }
            }
            let _ = writeln!(out, "ProduceResults {}", part.columns.join(", "));
        }
        out
    }
}
