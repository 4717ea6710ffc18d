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

mod atoms;
mod clauses;
mod errors;
mod expr;
mod keywords;
mod literals;
pub mod messages;
mod pattern;
mod placement;

use nom::Err;

use crate::error::{ErrorKind, QueryError, Span};
use crate::query::ast::{Expr, Statement};
use errors::{PError, PResult, fail, fail_recorded, fatal};

pub use keywords::{RESERVED, is_plain_identifier, is_reserved};

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

/// Stack the parser may use on the caller's thread: enough for every
/// ordinary query, little enough for a 2 MiB test thread.
const INLINE_STACK_BUDGET: usize = 512 << 10;

/// Stack of the thread that parses deeply nested input, and how much of it
/// the parser may use (the rest is headroom for one level's frames).
const THREAD_STACK: usize = 64 << 20;
const THREAD_STACK_BUDGET: usize = 56 << 20;

/// How deeply expressions and patterns may nest; deeper input is refused
/// with an error instead of exhausting the stack.
pub const MAX_NESTING: usize = 256;

/// Internal detail code: the stack budget ran out, retry with more stack.
const NEEDS_STACK: &str = "ParserNeedsStack";

/// Parses on the caller's thread; input that nests too deeply for that is
/// parsed again on a thread with a large stack.
fn run<T: Send>(
    text: &str,
    p: impl for<'a> Fn(&'a str) -> PResult<'a, T> + Send + Sync,
) -> Result<T, QueryError> {
    match run_here(text, &p, INLINE_STACK_BUDGET) {
        Err(e) if e.detail == NEEDS_STACK => {}
        done => return done,
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("kgq-parser".to_string())
            .stack_size(THREAD_STACK)
            .spawn_scoped(scope, || run_here(text, &p, THREAD_STACK_BUDGET));
        let result = match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => Err(QueryError::compile(
                ErrorKind::SyntaxError,
                "UnexpectedSyntax",
                messages::TOO_DEEP,
                None,
            )),
        };
        result.map_err(|mut e| {
            if e.detail == NEEDS_STACK {
                e.detail = "UnexpectedSyntax";
                e.message = messages::TOO_DEEP.to_string();
            }
            e
        })
    })
}

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Address of a local at the start of the parse, and the stack budget.
    static STACK: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, usize::MAX)) };
}

/// An address on the current stack (a local's), to measure stack use.
fn stack_position() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

/// One level of nesting, released when dropped.
struct Nesting;

impl Nesting {
    /// Enters a nested construct at `i`, failing past [`MAX_NESTING`] or
    /// when the stack budget is spent.
    fn enter(i: &str) -> Result<Nesting, Err<PError>> {
        let depth = DEPTH.with(|d| {
            let n = d.get() + 1;
            d.set(n);
            n
        });
        let guard = Nesting;
        let at = keywords::skip_ws_lenient(i);
        if depth > MAX_NESTING {
            return Err(Err::Failure(PError::with_detail(
                at,
                1,
                "UnexpectedSyntax",
                messages::TOO_DEEP,
            )));
        }
        let (base, budget) = STACK.with(std::cell::Cell::get);
        if base.abs_diff(stack_position()) > budget {
            return Err(Err::Failure(PError::with_detail(
                at,
                1,
                NEEDS_STACK,
                messages::TOO_DEEP,
            )));
        }
        Ok(guard)
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

fn run_here<'a, T>(
    text: &'a str,
    p: &impl Fn(&'a str) -> PResult<'a, T>,
    stack_budget: usize,
) -> Result<T, QueryError> {
    let _guard = keywords::InputGuard::new(text);
    DEPTH.with(|d| d.set(0));
    STACK.with(|s| s.set((stack_position(), stack_budget)));
    pattern::clear_memo();
    atoms::clear_memo();
    errors::take_furthest();
    let result = p(text);
    let furthest = errors::take_furthest();
    // The memos hold copies of subtrees: free them now, not at the next parse.
    pattern::clear_memo();
    atoms::clear_memo();
    match result {
        Ok((_, v)) => Ok(v),
        Err(Err::Error(e)) | Err(Err::Failure(e)) => {
            let chosen = match furthest {
                Some(f) if !e.definitive && f.pos > e.pos => f,
                _ => e,
            };
            Err(errors::to_query_error(text, chosen))
        }
        Err(Err::Incomplete(_)) => Err(QueryError::compile(
            ErrorKind::SyntaxError,
            "UnexpectedSyntax",
            "the query ended too early",
            Some(Span::new(text.len(), text.len())),
        )),
    }
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

    #[test]
    fn deep_nesting_within_the_limit_parses_on_a_small_stack() {
        // Test threads have small stacks: this needs the parser's own thread.
        let q = format!("RETURN {}1{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&q).is_ok());
        let q = format!(
            "RETURN {}1{}",
            "CASE WHEN ".repeat(100),
            " THEN 1 END".repeat(100)
        );
        assert!(parse(&q).is_ok());
    }

    #[test]
    fn nested_brackets_read_two_ways_are_parsed_once_each() {
        // Each `(` is tried as a pattern and then as an expression; without
        // memoising, this input would take 2^40 steps.
        let q = format!("RETURN {}1{}", "({a: ".repeat(40), "})".repeat(40));
        assert!(parse(&q).is_ok());
        let q = format!(
            "RETURN {}1{}",
            "[(a {b: ".repeat(40),
            "})-->() | 1]".repeat(40)
        );
        assert!(parse(&q).is_ok());
    }

    #[test]
    fn brackets_are_a_list_unless_a_comprehension_follows() {
        assert!(matches!(ret_expr("[x = (1)]"), ExprKind::List(_)));
        assert!(matches!(ret_expr("[(a)]"), ExprKind::List(_)));
        assert!(matches!(ret_expr("[(x IN [1]), 2]"), ExprKind::List(_)));
        assert!(matches!(
            ret_expr("[x IN [1] | x]"),
            ExprKind::ListComprehension { .. }
        ));
    }
}
