//! Semantic analysis: resolves every variable to a slot of the row,
//! checks the static rules of the language (scopes, kinds of variables,
//! aggregation, clause order, argument counts, statically known types) and
//! produces the bound form in [`ir`].

pub mod ir;
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
    let first = an.single(&q.first, true)?;
    parts.push(first);
    for (_, part) in &q.unions {
        an.nslots = 0;
        let b = an.single(part, true)?;
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

    fn single(&mut self, q: &ast::SingleQuery, top: bool) -> Result<BSingle, QueryError> {
        let mut scope = Scope::new();
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
                    if let Some(prev) = clauses.last()
                        && matches!(prev, BClause::Match { optional: true, .. })
                        && !m.optional
                    {
                        // Allowed in openCypher; nothing to check.
                    }
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
        if top {
            match q.clauses.last() {
                Some(Clause::Return(_)) => {}
                Some(Clause::With(w)) => {
                    return Err(syntax(
                        "InvalidClauseComposition",
                        "a query cannot end with WITH; add a RETURN",
                        w.span,
                    ));
                }
                Some(Clause::Match(m)) => {
                    return Err(syntax(
                        "InvalidClauseComposition",
                        "a query cannot end with MATCH; add a RETURN",
                        m.span,
                    ));
                }
                Some(Clause::Unwind(u)) => {
                    return Err(syntax(
                        "InvalidClauseComposition",
                        "a query cannot end with UNWIND; add a RETURN",
                        u.span,
                    ));
                }
                _ => {}
            }
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

    // ---- projections -------------------------------------------------

    fn projection(
        &mut self,
        p: &ast::Projection,
        scope: &Scope,
        filter: Option<&Expr>,
        is_with: bool,
        span: Span,
    ) -> Result<(BProjection, Scope), QueryError> {
        let mut items = Vec::new();
        let mut columns: Vec<String> = Vec::new();
        let mut new_scope = Scope::new();
        let mut aggregates = Vec::new();
        // Source text of each item's expression, to match ORDER BY keys.
        let mut item_texts: Vec<(String, Slot)> = Vec::new();
        let mut missing_alias = None;
        if p.star {
            if scope.is_empty() && !is_with {
                return Err(syntax(
                    "NoVariablesInScope",
                    "RETURN * needs at least one variable in scope",
                    span,
                ));
            }
            for (name, var) in scope {
                let slot = self.slot();
                items.push((BExpr::Var(var.slot), slot));
                columns.push(name.clone());
                new_scope.insert(name.clone(), Var { slot, ty: var.ty });
                item_texts.push((name.clone(), slot));
            }
        }
        // Grouping keys that aggregating expressions may use: variables
        // and property accesses projected as they are.
        let keys: Vec<(String, bool)> = p
            .items
            .iter()
            .filter(|i| !contains_aggregate(&i.expr))
            .map(|i| {
                let simple = matches!(i.expr.kind, ExprKind::Variable(_))
                    || matches!(&i.expr.kind, ExprKind::Property(b, _) if matches!(b.kind, ExprKind::Variable(_)));
                (self.source(i.expr.span).to_owned(), simple)
            })
            .chain(if p.star {
                scope.keys().map(|k| (k.clone(), true)).collect::<Vec<_>>()
            } else {
                Vec::new()
            })
            .collect();
        for item in &p.items {
            if is_with
                && item.alias.is_none()
                && !matches!(item.expr.kind, ExprKind::Variable(_))
                && missing_alias.is_none()
            {
                missing_alias = Some(syntax(
                    "NoExpressionAlias",
                    "an expression in WITH must be aliased with AS",
                    item.expr.span,
                ));
            }
            self.aggs = Some(Vec::new());
            let e = self.expr(&item.expr, scope);
            let found = self.aggs.take().unwrap_or_default();
            let e = e?;
            if !found.is_empty() {
                let mut bad = None;
                self.find_loose(&item.expr, &keys, None, &mut bad);
                if let Some(err) = bad {
                    return Err(err);
                }
            }
            aggregates.extend(found);
            let ty = self.ty(&e, scope);
            let slot = self.slot();
            let name = item.column.clone();
            if columns.contains(&name) {
                return Err(syntax(
                    "ColumnNameConflict",
                    format!(
                        "the column name `{name}` is used twice; give each column its own alias"
                    ),
                    item.expr.span,
                ));
            }
            columns.push(name.clone());
            new_scope.insert(name, Var { slot, ty });
            item_texts.push((self.source(item.expr.span).to_owned(), slot));
            items.push((e, slot));
        }
        let aggregating = !aggregates.is_empty();
        // ORDER BY sees the projected names, and (unless the projection
        // aggregates or is distinct) the variables from before.
        let mut combined = scope.clone();
        for (k, v) in &new_scope {
            combined.insert(k.clone(), *v);
        }
        let mut order_by = Vec::new();
        for s in &p.order_by {
            let text = self.source(s.expr.span).to_owned();
            if let Some((_, slot)) = item_texts.iter().find(|(t, _)| *t == text) {
                order_by.push((BExpr::Var(*slot), s.descending));
                continue;
            }
            if aggregating {
                let mut bad = None;
                self.find_loose(&s.expr, &keys, Some(&new_scope), &mut bad);
                if let Some(err) = bad {
                    return Err(err);
                }
                // Only the projected names are in scope; projected
                // expressions (aggregates included) stand for their column.
                self.aggs = Some(Vec::new());
                self.replacements = item_texts.clone();
                let r = self.expr(&s.expr, &new_scope);
                self.replacements.clear();
                let found = self.aggs.take().unwrap_or_default();
                let e = r?;
                aggregates.extend(found);
                order_by.push((e, s.descending));
                continue;
            }
            let order_scope = if p.distinct { &new_scope } else { &combined };
            self.aggs = Some(Vec::new());
            let r = self.expr(&s.expr, order_scope);
            let found = self.aggs.take().unwrap_or_default();
            let e = r?;
            if !found.is_empty() {
                return Err(syntax(
                    "InvalidAggregation",
                    "aggregation in ORDER BY needs an aggregating projection",
                    s.expr.span,
                ));
            }
            order_by.push((e, s.descending));
        }
        if let Some(err) = missing_alias {
            return Err(err);
        }
        let skip = p
            .skip
            .as_ref()
            .map(|e| self.count_expr(e, "SKIP"))
            .transpose()?;
        let limit = p
            .limit
            .as_ref()
            .map(|e| self.count_expr(e, "LIMIT"))
            .transpose()?;
        let filter = match filter {
            Some(f) => {
                let saved = std::mem::replace(&mut self.in_where, true);
                let e = self.expr(f, &combined);
                self.in_where = saved;
                let e = e?;
                self.check_predicate(&e, &combined, f.span)?;
                Some(e)
            }
            None => None,
        };
        Ok((
            BProjection {
                items,
                aggregates,
                distinct: p.distinct,
                order_by,
                skip,
                limit,
                filter,
                columns,
            },
            new_scope,
        ))
    }

    /// Checks the parts of an aggregating expression outside its
    /// aggregates: they may only use grouping keys (projected variables
    /// and property accesses), aliases (`aliases`, for `ORDER BY`) and
    /// constants.
    fn find_loose(
        &self,
        e: &Expr,
        keys: &[(String, bool)],
        aliases: Option<&Scope>,
        bad: &mut Option<QueryError>,
    ) {
        if bad.is_some() {
            return;
        }
        let text = self.source(e.span);
        if let Some((_, simple)) = keys.iter().find(|(k, _)| k == text) {
            if !simple {
                *bad = Some(syntax(
                    "AmbiguousAggregationExpression",
                    "an expression mixing aggregates with a projected expression is ambiguous; project the whole expression instead",
                    e.span,
                ));
            }
            return;
        }
        match &e.kind {
            ExprKind::Variable(v) => {
                if aliases.is_some_and(|a| a.contains_key(v)) {
                    return;
                }
                *bad = Some(if aliases.is_some() {
                    undefined(v, e.span)
                } else {
                    syntax(
                        "AmbiguousAggregationExpression",
                        format!(
                            "`{v}` is used next to an aggregate but is not a grouping key; project it as its own column"
                        ),
                        e.span,
                    )
                });
            }
            ExprKind::FunctionCall { name, .. }
                if name.len() == 1 && is_aggregate_name(&name[0].name) => {}
            ExprKind::CountStar => {}
            ExprKind::ListComprehension { .. }
            | ExprKind::Quantified { .. }
            | ExprKind::Reduce { .. }
            | ExprKind::PatternComprehension { .. }
            | ExprKind::PatternPredicate(_)
            | ExprKind::Exists(_) => {}
            _ => for_each_child(e, &mut |c| self.find_loose(c, keys, aliases, bad)),
        }
    }

    fn count_expr(&mut self, e: &Expr, what: &str) -> Result<BExpr, QueryError> {
        if let ExprKind::Parameter(_) = e.kind {
            // A parameter's value is checked when the query runs.
            return self.expr(e, &Scope::new());
        }
        let b = self.expr(e, &Scope::new()).map_err(|err| {
            if err.detail == "UndefinedVariable" {
                syntax(
                    "NonConstantExpression",
                    format!("{what} must be a constant expression (a literal or a parameter)"),
                    e.span,
                )
            } else {
                err
            }
        })?;
        if let BExpr::Const(v) = &b {
            match v {
                Value::Int(i) if *i < 0 => {
                    return Err(syntax(
                        "NegativeIntegerArgument",
                        format!("{what} must not be negative, got {i}"),
                        e.span,
                    ));
                }
                Value::Int(_) => {}
                Value::Float(_) => {
                    return Err(syntax(
                        "InvalidArgumentType",
                        format!("{what} must be an integer"),
                        e.span,
                    ));
                }
                _ => {}
            }
        }
        if matches!(b, BExpr::Call(f, _) if !f.deterministic) {
            return Err(syntax(
                "NonConstantExpression",
                format!("{what} must be a constant expression"),
                e.span,
            ));
        }
        Ok(b)
    }

    // ---- patterns ----------------------------------------------------

    fn pattern_query(
        &mut self,
        parts: &[ast::PatternPart],
        filter: Option<&Expr>,
        scope: &mut Scope,
        nested: bool,
    ) -> Result<PatternQuery, QueryError> {
        let before = scope.clone();
        let mut bparts = Vec::new();
        let mut new_slots = Vec::new();
        let mut rels_seen: Vec<String> = Vec::new();
        for part in parts {
            bparts.push(self.match_part(
                part,
                &before,
                scope,
                &mut new_slots,
                &mut rels_seen,
                nested,
            )?);
        }
        let filter = match filter {
            Some(f) => {
                let saved = std::mem::replace(&mut self.in_where, true);
                let e = self.expr(f, scope);
                self.in_where = saved;
                let e = e?;
                self.check_predicate(&e, scope, f.span)?;
                Some(e)
            }
            None => None,
        };
        Ok(PatternQuery {
            parts: bparts,
            filter,
            new_slots,
        })
    }

    fn match_part(
        &mut self,
        part: &ast::PatternPart,
        before: &Scope,
        scope: &mut Scope,
        new_slots: &mut Vec<Slot>,
        rels_seen: &mut Vec<String>,
        nested: bool,
    ) -> Result<BPart, QueryError> {
        let el = &part.element;
        let mut nodes = vec![self.node(&el.start, before, scope, new_slots)?];
        let mut rels = Vec::new();
        for (r, n) in &el.chain {
            rels.push(self.rel(r, before, scope, new_slots, rels_seen, nested)?);
            nodes.push(self.node(n, before, scope, new_slots)?);
        }
        if part.kind != PathKind::Normal && rels.len() != 1 {
            return Err(syntax(
                "InvalidArgumentType",
                "shortestPath needs a pattern with exactly one relationship",
                part.span,
            ));
        }
        let path_slot = match &part.variable {
            Some(v) => {
                if scope.contains_key(&v.name) {
                    return Err(already_bound(v));
                }
                let slot = self.slot();
                scope.insert(v.name.clone(), Var { slot, ty: Ty::Path });
                new_slots.push(slot);
                Some(slot)
            }
            None => None,
        };
        Ok(BPart {
            path_slot,
            kind: part.kind,
            nodes,
            rels,
        })
    }

    fn props(
        &mut self,
        props: &Option<Expr>,
        scope: &Scope,
    ) -> Result<Vec<(String, BExpr)>, QueryError> {
        match props {
            None => Ok(Vec::new()),
            Some(Expr {
                kind: ExprKind::Map(entries),
                ..
            }) => entries
                .iter()
                .map(|(k, v)| Ok((k.name.clone(), self.expr(v, scope)?)))
                .collect(),
            Some(e) => Err(syntax(
                "InvalidParameterUse",
                "a parameter cannot stand for a pattern's property map; write {key: $param} instead",
                e.span,
            )),
        }
    }

    fn node(
        &mut self,
        n: &ast::NodePattern,
        before: &Scope,
        scope: &mut Scope,
        new_slots: &mut Vec<Slot>,
    ) -> Result<BNode, QueryError> {
        let props = self.props(&n.properties, scope)?;
        let labels = n.labels.iter().map(|l| l.name.clone()).collect();
        let (slot, bound) = match &n.variable {
            Some(v) => match scope.get(&v.name) {
                Some(var) => {
                    if !matches!(var.ty, Ty::Node | Ty::Any | Ty::Null) {
                        return Err(syntax(
                            "VariableTypeConflict",
                            format!("`{}` is a {}, not a node", v.name, var.ty.name()),
                            v.span,
                        ));
                    }
                    (var.slot, before.contains_key(&v.name))
                }
                None => {
                    let slot = self.slot();
                    scope.insert(v.name.clone(), Var { slot, ty: Ty::Node });
                    new_slots.push(slot);
                    (slot, false)
                }
            },
            None => {
                let slot = self.slot();
                new_slots.push(slot);
                (slot, false)
            }
        };
        Ok(BNode {
            slot,
            labels,
            props,
            bound,
            name: n.variable.as_ref().map(|v| v.name.clone()),
        })
    }

    fn rel(
        &mut self,
        r: &ast::RelPattern,
        before: &Scope,
        scope: &mut Scope,
        new_slots: &mut Vec<Slot>,
        rels_seen: &mut Vec<String>,
        nested: bool,
    ) -> Result<BRel, QueryError> {
        let props = self.props(&r.properties, scope)?;
        let range = r.length.map(|l| (l.min.unwrap_or(1), l.max));
        let want = if range.is_some() {
            Ty::RelList
        } else {
            Ty::Rel
        };
        let (slot, bound) = match &r.variable {
            Some(v) => {
                if rels_seen.contains(&v.name) && !nested {
                    return Err(syntax(
                        "RelationshipUniquenessViolation",
                        format!("relationship `{}` is used twice in one pattern", v.name),
                        v.span,
                    ));
                }
                rels_seen.push(v.name.clone());
                match scope.get(&v.name) {
                    Some(var) => {
                        let ok = match var.ty {
                            Ty::Any | Ty::Null => true,
                            Ty::Rel => want == Ty::Rel,
                            Ty::RelList | Ty::List => want == Ty::RelList,
                            _ => false,
                        };
                        if !ok {
                            return Err(syntax(
                                "VariableTypeConflict",
                                format!("`{}` is a {}, not a relationship", v.name, var.ty.name()),
                                v.span,
                            ));
                        }
                        (var.slot, before.contains_key(&v.name))
                    }
                    None => {
                        let slot = self.slot();
                        scope.insert(v.name.clone(), Var { slot, ty: want });
                        new_slots.push(slot);
                        (slot, false)
                    }
                }
            }
            None => {
                let slot = self.slot();
                new_slots.push(slot);
                (slot, false)
            }
        };
        Ok(BRel {
            slot,
            types: r.types.iter().map(|t| t.name.clone()).collect(),
            direction: r.direction,
            props,
            range,
            bound,
            name: r.variable.as_ref().map(|v| v.name.clone()),
        })
    }

    fn create_parts(
        &mut self,
        parts: &[ast::PatternPart],
        scope: &mut Scope,
    ) -> Result<Vec<BPart>, QueryError> {
        let before = scope.clone();
        let mut out = Vec::new();
        let mut new_slots = Vec::new();
        for part in parts {
            self.check_creatable(part, &before, scope, "CREATE")?;
            let mut seen = Vec::new();
            out.push(self.match_part(part, &before, scope, &mut new_slots, &mut seen, false)?);
        }
        Ok(out)
    }

    /// The rules for patterns that `CREATE` and `MERGE` write.
    fn check_creatable(
        &self,
        part: &ast::PatternPart,
        before: &Scope,
        scope: &Scope,
        clause: &str,
    ) -> Result<(), QueryError> {
        let el = &part.element;
        let nodes = std::iter::once(&el.start).chain(el.chain.iter().map(|(_, n)| n));
        let mut local: Vec<&str> = Vec::new();
        let single_node = el.chain.is_empty();
        for n in nodes {
            if let Some(v) = &n.variable {
                let is_bound = scope.contains_key(&v.name) || local.contains(&v.name.as_str());
                if is_bound
                    && (!n.labels.is_empty()
                        || n.properties.is_some()
                        || single_node && clause == "CREATE")
                {
                    return Err(already_bound(v));
                }
                if is_bound && single_node && clause == "MERGE" && before.contains_key(&v.name) {
                    return Err(already_bound(v));
                }
                local.push(&v.name);
            }
            if let Some(p) = &n.properties
                && !matches!(p.kind, ExprKind::Map(_))
            {
                return Err(syntax(
                    "InvalidParameterUse",
                    "a parameter cannot stand for a pattern's property map",
                    p.span,
                ));
            }
        }
        for (r, _) in &el.chain {
            if let Some(v) = &r.variable
                && scope.contains_key(&v.name)
            {
                return Err(already_bound(v));
            }
            if r.types.len() != 1 {
                return Err(syntax(
                    "NoSingleRelationshipType",
                    format!("{clause} needs exactly one relationship type, as in -[:KNOWS]->"),
                    r.span,
                ));
            }
            if r.direction == RelDirection::Both && clause == "CREATE" {
                return Err(syntax(
                    "RequiresDirectedRelationship",
                    "CREATE needs a direction for each relationship, -> or <-",
                    r.span,
                ));
            }
            if r.length.is_some() {
                return Err(syntax(
                    "CreatingVarLength",
                    format!("{clause} cannot write a variable-length relationship"),
                    r.span,
                ));
            }
            if let Some(p) = &r.properties
                && !matches!(p.kind, ExprKind::Map(_))
            {
                return Err(syntax(
                    "InvalidParameterUse",
                    "a parameter cannot stand for a pattern's property map",
                    p.span,
                ));
            }
        }
        Ok(())
    }

    fn merge(&mut self, m: &ast::Merge, scope: &mut Scope) -> Result<BClause, QueryError> {
        let before = scope.clone();
        self.check_creatable(&m.part, &before, scope, "MERGE")?;
        let pattern = self.pattern_query(std::slice::from_ref(&m.part), None, scope, false)?;
        let mut on_create = Vec::new();
        let mut on_match = Vec::new();
        for a in &m.actions {
            for item in &a.items {
                let b = self.set_item(item, scope)?;
                if a.on_create {
                    on_create.push(b);
                } else {
                    on_match.push(b);
                }
            }
        }
        Ok(BClause::Merge {
            pattern,
            on_create,
            on_match,
        })
    }

    fn set_item(&mut self, item: &ast::SetItem, scope: &Scope) -> Result<BSetItem, QueryError> {
        Ok(match item {
            ast::SetItem::Property { target, key, value } => BSetItem::Property(
                self.expr(target, scope)?,
                key.name.clone(),
                self.expr(value, scope)?,
            ),
            ast::SetItem::Replace { variable, value } => BSetItem::Properties(
                self.lookup(variable, scope)?.slot,
                self.expr(value, scope)?,
                false,
            ),
            ast::SetItem::Merge { variable, value } => BSetItem::Properties(
                self.lookup(variable, scope)?.slot,
                self.expr(value, scope)?,
                true,
            ),
            ast::SetItem::Labels { variable, labels } => BSetItem::Labels(
                self.lookup(variable, scope)?.slot,
                labels.iter().map(|l| l.name.clone()).collect(),
            ),
        })
    }

    // ---- expressions -------------------------------------------------

    fn check_predicate(&self, e: &BExpr, scope: &Scope, span: Span) -> Result<(), QueryError> {
        match self.ty(e, scope) {
            Ty::Node | Ty::Rel | Ty::Path | Ty::Int | Ty::Float | Ty::Str | Ty::Map => {
                Err(type_error("a predicate must be a boolean", span))
            }
            _ => Ok(()),
        }
    }

    fn ty(&self, e: &BExpr, scope: &Scope) -> Ty {
        types::infer(e, &|slot| {
            scope.values().find(|v| v.slot == slot).map(|v| v.ty)
        })
    }

    fn expr(&mut self, e: &Expr, scope: &Scope) -> Result<BExpr, QueryError> {
        let span = e.span;
        if !self.replacements.is_empty() {
            let text = self.source(span);
            if let Some((_, slot)) = self.replacements.iter().find(|(t, _)| t == text) {
                return Ok(BExpr::Var(*slot));
            }
        }
        Ok(match &e.kind {
            ExprKind::Literal(l) => BExpr::Const(match l {
                Literal::Null => Value::Null,
                Literal::Bool(b) => Value::Bool(*b),
                Literal::Int(i) => Value::Int(*i),
                Literal::Float(f) => Value::Float(*f),
                Literal::String(s) => Value::String(s.clone()),
            }),
            ExprKind::Parameter(name) => match self.params.get(name) {
                Some(v) => BExpr::Const(v.clone()),
                None => {
                    return Err(QueryError::compile(
                        ErrorKind::ParameterMissing,
                        "MissingParameter",
                        format!(
                            "parameter `${name}` has no value; set it before running the query"
                        ),
                        Some(span),
                    ));
                }
            },
            ExprKind::Variable(name) => match scope.get(name) {
                Some(v) => BExpr::Var(v.slot),
                None => return Err(undefined(name, span)),
            },
            ExprKind::List(items) => {
                let items = items
                    .iter()
                    .map(|i| self.expr(i, scope))
                    .collect::<Result<Vec<_>, _>>()?;
                fold_list(items)
            }
            ExprKind::Map(entries) => {
                let entries = entries
                    .iter()
                    .map(|(k, v)| Ok((k.name.clone(), self.expr(v, scope)?)))
                    .collect::<Result<Vec<_>, QueryError>>()?;
                if entries.iter().all(|(_, v)| matches!(v, BExpr::Const(_))) {
                    BExpr::Const(Value::Map(
                        entries
                            .into_iter()
                            .map(|(k, v)| match v {
                                BExpr::Const(c) => (k, c),
                                _ => (k, Value::Null),
                            })
                            .collect(),
                    ))
                } else {
                    BExpr::Map(entries)
                }
            }
            ExprKind::Property(base, key) => {
                let b = self.expr(base, scope)?;
                match self.ty(&b, scope) {
                    Ty::Path => {
                        return Err(type_error(
                            format!(
                                "a path has no properties; `{}` cannot be read from it",
                                key.name
                            ),
                            span,
                        ));
                    }
                    Ty::Int | Ty::Float | Ty::Str | Ty::Bool | Ty::List => {
                        return Err(QueryError::compile(
                            ErrorKind::TypeError,
                            "InvalidArgumentType",
                            format!(
                                "cannot read property `{}` of a {}",
                                key.name,
                                self.ty(&b, scope).name()
                            ),
                            Some(span),
                        ));
                    }
                    _ => {}
                }
                BExpr::Prop(Box::new(b), key.name.clone())
            }
            ExprKind::Index(a, b) => BExpr::Index(
                Box::new(self.expr(a, scope)?),
                Box::new(self.expr(b, scope)?),
            ),
            ExprKind::Slice(a, b, c) => BExpr::Slice(
                Box::new(self.expr(a, scope)?),
                b.as_ref()
                    .map(|x| self.expr(x, scope))
                    .transpose()?
                    .map(Box::new),
                c.as_ref()
                    .map(|x| self.expr(x, scope))
                    .transpose()?
                    .map(Box::new),
            ),
            ExprKind::Unary(op, a) => {
                let a = self.expr(a, scope)?;
                if *op == ast::UnaryOp::Not {
                    self.check_boolean(&a, scope, span)?;
                }
                if let (ast::UnaryOp::Neg, BExpr::Const(Value::Int(i))) = (op, &a) {
                    // Folded so that -9223372036854775808 is representable.
                    if let Some(n) = i.checked_neg() {
                        return Ok(BExpr::Const(Value::Int(n)));
                    }
                }
                BExpr::Unary(*op, Box::new(a))
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.expr(a, scope)?;
                let b = self.expr(b, scope)?;
                if matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor) {
                    self.check_boolean(&a, scope, span)?;
                    self.check_boolean(&b, scope, span)?;
                }
                if let Some(msg) = types::check_binary(*op, self.ty(&a, scope), self.ty(&b, scope))
                {
                    return Err(type_error(msg, span));
                }
                BExpr::Binary(*op, Box::new(a), Box::new(b))
            }
            ExprKind::IsNull(a, not) => BExpr::IsNull(Box::new(self.expr(a, scope)?), *not),
            ExprKind::HasLabels(a, labels) => BExpr::HasLabels(
                Box::new(self.expr(a, scope)?),
                labels.iter().map(|l| l.name.clone()).collect(),
            ),
            ExprKind::CountStar => self.aggregate("count", false, Vec::new(), span)?,
            ExprKind::FunctionCall {
                name,
                distinct,
                args,
            } => self.call(name, *distinct, args, scope, span)?,
            ExprKind::Case {
                operand,
                alternatives,
                default,
            } => BExpr::Case {
                operand: operand
                    .as_ref()
                    .map(|o| self.expr(o, scope))
                    .transpose()?
                    .map(Box::new),
                alternatives: alternatives
                    .iter()
                    .map(|(w, t)| Ok((self.expr(w, scope)?, self.expr(t, scope)?)))
                    .collect::<Result<_, QueryError>>()?,
                default: default
                    .as_ref()
                    .map(|o| self.expr(o, scope))
                    .transpose()?
                    .map(Box::new),
            },
            ExprKind::ListComprehension {
                variable,
                list,
                predicate,
                projection,
            } => {
                let list = self.expr(list, scope)?;
                let mut inner = scope.clone();
                let slot = self.slot();
                let ty = types::element_type(&list);
                inner.insert(variable.name.clone(), Var { slot, ty });
                let saved = self.aggs.take();
                let r = (|| {
                    Ok::<_, QueryError>(BExpr::ListComp {
                        slot,
                        list: Box::new(list),
                        predicate: predicate
                            .as_ref()
                            .map(|p| self.expr(p, &inner))
                            .transpose()?
                            .map(Box::new),
                        projection: projection
                            .as_ref()
                            .map(|p| self.expr(p, &inner))
                            .transpose()?
                            .map(Box::new),
                    })
                })();
                self.aggs = saved;
                r?
            }
            ExprKind::Quantified {
                quantifier,
                variable,
                list,
                predicate,
            } => {
                let list = self.expr(list, scope)?;
                if !matches!(
                    self.ty(&list, scope),
                    Ty::List | Ty::Any | Ty::Null | Ty::RelList
                ) {
                    return Err(type_error("a quantifier needs a list after IN", span));
                }
                let mut inner = scope.clone();
                let slot = self.slot();
                let ty = types::element_type(&list);
                inner.insert(variable.name.clone(), Var { slot, ty });
                let saved = self.aggs.take();
                let pred = self.expr(predicate, &inner);
                self.aggs = saved;
                BExpr::Quantified {
                    quantifier: *quantifier,
                    slot,
                    list: Box::new(list),
                    predicate: Box::new(pred?),
                }
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr,
            } => {
                let init = self.expr(init, scope)?;
                let list = self.expr(list, scope)?;
                let mut inner = scope.clone();
                let acc = self.slot();
                let slot = self.slot();
                inner.insert(
                    accumulator.name.clone(),
                    Var {
                        slot: acc,
                        ty: Ty::Any,
                    },
                );
                inner.insert(variable.name.clone(), Var { slot, ty: Ty::Any });
                let saved = self.aggs.take();
                let body = self.expr(expr, &inner);
                self.aggs = saved;
                BExpr::Reduce {
                    acc,
                    init: Box::new(init),
                    slot,
                    list: Box::new(list),
                    expr: Box::new(body?),
                }
            }
            ExprKind::PatternPredicate(_) if !self.in_where => {
                return Err(syntax(
                    "UnexpectedSyntax",
                    "a pattern can only be used as a predicate in WHERE; use EXISTS { ... } or a pattern comprehension [p = ... | p]",
                    span,
                ));
            }
            ExprKind::PatternPredicate(el) => {
                let part = ast::PatternPart {
                    variable: None,
                    kind: PathKind::Normal,
                    element: (**el).clone(),
                    span,
                };
                // Pattern predicates cannot introduce variables.
                for v in pattern_variables(el) {
                    if !scope.contains_key(&v.name) {
                        return Err(undefined(&v.name, v.span));
                    }
                }
                let mut inner = scope.clone();
                let saved = self.aggs.take();
                let q = self.pattern_query(std::slice::from_ref(&part), None, &mut inner, true);
                self.aggs = saved;
                BExpr::Exists(Box::new(q?))
            }
            ExprKind::Exists(body) => match body {
                ast::ExistsBody::Pattern(parts, filter) => {
                    let mut inner = scope.clone();
                    let saved = self.aggs.take();
                    let q = self.pattern_query(parts, filter.as_deref(), &mut inner, true);
                    self.aggs = saved;
                    BExpr::Exists(Box::new(q?))
                }
                ast::ExistsBody::Query(q) => self.exists_query(q, scope, span)?,
            },
            ExprKind::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            } => {
                let part = ast::PatternPart {
                    variable: variable.clone(),
                    kind: PathKind::Normal,
                    element: (**pattern).clone(),
                    span,
                };
                let mut inner = scope.clone();
                let saved = self.aggs.take();
                let r = (|| {
                    let q = self.pattern_query(
                        std::slice::from_ref(&part),
                        predicate.as_deref(),
                        &mut inner,
                        true,
                    )?;
                    let proj = self.expr(projection, &inner)?;
                    Ok::<_, QueryError>(BExpr::PatternComp(Box::new(q), Box::new(proj)))
                })();
                self.aggs = saved;
                r?
            }
            ExprKind::MapProjection { variable, items } => {
                let base = match scope.get(&variable.name) {
                    Some(v) => BExpr::Var(v.slot),
                    None => return Err(undefined(&variable.name, variable.span)),
                };
                let mut out = Vec::new();
                for item in items {
                    out.push(match item {
                        ast::MapProjectionItem::Property(k) => BMapItem::Property(k.name.clone()),
                        ast::MapProjectionItem::AllProperties(_) => BMapItem::All,
                        ast::MapProjectionItem::Literal(k, e) => {
                            BMapItem::Entry(k.name.clone(), self.expr(e, scope)?)
                        }
                        ast::MapProjectionItem::Variable(v) => {
                            BMapItem::Entry(v.name.clone(), BExpr::Var(self.lookup(v, scope)?.slot))
                        }
                    });
                }
                BExpr::MapProjection(Box::new(base), out)
            }
        })
    }

    /// `EXISTS { MATCH ... [WHERE ...] [RETURN ...] }`: only reading
    /// clauses; evaluated as "has at least one row".
    fn exists_query(
        &mut self,
        q: &ast::Query,
        scope: &Scope,
        span: Span,
    ) -> Result<BExpr, QueryError> {
        if !q.unions.is_empty() {
            return Err(syntax(
                "InvalidClauseComposition",
                "UNION is not supported inside EXISTS",
                span,
            ));
        }
        let mut inner = scope.clone();
        let mut parts = Vec::new();
        let mut filters = Vec::new();
        for c in &q.first.clauses {
            match c {
                Clause::Match(m) if !m.optional => {
                    let saved = self.aggs.take();
                    let pq =
                        self.pattern_query(&m.pattern, m.where_clause.as_ref(), &mut inner, true);
                    self.aggs = saved;
                    let pq = pq?;
                    parts.extend(pq.parts);
                    filters.extend(pq.filter);
                }
                Clause::Return(_) | Clause::With(_) => {}
                Clause::Create(_)
                | Clause::Merge(_)
                | Clause::Set(_)
                | Clause::Remove(_)
                | Clause::Delete(_) => {
                    return Err(syntax(
                        "InvalidClauseComposition",
                        "EXISTS { ... } cannot hold a clause that writes",
                        c.span(),
                    ));
                }
                other => {
                    return Err(syntax(
                        "InvalidClauseComposition",
                        "this clause is not supported inside EXISTS { ... }",
                        other.span(),
                    ));
                }
            }
        }
        let filter = filters
            .into_iter()
            .reduce(|a, b| BExpr::Binary(BinaryOp::And, Box::new(a), Box::new(b)));
        let new_slots = inner
            .iter()
            .filter(|(k, _)| !scope.contains_key(*k))
            .map(|(_, v)| v.slot)
            .collect();
        let mut pq = PatternQuery {
            parts,
            filter,
            new_slots,
        };
        // Slots bound by an earlier MATCH of the subquery are not bound
        // before it: recompute from the outer scope.
        let outer: Vec<Slot> = scope.values().map(|v| v.slot).collect();
        for part in &mut pq.parts {
            for n in &mut part.nodes {
                n.bound = outer.contains(&n.slot);
            }
            for r in &mut part.rels {
                r.bound = outer.contains(&r.slot);
            }
        }
        Ok(BExpr::Exists(Box::new(pq)))
    }

    fn check_boolean(&self, e: &BExpr, scope: &Scope, span: Span) -> Result<(), QueryError> {
        match self.ty(e, scope) {
            Ty::Bool | Ty::Null | Ty::Any => Ok(()),
            other => Err(type_error(
                format!("expected a boolean, got a {}", other.name()),
                span,
            )),
        }
    }

    fn aggregate(
        &mut self,
        name: &str,
        distinct: bool,
        args: Vec<BExpr>,
        span: Span,
    ) -> Result<BExpr, QueryError> {
        if self.in_agg {
            return Err(syntax(
                "NestedAggregation",
                "an aggregate cannot contain another aggregate",
                span,
            ));
        }
        let slot = self.slot();
        match &mut self.aggs {
            Some(list) => {
                list.push(AggSpec {
                    name: name.to_owned(),
                    distinct,
                    args,
                    slot,
                });
                Ok(BExpr::Var(slot))
            }
            None => Err(syntax(
                "InvalidAggregation",
                format!("{name}(...) can only be used in WITH or RETURN"),
                span,
            )),
        }
    }

    fn call(
        &mut self,
        name: &[ast::Name],
        distinct: bool,
        args: &[Expr],
        scope: &Scope,
        span: Span,
    ) -> Result<BExpr, QueryError> {
        let full: String = name
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(".");
        let lower = full.to_lowercase();
        let Some(info) = functions::lookup(&lower) else {
            return Err(syntax(
                "UnknownFunction",
                format!("there is no function `{full}`"),
                span,
            ));
        };
        if !info.arity_ok(args.len()) {
            return Err(syntax(
                "InvalidNumberOfArguments",
                format!(
                    "{}() takes {}, but was given {}",
                    info.name,
                    info.arity_text(),
                    args.len()
                ),
                span,
            ));
        }
        if info.aggregate {
            if self.aggs.is_none() {
                return Err(syntax(
                    "InvalidAggregation",
                    format!("{full}(...) can only be used in WITH or RETURN"),
                    span,
                ));
            }
            if self.in_agg {
                return Err(syntax(
                    "NestedAggregation",
                    "an aggregate cannot contain another aggregate",
                    span,
                ));
            }
            self.in_agg = true;
            let bargs: Result<Vec<_>, _> = args.iter().map(|a| self.expr(a, scope)).collect();
            self.in_agg = false;
            let bargs = bargs?;
            if bargs
                .iter()
                .any(|a| matches!(a, BExpr::Call(f, _) if !f.deterministic))
            {
                return Err(syntax(
                    "NonConstantExpression",
                    "an aggregate's argument cannot be rand()",
                    span,
                ));
            }
            return self.aggregate(&lower, distinct, bargs, span);
        }
        let bargs = args
            .iter()
            .map(|a| self.expr(a, scope))
            .collect::<Result<Vec<_>, _>>()?;
        // range() reports its argument errors when it runs.
        let static_check = !info.name.eq_ignore_ascii_case("range");
        for (i, a) in bargs.iter().enumerate().filter(|_| static_check) {
            let ty = self.ty(a, scope);
            if let Some(t) = ty.types()
                && !info.accepts(i, t)
            {
                return Err(type_error(
                    format!(
                        "{}() cannot take a {} as argument {}",
                        info.name,
                        ty.name(),
                        i + 1
                    ),
                    args[i].span,
                ));
            }
        }
        Ok(BExpr::Call(info, bargs))
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
