//! The line editor's helper: Tab completion that knows the graph, syntax
//! colours, and hints from history.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::command::COMMANDS;
use super::data::export_formats;
use super::help::TOPICS;
use super::lexer::{Token, TokenKind, tokenize};
use super::output::OutputFormat;
use super::schema::Schema;
use crate::graph::quote_identifier;

/// Keywords of the query language, for completion and colouring: the
/// parser's own list, so the two cannot drift apart.
pub const KEYWORDS: &[&str] = crate::query::parser::RESERVED;

/// Forms that look like function calls but are syntax, not functions of
/// the registry (`crate::query::functions`), for completion.
const SYNTAX_CALLS: &[&str] = &[
    "all",
    "any",
    "none",
    "single",
    "exists",
    "shortestPath",
    "allShortestPaths",
];

/// Every function name and call-like form, for completion.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    crate::query::functions::all()
        .iter()
        .map(|f| f.name)
        .chain(SYNTAX_CALLS.iter().copied())
}

/// What the editor needs to know about the session, shared with the REPL
/// loop, which refreshes it.
#[derive(Clone, Default)]
pub struct Shared {
    /// The graph's names.
    pub schema: Rc<RefCell<Schema>>,
    /// The earlier lines of the statement being typed.
    pub pending: Rc<RefCell<String>>,
    /// The names of the session's parameters.
    pub params: Rc<RefCell<Vec<String>>>,
}

/// The rustyline helper.
pub struct KgqHelper {
    shared: Shared,
    color: bool,
    hinter: HistoryHinter,
    files: FilenameCompleter,
}

impl KgqHelper {
    /// A helper over `shared`; colours only when `color`.
    pub fn new(shared: Shared, color: bool) -> KgqHelper {
        KgqHelper {
            shared,
            color,
            hinter: HistoryHinter::new(),
            files: FilenameCompleter::new(),
        }
    }
}

/// What Tab should complete at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A meta-command name.
    Command,
    /// A file path.
    Path,
    /// One of a fixed set of words (formats, on/off, topics).
    Choice(Vec<String>),
    /// A label.
    Label,
    /// A relationship type.
    Type,
    /// A property key; the label or type of the variable when known.
    Key(Option<(bool, String)>),
    /// A `$parameter`.
    Parameter,
    /// A keyword, function or anything else.
    Word,
    /// Nothing sensible (inside a string or comment).
    Nothing,
}

/// Finds the start of the word ending at `pos` and what kind of word it is.
/// `before` is the earlier lines of the same statement.
pub fn slot_at(before: &str, line: &str, pos: usize) -> (usize, Slot) {
    let head = &line[..pos];
    if before.trim().is_empty() && head.trim_start().starts_with(':') {
        return command_slot(head);
    }
    let context = format!("{before}{head}");
    let tokens = tokenize(&context);
    let offset = before.len();
    if tokens.last().is_some_and(|t| {
        t.is_open() || matches!(t.kind, TokenKind::LineComment | TokenKind::String { .. })
    }) {
        return (pos, Slot::Nothing);
    }
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(pos, |(i, _)| i);
    if head[..start].ends_with('$') {
        return (start, Slot::Parameter);
    }
    let real: Vec<&Token> = tokens
        .iter()
        .filter(|t| !t.is_trivia() && t.end <= offset + start)
        .collect();
    let prev = real.last().map(|t| t.text(&context));
    match prev {
        Some(":") | Some("|") => {
            let innermost = innermost_bracket(&context, &real);
            return match (prev, innermost) {
                (_, Some('{')) => (start, Slot::Word),
                (Some("|"), Some('R')) | (Some(":"), Some('R')) => (start, Slot::Type),
                (Some("|"), _) => (start, Slot::Word),
                _ => (start, Slot::Label),
            };
        }
        Some(".") if real.len() >= 2 && real[real.len() - 2].kind == TokenKind::Word => {
            let var = real[real.len() - 2].text(&context);
            return (start, Slot::Key(binding_of(&context, &tokens, var)));
        }
        _ => {}
    }
    (start, Slot::Word)
}

