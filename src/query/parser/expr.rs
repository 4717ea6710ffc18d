//! Expressions, by precedence from loosest to tightest: `OR`, `XOR`, `AND`,
//! `NOT`, comparison (chains become conjunctions), string/list/null
//! predicates, `+ -`, `* / %`, `^`, unary `+ -`, postfix (property, index,
//! slice, label test), atoms.

use nom::Err;

use super::keywords::{
    at_kw, at_sym, expect, is_ident_start, kw, skip_ws_lenient, span_from, sym, symbolic_name,
    token_start, variable_name,
};
use super::literals::{at_number, number, parameter, string};
use super::pattern::{pattern, relationships_pattern};
use super::{PResult, clauses, fail, fatal, messages};
use crate::error::Span;
use crate::query::ast::{
    BinaryOp, ExistsBody, Expr, ExprKind, Literal, MapProjectionItem, Name, Quantifier, UnaryOp,
    Variable,
};

fn boxed(e: Expr) -> Box<Expr> {
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
    expect(i, p, &format!("an expression after `{op}`"))
}

// [41] Expression ::= OrExpression
/// Any expression.
pub(super) fn expression(i: &str) -> PResult<'_, Expr> {
    let _level = super::Nesting::enter(i)?;
    let (rest, e) = or_expr(i)?;
    // Operator chains build deep trees without recursing here.
    if height_exceeds(&e, super::MAX_NESTING) {
        return Err(Err::Failure(super::PError::with_detail(
            i,
            0,
            "NestingTooDeep",
            messages::TOO_DEEP,
        )));
    }
    Ok((rest, e))
}

/// Whether the tree under `e` is more than `limit` levels deep, found
/// without recursion.
fn height_exceeds(e: &Expr, limit: usize) -> bool {
    let mut stack = vec![(e, 1usize)];
    while let Some((e, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        for_each_child(e, &mut |c| stack.push((c, depth + 1)));
    }
    false
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
        let _level = super::Nesting::enter(i)?;
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
                let (rest, _) = expect(rest, kw("WITH"), &format!("`WITH` after `{word}`"))?;
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
    let _level = super::Nesting::enter(t)?;
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

// [56] Atom ::= Literal | Parameter | CountStar | CaseExpression | ListComprehension | PatternComprehension | Quantified | Reduce | ExistsSubquery | PatternPredicate | ParenthesizedExpression | FunctionCall | MapProjection | Variable
// [57] Literal ::= NumberLiteral | StringLiteral | 'TRUE' | 'FALSE' | 'NULL' | ListLiteral | MapLiteral
fn atom(i: &str) -> PResult<'_, Expr> {
    let (t, start) = token_start(i)?;
    let Some(c) = t.chars().next() else {
        return fail(t, messages::EXPRESSION);
    };
    if at_number(t) {
        let (rest, (lit, span)) = number(t, false)?;
        return Ok((
            rest,
            Expr {
                kind: ExprKind::Literal(lit),
                span,
            },
        ));
    }
    match c {
        '\'' | '"' => {
            let (rest, (s, span)) = string(t)?;
            Ok((rest, lit_expr(Literal::String(s), span)))
        }
        '$' => {
            let (rest, (name, span)) = parameter(t)?;
            Ok((
                rest,
                Expr {
                    kind: ExprKind::Parameter(name),
                    span,
                },
            ))
        }
        '[' => list_like(t),
        '{' => {
            let (rest, (entries, span)) = map_literal(t)?;
            Ok((
                rest,
                Expr {
                    kind: ExprKind::Map(entries),
                    span,
                },
            ))
        }
        '(' => parenthesized_or_pattern(t),
        c if is_ident_start(c) || c == '`' => word_atom(t, start),
        _ => fail(t, messages::EXPRESSION),
    }
}

fn lit_expr(lit: Literal, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Literal(lit),
        span,
    }
}

// [59] ParenthesizedExpression ::= '(' Expression ')'
// [60] PatternPredicate ::= RelationshipsPattern
fn parenthesized_or_pattern(i: &str) -> PResult<'_, Expr> {
    match relationships_pattern(i) {
        Ok((rest, element)) => {
            let span = element.span;
            return Ok((
                rest,
                Expr {
                    kind: ExprKind::PatternPredicate(Box::new(element)),
                    span,
                },
            ));
        }
        Err(Err::Error(_)) => {}
        Err(e) => return Err(e),
    }
    let (rest, open) = sym("(")(i)?;
    let (rest, mut e) = expect(rest, expression, "an expression after `(`")?;
    let (rest, close) = expect(rest, sym(")"), "`)` to close the parenthesis")?;
    // The parentheses belong to the expression's text, so its span grows.
    e.span = open.to(close);
    Ok((rest, e))
}

