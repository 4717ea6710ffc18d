//! Statements, queries and clauses.

use nom::Err;

use super::expr::{boolean_expression, postfix_expr, value_expression as expression};
use super::keywords::{
    at_sym, expect, kw, peek_word, skip_ws_lenient, span_from, sym, symbolic_name, token_start,
    variable_name, ws,
};
use super::pattern::{pattern, pattern_part};
use super::{PError, PResult, fatal, messages};
use crate::query::ast::{
    Call, Clause, Create, Delete, Expr, ExprKind, Match, Merge, MergeAction, Name, Projection,
    ProjectionItem, Query, Remove, RemoveItem, Return, SetClause, SetItem, SingleQuery, SortItem,
    Statement, StatementMode, Unwind, Variable, With, YieldItem,
};

// [1] Statement ::= ( 'EXPLAIN' | 'PROFILE' )? Query ';'? WS
/// A whole statement, up to the end of the text.
pub(super) fn statement(i: &str) -> PResult<'_, Statement> {
    let (i, start) = token_start(i)?;
    let (i, mode) = if let Ok((r, _)) = kw("EXPLAIN")(i) {
        (r, StatementMode::Explain)
    } else if let Ok((r, _)) = kw("PROFILE")(i) {
        (r, StatementMode::Profile)
    } else {
        (i, StatementMode::Normal)
    };
    let (i, query) = query(i)?;
    let span = span_from(start, i);
    let (i, semicolon) = match sym(";")(i) {
        Ok((r, _)) => (r, true),
        Err(_) => (i, false),
    };
    let (i, ()) = ws(i)?;
    if !i.is_empty() {
        if semicolon {
            return Err(Err::Failure(PError::at(i, messages::ONE_STATEMENT)));
        }
        return end_error(i);
    }
    Ok((i, Statement { mode, query, span }))
}

/// The error for text left after a complete query.
fn end_error<'a, T>(i: &'a str) -> PResult<'a, T> {
    let t = skip_ws_lenient(i);
    let word = peek_word(t);
    if ["ORDER", "SKIP", "LIMIT"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
    {
        return Err(Err::Failure(PError::at(t, messages::MISPLACED_MODIFIER)));
    }
    if !word.is_empty() {
        if let Some(s) = super::keywords::suggest_clause(word) {
            return Err(Err::Failure(PError::at(
                t,
                format!("unknown clause `{word}`; did you mean `{s}`?"),
            )));
        }
    }
    fatal(t, messages::END)
}

// [2] Query ::= SingleQuery ( 'UNION' 'ALL'? SingleQuery )*
/// Single queries joined by `UNION [ALL]`.
pub(super) fn query(i: &str) -> PResult<'_, Query> {
    let (i, start) = token_start(i)?;
    let (mut i, first) = single_query(i)?;
    let mut unions = Vec::new();
    while let Ok((r, _)) = kw("UNION")(i) {
        let (r, all) = match kw("ALL")(r) {
            Ok((r, _)) => (r, true),
            Err(_) => (r, false),
        };
        let (r, q) = single_query(r)?;
        unions.push((all, q));
        i = r;
    }
    Ok((
        i,
        Query {
            first,
            unions,
            span: span_from(start, i),
        },
    ))
}

// [3] SingleQuery ::= Clause+
fn single_query(i: &str) -> PResult<'_, SingleQuery> {
    let (mut i, start) = token_start(i)?;
    let mut clauses = Vec::new();
    while let Some(r) = clause(i)? {
        clauses.push(r.1);
        i = r.0;
    }
    if clauses.is_empty() {
        let t = skip_ws_lenient(i);
        let word = peek_word(t);
        if let Some(s) = super::keywords::suggest_clause(word) {
            return Err(Err::Failure(PError::at(
                t,
                format!("unknown clause `{word}`; did you mean `{s}`?"),
            )));
        }
        return fatal(t, messages::CLAUSE);
    }
    Ok((
        i,
        SingleQuery {
            clauses,
            span: span_from(start, i),
        },
    ))
}

