//! `layers`, activations, and the loss (which must fit the output activation).

use super::MAX_UNITS;
use super::read::{Ctx, field, param, show};
use crate::activation::{Activation, Parameter};
use crate::ir::Layer;
use crate::loss::Loss;
use crate::yaml::{Mapping, Path, Value};

const LAYER_KEYS: &[&str] = &["units", "activation", "lr_scale"];
/// Names of activations whose derivative vanishes almost everywhere.
const UNTRAINABLE: &[&str] = &["step", "heaviside", "sign"];

pub(super) fn size(ctx: &mut Ctx, value: &Value, path: &Path, name: &str) -> Option<usize> {
    let size = ctx.count(value, path, name, 1)?;
    if size as u64 > MAX_UNITS {
        ctx.error(
            path,
            format!("`{name}` is {size}, above the largest supported size {MAX_UNITS}"),
            "",
        );
        return None;
    }
    Some(size)
}

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
        let (layer, activation) = self::layer(ctx, item, &at.index(index), index, index == last);
        output = activation;
        match (&mut layers, layer) {
            (Some(list), Some(layer)) => list.push(layer),
            _ => layers = None,
        }
    }
    (layers, output)
}

fn layer(
    ctx: &mut Ctx,
    value: &Value,
    path: &Path,
    index: usize,
    is_output: bool,
) -> (Option<Layer>, Option<Activation>) {
    let what = format!("`layers[{index}]`");
    let Some(map) = ctx.mapping(value, path, &what, LAYER_KEYS) else {
        return (None, None);
    };
    let units = match field(map, path, "units") {
        Some((value, at)) => size(ctx, value, &at, "units"),
        None => {
            ctx.missing(
                path,
                "units",
                &what,
                "add `units: N`, the number of outputs of this layer",
            );
            None
        }
    };
    let activation = match field(map, path, "activation") {
        Some((value, at)) => activation(ctx, value, &at, index, is_output),
        // A misspelt key may be the activation: do not check the loss against a default
        // the user did not mean.
        None if has_unknown_key(map) => None,
        None => Some(Activation::Identity),
    };
    let lr_scale = match field(map, path, "lr_scale") {
        Some((value, at)) => ctx.number(value, &at, "lr_scale", "> 0", |x| x > 0.0),
        None => Some(1.0),
    };
    if let (Some(units), Some(Activation::Softmax)) = (units, activation)
        && units < 2
    {
        ctx.error(
                &path.value("units"),
                format!("softmax needs at least 2 units, `layers[{index}]` has {units}"),
                "for two classes use `units: 1` with `activation: sigmoid` and `loss: bce`, or `units: 2` with softmax",
            );
    }
    let layer = (|| {
        Some(Layer {
            units: units?,
            activation: activation?,
            lr_scale: lr_scale?,
        })
    })();
    (layer, activation)
}

fn has_unknown_key(map: &Mapping) -> bool {
    map.keys()
        .any(|key| key.as_str().is_none_or(|key| !LAYER_KEYS.contains(&key)))
}

fn activation(
    ctx: &mut Ctx,
    value: &Value,
    path: &Path,
    index: usize,
    is_output: bool,
) -> Option<Activation> {
    let name_path = match value {
        Value::Mapping(_) => path.value("kind"),
        _ => path.clone(),
    };
    let name = match value {
        Value::String(name) => Some(name.as_str()),
        Value::Mapping(map) => map.get("kind").and_then(Value::as_str),
        _ => None,
    };
    if let Some(name) = name.filter(|n| UNTRAINABLE.contains(n)) {
        ctx.error(
            &name_path,
            format!("the `{name}` activation cannot be trained: its derivative is zero almost everywhere, so backpropagation passes no gradient through it and nothing learns"),
            "use `sigmoid` (a smooth step) or `tanh` (a smooth sign), or `relu`",
        );
        return None;
    }
    let (kind, params) = ctx.kind(value, path, "activation", &Activation::names())?;
    let default = Activation::from_name(&kind)?;
    let what = format!("the `{kind}` activation");
    let activation = match default.parameter() {
        Some(parameter) => {
            let value = default.parameter_value().unwrap_or_default();
            default.with_parameter(parameter_value(ctx, params, path, &what, parameter, value)?)
        }
        None => {
            if let Some(map) = params {
                ctx.keys(map, path, &what, &["kind"]);
            }
            default
        }
    };
    if activation == Activation::Softmax && !is_output {
        ctx.error(
            &name_path,
            format!("softmax is only allowed on the output layer, but `layers[{index}]` is a hidden layer"),
            "use relu, tanh or another element-wise activation in hidden layers; softmax turns the output layer into class probabilities",
        );
        return None;
    }
    Some(activation)
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
    let default = Loss::from_name(&kind)?;
    let what = format!("the `{kind}` loss");
    let loss = match default.parameter() {
        Some(parameter) => {
            let value = default.parameter_value().unwrap_or_default();
            default.with_parameter(parameter_value(ctx, params, &at, &what, parameter, value)?)
        }
        None => {
            if let Some(map) = params {
                ctx.keys(map, &at, &what, &["kind"]);
            }
            default
        }
    };
    if let Some(output) = output {
        check_fit(ctx, &at, loss, output);
    }
    Some(loss)
}

/// Reads the one optional parameter of a `{kind: ...}` mapping, checking its other keys.
fn parameter_value(
    ctx: &mut Ctx,
    params: Option<&Mapping>,
    path: &Path,
    what: &str,
    parameter: Parameter,
    default: f64,
) -> Option<f64> {
    if let Some(map) = params {
        ctx.keys(map, path, what, &["kind", parameter.key]);
    }
    param(
        ctx,
        params,
        path,
        parameter.key,
        default,
        parameter.expected,
        parameter.ok,
    )
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
