//! [`Graph`]: storage, indexes and the undo journal.

use std::collections::HashMap;

use foldhash::fast::RandomState as FastState;
use petgraph::Direction as PgDirection;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

use super::adjacency::Adjacency;
use super::columns::NodeColumns;
use super::idset::IdSet;
use super::index::{IndexKey, PropIndex};
use super::lists::{ListId, SymbolLists};
use super::symbols::{Symbol, SymbolTable};
use super::value::{NodeId, RelId, Value};

mod columns;
mod traverse;

pub use traverse::RelsTyped;

/// Which relationships of a node to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Relationships that start at the node.
    Outgoing,
    /// Relationships that end at the node.
    Incoming,
    /// Both; a self-loop is reported once.
    Both,
}

/// The properties of one element are its values, in the order of their
/// keys' list (sorted by symbol) in the graph's [`SymbolLists`]. Elements
/// hold few properties, so a sorted list beats a hash map in memory and
/// speed. The elements of a bulk load share a handful of key lists, so
/// each stores a 4-byte list id instead of its own keys, and a boxed slice
/// of values rather than a `Vec` keeps no spare capacity (writes rebuild
/// the slice, which is cheap for a few entries). The two live as separate
/// record fields (not one struct) so that they pack with the record's
/// other 4-byte field instead of leaving padding.
#[derive(Clone, Copy)]
struct Props<'a> {
    keys: ListId,
    values: &'a [Value],
}

impl<'a> Props<'a> {
    fn get(self, lists: &SymbolLists, sym: Symbol) -> Option<&'a Value> {
        // Key lists are short (a handful of keys): a forward scan, whose
        // branches a scan over nodes of one shape predicts, beats a
        // binary search's chain of dependent loads.
        let keys = lists.get(self.keys);
        let i = if keys.len() <= 16 {
            keys.iter().position(|&k| k == sym)?
        } else {
            keys.binary_search(&sym).ok()?
        };
        self.values.get(i)
    }

    /// (key, value) pairs in key-symbol order.
    fn iter(self, lists: &'a SymbolLists) -> impl Iterator<Item = (Symbol, &'a Value)> {
        lists.get(self.keys).iter().copied().zip(self.values.iter())
    }
}

/// Sets `sym` to `value` in the properties (`keys`, `values`), returning
/// the old value. A null value removes the property, as in the query
/// language.
fn put_prop(
    lists: &mut SymbolLists,
    keys: &mut ListId,
    values: &mut Box<[Value]>,
    sym: Symbol,
    value: Value,
) -> Option<Value> {
    let pos = lists.get(*keys).binary_search(&sym);
    match pos {
        Ok(i) if !value.is_null() => Some(std::mem::replace(&mut values[i], value)),
        Err(_) if value.is_null() => None,
        _ => {
            let mut new_keys = lists.get(*keys).to_vec();
            let mut list = std::mem::take(values).into_vec();
            let old = match pos {
                Ok(i) => {
                    new_keys.remove(i);
                    Some(list.remove(i))
                }
                Err(i) => {
                    new_keys.insert(i, sym);
                    list.insert(i, value);
                    None
                }
            };
            *keys = lists.intern(&new_keys);
            *values = list.into_boxed_slice();
            old
        }
    }
}

/// Properties from a list: sorted, the last value of a repeated key kept,
/// nulls dropped, as a key list and a slice of exactly the needed size.
fn props_from_list(
    lists: &mut SymbolLists,
    props: impl IntoIterator<Item = (Symbol, Value)>,
) -> (ListId, Box<[Value]>) {
    // Fast path for what loaders give: a few keys, ascending, no nulls.
    // Keys go to a stack buffer and values straight to their final
    // vector, so a million elements cost one allocation each.
    let mut iter = props.into_iter();
    let mut keys = [Symbol(0); 16];
    let mut values: Vec<Value> = Vec::with_capacity(iter.size_hint().0);
    while let Some((k, v)) = iter.next() {
        let n = values.len();
        if n == keys.len() || v.is_null() || (n > 0 && keys[n - 1] >= k) {
            let mut list: Vec<(Symbol, Value)> = keys[..n].iter().copied().zip(values).collect();
            list.push((k, v));
            list.extend(iter);
            return props_from_unsorted(lists, list);
        }
        keys[n] = k;
        values.push(v);
    }
    let keys = lists.intern(&keys[..values.len()]);
    (keys, exact_slice(values))
}

/// [`props_from_list`] for any list.
fn props_from_unsorted(
    lists: &mut SymbolLists,
    mut list: Vec<(Symbol, Value)>,
) -> (ListId, Box<[Value]>) {
    // A stable sort keeps repeated keys in input order; the last wins.
    list.sort_by_key(|(k, _)| *k);
    // Keep the last of each run of equal keys, in place.
    list.reverse();
    list.dedup_by_key(|(k, _)| *k);
    list.reverse();
    list.retain(|(_, v)| !v.is_null());
    let keys: Vec<Symbol> = list.iter().map(|(k, _)| *k).collect();
    let values = list.into_iter().map(|(_, v)| v).collect();
    (lists.intern(&keys), exact_slice(values))
}

/// `values` as a boxed slice in an allocation of exactly its size. Not
/// `into_boxed_slice` on a larger buffer: shrinking in place would leave
/// the allocator's chunk at the old size.
fn exact_slice(values: Vec<Value>) -> Box<[Value]> {
    if values.len() == values.capacity() {
        return values.into_boxed_slice();
    }
    let mut exact = Vec::with_capacity(values.len());
    exact.extend(values);
    exact.into_boxed_slice()
}

#[derive(Clone, Debug)]
struct NodeRecord {
    id: NodeId,
    /// Sorted, without duplicates, interned for the reason keys are.
    labels: ListId,
    /// Property keys (see [`Props`]).
    keys: ListId,
    values: Box<[Value]>,
}

#[derive(Clone, Debug)]
struct RelRecord {
    id: RelId,
    rel_type: Symbol,
    /// Property keys (see [`Props`]).
    keys: ListId,
    values: Box<[Value]>,
}

impl NodeRecord {
    fn props(&self) -> Props<'_> {
        Props {
            keys: self.keys,
            values: &self.values,
        }
    }
}

impl RelRecord {
    fn props(&self) -> Props<'_> {
        Props {
            keys: self.keys,
            values: &self.values,
        }
    }
}

/// One inverse operation of the undo journal.
#[derive(Clone, Debug)]
enum Undo {
    NodeAdded(NodeId),
    RelAdded(RelId),
    NodeDeleted(NodeRecord),
    RelDeleted {
        record: RelRecord,
        start: NodeId,
        end: NodeId,
    },
    NodePropSet {
        id: NodeId,
        key: Symbol,
        old: Option<Value>,
    },
    RelPropSet {
        id: RelId,
        key: Symbol,
        old: Option<Value>,
    },
    LabelAdded(NodeId, Symbol),
    LabelRemoved(NodeId, Symbol),
}

