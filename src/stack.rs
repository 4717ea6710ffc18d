//! Deep recursion without stack overflow.
//!
//! The parser, the analyser and the evaluator recurse over the syntax tree,
//! and the parser bounds its depth ([`crate::query::parser::MAX_NESTING`]).
//! Within that bound a query may still need far more stack than a spawned
//! thread gets by default (2 MiB; test threads, a shell's worker), above
//! all in unoptimised builds, where each level of nesting costs tens of
//! kilobytes. [`with_large_stack`] runs a computation on a thread whose
//! stack is large enough for the deepest accepted query; the memory is
//! only reserved, and pages are committed as they are touched.

use std::cell::Cell;

/// Stack size of the worker thread: enough for a query nested to the
/// parser's limit in an unoptimised build.
pub const LARGE_STACK: usize = 256 << 20;

thread_local! {
    /// Whether this thread already runs with [`LARGE_STACK`].
    static ON_LARGE_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on a thread with a [`LARGE_STACK`] and returns its result; runs
/// it directly when already on one, or when no thread can be started (the
/// depth limits still hold then, only with less headroom). A panic in `f`
/// is resumed in the caller.
pub fn with_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if ON_LARGE_STACK.with(Cell::get) {
        return f();
    }
    // `f` moves into the thread only if the spawn succeeds; keep it in an
    // Option so that a failed spawn can still run it here.
    let slot = std::sync::Mutex::new(Some(f));
    let outcome = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("kgq-query".into())
            .stack_size(LARGE_STACK)
            .spawn_scoped(scope, || {
                ON_LARGE_STACK.with(|c| c.set(true));
                let f = slot.lock().ok().and_then(|mut s| s.take());
                f.map(|f| f())
            });
        spawned.ok().map(|h| h.join())
    });
    match outcome {
        Some(Ok(Some(v))) => v,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // The thread could not start (or lost `f`, which cannot happen):
        // run here.
        Some(Ok(None)) | None => {
            let f = slot.into_inner().unwrap_or_else(|p| p.into_inner());
            match f {
                Some(f) => f(),
                None => unreachable_state(),
            }
        }
    }
}

#[cold]
fn unreachable_state() -> ! {
    // `f` is taken only by the spawned thread, which then returns
    // `Some(Ok(Some(_)))` or a panic; both are handled above.
    panic!("with_large_stack: the computation was taken but produced nothing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(n: u64) -> u64 {
        // A frame the optimiser cannot remove.
        let pad = std::hint::black_box([n; 64]);
        if n == 0 {
            pad[0]
        } else {
            depth(n - 1) + pad[1] - n + 1
        }
    }

    #[test]
    fn recursion_too_deep_for_a_test_thread_succeeds() {
        // 100 000 frames of over 512 bytes need more than 50 MB of stack.
        assert_eq!(with_large_stack(|| depth(100_000)), 100_000);
    }

    #[test]
    fn nested_calls_reuse_the_large_stack() {
        let inner = with_large_stack(|| {
            let here = std::thread::current().id();
            with_large_stack(move || std::thread::current().id() == here)
        });
        assert!(inner);
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| with_large_stack(|| panic!("inside")));
        assert!(caught.is_err());
    }
}
