//! [`TagTable`]: the hash table of [`super::pregroup::PreGroups`], from a
//! 64-bit tag to a group number, whose probe address is known before the
//! probe, so that it can be fetched ahead.
//!
//! Grouping a million rows into a million groups is a cache miss per row
//! in any hash table: the groups do not fit in cache and rows hit them at
//! random. A general table (hashbrown's) reads a control word and then
//! the entry, two dependent misses, and offers no way to ask for them
//! early. This one is open addressing with linear probing over 16-byte
//! (tag, group) slots: a probe starts at one slot, whose line
//! [`TagTable::prefetch`] requests while the row before is still being
//! placed. Tags are never removed.

/// The group number of an empty slot.
const EMPTY: u32 = u32::MAX;

/// Slots per tag at most: beyond, the table doubles (linear probing stays
/// short below three quarters full).
const MAX_LOAD_NUM: usize = 3;
const MAX_LOAD_DEN: usize = 4;

/// A map from tags (with their hashes) to group numbers; see the module
/// doc.
#[derive(Clone, Debug, Default)]
pub struct TagTable {
    /// (tag, group) per slot; `group == EMPTY` for a free slot. The
    /// length is zero or a power of two.
    slots: Vec<(u64, u32)>,
    len: usize,
}

impl TagTable {
    /// An empty table (allocates nothing until the first insert).
    pub fn new() -> TagTable {
        TagTable::default()
    }

    /// The number of tags.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table holds no tag.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// Asks the processor for the slot where the probe for `hash` starts.
    /// Changes nothing.
    #[inline]
    pub fn prefetch(&self, hash: u64) {
        if let Some(slot) = self.slots.get(hash as usize & self.mask()) {
            crate::graph::prefetch(std::ptr::from_ref(slot).cast());
        }
    }

    /// The group of `tag` (filed under `hash`) for which `same(group)`
    /// holds, or `None`.
    #[inline]
    pub fn find(&self, hash: u64, tag: u64, same: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            let (t, g) = self.slots[i];
            if g == EMPTY {
                return None;
            }
            if t == tag && same(g) {
                return Some(g);
            }
            i = (i + 1) & mask;
        }
    }

    /// Files `group` under `tag` and `hash`; the caller knows the tag (with
    /// its `same`) is not in the table yet. `hash_of` gives the hash of a
    /// tag in the table, for growing it.
    pub fn insert_new(&mut self, hash: u64, tag: u64, group: u32, hash_of: impl Fn(u64) -> u64) {
        debug_assert_ne!(group, EMPTY);
        if (self.len + 1) * MAX_LOAD_DEN > self.slots.len() * MAX_LOAD_NUM {
            self.grow((self.len + 1) * 2, &hash_of);
        }
        self.place(hash, tag, group);
        self.len += 1;
    }

    /// Makes room for `more` tags without growing on the way.
    pub fn reserve(&mut self, more: usize, hash_of: impl Fn(u64) -> u64) {
        let want = self.len + more;
        if want * MAX_LOAD_DEN > self.slots.len() * MAX_LOAD_NUM {
            self.grow(want, &hash_of);
        }
    }

    fn place(&mut self, hash: u64, tag: u64, group: u32) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        while self.slots[i].1 != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = (tag, group);
    }

    /// Rehashes into a table with room for `tags` tags.
    fn grow(&mut self, tags: usize, hash_of: &impl Fn(u64) -> u64) {
        let size = (tags * MAX_LOAD_DEN / MAX_LOAD_NUM + 1)
            .next_power_of_two()
            .max(16);
        let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY); size]);
        for (t, g) in old {
            if g != EMPTY {
                self.place(hash_of(t), t, g);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A poor hash on purpose: collisions and long runs.
    fn hash(t: u64) -> u64 {
        t % 7
    }

    #[test]
    fn finds_every_tag_it_was_given_and_no_other() {
        let mut table = TagTable::new();
        assert_eq!(table.find(hash(3), 3, |_| true), None);
        for t in 0..1000u64 {
            table.insert_new(hash(t), t * 10, t as u32, |tag| hash(tag / 10));
        }
        assert_eq!(table.len(), 1000);
        for t in 0..1000u64 {
            assert_eq!(table.find(hash(t), t * 10, |_| true), Some(t as u32));
            assert_eq!(table.find(hash(t), t * 10 + 1, |_| true), None);
        }
        // `same` rejects: another group with the same tag is looked for.
        assert_eq!(table.find(hash(5), 50, |g| g != 5), None);
    }

    #[test]
    fn equal_tags_are_told_apart_by_same() {
        let mut table = TagTable::new();
        table.reserve(4, hash);
        table.insert_new(1, 42, 0, |_| 1);
        table.insert_new(1, 42, 1, |_| 1);
        assert_eq!(table.find(1, 42, |g| g == 1), Some(1));
        assert_eq!(table.find(1, 42, |g| g == 0), Some(0));
        assert_eq!(table.find(1, 42, |g| g == 2), None);
        table.prefetch(1);
    }
}
