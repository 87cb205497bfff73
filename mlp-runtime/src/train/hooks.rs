//! Code that runs after every epoch: callbacks, and hooks with access to the model and the
//! training state (writing checkpoints is one, see `checkpoint::CheckpointPolicy`).

use std::ops::ControlFlow;

use super::{EpochRecord, TrainError, TrainingState};
use crate::model::Model;

/// Runs after each epoch of [`Trainer::fit`](super::Trainer::fit).
pub trait EpochHook<M: Model> {
    /// Sees the epoch's record, the model and the training state after the epoch; returns
    /// `Break` to stop training.
    ///
    /// # Errors
    ///
    /// An error stops training with it.
    fn after_epoch(
        &mut self,
        record: &EpochRecord,
        model: &M,
        state: &TrainingState<M::Float>,
    ) -> Result<ControlFlow<()>, TrainError>;
}

/// A callback on the epoch's record, as a hook.
pub(super) struct Callback<F>(pub(super) F);

impl<M: Model, F: FnMut(&EpochRecord) -> ControlFlow<()>> EpochHook<M> for Callback<F> {
    fn after_epoch(
        &mut self,
        record: &EpochRecord,
        _model: &M,
        _state: &TrainingState<M::Float>,
    ) -> Result<ControlFlow<()>, TrainError> {
        Ok((self.0)(record))
    }
}
