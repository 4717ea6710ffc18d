//! Expressions, by precedence from loosest to tightest: `OR`, `XOR`, `AND`,
//! `NOT`, comparison (chains become conjunctions), string/list/null
//! predicates, `+ -`, `* / %`, `^`, unary `+ -`, postfix (property, index,
//! slice, label test); the atoms are in `atoms.rs`.

use nom::Err;

use super::atoms::atom;
use super::keywords::{
    at_sym, expect, kw, skip_ws_lenient, span_from, sym, symbolic_name, token_start,
};
use super::literals::{at_number, number};
use super::placement::check_patterns;
use super::{PResult, fail, fatal, messages};
use crate::error::Span;
use crate::query::ast::{BinaryOp, Expr, ExprKind, Name, UnaryOp};

pub(super) fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr {
        span: lhs.span.to(rhs.span),
        kind: ExprKind::Binary(op, boxed(lhs), boxed(rhs)),
    }
}

/// An operand after the operator `op`, required.
fn operand<'a>(i: &'a str, p: fn(&'a str) -> PResult<'a, Expr>, op: &str) -> PResult<'a, Expr> {
    match p(i) {
        // The message is built only when needed: this runs for every operator.
        Err(Err::Error(e)) => {
            let mine =
                super::PError::expected(skip_ws_lenient(i), format!("an expression after `{op}`"));
            Err(Err::Failure(e.or_further(mine.record())))
        }
        other => other,
    }
}

// [41] Expression ::= OrExpression
/// Any expression.
pub(super) fn expression(i: &str) -> PResult<'_, Expr> {
    let _nesting = super::Nesting::enter(i)?;
    or_expr(i)
}

/// Parses `operand (op operand)*` left-associatively for keyword
/// operators.
fn keyword_chain<'a>(
    i: &'a str,
    next: fn(&'a str) -> PResult<'a, Expr>,
    word: &'static str,
    op: BinaryOp,
) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = next(i)?;
    while let Ok((rest, _)) = kw(word)(i) {
        let (rest, rhs) = operand(rest, next, word)?;
        lhs = binary(op, lhs, rhs);
        i = rest;
    }
    Ok((i, lhs))
}

// [42] OrExpression ::= XorExpression ( 'OR' XorExpression )*
fn or_expr(i: &str) -> PResult<'_, Expr> {
    keyword_chain(i, xor_expr, "OR", BinaryOp::Or)
}

// [43] XorExpression ::= AndExpression ( 'XOR' AndExpression )*
fn xor_expr(i: &str) -> PResult<'_, Expr> {
    keyword_chain(i, and_expr, "XOR", BinaryOp::Xor)
}

// [44] AndExpression ::= NotExpression ( 'AND' NotExpression )*
fn and_expr(i: &str) -> PResult<'_, Expr> {
    keyword_chain(i, not_expr, "AND", BinaryOp::And)
}

// [45] NotExpression ::= 'NOT' NotExpression | ComparisonExpression
fn not_expr(i: &str) -> PResult<'_, Expr> {
    if let Ok((rest, span)) = kw("NOT")(i) {
        let _nesting = super::Nesting::enter(i)?;
        let (rest, e) = operand(rest, not_expr, "NOT")?;
        let span = span.to(e.span);
        return Ok((
            rest,
            Expr {
                kind: ExprKind::Unary(UnaryOp::Not, boxed(e)),
                span,
            },
        ));
    }
    comparison(i)
}

fn comparison_op(i: &str) -> Option<(&str, BinaryOp, &'static str)> {
    let t = skip_ws_lenient(i);
    let ops: [(&'static str, BinaryOp); 6] = [
        ("<>", BinaryOp::Ne),
        ("<=", BinaryOp::Le),
        (">=", BinaryOp::Ge),
        ("<", BinaryOp::Lt),
        (">", BinaryOp::Gt),
        ("=", BinaryOp::Eq),
    ];
    for (s, op) in ops {
        if let Some(rest) = t.strip_prefix(s) {
            if s == "=" && rest.starts_with('~') {
                return None;
            }
            return Some((rest, op, s));
        }
    }
    None
}

// [46] ComparisonExpression ::= PredicateExpression ( ComparisonOperator PredicateExpression )* /* a < b < c means a < b AND b < c */
// [47] ComparisonOperator ::= '=' | '<>' | '<' | '>' | '<=' | '>='
/// `a < b < c` means `a < b AND b < c`.
fn comparison(i: &str) -> PResult<'_, Expr> {
    let (mut i, first) = predicate_expr(i)?;
    let mut operands = vec![first];
    let mut ops = Vec::new();
    while let Some((rest, op, text)) = comparison_op(i) {
        let (rest, rhs) = operand(rest, predicate_expr, text)?;
        operands.push(rhs);
        ops.push(op);
        i = rest;
    }
    let mut operands = operands.into_iter();
    let Some(mut prev) = operands.next() else {
        return fail(i, messages::EXPRESSION);
    };
    let mut result: Option<Expr> = None;
    for (op, rhs) in ops.into_iter().zip(operands) {
        let cmp = binary(op, prev, rhs.clone());
        result = Some(match result {
            None => cmp,
            Some(acc) => binary(BinaryOp::And, acc, cmp),
        });
        prev = rhs;
    }
    Ok((i, result.unwrap_or(prev)))
}

