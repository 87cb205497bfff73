//! The progress bar: epochs, loss and metrics on a terminal, nothing otherwise.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::history::EpochRecord;

/// A bar counting `length` of `what` on standard error, when `enabled` and standard error
/// is a terminal (the trainer's epochs, the search's trials).
pub(crate) fn terminal_bar(what: &str, length: usize, enabled: bool) -> Option<ProgressBar> {
    (enabled && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::with_draw_target(Some(length as u64), ProgressDrawTarget::stderr());
        let template = format!(
            "{{spinner}} {what} {{pos:>4}}/{{len}} [{{bar:30}}] {{elapsed_precise}} {{msg}}"
        );
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar
    })
}

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `epochs` when `enabled` and standard error is a terminal.
    pub(crate) fn new(epochs: usize, enabled: bool) -> Self {
        Progress {
            bar: terminal_bar("epoch", epochs, enabled),
        }
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
