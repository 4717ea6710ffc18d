//! Meta-commands: `:help`, `:schema`, `:load`, ... one line each, parsed
//! into [`Command`] before anything runs.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::output::OutputFormat;
use super::suggest::nearest;

/// A parsed meta-command.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `:help [topic]`.
    Help(Option<String>),
    /// `:schema`.
    Schema,
    /// `:stats`.
    Stats,
    /// `:param name => expr`.
    Param {
        /// The parameter's name, without `$`.
        name: String,
        /// The expression whose value it takes.
        expr: String,
    },
    /// `:params`.
    Params,
    /// `:params clear`.
    ParamsClear,
    /// `:format NAME`, or `:format` alone to show the current one.
    Format(Option<OutputFormat>),
    /// `:timing on|off`, or `:timing` alone to switch.
    Timing(Option<bool>),
    /// `:timeout DURATION|off`, or `:timeout` alone to show it.
    Timeout(Option<Option<Duration>>),
    /// `:source FILE`.
    Source(PathBuf),
    /// `:load PATH`.
    Load(PathBuf),
    /// `:save PATH`.
    Save(PathBuf),
    /// `:last`.
    Last,
    /// `:export [FORMAT] FILE [--induced] [QUERY]`.
    Export {
        /// The format's name, if given (else the file's extension decides).
        format: Option<String>,
        /// Where to write; `-` for standard output.
        file: PathBuf,
        /// Add every relationship between selected nodes.
        induced: bool,
        /// The query whose result selects the subgraph (else the last
        /// result).
        query: Option<String>,
    },
    /// `:quit` (also `:exit`, `:q`).
    Quit,
}

/// One line of help per command, in the order `:help` lists them.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "help",
        "[TOPIC]",
        "show help: `:help commands`, `:help query`, `:help functions`",
    ),
    (
        "schema",
        "",
        "labels, relationship types and property keys with counts",
    ),
    ("stats", "", "size of the graph, load time and memory"),
    (
        "param",
        "NAME => EXPR",
        "set the parameter $NAME to the value of EXPR",
    ),
    (
        "params",
        "[clear]",
        "list the parameters, or remove them all",
    ),
    (
        "format",
        "table|json|jsonl|csv|tsv|markdown",
        "choose how results are shown",
    ),
    ("timing", "on|off", "show how long each query takes"),
    (
        "timeout",
        "DURATION|off",
        "stop queries that run longer, e.g. `:timeout 5s`",
    ),
    ("source", "FILE", "run the statements and commands in FILE"),
    ("load", "PATH", "replace the graph with the one in PATH"),
    (
        "save",
        "PATH",
        "write the graph to PATH in the native JSON format",
    ),
    ("last", "", "show the last result again, in full"),
    (
        "export",
        "[FORMAT] FILE [--induced] [QUERY]",
        "write the subgraph a query selects (default: the last result)",
    ),
    ("quit", "", "leave (also Ctrl-D)"),
];

/// Names accepted besides those in [`COMMANDS`].
const ALIASES: &[(&str, &str)] = &[
    ("exit", "quit"),
    ("q", "quit"),
    ("h", "help"),
    ("?", "help"),
];

/// Why a meta-command line could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError(pub String);

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CommandError {}

fn usage(name: &str) -> String {
    let args = COMMANDS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or("", |(_, a, _)| a);
    format!("usage: :{name} {args}").trim_end().to_owned()
}

fn error(name: &str, what: impl fmt::Display) -> CommandError {
    CommandError(format!("{what}\n{}", usage(name)))
}

/// Whether `line` is a meta-command (its first non-space character is `:`).
pub fn is_command(line: &str) -> bool {
    line.trim_start().starts_with(':')
}

