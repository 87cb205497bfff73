//! A layer: the keys a spec gives it, what it is once validated, and what the plan records of
//! it. A new per-layer key changes this file: its field, its reading, and its record.

use serde::Serialize;

use crate::activation::Activation;
use crate::read::{Ctx, field, parameters, size};
use crate::yaml::{Mapping, Path, Value};

/// The keys of a layer.
const KEYS: &[&str] = &[
    "units",
    "activation",
    "lr_scale",
    "batch_norm",
    "residual",
    "dropout",
];

/// The keys only hidden layers take.
const HIDDEN_KEYS: &[&str] = &["batch_norm", "residual", "dropout"];

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
    /// Batch normalisation between the product and the activation (hidden layers only); the
    /// product then has no bias.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_norm: Option<BatchNorm>,
    /// Whether the layer adds its input to its output, `a = x + act(z)` (hidden layers whose
    /// input size is their `units`).
    #[serde(skip_serializing_if = "is_false")]
    pub residual: bool,
    /// The probability of zeroing each unit of the layer's output while training (inverted
    /// dropout after the activation; hidden layers only).
    #[serde(skip_serializing_if = "is_zero")]
    pub dropout: f64,
}

/// `torch.nn.BatchNorm1d`'s constants.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct BatchNorm {
    /// Added to the variance before its square root.
    pub eps: f64,
    /// The weight of a batch's statistics in the running ones.
    pub momentum: f64,
}

impl Default for BatchNorm {
    /// PyTorch's defaults: `eps` 1e-5, `momentum` 0.1.
    fn default() -> Self {
        BatchNorm {
            eps: 1e-5,
            momentum: 0.1,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
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
    let batch_norm = match field(map, path, "batch_norm") {
        Some((value, at)) => batch_norm(ctx, value, &at),
        None => Some(None),
    };
    let residual = match field(map, path, "residual") {
        Some((value, at)) => ctx.boolean(value, &at, "residual"),
        None => Some(false),
    };
    let dropout = match field(map, path, "dropout") {
        Some((value, at)) => match value.as_f64() {
            Some(p) if (0.0..1.0).contains(&p) => Some(p),
            _ => {
                ctx.error(
                    &at,
                    format!(
                        "`dropout` must be a probability in [0, 1), found {}",
                        crate::read::show(value)
                    ),
                    "it is the chance of zeroing each unit while training: 0.1 to 0.5 is usual, 0 turns it off",
                );
                None
            }
        },
        None => Some(0.0),
    };
    if is_output {
        for key in HIDDEN_KEYS {
            if let Some((_, at)) = field(map, path, key) {
                ctx.error(
                    &at,
                    format!("`{key}` is only allowed on hidden layers, but `layers[{index}]` is the output layer"),
                    "put it on a hidden layer; the output layer is a plain product followed by the output activation",
                );
            }
        }
    }
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
            batch_norm: batch_norm?,
            residual: residual?,
            dropout: dropout?,
        })
    })()
    .filter(|_| !is_output || HIDDEN_KEYS.iter().all(|key| !map.contains_key(*key)));
    (layer, activation)
}

/// Reads `batch_norm`: `true`, `false`, or `{eps, momentum}` (each optional).
fn batch_norm(ctx: &mut Ctx, value: &Value, path: &Path) -> Option<Option<BatchNorm>> {
    if let Value::Bool(on) = value {
        return Some(on.then(BatchNorm::default));
    }
    if !matches!(value, Value::Mapping(_)) {
        ctx.error(
            path,
            format!(
                "`batch_norm` must be `true`, `false` or `{{eps: E, momentum: M}}`, found {}",
                crate::read::show(value)
            ),
            "write `batch_norm: true` for PyTorch's defaults (eps 1e-5, momentum 0.1)",
        );
        return None;
    }
    let map = ctx.mapping(value, path, "`batch_norm`", &["eps", "momentum"])?;
    let mut norm = BatchNorm::default();
    if let Some((value, at)) = field(map, path, "eps") {
        norm.eps = ctx.number(value, &at, "eps", "> 0", |x| x > 0.0)?;
    }
    if let Some((value, at)) = field(map, path, "momentum") {
        norm.momentum = ctx.number(value, &at, "momentum", "in [0, 1]", |x| {
            (0.0..=1.0).contains(&x)
        })?;
    }
    Some(Some(norm))
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
    parameters(
        ctx,
        params,
        path,
        &what,
        activation.parameters_mut(),
        |key| {
            (kind == "leaky_relu" && key == "negative_slope").then(|| {
                "torch's `negative_slope` is `alpha` here: `{kind: leaky_relu, alpha: 0.01}`"
                    .to_owned()
            })
        },
    )?;
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

/// A hidden layer: a dense product, then an element-wise activation, and what the layer's
/// `batch_norm`, `residual` and `dropout` keys add.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Hidden {
    /// The product.
    pub dense: Dense,
    /// The activation.
    pub activation: Activation,
    /// What the layer adds to its product and activation; `None` for a plain layer.
    pub extras: Option<Extras>,
}

