//! The buffers a model's passes work in, allocated once so that passes allocate nothing.

use std::marker::PhantomData;

use mlp_spec::Regularization;

use crate::float::Float;
use crate::layer::Mode;
use crate::model::Model;

/// Preallocated buffers for the passes of a model of type `M`: the activations of every
/// layer (the *tape*, laid out as [`mlp_spec::Dense`] describes) for one sample and for a
/// full batch, and room to pad a partial batch of inputs to a full one. Create one with
/// [`Model::workspace`] and reuse it.
///
/// Its [`Mode`] ([`Model::set_mode`]) says how the losses and gradients computed in it treat batch normalisation
/// and dropout: a new workspace trains (as a new PyTorch module), with dropout seed 0; the
/// trainer sets a new seed for each step and evaluates validation data. Forward passes and
/// predictions always evaluate.
pub struct Workspace<M: Model> {
    /// The tape of one sample.
    pub(crate) single: Box<[M::Float]>,
    /// The tape of a full batch.
    pub(crate) batch: Box<[M::Float]>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    pub(crate) padded: Box<[M::Float]>,
    /// The weights of the classes in the loss; empty for none.
    pub(crate) class_weights: Box<[M::Float]>,
    /// The L1/L2 penalties of the losses and gradients computed here.
    pub(crate) regularization: Regularization,
    /// How losses and gradients computed here treat batch norm and dropout.
    pub(crate) mode: Mode,
    /// The samples of the last training pass, whose batch statistics the tape holds (0 for
    /// none since the last update of the running statistics).
    pub(crate) trained: usize,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> Workspace<M> {
    /// Buffers for a network whose tapes of one sample and of a full batch of `batch`
    /// samples hold `tapes` values, and that pads partial batches of inputs when `pads`; its
    /// losses weigh classes by `class_weights` (empty for none) and add the penalties of
    /// `regularization`.
    pub(crate) fn new(
        tapes: (usize, usize),
        inputs: usize,
        batch: usize,
        pads: bool,
        class_weights: &[f64],
        regularization: Regularization,
    ) -> Self {
        let zeros = |len| vec![<M::Float as Default>::default(); len].into_boxed_slice();
        let mut workspace = Workspace {
            single: zeros(tapes.0),
            batch: zeros(tapes.1),
            padded: zeros(if pads { inputs * batch } else { 0 }),
            class_weights: Box::default(),
            regularization,
            mode: Mode::Train { seed: 0 },
            trained: 0,
            model: PhantomData,
        };
        workspace.set_class_weights(class_weights);
        workspace
    }

    /// Makes the losses of passes in this workspace weigh classes by `weights`, one per class
    /// from class 0 (empty: every class weighs the same).
    pub(crate) fn set_class_weights(&mut self, weights: &[f64]) {
        self.class_weights = weights.iter().map(|&w| M::Float::cast(w)).collect();
    }
}

impl<M: Model> Clone for Workspace<M> {
    fn clone(&self) -> Self {
        Workspace {
            single: self.single.clone(),
            batch: self.batch.clone(),
            padded: self.padded.clone(),
            class_weights: self.class_weights.clone(),
            regularization: self.regularization,
            mode: self.mode,
            trained: self.trained,
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
