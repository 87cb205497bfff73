//! The network a user would otherwise write by hand: nalgebra's `DMatrix` layers, buffers
//! allocated once, every product one of nalgebra's (`gemm`, which hands dynamic sizes to
//! matrixmultiply), and a plain SGD step. It covers what the bench specs use: relu and tanh
//! hidden layers, and a sigmoid output with binary cross-entropy or a softmax output with
//! cross-entropy. `tests/suite/baseline.rs` checks it against the engines.

use mlp_runtime::nalgebra::{DMatrix, DVector};
use mlp_runtime::spec::{Activation, Spec};

/// A hidden layer's activation.
#[derive(Clone, Copy)]
enum Hidden {
    Relu,
    Tanh,
}

/// The output layer's activation (and loss).
#[derive(Clone, Copy, PartialEq)]
enum Output {
    /// Sigmoid with binary cross-entropy.
    Sigmoid,
    /// Softmax with cross-entropy.
    Softmax,
}

struct Layer {
    weight: DMatrix<f32>,
    bias: DVector<f32>,
    /// `W a + b` and the activation, `units x count`.
    z: DMatrix<f32>,
    a: DMatrix<f32>,
    /// `dL/dz`, `units x count`.
    delta: DMatrix<f32>,
    /// The layer's input transposed, `count x inputs`, for `delta x^T`.
    input_t: DMatrix<f32>,
}

/// A plain nalgebra network for `count` samples at a time.
pub struct Baseline {
    layers: Vec<Layer>,
    hidden: Vec<Hidden>,
    output: Output,
    lr: f32,
    count: usize,
    /// The input batch, `inputs x count`.
    x: DMatrix<f32>,
}

impl Baseline {
    /// The network of `yaml` with the engines' flat parameters `params` (each weight
    /// column-major, then its bias), for batches of `count` samples.
    pub fn new(yaml: &str, params: &[f32], count: usize) -> Baseline {
        let spec: Spec = mlp_runtime::spec::parse(yaml).expect("a valid bench spec");
        let last = spec.layers.len() - 1;
        let hidden = spec.layers[..last]
            .iter()
            .map(|layer| match layer.activation {
                Activation::Relu => Hidden::Relu,
                Activation::Tanh => Hidden::Tanh,
                other => panic!("the baseline has no {} hidden layer", other.name()),
            })
            .collect();
        let output = match spec.layers[last].activation {
            Activation::Sigmoid => Output::Sigmoid,
            Activation::Softmax => Output::Softmax,
            other => panic!("the baseline has no {} output", other.name()),
        };
        let mut offset = 0;
        let mut inputs = spec.input;
        let layers = spec
            .layers
            .iter()
            .map(|layer| {
                let units = layer.units;
                let weight =
                    DMatrix::from_column_slice(units, inputs, &params[offset..][..units * inputs]);
                offset += units * inputs;
                let bias = DVector::from_column_slice(&params[offset..][..units]);
                offset += units;
                let layer = Layer {
                    weight,
                    bias,
                    z: DMatrix::zeros(units, count),
                    a: DMatrix::zeros(units, count),
                    delta: DMatrix::zeros(units, count),
                    input_t: DMatrix::zeros(count, inputs),
                };
                inputs = units;
                layer
            })
            .collect();
        Baseline {
            layers,
            hidden,
            output,
            lr: spec.optimizer.lr() as f32,
            count,
            x: DMatrix::zeros(spec.input, count),
        }
    }

    /// The parameters in the engines' flat order.
    #[allow(
        dead_code,
        reason = "tests/suite/baseline.rs checks them; the benches do not"
    )]
    pub fn params(&self) -> Vec<f32> {
        let mut params = Vec::new();
        for layer in &self.layers {
            params.extend_from_slice(layer.weight.as_slice());
            params.extend_from_slice(layer.bias.as_slice());
        }
        params
    }

    /// The outputs of the last [`Baseline::forward`], column by column.
    pub fn outputs(&self) -> &[f32] {
        self.layers
            .last()
            .expect("a network has layers")
            .a
            .as_slice()
    }

    /// The forward pass over `x` (`count` samples, one after the other).
    pub fn forward(&mut self, x: &[f32]) {
        self.x.copy_from_slice(x);
        for l in 0..self.layers.len() {
            let (below, rest) = self.layers.split_at_mut(l);
            let layer = &mut rest[0];
            let input = below.last().map_or(&self.x, |b| &b.a);
            layer.z.gemm(1.0, &layer.weight, input, 0.0);
            for mut column in layer.z.column_iter_mut() {
                column += &layer.bias;
            }
            match self.hidden.get(l) {
                Some(Hidden::Relu) => layer.a.zip_apply(&layer.z, |a, z| *a = z.max(0.0)),
                Some(Hidden::Tanh) => layer.a.zip_apply(&layer.z, |a, z| *a = z.tanh()),
                None => output(self.output, &layer.z, &mut layer.a),
            }
        }
    }

    /// One SGD step on `count` samples; returns the mean loss before it.
    pub fn step(&mut self, x: &[f32], y: &[f32]) -> f32 {
        self.forward(x);
        let scale = 1.0 / self.count as f32;
        let top = self.layers.last_mut().expect("a network has layers");
        let mut loss = 0.0;
        for ((d, &a), (&z, &y)) in top.delta.iter_mut().zip(&top.a).zip(top.z.iter().zip(y)) {
            *d = (a - y) * scale;
            loss += match self.output {
                Output::Sigmoid => z.max(0.0) - z * y + (-z.abs()).exp().ln_1p(),
                Output::Softmax => -y * a.max(f32::MIN_POSITIVE).ln(),
            };
        }
        for l in (0..self.layers.len()).rev() {
            let (below, rest) = self.layers.split_at_mut(l);
            let layer = &mut rest[0];
            let input = below.last().map_or(&self.x, |b| &b.a);
            input.transpose_to(&mut layer.input_t);
            if let Some(under) = below.last_mut() {
                // The delta below needs this layer's weights before their update.
                under.delta.gemm_tr(1.0, &layer.weight, &layer.delta, 0.0);
                match self.hidden[l - 1] {
                    Hidden::Relu => under
                        .delta
                        .zip_apply(&under.z, |d, z| *d = if z > 0.0 { *d } else { 0.0 }),
                    Hidden::Tanh => under.delta.zip_apply(&under.a, |d, a| *d *= 1.0 - a * a),
                }
            }
            layer
                .weight
                .gemm(-self.lr, &layer.delta, &layer.input_t, 1.0);
            for column in layer.delta.column_iter() {
                layer.bias.axpy(-self.lr, &column, 1.0);
            }
        }
        loss * scale
    }
}

fn output(kind: Output, z: &DMatrix<f32>, a: &mut DMatrix<f32>) {
    match kind {
        Output::Sigmoid => a.zip_apply(z, |a, z| *a = 1.0 / (1.0 + (-z).exp())),
        Output::Softmax => {
            for (mut a, z) in a.column_iter_mut().zip(z.column_iter()) {
                let max = z.max();
                a.zip_apply(&z, |a, z| *a = (z - max).exp());
                let sum = a.sum();
                a /= sum;
            }
        }
    }
}
