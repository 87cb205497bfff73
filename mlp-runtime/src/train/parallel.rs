//! Data-parallel training steps: a batch's shards ([`Model::shards`]) on the trainer's
//! threads, each a forward and backward pass into a gradient buffer of its own; then their
//! gradients summed in shard order and the optimizer's update, both by parts of the
//! parameters on the same threads.
//!
//! The shard count fixes every sum: shard `s` always holds the same samples, and each
//! gradient element is `((f_0 g_0 + f_1 g_1) + f_2 g_2) + ...` with `f_s` the shard's share
//! of the batch's mean, whichever thread computed which shard or part. So a run gives the same
//! bits on any number of threads, one included.

use mlp_spec::{ParamSegment, Shards};

use super::{Trainer, update_from_whole_gradient};
use crate::float::Float;
use crate::layer::{Mode, step_seed};
use crate::model::Model;
use crate::pool::Pool;
use crate::regularization::penalty;

/// The threads of a trainer whose model splits its steps, and each shard's buffers.
pub(super) struct DataParallel<N: Model> {
    pool: Pool,
    shards: Shards,
    /// Each shard's workspace.
    workspaces: Vec<N::Workspace>,
    /// Each shard's gradient; the first holds their sum after the step.
    grads: Vec<Box<[N::Float]>>,
    /// Each shard's mean loss and share of the batch's mean (0 for a shard without samples).
    results: Vec<(N::Float, f64)>,
    /// Each shard's factor in the batch's mean: its share over the shares' sum.
    factors: Vec<N::Float>,
}

impl<N: Model> DataParallel<N> {
    /// Buffers and up to `threads` threads for the steps of `network`, or `None` when its
    /// steps do not split.
    pub(super) fn new(network: &N, threads: usize) -> Option<Self> {
        let shards = network.shards();
        if !shards.split() {
            return None;
        }
        let zeros = |len| vec![<N::Float as Default>::default(); len].into_boxed_slice();
        let count = shards.count;
        Some(DataParallel {
            pool: Pool::new(threads.clamp(1, count)),
            shards,
            workspaces: (0..count).map(|_| network.workspace()).collect(),
            grads: (0..count).map(|_| zeros(network.params().len())).collect(),
            results: vec![(<N::Float as Default>::default(), 0.0); count],
            factors: vec![<N::Float as Default>::default(); count],
        })
    }

    /// The threads steps run on, the caller's included.
    pub(super) fn threads(&self) -> usize {
        self.pool.threads()
    }

    /// Makes the shards' losses weigh classes by `weights`.
    pub(super) fn set_class_weights(&mut self, network: &N, weights: &[f64]) {
        for workspace in &mut self.workspaces {
            network.set_class_weights(workspace, weights);
        }
    }

    /// Every shard's forward and backward pass over its samples of the `count` in `inputs`
    /// and `targets`, training with dropout masks from `seed` (each shard its own); returns
    /// the batch's mean loss, without the penalties.
    fn backward(
        &mut self,
        network: &N,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        seed: u64,
    ) -> N::Float {
        let (shards, input, output) = (self.shards, network.input_size(), network.output_size());
        let jobs = self
            .workspaces
            .iter_mut()
            .zip(self.grads.iter_mut())
            .zip(self.results.iter_mut())
            .enumerate();
        self.pool
            .for_each(jobs, |(index, ((workspace, grads), result))| {
                let samples = shards.samples(index, count);
                if samples == 0 {
                    *result = (<N::Float as Default>::default(), 0.0);
                    return;
                }
                let first = index * shards.size;
                let inputs = &inputs[first * input..(first + samples) * input];
                let targets = &targets[first * output..(first + samples) * output];
                let mode = Mode::Train {
                    seed: step_seed(seed, index as u64),
                };
                network.set_mode(workspace, mode);
                *result = network.backward_shard(workspace, inputs, targets, samples, grads);
            });
        let total: f64 = self.results.iter().map(|&(_, share)| share).sum();
        for (factor, &(_, share)) in self.factors.iter_mut().zip(&self.results) {
            *factor = share_factor(share, total);
        }
        mean_loss(self.results.iter().copied())
    }

