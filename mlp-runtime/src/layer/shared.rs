//! A first layer's one-sample product shared out to threads, each multiplying its own rows of
//! the weight from its own core's cache.

use core::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use mlp_spec::Plan;
use nalgebra::{Const, Dyn};

use crate::float::Float;
use crate::kernels::{Shape, dense};
use crate::lines::Lines;
use crate::pool::Pool;

use super::rows::{runs, take_rows};

/// The one-sample product `z = W x + b` of a network's first layer, shared out to threads by
/// a [`Predictor`](crate::Predictor) on more than one thread
/// ([`Plan::shared_product_parts`]): each thread multiplies its own blocks of
/// [`mlp_spec::DEFERRED_UNITS`] units, with its own copy of their rows of the weight and bias.
///
/// A 784-128 layer's weight (400 KB of `f32`) is larger than an L1 cache, and one core's
/// product streams it from L2 at the rate of a plain loop over it; two cores each stream
/// their half from their own L2. The rows live in buffers of their own, so that each part's
/// rows stay in the cache of the core that multiplies them, and are copied when the product
/// is made: its owner borrows the network, whose parameters cannot change meanwhile. Each
/// unit's sum is one chain over the inputs, as on one thread, so the outputs keep their bits.
#[derive(Debug)]
pub struct SharedProduct<T> {
    /// Where the layer's weight starts among the parameters.
    at: usize,
    /// The layer's inputs.
    inputs: usize,
    /// The threads: part `p` runs on thread `p` (the calling thread's is 0).
    threads: Arc<Pool>,
    /// The units of each part: runs of whole blocks of [`mlp_spec::DEFERRED_UNITS`], the last one with
    /// the rest.
    rows: Box<[Range<usize>]>,
    /// Each part's buffers, which only its thread uses while a product runs (the locks are
    /// never contended; they hand each thread its part).
    parts: Box<[Mutex<Part<T>>]>,
}

/// One part's rows of the layer.
#[derive(Debug)]
struct Part<T> {
    /// The part's rows of the weight, column after column.
    weight: Lines<T>,
    /// The part's rows of the bias.
    bias: Box<[T]>,
    /// The part's rows of the product.
    z: Box<[T]>,
}

impl<T: Float> SharedProduct<T> {
    /// The first layer's product of `plan`, whose parameters are `params`, shared out to
    /// [`Plan::shared_product_parts`] of `threads` threads; `None` where that is one (the
    /// product stays on the calling thread). The threads live as long as the product.
    pub(crate) fn new(plan: &Plan, params: &[T], threads: usize) -> Option<Self> {
        let parts = plan.shared_product_parts(threads);
        let first = plan.hidden.first().filter(|_| parts > 1)?.dense;
        let (at, inputs, units) = (first.params, first.inputs, first.units);
        let (weight, bias) = params[at..at + units * (inputs + 1)].split_at(units * inputs);
        let rows = runs(units, parts);
        let part = |rows: &Range<usize>| {
            let mut own = Lines::zeros(rows.len() * inputs);
            take_rows(weight, units, rows, &mut own);
            Mutex::new(Part {
                weight: own,
                bias: bias[rows.clone()].into(),
                z: vec![T::zero(); rows.len()].into_boxed_slice(),
            })
        };
        Some(SharedProduct {
            at,
            inputs,
            threads: Arc::new(Pool::new(parts)),
            parts: rows.iter().map(part).collect(),
            rows,
        })
    }

    /// The threads the product runs on.
    pub fn threads(&self) -> usize {
        self.rows.len()
    }

    /// `z = W x + b` of the layer whose weight starts at `at` among the parameters, for one
    /// sample `x`, each part on its thread.
    ///
    /// # Panics
    ///
    /// If the layer is not the one the product was made for.
    pub(super) fn product(&self, at: usize, x: &[T], z: &mut [T]) {
        let units = self.rows.last().map_or(0, |rows| rows.end);
        assert!(
            at == self.at && x.len() == self.inputs && z.len() == units,
            "a shared product runs for the layer it was made for"
        );
        let (rows, parts) = (&self.rows, &self.parts);
        self.threads.broadcast(|thread| {
            let Some(rows) = rows.get(thread) else {
                return;
            };
            let mut part = lock(&parts[thread]);
            let Part { weight, bias, z } = &mut *part;
            let shape = Shape {
                inputs: Dyn(x.len()),
                units: Dyn(rows.len()),
                columns: Const::<1>,
            };
            dense::forward_with_bias(shape, weight, bias, x, z);
        });
        for (rows, part) in self.rows.iter().zip(&self.parts) {
            z[rows.clone()].copy_from_slice(&lock(part).z);
        }
    }
}

/// A part's buffers. A thread that panicked in a product left its part's sums part-way; its
/// panic reaches the caller, whose prediction then did not complete, so a poisoned lock is
/// used as it is.
fn lock<T>(part: &Mutex<Part<T>>) -> MutexGuard<'_, Part<T>> {
    part.lock().unwrap_or_else(PoisonError::into_inner)
}
