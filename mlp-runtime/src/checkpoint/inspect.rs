//! What a checkpoint holds, without building its network.

use std::path::Path;

use super::load::{open_checked, preprocessing};
use super::{CheckpointError, Preprocessing};

/// What a checkpoint holds, read without building a network.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The spec it was saved from.
    pub spec: mlp_spec::Spec,
    /// Its metadata entries.
    pub metadata: std::collections::BTreeMap<String, String>,
    /// The preprocessing its metadata holds: standardisation, and the names of the classes
    /// and of the training file's columns.
    pub preprocessing: Preprocessing,
    /// Its tensors: name, shape and element type, sorted by name.
    pub tensors: Vec<(String, Vec<usize>, String)>,
}

/// Reads a checkpoint's spec, metadata and tensor list.
///
/// # Errors
///
/// As [`load_weights`](super::load_weights) for unreadable, corrupt, foreign or newer files, and a metadata error
/// if its spec or preprocessing does not parse.
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
        preprocessing: preprocessing(&file, spec.input, spec.outputs())?,
        spec,
        metadata: file.metadata.clone().into_iter().collect(),
        tensors: list,
    })
}
