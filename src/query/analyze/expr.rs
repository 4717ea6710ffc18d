//! Expressions: names resolved to slots, parameters substituted,
//! aggregates pulled out, functions looked up and statically known types
//! checked.

use super::*;

impl Analyzer<'_> {
    pub(super) fn check_predicate(
        &self,
        e: &BExpr,
        scope: &Scope,
        span: Span,
    ) -> Result<(), QueryError> {
        match self.ty(e, scope) {
            Ty::Node | Ty::Rel | Ty::Path | Ty::Int | Ty::Float | Ty::Str | Ty::Map => {
                Err(type_error("a predicate must be a boolean", span))
            }
            _ => Ok(()),
        }
    }

    pub(super) fn ty(&self, e: &BExpr, scope: &Scope) -> Ty {
        types::infer(e, &|slot| {
            scope.values().find(|v| v.slot == slot).map(|v| v.ty)
        })
    }

    pub(super) fn expr(&mut self, e: &Expr, scope: &Scope) -> Result<BExpr, QueryError> {
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
                BExpr::Prop(Box::new(b), PropKey::new(key.name.clone()))
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
    pub(super) fn exists_query(
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
        let clauses = &q.first.clauses;
        let plain = clauses.iter().enumerate().all(|(i, c)| match c {
            Clause::Match(m) => !m.optional,
            Clause::Return(r) => i + 1 == clauses.len() && !r.projection.distinct,
            _ => false,
        });
        if !plain {
            for c in clauses {
                if matches!(
                    c,
                    Clause::Create(_)
                        | Clause::Merge(_)
                        | Clause::Set(_)
                        | Clause::Remove(_)
                        | Clause::Delete(_)
                ) {
                    return Err(syntax(
                        "InvalidClauseComposition",
                        "EXISTS { ... } cannot hold a clause that writes",
                        c.span(),
                    ));
                }
            }
            let saved = (self.aggs.take(), self.in_where);
            self.in_where = false;
            let b = self.single_in(&q.first, scope.clone(), true);
            (self.aggs, self.in_where) = saved;
            let outer = scope.values().map(|v| v.slot).collect();
            return Ok(BExpr::ExistsQuery(Box::new(b?), outer));
        }
        let mut inner = scope.clone();
        let mut parts = Vec::new();
        let mut filters = Vec::new();
        for c in clauses {
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

    pub(super) fn check_boolean(
        &self,
        e: &BExpr,
        scope: &Scope,
        span: Span,
    ) -> Result<(), QueryError> {
        match self.ty(e, scope) {
            Ty::Bool | Ty::Null | Ty::Any => Ok(()),
            other => Err(type_error(
                format!("expected a boolean, got a {}", other.name()),
                span,
            )),
        }
    }

    pub(super) fn aggregate(
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

    pub(super) fn call(
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
