//! Type conversion: `toString`, `toInteger`, `toFloat`, `toBoolean`, their
//! `...OrNull` forms (null instead of an error for a value of the wrong
//! type) and the `...List` forms (element by element, null for what does
//! not convert). A string that does not spell a value converts to null.

use super::{invalid_arg, out_of_range};
use crate::error::QueryError;
use crate::graph::{Graph, Value, format_float};

/// A conversion: `Ok(None)` when the type is wrong (the caller decides
/// between an error and null), `Ok(Some(v))` otherwise.
type Conversion = fn(&Value) -> Result<Option<Value>, QueryError>;

fn strict(
    function: &str,
    expected: &str,
    convert: Conversion,
    v: &Value,
) -> Result<Value, QueryError> {
    convert(v)?.ok_or_else(|| invalid_arg(function, expected, v))
}

fn lenient(convert: Conversion, v: &Value) -> Result<Value, QueryError> {
    Ok(convert(v)?.unwrap_or(Value::Null))
}

fn each(function: &str, convert: Conversion, v: &Value) -> Result<Value, QueryError> {
    match v {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(
            items
                .iter()
                // A value that does not convert (for any reason) becomes null.
                .map(|item| convert(item).ok().flatten().unwrap_or(Value::Null))
                .collect(),
        )),
        other => Err(invalid_arg(function, "a List", other)),
    }
}

fn string_of(v: &Value) -> Result<Option<Value>, QueryError> {
    Ok(match v {
        Value::Null => Some(Value::Null),
        Value::String(_) => Some(v.clone()),
        Value::Int(i) => Some(Value::String(i.to_string())),
        Value::Float(f) => Some(Value::String(format_float(*f))),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        _ => None,
    })
}

/// Parses a float the way people write one: digits with an optional sign,
/// fraction and exponent, or `Infinity` / `NaN`; surrounding whitespace is
/// ignored.
fn parse_float(s: &str) -> Option<f64> {
    let s = s.trim();
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let plain = !body.is_empty()
        && !body.starts_with(['+', '-'])
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if plain || matches!(body, "Infinity" | "NaN") {
        let body_value = if body == "Infinity" { "inf" } else { body };
        let value: f64 = body_value.parse().ok()?;
        Some(if s.starts_with('-') { -value } else { value })
    } else {
        None
    }
}

/// The integer part of `f`, if it fits in 64 bits.
fn truncate(f: f64) -> Option<i64> {
    let t = f.trunc();
    (t.is_finite() && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t))
        .then_some(t as i64)
}

fn integer_of(v: &Value) -> Result<Option<Value>, QueryError> {
    Ok(match v {
        Value::Null => Some(Value::Null),
        Value::Int(_) => Some(v.clone()),
        Value::Bool(b) => Some(Value::Int(i64::from(*b))),
        Value::Float(f) => Some(Value::Int(truncate(*f).ok_or_else(|| {
            out_of_range(
                "toInteger",
                format!("{} does not fit in a 64-bit integer", format_float(*f)),
            )
        })?)),
        Value::String(s) => Some(
            s.trim()
                .parse::<i64>()
                .ok()
                .or_else(|| parse_float(s).and_then(truncate))
                .map_or(Value::Null, Value::Int),
        ),
        _ => None,
    })
}

fn float_of(v: &Value) -> Result<Option<Value>, QueryError> {
    Ok(match v {
        Value::Null => Some(Value::Null),
        Value::Float(_) => Some(v.clone()),
        Value::Int(i) => Some(Value::Float(*i as f64)),
        Value::String(s) => Some(parse_float(s).map_or(Value::Null, Value::Float)),
        _ => None,
    })
}

fn boolean_of(v: &Value) -> Result<Option<Value>, QueryError> {
    Ok(match v {
        Value::Null => Some(Value::Null),
        Value::Bool(_) => Some(v.clone()),
        Value::Int(i) => Some(Value::Bool(*i != 0)),
        Value::String(s) => {
            let s = s.trim();
            Some(if s.eq_ignore_ascii_case("true") {
                Value::Bool(true)
            } else if s.eq_ignore_ascii_case("false") {
                Value::Bool(false)
            } else {
                Value::Null
            })
        }
        _ => None,
    })
}

/// `toString(x)` for numbers, booleans and strings.
pub(super) fn to_string(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    strict(
        "toString",
        "a number, Boolean or String",
        string_of,
        &args[0],
    )
}

/// `toStringOrNull(x)`.
pub(super) fn to_string_or_null(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    lenient(string_of, &args[0])
}

/// `toStringList(list)`.
pub(super) fn to_string_list(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    each("toStringList", string_of, &args[0])
}

/// `toInteger(x)`: floats truncate toward zero; strings may hold an
/// integer or a float (`'2.9'` gives 2); booleans give 1 and 0.
pub(super) fn to_integer(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    strict(
        "toInteger",
        "a number, Boolean or String",
        integer_of,
        &args[0],
    )
}

/// `toIntegerOrNull(x)`.
pub(super) fn to_integer_or_null(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(integer_of(&args[0]).ok().flatten().unwrap_or(Value::Null))
}

/// `toIntegerList(list)`.
pub(super) fn to_integer_list(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    each("toIntegerList", integer_of, &args[0])
}

/// `toFloat(x)` for numbers and strings.
pub(super) fn to_float(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    strict("toFloat", "a number or String", float_of, &args[0])
}

/// `toFloatOrNull(x)`.
pub(super) fn to_float_or_null(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    lenient(float_of, &args[0])
}

/// `toFloatList(list)`.
pub(super) fn to_float_list(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    each("toFloatList", float_of, &args[0])
}

