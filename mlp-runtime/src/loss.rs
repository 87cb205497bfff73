//! Losses, and the output heads that pair them with the output activation.
//!
//! A head owns the last step of the network: it applies the output activation, computes the
//! mean loss over the valid columns of a batch, and writes `delta = dL/dz` (already divided by
//! the batch size). Softmax with cross-entropy or KL divergence and sigmoid with binary
//! cross-entropy are fused: they work from the logits `z` with log-sum-exp, so their losses
//! and gradients stay finite for any input, and their delta is simply `yhat - y` scaled.
//!
//! Columns after `valid` are padding (a last partial batch run through a full-size kernel):
//! they do not enter the loss and their delta is zero, so they contribute nothing to any
//! gradient.

use crate::activation::{Activation, Softmax, sigmoid};
use crate::float::Float;

/// The output layer's activation and loss, as one unit.
pub trait Head: Copy {
    /// Writes the network's output `a = f(z)`.
    fn activate<T: Float>(&self, rows: usize, z: &[T], a: &mut [T]);

    /// The mean loss over the first `valid` columns.
    fn loss<T: Float>(&self, rows: usize, z: &[T], a: &[T], y: &[T], valid: usize) -> T;

    /// Writes `delta = dL/dz` of the mean loss over the first `valid` columns, and zeros in
    /// the columns after them.
    fn delta<T: Float>(
        &self,
        rows: usize,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    );

    /// [`Head::activate`] for `ROWS` outputs known at compile time, which compiled networks
    /// call. Heads whose work depends on the number of outputs override it with code for
    /// fixed-length columns; the result is the same.
    #[inline]
    fn activate_fixed<T: Float, const ROWS: usize>(&self, z: &[T], a: &mut [T]) {
        self.activate(ROWS, z, a);
    }

    /// [`Head::loss`] for `ROWS` outputs known at compile time.
    #[inline]
    fn loss_fixed<T: Float, const ROWS: usize>(
        &self,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
    ) -> T {
        self.loss(ROWS, z, a, y, valid)
    }
}

/// A loss that is a sum of independent terms, one per output value.
pub trait ElementLoss: Copy {
    /// Whether the mean is also taken over outputs (PyTorch's `reduction="mean"`), rather
    /// than over samples only.
    const MEAN_OVER_OUTPUTS: bool;

    /// The term for one prediction and target.
    fn value<T: Float>(&self, yhat: T, y: T) -> T;

    /// Its derivative with respect to the prediction.
    fn derivative<T: Float>(&self, yhat: T, y: T) -> T;
}

/// Squared error averaged over batch and outputs (`MSELoss`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mse;

impl ElementLoss for Mse {
    const MEAN_OVER_OUTPUTS: bool = true;

    fn value<T: Float>(&self, yhat: T, y: T) -> T {
        (yhat - y) * (yhat - y)
    }

    fn derivative<T: Float>(&self, yhat: T, y: T) -> T {
        (yhat - y) * T::cast(2.0)
    }
}

/// Half the squared error, summed over outputs and averaged over the batch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SumOfSquares;

impl ElementLoss for SumOfSquares {
    const MEAN_OVER_OUTPUTS: bool = false;

    fn value<T: Float>(&self, yhat: T, y: T) -> T {
        (yhat - y) * (yhat - y) * T::cast(0.5)
    }

    fn derivative<T: Float>(&self, yhat: T, y: T) -> T {
        yhat - y
    }
}

/// Absolute error averaged over batch and outputs (`L1Loss`); the derivative at 0 is 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mae;

/// `sign(x)` with `sign(0) = 0`.
pub fn sign<T: Float>(x: T) -> T {
    if x > T::zero() {
        T::one()
    } else if x < T::zero() {
        -T::one()
    } else {
        T::zero()
    }
}

impl ElementLoss for Mae {
    const MEAN_OVER_OUTPUTS: bool = true;

    fn value<T: Float>(&self, yhat: T, y: T) -> T {
        (yhat - y).abs()
    }

    fn derivative<T: Float>(&self, yhat: T, y: T) -> T {
        sign(yhat - y)
    }
}

/// `HuberLoss`: quadratic within `delta` of the target, linear beyond.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Huber {
    /// Where the loss turns from quadratic to linear.
    pub delta: f64,
}

