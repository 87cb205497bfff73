//! A layer: the keys a spec gives it, what it is once validated, and what the plan records of
//! it. A new per-layer key changes this file: its field, its reading, and its record.

use serde::Serialize;

use crate::activation::Activation;
use crate::read::{Ctx, field, parameters, size};
use crate::yaml::{Mapping, Path, Value};

/// The keys of a layer.
const KEYS: &[&str] = &["units", "activation", "lr_scale"];

/// Names of activations whose derivative vanishes almost everywhere.
const UNTRAINABLE: &[&str] = &["step", "heaviside", "sign"];

/// One dense layer: `a = activation(W x + b)` with `W` of shape `[units, inputs]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Layer {
    /// Number of output units.
    pub units: usize,
    /// Activation applied to the pre-activation `W x + b`.
    pub activation: Activation,
    /// Multiplier of the learning rate for this layer's parameters.
    pub lr_scale: f64,
}

/// Reads `layers[index]` (the output layer when `is_output`); also returns its activation on
/// its own, so that the loss is checked against it even when another key has an error.
pub(crate) fn read(
    ctx: &mut Ctx,
    value: &Value,
    path: &Path,
    index: usize,
    is_output: bool,
) -> (Option<Layer>, Option<Activation>) {
    let what = format!("`layers[{index}]`");
    let Some(map) = ctx.mapping(value, path, &what, KEYS) else {
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
        .any(|key| key.as_str().is_none_or(|key| !KEYS.contains(&key)))
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
    let mut activation = Activation::from_name(&kind)?;
    let what = format!("the `{kind}` activation");
    parameters(ctx, params, path, &what, activation.parameters_mut())?;
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

/// A dense layer's sizes, and where its parameters and activations live.
///
/// Parameters are one flat buffer (see [`ParamSegment`](crate::ParamSegment)): the layer's
/// weight starts at `params`, its bias follows. Activations of `C` samples are one flat
/// *tape*: each layer has three blocks of `units * C` values, its pre-activations `z`, its
/// activations `a` and its deltas `d`, starting at `3 * C * tape`, where `tape` counts the
/// units of the layers before it. So a layer finds its input, the previous layer's `a`, just
/// before its own blocks, and the first layer is the one whose `tape` is 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Dense {
    /// Inputs of the layer.
    pub inputs: usize,
    /// Outputs of the layer.
    pub units: usize,
    /// Offset of the weight in the parameter buffer.
    pub params: usize,
    /// Units of the layers before this one.
    pub tape: usize,
    /// The layer's multiplier of the learning rate.
    pub lr_scale: f64,
}

impl Dense {
    /// Number of parameters: the `units x inputs` weight and the bias.
    pub fn param_count(&self) -> usize {
        self.units * (self.inputs + 1)
    }
}

/// A hidden layer: a dense product, then an element-wise activation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Hidden {
    /// The product.
    pub dense: Dense,
    /// The activation.
    pub activation: Activation,
}

impl Hidden {
    /// What the plan records of `layer`, whose product is `dense`.
    pub(crate) fn new(layer: &Layer, dense: Dense) -> Self {
        Hidden {
            dense,
            activation: layer.activation,
        }
    }
}
