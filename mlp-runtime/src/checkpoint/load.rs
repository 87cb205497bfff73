//! Reading checkpoints into compiled and dynamic networks.

use std::collections::BTreeSet;
use std::path::Path;

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::compare;
use super::format::{File, param_name};
use super::{CheckpointError, Loaded, Preprocessing};
use crate::data::Standardizer;
use crate::dynamic::DynNetwork;
use crate::float::Float;
use crate::model::{Model, StaticModel};
use crate::train::{TrainConfig, Trainer};

/// A loaded network and the trainer that continues its training.
pub type Resumed<M> = (Loaded<M>, Trainer<M>);

fn number<X: std::str::FromStr>(file: &File, key: &'static str) -> Result<X, CheckpointError> {
    let text = file.entry(key)?;
    text.parse()
        .map_err(|_| file.bad(key, format!("`{text}`, not a whole number")))
}

/// The JSON value of an optional metadata entry.
fn optional_json<X: serde::de::DeserializeOwned>(
    file: &File,
    key: &'static str,
) -> Result<Option<X>, CheckpointError> {
    file.metadata
        .get(key)
        .map(|text| {
            serde_json::from_str(text).map_err(|e| file.bad(key, format!("unreadable: {e}")))
        })
        .transpose()
}

/// Checks that `file` was saved from `model`'s architecture (and optimizer, for training).
fn check_spec<M: Model>(file: &File, model: &M, training: bool) -> Result<(), CheckpointError> {
    let spec_text = file.entry("spec")?;
    if spec_text == model.canonical_spec() {
        return Ok(());
    }
    let saved = mlp_spec::parse(spec_text)
        .map_err(|e| file.bad("spec", format!("not a valid spec: {e}")))?;
    let network = model.spec();
    let differences = if training {
        compare::training(&saved, &network)
    } else {
        compare::architecture(&saved, &network)
    };
    if differences.is_empty() {
        Ok(())
    } else {
        Err(CheckpointError::SpecMismatch {
            path: file.path.clone(),
            differences,
        })
    }
}

/// Reads the parameters of `model` from `file`; tensors under `ignored` prefixes may be
/// present besides them.
fn read_params<M: Model>(
    file: &File,
    model: &mut M,
    ignored: &[&str],
) -> Result<(), CheckpointError> {
    let tensors = file.tensors()?;
    let layout = model.layout().to_vec();
    let expected: BTreeSet<String> = layout.iter().map(param_name).collect();
    file.check_no_extra(&tensors, &expected, ignored)?;
    for segment in &layout {
        file.read_segment(
            &tensors,
            &param_name(segment),
            segment,
            model.params_mut(),
            false,
        )?;
    }
    Ok(())
}

fn loaded<M: Model>(file: &File, network: M) -> Result<Loaded<M>, CheckpointError> {
    Ok(Loaded {
        preprocessing: preprocessing(file, network.input_size(), network.output_size())?,
        network,
        epoch: number(file, "epoch")?,
        step: number(file, "step")?,
    })
}

/// The preprocessing saved in `file`, for a network of `inputs` inputs and `outputs`
/// outputs: a metadata error for what does not fit it ([`Preprocessing::misfit`]).
pub(super) fn preprocessing(
    file: &File,
    inputs: usize,
    outputs: usize,
) -> Result<Preprocessing, CheckpointError> {
    let preprocessing = Preprocessing {
        inputs: optional_json::<Standardizer>(file, "input_standardizer")?,
        targets: optional_json::<Standardizer>(file, "target_standardizer")?,
        class_names: optional_json(file, "class_names")?.unwrap_or_default(),
        feature_names: optional_json(file, "feature_names")?.unwrap_or_default(),
        target_names: optional_json(file, "target_names")?.unwrap_or_default(),
    };
    match preprocessing.misfit(inputs, outputs) {
        Some((key, problem)) => Err(file.bad(key, problem)),
        None => Ok(preprocessing),
    }
}

/// Opens a checkpoint and checks its format.
pub(super) fn open_checked(path: &Path) -> Result<File, CheckpointError> {
    let file = File::open(path)?;
    file.check_format()?;
    Ok(file)
}

/// Loads a compiled network's parameters from a checkpoint of either kind (optimizer state,
/// if any, is ignored).
///
/// # Errors
///
/// A [`CheckpointError`] for a missing file, a truncated, corrupt or non-safetensors file, a
/// checkpoint of another format version or another architecture (listing the differences),
/// and a missing, extra, misshapen or mistyped tensor. Never panics on any file content.
pub fn load_weights<N: StaticModel>(path: impl AsRef<Path>) -> Result<Loaded<N>, CheckpointError> {
    let file = open_checked(path.as_ref())?;
    load_weights_into(&file, N::with_seed(0))
}

/// Loads a dynamic network of whatever architecture a checkpoint holds.
///
/// # Errors
///
/// As [`load_weights`], plus a metadata error if the checkpoint's spec does not build (for
/// example another precision than `T`).
pub fn load_dyn<T: Float>(
    path: impl AsRef<Path>,
) -> Result<Loaded<DynNetwork<T>>, CheckpointError> {
    let file = open_checked(path.as_ref())?;
    let network = dynamic_for(&file)?;
    load_weights_into(&file, network)
}

