//! Atomic file replacement, for checkpoints, ONNX graphs and charts: a crash or an error
//! mid-write leaves the previous file intact.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes a file through `write` into a temporary file in the same directory, flushes it to
/// disk, and renames it over `path`. If `write` or the flush fails, the temporary file is
/// removed and `path` is untouched.
///
/// # Errors
///
/// The first I/O error, from `write` or from creating, syncing or renaming the file.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    replace_file(path, |temp| {
        let mut file = File::options().write(true).create_new(true).open(temp)?;
        write(&mut file)
    })
}

/// [`write_atomic`] for writers that open the file themselves, such as a chart's backend:
/// `write` gets the temporary file's path, which keeps `path`'s extension (a PNG encoder
/// chooses its format by it), and must have closed the file when it returns.
pub(crate) fn replace_file(
    path: &Path,
    write: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let extension = path
        .extension()
        .map(|extension| format!(".{}", extension.to_string_lossy()))
        .unwrap_or_default();
    let temp = directory.join(format!(
        ".{}.tmp-{}-{}{extension}",
        name.to_string_lossy(),
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = write(&temp)
        .and_then(|()| File::options().write(true).open(&temp)?.sync_all())
        .and_then(|()| std::fs::rename(&temp, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(error);
    }
    // Make the rename itself durable; not every platform can open a directory.
    if let Ok(directory) = File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn a_failed_write_leaves_the_previous_file_and_no_temporary() {
        let dir = tempfile::Builder::new()
            .prefix("mlp-atomic-")
            .tempdir()
            .unwrap();
        let path = dir.path().join("file.bin");
        write_atomic(&path, |f| f.write_all(b"first version")).unwrap();
        let failed = write_atomic(&path, |f| {
            f.write_all(b"second")?;
            Err(io::Error::other("injected failure"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "injected failure");
        assert_eq!(std::fs::read(&path).unwrap(), b"first version");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "the temporary file was removed");
        write_atomic(&path, |f| f.write_all(b"third")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"third");
    }
}
