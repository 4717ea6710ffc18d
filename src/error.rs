//! Errors: one type per stage, wrapped by [`Error`].
//!
//! Query errors carry the openCypher TCK's error type ([`ErrorKind`]) and
//! detail code, the phase that found them, and the byte [`Span`] of the
//! query text they concern; [`QueryError::render`] shows line, column and a
//! caret under the text. Data errors carry file, line and column.

use std::fmt;
use std::path::PathBuf;

/// A byte range in a query or data text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The error types of the openCypher TCK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text is not a valid query, or breaks a static rule.
    SyntaxError,
    /// A static rule about meaning is broken.
    SemanticError,
    /// A value has the wrong type.
    TypeError,
    /// An argument is out of range or otherwise invalid.
    ArgumentError,
    /// An element that was deleted or never existed is accessed.
    EntityNotFound,
    /// A constraint would be broken.
    ConstraintVerificationFailed,
    /// A `$parameter` has no value.
    ParameterMissing,
    /// A procedure call failed.
    ProcedureError,
    /// Arithmetic failed (overflow, division by zero).
    ArithmeticError,
    /// The query was cancelled (Ctrl-C) or ran out of time.
    Cancelled,
    /// The query exceeded a resource limit (memory, rows).
    ResourceLimit,
    /// The operation is refused by the session's mode (read-only, safe).
    NotAllowed,
}

impl ErrorKind {
    /// The name as the TCK writes it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::SemanticError => "SemanticError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ArgumentError => "ArgumentError",
            ErrorKind::EntityNotFound => "EntityNotFound",
            ErrorKind::ConstraintVerificationFailed => "ConstraintVerificationFailed",
            ErrorKind::ParameterMissing => "ParameterMissing",
            ErrorKind::ProcedureError => "ProcedureError",
            ErrorKind::ArithmeticError => "ArithmeticError",
            ErrorKind::Cancelled => "Cancelled",
            ErrorKind::ResourceLimit => "ResourceLimit",
            ErrorKind::NotAllowed => "NotAllowed",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// When an error was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Before execution: parsing, analysis, planning. Nothing ran.
    Compile,
    /// During execution.
    Runtime,
}

impl Phase {
    /// `compile` or `runtime`, as the TCK protocol spells them.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Compile => "compile",
            Phase::Runtime => "runtime",
        }
    }
}

/// An error from parsing, analysing or running a query.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryError {
    /// The TCK error type.
    pub kind: ErrorKind,
    /// The TCK detail code, e.g. `UndefinedVariable`.
    pub detail: &'static str,
    /// When it was found.
    pub phase: Phase,
    /// What was wrong, for people.
    pub message: String,
    /// What it concerns in the query text, if known.
    pub span: Option<Span>,
    /// What to do about it, if there is advice to give.
    pub hint: Option<String>,
}

impl QueryError {
    /// An error found before execution.
    pub fn compile(
        kind: ErrorKind,
        detail: &'static str,
        message: impl Into<String>,
        span: Option<Span>,
    ) -> QueryError {
        QueryError {
            kind,
            detail,
            phase: Phase::Compile,
            message: message.into(),
            span,
            hint: None,
        }
    }

    /// An error found during execution.
    pub fn runtime(
        kind: ErrorKind,
        detail: &'static str,
        message: impl Into<String>,
        span: Option<Span>,
    ) -> QueryError {
        QueryError {
            kind,
            detail,
            phase: Phase::Runtime,
            message: message.into(),
            span,
            hint: None,
        }
    }

    /// Adds advice on what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> QueryError {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the span if none is known yet.
    pub fn or_span(mut self, span: Span) -> QueryError {
        self.span.get_or_insert(span);
        self
    }

    /// The error as people read it: kind and detail, message, then the
    /// query line with a caret under the span, then the hint.
    ///
    /// ```
    /// use kgq::error::{ErrorKind, QueryError, Span};
    /// let e = QueryError::compile(ErrorKind::SyntaxError, "UndefinedVariable",
    ///     "Variable `m` not defined", Some(Span::new(18, 19)));
    /// let shown = e.render("MATCH (n) RETURN m", None);
    /// assert!(shown.contains("line 1, column 19"));
    /// assert!(shown.ends_with("                  ^"));
    /// ```
    pub fn render(&self, query: &str, origin: Option<&str>) -> String {
        let mut out = format!("{} ({}): {}", self.kind, self.detail, self.message);
        if let Some(span) = self.span {
            out.push_str(&snippet(query, span, origin));
        }
        if let Some(hint) = &self.hint {
            out.push_str("\nhint: ");
            out.push_str(hint);
        }
        out
    }
}

/// `\n  at ORIGIN:LINE:COL` (or `at line L, column C`), the source line
/// and a caret line under `span`.
pub fn snippet(text: &str, span: Span, origin: Option<&str>) -> String {
    let (line, col) = line_col(text, span.start);
    let mut out = match origin {
        Some(o) => format!("\n  at {o}:{line}:{col}"),
        None => format!("\n  at line {line}, column {col}"),
    };
    let source_line = text.lines().nth(line - 1).unwrap_or("");
    let width = {
        let end = span.end.max(span.start + 1).min(text.len());
        let (end_line, end_col) = line_col(text, end);
        if end_line == line && end_col > col {
            end_col - col
        } else {
            1
        }
    };
    // Tabs keep their width so the caret lines up.
    let pad: String = source_line
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    out.push_str(&format!("\n  {source_line}\n  {pad}{}", "^".repeat(width)));
    out
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.kind, self.detail, self.message)
    }
}

impl std::error::Error for QueryError {}

/// An error in a data file: what, where (file, line, column), what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// The file, when the data came from one.
    pub path: Option<PathBuf>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What was wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl DataError {
    /// An error without a position yet.
    pub fn new(message: impl Into<String>) -> DataError {
        DataError {
            path: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Sets the position.
    pub fn at(mut self, line: usize, column: usize) -> DataError {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the file.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> DataError {
        self.path = Some(path.into());
        self
    }

    /// Adds advice.
    pub fn with_hint(mut self, hint: impl Into<String>) -> DataError {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line, self.column) {
            (Some(p), Some(l), Some(c)) => write!(f, "{}:{l}:{c}: ", p.display())?,
            (Some(p), Some(l), None) => write!(f, "{}:{l}: ", p.display())?,
            (Some(p), None, _) => write!(f, "{}: ", p.display())?,
            (None, Some(l), Some(c)) => write!(f, "line {l}, column {c}: ")?,
            (None, Some(l), None) => write!(f, "line {l}: ")?,
            (None, None, _) => {}
        }
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DataError {}

/// Any error kgq reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query failed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A data file could not be loaded.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let text = "MATCH (n)\nRETURN ä, m";
        assert_eq!(line_col(text, 0), (1, 1));
        let m = text.rfind('m').unwrap();
        assert_eq!(line_col(text, m), (2, 11));
    }

    #[test]
    fn caret_sits_under_the_span_on_its_line() {
        let text = "MATCH (n)\nRETURN foo";
        let s = snippet(text, Span::new(17, 20), Some("q.cypher"));
        assert_eq!(s, "\n  at q.cypher:2:8\n  RETURN foo\n         ^^^");
    }

    #[test]
    fn data_error_names_file_line_and_column() {
        let e = DataError::new("unknown field `lables`")
            .in_file("g.json")
            .at(3, 5)
            .with_hint("did you mean `labels`?");
        assert_eq!(
            e.to_string(),
            "g.json:3:5: unknown field `lables`\nhint: did you mean `labels`?"
        );
    }
}
