//! Functions on lists (and the ones strings share with lists).

use super::{invalid_arg, out_of_range};
use crate::error::{ErrorKind, QueryError};
use crate::graph::{Graph, Value};

/// The longest list `range()` builds; beyond it the query would exhaust
/// memory before producing anything.
pub(crate) const MAX_RANGE_LEN: u64 = 50_000_000;

/// `size(list)` or `size(string)` (in characters).
pub(super) fn size(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::List(l) => Ok(Value::Int(l.len() as i64)),
        Value::String(s) => Ok(Value::Int(s.chars().count() as i64)),
        other => Err(invalid_arg("size", "a List or String", other)
            .with_hint("use length() for the length of a path")),
    }
}

fn list_arg<'a>(function: &str, v: &'a Value) -> Result<Option<&'a [Value]>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::List(l) => Ok(Some(l)),
        other => Err(invalid_arg(function, "a List", other)),
    }
}

/// `head(list)`: the first element, null for an empty list.
pub(super) fn head(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(list_arg("head", &args[0])?
        .and_then(|l| l.first().cloned())
        .unwrap_or(Value::Null))
}

/// `last(list)`: the last element, null for an empty list.
pub(super) fn last(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(list_arg("last", &args[0])?
        .and_then(|l| l.last().cloned())
        .unwrap_or(Value::Null))
}

/// `tail(list)`: all but the first element.
pub(super) fn tail(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(match list_arg("tail", &args[0])? {
        None => Value::Null,
        Some(l) => Value::List(l.get(1..).unwrap_or_default().to_vec()),
    })
}

/// `reverse(list)` or `reverse(string)`.
pub(super) fn reverse(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::List(l) => Ok(Value::List(l.iter().rev().cloned().collect())),
        Value::String(s) => Ok(Value::String(s.chars().rev().collect())),
        other => Err(invalid_arg("reverse", "a List or String", other)),
    }
}

/// `isEmpty(x)` for lists, strings and maps.
pub(super) fn is_empty(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::List(l) => Ok(Value::Bool(l.is_empty())),
        Value::String(s) => Ok(Value::Bool(s.is_empty())),
        Value::Map(m) => Ok(Value::Bool(m.is_empty())),
        other => Err(invalid_arg("isEmpty", "a List, String or Map", other)),
    }
}

/// `coalesce(a, b, ...)`: the first argument that is not null.
pub(super) fn coalesce(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(args
        .iter()
        .find(|v| !v.is_null())
        .cloned()
        .unwrap_or(Value::Null))
}

/// `nullIf(a, b)`: null when `a = b`, else `a`.
pub(super) fn null_if(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(
        if crate::query::operators::equals(&args[0], &args[1]) == Some(true) {
            Value::Null
        } else {
            args[0].clone()
        },
    )
}

fn range_bound(name: &str, v: &Value) -> Result<Option<i64>, QueryError> {
    match v {
        Value::Int(i) => Ok(Some(*i)),
        Value::Null => Ok(None),
        other => Err(QueryError::runtime(
            ErrorKind::ArgumentError,
            "InvalidArgumentType",
            format!(
                "range() expects Integer bounds and step, but {name} is {} {}",
                other.type_name(),
                super::show(other)
            ),
            None,
        )),
    }
}