/// A slot of an id not in use. petgraph never hands out the index
/// `u32::MAX`: it is its "end" marker.
const VACANT: u32 = u32::MAX;

/// The slot value for a petgraph index.
fn slot_of(index: usize) -> u32 {
    debug_assert!(index < VACANT as usize);
    index as u32
}

/// A position in the undo journal, returned by [`Graph::begin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UndoMark(usize);

/// An in-memory property graph with stable ids and live indexes.
///
/// ```
/// use kgq::graph::{Graph, Value};
/// let mut g = Graph::new();
/// let putin = g.add_node(["Person"], [("name", Value::from("Vladimir Putin"))]);
/// let kyiv = g.add_node(["City"], [("name", Value::from("Kyiv"))]);
/// g.add_rel(putin, kyiv, "STRUCK", Vec::<(&str, Value)>::new()).unwrap();
/// assert_eq!(g.find_nodes("Person", "name", &Value::from("Vladimir Putin")), Some(vec![putin]));
/// ```
#[derive(Clone, Debug)]
pub struct Graph {
    inner: StableDiGraph<NodeRecord, RelRecord>,
    /// Node id -> petgraph index, [`VACANT`] for an id not in use (never
    /// given, or deleted). A plain `u32` (petgraph's index type) rather
    /// than an `Option` of the index halves the table.
    node_slots: Vec<u32>,
    /// Relationship id -> petgraph index, as `node_slots`.
    rel_slots: Vec<u32>,
    symbols: SymbolTable,
    /// The label sets and property key lists elements refer to.
    lists: SymbolLists,
    /// Label -> ids of the nodes carrying it.
    by_label: HashMap<Symbol, IdSet, FastState>,
    /// Type -> ids of the relationships of that type.
    by_type: HashMap<Symbol, IdSet, FastState>,
    /// (label, key) -> value hash -> nodes with that label and a value of
    /// that hash.
    prop_index: PropIndex,
    journal: Vec<Undo>,
    journaling: usize,
    /// Each node's relationships laid out in runs, after a bulk load
    /// ([`Graph::compact_adjacency`]); nodes whose relationships changed
    /// since fall back to petgraph's lists.
    adjacency: Option<Adjacency>,
    /// The properties most nodes carry, column by column, after a bulk
    /// load ([`Graph::finish_bulk_load`]); nodes written since read from
    /// their records.
    columns: Option<NodeColumns>,
    /// Whether a relationship was ever removed: petgraph then reuses its
    /// index, and index order is no longer the order of addition that
    /// [`Adjacency`] relies on.
    rels_removed: bool,
}

impl Default for Graph {
    fn default() -> Self {
        Self::new()
    }
}

/// A read-only view of one node.
#[derive(Clone, Copy)]
pub struct NodeRef<'g> {
    graph: &'g Graph,
    record: &'g NodeRecord,
}

/// A read-only view of one relationship.
#[derive(Clone, Copy)]
pub struct RelRef<'g> {
    graph: &'g Graph,
    record: &'g RelRecord,
    start: NodeId,
    end: NodeId,
}

impl<'g> NodeRef<'g> {
    /// The node's id.
    pub fn id(&self) -> NodeId {
        self.record.id
    }
    /// The node's labels, sorted by name.
    pub fn labels(&self) -> Vec<&'g str> {
        let mut names: Vec<&str> = self
            .label_symbols()
            .iter()
            .map(|&s| self.graph.symbols.name(s))
            .collect();
        names.sort_unstable();
        names
    }
    /// The label symbols (sorted by symbol, not by name).
    pub fn label_symbols(&self) -> &'g [Symbol] {
        self.graph.lists.get(self.record.labels)
    }
    /// Whether the node carries `label`.
    pub fn has_label(&self, label: &str) -> bool {
        self.graph
            .symbols
            .get(label)
            .is_some_and(|s| self.has_label_symbol(s))
    }
    /// Whether the node carries the label `sym`.
    pub fn has_label_symbol(&self, sym: Symbol) -> bool {
        self.label_symbols().binary_search(&sym).is_ok()
    }
    /// The value of property `key`, if set.
    pub fn property(&self, key: &str) -> Option<&'g Value> {
        let sym = self.graph.symbols.get(key)?;
        self.property_symbol(sym)
    }
    /// The value of property `sym`, if set.
    pub fn property_symbol(&self, sym: Symbol) -> Option<&'g Value> {
        self.record.props().get(&self.graph.lists, sym)
    }
    /// All properties, sorted by key name.
    pub fn properties(&self) -> Vec<(&'g str, &'g Value)> {
        named_props(self.graph, self.record.props())
    }
    /// [`NodeRef::property_symbol`] for the key of `cache`, which
    /// remembers where the key sits in this node's key list for the next
    /// node of the same shape.
    #[inline]
    pub fn property_cached(&self, cache: &mut KeyCache) -> Option<&'g Value> {
        let record: &'g NodeRecord = self.record;
        if record.keys != cache.list {
            let keys = self.graph.lists.get(record.keys);
            // Key lists are sorted without repeats: the first equal key is
            // the one `Props::get` finds.
            cache.pos = cache
                .sym
                .and_then(|s| keys.iter().position(|&k| k == s))
                .map_or(KeyCache::ABSENT, |i| i as u32);
            cache.list = record.keys;
        }
        if cache.pos == KeyCache::ABSENT {
            return None;
        }
        record.values.get(cache.pos as usize)
    }
}

/// Where one property key sits in nodes' key lists, for a scan that reads
/// the same key of many nodes: the elements of a graph share a handful of
/// key lists, and a scan meets long runs of nodes of one shape, so the
/// position found in the last list seen serves the next nodes without
/// searching their key list again ([`NodeRef::property_cached`]).
#[derive(Clone, Copy, Debug)]
pub struct KeyCache {
    /// The key; `None`: no element has it.
    sym: Option<Symbol>,
    /// The key list looked up last ([`ListId::NONE`] before the first).
    list: ListId,
    /// The key's position in `list`, [`KeyCache::ABSENT`] when it lacks it.
    pos: u32,
}

impl KeyCache {
    /// The position of a key that the list lacks.
    const ABSENT: u32 = u32::MAX;

    /// A cache for key `sym` (`None`: a key no element has).
    pub fn new(sym: Option<Symbol>) -> KeyCache {
        KeyCache {
            sym,
            list: ListId::NONE,
            pos: KeyCache::ABSENT,
        }
    }

    /// A cache for the same key that remembers nothing yet.
    pub fn fresh(&self) -> KeyCache {
        KeyCache::new(self.sym)
    }
}

