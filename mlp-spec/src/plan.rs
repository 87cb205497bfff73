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
    /// Whether the network's own training steps update each layer by SGD as soon as its
    /// gradient is known, instead of a backward pass and then the optimizer: the spec trains
    /// with plain `sgd` and no regularisation, where both give the same bits, and does not
    /// split its batch into shards. A batch split by units ([`Spec::splits_units`]) fuses its
    /// update in its own parts' steps; its one-sample steps, which do not split, are the
    /// network's, and fuse, as do those of an on-line session.
    pub fused_sgd: bool,
    /// Whether an on-line session's one-sample steps hold back the first layer's weight update
    /// until the next sample's forward pass, which applies it in the same walk over the weight
    /// as its product: training fuses SGD, a hidden layer comes first, and its weight is too
    /// large for an L1 cache (at least [`DEFERRED_WEIGHTS`] values, [`DEFERRED_UNITS`] units),
    /// where a step otherwise streams it from L2 twice (once for the product, once for the
    /// update). Smaller layers stay in L1, and holding an update back would only add work.
    pub defers_first_update: bool,
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

/// The fewest weights of a first layer whose update [`Plan::defers_first_update`]: 64 KB of
/// `f32`, more than the L1 data cache of the CPUs measured (32-48 KB).
pub const DEFERRED_WEIGHTS: usize = 16384;

/// The fewest units of a first layer whose update [`Plan::defers_first_update`]: the kernels'
/// one-pass update and product (like their wide product) take layers of at least 64 units.
pub const DEFERRED_UNITS: usize = 64;

/// The fewest weights of a first layer whose one-sample product a prediction on more than one
/// thread shares out ([`Plan::shared_product_parts`]): 256 KB of `f32`. Handing a product to a
/// second core and waiting for its sums costs 0.3-0.5 us, which a smaller layer's product does
/// not reliably repay: on the 2-vCPU host measured, first layers of 64 x 128 to 784 x 128 and
/// 256 x 64 to 256 x 256, two threads against one gave 1.16-1.60x from 65536 weights up (once
/// 0.93x), 0.84-1.45x at 49152 and 0.46-1.20x from 32768 down.
pub const SHARED_PRODUCT_WEIGHTS: usize = 65536;

impl Plan {
    /// The length of a tape of `columns` samples.
    pub fn tape_len(&self, columns: usize) -> usize {
        columns * (3 * self.tape_units + self.extra_columns) + self.extra_fixed
    }

    /// The parts an on-line session splits its walk over the first layer's weight into, one
    /// a thread, for `threads` threads: each owns blocks of [`DEFERRED_UNITS`] of the layer's
    /// units, the rows of the weight it updates and multiplies, so that no weight moves
    /// between cores and every unit's sum is the one a single thread computes. 1 where the
    /// session holds nothing back ([`Plan::defers_first_update`]) or the layer has fewer than
    /// two such blocks.
    pub fn held_parts(&self, threads: usize) -> usize {
        match self.hidden.first() {
            Some(first) if self.defers_first_update => {
                threads.clamp(1, (first.dense.units / DEFERRED_UNITS).max(1))
            }
            _ => 1,
        }
    }

    /// The parts a one-sample prediction on `threads` threads splits the first layer's product
    /// into, one a thread: each thread owns blocks of [`DEFERRED_UNITS`] of the layer's units
    /// and its own copy of their rows of the weight, which stays in that core's cache from one
    /// prediction to the next, and every unit's sum is the one a single thread computes. 1
    /// (the product stays on the calling thread) unless a plain hidden layer comes first with
    /// at least [`SHARED_PRODUCT_WEIGHTS`] weights and two such blocks: a smaller product
    /// takes less time than handing it out. No more parts than give each at least half of
    /// `SHARED_PRODUCT_WEIGHTS` weights, the least measured to repay its thread.
    pub fn shared_product_parts(&self, threads: usize) -> usize {
        match self.hidden.first() {
            Some(first) if first.extras.is_none() => {
                let weights = first.dense.inputs * first.dense.units;
                let most = (first.dense.units / DEFERRED_UNITS)
                    .min(weights / (SHARED_PRODUCT_WEIGHTS / 2))
                    .max(1);
                if weights < SHARED_PRODUCT_WEIGHTS {
                    1
                } else {
                    threads.clamp(1, most)
                }
            }
            _ => 1,
        }
    }

    /// Whether a one-sample prediction on enough threads shares out the first layer's
    /// product ([`Plan::shared_product_parts`]).
    pub fn shares_first_product(&self) -> bool {
        self.shared_product_parts(usize::MAX) > 1
    }

