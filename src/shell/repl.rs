//! The interactive loop: rustyline for editing, the same feeder and
//! runner as scripts, Ctrl-C to stop a query, a warning before leaving
//! with unsaved changes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rustyline::error::ReadlineError;
use rustyline::history::{FileHistory, History};
use rustyline::{ColorMode, CompletionType, Config, Editor};

use super::helper::{KgqHelper, Shared};
use super::runner::{Flow, Origin, Shell};
use super::script::{Feeder, Item, run_item};

const PROMPT: &str = "kgq> ";
const CONTINUATION: &str = "  ...> ";

fn refresh(shared: &Shared, shell: &mut Shell, feeder: &Feeder) {
    shell.ensure_schema();
    *shared.pending.borrow_mut() = feeder.pending_text().to_owned();
    *shared.params.borrow_mut() = shell.session.params().keys().cloned().collect();
}

/// Whether to leave now: with unsaved changes, the first attempt only
/// warns.
fn may_leave(shell: &mut Shell, warned: &mut bool) -> bool {
    if shell.dirty && !*warned {
        *warned = true;
        shell.note(
            "warning: the graph has changes that are not saved. Use :save PATH to keep them, \
             or leave again (Ctrl-D or :quit) to discard them.",
        );
        false
    } else {
        true
    }
}

/// Ctrl-C presses since the current input began to run.
static PRESSES: AtomicUsize = AtomicUsize::new(0);

/// Ctrl-C while a query runs: ask it to stop. A query should stop within
/// a fraction of a second; if it does not, a third press leaves kgq rather
/// than leave the user stuck.
fn on_interrupt(cancel: &AtomicBool) {
    cancel.store(true, Ordering::SeqCst);
    match PRESSES.fetch_add(1, Ordering::SeqCst) + 1 {
        1 => {}
        2 => eprintln!("(stopping the query; press Ctrl-C once more to leave kgq)"),
        _ => {
            eprintln!("kgq: the query did not stop; leaving");
            std::process::exit(130);
        }
    }
}

/// Runs the REPL until the user leaves. `history` is the history file.
pub fn run(mut shell: Shell, history: Option<PathBuf>) -> ExitCode {
    let banner = shell.banner();
    shell.print(&banner);
    shell.flush();

    // While a query runs the terminal is not in raw mode, so Ctrl-C is a
    // signal: stop the query, not the shell. While editing, rustyline
    // reads Ctrl-C as a key instead.
    let cancel = shell.session.cancel_flag();
    if let Err(e) = ctrlc::set_handler(move || on_interrupt(&cancel)) {
        shell.note(&format!(
            "warning: Ctrl-C will end kgq, not just the query: {e}"
        ));
    }

    let config = Config::builder()
        .history_ignore_space(true)
        .completion_type(CompletionType::List)
        .color_mode(if shell.output.color {
            ColorMode::Enabled
        } else {
            ColorMode::Disabled
        })
        .auto_add_history(false)
        .build();
    let mut editor: Editor<KgqHelper, FileHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            shell.note(&format!("kgq: cannot open the line editor: {e}"));
            return ExitCode::from(1);
        }
    };
    let shared = Shared {
        schema: shell.schema.clone(),
        ..Shared::default()
    };
    editor.set_helper(Some(KgqHelper::new(shared.clone(), shell.output.color)));
    if let Some(path) = &history
        && path.exists()
        && let Err(e) = editor.load_history(path)
    {
        shell.note(&format!(
            "warning: cannot read the history in {}: {e}",
            path.display()
        ));
    }

    let mut feeder = Feeder::new();
    let mut entry_start = 0;
    let mut warned = false;
    loop {
        refresh(&shared, &mut shell, &feeder);
        PRESSES.store(0, Ordering::SeqCst);
        let prompt = if feeder.has_pending() {
            CONTINUATION
        } else {
            PROMPT
        };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                if feeder.has_pending() {
                    feeder.clear_pending();
                } else {
                    shell.note("(Ctrl-D or :quit to leave)");
                }
                entry_start = feeder.text().len();
                continue;
            }
            Err(ReadlineError::Eof) => {
                if may_leave(&mut shell, &mut warned) {
                    break;
                }
                continue;
            }
            Err(e) => {
                shell.note(&format!("kgq: cannot read input: {e}"));
                break;
            }
        };
        // A blank line runs what was typed even without its `;`.
        let items: Vec<Item> = if line.trim().is_empty() && feeder.has_pending() {
            let _ = feeder.push_line("");
            feeder.finish().into_iter().collect()
        } else {
            feeder.push_line(&line)
        };
        if !feeder.has_pending() {
            let entry = feeder.text()[entry_start..].trim();
            if !entry.is_empty() {
                let _ = editor.add_history_entry(entry);
                if let Some(path) = &history {
                    // Appending after each entry keeps history even if the
                    // terminal is closed without leaving properly.
                    let _ = editor.append_history(path);
                }
            }
            entry_start = feeder.text().len();
        }
        let mut quit = false;
        for item in &items {
            let flow = match item {
                // Typed input is its own origin: positions are within the
                // statement, not the whole session.
                Item::Statement(text, _) => {
                    shell.run_statement(text, Origin::typed(text));
                    Flow::Continue
                }
                Item::Command(..) => run_item(&mut shell, item, None, "").1,
            };
            if flow == Flow::Quit && may_leave(&mut shell, &mut warned) {
                quit = true;
                break;
            }
        }
        shell.flush();
        if quit {
            break;
        }
    }
    if let Some(path) = &history
        && editor.history().len() > 0
    {
        let _ = editor.append_history(path);
    }
    ExitCode::SUCCESS
}
