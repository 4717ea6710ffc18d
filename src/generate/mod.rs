//! A deterministic generator of news-style knowledge graphs, for
//! benchmarks and for tests that need a graph of a given size.
//!
//! The graph looks like what an extraction pipeline would build from a
//! season of news: articles that mention people, organisations, places,
//! events, quotes and other articles; people who said quotes, work for
//! organisations, took part in events and met each other. Popularity
//! follows a Zipf-like law, so a few nodes are huge hubs and most have a
//! handful of relationships. For `rels` relationships there are about
//! `0.255 * rels` nodes (255,000 for 10^6).
//!
//! The same `(rels, seed)` gives the same graph on every platform, both in
//! memory ([`news_graph`]) and as neo4j-admin CSV files ([`write_csv`]),
//! so a benchmark of kgq and a peer loading the CSVs see one graph.
//!
//! ```
//! use kgq::generate::NewsData;
//! let data = NewsData::generate(1_000, 42);
//! assert_eq!(data.rel_count(), 1_000);
//! let graph = data.to_graph();
//! assert_eq!(graph.rel_count(), 1_000);
//! assert_eq!(graph.node_count() as u64, data.node_count());
//! ```

mod csv_out;
mod landmarks;
mod names;
mod rng;

use std::collections::HashSet;
use std::path::Path;

use crate::graph::{Graph, NodeId, Value};

pub use landmarks::Landmarks;
use rng::{Rng, Zipf};

/// The type of a generated property, as written in a CSV header
/// (`age:int`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string (`name` is written without a type, the others as `:string`).
    Str,
    /// A 64-bit integer, `:int`.
    Int,
    /// A 64-bit float, `:float`.
    Float,
    /// A boolean, `:boolean`.
    Bool,
}

impl Kind {
    /// The neo4j-admin header type name.
    pub fn header_name(self) -> &'static str {
        match self {
            Kind::Str => "string",
            Kind::Int => "int",
            Kind::Float => "float",
            Kind::Bool => "boolean",
        }
    }
}

/// Property keys and their types, in column order.
pub type Schema = &'static [(&'static str, Kind)];

/// All nodes of one label; ids are `first_id..first_id + rows.len()`.
#[derive(Clone, Debug)]
pub struct NodeBlock {
    /// The label.
    pub label: &'static str,
    /// The properties of every node, in column order; `name` first.
    pub schema: Schema,
    /// The global id (`:ID`) of the first node.
    pub first_id: u64,
    /// Property values per node, in schema order.
    pub rows: Vec<Vec<Value>>,
}

/// One relationship: global start and end ids and properties in the
/// block's schema order.
#[derive(Clone, Debug)]
pub struct RelRow {
    /// `:START_ID`.
    pub start: u64,
    /// `:END_ID`.
    pub end: u64,
    /// Property values, in schema order.
    pub props: Vec<Value>,
}

/// All relationships of one type.
#[derive(Clone, Debug)]
pub struct RelBlock {
    /// The relationship type.
    pub rel_type: &'static str,
    /// The properties of every relationship, in column order.
    pub schema: Schema,
    /// The relationships.
    pub rows: Vec<RelRow>,
}

const PERSON: usize = 0;
const ORGANIZATION: usize = 1;
const PLACE: usize = 2;
const EVENT: usize = 3;
const ARTICLE: usize = 4;
const QUOTE: usize = 5;

/// Labels in id order, with their schemas. Every label has `name` and a
/// float `score` (a salience score), so that queries can aggregate over
/// all nodes alike.
const LABELS: [(&str, Schema); 6] = [
    (
        "Person",
        &[
            ("name", Kind::Str),
            ("age", Kind::Int),
            ("score", Kind::Float),
            ("verified", Kind::Bool),
            ("country", Kind::Str),
        ],
    ),
    (
        "Organization",
        &[
            ("name", Kind::Str),
            ("founded", Kind::Int),
            ("score", Kind::Float),
            ("public", Kind::Bool),
            ("sector", Kind::Str),
        ],
    ),
    (
        "Place",
        &[
            ("name", Kind::Str),
            ("population", Kind::Int),
            ("score", Kind::Float),
            ("capital", Kind::Bool),
            ("kind", Kind::Str),
        ],
    ),
    (
        "Event",
        &[
            ("name", Kind::Str),
            ("year", Kind::Int),
            ("score", Kind::Float),
            ("ongoing", Kind::Bool),
            ("kind", Kind::Str),
        ],
    ),
    (
        "Article",
        &[
            ("name", Kind::Str),
            ("words", Kind::Int),
            ("score", Kind::Float),
            ("paywalled", Kind::Bool),
            ("section", Kind::Str),
            ("published", Kind::Str),
        ],
    ),
    (
        "Quote",
        &[
            ("name", Kind::Str),
            ("length", Kind::Int),
            ("score", Kind::Float),
            ("verified", Kind::Bool),
            ("text", Kind::Str),
        ],
    ),
];

