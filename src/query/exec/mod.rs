//! Execution of a [`Plan`]: each operator consumes the rows of the one
//! before it. Reading operators stream within a clause and stop early
//! under `LIMIT`; writing operators finish their clause before the next
//! starts (openCypher's clause-by-clause semantics).

pub mod aggregation;
pub mod budget;
pub mod count;
pub mod group;
pub mod matcher;
pub mod parallel;
pub mod pregroup;
pub mod project;
pub mod reach;
pub mod resolve;
pub mod scan_aggregate;
pub mod shortest;
pub mod stats;
pub mod tag_table;
pub mod topk;
pub mod write;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::error::{ErrorKind, QueryError};
use crate::graph::{Graph, Value};
use crate::query::analyze::ir::{BClause, BExpr, BProjection, BSingle, Slot};
use crate::query::eval::{Env, Guard, Row, eval};
use crate::query::plan::pattern::{PatternPlan, plan_pattern};
use crate::query::plan::{Op, Plan, SinglePlan};
use crate::session::Stats;
use project::Grouper;
use scan_aggregate::ScanAggregate;
use write::Writer;

/// Rows and time of one operator, for `PROFILE`.
pub type OpProfile = (u64, Duration);

/// The result of running a plan.
pub struct Output {
    /// Result rows, in column order.
    pub rows: Vec<Vec<Value>>,
    /// What changed.
    pub stats: Stats,
    /// Rows and time per operator of each single query.
    pub profile: Vec<Vec<OpProfile>>,
}

/// Runs `plan` on `graph`. The caller wraps this in a transaction.
pub fn execute(
    graph: &mut Graph,
    plan: &Plan,
    cancel: &AtomicBool,
    deadline: Option<Instant>,
    max_rows: Option<usize>,
    max_memory: Option<usize>,
) -> Result<Output, QueryError> {
    let mut w = Writer {
        graph,
        tracker: stats::Tracker::default(),
        pending_nodes: Vec::new(),
        cancel,
        deadline,
    };
    let mut rows = Vec::new();
    let mut profile = Vec::new();
    for part in &plan.parts {
        let (part_rows, prof) = run_single(&mut w, part, max_memory)?;
        rows.extend(part_rows);
        profile.push(prof);
    }
    w.finish_deletes()?;
    if plan.parts.len() > 1 && !plan.union_all {
        let mut g = Grouper::default();
        rows.retain(|r: &Vec<Value>| g.find_or_insert(r.clone()).1);
    }
    if let Some(max) = max_rows
        && rows.len() > max
    {
        return Err(QueryError::runtime(
            ErrorKind::ResourceLimit,
            "TooManyRows",
            format!("the result has more than {max} rows"),
            None,
        )
        .with_hint("add a LIMIT or raise the row limit"));
    }
    let stats = w.tracker.stats(w.graph);
    Ok(Output {
        rows,
        stats,
        profile,
    })
}

