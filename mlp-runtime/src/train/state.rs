//! What a training run carries from step to step, and what a training checkpoint saves.

use mlp_spec::{Regularization, Schedule};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use crate::optim::Optimizer;

/// The state of a training run besides the parameters: the optimizer with its
/// hyper-parameters, buffers and step count, the schedule and penalties the run uses, the
/// epochs done (the position of per-epoch schedules), and the shuffling generator.
/// Restoring it continues a run exactly, with the run-time hyper-parameters it had.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingState<T> {
    pub(crate) optimizer: Optimizer<T>,
    pub(crate) schedule: Schedule,
    pub(crate) regularization: Regularization,
    pub(crate) epochs_done: usize,
    pub(crate) rng: ChaCha8Rng,
}

impl<T> TrainingState<T> {
    /// A fresh state: no step taken, the generator seeded with `seed`.
    pub(crate) fn new(
        optimizer: Optimizer<T>,
        schedule: Schedule,
        regularization: Regularization,
        seed: u64,
    ) -> Self {
        TrainingState {
            optimizer,
            schedule,
            regularization,
            epochs_done: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The seed of the run's dropout masks: the first eight bytes of the training generator's
    /// key, which drawing never changes (a resumed run has the same).
    pub(crate) fn mask_seed(&self) -> u64 {
        let key = self.rng.get_seed();
        u64::from_le_bytes([
            key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
        ])
    }

    /// The optimizer and its buffers.
    pub fn optimizer(&self) -> &Optimizer<T> {
        &self.optimizer
    }

    /// The learning-rate schedule of the run.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The L1/L2 penalties of the run.
    pub fn regularization(&self) -> &Regularization {
        &self.regularization
    }

    /// Epochs completed so far.
    pub fn epochs_done(&self) -> usize {
        self.epochs_done
    }
}
