//! Escaping text for XML 1.0 (GraphML and SVG).

/// Whether XML 1.0 allows `c` at all (even as a character reference).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes `s` for element content or a double-quoted attribute value.
/// Characters XML 1.0 forbids (most control characters) become U+FFFD, so
/// the document stays well-formed; `\r` (and in attributes `\t` and `\n`)
/// become character references so that parsers do not normalise them away.
pub(crate) fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(escape("a<b & \"c\"", false), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(escape("x\u{1}y\r\n", false), "x\u{FFFD}y&#13;\n");
        assert_eq!(escape("a\nb", true), "a&#10;b");
    }
}