fn run_single(
    w: &mut Writer,
    part: &SinglePlan,
    max_memory: Option<usize>,
) -> Result<(Vec<Vec<Value>>, Vec<OpProfile>), QueryError> {
    let width = part.slots;
    let mut rows: Vec<Row> = vec![vec![Value::Null; width]];
    let mut profile = Vec::with_capacity(part.ops.len());
    let mut i = 0;
    while i < part.ops.len() {
        let started = Instant::now();
        // A MATCH feeding `ORDER BY ... LIMIT k` streams its rows through
        // a top-k, projecting each while its elements are still in cache.
        if let Some((optional, plan, p)) = match_then_project(&part.ops, i)
            && !p.aggregating()
        {
            let guard = Guard::new(w.cancel, w.deadline).with_memory_limit(max_memory);
            guard.check()?;
            let env = Env {
                graph: w.graph,
                guard: &guard,
            };
            let (skip, limit) = project::skip_and_limit(&env, p)?;
            if let Some(mut top) = project::TopK::for_projection(p, skip, limit) {
                let mut matched = 0u64;
                let mut scratch: Row = Vec::new();
                for mut row in rows {
                    let mut found = false;
                    matcher::run(&env, plan, &mut row, &mut |r| {
                        found = true;
                        matched += 1;
                        if top.hopeless(&env, r)? {
                            return Ok(true);
                        }
                        // A copy: the items may write slots the match
                        // still reads.
                        scratch.clone_from(r);
                        project::project_row(&env, p, &mut scratch, width)?;
                        top.offer(&env, &mut scratch)?;
                        Ok(true)
                    })?;
                    if *optional && !found {
                        unmatched_optional(plan, &mut row);
                        matched += 1;
                        project::project_row(&env, p, &mut row, width)?;
                        top.offer(&env, &mut row)?;
                    }
                }
                profile.push((matched, started.elapsed()));
                let started = Instant::now();
                rows = project::finish_projection(&env, p, top.into_rows(), skip, limit)?;
                profile.push((rows.len() as u64, started.elapsed()));
                i += 2;
                continue;
            }
        }
        // A MATCH feeding an aggregation streams its rows into the groups
        // instead of collecting them first.
        if let Some((optional, plan, p)) = match_then_project(&part.ops, i)
            && p.aggregating()
        {
            let guard = Guard::new(w.cancel, w.deadline).with_memory_limit(max_memory);
            guard.check()?;
            let env = Env {
                graph: w.graph,
                guard: &guard,
            };
            let limits = parallel::Limits {
                cancel: w.cancel,
                deadline: w.deadline,
                max_memory,
            };
            // One input row and a large first scan: split the scan over
            // the cores (an OPTIONAL MATCH needs to know whether anything
            // matched at all, so it stays on one thread).
            let searched =
                count::count_star(p).is_some() && count::searches_text_column(w.graph, plan);
            let mut split = if rows.len() == 1 && !*optional && !searched {
                parallel::split_scan(w.graph, plan)
            } else {
                None
            };
            if let Some(slot) = count::count_star(p) {
                // Only the number of matches is wanted: counts add up in
                // any number of chunks.
                let split = split.map(parallel::SplitScan::fine);
                let mut matched = 0u64;
                if let Some(scan) = &split {
                    let counts =
                        parallel::run_chunks(w.graph, limits, scan, &rows[0], &|env, row, ids| {
                            matcher::count_scan(env, plan, row, Some(ids))
                        })?;
                    matched = counts.into_iter().sum();
                    rows = Vec::new();
                }
                for mut row in rows {
                    let n = matcher::count(&env, plan, &mut row)?;
                    matched += if *optional { n.max(1) } else { n };
                }
                profile.push((matched, started.elapsed()));
                let started = Instant::now();
                rows = project::after_aggregation(
                    &env,
                    p,
                    count::count_row(&env, p, slot, matched, width)?,
                )?;
                profile.push((rows.len() as u64, started.elapsed()));
                i += 2;
                continue;
            }
            let mut agg = project::Aggregation::new(p, width);
            let mut matched = 0u64;
            // One scanned node aggregated per label set: no rows at all.
            let scan_aggregate =
                (rows.len() == 1 && !*optional && agg.mergeable() && !agg.keeps_rows())
                    .then(|| ScanAggregate::detect(plan, p))
                    .flatten()
                    .filter(|sa| sa.applies(w.graph));
            if let Some(sa) = &scan_aggregate {
                // `applies` saw every filter become a node test; the same
                // graph gives the same tests on every thread.
                let unprepared = || {
                    QueryError::runtime(
                        ErrorKind::SemanticError,
                        "Internal",
                        "a filter of the scan could not be prepared",
                        None,
                    )
                };
                let partials = match split.take() {
                    Some(scan) => parallel::run_chunks(
                        w.graph,
                        limits,
                        &scan.fine(),
                        &rows[0],
                        &|env, row, ids| {
                            sa.run_chunk(env, row, Some(ids))
                                .unwrap_or_else(|| Err(unprepared()))
                        },
                    )?,
                    None => vec![
                        sa.run_chunk(&env, &mut rows[0].clone(), None)
                            .unwrap_or_else(|| Err(unprepared()))?,
                    ],
                };
                for part in partials {
                    matched += part.nodes;
                    sa.absorb(&env, &mut agg, &rows[0], part)?;
                }
                rows = Vec::new();
            } else if !*optional && let Some(reach) = reach::DistinctReach::detect(plan, p) {
                for mut row in std::mem::take(&mut rows) {
                    reach.run(&env, &mut row, &mut |r| {
                        matched += 1;
                        agg.push(&env, r)
                    })?;
                }
            } else if let Some(scan) = split
                .filter(|_| agg.mergeable())
                .map(|scan| if agg.few_groups() { scan.fine() } else { scan })
                .as_ref()
            {
                let parts =
                    parallel::run_chunks(w.graph, limits, scan, &rows[0], &|env, row, ids| {
                        let mut part = project::Aggregation::new(p, width);
                        let mut n = 0u64;
                        matcher::run_scan(env, plan, row, Some(ids), &mut |r| {
                            n += 1;
                            part.push(env, r)?;
                            Ok(true)
                        })?;
                        Ok((part, n))
                    })?;
                // The first chunk's groups come first: it becomes the
                // aggregation, and the others merge into it in order.
                for (k, (part, n)) in parts.into_iter().enumerate() {
                    if k == 0 {
                        agg = part;
                    } else {
                        agg.merge(&env, part)?;
                    }
                    matched += n;
                }
                rows = Vec::new();
            }
            for mut row in rows {
                let mut found = false;
                matcher::run(&env, plan, &mut row, &mut |r| {
                    found = true;
                    matched += 1;
                    agg.push(&env, r)?;
                    Ok(true)
                })?;
                if *optional && !found {
                    unmatched_optional(plan, &mut row);
                    matched += 1;
                    agg.push(&env, &mut row)?;
                }
            }
            profile.push((matched, started.elapsed()));
            let started = Instant::now();
            rows = project::finish_aggregation(&env, p, agg)?;
            profile.push((rows.len() as u64, started.elapsed()));
            i += 2;
            continue;
        }
        rows = run_op(w, &part.ops[i], rows, width, max_memory)?;
        profile.push((rows.len() as u64, started.elapsed()));
        i += 1;
    }
    let out = if part.columns.is_empty() {
        Vec::new()
    } else {
        rows.into_iter()
            .map(|mut r| {
                part.outputs
                    .iter()
                    .map(|s| std::mem::take(&mut r[*s]))
                    .collect()
            })
            .collect()
    };
    Ok((out, profile))
}

