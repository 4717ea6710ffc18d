//! Semantic analysis: resolves every variable to a slot of the row,
//! checks the static rules of the language (scopes, kinds of variables,
//! aggregation, clause order, argument counts, statically known types) and
//! produces the bound form in [`ir`].

mod expr;
pub mod ir;
mod pattern;
mod projection;
mod types;

use std::collections::BTreeMap;

use crate::error::{ErrorKind, QueryError, Span};
use crate::graph::Value;
use crate::query::ast::{self, BinaryOp, Clause, Expr, ExprKind, Literal, PathKind, RelDirection};
use crate::query::functions;
use crate::session::Params;

use ir::*;
pub use types::Ty;

/// A variable in scope: its slot and what it is known to hold.
#[derive(Clone, Copy, Debug)]
struct Var {
    slot: Slot,
    ty: Ty,
}

/// Names in scope, sorted (so `RETURN *` lists columns by name).
type Scope = BTreeMap<String, Var>;

fn syntax(detail: &'static str, message: impl Into<String>, span: Span) -> QueryError {
    QueryError::compile(ErrorKind::SyntaxError, detail, message, Some(span))
}

fn type_error(message: impl Into<String>, span: Span) -> QueryError {
    QueryError::compile(
        ErrorKind::SyntaxError,
        "InvalidArgumentType",
        message,
        Some(span),
    )
}

/// Analyses a statement; `params` are substituted as constants.
pub fn analyze(stmt: &ast::Statement, text: &str, params: &Params) -> Result<BQuery, QueryError> {
    let mut an = Analyzer {
        text,
        params,
        nslots: 0,
        writes: false,
        aggs: None,
        in_agg: false,
        in_where: false,
        replacements: Vec::new(),
    };
    let q = &stmt.query;
    let mut union_all = None;
    for (all, part) in &q.unions {
        match union_all {
            None => union_all = Some(*all),
            Some(prev) if prev != *all => {
                return Err(syntax(
                    "InvalidClauseComposition",
                    "UNION and UNION ALL cannot be mixed in one query",
                    part.span,
                ));
            }
            _ => {}
        }
    }
    let mut parts = Vec::new();
    let first = an.single(&q.first)?;
    parts.push(first);
    for (_, part) in &q.unions {
        an.nslots = 0;
        let b = an.single(part)?;
        if b.columns != parts[0].columns {
            return Err(syntax(
                "DifferentColumnsInUnion",
                "all parts of a UNION must return the same column names",
                part.span,
            ));
        }
        parts.push(b);
    }
    Ok(BQuery {
        parts,
        union_all: union_all.unwrap_or(false),
        writes: an.writes,
    })
}

struct Analyzer<'a> {
    text: &'a str,
    params: &'a Params,
    nslots: usize,
    writes: bool,
    /// Aggregates found in the projection item being analysed; `None`
    /// where aggregates are not allowed.
    aggs: Option<Vec<AggSpec>>,
    /// Inside an aggregate's arguments.
    in_agg: bool,
    /// Analysing a `WHERE` predicate, where patterns may stand as
    /// predicates.
    in_where: bool,
    /// Expression texts that stand for a slot (projected expressions
    /// inside `ORDER BY` after aggregation).
    replacements: Vec<(String, Slot)>,
}

