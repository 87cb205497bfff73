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
mod softmax;
mod weights;

use mlp_spec::Head as Kind;
use nalgebra::Dim;

pub use bce::SigmoidBce;
pub use chain::Chain;
pub use element::{ElementLoss, Hinge, Huber, Mae, Mse, SumOfSquares, sign};
pub use softmax::{SoftmaxCrossEntropy, SoftmaxKlDiv};
pub use weights::Targets;
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

/// Something to do with an output head, whatever its type: [`with_head`] calls it with the
/// head a spec's plan names.
pub trait HeadVisitor {
    /// What the visit returns.
    type Output;

    /// Does it with `head`.
    fn visit<H: Head>(self, head: H) -> Self::Output;
}

/// Calls `visitor` with the runtime head of the plan's `kind`: the one place that maps the
/// spec's heads to their types.
pub fn with_head<V: HeadVisitor>(kind: Kind, visitor: V) -> V::Output {
    match kind {
        Kind::SoftmaxCrossEntropy => visitor.visit(SoftmaxCrossEntropy),
        Kind::SoftmaxKlDiv => visitor.visit(SoftmaxKlDiv),
        Kind::SigmoidBce => visitor.visit(SigmoidBce),
        Kind::Chain { activation, loss } => element::with_element_loss(
            loss,
            ChainOf {
                activation,
                visitor,
            },
        ),
    }
}

/// Completes a chained head once its element-wise loss has a type.
struct ChainOf<V> {
    activation: mlp_spec::Activation,
    visitor: V,
}

impl<V: HeadVisitor> element::ElementLossVisitor for ChainOf<V> {
    type Output = V::Output;

    fn visit<L: ElementLoss>(self, loss: L) -> V::Output {
        self.visitor.visit(Chain {
            activation: self.activation,
            loss,
        })
    }
}

struct Activate<'a, T, R> {
    rows: R,
    z: &'a [T],
    a: &'a mut [T],
}

impl<T: Float, R: Dim> HeadVisitor for Activate<'_, T, R> {
    type Output = ();

    fn visit<H: Head>(self, head: H) {
        head.activate(self.rows, self.z, self.a);
    }
}

struct Loss<'a, T, R> {
    rows: R,
    z: &'a [T],
    a: &'a [T],
    y: &'a [T],
    valid: usize,
}

impl<T: Float, R: Dim> HeadVisitor for Loss<'_, T, R> {
    type Output = T;

    fn visit<H: Head>(self, head: H) -> T {
        head.loss(self.rows, self.z, self.a, self.y, self.valid)
    }
}

struct Delta<'a, T, R> {
    loss: Loss<'a, T, R>,
    delta: &'a mut [T],
}

impl<T: Float, R: Dim> HeadVisitor for Delta<'_, T, R> {
    type Output = ();

    fn visit<H: Head>(self, head: H) {
        let Loss {
            rows,
            z,
            a,
            y,
            valid,
        } = self.loss;
        head.delta(rows, z, a, y, valid, self.delta);
    }
}

impl Head for Kind {
    fn activate<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        with_head(*self, Activate { rows, z, a });
    }

    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        with_head(
            *self,
            Loss {
                rows,
                z,
                a,
                y,
                valid,
            },
        )
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
        let loss = Loss {
            rows,
            z,
            a,
            y,
            valid,
        };
        with_head(*self, Delta { loss, delta });
    }
}

#[cfg(test)]
mod tests;
