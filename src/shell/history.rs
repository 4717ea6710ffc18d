//! Where the REPL keeps its history: `kgq/history` in the platform's state
//! directory (`$XDG_STATE_HOME`, `~/.local/state` on Linux), else its data
//! directory.

use std::path::PathBuf;

/// The history file, creating its directory; `None` when the platform
/// has no such directory or it cannot be created.
pub fn default_path() -> Option<PathBuf> {
    let base = dirs::state_dir().or_else(dirs::data_dir)?;
    let dir = base.join("kgq");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}
