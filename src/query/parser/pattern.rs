//! Patterns: parts, named paths, shortest paths, node and relationship
//! patterns with labels, types, lengths and property maps.

use nom::Err;

use super::atoms::map_literal;
use super::expr::node_labels;
use super::keywords::{
    at_sym, expect, skip_ws_lenient, span_from, sym, symbolic_name, token_start, variable_name,
};
use super::literals::{parameter, unsigned};
use super::{PError, PResult, fail, fail_recorded, messages};
use crate::error::Span;
use crate::query::ast::{
    Expr, ExprKind, Name, NodePattern, PathKind, PatternElement, PatternPart, RangeSpec,
    RelDirection, RelPattern, Variable,
};

// [27] Pattern ::= PatternPart ( ',' PatternPart )*
/// Comma-separated pattern parts.
pub(super) fn pattern(i: &str) -> PResult<'_, Vec<PatternPart>> {
    let (mut i, first) = pattern_part(i)?;
    let mut parts = vec![first];
    while let Ok((r, _)) = sym(",")(i) {
        let (r, part) = expect(r, pattern_part, "a pattern after `,`")?;
        parts.push(part);
        i = r;
    }
    Ok((i, parts))
}

// [28] PatternPart ::= ( Variable '=' )? AnonymousPatternPart
// [29] AnonymousPatternPart ::= ( 'shortestPath' | 'allShortestPaths' ) '(' PatternElement ')' | PatternElement
/// `[p =] element`, or a shortest-path form.
pub(super) fn pattern_part(i: &str) -> PResult<'_, PatternPart> {
    let (i, start) = token_start(i)?;
    let (i, variable) = match variable_name(i) {
        Ok((r, (name, span))) if at_sym(r, "=") => {
            let (r, _) = sym("=")(r)?;
            (r, Some(Variable { name, span }))
        }
        _ => (i, None),
    };
    let t = skip_ws_lenient(i);
    let word = super::keywords::peek_word(t);
    let kind = if word.eq_ignore_ascii_case("shortestPath") {
        PathKind::ShortestPath
    } else if word.eq_ignore_ascii_case("allShortestPaths") {
        PathKind::AllShortestPaths
    } else {
        PathKind::Normal
    };
    let (rest, element) = if kind == PathKind::Normal {
        match pattern_element(i) {
            Err(Err::Error(e)) if variable.is_some() => {
                let mine = PError::expected(t, "a pattern after `=`").record();
                return Err(Err::Failure(e.or_further(mine)));
            }
            r => r?,
        }
    } else {
        let (r, _) = symbolic_name(t)?;
        let (r, _) = expect(r, sym("("), format!("`(` after `{word}`"))?;
        let (r, element) = expect(r, pattern_element, "a pattern inside the shortest path")?;
        let (r, _) = expect(r, sym(")"), format!("`)` to close `{word}(`"))?;
        (r, element)
    };
    Ok((
        rest,
        PatternPart {
            variable,
            kind,
            element,
            span: span_from(start, rest),
        },
    ))
}

// [30] PatternElement ::= NodePattern PatternElementChain* | '(' PatternElement ')'
// [31] PatternElementChain ::= RelationshipPattern NodePattern
/// A node followed by any number of hops.
pub(super) fn pattern_element(i: &str) -> PResult<'_, PatternElement> {
    chain(i, 0)
}

// [32] RelationshipsPattern ::= NodePattern PatternElementChain+
/// A node and at least one hop: a pattern usable as an expression.
pub(super) fn relationships_pattern(i: &str) -> PResult<'_, PatternElement> {
    chain(i, 1)
}

/// Expressions try a pattern before other readings at every `(` and `[`,
/// so the outcome at each offset is remembered: nested attempts would
/// otherwise re-parse the same text exponentially often.
fn chain(i: &str, min_hops: usize) -> PResult<'_, PatternElement> {
    let (i, ()) = super::keywords::ws(i)?;
    let key = (super::keywords::offset(i), min_hops);
    if let Some(hit) = MEMO.with(|m| m.borrow().get(&key).cloned()) {
        return match hit {
            Ok((end, element)) => Ok((i.get(end - key.0..).unwrap_or(""), element)),
            Err(e) => Err(Err::Error(e)),
        };
    }
    let result = chain_uncached(i, min_hops);
    let outcome = match &result {
        Ok((rest, element)) => Some(Ok((super::keywords::offset(rest), element.clone()))),
        Err(Err::Error(e)) => Some(Err(e.clone())),
        Err(_) => None,
    };
    if let Some(outcome) = outcome {
        MEMO.with(|m| m.borrow_mut().insert(key, outcome));
    }
    result
}

