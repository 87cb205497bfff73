//! Ctrl-C during `mlp train` and `mlp tune`: the first stops training at the end of the
//! epoch that runs (every trial's, in a search), and the command then saves and reports what
//! it finished; a second quits at once. Without it, a long run stopped by hand would lose
//! all of its work.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether Ctrl-C has been pressed since [`Interrupt::install`].
#[derive(Clone)]
pub(crate) struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// Installs the process's Ctrl-C handler. The first Ctrl-C sets the flag and says on
    /// standard error what follows (`what_follows`); the second exits with status 130, as a
    /// shell reports a process that Ctrl-C ended (a file being written is left whole: files
    /// are written to a temporary file and renamed).
    pub(crate) fn install(what_follows: &'static str) -> Result<Self, String> {
        let pressed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&pressed);
        ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            // Standard error that is gone is no reason to stop the handler.
            let _ = writeln!(
                std::io::stderr(),
                "\nCtrl-C: {what_follows}; Ctrl-C again quits at once"
            );
        })
        .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
        Ok(Interrupt(pressed))
    }

    /// Whether Ctrl-C has been pressed.
    pub(crate) fn pressed(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The flag the first Ctrl-C sets.
    pub(crate) fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}
