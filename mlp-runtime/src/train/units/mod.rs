//! Training steps split by units ([`Spec::splits_units`]): the step's threads share out the
//! units of every layer, and each owns its units' outgoing weights, so that every weight is
//! read and written by one core only, from step to step, in one contiguous run of memory.
//!
//! The step's parts are the spec's shards ([`Plan::shards`]), fixed at compile time; thread
//! `t` of `T` takes parts `t, t + T, ...`. Part `p` owns the block [`input_block`] gives it
//! of each layer's inputs (the input features, or the units of the layer below): the
//! weight's columns of those inputs (contiguous in the column-major weight), and of each
//! hidden layer's units their rows of `z`, `a` and the delta, and their biases. Every hidden
//! layer but the last keeps those rows by parts ([`by_parts`]): each part's rows of each of
//! its matrices are a matrix of their own, so that no thread writes next to another's rows,
//! which costs both more than the data they exchange. A part also owns the samples of its
//! shard of the batch, for the output layer, which is small (the cost model splits by units
//! only when the output weight is at most an eighth of the network's). A step, with a
//! barrier after each numbered phase:
//!
//! 1. for each hidden layer, each part's partial product `P_p = W[:, in_p] x[in_p]` over
//!    the whole batch (the tiled kernels read the part's rows of the input where they are,
//!    its own block of the layer below's; for the small kernels the first layer's are
//!    gathered next to each other, and kept for the update);
//!    then, but for the last hidden layer, each part's rows of `z = (P_0 + P_1 + ...) + b`
//!    and `a = f(z)`, which are the next layer's input rows of the same part (so no barrier
//!    is needed before the next layer's product);
//! 2. each part's samples, all of it in one go: the last hidden layer's `z` and `a` (the
//!    sums of all the parts' products for those samples), the output layer's product, its
//!    head's output, the part's mean loss and delta (weighed by its share of the batch, as a
//!    shard's), and the last hidden layer's delta, `W^T d`. No thread waits while another
//!    computes the loss, and every thread runs the output layer's small products on its
//!    own samples;
//! 3. the batch's loss from the parts' (every thread computes it, and none goes on if it is
//!    not finite); then from the output layer down: for a hidden layer, each part's rows of
//!    the layer below's delta, `W[:, in_p]^T d` (over the delta's blocks, one after another,
//!    when the layer keeps it by parts), then the update of the part's columns of the
//!    weight and of its units' biases (the output layer's rows of its input are gathered
//!    first when its products take the small kernels): plain SGD fused into the gradient's
//!    product, another optimizer's step from the part's gradient as soon as it is complete,
//!    or only the gradient, when the update needs all of it (penalties, clipping,
//!    diagnostics) and runs on the calling thread after the step.
//!
//! The first layer's two products, its partial products in phase 1 and the update of its
//! weight in phase 3, are the step's largest on a wide input, and they read nothing that a
//! thread writes in their phase (the step's inputs, the weight, the layer's delta). So when
//! the layer reads its inputs in place (it gathers none), each part's share of them is cut
//! into [`Pieces`] (of its samples for the product, of its columns of the weight for the
//! update) that any thread may compute ([`Step::share_out`]): a thread computes its own
//! parts' pieces first, then any piece of another's that no thread has claimed yet, so a
//! thread that the host slows is helped rather than waited for at the barrier, while in a
//! quiet step each part's weight stays on its own core. A later layer's product reads the
//! rows of the layer below that its part's thread summed, and its update steps the columns
//! that its part's thread propagates through, with no barrier between: those stay with their
//! parts.
//!
//! The partial products are summed in the parts' order, and each part's samples are its
//! shard's, so a step gives the same bits on any number of threads; they are not the bits of
//! a step that does not split (its sums run over all inputs in one chain), only equal to them
//! up to rounding, as with shards. Every optimizer's update is element-wise, so a part's
//! update of its own parameters has the bits of the whole update.
//!
//! With `pool`, `kernels/dispatch` and [`shared`], one of the modules with `unsafe`: each
//! borrow of a part of a shared buffer follows the phase rule above, stated where it is made.
#![allow(unsafe_code)]

mod shared;

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use mlp_spec::{Dense as DenseSizes, Hidden, Optimizer as OptimizerSpec, ParamSegment, Plan, Spec};
use nalgebra::Const;

use super::parallel::{mean_loss, share_factor};
use super::{TrainError, Trainer, update_from_whole_gradient};

use crate::activation::{Activation, WideActivationPass, with_wide_activation};
use crate::float::Float;
use crate::kernels::dense::{self, BlockRows, ColumnBlock, RowBlock, Rows};
use crate::kernels::span;
use crate::kernels::tiled;
use crate::kernels::{Shape, Size};
use crate::lines::Lines;
use crate::loss::{Head, Targets, WideHeadPass, share, weigh_delta, weighted_loss, with_wide_head};
use crate::model::Model;
use crate::optim::{Part, Rule};
use crate::pool::{Barrier, Pool};
use crate::regularization::penalty;
use shared::Shared;

/// The units of a block of a layer's units: the widest register tile's rows, so that each
/// part's block is whole tiles (and whole cache lines of `f32`).
const BLOCK_UNITS: usize = 32;

/// The features of a block of the input features, which are only the first layer's inputs
/// (no part sums or propagates their rows): eight, one AVX vector of `f32`, so that the
/// parts' shares of the first product, the step's largest on a wide input, are as equal as
/// can be. Eight columns of a weight of an even number of units are whole cache lines, so
/// the parts' runs of the weight share no line then (with an odd number, one line each).
const BLOCK_FEATURES: usize = 8;

/// The pieces of each part's share of the first layer's partial product: blocks of its
/// samples, of whole register tiles' columns (eight).
const FORWARD_PIECES: usize = 4;

/// The pieces of each part's share of the first layer's update: blocks of its columns of the
/// weight, of whole [`BLOCK_FEATURES`].
const UPDATE_PIECES: usize = 4;

/// The columns of the tiled products' register tiles, the grain of [`FORWARD_PIECES`].
const TILE_COLUMNS: usize = 8;

/// `len` items cut into `pieces` pieces of whole `grain`s, as equal as can be (fewer pieces
/// when there are fewer grains; the last takes the items beyond the last whole grain, so that
/// no piece is shorter than a grain unless the whole is): the work the first layer's
/// products share out ([`Step::share_out`]). The cut depends on the sizes alone, never on
/// the threads, so each piece's results have the same bits whichever thread computes them.
#[derive(Clone, Copy, Debug)]
struct Pieces {
    len: usize,
    grain: usize,
    grains: usize,
    count: usize,
}

impl Pieces {
    fn new(len: usize, pieces: usize, grain: usize) -> Self {
        let grains = (len / grain).max(1);
        Pieces {
            len,
            grain,
            grains,
            count: pieces.clamp(1, grains),
        }
    }

