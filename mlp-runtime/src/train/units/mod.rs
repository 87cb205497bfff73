//! Training steps split by units ([`Spec::splits_units`]): every thread runs the whole batch
//! through its block of each hidden layer's units, forward, backward and update, so that each
//! weight's rows stay in one core's cache from step to step.
//!
//! A step is one [`Pool::broadcast`] job. Thread `t` owns the block [`block`] gives it of each
//! hidden layer's rows: of the weight, the bias and their gradients, and of the layer's
//! pre-activations, activations and deltas in the tape. In order, with a barrier after each
//! numbered phase:
//!
//! 1. for each hidden layer, its rows of `z = W x + b` and `a = f(z)`;
//! 2. thread 0 alone: the output layer's product, loss, delta, the last hidden layer's whole
//!    delta, and the output layer's gradient or update;
//! 3. from the last hidden layer `l` down: its delta's product with `W_l` into the rows of the
//!    layer below's delta that the thread owns (columns of `W_l`, read by all), then after the
//!    barrier its own rows of `W_l`'s gradient or SGD update (which no thread reads any
//!    more).
//!
//! The tiled products compute each value the same way in a block as in the whole layer, so a
//! step gives the bits of the step that does not split, on any number of threads. Specs train
//! this way with plain SGD only ([`Spec::splits_units`]); another optimizer (set by a
//! `TrainConfig`) gets the gradient, and updates on the calling thread.
//!
//! With `pool`, `kernels/dispatch` and [`shared`], one of the modules with `unsafe`: each
//! borrow of a part of a shared buffer follows the phase rule above, stated where it is made.
#![allow(unsafe_code)]

mod shared;

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use mlp_spec::{Hidden, Optimizer as OptimizerSpec, Plan, Spec};

use super::{TrainError, Trainer, update_from_whole_gradient};

use crate::activation::Activation;
use crate::float::Float;
use crate::kernels::dense::RowBlock;
use crate::layer::{Dense, Pass};
use crate::lines::Lines;
use crate::loss::Targets;
use crate::model::Model;
use crate::pool::{Barrier, Pool};
use crate::regularization::penalty;
use shared::Shared;

/// The units of a block: the widest register tile's rows, so that each thread's block is
/// whole tiles (and whole cache lines of `f32`).
const BLOCK_UNITS: usize = 32;

/// The units of a layer of `units` that thread `thread` of `threads` owns: equal blocks of
/// whole [`BLOCK_UNITS`], the last thread's shorter (or empty, with more threads than
/// blocks).
fn block(units: usize, thread: usize, threads: usize) -> Range<usize> {
    let share = units.div_ceil(threads).div_ceil(BLOCK_UNITS) * BLOCK_UNITS;
    let start = (thread * share).min(units);
    start..(start + share).min(units)
}

/// The threads and buffers of a trainer whose steps split by units.
pub(super) struct UnitSplit<T> {
    pool: Pool,
    barrier: Barrier,
    plan: Plan,
    /// The tape of a full batch.
    tape: Lines<T>,
    /// The weights of the classes in the loss; empty for none.
    class_weights: Box<[T]>,
}

/// What a step does with the gradient of each block.
#[derive(Clone, Copy, Debug)]
pub(super) enum Update {
    /// Plain SGD with this learning rate, fused into the backward pass: no weight's gradient
    /// is stored.
    Descend(f64),
    /// Nothing: the gradient lands in the step's buffer, for an update that needs all of it
    /// (penalties, clipping, diagnostics).
    Gradient,
}

impl<T: Float> UnitSplit<T> {
    /// Threads and buffers for the steps of `spec`'s network on up to `threads` threads, or
    /// `None` when its steps do not split by units.
    pub(super) fn new(spec: &Spec, threads: usize) -> Option<Self> {
        if !spec.splits_units() {
            return None;
        }
        let plan = spec.plan();
        let threads = threads.clamp(1, spec.shards().count);
        let mut split = UnitSplit {
            pool: Pool::new(threads),
            barrier: Barrier::new(threads),
            tape: Lines::zeros(plan.tape_len(spec.batch_size)),
            class_weights: Box::default(),
            plan,
        };
        split.set_class_weights(spec.training.given_class_weights());
        Some(split)
    }

