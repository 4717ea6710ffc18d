//! The value semantics of the query language's operators.
//!
//! Pure functions over [`Value`]: three-valued equality and comparison,
//! boolean logic, arithmetic with overflow detection, list membership,
//! string predicates, and element access (indexing, slicing, properties).
//! They follow openCypher: `null` in gives `null` out unless the operator
//! says otherwise, and a value of the wrong type is a `TypeError`. Errors
//! carry no span; the caller attaches one with [`QueryError::or_span`].

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

use regex::Regex;

use crate::error::{ErrorKind, QueryError};
use crate::graph::{Graph, NodeId, RelId, Symbol, Value, format_float};
use crate::query::ast::{BinaryOp, Quantifier, UnaryOp};
use crate::query::functions::Types;

// ---- errors ------------------------------------------------------------

/// A runtime `TypeError` with detail `InvalidArgumentType`.
pub(crate) fn type_error(message: impl Into<String>) -> QueryError {
    QueryError::runtime(ErrorKind::TypeError, "InvalidArgumentType", message, None)
}

/// A runtime `ArithmeticError` for a result that does not fit in 64 bits.
fn overflow(a: i64, op: &str, b: i64) -> QueryError {
    QueryError::runtime(
        ErrorKind::ArithmeticError,
        "IntegerOverflow",
        format!("integer overflow: {a} {op} {b} does not fit in a 64-bit integer"),
        None,
    )
    .with_hint("convert an operand with toFloat() to compute with floats")
}

/// A runtime `EntityNotFound` for an element deleted earlier in the query.
pub(crate) fn deleted_node(id: NodeId) -> QueryError {
    QueryError::runtime(
        ErrorKind::EntityNotFound,
        "DeletedEntityAccess",
        format!("node {id} has been deleted; its labels and properties can no longer be read"),
        None,
    )
}

/// A runtime `EntityNotFound` for a relationship deleted earlier in the query.
pub(crate) fn deleted_rel(id: RelId) -> QueryError {
    QueryError::runtime(
        ErrorKind::EntityNotFound,
        "DeletedEntityAccess",
        format!(
            "relationship {id} has been deleted; its type and properties can no longer be read"
        ),
        None,
    )
}

// ---- equality and comparison -------------------------------------------

/// openCypher's `=`: `None` (null) if either side is null or a nested
/// comparison involves null and no other element already differs; `1 = 1.0`
/// is true, NaN equals nothing; lists and maps compare element by element,
/// nodes and relationships by id, paths by their elements; values of
/// different types are not equal.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => None,
        (Bool(x), Bool(y)) => Some(x == y),
        (Int(x), Int(y)) => Some(x == y),
        (Int(i), Float(f)) | (Float(f), Int(i)) => {
            Some(cmp_int_float(*i, *f) == Some(Ordering::Equal))
        }
        (Float(x), Float(y)) => Some(x == y),
        (String(x), String(y)) => Some(x == y),
        (List(x), List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut unknown = false;
            for (p, q) in x.iter().zip(y) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        (Map(x), Map(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            // Both maps iterate in key order, so differing key sets show up
            // as a differing key at some position.
            let mut unknown = false;
            for ((k1, v1), (k2, v2)) in x.iter().zip(y) {
                if k1 != k2 {
                    return Some(false);
                }
                match equals(v1, v2) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        (Node(x), Node(y)) => Some(x == y),
        (Rel(x), Rel(y)) => Some(x == y),
        (Path(x), Path(y)) => Some(x == y),
        _ => Some(false),
    }
}

/// The outcome of comparing two values with `<`, `<=`, `>`, `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Ord(Ordering),
    /// Comparable types, but no order (NaN): every comparison is false.
    Unordered,
    /// Null involved, or types that do not compare: the result is null.
    Null,
}

/// Exact comparison of an integer with a float, even beyond 2^53; `None`
/// for NaN.
fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= 9_223_372_036_854_775_808.0 {
        return Some(Ordering::Less);
    }
    if f < -9_223_372_036_854_775_808.0 {
        return Some(Ordering::Greater);
    }
    // Here f lies in [-2^63, 2^63), so its integral part fits in an i64.
    let t = f.trunc();
    match i.cmp(&(t as i64)) {
        Ordering::Equal => {
            let frac = f - t;
            Some(if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            })
        }
        other => Some(other),
    }
}

fn cmp3(a: &Value, b: &Value) -> Cmp {
    use Value::*;
    let ord = |o: Option<Ordering>| o.map_or(Cmp::Unordered, Cmp::Ord);
    match (a, b) {
        (Int(x), Int(y)) => Cmp::Ord(x.cmp(y)),
        (Int(i), Float(f)) => ord(cmp_int_float(*i, *f)),
        (Float(f), Int(i)) => ord(cmp_int_float(*i, *f).map(Ordering::reverse)),
        (Float(x), Float(y)) => ord(x.partial_cmp(y)),
        (String(x), String(y)) => Cmp::Ord(x.cmp(y)),
        (Bool(x), Bool(y)) => Cmp::Ord(x.cmp(y)),
        (List(x), List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match cmp3(p, q) {
                    Cmp::Ord(Ordering::Equal) => {}
                    other => return other,
                }
            }
            Cmp::Ord(x.len().cmp(&y.len()))
        }
        _ => Cmp::Null,
    }
}

/// The order of two values for `<`, `<=`, `>`, `>=`: numbers with numbers
/// (exactly, across integers and floats), strings, booleans (false first)
/// and lists (lexicographically). `None` when either side is null, the
/// types do not compare, or a float is NaN; use [`binary`] for the
/// operators themselves, where NaN gives false rather than null.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match cmp3(a, b) {
        Cmp::Ord(o) => Some(o),
        Cmp::Unordered | Cmp::Null => None,
    }
}

/// Whether `a op b` is true (null counts as not), for an operator whose
/// answer never fails: a comparison or equality. Filters that only ask
/// "does the row pass" use it instead of [`binary`], which builds the
/// boolean value only for it to be read back. `None` for any other
/// operator.
#[inline]
pub fn holds(op: BinaryOp, a: &Value, b: &Value) -> Option<bool> {
    let accept: fn(Ordering) -> bool = match op {
        BinaryOp::Eq => return Some(equals(a, b) == Some(true)),
        BinaryOp::Ne => return Some(equals(a, b) == Some(false)),
        BinaryOp::Lt => Ordering::is_lt,
        BinaryOp::Le => Ordering::is_le,
        BinaryOp::Gt => Ordering::is_gt,
        BinaryOp::Ge => Ordering::is_ge,
        _ => return None,
    };
    Some(matches!(cmp3(a, b), Cmp::Ord(o) if accept(o)))
}

fn comparison(a: &Value, b: &Value, accept: fn(Ordering) -> bool) -> Value {
    match cmp3(a, b) {
        Cmp::Ord(o) => Value::Bool(accept(o)),
        Cmp::Unordered => Value::Bool(false),
        Cmp::Null => Value::Null,
    }
}

fn opt_bool(v: Option<bool>) -> Value {
    v.map_or(Value::Null, Value::Bool)
}

// ---- boolean logic -------------------------------------------------------

/// A boolean operand: `Some(b)`, or `None` for null.
fn truth(op: &str, v: &Value) -> Result<Option<bool>, QueryError> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(type_error(format!(
            "{op} expects Boolean operands, but got {} {other}",
            other.type_name()
        ))
        .with_hint("compare the value first, e.g. `x = 1` or `x IS NOT NULL`")),
    }
}

