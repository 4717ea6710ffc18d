//! Grouping by key: [`Grouper`] numbers the distinct keys of a stream of
//! rows in order of first appearance, with the hashing and equality of
//! [`Value::group_eq`] (`1` and `1.0` are one key, so are all NaNs).

use std::borrow::Cow;
use std::hash::{BuildHasher, Hash, Hasher};

use hashbrown::HashTable;

use crate::graph::Value;

/// Hashes a value consistently with [`Value::group_eq`]: integral floats
/// hash as integers, every NaN alike.
pub fn hash_value<H: Hasher>(v: &Value, h: &mut H) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => {
            1u8.hash(h);
            b.hash(h);
        }
        Value::Int(i) => {
            2u8.hash(h);
            i.hash(h);
        }
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                2u8.hash(h);
                (*f as i64).hash(h);
            } else if f.is_nan() {
                3u8.hash(h);
            } else {
                4u8.hash(h);
                f.to_bits().hash(h);
            }
        }
        Value::String(s) => {
            5u8.hash(h);
            s.hash(h);
        }
        Value::List(items) => {
            6u8.hash(h);
            items.len().hash(h);
            for i in items {
                hash_value(i, h);
            }
        }
        Value::Map(m) => {
            7u8.hash(h);
            for (k, v) in m {
                k.hash(h);
                hash_value(v, h);
            }
        }
        Value::Node(id) => {
            8u8.hash(h);
            id.hash(h);
        }
        Value::Rel(id) => {
            9u8.hash(h);
            id.hash(h);
        }
        Value::Path(p) => {
            10u8.hash(h);
            p.hash(h);
        }
    }
}

/// Hashes a grouping key. The seed is fixed: group order follows first
/// appearance, never the hash, so it only has to be fast.
pub(super) fn hash_key<V: std::borrow::Borrow<Value>>(key: &[V]) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(0x6b67_7120).build_hasher();
    for v in key {
        hash_value(v.borrow(), &mut h);
    }
    h.finish()
}

pub(super) fn keys_eq<V: std::borrow::Borrow<Value>>(a: &[Value], b: &[V]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| value_eq(x, y.borrow()))
}

/// [`Value::group_eq`] with the common cases first: strings compare
/// bytewise there, so an equality test (lengths, then bytes) says the
/// same without ordering them.
pub(super) fn value_eq(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Node(a), Value::Node(b)) => a == b,
        _ => x.group_eq(y),
    }
}

/// Groups keys of one width in one pass: `find_or_insert` returns the
/// group's index, numbered in order of first appearance. Keys are stored
/// end to end in one vector, so a new group costs no allocation of its
/// own beyond its values.
#[derive(Default)]
pub struct Grouper {
    /// (hash, group index) per group.
    table: HashTable<(u64, usize)>,
    /// The keys of all groups, `width` values each.
    keys: Vec<Value>,
    width: usize,
    groups: usize,
}

impl Grouper {
    /// A grouper for keys of `width` values.
    pub fn new(width: usize) -> Grouper {
        Grouper {
            width,
            ..Grouper::default()
        }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.groups
    }

    /// Whether there is no group yet.
    pub fn is_empty(&self) -> bool {
        self.groups == 0
    }

    /// The key of group `i`.
    pub(super) fn key(&self, i: usize) -> &[Value] {
        &self.keys[i * self.width..(i + 1) * self.width]
    }

    /// The index of `key`'s group and whether it is new. A key of another
    /// width than the first one's sets the width (all callers use one).
    pub fn find_or_insert(&mut self, key: Vec<Value>) -> (usize, bool) {
        if self.groups == 0 {
            self.width = key.len();
        }
        let hash = hash_key(&key);
        if let Some(i) = self.find(hash, &key) {
            return (i, false);
        }
        self.keys.extend(key);
        (self.insert(hash), true)
    }

    /// [`Grouper::find_or_insert`] for a key read in place: the values
    /// are copied only when they start a new group.
    pub fn find_or_insert_ref(&mut self, key: &[Cow<Value>]) -> (usize, bool) {
        if self.groups == 0 {
            self.width = key.len();
        }
        let hash = hash_key(key);
        if let Some(i) = self.find(hash, key) {
            return (i, false);
        }
        self.keys.extend(key.iter().map(|v| v.as_ref().clone()));
        (self.insert(hash), true)
    }

    fn find<V: std::borrow::Borrow<Value>>(&self, hash: u64, key: &[V]) -> Option<usize> {
        self.table
            .find(hash, |&(h, i)| h == hash && keys_eq(self.key(i), key))
            .map(|&(_, i)| i)
    }

    fn insert(&mut self, hash: u64) -> usize {
        let i = self.groups;
        self.groups += 1;
        self.table.insert_unique(hash, (hash, i), |&(h, _)| h);
        i
    }

    /// The keys of all groups, `width` values each, in group order.
    pub fn into_keys(self) -> Vec<Value> {
        self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_treats_equal_numbers_and_nans_as_one_key() {
        let mut g = Grouper::default();
        assert_eq!(g.find_or_insert(vec![Value::Int(1)]), (0, true));
        assert_eq!(g.find_or_insert(vec![Value::Float(1.0)]), (0, false));
        assert_eq!(g.find_or_insert(vec![Value::Float(f64::NAN)]), (1, true));
        assert_eq!(g.find_or_insert(vec![Value::Float(f64::NAN)]), (1, false));
        assert_eq!(g.find_or_insert(vec![Value::Null]), (2, true));
        assert_eq!(
            g.find_or_insert(vec![Value::List(vec![Value::Int(2), Value::Null])]),
            (3, true)
        );
        assert_eq!(
            g.find_or_insert(vec![Value::List(vec![Value::Float(2.0), Value::Null])]),
            (3, false)
        );
        let s = |t: &str| Value::String(t.to_owned());
        assert_eq!(g.find_or_insert(vec![s("ab")]), (4, true));
        assert_eq!(g.find_or_insert(vec![s("abc")]), (5, true));
        assert_eq!(g.find_or_insert(vec![s("ab")]), (4, false));
        assert_eq!(g.find_or_insert(vec![Value::Int(7)]), (6, true));
        assert_eq!(g.find_or_insert(vec![Value::Float(7.0)]), (6, false));
    }
}
