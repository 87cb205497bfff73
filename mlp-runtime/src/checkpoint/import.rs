//! Weights saved from PyTorch, in the order of their `nn.Sequential` module numbers.

use std::collections::BTreeSet;
use std::path::Path;

use mlp_spec::ParamRole;

use super::CheckpointError;
use super::format::File;
use crate::model::{Model, StaticModel};

/// Imports weights saved from PyTorch: the `state_dict` of an `nn.Sequential` whose
/// `nn.Linear` layers match the network, saved with `safetensors.torch.save_file`. Tensors are
/// taken in the order of their names' numeric prefixes (`0.weight`, `0.bias`, `2.weight`,
/// ...; any prefix works, `layers.0.weight` too), `F32` or `F64`, converted to the network's
/// precision.
///
/// A batch-normalised layer takes two modules, the `nn.Linear` and the `nn.BatchNorm1d`
/// after it (`weight`, `bias`, `running_mean`, `running_var`; `num_batches_tracked` is
/// ignored). The network's product has no bias, since the normalisation cancels it: a bias
/// the `nn.Linear` has is folded into the running mean, which gives the same outputs.
///
/// # Errors
///
/// A [`CheckpointError`] for an unreadable file, a module count or shape that does not match
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
    // Each layer's modules: its `nn.Linear`, and its `nn.BatchNorm1d` when normalised.
    let normalised: BTreeSet<usize> = layout
        .iter()
        .filter(|s| s.role.is_buffer())
        .map(|s| s.layer)
        .collect();
    let layers = layout.last().map_or(0, |s| s.layer + 1);
    let mut modules = Vec::with_capacity(layers);
    let mut next = 0;
    for layer in 0..layers {
        let count = if normalised.contains(&layer) { 2 } else { 1 };
        modules.push(prefixes.get(next..next + count));
        next += count;
    }
    if next != prefixes.len() || modules.iter().any(Option::is_none) {
        return Err(CheckpointError::SpecMismatch {
            path: file.path.clone(),
            differences: vec![format!(
                "modules: file {} ({}), network {next} ({layers} `nn.Linear`, {} of them followed by `nn.BatchNorm1d`)",
                prefixes.len(),
                prefixes.join(", "),
                normalised.len()
            )],
        });
    }
    let mut expected = BTreeSet::new();
    for segment in &layout {
        let module = modules[segment.layer].expect("checked above");
        let name = match segment.role.name().strip_prefix("norm.") {
            Some(norm) => format!("{}.{norm}", module[1]),
            None => format!("{}.{}", module[0], segment.role.name()),
        };
        file.read_segment(&tensors, &name, segment, model.params_mut(), true)?;
        expected.insert(name);
    }
    for layer in &normalised {
        let module = modules[*layer].expect("checked above");
        fold_linear_bias(
            &file,
            &tensors,
            module[0],
            &layout,
            *layer,
            model,
            &mut expected,
        )?;
    }
    // PyTorch's count of normalised batches says nothing the network uses.
    let counts = tensors
        .names()
        .into_iter()
        .filter(|n| n.ends_with(".num_batches_tracked"));
    expected.extend(counts.map(str::to_owned));
    file.check_no_extra(&tensors, &expected, &[])
}

/// Subtracts the bias of the `nn.Linear` named `linear`, if it has one, from the running mean
/// of the normalised `layer`: `BatchNorm(W x + b)` with running mean `m` is
/// `BatchNorm(W x)` with running mean `m - b`, and in training the batch mean cancels `b`.
fn fold_linear_bias<M: Model>(
    file: &File,
    tensors: &safetensors::SafeTensors<'_>,
    linear: &str,
    layout: &[mlp_spec::ParamSegment],
    layer: usize,
    model: &mut M,
    expected: &mut BTreeSet<String>,
) -> Result<(), CheckpointError> {
    let name = format!("{linear}.bias");
    if tensors.tensor(&name).is_err() {
        return Ok(());
    }
    let mean = *layout
        .iter()
        .find(|s| s.layer == layer && s.role == ParamRole::RunningMean)
        .expect("a normalised layer has a running mean");
    let mut bias = vec![<M::Float as Default>::default(); mean.offset + mean.len()];
    file.read_segment(tensors, &name, &mean, &mut bias, true)?;
    for (m, &b) in model.params_mut()[mean.range()]
        .iter_mut()
        .zip(&bias[mean.range()])
    {
        *m -= b;
    }
    expected.insert(name);
    Ok(())
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