/// Three-valued `AND`: false if either side is false, else null if either
/// is null. A non-boolean operand is a `TypeError`, even beside false.
pub fn and(a: &Value, b: &Value) -> Result<Value, QueryError> {
    let (x, y) = (truth("AND", a)?, truth("AND", b)?);
    Ok(match (x, y) {
        (Some(false), _) | (_, Some(false)) => Value::Bool(false),
        (Some(true), Some(true)) => Value::Bool(true),
        _ => Value::Null,
    })
}

/// Three-valued `OR`: true if either side is true, else null if either is
/// null.
pub fn or(a: &Value, b: &Value) -> Result<Value, QueryError> {
    let (x, y) = (truth("OR", a)?, truth("OR", b)?);
    Ok(match (x, y) {
        (Some(true), _) | (_, Some(true)) => Value::Bool(true),
        (Some(false), Some(false)) => Value::Bool(false),
        _ => Value::Null,
    })
}

/// Three-valued `XOR`: null if either side is null.
pub fn xor(a: &Value, b: &Value) -> Result<Value, QueryError> {
    let (x, y) = (truth("XOR", a)?, truth("XOR", b)?);
    Ok(match (x, y) {
        (Some(p), Some(q)) => Value::Bool(p != q),
        _ => Value::Null,
    })
}

/// Three-valued `NOT`.
pub fn not(a: &Value) -> Result<Value, QueryError> {
    Ok(opt_bool(truth("NOT", a)?.map(|b| !b)))
}

/// Whether a `WHERE` predicate keeps its row: only `true` does; `false`
/// and null drop it; any other value is a `TypeError`.
pub fn is_true(v: &Value) -> Result<bool, QueryError> {
    Ok(truth("WHERE", v)? == Some(true))
}

// ---- arithmetic ----------------------------------------------------------

fn arith_error(op: &str, a: &Value, b: &Value) -> QueryError {
    type_error(format!(
        "cannot apply {op} to {} {a} and {} {b}",
        a.type_name(),
        b.type_name()
    ))
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// `+`: numbers (integer overflow is an error), string concatenation (a
/// number beside a string is written out), list concatenation, and adding
/// an element to either end of a list.
fn add(a: &Value, b: &Value) -> Result<Value, QueryError> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => Int(x.checked_add(*y).ok_or_else(|| overflow(*x, "+", *y))?),
        (Int(_) | Float(_), Int(_) | Float(_)) => {
            Float(as_f64(a).unwrap_or(f64::NAN) + as_f64(b).unwrap_or(f64::NAN))
        }
        (String(x), String(y)) => {
            let mut s = std::string::String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            String(s)
        }
        (String(x), Int(y)) => String(format!("{x}{y}")),
        (String(x), Float(y)) => String(format!("{x}{}", format_float(*y))),
        (Int(x), String(y)) => String(format!("{x}{y}")),
        (Float(x), String(y)) => String(format!("{}{y}", format_float(*x))),
        (List(x), List(y)) => {
            let mut out = Vec::with_capacity(x.len() + y.len());
            out.extend_from_slice(x);
            out.extend_from_slice(y);
            List(out)
        }
        (List(x), y) => {
            let mut out = Vec::with_capacity(x.len() + 1);
            out.extend_from_slice(x);
            out.push(y.clone());
            List(out)
        }
        (x, List(y)) => {
            let mut out = Vec::with_capacity(y.len() + 1);
            out.push(x.clone());
            out.extend_from_slice(y);
            List(out)
        }
        _ => return Err(arith_error("+", a, b)),
    })
}

/// `-`, `*`: integers stay integers (overflow is an error), anything with
/// a float becomes a float.
fn numeric(
    op: &str,
    a: &Value,
    b: &Value,
    int: fn(i64, i64) -> Option<i64>,
    float: fn(f64, f64) -> f64,
) -> Result<Value, QueryError> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => Int(int(*x, *y).ok_or_else(|| overflow(*x, op, *y))?),
        (Int(_) | Float(_), Int(_) | Float(_)) => Float(float(
            as_f64(a).unwrap_or(f64::NAN),
            as_f64(b).unwrap_or(f64::NAN),
        )),
        _ => return Err(arith_error(op, a, b)),
    })
}

fn division_by_zero(op: &str, a: i64) -> QueryError {
    QueryError::runtime(
        ErrorKind::ArithmeticError,
        "DivisionByZero",
        format!("integer division by zero: {a} {op} 0"),
        None,
    )
    .with_hint("divide by a float (e.g. 0.0) to get Infinity or NaN instead")
}

/// `/` and `%`: integer division truncates toward zero and `%` keeps the
/// sign of the dividend (as Java and Rust do); an integer zero divisor is
/// an error, a float one gives infinity or NaN.
fn divide(op: &str, a: &Value, b: &Value) -> Result<Value, QueryError> {
    use Value::*;
    let modulo = op == "%";
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => {
            if *y == 0 {
                return Err(division_by_zero(op, *x));
            }
            if modulo {
                // i64::MIN % -1 is mathematically 0; only the division overflows.
                Int(x.wrapping_rem(*y))
            } else {
                Int(x.checked_div(*y).ok_or_else(|| overflow(*x, op, *y))?)
            }
        }
        (Int(_) | Float(_), Int(_) | Float(_)) => {
            let (x, y) = (as_f64(a).unwrap_or(f64::NAN), as_f64(b).unwrap_or(f64::NAN));
            Float(if modulo { x % y } else { x / y })
        }
        _ => return Err(arith_error(op, a, b)),
    })
}

/// `^`: always a float.
fn power(a: &Value, b: &Value) -> Result<Value, QueryError> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        _ => match (as_f64(a), as_f64(b)) {
            (Some(x), Some(y)) => Ok(Value::Float(x.powf(y))),
            _ => Err(arith_error("^", a, b)),
        },
    }
}

// ---- lists and strings ----------------------------------------------------

/// `x IN list`: true if some element equals `x`; otherwise null if some
/// comparison was null, else false.
fn in_list(x: &Value, list: &Value) -> Result<Value, QueryError> {
    match list {
        Value::Null => Ok(Value::Null),
        Value::List(items) => {
            let mut unknown = false;
            for item in items {
                match equals(x, item) {
                    Some(true) => return Ok(Value::Bool(true)),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            Ok(if unknown {
                Value::Null
            } else {
                Value::Bool(false)
            })
        }
        other => Err(type_error(format!(
            "IN expects a List on its right, but got {} {other}",
            other.type_name()
        ))
        .with_hint("write the right side as a list, e.g. `x IN [1, 2]`")),
    }
}

/// `haystack CONTAINS needle`. Property values are mostly short, where a
/// plain scan beats setting up a substring searcher per call.
fn contains(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    if h.len() > 64 {
        return memchr::memmem::find(h, n).is_some();
    }
    h.len() >= n.len()
        && (0..=h.len() - n.len()).any(|i| h[i] == first && &h[i + 1..i + n.len()] == rest)
}

fn string_predicate(a: &Value, b: &Value, test: fn(&str, &str) -> bool) -> Value {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Value::Bool(test(x, y)),
        _ => Value::Null,
    }
}

thread_local! {
    /// Compiled patterns by source text: a `=~` usually meets the same
    /// pattern on every row.
    static REGEX_CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

const REGEX_CACHE_SIZE: usize = 64;

/// `s =~ pattern`: whether the whole string matches; null unless both are
/// strings; an invalid pattern is an `ArgumentError`.
fn regex_match(a: &Value, b: &Value) -> Result<Value, QueryError> {
    let (Value::String(s), Value::String(pattern)) = (a, b) else {
        return Ok(Value::Null);
    };
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(re) = cache.get(pattern.as_str()) {
            return Ok(Value::Bool(re.is_match(s)));
        }
        let re = Regex::new(&format!(r"\A(?:{pattern})\z")).map_err(|e| {
            QueryError::runtime(
                ErrorKind::ArgumentError,
                "InvalidArgumentValue",
                format!(
                    "invalid regular expression {}: {e}",
                    Value::String(pattern.clone())
                ),
                None,
            )
            .with_hint(
                "patterns use Java-like syntax without look-around or backreferences; \
                 escape a literal special character with a backslash",
            )
        })?;
        let matched = re.is_match(s);
        if cache.len() >= REGEX_CACHE_SIZE {
            cache.clear();
        }
        cache.insert(pattern.clone(), re);
        Ok(Value::Bool(matched))
    })
}

