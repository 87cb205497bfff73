//! Checkpoints written during training, as an epoch hook.

use std::ops::ControlFlow;
use std::path::PathBuf;

use super::Preprocessing;
use super::save::{save_state, save_weights};
use crate::model::Model;
use crate::train::{EpochHook, EpochRecord, TrainError, TrainingState};

/// Writes checkpoints during [`Trainer::fit`](crate::Trainer::fit): add it with
/// [`Trainer::add_hook`](crate::Trainer::add_hook).
#[derive(Clone, Debug, PartialEq)]
pub struct CheckpointPolicy {
    /// A training checkpoint (to resume from) is written here...
    pub path: PathBuf,
    /// ...every this many epochs (0: never).
    pub every: usize,
    /// The weights of the epoch with the lowest validation loss (training loss without
    /// validation data) so far are written here, if set.
    pub best: Option<PathBuf>,
    /// Saved with every checkpoint, so a loaded model takes raw inputs.
    pub preprocessing: Preprocessing,
    /// The lowest loss seen so far.
    best_loss: f64,
}

impl CheckpointPolicy {
    /// A training checkpoint at `path` every `every` epochs, and no best weights.
    pub fn new(path: impl Into<PathBuf>, every: usize) -> Self {
        CheckpointPolicy {
            path: path.into(),
            every,
            best: None,
            preprocessing: Preprocessing::default(),
            best_loss: f64::INFINITY,
        }
    }

    /// The same policy, also writing the best weights to `best`.
    pub fn with_best(mut self, best: impl Into<PathBuf>) -> Self {
        self.best = Some(best.into());
        self
    }

    /// The same policy, saving `preprocessing` with every checkpoint.
    pub fn with_preprocessing(mut self, preprocessing: Preprocessing) -> Self {
        self.preprocessing = preprocessing;
        self
    }
}

impl<M: Model> EpochHook<M> for CheckpointPolicy {
    fn after_epoch(
        &mut self,
        record: &EpochRecord,
        model: &M,
        state: &TrainingState<M::Float>,
    ) -> Result<ControlFlow<()>, TrainError> {
        let failed = |error| TrainError::Hook(Box::new(error));
        if self.every > 0 && record.epoch.is_multiple_of(self.every) {
            save_state(&self.path, model, state, &self.preprocessing).map_err(failed)?;
        }
        let watched = record.val_loss.unwrap_or(record.loss);
        if let Some(best) = &self.best
            && watched < self.best_loss
        {
            self.best_loss = watched;
            save_weights(best, model, &self.preprocessing).map_err(failed)?;
        }
        Ok(ControlFlow::Continue(()))
    }
}
