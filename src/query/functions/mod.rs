//! The query language's functions: a registry of what exists, with the
//! arity and argument types semantic analysis needs, and the scalar
//! functions themselves, grouped by what they work on.
//!
//! Aggregating functions (`count`, `sum`, ...) are listed here so that
//! analysis knows them; their evaluation lives in
//! [`crate::query::aggregate`].
//!
//! A function is resolved once with [`lookup`] (case-insensitively) and
//! then applied with [`FunctionInfo::call`] on every row; [`call`] does both.
//!
//! ```
//! use kgq::graph::{Graph, Value};
//! use kgq::query::functions::{call, lookup};
//! let g = Graph::new();
//! assert_eq!(call(&g, "toUpper", &[Value::from("abc")]), Ok(Value::from("ABC")));
//! let size = lookup("SIZE").unwrap();
//! assert_eq!((size.name, size.min_args, size.max_args), ("size", 1, Some(1)));
//! ```

mod convert;
mod graph;
mod help;
mod list;
mod math;
mod string;

use std::fmt::Write as _;

pub use help::describe;

use crate::error::{ErrorKind, QueryError};
use crate::graph::{Graph, Value};

/// A set of value types, for checking arguments before a query runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Types(u16);

impl Types {
    /// No type at all.
    pub const NONE: Types = Types(0);
    /// `null`.
    pub const NULL: Types = Types(1);
    /// Booleans.
    pub const BOOLEAN: Types = Types(1 << 1);
    /// Integers.
    pub const INTEGER: Types = Types(1 << 2);
    /// Floats.
    pub const FLOAT: Types = Types(1 << 3);
    /// Strings.
    pub const STRING: Types = Types(1 << 4);
    /// Lists.
    pub const LIST: Types = Types(1 << 5);
    /// Maps.
    pub const MAP: Types = Types(1 << 6);
    /// Nodes.
    pub const NODE: Types = Types(1 << 7);
    /// Relationships.
    pub const RELATIONSHIP: Types = Types(1 << 8);
    /// Paths.
    pub const PATH: Types = Types(1 << 9);
    /// Integers and floats.
    pub const NUMBER: Types = Types(Types::INTEGER.0 | Types::FLOAT.0);
    /// Every type.
    pub const ANY: Types = Types((1 << 10) - 1);

    /// Both sets together.
    pub const fn or(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    /// Whether the sets share a type.
    pub const fn intersects(self, other: Types) -> bool {
        self.0 & other.0 != 0
    }

    /// The type of `v`.
    pub fn of(v: &Value) -> Types {
        match v {
            Value::Null => Types::NULL,
            Value::Bool(_) => Types::BOOLEAN,
            Value::Int(_) => Types::INTEGER,
            Value::Float(_) => Types::FLOAT,
            Value::String(_) => Types::STRING,
            Value::List(_) => Types::LIST,
            Value::Map(_) => Types::MAP,
            Value::Node(_) => Types::NODE,
            Value::Rel(_) => Types::RELATIONSHIP,
            Value::Path(_) => Types::PATH,
        }
    }
}

/// The implementation of a scalar function. Arguments arrive evaluated and
/// already counted against the function's arity.
pub type ScalarFn = fn(&Graph, &[Value]) -> Result<Value, QueryError>;

/// What the query language knows about a function.
#[derive(Debug)]
pub struct FunctionInfo {
    /// The canonical spelling, e.g. `toUpper`.
    pub name: &'static str,
    /// The fewest arguments it takes.
    pub min_args: usize,
    /// The most arguments it takes; `None` for any number.
    pub max_args: Option<usize>,
    /// Whether it aggregates over rows (`count`, `sum`, ...).
    pub aggregate: bool,
    /// Whether equal arguments always give equal results (`rand` does not),
    /// so that a call on constants may be evaluated once.
    pub deterministic: bool,
    /// The types each argument may have; the last entry stands for all
    /// further arguments. A static argument type that shares nothing with
    /// its entry is a `SyntaxError`/`InvalidArgumentType` before running.
    pub arg_types: &'static [Types],
    /// The types the result may have (null included where null in gives
    /// null out).
    pub returns: Types,
    scalar: Option<ScalarFn>,
}

impl FunctionInfo {
    /// Whether argument `position` (0-based) may have one of `types`.
    pub fn accepts(&self, position: usize, types: Types) -> bool {
        match self.arg_types.get(position).or(self.arg_types.last()) {
            Some(allowed) => allowed.intersects(types),
            None => false,
        }
    }