// [4] Clause ::= Match | Unwind | With | Return | Create | Merge | Set | Remove | Delete | Call
/// The next clause, or `None` if no clause keyword follows.
fn clause(i: &str) -> Result<Option<(&str, Clause)>, Err<PError>> {
    let word = peek_word(i).to_ascii_uppercase();
    let r = match word.as_str() {
        "MATCH" | "OPTIONAL" => {
            let (r, c) = match_clause(i)?;
            (r, Clause::Match(c))
        }
        "UNWIND" => {
            let (r, c) = unwind_clause(i)?;
            (r, Clause::Unwind(c))
        }
        "WITH" => {
            let (r, c) = with_clause(i)?;
            (r, Clause::With(c))
        }
        "RETURN" => {
            let (r, c) = return_clause(i)?;
            (r, Clause::Return(c))
        }
        "CREATE" => {
            let (r, c) = create_clause(i)?;
            (r, Clause::Create(c))
        }
        "MERGE" => {
            let (r, c) = merge_clause(i)?;
            (r, Clause::Merge(c))
        }
        "SET" => {
            let (r, c) = set_clause(i)?;
            (r, Clause::Set(c))
        }
        "REMOVE" => {
            let (r, c) = remove_clause(i)?;
            (r, Clause::Remove(c))
        }
        "DELETE" | "DETACH" => {
            let (r, c) = delete_clause(i)?;
            (r, Clause::Delete(c))
        }
        "CALL" => {
            let (r, c) = call_clause(i)?;
            (r, Clause::Call(c))
        }
        _ => return Ok(None),
    };
    Ok(Some(r))
}

// [6] Where ::= 'WHERE' BooleanExpression
fn where_expr(i: &str) -> PResult<'_, Option<Expr>> {
    match kw("WHERE")(i) {
        Ok((r, _)) => {
            let (r, e) = expect(r, boolean_expression, "an expression after `WHERE`")?;
            Ok((r, Some(e)))
        }
        Err(_) => Ok((i, None)),
    }
}

/// The pattern after a clause keyword; a bare name gets a reminder that
/// nodes are written in parentheses.
fn pattern_after<'a, T>(
    i: &'a str,
    p: fn(&'a str) -> PResult<'a, T>,
    clause: &'static str,
) -> PResult<'a, T> {
    let t = skip_ws_lenient(i);
    let word = peek_word(t);
    let after = t[word.len()..].trim_start();
    // `p = ...` names a path; `shortestPath(...)` is a pattern too.
    if !word.is_empty() && !after.starts_with(['=', '(']) {
        return Err(Err::Failure(PError::at(
            t,
            format!(
                "expected a pattern after `{clause}`, found `{word}`: nodes are written in parentheses, as in `({word})` or `({word}:Label)`"
            ),
        )));
    }
    expect(i, p, format!("a pattern after `{clause}`"))
}

// [5] Match ::= 'OPTIONAL'? 'MATCH' Pattern Where?
fn match_clause(i: &str) -> PResult<'_, Match> {
    let (i, start) = token_start(i)?;
    let (i, optional) = match kw("OPTIONAL")(i) {
        Ok((r, _)) => {
            let (r, _) = expect(r, kw("MATCH"), "`MATCH` after `OPTIONAL`")?;
            (r, true)
        }
        Err(_) => (kw("MATCH")(i)?.0, false),
    };
    let (i, pattern) = pattern_after(i, pattern, "MATCH")?;
    let (i, where_clause) = where_expr(i)?;
    Ok((
        i,
        Match {
            optional,
            pattern,
            where_clause,
            span: span_from(start, i),
        },
    ))
}

// [7] Unwind ::= 'UNWIND' ValueExpression 'AS' Variable
fn unwind_clause(i: &str) -> PResult<'_, Unwind> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("UNWIND")(i)?;
    let (i, expr) = expect(i, expression, "an expression after `UNWIND`")?;
    let (i, _) = expect(
        i,
        kw("AS"),
        "`AS` and a variable after the `UNWIND` expression",
    )?;
    let (i, (name, span)) = expect(i, variable_name, "a variable after `AS`")?;
    Ok((
        i,
        Unwind {
            expr,
            variable: Variable { name, span },
            span: span_from(start, i),
        },
    ))
}

// [8] With ::= 'WITH' ProjectionBody Where?
fn with_clause(i: &str) -> PResult<'_, With> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("WITH")(i)?;
    let (i, projection) = projection_body(i, "WITH")?;
    let (i, where_clause) = where_expr(i)?;
    Ok((
        i,
        With {
            projection,
            where_clause,
            span: span_from(start, i),
        },
    ))
}

