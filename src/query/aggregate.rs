//! Aggregating functions: `count`, `sum`, `avg`, `min`, `max`, `collect`,
//! `stDev`, `stDevP`, `percentileCont`, `percentileDisc`, each as an
//! [`Accumulator`] that sees one value per row and gives one result per
//! group. Nulls are skipped; `DISTINCT` drops values already seen
//! (with the grouping identity of [`Value::group_eq`], so `1` and `1.0`
//! count once).
//!
//! ```
//! use kgq::graph::Value;
//! use kgq::query::aggregate::accumulator;
//! let mut sum = accumulator("sum", false, &[]).unwrap();
//! for v in [Value::Int(1), Value::Null, Value::Float(2.5)] {
//!     sum.update(&v).unwrap();
//! }
//! assert_eq!(sum.finish(), Ok(Value::Float(3.5)));
//! ```

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::error::{ErrorKind, QueryError};
use crate::graph::Value;
use crate::query::functions::invalid_arg;

/// The running state of one aggregate over one group.
pub trait Accumulator: AsAny + Send {
    /// Takes the next row's value.
    fn update(&mut self, v: &Value) -> Result<(), QueryError>;

    /// Folds in `later`, the same aggregate over rows that all come after
    /// this one's (a parallel scan's second half), as if its rows had
    /// been taken here one by one. Only aggregates that [`mergeable`]
    /// names are merged; the others return `false`.
    fn merge(&mut self, later: &mut dyn Accumulator) -> bool {
        let _ = later;
        false
    }

    /// Takes the next row's value by move, which saves a clone where the
    /// value is kept (`collect`).
    fn update_owned(&mut self, v: Value) -> Result<(), QueryError> {
        self.update(&v)
    }

    /// The result for the group. Called once, after the last update.
    fn finish(&mut self) -> Result<Value, QueryError>;
}

/// Downcasting for [`Accumulator::merge`].
pub trait AsAny: std::any::Any {
    /// `self` as `Any`.
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

impl<T: std::any::Any> AsAny for T {
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// Whether the aggregate `name` (lower case) can be computed in parts
/// and merged ([`Accumulator::merge`]) with the same result, up to the
/// rounding of float sums. `sum` is left out: integer overflow is an
/// error that depends on the order of the additions.
pub fn mergeable(name: &str, distinct: bool) -> bool {
    !distinct && matches!(name, "count" | "avg" | "min" | "max" | "collect")
}

/// A fresh accumulator for the aggregate `name` (case-insensitive).
/// `extra_args` are the arguments after the first, evaluated once: the
/// percentile of `percentileCont` and `percentileDisc`, which must lie in
/// 0..1 (`ArgumentError`/`NumberOutOfRange`). A name that is no aggregate
/// is a `SyntaxError`/`UnknownFunction` (analysis normally catches it).
/// For `count(*)`, update `count` with any non-null value per row, or use
/// [`count_star`].
pub fn accumulator(
    name: &str,
    distinct: bool,
    extra_args: &[Value],
) -> Result<Box<dyn Accumulator>, QueryError> {
    let lower = name.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "count" => wrap(distinct, Count(0)),
        "sum" => wrap(distinct, Sum::default()),
        "avg" => wrap(distinct, Avg::default()),
        "min" => wrap(
            distinct,
            Extreme {
                best: None,
                keep: Ordering::Less,
            },
        ),
        "max" => wrap(
            distinct,
            Extreme {
                best: None,
                keep: Ordering::Greater,
            },
        ),
        "collect" => wrap(distinct, Collect(Vec::new())),
        "stdev" => wrap(distinct, Deviation::new(true)),
        "stdevp" => wrap(distinct, Deviation::new(false)),
        "percentilecont" | "percentiledisc" => {
            let continuous = lower == "percentilecont";
            let function = if continuous {
                "percentileCont"
            } else {
                "percentileDisc"
            };
            wrap(
                distinct,
                Percentile {
                    function,
                    continuous,
                    percentile: percentile_arg(function, extra_args.first())?,
                    values: Vec::new(),
                },
            )
        }
        _ => {
            return Err(QueryError::runtime(
                ErrorKind::SyntaxError,
                "UnknownFunction",
                format!("`{name}` is not an aggregating function"),
                None,
            ));
        }
    })
}

