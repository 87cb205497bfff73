//! The runtime's values for the spec's choices: the one place code generation names an
//! activation or a head. Each is an exhaustive `match`, so a new kind in the spec does not
//! compile until it is named here.

use mlp_spec::{Activation, ElementLoss, Head};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub(crate) fn lit(value: usize) -> Literal {
    Literal::usize_unsuffixed(value)
}

pub(crate) fn lit_f64(value: f64) -> Literal {
    Literal::f64_suffixed(value)
}

/// The runtime value of an activation.
pub(crate) fn activation(activation: Activation) -> TokenStream {
    match activation {
        Activation::Identity => quote!(__mlp::Identity),
        Activation::Sigmoid => quote!(__mlp::Sigmoid),
        Activation::Tanh => quote!(__mlp::Tanh),
        Activation::FastTanh => quote!(__mlp::FastTanh),
        Activation::FastSigmoid => quote!(__mlp::FastSigmoid),
        Activation::Relu => quote!(__mlp::Relu),
        Activation::LeakyRelu { alpha } => {
            let alpha = lit_f64(alpha);
            quote!(__mlp::LeakyRelu { alpha: #alpha })
        }
        Activation::Elu { alpha } => {
            let alpha = lit_f64(alpha);
            quote!(__mlp::Elu { alpha: #alpha })
        }
        Activation::Gelu => quote!(__mlp::Gelu),
        Activation::Softplus => quote!(__mlp::Softplus),
        Activation::Silu => quote!(__mlp::Silu),
        Activation::Softmax => quote!(__mlp::Softmax),
    }
}

/// The runtime value of an output head.
pub(crate) fn head(head: Head) -> TokenStream {
    match head {
        Head::SoftmaxCrossEntropy => quote!(__mlp::SoftmaxCrossEntropy),
        Head::SoftmaxKlDiv => quote!(__mlp::SoftmaxKlDiv),
        Head::SigmoidBce => quote!(__mlp::SigmoidBce),
        Head::FastSigmoidBce => quote!(__mlp::FastSigmoidBce),
        Head::Chain { activation, loss } => {
            let activation = self::activation(activation);
            let loss = element_loss(loss);
            quote!(__mlp::Chain { activation: #activation, loss: #loss })
        }
    }
}

fn element_loss(loss: ElementLoss) -> TokenStream {
    match loss {
        ElementLoss::Mse => quote!(__mlp::Mse),
        ElementLoss::SumOfSquares => quote!(__mlp::SumOfSquares),
        ElementLoss::Mae => quote!(__mlp::Mae),
        ElementLoss::Huber { delta } => {
            let delta = lit_f64(delta);
            quote!(__mlp::Huber { delta: #delta })
        }
        ElementLoss::Hinge => quote!(__mlp::Hinge),
    }
}