    /// Piece `index`.
    fn get(&self, index: usize) -> Range<usize> {
        let boundary = |piece: usize| piece * self.grains / self.count * self.grain;
        let end = if index + 1 == self.count {
            self.len
        } else {
            boundary(index + 1)
        };
        boundary(index)..end
    }
}

/// The block of `units` that part `part` of `parts` owns: equal blocks of whole `grain`s,
/// the last part's shorter (or empty, with more parts than blocks).
fn block(units: usize, part: usize, parts: usize, grain: usize) -> Range<usize> {
    let share = units.div_ceil(parts).div_ceil(grain) * grain;
    let start = (part * share).min(units);
    start..(start + share).min(units)
}

/// The block of layer `layer`'s `inputs` that part `part` of `parts` owns: of the features
/// for the first layer, else of the units below (the same block as the part's units there).
fn input_block(layer: usize, inputs: usize, part: usize, parts: usize) -> Range<usize> {
    let grain = if layer == 0 {
        BLOCK_FEATURES
    } else {
        BLOCK_UNITS
    };
    block(inputs, part, parts, grain)
}

/// The block of a layer's `units` that part `part` of `parts` owns.
fn unit_block(units: usize, part: usize, parts: usize) -> Range<usize> {
    block(units, part, parts, BLOCK_UNITS)
}

/// Part `part`'s columns of layer `layer`'s weight (those of its [`input_block`]), over
/// `columns` samples.
fn column_block(
    layer: usize,
    dense: &DenseSizes,
    part: usize,
    parts: usize,
    columns: usize,
) -> ColumnBlock {
    ColumnBlock {
        inputs: dense.inputs,
        units: dense.units,
        columns,
        cols: input_block(layer, dense.inputs, part, parts),
    }
}

/// The threads and buffers of a trainer whose steps split by units.
pub(super) struct UnitSplit<T> {
    /// The trainer's threads, shared with its on-line sessions' walk: the step runs on the
    /// first `threads`.
    pool: Arc<Pool>,
    threads: usize,
    barrier: Barrier,
    plan: Plan,
    /// The tape of a full batch.
    tape: Lines<T>,
    /// For each layer whose parts' products take gathered rows
    /// ([`ColumnBlock::reads_in_place`]), the parts' rows of its input, each part's as a
    /// `rows x batch` matrix, the parts one after another ([`Buffers::gathered`]).
    gathered: Lines<T>,
    /// For each hidden layer, each part's partial product, `units x batch`
    /// ([`Buffers::partial`]).
    partials: Lines<T>,
    /// Where each layer's gathered inputs and partial products start.
    buffers: Buffers,
    /// A zero bias as long as the widest hidden layer, for the partial products that take the
    /// small kernels (which start from a bias; the tiled ones add none).
    zeros: Box<[T]>,
    /// Each part's mean loss over its samples, for the batch's ([`Step::head`]).
    losses: Box<[T]>,
    /// For each part, the pieces of its share of the first layer's partial product that
    /// threads have claimed, then of its share of that layer's update ([`Step::share_out`]).
    claims: Box<[AtomicUsize]>,
    /// The weights of the classes in the loss; empty for none.
    class_weights: Box<[T]>,
}

/// Where each layer's parts keep their gathered inputs and partial products, for a batch of
/// `batch` samples.
struct Buffers {
    batch: usize,
    parts: usize,
    /// Each layer's first gathered value, for the layers that gather their inputs.
    gathered: Vec<Option<usize>>,
    /// Each hidden layer's first partial product's first value.
    partials: Vec<usize>,
}

impl Buffers {
    /// The layout for `plan`'s layers, and the lengths of the two buffers.
    fn new(plan: &Plan, batch: usize) -> (Self, usize, usize) {
        let parts = plan.shards.count;
        let (mut gathered, mut partials) = (Vec::new(), Vec::new());
        let (mut gathered_len, mut partials_len) = (0, 0);
        for (layer, dense) in layers(plan).enumerate() {
            // A later hidden layer's input rows are their parts' blocks already.
            let input_by_parts = layer > 0 && by_parts(plan, layer - 1);
            let gathers = !input_by_parts
                && (0..parts).any(|part| {
                    let block = column_block(layer, dense, part, parts, batch);
                    !block.cols.is_empty() && !block.reads_in_place()
                });
            gathered.push(gathers.then_some(gathered_len));
            if gathers {
                gathered_len += dense.inputs * batch;
            }
        }
        for hidden in &plan.hidden {
            partials.push(partials_len);
            partials_len += parts * hidden.dense.units * batch;
        }
        let buffers = Buffers {
            batch,
            parts,
            gathered,
            partials,
        };
        (buffers, gathered_len, partials_len)
    }

    /// Whether any part of layer `layer` gathers its input rows.
    fn gathers(&self, layer: usize) -> bool {
        self.gathered[layer].is_some()
    }

    /// Where layer `layer`'s input rows from `first` on are gathered (each part's block
    /// starts at its first row), if the layer gathers them.
    fn gathered(&self, layer: usize, first: usize) -> Option<usize> {
        self.gathered[layer].map(|start| start + first * self.batch)
    }

    /// Where part `part`'s partial product of hidden layer `layer`, of `units` units, starts.
    fn partial(&self, layer: usize, units: usize, part: usize) -> usize {
        self.partials[layer] + part * units * self.batch
    }
}

/// Whether layer `layer` (of the plan's layers with a product) keeps its `z`, `a` and delta
/// by parts: each part's block of rows as a matrix of its own (`h x batch`, from the block's
/// first row times the batch, the blocks one after another), so that no thread writes rows
/// next to another's. Every hidden layer does but the last, whose matrices the parts write by
/// samples (as the output layer's).
///
/// Rows of two threads next to each other in each column cost both threads much more than
/// the data they exchange: a throwaway program in which two threads each rewrote their half
/// of the rows of three matrices of 64 columns of 256 rows took 31-33 us a round, against
/// 6.5 us with each half a block of its own (and 11 us for one thread doing both halves),
/// though no cache line held both threads' values (BENCHMARKS.md, "Rows by parts").
fn by_parts(plan: &Plan, layer: usize) -> bool {
    layer + 1 < plan.hidden.len()
}

/// The plan's layers with a product, in order: the hidden ones and the output.
fn layers(plan: &Plan) -> impl Iterator<Item = &DenseSizes> {
    plan.hidden
        .iter()
        .map(|hidden| &hidden.dense)
        .chain([&plan.output])
}

