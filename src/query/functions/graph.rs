//! Functions on nodes, relationships and paths. Reading a deleted element's
//! labels, type or properties is an `EntityNotFound` error.

use std::collections::BTreeMap;

use super::invalid_arg;
use crate::error::QueryError;
use crate::graph::{Graph, NodeId, NodeRef, RelId, RelRef, Value};
use crate::query::operators::{deleted_node, deleted_rel};

fn node(graph: &Graph, id: NodeId) -> Result<NodeRef<'_>, QueryError> {
    graph.node(id).ok_or_else(|| deleted_node(id))
}

fn rel(graph: &Graph, id: RelId) -> Result<RelRef<'_>, QueryError> {
    graph.rel(id).ok_or_else(|| deleted_rel(id))
}

/// `id(element)`: the stable id of a node or relationship.
pub(super) fn id(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Node(n) => Ok(Value::Int(n.0 as i64)),
        Value::Rel(r) => Ok(Value::Int(r.0 as i64)),
        other => Err(invalid_arg("id", "a Node or Relationship", other)),
    }
}

/// `elementId(element)`: the id as a string that also tells nodes and
/// relationships apart (`n:12`, `r:5`).
pub(super) fn element_id(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Node(n) => Ok(Value::String(format!("n:{n}"))),
        Value::Rel(r) => Ok(Value::String(format!("r:{r}"))),
        other => Err(invalid_arg("elementId", "a Node or Relationship", other)),
    }
}

/// `labels(node)`: the labels in the order the graph first saw them.
pub(super) fn labels(graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => {
            let n = node(graph, *id)?;
            // Symbols are numbered in order of first use, so this keeps
            // `CREATE (:Foo:Bar)` reading back as ['Foo', 'Bar'].
            Ok(Value::List(
                n.label_symbols()
                    .iter()
                    .map(|&s| Value::String(graph.symbols().name(s).to_owned()))
                    .collect(),
            ))
        }
        other => Err(invalid_arg("labels", "a Node", other)),
    }
}

/// `type(relationship)`; unlike its properties, a relationship's type
/// stays readable after it is deleted in the same query.
pub(super) fn rel_type(graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Rel(id) => match graph.rel(*id) {
            Some(r) => Ok(Value::from(r.rel_type())),
            None => graph
                .deleted_rel_type(*id)
                .map(Value::from)
                .ok_or_else(|| deleted_rel(*id)),
        },
        other => Err(invalid_arg("type", "a Relationship", other)),
    }
}

fn to_map(props: Vec<(&str, &Value)>) -> Value {
    Value::Map(
        props
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn to_keys(props: Vec<(&str, &Value)>) -> Value {
    Value::List(props.into_iter().map(|(k, _)| Value::from(k)).collect())
}

/// `properties(x)`: a node's or relationship's properties as a map; a map
/// is returned as it is.
pub(super) fn properties(graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => Ok(to_map(node(graph, *id)?.properties())),
        Value::Rel(id) => Ok(to_map(rel(graph, *id)?.properties())),
        m @ Value::Map(_) => Ok(m.clone()),
        other => Err(invalid_arg(
            "properties",
            "a Node, Relationship or Map",
            other,
        )),
    }
}

/// `keys(x)`: the property keys of a node or relationship, or the keys of
/// a map (including keys whose value is null), sorted.
pub(super) fn keys(graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => Ok(to_keys(node(graph, *id)?.properties())),
        Value::Rel(id) => Ok(to_keys(rel(graph, *id)?.properties())),
        Value::Map(m) => Ok(Value::List(
            m.keys().map(|k| Value::from(k.as_str())).collect(),
        )),
        other => Err(invalid_arg("keys", "a Node, Relationship or Map", other)),
    }
}

/// `startNode(relationship)`.
pub(super) fn start_node(graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Rel(id) => Ok(Value::Node(rel(graph, *id)?.start())),
        other => Err(invalid_arg("startNode", "a Relationship", other)),
    }
}

/// `endNode(relationship)`.
pub(super) fn end_node(graph: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Rel(id) => Ok(Value::Node(rel(graph, *id)?.end())),
        other => Err(invalid_arg("endNode", "a Relationship", other)),
    }
}

/// `nodes(path)`.
pub(super) fn nodes(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::List(
            p.nodes.iter().map(|&n| Value::Node(n)).collect(),
        )),
        other => Err(invalid_arg("nodes", "a Path", other)),
    }
}

/// `relationships(path)`.
pub(super) fn relationships(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::List(p.rels.iter().map(|&r| Value::Rel(r)).collect())),
        other => Err(invalid_arg("relationships", "a Path", other)),
    }
}

/// `length(path)`: the number of relationships.
pub(super) fn length(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    match &args[0] {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::Int(p.rels.len() as i64)),
        other => Err(invalid_arg("length", "a Path", other)
            .with_hint("use size() for the length of a string or list")),
    }
}

