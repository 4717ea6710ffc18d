//! [`Landmarks`]: the nodes that benchmark queries start from, chosen
//! from the generated graph itself so that every size has a real hub and
//! a real pair of distant nodes.

use std::collections::VecDeque;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{NewsData, PERSON};
use crate::graph::quote_string;

/// Farthest distance considered for the shortest-path pair; the queries
/// search up to 10 hops.
const MAX_HOPS: u32 = 8;

/// Names of the nodes the benchmark queries use, by parameter name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landmarks {
    /// The person with the most relationships.
    pub hub: String,
    /// A person with 5 to 50 relationships, for the point lookup.
    pub person: String,
    /// A person with two to four relationships: start of the
    /// neighbourhood and shortest-path queries.
    pub from: String,
    /// The person farthest from `from` (within 8 hops).
    pub to: String,
    /// Length of the shortest path from `from` to `to`.
    pub hops: u32,
}

impl Landmarks {
    /// The value of parameter `name`, if it is one of the landmarks.
    pub fn get(&self, name: &str) -> Option<&str> {
        match name {
            "hub" => Some(&self.hub),
            "person" => Some(&self.person),
            "from" => Some(&self.from),
            "to" => Some(&self.to),
            _ => None,
        }
    }

    /// `text` with every `$name` that names a landmark replaced by the
    /// landmark as a string literal, so that engines without parameters
    /// (or with different parameter syntax) run the same query. Other
    /// `$names` are left alone.
    ///
    /// ```
    /// use kgq::generate::NewsData;
    /// let marks = NewsData::generate(1_000, 42).landmarks();
    /// let q = marks.substitute("MATCH (p:Person {name: $hub}) RETURN p");
    /// assert!(q.contains(&format!("'{}'", marks.hub)));
    /// ```
    pub fn substitute(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let len = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            match self.get(&after[..len]) {
                Some(value) => out.push_str(&quote_string(value)),
                None => {
                    let _ = write!(out, "${}", &after[..len]);
                }
            }
            rest = &after[len..];
        }
        out.push_str(rest);
        out
    }
}

/// Undirected adjacency in compressed form: neighbours of node `v` are
/// `targets[offsets[v]..offsets[v + 1]]`.
struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl Adjacency {
    fn new(data: &NewsData) -> Adjacency {
        let n = data.node_count() as usize;
        let mut offsets = vec![0usize; n + 1];
        let rows = || data.rels.iter().flat_map(|b| &b.rows);
        for row in rows() {
            offsets[row.start as usize + 1] += 1;
            offsets[row.end as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[n]];
        for row in rows() {
            targets[fill[row.start as usize]] = row.end as u32;
            fill[row.start as usize] += 1;
            targets[fill[row.end as usize]] = row.start as u32;
            fill[row.end as usize] += 1;
        }
        Adjacency { offsets, targets }
    }

    fn degree(&self, v: usize) -> usize {
        self.offsets[v + 1] - self.offsets[v]
    }

    fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    /// Hop distances from `source` (u32::MAX where unreachable); `O(V + E)`.
    fn distances(&self, source: usize) -> Vec<u32> {
        let mut dist = vec![u32::MAX; self.offsets.len() - 1];
        dist[source] = 0;
        let mut queue = VecDeque::from([source]);
        while let Some(v) = queue.pop_front() {
            for &w in self.neighbours(v) {
                let w = w as usize;
                if dist[w] == u32::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
            }
        }
        dist
    }
}

pub(super) fn find(data: &NewsData) -> Landmarks {
    let adj = Adjacency::new(data);
    let persons = &data.nodes[PERSON];
    let first = persons.first_id as usize;
    let ids = first..first + persons.rows.len();
    let name = |id: usize| data.name_of(id as u64).unwrap_or_default().to_owned();

    // max_by_key keeps the last maximum; reverse so ties go to the lowest id.
    let hub = ids
        .clone()
        .rev()
        .max_by_key(|&v| adj.degree(v))
        .unwrap_or(first);
    let middle = first + persons.rows.len() / 2;
    // Start the search in the middle, away from any ordering effect of ids.
    let ordinary = |lo: usize, hi: usize| {
        (middle..ids.end)
            .chain(ids.start..middle)
            .find(|&v| (lo..=hi).contains(&adj.degree(v)))
    };
    let person = ordinary(5, 50).unwrap_or(middle);
    let from = ordinary(2, 4)
        .or_else(|| ordinary(1, usize::MAX))
        .unwrap_or(first);
    let dist = adj.distances(from);
    let (to, hops) = ids
        .clone()
        .filter(|&v| v != from && dist[v] <= MAX_HOPS)
        .map(|v| (v, dist[v]))
        .max_by_key(|&(v, d)| (d, std::cmp::Reverse(v)))
        .unwrap_or((hub, dist[hub]));
    Landmarks {
        hub: name(hub),
        person: name(person),
        from: name(from),
        to: name(to),
        hops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_has_the_most_relationships_of_all_persons() {
        let data = NewsData::generate(20_000, 42);
        let marks = data.landmarks();
        let graph = data.to_graph();
        let degree_of = |name: &str| {
            let ids = graph
                .find_nodes("Person", "name", &name.into())
                .expect("name is indexed");
            graph.degree(ids[0], crate::graph::Direction::Both)
        };
        let hub = degree_of(&marks.hub);
        let max = graph
            .nodes_with_label("Person")
            .map(|id| graph.degree(id, crate::graph::Direction::Both))
            .max();
        assert_eq!(Some(hub), max);
        assert!((2..=4).contains(&degree_of(&marks.from)));
    }

    #[test]
    fn shortest_pair_is_at_the_reported_distance() {
        let data = NewsData::generate(20_000, 42);
        let marks = data.landmarks();
        let adj = Adjacency::new(&data);
        let id_of = |name: &str| {
            let block = &data.nodes[PERSON];
            let i = block
                .rows
                .iter()
                .position(|r| r[0] == name.into())
                .expect("landmark is a person");
            block.first_id as usize + i
        };
        let dist = adj.distances(id_of(&marks.from));
        assert_eq!(dist[id_of(&marks.to)], marks.hops);
        assert!(marks.hops >= 3, "pair only {} apart", marks.hops);
    }

    #[test]
    fn substitute_quotes_landmarks_and_keeps_other_parameters() {
        let marks = Landmarks {
            hub: "O'Neil".into(),
            person: "p".into(),
            from: "a".into(),
            to: "b".into(),
            hops: 3,
        };
        assert_eq!(
            marks.substitute("RETURN $hub, $other, $to$from"),
            r"RETURN 'O\'Neil', $other, 'b''a'"
        );
    }
}
