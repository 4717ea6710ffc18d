//! Lexical level: whitespace and comments, case-insensitive keywords that
//! end at a word boundary, punctuation, identifiers (plain and
//! backquoted) and the byte offset of a position in the input.

use std::cell::Cell;

use nom::Err;

use super::{PError, PResult, messages};
use crate::error::Span;

thread_local! {
    /// Length of the text being parsed: every input slice the parser sees is
    /// a suffix of it, so `TOTAL - rest.len()` is the byte offset of `rest`.
    static TOTAL: Cell<usize> = const { Cell::new(0) };
}

/// Sets the text being parsed for the current thread until dropped.
pub(super) struct InputGuard {
    previous: usize,
}

impl InputGuard {
    pub(super) fn new(text: &str) -> InputGuard {
        let previous = TOTAL.with(|t| t.replace(text.len()));
        InputGuard { previous }
    }
}

impl Drop for InputGuard {
    fn drop(&mut self) {
        TOTAL.with(|t| t.set(self.previous));
    }
}

/// Byte offset of `rest` in the text being parsed.
pub(super) fn offset(rest: &str) -> usize {
    TOTAL.with(|t| t.get().saturating_sub(rest.len()))
}

/// The span from `start` (a byte offset) to where `rest` begins.
pub(super) fn span_from(start: usize, rest: &str) -> Span {
    Span::new(start, offset(rest).max(start))
}

/// Words that cannot be used as a variable without backquotes, because a
/// clause or an operator could begin with them.
pub const RESERVED: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "ASCENDING",
    "BY",
    "CALL",
    "CASE",
    "CONTAINS",
    "CREATE",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "DISTINCT",
    "ELSE",
    "END",
    "ENDS",
    "EXISTS",
    "EXPLAIN",
    "FALSE",
    "IN",
    "IS",
    "LIMIT",
    "MATCH",
    "MERGE",
    "NOT",
    "NULL",
    "ON",
    "OPTIONAL",
    "OR",
    "ORDER",
    "PROFILE",
    "REMOVE",
    "RETURN",
    "SET",
    "SKIP",
    "STARTS",
    "THEN",
    "TRUE",
    "UNION",
    "UNWIND",
    "WHEN",
    "WHERE",
    "WITH",
    "XOR",
    "YIELD",
];

/// The keywords that begin a clause, for "did you mean" suggestions.
pub const CLAUSE_KEYWORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET", "REMOVE",
    "DELETE", "DETACH", "CALL", "UNION", "ORDER", "SKIP", "LIMIT",
];

// [92] ReservedWord ::= 'ALL' | 'AND' | 'AS' | 'ASC' | 'ASCENDING' | 'BY' | 'CALL' | 'CASE' | 'CONTAINS' | 'CREATE' | 'DELETE' | 'DESC' | 'DESCENDING' | 'DETACH' | 'DISTINCT' | 'ELSE' | 'END' | 'ENDS' | 'EXISTS' | 'EXPLAIN' | 'FALSE' | 'IN' | 'IS' | 'LIMIT' | 'MATCH' | 'MERGE' | 'NOT' | 'NULL' | 'ON' | 'OPTIONAL' | 'OR' | 'ORDER' | 'PROFILE' | 'REMOVE' | 'RETURN' | 'SET' | 'SKIP' | 'STARTS' | 'THEN' | 'TRUE' | 'UNION' | 'UNWIND' | 'WHEN' | 'WHERE' | 'WITH' | 'XOR' | 'YIELD'
/// Whether `word` is reserved (case-insensitively).
pub fn is_reserved(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

// [90] IdentifierStart ::= Letter | '_' /* Letter: any Unicode alphabetic character */
pub(super) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

// [91] IdentifierPart ::= Letter | Digit | '_' /* Digit here: any Unicode numeric character */
pub(super) fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `name` can be written without backquotes as a variable.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if is_ident_start(c))
        && chars.all(is_ident_continue)
        && !is_reserved(name)
}

// [94] WS ::= ( WhitespaceChar | Comment )*
// [95] WhitespaceChar ::= [#x9-#xD] | #x20 | #x85 | #xA0 | #x1680 | [#x2000-#x200A] | #x2028 | #x2029 | #x202F | #x205F | #x3000
// [96] Comment ::= '//' [^#xA]* | '/*' ( [^*] | '*'+ [^*/] )* '*'+ '/'
/// Skips whitespace and comments. An unterminated `/*` is an error.
pub(super) fn ws(mut i: &str) -> PResult<'_, ()> {
    loop {
        let trimmed = i.trim_start();
        if let Some(rest) = trimmed.strip_prefix("//") {
            i = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if let Some(rest) = trimmed.strip_prefix("/*") {
            match rest.find("*/") {
                Some(n) => i = &rest[n + 2..],
                None => {
                    return Err(Err::Failure(PError::at(
                        trimmed,
                        messages::UNTERMINATED_COMMENT,
                    )));
                }
            }
        } else {
            return Ok((trimmed, ()));
        }
    }
}

/// Skips whitespace and returns the offset of the next token.
pub(super) fn token_start(i: &str) -> PResult<'_, usize> {
    let (i, ()) = ws(i)?;
    Ok((i, offset(i)))
}

