//! The store's side of [`NodeColumns`]: building them after a bulk load,
//! handing them to scans, and marking the nodes writes change.

use super::super::columns::NodeColumns;
use petgraph::stable_graph::NodeIndex;

use super::{Graph, VACANT};
use crate::graph::NodeId;

impl Graph {
    /// Lays the graph out for queries after a bulk load (a loader calls it
    /// once, at the end): each node's relationships side by side
    /// ([`Graph::compact_adjacency`]) and the properties most nodes carry
    /// in columns ([`Graph::build_node_columns`]). Writes afterwards keep
    /// both correct; nothing needs calling again.
    pub fn finish_bulk_load(&mut self) {
        self.compact_adjacency();
        self.build_node_columns();
    }

    /// Builds the node columns anew from the records (see the `columns`
    /// module): a column for each key that at least half of the nodes
    /// carry, for each number or boolean key that one label's nodes carry,
    /// and every node's label set.
    pub fn build_node_columns(&mut self) {
        self.columns = None;
        let id_bound = self.node_slots.len();
        let inner = &self.inner;
        let lists = &self.lists;
        let slots = &self.node_slots;
        // In id order, as the build needs.
        let columns = NodeColumns::build(id_bound, || {
            slots
                .iter()
                .filter(|&&slot| slot != VACANT)
                .map(move |&slot| {
                    let r = &inner[NodeIndex::new(slot as usize)];
                    (r.id, r.labels.0, r.props().iter(lists))
                })
        });
        self.columns = Some(columns);
    }

    /// Drops the node columns: scans read every record (for tests that
    /// compare both ways).
    pub fn clear_node_columns(&mut self) {
        self.columns = None;
    }

    /// The node columns, when built.
    #[inline]
    pub(crate) fn node_columns(&self) -> Option<&NodeColumns> {
        self.columns.as_ref()
    }

    /// The size of the node columns in bytes (0 when not built), for
    /// `:stats`.
    pub fn node_columns_bytes(&self) -> usize {
        self.columns.as_ref().map_or(0, NodeColumns::bytes)
    }

    /// The property keys that have a node column, by name.
    pub fn node_column_keys(&self) -> Vec<&str> {
        let Some(c) = &self.columns else {
            return Vec::new();
        };
        let mut keys: Vec<&str> = c.keys().map(|k| self.symbols.name(k)).collect();
        keys.sort_unstable();
        keys
    }

    /// Node `id`'s labels or properties change, or it goes: the columns no
    /// longer speak for it.
    pub(super) fn node_changed(&mut self, id: NodeId) {
        if let Some(c) = &mut self.columns {
            c.mark_changed(id);
        }
    }
}
