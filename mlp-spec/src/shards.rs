//! The cost model of data-parallel training: whether a training step runs on several threads,
//! and how it splits its work among them, decided from the spec alone.
//!
//! A step of a network whose hidden layers are all plain and wide ([`Spec::splits_units`])
//! splits by units: each of its parts owns a block of the inputs and of every layer's units,
//! with their outgoing weights (a contiguous run of each column-major weight), computes its
//! partial products and its units' sums of them for the whole batch, and updates its own
//! weights, with a barrier between layers; the small output layer, its loss and its delta it
//! computes for its shard of the batch's samples. No hidden weight then moves between cores;
//! the partial products are summed in the parts' order, so the parts, not the threads, fix
//! the result. Other networks split their batch into shards:
//!
//! A shard is a forward and backward pass over some of the batch's columns into a gradient
//! buffer of its own; the step then sums the shards' gradients in shard order and applies the
//! optimizer. Which thread runs which shard does not change a bit, so the shard count, not
//! the thread count, fixes the result. Splitting costs two synchronisations of the threads
//! per step and a pass over every shard's gradient; it pays when a shard's products are large enough to hide that, which a
//! step of 64-32-10 at batch 32 (38 k multiply-adds per shard of 16) is not and one of
//! 784-128-10 at batch 64 (3.3 M per shard of 32) is.

use serde::Serialize;

use crate::ir::Spec;

/// Multiply-adds a shard's forward pass must have for splitting to pay. A shard of 32
/// samples of 784-128-10 (3.3 M) took about 200 microseconds forward and backward on one core
/// of the development machine (a probe of the dynamic engine), so a shard at the threshold
/// takes some 60: long beside two synchronisations of spinning threads.
pub const MIN_SHARD_WORK: usize = 1 << 20;

/// The fewest units a hidden layer has for a step to split it by units: two blocks of the
/// widest register tile (32 rows), so that two threads each get whole tiles.
pub const MIN_SPLIT_UNITS: usize = 64;

/// How a training step splits its batch: `count` shards of `size` columns (the last one may
/// hold fewer samples). One shard of the whole batch is a step that does not split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Shards {
    /// The number of shards of a full batch.
    pub count: usize,
    /// The columns of each shard.
    pub size: usize,
}

impl Shards {
    /// Whether a step splits its batch.
    pub fn split(&self) -> bool {
        self.count > 1
    }

    /// The number of samples shard `index` holds in a batch of `count` samples.
    pub fn samples(&self, index: usize, count: usize) -> usize {
        count.saturating_sub(index * self.size).min(self.size)
    }
}

impl Spec {
    /// Multiply-adds of one sample's forward pass: the size of every layer's weight.
    pub fn work_per_sample(&self) -> usize {
        (0..self.layers.len())
            .map(|index| self.layer_inputs(index) * self.layers[index].units)
            .sum()
    }

    /// How a training step splits its batch, for `training.threads` threads: into as many
    /// shards as there are threads (at most), when each shard's forward pass has at least
    /// [`MIN_SHARD_WORK`] multiply-adds; otherwise not at all. Batch normalisation never
    /// splits, since its statistics span the whole batch.
    pub fn shards(&self) -> Shards {
        let whole = Shards {
            count: 1,
            size: self.batch_size,
        };
        let normalises = self.layers.iter().any(|layer| layer.batch_norm.is_some());
        if normalises {
            return whole;
        }
        let work = self.work_per_sample();
        (2..=self.training.threads.min(self.batch_size))
            .rev()
            .map(|threads| {
                let size = self.batch_size.div_ceil(threads);
                Shards {
                    count: self.batch_size.div_ceil(size),
                    size,
                }
            })
            .find(|shards| shards.size * work >= MIN_SHARD_WORK)
            .unwrap_or(whole)
    }

    /// Whether a step that splits ([`Spec::shards`]) splits each layer's units among its
    /// threads rather than its batch into shards (each thread then owns blocks of the inputs
    /// and of every layer's units, with their outgoing weights, and updates them, with any
    /// optimizer: every optimizer's update is element-wise): when every hidden layer is plain
    /// (no batch norm, dropout or residual connection), element-wise (not softmax), has at
    /// least [`MIN_SPLIT_UNITS`] units and a weight of at least 32 x 32 (where the runtime's
    /// register-tiled products start), and the output layer, which each thread computes for
    /// its shard of the samples, holds at most an eighth of the weights.
    pub fn splits_units(&self) -> bool {
        let Some((output, hidden)) = self.layers.split_last() else {
            return false;
        };
        let output_weight = self.layer_inputs(hidden.len()) * output.units;
        self.shards().split()
            && !hidden.is_empty()
            && hidden.iter().enumerate().all(|(index, layer)| {
                layer.batch_norm.is_none()
                    && layer.dropout == 0.0
                    && !layer.residual
                    && layer.activation != crate::Activation::Softmax
                    && layer.units >= MIN_SPLIT_UNITS
                    && self.layer_inputs(index) * layer.units >= 32 * 32
            })
            && output_weight * 8 <= self.work_per_sample()
    }

