//! The plan: what a network computes, decided once from its spec. Code generation quotes it
//! as a sequence of calls with constant sizes; the dynamic engine runs the same calls in a
//! loop. Nothing else chooses an activation, an output head or whether training fuses the
//! update into the backward pass.

use serde::Serialize;

use crate::ir::Spec;
use crate::layer::{Dense, Hidden};
use crate::loss::Head;
use crate::optimizer::Optimizer;
use crate::shards::Shards;

/// What a network computes, layer by layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// The hidden layers, in order.
    pub hidden: Vec<Hidden>,
    /// The output layer's product.
    pub output: Dense,
    /// The output layer's activation and loss.
    pub head: Head,
    /// Whether a training step updates each layer by SGD as soon as its gradient is known,
    /// instead of a backward pass and then the optimizer: the spec trains with plain `sgd`
    /// and no regularisation, where both give the same bits, and does not split its batch.
    pub fused_sgd: bool,
    /// How a training step splits its batch across threads (see [`Spec::shards`]).
    pub shards: Shards,
    /// Units of all layers: the tape holds `3 * C * tape_units` values for `C` samples, then
    /// the scratch of layers with extras (see [`Extras`](crate::Extras)).
    pub tape_units: usize,
    /// Per-sample scratch units of the layers with extras.
    pub extra_columns: usize,
    /// Scratch values the layers with extras keep once per pass.
    pub extra_fixed: usize,
}

impl Plan {
    /// The length of a tape of `columns` samples.
    pub fn tape_len(&self, columns: usize) -> usize {
        columns * (3 * self.tape_units + self.extra_columns) + self.extra_fixed
    }

    /// Whether a layer normalises its batch: training then updates running statistics.
    pub fn has_batch_norm(&self) -> bool {
        self.hidden
            .iter()
            .any(|h| h.extras.is_some_and(|e| e.batch_norm.is_some()))
    }

    /// Whether a layer drops units while training: training steps then draw masks.
    pub fn has_dropout(&self) -> bool {
        self.hidden
            .iter()
            .any(|h| h.extras.is_some_and(|e| e.dropout > 0.0))
    }
}

impl Spec {
    /// The network's plan.
    pub fn plan(&self) -> Plan {
        let layout = self.param_layout();
        let weights: Vec<usize> = layout
            .iter()
            .filter(|segment| segment.role == crate::ParamRole::Weight)
            .map(|segment| segment.offset)
            .collect();
        let mut tape = 0;
        let mut dense: Vec<Dense> = self
            .layers
            .iter()
            .enumerate()
            .map(|(index, layer)| {
                let dense = Dense {
                    inputs: self.layer_inputs(index),
                    units: layer.units,
                    params: weights[index],
                    tape,
                    lr_scale: layer.lr_scale,
                };
                tape += layer.units;
                dense
            })
            .collect();
        let output = dense.pop().expect("a validated spec has an output layer");
        let last = self.layers.len() - 1;
        let (mut column, mut fixed) = (0, 0);
        let hidden: Vec<Hidden> = dense
            .into_iter()
            .zip(&self.layers)
            .enumerate()
            .map(|(index, (dense, layer))| {
                let hidden = Hidden::new(layer, index, dense, column, fixed);
                if let Some(extras) = hidden.extras {
                    column += extras.column_units(dense.units);
                    fixed += extras.fixed_units(dense.units);
                }
                hidden
            })
            .collect();
        let plain = hidden.iter().all(|h| h.extras.is_none());
        let shards = self.shards();
        Plan {
            hidden,
            output,
            head: self.loss.head(self.layers[last].activation),
            fused_sgd: matches!(self.optimizer, Optimizer::Sgd { .. })
                && !self.regularization.is_active()
                && plain
                && !shards.split(),
            shards,
            tape_units: tape,
            extra_columns: column,
            extra_fixed: fixed,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::loss::{ElementLoss, Head};

    #[test]
    fn the_plan_places_parameters_and_activations_layer_by_layer() {
        let spec = crate::parse(
            "input: 4\nlayers:\n  - {units: 16, activation: relu}\n  - {units: 8, activation: tanh}\n  - {units: 2, activation: identity}\nloss: mse\n",
        )
        .unwrap();
        let plan = spec.plan();
        let offsets: Vec<(usize, usize)> = plan
            .hidden
            .iter()
            .map(|h| (h.dense.params, h.dense.tape))
            .chain([(plan.output.params, plan.output.tape)])
            .collect();
        assert_eq!(offsets, [(0, 0), (80, 16), (216, 24)]);
        assert_eq!(plan.tape_units, 26);
        assert_eq!(
            plan.head,
            Head::Chain {
                activation: crate::Activation::Identity,
                loss: ElementLoss::Mse
            }
        );
        assert!(plan.fused_sgd, "plain sgd without regularisation fuses");
        let adam = crate::parse(
            "input: 2\nlayers: [{units: 2, activation: softmax}]\nloss: cross_entropy\noptimizer: adam\n",
        )
        .unwrap();
        assert!(!adam.plan().fused_sgd);
        assert!(adam.plan().hidden.is_empty());
    }
}
