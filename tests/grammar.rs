//! The grammar: every example parses, printing and re-parsing gives the
//! same tree, the EBNF and the parser's rule headers agree, and no input —
//! random or mutated — makes the parser panic.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kgq::error::Span;
use kgq::query::ast::*;
use kgq::query::parser::{RESERVED, parse, parse_expression};
use kgq::query::printer::without_spans;
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> Vec<(String, String)> {
    let dir = root().join("grammar/examples");
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .expect("grammar/examples exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "cypher"))
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                fs::read_to_string(&p).expect("readable example"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn there_are_enough_examples() {
    let n = examples().len();
    assert!((20..=40).contains(&n), "{n} examples");
}

#[test]
fn every_example_parses() {
    for (name, text) in examples() {
        if let Err(e) = parse(&text) {
            panic!("{name}: {}", e.render(&text, Some(&name)));
        }
    }
}

#[test]
fn every_example_prints_and_parses_back_to_the_same_tree() {
    for (name, text) in examples() {
        let tree = parse(&text).expect("example parses");
        let printed = tree.to_string();
        let again = parse(&printed)
            .unwrap_or_else(|e| panic!("{name}: printed text fails: {}", e.render(&printed, None)));
        assert_eq!(
            without_spans(&again),
            without_spans(&tree),
            "{name}: printed as {printed}"
        );
    }
}

#[test]
fn spans_lie_within_the_text_and_columns_are_the_written_text() {
    for (name, text) in examples() {
        let tree = parse(&text).expect("example parses");
        assert!(tree.span.end <= text.len(), "{name}");
        for clause in &tree.query.first.clauses {
            let span = clause.span();
            assert!(span.start < span.end && span.end <= text.len(), "{name}");
            if let Clause::Return(r) = clause {
                for item in &r.projection.items {
                    if item.alias.is_none() {
                        let s = item.expr.span;
                        assert_eq!(&text[s.start..s.end], item.column, "{name}");
                    }
                }
            }
        }
    }
}

/// `[N] Name ::= definition` lines, keyed by name.
fn rules_in(text: &str, prefix: &str) -> BTreeMap<String, Vec<(u32, String)>> {
    let mut rules: BTreeMap<String, Vec<(u32, String)>> = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix(prefix) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix('[') else {
            continue;
        };
        let Some((num, rest)) = rest.split_once("] ") else {
            continue;
        };
        let Some((name, def)) = rest.split_once(" ::= ") else {
            continue;
        };
        let Ok(num) = num.parse() else {
            panic!("rule number `{num}` is not a number in `{line}`");
        };
        rules
            .entry(name.to_string())
            .or_default()
            .push((num, def.trim().to_string()));
    }
    rules
}

fn parser_sources(dir: &Path) -> String {
    let mut all = String::new();
    for entry in fs::read_dir(dir).expect("parser directory") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "rs") {
            all.push_str(&fs::read_to_string(path).expect("readable source"));
        }
    }
    all
}

#[test]
fn ebnf_rules_and_parser_headers_agree() {
    let ebnf = fs::read_to_string(root().join("grammar/kgq.ebnf")).expect("grammar/kgq.ebnf");
    let grammar = rules_in(&ebnf, "");
    let code = rules_in(&parser_sources(&root().join("src/query/parser")), "// ");
    assert!(grammar.len() > 50, "only {} rules found", grammar.len());
    for (name, defs) in &grammar {
        assert_eq!(defs.len(), 1, "rule {name} is defined twice in the EBNF");
        let Some(headers) = code.get(name) else {
            panic!(
                "rule [{}] {name} has no `// [{}] {name} ::=` header in src/query/parser/",
                defs[0].0, defs[0].0
            );
        };
        assert_eq!(
            headers.len(),
            1,
            "rule {name} heads more than one parser function"
        );
        assert_eq!(
            headers[0], defs[0],
            "header of {name} differs from the EBNF"
        );
    }
    for name in code.keys() {
        assert!(
            grammar.contains_key(name),
            "header {name} is not in grammar/kgq.ebnf"
        );
    }
    let mut numbers: Vec<u32> = grammar.values().map(|d| d[0].0).collect();
    numbers.sort_unstable();
    let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
    assert_eq!(numbers, expected, "rules are numbered 1..N without gaps");
}