type Outcome = Result<(usize, PatternElement), PError>;

thread_local! {
    /// Outcomes of [`chain`] by offset and least hop count, for one parse.
    static MEMO: std::cell::RefCell<std::collections::HashMap<(usize, usize), Outcome>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Forgets the remembered outcomes (a new text is being parsed).
pub(super) fn clear_memo() {
    MEMO.with(|m| m.borrow_mut().clear());
}

fn chain_uncached(i: &str, min_hops: usize) -> PResult<'_, PatternElement> {
    let _nesting = super::Nesting::enter(i)?;
    let (i, start) = token_start(i)?;
    if !i.starts_with('(') {
        return Err(Err::Error(PError::expected(
            i,
            "`(` to start a node pattern",
        )));
    }
    // `((a)-->(b))`: a parenthesised element.
    if skip_ws_lenient(&i[1..]).starts_with('(') {
        if let Ok((r, _)) = sym("(")(i) {
            if let Ok((r, inner)) = chain(r, min_hops) {
                if let Ok((r, close)) = sym(")")(r) {
                    return Ok((
                        r,
                        PatternElement {
                            span: Span::new(start, close.end),
                            ..inner
                        },
                    ));
                }
            }
        }
    }
    let (mut i, first) = node_pattern(i)?;
    let mut hops = Vec::new();
    loop {
        match relationship_pattern(i) {
            Ok((r, rel)) => {
                let (r, node) = match node_pattern(r) {
                    Ok(x) => x,
                    // Once the arrow is complete a node must follow.
                    Err(Err::Error(e)) if rel.span.end > rel.span.start + 1 => {
                        let mine = PError::expected(
                            skip_ws_lenient(r),
                            "a node pattern `(...)` after the relationship",
                        )
                        .record();
                        return Err(Err::Error(e.or_further(mine)));
                    }
                    Err(e) => return Err(e),
                };
                hops.push((rel, node));
                i = r;
            }
            Err(Err::Error(e)) => {
                if hops.len() < min_hops {
                    return Err(Err::Error(e));
                }
                break;
            }
            Err(e) => return Err(e),
        }
    }
    Ok((
        i,
        PatternElement {
            start: first,
            chain: hops,
            span: span_from(start, i),
        },
    ))
}

// [33] NodePattern ::= '(' Variable? NodeLabels? Properties? ')'
/// `(var:Label {props})`.
pub(super) fn node_pattern(i: &str) -> PResult<'_, NodePattern> {
    let (i, open) = sym("(")(i)?;
    let (i, variable) = match variable_name(i) {
        Ok((r, (name, span))) => (r, Some(Variable { name, span })),
        Err(Err::Error(_)) => (i, None),
        Err(e) => return Err(e),
    };
    let (i, labels) = if at_sym(i, ":") {
        node_labels(i)?
    } else {
        (i, Vec::new())
    };
    let (i, properties) = properties(i)?;
    match sym(")")(i) {
        Ok((rest, close)) => Ok((
            rest,
            NodePattern {
                variable,
                labels,
                properties,
                span: open.to(close),
            },
        )),
        Err(_) => {
            let what = if properties.is_some() {
                messages::CLOSE_NODE.to_string()
            } else if labels.is_empty() && variable.is_none() {
                format!(
                    "a variable, `:Label`, `{{properties}}` or {}",
                    messages::CLOSE_NODE
                )
            } else {
                format!("`:Label`, `{{properties}}` or {}", messages::CLOSE_NODE)
            };
            fail_recorded(skip_ws_lenient(i), what)
        }
    }
}

// [34] Properties ::= MapLiteral | Parameter
fn properties(i: &str) -> PResult<'_, Option<Expr>> {
    let t = skip_ws_lenient(i);
    if t.starts_with('{') {
        // `(a {` may also begin a parenthesised map projection, so a bad
        // map only fails this reading (the message is kept as the furthest).
        let (r, (entries, span)) = match map_literal(t) {
            Err(Err::Failure(e)) if !e.definitive => return Err(Err::Error(e)),
            other => other?,
        };
        return Ok((
            r,
            Some(Expr {
                kind: ExprKind::Map(entries),
                span,
            }),
        ));
    }
    if t.starts_with('$') {
        let (r, (name, span)) = parameter(t)?;
        return Ok((
            r,
            Some(Expr {
                kind: ExprKind::Parameter(name),
                span,
            }),
        ));
    }
    Ok((i, None))
}

