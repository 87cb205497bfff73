//! Activations and output heads chosen at run time from a spec: the same functions the
//! compiled networks call, dispatched by a `match` instead of by type.

use mlp_spec::{Activation as ActivationSpec, Loss};

use crate::activation::{
    Activation, Elu, Gelu, Identity, LeakyRelu, Relu, Sigmoid, Softmax, Softplus, Tanh,
};
use crate::float::Float;
use crate::loss::{
    Chain, Head, Hinge, Huber, Mae, Mse, SigmoidBce, SoftmaxCrossEntropy, SoftmaxKlDiv,
    SumOfSquares,
};

/// An activation chosen at run time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DynActivation {
    /// [`Identity`].
    Identity,
    /// [`Sigmoid`].
    Sigmoid,
    /// [`Tanh`].
    Tanh,
    /// [`Relu`].
    Relu,
    /// [`LeakyRelu`].
    LeakyRelu(LeakyRelu),
    /// [`Elu`].
    Elu(Elu),
    /// [`Gelu`].
    Gelu,
    /// [`Softplus`].
    Softplus,
    /// [`Softmax`].
    Softmax,
}

impl From<ActivationSpec> for DynActivation {
    fn from(spec: ActivationSpec) -> Self {
        match spec {
            ActivationSpec::Identity => DynActivation::Identity,
            ActivationSpec::Sigmoid => DynActivation::Sigmoid,
            ActivationSpec::Tanh => DynActivation::Tanh,
            ActivationSpec::Relu => DynActivation::Relu,
            ActivationSpec::LeakyRelu { alpha } => DynActivation::LeakyRelu(LeakyRelu { alpha }),
            ActivationSpec::Elu { alpha } => DynActivation::Elu(Elu { alpha }),
            ActivationSpec::Gelu => DynActivation::Gelu,
            ActivationSpec::Softplus => DynActivation::Softplus,
            ActivationSpec::Softmax => DynActivation::Softmax,
        }
    }
}

macro_rules! dispatch {
    ($self:expr, $act:ident => $body:expr) => {
        match $self {
            DynActivation::Identity => {
                let $act = Identity;
                $body
            }
            DynActivation::Sigmoid => {
                let $act = Sigmoid;
                $body
            }
            DynActivation::Tanh => {
                let $act = Tanh;
                $body
            }
            DynActivation::Relu => {
                let $act = Relu;
                $body
            }
            DynActivation::LeakyRelu(inner) => {
                let $act = *inner;
                $body
            }
            DynActivation::Elu(inner) => {
                let $act = *inner;
                $body
            }
            DynActivation::Gelu => {
                let $act = Gelu;
                $body
            }
            DynActivation::Softplus => {
                let $act = Softplus;
                $body
            }
            DynActivation::Softmax => {
                let $act = Softmax;
                $body
            }
        }
    };
}

impl Activation for DynActivation {
    fn forward<T: Float>(&self, rows: usize, z: &[T], a: &mut [T]) {
        dispatch!(self, act => act.forward(rows, z, a))
    }

    fn backward<T: Float>(&self, rows: usize, z: &[T], a: &[T], g: &mut [T]) {
        dispatch!(self, act => act.backward(rows, z, a, g))
    }
}

/// An output head chosen at run time: fused for cross-entropy, KL divergence and binary
/// cross-entropy, the activation chained with an element-wise loss otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DynHead {
    /// [`SoftmaxCrossEntropy`].
    SoftmaxCrossEntropy,
    /// [`SoftmaxKlDiv`].
    SoftmaxKlDiv,
    /// [`SigmoidBce`].
    SigmoidBce,
    /// An activation and an element-wise loss.
    Chain(DynActivation, ElementLossKind),
}

/// The element-wise losses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ElementLossKind {
    /// [`Mse`].
    Mse,
    /// [`SumOfSquares`].
    SumOfSquares,
    /// [`Mae`].
    Mae,
    /// [`Huber`].
    Huber(Huber),
    /// [`Hinge`].
    Hinge,
}

impl DynHead {
    /// The head for an output activation and a loss, as the compiler chooses it.
    pub fn new(output: ActivationSpec, loss: Loss) -> Self {
        let element = match loss {
            Loss::CrossEntropy => return DynHead::SoftmaxCrossEntropy,
            Loss::KlDiv => return DynHead::SoftmaxKlDiv,
            Loss::Bce => return DynHead::SigmoidBce,
            Loss::Mse => ElementLossKind::Mse,
            Loss::SumOfSquares => ElementLossKind::SumOfSquares,
            Loss::Mae => ElementLossKind::Mae,
            Loss::Huber { delta } => ElementLossKind::Huber(Huber { delta }),
            Loss::Hinge => ElementLossKind::Hinge,
        };
        DynHead::Chain(output.into(), element)
    }
}

macro_rules! head_dispatch {
    ($self:expr, $head:ident => $body:expr) => {
        match *$self {
            DynHead::SoftmaxCrossEntropy => {
                let $head = SoftmaxCrossEntropy;
                $body
            }
            DynHead::SoftmaxKlDiv => {
                let $head = SoftmaxKlDiv;
                $body
            }
            DynHead::SigmoidBce => {
                let $head = SigmoidBce;
                $body
            }
            DynHead::Chain(activation, ElementLossKind::Mse) => {
                let $head = Chain {
                    activation,
                    loss: Mse,
                };
                $body
            }
            DynHead::Chain(activation, ElementLossKind::SumOfSquares) => {
                let $head = Chain {
                    activation,
                    loss: SumOfSquares,
                };
                $body
            }
            DynHead::Chain(activation, ElementLossKind::Mae) => {
                let $head = Chain {
                    activation,
                    loss: Mae,
                };
                $body
            }
            DynHead::Chain(activation, ElementLossKind::Huber(loss)) => {
                let $head = Chain { activation, loss };
                $body
            }
            DynHead::Chain(activation, ElementLossKind::Hinge) => {
                let $head = Chain {
                    activation,
                    loss: Hinge,
                };
                $body
            }
        }
    };
}

impl Head for DynHead {
    fn activate<T: Float>(&self, rows: usize, z: &[T], a: &mut [T]) {
        head_dispatch!(self, head => head.activate(rows, z, a))
    }

    fn loss<T: Float>(&self, rows: usize, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        head_dispatch!(self, head => head.loss(rows, z, a, y, valid))
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
        head_dispatch!(self, head => head.delta(rows, z, a, y, valid, delta))
    }
}