impl Analyzer<'_> {
    fn slot(&mut self) -> Slot {
        self.nslots += 1;
        self.nslots - 1
    }

    fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn single(&mut self, q: &ast::SingleQuery) -> Result<BSingle, QueryError> {
        self.single_in(q, Scope::new(), false)
    }

    /// A single query starting from `scope`; a `nested` one (a subquery)
    /// need not end with `RETURN`.
    fn single_in(
        &mut self,
        q: &ast::SingleQuery,
        mut scope: Scope,
        nested: bool,
    ) -> Result<BSingle, QueryError> {
        let mut clauses = Vec::new();
        let mut columns = Vec::new();
        let mut outputs = Vec::new();
        let n = q.clauses.len();
        for (i, clause) in q.clauses.iter().enumerate() {
            let last = i + 1 == n;
            match clause {
                Clause::Return(r) => {
                    if !last {
                        return Err(syntax(
                            "InvalidClauseComposition",
                            "RETURN can only be the last clause of a query",
                            r.span,
                        ));
                    }
                    let (proj, new_scope) =
                        self.projection(&r.projection, &scope, None, false, r.span)?;
                    columns = proj.columns.clone();
                    outputs = proj.items.iter().map(|(_, s)| *s).collect();
                    let _ = new_scope;
                    clauses.push(BClause::Project(Box::new(proj), true));
                }
                Clause::With(w) => {
                    let (proj, new_scope) = self.projection(
                        &w.projection,
                        &scope,
                        w.where_clause.as_ref(),
                        true,
                        w.span,
                    )?;
                    scope = new_scope;
                    clauses.push(BClause::Project(Box::new(proj), false));
                }
                Clause::Match(m) => {
                    let pattern =
                        self.pattern_query(&m.pattern, m.where_clause.as_ref(), &mut scope, false)?;
                    clauses.push(BClause::Match {
                        optional: m.optional,
                        pattern,
                    });
                }
                Clause::Unwind(u) => {
                    let e = self.expr(&u.expr, &scope)?;
                    if scope.contains_key(&u.variable.name) {
                        return Err(already_bound(&u.variable));
                    }
                    let slot = self.slot();
                    scope.insert(u.variable.name.clone(), Var { slot, ty: Ty::Any });
                    clauses.push(BClause::Unwind(e, slot));
                }
                Clause::Create(c) => {
                    self.writes = true;
                    let parts = self.create_parts(&c.pattern, &mut scope)?;
                    clauses.push(BClause::Create(parts));
                }
                Clause::Merge(m) => {
                    self.writes = true;
                    clauses.push(self.merge(m, &mut scope)?);
                }
                Clause::Set(s) => {
                    self.writes = true;
                    let items = s
                        .items
                        .iter()
                        .map(|i| self.set_item(i, &scope))
                        .collect::<Result<_, _>>()?;
                    clauses.push(BClause::Set(items));
                }
                Clause::Remove(r) => {
                    self.writes = true;
                    let mut items = Vec::new();
                    for item in &r.items {
                        items.push(match item {
                            ast::RemoveItem::Property { target, key } => {
                                BRemoveItem::Property(self.expr(target, &scope)?, key.name.clone())
                            }
                            ast::RemoveItem::Labels { variable, labels } => BRemoveItem::Labels(
                                self.lookup(variable, &scope)?.slot,
                                labels.iter().map(|l| l.name.clone()).collect(),
                            ),
                        });
                    }
                    clauses.push(BClause::Remove(items));
                }
                Clause::Delete(d) => {
                    self.writes = true;
                    let mut exprs = Vec::new();
                    for e in &d.exprs {
                        if matches!(e.kind, ExprKind::HasLabels(..)) {
                            return Err(syntax(
                                "InvalidDelete",
                                "DELETE takes nodes, relationships or paths; to remove a label use REMOVE",
                                e.span,
                            ));
                        }
                        let b = self.expr(e, &scope)?;
                        let ty = self.ty(&b, &scope);
                        if !matches!(
                            ty,
                            Ty::Node | Ty::Rel | Ty::Path | Ty::Any | Ty::Null | Ty::List
                        ) {
                            return Err(type_error(
                                "DELETE takes nodes, relationships or paths",
                                e.span,
                            ));
                        }
                        exprs.push(b);
                    }
                    clauses.push(BClause::Delete(exprs, d.detach));
                }
                Clause::Call(c) => {
                    return Err(QueryError::compile(
                        ErrorKind::ProcedureError,
                        "ProcedureNotFound",
                        format!(
                            "there is no procedure `{}`",
                            c.procedure
                                .iter()
                                .map(|n| n.name.as_str())
                                .collect::<Vec<_>>()
                                .join(".")
                        ),
                        Some(c.span),
                    ));
                }
            }
        }
        // A reading query must end by returning something.
        let (what, span) = match q.clauses.last() {
            Some(Clause::With(w)) => ("WITH", w.span),
            Some(Clause::Match(m)) => ("MATCH", m.span),
            Some(Clause::Unwind(u)) => ("UNWIND", u.span),
            _ => ("", q.span),
        };
        if !what.is_empty() && !nested {
            return Err(syntax(
                "InvalidClauseComposition",
                format!("a query cannot end with {what}; add a RETURN"),
                span,
            ));
        }
        Ok(BSingle {
            clauses,
            slots: self.nslots,
            columns,
            outputs,
        })
    }

    fn lookup(&self, v: &ast::Variable, scope: &Scope) -> Result<Var, QueryError> {
        scope
            .get(&v.name)
            .copied()
            .ok_or_else(|| undefined(&v.name, v.span))
    }
}

