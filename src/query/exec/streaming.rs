//! `MATCH` followed by an aggregating `WITH` or `RETURN`: the matches feed
//! the aggregation one by one, so that counting millions of paths holds one
//! row instead of millions.

use crate::error::QueryError;
use crate::graph::Value;
use crate::query::analyze::ir::BProjection;
use crate::query::eval::{Env, Row};
use crate::query::plan::pattern::PatternPlan;

use super::matcher;
use super::project::{self, Aggregation};

/// Matches `plan` from each of `rows` and aggregates the matches by `p`.
/// Returns the number of matches (for `PROFILE`) and the projected rows.
pub fn match_aggregate(
    env: &Env,
    optional: bool,
    plan: &PatternPlan,
    p: &BProjection,
    rows: Vec<Row>,
    width: usize,
) -> Result<(u64, Vec<Row>), QueryError> {
    let bounds = project::bounds(env, p)?;
    let mut agg = Aggregation::new(p, width);
    let mut matched = 0u64;
    for mut row in rows {
        let before = matched;
        matcher::run(env, plan, &mut row, &mut |r| {
            matched += 1;
            agg.push(env, r)?;
            Ok(true)
        })?;
        if optional && matched == before {
            for s in &plan.query.new_slots {
                row[*s] = Value::Null;
            }
            matched += 1;
            agg.push(env, &mut row)?;
        }
    }
    let out = agg.finish(env)?;
    Ok((matched, project::finish_rows(env, p, out, bounds)?))
}