// [35] RelationshipPattern ::= '<'? '-' RelationshipDetail? '-' '>'?
/// An arrow with its optional `[...]` detail.
pub(super) fn relationship_pattern(i: &str) -> PResult<'_, RelPattern> {
    let (i, start) = token_start(i)?;
    let (i, left) = if i.starts_with("<-") {
        (&i[1..], true)
    } else {
        (i, false)
    };
    let Some(i) = i.strip_prefix('-') else {
        return fail(i, "a relationship pattern `-[...]->`");
    };
    let t = skip_ws_lenient(i);
    let (i, detail) = if t.starts_with('[') {
        let (r, d) = relationship_detail(t)?;
        (r, Some(d))
    } else {
        (i, None)
    };
    let t = skip_ws_lenient(i);
    let Some(i) = t.strip_prefix('-') else {
        if detail.is_some() {
            return Err(Err::Failure(
                PError::expected(t, "`-` after the relationship's `]`").record(),
            ));
        }
        return fail(t, "`-` or `[` to continue the relationship pattern");
    };
    let t = skip_ws_lenient(i);
    let (rest, right) = match t.strip_prefix('>') {
        Some(r) => (r, true),
        None => (i, false),
    };
    let direction = match (left, right) {
        (true, false) => RelDirection::Left,
        (false, true) => RelDirection::Right,
        _ => RelDirection::Both,
    };
    let (variable, types, length, properties) = detail.unwrap_or_default();
    Ok((
        rest,
        RelPattern {
            variable,
            direction,
            types,
            length,
            properties,
            span: span_from(start, rest),
        },
    ))
}

type Detail = (Option<Variable>, Vec<Name>, Option<RangeSpec>, Option<Expr>);

// [36] RelationshipDetail ::= '[' Variable? RelationshipTypes? RangeLiteral? Properties? ']'
// [37] RelationshipTypes ::= ':' RelTypeName ( '|' ':'? RelTypeName )*
fn relationship_detail(i: &str) -> PResult<'_, Detail> {
    let (i, _) = sym("[")(i)?;
    let (mut i, variable) = match variable_name(i) {
        Ok((r, (name, span))) => (r, Some(Variable { name, span })),
        Err(Err::Error(_)) => (i, None),
        Err(e) => return Err(e),
    };
    let mut types = Vec::new();
    if let Ok((r, _)) = sym(":")(i) {
        let (r, (name, span, _)) = expect(r, symbolic_name, "a relationship type after `:`")?;
        types.push(Name { name, span });
        i = r;
        while let Ok((r, _)) = sym("|")(i) {
            let r = sym(":")(r).map_or(r, |(r, _)| r);
            let (r, (name, span, _)) = expect(r, symbolic_name, "a relationship type after `|`")?;
            types.push(Name { name, span });
            i = r;
        }
    }
    let (i, length) = range_literal(i)?;
    let (i, properties) = properties(i)?;
    let (i, _) = match sym("]")(i) {
        Ok(r) => r,
        Err(_) => {
            let t = skip_ws_lenient(i);
            if t.starts_with("..") || t.starts_with(|c: char| c.is_ascii_digit()) {
                return invalid_range(t);
            }
            return Err(Err::Failure(
                PError::expected(t, messages::CLOSE_REL).record(),
            ));
        }
    };
    Ok((i, (variable, types, length, properties)))
}

fn invalid_range<'a, T>(i: &'a str) -> PResult<'a, T> {
    let len = i.find([']', '{']).unwrap_or(i.len());
    Err(Err::Failure(PError::with_detail(
        i,
        len.max(1),
        "InvalidRelationshipPattern",
        messages::INVALID_RANGE,
    )))
}

// [38] RangeLiteral ::= '*' DecimalInteger? ( '..' DecimalInteger? )?
fn range_literal(i: &str) -> PResult<'_, Option<RangeSpec>> {
    let Ok((i, _)) = sym("*")(i) else {
        return Ok((i, None));
    };
    let t = skip_ws_lenient(i);
    if t.starts_with('-') || t.starts_with('+') {
        return invalid_range(t);
    }
    let (i, min) = match unsigned(i) {
        Ok((r, (v, _))) => (r, Some(v)),
        Err(Err::Error(_)) => (i, None),
        Err(e) => return Err(e),
    };
    let Ok((i, _)) = sym("..")(i) else {
        // `*n` is exactly n hops.
        return Ok((i, Some(RangeSpec { min, max: min })));
    };
    let t = skip_ws_lenient(i);
    if t.starts_with('-') || t.starts_with('+') {
        return invalid_range(t);
    }
    let (i, max) = match unsigned(i) {
        Ok((r, (v, _))) => (r, Some(v)),
        Err(Err::Error(_)) => (i, None),
        Err(e) => return Err(e),
    };
    Ok((i, Some(RangeSpec { min, max })))
}
