//! A small lexer for the shell: it knows strings, backquoted names and
//! comments, which is all the shell needs to decide where a statement ends
//! (at a `;` outside them), to colour the input and to find the word being
//! completed. The query parser proper lives in `crate::query`.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Spaces, tabs and line breaks.
    Space,
    /// `// ...` up to the end of the line.
    LineComment,
    /// `/* ... */`; `closed` is false when the input ends inside it.
    BlockComment {
        /// Whether the closing `*/` was seen.
        closed: bool,
    },
    /// A `'...'` or `"..."` literal.
    String {
        /// Whether the closing quote was seen.
        closed: bool,
    },
    /// A `` `...` `` name.
    Backquoted {
        /// Whether the closing backquote was seen.
        closed: bool,
    },
    /// A number literal (digits, `.`, exponent, hex and octal forms).
    Number,
    /// A keyword, function name, variable, label or key.
    Word,
    /// `$name`.
    Parameter,
    /// `;`.
    Semicolon,
    /// Any other character (operators, brackets).
    Punct,
}

/// A token: its kind and byte range in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Token {
    /// The token's text in `input`.
    pub fn text<'a>(&self, input: &'a str) -> &'a str {
        &input[self.start..self.end]
    }

    /// Whether the token is space or a comment.
    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Space | TokenKind::LineComment | TokenKind::BlockComment { .. }
        )
    }

    /// Whether the input ended inside this token (an open string, name or
    /// comment).
    pub fn is_open(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::String { closed: false }
                | TokenKind::Backquoted { closed: false }
                | TokenKind::BlockComment { closed: false }
        )
    }
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `input` into tokens covering every byte. Never fails: anything
/// unknown is a one-character `Punct`.
pub fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let kind = if c.is_whitespace() {
            while let Some(&(i, c)) = chars.peek() {
                if !c.is_whitespace() {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            TokenKind::Space
        } else if c == '/' && input[end..].starts_with('/') {
            end = input[start..].find('\n').map_or(input.len(), |i| start + i);
            skip_to(&mut chars, end);
            TokenKind::LineComment
        } else if c == '/' && input[end..].starts_with('*') {
            let closed = input[end + 1..].find("*/");
            end = closed.map_or(input.len(), |i| end + 1 + i + 2);
            skip_to(&mut chars, end);
            TokenKind::BlockComment {
                closed: closed.is_some(),
            }
        } else if c == '\'' || c == '"' {
            let mut closed = false;
            while let Some((i, d)) = chars.next() {
                end = i + d.len_utf8();
                if d == '\\' {
                    if let Some((j, e)) = chars.next() {
                        end = j + e.len_utf8();
                    }
                } else if d == c {
                    closed = true;
                    break;
                }
            }
            TokenKind::String { closed }
        } else if c == '`' {
            // A doubled backquote inside a name stands for one backquote.
            let mut closed = false;
            while let Some((i, d)) = chars.next() {
                end = i + 1;
                if d == '`' {
                    if chars.peek().is_some_and(|&(_, e)| e == '`') {
                        chars.next();
                        end += 1;
                    } else {
                        closed = true;
                        break;
                    }
                } else {
                    end = i + d.len_utf8();
                }
            }
            TokenKind::Backquoted { closed }
        } else if c.is_ascii_digit() {
            while let Some(&(i, d)) = chars.peek() {
                let exponent_sign = (d == '-' || d == '+')
                    && input[..i].ends_with(['e', 'E'])
                    && !input[start..i].starts_with("0x");
                let fraction = d == '.' && input[i + 1..].starts_with(|n: char| n.is_ascii_digit());
                if !(d.is_ascii_alphanumeric() || d == '_' || exponent_sign || fraction) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            TokenKind::Number
        } else if is_word_start(c) {
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            TokenKind::Word
        } else if c == '$' {
            while let Some(&(i, d)) = chars.peek() {
                if !is_word_char(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            TokenKind::Parameter
        } else if c == ';' {
            TokenKind::Semicolon
        } else {
            TokenKind::Punct
        };
        tokens.push(Token { kind, start, end });
    }
    tokens
}

fn skip_to(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, end: usize) {
    while chars.peek().is_some_and(|&(i, _)| i < end) {
        chars.next();
    }
}

/// One statement of a script: its text without the closing `;` and
/// without surrounding space, and the byte offset of that text in the
/// input it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The statement's text.
    pub text: String,
    /// Byte offset of `text` in the input.
    pub offset: usize,
}

/// The statements completed by a `;` in `input`, and the byte offset where
/// the unfinished rest begins. Comment-only pieces are dropped.
pub fn split_statements(input: &str) -> (Vec<Statement>, usize) {
    let mut out = Vec::new();
    let mut piece_start = 0;
    let mut first_real: Option<usize> = None;
    let mut last_real_end = 0;
    for token in tokenize(input) {
        match token.kind {
            TokenKind::Semicolon => {
                if let Some(start) = first_real {
                    out.push(Statement {
                        text: input[start..last_real_end].to_owned(),
                        offset: start,
                    });
                }
                first_real = None;
                piece_start = token.end;
            }
            _ if token.is_trivia() => {}
            _ => {
                first_real.get_or_insert(token.start);
                last_real_end = token.end;
            }
        }
    }
    (out, piece_start)
}

/// The statement left after the last `;`, if it holds anything but space
/// and comments: the last statement of a script may omit its `;`.
pub fn trailing_statement(input: &str, from: usize) -> Option<Statement> {
    let rest = &input[from..];
    let tokens = tokenize(rest);
    let first = tokens.iter().find(|t| !t.is_trivia())?;
    let last = tokens.iter().rev().find(|t| !t.is_trivia())?;
    Some(Statement {
        text: rest[first.start..last.end].to_owned(),
        offset: from + first.start,
    })
}

/// Whether `input` holds at least one finished statement: a `;` outside
/// strings, names and comments. This is what decides, in the REPL, whether
/// Enter runs the input or asks for another line.
pub fn is_complete(input: &str) -> bool {
    tokenize(input)
        .iter()
        .any(|t| t.kind == TokenKind::Semicolon)
}

/// Whether `input` is only space and comments.
pub fn is_blank(input: &str) -> bool {
    tokenize(input).iter().all(Token::is_trivia)
}

/// Whether the input ends inside a string, backquoted name or block
/// comment (so a line break belongs to it).
pub fn ends_open(input: &str) -> bool {
    tokenize(input).last().is_some_and(Token::is_open)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        let (done, rest) = split_statements(input);
        let mut out: Vec<String> = done.into_iter().map(|s| s.text).collect();
        if let Some(last) = trailing_statement(input, rest) {
            out.push(format!("{}<no ;>", last.text));
        }
        out
    }

    #[test]
    fn a_semicolon_ends_a_statement() {
        assert!(is_complete("MATCH (n) RETURN n;"));
        assert!(!is_complete("MATCH (n)\nRETURN n"));
    }

    #[test]
    fn semicolons_inside_strings_names_and_comments_do_not_end_a_statement() {
        assert!(!is_complete("RETURN 'a;b'"));
        assert!(!is_complete("RETURN \"a;b\""));
        assert!(!is_complete("RETURN 1 AS `x;y`"));
        assert!(!is_complete("RETURN 1 // ;"));
        assert!(!is_complete("RETURN 1 /* ; */"));
        assert!(!is_complete("RETURN 'it\\'s;"));
        assert!(is_complete("RETURN 'it\\'s'; "));
    }

    #[test]
    fn an_open_string_or_comment_keeps_the_statement_open() {
        assert!(ends_open("RETURN 'abc"));
        assert!(ends_open("RETURN 1 /* note"));
        assert!(ends_open("RETURN `a"));
        assert!(!ends_open("RETURN 'abc'"));
        assert!(!is_complete("RETURN '; /*"));
    }

    #[test]
    fn statements_split_with_their_offsets() {
        let input = "RETURN 1;\n  MATCH (n)\n  RETURN n ;";
        let (done, rest) = split_statements(input);
        assert_eq!(done.len(), 2);
        assert_eq!(done[0].text, "RETURN 1");
        assert_eq!(done[0].offset, 0);
        assert_eq!(done[1].text, "MATCH (n)\n  RETURN n");
        assert_eq!(&input[done[1].offset..done[1].offset + 5], "MATCH");
        assert_eq!(rest, input.len());
    }

    #[test]
    fn the_last_statement_without_a_semicolon_is_kept() {
        assert_eq!(
            texts("RETURN 1;\nRETURN 2"),
            vec!["RETURN 1", "RETURN 2<no ;>"]
        );
        assert_eq!(texts("RETURN 1;\n// done\n"), vec!["RETURN 1"]);
    }

    #[test]
    fn comment_only_and_empty_pieces_are_dropped() {
        assert_eq!(texts(";; /* x */ ; // y\n"), Vec::<String>::new());
        assert_eq!(texts("// who said it\nRETURN 1;"), vec!["RETURN 1"]);
    }

    #[test]
    fn tokens_cover_the_input_and_classify_words_numbers_and_parameters() {
        let input = "MATCH (p:Person {age: 1.5e3}) WHERE p.name = $who RETURN 0x1F;";
        let tokens = tokenize(input);
        let joined: String = tokens.iter().map(|t| t.text(input)).collect();
        assert_eq!(joined, input);
        let kinds: Vec<(TokenKind, &str)> = tokens
            .iter()
            .filter(|t| !t.is_trivia() && t.kind != TokenKind::Punct)
            .map(|t| (t.kind, t.text(input)))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (TokenKind::Word, "MATCH"),
                (TokenKind::Word, "p"),
                (TokenKind::Word, "Person"),
                (TokenKind::Word, "age"),
                (TokenKind::Number, "1.5e3"),
                (TokenKind::Word, "WHERE"),
                (TokenKind::Word, "p"),
                (TokenKind::Word, "name"),
                (TokenKind::Parameter, "$who"),
                (TokenKind::Word, "RETURN"),
                (TokenKind::Number, "0x1F"),
                (TokenKind::Semicolon, ";"),
            ]
        );
    }

    #[test]
    fn doubled_backquotes_stay_inside_the_name() {
        let input = "RETURN 1 AS `a``;b`;";
        let (done, _) = split_statements(input);
        assert_eq!(done[0].text, "RETURN 1 AS `a``;b`");
    }

    #[test]
    fn multibyte_text_is_handled() {
        let input = "RETURN 'Kyiv – “strike”'; RETURN ä";
        assert_eq!(
            texts(input),
            vec!["RETURN 'Kyiv – “strike”'", "RETURN ä<no ;>"]
        );
    }

    #[test]
    fn a_range_in_a_pattern_is_not_a_float() {
        let input = "MATCH ()-[*1..3]->()";
        let numbers: Vec<&str> = tokenize(input)
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.text(input))
            .collect();
        assert_eq!(numbers, vec!["1", "3"]);
    }

    proptest::proptest! {
        #[test]
        fn tokens_cover_any_input_and_statements_point_into_it(
            input in "[a-zA-Z0-9 ;'\"`/*\n(){}:.$é語-]{0,60}"
        ) {
            let tokens = tokenize(&input);
            let joined: String = tokens.iter().map(|t| t.text(&input)).collect();
            proptest::prop_assert_eq!(joined, input.clone());
            let (done, rest) = split_statements(&input);
            proptest::prop_assert!(rest <= input.len());
            for s in done.into_iter().chain(trailing_statement(&input, rest)) {
                proptest::prop_assert_eq!(&input[s.offset..s.offset + s.text.len()], s.text.as_str());
            }
        }
    }
}