// [61] ListLiteral ::= '[' ( Expression ( ',' Expression )* )? ']'
// [62] ListComprehension ::= '[' Variable 'IN' Expression ( 'WHERE' Expression )? ( '|' Expression )? ']'
// [63] PatternComprehension ::= '[' ( Variable '=' )? RelationshipsPattern ( 'WHERE' Expression )? '|' Expression ']'
fn list_like(i: &str) -> PResult<'_, Expr> {
    let (after, open) = sym("[")(i)?;
    // List comprehension: `[x IN ...`.
    if let Ok((rest, (name, vspan))) = variable_name(after) {
        if let Ok((rest, _)) = kw("IN")(rest) {
            let (rest, list) = expect(rest, expression, "a list after `IN`")?;
            let (rest, predicate) = opt_where(rest)?;
            let (rest, projection) = match sym("|")(rest) {
                Ok((r, _)) => {
                    let (r, e) = expect(r, expression, "an expression after `|`")?;
                    (r, Some(boxed(e)))
                }
                Err(_) => (rest, None),
            };
            let (rest, close) = expect(rest, sym("]"), "`]` to close the list comprehension")?;
            return Ok((
                rest,
                Expr {
                    kind: ExprKind::ListComprehension {
                        variable: Variable { name, span: vspan },
                        list: boxed(list),
                        predicate,
                        projection,
                    },
                    span: open.to(close),
                },
            ));
        }
    }
    if let Some(r) = pattern_comprehension(after, open)? {
        return Ok(r);
    }
    let mut items = Vec::new();
    let mut rest = after;
    if !at_sym(rest, "]") {
        loop {
            let (r, e) = expect(rest, expression, "a list element")?;
            items.push(e);
            rest = r;
            match sym(",")(rest) {
                Ok((r, _)) => rest = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = expect(rest, sym("]"), "`,` or `]` to close the list")?;
    Ok((
        rest,
        Expr {
            kind: ExprKind::List(items),
            span: open.to(close),
        },
    ))
}

/// `Ok(None)` when the brackets do not hold a pattern comprehension.
fn pattern_comprehension(i: &str, open: Span) -> Result<Option<(&str, Expr)>, Err<super::PError>> {
    let (after_var, variable) = match variable_name(i) {
        Ok((rest, (name, span))) => match sym("=")(rest) {
            Ok((rest, _)) if !rest.starts_with('~') => (rest, Some(Variable { name, span })),
            _ => (i, None),
        },
        Err(_) => (i, None),
    };
    let (rest, element) = match relationships_pattern(after_var) {
        Ok(r) => r,
        Err(Err::Error(_)) if variable.is_none() => return Ok(None),
        Err(Err::Error(e)) => return Err(Err::Failure(e)),
        Err(e) => return Err(e),
    };
    if !(at_kw(rest, "WHERE") || at_sym(rest, "|")) {
        if variable.is_some() {
            return fatal::<()>(rest, "`WHERE` or `|` in the pattern comprehension").map(|_| None);
        }
        return Ok(None);
    }
    let (rest, predicate) = opt_where(rest)?;
    let (rest, _) = expect(rest, sym("|"), "`|` and the expression to collect")?;
    let (rest, projection) = expect(rest, expression, "an expression after `|`")?;
    let (rest, close) = expect(rest, sym("]"), "`]` to close the pattern comprehension")?;
    Ok(Some((
        rest,
        Expr {
            kind: ExprKind::PatternComprehension {
                variable,
                pattern: Box::new(element),
                predicate,
                projection: boxed(projection),
            },
            span: open.to(close),
        },
    )))
}

fn opt_where(i: &str) -> PResult<'_, Option<Box<Expr>>> {
    match kw("WHERE")(i) {
        Ok((r, _)) => {
            let (r, e) = expect(r, expression, "an expression after `WHERE`")?;
            Ok((r, Some(boxed(e))))
        }
        Err(_) => Ok((i, None)),
    }
}

// [64] MapLiteral ::= '{' ( PropertyKeyName ':' Expression ( ',' PropertyKeyName ':' Expression )* )? '}'
/// `{k: v, ...}`, also the property map of a pattern.
pub(super) fn map_literal(i: &str) -> PResult<'_, (Vec<(Name, Expr)>, Span)> {
    let (mut i, open) = sym("{")(i)?;
    let mut entries = Vec::new();
    if !at_sym(i, "}") {
        loop {
            let (r, (name, span, _)) = expect(i, symbolic_name, "a property key in the map")?;
            let (r, _) = expect(r, sym(":"), "`:` after the map key")?;
            let (r, e) = expect(r, expression, "a value after `:`")?;
            entries.push((Name { name, span }, e));
            i = r;
            match sym(",")(i) {
                Ok((r, _)) => i = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = expect(i, sym("}"), "`,` or `}` to close the map")?;
    Ok((rest, (entries, open.to(close))))
}

// [58] CountStar ::= 'COUNT' '(' '*' ')'
/// Atoms that begin with a word: keywords literals, `count(*)`, `CASE`,
/// `EXISTS`, quantifiers, `reduce`, function calls, map projections,
/// variables.
fn word_atom(i: &str, start: usize) -> PResult<'_, Expr> {
    let word = super::keywords::peek_word(i).to_ascii_uppercase();
    let quoted = i.starts_with('`');
    if !quoted {
        match word.as_str() {
            "TRUE" | "FALSE" | "NULL" => {
                let (rest, span) = kw(match word.as_str() {
                    "TRUE" => "TRUE",
                    "FALSE" => "FALSE",
                    _ => "NULL",
                })(i)?;
                let lit = match word.as_str() {
                    "TRUE" => Literal::Bool(true),
                    "FALSE" => Literal::Bool(false),
                    _ => Literal::Null,
                };
                return Ok((rest, lit_expr(lit, span)));
            }
            "CASE" => return case_expr(i),
            "COUNT" => {
                if let Ok((r, _)) = kw("COUNT")(i) {
                    if let Ok((r, _)) = sym("(")(r) {
                        if let Ok((r, _)) = sym("*")(r) {
                            let (r, close) = expect(r, sym(")"), "`)` after `count(*`")?;
                            return Ok((
                                r,
                                Expr {
                                    kind: ExprKind::CountStar,
                                    span: Span::new(start, close.end),
                                },
                            ));
                        }
                    }
                }
            }
            "EXISTS" if at_sym(kw("EXISTS")(i)?.0, "{") => return exists_subquery(i),
            "ALL" | "ANY" | "NONE" | "SINGLE" => {
                if let Some(r) = quantified(i, &word)? {
                    return Ok(r);
                }
            }
            "REDUCE" => {
                if let Some(r) = reduce(i)? {
                    return Ok(r);
                }
            }
            _ => {}
        }
    }
    // A function call: `a.b.c(`.
    let (mut rest, (first, fspan, _)) = symbolic_name(i)?;
    let mut parts = vec![Name {
        name: first.clone(),
        span: fspan,
    }];
    loop {
        if at_sym(rest, "(") {
            return function_call(rest, parts, start);
        }
        let t = skip_ws_lenient(rest);
        match t.strip_prefix('.').map(symbolic_name) {
            Some(Ok((r, (name, span, _)))) if !t.starts_with("..") => {
                parts.push(Name { name, span });
                rest = r;
            }
            _ => break,
        }
    }
    let (rest, (name, span)) = match variable_name(i) {
        Ok(r) => r,
        Err(Err::Error(_)) => return fail(i, messages::EXPRESSION),
        Err(e) => return Err(e),
    };
    if at_sym(rest, "{") {
        return map_projection(rest, Variable { name, span });
    }
    Ok((
        rest,
        Expr {
            kind: ExprKind::Variable(name),
            span,
        },
    ))
}

// [65] FunctionCall ::= FunctionName '(' 'DISTINCT'? ( Expression ( ',' Expression )* )? ')'
// [66] FunctionName ::= ( SymbolicName '.' )* SymbolicName
fn function_call(i: &str, name: Vec<Name>, start: usize) -> PResult<'_, Expr> {
    let (mut i, _) = sym("(")(i)?;
    let distinct = match kw("DISTINCT")(i) {
        Ok((r, _)) => {
            i = r;
            true
        }
        Err(_) => false,
    };
    let mut args = Vec::new();
    if !at_sym(i, ")") {
        loop {
            let (r, e) = expect(i, expression, "a function argument")?;
            args.push(e);
            i = r;
            match sym(",")(i) {
                Ok((r, _)) => i = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = expect(i, sym(")"), "`,` or `)` to close the argument list")?;
    Ok((
        rest,
        Expr {
            kind: ExprKind::FunctionCall {
                name,
                distinct,
                args,
            },
            span: Span::new(start, close.end),
        },
    ))
}

// [67] CaseExpression ::= 'CASE' Expression? ( 'WHEN' Expression 'THEN' Expression )+ ( 'ELSE' Expression )? 'END'
fn case_expr(i: &str) -> PResult<'_, Expr> {
    let (mut i, open) = kw("CASE")(i)?;
    let operand = if at_kw(i, "WHEN") {
        None
    } else {
        let (r, e) = expect(i, expression, "`WHEN` or an expression after `CASE`")?;
        i = r;
        Some(boxed(e))
    };
    let mut alternatives = Vec::new();
    while let Ok((r, _)) = kw("WHEN")(i) {
        let (r, when) = expect(r, expression, "an expression after `WHEN`")?;
        let (r, _) = expect(r, kw("THEN"), "`THEN` after the `WHEN` expression")?;
        let (r, then) = expect(r, expression, "an expression after `THEN`")?;
        alternatives.push((when, then));
        i = r;
    }
    if alternatives.is_empty() {
        return fatal(i, "`WHEN` in the `CASE` expression");
    }
    let default = match kw("ELSE")(i) {
        Ok((r, _)) => {
            let (r, e) = expect(r, expression, "an expression after `ELSE`")?;
            i = r;
            Some(boxed(e))
        }
        Err(_) => None,
    };
    let (rest, end) = expect(
        i,
        kw("END"),
        "`WHEN`, `ELSE` or `END` in the `CASE` expression",
    )?;
    Ok((
        rest,
        Expr {
            kind: ExprKind::Case {
                operand,
                alternatives,
                default,
            },
            span: open.to(end),
        },
    ))
}

// [68] ExistsSubquery ::= 'EXISTS' '{' ( Pattern ( 'WHERE' Expression )? | Query ) '}'
fn exists_subquery(i: &str) -> PResult<'_, Expr> {
    let (i, open) = kw("EXISTS")(i)?;
    let (i, _) = sym("{")(i)?;
    let t = skip_ws_lenient(i);
    // A query begins with a clause keyword; anything else is a pattern.
    let is_pattern = t.starts_with('(') || {
        let word = super::keywords::peek_word(t);
        !super::keywords::CLAUSE_KEYWORDS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(word))
    };
    let (rest, body) = if is_pattern {
        let (r, parts) = expect(i, pattern, "a pattern in `EXISTS { ... }`")?;
        let (r, predicate) = opt_where(r)?;
        (r, ExistsBody::Pattern(parts, predicate))
    } else {
        let (r, q) = clauses::query(i)?;
        (r, ExistsBody::Query(Box::new(q)))
    };
    let (rest, close) = expect(rest, sym("}"), "`}` to close `EXISTS {`")?;
    Ok((
        rest,
        Expr {
            kind: ExprKind::Exists(body),
            span: open.to(close),
        },
    ))
}

// [69] Quantified ::= ( 'ALL' | 'ANY' | 'NONE' | 'SINGLE' ) '(' Variable 'IN' Expression 'WHERE' Expression ')'
/// `Ok(None)` when the word is followed by something else (a function or
/// variable of that name).
fn quantified<'a>(i: &'a str, word: &str) -> Result<Option<(&'a str, Expr)>, Err<super::PError>> {
    let quantifier = match word {
        "ALL" => Quantifier::All,
        "ANY" => Quantifier::Any,
        "NONE" => Quantifier::None,
        _ => Quantifier::Single,
    };
    let Ok((r, (_, open, _))) = symbolic_name(i) else {
        return Ok(None);
    };
    let Ok((r, _)) = sym("(")(r) else {
        return Ok(None);
    };
    let Ok((r, (name, vspan))) = variable_name(r) else {
        return Ok(None);
    };
    let Ok((r, _)) = kw("IN")(r) else {
        return Ok(None);
    };
    let (r, list) = expect(r, expression, "a list after `IN`")?;
    let (r, _) = expect(
        r,
        kw("WHERE"),
        &format!("`WHERE` and a predicate in `{word}(...)`"),
    )?;
    let (r, predicate) = expect(r, expression, "a predicate after `WHERE`")?;
    let (r, close) = expect(r, sym(")"), "`)` to close the quantifier")?;
    Ok(Some((
        r,
        Expr {
            kind: ExprKind::Quantified {
                quantifier,
                variable: Variable { name, span: vspan },
                list: boxed(list),
                predicate: boxed(predicate),
            },
            span: open.to(close),
        },
    )))
}

