//! [`Shell`]: the state the REPL and scripts share — a session, the output
//! settings, the last result — and the running of one statement or one
//! meta-command, with results to one writer and diagnostics to another.

use std::cell::RefCell;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::command::Command;
use super::data;
use super::help;
use super::output::{self, OutputFormat, OutputOptions, pager};
use super::schema::Schema;
use super::suggest::unknown_name_notes;
use crate::error::{QueryError, Span};
use crate::graph::{Graph, Value};
use crate::session::{QueryResult, Session};

/// Where a statement came from, so that an error can point into the file.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    /// The file's name as the user gave it; `None` for typed input.
    pub name: Option<&'a str>,
    /// The whole text the statement is part of.
    pub text: &'a str,
    /// Byte offset of the statement in `text`.
    pub offset: usize,
}

impl<'a> Origin<'a> {
    /// A statement that is its own whole text (typed input, `-c`).
    pub fn typed(text: &'a str) -> Origin<'a> {
        Origin {
            name: None,
            text,
            offset: 0,
        }
    }
}

/// What to do after a meta-command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on reading input.
    Continue,
    /// Leave the shell.
    Quit,
}

/// Whether colour may be used on a stream that is a terminal: not when
/// `NO_COLOR` is set to anything non-empty.
pub fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The shell's state.
pub struct Shell {
    /// The session queries run in.
    pub session: Session,
    /// How results are written.
    pub output: OutputOptions,
    out: Box<dyn Write>,
    err: Box<dyn Write>,
    /// Whether results go to a terminal (tables are fitted to it, and the
    /// pager may be used).
    pub terminal: bool,
    /// Whether a long result may go through the pager.
    pub pager: bool,
    /// `--safe`: no files, no environment. Cannot be turned off.
    pub safe: bool,
    /// Describe what is loaded, for the banner and `:stats`.
    pub loaded_from: String,
    /// How long the graph took to load.
    pub load_time: Duration,
    last: Option<QueryResult>,
    /// Whether a write succeeded since the last load or save.
    pub dirty: bool,
    /// Statements and commands that failed so far.
    pub failures: usize,
    /// The graph's names, for completion and notes; rebuilt when needed
    /// after a change (see [`Shell::ensure_schema`]).
    pub schema: Rc<RefCell<Schema>>,
    schema_stale: bool,
    /// How deep `:source` files nest, to stop a file sourcing itself.
    pub source_depth: usize,
}

impl Shell {
    /// A shell over `graph`, writing results to `out` and messages to `err`.
    pub fn new(graph: Graph, out: Box<dyn Write>, err: Box<dyn Write>) -> Shell {
        Shell {
            session: Session::new(graph),
            output: OutputOptions::default(),
            out,
            err,
            terminal: false,
            pager: false,
            safe: false,
            loaded_from: "an empty graph".to_owned(),
            load_time: Duration::ZERO,
            last: None,
            dirty: false,
            failures: 0,
            schema: Rc::new(RefCell::new(Schema::default())),
            schema_stale: true,
            source_depth: 0,
        }
    }

    /// Writes a line of diagnostics.
    pub fn note(&mut self, text: &str) {
        // Diagnostics that cannot be written have nowhere else to go.
        let _ = writeln!(self.err, "{text}");
    }

    /// Writes text to the result stream.
    pub fn print(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
    }

    /// Writes text to the result stream, through the pager when it is
    /// taller or wider than the terminal.
    pub fn emit(&mut self, text: &str) {
        if let Some((w, h)) = self.terminal_size()
            && self.pager
            && pager::needs_pager(text, w, h)
        {
            let _ = self.out.flush();
            if pager::show(text).unwrap_or(false) {
                return;
            }
        }
        self.print(text);
    }

    /// Flushes both streams.
    pub fn flush(&mut self) {
        let _ = self.out.flush();
        let _ = self.err.flush();
    }

    /// Reports a failure: counts it and writes the message.
    pub fn fail(&mut self, message: &str) {
        self.failures += 1;
        self.note(message);
    }

