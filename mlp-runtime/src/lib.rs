//! Runtime of **mlp**, the model-spec compiler for multi-layer perceptrons.
//!
//! Write a spec, annotate a unit struct, and get a network whose layers are statically sized
//! nalgebra matrices:
//!
//! ```
//! use mlp_runtime::prelude::*;
//!
//! /// Learns exclusive-or.
//! #[mlp(spec = "../specs/xor.yaml")]
//! pub struct Xor;
//!
//! let net = Xor::new(); // weights drawn from the spec's seeded initialiser
//! let y: XorOutput = net.forward(&XorInput::new(1.0, 0.0));
//! assert!(y[0] > 0.0 && y[0] < 1.0); // a sigmoid output
//! ```
//!
//! The spec path is relative to the crate's `Cargo.toml`. The macro validates the spec at
//! compile time (every error is a compile error naming the file, line and column) and
//! generates, for `Xor`:
//!
//! - the struct, holding all parameters in one heap buffer, with typed views per layer
//!   (`layer0_weight()` is an `SMatrixView<f32, 8, 2>`), and `new()`, `with_seed(seed)`;
//! - consts `INPUTS`, `OUTPUTS`, `BATCH_SIZE`, `PARAM_COUNT` and a footprint report
//!   (`PARAM_BYTES`, `OPTIMIZER_STATE_BYTES`, `ACTIVATION_BYTES`);
//! - aliases `XorInput`, `XorOutput`, `XorBatchInput`, `XorBatchOutput` (batches are
//!   matrices whose columns are samples), so a wrong-sized input is a type error;
//! - `forward`, `forward_batch`, `loss`, `loss_batch`, `backward` and `backward_batch`, the
//!   last two writing into an `XorGradients` of the same shapes;
//! - `XorWorkspace`, the preallocated buffers that make batched passes allocation-free;
//! - implementations of [`Model`] and [`StaticModel`], the traits generic code (like
//!   [`gradient_check`]) works with.
//!
//! The semantics follow PyTorch: `nn.Linear` weight shapes, losses averaged as PyTorch's
//! default reductions, `relu'(0) = 0`. See [`mlp_spec::reference`](mod@mlp_spec::reference) for the spec format.

#![deny(missing_docs)]
// Without `std`, what inference with compiled-in weights needs: no allocator, no OS.
#![cfg_attr(not(feature = "std"), no_std)]

pub mod activation;
mod approx;
#[cfg(feature = "std")]
mod atomic_file;
#[cfg(feature = "std")]
pub mod checkpoint;
#[cfg(feature = "std")]
mod compiled;
#[cfg(feature = "std")]
pub mod data;
#[cfg(feature = "std")]
pub mod dynamic;
mod float;
#[cfg(feature = "std")]
mod gradcheck;
mod inference;
#[cfg(feature = "std")]
mod init;
pub mod kernels;
mod lanes;
pub mod layer;
#[cfg(feature = "std")]
mod lines;
pub mod loss;
#[cfg(feature = "std")]
pub mod metrics;
#[cfg(feature = "std")]
mod model;
#[cfg(feature = "onnx")]
pub mod onnx;
#[cfg(feature = "std")]
pub mod optim;
mod params;
#[cfg(feature = "std")]
mod pool;
#[cfg(feature = "std")]
pub mod predict;
#[cfg(feature = "std")]
mod regularization;
mod sample;
#[cfg(feature = "std")]
mod schedule;
#[cfg(feature = "std")]
pub mod search;
#[cfg(feature = "std")]
pub mod train;
mod views;
#[cfg(feature = "std")]
mod workspace;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use activation::{Activation, Elementwise};
pub use float::Float;
pub use layer::Mode;
pub use loss::{ElementLoss, Head};
pub use mlp_macros::mlp;
pub use nalgebra;
pub use sample::Sample;
#[cfg(feature = "std")]
pub use {
    checkpoint::CheckpointPolicy,
    data::{CsvTarget, DataError, Dataset, DynDataset, Preprocessing, Standardizer},
    dynamic::{DynError, DynNetwork, DynWorkspace},
    gradcheck::{GradCheck, GradCheckConfig, gradient_check, gradient_check_slices},
    init::initialize,
    lines::Lines,
    metrics::{
        ConfusionMatrix, EvaluateError, Evaluation, Task, WidthMismatch, evaluate, evaluate_dyn,
        evaluate_in_units,
    },
    mlp_spec as spec,
    model::{Model, StaticModel},
    optim::Optimizer,
    predict::{PredictError, Predictor},
    regularization::{add_penalty_gradient, penalty},
    schedule::learning_rate,
    train::{
        EpochHook, EpochRecord, History, Online, StopReason, TrainConfig, TrainError, Trainer,
        TrainingState,
    },
    workspace::Workspace,
};

/// Everything a program using a compiled network needs: the attribute, the traits, and
/// nalgebra's matrix types.
pub mod prelude {
    pub use crate::float::Float;
    pub use crate::layer::Mode;
    pub use crate::sample::Sample;
    #[cfg(feature = "std")]
    pub use crate::{
        data::{CsvTarget, Dataset, DynDataset, Preprocessing, Standardizer},
        metrics::evaluate,
        model::{Model, StaticModel},
        predict::Predictor,
        train::{TrainConfig, Trainer},
    };
    pub use mlp_macros::mlp;
    pub use nalgebra::{SMatrix, SMatrixView, SVector};
}