/// What a step does with the gradient of each block.
pub(super) enum Update<'a, T> {
    /// Plain SGD with this learning rate, fused into the backward pass: no weight's gradient
    /// is stored.
    Descend(f64),
    /// An optimizer's step ([`Update::optimize`]): each part's gradient lands in the step's
    /// buffer, and the part's thread updates the part's parameters and their state from it
    /// at once, while they are in its cache.
    Optimize(Optimize<'a, T>),
    /// Nothing: the gradient lands in the step's buffer, for an update that needs all of it
    /// (penalties, clipping, diagnostics).
    Gradient,
}

impl<'a, T> Update<'a, T> {
    /// The optimizer's step `rule` with learning rate `lr`, on parameters whose state
    /// buffers are `first` and `second` (each as long as the parameters, or empty) and
    /// whose segments are `layout`.
    pub(super) fn optimize(
        rule: Rule,
        lr: f64,
        first: &'a mut [T],
        second: &'a mut [T],
        layout: &'a [ParamSegment],
    ) -> Self {
        Update::Optimize(Optimize {
            rule,
            lr,
            first: Shared::new(first),
            second: Shared::new(second),
            layout,
        })
    }
}

/// An optimizer's step by parts: what [`Update::Optimize`] applies.
pub(super) struct Optimize<'a, T> {
    rule: Rule,
    lr: f64,
    first: Shared<'a, T>,
    second: Shared<'a, T>,
    layout: &'a [ParamSegment],
}

impl<T: Float> Optimize<'_, T> {
    /// Updates the parameters `range` of `params` and their state from their gradient.
    ///
    /// # Safety
    ///
    /// No other thread reads or writes those parameters or their state while this runs.
    unsafe fn apply(&self, range: Range<usize>, params: &mut [T], gradient: &[T]) {
        // SAFETY: as the caller promises.
        let (first, second) = unsafe { (state(&self.first, &range), state(&self.second, &range)) };
        Part::new(range.start, params, first, second).update(
            self.rule,
            gradient,
            self.layout,
            self.lr,
        );
    }
}

/// The state `range` of an optimizer's state buffer, or nothing if the optimizer keeps none.
///
/// # Safety
///
/// As for [`Shared::get_mut`].
#[allow(clippy::mut_from_ref)] // As `Shared::get_mut`.
unsafe fn state<'b, T>(buffer: &'b Shared<'_, T>, range: &Range<usize>) -> &'b mut [T] {
    if buffer.is_empty() {
        &mut []
    } else {
        // SAFETY: as the caller promises.
        unsafe { buffer.get_mut(range.clone()) }
    }
}

impl<T: Float> UnitSplit<T> {
    /// The threads the steps of `spec`'s network take of `threads`: at most one per part; 1
    /// when its steps do not split by units.
    pub(super) fn threads_for(spec: &Spec, threads: usize) -> usize {
        if spec.splits_units() {
            threads.clamp(1, spec.shards().count)
        } else {
            1
        }
    }

    /// Buffers for the steps of `spec`'s network on the first [`UnitSplit::threads_for`]
    /// `threads` of `pool` (which has at least as many), or `None` when its steps do not
    /// split by units.
    pub(super) fn new(spec: &Spec, pool: &Arc<Pool>, threads: usize) -> Option<Self> {
        if !spec.splits_units() {
            return None;
        }
        let plan = spec.plan();
        let threads = Self::threads_for(spec, threads);
        assert!(pool.threads() >= threads, "the pool has the step's threads");
        let (buffers, gathered, partials) = Buffers::new(&plan, spec.batch_size);
        let widest = plan.hidden.iter().map(|h| h.dense.units).max().unwrap_or(0);
        let mut split = UnitSplit {
            pool: Arc::clone(pool),
            threads,
            barrier: Barrier::new(threads),
            tape: Lines::zeros(plan.tape_len(spec.batch_size)),
            gathered: Lines::zeros(gathered),
            partials: Lines::zeros(partials),
            buffers,
            zeros: vec![T::zero(); widest].into_boxed_slice(),
            losses: vec![T::zero(); plan.shards.count].into_boxed_slice(),
            claims: (0..2 * plan.shards.count)
                .map(|_| AtomicUsize::new(0))
                .collect(),
            class_weights: Box::default(),
            plan,
        };
        split.set_class_weights(spec.training.given_class_weights());
        Some(split)
    }

    /// The threads steps run on, the caller's included.
    pub(super) fn threads(&self) -> usize {
        self.threads
    }

    /// Makes the steps' losses weigh classes by `weights` (empty for none).
    pub(super) fn set_class_weights(&mut self, weights: &[f64]) {
        self.class_weights = weights.iter().map(|&w| T::cast(w)).collect();
    }

    /// One step over `count` samples (at least 2: one sample takes other kernels, and a
    /// network's one-sample steps do not split): the gradient of the batch's mean loss, used
    /// as `update` says, into `params` and `grads` (the network's flat buffers). Returns the
    /// loss, without penalties; when it is not finite, nothing is updated.
    #[allow(clippy::too_many_arguments)] // The buffers, the batch and what to do with it.
    pub(super) fn step(
        &mut self,
        params: &mut [T],
        grads: &mut [T],
        inputs: &[T],
        targets: &[T],
        count: usize,
        update: Update<'_, T>,
    ) -> T {
        assert!(
            count >= 2,
            "a step split by units takes at least two samples"
        );
        let outputs = self.plan.output.units;
        for claimed in &mut self.claims {
            *claimed.get_mut() = 0;
        }
        let step = Step {
            plan: &self.plan,
            barrier: &self.barrier,
            threads: self.threads,
            buffers: &self.buffers,
            zeros: &self.zeros,
            params: Shared::new(params),
            grads: Shared::new(grads),
            tape: Shared::new(&mut self.tape),
            gathered: Shared::new(&mut self.gathered),
            partials: Shared::new(&mut self.partials),
            losses: Shared::new(&mut self.losses),
            claims: &self.claims,
            inputs: &inputs[..self.plan.hidden[0].dense.inputs * count],
            targets: Targets {
                values: &targets[..outputs * count],
                class_weights: &self.class_weights,
            },
            columns: count,
            update,
            loss: AtomicU64::new(0),
        };
        self.pool.broadcast(|thread| {
            if thread < step.threads {
                step.run(thread);
            }
        });
        T::cast(f64::from_bits(step.loss.load(Ordering::Relaxed)))
    }
}

