//! Sigmoid outputs with binary cross-entropy, computed from the logits.

use nalgebra::Dim;

use super::{Head, divisor, moderate};
use crate::activation::sigmoid;
use crate::float::Float;

/// Sigmoid output with binary cross-entropy averaged over batch and outputs, computed from
/// the logits as `max(z, 0) - z y + ln(1 + e^-|z|)` (`BCEWithLogitsLoss`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SigmoidBce;

impl Head for SigmoidBce {
    fn activate<T: Float, R: Dim>(&self, _rows: R, z: &[T], a: &mut [T]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = sigmoid(z);
        }
    }

    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], _a: &[T], y: &[T], valid: usize) -> T {
        loss_from_logits(rows, z, y, valid)
    }

    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        delta_from_outputs(rows, a, y, valid, delta);
    }

    /// With `|z|, |y| <= 2^32`, each term `max(z, 0) - z y + ln(1 + e^-|z|)` of the loss is
    /// below `2^32 + 2^64 + 1`.
    #[inline(always)]
    fn assures_finite_loss<T: Float, R: Dim>(
        &self,
        rows: R,
        z: &[T],
        y: &[T],
        valid: usize,
    ) -> bool {
        moderate(z, y, rows.value() * valid)
    }
}

/// [`SigmoidBce`] with the outputs of the `fast_sigmoid` activation
/// ([`crate::activation::FastSigmoid`]); the loss is still computed from the logits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FastSigmoidBce;

impl Head for FastSigmoidBce {
    fn activate<T: Float, R: Dim>(&self, _rows: R, z: &[T], a: &mut [T]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = z.activation_fast_sigmoid();
        }
    }

    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], _a: &[T], y: &[T], valid: usize) -> T {
        loss_from_logits(rows, z, y, valid)
    }

    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        delta_from_outputs(rows, a, y, valid, delta);
    }

    /// As [`SigmoidBce`]'s: the loss is the same.
    #[inline(always)]
    fn assures_finite_loss<T: Float, R: Dim>(
        &self,
        rows: R,
        z: &[T],
        y: &[T],
        valid: usize,
    ) -> bool {
        moderate(z, y, rows.value() * valid)
    }
}

/// The mean binary cross-entropy of the `valid` samples' logits `z`.
fn loss_from_logits<T: Float, R: Dim>(rows: R, z: &[T], y: &[T], valid: usize) -> T {
    let rows = rows.value();
    let n = rows * valid;
    let sum = z[..n].iter().zip(&y[..n]).fold(T::zero(), |acc, (&z, &y)| {
        acc + z.max(T::zero()) - z * y + (-z.abs()).exp().ln_1p()
    });
    sum / divisor(rows, valid, true)
}

/// The loss's gradient with respect to the logits, `(a - y) / (rows valid)`, zero past the
/// `valid` samples.
fn delta_from_outputs<T: Float, R: Dim>(rows: R, a: &[T], y: &[T], valid: usize, delta: &mut [T]) {
    let rows = rows.value();
    let n = rows * valid;
    let scale = T::one() / divisor::<T>(rows, valid, true);
    for ((d, &a), &y) in delta[..n].iter_mut().zip(&a[..n]).zip(&y[..n]) {
        *d = (a - y) * scale;
    }
    delta[n..].fill(T::zero());
}
