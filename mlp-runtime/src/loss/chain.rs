//! Any output activation followed by an element-wise loss.

use nalgebra::Dim;

use super::{ElementLoss, Head, divisor};
use crate::activation::Activation;
use crate::float::Float;

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
    fn activate<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        self.activation.forward(rows, z, a);
    }

    fn loss<T: Float, R: Dim>(&self, rows: R, _z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        let rows = rows.value();
        let n = rows * valid;
        let sum = a[..n]
            .iter()
            .zip(&y[..n])
            .fold(T::zero(), |acc, (&a, &y)| acc + self.loss.value(a, y));
        sum / divisor(rows, valid, L::MEAN_OVER_OUTPUTS)
    }

    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        let n = rows.value() * valid;
        let scale = T::one() / divisor::<T>(rows.value(), valid, L::MEAN_OVER_OUTPUTS);
        for ((d, &a), &y) in delta[..n].iter_mut().zip(&a[..n]).zip(&y[..n]) {
            *d = self.loss.derivative(a, y) * scale;
        }
        self.activation
            .backward(rows, &z[..n], &a[..n], &mut delta[..n]);
        delta[n..].fill(T::zero());
    }
}