impl ElementLoss for Huber {
    const MEAN_OVER_OUTPUTS: bool = true;

    fn value<T: Float>(&self, yhat: T, y: T) -> T {
        let d = (yhat - y).abs();
        let delta = T::cast(self.delta);
        if d < delta {
            d * d * T::cast(0.5)
        } else {
            delta * (d - delta * T::cast(0.5))
        }
    }

    fn derivative<T: Float>(&self, yhat: T, y: T) -> T {
        let d = yhat - y;
        let delta = T::cast(self.delta);
        if d.abs() < delta { d } else { delta * sign(d) }
    }
}

/// `max(0, 1 - y yhat)` averaged over batch and outputs, for targets in {-1, +1}.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Hinge;

impl ElementLoss for Hinge {
    const MEAN_OVER_OUTPUTS: bool = true;

    fn value<T: Float>(&self, yhat: T, y: T) -> T {
        (T::one() - y * yhat).max(T::zero())
    }

    fn derivative<T: Float>(&self, yhat: T, y: T) -> T {
        if T::one() - y * yhat > T::zero() {
            -y
        } else {
            T::zero()
        }
    }
}

/// The divisor of a mean over `valid` columns of `rows` outputs.
fn divisor<T: Float>(rows: usize, valid: usize, over_outputs: bool) -> T {
    let count = if over_outputs { rows * valid } else { valid };
    T::cast(count as f64)
}

/// Any output activation followed by an element-wise loss, chained by the activation's
/// backward pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chain<A, L> {
    /// The output activation.
    pub activation: A,
    /// The loss on its output.
    pub loss: L,
}

impl<A: Activation, L: ElementLoss> Head for Chain<A, L> {
    fn activate<T: Float>(&self, rows: usize, z: &[T], a: &mut [T]) {
        self.activation.forward(rows, z, a);
    }

    fn loss<T: Float>(&self, rows: usize, _z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        let n = rows * valid;
        let sum = a[..n]
            .iter()
            .zip(&y[..n])
            .fold(T::zero(), |acc, (&a, &y)| acc + self.loss.value(a, y));
        sum / divisor(rows, valid, L::MEAN_OVER_OUTPUTS)
    }

    fn delta<T: Float>(
        &self,
        rows: usize,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        let n = rows * valid;
        let scale = T::one() / divisor::<T>(rows, valid, L::MEAN_OVER_OUTPUTS);
        for ((d, &a), &y) in delta[..n].iter_mut().zip(&a[..n]).zip(&y[..n]) {
            *d = self.loss.derivative(a, y) * scale;
        }
        self.activation
            .backward(rows, &z[..n], &a[..n], &mut delta[..n]);
        delta[n..].fill(T::zero());
    }
}

/// Softmax output with cross-entropy, `-sum_k y_k ln yhat_k` averaged over the batch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoftmaxCrossEntropy;

/// Softmax output with KL divergence, `sum_k y_k (ln y_k - ln yhat_k)` averaged over the
/// batch (`KLDivLoss(reduction="batchmean")`, with `0 ln 0 = 0`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SoftmaxKlDiv;

/// Writes the delta shared by both softmax losses: `(yhat sum_k y_k - y) / N`.
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

/// [`Softmax`]'s forward pass over columns of `ROWS` values: the same operations in the same
/// order, as straight-line code for the few outputs of a classifier.
#[inline(always)]
fn softmax_fixed<T: Float, const ROWS: usize>(z: &[T], a: &mut [T]) {
    let (z, _) = z.as_chunks::<ROWS>();
    let (a, _) = a.as_chunks_mut::<ROWS>();
    for (z, a) in z.iter().zip(a) {
        let max = crate::activation::column_max(z);
        let mut exps = [T::zero(); ROWS];
        for (e, &z) in exps.iter_mut().zip(z) {
            *e = (z - max).activation_exp();
        }
        let sum = exps.iter().fold(T::zero(), |sum, &e| sum + e);
        for (a, &e) in a.iter_mut().zip(&exps) {
            *a = e / sum;
        }
    }
}

impl Head for SoftmaxCrossEntropy {
    fn activate<T: Float>(&self, rows: usize, z: &[T], a: &mut [T]) {
        Softmax.forward(rows, z, a);
    }

