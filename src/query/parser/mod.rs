//! The query-language parser: text to [`Statement`] with byte spans.
//!
//! Written with nom 8 over `&str`. Every token parser skips the whitespace
//! and comments before it, so a node's span starts at its first token and
//! ends right after its last one. Parsers fail softly (`nom::Err::Error`)
//! while alternatives remain and commit (`nom::Err::Failure`) once a
//! keyword or bracket leaves only one reading; the error then says what was
//! expected where. Each parser function is headed by the rule of
//! `grammar/kgq.ebnf` it implements.
//!
//! ```
//! use kgq::query::parser::parse;
//! let statement = parse("MATCH (p:Person)-[:SAID]->(q) RETURN p.name").unwrap();
//! assert_eq!(statement.query.first.clauses.len(), 2);
//! let error = parse("MATCH (p:Person RETURN p").unwrap_err();
//! assert!(error.message.contains("`)` to close the node pattern"));
//! ```

mod clauses;
mod expr;
mod keywords;
mod literals;
mod pattern;

use std::cell::{Cell, RefCell};

use nom::Err;
use nom::error::{ErrorKind as NomErrorKind, ParseError};

use crate::error::{ErrorKind, QueryError, Span};
use crate::query::ast::{Expr, Statement};

pub use keywords::{RESERVED, is_plain_identifier, is_reserved};

/// Messages of syntax errors, shared with the tests.
pub mod messages {
    /// An unterminated `/* ...` comment.
    pub const UNTERMINATED_COMMENT: &str = "unterminated comment: `/*` has no closing `*/`";
    /// An unterminated backquoted name.
    pub const UNTERMINATED_BACKQUOTE: &str =
        "unterminated backquoted name: add the closing backquote (`)";
    /// An unterminated string literal.
    pub const UNTERMINATED_STRING: &str = "unterminated string literal: add the closing quote";
    /// `\q` and other unknown escapes.
    pub const UNKNOWN_ESCAPE: &str = "unknown escape sequence in string; use \\\\, \\', \\\", \\b, \\f, \\n, \\r, \\t, \\uXXXX or \\UXXXXXXXX";
    /// `\u` not followed by four hex digits, or a lone surrogate.
    pub const INVALID_UNICODE_LITERAL: &str = "invalid unicode escape: `\\u` takes four hexadecimal digits and `\\U` eight, naming a valid character";
    /// An integer that does not fit in 64 bits.
    pub const INTEGER_OVERFLOW: &str = "integer literal is too large for a 64-bit integer (range -9223372036854775808 to 9223372036854775807)";
    /// A float that is infinite.
    pub const FLOAT_OVERFLOW: &str = "floating point literal is too large for a 64-bit float";
    /// A number running into letters, or `0x` without digits.
    pub const INVALID_NUMBER: &str = "invalid number literal: digits may not be followed by letters (hexadecimal needs `0x`, octal `0o`)";
    /// A relationship length without `*` or with a negative bound.
    pub const INVALID_RANGE: &str = "invalid variable-length relationship: write `*`, `*n`, `*min..max`, `*min..` or `*..max` with non-negative integers";
    /// `)` of a node pattern.
    pub const CLOSE_NODE: &str = "`)` to close the node pattern";
    /// `]` of a relationship pattern.
    pub const CLOSE_REL: &str = "`]` to close the relationship pattern";
    /// Missing expression.
    pub const EXPRESSION: &str = "an expression";
    /// An unknown word where a clause should begin.
    pub const CLAUSE: &str = "a clause (MATCH, RETURN, WITH, CREATE, ...)";
    /// After the last clause.
    pub const END: &str = "a clause, `UNION`, `;` or the end of the query";
    /// A pattern used as a value.
    pub const PATTERN_AS_VALUE: &str = "a pattern can only stand as a condition in `WHERE`; use `EXISTS { ... }` to test for a match or a pattern comprehension `[(a)-->(b) | b]` to collect matches";
    /// `0x` or `0o` without digits.
    pub const MISSING_DIGITS: &str =
        "incomplete number literal: `0x` needs hexadecimal digits and `0o` octal digits";
    /// More text after `;`.
    pub const ONE_STATEMENT: &str =
        "expected the end of the query after `;`: run one statement at a time";
    /// `ORDER BY`, `SKIP` or `LIMIT` after the `WHERE` of `WITH`, or alone.
    pub const MISPLACED_MODIFIER: &str = "`ORDER BY`, `SKIP` and `LIMIT` belong to a `WITH` or `RETURN` clause, after its items and before the `WHERE` of `WITH`";
    /// Expressions nested or chained beyond [`super::MAX_NESTING`].
    pub const TOO_DEEP: &str = "the expression is nested too deeply (more than 500 levels of brackets, operators or chained operands); split it up, e.g. with WITH or a list";
    /// A non-ASCII character that looks like an operator.
    pub const CONFUSABLE: &str = "is not an operator; use the ASCII character";
}