/// One step's buffers and settings, shared by its threads.
struct Step<'s, T> {
    plan: &'s Plan,
    barrier: &'s Barrier,
    threads: usize,
    buffers: &'s Buffers,
    zeros: &'s [T],
    params: Shared<'s, T>,
    grads: Shared<'s, T>,
    tape: Shared<'s, T>,
    gathered: Shared<'s, T>,
    partials: Shared<'s, T>,
    losses: Shared<'s, T>,
    claims: &'s [AtomicUsize],
    inputs: &'s [T],
    targets: Targets<'s, T>,
    columns: usize,
    update: Update<'s, T>,
    /// The loss's bits as `f64`, from thread 0.
    loss: AtomicU64,
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
    fn of(dense: &DenseSizes, columns: usize) -> Self {
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
        let hidden = &self.plan.hidden;
        let parts = self.buffers.parts;
        let shares_first = !self.buffers.gathers(0);
        for (l, layer) in hidden.iter().enumerate() {
            if l == 0 && shares_first {
                let samples = Pieces::new(self.columns, FORWARD_PIECES, TILE_COLUMNS);
                self.share_out(
                    thread,
                    &self.claims[..parts],
                    |_| samples.count,
                    |part, piece| self.partial(0, &layer.dense, part, samples.get(piece)),
                );
            } else {
                for part in self.parts(thread) {
                    self.gather(l, &layer.dense, part);
                    self.partial(l, &layer.dense, part, 0..self.columns);
                }
            }
            self.barrier.wait();
            if l + 1 < hidden.len() {
                for part in self.parts(thread) {
                    self.reduce(l, layer, part);
                }
            }
        }
        for part in self.parts(thread) {
            self.head(part);
        }
        self.barrier.wait();
        let loss = self.mean_loss();
        if thread == 0 {
            self.loss.store(loss.as_f64().to_bits(), Ordering::Relaxed);
        }
        if !loss.as_f64().is_finite() {
            return;
        }
        let output = hidden.len();
        for part in self.parts(thread) {
            self.gather(output, &self.plan.output, part);
            self.update(output, &self.plan.output, part);
        }
        for (l, layer) in hidden.iter().enumerate().rev() {
            // The propagation reads the part's own columns of the weight, which the update
            // then steps.
            if let Some(below) = l.checked_sub(1).map(|b| &hidden[b]) {
                self.propagate(l, &layer.dense, below, thread);
            }
            if l == 0 && shares_first {
                let dense = &layer.dense;
                let columns = |part| input_block(0, dense.inputs, part, parts);
                let pieces = |part| Pieces::new(columns(part).len(), UPDATE_PIECES, BLOCK_FEATURES);
                for part in self.parts(thread) {
                    self.update_bias(0, dense, part);
                }
                self.share_out(
                    thread,
                    &self.claims[parts..],
                    |part| pieces(part).count,
                    |part, piece| {
                        let cols = pieces(part).get(piece);
                        let first = columns(part).start;
                        self.update_weight(0, dense, first + cols.start..first + cols.end);
                    },
                );
            } else {
                for part in self.parts(thread) {
                    self.update(l, &layer.dense, part);
                }
            }
            if l > 0 {
                self.barrier.wait();
            }
        }
    }

    /// Work of the parts of the first layer, whose products read only the step's inputs, the
    /// first layer's weight and, in the update, its delta (none of which a thread writes in
    /// the phase) and which are the step's largest on a wide input: each thread takes the
    /// pieces of its own parts in turn (claimed in `claims`, one counter per part, as
    /// `pieces` cuts them), then any piece of another thread's parts that no thread has taken
    /// yet. So a thread the machine slows is helped rather than waited for at the barrier,
    /// while a quiet step keeps each part's weight on its own core. Which thread computes a
    /// piece does not change its bits.
    fn share_out(
        &self,
        thread: usize,
        claims: &[AtomicUsize],
        pieces: impl Fn(usize) -> usize,
        work: impl Fn(usize, usize),
    ) {
        let others = (1..self.threads).flat_map(|k| self.parts((thread + k) % self.threads));
        for part in self.parts(thread).chain(others) {
            let count = pieces(part);
            loop {
                // Claims need no ordering: the barriers before and after the phase publish
                // the data, and the counter only hands each piece out once.
                let piece = claims[part].fetch_add(1, Ordering::Relaxed);
                if piece >= count {
                    break;
                }
                work(part, piece);
            }
        }
    }

    /// The parts thread `thread` computes.
    fn parts(&self, thread: usize) -> impl Iterator<Item = usize> {
        (thread..self.buffers.parts).step_by(self.threads)
    }

    /// The layer's input for the step: the step's inputs, or the layer below's activations.
    ///
    /// # Safety
    ///
    /// No thread writes the rows of the input that the caller reads while the slice lives.
    unsafe fn input(&self, dense: &DenseSizes, places: &Places) -> &[T] {
        let len = dense.inputs * self.columns;
        match places.input {
            // SAFETY: as the caller promises.
            Some(start) => unsafe { self.tape.get(start..start + len) },
            None => self.inputs,
        }
    }

    /// The part's gathered rows of layer `layer`'s input, if the layer gathers them.
    fn gathered_range(&self, layer: usize, cols: &Range<usize>) -> Option<Range<usize>> {
        let start = self.buffers.gathered(layer, cols.start)?;
        Some(start..start + cols.len() * self.columns)
    }

    /// The part's partial product of layer `layer`.
    fn partial_range(&self, layer: usize, units: usize, part: usize) -> Range<usize> {
        let start = self.buffers.partial(layer, units, part);
        start..start + units * self.columns
    }

    /// The block's rows of layer `layer`'s input from sample `first` on, as its products
    /// take them: where they are in `x` (the layer's input: their part's block of it, if the
    /// layer below keeps its matrices by parts), or gathered (by [`Step::gather`]; a
    /// gathered block is a part's whole block).
    ///
    /// # Safety
    ///
    /// As for [`Step::input`], and no thread writes the part's gathered rows while the rows
    /// live.
    unsafe fn block_rows<'x>(
        &'x self,
        layer: usize,
        x: &'x [T],
        block: &ColumnBlock,
        first: usize,
    ) -> BlockRows<'x, T> {
        let cols = &block.cols;
        if layer > 0 && by_parts(self.plan, layer - 1) {
            return BlockRows {
                values: &x[cols.start * self.columns + first * cols.len()..],
                lead: cols.len(),
            };
        }
        match self.gathered_range(layer, cols) {
            Some(range) => BlockRows {
                // SAFETY: as the caller promises.
                values: unsafe { &self.gathered.get(range)[first * cols.len()..] },
                lead: cols.len(),
            },
            None => BlockRows {
                values: &x[first * block.inputs + cols.start..],
                lead: block.inputs,
            },
        }
    }

    /// Copies the part's rows of layer `layer`'s input next to each other, if the layer
    /// gathers them: in phase 1 for a hidden layer, in phase 3 for the output layer (whose
    /// input is complete only then).
    fn gather(&self, layer: usize, dense: &DenseSizes, part: usize) {
        let (i, c) = (dense.inputs, self.columns);
        let cols = input_block(layer, i, part, self.buffers.parts);
        let Some(range) = self
            .gathered_range(layer, &cols)
            .filter(|_| !cols.is_empty())
        else {
            return;
        };
        // SAFETY: in these phases, the part's thread alone writes the part's gathered rows,
        // and no one writes the layer's input.
        unsafe {
            let x = self.input(dense, &Places::of(dense, c));
            let gathered = self.gathered.get_mut(range);
            for (column, rows) in gathered.chunks_exact_mut(cols.len()).enumerate() {
                rows.copy_from_slice(&x[column * i + cols.start..column * i + cols.end]);
            }
        }
    }

    /// The part's partial product `P_p = W[:, in_p] x[in_p]` of hidden layer `layer` for
    /// `samples`, in phase 1 (after the part's thread gathered its input rows, if the layer
    /// gathers them).
    fn partial(&self, layer: usize, dense: &DenseSizes, part: usize, samples: Range<usize>) {
        let o = dense.units;
        let block = column_block(layer, dense, part, self.buffers.parts, samples.len());
        let cols = &block.cols;
        if cols.is_empty() {
            return;
        }
        let places = Places::of(dense, self.columns);
        // SAFETY: in this phase, the thread that computes these samples of the part's
        // partial product (its own part's, or a piece it claimed) alone writes them, and it
        // reads the parameters (which no one writes), the part's gathered rows (which its
        // thread wrote) and the part's rows of the layer's input (which the part's thread
        // wrote, or the step's inputs).
        unsafe {
            let x = self.input(dense, &places);
            let rows = self.block_rows(layer, x, &block, samples.start);
            let weight = self
                .params
                .get(places.weight + cols.start * o..places.weight + cols.end * o);
            let first = self.partial_range(layer, o, part).start;
            let partial = self
                .partials
                .get_mut(first + samples.start * o..first + samples.end * o);
            block.forward(weight, &self.zeros[..o], rows, partial);
        }
    }

    /// `z = (P_0 + P_1 + ...) + b` and `a = f(z)` of hidden layer `layer` for its `units`
    /// of `columns` ([`SumActivate`]).
    ///
    /// # Safety
    ///
    /// No thread writes the layer's partial products, and no other thread reads or writes
    /// those units of its `z` and `a`.
    unsafe fn sum_activate(
        &self,
        layer: usize,
        hidden: &Hidden,
        units: Range<usize>,
        columns: Range<usize>,
    ) {
        let pass = SumActivate {
            step: self,
            layer,
            dense: &hidden.dense,
            units,
            columns,
        };
        with_wide_activation(hidden.activation, pass);
    }

    /// `dL/da` into `dL/dz` for hidden layer `layer`'s `units` of `columns` (a part's block,
    /// if the layer keeps its matrices by parts), through its activation
    /// ([`ActivationBackward`]).
    ///
    /// # Safety
    ///
    /// No other thread reads or writes those units of the layer's delta, nor writes them of
    /// its `z` and `a`.
    unsafe fn activation_backward(
        &self,
        layer: usize,
        hidden: &Hidden,
        units: Range<usize>,
        columns: Range<usize>,
    ) {
        let pass = ActivationBackward {
            step: self,
            layer,
            dense: &hidden.dense,
            units,
            columns,
        };
        with_wide_activation(hidden.activation, pass);
    }

    /// Phase 1's second half for hidden layer `layer` and part `part`: its units' rows of `z`
    /// and `a`.
    fn reduce(&self, layer: usize, hidden: &Hidden, part: usize) {
        let units = unit_block(hidden.dense.units, part, self.buffers.parts);
        if units.is_empty() {
            return;
        }
        // SAFETY: after the barrier, no one writes the layer's partial products; in this
        // phase, threads write only their parts' units of the layer's `z` and `a`.
        unsafe { self.sum_activate(layer, hidden, units, 0..self.columns) };
    }

    /// Phase 2 for part `part`'s samples (its shard of the batch): the last hidden layer's
    /// `z` and `a` for them, the output layer's `z` and its head's `a`, the part's mean loss
    /// and its delta as a share of the batch's mean (as a shard's), and through the output
    /// weight and the last hidden layer's activation that layer's delta.
    fn head(&self, part: usize) {
        // The usual classifiers' outputs as constants: the small kernels then unroll over
        // the units (the same bits as with run-time sizes).
        match self.plan.output.units {
            1 => self.head_of(part, Const::<1>),
            2 => self.head_of(part, Const::<2>),
            3 => self.head_of(part, Const::<3>),
            10 => self.head_of(part, Const::<10>),
            units => self.head_of(part, nalgebra::Dyn(units)),
        }
    }

    /// [`Step::head`] with the output layer's `units`.
    fn head_of<O: Size>(&self, part: usize, units: O) {
        let (plan, c) = (self.plan, self.columns);
        let samples = plan.shards.samples(part, c);
        if samples == 0 {
            return;
        }
        let cols = part * plan.shards.size..part * plan.shards.size + samples;
        let last = plan.hidden.len() - 1;
        let below = &plan.hidden[last];
        let (i, o) = (plan.output.inputs, plan.output.units);
        let (places, under) = (Places::of(&plan.output, c), Places::of(&below.dense, c));
        let block = |start: usize, rows: usize| start + cols.start * rows..start + cols.end * rows;
        let shape = Shape {
            inputs: nalgebra::Dyn(i),
            units,
            columns: nalgebra::Dyn(samples),
        };
        let y = &self.targets.values[block(0, o)];
        // SAFETY: in this phase, each part's thread writes only its samples' columns of the
        // last two layers' `z`, `a` and delta, and its part's loss; it reads the last hidden
        // layer's partial products (which no one writes after the barrier) and the
        // parameters.
        unsafe {
            self.sum_activate(last, below, 0..i, cols.clone());
            let a = self.tape.get(block(under.a, i));
            let params = self.params.get(places.weight..places.bias + o);
            let (zo, ao) = (block(places.z, o), block(places.a, o));
            dense::forward(shape, params, a, self.tape.get_mut(zo.clone()));
            let output = HeadOutput {
                step: self,
                part,
                units,
                samples,
                z: zo,
                a: ao,
                d: block(places.d, o),
                y,
            };
            if !with_wide_head(plan.head, output) {
                return;
            }
            let d = self.tape.get(block(places.d, o));
            let g = self.tape.get_mut(block(under.d, i));
            dense::backward_inputs(shape, params, d, g);
            self.activation_backward(last, below, 0..i, cols);
        }
    }

    /// Each part's share of the batch's mean ([`share`]), in the parts' order.
    fn shares(&self) -> impl Iterator<Item = f64> + Clone + '_ {
        let (shards, o) = (self.plan.shards, self.plan.output.units);
        (0..self.buffers.parts).map(move |part| {
            let samples = shards.samples(part, self.columns);
            let first = (part * shards.size).min(self.columns);
            let y = &self.targets.values[first * o..(first + samples) * o];
            share(o, y, samples, self.targets.class_weights)
        })
    }

    /// The batch's mean loss, from the parts' (phase 3).
    fn mean_loss(&self) -> T {
        // SAFETY: after the barrier, no one writes the parts' losses.
        let losses = unsafe { self.losses.get(0..self.buffers.parts) };
        mean_loss(losses.iter().copied().zip(self.shares()))
    }

    /// Phase 3's first half for hidden layer `layer` (after the first): `W^T d` into the rows
    /// of the layer below's delta that the thread's parts own (blocks of their own, as the
    /// layer below keeps its matrices by parts), turned into the below's `dL/dz` by its
    /// activation. Both layers have at least [`mlp_spec::MIN_SPLIT_UNITS`] units, so the
    /// product is tiled, and each part reads only its own columns of the weight.
    fn propagate(&self, layer: usize, dense: &DenseSizes, below: &Hidden, thread: usize) {
        let (i, o, c) = (dense.inputs, dense.units, self.columns);
        debug_assert!(
            tiled(i, o * i, c),
            "hidden layers' input gradients are tiled"
        );
        debug_assert!(
            by_parts(self.plan, layer - 1),
            "the layer below keeps its rows by parts"
        );
        let (places, under) = (Places::of(dense, c), Places::of(&below.dense, c));
        for part in self.parts(thread) {
            let rows = unit_block(i, part, self.buffers.parts);
            if rows.is_empty() {
                continue;
            }
            // SAFETY: in this phase, threads read this layer's delta and weight, which no one
            // writes, and write only their own parts' blocks of the layer below's delta
            // (reading their own blocks of its `z` and `a`).
            unsafe {
                let weight = places.weight + rows.start * o..places.weight + rows.end * o;
                let weight = self.params.get(weight);
                let g = under.d + rows.start * c;
                let g = self.tape.get_mut(g..g + rows.len() * c);
                let block = RowBlock {
                    units: o,
                    columns: c,
                    rows: rows.clone(),
                };
                block.backward_inputs(weight, self.delta(layer, dense), g, rows.len());
                self.activation_backward(layer - 1, below, rows, 0..c);
            }
        }
    }

    /// Where the rows `units` of column `column` of hidden layer `layer`'s matrix at `base` in
    /// the tape are: `units` is a part's block if the layer keeps its matrices by parts, any
    /// rows otherwise.
    fn rows_at(
        &self,
        layer: usize,
        base: usize,
        units: &Range<usize>,
        column: usize,
    ) -> Range<usize> {
        let (o, c) = (self.plan.hidden[layer].dense.units, self.columns);
        let start = if by_parts(self.plan, layer) {
            base + units.start * c + column * units.len()
        } else {
            base + column * o + units.start
        };
        start..start + units.len()
    }

    /// Layer `layer`'s delta (complete), as its products take it: its parts' blocks if the
    /// layer keeps its matrices by parts, else one block of all its rows.
    ///
    /// # Safety
    ///
    /// No thread writes the delta while the blocks live.
    unsafe fn delta(&self, layer: usize, dense: &DenseSizes) -> impl Iterator<Item = Rows<'_, T>> {
        let (o, c) = (dense.units, self.columns);
        let d = Places::of(dense, c).d;
        let by_parts = by_parts(self.plan, layer);
        let blocks = if by_parts { self.buffers.parts } else { 1 };
        (0..blocks)
            .map(move |part| {
                if by_parts {
                    unit_block(o, part, blocks)
                } else {
                    0..o
                }
            })
            .filter(|units| !units.is_empty())
            .map(move |units| Rows {
                // SAFETY: as the caller promises.
                values: unsafe { self.tape.get(d + units.start * c..d + units.end * c) },
                lead: units.len(),
                units,
            })
    }

    /// Phase 3's second half for layer `layer` and part `part`: the gradient or SGD update of
    /// the part's columns of the weight, and of its units' biases.
    fn update(&self, layer: usize, dense: &DenseSizes, part: usize) {
        let cols = input_block(layer, dense.inputs, part, self.buffers.parts);
        self.update_weight(layer, dense, cols);
        self.update_bias(layer, dense, part);
    }

    /// The learning rate of layer `dense`'s parameters.
    fn layer_lr(dense: &DenseSizes, lr: f64) -> T {
        T::cast(lr * dense.lr_scale)
    }

    /// The gradient or SGD update of the weight's columns `cols` of layer `layer`: a part's
    /// whole block, or a piece of the first layer's block ([`Step::share_out`]; only a layer
    /// that gathers none of its input rows shares out, since gathered rows are a whole
    /// block's).
    fn update_weight(&self, layer: usize, dense: &DenseSizes, cols: Range<usize>) {
        if cols.is_empty() {
            return;
        }
        let (i, o, c) = (dense.inputs, dense.units, self.columns);
        let block = ColumnBlock {
            inputs: i,
            units: o,
            columns: c,
            cols,
        };
        let cols = &block.cols;
        let places = Places::of(dense, c);
        // SAFETY: in this phase, the thread that updates these columns of the weight (its
        // part's, or a piece it claimed) alone writes them, and them of its gradient and
        // optimizer state (which no one reads any more); it reads the layer's delta
        // (complete since the last barrier, and written by no one) and the columns' rows of
        // the layer's input, gathered or not (which no one writes after phase 1).
        unsafe {
            let delta = self.delta(layer, dense);
            let rows = self.block_rows(layer, self.input(dense, &places), &block, 0);
            let weight = places.weight + cols.start * o..places.weight + cols.end * o;
            let grad = self.grads.get_mut(weight.clone());
            match &self.update {
                &Update::Descend(rate) => {
                    let params = self.params.get_mut(weight);
                    block.descend(delta, rows, params, grad, Self::layer_lr(dense, rate));
                }
                Update::Optimize(optimize) => {
                    block.gradient(delta, rows, grad);
                    optimize.apply(weight.clone(), self.params.get_mut(weight), grad);
                }
                Update::Gradient => block.gradient(delta, rows, grad),
            }
        }
    }

    /// The gradient or SGD update of part `part`'s units' biases of layer `layer`.
    fn update_bias(&self, layer: usize, dense: &DenseSizes, part: usize) {
        let (o, c) = (dense.units, self.columns);
        let units = unit_block(o, part, self.buffers.parts);
        if units.is_empty() {
            return;
        }
        let places = Places::of(dense, c);
        let block = RowBlock {
            units: o,
            columns: c,
            rows: units.clone(),
        };
        // SAFETY: in this phase, the part's thread alone writes its units of the bias and of
        // their gradient and optimizer state, and it reads the layer's delta (complete since
        // the last barrier, and written by no one).
        unsafe {
            let (start, lead) = if by_parts(self.plan, layer) {
                (places.d + units.start * c, units.len())
            } else {
                (places.d + units.start, o)
            };
            let delta = Rows {
                values: self.tape.get(start..start + span(units.len(), c, lead)),
                lead,
                units: units.clone(),
            };
            let bias = places.bias + units.start..places.bias + units.end;
            let grad = self.grads.get_mut(bias.clone());
            match &self.update {
                &Update::Descend(rate) => {
                    let lr = Self::layer_lr(dense, rate);
                    block.bias_descend(delta, self.params.get_mut(bias), grad, lr);
                }
                Update::Optimize(optimize) => {
                    block.bias_gradient(delta, grad);
                    optimize.apply(bias.clone(), self.params.get_mut(bias), grad);
                }
                Update::Gradient => block.bias_gradient(delta, grad),
            }
        }
    }
}

