//! Atomic writes: the new content goes to a temporary file (or directory)
//! beside the target, is flushed to disk, and only then renamed over the
//! target. A failure at any point removes the temporary and leaves the old
//! target as it was; no code path truncates the target first.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The `Error::Io` for `path`.
pub(crate) fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The directory a target lives in (`.` for a bare file name).
fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kgq".to_owned());
    format!(".{name}.")
}

/// Writes `target` atomically with `fill`, which writes the content.
pub fn write_file<F>(target: &Path, fill: F) -> Result<(), Error>
where
    F: FnOnce(&mut dyn Write) -> Result<(), Error>,
{
    let dir = parent_dir(target);
    let temp = tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| io_error(target, e))?;
    // Dropping `temp` on any early return deletes the temporary file.
    {
        let mut out = BufWriter::new(temp.as_file());
        fill(&mut out)?;
        out.flush().map_err(|e| io_error(target, e))?;
    }
    set_final_permissions(temp.as_file(), target).map_err(|e| io_error(target, e))?;
    temp.as_file().sync_all().map_err(|e| io_error(target, e))?;
    temp.persist(target)
        .map_err(|e| io_error(target, e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// Gives the new file the permissions of the file it replaces, or the usual
/// `rw-r--r--` for a new one: the temporary file is created private
/// (`rw-------`), which an exported file should not stay.
fn set_final_permissions(file: &File, target: &Path) -> std::io::Result<()> {
    let permissions = match fs::metadata(target) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(file)?,
    };
    file.set_permissions(permissions)
}

#[cfg(unix)]
fn default_permissions(_file: &File) -> std::io::Result<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &File) -> std::io::Result<fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

/// Builds the directory `target` atomically: `fill` writes into a fresh
/// temporary directory beside it, which then replaces `target` (an old
/// directory is moved aside first and removed once the new one is in place).
pub fn write_dir<F>(target: &Path, fill: F) -> Result<(), Error>
where
    F: FnOnce(&Path) -> Result<(), Error>,
{
    let dir = parent_dir(target);
    let temp = tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .suffix(".tmp")
        .tempdir_in(&dir)
        .map_err(|e| io_error(target, e))?;
    fill(temp.path())?;
    for entry in fs::read_dir(temp.path()).map_err(|e| io_error(target, e))? {
        let entry = entry.map_err(|e| io_error(target, e))?;
        File::open(entry.path())
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(&entry.path(), e))?;
    }
    let temp_path = temp.keep();
    let result = replace_dir(&temp_path, target, &dir);
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp_path);
    }
    result
}

fn replace_dir(new: &Path, target: &Path, dir: &Path) -> Result<(), Error> {
    if target.exists() {
        if !target.is_dir() {
            return Err(io_error(
                target,
                std::io::Error::other("exists and is not a directory; choose another name"),
            ));
        }
        let aside = tempfile::Builder::new()
            .prefix(&temp_prefix(target))
            .suffix(".old")
            .tempdir_in(dir)
            .map_err(|e| io_error(target, e))?
            .keep();
        // `rename` onto an empty directory replaces it.
        fs::rename(target, &aside).map_err(|e| io_error(target, e))?;
        if let Err(e) = fs::rename(new, target) {
            let _ = fs::rename(&aside, target);
            let _ = fs::remove_dir_all(&aside);
            return Err(io_error(target, e));
        }
        let _ = fs::remove_dir_all(&aside);
    } else {
        fs::rename(new, target).map_err(|e| io_error(target, e))?;
    }
    sync_dir(dir);
    Ok(())
}

/// Flushes a directory entry change to disk where the platform allows it.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect()
    }

    #[test]
    fn failed_write_keeps_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("g.json");
        fs::write(&target, "old").unwrap();
        let result = write_file(&target, |w| {
            w.write_all(b"half").map_err(|e| io_error(&target, e))?;
            Err(Error::Data(crate::error::DataError::new("boom")))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn successful_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("g.json");
        fs::write(&target, "old").unwrap();
        write_file(&target, |w| {
            w.write_all(b"new").map_err(|e| io_error(&target, e))
        })
        .unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_by_others_and_replacements_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.svg");
        write_file(&fresh, |w| {
            w.write_all(b"x").map_err(|e| io_error(&fresh, e))
        })
        .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), 0o644);

        let kept = dir.path().join("kept.json");
        fs::write(&kept, "old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o600)).unwrap();
        write_file(&kept, |w| {
            w.write_all(b"new").map_err(|e| io_error(&kept, e))
        })
        .unwrap();
        assert_eq!(mode(&kept), 0o600);
    }

    #[test]
    fn directory_is_replaced_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.csv"), "x").unwrap();
        let failed = write_dir(&target, |d| {
            fs::write(d.join("new.csv"), "y").unwrap();
            Err(Error::Data(crate::error::DataError::new("boom")))
        });
        assert!(failed.is_err());
        assert!(target.join("old.csv").exists());
        write_dir(&target, |d| {
            fs::write(d.join("new.csv"), "y").map_err(|e| io_error(d, e))
        })
        .unwrap();
        assert!(!target.join("old.csv").exists());
        assert!(target.join("new.csv").exists());
        assert!(leftovers(dir.path()).is_empty());
    }
}
