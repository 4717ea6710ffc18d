//! A JSON reader that keeps the byte position of every value and key.
//!
//! serde_json reports where the text is malformed, but not where a
//! well-formed element sits, and the loaders must name the line and column
//! of a duplicate id or a dangling relationship as precisely as a syntax
//! error. This small reader keeps positions, tells integers from floats,
//! rejects integers beyond 64 bits and duplicate keys, and bounds nesting
//! so that no input can exhaust the stack.

use crate::error::{DataError, line_col};
use crate::graph::{Value, format_float};
use std::path::{Path, PathBuf};

/// Deepest nesting of arrays and objects accepted.
const MAX_DEPTH: usize = 256;

/// A JSON value with the byte offset where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Json {
    pub pos: usize,
    pub kind: JsonKind,
}

/// The kinds of JSON value; numbers are split into integers and floats by
/// their spelling (a fraction or exponent makes a float).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JsonKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// One `"key": value` of an object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub key: String,
    pub pos: usize,
    pub value: Json,
}

impl Json {
    /// A short name of the value's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Int(_) | JsonKind::Float(_) => "a number",
            JsonKind::Str(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }
}

/// Turns byte offsets into positioned [`DataError`]s for one text.
pub(crate) struct Source<'a> {
    pub text: &'a str,
    pub path: Option<PathBuf>,
}

impl<'a> Source<'a> {
    pub fn new(text: &'a str, path: Option<&Path>) -> Source<'a> {
        Source {
            text,
            path: path.map(Path::to_path_buf),
        }
    }

    /// An error at byte `pos`.
    pub fn error(&self, pos: usize, message: impl Into<String>) -> DataError {
        let (line, column) = line_col(self.text, pos);
        let mut e = DataError::new(message).at(line, column);
        if let Some(p) = &self.path {
            e = e.in_file(p);
        }
        e
    }
}

/// Parses `text` as one JSON document.
pub(crate) fn parse(src: &Source<'_>) -> Result<Json, DataError> {
    let mut p = Parser {
        bytes: src.text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    if p.bytes.starts_with(b"\xEF\xBB\xBF") {
        p.pos = 3;
    }
    let value = p.value().map_err(|(pos, msg, hint)| {
        src.error(pos, msg)
            .with_hint(hint.unwrap_or_else(|| "fix the JSON syntax at this position".to_owned()))
    })?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(src
            .error(p.pos, "unexpected text after the end of the JSON document")
            .with_hint("a graph file holds exactly one JSON object"));
    }
    Ok(value)
}

type PResult<T> = Result<T, (usize, String, Option<String>)>;

struct Parser<'b> {
    bytes: &'b [u8],
    pos: usize,
    depth: usize,
}

