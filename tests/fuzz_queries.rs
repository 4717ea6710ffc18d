//! Random and mutated queries, through the parser and through a session on
//! the article graph: every input ends in a result or an error whose
//! position lies inside the input — no panic, no stack overflow, no hang.
//!
//! Seeds are the example queries of `grammar/examples` and the query
//! fixtures of `tests/fixtures`; mutations delete, insert, duplicate and
//! swap characters and tokens, truncate, splice two queries, insert
//! non-ASCII text and nest brackets hundreds deep. Case counts are bounded
//! so that the file runs in seconds in a debug build.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use kgq::error::{QueryError, line_col};
use kgq::query::parser::{MAX_NESTING, parse};
use kgq::{Graph, Session};
use proptest::prelude::*;
use proptest::sample::Index;

static ARTICLE: LazyLock<Graph> = LazyLock::new(kgq::io::article_graph);

/// Every statement of the grammar examples and the query fixtures.
static SEEDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut seeds = Vec::new();
    for dir in ["grammar/examples", "tests/fixtures"] {
        let mut paths: Vec<_> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "cypher"))
            .collect();
        paths.sort();
        for p in paths {
            let text = fs::read_to_string(&p).unwrap();
            // Fixtures interleave queries with comments and expected rows.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//") && !l.trim_start().starts_with('|'))
                .map(|l| format!("{l}\n"))
                .collect();
            seeds.extend(
                code.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
        }
    }
    assert!(seeds.len() > 40, "too few seed queries: {}", seeds.len());
    seeds
});

/// Words and symbols mutations insert.
const TOKENS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "RETURN",
    "WITH",
    "UNWIND",
    "AS",
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "REMOVE",
    "ORDER BY",
    "SKIP",
    "LIMIT",
    "UNION",
    "ALL",
    "DISTINCT",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "IS NULL",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "EXISTS",
    "count(*)",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    "->",
    "<-",
    "-[",
    "]->",
    "*",
    "*..",
    "..",
    ":",
    ",",
    ".",
    "|",
    "=",
    "<>",
    "+",
    "/",
    "%",
    "^",
    "=~",
    "$p",
    "'str'",
    "\"s\"",
    "`q`",
    "0x",
    "1e999",
    "9223372036854775808",
    "-9223372036854775808",
    "null",
    "true",
    "n",
    "p",
    "range(1, 1000000)",
    "[*]",
    "*0..",
    "/*",
    "*/",
    "//",
    "\\u",
    ";",
    "\n",
    "\r\n",
    "\t",
];

/// Non-ASCII text: accents, wide and combining characters, confusables,
/// a byte-order mark, right-to-left text and emoji.
const UNICODE: &[&str] = &[
    "é",
    "Støre",
    "\u{0301}",
    "漢字",
    "\u{2212}",
    "\u{2014}",
    "\u{201C}",
    "\u{2019}",
    "\u{FEFF}",
    "\u{202E}",
    "😀",
    "\u{10FFFF}",
    "\u{0}",
    "ﬁ",
];

