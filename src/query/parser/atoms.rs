//! Atoms: literals, parameters, lists and maps, comprehensions, `CASE`,
//! `count(*)`, quantifiers, `reduce`, `EXISTS { ... }`, pattern predicates,
//! parenthesised expressions, function calls, map projections, variables.

use nom::Err;

use super::clauses;
use super::expr::{boxed, expression};
use super::keywords::{
    at_kw, at_sym, expect, is_ident_start, kw, skip_ws_lenient, sym, symbolic_name, token_start,
    variable_name,
};
use super::literals::{at_number, number, parameter, string};
use super::pattern::{pattern, relationships_pattern};
use super::{PResult, fail, fatal, messages};
use crate::error::Span;
use crate::query::ast::{
    ExistsBody, Expr, ExprKind, Literal, MapProjectionItem, Name, Quantifier, Variable,
};

// [56] Atom ::= Literal | Parameter | CountStar | CaseExpression | ListComprehension | PatternComprehension | Quantified | Reduce | ExistsSubquery | PatternPredicate | ParenthesizedExpression | FunctionCall | MapProjection | Variable
// [57] Literal ::= NumberLiteral | StringLiteral | 'TRUE' | 'FALSE' | 'NULL' | ListLiteral | MapLiteral
pub(super) fn atom(i: &str) -> PResult<'_, Expr> {
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
        '[' => memoized(t, list_like),
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
        '(' => memoized(t, parenthesized_or_pattern),
        c if is_ident_start(c) || c == '`' => word_atom(t, start),
        _ => fail(t, messages::EXPRESSION),
    }
}

type Outcome = Result<(usize, Expr), super::PError>;

thread_local! {
    /// Outcomes of bracketed atoms by offset, for one parse.
    static MEMO: std::cell::RefCell<std::collections::HashMap<usize, Outcome>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Forgets the remembered outcomes (a new text is being parsed).
pub(super) fn clear_memo() {
    MEMO.with(|m| m.borrow_mut().clear());
}

/// Runs `p` at `i` once per parse: an atom in brackets is read first as a
/// pattern and then as an expression, so nested brackets would otherwise be
/// parsed exponentially often.
fn memoized<'a>(i: &'a str, p: fn(&'a str) -> PResult<'a, Expr>) -> PResult<'a, Expr> {
    let key = super::keywords::offset(i);
    if let Some(hit) = MEMO.with(|m| m.borrow().get(&key).cloned()) {
        return match hit {
            Ok((end, e)) => Ok((i.get(end - key..).unwrap_or(""), e)),
            Err(e) => Err(Err::Error(e)),
        };
    }
    let result = p(i);
    let outcome = match &result {
        Ok((rest, e)) => Some(Ok((super::keywords::offset(rest), e.clone()))),
        Err(Err::Error(e)) => Some(Err(e.clone())),
        Err(_) => None,
    };
    if let Some(outcome) = outcome {
        MEMO.with(|m| m.borrow_mut().insert(key, outcome));
    }
    result
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
    // `[p = (1)]` and `[(a)]` are lists: only a pattern followed by
    // `WHERE` or `|` makes a comprehension.
    let (rest, element) = match relationships_pattern(after_var) {
        Ok(r) => r,
        Err(Err::Error(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    if !(at_kw(rest, "WHERE") || at_sym(rest, "|")) {
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
        format!("`WHERE` and a predicate in `{word}(...)`"),
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
