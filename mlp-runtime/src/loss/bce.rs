//! Sigmoid outputs with binary cross-entropy, computed from the logits.

use nalgebra::Dim;

use super::{Head, divisor};
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
        let rows = rows.value();
        let n = rows * valid;
        let sum = z[..n].iter().zip(&y[..n]).fold(T::zero(), |acc, (&z, &y)| {
            acc + z.max(T::zero()) - z * y + (-z.abs()).exp().ln_1p()
        });
        sum / divisor(rows, valid, true)
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
        let rows = rows.value();
        let n = rows * valid;
        let scale = T::one() / divisor::<T>(rows, valid, true);
        for ((d, &a), &y) in delta[..n].iter_mut().zip(&a[..n]).zip(&y[..n]) {
            *d = (a - y) * scale;
        }
        delta[n..].fill(T::zero());
    }
}
