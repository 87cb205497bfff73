//! What happened during training, epoch by epoch.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::atomic_file::write_atomic;

/// The record of one epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochRecord {
    /// The epoch, from 1.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches (weighted by batch size), as the
    /// parameters changed during the epoch; regularisation included.
    pub loss: f64,
    /// Training accuracy (classification) or R^2 (regression) after the epoch.
    pub metric: Option<f64>,
    /// Validation loss after the epoch, when there is validation data.
    pub val_loss: Option<f64>,
    /// Validation accuracy or R^2 after the epoch.
    pub val_metric: Option<f64>,
    /// The learning rate used in the epoch's first step.
    pub lr: f64,
    /// Wall-clock seconds the epoch took, evaluation included.
    pub seconds: f64,
    /// Every score of the training data after the epoch, by name
    /// ([`Evaluation::scores`](crate::Evaluation::scores)).
    pub scores: Vec<(&'static str, f64)>,
    /// Every score of the validation data after the epoch; empty without validation data.
    pub val_scores: Vec<(&'static str, f64)>,
    /// Per-layer diagnostics, input side first, when
    /// [`TrainConfig::diagnostics`](super::TrainConfig::diagnostics) is on; empty otherwise.
    pub layers: Vec<super::LayerDiagnostics>,
}

/// Why training stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// All epochs ran.
    Completed,
    /// The monitored quantity stopped improving for `patience` epochs.
    EarlyStopping,
    /// The epoch's mean loss changed by less than `min_loss_change`.
    MinLossChange,
    /// A callback asked to stop.
    Callback,
    /// A loss became NaN or infinite: the history of [`TrainError::Diverged`](super::TrainError),
    /// whose epochs are those that ended before it.
    Diverged,
}

/// The per-epoch records of a training run, and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct History {
    /// One record per epoch run.
    pub epochs: Vec<EpochRecord>,
    /// Why training stopped.
    pub stop: StopReason,
    /// The epoch whose parameters were restored by early stopping, if any.
    pub restored_epoch: Option<usize>,
    /// The name of the metric: `accuracy` or `r2`.
    pub metric_name: &'static str,
}

impl History {
    /// The last epoch's record.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }

    /// The history as CSV: a header, then one row per epoch (empty cells for missing values).
    /// After the fixed columns come the other scores that any epoch has (`f1_macro`,
    /// `log_loss`, `roc_auc` for classifiers, `rmse`, `mae` for regressors), for training
    /// and then, prefixed `val_`, for validation; then, with diagnostics, each layer's
    /// `layer{l}_grad_norm`, `layer{l}_weight_norm` and `layer{l}_dead_fraction`.
    pub fn to_csv(&self) -> String {
        let metric = self.metric_name;
        let fixed = ["loss", metric];
        let extra = |pick: fn(&EpochRecord) -> &Vec<(&'static str, f64)>| -> Vec<&'static str> {
            let mut names: Vec<&'static str> = Vec::new();
            for record in &self.epochs {
                for (name, _) in pick(record) {
                    if !fixed.contains(name) && !names.contains(name) {
                        names.push(name);
                    }
                }
            }
            names
        };
        let (train_extra, val_extra) = (extra(|r| &r.scores), extra(|r| &r.val_scores));
        let mut out = format!("epoch,loss,{metric},val_loss,val_{metric},lr,seconds");
        for name in &train_extra {
            out.push_str(&format!(",{name}"));
        }
        for name in &val_extra {
            out.push_str(&format!(",val_{name}"));
        }
        let layers = self.diagnosed_layers();
        for l in 0..layers {
            out.push_str(&format!(
                ",layer{l}_grad_norm,layer{l}_weight_norm,layer{l}_dead_fraction"
            ));
        }
        out.push('\n');
        let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let find = |scores: &[(&'static str, f64)], name: &str| {
            scores.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        };
        for r in &self.epochs {
            out.push_str(&format!(
                "{},{},{},{},{},{},{}",
                r.epoch,
                r.loss,
                cell(r.metric),
                cell(r.val_loss),
                cell(r.val_metric),
                r.lr,
                r.seconds
            ));
            for name in &train_extra {
                out.push_str(&format!(",{}", cell(find(&r.scores, name))));
            }
            for name in &val_extra {
                out.push_str(&format!(",{}", cell(find(&r.val_scores, name))));
            }
            for l in 0..layers {
                let layer = r.layers.get(l);
                out.push_str(&format!(
                    ",{},{},{}",
                    cell(layer.map(|d| d.grad_norm)),
                    cell(layer.map(|d| d.weight_norm)),
                    cell(layer.and_then(|d| d.dead_fraction))
                ));
            }
            out.push('\n');
        }
        out
    }

    /// Layers with diagnostics in any epoch: 0 unless training recorded them.
    pub(crate) fn diagnosed_layers(&self) -> usize {
        self.epochs
            .iter()
            .map(|r| r.layers.len())
            .max()
            .unwrap_or(0)
    }

    /// The history as JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys and finite or null numbers always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes [`History::to_csv`] to `path`, atomically ([`write_atomic`](crate::checkpoint::write_atomic)).
    ///
    /// # Errors
    ///
    /// Any I/O error, its message naming the file; `path` is then as it was.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> io::Result<()> {
        write_text(path.as_ref(), &self.to_csv())
    }

    /// Writes [`History::to_json`] to `path`, atomically ([`write_atomic`](crate::checkpoint::write_atomic)).
    ///
    /// # Errors
    ///
    /// As [`History::write_csv`].
    pub fn write_json(&self, path: impl AsRef<Path>) -> io::Result<()> {
        write_text(path.as_ref(), &self.to_json())
    }
}

/// Writes `text` to `path` atomically, with an error that names the file: an `io::Error`
/// alone ("No such file or directory") does not say which.
fn write_text(path: &Path, text: &str) -> io::Result<()> {
    write_atomic(path, |file| file.write_all(text.as_bytes()))
        .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))
}
