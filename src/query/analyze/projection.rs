//! `WITH` and `RETURN`: columns, aliases, aggregation rules, `ORDER BY`,
//! `SKIP`, `LIMIT` and the `WHERE` of `WITH`.

use super::*;

impl Analyzer<'_> {
    pub(super) fn projection(
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
    pub(super) fn find_loose(
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

    pub(super) fn count_expr(&mut self, e: &Expr, what: &str) -> Result<BExpr, QueryError> {
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
}
