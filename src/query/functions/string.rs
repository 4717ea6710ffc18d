//! Functions on strings. Positions and lengths count characters (Unicode
//! scalar values), not bytes.

use super::{invalid_arg, out_of_range};
use crate::error::QueryError;
use crate::graph::{Graph, Value};

fn string_arg<'a>(function: &str, v: &'a Value) -> Result<Option<&'a str>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(invalid_arg(function, "a String", other)),
    }
}

/// A non-negative count or position; `None` for null.
fn count_arg(function: &str, what: &str, v: &Value) -> Result<Option<usize>, QueryError> {
    match v {
        Value::Null => Ok(None),
        Value::Int(i) if *i < 0 => Err(out_of_range(
            function,
            format!("{what} must not be negative, but is {i}"),
        )),
        Value::Int(i) => Ok(Some(usize::try_from(*i).unwrap_or(usize::MAX))),
        other => Err(invalid_arg(function, &format!("an Integer {what}"), other)),
    }
}

fn map_string(function: &str, args: &[Value], f: fn(&str) -> String) -> Result<Value, QueryError> {
    Ok(string_arg(function, &args[0])?.map_or(Value::Null, |s| Value::String(f(s))))
}

/// `toLower(s)`.
pub(super) fn to_lower(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    map_string("toLower", args, str::to_lowercase)
}

/// `toUpper(s)`.
pub(super) fn to_upper(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    map_string("toUpper", args, str::to_uppercase)
}

/// Trims `args[0]` at the ends `start` and `end`: whitespace, or repeated
/// occurrences of the optional second argument.
fn trim_ends(function: &str, args: &[Value], start: bool, end: bool) -> Result<Value, QueryError> {
    let s = string_arg(function, &args[0])?;
    let pattern = match args.get(1) {
        Some(v) => match string_arg(function, v)? {
            Some(p) => Some(p),
            None => return Ok(Value::Null),
        },
        None => None,
    };
    let Some(mut s) = s else {
        return Ok(Value::Null);
    };
    match pattern {
        None => {
            if start {
                s = s.trim_start();
            }
            if end {
                s = s.trim_end();
            }
        }
        Some(p) if !p.is_empty() => {
            if start {
                s = s.trim_start_matches(p);
            }
            if end {
                s = s.trim_end_matches(p);
            }
        }
        Some(_) => {}
    }
    Ok(Value::from(s))
}

/// `trim(s [, chars])` (also `btrim`): without leading and trailing
/// whitespace, or occurrences of `chars`.
pub(super) fn trim(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    trim_ends("trim", args, true, true)
}

/// `ltrim(s [, chars])`: without leading whitespace (or `chars`).
pub(super) fn ltrim(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    trim_ends("ltrim", args, true, false)
}

/// `rtrim(s [, chars])`: without trailing whitespace (or `chars`).
pub(super) fn rtrim(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    trim_ends("rtrim", args, false, true)
}

/// `char_length(s)`: the number of characters, as `size(s)`.
pub(super) fn char_length(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(string_arg("char_length", &args[0])?
        .map_or(Value::Null, |s| Value::Int(s.chars().count() as i64)))
}

/// `replace(original, search, replacement)`: every occurrence replaced.
pub(super) fn replace(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let original = string_arg("replace", &args[0])?;
    let search = string_arg("replace", &args[1])?;
    let replacement = string_arg("replace", &args[2])?;
    Ok(match (original, search, replacement) {
        (Some(o), Some(s), Some(r)) => Value::String(o.replace(s, r)),
        _ => Value::Null,
    })
}

/// `split(s, delimiter)`: the pieces between occurrences of the delimiter
/// (or of any of a list of delimiters), keeping empty pieces; an empty
/// delimiter splits into characters.
pub(super) fn split(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let Some(s) = string_arg("split", &args[0])? else {
        return Ok(Value::Null);
    };
    let delimiters: Vec<&str> = match &args[1] {
        Value::Null => return Ok(Value::Null),
        Value::String(d) => vec![d.as_str()],
        Value::List(items) => {
            let mut ds = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(d) => ds.push(d.as_str()),
                    Value::Null => return Ok(Value::Null),
                    other => return Err(invalid_arg("split", "String delimiters", other)),
                }
            }
            ds
        }
        other => {
            return Err(invalid_arg(
                "split",
                "a String or a List of Strings as delimiter",
                other,
            ));
        }
    };
    let pieces = split_any(s, &delimiters);
    Ok(Value::List(pieces.into_iter().map(Value::from).collect()))
}

