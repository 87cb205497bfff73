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
#[cfg(feature = "std")]
pub(crate) use kinds::{WideHeadPass, with_wide_head};
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

    /// Whether the mean loss over the first `valid` columns is sure to be finite, judged from
    /// the logits `z` and targets `y` alone, before the loss is computed; `false` (the
    /// default) when the head cannot tell. Where it is sure, a fused SGD step updates the
    /// parameters without waiting for the loss, which it otherwise checks first.
    fn assures_finite_loss<T: Float, R: Dim>(
        &self,
        rows: R,
        z: &[T],
        y: &[T],
        valid: usize,
    ) -> bool {
        let _ = (rows, z, y, valid);
        false
    }
}

/// The bound on logits and targets under which the logit heads (softmax and sigmoid with
/// their losses) assure a finite loss: with every `|z|` and `|y|` at most `2^32`, each term
/// of their sums is below `2^66` in magnitude (see each head's `assures_finite_loss`), so a
/// sum over fewer than `2^62` values cannot reach `f32::MAX` (about `2^128`). Training at
/// logits beyond it is rare, and only takes the checked order.
const MODERATE: f64 = 4_294_967_296.0;

/// Whether the first `n` values of `z` and of `y` are all within [`MODERATE`] (NaN is not).
#[inline(always)]
fn moderate<T: Float>(z: &[T], y: &[T], n: usize) -> bool {
    let bound = T::cast(MODERATE);
    // Folded without an early exit: a few values' comparisons, and no branch per value.
    let within = |values: &[T]| values.iter().fold(true, |all, v| all & (v.abs() <= bound));
    within(&z[..n]) & within(&y[..n])
}

/// A fused SGD step's loss and update over `state`: `descend` runs unless the loss is not
/// finite (then nothing changes and the caller reports the divergence), and the loss is
/// returned. Where the head assures a finite loss (`assured`, from
/// [`Head::assures_finite_loss`]), the update runs first and the loss after it; `descend`
/// leaves what `loss` reads (the output layer's logits and activations, the targets) as it
/// found them, so both orders give the same bits.
///
/// The order matters to the processor, which retires instructions in program order: a loss
/// computed first holds the update's stores behind the chain of dependent operations of its
/// logarithm, a call into the C library. 4-16-16-3's compiled one-sample step (softmax with
/// cross-entropy) ran at 9.10-9.62 M samples/s instead of 8.47-8.94 M in
/// `benches/ratios.rs`' turns, and took 104-106 ns instead of 112-117 ns in a loop of its
/// own. 2-8-1's (sigmoid with binary cross-entropy, two library calls) took 60-63 ns instead
/// of 72-74 ns in such a loop, but ran at 16.6-17.7 M samples/s instead of 17.4-18.2 M in
/// the bench: how the caller's code is laid out decides that one.
#[cfg(feature = "std")]
#[inline(always)]
pub(crate) fn descend_unless_diverged<S, T: Float>(
    state: &mut S,
    assured: bool,
    loss: impl Fn(&mut S) -> T,
    descend: impl FnOnce(&mut S),
) -> T {
    // One call of `descend` in the code, which is most of a step's: two made the step longer.
    let first = if assured { None } else { Some(loss(state)) };
    if first.is_none_or(|loss| loss.as_f64().is_finite()) {
        descend(state);
    }
    first.unwrap_or_else(|| loss(state))
}

/// The divisor of a mean over `valid` columns of `rows` outputs.
fn divisor<T: Float>(rows: usize, valid: usize, over_outputs: bool) -> T {
    let count = if over_outputs { rows * valid } else { valid };
    T::cast(count as f64)
}

#[cfg(test)]
mod tests;