#[test]
fn reserved_words_in_the_ebnf_are_the_parsers() {
    let ebnf = fs::read_to_string(root().join("grammar/kgq.ebnf")).expect("grammar/kgq.ebnf");
    let rules = rules_in(&ebnf, "");
    let def = &rules["ReservedWord"][0].1;
    let words: Vec<&str> = def
        .split('|')
        .map(|w| w.trim().trim_matches('\''))
        .collect();
    assert_eq!(words, RESERVED);
}

// ---- random trees ----------------------------------------------------------

fn span() -> Span {
    Span::default()
}

fn name_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z][a-zA-Z0-9_]{0,4}",
        1 => proptest::sample::select(RESERVED).prop_map(|w| w.to_lowercase()),
        1 => proptest::sample::select(vec!["with space", "back`tick", "", "ünï", "1st", "count", "any", "exists"]).prop_map(String::from),
    ]
}

fn name() -> impl Strategy<Value = Name> {
    name_text().prop_map(|name| Name { name, span: span() })
}

fn variable() -> impl Strategy<Value = Variable> {
    name_text().prop_map(|name| Variable { name, span: span() })
}

fn expr_of(kind: ExprKind) -> Expr {
    Expr { kind, span: span() }
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        Just(Literal::Null),
        any::<bool>().prop_map(Literal::Bool),
        any::<i64>().prop_map(Literal::Int),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(Literal::Float),
        any::<String>().prop_map(Literal::String),
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        literal().prop_map(|l| expr_of(ExprKind::Literal(l))),
        prop_oneof!["[a-z][a-z0-9]{0,3}", "[0-9]{1,2}"]
            .prop_map(|p| expr_of(ExprKind::Parameter(p))),
        name_text().prop_map(|v| expr_of(ExprKind::Variable(v))),
        Just(expr_of(ExprKind::CountStar)),
    ]
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    use BinaryOp::*;
    proptest::sample::select(vec![
        Or, Xor, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod, Pow, In, StartsWith,
        EndsWith, Contains, RegexMatch,
    ])
}

fn range() -> impl Strategy<Value = Option<RangeSpec>> {
    proptest::option::of(
        (proptest::option::of(0u64..5), proptest::option::of(0u64..9))
            .prop_map(|(min, max)| RangeSpec { min, max }),
    )
}

fn properties(e: BoxedStrategy<Expr>) -> impl Strategy<Value = Option<Expr>> {
    prop_oneof![
        3 => Just(None),
        1 => "[a-z]{1,3}".prop_map(|p| Some(expr_of(ExprKind::Parameter(p)))),
        1 => proptest::collection::vec((name(), e), 0..3).prop_map(|m| Some(expr_of(ExprKind::Map(m)))),
    ]
}

fn node(e: BoxedStrategy<Expr>) -> impl Strategy<Value = NodePattern> {
    (
        proptest::option::of(variable()),
        proptest::collection::vec(name(), 0..3),
        properties(e),
    )
        .prop_map(|(variable, labels, properties)| NodePattern {
            variable,
            labels,
            properties,
            span: span(),
        })
}

fn rel(e: BoxedStrategy<Expr>) -> impl Strategy<Value = RelPattern> {
    (
        proptest::option::of(variable()),
        proptest::sample::select(vec![
            RelDirection::Left,
            RelDirection::Right,
            RelDirection::Both,
        ]),
        proptest::collection::vec(name(), 0..3),
        range(),
        properties(e),
    )
        .prop_map(
            |(variable, direction, types, length, properties)| RelPattern {
                variable,
                direction,
                types,
                length,
                properties,
                span: span(),
            },
        )
}

fn element(e: BoxedStrategy<Expr>, min_hops: usize) -> impl Strategy<Value = PatternElement> {
    (
        node(e.clone()),
        proptest::collection::vec((rel(e.clone()), node(e)), min_hops..3),
    )
        .prop_map(|(start, chain)| PatternElement {
            start,
            chain,
            span: span(),
        })
}