fn split_any<'a>(s: &'a str, delimiters: &[&str]) -> Vec<&'a str> {
    if delimiters.iter().all(|d| d.is_empty()) {
        return s
            .char_indices()
            .map(|(i, c)| &s[i..i + c.len_utf8()])
            .collect();
    }
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut i = 0;
    while i < s.len() {
        // The longest delimiter that matches here wins.
        let matched = delimiters
            .iter()
            .filter(|d| !d.is_empty() && s[i..].starts_with(**d))
            .map(|d| d.len())
            .max();
        match matched {
            Some(len) => {
                pieces.push(&s[piece_start..i]);
                i += len;
                piece_start = i;
            }
            None => i += s[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    pieces.push(&s[piece_start..]);
    pieces
}

/// The byte offset of character `n` of `s`, or `s.len()` past the end.
fn char_offset(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// `substring(s, start [, length])`: characters from `start` (0-based).
pub(super) fn substring(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let s = string_arg("substring", &args[0])?;
    let start = count_arg("substring", "the start", &args[1])?;
    let length = match args.get(2) {
        Some(v) => count_arg("substring", "the length", v)?.map(Some),
        None => Some(None),
    };
    let (Some(s), Some(start), Some(length)) = (s, start, length) else {
        return Ok(Value::Null);
    };
    let from = char_offset(s, start);
    let rest = &s[from..];
    let to = length.map_or(rest.len(), |n| char_offset(rest, n));
    Ok(Value::from(&rest[..to]))
}

/// `left(s, n)`: the first `n` characters.
pub(super) fn left(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let s = string_arg("left", &args[0])?;
    let n = count_arg("left", "the length", &args[1])?;
    Ok(match (s, n) {
        (Some(s), Some(n)) => Value::from(&s[..char_offset(s, n)]),
        _ => Value::Null,
    })
}

/// `right(s, n)`: the last `n` characters.
pub(super) fn right(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    let s = string_arg("right", &args[0])?;
    let n = count_arg("right", "the length", &args[1])?;
    Ok(match (s, n) {
        (Some(s), Some(n)) => {
            let len = s.chars().count();
            Value::from(&s[char_offset(s, len.saturating_sub(n))..])
        }
        _ => Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::graph::{Graph, Value};
    use crate::query::functions::call;
    use Value::{Int, Null};

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    fn f(name: &str, args: &[Value]) -> Value {
        call(&Graph::new(), name, args).expect(name)
    }

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|x| s(x)).collect())
    }

    #[test]
    fn substring_left_and_right_count_characters() {
        assert_eq!(f("substring", &[s("0123456789"), Int(1)]), s("123456789"));
        assert_eq!(f("substring", &[s("0123456789"), Int(1), Int(3)]), s("123"));
        assert_eq!(f("substring", &[s("héllo"), Int(1), Int(2)]), s("él"));
        assert_eq!(f("substring", &[s("abc"), Int(10)]), s(""));
        assert_eq!(f("substring", &[s("abc"), Int(1), Int(100)]), s("bc"));
        assert_eq!(f("left", &[s("héllo"), Int(2)]), s("hé"));
        assert_eq!(f("right", &[s("héllo"), Int(3)]), s("llo"));
        assert_eq!(f("right", &[s("abc"), Int(10)]), s("abc"));
        assert_eq!(f("left", &[Null, Int(2)]), Null);
        assert_eq!(f("substring", &[Null, Int(0)]), Null);
        let e = call(&Graph::new(), "substring", &[s("abc"), Int(-1)]).expect_err("negative");
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::ArgumentError, "NumberOutOfRange")
        );
        let e = call(&Graph::new(), "left", &[Int(1), Int(1)]).expect_err("not a string");
        assert_eq!(e.detail, "InvalidArgumentValue");
    }

    #[test]
    fn split_keeps_empty_pieces() {
        assert_eq!(f("split", &[s("one1two"), s("1")]), strs(&["one", "two"]));
        assert_eq!(f("split", &[s("a,,b,"), s(",")]), strs(&["a", "", "b", ""]));
        assert_eq!(f("split", &[s(","), s(",")]), strs(&["", ""]));
        assert_eq!(f("split", &[s("abc"), s("")]), strs(&["a", "b", "c"]));
        assert_eq!(
            f("split", &[s("a-b_c"), strs(&["-", "_"])]),
            strs(&["a", "b", "c"])
        );
        assert_eq!(f("split", &[s("abc"), Null]), Null);
    }

    #[test]
    fn case_trim_and_replace() {
        assert_eq!(f("toUpper", &[s("aBc")]), s("ABC"));
        assert_eq!(f("toLower", &[s("ÄBC")]), s("äbc"));
        assert_eq!(f("trim", &[s("  a b \n")]), s("a b"));
        assert_eq!(f("ltrim", &[s("  a ")]), s("a "));
        assert_eq!(f("rtrim", &[s("  a ")]), s("  a"));
        assert_eq!(f("btrim", &[s("xxaxx"), s("x")]), s("a"));
        assert_eq!(f("ltrim", &[s("xxaxx"), s("x")]), s("axx"));
        assert_eq!(f("rtrim", &[s("xxaxx"), s("x")]), s("xxa"));
        assert_eq!(f("trim", &[s("abc"), Null]), Null);
        assert_eq!(f("char_length", &[s("héllo")]), Int(5));
        assert_eq!(f("replace", &[s("hello"), s("l"), s("w")]), s("hewwo"));
        assert_eq!(f("replace", &[s("abc"), s(""), s("-")]), s("-a-b-c-"));
        assert_eq!(f("replace", &[s("abc"), Null, s("-")]), Null);
        for name in ["toUpper", "toLower", "trim", "ltrim", "rtrim"] {
            assert_eq!(f(name, &[Null]), Null);
            let e = call(&Graph::new(), name, &[Int(1)]).expect_err(name);
            assert_eq!(
                (e.kind, e.detail),
                (ErrorKind::TypeError, "InvalidArgumentValue")
            );
        }
    }
}