/// Parses a meta-command line (with its leading `:`). A trailing `;` is
/// tolerated, since people type it out of habit.
pub fn parse(line: &str) -> Result<Command, CommandError> {
    let line = line.trim();
    let line = line.strip_prefix(':').unwrap_or(line);
    let line = line.strip_suffix(';').unwrap_or(line).trim_end();
    let (name, rest) = match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    };
    let lower = name.to_lowercase();
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, target)| target);
    let no_args = |command: Command| {
        if rest.is_empty() {
            Ok(command)
        } else {
            Err(error(name, format!(":{name} takes no arguments")))
        }
    };
    match name {
        "help" => Ok(Command::Help(
            (!rest.is_empty()).then(|| rest.to_lowercase()),
        )),
        "schema" => no_args(Command::Schema),
        "stats" => no_args(Command::Stats),
        "last" => no_args(Command::Last),
        "quit" => no_args(Command::Quit),
        "param" => parse_param(rest),
        "params" => match rest {
            "" => Ok(Command::Params),
            "clear" => Ok(Command::ParamsClear),
            other => Err(error(
                "params",
                format!("unknown argument `{other}` (only `clear`)"),
            )),
        },
        "format" => {
            if rest.is_empty() {
                return Ok(Command::Format(None));
            }
            OutputFormat::from_name(rest)
                .map(|f| Command::Format(Some(f)))
                .ok_or_else(|| error("format", unknown_format(rest)))
        }
        "timing" => match rest {
            "" => Ok(Command::Timing(None)),
            "on" => Ok(Command::Timing(Some(true))),
            "off" => Ok(Command::Timing(Some(false))),
            other => Err(error(
                "timing",
                format!("expected on or off, not `{other}`"),
            )),
        },
        "timeout" => match rest {
            "" => Ok(Command::Timeout(None)),
            "off" | "none" | "0" => Ok(Command::Timeout(Some(None))),
            other => parse_duration(other)
                .map(|d| Command::Timeout(Some(Some(d))))
                .map_err(|e| error("timeout", e)),
        },
        "source" => path_arg("source", rest).map(Command::Source),
        "load" => path_arg("load", rest).map(Command::Load),
        "save" => path_arg("save", rest).map(Command::Save),
        "export" => parse_export(rest),
        "" => Err(CommandError(
            "a `:` alone is not a command; :help lists the commands".to_owned(),
        )),
        other => {
            let names = COMMANDS.iter().map(|(n, _, _)| *n).chain(["exit"]);
            let mut message = format!("unknown command `:{other}`");
            if let Some(near) = nearest(other, names) {
                message.push_str(&format!("; did you mean `:{near}`?"));
            }
            message.push_str("\n:help lists the commands");
            Err(CommandError(message))
        }
    }
}

fn unknown_format(name: &str) -> String {
    let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
    let mut message = format!("unknown output format `{name}`");
    if let Some(near) = nearest(name, names.iter().copied()) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}

fn parse_param(rest: &str) -> Result<Command, CommandError> {
    let Some((name, expr)) = rest.split_once("=>") else {
        return Err(error(
            "param",
            "expected `=>` between the name and the value",
        ));
    };
    let name = name.trim().trim_start_matches('$');
    let expr = expr.trim();
    if !crate::graph::is_plain_identifier(name) {
        return Err(error(
            "param",
            format!("`{name}` is not a parameter name (letters, digits and _)"),
        ));
    }
    if expr.is_empty() {
        return Err(error("param", "the value is missing after `=>`"));
    }
    Ok(Command::Param {
        name: name.to_owned(),
        expr: expr.to_owned(),
    })
}

/// Splits off the first argument, which may be quoted with `'` or `"` to
/// hold spaces. Returns the argument and the rest.
fn first_arg(rest: &str) -> Option<(String, &str)> {
    let rest = rest.trim_start();
    let mut chars = rest.chars();
    match chars.next()? {
        q @ ('\'' | '"') => {
            let close = rest[1..].find(q)? + 1;
            Some((rest[1..close].to_owned(), &rest[close + 1..]))
        }
        _ => {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            Some((rest[..end].to_owned(), &rest[end..]))
        }
    }
}

fn path_arg(name: &str, rest: &str) -> Result<PathBuf, CommandError> {
    match first_arg(rest) {
        Some((path, tail)) if tail.trim().is_empty() && !path.is_empty() => Ok(PathBuf::from(path)),
        Some((_, tail)) if !tail.trim().is_empty() => Err(error(
            name,
            format!(
                "unexpected `{}` after the path (quote a path that holds spaces)",
                tail.trim()
            ),
        )),
        _ => Err(error(name, "the path is missing")),
    }
}

fn parse_export(rest: &str) -> Result<Command, CommandError> {
    let Some((first, after_first)) = first_arg(rest) else {
        return Err(error("export", "the file is missing"));
    };
    // The format may be left out when the file's extension names it.
    let (format, file, mut tail) = if super::data::is_export_format(&first) {
        match first_arg(after_first) {
            Some((file, tail)) if !file.starts_with("--") => (Some(first), file, tail),
            _ => return Err(error("export", "the file is missing")),
        }
    } else {
        (None, first, after_first)
    };
    let mut induced = false;
    if let Some(after) = tail.trim_start().strip_prefix("--induced") {
        induced = true;
        tail = after;
    }
    let query = tail.trim();
    Ok(Command::Export {
        format,
        file: PathBuf::from(file),
        induced,
        query: (!query.is_empty()).then(|| query.to_owned()),
    })
}