/// `z = (P_0 + P_1 + ...) + b` and `a = f(z)` of a hidden layer's `units` of `columns`: the
/// partial products summed in the parts' order (parts without inputs have none), one column
/// at a time in one pass, while its rows of `z` are in registers or L1.
struct SumActivate<'a, 's, T> {
    step: &'a Step<'s, T>,
    layer: usize,
    dense: &'a DenseSizes,
    units: Range<usize>,
    columns: Range<usize>,
}

impl<T: Float> WideActivationPass for SumActivate<'_, '_, T> {
    #[inline(always)]
    fn run<A: Activation>(self, activation: A) {
        let (step, layer, dense, units) = (self.step, self.layer, self.dense, &self.units);
        let (o, parts) = (dense.units, step.buffers.parts);
        let places = Places::of(dense, step.columns);
        // The blocks fill from part 0 on, so the parts with inputs come first.
        let with_inputs = (0..parts)
            .take_while(|&part| !input_block(layer, dense.inputs, part, parts).is_empty())
            .count();
        // SAFETY: as `Step::sum_activate`'s caller promises; the parameters are read only.
        unsafe {
            let bias = step
                .params
                .get(places.bias + units.start..places.bias + units.end);
            for column in self.columns {
                let at = column * o + units.start..column * o + units.end;
                let partial = |part| {
                    let start = step.buffers.partial(layer, o, part);
                    step.partials.get(start + at.start..start + at.end)
                };
                let z = step
                    .tape
                    .get_mut(step.rows_at(layer, places.z, units, column));
                // Two parts (two threads) in one pass; each value is `(P_0 + P_1) + b`
                // either way.
                if with_inputs == 2 {
                    let (first, second) = (partial(0), partial(1));
                    for (((z, &p), &q), &b) in z.iter_mut().zip(first).zip(second).zip(bias) {
                        *z = (p + q) + b;
                    }
                } else {
                    z.copy_from_slice(partial(0));
                    for part in 1..with_inputs {
                        for (z, &p) in z.iter_mut().zip(partial(part)) {
                            *z += p;
                        }
                    }
                    for (z, &b) in z.iter_mut().zip(bias) {
                        *z += b;
                    }
                }
                let a = step
                    .tape
                    .get_mut(step.rows_at(layer, places.a, units, column));
                activation.forward(nalgebra::Dyn(units.len()), z, a);
            }
        }
    }
}

