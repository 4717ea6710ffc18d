//! The REPL driven through a pseudo-terminal, as a person would use it.

use std::path::Path;
use std::process::Command;

use rexpect::ReadUntil;
use rexpect::session::{PtySession, spawn_command};

const TIMEOUT_MS: u64 = 20_000;

fn spawn(args: &[&str], state: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kgq"));
    cmd.args(args)
        .arg("--no-pager")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("HOME", state)
        .env("XDG_STATE_HOME", state.join("state"))
        .env("XDG_DATA_HOME", state.join("data"));
    let mut session = spawn_command(cmd, Some(TIMEOUT_MS)).expect("kgq starts in a pty");
    session.exp_string("Type :help").expect("banner");
    ready(&mut session);
    session
}

/// Waits for the main prompt: input sent before the editor is ready may be
/// dropped when it switches the terminal to raw mode.
fn ready(session: &mut PtySession) {
    session.exp_string("kgq> ").expect("prompt");
}

fn quit(mut session: PtySession) {
    session.send_line(":quit").unwrap();
    session.exp_eof().expect("kgq leaves on :quit");
}

#[test]
fn help_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send_line(":help").unwrap();
    s.exp_string("Commands (one line each").unwrap();
    ready(&mut s);
    s.send_line(":shema").unwrap();
    s.exp_string("did you mean `:schema`?").unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn a_query_over_two_lines_waits_for_its_semicolon() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send_line("UNWIND [1, 2, 3] AS x").unwrap();
    s.exp_string("...> ").unwrap();
    s.send_line("RETURN count(x) AS n;").unwrap();
    // (rexpect reads bytes one by one, so match ASCII only.)
    s.exp_string(" 3 ").unwrap();
    s.exp_string("1 row").unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn ctrl_c_clears_the_input_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send_line("MATCH (n").unwrap();
    s.exp_string("...> ").unwrap();
    s.send_control('c').unwrap();
    // The main prompt, not the continuation one: the input was dropped.
    ready(&mut s);
    // Were the input not cleared, this would be part of the statement.
    s.send_line(":stats").unwrap();
    s.exp_string("nodes:").unwrap();
    ready(&mut s);
    s.send_control('c').unwrap();
    s.exp_string("Ctrl-D or :quit to leave").unwrap();
    ready(&mut s);
    s.send_line(":stats").unwrap();
    s.exp_string("nodes:").unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn ctrl_c_cancels_a_long_query_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send_line("UNWIND range(1, 1000) AS i CREATE (:N {i: i});")
        .unwrap();
    s.exp_string("Created 1000 nodes").unwrap();
    ready(&mut s);
    // A billion rows: far longer than the test waits.
    s.send_line("MATCH (a:N), (b:N), (c:N) RETURN count(*);")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    s.send_control('c').unwrap();
    s.exp_string("Cancelled").unwrap();
    ready(&mut s);
    s.send_line("RETURN 'still here' AS status;").unwrap();
    s.exp_string("still here").unwrap();
    ready(&mut s);
    s.send_line(":quit").unwrap();
    s.exp_string("changes that are not saved").unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn tab_completes_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send("UNWI\t").unwrap();
    s.flush().unwrap();
    s.exp_string("UNWIND").unwrap();
    s.send_control('c').unwrap();
    ready(&mut s);
    s.send(":sch\t").unwrap();
    s.flush().unwrap();
    s.exp_string(":schema").unwrap();
    s.send_control('c').unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn tab_completes_a_label_and_a_property_of_a_variable() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&[], dir.path());
    s.send("MATCH (p:Pers\t").unwrap();
    s.flush().unwrap();
    s.exp_string("MATCH (p:Person").unwrap();
    s.send(") RETURN p.na\t").unwrap();
    s.flush().unwrap();
    s.exp_string("RETURN p.name").unwrap();
    s.send_control('c').unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn history_is_remembered_by_the_next_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send_line(":timing on").unwrap();
    s.exp_string("Timing is on.").unwrap();
    ready(&mut s);
    quit(s);
    let file = dir.path().join("state/kgq/history");
    let saved = std::fs::read_to_string(&file).expect("history file written");
    assert!(saved.contains(":timing on"), "{saved}");

    let mut s = spawn(&["--empty"], dir.path());
    // Up arrow twice (past `:quit`), then Enter runs the remembered line.
    s.send("\x1b[A\x1b[A").unwrap();
    s.flush().unwrap();
    s.exp_string(":timing on").unwrap();
    s.send_line("").unwrap();
    s.exp_string("Timing is on.").unwrap();
    ready(&mut s);
    quit(s);
}

#[test]
fn no_history_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty", "--no-history"], dir.path());
    s.send_line(":stats").unwrap();
    s.exp_string("nodes:").unwrap();
    ready(&mut s);
    quit(s);
    assert!(!dir.path().join("state/kgq/history").exists());
}

#[test]
fn leaving_with_unsaved_changes_warns_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    s.send_line("CREATE (:City {name: 'Kyiv'});").unwrap();
    s.exp_string("Created 1 node").unwrap();
    ready(&mut s);
    s.send_line(":quit").unwrap();
    s.exp_string("changes that are not saved").unwrap();
    ready(&mut s);
    s.send_control('d').unwrap();
    s.exp_eof().expect("the second attempt leaves");
}

#[test]
fn ctrl_c_always_gets_the_user_out_of_a_query() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&["--empty"], dir.path());
    // Ten billion rows from two small lists.
    s.send_line("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*);")
        .unwrap();
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(700));
        s.send_control('c').unwrap();
    }
    // Either the query stopped and the session goes on, or, if it ignored
    // the requests, the third Ctrl-C left kgq; it never hangs.
    let (_, found) = s
        .exp_any(vec![
            ReadUntil::String("Cancelled".into()),
            ReadUntil::String("did not stop".into()),
        ])
        .expect("the query stops or kgq leaves");
    if found == "Cancelled" {
        ready(&mut s);
        s.send_line("RETURN 'still here' AS status;").unwrap();
        s.exp_string("still here").unwrap();
        ready(&mut s);
        quit(s);
    } else {
        s.exp_eof().expect("kgq left");
    }
}
