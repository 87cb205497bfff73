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
//! `optimizer_steps` and the shuffling generator's state `rng`.
//!
//! Resuming from a training checkpoint continues exactly as the uninterrupted run would:
//! same parameters, optimizer state, schedule position and shuffling order.

mod atomic;
mod compare;
mod error;
mod format;
mod import;
mod inspect;
mod load;
mod policy;
mod save;

use sha2::{Digest, Sha256};

pub use atomic::write_atomic;
pub use error::CheckpointError;
pub use import::{import_state_dict, import_state_dict_into};
pub use inspect::{Summary, inspect};
pub use load::{Resumed, load_dyn, load_dyn_training, load_training, load_weights};
pub use policy::CheckpointPolicy;
pub use save::{save_training, save_weights};

use crate::data::Standardizer;

/// The data transformations a model expects, saved with it so that a loaded model takes raw
/// inputs exactly as the trained one did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preprocessing {
    /// Standardisation of the inputs, fitted on the training data.
    pub inputs: Option<Standardizer>,
    /// Standardisation of the targets (regression), to map outputs back with
    /// [`Standardizer::invert`].
    pub targets: Option<Standardizer>,
}

/// A network loaded from a checkpoint, with what was saved alongside it.
pub struct Loaded<N> {
    /// The network.
    pub network: N,
    /// Its preprocessing.
    pub preprocessing: Preprocessing,
    /// Epochs of training done when it was saved.
    pub epoch: usize,
    /// Optimizer steps done when it was saved.
    pub step: u64,
}

/// The SHA-256 of a text, in hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