/// `range(start, end [, step])`: the integers from `start` to `end`
/// inclusive, `step` apart; empty when the step points away from `end`.
pub(super) fn range(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let start = range_bound("start", &args[0])?;
    let end = range_bound("end", &args[1])?;
    let step = match args.get(2) {
        Some(v) => range_bound("step", v)?,
        None => Some(1),
    };
    let (Some(start), Some(end), Some(step)) = (start, end, step) else {
        return Ok(Value::Null);
    };
    if step == 0 {
        return Err(out_of_range("range", "the step must not be 0"));
    }
    let (start, end, step_w) = (i128::from(start), i128::from(end), i128::from(step));
    if (step_w > 0 && start > end) || (step_w < 0 && start < end) {
        return Ok(Value::List(Vec::new()));
    }
    let count = (end - start) / step_w + 1;
    if count > i128::from(MAX_RANGE_LEN) {
        return Err(QueryError::runtime(
            ErrorKind::ResourceLimit,
            "ListTooLarge",
            format!("range() would build a list of {count} integers, more than the limit of {MAX_RANGE_LEN}"),
            None,
        )
        .with_hint("use a smaller range, or a larger step"));
    }
    // Every element lies between start and end, so fits in an i64.
    Ok(Value::List(
        (0..count)
            .map(|k| Value::Int((start + k * step_w) as i64))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::graph::{Graph, Value};
    use crate::query::functions::call;
    use Value::{Int, Null};

    fn ints(items: &[i64]) -> Value {
        Value::List(items.iter().map(|&i| Int(i)).collect())
    }

    fn range(args: &[i64]) -> Value {
        let args: Vec<Value> = args.iter().map(|&i| Int(i)).collect();
        call(&Graph::new(), "range", &args).expect("range")
    }

    #[test]
    fn range_counts_inclusively_in_either_direction() {
        assert_eq!(range(&[-1236, -1234]), ints(&[-1236, -1235, -1234]));
        assert_eq!(range(&[0, -123]), ints(&[]));
        assert_eq!(range(&[0, 0]), ints(&[0]));
        assert_eq!(
            range(&[1381, -3412, -1298]),
            ints(&[1381, 83, -1215, -2513])
        );
        assert_eq!(range(&[10, -10, -3]), ints(&[10, 7, 4, 1, -2, -5, -8]));
        assert_eq!(range(&[0, 1, -123]), ints(&[]));
        assert_eq!(range(&[0, 0, -1]), ints(&[0]));
        assert_eq!(range(&[0, 1, 2]), ints(&[0]));
        assert_eq!(
            range(&[-3412, 1381, 1298]),
            ints(&[-3412, -2114, -816, 482])
        );
        assert_eq!(
            range(&[i64::MAX - 1, i64::MAX]),
            ints(&[i64::MAX - 1, i64::MAX])
        );
        assert_eq!(
            range(&[i64::MIN, i64::MAX, i64::MAX]),
            ints(&[i64::MIN, -1, i64::MAX - 1])
        );
    }

    #[test]
    fn range_is_empty_exactly_when_step_points_away() {
        for stop in [1, 2, 500, 1000, 1500] {
            for step in [-1000, -3, -2, -1, 1, 2, 3, 1000] {
                let Value::List(l) = range(&[0, stop, step]) else {
                    panic!("range gives a list")
                };
                assert_eq!(
                    l.is_empty(),
                    stop.signum() != step.signum(),
                    "{stop} {step}"
                );
            }
        }
    }

    #[test]
    fn range_rejects_a_zero_step_and_non_integers() {
        let g = Graph::new();
        let e = call(&g, "range", &[Int(2), Int(8), Int(0)]).expect_err("zero step");
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::ArgumentError, "NumberOutOfRange")
        );
        for bad in [
            vec![Value::Bool(true), Int(1), Int(1)],
            vec![Value::Float(0.0), Int(1), Int(1)],
            vec![Int(0), Value::Float(-1.1), Int(1)],
            vec![Int(0), Int(1), Value::from("xyz")],
            vec![Int(0), Int(1), ints(&[1])],
        ] {
            let e = call(&g, "range", &bad).expect_err("non-integer");
            assert_eq!(
                (e.kind, e.detail),
                (ErrorKind::ArgumentError, "InvalidArgumentType")
            );
        }
        let e = call(&g, "range", &[Int(0), Int(i64::MAX)]).expect_err("too long");
        assert_eq!(e.kind, ErrorKind::ResourceLimit);
        assert_eq!(call(&g, "range", &[Null, Int(1)]), Ok(Null));
    }

    #[test]
    fn head_last_tail_size_and_reverse() {
        let g = Graph::new();
        let l = ints(&[1, 2, 3, 4, 5]);
        assert_eq!(call(&g, "head", std::slice::from_ref(&l)), Ok(Int(1)));
        assert_eq!(call(&g, "last", std::slice::from_ref(&l)), Ok(Int(5)));
        assert_eq!(
            call(&g, "tail", std::slice::from_ref(&l)),
            Ok(ints(&[2, 3, 4, 5]))
        );
        assert_eq!(call(&g, "size", std::slice::from_ref(&l)), Ok(Int(5)));
        assert_eq!(call(&g, "reverse", &[l]), Ok(ints(&[5, 4, 3, 2, 1])));
        assert_eq!(call(&g, "head", &[ints(&[])]), Ok(Null));
        assert_eq!(call(&g, "last", &[ints(&[])]), Ok(Null));
        assert_eq!(call(&g, "tail", &[ints(&[])]), Ok(ints(&[])));
        assert_eq!(call(&g, "size", &[Value::from("héllo")]), Ok(Int(5)));
        assert_eq!(
            call(&g, "reverse", &[Value::from("raksO")]),
            Ok(Value::from("Oskar"))
        );
        for f in ["head", "last", "tail", "size", "reverse", "isEmpty"] {
            assert_eq!(call(&g, f, &[Null]), Ok(Null), "{f}");
        }
        assert_eq!(
            call(&g, "size", &[Int(1)]).map_err(|e| e.detail),
            Err("InvalidArgumentValue")
        );
        assert_eq!(call(&g, "isEmpty", &[ints(&[])]), Ok(Value::Bool(true)));
    }

    #[test]
    fn coalesce_takes_the_first_non_null() {
        let g = Graph::new();
        assert_eq!(
            call(
                &g,
                "coalesce",
                &[Null, Value::from("CEO"), Value::from("x")]
            ),
            Ok(Value::from("CEO"))
        );
        assert_eq!(call(&g, "coalesce", &[Null, Null]), Ok(Null));
        assert_eq!(call(&g, "nullIf", &[Int(1), Value::Float(1.0)]), Ok(Null));
        assert_eq!(call(&g, "nullIf", &[Int(1), Int(2)]), Ok(Int(1)));
        assert_eq!(call(&g, "nullIf", &[Int(1), Null]), Ok(Int(1)));
    }
}