/// What a hidden layer computes besides `act(W x + b)`, and where it keeps what its backward
/// pass needs.
///
/// The layer computes `u = W x` (no bias when normalised), `z = BatchNorm(u)` (or `W x + b`),
/// `h = act(z)`, `h' = dropout(h)` and `a = x + h'` (or `h'`). Beyond the three blocks of
/// every layer, it keeps in the tape, after every layer's blocks: per sample, the normalised
/// `x̂` (batch norm), `h` (dropout or residual), the dropout's scale factors, and `dL/da`
/// (residual); and once per pass, the batch's mean, `1 / sqrt(var + eps)` and variance, and a
/// zero bias for the product (batch norm).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Extras {
    /// Batch normalisation's constants, if the layer has it.
    pub batch_norm: Option<BatchNorm>,
    /// Whether the layer adds its input to its output.
    pub residual: bool,
    /// The dropout probability (0 for none).
    pub dropout: f64,
    /// The layer's index, which seeds its dropout masks apart from other layers'.
    pub layer: usize,
    /// Per-sample scratch units of the decorated layers before this one: its per-sample
    /// scratch starts at `C * (3 * tape_units + column)` in a tape of `C` samples.
    pub column: usize,
    /// Scratch values kept once per pass by the layers before this one: its own start at
    /// `C * (3 * tape_units + extra_columns) + fixed`.
    pub fixed: usize,
}

impl Extras {
    /// The extras of `layer` (index `index`), with its scratch after `column` per-sample units
    /// and `fixed` values of the layers before it; `None` for a plain layer.
    fn of(layer: &Layer, index: usize, column: usize, fixed: usize) -> Option<Extras> {
        let plain = layer.batch_norm.is_none() && !layer.residual && layer.dropout == 0.0;
        (!plain).then_some(Extras {
            batch_norm: layer.batch_norm,
            residual: layer.residual,
            dropout: layer.dropout,
            layer: index,
            column,
            fixed,
        })
    }

    /// Per-sample scratch units: `x̂`, `h`, the dropout's factors and `dL/da`, as needed.
    pub fn column_units(&self, units: usize) -> usize {
        let blocks = usize::from(self.batch_norm.is_some())
            + usize::from(self.residual || self.dropout > 0.0)
            + usize::from(self.dropout > 0.0)
            + usize::from(self.residual);
        blocks * units
    }

    /// Scratch values kept once per pass: mean, `1 / sqrt(var + eps)`, variance and a zero
    /// bias, for batch norm.
    pub fn fixed_units(&self, units: usize) -> usize {
        if self.batch_norm.is_some() {
            4 * units
        } else {
            0
        }
    }
}

impl Hidden {
    /// What the plan records of `layer` (index `index`), whose product is `dense`, with its
    /// scratch after `column` per-sample units and `fixed` values of the layers before.
    pub(crate) fn new(
        layer: &Layer,
        index: usize,
        dense: Dense,
        column: usize,
        fixed: usize,
    ) -> Self {
        Hidden {
            dense,
            activation: layer.activation,
            extras: Extras::of(layer, index, column, fixed),
        }
    }
}