impl<'g> RelRef<'g> {
    /// The relationship's id.
    pub fn id(&self) -> RelId {
        self.record.id
    }
    /// The relationship's type.
    pub fn rel_type(&self) -> &'g str {
        self.graph.symbols.name(self.record.rel_type)
    }
    /// The relationship's type symbol.
    pub fn type_symbol(&self) -> Symbol {
        self.record.rel_type
    }
    /// The node it starts at.
    pub fn start(&self) -> NodeId {
        self.start
    }
    /// The node it ends at.
    pub fn end(&self) -> NodeId {
        self.end
    }
    /// The value of property `key`, if set.
    pub fn property(&self, key: &str) -> Option<&'g Value> {
        let sym = self.graph.symbols.get(key)?;
        self.record.props().get(&self.graph.lists, sym)
    }
    /// The value of property `sym`, if set.
    pub fn property_symbol(&self, sym: Symbol) -> Option<&'g Value> {
        self.record.props().get(&self.graph.lists, sym)
    }
    /// All properties, sorted by key name.
    pub fn properties(&self) -> Vec<(&'g str, &'g Value)> {
        named_props(self.graph, self.record.props())
    }
}

fn named_props<'g>(graph: &'g Graph, props: Props<'g>) -> Vec<(&'g str, &'g Value)> {
    let mut out: Vec<(&str, &Value)> = props
        .iter(&graph.lists)
        .map(|(k, v)| (graph.symbols.name(k), v))
        .collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
}

/// Errors from graph writes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// A relationship endpoint or target element does not exist.
    #[error("node {0} does not exist")]
    NoSuchNode(NodeId),
    /// The relationship does not exist.
    #[error("relationship {0} does not exist")]
    NoSuchRel(RelId),
    /// A node with relationships cannot be deleted without `DETACH`.
    #[error("node {0} still has relationships; delete them first or use DETACH DELETE")]
    NodeHasRelationships(NodeId),
}

impl Graph {
    /// An empty graph that indexes `name` for every label.
    pub fn new() -> Graph {
        let mut graph = Graph {
            inner: StableDiGraph::new(),
            adjacency: None,
            columns: None,
            rels_removed: false,
            node_slots: Vec::new(),
            rel_slots: Vec::new(),
            symbols: SymbolTable::default(),
            lists: SymbolLists::default(),
            by_label: HashMap::default(),
            by_type: HashMap::default(),
            prop_index: PropIndex::default(),
            journal: Vec::new(),
            journaling: 0,
        };
        let name = graph.symbols.intern("name");
        graph.prop_index.add_auto_key(name);
        graph
    }

    /// The names table of this graph.
    pub fn symbols(&self) -> &SymbolTable {
        &self.symbols
    }

    /// The symbol for `name`, if any element ever used it.
    pub fn symbol(&self, name: &str) -> Option<Symbol> {
        self.symbols.get(name)
    }

    /// The symbol for `name`, creating it.
    pub fn intern(&mut self, name: &str) -> Symbol {
        self.symbols.intern(name)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.inner.node_count()
    }

    /// Number of relationships.
    pub fn rel_count(&self) -> usize {
        self.inner.edge_count()
    }