    /// The threads steps run on, the caller's included.
    pub(super) fn threads(&self) -> usize {
        self.pool.threads()
    }

    /// Makes the steps' losses weigh classes by `weights` (empty for none).
    pub(super) fn set_class_weights(&mut self, weights: &[f64]) {
        self.class_weights = weights.iter().map(|&w| T::cast(w)).collect();
    }

    /// One step over `count` samples (at least 2: one sample takes the small kernels, whose
    /// rows do not split): the gradient of the batch's mean loss, used as `update` says, into
    /// `params` and `grads` (the network's flat buffers). Returns the loss, without penalties;
    /// when it is not finite, nothing is updated.
    #[allow(clippy::too_many_arguments)] // The buffers, the batch and what to do with it.
    pub(super) fn step(
        &mut self,
        params: &mut [T],
        grads: &mut [T],
        inputs: &[T],
        targets: &[T],
        count: usize,
        update: Update,
    ) -> T {
        assert!(
            count >= 2,
            "a step split by units takes at least two samples"
        );
        let outputs = self.plan.output.units;
        let step = Step {
            plan: &self.plan,
            barrier: &self.barrier,
            threads: self.pool.threads(),
            params: Shared::new(params),
            grads: Shared::new(grads),
            tape: Shared::new(&mut self.tape),
            inputs: &inputs[..self.plan.hidden[0].dense.inputs * count],
            targets: Targets {
                values: &targets[..outputs * count],
                class_weights: &self.class_weights,
            },
            columns: count,
            update,
            loss: AtomicU64::new(0),
            diverged: AtomicBool::new(false),
        };
        self.pool.broadcast(|thread| step.run(thread));
        T::cast(f64::from_bits(step.loss.load(Ordering::Relaxed)))
    }
}

/// One step's buffers and settings, shared by its threads.
struct Step<'s, T> {
    plan: &'s Plan,
    barrier: &'s Barrier,
    threads: usize,
    params: Shared<'s, T>,
    grads: Shared<'s, T>,
    tape: Shared<'s, T>,
    inputs: &'s [T],
    targets: Targets<'s, T>,
    columns: usize,
    update: Update,
    /// The loss's bits as `f64`, from thread 0.
    loss: AtomicU64,
    /// Set by thread 0 when the loss is not finite: no thread then updates anything.
    diverged: AtomicBool,
}

/// Where a layer's matrices start: in the flat parameters, and in the tape for `columns`
/// samples.
struct Places {
    weight: usize,
    bias: usize,
    z: usize,
    a: usize,
    d: usize,
    /// Where the layer's input starts in the tape (`None`: the step's inputs).
    input: Option<usize>,
}

impl Places {
    fn of(dense: &mlp_spec::Dense, columns: usize) -> Self {
        let (i, o) = (dense.inputs, dense.units);
        let z = 3 * columns * dense.tape;
        Places {
            weight: dense.params,
            bias: dense.params + o * i,
            z,
            a: z + o * columns,
            d: z + 2 * o * columns,
            input: (dense.tape > 0).then(|| z - 2 * i * columns),
        }
    }
}

