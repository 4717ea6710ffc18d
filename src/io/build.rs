//! Turning parsed elements into a [`Graph`], shared by the file loaders:
//! the checks that need the whole file (unique ids, relationships to
//! existing nodes) and the choice of ids.
//!
//! Ids are kept when every id in the file is a non-negative integer and
//! they are dense enough to store (the largest at most twice the count
//! plus 1024, so that a stray huge id cannot make the store allocate a
//! huge table); otherwise elements are numbered in file order.

use std::collections::HashMap;
use std::fmt;

use crate::error::DataError;
use crate::graph::{Graph, NodeId, RelId, Value};

use super::json::Source;

/// A node or relationship id as a file spells it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum IdKey {
    Int(i64),
    Str(String),
}

impl fmt::Display for IdKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdKey::Int(i) => write!(f, "{i}"),
            IdKey::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// A node read from a file, not yet in a graph.
pub(crate) struct PendingNode {
    pub id: IdKey,
    /// Where the node's id stands, for errors.
    pub pos: usize,
    pub labels: Vec<String>,
    pub props: Vec<(String, Value)>,
}

/// A relationship read from a file, not yet in a graph.
pub(crate) struct PendingRel {
    pub id: Option<IdKey>,
    pub pos: usize,
    pub rel_type: String,
    pub start: IdKey,
    pub start_pos: usize,
    pub end: IdKey,
    pub end_pos: usize,
    pub props: Vec<(String, Value)>,
}

fn dense(ids: impl Iterator<Item = Option<i64>>, count: usize) -> bool {
    let mut max = 0i64;
    for id in ids {
        match id {
            Some(i) if i >= 0 => max = max.max(i),
            _ => return false,
        }
    }
    (max as u64) <= 2 * count as u64 + 1024
}

fn int_of(key: &IdKey) -> Option<i64> {
    match key {
        IdKey::Int(i) => Some(*i),
        IdKey::Str(_) => None,
    }
}

/// What the file calls a node (`node` or `vertex`, ...), for messages.
pub(crate) struct Words {
    pub node: &'static str,
    pub rel: &'static str,
    pub start: &'static str,
    pub end: &'static str,
}

/// Checks ids and endpoints and builds the graph.
pub(crate) fn build(
    src: &Source<'_>,
    nodes: Vec<PendingNode>,
    rels: Vec<PendingRel>,
    words: &Words,
) -> Result<Graph, DataError> {
    let mut index: HashMap<IdKey, (NodeId, usize)> = HashMap::with_capacity(nodes.len());
    let keep_node_ids = dense(nodes.iter().map(|n| int_of(&n.id)), nodes.len());
    let mut graph = Graph::new();
    graph.reserve(nodes.len(), rels.len());
    for (i, node) in nodes.into_iter().enumerate() {
        let id = match node.id {
            IdKey::Int(n) if keep_node_ids => NodeId(n as u64),
            _ => NodeId(i as u64),
        };
        if let Some((_, first)) = index.get(&node.id) {
            let (line, col) = crate::error::line_col(src.text, *first);
            return Err(src
                .error(node.pos, format!("duplicate {} id {}", words.node, node.id))
                .with_hint(format!(
                    "the first {} with this id is at line {line}, column {col}; give each a unique id",
                    words.node
                )));
        }
        index.insert(node.id, (id, node.pos));
        let labels = node.labels.iter().map(|l| graph.intern(l)).collect();
        let props: Vec<_> = node
            .props
            .into_iter()
            .map(|(k, v)| (graph.intern(&k), v))
            .collect();
        graph.insert_node(id, labels, props);
    }
    let keep_rel_ids = rels.iter().all(|r| r.id.is_some())
        && dense(
            rels.iter().map(|r| r.id.as_ref().and_then(int_of)),
            rels.len(),
        );
    let mut seen: HashMap<IdKey, usize> = HashMap::new();
    for (i, rel) in rels.into_iter().enumerate() {
        let id = match rel.id {
            Some(IdKey::Int(n)) if keep_rel_ids => RelId(n as u64),
            _ => RelId(i as u64),
        };
        if let Some(key) = &rel.id {
            if let Some(first) = seen.get(key) {
                let (line, col) = crate::error::line_col(src.text, *first);
                return Err(src
                    .error(rel.pos, format!("duplicate {} id {key}", words.rel))
                    .with_hint(format!(
                        "the first {} with this id is at line {line}, column {col}; give each a unique id or leave ids out",
                        words.rel
                    )));
            }
            seen.insert(key.clone(), rel.pos);
        }
        let resolve = |key: &IdKey, pos: usize, which: &str| {
            index.get(key).map(|(id, _)| *id).ok_or_else(|| {
                let other = match key {
                    IdKey::Int(i) => {
                        format!(" (a node with the string id \"{i}\" would not match)")
                    }
                    IdKey::Str(s) if s.parse::<i64>().is_ok() => {
                        format!(" (a node with the integer id {s} would not match)")
                    }
                    IdKey::Str(_) => String::new(),
                };
                let rel_name = match &rel.id {
                    Some(k) => format!("{} {k}", words.rel),
                    None => words.rel.to_owned(),
                };
                src.error(
                    pos,
                    format!(
                        "{rel_name} refers to {which} {key}, which is not a {} in this file",
                        words.node
                    ),
                )
                .with_hint(format!(
                    "add the {} or correct the {which} id{other}",
                    words.node
                ))
            })
        };
        let start = resolve(&rel.start, rel.start_pos, words.start)?;
        let end = resolve(&rel.end, rel.end_pos, words.end)?;
        let rel_type = graph.intern(&rel.rel_type);
        let props: Vec<_> = rel
            .props
            .into_iter()
            .map(|(k, v)| (graph.intern(&k), v))
            .collect();
        graph
            .insert_rel(id, start, end, rel_type, props)
            .map_err(|e| src.error(rel.pos, e.to_string()))?;
    }
    Ok(graph)
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// likely typo.
pub(crate) fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(suggest("lables", &["labels", "properties"]), Some("labels"));
        assert_eq!(suggest("zzz", &["labels", "properties"]), None);
    }
}
