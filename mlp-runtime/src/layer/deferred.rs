//! A first layer's weight update held back from one sample to the next, so that the next
//! sample's forward pass applies it in the same walk over the weight as its product.

use core::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mlp_spec::Plan;
use nalgebra::{Const, Dyn};

use crate::float::Float;
use crate::kernels::{HeldStep, Shape, Size, dense};
use crate::lines::Lines;
use crate::pool::Pool;

use super::rows::{put_rows, runs, take_rows};

/// One sample's SGD step of a network's first weight, `W -= lr delta x^T`, held back by an
/// on-line session ([`Trainer::online`](crate::Trainer::online)) until the next sample's
/// forward pass ([`Dense::forward_held`](super::Dense::forward_held)) or
/// [`DeferredUpdate::apply`].
///
/// The weight of a 784-128 first layer is larger than L1 and smaller than L2: a one-sample
/// step that reads it for its product and again for its update streams it from L2 twice. With
/// the update held back, each sample's step reads and writes it once, and every weight still
/// takes the same operations in the same order, so the parameters keep their bits.
///
/// Shared out to threads (by a trainer with [`TrainConfig::threads`](crate::TrainConfig)),
/// the walk runs on all of them, each over its own blocks of the layer's units. Each unit's
/// sum is still one chain over the inputs, so the bits are those of one thread. The threads'
/// rows of the weight then live in buffers of their own from the first walk until the update
/// is applied ([`DeferredUpdate::apply`]), which copies them back into the parameters: rows
/// of the parameters' column-major weight interleave the threads' blocks in every column,
/// and two cores walking them side by side took 25-27 us a sample where one alone took 9
/// (their cache lines went back and forth between the cores), while in buffers of their own
/// they took 6-8. The update is therefore not `Clone`: its parts hold rows of the weight, and
/// run on the trainer's threads (which its steps split by units use too).
#[derive(Debug)]
pub struct DeferredUpdate<T> {
    /// Where the weight starts among the parameters.
    at: usize,
    /// The sample's delta of the layer's units.
    delta: Box<[T]>,
    /// The sample's input.
    x: Box<[T]>,
    /// The layer's learning rate for the step.
    lr: T,
    /// Whether a step is held.
    waiting: bool,
    /// The threads and their rows of the weight, when the walk is shared out.
    parts: Option<Parts<T>>,
}

/// The threads of a shared-out walk, one a part, and the parts' rows of the weight.
#[derive(Debug)]
struct Parts<T> {
    /// The trainer's threads: part `p` runs on thread `p`.
    threads: Arc<Pool>,
    /// The units of each part: runs of whole blocks of [`mlp_spec::DEFERRED_UNITS`], the
    /// last one with the rest.
    rows: Box<[Range<usize>]>,
    /// Each part's buffers, which only its thread uses while the walk runs (the locks are
    /// never contended; they hand each thread its part).
    parts: Box<[Mutex<Part<T>>]>,
    /// Whether the parts hold the weight, and the parameters' copy is out of date.
    out: bool,
    /// Whether the last forward pass was a walk: each part's `p` holds its input.
    walked: bool,
    /// Whether each part's `p` holds the held step's input: the step is the walked sample's.
    holds_input: bool,
}

/// One part's buffers.
#[derive(Debug)]
struct Part<T> {
    /// The part's rows of the weight, column after column.
    weight: Lines<T>,
    /// The part's rows of the product.
    z: Box<[T]>,
    /// The input of the held step, then the walked sample's: its thread's own copy, so that
    /// the next walk reads it from that core's cache. Copied from the held step's each time
    /// (which the calling thread writes), a 784-128 part's walk took 5.5 us, and 4.4 in a
    /// probe that skipped the copy.
    p: Box<[T]>,
    /// The walked sample's input, copied in one go before the walk (which then reads it
    /// from the part's core).
    x: Box<[T]>,
}

impl<T: Float> DeferredUpdate<T> {
    /// Room for a step of the plan's first layer, whose update the plan defers
    /// ([`Plan::defers_first_update`]); `None` for other plans.
    pub fn for_plan(plan: &Plan) -> Option<Self> {
        let first = plan.hidden.first().filter(|_| plan.defers_first_update)?;
        let zeros = |len| vec![T::zero(); len].into_boxed_slice();
        Some(DeferredUpdate {
            at: first.dense.params,
            delta: zeros(first.dense.units),
            x: zeros(first.dense.inputs),
            lr: T::zero(),
            waiting: false,
            parts: None,
        })
    }