impl<T: Float> Step<'_, T> {
    /// Thread `thread`'s part of the step (see the module docs).
    fn run(&self, thread: usize) {
        let _poison = self.barrier.poison_on_panic();
        for hidden in &self.plan.hidden {
            self.forward(hidden, thread);
            self.barrier.wait();
        }
        if thread == 0 {
            self.output();
        }
        self.barrier.wait();
        if self.diverged.load(Ordering::Relaxed) {
            return;
        }
        let hidden = &self.plan.hidden;
        for (l, layer) in hidden.iter().enumerate().rev() {
            if let Some(below) = l.checked_sub(1).map(|b| &hidden[b]) {
                self.propagate(layer, below, thread);
                self.barrier.wait();
            }
            self.update(&layer.dense, self.block(&layer.dense, thread));
        }
    }

    /// The thread's block of a layer's units.
    fn block(&self, dense: &mlp_spec::Dense, thread: usize) -> RowBlock {
        RowBlock {
            inputs: dense.inputs,
            units: dense.units,
            columns: self.columns,
            rows: block(dense.units, thread, self.threads),
        }
    }

    /// The part of `len` values of a column-major matrix with `height` rows, starting at
    /// `start`, that holds `rows` of every column.
    fn span(start: usize, height: usize, len: usize, rows: &Range<usize>) -> Range<usize> {
        let columns = len / height;
        start + rows.start..start + rows.start + (columns - 1) * height + rows.len()
    }

    /// The layer's input for the step: the step's inputs, or the layer below's activations.
    ///
    /// # Safety
    ///
    /// No thread writes the input while the slice lives.
    unsafe fn input(&self, dense: &mlp_spec::Dense, places: &Places) -> &[T] {
        let len = dense.inputs * self.columns;
        match places.input {
            // SAFETY: as the caller promises.
            Some(start) => unsafe { self.tape.get(start..start + len) },
            None => self.inputs,
        }
    }

    /// Phase 1 for one hidden layer: the thread's rows of `z = W x + b` and `a = f(z)`.
    fn forward(&self, hidden: &Hidden, thread: usize) {
        let dense = &hidden.dense;
        let block = self.block(dense, thread);
        if block.rows.is_empty() {
            return;
        }
        let (i, o, c, rows) = (dense.inputs, dense.units, self.columns, &block.rows);
        let places = Places::of(dense, c);
        // SAFETY: in this phase, threads write only their own rows of this layer's `z` and `a`
        // (and read the parameters and the layer below's activations, which no one writes).
        unsafe {
            let weight = self.params.get(Self::span(places.weight, o, o * i, rows));
            let bias = self
                .params
                .get(places.bias + rows.start..places.bias + rows.end);
            let x = self.input(dense, &places);
            let z = self.tape.get_mut(Self::span(places.z, o, o * c, rows));
            block.forward(weight, x, z);
            block.add_bias(z, bias);
            for column in 0..c {
                let part = column * o..column * o + rows.len();
                let start = places.a + rows.start + column * o;
                let a = self.tape.get_mut(start..start + rows.len());
                hidden
                    .activation
                    .forward(nalgebra::Dyn(rows.len()), &z[part], a);
            }
        }
    }

    /// Phase 2, on thread 0: the output layer's forward pass, the loss, the delta of the
    /// output layer and of the last hidden one, and the output layer's gradient or update.
    fn output(&self) {
        let (plan, c) = (self.plan, self.columns);
        // SAFETY: the other threads wait at the barrier, holding no part of any buffer.
        let (params, tape, grads) = unsafe {
            (
                self.params.get_mut(0..self.params.len()),
                self.tape.get_mut(0..self.tape.len()),
                self.grads.get_mut(0..self.grads.len()),
            )
        };
        let output = Dense::output(plan, c);
        output.forward_head(params, self.inputs, tape);
        let loss = output.loss(tape, self.targets, c);
        self.loss.store(loss.as_f64().to_bits(), Ordering::Relaxed);
        if !loss.as_f64().is_finite() {
            self.diverged.store(true, Ordering::Relaxed);
            return;
        }
        output.delta(tape, self.targets, c);
        if let Some(last) = plan.hidden.last() {
            let last = Dense::hidden(plan, last, c);
            output.propagate(&last, params, tape, Pass::eval(c));
        }
        match self.update {
            Update::Descend(lr) => {
                output.descend(params, self.inputs, tape, grads, lr * plan.output.lr_scale);
            }
            Update::Gradient => output.gradients(params, self.inputs, tape, grads, Pass::eval(c)),
        }
    }

    /// Phase 3's first half for hidden layer `layer`: `W^T d` into the thread's rows of the
    /// layer below's delta, turned into the below's `dL/dz` by its activation.
    fn propagate(&self, layer: &Hidden, below: &Hidden, thread: usize) {
        let dense = &layer.dense;
        let (o, c) = (dense.units, self.columns);
        // The block of the layer's inputs: the layer below's units.
        let block = RowBlock {
            inputs: dense.inputs,
            units: o,
            columns: c,
            rows: block(dense.inputs, thread, self.threads),
        };
        let rows = &block.rows;
        if rows.is_empty() {
            return;
        }
        let (places, under) = (Places::of(dense, c), Places::of(&below.dense, c));
        let i = dense.inputs;
        // SAFETY: in this phase, threads read this layer's delta and weight, which no one
        // writes, and write only their own rows of the layer below's delta (reading their own
        // rows of its `z` and `a`).
        unsafe {
            let weight = places.weight + rows.start * o..places.weight + rows.end * o;
            let weight = self.params.get(weight);
            let delta = self.tape.get(places.d..places.d + o * c);
            let g = self.tape.get_mut(Self::span(under.d, i, i * c, rows));
            block.backward_inputs(weight, delta, g);
            for column in 0..c {
                let start = rows.start + column * i;
                let part = start..start + rows.len();
                let z = self.tape.get(under.z + part.start..under.z + part.end);
                let a = self.tape.get(under.a + part.start..under.a + part.end);
                let g = &mut g[column * i..column * i + rows.len()];
                below
                    .activation
                    .backward(nalgebra::Dyn(rows.len()), z, a, g);
            }
        }
    }

    /// Phase 3's second half: the gradient or SGD update of the thread's rows of a hidden
    /// layer.
    fn update(&self, dense: &mlp_spec::Dense, block: RowBlock) {
        let rows = &block.rows;
        if rows.is_empty() {
            return;
        }
        let (i, o, c) = (dense.inputs, dense.units, self.columns);
        let places = Places::of(dense, c);
        let weight = Self::span(places.weight, o, o * i, rows);
        let bias = places.bias + rows.start..places.bias + rows.end;
        // SAFETY: in this phase, threads write only their own rows of this layer's parameters
        // and gradients (which no one reads any more), and read their own rows of its delta
        // and its input, which no one writes.
        unsafe {
            let delta = self.tape.get(Self::span(places.d, o, o * c, rows));
            let x = self.input(dense, &places);
            let (weight_grad, bias_grad) = (
                self.grads.get_mut(weight.clone()),
                self.grads.get_mut(bias.clone()),
            );
            match self.update {
                Update::Descend(lr) => {
                    let (weight, bias) = (self.params.get_mut(weight), self.params.get_mut(bias));
                    let lr = T::cast(lr * dense.lr_scale);
                    block.descend(delta, x, weight, bias, weight_grad, bias_grad, lr);
                }
                Update::Gradient => block.gradient(delta, x, weight_grad, bias_grad),
            }
        }
    }
}

