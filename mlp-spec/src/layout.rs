//! The flat parameter order shared by every engine, checkpoint and optimizer.
//!
//! All parameters of a network live in one contiguous buffer, layer by layer, the weight
//! before the bias. A batch-normalised layer has no bias: its weight is followed by the
//! normalisation's scale and shift (optimised like biases) and its running mean and variance
//! (buffers: saved and restored with the parameters, never optimised). A weight of shape `[units, inputs]` (as `torch.nn.Linear`) is stored
//! **column-major**, as nalgebra stores matrices: element `(row r, column c)` is at
//! `offset + c * units + r`. Checkpoints transpose to PyTorch's row-major layout on the way
//! out and back on the way in; everything inside the process uses this order, so gradients and
//! optimizer moments are buffers of the same length indexed the same way.

use serde::Serialize;

use crate::ir::Spec;

/// What a segment holds: a weight matrix, or one of a layer's vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamRole {
    /// A `[units, inputs]` weight matrix.
    Weight,
    /// A `[units]` bias vector.
    Bias,
    /// Batch normalisation's `[units]` scale (gamma), in the bias' place.
    NormWeight,
    /// Batch normalisation's `[units]` shift (beta).
    NormBias,
    /// Batch normalisation's running mean: a buffer, not optimised.
    RunningMean,
    /// Batch normalisation's running (unbiased) variance: a buffer, not optimised.
    RunningVar,
}

impl ParamRole {
    /// The tensor's name inside its layer, as PyTorch names the parameters and buffers of
    /// `nn.Linear` and of the `nn.BatchNorm1d` after it (here called `norm`).
    pub fn name(&self) -> &'static str {
        match self {
            ParamRole::Weight => "weight",
            ParamRole::Bias => "bias",
            ParamRole::NormWeight => "norm.weight",
            ParamRole::NormBias => "norm.bias",
            ParamRole::RunningMean => "norm.running_mean",
            ParamRole::RunningVar => "norm.running_var",
        }
    }

    /// Whether the segment is optimised like a bias: penalties and weight decay reach it only
    /// with `regularization.bias`.
    pub fn is_bias_like(&self) -> bool {
        matches!(
            self,
            ParamRole::Bias | ParamRole::NormWeight | ParamRole::NormBias
        )
    }

    /// Whether the segment is a buffer: state the forward pass reads but no optimizer
    /// updates (its gradient is zero).
    pub fn is_buffer(&self) -> bool {
        matches!(self, ParamRole::RunningMean | ParamRole::RunningVar)
    }
}

/// One tensor inside the flat parameter buffer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParamSegment {
    /// Index of the layer (0 is the first hidden layer).
    pub layer: usize,
    /// Weight or bias.
    pub role: ParamRole,
    /// Position of the first element in the flat buffer.
    pub offset: usize,
    /// Number of rows (`units`).
    pub rows: usize,
    /// Number of columns (`inputs` for a weight, 1 for a bias).
    pub cols: usize,
    /// The layer's learning-rate multiplier.
    pub lr_scale: f64,
}

impl ParamSegment {
    /// Number of scalars in the segment.
    pub const fn len(&self) -> usize {
        self.rows * self.cols
    }

    /// Whether the segment holds no scalars (never true for a validated spec).
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tensor's shape as PyTorch stores it: `[rows, cols]` for a weight, `[rows]` for a
    /// vector.
    pub fn torch_shape(&self) -> Vec<usize> {
        match self.role {
            ParamRole::Weight => vec![self.rows, self.cols],
            _ => vec![self.rows],
        }
    }

    /// The range of the flat buffer this segment occupies.
    pub const fn range(&self) -> core::ops::Range<usize> {
        self.offset..self.offset + self.len()
    }
}

impl ParamSegment {
    /// A dense layer's two segments: its `units x inputs` weight at `offset`, then its bias.
    pub const fn dense(
        layer: usize,
        inputs: usize,
        units: usize,
        offset: usize,
        lr_scale: f64,
    ) -> [ParamSegment; 2] {
        let weight = ParamSegment {
            layer,
            role: ParamRole::Weight,
            offset,
            rows: units,
            cols: inputs,
            lr_scale,
        };
        let bias = ParamSegment {
            layer,
            role: ParamRole::Bias,
            offset: offset + units * inputs,
            rows: units,
            cols: 1,
            lr_scale,
        };
        [weight, bias]
    }