/// The innermost open bracket among `real`: `R` for a relationship
/// pattern (a `[` after `-`), else the bracket character.
fn innermost_bracket(context: &str, real: &[&Token]) -> Option<char> {
    let mut stack = Vec::new();
    for (i, t) in real.iter().enumerate() {
        match t.text(context) {
            "[" if i > 0 && real[i - 1].text(context) == "-" => stack.push('R'),
            "(" => stack.push('('),
            "[" => stack.push('['),
            "{" => stack.push('{'),
            ")" | "]" | "}" => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.last().copied()
}

/// The label (false) or type (true) that `var` was given in the statement:
/// `(var:Label` or `[var:TYPE`.
fn binding_of(context: &str, tokens: &[Token], var: &str) -> Option<(bool, String)> {
    let real: Vec<&Token> = tokens.iter().filter(|t| !t.is_trivia()).collect();
    real.windows(4).find_map(|w| {
        let open = w[0].text(context);
        if (open == "(" || open == "[")
            && w[1].text(context) == var
            && w[2].text(context) == ":"
            && w[3].kind == TokenKind::Word
        {
            Some((open == "[", w[3].text(context).to_owned()))
        } else {
            None
        }
    })
}

fn command_slot(head: &str) -> (usize, Slot) {
    let trimmed = head.trim_start();
    let lead = head.len() - trimmed.len();
    let Some(space) = trimmed.find(char::is_whitespace) else {
        return (lead, Slot::Command);
    };
    let name = trimmed[1..space].to_lowercase();
    let args = &trimmed[space..];
    let word_start = head
        .rfind(char::is_whitespace)
        .map_or(head.len(), |i| i + 1);
    let arg_index =
        args.split_whitespace().count() - usize::from(!head.ends_with(char::is_whitespace));
    let words = |list: &[&str]| Slot::Choice(list.iter().map(|s| (*s).to_owned()).collect());
    let slot = match (name.as_str(), arg_index) {
        ("source" | "load" | "save", 0) => Slot::Path,
        ("export", 0) => Slot::Choice(export_formats().into_iter().map(str::to_owned).collect()),
        ("export", 1) => Slot::Path,
        ("format", 0) => Slot::Choice(
            OutputFormat::ALL
                .iter()
                .map(|f| f.name().to_owned())
                .collect(),
        ),
        ("timing", 0) => words(&["on", "off"]),
        ("timeout", 0) => words(&["off", "1s", "10s", "1m"]),
        ("params", 0) => words(&["clear"]),
        ("help", 0) => {
            let mut topics: Vec<String> = TOPICS.iter().map(|s| (*s).to_owned()).collect();
            topics.extend(COMMANDS.iter().map(|(n, _, _)| (*n).to_owned()));
            Slot::Choice(topics)
        }
        _ => Slot::Nothing,
    };
    (word_start, slot)
}

fn matching(prefix: &str, names: impl IntoIterator<Item = String>) -> Vec<String> {
    let lower = prefix.to_lowercase();
    let mut out: Vec<String> = names
        .into_iter()
        .filter(|n| n.to_lowercase().starts_with(&lower))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The candidates for `slot` given the word typed so far.
pub fn candidates(slot: &Slot, prefix: &str, schema: &Schema, params: &[String]) -> Vec<String> {
    let quoted = |names: Vec<&String>| -> Vec<String> {
        names.into_iter().map(|n| quote_identifier(n)).collect()
    };
    match slot {
        Slot::Command => matching(
            prefix.trim_start_matches(':'),
            COMMANDS.iter().map(|(n, _, _)| (*n).to_owned()),
        )
        .into_iter()
        .map(|n| format!(":{n}"))
        .collect(),
        Slot::Choice(list) => matching(prefix, list.iter().cloned()),
        Slot::Label => matching(prefix, quoted(schema.labels.keys().collect())),
        Slot::Type => matching(prefix, quoted(schema.types.keys().collect())),
        Slot::Key(binding) => {
            let keys: Vec<String> = match binding {
                Some((false, label)) => schema
                    .keys_by_label
                    .get(label)
                    .map(|k| k.iter().cloned().collect())
                    .unwrap_or_default(),
                Some((true, t)) => schema
                    .keys_by_type
                    .get(t)
                    .map(|k| k.iter().cloned().collect())
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            let keys = if keys.is_empty() {
                schema.all_keys().into_iter().map(str::to_owned).collect()
            } else {
                keys
            };
            matching(prefix, keys.iter().map(|k| quote_identifier(k)))
        }
        Slot::Parameter => matching(prefix, params.iter().cloned()),
        Slot::Word => {
            let lower_case = prefix.chars().next().is_some_and(char::is_lowercase);
            let keywords = KEYWORDS.iter().map(|k| {
                if lower_case {
                    k.to_lowercase()
                } else {
                    (*k).to_owned()
                }
            });
            let functions = function_names().map(str::to_owned);
            if prefix.is_empty() {
                return Vec::new();
            }
            matching(prefix, keywords.chain(functions))
        }
        Slot::Path | Slot::Nothing => Vec::new(),
    }
}

impl Completer for KgqHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = self.shared.pending.borrow().clone();
        let (start, slot) = slot_at(&before, line, pos);
        if slot == Slot::Path {
            return self.files.complete(line, pos, ctx);
        }
        let prefix = &line[start..pos];
        let schema = self.shared.schema.borrow();
        let params = self.shared.params.borrow();
        let found = candidates(&slot, prefix, &schema, &params);
        let pairs = found
            .into_iter()
            .map(|c| Pair {
                display: c.clone(),
                replacement: c,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for KgqHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

const RESET: &str = "\x1b[0m";

/// The ANSI colour for each token of `line`.
pub fn colorize(line: &str) -> String {
    if line.trim_start().starts_with(':') {
        let trimmed = line.trim_start();
        let lead = &line[..line.len() - trimmed.len()];
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        return format!(
            "{lead}\x1b[1;32m{}{RESET}{}",
            &trimmed[..end],
            &trimmed[end..]
        );
    }
    let tokens = tokenize(line);
    let mut out = String::with_capacity(line.len() * 2);
    let mut prev_real: Option<&str> = None;
    for (i, t) in tokens.iter().enumerate() {
        let text = t.text(line);
        let next_real = tokens[i + 1..]
            .iter()
            .find(|n| !n.is_trivia())
            .map(|n| n.text(line));
        let color = match t.kind {
            TokenKind::LineComment | TokenKind::BlockComment { .. } => Some("\x1b[90m"),
            TokenKind::String { .. } => Some("\x1b[32m"),
            TokenKind::Number => Some("\x1b[36m"),
            TokenKind::Parameter => Some("\x1b[1;35m"),
            TokenKind::Word | TokenKind::Backquoted { .. } => {
                if matches!(prev_real, Some(":") | Some("|")) {
                    Some("\x1b[35m")
                } else if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(text)) {
                    Some("\x1b[1;34m")
                } else if next_real == Some("(") {
                    Some("\x1b[36m")
                } else if prev_real == Some(".")
                    || (next_real == Some(":") && matches!(prev_real, Some("{") | Some(",")))
                {
                    // A property key, after `var.` or in a map.
                    None
                } else {
                    Some("\x1b[33m")
                }
            }
            _ => None,
        };
        match color {
            Some(c) => {
                out.push_str(c);
                out.push_str(text);
                out.push_str(RESET);
            }
            None => out.push_str(text),
        }
        if !t.is_trivia() {
            prev_real = Some(text);
        }
    }
    out
}

impl Highlighter for KgqHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(colorize(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Validator for KgqHelper {}

impl Helper for KgqHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Graph, Value};

    fn schema() -> Schema {
        let mut g = Graph::new();
        let p = g.add_node(
            ["Person"],
            [
                ("name", Value::from("Donald Trump")),
                ("title", Value::from("President")),
            ],
        );
        let q = g.add_node(["Quote"], [("text", Value::from("Vladimir, STOP!"))]);
        g.add_node(["Platform"], [("name", Value::from("Truth Social"))]);
        g.add_rel(
            p,
            q,
            "SAID",
            [("evidence", Value::List(vec![Value::Int(6)]))],
        )
        .unwrap();
        Schema::of(&g)
    }

    fn complete(before: &str, line: &str) -> Vec<String> {
        let (start, slot) = slot_at(before, line, line.len());
        candidates(&slot, &line[start..], &schema(), &["who".to_owned()])
    }

    #[test]
    fn labels_complete_after_a_colon() {
        assert_eq!(complete("", "MATCH (p:Pe"), vec!["Person"]);
        assert_eq!(complete("", "MATCH (p:P"), vec!["Person", "Platform"]);
        assert_eq!(
            complete("", "MATCH (:"),
            vec!["Person", "Platform", "Quote"]
        );
    }

    #[test]
    fn types_complete_inside_a_relationship_pattern() {
        assert_eq!(complete("", "MATCH (a)-[:S"), vec!["SAID"]);
        assert_eq!(complete("", "MATCH (a)-[r:"), vec!["SAID"]);
        assert_eq!(complete("", "MATCH (a)-[r:X|S"), vec!["SAID"]);
    }

    #[test]
    fn keys_complete_after_a_variable_and_follow_its_label() {
        assert_eq!(complete("", "MATCH (p:Person) RETURN p.ti"), vec!["title"]);
        assert_eq!(
            complete("", "MATCH (p:Person) RETURN p."),
            vec!["name", "title"]
        );
        assert_eq!(complete("MATCH (q:Quote)\n", "RETURN q."), vec!["text"]);
        assert_eq!(
            complete("", "MATCH ()-[r:SAID]->() RETURN r."),
            vec!["evidence"]
        );
        // A variable of unknown label gets every key.
        assert_eq!(complete("", "RETURN x.n"), vec!["name"]);
    }

    #[test]
    fn keywords_functions_parameters_and_commands_complete() {
        assert_eq!(complete("", "MAT"), vec!["MATCH"]);
        assert_eq!(complete("", "ret"), vec!["return"]);
        assert_eq!(complete("", "rev"), vec!["reverse"]);
        assert_eq!(complete("", "RETURN coll"), vec!["collect"]);
        assert_eq!(complete("", "RETURN $w"), vec!["who"]);
        assert_eq!(complete("", ":sch"), vec![":schema"]);
        assert_eq!(complete("", ":format j"), vec!["json", "jsonl"]);
        assert_eq!(complete("", ":export gr"), vec!["graphml"]);
    }

    #[test]
    fn file_commands_complete_paths() {
        assert_eq!(slot_at("", ":load da", 8).1, Slot::Path);
        assert_eq!(slot_at("", ":export dot ou", 14).1, Slot::Path);
    }

    #[test]
    fn nothing_completes_inside_a_string() {
        assert_eq!(complete("", "RETURN 'Pe"), Vec::<String>::new());
    }

    #[test]
    fn colours_mark_keywords_strings_numbers_labels_and_parameters() {
        let shown = colorize("MATCH (p:Person) WHERE p.age > 3 AND p.name = $who RETURN 'x' // c");
        assert!(shown.contains("\x1b[1;34mMATCH\x1b[0m"));
        assert!(shown.contains("\x1b[35mPerson\x1b[0m"));
        assert!(shown.contains("\x1b[36m3\x1b[0m"));
        assert!(shown.contains("\x1b[1;35m$who\x1b[0m"));
        assert!(shown.contains("\x1b[32m'x'\x1b[0m"));
        assert!(shown.contains("\x1b[90m// c\x1b[0m"));
        assert!(shown.contains("\x1b[33mp\x1b[0m"));
        assert!(colorize("MATCH ({name: 1})").contains("({name: "));
        let plain: String = strip_ansi(&shown);
        assert_eq!(
            plain,
            "MATCH (p:Person) WHERE p.age > 3 AND p.name = $who RETURN 'x' // c"
        );
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut in_escape = false;
        for c in s.chars() {
            if c == '\x1b' {
                in_escape = true;
            } else if in_escape {
                if c == 'm' {
                    in_escape = false;
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn completion_and_colours_never_fail_on_any_input(
            line in "[a-zA-Z :.(\\[\\]{}|$'/*-]{0,40}",
            cut in 0usize..41,
        ) {
            let pos = (0..=cut.min(line.len())).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0);
            let (start, slot) = slot_at("", &line, pos);
            proptest::prop_assert!(start <= pos);
            let _ = candidates(&slot, &line[start..pos], &schema(), &[]);
            proptest::prop_assert_eq!(strip_ansi(&colorize(&line)), line.clone());
        }
    }
}
