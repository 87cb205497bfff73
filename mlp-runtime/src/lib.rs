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

pub mod activation;
mod approx;
pub mod checkpoint;
mod compiled;
pub mod data;
pub mod dynamic;
mod float;
mod gradcheck;
mod init;
pub mod kernels;
pub mod layer;
pub mod loss;
pub mod metrics;
mod model;
#[cfg(feature = "onnx")]
pub mod onnx;
pub mod optim;
mod params;
pub mod predict;
mod regularization;
mod schedule;
pub mod train;
mod views;
mod workspace;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use activation::{Activation, Elementwise};
pub use checkpoint::CheckpointPolicy;
pub use data::{CsvTarget, DataError, Dataset, DynDataset, Preprocessing, Standardizer};
pub use dynamic::{DynError, DynNetwork, DynWorkspace};
pub use float::Float;
pub use gradcheck::{GradCheck, GradCheckConfig, gradient_check, gradient_check_slices};
pub use init::initialize;
pub use loss::{ElementLoss, Head};
pub use metrics::{
    ConfusionMatrix, EvaluateError, Evaluation, Task, WidthMismatch, evaluate, evaluate_dyn,
};
pub use mlp_macros::mlp;
pub use mlp_spec as spec;
pub use model::{Model, Sample, StaticModel};
pub use nalgebra;
pub use optim::Optimizer;
pub use predict::{PredictError, Predictor};
pub use regularization::{add_penalty_gradient, penalty};
pub use schedule::learning_rate;
pub use train::{
    EpochHook, EpochRecord, History, StopReason, TrainConfig, TrainError, Trainer, TrainingState,
};
pub use workspace::Workspace;

/// Everything a program using a compiled network needs: the attribute, the traits, and
/// nalgebra's matrix types.
pub mod prelude {
    pub use crate::data::{CsvTarget, Dataset, DynDataset, Preprocessing, Standardizer};
    pub use crate::float::Float;
    pub use crate::metrics::evaluate;
    pub use crate::model::{Model, Sample, StaticModel};
    pub use crate::predict::Predictor;
    pub use crate::train::{TrainConfig, Trainer};
    pub use mlp_macros::mlp;
    pub use nalgebra::{SMatrix, SMatrixView, SVector};
}