impl<N: Model> Trainer<N> {
    /// [`Trainer::step`] for a model whose steps split by units (it trains with plain SGD), on
    /// at least two samples. With penalties, clipping or diagnostics, which need the whole
    /// gradient, the update runs on the calling thread after the threads' passes; otherwise
    /// each thread updates its own rows in its backward pass.
    pub(super) fn unit_step(
        &mut self,
        network: &mut N,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        lr: f64,
    ) -> Result<N::Float, TrainError> {
        let units = self
            .units
            .as_mut()
            .expect("steps split by units have threads");
        let regularization = self.state.regularization;
        let clip = self.config.training.clip_grad_norm;
        let plain_sgd = matches!(self.state.optimizer.spec(), OptimizerSpec::Sgd { .. });
        let whole =
            !plain_sgd || regularization.is_active() || clip.is_some() || self.config.diagnostics;
        let penalty = penalty(network.params(), &self.layout, &regularization);
        let (params, grads) = (network.params_mut(), &mut self.grads[..]);
        let update = if whole {
            Update::Gradient
        } else {
            Update::Descend(lr)
        };
        let loss = units.step(params, grads, inputs, targets, count, update) + penalty;
        if !loss.as_f64().is_finite() {
            return Err(TrainError::StepDiverged {
                loss: loss.as_f64(),
            });
        }
        if !whole {
            self.state.optimizer.count_step();
            return Ok(loss);
        }
        let (params, grads) = (network.params_mut(), &mut self.grads[..]);
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
        Ok(loss)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_units_once_in_whole_tiles() {
        for (units, threads) in [(128, 2), (256, 3), (64, 2), (100, 3), (70, 4), (64, 5)] {
            let blocks: Vec<_> = (0..threads).map(|t| block(units, t, threads)).collect();
            let mut next = 0;
            for block in &blocks {
                assert_eq!(
                    block.start,
                    next.min(units),
                    "{units} units, {threads} threads"
                );
                assert!(block.start.is_multiple_of(BLOCK_UNITS) || block.is_empty());
                next = block.end;
            }
            assert_eq!(next, units);
        }
        assert_eq!(block(128, 1, 2), 64..128);
        assert_eq!(block(256, 2, 3), 192..256);
    }
}