fn fail<T>(pos: usize, msg: impl Into<String>) -> PResult<T> {
    Err((pos, msg.into(), None))
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            None => "the end of the file".to_owned(),
            Some(_) => {
                let rest = &self.bytes[self.pos..];
                let text = String::from_utf8_lossy(&rest[..rest.len().min(12)]);
                let c = text.chars().next().unwrap_or('?');
                format!("`{c}`")
            }
        }
    }

    fn value(&mut self) -> PResult<Json> {
        self.skip_ws();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => JsonKind::Str(self.string()?),
            Some(b't') => self.word("true", JsonKind::Bool(true))?,
            Some(b'f') => self.word("false", JsonKind::Bool(false))?,
            Some(b'n') => self.word("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => {
                return fail(
                    start,
                    format!("expected a JSON value, found {}", self.describe_here()),
                );
            }
        };
        Ok(Json { pos: start, kind })
    }

    fn word(&mut self, word: &str, kind: JsonKind) -> PResult<JsonKind> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            fail(
                self.pos,
                format!("expected a JSON value, found {}", self.describe_here()),
            )
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((
                self.pos,
                format!("nesting deeper than {MAX_DEPTH} levels"),
                Some("flatten the value; kgq bounds nesting to protect the stack".to_owned()),
            ));
        }
        Ok(())
    }

    fn array(&mut self) -> PResult<JsonKind> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(JsonKind::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return fail(
                        self.pos,
                        format!("expected `,` or `]`, found {}", self.describe_here()),
                    );
                }
            }
        }
        self.depth -= 1;
        Ok(JsonKind::Array(items))
    }

    fn object(&mut self) -> PResult<JsonKind> {
        self.enter()?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(JsonKind::Object(members));
        }
        loop {
            self.skip_ws();
            let key_pos = self.pos;
            if self.peek() != Some(b'"') {
                return fail(
                    self.pos,
                    format!(
                        "expected a key in double quotes, found {}",
                        self.describe_here()
                    ),
                );
            }
            let key = self.string()?;
            if members.iter().any(|m| m.key == key) {
                return Err((
                    key_pos,
                    format!("duplicate key `{key}`"),
                    Some("each key may appear once per object".to_owned()),
                ));
            }
            self.skip_ws();
            if self.peek() != Some(b':') {
                return fail(
                    self.pos,
                    format!("expected `:`, found {}", self.describe_here()),
                );
            }
            self.pos += 1;
            let value = self.value()?;
            members.push(Member {
                key,
                pos: key_pos,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return fail(
                        self.pos,
                        format!("expected `,` or `}}`, found {}", self.describe_here()),
                    );
                }
            }
        }
        self.depth -= 1;
        Ok(JsonKind::Object(members))
    }

    fn hex4(&mut self) -> PResult<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let parsed = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|s| u32::from_str_radix(s, 16).ok());
        match parsed {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => fail(self.pos, "expected four hex digits after `\\u`"),
        }
    }

    fn string(&mut self) -> PResult<String> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain bytes at once.
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and runs end at ASCII bytes, so this is valid UTF-8.
            out.push_str(&String::from_utf8_lossy(&self.bytes[run_start..self.pos]));
            match self.peek() {
                None => return fail(start, "string is not closed"),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let esc_pos = self.pos - 2;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.bytes[self.pos..].starts_with(b"\\u") {
                                    return fail(esc_pos, "unpaired surrogate in `\\u` escape");
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return fail(esc_pos, "unpaired surrogate in `\\u` escape");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => return fail(esc_pos, "unpaired surrogate in `\\u` escape"),
                            }
                        }
                        _ => return fail(self.pos - 2, "invalid escape in string"),
                    }
                }
                Some(_) => {
                    return Err((
                        self.pos,
                        "control character in string".to_owned(),
                        Some("write it as an escape such as `\\n` or `\\u0001`".to_owned()),
                    ));
                }
            }
        }
    }

    fn number(&mut self) -> PResult<JsonKind> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        if self.pos == int_start {
            return fail(start, "expected digits in number");
        }
        if self.bytes[int_start] == b'0' && self.pos - int_start > 1 {
            return fail(start, "numbers may not have leading zeros");
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.pos += 1;
            let frac = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            if self.pos == frac {
                return fail(start, "expected digits after the decimal point");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            is_float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            let exp = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            if self.pos == exp {
                return fail(start, "expected digits in the exponent");
            }
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("");
        if is_float {
            match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(JsonKind::Float(f)),
                _ => Err((
                    start,
                    format!("number {text} is out of the range of a 64-bit float"),
                    Some("write infinity as {\"~float\": \"Infinity\"}".to_owned()),
                )),
            }
        } else {
            match text.parse::<i64>() {
                Ok(i) => Ok(JsonKind::Int(i)),
                Err(_) => Err((
                    start,
                    format!("integer {text} does not fit in 64 bits"),
                    Some("write it as a float (with a `.0`) or as a string".to_owned()),
                )),
            }
        }
    }
}