/// An accumulator for `count(*)`: counts rows, nulls included.
pub fn count_star() -> Box<dyn Accumulator> {
    Box::new(CountRows(0))
}

fn wrap<A: Accumulator + 'static>(distinct: bool, inner: A) -> Box<dyn Accumulator> {
    if distinct {
        Box::new(Distinct {
            seen: BTreeSet::new(),
            inner,
        })
    } else {
        Box::new(inner)
    }
}

/// A value ordered by [`Value::order_cmp`], whose equality is
/// [`Value::group_eq`].
struct Grouped(Value);

impl PartialEq for Grouped {
    fn eq(&self, other: &Self) -> bool {
        self.0.group_eq(&other.0)
    }
}
impl Eq for Grouped {}
impl PartialOrd for Grouped {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Grouped {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.order_cmp(&other.0)
    }
}

struct Distinct<A> {
    seen: BTreeSet<Grouped>,
    inner: A,
}

impl<A: Accumulator> Accumulator for Distinct<A> {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        if v.is_null() {
            return Ok(());
        }
        if self.seen.insert(Grouped(v.clone())) {
            self.inner.update(v)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        self.inner.finish()
    }
}

struct CountRows(i64);

impl Accumulator for CountRows {
    fn update(&mut self, _: &Value) -> Result<(), QueryError> {
        self.0 += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        Ok(Value::Int(self.0))
    }
}

struct Count(i64);

impl Accumulator for Count {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        if !v.is_null() {
            self.0 += 1;
        }
        Ok(())
    }

    fn merge(&mut self, later: &mut dyn Accumulator) -> bool {
        let Some(later) = later.as_any_mut().downcast_mut::<Count>() else {
            return false;
        };
        self.0 += later.0;
        true
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        Ok(Value::Int(self.0))
    }
}

/// A number argument of an aggregate; `None` for null.
fn number(function: &str, v: &Value) -> Result<Option<f64>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        other => Err(invalid_arg(function, "numbers", other)),
    }
}

/// `sum`: integers while every value is one (overflow is an error),
/// a float as soon as one is; 0 for no values.
#[derive(Default)]
struct Sum {
    int: i64,
    float: Option<f64>,
}

impl Accumulator for Sum {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        match (v, &mut self.float) {
            (Value::Null, _) => {}
            (Value::Int(i), None) => {
                self.int = self.int.checked_add(*i).ok_or_else(|| {
                    QueryError::runtime(
                        ErrorKind::ArithmeticError,
                        "IntegerOverflow",
                        "integer overflow: sum() exceeds the range of a 64-bit integer",
                        None,
                    )
                    .with_hint("sum toFloat() of the values to add them as floats")
                })?;
            }
            (Value::Int(i), Some(f)) => *f += *i as f64,
            (Value::Float(x), None) => self.float = Some(self.int as f64 + x),
            (Value::Float(x), Some(f)) => *f += x,
            (other, _) => return Err(invalid_arg("sum", "numbers", other)),
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        Ok(self.float.map_or(Value::Int(self.int), Value::Float))
    }
}

/// `avg`: a float; null for no values. Integers are summed exactly.
#[derive(Default)]
struct Avg {
    count: u64,
    int: i128,
    float: f64,
}

impl Accumulator for Avg {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        match v {
            Value::Null => return Ok(()),
            Value::Int(i) => self.int += i128::from(*i),
            Value::Float(f) => self.float += f,
            other => return Err(invalid_arg("avg", "numbers", other)),
        }
        self.count += 1;
        Ok(())
    }

    fn merge(&mut self, later: &mut dyn Accumulator) -> bool {
        let Some(later) = later.as_any_mut().downcast_mut::<Avg>() else {
            return false;
        };
        self.count += later.count;
        self.int += later.int;
        self.float += later.float;
        true
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        Ok(if self.count == 0 {
            Value::Null
        } else {
            Value::Float((self.int as f64 + self.float) / self.count as f64)
        })
    }
}