    /// Shares the walk of each next forward pass out to the first `parts` threads of `pool`
    /// (which has at least as many; the calling thread is the first), each over its run of
    /// the layer's units ([`Plan::held_parts`] gives how many pay); for one part, the walk
    /// stays on the calling thread. With AVX-512 a part's walk is one pass over its rows,
    /// elsewhere the step and then the product over them, whose sums of the part's rows are
    /// the whole layer's (`forward_separate` keeps one running sum per unit from
    /// [`mlp_spec::DEFERRED_UNITS`] units on). For an update that has held nothing yet (the
    /// threads' rows of the weight are not out).
    pub(crate) fn share_out(&mut self, pool: &Arc<Pool>, parts: usize) {
        assert!(
            self.parts.as_ref().is_none_or(|parts| !parts.out),
            "the threads' rows of the weight are applied before the walk is shared out again"
        );
        let (units, inputs) = (self.delta.len(), self.x.len());
        let parts = parts.min(units / mlp_spec::DEFERRED_UNITS);
        if parts < 2 {
            self.parts = None;
            return;
        }
        assert!(
            pool.threads() >= parts,
            "the pool has a thread for each part"
        );
        let rows = runs(units, parts);
        let part = |rows: &Range<usize>| {
            Mutex::new(Part {
                weight: Lines::zeros(rows.len() * inputs),
                z: vec![T::zero(); rows.len()].into_boxed_slice(),
                x: vec![T::zero(); inputs].into_boxed_slice(),
                p: vec![T::zero(); inputs].into_boxed_slice(),
            })
        };
        self.parts = Some(Parts {
            threads: Arc::clone(pool),
            parts: rows.iter().map(part).collect(),
            rows,
            out: false,
            walked: false,
            holds_input: false,
        });
    }

    /// The threads the walk over the weight runs on ([`DeferredUpdate::share_out`]).
    pub(crate) fn threads(&self) -> usize {
        self.parts.as_ref().map_or(1, |parts| parts.rows.len())
    }

    /// Whether a step is held, not yet applied.
    pub fn is_waiting(&self) -> bool {
        self.waiting
    }

    /// Applies the held step, if any, to `params` (the network's parameters), with the
    /// threads' rows of the weight when they hold it.
    pub fn apply(&mut self, params: &mut [T]) {
        let (at, o, i) = (self.at, self.delta.len(), self.x.len());
        let weight = &mut params[at..at + o * i];
        if let Some(parts) = &mut self.parts {
            parts.bring_back(weight);
        }
        if let Some(step) = self.take() {
            let shape = Shape {
                inputs: Dyn(i),
                units: Dyn(o),
                columns: Const::<1>,
            };
            dense::apply_held_step(shape, step, weight);
        }
    }

    /// `z = W x + b` for one sample of the layer whose weight and bias `layer` holds, after
    /// the held step, in one walk over the weight (on the threads, if it is shared out); the
    /// bits of [`DeferredUpdate::apply`] and then the product. `false`, and nothing done but
    /// the weight brought back into `layer`, when no step is held.
    pub(super) fn forward<I: Size, O: Size>(
        &mut self,
        shape: Shape<I, O, Const<1>>,
        layer: &mut [T],
        x: &[T],
        z: &mut [T],
    ) -> bool {
        let (i, o, _) = shape.sizes();
        let (weight, bias) = layer[..o * (i + 1)].split_at_mut(o * i);
        let Some(parts) = &mut self.parts else {
            return match self.take() {
                Some(step) => {
                    dense::forward_after_held_step(shape, step, weight, bias, x, z);
                    true
                }
                None => false,
            };
        };
        if !self.waiting {
            parts.bring_back(weight);
            return false;
        }
        self.waiting = false;
        let step = HeldStep {
            delta: &self.delta,
            x: &self.x,
            lr: self.lr,
        };
        parts.forward(step, weight, bias, x, &mut z[..o]);
        true
    }

    /// Holds the step of a sample's `delta` and input `x` with the layer's rate `lr`: of the
    /// sample whose forward pass this update ran last, if any ([`DeferredUpdate::forward`]).
    pub(super) fn hold(&mut self, delta: &[T], x: &[T], lr: T) {
        if let Some(parts) = &mut self.parts {
            parts.holds_input = std::mem::take(&mut parts.walked);
        }
        self.delta.copy_from_slice(delta);
        self.x.copy_from_slice(x);
        self.lr = lr;
        self.waiting = true;
    }

    /// The held step, which is then no longer held (its taker applies it).
    fn take(&mut self) -> Option<HeldStep<'_, T>> {
        if !std::mem::take(&mut self.waiting) {
            return None;
        }
        Some(HeldStep {
            delta: &self.delta,
            x: &self.x,
            lr: self.lr,
        })
    }
}

