//! Patterns of `MATCH`, `CREATE` and `MERGE`: variables bound to slots,
//! kinds of variables, and the rules for patterns that are written.

use super::*;

impl Analyzer<'_> {
    pub(super) fn pattern_query(
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

    pub(super) fn match_part(
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

    pub(super) fn props(
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

    pub(super) fn node(
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

    pub(super) fn rel(
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

    pub(super) fn create_parts(
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
    pub(super) fn check_creatable(
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

    pub(super) fn merge(
        &mut self,
        m: &ast::Merge,
        scope: &mut Scope,
    ) -> Result<BClause, QueryError> {
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

    pub(super) fn set_item(
        &mut self,
        item: &ast::SetItem,
        scope: &Scope,
    ) -> Result<BSetItem, QueryError> {
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
}