/// A part's output activations, mean loss and delta, for its samples ([`Step::head_of`]):
/// `run` returns whether the step goes on (it does not once the loss is not finite).
struct HeadOutput<'a, 's, T, O> {
    step: &'a Step<'s, T>,
    part: usize,
    units: O,
    samples: usize,
    /// Where the output layer's `z`, `a` and delta for the part's samples are in the tape.
    z: Range<usize>,
    a: Range<usize>,
    d: Range<usize>,
    y: &'a [T],
}

impl<T: Float, O: Size> WideHeadPass for HeadOutput<'_, '_, T, O> {
    type Output = bool;

    #[inline(always)]
    fn run<H: Head>(self, head: H) -> bool {
        let (step, units, samples, y) = (self.step, self.units, self.samples, self.y);
        let weights = step.targets.class_weights;
        // SAFETY: as in `Step::head_of`: the part's thread alone writes its samples' columns
        // of the output layer's `z`, `a` and delta, and its part's loss.
        unsafe {
            let z = step.tape.get(self.z);
            let a = step.tape.get_mut(self.a);
            head.activate(units, z, a);
            let loss = if weights.is_empty() {
                head.loss(units, z, a, y, samples)
            } else {
                weighted_loss(&head, units, z, a, y, samples, weights)
            };
            step.losses.get_mut(self.part..self.part + 1)[0] = loss;
            let total = step.shares().sum();
            let factor: T = share_factor(step.shares().nth(self.part).unwrap_or(0.0), total);
            let d = step.tape.get_mut(self.d);
            if factor == T::zero() {
                // Samples whose classes all weigh nothing: no part of the mean, as a shard
                // without share is none of the gradient's (its own mean is not a number).
                d.fill(T::zero());
            } else {
                if !loss.as_f64().is_finite() {
                    return false;
                }
                head.delta(units, z, a, y, samples, d);
                if !weights.is_empty() {
                    weigh_delta(units.value(), y, samples, weights, d);
                }
                for d in d.iter_mut() {
                    *d = (*d * factor).flush_subnormal();
                }
            }
        }
        true
    }
}