/// `exists(expr)`: whether the value is not null (the older spelling of
/// `expr IS NOT NULL`; pattern arguments are the executor's business).
pub(super) fn exists(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(Value::Bool(!args[0].is_null()))
}

/// The name of a value's type as `valueType()` gives it.
fn type_text(v: &Value) -> String {
    match v {
        Value::Null => "NULL".to_owned(),
        Value::List(items) => format!("LIST<{}> NOT NULL", element_type(items)),
        other => format!("{} NOT NULL", base_type(other)),
    }
}

fn base_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Bool(_) => "BOOLEAN",
        Value::Int(_) => "INTEGER",
        Value::Float(_) => "FLOAT",
        Value::String(_) => "STRING",
        Value::List(_) => "LIST",
        Value::Map(_) => "MAP",
        Value::Node(_) => "NODE",
        Value::Rel(_) => "RELATIONSHIP",
        Value::Path(_) => "PATH",
    }
}

/// The element type of a list: the union of its elements' types, `NOT
/// NULL` unless a null is among them; `NOTHING` for an empty list.
fn element_type(items: &[Value]) -> String {
    let nullable = items.iter().any(Value::is_null);
    let mut members: Vec<String> = Vec::new();
    for item in items.iter().filter(|v| !v.is_null()) {
        let t = match item {
            Value::List(inner) => format!("LIST<{}>", element_type(inner)),
            other => base_type(other).to_owned(),
        };
        if !members.contains(&t) {
            members.push(t);
        }
    }
    if members.is_empty() {
        return if nullable { "NULL" } else { "NOTHING" }.to_owned();
    }
    members.sort();
    let suffix = if nullable { "" } else { " NOT NULL" };
    members
        .iter()
        .map(|m| format!("{m}{suffix}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `valueType(x)`: the type of a value, e.g. `INTEGER NOT NULL`.
pub(super) fn value_type(_: &Graph, args: &[Value]) -> Result<Value, QueryError> {
    Ok(Value::String(type_text(&args[0])))
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;
    use crate::graph::{Graph, NodeId, Path, Value};
    use crate::query::functions::call;

    fn sample() -> (Graph, Value, Value, Value) {
        let (g, a, r, p, _) = sample_ids();
        (g, a, r, p)
    }

    fn sample_ids() -> (Graph, Value, Value, Value, NodeId) {
        let mut g = Graph::new();
        let a = g.add_node(
            ["Foo", "Bar"],
            [("name", Value::from("Popeye")), ("level", Value::Int(9001))],
        );
        let b = g.add_node(Vec::<&str>::new(), Vec::<(&str, Value)>::new());
        let r = g
            .add_rel(
                a,
                b,
                "KNOWS",
                [
                    ("status", Value::from("bad")),
                    ("year", Value::from("2015")),
                ],
            )
            .expect("endpoints exist");
        let p = Value::Path(Box::new(Path {
            nodes: vec![a, b],
            rels: vec![r],
        }));
        (g, Value::Node(a), Value::Rel(r), p, a)
    }

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::from(*s)).collect())
    }

    #[test]
    fn labels_come_in_the_order_they_were_first_used() {
        let (g, a, _, _) = sample();
        assert_eq!(call(&g, "labels", &[a]), Ok(strs(&["Foo", "Bar"])));
        let mut g2 = Graph::new();
        let n = g2.add_node(Vec::<&str>::new(), Vec::<(&str, Value)>::new());
        assert_eq!(call(&g2, "labels", &[Value::Node(n)]), Ok(strs(&[])));
        assert_eq!(call(&g2, "labels", &[Value::Null]), Ok(Value::Null));
    }

    #[test]
    fn functions_on_the_wrong_element_fail_with_invalid_argument_value() {
        let (g, a, r, p) = sample();
        for (f, bad) in [
            ("labels", Value::Int(1)),
            ("labels", p.clone()),
            ("type", a.clone()),
            ("type", Value::from("")),
            ("type", Value::List(vec![])),
            ("length", a.clone()),
            ("length", r.clone()),
            ("startNode", a.clone()),
            ("nodes", r.clone()),
            ("properties", Value::Int(1)),
            ("keys", Value::from("Cypher")),
        ] {
            let e = call(&g, f, &[bad]).expect_err(f);
            assert_eq!(
                (e.kind, e.detail),
                (ErrorKind::TypeError, "InvalidArgumentValue"),
                "{f}"
            );
        }
    }

    #[test]
    fn relationship_type_endpoints_and_ids() {
        let (g, a, r, _) = sample();
        assert_eq!(
            call(&g, "type", std::slice::from_ref(&r)),
            Ok(Value::from("KNOWS"))
        );
        assert_eq!(
            call(&g, "startNode", std::slice::from_ref(&r)),
            Ok(a.clone())
        );
        assert!(matches!(
            call(&g, "endNode", std::slice::from_ref(&r)),
            Ok(Value::Node(_))
        ));
        assert_eq!(call(&g, "id", std::slice::from_ref(&a)), Ok(Value::Int(0)));
        assert_eq!(
            call(&g, "elementId", std::slice::from_ref(&r)),
            Ok(Value::from("r:0"))
        );
        for f in ["type", "startNode", "endNode", "id"] {
            assert_eq!(call(&g, f, &[Value::Null]), Ok(Value::Null), "{f}");
        }
    }

    #[test]
    fn properties_and_keys_of_elements_and_maps() {
        let (g, a, r, _) = sample();
        let m = call(&g, "properties", std::slice::from_ref(&a)).expect("node properties");
        assert_eq!(m.to_string(), "{level: 9001, name: 'Popeye'}");
        assert_eq!(
            call(&g, "properties", std::slice::from_ref(&m)),
            Ok(m.clone())
        );
        assert_eq!(
            call(&g, "keys", std::slice::from_ref(&r)),
            Ok(strs(&["status", "year"]))
        );
        assert_eq!(call(&g, "keys", &[a]), Ok(strs(&["level", "name"])));
        let with_null = Value::Map(
            [
                ("k".to_owned(), Value::Null),
                ("l".to_owned(), Value::Int(1)),
            ]
            .into(),
        );
        assert_eq!(call(&g, "keys", &[with_null]), Ok(strs(&["k", "l"])));
        assert_eq!(call(&g, "keys", &[Value::Null]), Ok(Value::Null));
        assert_eq!(call(&g, "properties", &[Value::Null]), Ok(Value::Null));
    }

    #[test]
    fn paths_give_their_nodes_relationships_and_length() {
        let (g, a, r, p) = sample();
        let nodes = call(&g, "nodes", std::slice::from_ref(&p)).expect("nodes");
        assert!(matches!(&nodes, Value::List(l) if l.len() == 2 && l[0] == a));
        assert_eq!(
            call(&g, "relationships", std::slice::from_ref(&p)),
            Ok(Value::List(vec![r]))
        );
        assert_eq!(call(&g, "length", &[p]), Ok(Value::Int(1)));
        assert_eq!(call(&g, "nodes", &[Value::Null]), Ok(Value::Null));
        assert_eq!(call(&g, "relationships", &[Value::Null]), Ok(Value::Null));
    }

    #[test]
    fn deleted_elements_cannot_be_read() {
        let (mut g, a, r, _, id) = sample_ids();
        g.detach_delete_node(id);
        for (f, v) in [
            ("labels", &a),
            ("properties", &a),
            ("keys", &a),
            ("type", &r),
            ("startNode", &r),
        ] {
            let e = call(&g, f, std::slice::from_ref(v)).expect_err(f);
            assert_eq!(
                (e.kind, e.detail),
                (ErrorKind::EntityNotFound, "DeletedEntityAccess")
            );
        }
        // The id stays readable.
        assert_eq!(call(&g, "id", &[a]), Ok(Value::Int(0)));
    }

    #[test]
    fn exists_is_not_null() {
        let g = Graph::new();
        assert_eq!(call(&g, "exists", &[Value::Null]), Ok(Value::Bool(false)));
        assert_eq!(call(&g, "exists", &[Value::Int(0)]), Ok(Value::Bool(true)));
    }

    #[test]
    fn the_type_of_a_relationship_deleted_in_this_query_stays_readable() {
        let (mut g, _, r, _) = sample();
        let Value::Rel(id) = r else {
            panic!("sample gives a relationship")
        };
        let mark = g.begin();
        g.delete_rel(id);
        assert_eq!(
            call(&g, "type", std::slice::from_ref(&r)),
            Ok(Value::from("KNOWS"))
        );
        let e = call(&g, "properties", std::slice::from_ref(&r)).expect_err("deleted");
        assert_eq!(e.detail, "DeletedEntityAccess");
        g.commit(mark);
        let e = call(&g, "type", &[r]).expect_err("gone once committed");
        assert_eq!(e.detail, "DeletedEntityAccess");
    }

    #[test]
    fn value_types_are_named_with_their_nullability() {
        let g = Graph::new();
        let vt = |v: Value| call(&g, "valueType", &[v]).expect("valueType");
        assert_eq!(vt(Value::Null), Value::from("NULL"));
        assert_eq!(vt(Value::Int(1)), Value::from("INTEGER NOT NULL"));
        assert_eq!(
            vt(Value::List(vec![Value::Int(1), Value::Null])),
            Value::from("LIST<INTEGER> NOT NULL")
        );
        assert_eq!(
            vt(Value::List(vec![Value::from("a"), Value::Int(1)])),
            Value::from("LIST<INTEGER NOT NULL | STRING NOT NULL> NOT NULL")
        );
        assert_eq!(
            vt(Value::List(vec![])),
            Value::from("LIST<NOTHING> NOT NULL")
        );
        assert_eq!(
            vt(Value::List(vec![Value::List(vec![Value::Float(1.0)])])),
            Value::from("LIST<LIST<FLOAT NOT NULL> NOT NULL> NOT NULL")
        );
    }
}