    /// Marks the schema out of date; it is rebuilt when next needed, so
    /// that a script over a large graph never pays for it.
    fn refresh_schema(&mut self) {
        self.schema_stale = true;
    }

    /// Rebuilds the schema if the graph changed since it was built.
    pub fn ensure_schema(&mut self) {
        if self.schema_stale {
            *self.schema.borrow_mut() = Schema::of(self.session.graph());
            self.schema_stale = false;
        }
    }

    /// Replaces the graph (after `:load`), as a fresh start.
    pub fn set_graph(&mut self, graph: Graph, from: String, took: Duration) {
        self.session.replace_graph(graph);
        self.loaded_from = from;
        self.load_time = took;
        self.dirty = false;
        self.last = None;
        self.refresh_schema();
    }

    /// The banner's two lines.
    pub fn banner(&self) -> String {
        let g = self.session.graph();
        format!(
            "kgq {} - {}: {} nodes, {} relationships, {} labels, {} relationship types.\n\
             Type :help to get started, :schema to see what is in the graph; end each query with ;\n",
            env!("CARGO_PKG_VERSION"),
            self.loaded_from,
            g.node_count(),
            g.rel_count(),
            g.labels().len(),
            g.rel_types().len(),
        )
    }

    fn terminal_size(&self) -> Option<(usize, usize)> {
        if !self.terminal {
            return None;
        }
        match crossterm::terminal::size() {
            Ok((w, h)) if w >= 20 && h >= 5 => Some((usize::from(w), usize::from(h))),
            _ => Some((80, 24)),
        }
    }

    /// Runs one statement (`text`, found at `origin`); writes its result,
    /// or its error with the position in the origin. Returns whether it
    /// succeeded.
    pub fn run_statement(&mut self, text: &str, origin: Origin<'_>) -> bool {
        self.session.cancel_flag().store(false, Ordering::SeqCst);
        match self.session.execute(text) {
            Ok(result) => {
                self.show_result(&result, text, false);
                if !result.stats.is_empty() {
                    self.dirty = true;
                    self.refresh_schema();
                }
                self.last = Some(result);
                true
            }
            Err(error) => {
                let message = render_error(&error, &origin, text);
                self.fail(&message);
                false
            }
        }
    }

    /// Writes a result in the current format, through the pager when it
    /// does not fit the terminal; `full` writes every value uncut.
    fn show_result(&mut self, result: &QueryResult, query: &str, full: bool) {
        let size = self.terminal_size();
        let mut options = self.output.clone();
        options.width = if full { None } else { size.map(|(w, _)| w) };
        let mut buffer = Vec::new();
        let graph = self.session.graph();
        if let Err(e) = output::write_result(&mut buffer, graph, result, &options) {
            self.fail(&format!("error: could not write the result: {e}"));
            return;
        }
        let text = String::from_utf8_lossy(&buffer).into_owned();
        let notes = output::notes(result, &options);
        self.emit(&text);
        // Results first, then what is said about them.
        let _ = self.out.flush();
        for note in notes {
            self.note(&note);
        }
        if result.rows.is_empty() && !result.columns.is_empty() {
            self.ensure_schema();
            let hints = unknown_name_notes(&self.schema.borrow(), query);
            for hint in hints {
                self.note(&hint);
            }
        }
        self.flush();
    }

