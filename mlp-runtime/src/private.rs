//! Used by generated code. Not public API.

pub use std::boxed::Box;

pub use mlp_spec::{InitScheme, ParamRole, ParamSegment, Regularization};
pub use nalgebra;

pub use crate::activation::{
    Activation, Elu, Gelu, Identity, LeakyRelu, Relu, Sigmoid, Softmax, Softplus, Tanh,
};
pub use crate::buffer::{HeapMatrix, matrix, matrix_mut, vector, vector_mut, zeros};
pub use crate::dense;
pub use crate::float::Float;
pub use crate::init::initialize;
pub use crate::kernels::{WidePass, with_wide_registers};
pub use crate::loss::{
    Chain, Head, Hinge, Huber, Mae, Mse, SigmoidBce, SoftmaxCrossEntropy, SoftmaxKlDiv,
    SumOfSquares,
};
pub use crate::network::{Model, Network};
pub use crate::regularization::{add_penalty_gradient, penalty};
pub use mlp_spec::Spec;

/// Parses the canonical spec the macro embedded in a compiled network.
pub fn parse_compiled_spec(canonical: &str) -> Spec {
    // The macro wrote this text from a spec that had passed the same validation.
    mlp_spec::parse(canonical).expect("the canonical spec of a compiled network is valid")
}