    /// A batch-normalised layer's five segments: its weight at `offset`, then the
    /// normalisation's scale, shift, running mean and running variance.
    pub const fn normalized(
        layer: usize,
        inputs: usize,
        units: usize,
        offset: usize,
        lr_scale: f64,
    ) -> [ParamSegment; 5] {
        let [weight, first] = ParamSegment::dense(layer, inputs, units, offset, lr_scale);
        [
            weight,
            first.vector(ParamRole::NormWeight, 0),
            first.vector(ParamRole::NormBias, 1),
            first.vector(ParamRole::RunningMean, 2),
            first.vector(ParamRole::RunningVar, 3),
        ]
    }

    /// The `index`-th vector segment of `role` after this one, of the same length.
    const fn vector(self, role: ParamRole, index: usize) -> ParamSegment {
        ParamSegment {
            role,
            offset: self.offset + index * self.rows,
            ..self
        }
    }

    /// The number of scalars of a layer: its weight and its bias, or its weight and four
    /// vectors when it is batch-normalised.
    pub const fn layer_len(inputs: usize, units: usize, batch_norm: bool) -> usize {
        units * (inputs + if batch_norm { 4 } else { 1 })
    }
}

/// The layout of a network with `input` inputs and dense layers of
/// `(units, lr_scale, batch_norm)`, as a constant: what [`Spec::param_layout`] computes, for
/// compiled networks to embed. `S` is the number of segments: two per layer, five per
/// batch-normalised layer.
///
/// ```
/// let spec = mlp_spec::parse(
///     "input: 3\nlayers: [{units: 4, batch_norm: true}, {units: 2, lr_scale: 0.5}]\nloss: mse\n",
/// )
/// .unwrap();
/// let layout = mlp_spec::dense_layout::<7>(3, &[(4, 1.0, true), (2, 0.5, false)]);
/// assert_eq!(layout.to_vec(), spec.param_layout());
/// ```
///
/// # Panics
///
/// If `S` is not the number of segments (at compile time, for a constant).
pub const fn dense_layout<const S: usize>(
    input: usize,
    layers: &[(usize, f64, bool)],
) -> [ParamSegment; S] {
    let mut segments = [ParamSegment::dense(0, 0, 0, 0, 0.0)[0]; S];
    let (mut layer, mut inputs, mut offset, mut next) = (0, input, 0, 0);
    while layer < layers.len() {
        let (units, lr_scale, batch_norm) = layers[layer];
        if batch_norm {
            let five = ParamSegment::normalized(layer, inputs, units, offset, lr_scale);
            let mut k = 0;
            while k < 5 {
                segments[next + k] = five[k];
                k += 1;
            }
            next += 5;
        } else {
            let [weight, bias] = ParamSegment::dense(layer, inputs, units, offset, lr_scale);
            segments[next] = weight;
            segments[next + 1] = bias;
            next += 2;
        }
        offset += ParamSegment::layer_len(inputs, units, batch_norm);
        inputs = units;
        layer += 1;
    }
    assert!(next == S, "one segment per tensor");
    segments
}

impl Spec {
    /// The inputs of layer `index`: the spec's `input` for the first, the previous units after.
    pub fn layer_inputs(&self, index: usize) -> usize {
        match index {
            0 => self.input,
            i => self.layers[i - 1].units,
        }
    }

    /// Units of the output layer.
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(0, |layer| layer.units)
    }

    /// The segments of the flat parameter buffer, in order.
    pub fn param_layout(&self) -> Vec<ParamSegment> {
        let mut segments = Vec::with_capacity(2 * self.layers.len());
        let mut offset = 0;
        for (index, layer) in self.layers.iter().enumerate() {
            let (inputs, units, scale) = (self.layer_inputs(index), layer.units, layer.lr_scale);
            if layer.batch_norm.is_some() {
                segments.extend(ParamSegment::normalized(
                    index, inputs, units, offset, scale,
                ));
            } else {
                segments.extend(ParamSegment::dense(index, inputs, units, offset, scale));
            }
            offset += self.layer_len(index);
        }
        segments
    }

    /// The scalars of layer `index` in the flat buffer.
    pub fn layer_len(&self, index: usize) -> usize {
        let layer = &self.layers[index];
        let (inputs, units) = (self.layer_inputs(index), layer.units);
        ParamSegment::layer_len(inputs, units, layer.batch_norm.is_some())
    }

    /// Total number of scalars in the flat buffer: parameters, and the running statistics of
    /// batch-normalised layers.
    pub fn param_count(&self) -> usize {
        (0..self.layers.len()).map(|i| self.layer_len(i)).sum()
    }

    /// Scalars of activations kept per sample during training: pre-activations, activations
    /// and deltas of every layer, and what batch norm, dropout and residual layers keep
    /// besides (see [`Extras`](crate::Extras)).
    pub fn activation_scalars_per_sample(&self) -> usize {
        let plan = self.plan();
        3 * plan.tape_units + plan.extra_columns
    }
}
