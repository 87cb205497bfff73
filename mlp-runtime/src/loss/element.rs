//! Losses that are a sum of one term per output value.

#[cfg(feature = "std")]
use mlp_spec::ElementLoss as Kind;

use crate::float::Float;

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

/// Something to do with an element-wise loss, whatever its type.
#[cfg(feature = "std")]
pub(crate) trait ElementLossVisitor {
    /// What the visit returns.
    type Output;

    /// Does it with `loss`.
    fn visit<L: ElementLoss>(self, loss: L) -> Self::Output;
}

/// Calls `visitor` with the runtime loss of the spec's `kind`.
#[cfg(feature = "std")]
pub(crate) fn with_element_loss<V: ElementLossVisitor>(kind: Kind, visitor: V) -> V::Output {
    match kind {
        Kind::Mse => visitor.visit(Mse),
        Kind::SumOfSquares => visitor.visit(SumOfSquares),
        Kind::Mae => visitor.visit(Mae),
        Kind::Huber { delta } => visitor.visit(Huber { delta }),
        Kind::Hinge => visitor.visit(Hinge),
    }
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
