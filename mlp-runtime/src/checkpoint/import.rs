//! Weights saved from PyTorch, in the order of their `nn.Sequential` module numbers.

use std::collections::BTreeSet;
use std::path::Path;

use super::CheckpointError;
use super::format::File;
use crate::model::{Model, StaticModel};

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
pub fn import_state_dict<N: StaticModel>(path: impl AsRef<Path>) -> Result<N, CheckpointError> {
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