/// Splits `12.5unit` into the number and the unit; `what` completes the
/// error "`text` is not ...".
fn number_and_unit<'t>(text: &'t str, what: &str) -> Result<(f64, &'t str), String> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value = number
        .parse()
        .map_err(|_| format!("`{text}` is not {what}"))?;
    Ok((value, unit))
}

/// Parses a size in bytes such as `512MiB`, `4GiB`, `500MB`, `2G` or
/// `1048576` (bytes). `K`, `M`, `G` and `T` are binary multiples, as
/// memory is counted; `KB`, `MB`, `GB` and `TB` decimal ones.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (value, unit) = number_and_unit(text, "a size; write e.g. 512MiB or 4GiB")?;
    let multiple: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`; use KiB, MiB, GiB (or KB, MB, GB)"
            ));
        }
    };
    let bytes = value * multiple;
    if !bytes.is_finite() || bytes < 1.0 || bytes > usize::MAX as f64 {
        return Err(format!("`{text}` is not a positive size"));
    }
    Ok(bytes as usize)
}

/// Parses a duration such as `500ms`, `5s`, `2m`, `1h` or `1.5` (seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (value, unit) = number_and_unit(text, "a duration; write e.g. 500ms, 5s, 2m or 1h")?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "" | "s" | "sec" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`; use ms, s, m or h"
            ));
        }
    };
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 1e9 {
        return Err(format!("`{text}` is not a positive duration"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_and_decimal_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("4gib"), Ok(4 << 30));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1.5 GiB"), Ok(3 << 29));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12XB").unwrap_err().contains("unknown unit"));
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn simple_commands_parse() {
        assert_eq!(parse(":schema"), Ok(Command::Schema));
        assert_eq!(parse("  :quit  "), Ok(Command::Quit));
        assert_eq!(parse(":exit"), Ok(Command::Quit));
        assert_eq!(
            parse(":help query"),
            Ok(Command::Help(Some("query".into())))
        );
        assert_eq!(parse(":stats;"), Ok(Command::Stats));
        assert_eq!(parse(":params clear"), Ok(Command::ParamsClear));
        assert_eq!(parse(":timing on"), Ok(Command::Timing(Some(true))));
        assert_eq!(
            parse(":format csv"),
            Ok(Command::Format(Some(OutputFormat::Csv)))
        );
    }

    #[test]
    fn a_mistyped_command_gets_a_suggestion() {
        let e = parse(":shema").unwrap_err();
        assert!(e.0.contains("did you mean `:schema`?"), "{e}");
        let e = parse(":paramz").unwrap_err();
        assert!(e.0.contains("did you mean `:param"), "{e}");
        let e = parse(":format jsno").unwrap_err();
        assert!(e.0.contains("did you mean `json`?"), "{e}");
    }

    #[test]
    fn param_takes_a_name_and_an_expression() {
        assert_eq!(
            parse(":param who => 'Vladimir Putin'"),
            Ok(Command::Param {
                name: "who".into(),
                expr: "'Vladimir Putin'".into()
            })
        );
        assert!(parse(":param who 'x'").unwrap_err().0.contains("=>"));
        assert!(parse(":param 1x => 2").is_err());
    }

    #[test]
    fn paths_may_be_quoted() {
        assert_eq!(
            parse(":save 'my graph.json'"),
            Ok(Command::Save(PathBuf::from("my graph.json")))
        );
        assert!(parse(":load").unwrap_err().0.contains("path is missing"));
        assert!(parse(":load a b").is_err());
    }

    #[test]
    fn export_takes_format_file_flag_and_query() {
        assert_eq!(
            parse(":export dot out.dot --induced MATCH (n) RETURN n"),
            Ok(Command::Export {
                format: Some("dot".into()),
                file: PathBuf::from("out.dot"),
                induced: true,
                query: Some("MATCH (n) RETURN n".into()),
            })
        );
        assert_eq!(
            parse(":export out.graphml"),
            Ok(Command::Export {
                format: None,
                file: PathBuf::from("out.graphml"),
                induced: false,
                query: None,
            })
        );
    }

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("5 parsecs").is_err());
        assert_eq!(parse(":timeout off"), Ok(Command::Timeout(Some(None))));
    }
}