#[derive(Clone, Debug)]
enum Mutation {
    DeleteChar(Index),
    InsertChar(Index, char),
    InsertToken(Index, Index),
    InsertUnicode(Index, Index),
    DeleteToken(Index),
    DuplicateToken(Index),
    SwapTokens(Index, Index),
    Truncate(Index),
    Splice(Index, Index, Index),
    Nest(Index, char, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let i = any::<Index>;
    prop_oneof![
        i().prop_map(Mutation::DeleteChar),
        (i(), any::<char>()).prop_map(|(a, c)| Mutation::InsertChar(a, c)),
        (i(), i()).prop_map(|(a, b)| Mutation::InsertToken(a, b)),
        (i(), i()).prop_map(|(a, b)| Mutation::InsertUnicode(a, b)),
        i().prop_map(Mutation::DeleteToken),
        i().prop_map(Mutation::DuplicateToken),
        (i(), i()).prop_map(|(a, b)| Mutation::SwapTokens(a, b)),
        i().prop_map(Mutation::Truncate),
        (i(), i(), i()).prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
        (
            i(),
            prop::sample::select(vec!['(', '[', '{', '-']),
            1usize..(MAX_NESTING + 50)
        )
            .prop_map(|(a, c, n)| Mutation::Nest(a, c, n)),
    ]
}

/// The byte offsets of `s`'s character boundaries, end included.
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

/// The byte ranges of `s`'s whitespace-separated tokens.
fn tokens(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain([(s.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(b)) => {
                out.push((b, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn apply(mut q: String, m: &Mutation) -> String {
    let at = |q: &str, ix: &Index| {
        let b = boundaries(q);
        b[ix.index(b.len())]
    };
    match m {
        Mutation::DeleteChar(ix) => {
            let b = boundaries(&q);
            if b.len() > 1 {
                let k = ix.index(b.len() - 1);
                q.replace_range(b[k]..b[k + 1], "");
            }
        }
        Mutation::InsertChar(ix, c) => q.insert(at(&q, ix), *c),
        Mutation::InsertToken(ix, t) => {
            let pos = at(&q, ix);
            q.insert_str(pos, &format!(" {} ", *t.get(TOKENS)));
        }
        Mutation::InsertUnicode(ix, t) => {
            let pos = at(&q, ix);
            let text: &str = UNICODE[t.index(UNICODE.len())];
            q.insert_str(pos, text);
        }
        Mutation::DeleteToken(ix) => {
            let t = tokens(&q);
            if !t.is_empty() {
                let (a, b) = t[ix.index(t.len())];
                q.replace_range(a..b, "");
            }
        }
        Mutation::DuplicateToken(ix) => {
            let t = tokens(&q);
            if !t.is_empty() {
                let (a, b) = t[ix.index(t.len())];
                let copy = q[a..b].to_string();
                q.insert_str(b, &format!(" {copy}"));
            }
        }
        Mutation::SwapTokens(x, y) => {
            let t = tokens(&q);
            if t.len() > 1 {
                let (mut i, mut j) = (x.index(t.len()), y.index(t.len()));
                if i > j {
                    std::mem::swap(&mut i, &mut j);
                }
                if i != j {
                    let (a, b) = (t[i], t[j]);
                    let (first, second) = (q[a.0..a.1].to_string(), q[b.0..b.1].to_string());
                    q.replace_range(b.0..b.1, &first);
                    q.replace_range(a.0..a.1, &second);
                }
            }
        }
        Mutation::Truncate(ix) => {
            let pos = at(&q, ix);
            q.truncate(pos);
        }
        Mutation::Splice(other, from, to) => {
            let o = other.get(&SEEDS);
            let pos = at(&q, to);
            let tail = &o[at(o, from)..];
            q = format!("{}{tail}", &q[..pos]);
        }
        Mutation::Nest(ix, c, n) => {
            let pos = at(&q, ix);
            q.insert_str(pos, &c.to_string().repeat(*n));
        }
    }
    q
}

fn mutated_query() -> impl Strategy<Value = String> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..6))
        .prop_map(|(seed, ms)| ms.iter().fold(seed.get(&SEEDS).clone(), apply))
}

/// Random text over query-like characters: mostly nonsense, sometimes a
/// fragment the parser gets far into.
fn random_query() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(TOKENS).prop_map(str::to_string),
            1 => prop::sample::select(UNICODE).prop_map(str::to_string),
            1 => "[a-z0-9 ]{1,4}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.join(" "))
}

/// Checks that an error's span lies inside `text`, on character
/// boundaries, and that its line and column name a real place.
fn check_position(text: &str, e: &QueryError) -> Result<(), TestCaseError> {
    if let Some(span) = e.span {
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "span {span:?} outside the input of {} bytes: {e}",
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "span {span:?} splits a character: {e}"
        );
        let (line, column) = line_col(text, span.start);
        let lines: Vec<&str> = text.split('\n').collect();
        prop_assert!(
            line >= 1 && line <= lines.len(),
            "line {line} of {}",
            lines.len()
        );
        prop_assert!(
            column >= 1 && column <= lines[line - 1].chars().count() + 1,
            "column {column} past the end of line {line}"
        );
    }
    // Showing the error slices the text at the span: it must not panic.
    let shown = e.render(text, Some("fuzz"));
    prop_assert!(shown.contains(e.detail));
    Ok(())
}

/// Parses `text`, catching a panic so that the failure names the input.
fn parse_checked(text: &str) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(|| parse(text).map(|_| ()));
    match outcome {
        Err(_) => Err(TestCaseError::fail(format!("parse panicked on {text:?}"))),
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            prop_assert_eq!(e.kind, kgq::error::ErrorKind::SyntaxError, "{}", e);
            prop_assert!(e.span.is_some(), "a syntax error without a position: {e}");
            check_position(text, &e)
        }
    }
}