/// The deepest expression the parser accepts, counted in levels of
/// brackets and prefix operators while parsing and in levels of the
/// resulting tree (a chain `a + b + c` is two levels). Every later stage
/// recurses over the tree; the bound keeps that recursion finite, and
/// [`crate::stack::with_large_stack`] gives it the stack it needs.
pub const MAX_NESTING: usize = 500;

thread_local! {
    /// Current nesting of recursive expression parsers on this thread.
    static NESTING: Cell<usize> = const { Cell::new(0) };
}

/// One level of recursion in the expression parser, released on drop.
struct Nesting;

impl Nesting {
    /// Enters one level at `i`; fails for good past [`MAX_NESTING`].
    fn enter(i: &str) -> Result<Nesting, Err<PError>> {
        let depth = NESTING.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let level = Nesting;
        if depth > MAX_NESTING {
            return Err(Err::Failure(PError::with_detail(
                i,
                0,
                "NestingTooDeep",
                messages::TOO_DEEP,
            )));
        }
        Ok(level)
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        NESTING.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

type PResult<'a, T> = nom::IResult<&'a str, T, PError>;

/// A syntax error while parsing: where, what, and its TCK detail code.
#[derive(Clone, Debug)]
struct PError {
    /// Byte offset.
    pos: usize,
    /// Length of the text concerned (0: the next token).
    len: usize,
    /// What was wrong or expected.
    message: String,
    /// The TCK detail code.
    detail: &'static str,
    /// The message is "expected ...": add what was found instead.
    expected: bool,
    /// The message was written for this place, not generated by a combinator.
    explicit: bool,
    /// A definite diagnosis (bad literal, misplaced pattern): reported even
    /// when an abandoned alternative got further.
    definitive: bool,
}

thread_local! {
    /// The furthest explicit error met, also inside alternatives that were
    /// abandoned: when the parse fails, it usually names the real problem.
    static FURTHEST: RefCell<Option<PError>> = const { RefCell::new(None) };
}

impl PError {
    /// A message about the text at `i`.
    fn at(i: &str, message: &str) -> PError {
        PError {
            pos: keywords::offset(i),
            len: 0,
            message: message.to_string(),
            detail: "UnexpectedSyntax",
            expected: false,
            explicit: true,
            definitive: false,
        }
    }

    /// "expected `what`" at `i`, not remembered.
    fn expected(i: &str, what: String) -> PError {
        PError {
            pos: keywords::offset(i),
            len: 0,
            message: format!("expected {what}"),
            detail: "UnexpectedSyntax",
            expected: true,
            explicit: false,
            definitive: false,
        }
    }

    /// A definite error with a TCK detail code over `len` bytes at `i`.
    fn with_detail(i: &str, len: usize, detail: &'static str, message: &str) -> PError {
        PError {
            pos: keywords::offset(i),
            len,
            message: message.to_string(),
            detail,
            expected: false,
            explicit: true,
            definitive: true,
        }
    }

    /// Remembers this error if it is the furthest so far.
    fn record(self) -> PError {
        FURTHEST.with(|f| {
            let mut f = f.borrow_mut();
            if f.as_ref().is_none_or(|old| self.pos > old.pos) {
                *f = Some(self.clone());
            }
        });
        self
    }

    /// The error further into the text; on a tie, `other`.
    fn or_further(self, other: PError) -> PError {
        if self.pos > other.pos { self } else { other }
    }
}

impl ParseError<&str> for PError {
    fn from_error_kind(input: &str, _kind: NomErrorKind) -> PError {
        PError {
            pos: keywords::offset(input),
            len: 0,
            message: "unexpected input".to_string(),
            detail: "UnexpectedSyntax",
            expected: false,
            explicit: false,
            definitive: false,
        }
    }

    fn append(_input: &str, _kind: NomErrorKind, other: PError) -> PError {
        other
    }

    fn or(self, other: PError) -> PError {
        match self.pos.cmp(&other.pos) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal if other.explicit && !self.explicit => other,
            std::cmp::Ordering::Equal => self,
        }
    }
}

/// Fails softly with "expected `what`" at `i`.
fn fail<'a, T>(i: &str, what: &str) -> PResult<'a, T> {
    Err(Err::Error(PError::expected(i, what.to_string())))
}

/// Fails softly with "expected `what`" at `i`, remembering the place in
/// case no alternative gets further.
fn fail_recorded<'a, T>(i: &str, what: &str) -> PResult<'a, T> {
    Err(Err::Error(PError::expected(i, what.to_string()).record()))
}

/// Fails for good with "expected `what`" at `i`.
fn fatal<'a, T>(i: &str, what: &str) -> PResult<'a, T> {
    Err(Err::Failure(PError::expected(i, what.to_string()).record()))
}

/// Parses one statement: `[EXPLAIN | PROFILE] query [;]`.
///
/// Every syntax error is a compile-time `SyntaxError` whose span points at
/// the offending text and whose message says what was expected there.
pub fn parse(text: &str) -> Result<Statement, QueryError> {
    run(text, clauses::statement)
}

/// Parses a single expression (for parameters given as expressions).
///
/// ```
/// use kgq::query::parser::parse_expression;
/// assert!(parse_expression("1 + 2 * 3").is_ok());
/// assert!(parse_expression("1 +").is_err());
/// ```
pub fn parse_expression(text: &str) -> Result<Expr, QueryError> {
    run(text, |i| {
        let (i, e) = expr::value_expression(i)?;
        let (i, ()) = keywords::ws(i)?;
        if i.is_empty() {
            Ok((i, e))
        } else {
            fatal(i, "the end of the expression")
        }
    })
}

fn run<'a, T: Send>(
    text: &'a str,
    p: impl Fn(&'a str) -> PResult<'a, T> + Send,
) -> Result<T, QueryError> {
    // Deeply nested input needs more stack than the caller may have.
    crate::stack::with_large_stack(|| run_here(text, p))
}

fn run_here<'a, T>(text: &'a str, p: impl Fn(&'a str) -> PResult<'a, T>) -> Result<T, QueryError> {
    let _guard = keywords::InputGuard::new(text);
    NESTING.with(|n| n.set(0));
    FURTHEST.with(|f| f.borrow_mut().take());
    let result = p(text);
    let furthest = FURTHEST.with(|f| f.borrow_mut().take());
    match result {
        Ok((_, v)) => Ok(v),
        Err(Err::Error(e)) | Err(Err::Failure(e)) => {
            let chosen = match furthest {
                Some(f) if !e.definitive && f.pos > e.pos => f,
                _ => e,
            };
            Err(to_query_error(text, chosen))
        }
        Err(Err::Incomplete(_)) => Err(QueryError::compile(
            ErrorKind::SyntaxError,
            "UnexpectedSyntax",
            "the query ended too early",
            Some(Span::new(text.len(), text.len())),
        )),
    }
}

/// Characters that look like ASCII operators but are not.
fn confusable(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        '\u{2018}' | '\u{2019}' => Some('\''),
        '\u{201C}' | '\u{201D}' => Some('"'),
        _ => None,
    }
}

