//! Feeding input to the shell, line by line, the same way for the REPL,
//! script files, standard input and `-c`: a line starting with `:` (outside
//! a statement) is a meta-command; everything else collects into
//! statements that end at `;` — and the last one may omit it.

use std::path::Path;

use super::command;
use super::lexer;
use super::runner::{Flow, Origin, Shell};
use crate::session::Session;

/// A piece of input ready to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A meta-command line, with its byte offset.
    Command(String, usize),
    /// A statement (text without `;`) and its byte offset.
    Statement(String, usize),
}

/// Collects lines into [`Item`]s. Offsets are in the whole input fed so
/// far, so that an error can be placed in its file.
#[derive(Clone, Debug, Default)]
pub struct Feeder {
    /// Everything fed so far.
    text: String,
    /// Where the unfinished statement begins in `text`.
    pending: usize,
}

impl Feeder {
    /// A feeder with nothing fed.
    pub fn new() -> Feeder {
        Feeder::default()
    }

    /// All input fed so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The input of the unfinished statement.
    pub fn pending_text(&self) -> &str {
        &self.text[self.pending..]
    }

    /// Whether an unfinished statement is waiting for more lines.
    pub fn has_pending(&self) -> bool {
        !lexer::is_blank(self.pending_text()) || lexer::ends_open(self.pending_text())
    }

    /// Feeds one line (with or without its line break) and returns what it
    /// completed.
    pub fn push_line(&mut self, line: &str) -> Vec<Item> {
        let line_start = self.text.len();
        self.text.push_str(line);
        if !line.ends_with('\n') {
            self.text.push('\n');
        }
        if !self.has_pending_before(line_start) && command::is_command(line) {
            self.pending = self.text.len();
            return vec![Item::Command(line.trim().to_owned(), line_start)];
        }
        let (statements, rest) = lexer::split_statements(&self.text[self.pending..]);
        let base = self.pending;
        self.pending += rest;
        statements
            .into_iter()
            .map(|s| Item::Statement(s.text, base + s.offset))
            .collect()
    }

    fn has_pending_before(&self, end: usize) -> bool {
        let before = &self.text[self.pending..end];
        !lexer::is_blank(before) || lexer::ends_open(before)
    }

    /// Ends the input: the unfinished statement, if any, as the last one.
    pub fn finish(&mut self) -> Option<Item> {
        let item = lexer::trailing_statement(&self.text, self.pending)
            .map(|s| Item::Statement(s.text, s.offset));
        self.pending = self.text.len();
        item
    }

    /// Drops the unfinished statement (Ctrl-C while typing).
    pub fn clear_pending(&mut self) {
        self.pending = self.text.len();
    }
}

/// How a run of input ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything ran (failures counted in the shell when continuing).
    Done,
    /// Stopped at a failure.
    Stopped,
    /// `:quit` was given.
    Quit,
}

/// Runs one item; `name` and `text` place errors.
pub fn run_item(shell: &mut Shell, item: &Item, name: Option<&str>, text: &str) -> (bool, Flow) {
    match item {
        Item::Command(line, _) => match command::parse(line) {
            Ok(cmd) => {
                let before = shell.failures;
                let flow = shell.run_command(cmd);
                (shell.failures == before, flow)
            }
            Err(e) => {
                let place = match name {
                    Some(n) => {
                        let (l, c) = crate::error::line_col(text, item_offset(item));
                        format!("{n}:{l}:{c}: ")
                    }
                    None => String::new(),
                };
                shell.fail(&format!("{place}error: {e}"));
                (false, Flow::Continue)
            }
        },
        Item::Statement(statement, offset) => {
            let origin = Origin {
                name,
                text,
                offset: *offset,
            };
            (shell.run_statement(statement, origin), Flow::Continue)
        }
    }
}

fn item_offset(item: &Item) -> usize {
    match item {
        Item::Command(_, o) | Item::Statement(_, o) => *o,
    }
}

/// Runs a whole script text. Stops at the first failure unless
/// `continue_on_error`.
pub fn run_text(
    shell: &mut Shell,
    text: &str,
    name: Option<&str>,
    continue_on_error: bool,
) -> Outcome {
    let mut feeder = Feeder::new();
    let mut items = Vec::new();
    for line in text.split_inclusive('\n') {
        items.extend(feeder.push_line(line));
    }
    items.extend(feeder.finish());
    // The feeder's text is the script with a line break added at the end
    // at most, so offsets into it are offsets into the file.
    let full = feeder.text().to_owned();
    for item in &items {
        let (ok, flow) = run_item(shell, item, name, &full);
        if flow == Flow::Quit {
            return Outcome::Quit;
        }
        if !ok && !continue_on_error {
            return Outcome::Stopped;
        }
    }
    Outcome::Done
}

/// Runs the file at `path` inside the current session (`:source`).
pub fn source_file(shell: &mut Shell, path: &Path) -> Outcome {
    if shell.source_depth >= 16 {
        shell.fail(&format!(
            "error: {}: files sourced 16 deep; does a file source itself?",
            path.display()
        ));
        return Outcome::Stopped;
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            shell.fail(&format!("error: cannot read {}: {e}", path.display()));
            return Outcome::Stopped;
        }
    };
    shell.source_depth += 1;
    let name = path.display().to_string();
    let outcome = run_text(shell, &text, Some(&name), false);
    shell.source_depth -= 1;
    outcome
}