    /// Whether `n` arguments are allowed.
    pub fn arity_ok(&self, n: usize) -> bool {
        n >= self.min_args && self.max_args.is_none_or(|max| n <= max)
    }

    /// Applies the scalar function to evaluated arguments.
    pub fn call(&self, graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
        if !self.arity_ok(args.len()) {
            return Err(QueryError::runtime(
                ErrorKind::SyntaxError,
                "InvalidNumberOfArguments",
                format!(
                    "{}() takes {}, but was given {}",
                    self.name,
                    self.arity_text(),
                    args.len()
                ),
                None,
            ));
        }
        match self.scalar {
            Some(f) => f(graph, args),
            None => Err(QueryError::runtime(
                ErrorKind::SyntaxError,
                "InvalidAggregation",
                format!(
                    "{}() aggregates over rows and cannot be applied to single values",
                    self.name
                ),
                None,
            )),
        }
    }

    /// The allowed number of arguments in words, e.g. `1 or 2 arguments`.
    pub fn arity_text(&self) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        match self.max_args {
            Some(max) if max == self.min_args => format!("{max} argument{}", plural(max)),
            Some(max) if max == self.min_args + 1 => {
                format!("{} or {max} argument{}", self.min_args, plural(max))
            }
            Some(max) => format!("{} to {max} arguments", self.min_args),
            None => format!(
                "at least {} argument{}",
                self.min_args,
                plural(self.min_args)
            ),
        }
    }
}

/// The function called `name` (case-insensitive), if there is one.
pub fn lookup(name: &str) -> Option<&'static FunctionInfo> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Every function, in a stable order (for completion and help).
pub fn all() -> &'static [FunctionInfo] {
    FUNCTIONS
}

/// Calls the scalar function `name` on evaluated arguments. Resolving once
/// with [`lookup`] and calling [`FunctionInfo::call`] per row is faster.
pub fn call(graph: &Graph, name: &str, args: &[Value]) -> Result<Value, QueryError> {
    match lookup(name) {
        Some(f) => f.call(graph, args),
        None => Err(QueryError::runtime(
            ErrorKind::SyntaxError,
            "UnknownFunction",
            format!("unknown function `{name}`"),
            None,
        )),
    }
}

// ---- shared helpers --------------------------------------------------------

/// A value as shown in an error message, cut short when long.
pub(crate) fn show(v: &Value) -> String {
    const MAX: usize = 60;
    let mut s = String::new();
    let _ = write!(s, "{v}");
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The `TypeError` for an argument of the wrong type found while running
/// (the TCK's detail for functions is `InvalidArgumentValue`).
pub(crate) fn invalid_arg(function: &str, expected: &str, got: &Value) -> QueryError {
    QueryError::runtime(
        ErrorKind::TypeError,
        "InvalidArgumentValue",
        format!(
            "{function}() expects {expected}, but got {} {}",
            got.type_name(),
            show(got)
        ),
        None,
    )
}

/// The `ArgumentError` for a number outside what a function accepts.
pub(crate) fn out_of_range(function: &str, message: impl std::fmt::Display) -> QueryError {
    QueryError::runtime(
        ErrorKind::ArgumentError,
        "NumberOutOfRange",
        format!("{function}(): {message}"),
        None,
    )
}

/// The argument at `i`, or null when an optional one was left out.
pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    const NULL: Value = Value::Null;
    args.get(i).unwrap_or(&NULL)
}