/// `min` and `max`, in the order of `ORDER BY` (so values of different
/// types still have a least and a greatest); null for no values.
struct Extreme {
    best: Option<Value>,
    /// The ordering of a new value against the best that replaces it.
    keep: Ordering,
}

impl Accumulator for Extreme {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        if v.is_null() {
            return Ok(());
        }
        let better = self
            .best
            .as_ref()
            .is_none_or(|b| v.order_cmp(b) == self.keep);
        if better {
            self.best = Some(v.clone());
        }
        Ok(())
    }

    fn merge(&mut self, later: &mut dyn Accumulator) -> bool {
        let Some(later) = later.as_any_mut().downcast_mut::<Extreme>() else {
            return false;
        };
        // Ties keep the earlier value, as taking the values in order does.
        if let Some(v) = later.best.take()
            && self
                .best
                .as_ref()
                .is_none_or(|b| v.order_cmp(b) == self.keep)
        {
            self.best = Some(v);
        }
        true
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        Ok(self.best.take().unwrap_or(Value::Null))
    }
}

/// `collect`: the non-null values in row order.
struct Collect(Vec<Value>);

impl Accumulator for Collect {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        if !v.is_null() {
            self.0.push(v.clone());
        }
        Ok(())
    }

    fn update_owned(&mut self, v: Value) -> Result<(), QueryError> {
        if !v.is_null() {
            self.0.push(v);
        }
        Ok(())
    }

    fn merge(&mut self, later: &mut dyn Accumulator) -> bool {
        let Some(later) = later.as_any_mut().downcast_mut::<Collect>() else {
            return false;
        };
        self.0.append(&mut later.0);
        true
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        Ok(Value::List(std::mem::take(&mut self.0)))
    }
}

/// `stDev` (sample) and `stDevP` (population) by Welford's method, which
/// stays accurate when the mean is large; 0.0 when too few values.
struct Deviation {
    sample: bool,
    count: u64,
    mean: f64,
    m2: f64,
}

impl Deviation {
    fn new(sample: bool) -> Deviation {
        Deviation {
            sample,
            count: 0,
            mean: 0.0,
            m2: 0.0,
        }
    }
}

impl Accumulator for Deviation {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        let function = if self.sample { "stDev" } else { "stDevP" };
        let Some(x) = number(function, v)? else {
            return Ok(());
        };
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        Ok(())
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        let n = self.count as f64;
        Ok(Value::Float(match (self.sample, self.count) {
            (true, 0 | 1) | (false, 0) => 0.0,
            (true, _) => (self.m2 / (n - 1.0)).sqrt(),
            (false, _) => (self.m2 / n).sqrt(),
        }))
    }
}

/// The percentile argument: a number from 0 to 1; `Ok(None)` for null.
fn percentile_arg(function: &str, v: Option<&Value>) -> Result<Option<f64>, QueryError> {
    let p = match v {
        None => {
            return Err(QueryError::runtime(
                ErrorKind::SyntaxError,
                "InvalidNumberOfArguments",
                format!("{function}() takes 2 arguments: the values and the percentile"),
                None,
            ));
        }
        Some(v) => number(function, v)?,
    };
    match p {
        Some(p) if !(0.0..=1.0).contains(&p) => Err(QueryError::runtime(
            ErrorKind::ArgumentError,
            "NumberOutOfRange",
            format!("{function}(): the percentile must lie between 0.0 and 1.0, but is {p}"),
            None,
        )
        .with_hint("write the percentile as a fraction, e.g. 0.9 for the 90th percentile")),
        p => Ok(p),
    }
}

/// `percentileCont` (linear interpolation between neighbours, a float)
/// and `percentileDisc` (the nearest value at or above the rank, as it
/// was); null for no values or a null percentile.
struct Percentile {
    function: &'static str,
    continuous: bool,
    percentile: Option<f64>,
    values: Vec<Value>,
}

