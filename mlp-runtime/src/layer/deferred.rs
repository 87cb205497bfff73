//! A first layer's weight update held back from one sample to the next, so that the next
//! sample's forward pass applies it in the same walk over the weight as its product.

use mlp_spec::Plan;
use nalgebra::{Const, Dyn};

use crate::float::Float;
use crate::kernels::{HeldStep, Shape, dense};

/// One sample's SGD step of a network's first weight, `W -= lr delta x^T`, held back by an
/// on-line session ([`Trainer::online`](crate::Trainer::online)) until the next sample's
/// forward pass ([`Dense::forward_held`](super::Dense::forward_held)) or
/// [`DeferredUpdate::apply`].
///
/// The weight of a 784-128 first layer is larger than L1 and smaller than L2: a one-sample
/// step that reads it for its product and again for its update streams it from L2 twice. With
/// the update held back, each sample's step reads and writes it once, and every weight still
/// takes the same operations in the same order, so the parameters keep their bits.
#[derive(Clone, Debug)]
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
        })
    }

    /// Whether a step is held, not yet applied.
    pub fn is_waiting(&self) -> bool {
        self.waiting
    }

    /// Applies the held step, if any, to `params` (the network's parameters).
    pub fn apply(&mut self, params: &mut [T]) {
        let at = self.at;
        if let Some((shape, step)) = self.take_with_shape() {
            let (i, o, _) = shape.sizes();
            dense::apply_held_step(shape, step, &mut params[at..at + o * i]);
        }
    }

    /// Holds the step of a sample's `delta` and input `x` with the layer's rate `lr`.
    pub(super) fn hold(&mut self, delta: &[T], x: &[T], lr: T) {
        self.delta.copy_from_slice(delta);
        self.x.copy_from_slice(x);
        self.lr = lr;
        self.waiting = true;
    }

    /// The held step, which is then no longer held (its taker applies it).
    pub(super) fn take(&mut self) -> Option<HeldStep<'_, T>> {
        self.take_with_shape().map(|(_, step)| step)
    }

    /// [`DeferredUpdate::take`], with the layer's shape for one sample.
    fn take_with_shape(&mut self) -> Option<(Shape<Dyn, Dyn, Const<1>>, HeldStep<'_, T>)> {
        if !std::mem::take(&mut self.waiting) {
            return None;
        }
        let shape = Shape {
            inputs: Dyn(self.x.len()),
            units: Dyn(self.delta.len()),
            columns: Const::<1>,
        };
        let step = HeldStep {
            delta: &self.delta,
            x: &self.x,
            lr: self.lr,
        };
        Some((shape, step))
    }
}
