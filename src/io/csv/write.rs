//! Export as a neo4j-admin import directory.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use ::csv::{Writer, WriterBuilder};

use super::header::Scalar;
use crate::error::Error;
use crate::graph::{Graph, NodeId, RelId, Value, format_float};
use crate::io::atomic::{self, io_error};
use crate::io::subgraph::Subgraph;

/// The column type for a key, chosen from all values in one file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ColType {
    Scalar(Scalar),
    Array(Scalar),
    /// Values CSV cannot type; written as text.
    Text,
}

fn scalar_of(v: &Value) -> Option<Scalar> {
    match v {
        Value::Bool(_) => Some(Scalar::Bool),
        Value::Int(_) => Some(Scalar::Int),
        Value::Float(_) => Some(Scalar::Float),
        Value::String(_) => Some(Scalar::String),
        _ => None,
    }
}

fn col_type(v: &Value) -> ColType {
    if let Some(s) = scalar_of(v) {
        return ColType::Scalar(s);
    }
    if let Value::List(items) = v
        && let Some(first) = items.first().and_then(scalar_of)
        && items.iter().all(|i| scalar_of(i) == Some(first))
    {
        return ColType::Array(first);
    }
    ColType::Text
}

fn header_name(key: &str, t: ColType) -> String {
    match t {
        ColType::Scalar(s) => format!("{key}:{}", s.name()),
        ColType::Array(s) => format!("{key}:{}[]", s.name()),
        ColType::Text => format!("{key}:string"),
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Float(f) => format_float(*f),
        other => other.to_string(),
    }
}

fn field_text(v: &Value, t: ColType) -> String {
    match (t, v) {
        (ColType::Array(_), Value::List(items)) => {
            items.iter().map(scalar_text).collect::<Vec<_>>().join(";")
        }
        (ColType::Scalar(_), v) | (ColType::Text, v @ Value::String(_)) => scalar_text(v),
        (_, v) => v.to_string(),
    }
}

/// Columns of one file: each key with the type all its values share.
fn columns<'g>(props: impl Iterator<Item = Vec<(&'g str, &'g Value)>>) -> Vec<(String, ColType)> {
    let mut cols: BTreeMap<String, Option<ColType>> = BTreeMap::new();
    for list in props {
        for (k, v) in list {
            let t = col_type(v);
            cols.entry(k.to_owned())
                .and_modify(|c| {
                    if *c != Some(t) {
                        *c = Some(ColType::Text);
                    }
                })
                .or_insert(Some(t));
        }
    }
    cols.into_iter()
        .map(|(k, t)| (k, t.unwrap_or(ColType::Text)))
        .collect()
}

/// File names are made unique even on case-insensitive file systems.
fn unique_name(used: &mut HashSet<String>, base: &str) -> String {
    let mut name = format!("{base}.csv");
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{base}-{n}.csv");
        n += 1;
    }
    name
}

fn create(dir: &Path, name: &str) -> Result<Writer<BufWriter<File>>, Error> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(|e| io_error(&path, e))?;
    Ok(WriterBuilder::new().from_writer(BufWriter::new(file)))
}

fn csv_err(dir: &Path, e: ::csv::Error) -> Error {
    io_error(dir, std::io::Error::other(e.to_string()))
}

/// Writes `sub` as a neo4j-admin import directory at `target`,
/// atomically (the directory is built under a temporary name).
pub fn write_dir(graph: &Graph, sub: &Subgraph, target: &Path) -> Result<(), Error> {
    atomic::write_dir(target, |dir| write_files(graph, sub, dir))
}

fn write_files(graph: &Graph, sub: &Subgraph, dir: &Path) -> Result<(), Error> {
    let mut used = HashSet::new();
    let mut by_labels: BTreeMap<Vec<&str>, Vec<NodeId>> = BTreeMap::new();
    for node in sub.nodes.iter().filter_map(|&n| graph.node(n)) {
        by_labels.entry(node.labels()).or_default().push(node.id());
    }
    if by_labels.is_empty() {
        // An empty export is still an import directory kgq can load.
        by_labels.insert(Vec::new(), Vec::new());
    }
    for (labels, ids) in &by_labels {
        let base = if labels.is_empty() {
            "nodes".to_owned()
        } else {
            format!("nodes_{}", labels.join("-"))
        };
        let name = unique_name(&mut used, &base);
        let cols = columns(
            ids.iter()
                .filter_map(|&n| graph.node(n))
                .map(|n| n.properties()),
        );
        let mut w = create(dir, &name)?;
        let mut header = vec![":ID".to_owned(), ":LABEL".to_owned()];
        header.extend(cols.iter().map(|(k, t)| header_name(k, *t)));
        w.write_record(&header).map_err(|e| csv_err(dir, e))?;
        let label_field = labels.join(";");
        for node in ids.iter().filter_map(|&n| graph.node(n)) {
            let mut row = vec![node.id().to_string(), label_field.clone()];
            for (k, t) in &cols {
                row.push(
                    node.property(k)
                        .map_or(String::new(), |v| field_text(v, *t)),
                );
            }
            w.write_record(&row).map_err(|e| csv_err(dir, e))?;
        }
        w.flush().map_err(|e| io_error(dir, e))?;
    }
    let mut by_type: BTreeMap<&str, BTreeSet<RelId>> = BTreeMap::new();
    for rel in sub.rels.iter().filter_map(|&r| graph.rel(r)) {
        by_type.entry(rel.rel_type()).or_default().insert(rel.id());
    }
    for (rel_type, ids) in &by_type {
        let name = unique_name(&mut used, &format!("relationships_{rel_type}"));
        let cols = columns(
            ids.iter()
                .filter_map(|&r| graph.rel(r))
                .map(|r| r.properties()),
        );
        let mut w = create(dir, &name)?;
        let mut header = vec![
            ":START_ID".to_owned(),
            ":END_ID".to_owned(),
            ":TYPE".to_owned(),
        ];
        header.extend(cols.iter().map(|(k, t)| header_name(k, *t)));
        w.write_record(&header).map_err(|e| csv_err(dir, e))?;
        for rel in ids.iter().filter_map(|&r| graph.rel(r)) {
            let mut row = vec![
                rel.start().to_string(),
                rel.end().to_string(),
                (*rel_type).to_owned(),
            ];
            for (k, t) in &cols {
                row.push(rel.property(k).map_or(String::new(), |v| field_text(v, *t)));
            }
            w.write_record(&row).map_err(|e| csv_err(dir, e))?;
        }
        w.flush().map_err(|e| io_error(dir, e))?;
    }
    Ok(())
}