/// Writes `s` as a JSON string literal.
pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes a property value as JSON: non-finite floats as
/// `{"~float": "NaN"}`, graph elements (never stored as properties) as
/// `null`.
pub(crate) fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null | Value::Node(_) | Value::Rel(_) | Value::Path(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_finite() => out.push_str(&format_float(*f)),
        Value::Float(f) => {
            out.push_str("{\"~float\": \"");
            out.push_str(&format_float(*f));
            out.push_str("\"}");
        }
        Value::String(s) => write_str(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str(out, k);
                out.push_str(": ");
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

/// Converts JSON to a value: arrays to lists, objects to maps, the
/// `{"~float": ...}` form to a non-finite float. Null is kept (lists and
/// maps may hold it); callers reject it where a property value stands.
pub(crate) fn to_value(json: &Json) -> Value {
    match &json.kind {
        JsonKind::Null => Value::Null,
        JsonKind::Bool(b) => Value::Bool(*b),
        JsonKind::Int(i) => Value::Int(*i),
        JsonKind::Float(f) => Value::Float(*f),
        JsonKind::Str(s) => Value::String(s.clone()),
        JsonKind::Array(items) => Value::List(items.iter().map(to_value).collect()),
        JsonKind::Object(members) => {
            if let Some(f) = special_float(members) {
                return Value::Float(f);
            }
            Value::Map(
                members
                    .iter()
                    .map(|m| (m.key.clone(), to_value(&m.value)))
                    .collect(),
            )
        }
    }
}

fn special_float(members: &[Member]) -> Option<f64> {
    match members {
        [m] if m.key == "~float" => match &m.value.kind {
            JsonKind::Str(s) => match s.as_str() {
                "NaN" => Some(f64::NAN),
                "Infinity" => Some(f64::INFINITY),
                "-Infinity" => Some(f64::NEG_INFINITY),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Json, DataError> {
        parse(&Source::new(text, None))
    }

    #[test]
    fn integers_and_floats_are_told_apart_by_spelling() {
        let v = parse_str("[1, 1.0, 1e2, -0, 9223372036854775807]").unwrap();
        let JsonKind::Array(items) = v.kind else {
            panic!("array expected")
        };
        let kinds: Vec<JsonKind> = items.into_iter().map(|j| j.kind).collect();
        assert_eq!(
            kinds,
            vec![
                JsonKind::Int(1),
                JsonKind::Float(1.0),
                JsonKind::Float(100.0),
                JsonKind::Int(0),
                JsonKind::Int(i64::MAX)
            ]
        );
    }

    #[test]
    fn values_remember_where_they_start() {
        let v = parse_str("{\n  \"a\": [true,\n  \"x\"]}").unwrap();
        let JsonKind::Object(m) = v.kind else {
            panic!("object expected")
        };
        assert_eq!(m[0].pos, 4);
        let JsonKind::Array(items) = &m[0].value.kind else {
            panic!("array expected")
        };
        assert_eq!(
            line_col("{\n  \"a\": [true,\n  \"x\"]}", items[1].pos),
            (3, 3)
        );
    }

    #[test]
    fn malformed_input_is_an_error_with_position() {
        let e = parse_str("{\"a\": 1,\n \"b\" 2}").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(6)));
        assert!(e.message.contains("expected `:`"), "{}", e.message);
        let e = parse_str("[18446744073709551616]").unwrap_err();
        assert!(e.message.contains("does not fit"));
        let e = parse_str("{\"a\": 1, \"a\": 2}").unwrap_err();
        assert!(e.message.contains("duplicate key"));
        assert!(parse_str("\"\\ud800\"").is_err());
        assert!(parse_str("[1,]").is_err());
        assert!(parse_str("").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(100_000);
        let e = parse_str(&text).unwrap_err();
        assert!(e.message.contains("nesting"));
    }

    #[test]
    fn escapes_round_trip() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\c\n\u{1}é😀");
        let v = parse_str(&s).unwrap();
        assert_eq!(v.kind, JsonKind::Str("a\"b\\c\n\u{1}é😀".to_owned()));
    }
}