    /// The node with `id`, if it exists.
    pub fn node(&self, id: NodeId) -> Option<NodeRef<'_>> {
        let idx = self.node_index(id)?;
        Some(NodeRef {
            graph: self,
            record: &self.inner[idx],
        })
    }

    /// The relationship with `id`, if it exists.
    pub fn rel(&self, id: RelId) -> Option<RelRef<'_>> {
        let idx = self.rel_index(id)?;
        let (s, e) = self.inner.edge_endpoints(idx)?;
        Some(RelRef {
            graph: self,
            record: &self.inner[idx],
            start: self.inner[s].id,
            end: self.inner[e].id,
        })
    }

    #[inline]
    fn node_index(&self, id: NodeId) -> Option<NodeIndex> {
        // Ids and petgraph indexes coincide until something is deleted:
        // trying the id as an index first saves a (cache-missing) read of
        // the slot table on the hot path.
        if let Ok(i) = u32::try_from(id.0) {
            let idx = NodeIndex::new(i as usize);
            if self.inner.node_weight(idx).is_some_and(|n| n.id == id) {
                return Some(idx);
            }
        }
        self.node_slots
            .get(usize::try_from(id.0).ok()?)
            .filter(|&&s| s != VACANT)
            .map(|&s| NodeIndex::new(s as usize))
    }

    #[inline]
    fn rel_index(&self, id: RelId) -> Option<EdgeIndex> {
        if let Ok(i) = u32::try_from(id.0) {
            let idx = EdgeIndex::new(i as usize);
            if self.inner.edge_weight(idx).is_some_and(|r| r.id == id) {
                return Some(idx);
            }
        }
        self.rel_slots
            .get(usize::try_from(id.0).ok()?)
            .filter(|&&s| s != VACANT)
            .map(|&s| EdgeIndex::new(s as usize))
    }

    /// Whether node `id` exists.
    pub fn contains_node(&self, id: NodeId) -> bool {
        self.node_index(id).is_some()
    }

    /// Whether relationship `id` exists.
    pub fn contains_rel(&self, id: RelId) -> bool {
        self.rel_index(id).is_some()
    }

    /// All node ids, in id order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.node_slots
            .iter()
            .enumerate()
            .filter(|(_, s)| **s != VACANT)
            .map(|(i, _)| NodeId(i as u64))
    }

    /// All relationship ids, in id order.
    pub fn rel_ids(&self) -> impl Iterator<Item = RelId> + '_ {
        self.rel_slots
            .iter()
            .enumerate()
            .filter(|(_, s)| **s != VACANT)
            .map(|(i, _)| RelId(i as u64))
    }

    /// The ids of nodes carrying `label`, in id order.
    pub fn nodes_with_label(&self, label: &str) -> impl Iterator<Item = NodeId> + '_ {
        self.symbols
            .get(label)
            .and_then(|s| self.by_label.get(&s))
            .into_iter()
            .flat_map(|set| set.iter().map(NodeId))
    }

    /// Number of nodes carrying `label`.
    pub fn label_count(&self, label: &str) -> usize {
        self.symbols
            .get(label)
            .and_then(|s| self.by_label.get(&s))
            .map_or(0, IdSet::len)
    }

    /// The ids of relationships of type `rel_type`, in id order.
    pub fn rels_with_type(&self, rel_type: &str) -> impl Iterator<Item = RelId> + '_ {
        self.symbols
            .get(rel_type)
            .and_then(|s| self.by_type.get(&s))
            .into_iter()
            .flat_map(|set| set.iter().map(RelId))
    }

    /// Number of relationships of type `rel_type`.
    pub fn type_count(&self, rel_type: &str) -> usize {
        self.symbols
            .get(rel_type)
            .and_then(|s| self.by_type.get(&s))
            .map_or(0, IdSet::len)
    }

    /// Labels in use with their node counts, sorted by name.
    pub fn labels(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = self
            .by_label
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(s, set)| (self.symbols.name(*s), set.len()))
            .collect();
        out.sort_unstable();
        out
    }

    /// Relationship types in use with their counts, sorted by name.
    pub fn rel_types(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = self
            .by_type
            .iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(s, set)| (self.symbols.name(*s), set.len()))
            .collect();
        out.sort_unstable();
        out
    }

    /// The relationships at `node` in `dir`, each with the node at its
    /// other end (the node itself for a self-loop). Empty if `node` does
    /// not exist. Cost: O(degree).
    pub fn relationships(
        &self,
        node: NodeId,
        dir: Direction,
    ) -> impl Iterator<Item = (RelId, NodeId)> + '_ {
        self.relationships_typed(node, dir)
            .map(|(rel, other, _)| (rel, other))
    }

    /// Number of relationships at `node` in `dir`.
    pub fn degree(&self, node: NodeId, dir: Direction) -> usize {
        self.relationships(node, dir).count()
    }

    /// Nodes with `label` whose property `key` equals `value`, from the
    /// index; `None` when (label, key) is not indexed or the value has no
    /// index key, in which case the caller must scan.
    pub fn find_nodes(&self, label: &str, key: &str, value: &Value) -> Option<Vec<NodeId>> {
        let Some(label_sym) = self.symbols.get(label) else {
            return Some(Vec::new());
        };
        let key_sym = self.symbols.get(key)?;
        if !self.is_indexed(label_sym, key_sym) {
            return None;
        }
        let ikey = IndexKey::from_value(value)?;
        // Candidates share the value's hash; keep those whose value is
        // equal, as the index defines equality.
        Some(
            self.prop_index
                .candidates(label_sym, key_sym, ikey)
                .iter()
                .copied()
                .filter(|&id| {
                    self.node(id)
                        .and_then(|n| n.property_symbol(key_sym))
                        .and_then(IndexKey::from_value)
                        == Some(ikey)
                })
                .collect(),
        )
    }

    /// Whether (label, key) has an equality index.
    pub fn has_index(&self, label: &str, key: &str) -> bool {
        match (self.symbols.get(label), self.symbols.get(key)) {
            (Some(l), Some(k)) => self.is_indexed(l, k),
            (None, Some(k)) => self.prop_index.is_auto_key(k),
            _ => false,
        }
    }

    fn is_indexed(&self, label: Symbol, key: Symbol) -> bool {
        self.prop_index.is_indexed(label, key)
    }

    /// Creates an equality index on (label, key) and fills it.
    pub fn create_index(&mut self, label: &str, key: &str) {
        let l = self.symbols.intern(label);
        let k = self.symbols.intern(key);
        if !self.prop_index.create(l, k) {
            return;
        }
        let ids: Vec<NodeId> = self
            .by_label
            .get(&l)
            .into_iter()
            .flat_map(IdSet::iter)
            .map(NodeId)
            .collect();
        for id in ids {
            let Some(idx) = self.node_index(id) else {
                continue;
            };
            if let Some(v) = self.inner[idx].props().get(&self.lists, k) {
                self.prop_index.insert(l, k, v, id);
            }
        }
    }

    fn record_undo(&mut self, undo: Undo) {
        if self.journaling > 0 {
            self.journal.push(undo);
        }
    }

    // ---- writes -------------------------------------------------------

    /// Adds a node and returns its id. Null property values are skipped.
    pub fn add_node<'a, K: AsRef<str>>(
        &mut self,
        labels: impl IntoIterator<Item = &'a str>,
        props: impl IntoIterator<Item = (K, Value)>,
    ) -> NodeId {
        let mut label_syms: Vec<Symbol> =
            labels.into_iter().map(|l| self.symbols.intern(l)).collect();
        label_syms.sort_unstable();
        label_syms.dedup();
        let labels = self.lists.intern(&label_syms);
        let interned: Vec<(Symbol, Value)> = props
            .into_iter()
            .map(|(k, v)| (self.symbols.intern(k.as_ref()), v))
            .collect();
        let (keys, values) = props_from_list(&mut self.lists, interned);
        let id = NodeId(self.node_slots.len() as u64);
        self.insert_node_record(NodeRecord {
            id,
            labels,
            keys,
            values,
        });
        self.record_undo(Undo::NodeAdded(id));
        id
    }

    /// The id [`Graph::add_node`] would give the next node.
    pub fn next_node_id(&self) -> NodeId {
        NodeId(self.node_slots.len() as u64)
    }

    /// The id [`Graph::add_rel`] would give the next relationship.
    pub fn next_rel_id(&self) -> RelId {
        RelId(self.rel_slots.len() as u64)
    }

    /// Makes room for `nodes` more nodes and `rels` more relationships, so
    /// that bulk loaders do not grow the store step by step.
    pub fn reserve(&mut self, nodes: usize, rels: usize) {
        self.inner.reserve_nodes(nodes);
        self.inner.reserve_edges(rels);
        self.node_slots.reserve(nodes);
        self.rel_slots.reserve(rels);
    }

    /// Adds a node under a chosen id, for loaders that keep a file's ids;
    /// returns false (and adds nothing) if the id is in use. Ids above the
    /// highest in use leave unused slots, so callers keep ids dense.
    pub fn insert_node(
        &mut self,
        id: NodeId,
        labels: Vec<Symbol>,
        props: impl IntoIterator<Item = (Symbol, Value)>,
    ) -> bool {
        if self.contains_node(id) {
            return false;
        }
        let mut labels = labels;
        labels.sort_unstable();
        labels.dedup();
        let labels = self.lists.intern(&labels);
        let (keys, values) = props_from_list(&mut self.lists, props);
        self.insert_node_record(NodeRecord {
            id,
            labels,
            keys,
            values,
        });
        self.record_undo(Undo::NodeAdded(id));
        true
    }

    /// Adds a relationship under a chosen id (see [`Graph::insert_node`]);
    /// `Ok(false)` if the id is in use.
    pub fn insert_rel(
        &mut self,
        id: RelId,
        start: NodeId,
        end: NodeId,
        rel_type: Symbol,
        props: impl IntoIterator<Item = (Symbol, Value)>,
    ) -> Result<bool, GraphError> {
        if self.contains_rel(id) {
            return Ok(false);
        }
        let (keys, values) = props_from_list(&mut self.lists, props);
        self.insert_rel_record(
            RelRecord {
                id,
                rel_type,
                keys,
                values,
            },
            start,
            end,
        )?;
        self.record_undo(Undo::RelAdded(id));
        Ok(true)
    }

    /// Puts a record into the store and indexes under its own id.
    fn insert_node_record(&mut self, record: NodeRecord) {
        let id = record.id;
        // A node restored by a rollback may differ from what the columns
        // held for its id.
        self.node_changed(id);
        for &l in self.lists.get(record.labels) {
            self.by_label.entry(l).or_default().insert(id.0);
            for (k, v) in record.props().iter(&self.lists) {
                self.prop_index.insert(l, k, v, id);
            }
        }
        let idx = self.inner.add_node(record);
        let slot = id.0 as usize;
        if self.node_slots.len() <= slot {
            self.node_slots.resize(slot + 1, VACANT);
        }
        self.node_slots[slot] = slot_of(idx.index());
    }

    /// Adds a relationship from `start` to `end` and returns its id.
    pub fn add_rel<K: AsRef<str>>(
        &mut self,
        start: NodeId,
        end: NodeId,
        rel_type: &str,
        props: impl IntoIterator<Item = (K, Value)>,
    ) -> Result<RelId, GraphError> {
        let rel_type = self.symbols.intern(rel_type);
        let interned: Vec<(Symbol, Value)> = props
            .into_iter()
            .map(|(k, v)| (self.symbols.intern(k.as_ref()), v))
            .collect();
        let (keys, values) = props_from_list(&mut self.lists, interned);
        let id = RelId(self.rel_slots.len() as u64);
        self.insert_rel_record(
            RelRecord {
                id,
                rel_type,
                keys,
                values,
            },
            start,
            end,
        )?;
        self.record_undo(Undo::RelAdded(id));
        Ok(id)
    }

    fn insert_rel_record(
        &mut self,
        record: RelRecord,
        start: NodeId,
        end: NodeId,
    ) -> Result<(), GraphError> {
        let s = self
            .node_index(start)
            .ok_or(GraphError::NoSuchNode(start))?;
        let e = self.node_index(end).ok_or(GraphError::NoSuchNode(end))?;
        let id = record.id;
        self.by_type
            .entry(record.rel_type)
            .or_default()
            .insert(id.0);
        let idx = self.inner.add_edge(s, e, record);
        self.relationships_changed(s);
        self.relationships_changed(e);
        let slot = id.0 as usize;
        if self.rel_slots.len() <= slot {
            self.rel_slots.resize(slot + 1, VACANT);
        }
        self.rel_slots[slot] = slot_of(idx.index());
        Ok(())
    }

    /// Deletes a relationship; returns false if it did not exist.
    pub fn delete_rel(&mut self, id: RelId) -> bool {
        let Some(idx) = self.rel_index(id) else {
            return false;
        };
        let (s, e) = self
            .inner
            .edge_endpoints(idx)
            .expect("slot points at a live edge");
        let (start, end) = (self.inner[s].id, self.inner[e].id);
        let record = self
            .inner
            .remove_edge(idx)
            .expect("slot points at a live edge");
        self.rels_removed = true;
        self.relationships_changed(s);
        self.relationships_changed(e);
        self.rel_slots[id.0 as usize] = VACANT;
        if let Some(set) = self.by_type.get_mut(&record.rel_type) {
            set.remove(id.0);
        }
        self.record_undo(Undo::RelDeleted { record, start, end });
        true
    }

    /// Deletes a node that has no relationships; returns false if it did
    /// not exist.
    pub fn delete_node(&mut self, id: NodeId) -> Result<bool, GraphError> {
        let Some(idx) = self.node_index(id) else {
            return Ok(false);
        };
        if self.relationships(id, Direction::Both).next().is_some() {
            return Err(GraphError::NodeHasRelationships(id));
        }
        let record = self
            .inner
            .remove_node(idx)
            .expect("slot points at a live node");
        // Its index may be given to a new node.
        self.relationships_changed(idx);
        self.node_slots[id.0 as usize] = VACANT;
        self.node_changed(id);
        self.unindex_node(&record);
        self.record_undo(Undo::NodeDeleted(record));
        Ok(true)
    }

    fn unindex_node(&mut self, record: &NodeRecord) {
        for &l in self.lists.get(record.labels) {
            if let Some(set) = self.by_label.get_mut(&l) {
                set.remove(record.id.0);
            }
            for (k, v) in record.props().iter(&self.lists) {
                self.prop_index.remove(l, k, v, record.id);
            }
        }
    }

    /// Deletes a node and all its relationships; returns the deleted
    /// relationships (empty if the node did not exist).
    pub fn detach_delete_node(&mut self, id: NodeId) -> Vec<RelId> {
        let rels: Vec<RelId> = self
            .relationships(id, Direction::Both)
            .map(|(r, _)| r)
            .collect();
        for &r in &rels {
            self.delete_rel(r);
        }
        // Cannot fail: every relationship is gone.
        let _ = self.delete_node(id);
        rels
    }

    /// Sets (or with null, removes) a node property; returns the old value.
    pub fn set_node_property(
        &mut self,
        id: NodeId,
        key: &str,
        value: Value,
    ) -> Result<Option<Value>, GraphError> {
        let idx = self.node_index(id).ok_or(GraphError::NoSuchNode(id))?;
        let key = self.symbols.intern(key);
        self.node_changed(id);
        let record = &mut self.inner[idx];
        for &l in self.lists.get(record.labels) {
            if let Some(old) = record.props().get(&self.lists, key) {
                self.prop_index.remove(l, key, old, id);
            }
            self.prop_index.insert(l, key, &value, id);
        }
        let old = put_prop(
            &mut self.lists,
            &mut record.keys,
            &mut record.values,
            key,
            value,
        );
        self.record_undo(Undo::NodePropSet {
            id,
            key,
            old: old.clone(),
        });
        Ok(old)
    }

    /// Sets (or with null, removes) a relationship property; returns the
    /// old value.
    pub fn set_rel_property(
        &mut self,
        id: RelId,
        key: &str,
        value: Value,
    ) -> Result<Option<Value>, GraphError> {
        let idx = self.rel_index(id).ok_or(GraphError::NoSuchRel(id))?;
        let key = self.symbols.intern(key);
        let record = &mut self.inner[idx];
        let old = put_prop(
            &mut self.lists,
            &mut record.keys,
            &mut record.values,
            key,
            value,
        );
        self.record_undo(Undo::RelPropSet {
            id,
            key,
            old: old.clone(),
        });
        Ok(old)
    }

    /// Adds `label` to a node; returns whether it was newly added.
    pub fn add_label(&mut self, id: NodeId, label: &str) -> Result<bool, GraphError> {
        let idx = self.node_index(id).ok_or(GraphError::NoSuchNode(id))?;
        let sym = self.symbols.intern(label);
        let record = &mut self.inner[idx];
        let mut labels = self.lists.get(record.labels).to_vec();
        match labels.binary_search(&sym) {
            Ok(_) => return Ok(false),
            Err(pos) => labels.insert(pos, sym),
        }
        if let Some(c) = &mut self.columns {
            c.mark_changed(id);
        }
        record.labels = self.lists.intern(&labels);
        self.by_label.entry(sym).or_default().insert(id.0);
        for (k, v) in record.props().iter(&self.lists) {
            self.prop_index.insert(sym, k, v, id);
        }
        self.record_undo(Undo::LabelAdded(id, sym));
        Ok(true)
    }

    /// Removes `label` from a node; returns whether it was there.
    pub fn remove_label(&mut self, id: NodeId, label: &str) -> Result<bool, GraphError> {
        let idx = self.node_index(id).ok_or(GraphError::NoSuchNode(id))?;
        let Some(sym) = self.symbols.get(label) else {
            return Ok(false);
        };
        let record = &mut self.inner[idx];
        let mut labels = self.lists.get(record.labels).to_vec();
        let Ok(pos) = labels.binary_search(&sym) else {
            return Ok(false);
        };
        labels.remove(pos);
        if let Some(c) = &mut self.columns {
            c.mark_changed(id);
        }
        record.labels = self.lists.intern(&labels);
        if let Some(set) = self.by_label.get_mut(&sym) {
            set.remove(id.0);
        }
        for (k, v) in record.props().iter(&self.lists) {
            self.prop_index.remove(sym, k, v, id);
        }
        self.record_undo(Undo::LabelRemoved(id, sym));
        Ok(true)
    }

    /// The type of relationship `id` if it was deleted since the outermost
    /// [`Graph::begin`]: a query may still read `type(r)` after `DELETE r`.
    pub fn deleted_rel_type(&self, id: RelId) -> Option<&str> {
        self.journal.iter().rev().find_map(|undo| match undo {
            Undo::RelDeleted { record, .. } if record.id == id => {
                Some(self.symbols.name(record.rel_type))
            }
            _ => None,
        })
    }

    // ---- transactions -------------------------------------------------

    /// Starts journaling writes; [`Graph::rollback`] to the returned mark
    /// undoes every write made since. Marks nest.
    pub fn begin(&mut self) -> UndoMark {
        self.journaling += 1;
        UndoMark(self.journal.len())
    }

    /// Keeps the writes made since `mark`.
    pub fn commit(&mut self, mark: UndoMark) {
        self.journaling = self.journaling.saturating_sub(1);
        if self.journaling == 0 {
            self.journal.clear();
        } else {
            debug_assert!(mark.0 <= self.journal.len());
        }
    }

    /// Undoes every write made since `mark`, newest first, and stops the
    /// journal level `mark` opened.
    pub fn rollback(&mut self, mark: UndoMark) {
        let saved = self.journaling;
        // Undo operations must not be journaled themselves.
        self.journaling = 0;
        while self.journal.len() > mark.0 {
            let undo = self.journal.pop().expect("length checked");
            self.apply_undo(undo);
        }
        self.journaling = saved.saturating_sub(1);
        if self.journaling == 0 {
            self.journal.clear();
        }
    }

    fn apply_undo(&mut self, undo: Undo) {
        match undo {
            Undo::NodeAdded(id) => {
                // Relationships added later were undone before this.
                let _ = self.delete_node(id);
            }
            Undo::RelAdded(id) => {
                self.delete_rel(id);
            }
            Undo::NodeDeleted(record) => self.insert_node_record(record),
            Undo::RelDeleted { record, start, end } => {
                // Its endpoints were restored before this (newest first).
                let _ = self.insert_rel_record(record, start, end);
            }
            Undo::NodePropSet { id, key, old } => {
                let name = self.symbols.name(key).to_owned();
                let _ = self.set_node_property(id, &name, old.unwrap_or(Value::Null));
            }
            Undo::RelPropSet { id, key, old } => {
                let name = self.symbols.name(key).to_owned();
                let _ = self.set_rel_property(id, &name, old.unwrap_or(Value::Null));
            }
            Undo::LabelAdded(id, sym) => {
                let name = self.symbols.name(sym).to_owned();
                let _ = self.remove_label(id, &name);
            }
            Undo::LabelRemoved(id, sym) => {
                let name = self.symbols.name(sym).to_owned();
                let _ = self.add_label(id, &name);
            }
        }
    }

    /// Whether the graphs hold the same elements with the same ids, labels,
    /// types, endpoints and properties.
    pub fn same_content(&self, other: &Graph) -> bool {
        let nodes_a: Vec<NodeId> = self.node_ids().collect();
        let nodes_b: Vec<NodeId> = other.node_ids().collect();
        let rels_a: Vec<RelId> = self.rel_ids().collect();
        let rels_b: Vec<RelId> = other.rel_ids().collect();
        if nodes_a != nodes_b || rels_a != rels_b {
            return false;
        }
        let nodes_same = nodes_a.iter().all(|&id| {
            let (a, b) = (
                self.node(id).expect("listed"),
                other.node(id).expect("listed"),
            );
            a.labels() == b.labels() && a.properties() == b.properties()
        });
        nodes_same
            && rels_a.iter().all(|&id| {
                let (a, b) = (
                    self.rel(id).expect("listed"),
                    other.rel(id).expect("listed"),
                );
                a.rel_type() == b.rel_type()
                    && a.start() == b.start()
                    && a.end() == b.end()
                    && a.properties() == b.properties()
            })
    }
}

