//! Property tests: exporting a random graph and loading it back gives the
//! same graph, for every format that kgq both writes and reads.
//!
//! Type limits, as documented in `kgq::io`: native JSON and node-link hold
//! everything; GraphML replaces characters XML 1.0 forbids, so its graphs
//! draw strings without them; CSV holds scalars and non-empty lists of one
//! scalar type, no maps, no empty strings (an empty field is an absent
//! property), no `;` inside array strings, and one type per key and file,
//! so its graphs give each key one type. CSV keeps node ids but numbers
//! relationships in load order, so relationships compare as a multiset.

use std::collections::BTreeMap;

use kgq::graph::{Graph, Value};
use kgq::io::{self, ExportOptions, Format, Subgraph};
use proptest::prelude::*;

const LABELS: &[&str] = &["Person", "City", "Ünïcode", "_x", "Λέξη", "A1"];
const TYPES: &[&str] = &["KNOWS", "IN", "Σχέση", "_r"];
const KEYS: &[&str] = &[
    "name", "id", "labels", "type", "prop_id", "key", "x y", "ключ",
];

fn scalar(strings: BoxedStrategy<String>) -> BoxedStrategy<Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        Just(Value::Float(f64::NAN)),
        Just(Value::Float(f64::INFINITY)),
        Just(Value::Float(-0.0)),
        strings.prop_map(Value::String),
    ]
    .boxed()
}

fn value(strings: BoxedStrategy<String>) -> BoxedStrategy<Value> {
    scalar(strings.clone())
        .prop_recursive(3, 12, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                prop::collection::btree_map("[a-z~]{0,4}", inner, 0..3).prop_map(Value::Map),
            ]
        })
        .boxed()
}

/// Properties as (index into KEYS, value).
type Props = Vec<(usize, Value)>;

#[derive(Clone, Debug)]
struct Spec {
    /// Label indexes and properties per node.
    nodes: Vec<(Vec<usize>, Props)>,
    /// Start, end (node positions, wrapped), type index, properties.
    rels: Vec<(usize, usize, usize, Props)>,
    deleted: Vec<usize>,
}

fn spec(values: BoxedStrategy<Value>) -> impl Strategy<Value = Spec> {
    let props = prop::collection::vec((0..KEYS.len(), values), 0..4);
    (
        prop::collection::vec(
            (prop::collection::vec(0..LABELS.len(), 0..3), props.clone()),
            1..8,
        ),
        prop::collection::vec((0..16usize, 0..16usize, 0..TYPES.len(), props), 0..10),
        prop::collection::vec(0..16usize, 0..3),
    )
        .prop_map(|(nodes, rels, deleted)| Spec {
            nodes,
            rels,
            deleted,
        })
}

fn build(spec: &Spec, key_names: &dyn Fn(usize, &Value) -> String) -> Graph {
    let mut g = Graph::new();
    let ids: Vec<_> = spec
        .nodes
        .iter()
        .map(|(labels, props)| {
            g.add_node(
                labels.iter().map(|&l| LABELS[l]),
                props.iter().map(|(k, v)| (key_names(*k, v), v.clone())),
            )
        })
        .collect();
    for (s, e, t, props) in &spec.rels {
        let (s, e) = (ids[s % ids.len()], ids[e % ids.len()]);
        g.add_rel(
            s,
            e,
            TYPES[*t],
            props.iter().map(|(k, v)| (key_names(*k, v), v.clone())),
        )
        .unwrap();
    }
    // Deleting leaves gaps in the ids, which loaders must keep.
    for d in &spec.deleted {
        g.detach_delete_node(ids[d % ids.len()]);
    }
    g
}

fn round_trip(g: &Graph, format: Format) -> Graph {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("g.{}", format.name()));
    io::export(
        g,
        &Subgraph::all(g),
        format,
        &path,
        &ExportOptions::default(),
    )
    .unwrap();
    io::load_path(&path, Some(format)).unwrap()
}

fn plain_key(k: usize, _: &Value) -> String {
    KEYS[k].to_owned()
}

fn any_string() -> BoxedStrategy<String> {
    any::<String>().boxed()
}

/// Strings XML 1.0 can carry: no control characters but tab, LF, CR.
fn xml_string() -> BoxedStrategy<String> {
    "[^\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{fffe}\u{ffff}]{0,12}".boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn native_json_round_trip_is_identity(s in spec(value(any_string()))) {
        let g = build(&s, &plain_key);
        prop_assert!(round_trip(&g, Format::Json).same_content(&g));
    }

    #[test]
    fn node_link_round_trip_is_identity(s in spec(value(any_string()))) {
        let g = build(&s, &plain_key);
        prop_assert!(round_trip(&g, Format::NodeLink).same_content(&g));
    }

    #[test]
    fn graphml_round_trip_is_identity(s in spec(value(xml_string()))) {
        let g = build(&s, &plain_key);
        prop_assert!(round_trip(&g, Format::GraphMl).same_content(&g));
    }

    #[test]
    fn csv_round_trip_keeps_nodes_and_relationships(s in spec(csv_value())) {
        // One type per key: the key's name carries the value's type.
        let typed_key = |k: usize, v: &Value| format!("{}_{}", KEYS[k], csv_kind(v));
        let g = build(&s, &typed_key);
        let back = round_trip(&g, Format::Csv);
        prop_assert_eq!(back.node_ids().collect::<Vec<_>>(), g.node_ids().collect::<Vec<_>>());
        for id in g.node_ids() {
            let (a, b) = (g.node(id).unwrap(), back.node(id).unwrap());
            prop_assert_eq!(a.labels(), b.labels());
            prop_assert_eq!(a.properties(), b.properties());
        }
        prop_assert_eq!(rel_multiset(&back), rel_multiset(&g));
    }
}

fn csv_kind(v: &Value) -> String {
    match v {
        Value::List(items) => format!("list_{}", items.first().map_or("none".into(), csv_kind)),
        other => other.type_name().to_owned(),
    }
}

fn csv_value() -> BoxedStrategy<Value> {
    let strings = "[^;\u{0}]{1,10}".boxed();
    let s = scalar(strings);
    prop_oneof![
        s.clone(),
        (s, 1..4usize).prop_map(|(v, n)| Value::List(vec![v; n])),
    ]
    .boxed()
}

fn rel_multiset(g: &Graph) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in g.rel_ids() {
        let r = g.rel(r).unwrap();
        let key = format!(
            "{} {} {} {:?}",
            r.start(),
            r.end(),
            r.rel_type(),
            r.properties()
        );
        *out.entry(key).or_insert(0) += 1;
    }
    out
}
