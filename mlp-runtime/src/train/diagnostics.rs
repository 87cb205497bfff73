//! Per-layer diagnostics of vanishing and exploding gradients, recorded when
//! [`TrainConfig::diagnostics`](super::TrainConfig::diagnostics) is on: the norm of each
//! layer's weight gradient (mean over the epoch's steps), the norm of its weights, and for
//! ReLU layers the fraction of units that output zero for every training sample.

use mlp_spec::{Activation, ParamRole, ParamSegment, Plan};
use serde::Serialize;

use crate::data::DynDataset;
use crate::float::Float;
use crate::layer::{Dense, Pass};
use crate::model::Model;

/// One layer's diagnostics after an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LayerDiagnostics {
    /// The L2 norm of the layer's weight gradient, averaged over the epoch's steps.
    pub grad_norm: f64,
    /// The L2 (Frobenius) norm of the layer's weight after the epoch.
    pub weight_norm: f64,
    /// For a `relu` layer, the fraction of its units whose output is zero for every training
    /// sample, with the weights after the epoch (dead units); `None` for other activations,
    /// whose outputs are not exactly zero over a range of inputs.
    pub dead_fraction: Option<f64>,
}

/// What the trainer accumulates over an epoch's steps; allocated once with the trainer, so a
/// step with diagnostics on allocates nothing either.
pub(super) struct Diagnostics {
    /// Per layer, the sum over steps of the gradient norm.
    grad_norm_sums: Vec<f64>,
    steps: usize,
}

/// The weight segment of each layer, in order.
fn weights(layout: &[ParamSegment]) -> impl Iterator<Item = &ParamSegment> {
    layout.iter().filter(|s| s.role == ParamRole::Weight)
}

impl Diagnostics {
    /// Room for the layers of a network with parameter layout `layout`.
    pub(super) fn new(layout: &[ParamSegment]) -> Self {
        Diagnostics {
            grad_norm_sums: vec![0.0; weights(layout).count()],
            steps: 0,
        }
    }

    /// Adds one step's gradient, laid out as `layout` says.
    pub(super) fn record_step<T: Float>(&mut self, grads: &[T], layout: &[ParamSegment]) {
        for (sum, segment) in self.grad_norm_sums.iter_mut().zip(weights(layout)) {
            *sum += norm(&grads[segment.range()]);
        }
        self.steps += 1;
    }

    /// The epoch's diagnostics, and a fresh start for the next epoch.
    pub(super) fn finish_epoch<M: Model>(
        &mut self,
        model: &M,
        train: &DynDataset<M::Float>,
    ) -> Vec<LayerDiagnostics> {
        let spec = model.spec();
        let dead = dead_fractions(&spec.plan(), model.params(), train);
        let steps = self.steps.max(1) as f64;
        let layers = weights(model.layout())
            .zip(&self.grad_norm_sums)
            .enumerate()
            .map(|(index, (segment, sum))| LayerDiagnostics {
                grad_norm: sum / steps,
                weight_norm: norm(&model.params()[segment.range()]),
                dead_fraction: dead.get(index).copied().flatten(),
            })
            .collect();
        self.grad_norm_sums.fill(0.0);
        self.steps = 0;
        layers
    }
}

fn norm<T: Float>(values: &[T]) -> f64 {
    values
        .iter()
        .map(|v| v.as_f64().powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Samples per forward pass when looking for dead units.
const CHUNK: usize = 256;

/// For each hidden layer, the fraction of units that output zero for every sample of
/// `data` (`relu` layers), or `None`; the same layer code as the passes, with run-time sizes.
fn dead_fractions<T: Float>(plan: &Plan, params: &[T], data: &DynDataset<T>) -> Vec<Option<f64>> {
    let watched: Vec<bool> = plan
        .hidden
        .iter()
        .map(|hidden| hidden.activation == Activation::Relu)
        .collect();
    if !watched.contains(&true) || data.is_empty() {
        return watched.iter().map(|_| None).collect();
    }
    let mut alive: Vec<Vec<bool>> = plan
        .hidden
        .iter()
        .map(|h| vec![false; h.dense.units])
        .collect();
    let mut tape = vec![T::zero(); plan.tape_len(CHUNK)];
    let width = data.input_width();
    for start in (0..data.len()).step_by(CHUNK) {
        let count = CHUNK.min(data.len() - start);
        let inputs = &data.inputs()[start * width..(start + count) * width];
        for (hidden, alive) in plan.hidden.iter().zip(&mut alive) {
            let pass = Pass::eval(count);
            Dense::hidden(plan, hidden, count).forward(params, inputs, &mut tape, pass);
            // A unit outputs zero when its pre-activation is not positive (`a` may also hold
            // a residual layer's input).
            let (offset, n) = (3 * count * hidden.dense.tape, hidden.dense.units * count);
            let pre_activations = &tape[offset..offset + n];
            for column in pre_activations.chunks_exact(hidden.dense.units) {
                for (alive, &z) in alive.iter_mut().zip(column) {
                    *alive |= z > T::zero();
                }
            }
        }
    }
    alive
        .iter()
        .zip(&watched)
        .map(|(alive, &watched)| {
            let dead = alive.iter().filter(|&&a| !a).count();
            watched.then(|| dead as f64 / alive.len() as f64)
        })
        .collect()
}