/// `ops[i]` and `ops[i + 1]` when they are a `MATCH` without its own
/// limit followed by a projection: the pair whose rows can stream from
/// the match into the projection instead of being collected first.
fn match_then_project(ops: &[Op], i: usize) -> Option<(&bool, &PatternPlan, &BProjection)> {
    match (ops.get(i)?, ops.get(i + 1)?) {
        (
            Op::Match {
                optional,
                plan,
                limit: None,
            },
            Op::Project(p),
        ) => Some((optional, plan, p)),
        _ => None,
    }
}

fn run_op(
    w: &mut Writer,
    op: &Op,
    rows: Vec<Row>,
    width: usize,
    max_memory: Option<usize>,
) -> Result<Vec<Row>, QueryError> {
    // The budget counts what this clause keeps for the next one.
    let guard = Guard::new(w.cancel, w.deadline).with_memory_limit(max_memory);
    guard.check()?;
    match op {
        Op::Match {
            optional,
            plan,
            limit,
        } => {
            let env = Env {
                graph: w.graph,
                guard: &guard,
            };
            match_rows(&env, *optional, plan, *limit, rows)
        }
        Op::Unwind(e, slot, limit) => {
            let env = Env {
                graph: w.graph,
                guard: &guard,
            };
            unwind_rows(&env, e, *slot, *limit, rows)
        }
        Op::Project(p) => {
            let env = Env {
                graph: w.graph,
                guard: &guard,
            };
            project::project(&env, p, rows, width)
        }
        Op::Create(parts) => {
            let mut out = rows;
            for row in &mut out {
                guard.tick()?;
                w.create(parts, row)?;
            }
            Ok(out)
        }
        Op::Merge {
            plan,
            on_create,
            on_match,
        } => {
            let mut out = Vec::new();
            for row in rows {
                guard.tick()?;
                w.merge(plan, on_create, on_match, row, &mut out)?;
            }
            Ok(out)
        }
        Op::SetProperties(items) => {
            let mut out = rows;
            for row in &mut out {
                guard.tick()?;
                w.set_items(items, row)?;
            }
            Ok(out)
        }
        Op::Remove(items) => {
            let mut out = rows;
            for row in &mut out {
                guard.tick()?;
                w.remove(items, row)?;
            }
            Ok(out)
        }
        Op::Delete(exprs, detach) => {
            // Evaluate every target first, then delete: a row's DELETE must
            // not hide elements from the next row's expressions.
            let mut targets = Vec::new();
            let mut out = rows;
            let env = Env {
                graph: w.graph,
                guard: &guard,
            };
            for row in &mut out {
                guard.tick()?;
                for e in exprs {
                    targets.push(eval(&env, e, row)?);
                }
            }
            for t in targets {
                w.delete(t, *detach)?;
            }
            Ok(out)
        }
    }
}