fn part(e: BoxedStrategy<Expr>) -> impl Strategy<Value = PatternPart> {
    (
        proptest::option::of(variable()),
        proptest::sample::select(vec![
            PathKind::Normal,
            PathKind::ShortestPath,
            PathKind::AllShortestPaths,
        ]),
        element(e, 0),
    )
        .prop_map(|(variable, kind, element)| PatternPart {
            variable,
            kind,
            element,
            span: span(),
        })
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(4, 48, 4, |inner| {
        let e = inner.clone().boxed();
        let b = move || inner.clone().prop_map(Box::new);
        prop_oneof![
            proptest::collection::vec(e.clone(), 0..3).prop_map(|v| expr_of(ExprKind::List(v))),
            proptest::collection::vec((name(), e.clone()), 0..3)
                .prop_map(|m| expr_of(ExprKind::Map(m))),
            (b(), name()).prop_map(|(x, k)| expr_of(ExprKind::Property(x, k))),
            (b(), b()).prop_map(|(x, i)| expr_of(ExprKind::Index(x, i))),
            (b(), proptest::option::of(b()), proptest::option::of(b()))
                .prop_map(|(x, f, t)| expr_of(ExprKind::Slice(x, f, t))),
            (
                proptest::sample::select(vec![UnaryOp::Not, UnaryOp::Neg, UnaryOp::Plus]),
                b()
            )
                .prop_map(|(op, x)| expr_of(ExprKind::Unary(op, x))),
            (binary_op(), b(), b()).prop_map(|(op, l, r)| expr_of(ExprKind::Binary(op, l, r))),
            (b(), any::<bool>()).prop_map(|(x, n)| expr_of(ExprKind::IsNull(x, n))),
            (b(), proptest::collection::vec(name(), 1..3))
                .prop_map(|(x, l)| expr_of(ExprKind::HasLabels(x, l))),
            (
                proptest::collection::vec(name(), 1..3),
                any::<bool>(),
                proptest::collection::vec(e.clone(), 0..3)
            )
                .prop_map(|(name, distinct, args)| expr_of(ExprKind::FunctionCall {
                    name,
                    distinct,
                    args
                })),
            (
                proptest::option::of(b()),
                proptest::collection::vec((e.clone(), e.clone()), 1..3),
                proptest::option::of(b())
            )
                .prop_map(|(operand, alternatives, default)| expr_of(ExprKind::Case {
                    operand,
                    alternatives,
                    default
                })),
            (
                variable(),
                b(),
                proptest::option::of(b()),
                proptest::option::of(b())
            )
                .prop_map(|(variable, list, predicate, projection)| expr_of(
                    ExprKind::ListComprehension {
                        variable,
                        list,
                        predicate,
                        projection
                    }
                )),
            (
                proptest::option::of(variable()),
                element(e.clone(), 1),
                proptest::option::of(b()),
                b()
            )
                .prop_map(|(variable, p, predicate, projection)| expr_of(
                    ExprKind::PatternComprehension {
                        variable,
                        pattern: Box::new(p),
                        predicate,
                        projection
                    }
                )),
            (
                proptest::sample::select(vec![
                    Quantifier::All,
                    Quantifier::Any,
                    Quantifier::None,
                    Quantifier::Single
                ]),
                variable(),
                b(),
                b()
            )
                .prop_map(|(quantifier, variable, list, predicate)| expr_of(
                    ExprKind::Quantified {
                        quantifier,
                        variable,
                        list,
                        predicate
                    }
                )),
            (variable(), b(), variable(), b(), b()).prop_map(
                |(accumulator, init, variable, list, expr)| expr_of(ExprKind::Reduce {
                    accumulator,
                    init,
                    variable,
                    list,
                    expr
                })
            ),
            (
                proptest::collection::vec(part(e.clone()), 1..3),
                proptest::option::of(b())
            )
                .prop_map(|(parts, w)| expr_of(ExprKind::Exists(ExistsBody::Pattern(parts, w)))),
            (
                variable(),
                proptest::collection::vec(
                    prop_oneof![
                        name().prop_map(MapProjectionItem::Property),
                        Just(MapProjectionItem::AllProperties(span())),
                        (name(), e.clone()).prop_map(|(k, v)| MapProjectionItem::Literal(k, v)),
                        variable().prop_map(MapProjectionItem::Variable),
                    ],
                    0..3
                )
            )
                .prop_map(|(variable, items)| expr_of(ExprKind::MapProjection { variable, items })),
        ]
    })
}

