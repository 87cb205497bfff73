//! Standard output that neither panics nor loses work when its reader goes away.

use std::io::{ErrorKind, Write as _};

/// Writes `text` to standard output. A reader that has gone (`mlp predict ... | head`) is
/// not an error: the command goes on to finish its work (a trained checkpoint is still
/// saved) and exits as it would have; any other failure to write (a full disk) is one.
pub(crate) fn write(text: std::fmt::Arguments<'_>) -> Result<(), String> {
    match std::io::stdout().lock().write_fmt(text) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

/// `print!` through [`write`], returning its error from the enclosing function.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write(format_args!($($arg)*))?
    };
}

/// `println!` through [`write`], returning its error from the enclosing function.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::write(format_args!("{}\n", format_args!($($arg)*)))?
    };
}