/// Fills `model` (of the checkpoint's architecture) from an opened checkpoint.
fn load_weights_into<M: Model>(file: &File, mut model: M) -> Result<Loaded<M>, CheckpointError> {
    check_spec(file, &model, false)?;
    read_params(file, &mut model, &["optimizer."])?;
    loaded(file, model)
}

/// The dynamic network of a checkpoint's spec.
fn dynamic_for<T: Float>(file: &File) -> Result<DynNetwork<T>, CheckpointError> {
    let spec = file.spec()?;
    DynNetwork::from_spec(spec).map_err(|e| file.bad("spec", e.to_string()))
}

/// Loads a compiled network and a trainer that continues its training exactly where it
/// stopped.
///
/// The trainer's settings come from the network's spec, as with [`Trainer::new`]; early
/// stopping starts afresh. A run trained with run-time hyper-parameters of its own (the
/// optimizer, schedule and penalties of a [`TrainConfig`]) resumes with
/// them: the checkpoint records them as `trained_with`.
///
/// # Errors
///
/// As [`load_weights`], plus [`CheckpointError::NoTrainingState`] for a weights-only file
/// and a mismatch of the optimizer's kind.
pub fn load_training<N: StaticModel>(
    path: impl AsRef<Path>,
) -> Result<Resumed<N>, CheckpointError> {
    let file = open_checked(path.as_ref())?;
    load_training_into(&file, N::with_seed(0))
}

/// Loads a dynamic network and a trainer that resumes its training, from a training
/// checkpoint.
///
/// # Errors
///
/// As [`load_training`].
pub fn load_dyn_training<T: Float>(
    path: impl AsRef<Path>,
) -> Result<Resumed<DynNetwork<T>>, CheckpointError> {
    let file = open_checked(path.as_ref())?;
    let network = dynamic_for(&file)?;
    load_training_into(&file, network)
}

/// Fills `model` and a fresh trainer from an opened training checkpoint.
fn load_training_into<M: Model>(file: &File, mut model: M) -> Result<Resumed<M>, CheckpointError> {
    check_spec(file, &model, true)?;
    if file.entry("contents")? != "training" {
        return Err(CheckpointError::NoTrainingState {
            path: file.path.clone(),
        });
    }
    // The parameters, with any `optimizer.` tensor allowed beside them; then exactly the
    // optimizer's own state tensors.
    read_params(file, &mut model, &["optimizer."])?;
    let mut config = TrainConfig::from_spec(&model.spec());
    if let Some(text) = file.metadata.get("trained_with") {
        let trained = mlp_spec::parse(text)
            .map_err(|e| file.bad("trained_with", format!("not a valid spec: {e}")))?;
        config.optimizer = trained.optimizer;
        config.schedule = trained.schedule;
        config.regularization = trained.regularization;
    }
    let mut trainer = Trainer::with_config(&model, config);
    let names = trainer.optimizer().state_names();
    let layout = model.layout().to_vec();
    let tensors = file.tensors()?;
    let mut expected: BTreeSet<String> = BTreeSet::new();
    for name in names {
        expected.extend(
            layout
                .iter()
                .map(|s| format!("optimizer.{}.{name}", param_name(s))),
        );
    }
    let parameters: Vec<String> = layout.iter().map(param_name).collect();
    let parameters: Vec<&str> = parameters.iter().map(String::as_str).collect();
    file.check_no_extra(&tensors, &expected, &parameters)?;
    let steps: u64 = number(file, "optimizer_steps")?;
    let epochs: usize = number(file, "epoch")?;
    let rng = parse_rng(file)?;
    let state = trainer.state_mut();
    let (buffers, step_count) = state.optimizer.state_mut();
    for (name, buffer) in names.iter().zip(buffers.iter_mut()) {
        for segment in &layout {
            let tensor = format!("optimizer.{}.{name}", param_name(segment));
            file.read_segment(&tensors, &tensor, segment, buffer, false)?;
        }
    }
    *step_count = steps;
    state.epochs_done = epochs;
    state.rng = rng;
    Ok((loaded(file, model)?, trainer))
}

fn parse_rng(file: &File) -> Result<ChaCha8Rng, CheckpointError> {
    let text = file.entry("rng")?;
    let bad = || file.bad("rng", format!("`{text}`, not a generator state"));
    let mut parts = text.split(';');
    if parts.next() != Some("chacha8") {
        return Err(bad());
    }
    let mut field = |key: &str| {
        parts
            .next()
            .and_then(|part| part.strip_prefix(key))
            .and_then(|rest| rest.strip_prefix('='))
            .ok_or_else(bad)
    };
    let (seed_hex, stream, word_pos) = (field("seed")?, field("stream")?, field("word_pos")?);
    let mut seed = [0u8; 32];
    if seed_hex.len() != 64 || !seed_hex.is_ascii() {
        return Err(bad());
    }
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&seed_hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    let mut rng = ChaCha8Rng::from_seed(seed);
    rng.set_stream(stream.parse().map_err(|_| bad())?);
    rng.set_word_pos(word_pos.parse().map_err(|_| bad())?);
    Ok(rng)
}