    fn loss<T: Float>(&self, rows: usize, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        // -y ln(yhat) with ln(yhat) = z - lse.
        softmax_loss(rows, z, a, y, valid, |y, log_yhat| -y * log_yhat)
    }

    #[inline(always)]
    fn activate_fixed<T: Float, const ROWS: usize>(&self, z: &[T], a: &mut [T]) {
        softmax_fixed::<T, ROWS>(z, a);
    }

    #[inline]
    fn loss_fixed<T: Float, const ROWS: usize>(
        &self,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
    ) -> T {
        softmax_loss(ROWS, z, a, y, valid, |y, log_yhat| -y * log_yhat)
    }

    fn delta<T: Float>(
        &self,
        rows: usize,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        softmax_delta(rows, a, y, valid, delta);
    }
}

impl Head for SoftmaxKlDiv {
    fn activate<T: Float>(&self, rows: usize, z: &[T], a: &mut [T]) {
        Softmax.forward(rows, z, a);
    }

    fn loss<T: Float>(&self, rows: usize, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        // y (ln y - ln yhat), with 0 ln 0 = 0 as torch's xlogy.
        softmax_loss(rows, z, a, y, valid, |y, log_yhat| {
            if y > T::zero() {
                y * (y.ln() - log_yhat)
            } else {
                T::zero()
            }
        })
    }

    fn delta<T: Float>(
        &self,
        rows: usize,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        softmax_delta(rows, a, y, valid, delta);
    }
}

/// Sigmoid output with binary cross-entropy averaged over batch and outputs, computed from
/// the logits as `max(z, 0) - z y + ln(1 + e^-|z|)` (`BCEWithLogitsLoss`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SigmoidBce;