// [48] PredicateExpression ::= AddExpression PredicateSuffix*
// [49] PredicateSuffix ::= 'STARTS' 'WITH' AddExpression | 'ENDS' 'WITH' AddExpression | 'CONTAINS' AddExpression | 'IN' AddExpression | '=~' AddExpression | 'IS' 'NOT'? 'NULL'
fn predicate_expr(i: &str) -> PResult<'_, Expr> {
    let (mut i, mut lhs) = add_expr(i)?;
    loop {
        let word = super::keywords::peek_word(i).to_ascii_uppercase();
        let (rest, op, text) = match word.as_str() {
            "STARTS" | "ENDS" => {
                let (rest, _) = kw(if word == "STARTS" { "STARTS" } else { "ENDS" })(i)?;
                let (rest, _) = expect(rest, kw("WITH"), format!("`WITH` after `{word}`"))?;
                let op = if word == "STARTS" {
                    BinaryOp::StartsWith
                } else {
                    BinaryOp::EndsWith
                };
                (
                    rest,
                    op,
                    if word == "STARTS" {
                        "STARTS WITH"
                    } else {
                        "ENDS WITH"
                    },
                )
            }
            "CONTAINS" => (kw("CONTAINS")(i)?.0, BinaryOp::Contains, "CONTAINS"),
            "IN" => (kw("IN")(i)?.0, BinaryOp::In, "IN"),
            "IS" => {
                let (rest, _) = kw("IS")(i)?;
                let (rest, not) = match kw("NOT")(rest) {
                    Ok((r, _)) => (r, true),
                    Err(_) => (rest, false),
                };
                let (rest, null) = expect(
                    rest,
                    kw("NULL"),
                    if not {
                        "`NULL` after `IS NOT`"
                    } else {
                        "`NULL` or `NOT NULL` after `IS`"
                    },
                )?;
                let span = lhs.span.to(null);
                lhs = Expr {
                    kind: ExprKind::IsNull(boxed(lhs), not),
                    span,
                };
                i = rest;
                continue;
            }
            _ if at_sym(i, "=~") => (sym("=~")(i)?.0, BinaryOp::RegexMatch, "=~"),
            _ => return Ok((i, lhs)),
        };
        let (rest, rhs) = operand(rest, add_expr, text)?;
        lhs = binary(op, lhs, rhs);
        i = rest;
    }
}

/// Parses `operand (op operand)*` left-associatively for symbol operators.
fn symbol_chain<'a>(
    i: &'a str,
    next: fn(&'a str) -> PResult<'a, Expr>,
    ops: &[(&'static str, BinaryOp)],
) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = next(i)?;
    'outer: loop {
        let t = skip_ws_lenient(i);
        for &(s, op) in ops {
            if let Some(rest) = t.strip_prefix(s) {
                // `->` and `-[` belong to patterns; `+=` to SET.
                if (s == "-" && rest.starts_with(['>', '['])) || (s == "+" && rest.starts_with('='))
                {
                    break 'outer;
                }
                let (rest, rhs) = operand(rest, next, s)?;
                lhs = binary(op, lhs, rhs);
                i = rest;
                continue 'outer;
            }
        }
        break;
    }
    Ok((i, lhs))
}

// [50] AddExpression ::= MultiplyExpression ( ( '+' | '-' ) MultiplyExpression )*
fn add_expr(i: &str) -> PResult<'_, Expr> {
    symbol_chain(i, mul_expr, &[("+", BinaryOp::Add), ("-", BinaryOp::Sub)])
}

// [51] MultiplyExpression ::= PowerExpression ( ( '*' | '/' | '%' ) PowerExpression )*
fn mul_expr(i: &str) -> PResult<'_, Expr> {
    symbol_chain(
        i,
        pow_expr,
        &[
            ("*", BinaryOp::Mul),
            ("/", BinaryOp::Div),
            ("%", BinaryOp::Mod),
        ],
    )
}

// [52] PowerExpression ::= UnaryExpression ( '^' UnaryExpression )* /* left-associative */
fn pow_expr(i: &str) -> PResult<'_, Expr> {
    symbol_chain(i, unary_expr, &[("^", BinaryOp::Pow)])
}

// [53] UnaryExpression ::= ( '+' | '-' ) UnaryExpression | PostfixExpression /* '-' NumberLiteral is one negative literal */
/// A minus right before a number literal negates the literal itself.
fn unary_expr(i: &str) -> PResult<'_, Expr> {
    let (t, start) = token_start(i)?;
    let (op, text) = if t.starts_with('-') {
        (UnaryOp::Neg, "-")
    } else if t.starts_with('+') {
        (UnaryOp::Plus, "+")
    } else {
        return postfix_expr(t);
    };
    let rest = &t[1..];
    if op == UnaryOp::Neg && at_number(skip_ws_lenient(rest)) {
        let (after, (lit, _)) = number(rest, true)?;
        // `-5[0]` and `-5.x` negate the postfix expression, as `-x[0]` does.
        let t = skip_ws_lenient(after);
        let postfix = (t.starts_with('.') && !t.starts_with("..")) || t.starts_with(['[', ':']);
        if !postfix {
            let span = span_from(start, after);
            return Ok((
                after,
                Expr {
                    kind: ExprKind::Literal(lit),
                    span,
                },
            ));
        }
    }
    let _nesting = super::Nesting::enter(i)?;
    let (rest, e) = operand(rest, unary_expr, text)?;
    let span = Span::new(start, e.span.end);
    Ok((
        rest,
        Expr {
            kind: ExprKind::Unary(op, boxed(e)),
            span,
        },
    ))
}