/// Nodes per relationship, per label (sum 0.255).
const NODE_SHARE: [f64; 6] = [0.07, 0.025, 0.015, 0.025, 0.04, 0.08];

const MENTIONS_SCHEMA: Schema = &[("weight", Kind::Float), ("sentence", Kind::Int)];
const SAID_SCHEMA: Schema = &[("date", Kind::Str), ("via", Kind::Str)];
const WORKS_FOR_SCHEMA: Schema = &[("since", Kind::Int), ("role", Kind::Str)];
const LOCATED_IN_SCHEMA: Schema = &[];
const PARTICIPATED_IN_SCHEMA: Schema = &[("role", Kind::Str)];
const MET_WITH_SCHEMA: Schema = &[("year", Kind::Int)];

/// Share of all relationships per type; MENTIONS takes the rest.
const SAID_SHARE: f64 = 0.08;
const WORKS_FOR_SHARE: f64 = 0.06;
const LOCATED_IN_SHARE: f64 = 0.06;
const PARTICIPATED_IN_SHARE: f64 = 0.10;
const MET_WITH_SHARE: f64 = 0.15;

/// Share of MET_WITH relationships answered by one in the other direction.
const RECIPROCAL: f64 = 0.3;

/// Target labels of MENTIONS, with their weights.
const MENTION_TARGETS: [(usize, f64); 6] = [
    (PERSON, 0.40),
    (ORGANIZATION, 0.20),
    (PLACE, 0.15),
    (EVENT, 0.10),
    (QUOTE, 0.10),
    (ARTICLE, 0.05),
];

const COUNTRIES: &[&str] = &[
    "Ukraine",
    "Russia",
    "United States",
    "Norway",
    "Poland",
    "Germany",
    "France",
    "Turkey",
    "Brazil",
    "Japan",
    "India",
    "Nigeria",
];
const SECTORS: &[&str] = &[
    "government",
    "energy",
    "media",
    "defence",
    "finance",
    "health",
    "transport",
    "charity",
];
const PLACE_KINDS: &[&str] = &["city", "city", "city", "region", "country", "district"];
const EVENT_KINDS: &[&str] = &[
    "meeting", "attack", "election", "protest", "disaster", "talks",
];
const SECTIONS: &[&str] = &[
    "world", "politics", "business", "europe", "analysis", "live",
];
const ROLES: &[&str] = &[
    "adviser",
    "minister",
    "spokesperson",
    "head",
    "envoy",
    "analyst",
];
const EVENT_ROLES: &[&str] = &["host", "guest", "speaker", "witness", "organiser"];
const VIA: &[&str] = &["interview", "statement", "social media", "press conference"];

/// A generated news graph, held as rows before it becomes a [`Graph`] or
/// CSV files.
#[derive(Clone, Debug)]
pub struct NewsData {
    /// Node blocks in id order: Person, Organization, Place, Event,
    /// Article, Quote.
    pub nodes: Vec<NodeBlock>,
    /// Relationship blocks: MENTIONS, SAID, WORKS_FOR, LOCATED_IN,
    /// PARTICIPATED_IN, MET_WITH.
    pub rels: Vec<RelBlock>,
    /// The seed it was generated from.
    pub seed: u64,
}

fn date(rng: &mut Rng) -> Value {
    Value::from(format!(
        "2025-{:02}-{:02}",
        rng.between(1, 12),
        rng.between(1, 28)
    ))
}

fn quote_text(rng: &mut Rng) -> String {
    let n = rng.between(5, 16);
    let words: Vec<&str> = (0..n).map(|_| rng.pick(names::WORDS)).collect();
    words.join(" ")
}