impl Head for SigmoidBce {
    fn activate<T: Float>(&self, _rows: usize, z: &[T], a: &mut [T]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = sigmoid(z);
        }
    }

    fn loss<T: Float>(&self, rows: usize, z: &[T], _a: &[T], y: &[T], valid: usize) -> T {
        let n = rows * valid;
        let sum = z[..n].iter().zip(&y[..n]).fold(T::zero(), |acc, (&z, &y)| {
            acc + z.max(T::zero()) - z * y + (-z.abs()).exp().ln_1p()
        });
        sum / divisor(rows, valid, true)
    }

    fn delta<T: Float>(
        &self,
        rows: usize,
        _z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        let n = rows * valid;
        let scale = T::one() / divisor::<T>(rows, valid, true);
        for ((d, &a), &y) in delta[..n].iter_mut().zip(&a[..n]).zip(&y[..n]) {
            *d = (a - y) * scale;
        }
        delta[n..].fill(T::zero());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Identity;

    #[test]
    fn element_losses_match_pytorch_reductions() {
        // Two samples of two outputs: yhat - y = [1, -2 | 0.5, 3].
        let a = [2.0f64, -1.0, 0.5, 4.0];
        let y = [1.0f64, 1.0, 0.0, 1.0];
        let mse = Chain {
            activation: Identity,
            loss: Mse,
        };
        assert!((mse.loss(2, &a, &a, &y, 2) - (1.0 + 4.0 + 0.25 + 9.0) / 4.0).abs() < 1e-15);
        let sos = Chain {
            activation: Identity,
            loss: SumOfSquares,
        };
        assert!((sos.loss(2, &a, &a, &y, 2) - 0.5 * (1.0 + 4.0 + 0.25 + 9.0) / 2.0).abs() < 1e-15);
        let mae = Chain {
            activation: Identity,
            loss: Mae,
        };
        assert!((mae.loss(2, &a, &a, &y, 2) - (1.0 + 2.0 + 0.5 + 3.0) / 4.0).abs() < 1e-15);
        let huber = Chain {
            activation: Identity,
            loss: Huber { delta: 1.0 },
        };
        let expected = (0.5 + (2.0 - 0.5) + 0.125 + (3.0 - 0.5)) / 4.0;
        assert!((huber.loss(2, &a, &a, &y, 2) - expected).abs() < 1e-15);
        // Only the valid columns count.
        assert!((mse.loss(2, &a, &a, &y, 1) - (1.0 + 4.0) / 2.0).abs() < 1e-15);
    }

    #[test]
    fn fused_losses_stay_finite_on_extreme_logits() {
        let z = [1000.0f32, -1000.0, -1000.0, 1000.0];
        let y = [0.0f32, 1.0, 1.0, 0.0];
        let mut a = [0.0f32; 4];
        let mut delta = [0.0f32; 4];
        SoftmaxCrossEntropy.activate(2, &z, &mut a);
        let loss = SoftmaxCrossEntropy.loss(2, &z, &a, &y, 2);
        assert_eq!(loss, 2000.0);
        SoftmaxCrossEntropy.delta(2, &z, &a, &y, 2, &mut delta);
        // (yhat - y) / N with yhat = [1, 0 | 0, 1].
        assert_eq!(delta, [0.5, -0.5, -0.5, 0.5]);
        SigmoidBce.activate(2, &z, &mut a);
        let loss = SigmoidBce.loss(2, &z, &a, &y, 2);
        assert_eq!(loss, 1000.0);
        SigmoidBce.delta(2, &z, &a, &y, 2, &mut delta);
        assert_eq!(delta, [0.25, -0.25, -0.25, 0.25]);
        SoftmaxKlDiv.activate(2, &z, &mut a);
        let kl = SoftmaxKlDiv.loss(2, &z, &a, &y, 2);
        assert!(kl.is_finite());
    }

    #[test]
    fn fixed_size_softmax_gives_the_same_bits() {
        let z = [
            2.5f32, -1.0, 0.25, -3.0, 0.5, 4.0, 1.5, 1.5, -0.75, 80.0, -80.0, 0.0,
        ];
        let y = [
            0.0f32, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        let (mut a, mut fixed) = ([0.0f32; 12], [0.0f32; 12]);
        SoftmaxCrossEntropy.activate(3, &z, &mut a);
        SoftmaxCrossEntropy.activate_fixed::<f32, 3>(&z, &mut fixed);
        assert_eq!(a.map(f32::to_bits), fixed.map(f32::to_bits));
        let loss = SoftmaxCrossEntropy.loss(3, &z, &a, &y, 4);
        let fixed_loss = SoftmaxCrossEntropy.loss_fixed::<f32, 3>(&z, &a, &y, 4);
        assert_eq!(loss.to_bits(), fixed_loss.to_bits());
    }

    #[test]
    fn softmax_losses_equal_their_log_sum_exp_definitions() {
        // Three columns of logits, the largest first, last and tied.
        let z = [2.5f64, -1.0, 0.25, -3.0, 0.5, 4.0, 1.5, 1.5, -0.75];
        let y = [0.2f64, 0.3, 0.5, 0.0, 1.0, 0.0, 0.6, 0.0, 0.4];
        let mut a = [0.0; 9];
        SoftmaxCrossEntropy.activate(3, &z, &mut a);
        let (mut ce, mut kl) = (0.0, 0.0);
        for (z, y) in z.chunks(3).zip(y.chunks(3)) {
            let lse = z.iter().map(|z| z.exp()).sum::<f64>().ln();
            for (&z, &y) in z.iter().zip(y) {
                ce -= y * (z - lse);
                if y > 0.0 {
                    kl += y * (y.ln() - (z - lse));
                }
            }
        }
        let got = SoftmaxCrossEntropy.loss(3, &z, &a, &y, 3);
        assert!((got - ce / 3.0).abs() < 1e-15, "{got} vs {}", ce / 3.0);
        let got = SoftmaxKlDiv.loss(3, &z, &a, &y, 3);
        assert!((got - kl / 3.0).abs() < 1e-15, "{got} vs {}", kl / 3.0);
    }

    #[test]
    fn padding_columns_get_zero_delta() {
        let z = [0.3f64, -0.2, 5.0, 5.0];
        let y = [1.0f64, 0.0, 7.0, 7.0];
        let mut a = [0.0; 4];
        let mut delta = [9.0; 4];
        SoftmaxCrossEntropy.activate(2, &z, &mut a);
        SoftmaxCrossEntropy.delta(2, &z, &a, &y, 1, &mut delta);
        assert_eq!(&delta[2..], &[0.0, 0.0]);
        assert!((delta[0] - (a[0] - 1.0)).abs() < 1e-15);
    }
}