// [54] PostfixExpression ::= Atom ( '.' PropertyKeyName | '[' Expression ']' | '[' Expression? '..' Expression? ']' | NodeLabels )*
/// An atom with property accesses, indexes, slices and label tests.
pub(super) fn postfix_expr(i: &str) -> PResult<'_, Expr> {
    let (i, base) = atom(i)?;
    postfix_ops(i, base)
}

fn postfix_ops(mut i: &str, mut base: Expr) -> PResult<'_, Expr> {
    loop {
        let t = skip_ws_lenient(i);
        if t.starts_with('.') && !t.starts_with("..") {
            let (rest, (name, span, _)) =
                expect(&t[1..], symbolic_name, "a property name after `.`")?;
            let span_all = base.span.to(span);
            base = Expr {
                kind: ExprKind::Property(boxed(base), Name { name, span }),
                span: span_all,
            };
            i = rest;
        } else if t.starts_with('[') {
            let (rest, e) = index_or_slice(t, base)?;
            base = e;
            i = rest;
        } else if t.starts_with(':') {
            let (rest, labels) = node_labels(t)?;
            let span = base.span.to(labels.last().map_or(base.span, |l| l.span));
            base = Expr {
                kind: ExprKind::HasLabels(boxed(base), labels),
                span,
            };
            i = rest;
        } else {
            return Ok((i, base));
        }
    }
}

fn index_or_slice(i: &str, base: Expr) -> PResult<'_, Expr> {
    let (i, _) = sym("[")(i)?;
    let (i, from) = if at_sym(i, "..") {
        (i, None)
    } else {
        let (i, e) = expect(i, expression, "an index or `..` after `[`")?;
        (i, Some(e))
    };
    if let Ok((rest, _)) = sym("..")(i) {
        let (rest, to) = if at_sym(rest, "]") {
            (rest, None)
        } else {
            let (r, e) = expect(rest, expression, "an expression or `]` after `..`")?;
            (r, Some(e))
        };
        let (rest, close) = expect(rest, sym("]"), "`]` to close the slice")?;
        let span = base.span.to(close);
        return Ok((
            rest,
            Expr {
                kind: ExprKind::Slice(boxed(base), from.map(boxed), to.map(boxed)),
                span,
            },
        ));
    }
    let (rest, close) = expect(i, sym("]"), "`]` or `..` after the index")?;
    let span = base.span.to(close);
    let Some(index) = from else {
        return fatal(i, messages::EXPRESSION);
    };
    Ok((
        rest,
        Expr {
            kind: ExprKind::Index(boxed(base), boxed(index)),
            span,
        },
    ))
}

// [55] NodeLabels ::= ( ':' LabelName )+
/// `:A:B`, after a node variable or in a node pattern.
pub(super) fn node_labels(i: &str) -> PResult<'_, Vec<Name>> {
    let mut labels = Vec::new();
    let mut i = i;
    while let Ok((rest, _)) = sym(":")(i) {
        let (rest, (name, span, _)) = expect(rest, symbolic_name, "a label name after `:`")?;
        labels.push(Name { name, span });
        i = rest;
    }
    if labels.is_empty() {
        return fail(i, "`:` and a label");
    }
    Ok((i, labels))
}

// [39] BooleanExpression ::= Expression /* a PatternPredicate may stand at an AND, OR, XOR or NOT operand position */
/// A `WHERE` predicate: a pattern may stand as a condition of its own.
pub(super) fn boolean_expression(i: &str) -> PResult<'_, Expr> {
    checked(i, true)
}

// [40] ValueExpression ::= Expression /* no PatternPredicate outside a nested BooleanExpression */
/// An expression outside `WHERE`: a bare pattern is not a value.
pub(super) fn value_expression(i: &str) -> PResult<'_, Expr> {
    checked(i, false)
}

fn checked(i: &str, boolean: bool) -> PResult<'_, Expr> {
    let (t, ()) = super::keywords::ws(i)?;
    let (rest, e) = expression(t)?;
    match check_patterns(&e, boolean) {
        Ok(()) => Ok((rest, e)),
        Err(span) => {
            let relative = span.start.saturating_sub(super::keywords::offset(t));
            let at = t.get(relative..).unwrap_or("");
            Err(Err::Failure(super::PError::with_detail(
                at,
                span.end - span.start,
                "UnexpectedSyntax",
                messages::PATTERN_AS_VALUE,
            )))
        }
    }
}