// [9] Return ::= 'RETURN' ProjectionBody
fn return_clause(i: &str) -> PResult<'_, Return> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("RETURN")(i)?;
    let (i, projection) = projection_body(i, "RETURN")?;
    Ok((
        i,
        Return {
            projection,
            span: span_from(start, i),
        },
    ))
}

// [10] ProjectionBody ::= 'DISTINCT'? ProjectionItems Order? Skip? Limit?
// [11] ProjectionItems ::= '*' ( ',' ProjectionItem )* | ProjectionItem ( ',' ProjectionItem )*
// [13] Order ::= 'ORDER' 'BY' SortItem ( ',' SortItem )*
// [15] Skip ::= 'SKIP' ValueExpression
// [16] Limit ::= 'LIMIT' ValueExpression
fn projection_body<'a>(i: &'a str, clause: &str) -> PResult<'a, Projection> {
    let (mut i, distinct) = match kw("DISTINCT")(i) {
        Ok((r, _)) => (r, true),
        Err(_) => (i, false),
    };
    let mut star = false;
    let mut items = Vec::new();
    if let Ok((r, _)) = sym("*")(i) {
        star = true;
        i = r;
    } else {
        let (r, item) = expect(
            i,
            projection_item,
            format!("an expression or `*` after `{clause}`"),
        )?;
        items.push(item);
        i = r;
    }
    while let Ok((r, _)) = sym(",")(i) {
        let (r, item) = expect(r, projection_item, "an expression after `,`")?;
        items.push(item);
        i = r;
    }
    let mut order_by = Vec::new();
    if let Ok((r, _)) = kw("ORDER")(i) {
        let (r, _) = expect(r, kw("BY"), "`BY` after `ORDER`")?;
        let (mut r, first) = expect(r, sort_item, "an expression after `ORDER BY`")?;
        order_by.push(first);
        while let Ok((r2, _)) = sym(",")(r) {
            let (r2, item) = expect(r2, sort_item, "an expression after `,`")?;
            order_by.push(item);
            r = r2;
        }
        i = r;
    }
    let mut skip = None;
    if let Ok((r, _)) = kw("SKIP")(i) {
        let (r, e) = expect(r, expression, "an expression after `SKIP`")?;
        skip = Some(e);
        i = r;
    }
    let mut limit = None;
    if let Ok((r, _)) = kw("LIMIT")(i) {
        let (r, e) = expect(r, expression, "an expression after `LIMIT`")?;
        limit = Some(e);
        i = r;
    }
    Ok((
        i,
        Projection {
            distinct,
            star,
            items,
            order_by,
            skip,
            limit,
        },
    ))
}

// [12] ProjectionItem ::= ValueExpression ( 'AS' Variable )?
/// The column is the alias, or the expression's text as written.
fn projection_item(i: &str) -> PResult<'_, ProjectionItem> {
    let (t, ()) = ws(i)?;
    let (rest, expr) = expression(t)?;
    let text = t[..t.len() - rest.len()].trim();
    match kw("AS")(rest) {
        Ok((r, _)) => {
            let (r, (name, span)) = expect(r, variable_name, "a column name after `AS`")?;
            Ok((
                r,
                ProjectionItem {
                    expr,
                    column: name.clone(),
                    alias: Some(Variable { name, span }),
                },
            ))
        }
        Err(_) => Ok((
            rest,
            ProjectionItem {
                expr,
                alias: None,
                column: text.to_string(),
            },
        )),
    }
}

// [14] SortItem ::= ValueExpression ( 'ASCENDING' | 'ASC' | 'DESCENDING' | 'DESC' )?
fn sort_item(i: &str) -> PResult<'_, SortItem> {
    let (i, expr) = expression(i)?;
    let word = peek_word(i).to_ascii_uppercase();
    let (i, descending) = match word.as_str() {
        "DESC" | "DESCENDING" => (
            kw(if word == "DESC" { "DESC" } else { "DESCENDING" })(i)?.0,
            true,
        ),
        "ASC" | "ASCENDING" => (
            kw(if word == "ASC" { "ASC" } else { "ASCENDING" })(i)?.0,
            false,
        ),
        _ => (i, false),
    };
    Ok((i, SortItem { expr, descending }))
}

