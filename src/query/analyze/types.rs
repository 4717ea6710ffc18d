//! Static types, as far as they are known before running: enough to
//! reject `123 AND true` or `labels(p)` on a path at compile time.

use crate::graph::Value;
use crate::query::ast::BinaryOp;
use crate::query::functions::Types;

use super::ir::{BExpr, Slot};

/// What a variable or expression is known to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Unknown.
    Any,
    /// Always null.
    Null,
    /// A boolean.
    Bool,
    /// An integer.
    Int,
    /// A float.
    Float,
    /// A string.
    Str,
    /// A list.
    List,
    /// A map.
    Map,
    /// A node.
    Node,
    /// A relationship.
    Rel,
    /// The relationships of a variable-length pattern.
    RelList,
    /// A path.
    Path,
}

impl Ty {
    /// The type's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "value",
            Ty::Null => "null",
            Ty::Bool => "boolean",
            Ty::Int => "integer",
            Ty::Float => "float",
            Ty::Str => "string",
            Ty::List | Ty::RelList => "list",
            Ty::Map => "map",
            Ty::Node => "node",
            Ty::Rel => "relationship",
            Ty::Path => "path",
        }
    }

    /// The function registry's type set, when the type is known.
    pub fn types(self) -> Option<Types> {
        Some(match self {
            Ty::Any => return None,
            Ty::Null => Types::NULL,
            Ty::Bool => Types::BOOLEAN,
            Ty::Int => Types::INTEGER,
            Ty::Float => Types::FLOAT,
            Ty::Str => Types::STRING,
            Ty::List | Ty::RelList => Types::LIST,
            Ty::Map => Types::MAP,
            Ty::Node => Types::NODE,
            Ty::Rel => Types::RELATIONSHIP,
            Ty::Path => Types::PATH,
        })
    }

    fn of_value(v: &Value) -> Ty {
        match v {
            Value::Null => Ty::Null,
            Value::Bool(_) => Ty::Bool,
            Value::Int(_) => Ty::Int,
            Value::Float(_) => Ty::Float,
            Value::String(_) => Ty::Str,
            Value::List(_) => Ty::List,
            Value::Map(_) => Ty::Map,
            Value::Node(_) => Ty::Node,
            Value::Rel(_) => Ty::Rel,
            Value::Path(_) => Ty::Path,
        }
    }
}

/// The static type of `e`; `var` gives the type of a slot when known.
pub fn infer(e: &BExpr, var: &dyn Fn(Slot) -> Option<Ty>) -> Ty {
    match e {
        BExpr::Const(v) => Ty::of_value(v),
        BExpr::Var(s) => var(*s).unwrap_or(Ty::Any),
        BExpr::List(_) | BExpr::ListComp { .. } | BExpr::PatternComp(..) => Ty::List,
        BExpr::Map(_) | BExpr::MapProjection(..) => Ty::Map,
        BExpr::IsNull(..) | BExpr::HasLabels(..) | BExpr::Exists(_) | BExpr::Quantified { .. } => {
            Ty::Bool
        }
        BExpr::Unary(crate::query::ast::UnaryOp::Not, _) => Ty::Bool,
        BExpr::Binary(op, a, b) => match op {
            BinaryOp::And
            | BinaryOp::Or
            | BinaryOp::Xor
            | BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In
            | BinaryOp::StartsWith
            | BinaryOp::EndsWith
            | BinaryOp::Contains
            | BinaryOp::RegexMatch => Ty::Bool,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                match (infer(a, var), infer(b, var)) {
                    (Ty::Int, Ty::Int) => Ty::Int,
                    (Ty::Float, Ty::Int | Ty::Float) | (Ty::Int, Ty::Float) => Ty::Float,
                    (Ty::Str, Ty::Str) if *op == BinaryOp::Add => Ty::Str,
                    _ => Ty::Any,
                }
            }
            BinaryOp::Pow => Ty::Any,
        },
        BExpr::Call(f, _) => match f.name.to_lowercase().as_str() {
            "tostring" | "tolower" | "toupper" | "trim" | "ltrim" | "rtrim" | "replace"
            | "substring" | "left" | "right" | "type" => Ty::Str,
            "labels" | "keys" | "nodes" | "relationships" | "range" | "split" | "tail" => Ty::List,
            "properties" => Ty::Map,
            "startnode" | "endnode" => Ty::Node,
            "size" | "length" | "id" => Ty::Int,
            _ => Ty::Any,
        },
        _ => Ty::Any,
    }
}

/// The type every element of a constant list shares, if any.
pub fn element_type(list: &BExpr) -> Ty {
    let BExpr::Const(Value::List(items)) = list else {
        return Ty::Any;
    };
    let mut tys = items.iter().map(Ty::of_value).filter(|t| *t != Ty::Null);
    match tys.next() {
        Some(first) if tys.all(|t| t == first) => first,
        _ => Ty::Any,
    }
}

fn numeric(t: Ty) -> bool {
    matches!(t, Ty::Int | Ty::Float)
}

fn known(t: Ty) -> bool {
    !matches!(t, Ty::Any | Ty::Null)
}

/// A message when an operator can never apply to operands of these types.
pub fn check_binary(op: BinaryOp, a: Ty, b: Ty) -> Option<String> {
    let wrong = match op {
        BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod | BinaryOp::Pow => {
            (known(a) && !numeric(a)) || (known(b) && !numeric(b))
        }
        BinaryOp::Add => {
            known(a)
                && known(b)
                && !(numeric(a) && numeric(b)
                    || a == Ty::Str && (b == Ty::Str || numeric(b))
                    || b == Ty::Str && numeric(a)
                    || a == Ty::List
                    || b == Ty::List)
        }
        BinaryOp::In => known(b) && b != Ty::List && b != Ty::RelList,
        _ => false,
    };
    wrong.then(|| {
        format!(
            "the operator cannot be applied to a {} and a {}",
            a.name(),
            b.name()
        )
    })
}
