//! Mathematical functions. Integers and floats are both accepted; most
//! results are floats, as in openCypher (`abs` and `sign` keep integers).

use std::cell::Cell;
use std::hash::{BuildHasher, Hasher};

use super::{arg, invalid_arg};
use crate::error::{ErrorKind, QueryError};
use crate::graph::{Graph, Value};

fn number(function: &str, v: &Value) -> Result<Option<f64>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        other => Err(invalid_arg(function, "a number", other)),
    }
}

fn unary(function: &str, args: &[Value], f: fn(f64) -> f64) -> Result<Value, QueryError> {
    Ok(number(function, &args[0])?.map_or(Value::Null, |x| Value::Float(f(x))))
}

/// `abs(x)`: integers stay integers (`abs` of the smallest one overflows).
pub(super) fn abs(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Int(i) => i.checked_abs().map(Value::Int).ok_or_else(|| {
            QueryError::runtime(
                ErrorKind::ArithmeticError,
                "IntegerOverflow",
                format!("integer overflow: abs({i}) does not fit in a 64-bit integer"),
                None,
            )
        }),
        other => unary("abs", std::slice::from_ref(other), f64::abs),
    }
}

/// `ceil(x)`, as a float.
pub(super) fn ceil(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("ceil", args, f64::ceil)
}

/// `floor(x)`, as a float.
pub(super) fn floor(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("floor", args, f64::floor)
}

/// `sign(x)`: -1, 0 or 1 as an integer (0 for NaN).
pub(super) fn sign(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Int(i) => Ok(Value::Int(i.signum())),
        other => Ok(number("sign", other)?.map_or(Value::Null, |x| {
            Value::Int(if x > 0.0 {
                1
            } else if x < 0.0 {
                -1
            } else {
                0
            })
        })),
    }
}

/// `isNaN(x)`.
pub(super) fn is_nan(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(number("isNaN", &args[0])?.map_or(Value::Null, |x| Value::Bool(x.is_nan())))
}

/// `sqrt(x)`.
pub(super) fn sqrt(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("sqrt", args, f64::sqrt)
}

/// `exp(x)`: e to the power of x.
pub(super) fn exp(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("exp", args, f64::exp)
}

/// `log(x)`: the natural logarithm.
pub(super) fn ln(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("log", args, f64::ln)
}

/// `log10(x)`.
pub(super) fn log10(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("log10", args, f64::log10)
}

/// `e()`.
pub(super) fn e(_: &Graph, _: &[Value]) -> Result<Value, QueryError> {
    Ok(Value::Float(std::f64::consts::E))
}

/// `pi()`.
pub(super) fn pi(_: &Graph, _: &[Value]) -> Result<Value, QueryError> {
    Ok(Value::Float(std::f64::consts::PI))
}

/// `sin(x)`, in radians.
pub(super) fn sin(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("sin", args, f64::sin)
}

/// `cos(x)`.
pub(super) fn cos(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("cos", args, f64::cos)
}

/// `tan(x)`.
pub(super) fn tan(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("tan", args, f64::tan)
}

/// `cot(x)`: 1 / tan(x).
pub(super) fn cot(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("cot", args, |x| 1.0 / x.tan())
}

/// `asin(x)`.
pub(super) fn asin(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("asin", args, f64::asin)
}

/// `acos(x)`.
pub(super) fn acos(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("acos", args, f64::acos)
}

/// `atan(x)`.
pub(super) fn atan(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("atan", args, f64::atan)
}

/// `atan2(y, x)`.
pub(super) fn atan2(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let y = number("atan2", &args[0])?;
    let x = number("atan2", &args[1])?;
    Ok(match (y, x) {
        (Some(y), Some(x)) => Value::Float(y.atan2(x)),
        _ => Value::Null,
    })
}

/// `degrees(radians)`.
pub(super) fn degrees(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("degrees", args, f64::to_degrees)
}

/// `radians(degrees)`.
pub(super) fn radians(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("radians", args, f64::to_radians)
}