/// Checks a script without running it: every meta-command is parsed, every
/// statement parsed and analysed (through `EXPLAIN` on an empty graph, so
/// nothing runs). Returns the error messages, each placed in the file.
pub fn check_text(text: &str, name: &str, params: &crate::session::Params) -> (usize, Vec<String>) {
    let mut feeder = Feeder::new();
    let mut items = Vec::new();
    for line in text.split_inclusive('\n') {
        items.extend(feeder.push_line(line));
    }
    items.extend(feeder.finish());
    let full = feeder.text().to_owned();
    let mut scratch = Session::new(crate::graph::Graph::new());
    *scratch.params_mut() = params.clone();
    let mut errors = Vec::new();
    for item in &items {
        match item {
            Item::Command(line, offset) => {
                let (l, c) = crate::error::line_col(&full, *offset);
                match command::parse(line) {
                    Err(e) => errors.push(format!("{name}:{l}:{c}: error: {e}")),
                    // Later statements may use the parameter; evaluating a
                    // `RETURN` changes nothing.
                    Ok(command::Command::Param { name: param, expr }) => {
                        match scratch.execute(&format!("RETURN {expr}")) {
                            Ok(r) => {
                                let value = r.rows.first().and_then(|row| row.first()).cloned();
                                scratch
                                    .params_mut()
                                    .insert(param, value.unwrap_or_default());
                            }
                            Err(e) => errors.push(format!("{name}:{l}:{c}: error in :param: {e}")),
                        }
                    }
                    Ok(_) => {}
                }
            }
            Item::Statement(statement, offset) => {
                let (explained, shift) = explain_form(statement);
                if let Err(e) = scratch.execute(&explained) {
                    let mut e = e;
                    e.span = e.span.map(|s| {
                        crate::error::Span::new(
                            s.start.saturating_sub(shift),
                            s.end.saturating_sub(shift),
                        )
                    });
                    let origin = Origin {
                        name: Some(name),
                        text: &full,
                        offset: *offset,
                    };
                    errors.push(super::runner::render_error(&e, &origin, statement));
                }
            }
        }
    }
    (items.len(), errors)
}

/// The statement prefixed so that it is only planned, and by how many
/// bytes its text moved. `PROFILE` becomes `EXPLAIN` (same length).
fn explain_form(statement: &str) -> (String, usize) {
    let first: String = statement
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_uppercase();
    match first.as_str() {
        "EXPLAIN" => (statement.to_owned(), 0),
        "PROFILE" => (format!("EXPLAIN{}", &statement[7..]), 0),
        _ => (format!("EXPLAIN {statement}"), 8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_all(text: &str) -> Vec<Item> {
        let mut f = Feeder::new();
        let mut items = Vec::new();
        for line in text.split_inclusive('\n') {
            items.extend(f.push_line(line));
        }
        items.extend(f.finish());
        items
    }

    #[test]
    fn commands_on_their_own_lines_and_statements_between() {
        let script = ":format csv\nMATCH (n)\nRETURN n;\n// a comment\n:timing on\nRETURN 1";
        let items = feed_all(script);
        assert_eq!(
            items,
            vec![
                Item::Command(":format csv".into(), 0),
                Item::Statement("MATCH (n)\nRETURN n".into(), 12),
                Item::Command(":timing on".into(), script.find(":timing").unwrap()),
                Item::Statement("RETURN 1".into(), script.find("RETURN 1").unwrap()),
            ]
        );
    }

    #[test]
    fn a_colon_line_inside_a_statement_belongs_to_the_statement() {
        let items = feed_all("MATCH (n\n:Person)\nRETURN n;");
        assert_eq!(
            items,
            vec![Item::Statement("MATCH (n\n:Person)\nRETURN n".into(), 0)]
        );
        let items = feed_all("RETURN '\n:not a command';");
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn the_last_statement_without_semicolon_is_never_dropped() {
        let items = feed_all("RETURN 1;\nRETURN 2");
        assert_eq!(items.len(), 2);
        assert_eq!(items[1], Item::Statement("RETURN 2".into(), 10));
    }

    #[test]
    fn several_statements_on_one_line_run_in_order() {
        let items = feed_all("RETURN 1; RETURN 2;");
        assert_eq!(
            items,
            vec![
                Item::Statement("RETURN 1".into(), 0),
                Item::Statement("RETURN 2".into(), 10)
            ]
        );
    }

    #[test]
    fn pending_input_is_tracked_for_the_continuation_prompt() {
        let mut f = Feeder::new();
        assert!(f.push_line("MATCH (n)").is_empty());
        assert!(f.has_pending());
        assert_eq!(f.push_line("RETURN n;").len(), 1);
        assert!(!f.has_pending());
        f.push_line("RETURN 'abc");
        f.clear_pending();
        assert!(!f.has_pending());
    }

    #[test]
    fn explain_form_keeps_offsets_known() {
        assert_eq!(
            explain_form("MATCH (n) RETURN n"),
            ("EXPLAIN MATCH (n) RETURN n".into(), 8)
        );
        assert_eq!(
            explain_form("profile RETURN 1"),
            ("EXPLAIN RETURN 1".into(), 0)
        );
        assert_eq!(
            explain_form("EXPLAIN RETURN 1"),
            ("EXPLAIN RETURN 1".into(), 0)
        );
    }

    proptest::proptest! {
        #[test]
        fn every_item_points_at_its_own_text(
            script in "[a-zA-Z0-9 ;:'/*\n]{0,80}"
        ) {
            let mut f = Feeder::new();
            let mut items = Vec::new();
            for line in script.split_inclusive('\n') {
                items.extend(f.push_line(line));
            }
            items.extend(f.finish());
            let text = f.text();
            for item in items {
                match item {
                    Item::Statement(s, o) => {
                        proptest::prop_assert_eq!(&text[o..o + s.len()], s.as_str());
                    }
                    Item::Command(c, o) => {
                        proptest::prop_assert!(text[o..].trim_start().starts_with(c.as_str()));
                    }
                }
            }
        }
    }
}