/// The properties of the `i`-th node of `label`, in schema order.
fn node_row(label: usize, i: u64, rng: &mut Rng) -> Vec<Value> {
    let score = Value::Float(rng.milli());
    match label {
        PERSON => vec![
            Value::from(names::person(i)),
            Value::Int(rng.between(18, 90)),
            score,
            Value::Bool(rng.chance(0.2)),
            Value::from(rng.pick(COUNTRIES)),
        ],
        ORGANIZATION => vec![
            Value::from(names::organization(i)),
            Value::Int(rng.between(1900, 2025)),
            score,
            Value::Bool(rng.chance(0.3)),
            Value::from(rng.pick(SECTORS)),
        ],
        PLACE => vec![
            Value::from(names::place(i)),
            Value::Int(rng.between(100, 5_000_000)),
            score,
            Value::Bool(rng.chance(0.05)),
            Value::from(rng.pick(PLACE_KINDS)),
        ],
        EVENT => vec![
            Value::from(names::event(i)),
            Value::Int(rng.between(2014, 2025)),
            score,
            Value::Bool(rng.chance(0.1)),
            Value::from(rng.pick(EVENT_KINDS)),
        ],
        ARTICLE => vec![
            Value::from(names::article(i)),
            Value::Int(rng.between(150, 3000)),
            score,
            Value::Bool(rng.chance(0.25)),
            Value::from(rng.pick(SECTIONS)),
            date(rng),
        ],
        _ => {
            let text = quote_text(rng);
            vec![
                Value::from(names::quote(i)),
                Value::Int(text.len() as i64),
                score,
                Value::Bool(rng.chance(0.6)),
                Value::from(text),
            ]
        }
    }
}

/// Rounds `total * share`, never below `min`.
fn share(total: u64, part: f64, min: u64) -> u64 {
    ((total as f64 * part).round() as u64).max(min)
}

/// Draws relationships into a block and keeps the total within budget.
struct Builder {
    rng: Rng,
    first_id: [u64; 6],
    counts: [u64; 6],
    popularity: Vec<Zipf>,
}

impl Builder {
    fn id(&self, label: usize, index: u32) -> u64 {
        self.first_id[label] + u64::from(index)
    }

    /// A node of `label`, drawn by popularity.
    fn popular(&mut self, label: usize) -> u64 {
        let i = self.popularity[label].sample(&mut self.rng);
        self.id(label, i)
    }

    /// A node of `label`, drawn uniformly.
    fn uniform(&mut self, label: usize) -> u64 {
        let i = self.rng.below(self.counts[label]) as u32;
        self.id(label, i)
    }
}

