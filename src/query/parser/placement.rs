//! Where a bare pattern may stand: as a condition of a `WHERE` (at an
//! `AND`, `OR`, `XOR` or `NOT` operand position), nowhere else. Outside
//! `WHERE` a pattern is not a value; the TCK expects a syntax error.

use crate::error::Span;
use crate::query::ast::{BinaryOp, ExistsBody, Expr, ExprKind, MapProjectionItem, UnaryOp};

/// Finds a pattern predicate outside a boolean position.
pub(super) fn check_patterns(e: &Expr, boolean: bool) -> Result<(), Span> {
    match &e.kind {
        ExprKind::PatternPredicate(_) if boolean => Ok(()),
        ExprKind::PatternPredicate(_) => Err(e.span),
        ExprKind::Binary(BinaryOp::And | BinaryOp::Or | BinaryOp::Xor, l, r) => {
            check_patterns(l, boolean)?;
            check_patterns(r, boolean)
        }
        ExprKind::Unary(UnaryOp::Not, x) => check_patterns(x, boolean),
        ExprKind::ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => {
            check_patterns(list, false)?;
            if let Some(p) = predicate {
                check_patterns(p, true)?;
            }
            projection
                .as_ref()
                .map_or(Ok(()), |p| check_patterns(p, false))
        }
        ExprKind::PatternComprehension {
            predicate,
            projection,
            ..
        } => {
            if let Some(p) = predicate {
                check_patterns(p, true)?;
            }
            check_patterns(projection, false)
        }
        ExprKind::Quantified {
            list, predicate, ..
        } => {
            check_patterns(list, false)?;
            check_patterns(predicate, true)
        }
        ExprKind::Exists(ExistsBody::Pattern(_, Some(w))) => check_patterns(w, true),
        ExprKind::Exists(_) => Ok(()),
        _ => {
            let mut result = Ok(());
            for_each_child(e, &mut |c| {
                if result.is_ok() {
                    result = check_patterns(c, false);
                }
            });
            result
        }
    }
}

/// Calls `f` on each direct sub-expression of `e` (not inside nested
/// queries or pattern property maps).
pub(super) fn for_each_child<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Parameter(_)
        | ExprKind::Variable(_)
        | ExprKind::CountStar
        | ExprKind::PatternPredicate(_) => {}
        ExprKind::List(items) | ExprKind::FunctionCall { args: items, .. } => {
            items.iter().for_each(f)
        }
        ExprKind::Map(entries) => entries.iter().for_each(|(_, v)| f(v)),
        ExprKind::Property(b, _) | ExprKind::HasLabels(b, _) => f(b),
        ExprKind::IsNull(b, _) | ExprKind::Unary(_, b) => f(b),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            f(a);
            f(b)
        }
        ExprKind::Slice(a, from, to) => {
            f(a);
            from.iter().for_each(|x| f(x));
            to.iter().for_each(|x| f(x));
        }
        ExprKind::Case {
            operand,
            alternatives,
            default,
        } => {
            operand.iter().for_each(|x| f(x));
            for (w, t) in alternatives {
                f(w);
                f(t);
            }
            default.iter().for_each(|x| f(x));
        }
        ExprKind::ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => {
            f(list);
            predicate.iter().for_each(|x| f(x));
            projection.iter().for_each(|x| f(x));
        }
        ExprKind::PatternComprehension {
            predicate,
            projection,
            ..
        } => {
            predicate.iter().for_each(|x| f(x));
            f(projection);
        }
        ExprKind::Quantified {
            list, predicate, ..
        } => {
            f(list);
            f(predicate);
        }
        ExprKind::Reduce {
            init, list, expr, ..
        } => {
            f(init);
            f(list);
            f(expr);
        }
        ExprKind::Exists(ExistsBody::Pattern(_, w)) => w.iter().for_each(|x| f(x)),
        ExprKind::Exists(ExistsBody::Query(_)) => {}
        ExprKind::MapProjection { items, .. } => {
            for item in items {
                if let MapProjectionItem::Literal(_, v) = item {
                    f(v);
                }
            }
        }
    }
}
