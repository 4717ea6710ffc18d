//! Queries on the article graph: a result or an error, within a timeout.
#![no_main]

use std::sync::LazyLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;

static ARTICLE: LazyLock<kgq::Graph> = LazyLock::new(kgq::io::article_graph);

fuzz_target!(|text: &str| {
    let mut session = kgq::Session::new(ARTICLE.clone());
    session.options_mut().timeout = Some(Duration::from_millis(200));
    session.options_mut().max_rows = Some(10_000);
    if let Err(e) = session.execute(text) {
        if let Some(span) = e.span {
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
        }
        let _ = e.render(text, None);
    }
});