    /// Sums the shards' gradients into the first shard's buffer, by parts on the threads,
    /// and returns it.
    fn sum(&mut self) -> &mut [N::Float] {
        let (first, rest) = self
            .grads
            .split_first_mut()
            .expect("a split step has shards");
        let length = first.len().div_ceil(self.pool.threads());
        let (rest, factors) = (&*rest, &self.factors[..]);
        self.pool
            .for_each(first.chunks_mut(length).enumerate(), |(index, grads)| {
                sum_part(index * length, grads, factors, rest);
            });
        first
    }
}

/// The factor of a shard (or of a part's samples, in a step split by units) in the batch's
/// mean: its share of the batch ([`crate::loss::share`]) over the shares' sum.
pub(super) fn share_factor<T: Float>(share: f64, total: f64) -> T {
    T::cast(share / total)
}

/// The batch's mean loss from its shards' mean losses and shares, in shard order:
/// `f_0 l_0 + f_1 l_1 + ...` with [`share_factor`]s, shards without samples left out.
pub(super) fn mean_loss<T: Float>(results: impl Iterator<Item = (T, f64)> + Clone) -> T {
    let total: f64 = results.clone().map(|(_, share)| share).sum();
    results
        .filter(|&(_, share)| share > 0.0)
        .fold(T::zero(), |mean, (loss, share)| {
            mean + share_factor::<T>(share, total) * loss
        })
}

/// The first shard's gradient `grads` (from position `start`) times its factor, plus each
/// other shard's gradient there times its factor, in shard order.
#[inline]
fn sum_part<T: Float>(start: usize, grads: &mut [T], factors: &[T], rest: &[Box<[T]>]) {
    for g in grads.iter_mut() {
        *g *= factors[0];
    }
    for (&factor, other) in factors[1..].iter().zip(rest) {
        if factor == T::zero() {
            continue;
        }
        let other = &other[start..start + grads.len()];
        for (g, &other) in grads.iter_mut().zip(other) {
            *g += factor * other;
        }
    }
}

impl<N: Model> Trainer<N> {
    /// [`Trainer::step`] for a model whose steps split: the shards on the threads, then the
    /// update. With penalties, clipping or diagnostics, which need the whole gradient, the
    /// update runs on the calling thread; otherwise each thread sums and updates a part of
    /// the parameters at once.
    pub(super) fn split_step(
        &mut self,
        network: &mut N,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        lr: f64,
    ) -> Result<N::Float, super::TrainError> {
        let whole = self.needs_whole_gradient();
        let parallel = self.parallel.as_mut().expect("split steps have threads");
        let seed = step_seed(self.state.mask_seed(), self.state.optimizer.steps());
        let regularization = self.state.regularization;
        let loss = parallel.backward(network, inputs, targets, count, seed)
            + penalty(network.params(), &self.layout, &regularization);
        if !loss.as_f64().is_finite() {
            return Err(super::not_finite(network, loss, inputs, targets, count));
        }
        if whole {
            let (params, grads) = (network.params_mut(), parallel.sum());
            let (config, diagnostics) = (&self.config, &mut self.diagnostics);
            update_from_whole_gradient(
                &mut self.state,
                config,
                diagnostics,
                &self.layout,
                params,
                grads,
                lr,
            );
        } else {
            sum_and_update(
                parallel,
                &mut self.state.optimizer,
                network,
                &self.layout,
                lr,
            );
        }
        Ok(loss)
    }
}

/// Sums the shards' gradients and updates the parameters with them, each thread a part.
fn sum_and_update<N: Model>(
    parallel: &mut DataParallel<N>,
    optimizer: &mut crate::optim::Optimizer<N::Float>,
    network: &mut N,
    layout: &[ParamSegment],
    lr: f64,
) {
    let DataParallel {
        pool,
        grads,
        factors,
        ..
    } = parallel;
    let (first, rest) = grads.split_first_mut().expect("a split step has shards");
    let (rest, factors) = (&*rest, &factors[..]);
    let (rule, parts) = optimizer.parts(network.params_mut(), first, pool.threads());
    pool.for_each(parts, |(part, grads)| {
        sum_part(part.start(), grads, factors, rest);
        part.update(rule, grads, layout, lr);
    });
}
