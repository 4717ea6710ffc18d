//! [`PropIndex`]: the (label, property) equality index.
//!
//! The index maps a hash of the value to the nodes holding a value with
//! that hash; it stores no values, so indexing `name` for every label
//! copies no string. A lookup yields candidates, which the graph checks
//! against the stored property (two values may share a hash). Most values
//! are unique, so the one-node case needs no allocation.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use super::symbols::Symbol;
use super::value::{NodeId, Value};

/// The form of a value the index compares: numbers are normalised so that
/// `1` and `1.0` share a key, as they are equal in the query language.
/// Values without a key (null, NaN, lists, maps, graph elements) are not
/// indexed; lookups for them fall back to a scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IndexKey<'a> {
    /// A boolean.
    Bool(bool),
    /// An integer, or a float with an integral value in `i64` range.
    Int(i64),
    /// The bits of a non-integral, non-NaN float.
    Float(u64),
    /// A string.
    Str(&'a str),
}

impl IndexKey<'_> {
    /// The key for `value`, if values equal to it can be indexed.
    pub fn from_value(value: &Value) -> Option<IndexKey<'_>> {
        match value {
            Value::Bool(b) => Some(IndexKey::Bool(*b)),
            Value::Int(i) => Some(IndexKey::Int(*i)),
            Value::Float(f) if f.is_nan() => None,
            Value::Float(f) => {
                if f.fract() == 0.0 && *f >= -9.2e18 && *f <= 9.2e18 {
                    Some(IndexKey::Int(*f as i64))
                } else {
                    // -0.0 == 0.0 is covered above; other floats by bits.
                    Some(IndexKey::Float(f.to_bits()))
                }
            }
            Value::String(s) => Some(IndexKey::Str(s)),
            _ => None,
        }
    }
}

/// Nodes whose values share one hash, in insertion order.
#[derive(Clone, Debug)]
enum IdList {
    /// The common case: a unique value.
    One(NodeId),
    /// Boxed so that the entry stays two words wide: the table holds one
    /// entry per distinct value, and shared values are rare.
    #[allow(clippy::box_collection)]
    Many(Box<Vec<NodeId>>),
}

impl IdList {
    fn as_slice(&self) -> &[NodeId] {
        match self {
            IdList::One(id) => std::slice::from_ref(id),
            IdList::Many(ids) => ids,
        }
    }

    fn push(&mut self, id: NodeId) {
        match self {
            IdList::One(first) => *self = IdList::Many(Box::new(vec![*first, id])),
            IdList::Many(ids) => ids.push(id),
        }
    }
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is expected; fold anything else in anyway.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Value hash -> nodes, for one (label, key).
type HashIndex = HashMap<u64, IdList, BuildHasherDefault<PassThrough>>;

/// Equality indexes by (label, key), holding hashes of values.
#[derive(Clone, Debug, Default)]
pub(crate) struct PropIndex {
    /// Property keys indexed for every label (by default `name`); their
    /// maps are created on first use.
    auto_keys: HashSet<Symbol, foldhash::fast::RandomState>,
    maps: HashMap<(Symbol, Symbol), HashIndex, foldhash::fast::RandomState>,
    /// Seeded once per graph (and copied with it), so hashes are stable
    /// for the graph's life but not predictable from outside.
    state: foldhash::fast::RandomState,
}

impl PropIndex {
    fn hash(&self, key: IndexKey<'_>) -> u64 {
        self.state.hash_one(key)
    }

    /// Indexes `key` for every label, present and future.
    pub(crate) fn add_auto_key(&mut self, key: Symbol) {
        self.auto_keys.insert(key);
    }

    /// Whether `key` is indexed for every label.
    pub(crate) fn is_auto_key(&self, key: Symbol) -> bool {
        self.auto_keys.contains(&key)
    }

    /// Whether (label, key) has an index, explicit or automatic.
    pub(crate) fn is_indexed(&self, label: Symbol, key: Symbol) -> bool {
        self.auto_keys.contains(&key) || self.contains(label, key)
    }

    /// Whether (label, key) has an index map.
    pub(crate) fn contains(&self, label: Symbol, key: Symbol) -> bool {
        self.maps.contains_key(&(label, key))
    }

    /// Creates an empty index on (label, key); false if it exists.
    pub(crate) fn create(&mut self, label: Symbol, key: Symbol) -> bool {
        if self.contains(label, key) {
            return false;
        }
        self.maps.insert((label, key), HashIndex::default());
        true
    }

    /// Adds `id` under `value` if (label, key) is indexed, creating the
    /// map of an automatic key if needed; values without an [`IndexKey`]
    /// are skipped.
    pub(crate) fn insert(&mut self, label: Symbol, key: Symbol, value: &Value, id: NodeId) {
        if !self.is_indexed(label, key) {
            return;
        }
        let Some(ik) = IndexKey::from_value(value) else {
            return;
        };
        let h = self.hash(ik);
        self.maps
            .entry((label, key))
            .or_default()
            .entry(h)
            .and_modify(|ids| ids.push(id))
            .or_insert(IdList::One(id));
    }

    /// Removes `id` from under `value`. A node holds one value per key,
    /// so it appears at most once under one hash.
    pub(crate) fn remove(&mut self, label: Symbol, key: Symbol, value: &Value, id: NodeId) {
        let Some(ik) = IndexKey::from_value(value) else {
            return;
        };
        let h = self.hash(ik);
        let Some(map) = self.maps.get_mut(&(label, key)) else {
            return;
        };
        let Some(ids) = map.get_mut(&h) else {
            return;
        };
        match ids {
            IdList::One(only) if *only == id => {
                map.remove(&h);
            }
            IdList::One(_) => {}
            IdList::Many(list) => {
                list.retain(|&x| x != id);
                if let [only] = list.as_slice() {
                    *ids = IdList::One(*only);
                }
            }
        }
    }

    /// The nodes indexed under the hash of `key` on (label, prop), in
    /// insertion order: a superset of the matching nodes, to be checked.
    pub(crate) fn candidates(&self, label: Symbol, prop: Symbol, key: IndexKey<'_>) -> &[NodeId] {
        self.maps
            .get(&(label, prop))
            .and_then(|m| m.get(&self.hash(key)))
            .map_or(&[], IdList::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_two_words() {
        assert_eq!(std::mem::size_of::<IdList>(), 16);
    }

    #[test]
    fn integral_floats_share_the_integer_key() {
        assert_eq!(
            IndexKey::from_value(&Value::Float(2.0)),
            Some(IndexKey::Int(2))
        );
        assert_eq!(IndexKey::from_value(&Value::Float(f64::NAN)), None);
    }

    #[test]
    fn a_shared_value_keeps_insertion_order_and_shrinks_back() {
        let mut index = PropIndex::default();
        let (l, k) = (Symbol(0), Symbol(1));
        index.add_auto_key(k);
        let v = Value::from("same");
        for id in [3, 1, 2] {
            index.insert(l, k, &v, NodeId(id));
        }
        let key = IndexKey::from_value(&v).unwrap();
        assert_eq!(
            index.candidates(l, k, key),
            [NodeId(3), NodeId(1), NodeId(2)]
        );
        index.remove(l, k, &v, NodeId(1));
        index.remove(l, k, &v, NodeId(3));
        assert!(matches!(
            index.maps[&(l, k)][&index.hash(key)],
            IdList::One(NodeId(2))
        ));
        index.remove(l, k, &v, NodeId(2));
        assert!(index.candidates(l, k, key).is_empty());
        assert!(index.contains(l, k));
    }
}
