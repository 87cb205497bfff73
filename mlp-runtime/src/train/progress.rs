//! The progress bar: epochs, loss and metrics on a terminal, nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::history::EpochRecord;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `epochs` when `enabled` and standard error is a terminal.
    pub(crate) fn new(epochs: usize, enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(epochs as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} epoch {pos:>4}/{len} [{bar:30}] {elapsed_precise} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        Progress { bar }
    }

    pub(crate) fn epoch(&self, record: &EpochRecord, metric: &str) {
        let Some(bar) = &self.bar else { return };
        let mut message = format!("loss {:.4}", record.loss);
        if let Some(value) = record.metric {
            message.push_str(&format!("  {metric} {value:.4}"));
        }
        if let Some(value) = record.val_loss {
            message.push_str(&format!("  val_loss {value:.4}"));
        }
        if let Some(value) = record.val_metric {
            message.push_str(&format!("  val_{metric} {value:.4}"));
        }
        bar.inc(1);
        bar.set_message(message);
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
