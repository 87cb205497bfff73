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

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use sha2::{Digest, Sha256};

pub use atomic::write_atomic;
pub use error::CheckpointError;

use crate::data::Standardizer;
use crate::float::Float;
use crate::network::{Model, Network};
use crate::train::Trainer;
pub(crate) use format::File;
use format::{FORMAT, Tensors, param_name};

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
    let json = |s: &Standardizer| serde_json::to_string(s).unwrap_or_default();
    if let Some(inputs) = &preprocessing.inputs {
        metadata.insert("input_standardizer".to_owned(), json(inputs));
    }
    if let Some(targets) = &preprocessing.targets {
        metadata.insert("target_standardizer".to_owned(), json(targets));
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
/// [`CheckpointError::Io`] if the file cannot be written; the previous file at `path`, if any,
/// is then left as it was.
pub fn save_weights<M: Model>(
    path: impl AsRef<Path>,
    network: &M,
    preprocessing: &Preprocessing,
) -> Result<(), CheckpointError> {
    let mut tensors = Tensors::new::<M::Float>();
    tensors.add("", "", network.params(), network.layout());
    let bytes = tensors.encode(metadata(network, "weights", 0, 0, preprocessing))?;
    write(path.as_ref(), &bytes)
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
    let optimizer = trainer.optimizer();
    let mut tensors = Tensors::new::<M::Float>();
    tensors.add("", "", network.params(), network.layout());
    for (name, buffer) in optimizer.state_names().iter().zip(optimizer.state()) {
        tensors.add("optimizer.", &format!(".{name}"), buffer, network.layout());
    }
    let mut metadata = metadata(
        network,
        "training",
        trainer.epochs_done(),
        optimizer.steps(),
        preprocessing,
    );
    metadata.insert("optimizer".to_owned(), optimizer.spec().name().to_owned());
    metadata.insert("optimizer_steps".to_owned(), optimizer.steps().to_string());
    let rng = trainer.rng();
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
    write(path.as_ref(), &bytes)
}

fn number<X: std::str::FromStr>(file: &File, key: &'static str) -> Result<X, CheckpointError> {
    let text = file.entry(key)?;
    text.parse()
        .map_err(|_| file.bad(key, format!("`{text}`, not a whole number")))
}

fn standardizer(file: &File, key: &'static str) -> Result<Option<Standardizer>, CheckpointError> {
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

fn loaded<M>(file: &File, network: M) -> Result<Loaded<M>, CheckpointError> {
    Ok(Loaded {
        network,
        preprocessing: Preprocessing {
            inputs: standardizer(file, "input_standardizer")?,
            targets: standardizer(file, "target_standardizer")?,
        },
        epoch: number(file, "epoch")?,
        step: number(file, "step")?,
    })
}

/// Opens a checkpoint and checks its format.
pub(crate) fn open_checked(path: &Path) -> Result<File, CheckpointError> {
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
pub fn load_weights<N: Network>(path: impl AsRef<Path>) -> Result<Loaded<N>, CheckpointError> {
    let file = File::open(path.as_ref())?;
    file.check_format()?;
    load_weights_into(&file, N::with_seed(0))
}

/// Fills `model` (of the checkpoint's architecture) from an opened checkpoint.
pub(crate) fn load_weights_into<M: Model>(
    file: &File,
    mut model: M,
) -> Result<Loaded<M>, CheckpointError> {
    check_spec(file, &model, false)?;
    read_params(file, &mut model, &["optimizer."])?;
    loaded(file, model)
}

/// Loads a compiled network and a trainer that continues its training exactly where it
/// stopped.
///
/// The trainer's settings come from the network's spec, as with [`Trainer::new`]; early
/// stopping starts afresh.
///
/// # Errors
///
/// As [`load_weights`], plus [`CheckpointError::NoTrainingState`] for a weights-only file
/// and a mismatch of the optimizer's kind.
pub fn load_training<N: Network>(
    path: impl AsRef<Path>,
) -> Result<(Loaded<N>, Trainer<N>), CheckpointError> {
    let file = File::open(path.as_ref())?;
    file.check_format()?;
    load_training_into(&file, N::with_seed(0))
}

/// Fills `model` and a fresh trainer from an opened training checkpoint.
pub(crate) fn load_training_into<M: Model>(
    file: &File,
    mut model: M,
) -> Result<(Loaded<M>, Trainer<M>), CheckpointError> {
    check_spec(file, &model, true)?;
    if file.entry("contents")? != "training" {
        return Err(CheckpointError::NoTrainingState {
            path: file.path.clone(),
        });
    }
    // The parameters, with any `optimizer.` tensor allowed beside them; then exactly the
    // optimizer's own state tensors.
    read_params(file, &mut model, &["optimizer."])?;
    let mut trainer = Trainer::new(&model);
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
    let (buffers, step_count) = trainer.optimizer_mut().state_mut();
    for (name, buffer) in names.iter().zip(buffers.iter_mut()) {
        for segment in &layout {
            let tensor = format!("optimizer.{}.{name}", param_name(segment));
            file.read_segment(&tensors, &tensor, segment, buffer, false)?;
        }
    }
    *step_count = steps;
    trainer.resume(epochs, rng);
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

/// Imports weights saved from PyTorch: the `state_dict` of an `nn.Sequential` whose
/// `nn.Linear` layers match the network, saved with `safetensors.torch.save_file`. Tensors are
/// taken in the order of their names' numeric prefixes (`0.weight`, `0.bias`, `2.weight`,
/// ...; any prefix works, `layers.0.weight` too), `F32` or `F64`, converted to the network's
/// precision.
///
/// # Errors
///
/// A [`CheckpointError`] for an unreadable file, a layer count or shape that does not match
/// (naming the tensor), or another element type.
pub fn import_state_dict<N: Network>(path: impl AsRef<Path>) -> Result<N, CheckpointError> {
    let mut network = N::with_seed(0);
    import_state_dict_into(path, &mut network)?;
    Ok(network)
}

/// [`import_state_dict`] into an existing model of either engine.
///
/// # Errors
///
/// As [`import_state_dict`].
pub fn import_state_dict_into<M: Model>(
    path: impl AsRef<Path>,
    model: &mut M,
) -> Result<(), CheckpointError> {
    let file = File::open(path.as_ref())?;
    let tensors = file.tensors()?;
    let mut prefixes: Vec<&str> = tensors
        .names()
        .into_iter()
        .filter_map(|name| {
            name.strip_suffix(".weight")
                .or_else(|| name.strip_suffix(".bias"))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    prefixes.sort_by_key(|prefix| natural_key(prefix));
    let layout = model.layout().to_vec();
    let layers = layout.len() / 2;
    if prefixes.len() != layers {
        return Err(CheckpointError::SpecMismatch {
            path: file.path.clone(),
            differences: vec![format!(
                "layers: file {} ({}), network {layers}",
                prefixes.len(),
                prefixes.join(", ")
            )],
        });
    }
    let mut expected = BTreeSet::new();
    for segment in &layout {
        let name = format!("{}.{}", prefixes[segment.layer], segment.role.name());
        file.read_segment(&tensors, &name, segment, model.params_mut(), true)?;
        expected.insert(name);
    }
    file.check_no_extra(&tensors, &expected, &[])
}

/// Orders `2.x` before `10.x`: numeric components compare as numbers.
fn natural_key(prefix: &str) -> Vec<(u64, String)> {
    prefix
        .split('.')
        .map(|part| match part.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u64::MAX, part.to_owned()),
        })
        .collect()
}

/// What a checkpoint holds, read without building a network.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The spec it was saved from.
    pub spec: mlp_spec::Spec,
    /// Its metadata entries.
    pub metadata: std::collections::BTreeMap<String, String>,
    /// Its tensors: name, shape and element type, sorted by name.
    pub tensors: Vec<(String, Vec<usize>, String)>,
}

/// Reads a checkpoint's spec, metadata and tensor list.
///
/// # Errors
///
/// As [`load_weights`] for unreadable, corrupt, foreign or newer files, and a metadata error
/// if its spec does not parse.
pub fn inspect(path: impl AsRef<Path>) -> Result<Summary, CheckpointError> {
    let file = open_checked(path.as_ref())?;
    let spec = file.spec()?;
    let tensors = file.tensors()?;
    let mut list: Vec<(String, Vec<usize>, String)> = tensors
        .tensors()
        .into_iter()
        .map(|(name, view)| (name, view.shape().to_vec(), format!("{:?}", view.dtype())))
        .collect();
    list.sort();
    Ok(Summary {
        spec,
        metadata: file.metadata.clone().into_iter().collect(),
        tensors: list,
    })
}