impl NewsData {
    /// Generates the graph with exactly `rels` relationships.
    pub fn generate(rels: u64, seed: u64) -> NewsData {
        let mut rng = Rng::new(seed);
        let said = share(rels, SAID_SHARE, 0);
        let mut counts = [0u64; 6];
        for (label, c) in counts.iter_mut().enumerate() {
            *c = share(rels, NODE_SHARE[label], 1);
        }
        // Every quote has a speaker, so quotes are as many as SAID rows.
        counts[QUOTE] = said.max(1);
        // Persons need a partner to meet.
        counts[PERSON] = counts[PERSON].max(2);
        let mut first_id = [0u64; 6];
        let mut next = 0;
        for (label, first) in first_id.iter_mut().enumerate() {
            *first = next;
            next += counts[label];
        }

        let nodes: Vec<NodeBlock> = LABELS
            .iter()
            .enumerate()
            .map(|(label, &(name, schema))| NodeBlock {
                label: name,
                schema,
                first_id: first_id[label],
                rows: (0..counts[label])
                    .map(|i| node_row(label, i, &mut rng))
                    .collect(),
            })
            .collect();

        let popularity = counts
            .iter()
            .map(|&n| Zipf::new(rng.permutation(n as usize), 1.0))
            .collect();
        let mut b = Builder {
            rng,
            first_id,
            counts,
            popularity,
        };

        let budget = |part: f64| share(rels, part, 0);
        let said_rows = build_said(&mut b, said);
        let works_rows = build_works_for(&mut b, budget(WORKS_FOR_SHARE));
        let located_rows = build_located_in(&mut b, budget(LOCATED_IN_SHARE));
        let part_rows = build_participated_in(&mut b, budget(PARTICIPATED_IN_SHARE));
        let met_rows = build_met_with(&mut b, budget(MET_WITH_SHARE));
        let used = (said_rows.len()
            + works_rows.len()
            + located_rows.len()
            + part_rows.len()
            + met_rows.len()) as u64;
        // Small sizes round up; trim the last types so the total is exact.
        let mentions = rels.saturating_sub(used);
        let mention_rows = build_mentions(&mut b, mentions);
        let mut blocks = vec![
            RelBlock {
                rel_type: "MENTIONS",
                schema: MENTIONS_SCHEMA,
                rows: mention_rows,
            },
            RelBlock {
                rel_type: "SAID",
                schema: SAID_SCHEMA,
                rows: said_rows,
            },
            RelBlock {
                rel_type: "WORKS_FOR",
                schema: WORKS_FOR_SCHEMA,
                rows: works_rows,
            },
            RelBlock {
                rel_type: "LOCATED_IN",
                schema: LOCATED_IN_SCHEMA,
                rows: located_rows,
            },
            RelBlock {
                rel_type: "PARTICIPATED_IN",
                schema: PARTICIPATED_IN_SCHEMA,
                rows: part_rows,
            },
            RelBlock {
                rel_type: "MET_WITH",
                schema: MET_WITH_SCHEMA,
                rows: met_rows,
            },
        ];
        let mut excess = blocks.iter().map(|b| b.rows.len() as u64).sum::<u64>();
        excess = excess.saturating_sub(rels);
        for block in blocks.iter_mut().rev() {
            let cut = excess.min(block.rows.len() as u64);
            block.rows.truncate(block.rows.len() - cut as usize);
            excess -= cut;
        }
        NewsData {
            nodes,
            rels: blocks,
            seed,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> u64 {
        self.nodes.iter().map(|b| b.rows.len() as u64).sum()
    }

    /// Number of relationships.
    pub fn rel_count(&self) -> u64 {
        self.rels.iter().map(|b| b.rows.len() as u64).sum()
    }

    /// The label block and row index of a global id.
    pub fn locate(&self, id: u64) -> Option<(&NodeBlock, usize)> {
        self.nodes.iter().find_map(|b| {
            let i = id.checked_sub(b.first_id)?;
            (i < b.rows.len() as u64).then_some((b, i as usize))
        })
    }

    /// The `name` of the node with global id `id`.
    pub fn name_of(&self, id: u64) -> Option<&str> {
        let (block, i) = self.locate(id)?;
        match block.rows[i].first() {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// Builds the graph in memory. Node ids are the CSV `:ID`s, since
    /// both are assigned in the same order from 0.
    pub fn to_graph(&self) -> Graph {
        let mut graph = Graph::new();
        for block in &self.nodes {
            for row in &block.rows {
                let props = block
                    .schema
                    .iter()
                    .zip(row)
                    .map(|(&(key, _), v)| (key, v.clone()));
                graph.add_node([block.label], props);
            }
        }
        for block in &self.rels {
            for row in &block.rows {
                let props = block
                    .schema
                    .iter()
                    .zip(&row.props)
                    .map(|(&(key, _), v)| (key, v.clone()));
                // Endpoints are ids just created above, so this cannot fail.
                let added =
                    graph.add_rel(NodeId(row.start), NodeId(row.end), block.rel_type, props);
                debug_assert!(added.is_ok(), "generated endpoint missing");
            }
        }
        graph.finish_bulk_load();
        graph
    }

    /// Writes the graph as a neo4j-admin import directory: one
    /// `nodes_<Label>.csv` per label (`:ID,name,age:int,...,:LABEL`) and
    /// one `rels_<TYPE>.csv` per type (`:START_ID,:END_ID,:TYPE,...`).
    /// Returns the files written.
    pub fn write_csv(&self, dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
        csv_out::write_dir(self, dir)
    }

    /// Writes `params.json` (size, seed, [`Landmarks`], id range and
    /// schema per label, count and schema per type) for harnesses.
    pub fn write_params(&self, path: &Path) -> std::io::Result<()> {
        csv_out::write_params(self, path)
    }

    /// Well-chosen nodes for the benchmark queries.
    pub fn landmarks(&self) -> Landmarks {
        landmarks::find(self)
    }
}

fn build_said(b: &mut Builder, n: u64) -> Vec<RelRow> {
    // Quote i is said by one person; popular people say the most.
    (0..n.min(b.counts[QUOTE]))
        .map(|q| {
            let start = b.popular(PERSON);
            let end = b.id(QUOTE, q as u32);
            let props = vec![date(&mut b.rng), Value::from(b.rng.pick(VIA))];
            RelRow { start, end, props }
        })
        .collect()
}

fn build_works_for(b: &mut Builder, n: u64) -> Vec<RelRow> {
    (0..n)
        .map(|_| {
            let start = b.uniform(PERSON);
            let end = b.popular(ORGANIZATION);
            let props = vec![
                Value::Int(b.rng.between(1990, 2025)),
                Value::from(b.rng.pick(ROLES)),
            ];
            RelRow { start, end, props }
        })
        .collect()
}

fn build_located_in(b: &mut Builder, n: u64) -> Vec<RelRow> {
    let sources = [ORGANIZATION, EVENT, PLACE];
    let mut rows = Vec::with_capacity(n as usize);
    while (rows.len() as u64) < n {
        let label = sources[b.rng.below(3) as usize];
        let start = b.uniform(label);
        let end = b.popular(PLACE);
        // A place inside itself is no fact; draw again.
        if start == end {
            continue;
        }
        rows.push(RelRow {
            start,
            end,
            props: Vec::new(),
        });
    }
    rows
}

fn build_participated_in(b: &mut Builder, n: u64) -> Vec<RelRow> {
    (0..n)
        .map(|_| {
            let start = b.popular(PERSON);
            let end = b.popular(EVENT);
            RelRow {
                start,
                end,
                props: vec![Value::from(b.rng.pick(EVENT_ROLES))],
            }
        })
        .collect()
}

fn build_met_with(b: &mut Builder, n: u64) -> Vec<RelRow> {
    // Parallel meetings (the same pair twice) are allowed on purpose: they
    // happen in the news, and they expose engines that merge parallel
    // relationships.
    let mut rows = Vec::with_capacity(n as usize);
    while (rows.len() as u64) < n {
        let a = b.popular(PERSON);
        let c = b.popular(PERSON);
        if a == c {
            continue;
        }
        let year = Value::Int(b.rng.between(2014, 2025));
        rows.push(RelRow {
            start: a,
            end: c,
            props: vec![year.clone()],
        });
        if (rows.len() as u64) < n && b.rng.chance(RECIPROCAL) {
            rows.push(RelRow {
                start: c,
                end: a,
                props: vec![year],
            });
        }
    }
    rows
}

fn build_mentions(b: &mut Builder, n: u64) -> Vec<RelRow> {
    // An article mentions an entity once: repeated draws of the same pair
    // are drawn again, so that MENTIONS has no parallel relationships.
    // Small graphs may run out of pairs; then a repeat is accepted.
    let weights: f64 = MENTION_TARGETS.iter().map(|&(_, w)| w).sum();
    let articles = Zipf::new(
        b.rng.permutation(b.counts[ARTICLE] as usize),
        // Article length varies less than entity fame.
        0.5,
    );
    let mut seen: HashSet<(u64, u64)> = HashSet::with_capacity(n as usize);
    let mut rows = Vec::with_capacity(n as usize);
    while (rows.len() as u64) < n {
        let mut pair = (0, 0);
        for _attempt in 0..32 {
            let article = articles.sample(&mut b.rng);
            let start = b.id(ARTICLE, article);
            let mut x = b.rng.unit() * weights;
            let mut label = PERSON;
            for &(l, w) in &MENTION_TARGETS {
                label = l;
                if x < w {
                    break;
                }
                x -= w;
            }
            let end = b.popular(label);
            pair = (start, end);
            if start != end && !seen.contains(&pair) {
                break;
            }
        }
        if pair.0 == pair.1 {
            // Only a one-article graph gets here: mention a person instead.
            pair.1 = b.id(PERSON, 0);
        }
        seen.insert(pair);
        rows.push(RelRow {
            start: pair.0,
            end: pair.1,
            props: vec![
                Value::Float(b.rng.milli()),
                Value::Int(b.rng.between(1, 60)),
            ],
        });
    }
    rows
}

/// The news graph with `rels` relationships, in memory.
pub fn news_graph(rels: u64, seed: u64) -> Graph {
    NewsData::generate(rels, seed).to_graph()
}

/// Writes the news graph with `rels` relationships as neo4j-admin CSV
/// files into `dir` (created if missing); returns the files written.
pub fn write_csv(rels: u64, seed: u64, dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    NewsData::generate(rels, seed).write_csv(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn generates_exactly_the_requested_number_of_relationships() {
        for rels in [0, 1, 7, 100, 10_000] {
            let data = NewsData::generate(rels, 1);
            assert_eq!(data.rel_count(), rels, "rels = {rels}");
        }
    }

    #[test]
    fn node_count_is_about_a_quarter_of_relationships() {
        let data = NewsData::generate(100_000, 42);
        let n = data.node_count();
        assert!((24_000..=27_000).contains(&n), "{n} nodes");
    }

    #[test]
    fn same_seed_gives_same_graph_and_another_seed_does_not() {
        let a = NewsData::generate(5_000, 9).to_graph();
        let b = NewsData::generate(5_000, 9).to_graph();
        let c = NewsData::generate(5_000, 10).to_graph();
        assert!(a.same_content(&b));
        assert!(!a.same_content(&c));
    }

    #[test]
    fn relationships_connect_the_labels_their_type_promises() {
        let data = NewsData::generate(20_000, 3);
        let label_of = |id: u64| data.locate(id).map(|(b, _)| b.label);
        for block in &data.rels {
            for row in &block.rows {
                let (s, e) = (label_of(row.start), label_of(row.end));
                let ok = match block.rel_type {
                    "MENTIONS" => s == Some("Article") && e.is_some(),
                    "SAID" => s == Some("Person") && e == Some("Quote"),
                    "WORKS_FOR" => s == Some("Person") && e == Some("Organization"),
                    "LOCATED_IN" => {
                        matches!(s, Some("Organization" | "Event" | "Place")) && e == Some("Place")
                    }
                    "PARTICIPATED_IN" => s == Some("Person") && e == Some("Event"),
                    "MET_WITH" => s == Some("Person") && e == Some("Person"),
                    other => panic!("unexpected type {other}"),
                };
                assert!(ok, "{} from {s:?} to {e:?}", block.rel_type);
                assert_ne!(row.start, row.end, "self-loop in {}", block.rel_type);
                assert_eq!(row.props.len(), block.schema.len());
            }
        }
    }

    #[test]
    fn mentions_have_no_parallel_relationships_but_meetings_repeat_some_pairs() {
        let data = NewsData::generate(50_000, 42);
        let mentions = &data.rels[0];
        let pairs: HashSet<(u64, u64)> = mentions.rows.iter().map(|r| (r.start, r.end)).collect();
        assert_eq!(pairs.len(), mentions.rows.len());
        let met = &data.rels[5];
        let pairs: HashSet<(u64, u64)> = met.rows.iter().map(|r| (r.start, r.end)).collect();
        assert!(pairs.len() < met.rows.len());
        let reciprocal = met
            .rows
            .iter()
            .filter(|r| pairs.contains(&(r.end, r.start)))
            .count();
        assert!(reciprocal * 5 > met.rows.len(), "{reciprocal} reciprocal");
    }

    #[test]
    fn degrees_follow_a_heavy_tail_with_hubs() {
        let data = NewsData::generate(100_000, 42);
        let mut degree: HashMap<u64, u64> = HashMap::new();
        for row in data.rels.iter().flat_map(|b| &b.rows) {
            *degree.entry(row.start).or_default() += 1;
            *degree.entry(row.end).or_default() += 1;
        }
        let mut d: Vec<u64> = degree.into_values().collect();
        d.sort_unstable_by(|a, b| b.cmp(a));
        let median = d[d.len() / 2];
        assert!(d[0] > 1_000, "top degree {}", d[0]);
        assert!(d[0] > 200 * median, "top {} median {median}", d[0]);
    }

    #[test]
    fn names_are_unique_within_each_label_and_properties_are_typed() {
        let data = NewsData::generate(30_000, 42);
        for block in &data.nodes {
            let names: HashSet<String> = block.rows.iter().map(|r| r[0].to_string()).collect();
            assert_eq!(names.len(), block.rows.len(), "{}", block.label);
            for row in &block.rows {
                for (&(key, kind), v) in block.schema.iter().zip(row) {
                    let ok = matches!(
                        (kind, v),
                        (Kind::Str, Value::String(_))
                            | (Kind::Int, Value::Int(_))
                            | (Kind::Float, Value::Float(_))
                            | (Kind::Bool, Value::Bool(_))
                    );
                    assert!(ok, "{}.{key} = {v:?}", block.label);
                }
            }
        }
    }

    #[test]
    fn graph_holds_every_label_and_type_with_ids_matching_the_rows() {
        let data = NewsData::generate(10_000, 42);
        let graph = data.to_graph();
        for block in &data.nodes {
            assert_eq!(graph.label_count(block.label), block.rows.len());
            let id = NodeId(block.first_id);
            let node = graph.node(id).expect("first node exists");
            assert_eq!(node.property("name"), block.rows[0].first());
        }
        for block in &data.rels {
            assert_eq!(graph.type_count(block.rel_type), block.rows.len());
        }
    }
}