    /// What a one-sample prediction on more than one thread does with the first layer's
    /// product, and why ([`Plan::shared_product_parts`]), as `mlp expand` documents it.
    pub fn prediction_decision(&self) -> String {
        let Some(first) = self.hidden.first() else {
            return "A one-sample prediction runs on the calling thread: the output layer comes first, and only a hidden first layer shares its product out.".to_owned();
        };
        if first.extras.is_some() {
            return "A one-sample prediction runs on the calling thread: only a plain first layer (no batch norm, dropout or residual connection) shares its product out.".to_owned();
        }
        let size = format!("{} x {}", first.dense.units, first.dense.inputs);
        let most = self.shared_product_parts(usize::MAX);
        let half = SHARED_PRODUCT_WEIGHTS / 2;
        if most < 2 {
            return format!(
                "A one-sample prediction runs on the calling thread: the first layer's {size} weight takes less time to multiply than to hand to another core (sharing it out pays from {SHARED_PRODUCT_WEIGHTS} weights and two blocks of {DEFERRED_UNITS} units)."
            );
        }
        format!(
            "A one-sample prediction by a `Predictor` on more than one thread shares out the first layer's product, on up to {most} threads (blocks of {DEFERRED_UNITS} units, at least {half} weights a thread): the {size} weight is too large for one core's L1 cache, and each thread multiplies its own blocks of {DEFERRED_UNITS} units with its own copy of their rows of the weight, which stays in its core's cache. The outputs keep the bits of one thread."
        )
    }