/// A hint to fetch the cache line at `p`.
#[inline(always)]
pub(crate) fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never faults or reads
    // into the program, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Property reads for the executor's hot loops, by symbol and without
/// building a [`NodeRef`] or [`RelRef`] (a relationship's endpoints are
/// not needed to read its properties).
impl Graph {
    /// Node `id`'s property `sym`: `None` when the node does not exist,
    /// `Some(None)` when it lacks the property.
    pub fn node_property(&self, id: NodeId, sym: Symbol) -> Option<Option<&Value>> {
        let idx = self.node_index(id)?;
        Some(self.inner[idx].props().get(&self.lists, sym))
    }

    /// Asks the processor to start fetching node `id`'s property values
    /// into cache, and with `strings` also the text of the string values
    /// among them, so that a scan reading them a few nodes later finds
    /// them there: the values and the texts are separate allocations, and
    /// a scan otherwise waits on each in turn. Call it for a node a few
    /// steps ahead with `strings` false, and again one step closer with
    /// `strings` true (the values, fetched by then, tell where the texts
    /// are). Changes nothing; an absent node is ignored.
    #[inline]
    pub fn prefetch_node(&self, id: NodeId, strings: bool) {
        let Some(idx) = self.node_index(id) else {
            return;
        };
        let values: &[Value] = &self.inner[idx].values;
        if strings {
            for v in values {
                if let Value::String(s) = v {
                    prefetch(s.as_ptr());
                }
            }
        } else {
            // A node's values span a few cache lines.
            let bytes = std::mem::size_of_val(values);
            let start = values.as_ptr().cast::<u8>();
            for off in (0..bytes).step_by(64) {
                prefetch(start.wrapping_add(off));
            }
        }
    }