// ---- operators -------------------------------------------------------------

/// Applies a binary operator: boolean logic, comparison, arithmetic, `IN`,
/// the string predicates and `=~`.
///
/// ```
/// use kgq::graph::Value;
/// use kgq::query::ast::BinaryOp;
/// use kgq::query::operators::binary;
/// assert_eq!(binary(BinaryOp::Add, &Value::Int(1), &Value::Float(2.5)), Ok(Value::Float(3.5)));
/// assert_eq!(binary(BinaryOp::Lt, &Value::Int(1), &Value::from("a")), Ok(Value::Null));
/// ```
pub fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, QueryError> {
    match op {
        BinaryOp::And => and(a, b),
        BinaryOp::Or => or(a, b),
        BinaryOp::Xor => xor(a, b),
        BinaryOp::Eq => Ok(opt_bool(equals(a, b))),
        BinaryOp::Ne => Ok(opt_bool(equals(a, b).map(|e| !e))),
        BinaryOp::Lt => Ok(comparison(a, b, Ordering::is_lt)),
        BinaryOp::Le => Ok(comparison(a, b, Ordering::is_le)),
        BinaryOp::Gt => Ok(comparison(a, b, Ordering::is_gt)),
        BinaryOp::Ge => Ok(comparison(a, b, Ordering::is_ge)),
        BinaryOp::Add => add(a, b),
        BinaryOp::Sub => numeric("-", a, b, i64::checked_sub, |x, y| x - y),
        BinaryOp::Mul => numeric("*", a, b, i64::checked_mul, |x, y| x * y),
        BinaryOp::Div => divide("/", a, b),
        BinaryOp::Mod => divide("%", a, b),
        BinaryOp::Pow => power(a, b),
        BinaryOp::In => in_list(a, b),
        BinaryOp::StartsWith => Ok(string_predicate(a, b, |x, y| x.starts_with(y))),
        BinaryOp::EndsWith => Ok(string_predicate(a, b, |x, y| x.ends_with(y))),
        BinaryOp::Contains => Ok(string_predicate(a, b, contains)),
        BinaryOp::RegexMatch => regex_match(a, b),
    }
}

/// Applies a unary operator: `NOT`, `-` (negating `i64::MIN` overflows),
/// `+`.
pub fn unary(op: UnaryOp, v: &Value) -> Result<Value, QueryError> {
    match (op, v) {
        (UnaryOp::Not, _) => not(v),
        (_, Value::Null) => Ok(Value::Null),
        (UnaryOp::Neg, Value::Int(i)) => i.checked_neg().map(Value::Int).ok_or_else(|| {
            QueryError::runtime(
                ErrorKind::ArithmeticError,
                "IntegerOverflow",
                format!("integer overflow: -({i}) does not fit in a 64-bit integer"),
                None,
            )
        }),
        // 0.0 - f rather than -f: negating zero gives zero, not -0.0, as
        // the TCK expects of `-0.0`; every other float negates exactly.
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(0.0 - f)),
        (UnaryOp::Plus, Value::Int(_) | Value::Float(_)) => Ok(v.clone()),
        (UnaryOp::Neg | UnaryOp::Plus, other) => Err(type_error(format!(
            "unary {} expects a number, but got {} {other}",
            if op == UnaryOp::Neg { "-" } else { "+" },
            other.type_name()
        ))),
    }
}

// ---- element access ----------------------------------------------------------

/// Resolves a list index, negative counting from the end; `None` when out
/// of range.
fn list_position(len: usize, i: i64) -> Option<usize> {
    let pos = if i < 0 {
        i.checked_add(i64::try_from(len).ok()?)?
    } else {
        i
    };
    usize::try_from(pos).ok().filter(|&p| p < len)
}

/// `container[idx]`: a list element by integer (negative from the end, out
/// of range gives null), a map value or node/relationship property by
/// string key; null if either side is null.
pub fn index(graph: &Graph, container: &Value, idx: &Value) -> Result<Value, QueryError> {
    match (container, idx) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::List(items), Value::Int(i)) => {
            Ok(list_position(items.len(), *i).map_or(Value::Null, |p| items[p].clone()))
        }
        (Value::List(_), other) => Err(type_error(format!(
            "a list index must be an Integer, but got {} {other}",
            other.type_name()
        ))),
        (Value::Map(_) | Value::Node(_) | Value::Rel(_), Value::String(key)) => {
            property(graph, container, key)
        }
        (Value::Map(_) | Value::Node(_) | Value::Rel(_), other) => Err(QueryError::runtime(
            ErrorKind::TypeError,
            "MapElementAccessByNonString",
            format!(
                "a key into a {} must be a String, but got {} {other}",
                container.type_name(),
                other.type_name()
            ),
            None,
        )),
        (other, _) => Err(type_error(format!(
            "cannot index into {} {other}; only lists, maps, nodes and relationships can be indexed",
            other.type_name()
        ))),
    }
}

fn slice_bound(v: Option<&Value>) -> Result<Option<Option<i64>>, QueryError> {
    match v {
        None => Ok(Some(None)),
        Some(Value::Null) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(Some(*i))),
        Some(other) => Err(type_error(format!(
            "a list slice bound must be an Integer, but got {} {other}",
            other.type_name()
        ))),
    }
}

/// `list[from..to]`: the elements from `from` (inclusive) to `to`
/// (exclusive), negative bounds counting from the end, clamped to the list;
/// a missing bound is open; a null bound or list gives null.
pub fn slice(
    container: &Value,
    from: Option<&Value>,
    to: Option<&Value>,
) -> Result<Value, QueryError> {
    let (from, to) = (slice_bound(from)?, slice_bound(to)?);
    let items = match container {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => {
            return Err(type_error(format!(
                "cannot slice {} {other}; only lists can be sliced",
                other.type_name()
            )));
        }
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Ok(Value::Null);
    };
    let len = items.len() as i64;
    let clamp = |b: i64| -> usize {
        let b = if b < 0 { b.saturating_add(len) } else { b };
        b.clamp(0, len) as usize
    };
    let start = from.map_or(0, clamp);
    let end = to.map_or(items.len(), clamp);
    Ok(Value::List(if start < end {
        items[start..end].to_vec()
    } else {
        Vec::new()
    }))
}

/// `v.key`: a node or relationship property (missing gives null), a map
/// value, null on null; a deleted element is `EntityNotFound`.
pub fn property(graph: &Graph, v: &Value, key: &str) -> Result<Value, QueryError> {
    property_by_symbol(graph, v, graph.symbol(key), key)
}