// ---- the registry ------------------------------------------------------------

const fn t(types: &'static [Types]) -> &'static [Types] {
    types
}

// Type sets for the table below. Most admit null, as null in gives null out.
const N: Types = Types::NULL;
const ANY: Types = Types::ANY;
const NUM: Types = Types::NUMBER.or(N);
const INT: Types = Types::INTEGER.or(N);
const STR: Types = Types::STRING.or(N);
const LIST: Types = Types::LIST.or(N);
const NODE: Types = Types::NODE.or(N);
const REL: Types = Types::RELATIONSHIP.or(N);
const PATH: Types = Types::PATH.or(N);
const ELEMENT: Types = Types::NODE.or(Types::RELATIONSHIP).or(N);
const ENTITY: Types = ELEMENT.or(Types::MAP);
const SEQUENCE: Types = Types::STRING.or(Types::LIST).or(N);
const BOOL: Types = Types::BOOLEAN.or(N);
const FLOAT: Types = Types::FLOAT.or(N);
const MAP: Types = Types::MAP.or(N);
const SCALAR: Types = Types::BOOLEAN.or(Types::NUMBER).or(Types::STRING).or(N);

const fn scalar(
    name: &'static str,
    min_args: usize,
    max_args: usize,
    arg_types: &'static [Types],
    returns: Types,
    f: ScalarFn,
) -> FunctionInfo {
    FunctionInfo {
        name,
        min_args,
        max_args: Some(max_args),
        aggregate: false,
        deterministic: true,
        arg_types,
        returns,
        scalar: Some(f),
    }
}

const fn aggregate(
    name: &'static str,
    max_args: usize,
    arg_types: &'static [Types],
    returns: Types,
) -> FunctionInfo {
    FunctionInfo {
        name,
        min_args: max_args,
        max_args: Some(max_args),
        aggregate: true,
        deterministic: true,
        arg_types,
        returns,
        scalar: None,
    }
}

static FUNCTIONS: &[FunctionInfo] = &[
    // Graph elements and paths.
    scalar("id", 1, 1, t(&[ELEMENT]), INT, graph::id),
    scalar("elementId", 1, 1, t(&[ELEMENT]), STR, graph::element_id),
    scalar("labels", 1, 1, t(&[NODE]), LIST, graph::labels),
    scalar("type", 1, 1, t(&[REL]), STR, graph::rel_type),
    scalar("properties", 1, 1, t(&[ENTITY]), MAP, graph::properties),
    scalar("keys", 1, 1, t(&[ENTITY]), LIST, graph::keys),
    scalar("startNode", 1, 1, t(&[REL]), NODE, graph::start_node),
    scalar("endNode", 1, 1, t(&[REL]), NODE, graph::end_node),
    scalar("nodes", 1, 1, t(&[PATH]), LIST, graph::nodes),
    scalar(
        "relationships",
        1,
        1,
        t(&[PATH]),
        LIST,
        graph::relationships,
    ),
    scalar("length", 1, 1, t(&[PATH]), INT, graph::length),
    scalar("exists", 1, 1, t(&[ANY]), Types::BOOLEAN, graph::exists),
    scalar(
        "valueType",
        1,
        1,
        t(&[ANY]),
        Types::STRING,
        graph::value_type,
    ),
    scalar("nullIf", 2, 2, t(&[ANY]), ANY, list::null_if),
    // Lists.
    scalar("size", 1, 1, t(&[SEQUENCE]), INT, list::size),
    scalar("head", 1, 1, t(&[LIST]), ANY, list::head),
    scalar("last", 1, 1, t(&[LIST]), ANY, list::last),
    scalar("tail", 1, 1, t(&[LIST]), LIST, list::tail),
    scalar("reverse", 1, 1, t(&[SEQUENCE]), SEQUENCE, list::reverse),
    // The TCK wants range()'s argument types checked when it runs
    // (ArgumentError), so analysis lets every type through.
    scalar("range", 2, 3, t(&[ANY]), LIST, list::range),
    scalar(
        "isEmpty",
        1,
        1,
        t(&[SEQUENCE.or(Types::MAP)]),
        BOOL,
        list::is_empty,
    ),
    FunctionInfo {
        name: "coalesce",
        min_args: 1,
        max_args: None,
        aggregate: false,
        deterministic: true,
        arg_types: t(&[ANY]),
        returns: ANY,
        scalar: Some(list::coalesce),
    },
    // Type conversion.
    scalar("toString", 1, 1, t(&[SCALAR]), STR, convert::to_string),
    scalar(
        "toStringOrNull",
        1,
        1,
        t(&[ANY]),
        STR,
        convert::to_string_or_null,
    ),
    scalar("toInteger", 1, 1, t(&[SCALAR]), INT, convert::to_integer),
    scalar(
        "toIntegerOrNull",
        1,
        1,
        t(&[ANY]),
        INT,
        convert::to_integer_or_null,
    ),
    scalar(
        "toFloat",
        1,
        1,
        t(&[NUM.or(Types::STRING)]),
        FLOAT,
        convert::to_float,
    ),
    scalar(
        "toFloatOrNull",
        1,
        1,
        t(&[ANY]),
        FLOAT,
        convert::to_float_or_null,
    ),
    scalar(
        "toBoolean",
        1,
        1,
        t(&[Types::BOOLEAN.or(Types::STRING).or(INT)]),
        BOOL,
        convert::to_boolean,
    ),
    scalar(
        "toBooleanOrNull",
        1,
        1,
        t(&[ANY]),
        BOOL,
        convert::to_boolean_or_null,
    ),
    scalar(
        "toStringList",
        1,
        1,
        t(&[LIST]),
        LIST,
        convert::to_string_list,
    ),
    scalar(
        "toIntegerList",
        1,
        1,
        t(&[LIST]),
        LIST,
        convert::to_integer_list,
    ),
    scalar(
        "toFloatList",
        1,
        1,
        t(&[LIST]),
        LIST,
        convert::to_float_list,
    ),
    scalar(
        "toBooleanList",
        1,
        1,
        t(&[LIST]),
        LIST,
        convert::to_boolean_list,
    ),
    // Strings.
    scalar("toLower", 1, 1, t(&[STR]), STR, string::to_lower),
    scalar("toUpper", 1, 1, t(&[STR]), STR, string::to_upper),
    scalar("lower", 1, 1, t(&[STR]), STR, string::to_lower),
    scalar("upper", 1, 1, t(&[STR]), STR, string::to_upper),
    scalar("trim", 1, 2, t(&[STR]), STR, string::trim),
    scalar("btrim", 1, 2, t(&[STR]), STR, string::trim),
    scalar("ltrim", 1, 2, t(&[STR]), STR, string::ltrim),
    scalar("rtrim", 1, 2, t(&[STR]), STR, string::rtrim),
    scalar("char_length", 1, 1, t(&[STR]), INT, string::char_length),
    scalar(
        "character_length",
        1,
        1,
        t(&[STR]),
        INT,
        string::char_length,
    ),
    scalar("replace", 3, 3, t(&[STR]), STR, string::replace),
    scalar("split", 2, 2, t(&[STR, SEQUENCE]), LIST, string::split),
    scalar("substring", 2, 3, t(&[STR, INT]), STR, string::substring),
    scalar("left", 2, 2, t(&[STR, INT]), STR, string::left),
    scalar("right", 2, 2, t(&[STR, INT]), STR, string::right),
    // Numbers.
    scalar("abs", 1, 1, t(&[NUM]), NUM, math::abs),
    scalar("ceil", 1, 1, t(&[NUM]), FLOAT, math::ceil),
    scalar("floor", 1, 1, t(&[NUM]), FLOAT, math::floor),
    scalar("round", 1, 3, t(&[NUM, INT, STR]), FLOAT, math::round),
    scalar("sign", 1, 1, t(&[NUM]), INT, math::sign),
    scalar("isNaN", 1, 1, t(&[NUM]), BOOL, math::is_nan),
    scalar("sqrt", 1, 1, t(&[NUM]), FLOAT, math::sqrt),
    scalar("exp", 1, 1, t(&[NUM]), FLOAT, math::exp),
    scalar("log", 1, 1, t(&[NUM]), FLOAT, math::ln),
    scalar("log10", 1, 1, t(&[NUM]), FLOAT, math::log10),
    scalar("e", 0, 0, t(&[]), Types::FLOAT, math::e),
    scalar("pi", 0, 0, t(&[]), Types::FLOAT, math::pi),
    scalar("sin", 1, 1, t(&[NUM]), FLOAT, math::sin),
    scalar("cos", 1, 1, t(&[NUM]), FLOAT, math::cos),
    scalar("tan", 1, 1, t(&[NUM]), FLOAT, math::tan),
    scalar("cot", 1, 1, t(&[NUM]), FLOAT, math::cot),
    scalar("asin", 1, 1, t(&[NUM]), FLOAT, math::asin),
    scalar("acos", 1, 1, t(&[NUM]), FLOAT, math::acos),
    scalar("atan", 1, 1, t(&[NUM]), FLOAT, math::atan),
    scalar("atan2", 2, 2, t(&[NUM]), FLOAT, math::atan2),
    scalar("degrees", 1, 1, t(&[NUM]), FLOAT, math::degrees),
    scalar("radians", 1, 1, t(&[NUM]), FLOAT, math::radians),
    scalar("haversin", 1, 1, t(&[NUM]), FLOAT, math::haversin),
    FunctionInfo {
        name: "rand",
        min_args: 0,
        max_args: Some(0),
        aggregate: false,
        deterministic: false,
        arg_types: t(&[]),
        returns: Types::FLOAT,
        scalar: Some(math::rand),
    },
    FunctionInfo {
        name: "randomUUID",
        min_args: 0,
        max_args: Some(0),
        aggregate: false,
        deterministic: false,
        arg_types: t(&[]),
        returns: Types::STRING,
        scalar: Some(math::random_uuid),
    },
    FunctionInfo {
        name: "timestamp",
        min_args: 0,
        max_args: Some(0),
        aggregate: false,
        deterministic: false,
        arg_types: t(&[]),
        returns: Types::INTEGER,
        scalar: Some(math::timestamp),
    },
    // Aggregates: evaluated by crate::query::aggregate.
    aggregate("count", 1, t(&[ANY]), Types::INTEGER),
    aggregate("sum", 1, t(&[NUM]), Types::NUMBER),
    aggregate("avg", 1, t(&[NUM]), FLOAT),
    aggregate("min", 1, t(&[ANY]), ANY),
    aggregate("max", 1, t(&[ANY]), ANY),
    aggregate("collect", 1, t(&[ANY]), Types::LIST),
    aggregate("stDev", 1, t(&[NUM]), Types::FLOAT),
    aggregate("stDevP", 1, t(&[NUM]), Types::FLOAT),
    aggregate("percentileCont", 2, t(&[NUM]), FLOAT),
    aggregate("percentileDisc", 2, t(&[NUM]), NUM),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_reports_arity() {
        let f = lookup("TOlower").expect("toLower exists");
        assert_eq!(f.name, "toLower");
        assert!(f.arity_ok(1) && !f.arity_ok(2));
        assert!(lookup("noSuchFunction").is_none());
        let c = lookup("coalesce").expect("coalesce exists");
        assert!(c.arity_ok(5) && !c.arity_ok(0));
        assert!(lookup("percentileDisc").is_some_and(|p| p.aggregate));
        assert!(lookup("rand").is_some_and(|r| !r.deterministic));
    }

    #[test]
    fn every_function_is_registered_once_with_consistent_arity() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            assert!(
                FUNCTIONS[i + 1..]
                    .iter()
                    .all(|g| !g.name.eq_ignore_ascii_case(f.name)),
                "{} registered twice",
                f.name
            );
            assert!(f.max_args.is_none_or(|m| m >= f.min_args), "{}", f.name);
            assert_eq!(f.aggregate, f.scalar.is_none(), "{}", f.name);
            assert!(
                f.max_args == Some(0) || !f.arg_types.is_empty(),
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn static_argument_types_reject_what_the_function_never_accepts() {
        let accepts = |name: &str, pos: usize, t: Types| lookup(name).expect(name).accepts(pos, t);
        assert!(!accepts("labels", 0, Types::PATH));
        assert!(!accepts("type", 0, Types::NODE));
        assert!(!accepts("length", 0, Types::NODE));
        assert!(!accepts("length", 0, Types::RELATIONSHIP));
        assert!(!accepts("size", 0, Types::PATH));
        assert!(!accepts("properties", 0, Types::INTEGER));
        assert!(!accepts("properties", 0, Types::STRING));
        assert!(!accepts("properties", 0, Types::LIST));
        assert!(accepts("properties", 0, Types::MAP));
        assert!(accepts("labels", 0, Types::ANY));
        assert!(accepts("coalesce", 7, Types::PATH));
        assert!(accepts("round", 2, Types::STRING));
    }

    #[test]
    fn calls_check_arity_and_refuse_aggregates() {
        let g = Graph::new();
        let e = call(&g, "abs", &[]).expect_err("abs needs an argument");
        assert_eq!(e.detail, "InvalidNumberOfArguments");
        assert!(e.message.contains("1 argument"));
        let e = call(&g, "count", &[Value::Int(1)]).expect_err("count aggregates");
        assert_eq!(e.detail, "InvalidAggregation");
        let e = call(&g, "frobnicate", &[]).expect_err("unknown");
        assert_eq!(e.detail, "UnknownFunction");
    }

    #[test]
    fn error_messages_cut_long_values_short() {
        let long = Value::List((0..100).map(Value::Int).collect());
        let e = invalid_arg("toString", "a scalar", &long);
        assert!(e.message.len() < 140, "{}", e.message);
        assert!(e.message.ends_with("..."));
    }

    #[test]
    fn declared_types_agree_with_evaluation() {
        let mut g = Graph::new();
        let a = g.add_node(["A"], [("k", Value::Int(1))]);
        let r = g
            .add_rel(a, a, "R", Vec::<(&str, Value)>::new())
            .expect("endpoint exists");
        let samples = [
            Value::Null,
            Value::Bool(true),
            Value::Int(2),
            Value::Float(0.5),
            Value::from("1"),
            Value::List(vec![Value::Int(1)]),
            Value::Map([("k".to_owned(), Value::Int(1))].into()),
            Value::Node(a),
            Value::Rel(r),
            Value::Path(Box::new(crate::graph::Path {
                nodes: vec![a, a],
                rels: vec![r],
            })),
        ];
        for f in FUNCTIONS.iter().filter(|f| !f.aggregate && f.min_args >= 1) {
            for v in &samples {
                let mut args = vec![v.clone()];
                // Fill further required arguments with values they accept.
                for i in 1..f.min_args {
                    args.push(if f.accepts(i, Types::INTEGER) {
                        Value::Int(1)
                    } else {
                        Value::from("x")
                    });
                }
                let accepted = f.accepts(0, Types::of(v));
                match f.call(&g, &args) {
                    Ok(result) => {
                        assert!(
                            accepted,
                            "{}({v}) succeeded but is declared to fail",
                            f.name
                        );
                        assert!(
                            f.returns.intersects(Types::of(&result)),
                            "{}({v}) gave {result}, not a declared result type",
                            f.name
                        );
                    }
                    // Declared types are exact, except where the TCK wants
                    // the check made at run time.
                    Err(e) => assert!(
                        !accepted || f.name == "range",
                        "{}({v}) failed ({e}) but is declared to accept it",
                        f.name
                    ),
                }
            }
        }
    }
}
