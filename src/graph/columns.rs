//! [`NodeColumns`]: the properties most nodes carry, laid out one column
//! per key, and each node's label set, for scans over every node.
//!
//! A node record keeps its values together (see the store's `Props`): one
//! allocation per node, and the text of each string in another. A scan
//! that reads one key of every node (`WHERE n.name CONTAINS 'ova'`,
//! `avg(n.score)` per label) then pulls in the record, the node's whole
//! value slice and the string's own allocation: about 200 bytes per node
//! for the 8 to 20 it needs. Column stores read only the column. This
//! table keeps, for each key that at least half of the nodes carry, every
//! node's value by node id: numbers in 8 bytes, strings as bytes back to
//! back; and every node's label set in 4 bytes.
//!
//! It is built once after a bulk load ([`crate::graph::Graph::finish_bulk_load`])
//! and never rebuilt by writes: a write to a node's labels or properties,
//! or its deletion, turns all its cells into [`Cell::Record`] ("read the
//! record"), so a column never speaks for a node it no longer describes.
//! Nodes added later lie beyond the columns and read as `Record` too.

use super::symbols::Symbol;
use super::value::{NodeId, Value};

/// A node's value in a [`Column`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell<'a> {
    /// The node lacks the property.
    Absent,
    /// An integer value.
    Int(i64),
    /// A float value.
    Float(f64),
    /// A boolean value.
    Bool(bool),
    /// A string value, as its UTF-8 bytes.
    Text(&'a [u8]),
    /// The column does not speak for this node: read its record (it
    /// changed since the build, its value is of a kind the column does not
    /// hold, or the column does not reach it).
    Record,
}

impl Cell<'_> {
    /// The cell as the value a record would hold, for every cell but text
    /// and `Record` (whose values would need an allocation or a record).
    #[inline]
    pub(crate) fn scalar(self) -> Option<Value> {
        Some(match self {
            Cell::Absent => Value::Null,
            Cell::Int(i) => Value::Int(i),
            Cell::Float(f) => Value::Float(f),
            Cell::Bool(b) => Value::Bool(b),
            Cell::Text(_) | Cell::Record => return None,
        })
    }
}

/// What a cell holds, one byte per node.
mod kind {
    pub const ABSENT: u8 = 0;
    pub const INT: u8 = 1;
    pub const FLOAT: u8 = 2;
    pub const BOOL: u8 = 3;
    pub const TEXT: u8 = 4;
    pub const RECORD: u8 = 5;
}

/// The values of one key, by node id: cell `i` is node `base + i`'s.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    /// The first node id the column covers (0 for text columns).
    base: usize,
    /// Per cell, what it holds (see [`kind`]).
    kinds: Vec<u8>,
    data: Data,
}

#[derive(Clone, Debug)]
enum Data {
    /// Integers and float bits, 8 bytes each.
    Numbers(Vec<u64>),
    /// Booleans, one bit each.
    Bools(Vec<u64>),
    /// Node `i`'s text is `bytes[starts[i]..starts[i + 1]]` (empty for a
    /// node whose cell holds no text), and `ranks[i]` its place in the
    /// sorted order of the column's distinct texts: two texts compare as
    /// their ranks do, so `p1.name < p2.name` compares two integers.
    Text {
        starts: Vec<u32>,
        bytes: Vec<u8>,
        ranks: Vec<u32>,
    },
}

