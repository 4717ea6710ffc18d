//! "Did you mean ...?": the nearest known name to a mistyped one, and the
//! labels, types and keys a query names that the graph does not have.

use super::lexer::{TokenKind, tokenize};
use super::schema::Schema;

/// The edit distance between `a` and `b` in characters: insertions,
/// deletions, substitutions and swaps of two neighbours (the commonest
/// typo) each count one.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows suffice: a swap looks two rows back.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut above: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut above);
        std::mem::swap(&mut above, &mut row);
    }
    above[b.len()]
}

/// The candidate closest to `wrong`, if one is close enough to be a
/// plausible typo: a case difference alone always is; otherwise at most a
/// third of the name's length (and at least 1) may differ.
pub fn nearest<'a, I>(wrong: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = wrong.to_lowercase();
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != wrong)
        .map(|c| {
            let d = if c.to_lowercase() == lower {
                0
            } else {
                levenshtein(&lower, &c.to_lowercase())
            };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// What a name in a query stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A node label, `(n:Label)` or `n:Label`.
    Label,
    /// A relationship type, `[:TYPE]` or `[r:A|B]`.
    Type,
    /// A property key, `n.key` or `{key: ...}` in a pattern.
    Key,
}

impl NameKind {
    fn noun(self) -> &'static str {
        match self {
            NameKind::Label => "label",
            NameKind::Type => "relationship type",
            NameKind::Key => "property key",
        }
    }
}

fn unquote(text: &str) -> String {
    match text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => text.to_owned(),
    }
}

/// The labels, types and keys `query` names, found from the tokens alone:
/// a name after `:` is a label, or a type inside `[...]`, unless the `:`
/// separates a map key from its value; a name after `var.` or before `:`
/// in a pattern's property map is a key.
pub fn used_names(query: &str) -> Vec<(NameKind, String)> {
    let tokens: Vec<_> = tokenize(query)
        .into_iter()
        .filter(|t| !t.is_trivia())
        .collect();
    let mut brackets: Vec<char> = Vec::new();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let text = t.text(query);
        let prev = i.checked_sub(1).map(|j| tokens[j].text(query));
        let next = tokens.get(i + 1).map(|n| n.text(query));
        if t.kind == TokenKind::Punct {
            match text {
                // A `[` after `-` opens a relationship pattern ('R'); any
                // other `[` a list, an index or a comprehension.
                "[" if prev == Some("-") => brackets.push('R'),
                "(" | "[" | "{" => brackets.push(text.chars().next().unwrap_or('(')),
                ")" | "]" | "}" => {
                    brackets.pop();
                }
                _ => {}
            }
            continue;
        }
        let is_name = matches!(
            t.kind,
            TokenKind::Word | TokenKind::Backquoted { closed: true }
        );
        if !is_name {
            continue;
        }
        let innermost = brackets.last().copied();
        let name = unquote(text);
        match prev {
            Some(":") | Some("|") if innermost != Some('{') => {
                // `|` only separates types inside a relationship pattern.
                if prev == Some("|") && innermost != Some('R') {
                    continue;
                }
                let kind = if innermost == Some('R') {
                    NameKind::Type
                } else {
                    NameKind::Label
                };
                out.push((kind, name));
            }
            Some(".") if i >= 2 && tokens[i - 2].kind == TokenKind::Word => {
                out.push((NameKind::Key, name));
            }
            _ if innermost == Some('{') && next == Some(":") => {
                // A key in a property map directly inside a pattern.
                let outer = brackets.len().checked_sub(2).map(|j| brackets[j]);
                if matches!(outer, Some('(') | Some('R')) {
                    out.push((NameKind::Key, name));
                }
            }
            _ => {}
        }
    }
    out
}

/// Notes for a query that found nothing: each label, type or key it names
/// that the graph lacks, with the nearest existing name when there is one.
pub fn unknown_name_notes(schema: &Schema, query: &str) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    let keys = schema.all_keys();
    for (kind, name) in used_names(query) {
        let known: Vec<&str> = match kind {
            NameKind::Label => schema.labels.keys().map(String::as_str).collect(),
            NameKind::Type => schema.types.keys().map(String::as_str).collect(),
            NameKind::Key => keys.iter().copied().collect(),
        };
        if known.contains(&name.as_str()) {
            continue;
        }
        let mut note = format!("note: the graph has no {} `{name}`", kind.noun());
        if let Some(near) = nearest(&name, known) {
            note.push_str(&format!("; did you mean `{near}`?"));
        }
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_single_character_edits() {
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("Person", "Person"), 0);
        assert_eq!(levenshtein("Preson", "Person"), 1);
        assert_eq!(levenshtein("ab", "ba"), 1);
        assert_eq!(levenshtein("Kyïv", "Kyiv"), 1);
    }

    #[test]
    fn nearest_finds_typos_and_case_slips() {
        let labels = ["Person", "Place", "Quote", "Platform"];
        assert_eq!(nearest("Persn", labels), Some("Person"));
        assert_eq!(nearest("person", labels), Some("Person"));
        assert_eq!(nearest("Qoute", labels), Some("Quote"));
    }

    #[test]
    fn names_in_a_query_are_sorted_into_labels_types_and_keys() {
        let names = used_names(
            "MATCH (p:Person {name: 'x'})-[r:SAID|WROTE]->(q:`Quote`) \
             WHERE p:Leader AND q.text CONTAINS 'STOP' RETURN {k: p.age}, [x IN [1] | x], count(*)",
        );
        let kinds = |k: NameKind| -> Vec<String> {
            names
                .iter()
                .filter(|(n, _)| *n == k)
                .map(|(_, s)| s.clone())
                .collect()
        };
        assert_eq!(kinds(NameKind::Label), vec!["Person", "Quote", "Leader"]);
        assert_eq!(kinds(NameKind::Type), vec!["SAID", "WROTE"]);
        assert_eq!(kinds(NameKind::Key), vec!["name", "text", "age"]);
    }

    #[test]
    fn unknown_names_get_a_note_with_the_nearest_existing_one() {
        let mut schema = Schema::default();
        schema.labels.insert("Person".into(), 3);
        schema.types.insert("REBUKED".into(), 1);
        schema.node_keys.insert("name".into(), 3);
        let notes = unknown_name_notes(
            &schema,
            "MATCH (p:Preson)-[:REBUKE]->(x) WHERE p.nmae = 'a' AND p.zzzzzz = 1 RETURN p",
        );
        assert_eq!(
            notes,
            vec![
                "note: the graph has no label `Preson`; did you mean `Person`?",
                "note: the graph has no relationship type `REBUKE`; did you mean `REBUKED`?",
                "note: the graph has no property key `nmae`; did you mean `name`?",
                "note: the graph has no property key `zzzzzz`",
            ]
        );
    }

    #[test]
    fn nearest_gives_nothing_for_unrelated_names() {
        assert_eq!(nearest("Vehicle", ["Person", "Place"]), None);
        assert_eq!(nearest("x", Vec::<&str>::new()), None);
    }
}