// [70] Reduce ::= 'REDUCE' '(' Variable '=' Expression ',' Variable 'IN' Expression '|' Expression ')'
fn reduce(i: &str) -> Result<Option<(&str, Expr)>, Err<super::PError>> {
    let Ok((r, open)) = kw("REDUCE")(i) else {
        return Ok(None);
    };
    let Ok((r, _)) = sym("(")(r) else {
        return Ok(None);
    };
    let Ok((r, (acc, acc_span))) = variable_name(r) else {
        return Ok(None);
    };
    if !at_sym(r, "=") {
        return Ok(None);
    }
    let (r, _) = sym("=")(r)?;
    let (r, init) = expect(r, expression, "the initial value of the accumulator")?;
    let (r, _) = expect(r, sym(","), "`,` after the initial value in `reduce`")?;
    let (r, (name, vspan)) = expect(r, variable_name, "a variable for the list elements")?;
    let (r, _) = expect(r, kw("IN"), "`IN` after the element variable")?;
    let (r, list) = expect(r, expression, "a list after `IN`")?;
    let (r, _) = expect(r, sym("|"), "`|` and the step expression in `reduce`")?;
    let (r, expr) = expect(r, expression, "the step expression after `|`")?;
    let (r, close) = expect(r, sym(")"), "`)` to close `reduce`")?;
    Ok(Some((
        r,
        Expr {
            kind: ExprKind::Reduce {
                accumulator: Variable {
                    name: acc,
                    span: acc_span,
                },
                init: boxed(init),
                variable: Variable { name, span: vspan },
                list: boxed(list),
                expr: boxed(expr),
            },
            span: open.to(close),
        },
    )))
}