/// Folds a list of constants into one constant.
fn fold_list(items: Vec<BExpr>) -> BExpr {
    if items.iter().all(|i| matches!(i, BExpr::Const(_))) {
        BExpr::Const(Value::List(
            items
                .into_iter()
                .map(|i| match i {
                    BExpr::Const(c) => c,
                    _ => Value::Null,
                })
                .collect(),
        ))
    } else {
        BExpr::List(items)
    }
}

fn undefined(name: &str, span: Span) -> QueryError {
    syntax(
        "UndefinedVariable",
        format!("variable `{name}` is not defined"),
        span,
    )
}

fn already_bound(v: &ast::Variable) -> QueryError {
    syntax(
        "VariableAlreadyBound",
        format!(
            "variable `{}` is already bound and cannot be declared again here",
            v.name
        ),
        v.span,
    )
}

fn is_aggregate_name(name: &str) -> bool {
    functions::lookup(&name.to_lowercase()).is_some_and(|f| f.aggregate)
}

/// Whether an expression holds an aggregate outside nested scopes.
fn contains_aggregate(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::CountStar => true,
        ExprKind::FunctionCall { name, .. }
            if name.len() == 1 && is_aggregate_name(&name[0].name) =>
        {
            true
        }
        _ => {
            let mut found = false;
            for_each_child(e, &mut |c| found |= contains_aggregate(c));
            found
        }
    }
}

/// The variables a pattern element names.
fn pattern_variables(el: &ast::PatternElement) -> Vec<&ast::Variable> {
    let mut out: Vec<&ast::Variable> = el.start.variable.iter().collect();
    for (r, n) in &el.chain {
        out.extend(r.variable.iter());
        out.extend(n.variable.iter());
    }
    out
}