/// [`property`] with the key's symbol already looked up (`None` when no
/// element of the graph ever used the key), for the executor's hot loops.
pub fn property_by_symbol(
    graph: &Graph,
    v: &Value,
    symbol: Option<Symbol>,
    key: &str,
) -> Result<Value, QueryError> {
    match v {
        Value::Null => Ok(Value::Null),
        Value::Map(map) => Ok(map.get(key).cloned().unwrap_or(Value::Null)),
        Value::Node(id) => {
            let node = graph.node(*id).ok_or_else(|| deleted_node(*id))?;
            Ok(symbol
                .and_then(|s| node.property_symbol(s))
                .cloned()
                .unwrap_or(Value::Null))
        }
        Value::Rel(id) => {
            let rel = graph.rel(*id).ok_or_else(|| deleted_rel(*id))?;
            Ok(symbol
                .and_then(|s| rel.property_symbol(s))
                .cloned()
                .unwrap_or(Value::Null))
        }
        other => Err(type_error(format!(
            "cannot read property `{key}` of {} {other}; only nodes, relationships and maps have properties",
            other.type_name()
        ))),
    }
}

// ---- quantifiers ---------------------------------------------------------------

/// The three-valued fold of `all`, `any`, `none` and `single` over the
/// predicate's results, one per list element, stopping as soon as the
/// answer is known.
///
/// ```
/// use kgq::graph::Value;
/// use kgq::query::ast::Quantifier;
/// use kgq::query::operators::Quantification;
/// let mut any = Quantification::new(Quantifier::Any);
/// assert_eq!(any.push(&Value::Null), Ok(None));
/// assert_eq!(any.push(&Value::Bool(false)), Ok(None));
/// assert_eq!(any.finish(), Value::Null);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Quantification {
    quantifier: Quantifier,
    trues: usize,
    nulls: bool,
}

impl Quantification {
    /// Nothing seen yet.
    pub fn new(quantifier: Quantifier) -> Quantification {
        Quantification {
            quantifier,
            trues: 0,
            nulls: false,
        }
    }

    /// Takes the predicate's result for the next element; returns the
    /// answer once no further element can change it. A non-boolean result
    /// is a `TypeError`.
    pub fn push(&mut self, result: &Value) -> Result<Option<bool>, QueryError> {
        match truth("a quantifier's WHERE", result)? {
            None => self.nulls = true,
            Some(true) => {
                self.trues += 1;
                match self.quantifier {
                    Quantifier::Any => return Ok(Some(true)),
                    Quantifier::None => return Ok(Some(false)),
                    Quantifier::Single if self.trues > 1 => return Ok(Some(false)),
                    _ => {}
                }
            }
            Some(false) => {
                if self.quantifier == Quantifier::All {
                    return Ok(Some(false));
                }
            }
        }
        Ok(None)
    }

    /// The answer after the last element: null when a null result leaves
    /// it open.
    pub fn finish(&self) -> Value {
        let decided = match self.quantifier {
            Quantifier::All => true,
            Quantifier::Any => self.trues > 0,
            Quantifier::None => self.trues == 0,
            Quantifier::Single if self.trues > 1 => return Value::Bool(false),
            Quantifier::Single => self.trues == 1,
        };
        let settled = match self.quantifier {
            Quantifier::All | Quantifier::Single => !self.nulls,
            Quantifier::Any | Quantifier::None => self.trues > 0 || !self.nulls,
        };
        if settled {
            Value::Bool(decided)
        } else {
            Value::Null
        }
    }
}

// ---- static types -------------------------------------------------------------

/// Every single type, for enumerating the members of a [`Types`] set.
const SINGLE_TYPES: [Types; 10] = [
    Types::NULL,
    Types::BOOLEAN,
    Types::INTEGER,
    Types::FLOAT,
    Types::STRING,
    Types::LIST,
    Types::MAP,
    Types::NODE,
    Types::RELATIONSHIP,
    Types::PATH,
];

fn is_number(t: Types) -> bool {
    t == Types::INTEGER || t == Types::FLOAT
}

/// The result type of `op` on operands of exactly these single types, or
/// `None` when [`binary`] fails on them. Mirrors [`binary`] rule by rule.
fn binary_pair(op: BinaryOp, a: Types, b: Types) -> Option<Types> {
    let truth = Types::BOOLEAN.or(Types::NULL);
    let null = a == Types::NULL || b == Types::NULL;
    let logical = |t: Types| t == Types::BOOLEAN || t == Types::NULL;
    match op {
        BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => (logical(a) && logical(b)).then_some(truth),
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::StartsWith
        | BinaryOp::EndsWith
        | BinaryOp::Contains
        | BinaryOp::RegexMatch => Some(truth),
        BinaryOp::In => {
            if b == Types::NULL {
                Some(Types::NULL)
            } else if b == Types::LIST {
                Some(truth)
            } else {
                None
            }
        }
        _ if null => Some(Types::NULL),
        BinaryOp::Add => {
            if a == Types::LIST || b == Types::LIST {
                Some(Types::LIST)
            } else if a == Types::INTEGER && b == Types::INTEGER {
                Some(Types::INTEGER)
            } else if is_number(a) && is_number(b) {
                Some(Types::FLOAT)
            } else if (a == Types::STRING && (b == Types::STRING || is_number(b)))
                || (is_number(a) && b == Types::STRING)
            {
                Some(Types::STRING)
            } else {
                None
            }
        }
        BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
            if a == Types::INTEGER && b == Types::INTEGER {
                Some(Types::INTEGER)
            } else if is_number(a) && is_number(b) {
                Some(Types::FLOAT)
            } else {
                None
            }
        }
        BinaryOp::Pow => (is_number(a) && is_number(b)).then_some(Types::FLOAT),
    }
}

/// Unions the results of `pair` over every combination of single types
/// drawn from `left` and `right`; `None` when no combination is valid.
fn over_pairs(
    left: Types,
    right: Types,
    pair: impl Fn(Types, Types) -> Option<Types>,
) -> Option<Types> {
    let mut out: Option<Types> = None;
    for a in SINGLE_TYPES.into_iter().filter(|t| left.intersects(*t)) {
        for b in SINGLE_TYPES.into_iter().filter(|t| right.intersects(*t)) {
            if let Some(r) = pair(a, b) {
                out = Some(out.map_or(r, |o| o.or(r)));
            }
        }
    }
    out
}

/// For semantic analysis: the types `left op right` may have when the
/// operands may have the given types, or `None` when every combination is
/// a type error (e.g. `'Clara' % 2`, `1 IN 123`, `123 AND true`), which
/// analysis reports as `SyntaxError`/`InvalidArgumentType`. Pass
/// [`Types::ANY`] for an operand whose type is unknown.
pub fn binary_types(op: BinaryOp, left: Types, right: Types) -> Option<Types> {
    over_pairs(left, right, |a, b| binary_pair(op, a, b))
}

/// For semantic analysis: the types `op v` may have, or `None` when it
/// always fails (see [`binary_types`]).
pub fn unary_types(op: UnaryOp, operand: Types) -> Option<Types> {
    over_pairs(operand, Types::NULL, |t, _| match op {
        UnaryOp::Not => {
            (t == Types::BOOLEAN || t == Types::NULL).then_some(Types::BOOLEAN.or(Types::NULL))
        }
        UnaryOp::Neg | UnaryOp::Plus => (t == Types::NULL || is_number(t)).then_some(t),
    })
}

/// For semantic analysis: whether `v.key` can succeed for a `v` of the
/// given types (nodes, relationships, maps and null have properties).
pub fn property_types(container: Types) -> Option<Types> {
    container
        .intersects(
            Types::NULL
                .or(Types::MAP)
                .or(Types::NODE)
                .or(Types::RELATIONSHIP),
        )
        .then_some(Types::ANY)
}