/// The next word (identifier characters) after whitespace, without
/// consuming it; empty if the next token is not a word.
pub(super) fn peek_word(i: &str) -> &str {
    let t = skip_ws_lenient(i);
    let end = t
        .char_indices()
        .find(|&(_, c)| !is_ident_continue(c))
        .map_or(t.len(), |(n, _)| n);
    &t[..end]
}

/// Whitespace skipping that treats an unterminated comment as the end.
pub(super) fn skip_ws_lenient(i: &str) -> &str {
    match ws(i) {
        Ok((rest, ())) => rest,
        Err(_) => "",
    }
}

// [93] Keyword ::= Letter+ /* matched case-insensitively, not followed by an IdentifierPart */
/// Matches `word` case-insensitively at a word boundary.
pub(super) fn kw<'a>(word: &'static str) -> impl Fn(&'a str) -> PResult<'a, Span> {
    move |i: &'a str| {
        let (i, start) = token_start(i)?;
        let n = word.len();
        let matches = i.len() >= n
            && i.is_char_boundary(n)
            && i[..n].eq_ignore_ascii_case(word)
            && !i[n..].starts_with(is_ident_continue);
        if matches {
            Ok((&i[n..], Span::new(start, start + n)))
        } else {
            Err(Err::Error(PError::expected_token(i, word)))
        }
    }
}

/// Whether the next token is the keyword `word`.
pub(super) fn at_kw(i: &str, word: &str) -> bool {
    peek_word(i).eq_ignore_ascii_case(word)
}

/// Matches the punctuation `s` after whitespace.
pub(super) fn sym<'a>(s: &'static str) -> impl Fn(&'a str) -> PResult<'a, Span> {
    move |i: &'a str| {
        let (i, start) = token_start(i)?;
        match i.strip_prefix(s) {
            Some(rest) => Ok((rest, Span::new(start, start + s.len()))),
            None => Err(Err::Error(PError::expected_token(i, s))),
        }
    }
}

/// Whether the next token starts with `s`.
pub(super) fn at_sym(i: &str, s: &str) -> bool {
    skip_ws_lenient(i).starts_with(s)
}

/// Runs `p`; if it fails without committing, fails with "expected
/// `what`" at the next token instead, committed.
pub(super) fn expect<'a, T>(
    i: &'a str,
    p: impl Fn(&'a str) -> PResult<'a, T>,
    what: impl Into<std::borrow::Cow<'static, str>>,
) -> PResult<'a, T> {
    match p(i) {
        Err(Err::Error(e)) => {
            let at = skip_ws_lenient(i);
            let mine = PError::expected(at, what).record();
            Err(Err::Failure(e.or_further(mine)))
        }
        other => other,
    }
}

// [84] LabelName ::= SymbolicName
// [85] RelTypeName ::= SymbolicName
// [86] PropertyKeyName ::= SymbolicName
// [87] SymbolicName ::= UnescapedSymbolicName | EscapedSymbolicName
// [88] UnescapedSymbolicName ::= IdentifierStart IdentifierPart*
// [89] EscapedSymbolicName ::= ( '`' [^`]* '`' )+ /* two backquotes in a row stand for one */
/// A name: plain (keywords allowed) or backquoted.
pub(super) fn symbolic_name(i: &str) -> PResult<'_, (String, Span, bool)> {
    let (i, start) = token_start(i)?;
    if i.starts_with('`') {
        let mut name = String::new();
        let mut rest = i;
        loop {
            let body = &rest[1..];
            match body.find('`') {
                Some(n) => {
                    name.push_str(&body[..n]);
                    rest = &body[n + 1..];
                    if rest.starts_with('`') {
                        name.push('`');
                    } else {
                        break;
                    }
                }
                None => {
                    return Err(Err::Failure(PError::at(
                        i,
                        messages::UNTERMINATED_BACKQUOTE,
                    )));
                }
            }
        }
        return Ok((rest, (name, span_from(start, rest), true)));
    }
    match i.chars().next() {
        Some(c) if is_ident_start(c) => {
            let end = i
                .char_indices()
                .find(|&(_, c)| !is_ident_continue(c))
                .map_or(i.len(), |(n, _)| n);
            let rest = &i[end..];
            Ok((rest, (i[..end].to_string(), span_from(start, rest), false)))
        }
        _ => Err(Err::Error(PError::expected(i, "a name"))),
    }
}

// [83] Variable ::= SymbolicName /* a ReservedWord only when escaped */
/// A name that is not a reserved word unless backquoted (variables).
pub(super) fn variable_name(i: &str) -> PResult<'_, (String, Span)> {
    let (rest, (name, span, quoted)) = symbolic_name(i)?;
    if !quoted && is_reserved(&name) {
        let at = skip_ws_lenient(i);
        return Err(Err::Error(PError::expected(at, "a variable")));
    }
    Ok((rest, (name, span)))
}

/// Levenshtein distance, for suggestions.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_uppercase().chars().collect();
    let b: Vec<char> = b.to_ascii_uppercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (x, ca) in a.iter().enumerate() {
        let mut cur = vec![x + 1; b.len() + 1];
        for (y, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[y + 1] = (prev[y] + cost).min(prev[y + 1] + 1).min(cur[y] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The clause keyword closest to `word`, if any is close enough.
pub(super) fn suggest_clause(word: &str) -> Option<&'static str> {
    CLAUSE_KEYWORDS
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|&(d, k)| d > 0 && d <= (k.len() / 3).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}