// [17] Create ::= 'CREATE' Pattern
fn create_clause(i: &str) -> PResult<'_, Create> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("CREATE")(i)?;
    let (i, pattern) = pattern_after(i, pattern, "CREATE")?;
    Ok((
        i,
        Create {
            pattern,
            span: span_from(start, i),
        },
    ))
}

// [18] Merge ::= 'MERGE' PatternPart MergeAction*
// [19] MergeAction ::= 'ON' ( 'MATCH' | 'CREATE' ) 'SET' SetItem ( ',' SetItem )*
fn merge_clause(i: &str) -> PResult<'_, Merge> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("MERGE")(i)?;
    let (mut i, part) = pattern_after(i, pattern_part, "MERGE")?;
    let mut actions = Vec::new();
    while let Ok((r, _)) = kw("ON")(i) {
        let (r, on_create) = if let Ok((r, _)) = kw("CREATE")(r) {
            (r, true)
        } else {
            let (r, _) = expect(r, kw("MATCH"), "`CREATE` or `MATCH` after `ON`")?;
            (r, false)
        };
        let (r, _) = expect(r, kw("SET"), "`SET` after `ON CREATE` or `ON MATCH`")?;
        let (r, items) = set_items(r)?;
        actions.push(MergeAction { on_create, items });
        i = r;
    }
    Ok((
        i,
        Merge {
            part,
            actions,
            span: span_from(start, i),
        },
    ))
}

// [20] Set ::= 'SET' SetItem ( ',' SetItem )*
fn set_clause(i: &str) -> PResult<'_, SetClause> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("SET")(i)?;
    let (i, items) = set_items(i)?;
    Ok((
        i,
        SetClause {
            items,
            span: span_from(start, i),
        },
    ))
}

fn set_items(i: &str) -> PResult<'_, Vec<SetItem>> {
    let (mut i, first) = set_item(i)?;
    let mut items = vec![first];
    while let Ok((r, _)) = sym(",")(i) {
        let (r, item) = set_item(r)?;
        items.push(item);
        i = r;
    }
    Ok((i, items))
}

// [21] SetItem ::= PostfixExpression '.' PropertyKeyName '=' ValueExpression | Variable ( '=' | '+=' ) ValueExpression | Variable NodeLabels
fn set_item(i: &str) -> PResult<'_, SetItem> {
    let (t, ()) = ws(i)?;
    let (r, target) = expect(t, postfix_expr, "a property, variable or label to set")?;
    match target.kind {
        ExprKind::HasLabels(base, labels) => match base.kind {
            ExprKind::Variable(name) => Ok((
                r,
                SetItem::Labels {
                    variable: Variable {
                        name,
                        span: base.span,
                    },
                    labels,
                },
            )),
            _ => fatal(t, "a variable before the labels to set"),
        },
        ExprKind::Property(base, key) => {
            let (r, _) = expect(r, sym("="), "`=` after the property to set")?;
            let (r, value) = expect(r, expression, "a value after `=`")?;
            Ok((
                r,
                SetItem::Property {
                    target: *base,
                    key,
                    value,
                },
            ))
        }
        ExprKind::Variable(name) => {
            let variable = Variable {
                name,
                span: target.span,
            };
            if let Ok((r, _)) = sym("+=")(r) {
                let (r, value) = expect(r, expression, "a map after `+=`")?;
                return Ok((r, SetItem::Merge { variable, value }));
            }
            let (r, _) = expect(r, sym("="), "`=`, `+=` or `:Label` after the variable")?;
            let (r, value) = expect(r, expression, "a value after `=`")?;
            Ok((r, SetItem::Replace { variable, value }))
        }
        _ => fatal(t, "a property `x.key`, a variable or `x:Label` to set"),
    }
}

