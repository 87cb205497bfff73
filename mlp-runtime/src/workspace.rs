//! The buffers a model's passes work in, allocated once so that passes allocate nothing.

use std::marker::PhantomData;

use crate::float::Float;
use crate::model::Model;

/// Preallocated buffers for the passes of a model of type `M`: the activations of every
/// layer (the *tape*, laid out as [`mlp_spec::Dense`] describes) for one sample and for a
/// full batch, and room to pad a partial batch of inputs to a full one. Create one with
/// [`Model::workspace`] and reuse it.
pub struct Workspace<M: Model> {
    /// The tape of one sample.
    pub(crate) single: Box<[M::Float]>,
    /// The tape of a full batch.
    pub(crate) batch: Box<[M::Float]>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    pub(crate) padded: Box<[M::Float]>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Workspace<M> {
    /// Buffers for a network whose layers have `tape_units` units in all, whose passes take
    /// one sample or `batch` samples, and that pads partial batches of inputs when `pads`.
    pub(crate) fn new(tape_units: usize, inputs: usize, batch: usize, pads: bool) -> Self {
        let zeros = |len| vec![<M::Float as Default>::default(); len].into_boxed_slice();
        Workspace {
            single: zeros(3 * tape_units),
            batch: zeros(3 * tape_units * batch),
            padded: zeros(if pads { inputs * batch } else { 0 }),
            model: PhantomData,
        }
    }
}

impl<M: Model> Clone for Workspace<M> {
    fn clone(&self) -> Self {
        Workspace {
            single: self.single.clone(),
            batch: self.batch.clone(),
            padded: self.padded.clone(),
            model: PhantomData,
        }
    }
}

impl<M: Model> std::fmt::Debug for Workspace<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("single", &self.single.len())
            .field("batch", &self.batch.len())
            .field("padded", &self.padded.len())
            .finish()
    }
}

/// A full batch of `inputs`-wide columns from `count` of them: the slice itself when it holds
/// a full batch, otherwise a copy in `padded` with zero columns after them (which the loss
/// ignores).
pub(crate) fn padded_batch<'a, T: Float>(
    padded: &'a mut [T],
    inputs: &'a [T],
    width: usize,
    count: usize,
) -> &'a [T] {
    let full = padded.len();
    if count * width == full {
        return &inputs[..full];
    }
    let n = width * count;
    padded[..n].copy_from_slice(&inputs[..n]);
    padded[n..].fill(T::zero());
    padded
}
