//! The parser on arbitrary text: a statement or a positioned syntax error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = kgq::query::parser::parse(text) {
        let span = e.span.expect("a syntax error has a position");
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let _ = e.render(text, None);
    }
});