/// The next token at `rest`, for "found ..." and the span.
fn next_token(rest: &str) -> Option<&str> {
    let c = rest.chars().next()?;
    if keywords::is_ident_continue(c) {
        let end = rest
            .char_indices()
            .find(|&(_, c)| !keywords::is_ident_continue(c))
            .map_or(rest.len(), |(n, _)| n);
        Some(&rest[..end])
    } else {
        Some(&rest[..c.len_utf8()])
    }
}

fn to_query_error(text: &str, e: PError) -> QueryError {
    let mut pos = e.pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let rest = &text[pos..];
    let token = next_token(rest);
    let len = if e.len > 0 {
        e.len
    } else {
        token.map_or(0, str::len)
    };
    let span = Span::new(pos, (pos + len).min(text.len()));
    if e.detail == "UnexpectedSyntax" {
        if let Some(c) = rest.chars().next() {
            if let Some(ascii) = confusable(c) {
                return QueryError::compile(
                    ErrorKind::SyntaxError,
                    "InvalidUnicodeCharacter",
                    format!(
                        "`{c}` (U+{:04X}) {} `{ascii}`",
                        c as u32,
                        messages::CONFUSABLE
                    ),
                    Some(span),
                );
            }
        }
    }
    let message = if e.expected {
        let found = match token {
            None => "the end of the query".to_string(),
            Some(t) => format!("`{t}`"),
        };
        format!("{}, found {found}", e.message)
    } else {
        e.message
    };
    QueryError::compile(ErrorKind::SyntaxError, e.detail, message, Some(span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::ast::{BinaryOp, Clause, ExprKind, Literal, RelDirection};

    fn ret_expr(text: &str) -> ExprKind {
        let s = parse(&format!("RETURN {text}")).unwrap_or_else(|e| panic!("{text}: {e}"));
        match &s.query.first.clauses[0] {
            Clause::Return(r) => r.projection.items[0].expr.kind.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn precedence_multiplication_binds_tighter_than_addition() {
        match ret_expr("1 + 2 * 3") {
            ExprKind::Binary(BinaryOp::Add, _, rhs) => {
                assert!(matches!(rhs.kind, ExprKind::Binary(BinaryOp::Mul, _, _)))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chained_comparison_becomes_conjunction() {
        match ret_expr("1 < 2 <= 3") {
            ExprKind::Binary(BinaryOp::And, l, r) => {
                assert!(matches!(l.kind, ExprKind::Binary(BinaryOp::Lt, _, _)));
                assert!(matches!(r.kind, ExprKind::Binary(BinaryOp::Le, _, _)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn or_is_not_order() {
        let s = parse("MATCH (n) RETURN n ORDER BY n.x DESC").unwrap();
        match &s.query.first.clauses[1] {
            Clause::Return(r) => {
                assert_eq!(r.projection.order_by.len(), 1);
                assert!(r.projection.order_by[0].descending);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn minimum_integer_parses_and_maximum_plus_one_fails() {
        assert_eq!(
            ret_expr("-9223372036854775808"),
            ExprKind::Literal(Literal::Int(i64::MIN))
        );
        let e = parse("RETURN 9223372036854775808").unwrap_err();
        assert_eq!(e.detail, "IntegerOverflow");
    }

    #[test]
    fn column_is_the_text_as_written() {
        let s = parse("MATCH (a) RETURN count(*), a.num  +  1, a.x AS y").unwrap();
        let Clause::Return(r) = &s.query.first.clauses[1] else {
            panic!()
        };
        let cols: Vec<_> = r
            .projection
            .items
            .iter()
            .map(|i| i.column.as_str())
            .collect();
        assert_eq!(cols, ["count(*)", "a.num  +  1", "y"]);
    }

    #[test]
    fn relationship_patterns_in_every_form() {
        let s = parse(
            "MATCH p = (a:Person {name: 'x'})-[r:SAID|:MET_WITH*1..3]->(b)<-[*]-(c)--(d), (e)<-->(f) RETURN p",
        )
        .unwrap();
        let Clause::Match(m) = &s.query.first.clauses[0] else {
            panic!()
        };
        assert_eq!(m.pattern.len(), 2);
        let chain = &m.pattern[0].element.chain;
        assert_eq!(chain.len(), 3);
        assert_eq!(chain[0].0.direction, RelDirection::Right);
        assert_eq!(chain[0].0.types.len(), 2);
        assert_eq!(chain[1].0.direction, RelDirection::Left);
        assert_eq!(chain[2].0.direction, RelDirection::Both);
    }

    #[test]
    fn missing_paren_is_reported_where_it_belongs() {
        let e = parse("MATCH (n:Person RETURN n").unwrap_err();
        assert!(e.message.contains("expected"), "{}", e.message);
        assert_eq!(e.span.map(|s| s.start), Some(16), "{}", e.message);
    }

    #[test]
    fn misspelled_clause_gets_a_suggestion() {
        let e = parse("MATC (n) RETURN n").unwrap_err();
        assert_eq!(e.message, "unknown clause `MATC`; did you mean `MATCH`?");
    }

    #[test]
    fn comments_and_keywords_in_any_case() {
        assert!(parse("match (n) // comment\n /* block */ return n;").is_ok());
    }

    #[test]
    fn complex_expressions_parse() {
        for text in [
            "[x IN range(1, 10) WHERE x % 2 = 0 | x * x]",
            "[(a)-[:KNOWS]->(b) WHERE b.age > 3 | b.name]",
            "all(x IN [1, 2] WHERE x > 0)",
            "reduce(acc = 0, x IN [1, 2, 3] | acc + x)",
            "CASE WHEN 1 = 1 THEN 'a' ELSE 'b' END",
            "CASE 1 WHEN 1 THEN 'a' END",
            "EXISTS { (a)-->(b) WHERE b.x = 1 }",
            "EXISTS { MATCH (a)-->(b) RETURN b }",
            "n{.name, .*, k: 1, m}",
            "$param.x[0][1..2]",
            "a.b.c(1, 2)",
            "count(DISTINCT x)",
            "0x1F + 0o17 + .5 + 1e3",
            "'a\\'b' STARTS WITH 'a' AND NOT x IS NULL",
            "n:Person:Other",
            "2 ^ 3 ^ 2",
            "-x.y",
        ] {
            ret_expr(text);
        }
    }

    #[test]
    fn bare_pattern_is_a_condition_only_in_where() {
        assert!(parse("MATCH (a), (b) WHERE (a)-->(b) OR NOT (b)-[:T]->() RETURN a").is_ok());
        let e = parse("MATCH (n) RETURN (n)-[]->()").unwrap_err();
        assert_eq!(e.message, messages::PATTERN_AS_VALUE);
        assert_eq!(e.span, Some(Span::new(17, 27)));
        assert!(parse("MATCH (a) WHERE size((a)-->()) > 1 RETURN a").is_err());
    }
}
