//! The writing operators: `CREATE`, `MERGE`, `SET`, `REMOVE`, `DELETE`.
//! Each runs over all its input rows before the next clause starts, so a
//! clause sees the effects of every earlier clause.

use std::sync::atomic::AtomicBool;

use crate::error::{ErrorKind, QueryError};
use crate::graph::{Direction, Graph, NodeId, RelId, Value};
use crate::query::analyze::ir::{BExpr, BPart, BRemoveItem, BSetItem};
use crate::query::ast::RelDirection;
use crate::query::eval::{Env, Guard, Row, eval};
use crate::query::exec::matcher;
use crate::query::exec::stats::Tracker;
use crate::query::plan::pattern::PatternPlan;

/// The writer's state for one statement.
pub struct Writer<'g> {
    /// The graph.
    pub graph: &'g mut Graph,
    /// What changed.
    pub tracker: Tracker,
    /// Nodes deleted without DETACH that still had relationships; checked
    /// at the end of the statement.
    pub pending_nodes: Vec<NodeId>,
    /// Cancellation.
    pub cancel: &'g AtomicBool,
    /// Deadline.
    pub deadline: Option<std::time::Instant>,
}

fn runtime(kind: ErrorKind, detail: &'static str, msg: impl Into<String>) -> QueryError {
    QueryError::runtime(kind, detail, msg, None)
}

/// Whether `v` may be stored as a property: lists hold scalars only (as
/// openCypher says); maps, an extension of kgq's model, hold anything
/// storable.
fn check_storable(v: &Value) -> Result<(), QueryError> {
    let ok = match v {
        Value::List(items) => items.iter().all(|i| {
            matches!(
                i,
                Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::String(_)
            )
        }),
        other => other.is_storable(),
    };
    if ok {
        Ok(())
    } else {
        Err(runtime(
            ErrorKind::TypeError,
            "InvalidPropertyType",
            format!(
                "a {} of this kind cannot be stored as a property; use a boolean, number, string, a list of those, or a map",
                v.type_name()
            ),
        ))
    }
}