    /// Runs a meta-command.
    pub fn run_command(&mut self, command: Command) -> Flow {
        let needs_files = matches!(
            command,
            Command::Source(_) | Command::Load(_) | Command::Save(_) | Command::Export { .. }
        );
        if self.safe && needs_files {
            self.fail("error: safe mode (--safe) does not allow reading or writing files");
            return Flow::Continue;
        }
        match command {
            Command::Help(topic) => {
                let text = help::topic(topic.as_deref());
                // Help is read while typing, so it stays on the screen
                // instead of going through the pager.
                match text {
                    Ok(text) => self.print(&text),
                    Err(e) => self.fail(&e),
                }
            }
            Command::Schema => {
                self.ensure_schema();
                let mut buffer = Vec::new();
                let _ = self.schema.borrow().write(&mut buffer);
                self.emit(&String::from_utf8_lossy(&buffer));
            }
            Command::Stats => {
                let text = self.stats_text();
                self.print(&text);
            }
            Command::Param { name, expr } => self.set_param_from_expr(&name, &expr),
            Command::Params => {
                let graph = self.session.graph();
                let mut text = String::new();
                for (name, value) in self.session.params() {
                    text.push_str(&format!(
                        "${name} => {}\n",
                        crate::render::to_text(graph, value)
                    ));
                }
                if text.is_empty() {
                    text = "No parameters. Set one with :param name => value\n".to_owned();
                }
                self.print(&text);
            }
            Command::ParamsClear => {
                self.session.params_mut().clear();
                self.note("Parameters cleared.");
            }
            Command::Format(None) => {
                let text = format!("format: {}\n", self.output.format.name());
                self.print(&text);
            }
            Command::Format(Some(f)) => {
                self.output.format = f;
                self.note(&format!("Output format: {}", f.name()));
            }
            Command::Timing(on) => {
                self.output.timing = on.unwrap_or(!self.output.timing);
                let state = if self.output.timing { "on" } else { "off" };
                self.note(&format!("Timing is {state}."));
            }
            Command::Timeout(None) => {
                let text = match self.session.options().timeout {
                    Some(d) => format!("timeout: {}\n", output::millis(d)),
                    None => "timeout: off\n".to_owned(),
                };
                self.print(&text);
            }
            Command::Timeout(Some(t)) => {
                self.session.options_mut().timeout = t;
                match t {
                    Some(d) => self.note(&format!("Queries stop after {}.", output::millis(d))),
                    None => self.note("No timeout."),
                }
            }
            Command::Source(path) => {
                super::script::source_file(self, &path);
            }
            Command::Load(path) => self.load(&path),
            Command::Save(path) => match data::save(self.session.graph(), &path) {
                Ok(()) => {
                    self.dirty = false;
                    self.note(&format!("Saved the graph to {}.", path.display()));
                }
                Err(e) => self.fail(&format!("error: {e}")),
            },
            Command::Last => match self.last.take() {
                Some(last) => {
                    self.show_result(&last, "", true);
                    self.last = Some(last);
                }
                None => self.note("No result yet."),
            },
            Command::Export {
                format,
                file,
                induced,
                query,
            } => self.export(format.as_deref(), &file, induced, query.as_deref()),
            Command::Quit => return Flow::Quit,
        }
        self.flush();
        Flow::Continue
    }

    fn load(&mut self, path: &Path) {
        let started = Instant::now();
        match data::load(path, None) {
            Ok(graph) => {
                let took = started.elapsed();
                self.set_graph(graph, path.display().to_string(), took);
                let g = self.session.graph();
                let text = format!(
                    "Loaded {}: {} nodes, {} relationships in {}.",
                    path.display(),
                    g.node_count(),
                    g.rel_count(),
                    output::millis(took)
                );
                self.note(&text);
            }
            Err(e) => self.fail(&format!("error: {e}\nThe graph in memory is unchanged.")),
        }
    }

    fn export(&mut self, format: Option<&str>, file: &Path, induced: bool, query: Option<&str>) {
        let result = match query {
            Some(q) => {
                let q = q.trim().trim_end_matches(';');
                self.session.cancel_flag().store(false, Ordering::SeqCst);
                match self.session.execute(q) {
                    Ok(r) => r,
                    Err(e) => {
                        let message = e.render(q, None);
                        self.fail(&message);
                        return;
                    }
                }
            }
            None => {
                match &self.last {
                    Some(r) => r.clone(),
                    None => {
                        self.fail("error: no result to export yet; give a query: :export FORMAT FILE QUERY");
                        return;
                    }
                }
            }
        };
        match data::export(self.session.graph(), Some(&result), induced, format, file) {
            Ok(()) => {
                if file != Path::new("-") {
                    self.note(&format!("Exported to {}.", file.display()));
                }
            }
            Err(e) => self.fail(&format!("error: {e}")),
        }
    }

