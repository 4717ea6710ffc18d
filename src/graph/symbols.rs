//! Interning of labels, relationship types and property keys.
//!
//! A graph of a million relationships has a handful of distinct labels and
//! keys; storing each as a small integer keeps elements compact and makes
//! comparisons cheap.

use std::collections::HashMap;

use super::value::Value;

/// An interned name: a label, relationship type or property key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(pub u32);

/// A two-way map between names and [`Symbol`]s. Symbols are never freed,
/// so a symbol stays valid for the life of the graph.
#[derive(Clone, Debug, Default)]
pub struct SymbolTable {
    names: Vec<Box<str>>,
    /// Each name as a string value, for queries that return labels or
    /// types many times over (`labels(n)[0]` per node) without copying.
    values: Vec<Value>,
    /// foldhash rather than SipHash: loaders intern a label per row.
    ids: HashMap<Box<str>, Symbol, foldhash::fast::RandomState>,
}

impl SymbolTable {
    /// The symbol for `name`, creating it if needed.
    pub fn intern(&mut self, name: &str) -> Symbol {
        if let Some(&sym) = self.ids.get(name) {
            return sym;
        }
        let sym = Symbol(self.names.len() as u32);
        self.names.push(name.into());
        self.values.push(Value::String(name.to_owned()));
        self.ids.insert(name.into(), sym);
        sym
    }

    /// The symbol for `name`, if it was ever interned.
    pub fn get(&self, name: &str) -> Option<Symbol> {
        self.ids.get(name).copied()
    }

    /// The name of `sym`.
    pub fn name(&self, sym: Symbol) -> &str {
        &self.names[sym.0 as usize]
    }

    /// The name of `sym` as a string value.
    pub fn name_value(&self, sym: Symbol) -> &Value {
        &self.values[sym.0 as usize]
    }
}