impl Writer<'_> {
    fn eval(&self, e: &BExpr, row: &mut Row) -> Result<Value, QueryError> {
        let guard = Guard::new(self.cancel, self.deadline);
        let env = Env {
            graph: self.graph,
            guard: &guard,
        };
        eval(&env, e, row)
    }

    fn create_node(
        &mut self,
        labels: &[String],
        props: Vec<(String, Value)>,
    ) -> Result<NodeId, QueryError> {
        for (_, v) in &props {
            check_storable(v)?;
        }
        for l in labels {
            self.tracker.label(self.graph, l);
        }
        let id = self.graph.add_node(
            labels.iter().map(String::as_str),
            props.into_iter().filter(|(_, v)| !v.is_null()),
        );
        self.tracker.node(self.graph, id, true);
        Ok(id)
    }

    /// Creates the parts of a pattern for one row, binding its slots.
    pub fn create(&mut self, parts: &[BPart], row: &mut Row) -> Result<(), QueryError> {
        let mut made: Vec<usize> = Vec::new();
        for part in parts {
            for n in &part.nodes {
                if n.bound || made.contains(&n.slot) {
                    match &row[n.slot] {
                        Value::Node(id) if self.graph.contains_node(*id) => continue,
                        Value::Node(id) => return Err(crate::query::eval::deleted("node", id.0)),
                        _ => {
                            return Err(runtime(
                                ErrorKind::SemanticError,
                                "CreateOnNull",
                                "cannot create a relationship to a null node",
                            ));
                        }
                    }
                }
                let mut props = Vec::new();
                for (k, e) in &n.props {
                    props.push((k.clone(), self.eval(e, row)?));
                }
                let id = self.create_node(&n.labels, props)?;
                row[n.slot] = Value::Node(id);
                made.push(n.slot);
            }
            for (i, r) in part.rels.iter().enumerate() {
                let (Value::Node(a), Value::Node(b)) =
                    (&row[part.nodes[i].slot], &row[part.nodes[i + 1].slot])
                else {
                    return Err(runtime(
                        ErrorKind::SemanticError,
                        "CreateOnNull",
                        "cannot create a relationship to a null node",
                    ));
                };
                let (start, end) = match r.direction {
                    RelDirection::Left => (*b, *a),
                    _ => (*a, *b),
                };
                let mut props = Vec::new();
                for (k, e) in &r.props {
                    let v = self.eval(e, row)?;
                    check_storable(&v)?;
                    if !v.is_null() {
                        props.push((k.clone(), v));
                    }
                }
                let ty = r.types.first().cloned().unwrap_or_default();
                let id = self.graph.add_rel(start, end, &ty, props).map_err(|e| {
                    runtime(
                        ErrorKind::EntityNotFound,
                        "DeletedEntityAccess",
                        e.to_string(),
                    )
                })?;
                self.tracker.rel(self.graph, id, true);
                row[r.slot] = Value::Rel(id);
            }
            if let Some(slot) = part.path_slot {
                let Value::Node(start) = row[part.nodes[0].slot] else {
                    continue;
                };
                let rels: Vec<RelId> = part
                    .rels
                    .iter()
                    .filter_map(|r| match row[r.slot] {
                        Value::Rel(id) => Some(id),
                        _ => None,
                    })
                    .collect();
                row[slot] = Value::Path(Box::new(matcher::walk(self.graph, start, &rels)));
            }
        }
        Ok(())
    }

    /// `MERGE` for one row: the matching rows, or the row with the
    /// pattern created.
    pub fn merge(
        &mut self,
        plan: &PatternPlan,
        on_create: &[BSetItem],
        on_match: &[BSetItem],
        mut row: Row,
        out: &mut Vec<Row>,
    ) -> Result<(), QueryError> {
        // A null in the pattern's properties can never be matched or created.
        for part in &plan.query.parts {
            for (k, e) in part
                .nodes
                .iter()
                .flat_map(|n| n.props.iter())
                .chain(part.rels.iter().flat_map(|r| r.props.iter()))
            {
                if self.eval(e, &mut row)?.is_null() {
                    return Err(runtime(
                        ErrorKind::SemanticError,
                        "MergeReadOwnWrites",
                        format!("cannot MERGE with a null value for property `{k}`"),
                    ));
                }
            }
        }
        let found = {
            let guard = Guard::new(self.cancel, self.deadline);
            let env = Env {
                graph: self.graph,
                guard: &guard,
            };
            let mut scratch = row.clone();
            let mut found = Vec::new();
            matcher::run(&env, plan, &mut scratch, &mut |r| {
                found.push(r.clone());
                Ok(true)
            })?;
            found
        };
        if found.is_empty() {
            self.create(&plan.query.parts, &mut row)?;
            self.set_items(on_create, &mut row)?;
            out.push(row);
        } else {
            for mut r in found {
                self.set_items(on_match, &mut r)?;
                out.push(r);
            }
        }
        Ok(())
    }

    /// Applies `SET` items to one row.
    pub fn set_items(&mut self, items: &[BSetItem], row: &mut Row) -> Result<(), QueryError> {
        for item in items {
            match item {
                BSetItem::Property(target, key, value) => {
                    let t = self.eval(target, row)?;
                    let v = self.eval(value, row)?;
                    self.set_property(&t, key, v)?;
                }
                BSetItem::Properties(slot, value, merge) => {
                    let t = row[*slot].clone();
                    let v = self.eval(value, row)?;
                    let map: Vec<(String, Value)> = match v {
                        Value::Map(m) => m.into_iter().collect(),
                        Value::Node(id) => match self.graph.node(id) {
                            Some(n) => n
                                .properties()
                                .into_iter()
                                .map(|(k, v)| (k.to_owned(), v.clone()))
                                .collect(),
                            None => return Err(crate::query::eval::deleted("node", id.0)),
                        },
                        Value::Rel(id) => match self.graph.rel(id) {
                            Some(r) => r
                                .properties()
                                .into_iter()
                                .map(|(k, v)| (k.to_owned(), v.clone()))
                                .collect(),
                            None => return Err(crate::query::eval::deleted("relationship", id.0)),
                        },
                        Value::Null => Vec::new(),
                        other => {
                            return Err(runtime(
                                ErrorKind::TypeError,
                                "InvalidArgumentType",
                                format!(
                                    "SET needs a map of properties, got a {}",
                                    other.type_name()
                                ),
                            ));
                        }
                    };
                    if t.is_null() {
                        continue;
                    }
                    if !*merge {
                        let existing: Vec<String> = match &t {
                            Value::Node(id) => self
                                .graph
                                .node(*id)
                                .map(|n| {
                                    n.properties()
                                        .into_iter()
                                        .map(|(k, _)| k.to_owned())
                                        .collect()
                                })
                                .unwrap_or_default(),
                            Value::Rel(id) => self
                                .graph
                                .rel(*id)
                                .map(|n| {
                                    n.properties()
                                        .into_iter()
                                        .map(|(k, _)| k.to_owned())
                                        .collect()
                                })
                                .unwrap_or_default(),
                            _ => Vec::new(),
                        };
                        for k in existing {
                            if !map.iter().any(|(mk, _)| *mk == k) {
                                self.set_property(&t, &k, Value::Null)?;
                            }
                        }
                    }
                    for (k, v) in map {
                        self.set_property(&t, &k, v)?;
                    }
                }
                BSetItem::Labels(slot, labels) => match row[*slot].clone() {
                    Value::Node(id) => {
                        self.tracker.node(self.graph, id, false);
                        for l in labels {
                            self.tracker.label(self.graph, l);
                            self.graph
                                .add_label(id, l)
                                .map_err(|_| crate::query::eval::deleted("node", id.0))?;
                        }
                    }
                    Value::Null => {}
                    other => {
                        return Err(runtime(
                            ErrorKind::TypeError,
                            "InvalidArgumentType",
                            format!(
                                "labels can only be set on nodes, not on a {}",
                                other.type_name()
                            ),
                        ));
                    }
                },
            }
        }
        Ok(())
    }

    fn set_property(&mut self, target: &Value, key: &str, v: Value) -> Result<(), QueryError> {
        check_storable(&v)?;
        match target {
            Value::Node(id) => {
                self.tracker.node(self.graph, *id, false);
                self.graph
                    .set_node_property(*id, key, v)
                    .map_err(|_| crate::query::eval::deleted("node", id.0))?;
            }
            Value::Rel(id) => {
                self.tracker.rel(self.graph, *id, false);
                self.graph
                    .set_rel_property(*id, key, v)
                    .map_err(|_| crate::query::eval::deleted("relationship", id.0))?;
            }
            Value::Null => {}
            other => {
                return Err(runtime(
                    ErrorKind::TypeError,
                    "InvalidArgumentType",
                    format!(
                        "properties can only be set on nodes and relationships, not on a {}",
                        other.type_name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Applies `REMOVE` items to one row.
    pub fn remove(&mut self, items: &[BRemoveItem], row: &mut Row) -> Result<(), QueryError> {
        for item in items {
            match item {
                BRemoveItem::Property(target, key) => {
                    let t = self.eval(target, row)?;
                    self.set_property(&t, key, Value::Null)?;
                }
                BRemoveItem::Labels(slot, labels) => {
                    if let Value::Node(id) = row[*slot] {
                        self.tracker.node(self.graph, id, false);
                        for l in labels {
                            self.tracker.label(self.graph, l);
                            self.graph
                                .remove_label(id, l)
                                .map_err(|_| crate::query::eval::deleted("node", id.0))?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Deletes the value of one `DELETE` expression.
    pub fn delete(&mut self, v: Value, detach: bool) -> Result<(), QueryError> {
        match v {
            Value::Null => {}
            Value::Node(id) => self.delete_node(id, detach)?,
            Value::Rel(id) => self.delete_rel(id),
            Value::Path(p) => {
                for r in p.rels {
                    self.delete_rel(r);
                }
                for n in p.nodes {
                    self.delete_node(n, detach)?;
                }
            }
            Value::List(items) => {
                for i in items {
                    self.delete(i, detach)?;
                }
            }
            other => {
                return Err(runtime(
                    ErrorKind::TypeError,
                    "InvalidArgumentType",
                    format!(
                        "DELETE takes nodes, relationships or paths, not a {}",
                        other.type_name()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn delete_rel(&mut self, id: RelId) {
        if self.graph.contains_rel(id) {
            self.tracker.rel(self.graph, id, false);
            self.graph.delete_rel(id);
        }
    }

    fn delete_node(&mut self, id: NodeId, detach: bool) -> Result<(), QueryError> {
        if !self.graph.contains_node(id) {
            return Ok(());
        }
        self.tracker.node(self.graph, id, false);
        if detach {
            let rels: Vec<RelId> = self
                .graph
                .relationships(id, Direction::Both)
                .map(|(r, _)| r)
                .collect();
            for r in rels {
                self.delete_rel(r);
            }
        }
        if self
            .graph
            .relationships(id, Direction::Both)
            .next()
            .is_some()
        {
            // Its relationships may still be deleted later in the query.
            if !self.pending_nodes.contains(&id) {
                self.pending_nodes.push(id);
            }
            return Ok(());
        }
        let _ = self.graph.delete_node(id);
        Ok(())
    }

    /// Deletes the nodes whose relationships were deleted after them;
    /// fails if one still has relationships.
    pub fn finish_deletes(&mut self) -> Result<(), QueryError> {
        for id in std::mem::take(&mut self.pending_nodes) {
            if !self.graph.contains_node(id) {
                continue;
            }
            if self
                .graph
                .relationships(id, Direction::Both)
                .next()
                .is_some()
            {
                return Err(runtime(
                    ErrorKind::ConstraintVerificationFailed,
                    "DeleteConnectedNode",
                    format!(
                        "node {id} still has relationships; use DETACH DELETE to delete them too"
                    ),
                ));
            }
            let _ = self.graph.delete_node(id);
        }
        Ok(())
    }
}