/// Runs `text` on a fresh copy of the article graph with a timeout.
fn execute_checked(text: &str) -> Result<(), TestCaseError> {
    let mut session = Session::new(ARTICLE.clone());
    session.options_mut().timeout = Some(Duration::from_millis(500));
    session.options_mut().max_rows = Some(100_000);
    let outcome = catch_unwind(AssertUnwindSafe(|| session.execute(text)));
    match outcome {
        Err(_) => Err(TestCaseError::fail(format!("execute panicked on {text:?}"))),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => check_position(text, &e),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_queries_parse_or_fail_with_a_position(q in mutated_query()) {
        parse_checked(&q)?;
    }

    #[test]
    fn random_queries_parse_or_fail_with_a_position(q in random_query()) {
        parse_checked(&q)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn mutated_queries_run_or_fail_with_a_position(q in mutated_query()) {
        execute_checked(&q)?;
    }
}

#[test]
fn every_seed_runs_or_fails_with_a_position() {
    for q in SEEDS.iter() {
        if let Err(e) = execute_checked(q) {
            panic!("{q}: {e}");
        }
    }
}

/// Nesting at and beyond the parser's limit, in every recursive form:
/// either a result or a positioned error, never a crash.
#[test]
fn deep_nesting_is_a_result_or_a_syntax_error() {
    let n = MAX_NESTING;
    let cases = [
        format!("RETURN {}1{}", "(".repeat(n - 2), ")".repeat(n - 2)),
        format!("RETURN {}1{}", "[".repeat(n - 2), "]".repeat(n - 2)),
        format!("RETURN {}1{}", "[".repeat(n + 1), "]".repeat(n + 1)),
        format!("RETURN {}1{}", "(".repeat(n + 1), ")".repeat(n + 1)),
        format!("RETURN {}", "(".repeat(n + 100)),
        format!("RETURN {}", "[".repeat(5 * n)),
        format!("RETURN {}1{}", "{a: ".repeat(n + 1), "}".repeat(n + 1)),
        format!("RETURN {}1", "- ".repeat(5 * n)),
        format!("RETURN {}true", "NOT ".repeat(5 * n)),
        format!("RETURN {}", vec!["1"; 20 * n].join(" + ")),
        format!("RETURN {}", vec!["true"; 20 * n].join(" OR ")),
        format!("RETURN 1{}", " < 2".repeat(5 * n)),
        format!("WITH {{a: 1}} AS m RETURN m{}", ".a".repeat(5 * n)),
        format!("RETURN [1]{}", "[0]".repeat(5 * n)),
        format!("RETURN 1{}", " IS NULL".repeat(5 * n)),
        format!("RETURN {}1{}", "EXISTS { RETURN ".repeat(n), " }".repeat(n)),
        format!(
            "MATCH (n) WHERE {}n.x = 1{} RETURN n",
            "(".repeat(n),
            ")".repeat(n)
        ),
    ];
    for q in &cases {
        let mut session = Session::new(ARTICLE.clone());
        session.options_mut().timeout = Some(Duration::from_secs(20));
        match catch_unwind(AssertUnwindSafe(|| session.execute(q))) {
            Err(_) => panic!("panicked on {}...", &q[..40.min(q.len())]),
            Ok(Ok(_)) => {}
            // A syntax error past the nesting limit, or an error from
            // running the (valid) deep expression: both are fine.
            Ok(Err(e)) => check_position(q, &e).unwrap(),
        }
    }
}

#[test]
fn nesting_past_the_limit_is_refused_with_a_message() {
    let n = MAX_NESTING + 1;
    let q = format!("RETURN {}1{}", "[".repeat(n), "]".repeat(n));
    let e = parse(&q).unwrap_err();
    assert_eq!(e.message, kgq::query::parser::messages::TOO_DEEP);
    let within = format!("RETURN {}1{}", "[".repeat(n - 10), "]".repeat(n - 10));
    assert!(parse(&within).is_ok());
}
