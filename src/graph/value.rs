//! Property and result values.
//!
//! The model follows openCypher's value types: null, boolean, 64-bit integer,
//! float, string, list and map for properties; nodes, relationships and paths
//! appear only in query results and refer to graph elements by their stable
//! ids ([`NodeId`], [`RelId`]).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The stable identity of a node. Never reused, never changed by deletions
/// of other elements; a petgraph index is never shown to users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u64);

/// The stable identity of a relationship (see [`NodeId`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelId(pub u64);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for RelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A path: `nodes[i]` and `nodes[i + 1]` are joined by `rels[i]`, in either
/// direction. A zero-length path holds one node and no relationships.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path {
    /// The nodes in path order.
    pub nodes: Vec<NodeId>,
    /// The relationships between consecutive nodes.
    pub rels: Vec<RelId>,
}

/// A value: a property value, or a graph element in a query result.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// The absent value.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit signed integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A UTF-8 string.
    String(String),
    /// A list of values.
    List(Vec<Value>),
    /// A map from string keys to values.
    Map(BTreeMap<String, Value>),
    /// A node of the graph the value came from.
    Node(NodeId),
    /// A relationship of the graph the value came from.
    Rel(RelId),
    /// A path through the graph the value came from (boxed: paths are
    /// rare, and two vectors inline would widen every value).
    Path(Box<Path>),
}

impl Value {
    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value may be stored as a property: null, booleans,
    /// numbers, strings, and lists and maps of those (Cypher itself allows
    /// only homogeneous lists of scalars; we are more lenient, as JSON is).
    pub fn is_storable(&self) -> bool {
        match self {
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::String(_) => {
                true
            }
            Value::List(items) => items.iter().all(Value::is_storable),
            Value::Map(map) => map.values().all(Value::is_storable),
            Value::Node(_) | Value::Rel(_) | Value::Path(_) => false,
        }
    }

    /// The openCypher name of the value's type, as used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Int(_) => "Integer",
            Value::Float(_) => "Float",
            Value::String(_) => "String",
            Value::List(_) => "List",
            Value::Map(_) => "Map",
            Value::Node(_) => "Node",
            Value::Rel(_) => "Relationship",
            Value::Path(_) => "Path",
        }
    }

    /// Rank of the value's type in openCypher's global sort order
    /// (maps, nodes, relationships, lists, paths, strings, booleans, numbers;
    /// null last).
    fn order_rank(&self) -> u8 {
        match self {
            Value::Map(_) => 0,
            Value::Node(_) => 1,
            Value::Rel(_) => 2,
            Value::List(_) => 3,
            Value::Path(_) => 4,
            Value::String(_) => 5,
            Value::Bool(_) => 6,
            Value::Int(_) | Value::Float(_) => 7,
            Value::Null => 8,
        }
    }

    /// The total order openCypher uses for `ORDER BY`: values of different
    /// types sort by type, numbers compare numerically with NaN above every
    /// other number, and null sorts last (ascending).
    pub fn order_cmp(&self, other: &Value) -> Ordering {
        let (ra, rb) = (self.order_rank(), other.order_rank());
        if ra != rb {
            return ra.cmp(&rb);
        }
        match (self, other) {
            (Value::Map(a), Value::Map(b)) => {
                // Compare as sorted key lists, then values key by key.
                let ka: Vec<&String> = a.keys().collect();
                let kb: Vec<&String> = b.keys().collect();
                ka.cmp(&kb).then_with(|| {
                    for (va, vb) in a.values().zip(b.values()) {
                        let c = va.order_cmp(vb);
                        if c != Ordering::Equal {
                            return c;
                        }
                    }
                    Ordering::Equal
                })
            }
            (Value::Node(a), Value::Node(b)) => a.cmp(b),
            (Value::Rel(a), Value::Rel(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) => {
                for (va, vb) in a.iter().zip(b.iter()) {
                    let c = va.order_cmp(vb);
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Value::Path(a), Value::Path(b)) => a.cmp(b),
            (Value::String(a), Value::String(b)) => a.cmp(b),
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Int(a), Value::Float(b)) => cmp_int_float(*a, *b),
            (Value::Float(a), Value::Int(b)) => cmp_int_float(*b, *a).reverse(),
            (Value::Float(a), Value::Float(b)) => cmp_floats(*a, *b),
            _ => Ordering::Equal,
        }
    }

    /// Structural identity used for grouping and `DISTINCT`: like
    /// [`Value::order_cmp`] returning `Equal`, so `1` and `1.0` group
    /// together and so does NaN with NaN.
    pub fn group_eq(&self, other: &Value) -> bool {
        self.order_cmp(other) == Ordering::Equal
    }
}