/// For semantic analysis: the types `container[idx]` may have, or `None`
/// when it always fails.
pub fn index_types(container: Types, idx: Types) -> Option<Types> {
    over_pairs(container, idx, |c, i| {
        if c == Types::NULL || i == Types::NULL {
            Some(Types::NULL)
        } else if (c == Types::LIST && i == Types::INTEGER)
            || ((c == Types::MAP || c == Types::NODE || c == Types::RELATIONSHIP)
                && i == Types::STRING)
        {
            Some(Types::ANY)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {

    /// `holds` answers as the full operator read as a filter would, on
    /// every pair of a mix of types, nulls, NaN and equal numbers.
    #[test]
    fn holds_agrees_with_binary_read_as_a_filter() {
        let values = [
            Value::Null,
            Value::Bool(true),
            Value::Int(1),
            Value::Float(1.0),
            Value::Float(f64::NAN),
            Value::Int(2),
            Value::from("a"),
            Value::from("b"),
            Value::List(vec![Value::Int(1)]),
            Value::List(vec![Value::Null]),
        ];
        let ops = [
            BinaryOp::Eq,
            BinaryOp::Ne,
            BinaryOp::Lt,
            BinaryOp::Le,
            BinaryOp::Gt,
            BinaryOp::Ge,
        ];
        for op in ops {
            for a in &values {
                for b in &values {
                    let general = binary(op, a, b).and_then(|v| is_true(&v)).unwrap();
                    assert_eq!(holds(op, a, b), Some(general), "{a:?} {op:?} {b:?}");
                }
            }
        }
        assert_eq!(holds(BinaryOp::Add, &Value::Int(1), &Value::Int(2)), None);
    }
    use super::*;

    #[test]
    fn contains_finds_substrings_in_short_and_long_strings() {
        let long = format!("{}ova{}", "x".repeat(100), "y".repeat(10));
        for (h, n, want) in [
            ("Ivanova", "ova", true),
            ("Ivanov", "ova", false),
            ("ova", "ova", true),
            ("ov", "ova", false),
            ("", "", true),
            ("abc", "", true),
            ("Zürich", "üri", true),
            ("Zürich", "ür", true),
            (long.as_str(), "ova", true),
            (long.as_str(), "ovb", false),
        ] {
            assert_eq!(contains(h, n), want, "{h:?} CONTAINS {n:?}");
        }
    }
    use BinaryOp::*;
    use Value::{Bool, Float, Int, List, Null};
    use std::collections::BTreeMap;

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn list(items: &[Value]) -> Value {
        List(items.to_vec())
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn bin(op: BinaryOp, a: Value, b: Value) -> Value {
        binary(op, &a, &b).expect("operator succeeds")
    }

    fn err(op: BinaryOp, a: Value, b: Value) -> (ErrorKind, &'static str) {
        let e = binary(op, &a, &b).expect_err("operator fails");
        assert_eq!(e.phase, crate::error::Phase::Runtime);
        assert!(e.span.is_none());
        (e.kind, e.detail)
    }

    #[test]
    fn equality_of_numbers_crosses_integer_and_float_but_not_strings() {
        assert_eq!(equals(&Int(1), &Float(1.0)), Some(true));
        assert_eq!(equals(&Float(1.0), &Float(1.0)), Some(true));
        assert_eq!(equals(&s("1.0"), &Float(1.0)), Some(false));
        assert_eq!(equals(&s("1"), &Int(1)), Some(false));
        // 2^62 + 1 is not exactly representable as a float.
        let big = 4_611_686_018_427_387_905_i64;
        assert_eq!(equals(&Int(big), &Float(big as f64)), Some(false));
        assert_eq!(
            equals(&Int(big), &Int(4_611_686_018_427_387_900)),
            Some(false)
        );
    }

    #[test]
    fn nan_equals_nothing_and_compares_false() {
        let nan = Float(f64::NAN);
        for other in [Int(1), Float(1.0), nan.clone(), s("a")] {
            assert_eq!(bin(Eq, nan.clone(), other.clone()), Bool(false));
            assert_eq!(bin(Ne, nan.clone(), other.clone()), Bool(true));
        }
        for op in [Lt, Le, Gt, Ge] {
            assert_eq!(bin(op, nan.clone(), Int(1)), Bool(false));
            assert_eq!(bin(op, nan.clone(), Float(1.0)), Bool(false));
            assert_eq!(bin(op, nan.clone(), nan.clone()), Bool(false));
            assert_eq!(bin(op, nan.clone(), s("a")), Null);
        }
    }

    #[test]
    fn null_is_neither_equal_nor_unequal_to_null() {
        assert_eq!(bin(Eq, Null, Null), Null);
        assert_eq!(bin(Ne, Null, Null), Null);
        assert_eq!(bin(Eq, Int(1), Null), Null);
    }

    #[test]
    fn list_equality_is_three_valued_and_length_first() {
        assert_eq!(bin(Eq, list(&[Int(1), Int(2)]), s("foo")), Bool(false));
        assert_eq!(bin(Eq, list(&[Int(1)]), list(&[Int(1), Null])), Bool(false));
        assert_eq!(
            bin(Eq, list(&[Int(1), Int(2)]), list(&[Null, s("foo")])),
            Bool(false)
        );
        assert_eq!(
            bin(Eq, list(&[Int(1), Int(2)]), list(&[Null, Int(2)])),
            Null
        );
        assert_eq!(bin(Eq, list(&[Null]), list(&[Int(1)])), Null);
        assert_eq!(bin(Eq, list(&[s("a")]), list(&[Int(1)])), Bool(false));
        let one = list(&[Int(1)]);
        let null_list = list(&[Null]);
        assert_eq!(
            bin(
                Eq,
                list(&[one.clone(), list(&[Int(2)])]),
                list(&[one.clone(), null_list.clone()])
            ),
            Null
        );
        assert_eq!(
            bin(
                Eq,
                list(&[one.clone(), list(&[Int(2), Int(3)])]),
                list(&[one.clone(), null_list])
            ),
            Bool(false)
        );
        assert_eq!(
            bin(
                Eq,
                list(std::slice::from_ref(&one)),
                list(&[one.clone(), list(&[Null])])
            ),
            Bool(false)
        );
    }

    #[test]
    fn map_equality_needs_the_same_keys_then_compares_values() {
        let n = || Null;
        assert_eq!(bin(Eq, map(&[]), map(&[])), Bool(true));
        assert_eq!(
            bin(Eq, map(&[("k", Float(1.0))]), map(&[("k", Float(1.0))])),
            Bool(true)
        );
        assert_eq!(bin(Eq, map(&[]), map(&[("k", n())])), Bool(false));
        assert_eq!(
            bin(Eq, map(&[("k", Int(1))]), map(&[("k", Int(1)), ("l", n())])),
            Bool(false)
        );
        assert_eq!(
            bin(Eq, map(&[("k", n()), ("l", Int(1))]), map(&[("l", Int(1))])),
            Bool(false)
        );
        assert_eq!(bin(Eq, map(&[("k", n())]), map(&[("k", n())])), Null);
        assert_eq!(bin(Eq, map(&[("k", Int(1))]), map(&[("k", n())])), Null);
        assert_eq!(
            bin(
                Eq,
                map(&[("k", Int(1)), ("l", n())]),
                map(&[("k", Int(1)), ("l", Int(1))])
            ),
            Null
        );
    }

    #[test]
    fn comparison_across_types_is_null_except_numbers() {
        let values = [
            Value::Node(NodeId(0)),
            Value::Rel(RelId(0)),
            s(""),
            Int(1),
            Float(2.5),
            Bool(true),
            Null,
            list(&[]),
            map(&[]),
        ];
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if i == j {
                    continue;
                }
                let lt = bin(Lt, a.clone(), b.clone());
                let numbers = matches!((a, b), (Int(_), Float(_)) | (Float(_), Int(_)));
                assert_eq!(lt.is_null(), !numbers, "{a} < {b} gave {lt}");
            }
        }
        assert_eq!(bin(Lt, Int(1), Float(2.5)), Bool(true));
        assert_eq!(bin(Ge, Float(2.5), Int(1)), Bool(true));
        assert_eq!(bin(Lt, s("1"), Int(1)), Null);
        assert_eq!(bin(Lt, Int(1), Float(1.0)), Bool(false));
    }

    #[test]
    fn lists_compare_lexicographically_until_a_null() {
        assert_eq!(
            bin(Ge, list(&[Int(1), Int(0)]), list(&[Int(1)])),
            Bool(true)
        );
        assert_eq!(bin(Ge, list(&[Int(1), Null]), list(&[Int(1)])), Bool(true));
        assert_eq!(
            bin(Ge, list(&[Int(1), Int(2)]), list(&[Int(1), Null])),
            Null
        );
        assert_eq!(
            bin(Ge, list(&[Int(1), s("a")]), list(&[Int(1), Null])),
            Null
        );
        assert_eq!(
            bin(Ge, list(&[Int(1), Int(2)]), list(&[Int(3), Null])),
            Bool(false)
        );
        assert_eq!(bin(Lt, list(&[Int(1), Int(2)]), Bool(false)), Null);
    }

    #[test]
    fn booleans_and_strings_are_ordered() {
        assert_eq!(bin(Ge, Bool(true), Bool(false)), Bool(true));
        assert_eq!(bin(Lt, Bool(true), Bool(false)), Bool(false));
        assert_eq!(bin(Lt, s("a"), s("b")), Bool(true));
        assert_eq!(bin(Le, s("c"), s("c")), Bool(true));
        assert_eq!(compare(&s("B"), &s("a")), Some(Ordering::Less));
        assert_eq!(compare(&Int(2), &Null), None);
    }

    #[test]
    fn boolean_logic_is_three_valued() {
        let t = || Bool(true);
        let f = || Bool(false);
        assert_eq!(bin(And, t(), Null), Null);
        assert_eq!(bin(And, f(), Null), f());
        assert_eq!(bin(And, Null, f()), f());
        assert_eq!(bin(Or, t(), Null), t());
        assert_eq!(bin(Or, f(), Null), Null);
        assert_eq!(bin(Xor, t(), Null), Null);
        assert_eq!(bin(Xor, t(), f()), t());
        assert_eq!(bin(Xor, t(), t()), f());
        assert_eq!(not(&Null), Ok(Null));
        assert_eq!(not(&t()), Ok(f()));
        assert_eq!(is_true(&Null), Ok(false));
        assert_eq!(is_true(&t()), Ok(true));
    }

    #[test]
    fn boolean_operators_reject_non_booleans_even_beside_false() {
        for op in [And, Or, Xor] {
            assert_eq!(
                err(op, Int(123), Bool(true)),
                (ErrorKind::TypeError, "InvalidArgumentType")
            );
            assert_eq!(
                err(op, Float(123.4), Null),
                (ErrorKind::TypeError, "InvalidArgumentType")
            );
            assert_eq!(
                err(op, Bool(false), list(&[Bool(true)])).0,
                ErrorKind::TypeError
            );
        }
        assert_eq!(not(&Int(0)).map_err(|e| e.kind), Err(ErrorKind::TypeError));
        assert!(is_true(&s("true")).is_err());
    }

    #[test]
    fn integer_arithmetic_detects_overflow() {
        assert_eq!(bin(Add, Int(i64::MAX - 1), Int(1)), Int(i64::MAX));
        for (op, a, b) in [
            (Add, i64::MAX, 1),
            (Sub, i64::MIN, 1),
            (Mul, i64::MAX, 2),
            (Div, i64::MIN, -1),
        ] {
            assert_eq!(
                err(op, Int(a), Int(b)),
                (ErrorKind::ArithmeticError, "IntegerOverflow")
            );
        }
        assert_eq!(
            unary(UnaryOp::Neg, &Int(i64::MIN)).map_err(|e| e.detail),
            Err("IntegerOverflow")
        );
        assert_eq!(unary(UnaryOp::Neg, &Int(3)), Ok(Int(-3)));
        assert_eq!(unary(UnaryOp::Plus, &Float(3.5)), Ok(Float(3.5)));
        let zero = unary(UnaryOp::Neg, &Float(0.0));
        assert!(matches!(zero, Ok(Float(z)) if z == 0.0 && z.is_sign_positive()));
        assert_eq!(unary(UnaryOp::Neg, &Float(-1.5)), Ok(Float(1.5)));
        assert_eq!(unary(UnaryOp::Neg, &Null), Ok(Null));
        assert!(unary(UnaryOp::Neg, &s("a")).is_err());
    }

    #[test]
    fn arithmetic_promotes_to_float_and_follows_precedence_examples() {
        assert_eq!(bin(Add, Int(1), Float(2.5)), Float(3.5));
        // 12 / 4 * 3 - 2 * 4 = 1
        let a = bin(Mul, bin(Div, Int(12), Int(4)), Int(3));
        assert_eq!(bin(Sub, a, bin(Mul, Int(2), Int(4))), Int(1));
        assert_eq!(bin(Div, Int(7), Int(2)), Int(3));
        assert_eq!(bin(Div, Int(-7), Int(2)), Int(-3));
        assert_eq!(bin(Mod, Int(-7), Int(2)), Int(-1));
        assert_eq!(bin(Mod, Int(i64::MIN), Int(-1)), Int(0));
        assert_eq!(bin(Mod, Float(7.5), Int(2)), Float(1.5));
        assert_eq!(bin(Pow, Int(4), Int(3)), Float(64.0));
        assert_eq!(bin(Pow, Int(-3), Int(2)), Float(9.0));
        assert_eq!(bin(Add, Int(1), Null), Null);
    }

    #[test]
    fn division_by_zero_is_an_error_for_integers_only() {
        assert_eq!(
            err(Div, Int(1), Int(0)),
            (ErrorKind::ArithmeticError, "DivisionByZero")
        );
        assert_eq!(
            err(Mod, Int(1), Int(0)),
            (ErrorKind::ArithmeticError, "DivisionByZero")
        );
        assert_eq!(bin(Div, Int(1), Float(0.0)), Float(f64::INFINITY));
        let nan = bin(Div, Float(0.0), Float(0.0));
        assert!(matches!(nan, Float(f) if f.is_nan()));
    }

    #[test]
    fn plus_concatenates_strings_and_lists() {
        assert_eq!(bin(Add, s("ab"), s("c")), s("abc"));
        assert_eq!(bin(Add, s("a"), Int(1)), s("a1"));
        assert_eq!(bin(Add, Float(1.0), s("a")), s("1.0a"));
        assert_eq!(
            bin(
                Add,
                list(&[Int(1), Int(10), Int(100)]),
                list(&[Int(4), Int(5)])
            ),
            list(&[Int(1), Int(10), Int(100), Int(4), Int(5)])
        );
        assert_eq!(
            bin(Add, list(&[Bool(false), Bool(true)]), Bool(false)),
            list(&[Bool(false), Bool(true), Bool(false)])
        );
        assert_eq!(bin(Add, Int(0), list(&[Int(1)])), list(&[Int(0), Int(1)]));
        assert_eq!(
            err(Add, Bool(true), Int(1)),
            (ErrorKind::TypeError, "InvalidArgumentType")
        );
        assert_eq!(err(Sub, s("a"), Int(1)).0, ErrorKind::TypeError);
    }

    #[test]
    fn in_is_three_valued_over_the_list() {
        let l = |v: &[Value]| list(v);
        assert_eq!(bin(In, Int(3), l(&[Int(1), Null, Int(3)])), Bool(true));
        assert_eq!(bin(In, Int(4), l(&[Int(1), Null, Int(3)])), Null);
        assert_eq!(bin(In, Int(1), l(&[s("1"), Int(2)])), Bool(false));
        assert_eq!(
            bin(In, l(&[Int(1), Int(2)]), l(&[Int(1), Int(2)])),
            Bool(false)
        );
        assert_eq!(
            bin(In, l(&[Int(1)]), l(&[Int(1), Int(2), l(&[Int(1)])])),
            Bool(true)
        );
        assert_eq!(bin(In, Null, l(&[Null])), Null);
        assert_eq!(bin(In, Null, l(&[])), Bool(false));
        assert_eq!(bin(In, Null, Null), Null);
        assert_eq!(bin(In, l(&[]), l(&[])), Bool(false));
        assert_eq!(bin(In, l(&[]), l(&[Int(1), Int(2), Null])), Null);
        assert_eq!(
            bin(
                In,
                l(&[Int(1), Int(2)]),
                l(&[l(&[Null, Int(2)]), l(&[Int(1), Int(3)])])
            ),
            Null
        );
        assert_eq!(
            bin(
                In,
                l(&[Int(1), Int(2)]),
                l(&[l(&[Null, Int(2)]), l(&[Int(1), Int(2)])])
            ),
            Bool(true)
        );
        assert_eq!(bin(In, l(&[Int(1)]), l(&[l(&[Int(1), Null])])), Bool(false));
        assert_eq!(
            err(In, Int(1), Int(123)),
            (ErrorKind::TypeError, "InvalidArgumentType")
        );
    }

    #[test]
    fn string_predicates_are_null_unless_both_sides_are_strings() {
        assert_eq!(bin(StartsWith, s("ABCDEF"), s("ABC")), Bool(true));
        assert_eq!(bin(StartsWith, s("ABCDEF"), s("")), Bool(true));
        assert_eq!(bin(EndsWith, s("ABCDEF"), s("DEF")), Bool(true));
        assert_eq!(bin(EndsWith, s("AB"), s("ABCDEF")), Bool(false));
        assert_eq!(bin(Contains, s("Foo\nFoo"), s("\n")), Bool(true));
        let operands = [Int(1), Float(2.5), Bool(true), list(&[]), map(&[]), Null];
        for op in [StartsWith, EndsWith, Contains] {
            for a in &operands {
                for b in &operands {
                    assert_eq!(bin(op, a.clone(), b.clone()), Null);
                }
            }
            assert_eq!(bin(op, s("abc"), Null), Null);
        }
    }

    #[test]
    fn regex_matches_the_whole_string() {
        assert_eq!(bin(RegexMatch, s("abc"), s("a.c")), Bool(true));
        assert_eq!(bin(RegexMatch, s("xabc"), s("a.c")), Bool(false));
        assert_eq!(bin(RegexMatch, s("ab"), s("a|ab")), Bool(true));
        assert_eq!(bin(RegexMatch, s("abc"), s("a.c")), Bool(true));
        assert_eq!(bin(RegexMatch, Null, s("a")), Null);
        assert_eq!(
            err(RegexMatch, s("a"), s("(")),
            (ErrorKind::ArgumentError, "InvalidArgumentValue")
        );
    }

    #[test]
    fn list_indexing_counts_negative_from_the_end_and_nulls_out_of_range() {
        let g = Graph::new();
        let l = list(&[Int(1), Int(2), Int(3)]);
        assert_eq!(index(&g, &l, &Int(0)), Ok(Int(1)));
        assert_eq!(index(&g, &l, &Int(-1)), Ok(Int(3)));
        assert_eq!(index(&g, &l, &Int(3)), Ok(Null));
        assert_eq!(index(&g, &l, &Int(-4)), Ok(Null));
        assert_eq!(index(&g, &l, &Int(i64::MIN)), Ok(Null));
        assert_eq!(index(&g, &l, &Null), Ok(Null));
        assert_eq!(index(&g, &Null, &s("x")), Ok(Null));
        for bad in [
            Bool(true),
            Float(4.7),
            s("1"),
            list(&[Int(1)]),
            map(&[("x", Int(3))]),
        ] {
            assert_eq!(
                index(&g, &l, &bad).map_err(|e| e.kind),
                Err(ErrorKind::TypeError)
            );
        }
        for bad in [Bool(true), Int(123), Float(4.7), s("1")] {
            assert_eq!(
                index(&g, &bad, &Int(0)).map_err(|e| (e.kind, e.detail)),
                Err((ErrorKind::TypeError, "InvalidArgumentType"))
            );
        }
    }

    #[test]
    fn map_indexing_is_case_sensitive_and_needs_a_string() {
        let g = Graph::new();
        let m = map(&[("name", s("Mats")), ("Name", s("Pontus"))]);
        assert_eq!(index(&g, &m, &s("Name")), Ok(s("Pontus")));
        assert_eq!(index(&g, &m, &s("nAMe")), Ok(Null));
        for bad in [Int(0), Float(12.3)] {
            assert_eq!(
                index(&g, &m, &bad).map_err(|e| (e.kind, e.detail)),
                Err((ErrorKind::TypeError, "MapElementAccessByNonString"))
            );
        }
    }

    #[test]
    fn slices_clamp_and_null_bounds_give_null() {
        let l = list(&[Int(1), Int(2), Int(3)]);
        let sl =
            |a: Option<Value>, b: Option<Value>| slice(&l, a.as_ref(), b.as_ref()).expect("slice");
        assert_eq!(sl(Some(Int(1)), Some(Int(3))), list(&[Int(2), Int(3)]));
        assert_eq!(sl(Some(Int(1)), None), list(&[Int(2), Int(3)]));
        assert_eq!(sl(None, Some(Int(2))), list(&[Int(1), Int(2)]));
        assert_eq!(sl(Some(Int(0)), Some(Int(0))), list(&[]));
        assert_eq!(sl(Some(Int(-3)), Some(Int(-1))), list(&[Int(1), Int(2)]));
        assert_eq!(sl(Some(Int(3)), Some(Int(1))), list(&[]));
        assert_eq!(sl(Some(Int(-5)), Some(Int(5))), l.clone());
        assert_eq!(sl(Some(Null), Some(Int(3))), Null);
        assert_eq!(sl(None, Some(Null)), Null);
        assert_eq!(slice(&Null, None, None), Ok(Null));
        assert!(slice(&s("abc"), None, None).is_err());
        assert!(slice(&l, Some(&Float(1.0)), None).is_err());
    }

    #[test]
    fn properties_of_elements_maps_and_null() {
        let mut g = Graph::new();
        let n = g.add_node(["A"], [("existing", Int(42)), ("missing", Null)]);
        let m = g.add_node(["B"], Vec::<(&str, Value)>::new());
        let r = g.add_rel(n, m, "REL", [("w", Float(0.5))]).expect("rel");
        assert_eq!(property(&g, &Value::Node(n), "existing"), Ok(Int(42)));
        assert_eq!(property(&g, &Value::Node(n), "missing"), Ok(Null));
        assert_eq!(property(&g, &Value::Node(n), "neverUsedKey"), Ok(Null));
        assert_eq!(property(&g, &Value::Rel(r), "w"), Ok(Float(0.5)));
        assert_eq!(index(&g, &Value::Node(n), &s("existing")), Ok(Int(42)));
        assert_eq!(property(&g, &map(&[("k", Int(1))]), "k"), Ok(Int(1)));
        assert_eq!(property(&g, &Null, "k"), Ok(Null));
        for bad in [
            Int(123),
            Float(42.45),
            Bool(true),
            s("string"),
            list(&[Int(123)]),
        ] {
            assert_eq!(
                property(&g, &bad, "num").map_err(|e| (e.kind, e.detail)),
                Err((ErrorKind::TypeError, "InvalidArgumentType"))
            );
        }
        g.delete_rel(r);
        assert_eq!(
            property(&g, &Value::Rel(r), "w").map_err(|e| (e.kind, e.detail)),
            Err((ErrorKind::EntityNotFound, "DeletedEntityAccess"))
        );
        g.delete_node(n).expect("no relationships left");
        assert_eq!(
            property(&g, &Value::Node(n), "existing").map_err(|e| e.detail),
            Err("DeletedEntityAccess")
        );
    }

    #[test]
    fn static_types_flag_operations_that_always_fail() {
        let t = Types::BOOLEAN.or(Types::NULL);
        assert_eq!(binary_types(Mod, Types::STRING, Types::INTEGER), None);
        assert_eq!(binary_types(Mod, Types::BOOLEAN, Types::INTEGER), None);
        assert_eq!(binary_types(In, Types::INTEGER, Types::INTEGER), None);
        assert_eq!(binary_types(In, Types::INTEGER, Types::MAP), None);
        assert_eq!(binary_types(And, Types::INTEGER, Types::BOOLEAN), None);
        assert_eq!(binary_types(Or, Types::FLOAT, Types::NULL), None);
        assert_eq!(binary_types(Xor, Types::LIST, Types::LIST), None);
        assert_eq!(unary_types(UnaryOp::Not, Types::INTEGER), None);
        assert_eq!(unary_types(UnaryOp::Not, Types::MAP), None);
        assert_eq!(property_types(Types::INTEGER), None);
        assert_eq!(property_types(Types::LIST), None);
        assert_eq!(index_types(Types::LIST, Types::STRING), None);
        assert_eq!(index_types(Types::INTEGER, Types::INTEGER), None);
        // What may succeed is let through, with its result types.
        assert_eq!(binary_types(And, Types::BOOLEAN, Types::NULL), Some(t));
        assert_eq!(
            binary_types(Mod, Types::ANY, Types::INTEGER),
            Some(Types::NULL.or(Types::NUMBER))
        );
        assert_eq!(
            binary_types(Add, Types::INTEGER, Types::INTEGER),
            Some(Types::INTEGER)
        );
        assert_eq!(
            binary_types(Add, Types::STRING, Types::FLOAT),
            Some(Types::STRING)
        );
        assert_eq!(
            binary_types(Add, Types::NODE, Types::LIST),
            Some(Types::LIST)
        );
        assert_eq!(
            binary_types(Pow, Types::INTEGER, Types::INTEGER),
            Some(Types::FLOAT)
        );
        assert_eq!(binary_types(In, Types::ANY, Types::LIST), Some(t));
        assert_eq!(binary_types(Lt, Types::NODE, Types::MAP), Some(t));
        assert_eq!(
            unary_types(UnaryOp::Neg, Types::INTEGER),
            Some(Types::INTEGER)
        );
        assert_eq!(property_types(Types::ANY), Some(Types::ANY));
        assert_eq!(index_types(Types::MAP, Types::STRING), Some(Types::ANY));
    }

    #[test]
    fn static_types_agree_with_evaluation() {
        let g = Graph::new();
        let samples = [
            Null,
            Bool(true),
            Int(2),
            Float(1.5),
            s("a"),
            list(&[Int(1)]),
            map(&[("a", Int(1))]),
            Value::Node(NodeId(0)),
            Value::Rel(RelId(0)),
            Value::Path(Box::new(crate::graph::Path {
                nodes: vec![NodeId(0)],
                rels: vec![],
            })),
        ];
        let ops = [
            And, Or, Xor, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod, Pow, In, StartsWith,
            EndsWith, Contains, RegexMatch,
        ];
        for op in ops {
            for a in &samples {
                for b in &samples {
                    let predicted = binary_types(op, Types::of(a), Types::of(b));
                    match binary(op, a, b) {
                        Ok(v) => assert!(
                            predicted.is_some_and(|t| t.intersects(Types::of(&v))),
                            "{op:?} {a} {b} gave {v}, predicted {predicted:?}"
                        ),
                        Err(e) => assert!(
                            predicted.is_none(),
                            "{op:?} {a} {b} failed ({e}), predicted {predicted:?}"
                        ),
                    }
                }
            }
        }
        for op in [UnaryOp::Not, UnaryOp::Neg, UnaryOp::Plus] {
            for a in &samples {
                let predicted = unary_types(op, Types::of(a));
                assert_eq!(unary(op, a).is_ok(), predicted.is_some(), "{op:?} {a}");
            }
        }
        for c in &samples {
            for i in &samples {
                // Node and relationship lookups need the element in the graph.
                if matches!(c, Value::Node(_) | Value::Rel(_)) {
                    continue;
                }
                let predicted = index_types(Types::of(c), Types::of(i));
                assert_eq!(index(&g, c, i).is_ok(), predicted.is_some(), "{c}[{i}]");
            }
            if !matches!(c, Value::Node(_) | Value::Rel(_)) {
                assert_eq!(
                    property(&g, c, "k").is_ok(),
                    property_types(Types::of(c)).is_some(),
                    "{c}.k"
                );
            }
        }
    }

    fn quantify(q: Quantifier, results: &[Value]) -> Value {
        let mut fold = Quantification::new(q);
        for r in results {
            if let Some(answer) = fold.push(r).expect("boolean results") {
                return Bool(answer);
            }
        }
        fold.finish()
    }

    #[test]
    fn quantifiers_are_three_valued() {
        let (t, f) = (Bool(true), Bool(false));
        // [null], [0, null], [2, null] with x = 2.
        let cases = [
            vec![Null],
            vec![f.clone(), Null],
            vec![t.clone(), Null],
            vec![],
        ];
        let expect = |q, answers: [Value; 4]| {
            for (case, answer) in cases.iter().zip(answers) {
                assert_eq!(quantify(q, case), answer, "{q:?} over {case:?}");
            }
        };
        expect(Quantifier::None, [Null, Null, f.clone(), t.clone()]);
        expect(Quantifier::Any, [Null, Null, t.clone(), f.clone()]);
        expect(Quantifier::All, [Null, f.clone(), Null, t.clone()]);
        expect(Quantifier::Single, [Null, Null, Null, f.clone()]);
        assert_eq!(quantify(Quantifier::Single, &[t.clone(), f.clone()]), t);
        assert_eq!(
            quantify(Quantifier::Single, &[t.clone(), Null, t.clone()]),
            f
        );
        assert!(Quantification::new(Quantifier::All).push(&Int(1)).is_err());
    }
}