// [22] Remove ::= 'REMOVE' RemoveItem ( ',' RemoveItem )*
// [23] RemoveItem ::= Variable NodeLabels | PostfixExpression '.' PropertyKeyName
fn remove_clause(i: &str) -> PResult<'_, Remove> {
    let (i, start) = token_start(i)?;
    let (mut i, _) = kw("REMOVE")(i)?;
    let mut items = Vec::new();
    loop {
        let (t, ()) = ws(i)?;
        let (r, target) = expect(t, postfix_expr, "a property or label to remove")?;
        let item = match target.kind {
            ExprKind::HasLabels(base, labels) => match base.kind {
                ExprKind::Variable(name) => RemoveItem::Labels {
                    variable: Variable {
                        name,
                        span: base.span,
                    },
                    labels,
                },
                _ => return fatal(t, "a variable before the labels to remove"),
            },
            ExprKind::Property(base, key) => RemoveItem::Property { target: *base, key },
            _ => return fatal(t, "a property `x.key` or labels `x:Label` to remove"),
        };
        items.push(item);
        i = r;
        match sym(",")(i) {
            Ok((r, _)) => i = r,
            Err(_) => break,
        }
    }
    Ok((
        i,
        Remove {
            items,
            span: span_from(start, i),
        },
    ))
}

// [24] Delete ::= 'DETACH'? 'DELETE' ValueExpression ( ',' ValueExpression )*
fn delete_clause(i: &str) -> PResult<'_, Delete> {
    let (i, start) = token_start(i)?;
    let (i, detach) = match kw("DETACH")(i) {
        Ok((r, _)) => (expect(r, kw("DELETE"), "`DELETE` after `DETACH`")?.0, true),
        Err(_) => (kw("DELETE")(i)?.0, false),
    };
    let (mut i, first) = expect(i, expression, "an expression after `DELETE`")?;
    let mut exprs = vec![first];
    while let Ok((r, _)) = sym(",")(i) {
        let (r, e) = expect(r, expression, "an expression after `,`")?;
        exprs.push(e);
        i = r;
    }
    Ok((
        i,
        Delete {
            detach,
            exprs,
            span: span_from(start, i),
        },
    ))
}

// [25] Call ::= 'CALL' FunctionName ( '(' ( ValueExpression ( ',' ValueExpression )* )? ')' )? ( 'YIELD' ( '*' | YieldItem ( ',' YieldItem )* Where? ) )?
// [26] YieldItem ::= SymbolicName ( 'AS' Variable )?
fn call_clause(i: &str) -> PResult<'_, Call> {
    let (i, start) = token_start(i)?;
    let (i, _) = kw("CALL")(i)?;
    let (mut i, (name, span, _)) = expect(i, symbolic_name, "a procedure name after `CALL`")?;
    let mut procedure = vec![Name { name, span }];
    while let Ok((r, _)) = sym(".")(i) {
        let (r, (name, span, _)) = expect(r, symbolic_name, "a name after `.`")?;
        procedure.push(Name { name, span });
        i = r;
    }
    let args = if let Ok((r, _)) = sym("(")(i) {
        let mut args = Vec::new();
        let mut r = r;
        if !at_sym(r, ")") {
            loop {
                let (r2, e) = expect(r, expression, "a procedure argument")?;
                args.push(e);
                r = r2;
                match sym(",")(r) {
                    Ok((r2, _)) => r = r2,
                    Err(_) => break,
                }
            }
        }
        let (r, _) = expect(r, sym(")"), "`,` or `)` to close the argument list")?;
        i = r;
        Some(args)
    } else {
        None
    };
    let mut yields = None;
    let mut where_clause = None;
    if let Ok((r, _)) = kw("YIELD")(i) {
        if let Ok((r, _)) = sym("*")(r) {
            yields = Some(Vec::new());
            i = r;
        } else {
            let mut items = Vec::new();
            let mut r = r;
            loop {
                let (r2, (name, span, _)) = expect(r, symbolic_name, "a field name to yield")?;
                let (r2, alias) = match kw("AS")(r2) {
                    Ok((r3, _)) => {
                        let (r3, (n, s)) = expect(r3, variable_name, "a variable after `AS`")?;
                        (r3, Some(Variable { name: n, span: s }))
                    }
                    Err(_) => (r2, None),
                };
                items.push(YieldItem {
                    field: Name { name, span },
                    alias,
                });
                r = r2;
                match sym(",")(r) {
                    Ok((r2, _)) => r = r2,
                    Err(_) => break,
                }
            }
            let (r, w) = where_expr(r)?;
            where_clause = w;
            yields = Some(items);
            i = r;
        }
    }
    Ok((
        i,
        Call {
            procedure,
            args,
            yields,
            where_clause,
            span: span_from(start, i),
        },
    ))
}