/// Orders floats totally: NaN above +infinity, otherwise numerically.
fn cmp_floats(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// Compares an integer with a float exactly, without losing precision for
/// integers beyond 2^53.
fn cmp_int_float(i: i64, f: f64) -> Ordering {
    if f.is_nan() {
        return Ordering::Less;
    }
    if f >= 9_223_372_036_854_775_808.0 {
        return Ordering::Less;
    }
    if f < -9_223_372_036_854_775_808.0 {
        return Ordering::Greater;
    }
    let truncated = f.trunc() as i64;
    match i.cmp(&truncated) {
        Ordering::Equal => {
            let frac = f - f.trunc();
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        other => other,
    }
}

impl PartialEq for Value {
    /// Structural equality (not Cypher's three-valued `=`): floats compare
    /// by bits so that a value always equals itself.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Node(a), Value::Node(b)) => a == b,
            (Value::Rel(a), Value::Rel(b)) => a == b,
            (Value::Path(a), Value::Path(b)) => a == b,
            _ => false,
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::List(v)
    }
}

/// Formats a float the way openCypher prints it: always with a fraction or
/// an exponent, so that it cannot be mistaken for an integer.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        let s = format!("{f:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// Writes `s` as a single-quoted string literal of the query language.
pub fn quote_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Writes a map key or label as an identifier, backquoting it when it is
/// not a plain identifier.
pub fn quote_identifier(name: &str) -> String {
    if is_plain_identifier(name) {
        name.to_owned()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// Whether `name` is a letter or `_` followed by letters, digits and `_`.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || c == '_')
}

impl fmt::Display for Value {
    /// Literal notation for property values; graph elements are shown by id
    /// (`Graph::display_value` shows them in full query notation).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float(*x)),
            Value::String(s) => f.write_str(&quote_string(s)),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {v}", quote_identifier(k))?;
                }
                f.write_str("}")
            }
            Value::Node(id) => write!(f, "node#{id}"),
            Value::Rel(id) => write!(f, "rel#{id}"),
            Value::Path(p) => write!(f, "path(nodes={:?}, rels={:?})", p.nodes, p.rels),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_four_words() {
        // Graphs hold millions of property values: a path is boxed so that
        // it does not widen every value to its size.
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }

    #[test]
    fn ints_and_floats_order_numerically_and_nan_sorts_above_numbers() {
        assert_eq!(Value::Int(1).order_cmp(&Value::Float(1.5)), Ordering::Less);
        assert_eq!(Value::Float(2.0).order_cmp(&Value::Int(2)), Ordering::Equal);
        assert_eq!(
            Value::Float(f64::NAN).order_cmp(&Value::Float(f64::INFINITY)),
            Ordering::Greater
        );
        assert_eq!(
            Value::Null.order_cmp(&Value::Int(i64::MAX)),
            Ordering::Greater
        );
    }

    #[test]
    fn large_integers_compare_exactly_with_floats() {
        let big = i64::MAX;
        assert_eq!(
            Value::Int(big).order_cmp(&Value::Float(9.3e18)),
            Ordering::Less
        );
        assert_eq!(
            Value::Int(big - 1).order_cmp(&Value::Int(big)),
            Ordering::Less
        );
    }

    #[test]
    fn floats_print_with_a_fraction() {
        assert_eq!(format_float(1.0), "1.0");
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(1e300), "1e300");
        assert_eq!(format_float(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn strings_and_identifiers_are_quoted_when_needed() {
        assert_eq!(quote_string("it's"), "'it\\'s'");
        assert_eq!(quote_identifier("name"), "name");
        assert_eq!(quote_identifier("first name"), "`first name`");
        assert_eq!(quote_identifier("a`b"), "`a``b`");
    }
}
