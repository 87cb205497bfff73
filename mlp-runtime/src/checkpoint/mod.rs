//! Checkpoints: safetensors files that PyTorch can read, saved atomically, loaded with
//! clear errors and no panics.
//!
//! A checkpoint holds the parameters as `layers.{i}.weight` (`[out, in]`, row-major) and
//! `layers.{i}.bias` (`[out]`), in the layout of `torch.nn.Linear`, so
//! `torch.nn.Sequential(...).load_state_dict` takes them after renaming. A training checkpoint
//! adds the optimizer state as `optimizer.layers.{i}.{weight|bias}.{name}` (PyTorch's state
//! names: `exp_avg`, `exp_avg_sq`, `momentum_buffer`, `sum`, `square_avg`). The metadata holds
//! `format` (`mlp-checkpoint/1`), the canonical `spec` and its `spec_sha256`, `precision`,
//! `crate_version`, `contents` (`weights` or `training`), `epoch` and `step`, and, when given,
//! the input and target standardisation; a training checkpoint also holds `optimizer`,
//! `optimizer_steps`, the shuffling generator's state `rng` and, for a run whose run-time
//! hyper-parameters (optimizer, schedule, penalties) were not its spec's, `trained_with`:
//! the canonical spec holding the ones it used.
//!
//! Resuming from a training checkpoint continues exactly as the uninterrupted run would:
//! same parameters, optimizer and its hyper-parameters, optimizer state, schedule and its
//! position, penalties and shuffling order.

mod compare;
mod error;
pub(crate) mod format;
mod import;
mod inspect;
mod load;
mod policy;
mod save;

pub use crate::atomic_file::write_atomic;
pub use error::CheckpointError;
pub use import::{import_state_dict, import_state_dict_into};
pub use inspect::{Summary, inspect};
pub use load::{Resumed, load_dyn, load_dyn_training, load_training, load_weights};
pub use policy::CheckpointPolicy;
pub use save::{save_training, save_weights};

pub use crate::data::Preprocessing;
use crate::model::Model;
use crate::predict::{PredictError, Predictor};
pub use mlp_spec::sha256_hex;

/// A network loaded from a checkpoint, with what was saved alongside it.
///
/// Its network computes in the standardised units it was trained in; predict through
/// [`Loaded::predictor`] or [`Loaded::predict`] to give it raw inputs, as the data file holds
/// them, and get a regression's outputs in the targets' units.
pub struct Loaded<N> {
    /// The network, which expects standardised inputs when `preprocessing` has a
    /// standardisation.
    pub network: N,
    /// Its preprocessing.
    pub preprocessing: Preprocessing,
    /// Epochs of training done when it was saved.
    pub epoch: usize,
    /// Optimizer steps done when it was saved.
    pub step: u64,
}

impl<M: Model> Loaded<M> {
    /// A predictor of the loaded network that applies its preprocessing: raw inputs in,
    /// outputs in the targets' units (see [`Predictor`]).
    pub fn predictor(&self) -> Predictor<'_, M> {
        Predictor::with_preprocessing(&self.network, &self.preprocessing)
    }

    /// The outputs for raw `inputs` (any number of samples, one after the other), in the
    /// targets' units: a convenience that allocates its buffers and result on each call.
    ///
    /// # Errors
    ///
    /// [`PredictError::Inputs`] if `inputs` is not a whole number of samples.
    pub fn predict(&self, inputs: &[M::Float]) -> Result<Vec<M::Float>, PredictError> {
        let samples = inputs.len() / self.network.input_size().max(1);
        let mut outputs =
            vec![<M::Float as Default>::default(); samples * self.network.output_size()];
        self.predictor().predict(inputs, &mut outputs)?;
        Ok(outputs)
    }
}