/// `toBoolean(x)`: booleans, the strings `true` and `false` (any case),
/// and integers (0 is false).
pub(super) fn to_boolean(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    strict(
        "toBoolean",
        "a Boolean, String or Integer",
        boolean_of,
        &args[0],
    )
}

/// `toBooleanOrNull(x)`.
pub(super) fn to_boolean_or_null(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    lenient(boolean_of, &args[0])
}

/// `toBooleanList(list)`.
pub(super) fn to_boolean_list(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    each("toBooleanList", boolean_of, &args[0])
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::graph::{Graph, NodeId, Path, RelId, Value};
    use crate::query::functions::call;
    use Value::{Bool, Float, Int, Null};

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn f(name: &str, arg: Value) -> Value {
        call(&Graph::new(), name, &[arg]).expect(name)
    }

    fn elements() -> Vec<Value> {
        vec![
            Value::List(vec![]),
            Value::Map(Default::default()),
            Value::Node(NodeId(0)),
            Value::Rel(RelId(0)),
            Value::Path(Box::new(Path {
                nodes: vec![NodeId(0)],
                rels: vec![],
            })),
        ]
    }

    fn fails_with_invalid_argument_value(name: &str, arg: Value) {
        let e = call(&Graph::new(), name, &[arg]).expect_err(name);
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::TypeError, "InvalidArgumentValue"),
            "{name}"
        );
    }

    #[test]
    fn to_boolean_accepts_booleans_strings_and_integers() {
        assert_eq!(f("toBoolean", Bool(true)), Bool(true));
        assert_eq!(f("toBoolean", s("true")), Bool(true));
        assert_eq!(f("toBoolean", s("FALSE")), Bool(false));
        for bad in ["", " tru ", "f alse"] {
            assert_eq!(f("toBoolean", s(bad)), Null);
        }
        assert_eq!(f("toBoolean", Int(0)), Bool(false));
        assert_eq!(f("toBoolean", Null), Null);
        for bad in elements().into_iter().chain([Float(1.0)]) {
            fails_with_invalid_argument_value("toBoolean", bad.clone());
            assert_eq!(f("toBooleanOrNull", bad), Null);
        }
    }

    #[test]
    fn to_integer_truncates_floats_and_parses_strings() {
        assert_eq!(f("toInteger", Float(82.9)), Int(82));
        assert_eq!(f("toInteger", Float(-2.9)), Int(-2));
        assert_eq!(f("toInteger", s("foo")), Null);
        assert_eq!(f("toInteger", s("")), Null);
        assert_eq!(f("toInteger", s("2")), Int(2));
        assert_eq!(f("toInteger", s("2.9")), Int(2));
        assert_eq!(f("toInteger", s("1.7")), Int(1));
        assert_eq!(f("toInteger", s(" 42 ")), Int(42));
        assert_eq!(f("toInteger", s("9223372036854775807")), Int(i64::MAX));
        assert_eq!(f("toInteger", s("1e30")), Null);
        assert_eq!(f("toInteger", s("NaN")), Null);
        assert_eq!(f("toInteger", Bool(true)), Int(1));
        let e = call(&Graph::new(), "toInteger", &[Float(1e30)]).expect_err("too big");
        assert_eq!(e.kind, ErrorKind::ArgumentError);
        assert_eq!(f("toIntegerOrNull", Float(1e30)), Null);
        for bad in elements() {
            fails_with_invalid_argument_value("toInteger", bad.clone());
            assert_eq!(f("toIntegerOrNull", bad), Null);
        }
    }

    #[test]
    fn to_float_converts_numbers_and_numeric_strings() {
        assert_eq!(f("toFloat", Int(3)), Float(3.0));
        assert_eq!(f("toFloat", Float(3.4)), Float(3.4));
        assert_eq!(f("toFloat", s("5")), Float(5.0));
        assert_eq!(f("toFloat", s("-1.5e2")), Float(-150.0));
        assert_eq!(f("toFloat", s("Infinity")), Float(f64::INFINITY));
        assert_eq!(f("toFloat", s("foo")), Null);
        assert_eq!(f("toFloat", s("")), Null);
        assert_eq!(f("toFloat", s("inf")), Null);
        for bad in elements().into_iter().chain([Bool(true)]) {
            fails_with_invalid_argument_value("toFloat", bad.clone());
            assert_eq!(f("toFloatOrNull", bad), Null);
        }
    }

    #[test]
    fn to_string_writes_scalars() {
        assert_eq!(f("toString", Int(42)), s("42"));
        assert_eq!(f("toString", Bool(true)), s("true"));
        assert_eq!(f("toString", Float(2.3)), s("2.3"));
        assert_eq!(f("toString", Float(1.0)), s("1.0"));
        assert_eq!(f("toString", s("apa")), s("apa"));
        assert_eq!(f("toString", Null), Null);
        for bad in elements() {
            fails_with_invalid_argument_value("toString", bad.clone());
            assert_eq!(f("toStringOrNull", bad), Null);
        }
    }

    #[test]
    fn list_conversions_go_element_by_element() {
        let l = Value::List(vec![Int(1), s("2.5"), s("x"), Null, Value::List(vec![])]);
        assert_eq!(
            f("toFloatList", l.clone()),
            Value::List(vec![Float(1.0), Float(2.5), Null, Null, Null])
        );
        assert_eq!(
            f("toIntegerList", l.clone()),
            Value::List(vec![Int(1), Int(2), Null, Null, Null])
        );
        assert_eq!(
            f("toStringList", l),
            Value::List(vec![s("1"), s("2.5"), s("x"), Null, Null])
        );
        assert_eq!(f("toBooleanList", Null), Null);
        fails_with_invalid_argument_value("toBooleanList", Int(1));
    }
}