fn projection() -> impl Strategy<Value = Projection> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec((expr(), proptest::option::of(variable())), 0..3),
        proptest::collection::vec((expr(), any::<bool>()), 0..2),
        proptest::option::of(expr()),
        proptest::option::of(expr()),
    )
        .prop_map(|(distinct, star, items, order, skip, limit)| Projection {
            distinct,
            star: star || items.is_empty(),
            items: items
                .into_iter()
                .map(|(expr, alias)| ProjectionItem {
                    column: String::new(),
                    expr,
                    alias,
                })
                .collect(),
            order_by: order
                .into_iter()
                .map(|(expr, descending)| SortItem { expr, descending })
                .collect(),
            skip,
            limit,
        })
}

fn clause() -> impl Strategy<Value = Clause> {
    let e = || expr().boxed();
    prop_oneof![
        (
            any::<bool>(),
            proptest::collection::vec(part(e()), 1..3),
            proptest::option::of(expr())
        )
            .prop_map(|(optional, pattern, where_clause)| Clause::Match(Match {
                optional,
                pattern,
                where_clause,
                span: span()
            })),
        (expr(), variable()).prop_map(|(expr, variable)| Clause::Unwind(Unwind {
            expr,
            variable,
            span: span()
        })),
        (projection(), proptest::option::of(expr())).prop_map(|(projection, where_clause)| {
            Clause::With(With {
                projection,
                where_clause,
                span: span(),
            })
        }),
        projection().prop_map(|projection| Clause::Return(Return {
            projection,
            span: span()
        })),
        proptest::collection::vec(part(e()), 1..3).prop_map(|pattern| Clause::Create(Create {
            pattern,
            span: span()
        })),
        (
            part(e()),
            proptest::collection::vec(
                (any::<bool>(), proptest::collection::vec(set_item(), 1..3)),
                0..3
            )
        )
            .prop_map(|(part, actions)| Clause::Merge(Merge {
                part,
                actions: actions
                    .into_iter()
                    .map(|(on_create, items)| MergeAction { on_create, items })
                    .collect(),
                span: span(),
            })),
        proptest::collection::vec(set_item(), 1..3).prop_map(|items| Clause::Set(SetClause {
            items,
            span: span()
        })),
        proptest::collection::vec(
            prop_oneof![
                (expr(), name()).prop_map(|(target, key)| RemoveItem::Property { target, key }),
                (variable(), proptest::collection::vec(name(), 1..3))
                    .prop_map(|(variable, labels)| RemoveItem::Labels { variable, labels }),
            ],
            1..3
        )
        .prop_map(|items| Clause::Remove(Remove {
            items,
            span: span()
        })),
        (any::<bool>(), proptest::collection::vec(expr(), 1..3)).prop_map(|(detach, exprs)| {
            Clause::Delete(Delete {
                detach,
                exprs,
                span: span(),
            })
        }),
    ]
}