    /// Sets `$name` to the value of `expr`, evaluated by the engine.
    pub fn set_param_from_expr(&mut self, name: &str, expr: &str) {
        let query = format!("RETURN {expr}");
        match self.session.execute(&query) {
            Ok(result) => match result.rows.first().and_then(|r| r.first()) {
                Some(value) if is_plain_value(value) => {
                    let shown = crate::render::to_text(self.session.graph(), value);
                    self.session
                        .params_mut()
                        .insert(name.to_owned(), value.clone());
                    self.note(&format!("${name} => {shown}"));
                }
                Some(_) => self.fail("error: a parameter cannot hold a node, relationship or path"),
                None => self.fail("error: the expression gave no value"),
            },
            Err(e) => {
                // Point into the expression as the user typed it.
                let shifted = shift(&e, -7).or_span(Span::new(0, expr.len()));
                let message = shifted.render(expr, None);
                self.fail(&format!("error in :param {name}: {message}"));
            }
        }
    }

    fn stats_text(&self) -> String {
        let g = self.session.graph();
        let options = self.session.options();
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        let mut rows: Vec<(&str, String)> = vec![
            ("graph", self.loaded_from.clone()),
            ("nodes", g.node_count().to_string()),
            ("relationships", g.rel_count().to_string()),
            ("labels", g.labels().len().to_string()),
            ("types", g.rel_types().len().to_string()),
            ("loaded in", output::millis(self.load_time)),
        ];
        if let Some(rss) = resident_memory() {
            rows.push((
                "memory",
                format!("{:.1} MiB resident", rss as f64 / 1048576.0),
            ));
        }
        let column_keys = g.node_column_keys();
        if !column_keys.is_empty() {
            rows.push((
                "node columns",
                format!(
                    "{} ({:.1} MiB)",
                    column_keys.join(", "),
                    g.node_columns_bytes() as f64 / 1048576.0
                ),
            ));
        }
        rows.extend([
            ("parameters", self.session.params().len().to_string()),
            ("format", self.output.format.name().to_owned()),
            (
                "timing",
                if self.output.timing { "on" } else { "off" }.to_owned(),
            ),
            (
                "timeout",
                options.timeout.map_or("off".to_owned(), output::millis),
            ),
            (
                "max rows",
                options
                    .max_rows
                    .map_or("no limit".to_owned(), |n| n.to_string()),
            ),
            ("read-only", yes_no(options.read_only)),
            ("safe mode", yes_no(self.safe)),
            ("unsaved changes", yes_no(self.dirty)),
        ]);
        rows.iter()
            .map(|(k, v)| format!("{:<17}{v}\n", format!("{k}:")))
            .collect()
    }

    /// Whether results are written as JSON (so timing goes inside them).
    pub fn json_output(&self) -> bool {
        self.output.format == OutputFormat::Json
    }
}

fn is_plain_value(value: &Value) -> bool {
    match value {
        Value::Node(_) | Value::Rel(_) | Value::Path(_) => false,
        Value::List(items) => items.iter().all(is_plain_value),
        Value::Map(map) => map.values().all(is_plain_value),
        _ => true,
    }
}

/// The error with its span moved by `delta` bytes (clamped at 0).
fn shift(error: &QueryError, delta: isize) -> QueryError {
    let mut e = error.clone();
    e.span = e.span.map(|s| {
        let move_by = |x: usize| x.saturating_add_signed(delta);
        Span::new(move_by(s.start), move_by(s.end))
    });
    e
}

/// The error as shown for a statement from `origin`: positions are those
/// in the origin's text, so `FILE:LINE:COL` points into the file. An error
/// without a span points at the statement's start.
pub fn render_error(error: &QueryError, origin: &Origin<'_>, statement: &str) -> String {
    let first_word = statement
        .find(char::is_whitespace)
        .unwrap_or(statement.len())
        .max(1)
        .min(statement.len());
    let error = error.clone().or_span(Span::new(0, first_word));
    let shifted = shift(&error, origin.offset as isize);
    match origin.name {
        Some(name) => shifted.render(origin.text, Some(name)),
        None if origin.offset == 0 => error.render(statement, None),
        None => shifted.render(origin.text, None),
    }
}