    /// [`Graph::prefetch_node`] for one property: fetches only the cache
    /// lines of node `id`'s value of the key of `cache` and, with `text`,
    /// the text of that value when it is a string (call it again with
    /// `text` a few nodes later, when the value has arrived). A scan that
    /// tests one property of each node then waits on neither, and fetches
    /// none of the node's other values. Changes nothing but the cache's
    /// remembered position; an absent node or property is ignored.
    #[inline]
    pub fn prefetch_property(&self, id: NodeId, cache: &mut KeyCache, text: bool) {
        let Some(node) = self.node(id) else {
            return;
        };
        let Some(v) = node.property_cached(cache) else {
            return;
        };
        // Without `text` the value itself is not read: it is what is
        // being fetched.
        if !text {
            // A value may straddle two cache lines.
            let at = std::ptr::from_ref(v).cast::<u8>();
            prefetch(at);
            prefetch(at.wrapping_add(std::mem::size_of::<Value>() - 1));
        } else if let Value::String(s) = v {
            prefetch(s.as_ptr());
        }
    }

    /// The nodes within `max_depth` hops of `start`, other than `start`,
    /// each with its distance, in breadth-first order: the hops follow
    /// relationships in `dir` whose type is one of `types` (any type when
    /// `types` is empty). Works on petgraph's indexes, so a hop reads the
    /// relationship and the visited set but no node record.
    pub fn reach(
        &self,
        start: NodeId,
        dir: Direction,
        types: &[Symbol],
        max_depth: u64,
    ) -> Vec<(NodeId, u64)> {
        let Some(s) = self.node_index(start) else {
            return Vec::new();
        };
        let mut seen = vec![false; petgraph::visit::NodeIndexable::node_bound(&self.inner)];
        seen[s.index()] = true;
        let dirs: &[PgDirection] = match dir {
            Direction::Outgoing => &[PgDirection::Outgoing],
            Direction::Incoming => &[PgDirection::Incoming],
            Direction::Both => &[PgDirection::Outgoing, PgDirection::Incoming],
        };
        let mut out = Vec::new();
        let mut frontier = vec![s];
        let mut depth = 0;
        while depth < max_depth && !frontier.is_empty() {
            depth += 1;
            let mut next = Vec::new();
            for &n in &frontier {
                for &d in dirs {
                    for e in self.inner.edges_directed(n, d) {
                        if !types.is_empty() && !types.contains(&e.weight().rel_type) {
                            continue;
                        }
                        let other = if d == PgDirection::Outgoing {
                            e.target()
                        } else {
                            e.source()
                        };
                        if !seen[other.index()] {
                            seen[other.index()] = true;
                            next.push(other);
                        }
                    }
                }
            }
            out.extend(next.iter().map(|&i| (self.inner[i].id, depth)));
            frontier = next;
        }
        out
    }