fn set_item() -> impl Strategy<Value = SetItem> {
    prop_oneof![
        (expr(), name(), expr()).prop_map(|(target, key, value)| SetItem::Property {
            target,
            key,
            value
        }),
        (variable(), expr()).prop_map(|(variable, value)| SetItem::Replace { variable, value }),
        (variable(), expr()).prop_map(|(variable, value)| SetItem::Merge { variable, value }),
        (variable(), proptest::collection::vec(name(), 1..3))
            .prop_map(|(variable, labels)| SetItem::Labels { variable, labels }),
    ]
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        proptest::sample::select(vec![
            StatementMode::Normal,
            StatementMode::Explain,
            StatementMode::Profile,
        ]),
        proptest::collection::vec(clause(), 1..4),
        proptest::collection::vec(
            (any::<bool>(), proptest::collection::vec(clause(), 1..3)),
            0..2,
        ),
    )
        .prop_map(|(mode, first, unions)| {
            let single = |clauses| SingleQuery {
                clauses,
                span: span(),
            };
            Statement {
                mode,
                query: Query {
                    first: single(first),
                    unions: unions
                        .into_iter()
                        .map(|(all, c)| (all, single(c)))
                        .collect(),
                    span: span(),
                },
                span: span(),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn printed_expressions_parse_back_to_the_same_tree(e in expr()) {
        let text = e.to_string();
        match parse_expression(&text) {
            Ok(again) => prop_assert_eq!(without_spans(&again), without_spans(&e), "{}", text),
            Err(err) => prop_assert!(false, "{} fails: {}", text, err.render(&text, None)),
        }
    }

    #[test]
    fn printed_statements_parse_back_to_the_same_tree(s in statement()) {
        let text = s.to_string();
        match parse(&text) {
            Ok(again) => prop_assert_eq!(without_spans(&again), without_spans(&s), "{}", text),
            Err(err) => prop_assert!(false, "{} fails: {}", text, err.render(&text, None)),
        }
    }
}

// ---- mutated and random text -------------------------------------------------

#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, char),
    Swap(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = proptest::sample::select(vec![
        '(', ')', '[', ']', '{', '}', ':', ',', '.', '\'', '"', '`', '\\', '-', '<', '>', '=', '*',
        '/', '$', '|', ' ', '\n', '\r', '0', 'x', 'e', 'é', '—', '🧐', '\u{0}',
    ]);
    prop_oneof![
        (any::<usize>(), 1usize..8).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), interesting).prop_map(|(a, c)| Mutation::Insert(a, c)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let n = chars.len().max(1);
    match *m {
        Mutation::Delete(a, len) => {
            let a = a % n;
            let end = (a + len).min(chars.len());
            if a < end {
                chars.drain(a..end);
            }
        }
        Mutation::Insert(a, c) => chars.insert(a % (chars.len() + 1), c),
        Mutation::Swap(a, b) => {
            if !chars.is_empty() {
                let len = chars.len();
                chars.swap(a % len, b % len);
            }
        }
        Mutation::Truncate(a) => chars.truncate(a % n),
    }
    chars.into_iter().collect()
}

fn check_never_panics(text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = parse(text) {
        let s = e.span.expect("syntax errors carry a span");
        prop_assert!(
            s.start <= s.end && s.end <= text.len(),
            "{:?} outside {:?}",
            s,
            text
        );
        prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        let shown = e.render(text, None);
        prop_assert!(!shown.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic_and_errors_point_inside(
        which in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let all = examples();
        let (_, text) = &all[which % all.len()];
        let mut text = text.clone();
        for m in &mutations {
            text = apply(&text, m);
        }
        check_never_panics(&text)?;
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,60}") {
        check_never_panics(&text)?;
    }

    #[test]
    fn random_query_like_text_never_panics(text in "[a-zA-Z0-9 ()\\[\\]{}:,.'\"`\\\\<>=*/$|+-]{0,60}") {
        check_never_panics(&text)?;
    }
}

// ---- spans ---------------------------------------------------------------------

/// Every expression of a statement, nested ones included (not inside
/// pattern property maps).
fn all_exprs(s: &Statement) -> Vec<&Expr> {
    fn projection<'a>(p: &'a Projection, out: &mut Vec<&'a Expr>) {
        out.extend(p.items.iter().map(|i| &i.expr));
        out.extend(p.order_by.iter().map(|s| &s.expr));
        out.extend(p.skip.iter());
        out.extend(p.limit.iter());
    }
    fn set_items<'a>(items: &'a [SetItem], out: &mut Vec<&'a Expr>) {
        for item in items {
            match item {
                SetItem::Property { target, value, .. } => out.extend([target, value]),
                SetItem::Replace { value, .. } | SetItem::Merge { value, .. } => out.push(value),
                SetItem::Labels { .. } => {}
            }
        }
    }
    fn children(e: &Expr) -> Vec<&Expr> {
        match &e.kind {
            ExprKind::List(v) | ExprKind::FunctionCall { args: v, .. } => v.iter().collect(),
            ExprKind::Map(m) => m.iter().map(|(_, v)| v).collect(),
            ExprKind::Property(b, _) | ExprKind::HasLabels(b, _) => vec![b],
            ExprKind::IsNull(b, _) | ExprKind::Unary(_, b) => vec![b],
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => vec![a, b],
            ExprKind::Slice(a, f, t) => [Some(a), f.as_ref(), t.as_ref()]
                .into_iter()
                .flatten()
                .map(|b| &**b)
                .collect(),
            ExprKind::Case {
                operand,
                alternatives,
                default,
            } => {
                let mut v: Vec<&Expr> = operand.iter().map(|b| &**b).collect();
                for (w, t) in alternatives {
                    v.extend([w, t]);
                }
                v.extend(default.iter().map(|b| &**b));
                v
            }
            ExprKind::ListComprehension {
                list,
                predicate,
                projection,
                ..
            } => [Some(list), predicate.as_ref(), projection.as_ref()]
                .into_iter()
                .flatten()
                .map(|b| &**b)
                .collect(),
            ExprKind::PatternComprehension {
                predicate,
                projection,
                ..
            } => [predicate.as_ref(), Some(projection)]
                .into_iter()
                .flatten()
                .map(|b| &**b)
                .collect(),
            ExprKind::Quantified {
                list, predicate, ..
            } => vec![list, predicate],
            ExprKind::Reduce {
                init, list, expr, ..
            } => vec![init, list, expr],
            ExprKind::Exists(ExistsBody::Pattern(_, w)) => w.iter().map(|b| &**b).collect(),
            ExprKind::MapProjection { items, .. } => items
                .iter()
                .filter_map(|i| match i {
                    MapProjectionItem::Literal(_, v) => Some(v),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        }
    }
    let mut top = Vec::new();
    let queries = std::iter::once(&s.query.first).chain(s.query.unions.iter().map(|(_, q)| q));
    for q in queries {
        for c in &q.clauses {
            match c {
                Clause::Match(m) => top.extend(m.where_clause.iter()),
                Clause::Unwind(u) => top.push(&u.expr),
                Clause::With(w) => {
                    projection(&w.projection, &mut top);
                    top.extend(w.where_clause.iter());
                }
                Clause::Return(r) => projection(&r.projection, &mut top),
                Clause::Merge(m) => m.actions.iter().for_each(|a| set_items(&a.items, &mut top)),
                Clause::Set(s) => set_items(&s.items, &mut top),
                Clause::Delete(d) => top.extend(d.exprs.iter()),
                Clause::Call(c) => top.extend(c.args.iter().flatten()),
                Clause::Create(_) | Clause::Remove(_) => {}
            }
        }
    }
    let mut all = Vec::new();
    while let Some(e) = top.pop() {
        all.push(e);
        top.extend(children(e));
    }
    all
}

fn contains_pattern(e: &Expr) -> bool {
    e.to_string().contains("->") || e.to_string().contains("<-") || e.to_string().contains(")-")
}

#[test]
fn every_expression_span_covers_text_that_parses_to_that_expression() {
    let mut checked = 0;
    for (name, text) in examples() {
        let tree = parse(&text).expect("example parses");
        for e in all_exprs(&tree) {
            let s = e.span;
            assert!(
                s.start < s.end && s.end <= text.len(),
                "{name}: {e} has span {s:?}"
            );
            let written = &text[s.start..s.end];
            if contains_pattern(e) || matches!(e.kind, ExprKind::Exists(_)) {
                continue;
            }
            let again = parse_expression(written)
                .unwrap_or_else(|err| panic!("{name}: `{written}` (span of {e}): {err}"));
            assert_eq!(
                without_spans(&again),
                without_spans(e),
                "{name}: `{written}`"
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} expressions checked");
}
