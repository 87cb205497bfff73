//! Writing checkpoints.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::format::{FORMAT, Tensors};
use super::{CheckpointError, Preprocessing, sha256_hex, write_atomic};
use crate::float::Float;
use crate::model::Model;
use crate::train::{Trainer, TrainingState};

fn metadata<M: Model>(
    model: &M,
    contents: &str,
    epoch: usize,
    step: u64,
    preprocessing: &Preprocessing,
) -> HashMap<String, String> {
    let spec = model.canonical_spec();
    let mut metadata = HashMap::from([
        ("format".to_owned(), FORMAT.to_owned()),
        ("spec".to_owned(), spec.to_owned()),
        ("spec_sha256".to_owned(), sha256_hex(spec)),
        ("precision".to_owned(), <M::Float as Float>::NAME.to_owned()),
        (
            "crate_version".to_owned(),
            env!("CARGO_PKG_VERSION").to_owned(),
        ),
        ("contents".to_owned(), contents.to_owned()),
        ("epoch".to_owned(), epoch.to_string()),
        ("step".to_owned(), step.to_string()),
    ]);
    // Serialising these plain structs of numbers and strings cannot fail.
    fn json(value: &impl serde::Serialize) -> String {
        serde_json::to_string(value).unwrap_or_default()
    }
    if let Some(inputs) = &preprocessing.inputs {
        metadata.insert("input_standardizer".to_owned(), json(inputs));
    }
    if let Some(targets) = &preprocessing.targets {
        metadata.insert("target_standardizer".to_owned(), json(targets));
    }
    for (key, names) in [
        ("class_names", &preprocessing.class_names),
        ("feature_names", &preprocessing.feature_names),
        ("target_names", &preprocessing.target_names),
    ] {
        if !names.is_empty() {
            metadata.insert(key.to_owned(), json(names));
        }
    }
    metadata
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CheckpointError> {
    write_atomic(path, |file| file.write_all(bytes)).map_err(|source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Saves the network's parameters (and its preprocessing) for inference.
///
/// ```
/// use mlp_runtime::checkpoint::{Preprocessing, load_weights, save_weights};
/// use mlp_runtime::prelude::*;
///
/// #[mlp(spec = "../specs/xor.yaml")]
/// struct Xor;
///
/// let path = std::env::temp_dir().join(format!("xor-doc-{}.safetensors", std::process::id()));
/// let net = Xor::with_seed(7);
/// save_weights(&path, &net, &Preprocessing::default()).unwrap();
/// let loaded = load_weights::<Xor>(&path).unwrap();
/// assert_eq!(loaded.network.params(), net.params());
/// # std::fs::remove_file(&path).unwrap();
/// ```
///
/// # Errors
///
/// [`CheckpointError::Io`] if the file cannot be written, and [`CheckpointError::Unfit`] if
/// `preprocessing` does not fit the network (a standardizer or a list of names of another
/// width); the previous file at `path`, if any, is then left as it was.
pub fn save_weights<M: Model>(
    path: impl AsRef<Path>,
    network: &M,
    preprocessing: &Preprocessing,
) -> Result<(), CheckpointError> {
    check_fits(path.as_ref(), network, preprocessing)?;
    let mut tensors = Tensors::new::<M::Float>();
    tensors.add("", "", network.params(), network.layout());
    let bytes = tensors.encode(metadata(network, "weights", 0, 0, preprocessing))?;
    write(path.as_ref(), &bytes)
}

/// [`CheckpointError::Unfit`] if `preprocessing` does not fit `network`: a checkpoint that
/// loading would refuse is not written.
fn check_fits<M: Model>(
    path: &Path,
    network: &M,
    preprocessing: &Preprocessing,
) -> Result<(), CheckpointError> {
    match preprocessing.misfit(network.input_size(), network.output_size()) {
        Some((key, problem)) => Err(CheckpointError::Unfit {
            path: path.to_path_buf(),
            key,
            problem,
        }),
        None => Ok(()),
    }
}

/// Saves the network with the trainer's state: optimizer buffers and step count, epochs
/// done (the schedule's position) and the shuffling generator.
///
/// # Errors
///
/// As [`save_weights`].
pub fn save_training<M: Model>(
    path: impl AsRef<Path>,
    network: &M,
    trainer: &Trainer<M>,
    preprocessing: &Preprocessing,
) -> Result<(), CheckpointError> {
    save_state(path.as_ref(), network, trainer.state(), preprocessing)
}

/// [`save_training`] from the training state alone.
pub(super) fn save_state<M: Model>(
    path: &Path,
    network: &M,
    state: &TrainingState<M::Float>,
    preprocessing: &Preprocessing,
) -> Result<(), CheckpointError> {
    check_fits(path, network, preprocessing)?;
    let optimizer = state.optimizer();
    let mut tensors = Tensors::new::<M::Float>();
    tensors.add("", "", network.params(), network.layout());
    for (name, buffer) in optimizer.state_names().iter().zip(optimizer.state()) {
        tensors.add("optimizer.", &format!(".{name}"), buffer, network.layout());
    }
    let (epoch, steps) = (state.epochs_done(), optimizer.steps());
    let mut metadata = metadata(network, "training", epoch, steps, preprocessing);
    metadata.insert("optimizer".to_owned(), optimizer.spec().name().to_owned());
    metadata.insert("optimizer_steps".to_owned(), steps.to_string());
    // A run with run-time hyper-parameters of its own (a `TrainConfig`'s, a search trial's)
    // records them, so that resuming continues with them.
    let spec = network.spec();
    let mut trained = spec.clone();
    trained.optimizer = *optimizer.spec();
    trained.schedule = state.schedule;
    trained.regularization = state.regularization;
    if trained != spec {
        trained.search = None;
        metadata.insert("trained_with".to_owned(), trained.canonical_yaml());
    }
    let rng = &state.rng;
    let seed: String = rng.get_seed().iter().map(|b| format!("{b:02x}")).collect();
    metadata.insert(
        "rng".to_owned(),
        format!(
            "chacha8;seed={seed};stream={};word_pos={}",
            rng.get_stream(),
            rng.get_word_pos()
        ),
    );
    let bytes = tensors.encode(metadata)?;
    write(path, &bytes)
}