    /// The cost model's decision in words, for `mlp expand` and the generated docs.
    pub fn shards_decision(&self) -> String {
        let threads = self.training.threads;
        let shards = self.shards();
        let per_shard = |size: usize| format_work(size * self.work_per_sample());
        if self.splits_units() {
            return format!(
                "Training steps split each layer's units into {} parts, run on up to as many threads: each part owns a block of the inputs and of every layer's units with their outgoing weights, and computes its partial products, its units' sums of them and its weights' update for the whole batch of {}, so no weight moves between cores, and the output layer, loss and delta for its shard of the samples; {} multiply-adds per thread's share pay for a barrier between layers (the threshold is {}). The parts' sums fix the result: any number of threads gives the same bits.",
                shards.count,
                self.batch_size,
                per_shard(shards.size),
                format_work(MIN_SHARD_WORK),
            );
        }
        if shards.split() {
            return format!(
                "Training steps split each batch of {} into {} shards of {} samples, run on up to {threads} threads: {} multiply-adds per shard pay for the threads' synchronisation (the threshold is {}). Any number of threads gives the same bits.",
                self.batch_size,
                shards.count,
                shards.size,
                per_shard(shards.size),
                format_work(MIN_SHARD_WORK),
            );
        }
        if threads == 1 {
            return "Training steps run on one thread (`training.threads: 1`).".to_owned();
        }
        if self.layers.iter().any(|layer| layer.batch_norm.is_some()) {
            return format!(
                "Training steps run on one thread although `training.threads` is {threads}: batch norm's statistics span the whole batch."
            );
        }
        let size = self.batch_size.div_ceil(threads.min(self.batch_size));
        format!(
            "Training steps run on one thread although `training.threads` is {threads}: a shard of {size} samples would have {} multiply-adds, too few to pay for the threads' synchronisation (the threshold is {}).",
            per_shard(size),
            format_work(MIN_SHARD_WORK),
        )
    }
}

/// A count of multiply-adds, as `38 k` or `3.3 M`.
fn format_work(work: usize) -> String {
    match work {
        0..1_000 => work.to_string(),
        1_000..1_000_000 => format!("{:.0} k", work as f64 / 1e3),
        _ => format!("{:.1} M", work as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(sizes: &[usize], batch: usize, threads: usize, extra: &str) -> Spec {
        let layers: Vec<String> = sizes[1..]
            .iter()
            .map(|units| format!("  - {{units: {units}, activation: relu{extra}}}\n"))
            .collect();
        let yaml = format!(
            "input: {}\nlayers:\n{}  - {{units: 10, activation: softmax}}\nloss: cross_entropy\nbatch_size: {batch}\ntraining: {{threads: {threads}}}\n",
            sizes[0],
            layers.concat()
        );
        crate::parse(&yaml).unwrap()
    }

    #[test]
    fn small_networks_never_split() {
        let small = spec(&[64, 32], 32, 2, "");
        assert_eq!(small.shards(), Shards { count: 1, size: 32 });
        assert!(small.shards_decision().contains("38 k multiply-adds"));
        assert!(!spec(&[784, 128], 64, 1, "").shards().split());
    }

    #[test]
    fn large_products_split_into_one_shard_per_thread() {
        let mnist = spec(&[784, 128], 64, 2, "");
        assert_eq!(mnist.shards(), Shards { count: 2, size: 32 });
        assert!(mnist.shards_decision().contains("3.3 M multiply-adds"));
        // Three threads: shards of 22, 22 and 20 samples.
        let three = spec(&[784, 128], 64, 3, "");
        assert_eq!(three.shards(), Shards { count: 3, size: 22 });
        assert_eq!(
            (0..4)
                .map(|s| three.shards().samples(s, 64))
                .collect::<Vec<_>>(),
            [22, 22, 20, 0]
        );
        // As many threads as pay: shards of 4 or 10 samples of 784-128-10 would not.
        let many = spec(&[784, 128], 64, 16, "");
        assert_eq!(many.shards(), Shards { count: 6, size: 11 });
        assert_eq!(spec(&[256, 256, 256], 64, 2, "").shards().count, 2);
    }

    #[test]
    fn wide_plain_hidden_layers_split_by_units() {
        let mnist = spec(&[784, 128], 64, 2, "");
        assert!(mnist.splits_units());
        assert!(
            mnist
                .shards_decision()
                .contains("split each layer's units into 2 parts")
        );
        assert!(spec(&[256, 256, 256], 64, 3, "").splits_units());
        // Dropout, a narrow hidden layer, or no split at all: shards of the batch, or none.
        assert!(!spec(&[784, 128], 64, 2, ", dropout: 0.2").splits_units());
        assert!(spec(&[784, 128], 64, 2, ", dropout: 0.2").shards().split());
        assert!(!spec(&[784, 128, 32], 64, 2, "").splits_units());
        assert!(!spec(&[784, 128], 64, 1, "").splits_units());
        assert!(!spec(&[64, 32], 32, 2, "").splits_units());
        // Any optimizer: each part updates its own weights.
        for optimizer in crate::Optimizer::ALL {
            let mut spec = spec(&[784, 128], 64, 2, "");
            spec.optimizer = optimizer;
            assert!(spec.splits_units(), "{optimizer:?}");
        }
    }

    #[test]
    fn batch_norm_never_splits() {
        let normalised = spec(&[784, 128], 64, 2, ", batch_norm: true");
        assert!(!normalised.shards().split());
        assert!(normalised.shards_decision().contains("batch norm"));
    }
}
