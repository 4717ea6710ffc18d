//! A bound on the memory one query may hold, so that a runaway query ends
//! in a `ResourceLimit` error instead of being killed by the system.
//!
//! The executor materialises rows where one clause hands its output to
//! the next: each `MATCH`, `UNWIND`, `WITH` and `RETURN` collects its rows
//! before the next clause starts. Those collections are what grows without
//! bound (a variable-length path query, an `UNWIND` over a list bound in
//! every row), so that is where the budget counts: each row's estimated
//! size — the row itself plus everything its values own (strings, lists,
//! maps, paths) — is
//! added as the row is kept. The count is per clause, as the rows of the
//! clause before are released once consumed. The estimate is a lower bound
//! of the real allocation (allocator slack is not counted), cheap (linear in
//! what was just cloned into the row) and never recursive.

use std::cell::Cell;
use std::mem::size_of;

use crate::error::{ErrorKind, QueryError};
use crate::graph::{NodeId, RelId, Value};
use crate::query::eval::Row;

/// The memory budget of one clause's rows.
#[derive(Debug, Default)]
pub struct Budget {
    limit: Option<usize>,
    used: Cell<usize>,
}

impl Budget {
    /// A budget of `limit` bytes; `None` for no bound.
    pub fn new(limit: Option<usize>) -> Budget {
        Budget {
            limit,
            used: Cell::new(0),
        }
    }

    /// Counts `row` as kept; fails once the rows kept exceed the limit.
    #[inline]
    pub fn keep(&self, row: &Row) -> Result<(), QueryError> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        self.used.set(self.used.get().saturating_add(row_size(row)));
        if self.used.get() > limit {
            return Err(QueryError::runtime(
                ErrorKind::ResourceLimit,
                "MemoryLimit",
                format!(
                    "the query holds more than {} of intermediate rows, over its memory limit",
                    human(limit)
                ),
                None,
            )
            .with_hint("add a LIMIT, bound variable-length patterns (e.g. *..5), filter earlier, or raise the memory limit"));
        }
        Ok(())
    }
}

/// Estimated bytes of a row: its slots and what their values own.
pub fn row_size(row: &Row) -> usize {
    let mut total = size_of::<Row>() + row.capacity() * size_of::<Value>();
    // An explicit stack: values may nest deeper than the call stack allows.
    let mut pending: Vec<&Value> = row.iter().collect();
    while let Some(v) = pending.pop() {
        total += match v {
            Value::String(s) => s.capacity(),
            Value::List(items) => {
                pending.extend(items);
                items.capacity() * size_of::<Value>()
            }
            Value::Map(m) => {
                pending.extend(m.values());
                m.keys()
                    .map(|k| k.capacity() + size_of::<(String, Value)>() + 16)
                    .sum()
            }
            Value::Path(p) => {
                p.nodes.capacity() * size_of::<NodeId>() + p.rels.capacity() * size_of::<RelId>()
            }
            _ => 0,
        };
    }
    total
}

/// `1.5 GiB`, `512 MiB`, `64 KiB`, `100 bytes`.
pub fn human(bytes: usize) -> String {
    const UNITS: [(&str, usize); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenth = (bytes % size) * 10 / size;
            return if tenth == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenth} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_big_values_count_their_contents() {
        let small = vec![Value::Int(1)];
        let big = vec![Value::List((0..1000).map(Value::Int).collect())];
        assert!(row_size(&big) >= 1000 * size_of::<Value>());
        assert!(row_size(&small) < 100);
    }

    #[test]
    fn budget_fails_once_the_limit_is_passed() {
        let row = vec![Value::String("x".repeat(1000))];
        let b = Budget::new(Some(10_000));
        let kept = (0..100).take_while(|_| b.keep(&row).is_ok()).count();
        assert!((5..10).contains(&kept), "{kept}");
        let e = b.keep(&row).unwrap_err();
        assert_eq!(
            (e.kind, e.detail),
            (ErrorKind::ResourceLimit, "MemoryLimit")
        );
        assert!(e.message.contains("9.7 KiB"), "{}", e.message);
    }

    #[test]
    fn no_limit_keeps_everything() {
        let b = Budget::new(None);
        let row = vec![Value::String("x".repeat(1 << 20))];
        assert!((0..100).all(|_| b.keep(&row).is_ok()));
    }

    #[test]
    fn deeply_nested_values_are_measured_without_recursion() {
        let mut v = Value::Int(0);
        for _ in 0..200_000 {
            v = Value::List(vec![v]);
        }
        let row = vec![v];
        assert!(row_size(&row) > 200_000 * size_of::<Value>());
        // Dismantle iteratively: dropping the nesting recursively would
        // need a deep stack too.
        let mut cur = row.into_iter().next();
        while let Some(Value::List(mut items)) = cur {
            cur = items.pop();
        }
    }
}