impl Accumulator for Percentile {
    fn update(&mut self, v: &Value) -> Result<(), QueryError> {
        if number(self.function, v)?.is_some() {
            self.values.push(v.clone());
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Value, QueryError> {
        let Some(p) = self.percentile else {
            return Ok(Value::Null);
        };
        if self.values.is_empty() {
            return Ok(Value::Null);
        }
        self.values.sort_by(Value::order_cmp);
        let n = self.values.len();
        if self.continuous {
            let rank = p * (n - 1) as f64;
            let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
            let at = |i: usize| number(self.function, &self.values[i.min(n - 1)]);
            let (a, b) = (at(lo)?.unwrap_or(f64::NAN), at(hi)?.unwrap_or(f64::NAN));
            Ok(Value::Float(if lo == hi {
                a
            } else {
                a + (b - a) * (rank - lo as f64)
            }))
        } else {
            let rank = (p * n as f64).ceil() as usize;
            Ok(self.values[rank.saturating_sub(1).min(n - 1)].clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Value::{Float, Int, Null};

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn run(
        name: &str,
        distinct: bool,
        extra: &[Value],
        values: &[Value],
    ) -> Result<Value, QueryError> {
        let mut acc = accumulator(name, distinct, extra)?;
        for v in values {
            acc.update(v)?;
        }
        acc.finish()
    }

    fn agg(name: &str, values: &[Value]) -> Value {
        run(name, false, &[], values).expect(name)
    }

    #[test]
    fn count_skips_nulls_and_count_star_does_not() {
        assert_eq!(agg("count", &[Int(33), Null, Int(42)]), Int(2));
        assert_eq!(agg("COUNT", &[]), Int(0));
        let mut star = count_star();
        for v in [Null, Null, Int(1)] {
            star.update(&v).expect("count");
        }
        assert_eq!(star.finish(), Ok(Int(3)));
    }

    #[test]
    fn distinct_counts_equal_values_once_and_ignores_null() {
        assert_eq!(run("count", true, &[], &[Null]), Ok(Int(0)));
        assert_eq!(
            run("count", true, &[], &[Int(1), Float(1.0), Int(2), Int(1)]),
            Ok(Int(2))
        );
        assert_eq!(
            run("collect", true, &[], &[Null, Null]),
            Ok(Value::List(vec![]))
        );
        assert_eq!(
            run("collect", true, &[], &[Null, Int(1), Null]),
            Ok(Value::List(vec![Int(1)]))
        );
        assert_eq!(
            run("collect", true, &[], &[Int(42), Int(43), Int(42), Int(44)]),
            Ok(Value::List(vec![Int(42), Int(43), Int(44)]))
        );
        assert_eq!(run("sum", true, &[], &[Int(2), Int(2), Int(3)]), Ok(Int(5)));
    }

    #[test]
    fn min_and_max_order_numbers_strings_lists_and_mixed_values() {
        let ints = [Int(1), Int(2), Int(0), Null, Int(-1)];
        assert_eq!(agg("max", &ints), Int(2));
        assert_eq!(agg("min", &ints), Int(-1));
        let mixed_numbers = [Int(1), Float(2.0), Int(5), Null, Float(3.2), Float(0.1)];
        assert_eq!(agg("max", &mixed_numbers), Int(5));
        assert_eq!(agg("min", &mixed_numbers), Float(0.1));
        let strings = [s("a"), s("b"), s("B"), Null, s("abc"), s("abc1")];
        assert_eq!(agg("max", &strings), s("b"));
        assert_eq!(agg("min", &strings), s("B"));
        let lists = [
            Value::List(vec![Int(1)]),
            Value::List(vec![Int(2)]),
            Value::List(vec![Int(2), Int(1)]),
        ];
        assert_eq!(agg("max", &lists), lists[2]);
        assert_eq!(agg("min", &lists), lists[0]);
        let one_two = Value::List(vec![Int(1), Int(2)]);
        let mixed = [Int(1), s("a"), Null, one_two.clone(), Float(0.2), s("b")];
        assert_eq!(agg("max", &mixed), Int(1));
        assert_eq!(agg("min", &mixed), one_two);
        assert_eq!(agg("min", &[Null]), Null);
    }

    #[test]
    fn sum_stays_integer_until_a_float_and_detects_overflow() {
        assert_eq!(agg("sum", &[Int(33), Null, Int(42)]), Int(75));
        assert_eq!(agg("sum", &[]), Int(0));
        let many: Vec<Value> = (1_000_000..1_003_000).map(Int).collect();
        assert_eq!(agg("sum", &many), Int(3_004_498_500));
        assert_eq!(agg("sum", &[Int(1), Float(0.5), Int(2)]), Float(3.5));
        let e = run("sum", false, &[], &[Int(i64::MAX), Int(1)]).expect_err("overflow");
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::ArithmeticError, "IntegerOverflow")
        );
        let e = run("sum", false, &[], &[Int(1), s("2")]).expect_err("string");
        assert_eq!(e.kind, ErrorKind::TypeError);
    }

    #[test]
    fn avg_is_a_float_and_null_without_values() {
        assert_eq!(agg("avg", &[Int(1), Int(2), Null]), Float(1.5));
        assert_eq!(
            agg("avg", &[Int(i64::MAX), Int(i64::MAX)]),
            Float(i64::MAX as f64)
        );
        assert_eq!(agg("avg", &[Int(1), Float(2.0)]), Float(1.5));
        assert_eq!(agg("avg", &[]), Null);
        assert!(run("avg", false, &[], &[Value::Bool(true)]).is_err());
    }

    #[test]
    fn standard_deviations_of_sample_and_population() {
        let values = [Int(1), Int(2), Int(3), Int(4), Null];
        let close = |v: Value, x: f64| {
            assert!(matches!(v, Float(y) if (y - x).abs() < 1e-12), "{v} != {x}")
        };
        close(agg("stDev", &values), 1.290_994_448_735_805_6);
        close(agg("stDevP", &values), 1.118_033_988_749_895);
        assert_eq!(agg("stDev", &[Int(5)]), Float(0.0));
        assert_eq!(agg("stDevP", &[]), Float(0.0));
        // Large offsets do not destroy precision.
        let shifted: Vec<Value> = [1.0, 2.0, 3.0, 4.0]
            .iter()
            .map(|x| Float(1e9 + x))
            .collect();
        close(agg("stDev", &shifted), 1.290_994_448_735_805_6);
    }

    #[test]
    fn percentiles_pick_or_interpolate() {
        let prices = [Float(10.0), Float(20.0), Float(30.0)];
        for (p, expected) in [(0.0, 10.0), (0.5, 20.0), (1.0, 30.0)] {
            assert_eq!(
                run("percentileDisc", false, &[Float(p)], &prices),
                Ok(Float(expected))
            );
            assert_eq!(
                run("percentileCont", false, &[Float(p)], &prices),
                Ok(Float(expected))
            );
        }
        assert_eq!(
            run("percentileCont", false, &[Float(0.25)], &prices),
            Ok(Float(15.0))
        );
        assert_eq!(
            run(
                "percentileDisc",
                false,
                &[Float(0.4)],
                &[Int(3), Int(1), Int(2)]
            ),
            Ok(Int(2))
        );
        assert_eq!(
            run("percentileDisc", false, &[Int(1)], &[Int(3), Int(1)]),
            Ok(Int(3))
        );
        assert_eq!(run("percentileCont", false, &[Float(0.5)], &[]), Ok(Null));
        assert_eq!(run("percentileCont", false, &[Null], &prices), Ok(Null));
    }

    #[test]
    fn percentiles_outside_zero_to_one_are_rejected() {
        for name in ["percentileCont", "percentileDisc"] {
            for p in [Int(1000), Int(-1), Float(1.1)] {
                let e = run(name, false, &[p], &[Float(10.0)]).expect_err("out of range");
                assert_eq!(
                    (e.kind, e.detail),
                    (ErrorKind::ArgumentError, "NumberOutOfRange")
                );
            }
        }
    }

    #[test]
    fn collect_keeps_row_order_and_takes_owned_values() {
        let mut acc = accumulator("collect", false, &[]).expect("collect");
        acc.update_owned(s("x")).expect("collect");
        acc.update_owned(Null).expect("collect");
        acc.update(&Int(1)).expect("collect");
        assert_eq!(acc.finish(), Ok(Value::List(vec![s("x"), Int(1)])));
        let e = accumulator("toUpper", false, &[])
            .err()
            .expect("not an aggregate");
        assert_eq!(e.detail, "UnknownFunction");
    }
}
