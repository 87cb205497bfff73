//! Early stopping: watches a quantity and remembers the best parameters.

use mlp_spec::{EarlyStopping, Monitor};

use super::history::EpochRecord;

/// The state of early stopping during a run.
pub(crate) struct EarlyStopper<T> {
    settings: EarlyStopping,
    best: Option<f64>,
    best_epoch: usize,
    best_params: Vec<T>,
    waited: usize,
}

impl<T: Copy> EarlyStopper<T> {
    pub(crate) fn new(settings: EarlyStopping) -> Self {
        EarlyStopper {
            settings,
            best: None,
            best_epoch: 0,
            best_params: Vec::new(),
            waited: 0,
        }
    }

    /// The watched value of a record, and whether lower is better.
    pub(crate) fn watched(monitor: Monitor, record: &EpochRecord) -> (Option<f64>, bool) {
        match monitor {
            Monitor::ValLoss => (record.val_loss, true),
            Monitor::Loss => (Some(record.loss), true),
            Monitor::ValAccuracy | Monitor::ValR2 => (record.val_metric, false),
        }
    }

    /// Takes an epoch's record; returns whether training should stop.
    pub(crate) fn update(&mut self, record: &EpochRecord, params: &[T]) -> bool {
        let (Some(value), lower_is_better) = Self::watched(self.settings.monitor, record) else {
            return false;
        };
        let delta = self.settings.min_delta;
        let improved = match self.best {
            None => true,
            Some(best) if lower_is_better => value < best - delta,
            Some(best) => value > best + delta,
        };
        if improved {
            self.best = Some(value);
            self.best_epoch = record.epoch;
            self.waited = 0;
            if self.settings.restore_best {
                self.best_params.clear();
                self.best_params.extend_from_slice(params);
            }
            false
        } else {
            self.waited += 1;
            self.waited >= self.settings.patience
        }
    }

    /// Restores the best parameters when asked to; returns the epoch they came from.
    pub(crate) fn restore(&self, params: &mut [T]) -> Option<usize> {
        if self.settings.restore_best && self.best_params.len() == params.len() {
            params.copy_from_slice(&self.best_params);
            Some(self.best_epoch)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: usize, val_loss: f64) -> EpochRecord {
        EpochRecord {
            epoch,
            loss: 1.0,
            metric: None,
            val_loss: Some(val_loss),
            val_metric: None,
            lr: 0.1,
            seconds: 0.0,
            scores: Vec::new(),
            val_scores: Vec::new(),
            layers: Vec::new(),
        }
    }

    #[test]
    fn stops_after_patience_epochs_without_improvement_and_restores_the_best() {
        let settings = EarlyStopping {
            monitor: Monitor::ValLoss,
            patience: 2,
            min_delta: 0.01,
            restore_best: true,
        };
        let mut stopper = EarlyStopper::new(settings);
        assert!(!stopper.update(&record(1, 1.0), &[1.0]));
        assert!(!stopper.update(&record(2, 0.5), &[2.0]));
        // 0.495 is not better by min_delta.
        assert!(!stopper.update(&record(3, 0.495), &[3.0]));
        assert!(stopper.update(&record(4, 0.6), &[4.0]));
        let mut params = [9.0];
        assert_eq!(stopper.restore(&mut params), Some(2));
        assert_eq!(params, [2.0]);
    }
}
