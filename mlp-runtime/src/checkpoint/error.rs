//! Errors of saving and loading checkpoints, each saying what to do.

use std::path::PathBuf;

/// Why a checkpoint could not be saved or loaded.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// The file could not be read or written.
    #[error("checkpoint {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a readable safetensors file (truncated, corrupt, or another format).
    #[error("checkpoint {}: not a valid safetensors file ({reason}); it may be truncated or corrupt", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What the safetensors reader found.
        reason: String,
    },
    /// A safetensors file without mlp's metadata.
    #[error(
        "{}: a safetensors file, but not an mlp checkpoint (no `format: mlp-checkpoint/1` in its \
         metadata); to load weights saved from PyTorch use `checkpoint::import_state_dict`",
        path.display()
    )]
    NotACheckpoint {
        /// The file.
        path: PathBuf,
    },
    /// A checkpoint written by a newer version of the format.
    #[error("{}: checkpoint format `{found}` is newer than this mlp reads (mlp-checkpoint/1); upgrade mlp", path.display())]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The format found.
        found: String,
    },
    /// A metadata entry is missing or unreadable.
    #[error("{}: checkpoint metadata `{key}` is {problem}", path.display())]
    Metadata {
        /// The file.
        path: PathBuf,
        /// The entry.
        key: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The checkpoint was saved from a network of another architecture.
    #[error(
        "{}: the checkpoint is of another network: {}",
        path.display(),
        differences.join("; ")
    )]
    SpecMismatch {
        /// The file.
        path: PathBuf,
        /// Each difference, as `what: checkpoint X, network Y`.
        differences: Vec<String>,
    },
    /// A tensor the network needs is not in the file.
    #[error("{}: tensor `{name}` is missing", path.display())]
    MissingTensor {
        /// The file.
        path: PathBuf,
        /// The tensor.
        name: String,
    },
    /// The file holds a tensor the network does not have.
    #[error("{}: unexpected tensor `{name}`", path.display())]
    ExtraTensor {
        /// The file.
        path: PathBuf,
        /// The tensor.
        name: String,
    },
    /// A tensor has the wrong shape.
    #[error("{}: tensor `{name}` has shape {found:?}, the network expects {expected:?}", path.display())]
    Shape {
        /// The file.
        path: PathBuf,
        /// The tensor.
        name: String,
        /// The shape the network needs.
        expected: Vec<usize>,
        /// The shape in the file.
        found: Vec<usize>,
    },
    /// A tensor has another element type.
    #[error("{}: tensor `{name}` holds {found}, the network computes in {expected}", path.display())]
    Dtype {
        /// The file.
        path: PathBuf,
        /// The tensor.
        name: String,
        /// The network's type.
        expected: &'static str,
        /// The type in the file.
        found: String,
    },
    /// A tensor holds a value that is NaN or infinite (or, read into `f32`, beyond its
    /// range): every prediction through it would be NaN or infinite.
    #[error(
        "{}: tensor `{name}` holds {value:e} at {index:?}{range}: a network with it predicts \
         nothing finite; save the weights of an earlier epoch, before training diverged",
        path.display()
    )]
    NotFinite {
        /// The file.
        path: PathBuf,
        /// The tensor.
        name: String,
        /// The value's index in the tensor, as PyTorch indexes it.
        index: Vec<usize>,
        /// The value as the file holds it.
        value: f64,
        /// `, beyond f32's range` when the file's value is finite but its `f32` is not.
        range: &'static str,
    },
    /// A weights-only checkpoint was loaded to resume training.
    #[error("{}: the checkpoint holds weights only; resuming training needs one saved with `save_training`", path.display())]
    NoTrainingState {
        /// The file.
        path: PathBuf,
    },
    /// The preprocessing given to save does not fit the network, so the checkpoint would
    /// not load (or would standardise the wrong columns); nothing was written.
    #[error(
        "{}: not saved: the preprocessing does not fit the network, its `{key}` being \
         {problem}; fit it on the network's training data",
        path.display()
    )]
    Unfit {
        /// The file that was to be written.
        path: PathBuf,
        /// The metadata key of what does not fit.
        key: &'static str,
        /// How it does not fit.
        problem: String,
    },
    /// The tensors could not be serialised.
    #[error("cannot encode checkpoint: {0}")]
    Encode(String),
}
