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
//! 2. its share of the samples' columns of the output layer's `z` and `a`;
//! 3. thread 0 alone: the loss and the output layer's delta;
//! 4. the rows of the last hidden layer's delta that it owns, from their columns of the
//!    output weight (a layer too small for the tiled kernels: thread 0 computes all of it, and
//!    the others wait), then the gradient or SGD update of those columns of the output weight
//!    (and, thread 0, of its bias);
//! 5. from the last hidden layer `l` down: its delta's product with `W_l` into the rows of the
//!    layer below's delta that the thread owns (columns of `W_l`, read by all), then after the
//!    barrier its own rows of `W_l`'s gradient or SGD update (which no thread reads any
//!    more).
//!
//! Every block's products take the kernels of the whole layer's, which compute each value the
//! same way in a block as in the whole (a block of samples is never a single sample, whose
//! product takes other kernels), so a step gives the bits of the step that does not split, on
//! any number of threads. Specs train this way with plain SGD only ([`Spec::splits_units`]);
//! another optimizer (set by a `TrainConfig`) gets the gradient, and updates on the calling
//! thread.
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
use crate::kernels::Shape;
use crate::kernels::dense::{self, ColumnBlock, RowBlock};
use crate::kernels::tiled;
use crate::layer::Dense;
use crate::lines::Lines;
use crate::loss::Head;
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

/// The most units [`block`] gives a thread of a layer of `units`.
fn block_len(units: usize, threads: usize) -> usize {
    block(units, 0, threads).len()
}

/// The samples of the output layer's forward pass that thread `thread` of `threads` computes:
/// equal shares of at least two, a last sample left alone going to the share before, so
/// that no share is a one-sample product (which takes other kernels than a batch's).
fn samples(columns: usize, thread: usize, threads: usize) -> Range<usize> {
    let share = columns.div_ceil(threads).max(2);
    let start = (thread * share).min(columns);
    let mut end = (start + share).min(columns);
    if columns - end == 1 {
        end = columns;
    }
    if end - start == 1 {
        start..start
    } else {
        start..end
    }
}

