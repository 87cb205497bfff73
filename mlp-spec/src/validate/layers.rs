//! `layers`, activations, and the loss (which must fit the output activation).

use crate::activation::Activation;
use crate::layer::{self, Layer};
use crate::loss::Loss;
use crate::read::{Ctx, field, parameters, show};
use crate::yaml::{Mapping, Path};

/// The layers, and the output activation on its own: the loss is checked against it even when
/// another layer has an error.
pub(super) fn layers(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
) -> (Option<Vec<Layer>>, Option<Activation>) {
    let Some((value, at)) = field(map, path, "layers") else {
        ctx.missing(
            path,
            "layers",
            "the spec",
            "add `layers:` with a list of `- {units: N, activation: NAME}`; the last is the output layer",
        );
        return (None, None);
    };
    let Some(items) = value.as_sequence() else {
        ctx.error(
            &at,
            format!("`layers` must be a list, found {}", show(value)),
            "write each layer on its own line as `- {units: N, activation: NAME}`",
        );
        return (None, None);
    };
    if items.is_empty() {
        ctx.error(
            &at,
            "`layers` is empty",
            "add at least the output layer, such as `- {units: 1, activation: identity}`",
        );
        return (None, None);
    }
    let last = items.len() - 1;
    let mut layers = Some(Vec::with_capacity(items.len()));
    let mut output = None;
    for (index, item) in items.iter().enumerate() {
        let (layer, activation) = layer::read(ctx, item, &at.index(index), index, index == last);
        output = activation;
        match (&mut layers, layer) {
            (Some(list), Some(layer)) => list.push(layer),
            _ => layers = None,
        }
    }
    (layers, output)
}

/// The path of `layers[index].key` (the layers are a list, as `layers` has been read).
fn layer_key(map: &Mapping, path: &Path, index: usize, key: &str) -> Path {
    let at = field(map, path, "layers").map_or_else(|| path.value("layers"), |(_, at)| at);
    at.index(index).value(key)
}

/// A residual layer adds its input to its output, so both must have the same size.
pub(super) fn check_residual_sizes(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
    input: usize,
    layers: &[Layer],
) {
    let mut inputs = input;
    for (index, layer) in layers.iter().enumerate() {
        if layer.residual && inputs != layer.units {
            let from = if index == 0 {
                "the network's `input`".to_owned()
            } else {
                format!("`layers[{}]`", index - 1)
            };
            ctx.error(
                &layer_key(map, path, index, "residual"),
                format!(
                    "`layers[{index}]` is residual, so its input must have its size, but it has {inputs} inputs (from {from}) and {} units",
                    layer.units
                ),
                format!("set `units: {inputs}` on this layer, or remove `residual: true`"),
            );
        }
        inputs = layer.units;
    }
}

/// Batch normalisation needs more than one sample per batch while training.
pub(super) fn check_batch_norm_batches(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
    layers: &[Layer],
) {
    for (index, layer) in layers.iter().enumerate() {
        if layer.batch_norm.is_some() {
            ctx.error(
                &layer_key(map, path, index, "batch_norm"),
                format!("`layers[{index}]` normalises its batch, but `batch_size` is 1: a batch of one sample has no variance (PyTorch refuses it too)"),
                "set `batch_size` to 2 or more (32 is common), or remove `batch_norm`",
            );
        }
    }
}

pub(super) fn loss(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
    output: Option<Activation>,
) -> Option<Loss> {
    let Some((value, at)) = field(map, path, "loss") else {
        ctx.missing(
            path,
            "loss",
            "the spec",
            "add `loss: NAME`: cross_entropy (softmax output), bce (sigmoid output), or mse for regression",
        );
        return None;
    };
    let (kind, params) = ctx.kind(value, &at, "loss", &Loss::names())?;
    let mut loss = Loss::from_name(&kind)?;
    let what = format!("the `{kind}` loss");
    parameters(ctx, params, &at, &what, loss.parameters_mut(), |_| None)?;
    if let Some(output) = output {
        check_fit(ctx, &at, loss, output);
    }
    Some(loss)
}

/// A loss computed from the output activation's logits needs that activation; others need an
/// output range that can reach their targets.
fn check_fit(ctx: &mut Ctx, at: &Path, loss: Loss, output: Activation) {
    let Some(requirement) = loss.requirement() else {
        return;
    };
    if !(requirement.accepts)(output) {
        ctx.error(
            at,
            format!(
                "loss `{}` needs {}, but the output activation is `{}`",
                loss.name(),
                requirement.needs,
                output.name()
            ),
            (requirement.help)(output),
        );
    }
}