// [71] MapProjection ::= Variable '{' ( MapProjectionItem ( ',' MapProjectionItem )* )? '}'
// [72] MapProjectionItem ::= '.' PropertyKeyName | '.' '*' | PropertyKeyName ':' Expression | Variable
fn map_projection(i: &str, variable: Variable) -> PResult<'_, Expr> {
    let (mut i, _) = sym("{")(i)?;
    let mut items = Vec::new();
    if !at_sym(i, "}") {
        loop {
            let (r, item) = map_projection_item(i)?;
            items.push(item);
            i = r;
            match sym(",")(i) {
                Ok((r, _)) => i = r,
                Err(_) => break,
            }
        }
    }
    let (rest, close) = expect(i, sym("}"), "`,` or `}` to close the map projection")?;
    let span = variable.span.to(close);
    Ok((
        rest,
        Expr {
            kind: ExprKind::MapProjection { variable, items },
            span,
        },
    ))
}

fn map_projection_item(i: &str) -> PResult<'_, MapProjectionItem> {
    if let Ok((r, dot)) = sym(".")(i) {
        if let Ok((r, star)) = sym("*")(r) {
            return Ok((r, MapProjectionItem::AllProperties(dot.to(star))));
        }
        let (r, (name, span, _)) = expect(r, symbolic_name, "a property name or `*` after `.`")?;
        return Ok((r, MapProjectionItem::Property(Name { name, span })));
    }
    let (r, (name, span, quoted)) =
        expect(i, symbolic_name, "`.key`, `.*`, `key: value` or a variable")?;
    if let Ok((r, _)) = sym(":")(r) {
        let (r, e) = expect(r, expression, "a value after `:`")?;
        return Ok((r, MapProjectionItem::Literal(Name { name, span }, e)));
    }
    if !quoted && super::keywords::is_reserved(&name) {
        return fatal(i, "a variable");
    }
    Ok((r, MapProjectionItem::Variable(Variable { name, span })))
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

/// Finds a pattern predicate outside a boolean position.
fn check_patterns(e: &Expr, boolean: bool) -> Result<(), Span> {
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