/// Calls `f` on each direct sub-expression.
fn for_each_child(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Parameter(_)
        | ExprKind::Variable(_)
        | ExprKind::CountStar
        | ExprKind::PatternPredicate(_)
        | ExprKind::Exists(_)
        | ExprKind::PatternComprehension { .. } => {}
        ExprKind::List(items) => items.iter().for_each(f),
        ExprKind::Map(entries) => entries.iter().for_each(|(_, v)| f(v)),
        ExprKind::Property(a, _)
        | ExprKind::Unary(_, a)
        | ExprKind::IsNull(a, _)
        | ExprKind::HasLabels(a, _) => f(a),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Slice(a, b, c) => {
            f(a);
            if let Some(b) = b {
                f(b);
            }
            if let Some(c) = c {
                f(c);
            }
        }
        ExprKind::FunctionCall { args, .. } => args.iter().for_each(f),
        ExprKind::Case {
            operand,
            alternatives,
            default,
        } => {
            if let Some(o) = operand {
                f(o);
            }
            for (a, b) in alternatives {
                f(a);
                f(b);
            }
            if let Some(d) = default {
                f(d);
            }
        }
        ExprKind::ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => {
            f(list);
            if let Some(p) = predicate {
                f(p);
            }
            if let Some(p) = projection {
                f(p);
            }
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
        ExprKind::MapProjection { items, .. } => {
            for i in items {
                if let ast::MapProjectionItem::Literal(_, e) = i {
                    f(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parser::parse;

    fn check(q: &str) -> Result<BQuery, QueryError> {
        let stmt = parse(q).expect("parses");
        analyze(&stmt, q, &Params::new())
    }

    fn detail(q: &str) -> &'static str {
        check(q).expect_err("rejected").detail
    }

    #[test]
    fn variables_resolve_to_slots_and_unknown_names_are_reported_where_used() {
        assert!(check("MATCH (n)-[r]->(m) RETURN n, r, m").is_ok());
        let err = check("MATCH (n) RETURN m").unwrap_err();
        assert_eq!(err.detail, "UndefinedVariable");
        assert_eq!(err.span, Some(Span::new(17, 18)));
    }

    #[test]
    fn a_variable_keeps_its_kind() {
        assert_eq!(
            detail("MATCH ()-[r]-() MATCH (r) RETURN r"),
            "VariableTypeConflict"
        );
        assert_eq!(
            detail("MATCH (a) MATCH p = (a)--() MATCH p = ()--() RETURN p"),
            "VariableAlreadyBound"
        );
        assert_eq!(detail("MATCH (a) CREATE (a:L)"), "VariableAlreadyBound");
    }

    #[test]
    fn aggregates_belong_in_projections_and_do_not_nest() {
        assert_eq!(
            detail("MATCH (a) WHERE count(a) > 1 RETURN a"),
            "InvalidAggregation"
        );
        assert_eq!(detail("RETURN count(count(*))"), "NestedAggregation");
        assert_eq!(
            detail("MATCH (a)--(b) RETURN a.x + count(b.x)"),
            "AmbiguousAggregationExpression"
        );
        assert!(check("MATCH (a)--(b) RETURN a.x, a.x + count(b.x) AS c").is_ok());
    }

    #[test]
    fn projections_need_distinct_names_and_aliases_in_with() {
        assert_eq!(detail("RETURN 1 AS a, 2 AS a"), "ColumnNameConflict");
        assert_eq!(detail("MATCH (a) WITH a.x RETURN 1"), "NoExpressionAlias");
        assert_eq!(
            detail("MATCH (a) RETURN a SKIP a.x"),
            "NonConstantExpression"
        );
        assert_eq!(detail("RETURN 1 AS a LIMIT -1"), "NegativeIntegerArgument");
    }

    #[test]
    fn written_patterns_need_one_type_and_a_direction() {
        assert_eq!(detail("CREATE ()-[:A|B]->()"), "NoSingleRelationshipType");
        assert_eq!(detail("CREATE ()-[:A]-()"), "RequiresDirectedRelationship");
        assert_eq!(detail("CREATE ()-[:A*2]->()"), "CreatingVarLength");
        assert!(check("MERGE (a)-[:A]-(b)").is_ok());
    }

    #[test]
    fn statically_known_types_are_checked_before_running() {
        assert_eq!(detail("RETURN 1 AND true"), "InvalidArgumentType");
        assert_eq!(detail("RETURN 1 IN 2"), "InvalidArgumentType");
        assert_eq!(detail("RETURN nosuchfunction(1)"), "UnknownFunction");
        assert_eq!(
            detail("RETURN toUpper('a', 'b')"),
            "InvalidNumberOfArguments"
        );
    }

    #[test]
    fn union_parts_must_agree_on_columns_and_kind() {
        assert_eq!(
            detail("RETURN 1 AS a UNION RETURN 2 AS b"),
            "DifferentColumnsInUnion"
        );
        assert_eq!(
            detail("RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a"),
            "InvalidClauseComposition"
        );
        assert!(
            check("RETURN 1 AS a UNION ALL RETURN 2 AS a")
                .unwrap()
                .union_all
        );
    }
}