/// Resident memory in bytes, where the system tells it.
pub fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Whether standard output is a terminal.
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn errors_in_a_file_point_at_the_files_line_and_column() {
        let file = "RETURN 1;\n\nMATCH (n)\nRETURN m;\n";
        let offset = file.find("MATCH").unwrap();
        let statement = "MATCH (n)\nRETURN m";
        let m = statement.rfind('m').unwrap();
        let e = QueryError::compile(
            ErrorKind::SyntaxError,
            "UndefinedVariable",
            "Variable `m` not defined",
            Some(Span::new(m, m + 1)),
        );
        let origin = Origin {
            name: Some("q.cypher"),
            text: file,
            offset,
        };
        let shown = render_error(&e, &origin, statement);
        assert!(shown.contains("at q.cypher:4:8"), "{shown}");
        assert!(shown.ends_with("  RETURN m;\n         ^"), "{shown}");
    }

    #[test]
    fn an_error_without_a_span_points_at_the_statement() {
        let e = QueryError::runtime(ErrorKind::Cancelled, "Cancelled", "cancelled", None);
        let file = "RETURN 1;\nMATCH (n) RETURN n;";
        let origin = Origin {
            name: Some("f"),
            text: file,
            offset: 10,
        };
        let shown = render_error(&e, &origin, "MATCH (n) RETURN n");
        assert!(shown.contains("at f:2:1"), "{shown}");
        assert!(shown.ends_with("^^^^^"), "{shown}");
    }

    /// A writer the test keeps a handle to.
    #[derive(Clone, Default)]
    struct Captured(Rc<RefCell<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn take(&self) -> String {
            String::from_utf8(std::mem::take(&mut *self.0.borrow_mut())).unwrap()
        }
    }

    fn shell() -> (Shell, Captured, Captured) {
        let (out, err) = (Captured::default(), Captured::default());
        let shell = Shell::new(Graph::new(), Box::new(out.clone()), Box::new(err.clone()));
        (shell, out, err)
    }

    #[test]
    fn parameters_are_set_listed_and_cleared() {
        let (mut shell, out, err) = shell();
        shell.run_command(Command::Param {
            name: "who".into(),
            expr: "'Vladimir' + ' Putin'".into(),
        });
        assert_eq!(err.take(), "$who => 'Vladimir Putin'\n");
        shell.run_command(Command::Params);
        assert_eq!(out.take(), "$who => 'Vladimir Putin'\n");
        shell.run_command(Command::ParamsClear);
        assert!(shell.session.params().is_empty());
    }

    #[test]
    fn last_shows_the_previous_result_again_in_full() {
        let (mut shell, out, err) = shell();
        shell.run_command(Command::Last);
        assert_eq!(err.take(), "No result yet.\n");
        let long = "x".repeat(300);
        let query = format!("RETURN '{long}' AS long");
        assert!(shell.run_statement(&query, Origin::typed(&query)));
        let first = out.take();
        assert!(first.contains(&long), "{first}");
        shell.run_command(Command::Last);
        assert_eq!(out.take(), first);
    }

    #[test]
    fn a_write_marks_the_graph_unsaved_and_is_summarised() {
        let (mut shell, out, _err) = shell();
        assert!(!shell.dirty);
        let query = "CREATE (:City {name: 'Kyiv'})";
        assert!(shell.run_statement(query, Origin::typed(query)));
        assert!(shell.dirty);
        assert_eq!(
            out.take(),
            "Created 1 node, set 1 property, added 1 label\n"
        );
        shell.run_command(Command::Schema);
        assert!(out.take().contains(":City"));
    }

    #[test]
    fn safe_mode_refuses_file_commands() {
        let mut shell = Shell::new(Graph::new(), Box::new(io::sink()), Box::new(io::sink()));
        shell.safe = true;
        shell.run_command(Command::Save("x.json".into()));
        shell.run_command(Command::Source("x.cypher".into()));
        assert_eq!(shell.failures, 2);
    }
}