impl Column {
    /// Node `id`'s cell.
    #[inline]
    pub(crate) fn cell(&self, id: NodeId) -> Cell<'_> {
        let i = (id.0 as usize).wrapping_sub(self.base);
        let Some(&k) = self.kinds.get(i) else {
            return Cell::Record;
        };
        match (&self.data, k) {
            (_, kind::ABSENT) => Cell::Absent,
            (Data::Numbers(v), kind::INT) => Cell::Int(v[i] as i64),
            (Data::Numbers(v), kind::FLOAT) => Cell::Float(f64::from_bits(v[i])),
            (Data::Bools(bits), kind::BOOL) => Cell::Bool(bits[i / 64] >> (i % 64) & 1 == 1),
            (Data::Text { starts, bytes, .. }, kind::TEXT) => {
                Cell::Text(&bytes[starts[i] as usize..starts[i + 1] as usize])
            }
            _ => Cell::Record,
        }
    }

    /// Node `id`'s rank among the column's texts (see [`Data::Text`]), or
    /// `None` when its cell holds no text.
    #[inline]
    pub(crate) fn text_rank(&self, id: NodeId) -> Option<u32> {
        // Text columns start at id 0.
        let i = id.0 as usize;
        match &self.data {
            Data::Text { ranks, .. } if self.kinds.get(i) == Some(&kind::TEXT) => Some(ranks[i]),
            _ => None,
        }
    }

    /// Counts the nodes with ids in `ids` whose text contains the
    /// non-empty needle of `finder`, searching the column's texts end to
    /// end (one pass of a vector searcher instead of a call per node);
    /// the ids whose cells read [`Cell::Record`] (and those beyond the
    /// column) are pushed to `records` for the caller to test. `None` for
    /// a column without text or an empty needle.
    pub(crate) fn count_texts_containing(
        &self,
        ids: std::ops::Range<u64>,
        finder: &memchr::memmem::Finder<'_>,
        records: &mut Vec<NodeId>,
    ) -> Option<u64> {
        let Data::Text { starts, bytes, .. } = &self.data else {
            return None;
        };
        let needle = finder.needle().len();
        if needle == 0 {
            return None;
        }
        let lo = (ids.start as usize).min(self.kinds.len());
        let hi = (ids.end as usize).min(self.kinds.len());
        records.extend(((self.kinds.len() as u64).max(ids.start)..ids.end).map(NodeId));
        records.extend(
            memchr::memchr_iter(kind::RECORD, &self.kinds[lo..hi]).map(|i| NodeId((lo + i) as u64)),
        );
        let (base, end) = (starts[lo] as usize, starts[hi] as usize);
        let mut count = 0;
        let mut from = base;
        while let Some(off) = finder.find(&bytes[from..end]) {
            let at = from + off;
            // The node whose text holds the match's first byte.
            let i = lo + starts[lo..=hi].partition_point(|&s| s as usize <= at) - 1;
            let node_end = starts[i + 1] as usize;
            if self.kinds[i] == kind::TEXT && at + needle <= node_end {
                count += 1;
            }
            // Counted once; or the match runs into the next text (so would
            // any later one starting in this text), or this text is stale.
            from = node_end;
        }
        Some(count)
    }

    fn bytes(&self) -> usize {
        self.kinds.len()
            + match &self.data {
                Data::Numbers(v) | Data::Bools(v) => v.len() * 8,
                Data::Text {
                    starts,
                    bytes,
                    ranks,
                } => (starts.len() + ranks.len()) * 4 + bytes.len(),
            }
    }
}

/// Each text cell's rank in the sorted order of the distinct texts (0 for
/// cells without text).
fn text_ranks(kinds: &[u8], starts: &[u32], bytes: &[u8]) -> Vec<u32> {
    let text = |i: u32| &bytes[starts[i as usize] as usize..starts[i as usize + 1] as usize];
    // Sorted by the first eight bytes first (big-endian, so that integers
    // order as the bytes do), which settles most comparisons without
    // reading the texts.
    let prefix = |i: u32| {
        let t = text(i);
        let mut head = [0u8; 8];
        let n = t.len().min(8);
        head[..n].copy_from_slice(&t[..n]);
        u64::from_be_bytes(head)
    };
    let mut order: Vec<(u64, u32)> = (0..kinds.len() as u32)
        .filter(|&i| kinds[i as usize] == kind::TEXT)
        .map(|i| (prefix(i), i))
        .collect();
    order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| text(a.1).cmp(text(b.1))));
    let mut ranks = vec![0u32; kinds.len()];
    let mut rank = 0u32;
    for (k, &(_, i)) in order.iter().enumerate() {
        if k > 0 && text(order[k - 1].1) != text(i) {
            rank += 1;
        }
        ranks[i as usize] = rank;
    }
    ranks
}

/// A node to [`NodeColumns::build`]: its id, its label set and its
/// properties.
pub(crate) type NodeRow<'a, P> = (NodeId, u32, P);

