//! [`SymbolLists`]: interned sorted lists of symbols, the label sets of
//! nodes and the key sets of property lists.
//!
//! A graph's elements share few shapes: the nodes of one import file have
//! the same labels and the same property keys. Each element stores a
//! 4-byte [`ListId`] instead of its own allocated list of symbols, which
//! for a million elements saves tens of megabytes. Lists are never freed
//! (like symbols), so an id stays valid for the life of the graph, also in
//! the undo journal; the table grows only with the number of distinct
//! shapes, at most one per write.

use std::collections::HashMap;

use super::symbols::Symbol;

/// An interned symbol list; [`ListId::EMPTY`] is the empty list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ListId(pub(crate) u32);

impl ListId {
    /// The empty list, present in every table.
    pub(crate) const EMPTY: ListId = ListId(0);
    /// An id no table hands out (tables stop short of 2^32 lists): the
    /// "nothing seen yet" of caches keyed by list.
    pub(crate) const NONE: ListId = ListId(u32::MAX);
}

/// The table of interned lists.
#[derive(Clone, Debug)]
pub(crate) struct SymbolLists {
    lists: Vec<Box<[Symbol]>>,
    ids: HashMap<Box<[Symbol]>, ListId, foldhash::fast::RandomState>,
    /// The list interned last: bulk loads intern the same shape row after
    /// row, and comparing with it skips the hash lookup.
    last: ListId,
}

impl Default for SymbolLists {
    fn default() -> Self {
        let empty: Box<[Symbol]> = Box::new([]);
        let mut ids = HashMap::default();
        ids.insert(empty.clone(), ListId::EMPTY);
        SymbolLists {
            lists: vec![empty],
            ids,
            last: ListId::EMPTY,
        }
    }
}

impl SymbolLists {
    /// The id of `list`, adding it if needed.
    pub(crate) fn intern(&mut self, list: &[Symbol]) -> ListId {
        if *self.lists[self.last.0 as usize] == *list {
            return self.last;
        }
        let id = match self.ids.get(list) {
            Some(&id) => id,
            None => {
                let id = ListId(
                    u32::try_from(self.lists.len()).expect("fewer than 2^32 distinct shapes"),
                );
                self.lists.push(list.into());
                self.ids.insert(list.into(), id);
                id
            }
        };
        self.last = id;
        id
    }

    /// The list with `id`.
    pub(crate) fn get(&self, id: ListId) -> &[Symbol] {
        &self.lists[id.0 as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lists_share_an_id() {
        let mut lists = SymbolLists::default();
        let a = lists.intern(&[Symbol(1), Symbol(4)]);
        let b = lists.intern(&[Symbol(2)]);
        assert_ne!(a, b);
        assert_eq!(lists.intern(&[Symbol(1), Symbol(4)]), a);
        assert_eq!(lists.intern(&[]), ListId::EMPTY);
        assert_eq!(lists.get(a), [Symbol(1), Symbol(4)]);
        assert!(lists.get(ListId::EMPTY).is_empty());
    }
}
