//! Losses, and the output heads that pair them with the output activation.
//!
//! A head owns the last step of the network: it applies the output activation, computes the
//! mean loss over the valid columns of a batch, and writes `delta = dL/dz` (already divided by
//! the batch size). Softmax with cross-entropy or KL divergence and sigmoid with binary
//! cross-entropy are fused: they work from the logits `z` with log-sum-exp, so their losses
//! and gradients stay finite for any input, and their delta is simply `yhat - y` scaled.
//! Which head a spec gets is decided once, by [`mlp_spec::Loss::head`]; the spec's
//! [`mlp_spec::Head`] implements [`Head`] by handing each kind to its type
//! ([`with_head`]).
//!
//! Columns after `valid` are padding (a last partial batch run through a full-size kernel):
//! they do not enter the loss and their delta is zero, so they contribute nothing to any
//! gradient.

mod bce;
mod chain;
mod element;
#[cfg(feature = "std")]
mod kinds;
mod softmax;
mod weights;

use nalgebra::Dim;

pub use bce::{FastSigmoidBce, SigmoidBce};
pub use chain::Chain;
pub use element::{ElementLoss, Hinge, Huber, Mae, Mse, SumOfSquares, sign};
#[cfg(feature = "std")]
pub use kinds::{HeadVisitor, with_head};
pub use softmax::{SoftmaxCrossEntropy, SoftmaxKlDiv};
pub use weights::Targets;
#[cfg(feature = "std")]
pub(crate) use weights::share;
pub(crate) use weights::{weigh_delta, weighted_loss};

use crate::float::Float;

/// The output layer's activation and loss, as one unit. `rows` is the number of outputs, a
/// constant in compiled networks.
pub trait Head: Copy {
    /// Writes the network's output `a = f(z)`.
    fn activate<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]);

    /// The mean loss over the first `valid` columns.
    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], y: &[T], valid: usize) -> T;

    /// Writes `delta = dL/dz` of the mean loss over the first `valid` columns, and zeros in
    /// the columns after them.
    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    );
}

/// The divisor of a mean over `valid` columns of `rows` outputs.
fn divisor<T: Float>(rows: usize, valid: usize, over_outputs: bool) -> T {
    let count = if over_outputs { rows * valid } else { valid };
    T::cast(count as f64)
}

#[cfg(test)]
mod tests;
