//! Showing long output through a pager, as `git` and `psql` do.

use std::io::{self, Write};
use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthStr;

/// Whether `text` does not fit a terminal of `width` x `height`.
pub fn needs_pager(text: &str, width: usize, height: usize) -> bool {
    let lines = text.lines().count();
    // Keep one line for the prompt that follows.
    lines + 1 > height || text.lines().any(|l| visible_width(l) > width)
}

/// The columns `line` takes on screen: ANSI colour sequences take none.
fn visible_width(line: &str) -> usize {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte (a letter).
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain.width()
}

/// The pager command: `$PAGER` when set and not empty, else `less -S`
/// (which keeps long lines whole and scrolls sideways). `-R` lets colours
/// through; `-X` leaves the last screen visible after quitting, so the
/// result can be read while typing the next query.
fn pager_command() -> String {
    match std::env::var("PAGER") {
        Ok(p) if !p.trim().is_empty() => p,
        _ => "less -S -R -X".to_owned(),
    }
}

/// Pipes `text` through the pager and waits for it. Returns `Ok(false)`
/// when no pager could be started, so the caller prints the text itself.
pub fn show(text: &str) -> io::Result<bool> {
    let command = pager_command();
    let child = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .stdin(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return Ok(false);
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A pager quit early closes the pipe; that is not an error.
        match stdin.write_all(text.as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    child.wait()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_taller_or_wider_than_the_screen_needs_a_pager() {
        assert!(!needs_pager("a\nb\n", 80, 24));
        assert!(needs_pager(&"x\n".repeat(30), 80, 24));
        assert!(needs_pager(&"x".repeat(81), 80, 24));
        // Wide characters take two columns each.
        assert!(needs_pager(&"語".repeat(41), 80, 24));
        assert!(!needs_pager(&"語".repeat(40), 80, 24));
        // Colours do not count.
        assert!(!needs_pager(
            &format!("\x1b[1m{}\x1b[0m", "x".repeat(80)),
            80,
            24
        ));
    }
}