/// The threads and buffers of a trainer whose steps split by units.
pub(super) struct UnitSplit<T> {
    pool: Pool,
    barrier: Barrier,
    plan: Plan,
    /// The tape of a full batch.
    tape: Lines<T>,
    /// Each thread's rows of the last hidden layer's activations, gathered for its block of
    /// the output weight's columns: a full batch's, one after another.
    gathered: Lines<T>,
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
        let last_units = plan.output.inputs;
        let gathered = threads * block_len(last_units, threads) * spec.batch_size;
        let mut split = UnitSplit {
            pool: Pool::new(threads),
            barrier: Barrier::new(threads),
            tape: Lines::zeros(plan.tape_len(spec.batch_size)),
            gathered: Lines::zeros(gathered),
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
            gathered: Shared::new(&mut self.gathered),
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
    gathered: Shared<'s, T>,
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
        self.output_forward(thread);
        self.barrier.wait();
        if thread == 0 {
            self.output_delta();
        }
        self.barrier.wait();
        if self.diverged.load(Ordering::Relaxed) {
            return;
        }
        let hidden = &self.plan.hidden;
        let last = hidden
            .last()
            .expect("a step split by units has hidden layers");
        if !self.propagate(&self.plan.output, last, thread) {
            self.barrier.wait();
        }
        self.output_update(thread);
        for (l, layer) in hidden.iter().enumerate().rev() {
            if let Some(below) = l.checked_sub(1).map(|b| &hidden[b]) {
                self.propagate(&layer.dense, below, thread);
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

    /// Phase 2: the thread's share of the samples' columns of the output layer's `z = W x + b`
    /// and of its head's `a`.
    fn output_forward(&self, thread: usize) {
        let (plan, c) = (self.plan, self.columns);
        let dense = &plan.output;
        let samples = samples(c, thread, self.threads);
        if samples.is_empty() {
            return;
        }
        let (i, o) = (dense.inputs, dense.units);
        let places = Places::of(dense, c);
        let shape = Shape {
            inputs: nalgebra::Dyn(i),
            units: nalgebra::Dyn(o),
            columns: nalgebra::Dyn(samples.len()),
        };
        let part = |start: usize| start + samples.start * o..start + samples.end * o;
        // SAFETY: in this phase, threads write only their own columns of the output layer's
        // `z` and `a`, and read the parameters and the last hidden layer's activations, which
        // no one writes.
        unsafe {
            let params = self.params.get(places.weight..places.bias + o);
            let x = &self.input(dense, &places)[samples.start * i..samples.end * i];
            let z = self.tape.get_mut(part(places.z));
            dense::forward(shape, params, x, z);
            let a = self.tape.get_mut(part(places.a));
            plan.head.activate(nalgebra::Dyn(o), z, a);
        }
    }

    /// Phase 3, on thread 0: the loss and the output layer's delta.
    fn output_delta(&self) {
        let c = self.columns;
        // SAFETY: the other threads wait at the barrier, holding no part of any buffer.
        let tape = unsafe { self.tape.get_mut(0..self.tape.len()) };
        let output = Dense::output(self.plan, c);
        let loss = output.loss(tape, self.targets, c);
        self.loss.store(loss.as_f64().to_bits(), Ordering::Relaxed);
        if !loss.as_f64().is_finite() {
            self.diverged.store(true, Ordering::Relaxed);
            return;
        }
        output.delta(tape, self.targets, c);
    }

    /// Phase 4's second half: the gradient or SGD update of the output weight's columns of
    /// the thread's units of the last hidden layer and, on thread 0, of the output bias.
    fn output_update(&self, thread: usize) {
        let dense = &self.plan.output;
        let (i, o, c) = (dense.inputs, dense.units, self.columns);
        let cols = block(i, thread, self.threads);
        let places = Places::of(dense, c);
        let block = ColumnBlock {
            inputs: i,
            units: o,
            columns: c,
            cols: cols.clone(),
        };
        let bias = places.bias..places.bias + o;
        // SAFETY: in this phase, threads write only their own columns of the output weight
        // and its gradient (which no one reads any more), thread 0 alone the output bias and
        // its gradient, and each its own part of `gathered`; they read the output layer's
        // delta and the last hidden layer's activations, which no one writes.
        unsafe {
            let delta = self.tape.get(places.d..places.d + o * c);
            if !cols.is_empty() {
                let x = self.input(dense, &places);
                let slot = thread * block_len(i, self.threads) * c;
                let gathered = self.gathered.get_mut(slot..slot + cols.len() * c);
                for (column, rows) in gathered.chunks_exact_mut(cols.len()).enumerate() {
                    rows.copy_from_slice(&x[column * i + cols.start..column * i + cols.end]);
                }
                let weight = places.weight + cols.start * o..places.weight + cols.end * o;
                let grad = self.grads.get_mut(weight.clone());
                match self.update {
                    Update::Descend(lr) => {
                        let lr = T::cast(lr * dense.lr_scale);
                        block.descend(delta, gathered, self.params.get_mut(weight), grad, lr);
                    }
                    Update::Gradient => block.gradient(delta, gathered, grad),
                }
            }
            if thread == 0 {
                let grad = self.grads.get_mut(bias.clone());
                match self.update {
                    Update::Descend(lr) => {
                        let lr = T::cast(lr * dense.lr_scale);
                        block.bias_descend(delta, self.params.get_mut(bias), grad, lr);
                    }
                    Update::Gradient => block.bias_gradient(delta, grad),
                }
            }
        }
    }

    /// Phase 4's (or 5's) first half for layer `dense`: `W^T d` into the thread's rows of the
    /// layer below's delta, turned into the below's `dL/dz` by its activation. A layer whose
    /// input gradient the tiled kernels do not take (a small output layer) has it computed
    /// whole, by thread 0: returns whether the threads split it, and if not, the others must
    /// wait for thread 0 before reading the delta.
    fn propagate(&self, dense: &mlp_spec::Dense, below: &Hidden, thread: usize) -> bool {
        let (i, o, c) = (dense.inputs, dense.units, self.columns);
        let split = tiled(i, o * i, c);
        // The block of the layer's inputs: the layer below's units.
        let block = RowBlock {
            inputs: i,
            units: o,
            columns: c,
            rows: match (split, thread) {
                (true, _) => block(i, thread, self.threads),
                (false, 0) => 0..i,
                (false, _) => 0..0,
            },
        };
        let rows = &block.rows;
        if rows.is_empty() {
            return split;
        }
        let (places, under) = (Places::of(dense, c), Places::of(&below.dense, c));
        // SAFETY: in this phase, threads read this layer's delta and weight, which no one
        // writes, and write only their own rows of the layer below's delta (reading their own
        // rows of its `z` and `a`).
        unsafe {
            let weight = places.weight + rows.start * o..places.weight + rows.end * o;
            let weight = self.params.get(weight);
            let delta = self.tape.get(places.d..places.d + o * c);
            let g = self.tape.get_mut(Self::span(under.d, i, i * c, rows));
            if split {
                block.backward_inputs(weight, delta, g);
            } else {
                let shape = Shape {
                    inputs: nalgebra::Dyn(i),
                    units: nalgebra::Dyn(o),
                    columns: nalgebra::Dyn(c),
                };
                dense::backward_inputs(shape, weight, delta, g);
            }
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
        split
    }

    /// Phase 5's second half: the gradient or SGD update of the thread's rows of a hidden
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
        let plain_sgd = matches!(self.state.optimizer.spec(), OptimizerSpec::Sgd { .. });
        let whole = !plain_sgd || self.needs_whole_gradient();
        let penalty = penalty(network.params(), &self.layout, &self.state.regularization);
        let units = self
            .units
            .as_mut()
            .expect("steps split by units have threads");
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

    #[test]
    fn shares_of_samples_cover_the_batch_once_and_none_is_one_sample() {
        for columns in 2..=70 {
            for threads in 1..=4 {
                let shares: Vec<_> = (0..threads).map(|t| samples(columns, t, threads)).collect();
                let mut next = 0;
                for share in shares.iter().filter(|share| !share.is_empty()) {
                    assert_eq!(share.start, next, "{columns} samples, {threads} threads");
                    assert!(share.len() >= 2, "{columns} samples, {threads} threads");
                    next = share.end;
                }
                assert_eq!(next, columns, "{columns} samples, {threads} threads");
            }
        }
        assert_eq!(samples(64, 1, 2), 32..64);
        assert_eq!(samples(3, 0, 2), 0..3);
        assert!(samples(3, 1, 2).is_empty());
    }
}
