//! Making syntax trees comparable regardless of where they were written:
//! spans become empty and column names canonical.

use crate::error::Span;
use crate::query::ast::{
    Clause, ExistsBody, Expr, ExprKind, MapProjectionItem, Name, NodePattern, PatternElement,
    PatternPart, Projection, ProjectionItem, Query, RelPattern, RemoveItem, SetItem, SingleQuery,
    Statement, Variable,
};

/// Trees that can be made comparable regardless of where they were written:
/// every span becomes empty and every column name becomes the alias or the
/// canonical text of its expression.
pub trait Normalize {
    /// Normalises in place.
    fn normalize(&mut self);
}

/// A copy of `tree` with spans zeroed and column names canonical.
pub fn without_spans<T: Normalize + Clone>(tree: &T) -> T {
    let mut copy = tree.clone();
    copy.normalize();
    copy
}

fn zero(span: &mut Span) {
    *span = Span::default();
}

impl<T: Normalize> Normalize for Option<T> {
    fn normalize(&mut self) {
        if let Some(x) = self {
            x.normalize();
        }
    }
}

impl<T: Normalize> Normalize for Box<T> {
    fn normalize(&mut self) {
        (**self).normalize();
    }
}

impl<T: Normalize> Normalize for Vec<T> {
    fn normalize(&mut self) {
        self.iter_mut().for_each(Normalize::normalize);
    }
}

impl Normalize for Variable {
    fn normalize(&mut self) {
        zero(&mut self.span);
    }
}

impl Normalize for Name {
    fn normalize(&mut self) {
        zero(&mut self.span);
    }
}

impl Normalize for Expr {
    fn normalize(&mut self) {
        zero(&mut self.span);
        match &mut self.kind {
            ExprKind::Literal(_)
            | ExprKind::Parameter(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar => {}
            ExprKind::List(items) => items.normalize(),
            ExprKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.normalize();
                v.normalize();
            }),
            ExprKind::Property(b, k) => {
                b.normalize();
                k.normalize();
            }
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                a.normalize();
                b.normalize();
            }
            ExprKind::Slice(a, from, to) => {
                a.normalize();
                from.normalize();
                to.normalize();
            }
            ExprKind::Unary(_, e) | ExprKind::IsNull(e, _) => e.normalize(),
            ExprKind::HasLabels(e, labels) => {
                e.normalize();
                labels.normalize();
            }
            ExprKind::FunctionCall { name, args, .. } => {
                name.normalize();
                args.normalize();
            }
            ExprKind::Case {
                operand,
                alternatives,
                default,
            } => {
                operand.normalize();
                alternatives.iter_mut().for_each(|(w, t)| {
                    w.normalize();
                    t.normalize();
                });
                default.normalize();
            }
            ExprKind::ListComprehension {
                variable,
                list,
                predicate,
                projection,
            } => {
                variable.normalize();
                list.normalize();
                predicate.normalize();
                projection.normalize();
            }
            ExprKind::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            } => {
                variable.normalize();
                pattern.normalize();
                predicate.normalize();
                projection.normalize();
            }
            ExprKind::Quantified {
                variable,
                list,
                predicate,
                ..
            } => {
                variable.normalize();
                list.normalize();
                predicate.normalize();
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr,
            } => {
                accumulator.normalize();
                init.normalize();
                variable.normalize();
                list.normalize();
                expr.normalize();
            }
            ExprKind::PatternPredicate(p) => p.normalize(),
            ExprKind::Exists(ExistsBody::Pattern(parts, predicate)) => {
                parts.normalize();
                predicate.normalize();
            }
            ExprKind::Exists(ExistsBody::Query(q)) => q.normalize(),
            ExprKind::MapProjection { variable, items } => {
                variable.normalize();
                for item in items {
                    match item {
                        MapProjectionItem::Property(k) => k.normalize(),
                        MapProjectionItem::AllProperties(s) => zero(s),
                        MapProjectionItem::Literal(k, v) => {
                            k.normalize();
                            v.normalize();
                        }
                        MapProjectionItem::Variable(v) => v.normalize(),
                    }
                }
            }
        }
    }
}

impl Normalize for NodePattern {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.variable.normalize();
        self.labels.normalize();
        self.properties.normalize();
    }
}

impl Normalize for RelPattern {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.variable.normalize();
        self.types.normalize();
        self.properties.normalize();
    }
}

impl Normalize for PatternElement {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.start.normalize();
        for (r, n) in &mut self.chain {
            r.normalize();
            n.normalize();
        }
    }
}

impl Normalize for PatternPart {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.variable.normalize();
        self.element.normalize();
    }
}

impl Normalize for ProjectionItem {
    fn normalize(&mut self) {
        self.expr.normalize();
        self.alias.normalize();
        self.column = match &self.alias {
            Some(a) => a.name.clone(),
            None => self.expr.to_string(),
        };
    }
}

impl Normalize for Projection {
    fn normalize(&mut self) {
        self.items.normalize();
        for s in &mut self.order_by {
            s.expr.normalize();
        }
        self.skip.normalize();
        self.limit.normalize();
    }
}

impl Normalize for SetItem {
    fn normalize(&mut self) {
        match self {
            SetItem::Property { target, key, value } => {
                target.normalize();
                key.normalize();
                value.normalize();
            }
            SetItem::Replace { variable, value } | SetItem::Merge { variable, value } => {
                variable.normalize();
                value.normalize();
            }
            SetItem::Labels { variable, labels } => {
                variable.normalize();
                labels.normalize();
            }
        }
    }
}

impl Normalize for RemoveItem {
    fn normalize(&mut self) {
        match self {
            RemoveItem::Property { target, key } => {
                target.normalize();
                key.normalize();
            }
            RemoveItem::Labels { variable, labels } => {
                variable.normalize();
                labels.normalize();
            }
        }
    }
}

impl Normalize for Clause {
    fn normalize(&mut self) {
        match self {
            Clause::Match(c) => {
                zero(&mut c.span);
                c.pattern.normalize();
                c.where_clause.normalize();
            }
            Clause::Unwind(c) => {
                zero(&mut c.span);
                c.expr.normalize();
                c.variable.normalize();
            }
            Clause::With(c) => {
                zero(&mut c.span);
                c.projection.normalize();
                c.where_clause.normalize();
            }
            Clause::Return(c) => {
                zero(&mut c.span);
                c.projection.normalize();
            }
            Clause::Create(c) => {
                zero(&mut c.span);
                c.pattern.normalize();
            }
            Clause::Merge(c) => {
                zero(&mut c.span);
                c.part.normalize();
                for a in &mut c.actions {
                    a.items.normalize();
                }
            }
            Clause::Set(c) => {
                zero(&mut c.span);
                c.items.normalize();
            }
            Clause::Remove(c) => {
                zero(&mut c.span);
                c.items.normalize();
            }
            Clause::Delete(c) => {
                zero(&mut c.span);
                c.exprs.normalize();
            }
            Clause::Call(c) => {
                zero(&mut c.span);
                c.procedure.normalize();
                if let Some(args) = &mut c.args {
                    args.normalize();
                }
                if let Some(items) = &mut c.yields {
                    for y in items {
                        y.field.normalize();
                        y.alias.normalize();
                    }
                }
                c.where_clause.normalize();
            }
        }
    }
}

impl Normalize for SingleQuery {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.clauses.normalize();
    }
}

impl Normalize for Query {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.first.normalize();
        for (_, q) in &mut self.unions {
            q.normalize();
        }
    }
}

impl Normalize for Statement {
    fn normalize(&mut self) {
        zero(&mut self.span);
        self.query.normalize();
    }
}
