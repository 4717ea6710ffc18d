//! The native JSON loader: a graph or a data error inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = kgq::io::native::load_str(text, None) {
        if let Some(line) = e.line {
            assert!(line <= text.split('\n').count(), "{e}");
        }
    }
});
