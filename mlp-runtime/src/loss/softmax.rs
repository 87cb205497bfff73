//! Softmax outputs with cross-entropy or KL divergence, computed from the logits.

use nalgebra::Dim;

use super::{Head, divisor, moderate};
use crate::activation::softmax;
use crate::float::Float;

/// Softmax output with cross-entropy, `-sum_k y_k ln yhat_k` averaged over the batch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoftmaxCrossEntropy;

/// Softmax output with KL divergence, `sum_k y_k (ln y_k - ln yhat_k)` averaged over the
/// batch (`KLDivLoss(reduction="batchmean")`, with `0 ln 0 = 0`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoftmaxKlDiv;

/// Writes the delta shared by both softmax losses: `(yhat sum_k y_k - y) / N`. Inlined, as
/// the heads' `delta` are, so that a compiled network's constant number of outputs reaches
/// its loops: called with a run-time length, they took 8% of the instructions of 4-16-16-3's
/// one-sample training step.
#[inline(always)]
fn softmax_delta<T: Float>(rows: usize, a: &[T], y: &[T], valid: usize, delta: &mut [T]) {
    let n = rows * valid;
    let scale = T::one() / divisor::<T>(rows, valid, false);
    for ((d, a), y) in delta[..n]
        .chunks_exact_mut(rows)
        .zip(a.chunks_exact(rows))
        .zip(y.chunks_exact(rows))
    {
        let mass = y.iter().fold(T::zero(), |acc, &y| acc + y);
        for ((d, &a), &y) in d.iter_mut().zip(a).zip(y) {
            *d = (a * mass - y) * scale;
        }
    }
    delta[n..].fill(T::zero());
}

/// The mean over the first `valid` columns of `sum_k term(y_k, ln yhat_k)`, with the
/// log-probabilities taken from the logits as `z_k - lse(z)` so that they never overflow.
///
/// `a` is the softmax of `z`, so at the largest logit `z*` it holds `1 / sum_k e^(z_k - z*)`,
/// which is at least `1 / rows`: `lse(z) = z* - ln a*` without computing the exponentials
/// again.
#[inline]
fn softmax_loss<T: Float>(
    rows: usize,
    z: &[T],
    a: &[T],
    y: &[T],
    valid: usize,
    term: impl Fn(T, T) -> T,
) -> T {
    let n = rows * valid;
    let sum = z[..n]
        .chunks_exact(rows)
        .zip(a.chunks_exact(rows))
        .zip(y.chunks_exact(rows))
        .fold(T::zero(), |acc, ((z, a), y)| {
            let top = (1..rows).fold(0, |top, k| if z[k] > z[top] { k } else { top });
            let lse = z[top] - a[top].ln();
            z.iter()
                .zip(y)
                .fold(acc, |acc, (&z, &y)| acc + term(y, z - lse))
        });
    sum / divisor(rows, valid, false)
}

impl Head for SoftmaxCrossEntropy {
    #[inline(always)]
    fn activate<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        softmax(rows.value(), z, a);
    }

    #[inline]
    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        // -y ln(yhat) with ln(yhat) = z - lse.
        softmax_loss(rows.value(), z, a, y, valid, |y, log_yhat| -y * log_yhat)
    }

    #[inline(always)]
    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        softmax_delta(rows.value(), a, y, valid, delta);
    }

    /// With `|z|, |y| <= 2^32`: `lse` is within `ln rows` above the largest logit, so each
    /// `y_k (lse - z_k)` is below `2^32 (2^33 + ln rows)`.
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

impl Head for SoftmaxKlDiv {
    #[inline(always)]
    fn activate<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        softmax(rows.value(), z, a);
    }

    #[inline]
    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        // y (ln y - ln yhat), with 0 ln 0 = 0 as torch's xlogy.
        softmax_loss(rows.value(), z, a, y, valid, |y, log_yhat| {
            if y > T::zero() {
                y * (y.ln() - log_yhat)
            } else {
                T::zero()
            }
        })
    }

    #[inline(always)]
    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        softmax_delta(rows.value(), a, y, valid, delta);
    }

    /// With `|z|, |y| <= 2^32`: as cross-entropy's, with `|ln y| <= 745` for positive `y`
    /// (the smallest subnormal's, in `f64`), and a zero term for the others.
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
