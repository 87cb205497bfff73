//! What a training run carries from step to step, and what a training checkpoint saves.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use crate::optim::Optimizer;

/// The state of a training run besides the parameters: the optimizer with its buffers and
/// step count, the epochs done (the position of per-epoch schedules), and the shuffling
/// generator. Restoring it continues a run exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingState<T> {
    pub(crate) optimizer: Optimizer<T>,
    pub(crate) epochs_done: usize,
    pub(crate) rng: ChaCha8Rng,
}

impl<T> TrainingState<T> {
    /// A fresh state: no step taken, the generator seeded with `seed`.
    pub(crate) fn new(optimizer: Optimizer<T>, seed: u64) -> Self {
        TrainingState {
            optimizer,
            epochs_done: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The optimizer and its buffers.
    pub fn optimizer(&self) -> &Optimizer<T> {
        &self.optimizer
    }

    /// Epochs completed so far.
    pub fn epochs_done(&self) -> usize {
        self.epochs_done
    }
}
