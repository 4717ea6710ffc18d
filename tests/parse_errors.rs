//! Golden syntax errors: the message, the TCK detail code and where the
//! caret goes, for typical mistakes; CRLF line ends give the same answers.

use kgq::error::{ErrorKind, Phase, line_col};
use kgq::query::parser::{messages, parse};

/// Parses `query`, which must fail, and returns (detail, line, column,
/// message).
fn error_of(query: &str) -> (&'static str, usize, usize, String) {
    let e = match parse(query) {
        Ok(tree) => panic!("{query:?} parsed as {tree}"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::SyntaxError, "{query:?}");
    assert_eq!(e.phase, Phase::Compile, "{query:?}");
    let span = e.span.expect("syntax errors carry a span");
    assert!(span.start <= span.end && span.end <= query.len());
    let (line, col) = line_col(query, span.start);
    (e.detail, line, col, e.message)
}

fn check(query: &str, detail: &str, line: usize, col: usize, message: &str) {
    let got = error_of(query);
    assert_eq!(got, (detail, line, col, message.to_string()), "{query:?}");
}

#[test]
fn missing_closing_parenthesis_of_a_node() {
    check(
        "MATCH (n:Person RETURN n",
        "UnexpectedSyntax",
        1,
        17,
        "expected `:Label`, `{properties}` or `)` to close the node pattern, found `RETURN`",
    );
    check(
        "CREATE (a)-[:T]-(b",
        "UnexpectedSyntax",
        1,
        19,
        "expected `:Label`, `{properties}` or `)` to close the node pattern, found the end of the query",
    );
}

#[test]
fn missing_closing_bracket_of_a_relationship() {
    check(
        "MATCH (n)-[r:KNOWS->(m) RETURN n",
        "UnexpectedSyntax",
        1,
        19,
        &format!("expected {}, found `-`", messages::CLOSE_REL),
    );
}

#[test]
fn unterminated_string_points_at_its_opening_quote() {
    check(
        "MATCH (n) RETURN 'abc",
        "UnexpectedSyntax",
        1,
        18,
        messages::UNTERMINATED_STRING,
    );
}

#[test]
fn unterminated_comment_and_backquote() {
    check(
        "RETURN 1 /* no end",
        "UnexpectedSyntax",
        1,
        10,
        messages::UNTERMINATED_COMMENT,
    );
    check(
        "RETURN `abc",
        "UnexpectedSyntax",
        1,
        8,
        messages::UNTERMINATED_BACKQUOTE,
    );
}

#[test]
fn misspelled_clause_keywords_get_a_suggestion() {
    check(
        "MATC (n) RETURN n",
        "UnexpectedSyntax",
        1,
        1,
        "unknown clause `MATC`; did you mean `MATCH`?",
    );
    check(
        "MATCH (n) RETRUN n",
        "UnexpectedSyntax",
        1,
        11,
        "unknown clause `RETRUN`; did you mean `RETURN`?",
    );
    check(
        "MATCH (n) RETURN n ORDER n.name",
        "UnexpectedSyntax",
        1,
        26,
        "expected `BY` after `ORDER`, found `n`",
    );
}

#[test]
fn stray_and_trailing_commas() {
    check(
        "MATCH (n) RETURN n.name,, n",
        "UnexpectedSyntax",
        1,
        25,
        "expected an expression after `,`, found `,`",
    );
    check(
        "RETURN {a: 1, }",
        "UnexpectedSyntax",
        1,
        15,
        "expected a property key in the map, found `}`",
    );
    check(
        "RETURN [, ]",
        "UnexpectedSyntax",
        1,
        9,
        "expected a list element, found `,`",
    );
}

#[test]
fn clause_keyword_without_its_operand() {
    check(
        "MATCH (n) WHERE RETURN n",
        "UnexpectedSyntax",
        1,
        17,
        "expected an expression after `WHERE`, found `RETURN`",
    );
    check(
        "UNWIND [1] x RETURN x",
        "UnexpectedSyntax",
        1,
        12,
        "expected `AS` and a variable after the `UNWIND` expression, found `x`",
    );
    check(
        "MATCH (n) RETURN n LIMIT",
        "UnexpectedSyntax",
        1,
        25,
        "expected an expression after `LIMIT`, found the end of the query",
    );
}

#[test]
fn misplaced_order_by_and_second_statement() {
    check(
        "MATCH (n) WITH n WHERE n.x = 1 ORDER BY n RETURN n",
        "UnexpectedSyntax",
        1,
        32,
        messages::MISPLACED_MODIFIER,
    );
    check(
        "RETURN 1; RETURN 2",
        "UnexpectedSyntax",
        1,
        11,
        messages::ONE_STATEMENT,
    );
}

#[test]
fn literal_errors_carry_the_tck_detail_codes() {
    check(
        "RETURN 9223372036854775808 AS x",
        "IntegerOverflow",
        1,
        8,
        messages::INTEGER_OVERFLOW,
    );
    check(
        "RETURN -0x8000000000000001",
        "IntegerOverflow",
        1,
        9,
        messages::INTEGER_OVERFLOW,
    );
    check(
        "RETURN 0x AS x",
        "InvalidNumberLiteral",
        1,
        8,
        messages::MISSING_DIGITS,
    );
    check(
        "RETURN 9223372h54775808",
        "InvalidNumberLiteral",
        1,
        8,
        messages::INVALID_NUMBER,
    );
    check(
        "RETURN 1.34E999",
        "FloatingPointOverflow",
        1,
        8,
        messages::FLOAT_OVERFLOW,
    );
    check(
        "RETURN '\\uH'",
        "InvalidUnicodeLiteral",
        1,
        9,
        messages::INVALID_UNICODE_LITERAL,
    );
    check(
        "RETURN 'a\\qb'",
        "UnexpectedSyntax",
        1,
        10,
        messages::UNKNOWN_ESCAPE,
    );
}

#[test]
fn bad_relationship_lengths_are_invalid_relationship_patterns() {
    check(
        "MATCH (a)-[:T*-2]->(b) RETURN a",
        "InvalidRelationshipPattern",
        1,
        15,
        messages::INVALID_RANGE,
    );
    check(
        "MATCH (a)-[:T..]->(b) RETURN a",
        "InvalidRelationshipPattern",
        1,
        14,
        messages::INVALID_RANGE,
    );
}

#[test]
fn a_dash_lookalike_is_an_invalid_unicode_character() {
    check(
        "RETURN 42 — 41",
        "InvalidUnicodeCharacter",
        1,
        11,
        &format!("`—` (U+2014) {} `-`", messages::CONFUSABLE),
    );
}

#[test]
fn a_pattern_outside_where_is_not_a_value() {
    check(
        "MATCH (n) RETURN (n)-[]->()",
        "UnexpectedSyntax",
        1,
        18,
        messages::PATTERN_AS_VALUE,
    );
}

#[test]
fn crlf_line_ends_give_the_same_line_column_and_message() {
    let cases = [
        "MATCH (n)\nWHERE n.name = 'x\nRETURN n",
        "MATCH (n)\nRETURN n.name +\n",
        "MATCH (n:Person\nRETURN n",
        "MATCH (n)\n  RETRUN n",
    ];
    for lf in cases {
        let crlf = lf.replace('\n', "\r\n");
        let a = error_of(lf);
        let b = error_of(&crlf);
        assert_eq!(a, b, "{lf:?}");
    }
    check(
        "MATCH (n)\r\nWHERE n.name = 'x\r\nRETURN n",
        "UnexpectedSyntax",
        2,
        16,
        messages::UNTERMINATED_STRING,
    );
}

#[test]
fn rendered_error_shows_line_column_and_caret() {
    let query = "MATCH (p:Person)\nRETURN p.name +";
    let e = parse(query).expect_err("incomplete");
    assert_eq!(
        e.render(query, Some("q.cypher")),
        "SyntaxError (UnexpectedSyntax): expected an expression after `+`, found the end of the query\n  at q.cypher:2:16\n  RETURN p.name +\n                 ^"
    );
}

#[test]
fn empty_input_asks_for_a_clause() {
    check(
        "  // nothing but a comment\n",
        "UnexpectedSyntax",
        2,
        1,
        &format!("expected {}, found the end of the query", messages::CLAUSE),
    );
}

#[test]
fn nesting_past_the_limit_is_an_error_not_a_crash() {
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("-", ""),
        ("NOT ", ""),
        ("{a: ", "}"),
    ] {
        let n = kgq::query::parser::MAX_NESTING + 10;
        let q = format!("RETURN {}1{}", open.repeat(n), close.repeat(n));
        let (detail, _, _, message) = error_of(&q);
        assert_eq!(
            (detail, message.as_str()),
            ("UnexpectedSyntax", messages::TOO_DEEP),
            "{open}"
        );
    }
}

#[test]
fn a_node_without_parentheses_gets_a_reminder() {
    check(
        "MATCH n RETURN n",
        "UnexpectedSyntax",
        1,
        7,
        "expected a pattern after `MATCH`, found `n`: nodes are written in parentheses, as in `(n)` or `(n:Label)`",
    );
    assert!(parse("MATCH shortestPath((a)-[*]->(b)) RETURN a").is_ok());
    assert!(parse("MATCH p = (a) RETURN p").is_ok());
}

#[test]
fn an_arrow_without_a_node_after_it() {
    check(
        "MATCH (n)-[:KNOWS]-> RETURN n",
        "UnexpectedSyntax",
        1,
        22,
        "expected a node pattern `(...)` after the relationship, found `RETURN`",
    );
}
