//! The flat parameter order shared by every engine, checkpoint and optimizer.
//!
//! All parameters of a network live in one contiguous buffer, layer by layer, the weight
//! before the bias. A weight of shape `[units, inputs]` (as `torch.nn.Linear`) is stored
//! **column-major**, as nalgebra stores matrices: element `(row r, column c)` is at
//! `offset + c * units + r`. Checkpoints transpose to PyTorch's row-major layout on the way
//! out and back on the way in; everything inside the process uses this order, so gradients and
//! optimizer moments are buffers of the same length indexed the same way.

use serde::Serialize;

use crate::ir::Spec;

/// Whether a segment holds a weight matrix or a bias vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamRole {
    /// A `[units, inputs]` weight matrix.
    Weight,
    /// A `[units]` bias vector.
    Bias,
}

impl ParamRole {
    /// `"weight"` or `"bias"`, as in PyTorch parameter names.
    pub fn name(&self) -> &'static str {
        match self {
            ParamRole::Weight => "weight",
            ParamRole::Bias => "bias",
        }
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
}

/// The layout of a network with `input` inputs and dense layers of `(units, lr_scale)`, as a
/// constant: what [`Spec::param_layout`] computes, for compiled networks to embed. `S` is
/// twice the number of layers.
///
/// ```
/// let spec = mlp_spec::parse("input: 3\nlayers: [{units: 4}, {units: 2, lr_scale: 0.5}]\nloss: mse\n")
///     .unwrap();
/// let layout = mlp_spec::dense_layout::<4>(3, &[(4, 1.0), (2, 0.5)]);
/// assert_eq!(layout.to_vec(), spec.param_layout());
/// ```
///
/// # Panics
///
/// If `S` is not twice the number of layers (at compile time, for a constant).
pub const fn dense_layout<const S: usize>(
    input: usize,
    layers: &[(usize, f64)],
) -> [ParamSegment; S] {
    assert!(S == 2 * layers.len(), "two segments per layer");
    let mut segments = [ParamSegment::dense(0, 0, 0, 0, 0.0)[0]; S];
    let (mut layer, mut inputs, mut offset) = (0, input, 0);
    while layer < layers.len() {
        let (units, lr_scale) = layers[layer];
        let [weight, bias] = ParamSegment::dense(layer, inputs, units, offset, lr_scale);
        segments[2 * layer] = weight;
        segments[2 * layer + 1] = bias;
        offset += units * (inputs + 1);
        inputs = units;
        layer += 1;
    }
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
            let inputs = self.layer_inputs(index);
            segments.extend(ParamSegment::dense(
                index,
                inputs,
                layer.units,
                offset,
                layer.lr_scale,
            ));
            offset += layer.units * (inputs + 1);
        }
        segments
    }

    /// Total number of parameters.
    pub fn param_count(&self) -> usize {
        (0..self.layers.len())
            .map(|i| (self.layer_inputs(i) + 1) * self.layers[i].units)
            .sum()
    }

    /// Scalars of activations kept per sample during training: pre-activations, activations
    /// and deltas of every layer.
    pub fn activation_scalars_per_sample(&self) -> usize {
        3 * self.layers.iter().map(|layer| layer.units).sum::<usize>()
    }
}