/// A hidden layer's `dL/da` into `dL/dz` for its `units` of `columns`, column by column in
/// one pass.
struct ActivationBackward<'a, 's, T> {
    step: &'a Step<'s, T>,
    layer: usize,
    dense: &'a DenseSizes,
    units: Range<usize>,
    columns: Range<usize>,
}

impl<T: Float> WideActivationPass for ActivationBackward<'_, '_, T> {
    #[inline(always)]
    fn run<A: Activation>(self, activation: A) {
        let (step, layer, units) = (self.step, self.layer, &self.units);
        let places = Places::of(self.dense, step.columns);
        // SAFETY: as `Step::activation_backward`'s caller promises.
        unsafe {
            for column in self.columns {
                let z = step.tape.get(step.rows_at(layer, places.z, units, column));
                let a = step.tape.get(step.rows_at(layer, places.a, units, column));
                let g = step
                    .tape
                    .get_mut(step.rows_at(layer, places.d, units, column));
                activation.backward(nalgebra::Dyn(units.len()), z, a, g);
            }
        }
    }
}

impl<N: Model> Trainer<N> {
    /// [`Trainer::step`] for a model whose steps split by units, on at least two samples. With
    /// penalties, clipping or diagnostics, which need the whole gradient, the update runs on
    /// the calling thread after the threads' passes; otherwise each thread updates its own
    /// parameters in its backward pass.
    pub(super) fn unit_step(
        &mut self,
        network: &mut N,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        lr: f64,
    ) -> Result<N::Float, TrainError> {
        let plain_sgd = matches!(self.state.optimizer.spec(), OptimizerSpec::Sgd { .. });
        let whole = self.needs_whole_gradient();
        let penalty = penalty(network.params(), &self.layout, &self.state.regularization);
        let units = self
            .units
            .as_mut()
            .expect("steps split by units have threads");
        let (params, grads) = (network.params_mut(), &mut self.grads[..]);
        let update = if whole {
            Update::Gradient
        } else if plain_sgd {
            Update::Descend(lr)
        } else {
            let (rule, first, second) = self.state.optimizer.next_step();
            Update::optimize(rule, lr, first, second, &self.layout)
        };
        let loss = units.step(params, grads, inputs, targets, count, update) + penalty;
        if !loss.as_f64().is_finite() {
            return Err(super::not_finite(network, loss, inputs, targets, count));
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
    fn blocks_cover_the_units_once_in_whole_grains() {
        for grain in [BLOCK_UNITS, BLOCK_FEATURES] {
            for (units, parts) in [
                (128, 2),
                (256, 3),
                (64, 2),
                (100, 3),
                (70, 4),
                (64, 5),
                (784, 2),
                (13, 3),
            ] {
                let blocks: Vec<_> = (0..parts).map(|p| block(units, p, parts, grain)).collect();
                let mut next = 0;
                for block in &blocks {
                    assert_eq!(block.start, next.min(units), "{units} units, {parts} parts");
                    assert!(block.start.is_multiple_of(grain) || block.is_empty());
                    next = block.end;
                }
                assert_eq!(next, units);
            }
        }
        assert_eq!(unit_block(128, 1, 2), 64..128);
        assert_eq!(unit_block(256, 2, 3), 192..256);
        assert_eq!(unit_block(784, 1, 2), 416..784);
    }

    #[test]
    fn pieces_cover_their_whole_once_in_whole_grains() {
        for (len, pieces, grain) in [(64, 4, 8), (36, 4, 8), (17, 4, 8), (2, 4, 8), (392, 4, 8)] {
            let cut = Pieces::new(len, pieces, grain);
            assert!(cut.count <= pieces);
            let mut next = 0;
            for index in 0..cut.count {
                let piece = cut.get(index);
                assert_eq!(piece.start, next, "{len} in {pieces}");
                assert!(
                    piece.len() >= grain.min(len),
                    "{len} in {pieces}: {piece:?}"
                );
                assert!(piece.start.is_multiple_of(grain));
                next = piece.end;
            }
            assert_eq!(next, len);
        }
        assert_eq!(Pieces::new(64, FORWARD_PIECES, TILE_COLUMNS).count, 4);
        let columns = Pieces::new(392, UPDATE_PIECES, BLOCK_FEATURES);
        let lens: Vec<_> = (0..columns.count).map(|k| columns.get(k).len()).collect();
        assert_eq!(lens, [96, 96, 96, 104]);
        assert_eq!(Pieces::new(17, 4, 8).get(1), 8..17);
    }

    /// Values of no particular pattern, exact in `f32`.
    fn values(len: usize, seed: usize) -> Vec<f32> {
        (0..len)
            .map(|k| ((k * 37 + seed) % 101) as f32 / 64.0 - 0.75)
            .collect()
    }

    #[test]
    fn the_first_layers_pieces_have_the_bits_of_its_whole_block() {
        // A part's block of 120 of 200 inputs, of 64 units, over 36 samples: four pieces of
        // samples (three of 8, and 12), and four of columns (24, and three of 32).
        let (i, o, c, cols) = (200, 64, 36, 40..160);
        let (weight, x, delta) = (values(o * i, 1), values(i * c, 2), values(o * c, 3));
        let delta = || {
            [Rows {
                units: 0..o,
                values: &delta[..],
                lead: o,
            }]
        };
        let zeros = vec![0.0; o];
        let block = |columns: usize, cols: Range<usize>| ColumnBlock {
            inputs: i,
            units: o,
            columns,
            cols,
        };
        let in_place = |first: usize, cols: &Range<usize>| BlockRows {
            values: &x[first * i + cols.start..],
            lead: i,
        };
        let weight = &weight[cols.start * o..cols.end * o];
        let mut whole = vec![0.0; o * c];
        block(c, cols.clone()).forward(weight, &zeros, in_place(0, &cols), &mut whole);
        let mut pieced = vec![f32::NAN; o * c];
        let samples = Pieces::new(c, FORWARD_PIECES, TILE_COLUMNS);
        assert_eq!(samples.count, 4);
        for piece in (0..samples.count).map(|k| samples.get(k)) {
            let rows = in_place(piece.start, &cols);
            let partial = &mut pieced[piece.start * o..piece.end * o];
            block(piece.len(), cols.clone()).forward(weight, &zeros, rows, partial);
        }
        assert_eq!(pieced, whole);

        let (lr, mut scratch) = (0.125, vec![0.0; o * cols.len()]);
        let mut stepped = weight.to_vec();
        let rows = in_place(0, &cols);
        block(c, cols.clone()).descend(delta(), rows, &mut stepped, &mut scratch, lr);
        let mut pieced = weight.to_vec();
        let columns = Pieces::new(cols.len(), UPDATE_PIECES, BLOCK_FEATURES);
        assert_eq!(columns.count, 4);
        for piece in (0..columns.count).map(|k| columns.get(k)) {
            let part = cols.start + piece.start..cols.start + piece.end;
            let span = piece.start * o..piece.end * o;
            let rows = in_place(0, &part);
            let (weight, scratch) = (&mut pieced[span.clone()], &mut scratch[span]);
            block(c, part.clone()).descend(delta(), rows, weight, scratch, lr);
        }
        assert_eq!(pieced, stepped);
        assert_ne!(stepped, weight, "the step moves the weight");

        let mut gradient = vec![0.0; o * cols.len()];
        block(c, cols.clone()).gradient(delta(), in_place(0, &cols), &mut gradient);
        let mut pieced = vec![f32::NAN; o * cols.len()];
        for piece in (0..columns.count).map(|k| columns.get(k)) {
            let part = cols.start + piece.start..cols.start + piece.end;
            let grad = &mut pieced[piece.start * o..piece.end * o];
            block(c, part.clone()).gradient(delta(), in_place(0, &part), grad);
        }
        assert_eq!(pieced, gradient);
    }

    #[test]
    fn the_features_split_evenly_and_the_units_in_whole_tiles() {
        assert_eq!(input_block(0, 784, 0, 2), 0..392);
        assert_eq!(input_block(0, 784, 1, 2), 392..784);
        assert_eq!(input_block(0, 100, 2, 3), 80..100);
        assert_eq!(input_block(1, 128, 1, 2), unit_block(128, 1, 2));
        assert_eq!(input_block(2, 96, 1, 3), 32..64);
    }
}