    /// What an on-line session does with the first layer's weight update, and why
    /// ([`Plan::defers_first_update`]), on `threads` threads ([`Plan::held_parts`]), as
    /// `mlp expand` documents it.
    pub fn online_decision(&self, threads: usize) -> String {
        let Some(first) = self.hidden.first().map(|h| h.dense) else {
            return "An on-line session's steps are one-sample training steps: the output layer comes first, and only a hidden first layer holds its update back.".to_owned();
        };
        let size = format!("{} x {}", first.units, first.inputs);
        if !self.fused_sgd {
            return "An on-line session's steps are one-sample training steps: only plain `sgd` without regularisation (whose update is fused into the backward pass) holds the first layer's update back.".to_owned();
        }
        if self.defers_first_update {
            let parts = self.held_parts(threads);
            let split = if parts > 1 {
                format!(
                    " {parts} threads share it out by blocks of {DEFERRED_UNITS} units, each updating and multiplying its own rows of the weight."
                )
            } else if threads > 1 {
                format!(
                    " The walk runs on one thread although `training.threads` is {threads}: it shares out by blocks of {DEFERRED_UNITS} units, and the layer has one."
                )
            } else {
                String::new()
            };
            return format!(
                "An on-line session holds the first layer's weight update back to the next sample's forward pass, which applies it in the same walk over the weight as its product: the {size} weight is larger than an L1 cache, which a one-sample step would otherwise stream from L2 twice.{split} The parameters keep the bits of one-sample steps."
            );
        }
        format!(
            "An on-line session's steps are one-sample training steps: the first layer's {size} weight is small enough for an L1 cache (holding its update back pays from {DEFERRED_WEIGHTS} weights and {DEFERRED_UNITS} units)."
        )
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
        let large_first = dense.first().is_some_and(|first| {
            first.units >= DEFERRED_UNITS && first.inputs * first.units >= DEFERRED_WEIGHTS
        });
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
        let fused_sgd = matches!(self.optimizer, Optimizer::Sgd { .. })
            && !self.regularization.is_active()
            && plain
            && (!shards.split() || self.splits_units());
        Plan {
            hidden,
            output,
            head: self.loss.head(self.layers[last].activation),
            fused_sgd,
            defers_first_update: fused_sgd && large_first,
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

    /// The plan of a network with one hidden layer, `input` -> `units` (relu) -> 10 (softmax).
    fn one_hidden(input: usize, units: usize, optimizer: &str) -> super::Plan {
        one_hidden_with(input, units, optimizer, "").plan()
    }

    /// [`one_hidden`]'s spec, with the lines `more` added.
    fn one_hidden_with(input: usize, units: usize, optimizer: &str, more: &str) -> crate::Spec {
        let yaml = format!(
            "input: {input}\nlayers:\n  - {{units: {units}, activation: relu}}\n  - {{units: 10, activation: softmax}}\nloss: cross_entropy\noptimizer: {optimizer}\n{more}"
        );
        crate::parse(&yaml).unwrap()
    }

    #[test]
    fn only_a_first_layer_larger_than_l1_defers_its_update() {
        let spec = one_hidden;
        assert!(spec(784, 128, "sgd").defers_first_update);
        assert!(
            spec(256, 64, "sgd").defers_first_update,
            "16384 weights, 64 units"
        );
        assert!(
            !spec(255, 64, "sgd").defers_first_update,
            "fewer weights than L1 holds"
        );
        assert!(
            !spec(1024, 32, "sgd").defers_first_update,
            "fewer units than a wide layer"
        );
        assert!(
            !spec(784, 128, "adam").defers_first_update,
            "only fused sgd defers"
        );
        let single =
            "input: 784\nlayers: [{units: 128, activation: softmax}]\nloss: cross_entropy\n";
        let single = crate::parse(single).unwrap().plan();
        assert!(!single.defers_first_update);
        assert!(
            single
                .online_decision(1)
                .contains("the output layer comes first")
        );
        let wide = spec(784, 128, "sgd").online_decision(1);
        assert!(
            wide.contains("128 x 784 weight is larger than an L1 cache"),
            "{wide}"
        );
        assert!(!wide.contains("threads"), "{wide}");
        let small = spec(255, 64, "sgd").online_decision(1);
        assert!(
            small.contains("pays from 16384 weights and 64 units"),
            "{small}"
        );
        let adam = spec(784, 128, "adam").online_decision(1);
        assert!(adam.contains("only plain `sgd`"), "{adam}");
    }

    /// An on-line session's walk shares out by blocks of 64 units: two threads for 128 units,
    /// no more than the threads, and none where the session holds nothing back.
    #[test]
    fn a_held_walk_splits_into_blocks_of_64_units() {
        let plan = one_hidden;
        let wide = plan(784, 128, "sgd");
        assert_eq!(
            [1, 2, 3, 8].map(|threads| wide.held_parts(threads)),
            [1, 2, 2, 2]
        );
        assert_eq!(plan(784, 320, "sgd").held_parts(8), 5);
        assert_eq!(plan(784, 100, "sgd").held_parts(2), 1, "one block of 64");
        assert_eq!(plan(784, 128, "adam").held_parts(2), 1, "nothing held");
        let two = wide.online_decision(2);
        assert!(two.contains("2 threads share it out"), "{two}");
        let one = plan(784, 100, "sgd").online_decision(2);
        assert!(one.contains("runs on one thread although"), "{one}");
    }

    /// A prediction shares out a plain first layer's product of at least 65536 weights and two
    /// blocks of 64 units, whatever the optimizer, by blocks of 64 units.
    #[test]
    fn a_prediction_shares_out_only_a_large_plain_first_product() {
        let wide = one_hidden(784, 128, "adam");
        assert_eq!(
            [1, 2, 3, 8].map(|threads| wide.shared_product_parts(threads)),
            [1, 2, 2, 2]
        );
        assert!(wide.shares_first_product());
        assert_eq!(one_hidden(784, 320, "sgd").shared_product_parts(8), 5);
        // 81920 weights: two parts of at least 32768, though the layer has five blocks.
        assert_eq!(one_hidden(256, 320, "sgd").shared_product_parts(8), 2);
        let decision = wide.prediction_decision();
        assert!(decision.contains("on up to 2 threads"), "{decision}");
        assert!(decision.contains("128 x 784 weight"), "{decision}");
        for (input, units) in [(255, 256), (1024, 100)] {
            let plan = one_hidden(input, units, "sgd");
            assert!(!plan.shares_first_product(), "{input} -> {units}");
            assert_eq!(plan.shared_product_parts(4), 1);
            let decision = plan.prediction_decision();
            assert!(decision.contains("pays from 65536 weights"), "{decision}");
        }
        let batch_norm = "input: 784\nlayers:\n  - {units: 128, activation: relu, batch_norm: true}\n  - {units: 10, activation: softmax}\nloss: cross_entropy\n";
        let batch_norm = crate::parse(batch_norm).unwrap().plan();
        assert_eq!(batch_norm.shared_product_parts(2), 1);
        assert!(
            batch_norm
                .prediction_decision()
                .contains("only a plain first layer")
        );
        let single =
            "input: 784\nlayers: [{units: 128, activation: softmax}]\nloss: cross_entropy\n";
        let single = crate::parse(single).unwrap().plan();
        assert_eq!(single.shared_product_parts(2), 1);
        assert!(
            single
                .prediction_decision()
                .contains("the output layer comes first")
        );
    }

    /// A batch split by units still fuses and holds back the one-sample steps of on-line
    /// sessions, which do not split; a batch split into shards runs even one sample as a
    /// split step, so nothing of it fuses.
    #[test]
    fn one_sample_steps_fuse_beside_batches_split_by_units() {
        let threads = "batch_size: 64\ntraining: {threads: 2}\n";
        let units = one_hidden_with(784, 128, "sgd", threads);
        assert!(units.splits_units());
        let plan = units.plan();
        assert!(plan.fused_sgd && plan.defers_first_update);
        assert_eq!(plan.held_parts(2), 2);
        let shards = one_hidden_with(784, 48, "sgd", threads);
        assert!(shards.shards().split() && !shards.splits_units());
        assert!(!shards.plan().fused_sgd);
        let adam = one_hidden_with(784, 128, "adam", threads);
        assert!(adam.splits_units() && !adam.plan().fused_sgd);
    }
}
