//! Ctrl-C during `mlp train`: the first stops training at the end of the epoch that runs, and
//! the command then saves and reports what it trained, as after its last epoch; a second
//! quits at once. Without it, a long run stopped by hand would lose all of its training.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether Ctrl-C has been pressed since [`Interrupt::install`].
#[derive(Clone)]
pub(crate) struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// Installs the process's Ctrl-C handler. The first Ctrl-C sets the flag and says what
    /// follows on standard error; the second exits with status 130, as a shell reports a
    /// process that Ctrl-C ended (a checkpoint being written is left whole: it is written
    /// to a temporary file and renamed).
    pub(crate) fn install() -> Result<Self, String> {
        let pressed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&pressed);
        ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            // Standard error that is gone is no reason to stop the handler.
            let _ = writeln!(
                std::io::stderr(),
                "\nCtrl-C: training stops at the end of this epoch, and what it trained is \
                 saved; Ctrl-C again quits at once"
            );
        })
        .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
        Ok(Interrupt(pressed))
    }

    /// Whether Ctrl-C has been pressed.
    pub(crate) fn pressed(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