/// The row an `OPTIONAL MATCH` gives when nothing matched: every slot
/// the pattern binds is null.
fn unmatched_optional(plan: &PatternPlan, row: &mut Row) {
    for s in &plan.query.new_slots {
        row[*s] = Value::Null;
    }
}

/// `[OPTIONAL] MATCH` from each input row, stopping after `limit` rows.
pub fn match_rows(
    env: &Env,
    optional: bool,
    plan: &PatternPlan,
    limit: Option<usize>,
    rows: Vec<Row>,
) -> Result<Vec<Row>, QueryError> {
    let mut out = Vec::new();
    for mut row in rows {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let before = out.len();
        matcher::run(env, plan, &mut row, &mut |r| {
            env.guard.budget.keep(r)?;
            out.push(r.clone());
            Ok(limit.is_none_or(|l| out.len() < l))
        })?;
        if optional && out.len() == before {
            unmatched_optional(plan, &mut row);
            out.push(row);
        }
    }
    Ok(out)
}

/// `UNWIND e AS v` over each input row, stopping after `limit` rows.
pub fn unwind_rows(
    env: &Env,
    e: &BExpr,
    slot: Slot,
    limit: Option<usize>,
    rows: Vec<Row>,
) -> Result<Vec<Row>, QueryError> {
    let mut out = Vec::new();
    for mut row in rows {
        env.guard.tick()?;
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        match eval(env, e, &mut row)? {
            Value::Null => {}
            Value::List(items) => {
                for item in items {
                    if limit.is_some_and(|l| out.len() >= l) {
                        break;
                    }
                    let mut r = row.clone();
                    r[slot] = item;
                    env.guard.budget.keep(&r)?;
                    out.push(r);
                }
            }
            other => {
                row[slot] = other;
                env.guard.budget.keep(&row)?;
                out.push(row);
            }
        }
    }
    Ok(out)
}

/// Whether a reading subquery (`EXISTS { MATCH ... WITH ... }`) yields at
/// least one row from `row`. Its slots continue the outer query's.
pub fn subquery_exists(env: &Env, q: &BSingle, row: &Row) -> Result<bool, QueryError> {
    let width = row.len();
    let mut rows = vec![row.clone()];
    for c in &q.clauses {
        rows = match c {
            BClause::Match { optional, pattern } => {
                let plan = plan_pattern(pattern, env.graph);
                match_rows(env, *optional, &plan, None, rows)?
            }
            BClause::Unwind(e, slot) => unwind_rows(env, e, *slot, None, rows)?,
            BClause::Project(p, _) => project::project(env, p, rows, width)?,
            // Analysis lets only reading clauses into a subquery.
            _ => rows,
        };
        if rows.is_empty() {
            return Ok(false);
        }
    }
    Ok(true)
}