/// The label set number of a node the table does not speak for.
const NO_LABEL_SET: u32 = u32::MAX;

/// Every column, and the label sets; see the module doc.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeColumns {
    /// Per node id, its label set ([`NO_LABEL_SET`]: read the record).
    label_sets: Vec<u32>,
    /// The columns, by key; few, so a list.
    columns: Vec<(Symbol, Column)>,
}

/// Per key while building: how many values of each family it has, and
/// the ids of the first and last node that carries it.
#[derive(Clone, Copy, Default)]
struct Tally {
    numbers: usize,
    bools: usize,
    texts: usize,
    text_bytes: usize,
    /// Nodes that carry the key, whatever its value.
    carriers: usize,
    first: usize,
    last: usize,
}

impl NodeColumns {
    /// Builds the table for the nodes `rows()` lists in ascending id order
    /// (called twice: once to count, once to fill), whose ids are below
    /// `id_bound`; rows out of order give an empty table. A key gets a
    /// column when at least half of the nodes carry it; its family
    /// (numbers, booleans or strings) is that of most of its values, and a
    /// value of another family reads as [`Cell::Record`]. A key of numbers
    /// or booleans also gets one when at least half of the nodes between
    /// the first and the last that carry it do (a label's key, after a
    /// load that gives each label's nodes consecutive ids): its column
    /// covers only those ids, a few bytes per node of the label.
    pub(crate) fn build<'a, P, I>(id_bound: usize, rows: impl Fn() -> I) -> NodeColumns
    where
        P: Iterator<Item = (Symbol, &'a Value)>,
        I: Iterator<Item = NodeRow<'a, P>>,
    {
        let mut tallies: Vec<Tally> = Vec::new();
        let mut nodes = 0usize;
        // Texts are appended as the rows come, so they must come in id
        // order.
        let mut ascending = true;
        let mut last: Option<NodeId> = None;
        for (id, _, props) in rows() {
            nodes += 1;
            ascending &= last.is_none_or(|l| l < id);
            last = Some(id);
            for (k, v) in props {
                let i = k.0 as usize;
                if tallies.len() <= i {
                    tallies.resize(i + 1, Tally::default());
                }
                let t = &mut tallies[i];
                if t.carriers == 0 {
                    t.first = id.0 as usize;
                }
                t.carriers += 1;
                t.last = id.0 as usize;
                match v {
                    Value::Int(_) | Value::Float(_) => t.numbers += 1,
                    Value::Bool(_) => t.bools += 1,
                    Value::String(s) => {
                        t.texts += 1;
                        t.text_bytes += s.len();
                    }
                    _ => {}
                }
            }
        }
        if !ascending {
            return NodeColumns::default();
        }
        let mut columns = Vec::new();
        for (k, t) in tallies.iter().enumerate() {
            let carried = t.numbers + t.bools + t.texts;
            let most = t.numbers.max(t.bools).max(t.texts);
            let common = carried * 2 >= nodes;
            let dense = carried * 2 > t.last.saturating_sub(t.first);
            if most == 0 || !(common || (dense && most != t.texts)) {
                continue;
            }
            // A key most nodes carry spans every id (text columns are
            // searched end to end by id); the others only the ids of their
            // carriers.
            let (base, len) = if common {
                (0, id_bound)
            } else {
                (t.first, t.last + 1 - t.first)
            };
            let data = if most == t.texts {
                // Offsets are 4 bytes: a larger text column is not built.
                if u32::try_from(t.text_bytes).is_err() {
                    continue;
                }
                Data::Text {
                    starts: Vec::with_capacity(id_bound + 1),
                    bytes: Vec::with_capacity(t.text_bytes),
                    ranks: Vec::new(),
                }
            } else if most == t.numbers {
                Data::Numbers(vec![0; len])
            } else {
                Data::Bools(vec![0; len.div_ceil(64)])
            };
            let column = Column {
                base,
                kinds: vec![kind::RECORD; len],
                data,
            };
            columns.push((Symbol(k as u32), column));
        }
        let mut label_sets = vec![NO_LABEL_SET; id_bound];
        for (id, labels, props) in rows() {
            let n = id.0 as usize;
            label_sets[n] = labels;
            for (_, c) in &mut columns {
                if let Some(k) = c.kinds.get_mut(n.wrapping_sub(c.base)) {
                    *k = kind::ABSENT;
                }
                if let Data::Text { starts, bytes, .. } = &mut c.data {
                    // Nodes without text up to this one start and end here.
                    starts.resize(n + 1, bytes.len() as u32);
                }
            }
            for (k, v) in props {
                let Some(c) = columns.iter().position(|(key, _)| *key == k) else {
                    continue;
                };
                let column = &mut columns[c].1;
                // Every carrier lies in its column's range.
                let Some(i) = n
                    .checked_sub(column.base)
                    .filter(|&i| i < column.kinds.len())
                else {
                    continue;
                };
                column.kinds[i] = match (v, &mut column.data) {
                    (Value::Int(x), Data::Numbers(v)) => {
                        v[i] = *x as u64;
                        kind::INT
                    }
                    (Value::Float(f), Data::Numbers(v)) => {
                        v[i] = f.to_bits();
                        kind::FLOAT
                    }
                    (Value::Bool(b), Data::Bools(bits)) => {
                        bits[i / 64] |= u64::from(*b) << (i % 64);
                        kind::BOOL
                    }
                    (Value::String(s), Data::Text { bytes, .. }) => {
                        bytes.extend_from_slice(s.as_bytes());
                        kind::TEXT
                    }
                    _ => kind::RECORD,
                };
            }
        }
        for (_, column) in &mut columns {
            if let Data::Text {
                starts,
                bytes,
                ranks,
            } = &mut column.data
            {
                starts.resize(id_bound + 1, bytes.len() as u32);
                *ranks = text_ranks(&column.kinds, starts, bytes);
            }
        }
        NodeColumns {
            label_sets,
            columns,
        }
    }

    /// The column of `key`, if it has one.
    #[inline]
    pub(crate) fn column(&self, key: Symbol) -> Option<&Column> {
        self.columns
            .iter()
            .find_map(|(k, c)| (*k == key).then_some(c))
    }

    /// Node `id`'s label set number (as the store numbers them), or `None`
    /// when the table does not speak for it.
    #[inline]
    pub(crate) fn label_set(&self, id: NodeId) -> Option<u32> {
        self.label_sets
            .get(id.0 as usize)
            .copied()
            .filter(|&l| l != NO_LABEL_SET)
    }

    /// Node `id`'s labels or properties changed, or it was deleted: the
    /// table no longer speaks for it.
    pub(crate) fn mark_changed(&mut self, id: NodeId) {
        let i = id.0 as usize;
        if let Some(l) = self.label_sets.get_mut(i) {
            *l = NO_LABEL_SET;
        }
        for (_, c) in &mut self.columns {
            if let Some(k) = c.kinds.get_mut(i.wrapping_sub(c.base)) {
                *k = kind::RECORD;
            }
        }
    }

    /// The keys that have a column.
    pub(crate) fn keys(&self) -> impl Iterator<Item = Symbol> + '_ {
        self.columns.iter().map(|(k, _)| *k)
    }