    /// Relationship `id`'s property `sym`, as [`Graph::node_property`].
    pub fn rel_property(&self, id: RelId, sym: Symbol) -> Option<Option<&Value>> {
        let idx = self.rel_index(id)?;
        Some(self.inner[idx].props().get(&self.lists, sym))
    }

    /// A number naming node `id`'s set of labels: two nodes of this graph
    /// have the same number exactly when they have the same labels (label
    /// sets are interned). `None` when the node does not exist. Lets the
    /// executor group nodes by their labels without reading them.
    pub fn node_label_set(&self, id: NodeId) -> Option<u32> {
        let idx = self.node_index(id)?;
        Some(self.inner[idx].labels.0)
    }

    /// Relationship `id`'s type symbol, without its endpoints; `None` when
    /// it does not exist.
    pub fn rel_type_symbol(&self, id: RelId) -> Option<Symbol> {
        let idx = self.rel_index(id)?;
        Some(self.inner[idx].rel_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(g: &mut Graph, name: &str) -> NodeId {
        g.add_node(["Person"], [("name", Value::from(name))])
    }

    #[test]
    fn ids_stay_stable_when_other_nodes_are_deleted() {
        let mut g = Graph::new();
        let a = person(&mut g, "a");
        let b = person(&mut g, "b");
        let c = person(&mut g, "c");
        g.delete_node(a).unwrap();
        assert!(g.node(a).is_none());
        assert_eq!(g.node(c).unwrap().property("name"), Some(&Value::from("c")));
        let d = person(&mut g, "d");
        assert!(d > c && d != a);
        assert_eq!(g.node_ids().collect::<Vec<_>>(), vec![b, c, d]);
    }

    #[test]
    fn name_index_follows_property_and_label_changes() {
        let mut g = Graph::new();
        let a = person(&mut g, "Marco Rubio");
        assert_eq!(
            g.find_nodes("Person", "name", &"Marco Rubio".into()),
            Some(vec![a])
        );
        g.set_node_property(a, "name", "Rubio".into()).unwrap();
        assert_eq!(
            g.find_nodes("Person", "name", &"Marco Rubio".into()),
            Some(vec![])
        );
        assert_eq!(
            g.find_nodes("Person", "name", &"Rubio".into()),
            Some(vec![a])
        );
        g.add_label(a, "Official").unwrap();
        assert_eq!(
            g.find_nodes("Official", "name", &"Rubio".into()),
            Some(vec![a])
        );
        g.remove_label(a, "Person").unwrap();
        assert_eq!(
            g.find_nodes("Person", "name", &"Rubio".into()),
            Some(vec![])
        );
        assert_eq!(g.find_nodes("Person", "age", &Value::Int(3)), None);
    }

    #[test]
    fn index_treats_integral_floats_as_integers() {
        let mut g = Graph::new();
        g.create_index("N", "x");
        let n = g.add_node(["N"], [("x", Value::Int(2))]);
        assert_eq!(g.find_nodes("N", "x", &Value::Float(2.0)), Some(vec![n]));
    }

    #[test]
    fn connected_node_cannot_be_deleted_without_detach() {
        let mut g = Graph::new();
        let a = person(&mut g, "a");
        let b = person(&mut g, "b");
        let r = g
            .add_rel(a, b, "KNOWS", [("since", Value::Int(2020))])
            .unwrap();
        assert_eq!(g.delete_node(a), Err(GraphError::NodeHasRelationships(a)));
        assert_eq!(g.detach_delete_node(a), vec![r]);
        assert_eq!(g.rel_count(), 0);
        assert_eq!(g.node_count(), 1);
    }

    #[test]
    fn self_loop_is_listed_once_in_both_directions() {
        let mut g = Graph::new();
        let a = person(&mut g, "a");
        let r = g
            .add_rel(a, a, "SELF", Vec::<(&str, Value)>::new())
            .unwrap();
        assert_eq!(
            g.relationships(a, Direction::Both).collect::<Vec<_>>(),
            vec![(r, a)]
        );
        assert_eq!(g.degree(a, Direction::Outgoing), 1);
        assert_eq!(g.degree(a, Direction::Incoming), 1);
    }

    #[test]
    fn rollback_restores_every_kind_of_write() {
        let mut g = Graph::new();
        let a = person(&mut g, "a");
        let b = person(&mut g, "b");
        g.add_rel(a, b, "KNOWS", [("w", Value::Float(0.5))])
            .unwrap();
        let before = g.clone();

        let mark = g.begin();
        let c = person(&mut g, "c");
        g.add_rel(c, a, "KNOWS", Vec::<(&str, Value)>::new())
            .unwrap();
        g.set_node_property(a, "name", "changed".into()).unwrap();
        g.set_node_property(b, "name", Value::Null).unwrap();
        g.add_label(a, "Extra").unwrap();
        g.remove_label(b, "Person").unwrap();
        g.detach_delete_node(b);
        g.rollback(mark);

        assert!(g.same_content(&before));
        assert_eq!(g.find_nodes("Person", "name", &"b".into()), Some(vec![b]));
        assert_eq!(
            g.find_nodes("Person", "name", &"changed".into()),
            Some(vec![])
        );
        assert_eq!(g.label_count("Extra"), 0);
    }

    #[test]
    fn repeated_keys_keep_the_last_value_and_nulls_are_dropped() {
        let mut g = Graph::new();
        let n = g.add_node(
            ["N"],
            [
                ("b", Value::Int(1)),
                ("a", Value::Int(2)),
                ("b", Value::Null),
                ("c", Value::Int(3)),
                ("c", Value::Int(4)),
            ],
        );
        let node = g.node(n).unwrap();
        assert_eq!(
            node.properties(),
            vec![("a", &Value::Int(2)), ("c", &Value::Int(4))]
        );
        // Nodes of the same shape share one key list and still answer
        // for their own values.
        let m = g.add_node(["N"], [("a", Value::Int(5)), ("c", Value::Int(6))]);
        assert_eq!(g.node(m).unwrap().property("c"), Some(&Value::Int(6)));
        g.set_node_property(m, "b", Value::Int(7)).unwrap();
        assert_eq!(g.node(m).unwrap().property("b"), Some(&Value::Int(7)));
        assert_eq!(g.node(n).unwrap().property("b"), None);
        g.set_node_property(m, "a", Value::Null).unwrap();
        assert_eq!(
            g.node(m).unwrap().properties(),
            vec![("b", &Value::Int(7)), ("c", &Value::Int(6))]
        );
        assert_eq!(g.node(n).unwrap().property("a"), Some(&Value::Int(2)));
    }

    #[test]
    fn short_and_long_key_lists_find_every_key() {
        for n in [1usize, 5, 16, 17, 40] {
            let mut g = Graph::new();
            let props: Vec<(String, Value)> = (0..n)
                .map(|i| (format!("k{i}"), Value::Int(i as i64)))
                .collect();
            let id = g.add_node(
                ["Thing"],
                props.iter().map(|(k, v)| (k.as_str(), v.clone())),
            );
            g.intern("absent");
            let node = g.node(id).unwrap();
            for (k, v) in &props {
                assert_eq!(node.property(k), Some(v));
                let sym = g.symbol(k).unwrap();
                assert_eq!(g.node_property(id, sym), Some(Some(v)));
            }
            let absent = g.symbol("absent").unwrap();
            assert_eq!(g.node_property(id, absent), Some(None));
        }
    }

    #[test]
    fn prefetch_accepts_any_id_and_changes_nothing() {
        let mut g = Graph::new();
        let a = person(&mut g, "Ann");
        let b = person(&mut g, "Bob");
        g.delete_node(b).unwrap();
        let before = g.clone();
        for id in [a, b, NodeId(99), NodeId(u64::MAX)] {
            g.prefetch_node(id, false);
            g.prefetch_node(id, true);
        }
        assert!(g.same_content(&before));
        assert_eq!(
            g.node(a).unwrap().property("name"),
            Some(&Value::from("Ann"))
        );
    }

    #[test]
    fn commit_keeps_writes() {
        let mut g = Graph::new();
        let mark = g.begin();
        person(&mut g, "a");
        g.commit(mark);
        assert_eq!(g.node_count(), 1);
    }
    /// Every node's relationships, in every direction, as listed.
    fn all_adjacency(g: &Graph) -> Vec<Vec<(RelId, NodeId, Symbol)>> {
        let mut out = Vec::new();
        for n in g.node_ids().collect::<Vec<_>>() {
            for dir in [Direction::Outgoing, Direction::Incoming, Direction::Both] {
                out.push(g.relationships_typed(n, dir).collect());
            }
        }
        out
    }

    #[test]
    fn compact_adjacency_lists_what_the_linked_lists_list_before_and_after_writes() {
        let mut walked = Graph::new();
        let ids: Vec<NodeId> = (0..40)
            .map(|i| walked.add_node(["N"], [("i", Value::Int(i))]))
            .collect();
        // A deterministic tangle: multi-edges, self-loops, hubs.
        let mut x = 7u64;
        for k in 0..400 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let a = ids[(x >> 33) as usize % ids.len()];
            let b = if k % 17 == 0 {
                a
            } else {
                ids[(x >> 45) as usize % 8]
            };
            let t = ["A", "B", "C"][k % 3];
            walked
                .add_rel(a, b, t, Vec::<(&str, Value)>::new())
                .unwrap();
        }
        let mut compact = walked.clone();
        compact.compact_adjacency();
        assert!(compact.has_compact_adjacency());
        assert_eq!(all_adjacency(&compact), all_adjacency(&walked));
        // Writes: both graphs take the same ones; the compact one's
        // touched nodes fall back to the lists.
        for g in [&mut walked, &mut compact] {
            g.add_rel(ids[3], ids[5], "A", Vec::<(&str, Value)>::new())
                .unwrap();
            let (some, _) = g.relationships(ids[6], Direction::Outgoing).next().unwrap();
            assert!(g.delete_rel(some));
            let removed = g.detach_delete_node(ids[7]);
            assert!(!removed.is_empty());
            let fresh = g.add_node(["N"], Vec::<(&str, Value)>::new());
            g.add_rel(fresh, ids[1], "B", Vec::<(&str, Value)>::new())
                .unwrap();
        }
        assert_eq!(all_adjacency(&compact), all_adjacency(&walked));
        // Undone writes too.
        for g in [&mut walked, &mut compact] {
            let mark = g.begin();
            g.add_rel(ids[2], ids[2], "C", Vec::<(&str, Value)>::new())
                .unwrap();
            g.detach_delete_node(ids[0]);
            g.rollback(mark);
        }
        assert_eq!(all_adjacency(&compact), all_adjacency(&walked));
        // After a removal the table is not built again.
        compact.compact_adjacency();
        assert!(!compact.has_compact_adjacency());
    }
}