/// `haversin(x)`: half the versine, (1 - cos x) / 2.
pub(super) fn haversin(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    unary("haversin", args, |x| (1.0 - x.cos()) / 2.0)
}

thread_local! {
    static RNG_STATE: Cell<u64> = Cell::new(std::collections::hash_map::RandomState::new().build_hasher().finish());
}

/// `rand()`: a float uniformly drawn from [0, 1).
pub(super) fn rand(_: &Graph, _: &[Value]) -> Result<Value, QueryError> {
    Ok(Value::Float(
        (next_random() >> 11) as f64 / (1u64 << 53) as f64,
    ))
}

/// The next 64 random bits of this thread's generator (splitmix64, seeded
/// from the standard library's random hasher keys).
fn next_random() -> u64 {
    RNG_STATE.with(|state| {
        let s = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        state.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// `randomUUID()`: a random (version 4) UUID as a string.
pub(super) fn random_uuid(_: &Graph, _: &[Value]) -> Result<Value, QueryError> {
    let (hi, lo) = (next_random(), next_random());
    // Version 4 in the high nibble of byte 6, variant 10 in byte 8.
    let hi = (hi & !0xF000) | 0x4000;
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
    Ok(Value::String(format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )))
}

/// `timestamp()`: milliseconds since the Unix epoch.
pub(super) fn timestamp(_: &Graph, _: &[Value]) -> Result<Value, QueryError> {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Ok(Value::Int(ms))
}

/// How `round(x, precision, mode)` treats the dropped digits (Java's
/// `RoundingMode` names, as Neo4j uses them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Up,
    Down,
    Ceiling,
    Floor,
    HalfUp,
    HalfDown,
    HalfEven,
}

impl Mode {
    fn parse(s: &str) -> Option<Mode> {
        Some(match s.to_ascii_uppercase().as_str() {
            "UP" => Mode::Up,
            "DOWN" => Mode::Down,
            "CEILING" => Mode::Ceiling,
            "FLOOR" => Mode::Floor,
            "HALF_UP" => Mode::HalfUp,
            "HALF_DOWN" => Mode::HalfDown,
            "HALF_EVEN" => Mode::HalfEven,
            _ => return None,
        })
    }
}

/// `round(x)`: to the nearest integer, halves toward positive infinity,
/// as a float. `round(x, precision [, mode])`: to `precision` decimal
/// places of x's shortest decimal form, halves away from zero unless
/// `mode` says otherwise.
pub(super) fn round(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let Some(x) = number("round", &args[0])? else {
        return Ok(Value::Null);
    };
    if args.len() == 1 {
        let f = x.floor();
        // `x - f` is exact for every float, so halves are recognised exactly.
        return Ok(Value::Float(if x - f >= 0.5 { f + 1.0 } else { f }));
    }
    let precision = match &args[1] {
        Value::Null => return Ok(Value::Null),
        Value::Int(p) => *p,
        other => return Err(invalid_arg("round", "an Integer precision", other)),
    };
    let mode = match arg(args, 2) {
        Value::Null if args.len() == 2 => Mode::HalfUp,
        Value::Null => return Ok(Value::Null),
        Value::String(m) => Mode::parse(m).ok_or_else(|| {
            QueryError::runtime(
                ErrorKind::ArgumentError,
                "InvalidArgumentValue",
                format!("round(): unknown rounding mode '{m}'"),
                None,
            )
            .with_hint("use one of UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_DOWN, HALF_EVEN")
        })?,
        other => return Err(invalid_arg("round", "a String rounding mode", other)),
    };
    Ok(Value::Float(round_decimal(x, precision, mode)))
}

/// Rounds `x` to `precision` decimal places, working on its shortest
/// decimal representation so that 2.675 rounds like the 2.675 people see.
fn round_decimal(x: f64, precision: i64, mode: Mode) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    // Beyond these, either nothing is dropped or everything is.
    let precision = precision.clamp(-400, 400);
    let negative = x < 0.0;
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    // Digits kept: those before the decimal point plus `precision` after.
    let keep = exponent + 1 + precision;
    if keep >= digits.len() as i64 {
        return x;
    }
    let (kept, first_dropped, rest_nonzero) = if keep < 0 {
        (&digits[..0], 0, true)
    } else {
        let k = keep as usize;
        (
            &digits[..k],
            digits[k],
            digits[k + 1..].iter().any(|&d| d != 0),
        )
    };
    let any_dropped = first_dropped != 0 || rest_nonzero;
    let last_kept_odd = kept.last().is_some_and(|d| d % 2 == 1);
    let round_up = match mode {
        Mode::Up => any_dropped,
        Mode::Down => false,
        Mode::Ceiling => !negative && any_dropped,
        Mode::Floor => negative && any_dropped,
        Mode::HalfUp => first_dropped >= 5,
        Mode::HalfDown => first_dropped > 5 || (first_dropped == 5 && rest_nonzero),
        Mode::HalfEven => {
            first_dropped > 5 || (first_dropped == 5 && (rest_nonzero || last_kept_odd))
        }
    };
    // At most 17 significant digits: fits in a u64 with room for the carry.
    let mut magnitude: u64 = kept.iter().fold(0, |acc, &d| acc * 10 + u64::from(d));
    if round_up {
        magnitude += 1;
    }
    let rounded: f64 = format!("{magnitude}e{}", -precision)
        .parse()
        .unwrap_or(x.abs());
    let result = if negative { -rounded } else { rounded };
    // No negative zero: round(-0.1, 0) is 0.0.
    if result == 0.0 { 0.0 } else { result }
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::graph::{Graph, Value};
    use crate::query::functions::call;
    use Value::{Float, Int, Null};

    fn f(name: &str, args: &[Value]) -> Value {
        call(&Graph::new(), name, args).expect(name)
    }

    fn close(v: Value, expected: f64) {
        match v {
            Float(x) => assert!((x - expected).abs() < 1e-12, "{x} is not {expected}"),
            other => panic!("expected a float, got {other}"),
        }
    }

    #[test]
    fn abs_and_sign_keep_integers() {
        assert_eq!(f("abs", &[Int(-1)]), Int(1));
        assert_eq!(f("abs", &[Float(-1.5)]), Float(1.5));
        let e = call(&Graph::new(), "abs", &[Int(i64::MIN)]).expect_err("overflow");
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::ArithmeticError, "IntegerOverflow")
        );
        assert_eq!(f("sign", &[Int(-7)]), Int(-1));
        assert_eq!(f("sign", &[Float(0.5)]), Int(1));
        assert_eq!(f("sign", &[Float(0.0)]), Int(0));
        assert_eq!(f("sign", &[Null]), Null);
    }

    #[test]
    fn roots_logs_and_trigonometry_return_floats() {
        close(f("sqrt", &[Float(12.96)]), 3.6);
        close(f("sqrt", &[Int(16)]), 4.0);
        close(f("exp", &[Int(0)]), 1.0);
        close(f("log", &[f("e", &[])]), 1.0);
        close(f("log10", &[Int(1000)]), 3.0);
        close(f("sin", &[Int(0)]), 0.0);
        close(f("cos", &[Int(0)]), 1.0);
        close(f("tan", &[Float(std::f64::consts::FRAC_PI_4)]), 1.0);
        close(f("cot", &[Float(std::f64::consts::FRAC_PI_4)]), 1.0);
        close(f("asin", &[Int(1)]), std::f64::consts::FRAC_PI_2);
        close(f("acos", &[Int(1)]), 0.0);
        close(f("atan", &[Int(1)]), std::f64::consts::FRAC_PI_4);
        close(f("atan2", &[Int(1), Int(1)]), std::f64::consts::FRAC_PI_4);
        close(f("degrees", &[f("pi", &[])]), 180.0);
        close(f("radians", &[Int(180)]), std::f64::consts::PI);
        close(f("haversin", &[f("pi", &[])]), 1.0);
        assert!(matches!(f("sqrt", &[Int(-1)]), Float(x) if x.is_nan()));
        assert_eq!(f("isNaN", &[f("sqrt", &[Int(-1)])]), Value::Bool(true));
        assert_eq!(f("atan2", &[Null, Int(1)]), Null);
        let e = call(&Graph::new(), "sqrt", &[Value::from("4")]).expect_err("string");
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::TypeError, "InvalidArgumentValue")
        );
    }

    #[test]
    fn ceil_floor_and_round_return_floats() {
        assert_eq!(f("ceil", &[Float(0.1)]), Float(1.0));
        assert_eq!(f("ceil", &[Int(3)]), Float(3.0));
        assert_eq!(f("floor", &[Float(-0.1)]), Float(-1.0));
        assert_eq!(f("round", &[Float(2.5)]), Float(3.0));
        assert_eq!(f("round", &[Float(-2.5)]), Float(-2.0));
        assert_eq!(f("round", &[Float(-2.6)]), Float(-3.0));
        assert_eq!(f("round", &[Float(0.499_999_999_999_999_94)]), Float(0.0));
        assert_eq!(f("round", &[Int(3)]), Float(3.0));
        assert_eq!(f("round", &[Null]), Null);
    }

    #[test]
    fn round_with_precision_works_on_the_decimal_digits() {
        let r = |x: f64, p: i64| f("round", &[Float(x), Int(p)]);
        let rm = |x: f64, p: i64, m: &str| f("round", &[Float(x), Int(p), Value::from(m)]);
        assert_eq!(r(5.123_456, 3), Float(5.123));
        assert_eq!(r(1.234_567, 4), Float(1.2346));
        assert_eq!(r(2.675, 2), Float(2.68));
        assert_eq!(r(-1.5, 0), Float(-2.0));
        assert_eq!(r(1234.5, -2), Float(1200.0));
        assert_eq!(r(0.004, 2), Float(0.0));
        assert_eq!(r(0.005, 2), Float(0.01));
        assert_eq!(r(0.5, -3), Float(0.0));
        assert_eq!(r(9.99, 1), Float(10.0));
        assert_eq!(r(1.25, 5), Float(1.25));
        assert_eq!(rm(1.25, 1, "HALF_EVEN"), Float(1.2));
        assert_eq!(rm(1.35, 1, "HALF_EVEN"), Float(1.4));
        assert_eq!(rm(1.25, 1, "HALF_DOWN"), Float(1.2));
        assert_eq!(rm(1.21, 1, "UP"), Float(1.3));
        assert_eq!(rm(-1.21, 1, "UP"), Float(-1.3));
        assert_eq!(rm(1.29, 1, "DOWN"), Float(1.2));
        assert_eq!(rm(-1.21, 1, "CEILING"), Float(-1.2));
        assert_eq!(rm(-1.21, 1, "FLOOR"), Float(-1.3));
        assert_eq!(rm(1.21, 1, "floor"), Float(1.2));
        let e = call(
            &Graph::new(),
            "round",
            &[Float(1.0), Int(1), Value::from("SIDEWAYS")],
        )
        .expect_err("bad mode");
        assert_eq!(e.kind, ErrorKind::ArgumentError);
    }

    #[test]
    fn rand_stays_in_the_unit_interval_and_varies() {
        let draws: Vec<f64> = (0..1000)
            .map(|_| match f("rand", &[]) {
                Float(x) => x,
                other => panic!("rand gave {other}"),
            })
            .collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(draws.iter().any(|&x| x < 0.5) && draws.iter().any(|&x| x >= 0.5));
        assert!(matches!(f("timestamp", &[]), Int(ms) if ms > 1_600_000_000_000));
        let (Value::String(a), Value::String(b)) = (f("randomUUID", &[]), f("randomUUID", &[]))
        else {
            panic!("randomUUID gives strings")
        };
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{a}");
    }
}