    /// The table's size in bytes (its vectors' contents).
    pub(crate) fn bytes(&self) -> usize {
        self.label_sets.len() * 4 + self.columns.iter().map(|(_, c)| c.bytes()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    /// A node's id, label set and properties.
    type Row = (NodeId, u32, Vec<(Symbol, Value)>);

    /// Three nodes with a name, two with a score (one an integer), one with
    /// a rare key; node 1 is missing (a gap in the ids).
    fn sample() -> Vec<Row> {
        let (name, score, rare) = (Symbol(1), Symbol(2), Symbol(3));
        vec![
            (
                NodeId(0),
                7,
                vec![(name, s("Ada")), (score, Value::Float(0.5)), (rare, s("x"))],
            ),
            (NodeId(2), 8, vec![(name, s("Bo")), (score, Value::Int(3))]),
            (NodeId(3), 7, vec![(name, Value::Int(9))]),
        ]
    }

    fn build(rows: &[Row]) -> NodeColumns {
        build_n(rows, 4)
    }

    fn build_n(rows: &[Row], id_bound: usize) -> NodeColumns {
        NodeColumns::build(id_bound, || {
            rows.iter()
                .map(|(id, l, props)| (*id, *l, props.iter().map(|(k, v)| (*k, v))))
        })
    }

    #[test]
    fn columns_hold_what_the_records_hold() {
        let rows = sample();
        let cols = build(&rows);
        let mut keys: Vec<Symbol> = cols.keys().collect();
        keys.sort();
        // `rare` is on one node of three: no column.
        assert_eq!(keys, vec![Symbol(1), Symbol(2)]);
        let name = cols.column(Symbol(1)).unwrap();
        assert_eq!(name.cell(NodeId(0)), Cell::Text(b"Ada"));
        assert_eq!(name.cell(NodeId(2)), Cell::Text(b"Bo"));
        // An integer in a text column is read from the record.
        assert_eq!(name.cell(NodeId(3)), Cell::Record);
        // No node 1, and nothing beyond the build.
        assert_eq!(name.cell(NodeId(1)), Cell::Record);
        assert_eq!(name.cell(NodeId(4)), Cell::Record);
        let score = cols.column(Symbol(2)).unwrap();
        assert_eq!(score.cell(NodeId(0)), Cell::Float(0.5));
        assert_eq!(score.cell(NodeId(2)), Cell::Int(3));
        assert_eq!(score.cell(NodeId(3)), Cell::Absent);
        assert_eq!(score.cell(NodeId(3)).scalar(), Some(Value::Null));
        assert_eq!(cols.label_set(NodeId(2)), Some(8));
        assert_eq!(cols.label_set(NodeId(1)), None);
    }

    #[test]
    fn text_ranks_order_as_the_texts_do() {
        let name = Symbol(1);
        // Shared eight-byte prefixes, an empty text, a repeat, and
        // multi-byte characters.
        let texts = [
            "abcdefgh2",
            "abcdefgh10",
            "",
            "abc",
            "ABC",
            "é",
            "abc",
            "abcdefgh",
        ];
        let rows: Vec<Row> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (NodeId(i as u64), 0, vec![(name, s(t))]))
            .collect();
        let cols = NodeColumns::build(texts.len(), || {
            rows.iter()
                .map(|(id, l, props)| (*id, *l, props.iter().map(|(k, v)| (*k, v))))
        });
        let column = cols.column(name).unwrap();
        for (i, a) in texts.iter().enumerate() {
            for (j, b) in texts.iter().enumerate() {
                let (ra, rb) = (
                    column.text_rank(NodeId(i as u64)).unwrap(),
                    column.text_rank(NodeId(j as u64)).unwrap(),
                );
                assert_eq!(ra.cmp(&rb), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn texts_searched_end_to_end_count_each_containing_node_once() {
        let name = Symbol(1);
        // "ab|ova|xo|va|ovaova|" with an integer, a missing node and an
        // empty text between: "xo" + "va" must not count as one match.
        let values = [
            s("ab"),
            s("ova"),
            s("xo"),
            s("va"),
            s("ovaova"),
            Value::Int(3),
            s(""),
        ];
        let mut rows: Vec<Row> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (NodeId(i as u64), 0, vec![(name, v.clone())]))
            .collect();
        rows.remove(5);
        let mut cols = NodeColumns::build(values.len(), || {
            rows.iter()
                .map(|(id, l, props)| (*id, *l, props.iter().map(|(k, v)| (*k, v))))
        });
        let column = cols.column(name).unwrap();
        let finder = memchr::memmem::Finder::new("ova");
        let mut records = Vec::new();
        assert_eq!(
            column.count_texts_containing(0..9, &finder, &mut records),
            Some(2)
        );
        // Node 5 was never built, 7 and 8 lie beyond: their records decide.
        assert_eq!(records, vec![NodeId(7), NodeId(8), NodeId(5)]);
        records.clear();
        assert_eq!(
            column.count_texts_containing(2..4, &finder, &mut records),
            Some(0)
        );
        assert_eq!(
            column.count_texts_containing(4..5, &finder, &mut records),
            Some(1)
        );
        assert!(records.is_empty());
        let nothing = memchr::memmem::Finder::new("");
        assert_eq!(
            column.count_texts_containing(0..7, &nothing, &mut records),
            None
        );
        // A changed node is left to its record, its old text not counted.
        cols.mark_changed(NodeId(1));
        let column = cols.column(name).unwrap();
        assert_eq!(
            column.count_texts_containing(0..7, &finder, &mut records),
            Some(1)
        );
        assert_eq!(records, vec![NodeId(1), NodeId(5)]);
    }

    #[test]
    fn a_key_dense_in_its_ids_has_a_column_over_them_only() {
        let (name, age, motto) = (Symbol(1), Symbol(2), Symbol(3));
        // Nodes 0..10 have names; 6..9 (a label's) ages and mottos, 7 an
        // age of the other family.
        let rows: Vec<Row> = (0..10u64)
            .map(|i| {
                let mut props = vec![(name, s(&format!("n{i}")))];
                match i {
                    6 | 8 => props.push((age, Value::Int(i as i64 * 10))),
                    7 => props.push((age, s("old"))),
                    _ => {}
                }
                if (6..9).contains(&i) {
                    props.push((motto, s("carpe diem")));
                }
                (NodeId(i), 0, props)
            })
            .collect();
        let mut cols = build_n(&rows, 10);
        let mut keys: Vec<Symbol> = cols.keys().collect();
        keys.sort();
        // Strings get a column only when most nodes carry them.
        assert_eq!(keys, vec![name, age]);
        let column = cols.column(age).unwrap();
        assert_eq!(column.cell(NodeId(6)), Cell::Int(60));
        assert_eq!(column.cell(NodeId(7)), Cell::Record);
        assert_eq!(column.cell(NodeId(8)), Cell::Int(80));
        // Outside the carriers' ids: the record.
        assert_eq!(column.cell(NodeId(5)), Cell::Record);
        assert_eq!(column.cell(NodeId(9)), Cell::Record);
        assert_eq!(column.cell(NodeId(0)), Cell::Record);
        cols.mark_changed(NodeId(8));
        cols.mark_changed(NodeId(2));
        let column = cols.column(age).unwrap();
        assert_eq!(column.cell(NodeId(8)), Cell::Record);
        assert_eq!(column.cell(NodeId(6)), Cell::Int(60));
    }

    #[test]
    fn a_carrier_of_another_kind_before_the_first_number_is_left_to_its_record() {
        let age = Symbol(2);
        // Node 0 holds a list, 1 and 2 numbers: the column must still
        // cover node 0 (or leave it out), never mistake its place.
        let rows: Vec<Row> = vec![
            (NodeId(0), 0, vec![(age, Value::List(vec![Value::Int(1)]))]),
            (NodeId(1), 0, vec![(age, Value::Int(5))]),
            (NodeId(2), 0, vec![(age, Value::Int(6))]),
        ];
        let cols = build_n(&rows, 3);
        let column = cols.column(age).unwrap();
        assert_eq!(column.cell(NodeId(0)), Cell::Record);
        assert_eq!(column.cell(NodeId(1)), Cell::Int(5));
        assert_eq!(column.cell(NodeId(2)), Cell::Int(6));
    }

    #[test]
    fn a_changed_node_reads_from_its_record() {
        let rows = sample();
        let mut cols = build(&rows);
        cols.mark_changed(NodeId(0));
        cols.mark_changed(NodeId(99));
        assert_eq!(
            cols.column(Symbol(1)).unwrap().cell(NodeId(0)),
            Cell::Record
        );
        assert_eq!(
            cols.column(Symbol(2)).unwrap().cell(NodeId(0)),
            Cell::Record
        );
        assert_eq!(cols.label_set(NodeId(0)), None);
        // Others are untouched.
        assert_eq!(
            cols.column(Symbol(1)).unwrap().cell(NodeId(2)),
            Cell::Text(b"Bo")
        );
    }

    #[test]
    fn rows_out_of_id_order_build_no_column() {
        let mut rows = sample();
        rows.reverse();
        let cols = build(&rows);
        assert_eq!(cols.keys().count(), 0);
        assert_eq!(cols.label_set(NodeId(0)), None);
    }
}