impl<T: Float> Parts<T> {
    /// The walk of [`DeferredUpdate::forward`], part `p` on thread `p` (the calling thread's
    /// is 0), from the parts' rows of the weight (taken out of `weight`, the parameters', at
    /// the first walk). Each part stays on its thread from walk to walk, and so do its rows of
    /// the weight in that core's cache: when any thread took any part, a part changed threads
    /// in up to half the walks of a 784-128 layer, each time with its 200 KB, and two threads
    /// took longer than one.
    fn forward(
        &mut self,
        step: HeldStep<'_, T>,
        weight: &mut [T],
        bias: &[T],
        x: &[T],
        z: &mut [T],
    ) {
        if !self.out {
            self.take_out(weight);
        }
        let holds_input = std::mem::take(&mut self.holds_input);
        let (rows, parts) = (&self.rows, &self.parts);
        self.threads.broadcast(|thread| {
            let Some(rows) = rows.get(thread).cloned() else {
                return;
            };
            let mut part = lock(&parts[thread]);
            let Part {
                weight,
                z,
                p,
                x: own_x,
            } = &mut *part;
            if !holds_input {
                p.copy_from_slice(step.x);
            }
            own_x.copy_from_slice(x);
            let shape = Shape {
                inputs: Dyn(x.len()),
                units: Dyn(rows.len()),
                columns: Const::<1>,
            };
            let step = HeldStep {
                delta: &step.delta[rows.clone()],
                x: p,
                ..step
            };
            dense::forward_after_held_step(shape, step, weight, &bias[rows], own_x, z);
            std::mem::swap(p, own_x);
        });
        self.walked = true;
        for (rows, part) in self.rows.iter().zip(&self.parts) {
            z[rows.clone()].copy_from_slice(&lock(part).z);
        }
    }

    /// Copies each part's rows of `weight` (the parameters') into its buffer.
    fn take_out(&mut self, weight: &[T]) {
        let units = self.rows.last().map_or(0, |r| r.end);
        for (rows, part) in self.rows.iter().zip(&self.parts) {
            take_rows(weight, units, rows, &mut lock(part).weight);
        }
        self.out = true;
    }

    /// Copies the parts' rows back into `weight` (the parameters'), if they hold it.
    fn bring_back(&mut self, weight: &mut [T]) {
        (self.walked, self.holds_input) = (false, false);
        if !std::mem::take(&mut self.out) {
            return;
        }
        let units = self.rows.last().map_or(0, |r| r.end);
        for (rows, part) in self.rows.iter().zip(&self.parts) {
            put_rows(&lock(part).weight, units, rows, weight);
        }
    }
}

/// A part's buffers. A thread that panicked in a walk left its part as a walk leaves it, or
/// part-way through its columns; its panic reaches the caller, whose step then did not
/// complete, so a poisoned lock is used as it is.
fn lock<T>(part: &Mutex<Part<T>>) -> MutexGuard<'_, Part<T>> {
    part.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values in [-1, 1) that differ from one `salt` to another.
    fn values(len: usize, salt: usize) -> Vec<f32> {
        (0..len)
            .map(|k| ((k * 37 + salt * 101) % 211) as f32 / 105.5 - 1.0)
            .collect()
    }

    /// Five held steps, each applied by the next walk or by `apply` (the third, which also
    /// brings the threads' rows back, so that the walk after next copies the held input to
    /// the threads again, and the last), give the same products and weights with the walk
    /// shared out to two and three threads as on one, for a layer of two blocks of 64 units
    /// and one of three blocks and some (64, 64 and 72 rows on three threads), from
    /// parameters whose weight does not start on a cache line.
    #[test]
    fn a_walk_shared_out_to_threads_gives_the_bits_of_one_thread() {
        for (inputs, units) in [(131, 128), (83, 200)] {
            let yaml = format!(
                "input: {inputs}\nlayers:\n  - {{units: {units}, activation: relu}}\n  - {{units: 3, activation: softmax}}\nloss: cross_entropy\noptimizer: sgd\n"
            );
            let plan = mlp_spec::parse(&yaml).unwrap().plan();
            assert!(plan.defers_first_update);
            let run = |parts: usize| {
                let mut held = DeferredUpdate::<f32>::for_plan(&plan).unwrap();
                held.share_out(&Arc::new(Pool::new(parts)), parts);
                assert_eq!(held.threads(), parts.min(units / 64));
                let mut params = values(1 + units * (inputs + 1), 1);
                let layer = &mut params[1..];
                let shape = Shape {
                    inputs: Dyn(inputs),
                    units: Dyn(units),
                    columns: Const::<1>,
                };
                let mut products = Vec::new();
                for k in 0..5 {
                    let (x, delta) = (values(inputs, 10 + k), values(units, 20 + k));
                    let mut z = vec![0.0f32; units];
                    let walked = held.forward(shape, layer, &x, &mut z);
                    assert_eq!(walked, k != 0 && k != 3, "a step waits but after 0 and 2");
                    products.push(z);
                    held.hold(&delta, &x, 0.1);
                    if k == 2 {
                        // The threads' rows come back, and the next walk takes them out again.
                        held.apply(layer);
                    }
                }
                held.apply(&mut params[1..]);
                (params, products)
            };
            let one = run(1);
            for parts in [2, 3] {
                let shared = run(parts);
                assert!(shared.0 == one.0, "{inputs} -> {units}: weights on {parts}");
                assert!(
                    shared.1 == one.1,
                    "{inputs} -> {units}: products on {parts}"
                );
            }
        }
    }
}
