//! Activations: the names a spec gives them, their parameters, and what else depends on the
//! kind (the default initialisation). Everything per kind is an exhaustive `match`, so a new
//! variant does not compile until each of them has its arm.

use serde::Serialize;

use crate::parameter::Parameter;

/// An activation function.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activation {
    /// `f(z) = z` (alias `linear`).
    Identity,
    /// `f(z) = 1 / (1 + e^-z)`.
    Sigmoid,
    /// `f(z) = tanh z`.
    Tanh,
    /// `tanh` as Eigen computes it in `f32` (a rational approximation, within 7.5 ulp): for
    /// real-time inference; `f64` networks compute `tanh`.
    FastTanh,
    /// The logistic function as `1/2 + fast_tanh(z/2) / 2` in `f32` (within 2.5e-7,
    /// absolute); `f64` networks compute `sigmoid`.
    FastSigmoid,
    /// `f(z) = max(0, z)`; `f'(0) = 0` as in PyTorch.
    Relu,
    /// `f(z) = z` for `z > 0`, `alpha z` otherwise; `f'(0) = alpha` as in PyTorch.
    LeakyRelu {
        /// Slope for negative inputs.
        alpha: f64,
    },
    /// `f(z) = z` for `z > 0`, `alpha (e^z - 1)` otherwise.
    Elu {
        /// Scale of the negative part.
        alpha: f64,
    },
    /// `f(z) = z Phi(z)` with the exact error-function form of `Phi`.
    Gelu,
    /// `f(z) = ln(1 + e^z)`.
    Softplus,
    /// `f(z) = z / (1 + e^-z)`, as `torch.nn.SiLU` (also called swish).
    Silu,
    /// Softmax over the units of the output layer.
    Softmax,
}

const ALPHA_LEAKY: Parameter = Parameter {
    key: "alpha",
    expected: ">= 0",
    ok: |alpha| alpha >= 0.0,
};

const ALPHA_ELU: Parameter = Parameter {
    key: "alpha",
    expected: "> 0",
    ok: |alpha| alpha > 0.0,
};

impl Activation {
    /// Every activation, parameters at their defaults, in the order messages list them.
    pub const ALL: [Activation; 12] = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::FastSigmoid,
        Activation::FastTanh,
        Activation::Relu,
        Activation::LeakyRelu { alpha: 0.01 },
        Activation::Elu { alpha: 1.0 },
        Activation::Gelu,
        Activation::Softplus,
        Activation::Silu,
        Activation::Softmax,
    ];

    /// Another name a spec may use for `identity`.
    pub const LINEAR: &'static str = "linear";

    /// The name used in specs.
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::FastTanh => "fast_tanh",
            Activation::FastSigmoid => "fast_sigmoid",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Elu { .. } => "elu",
            Activation::Gelu => "gelu",
            Activation::Softplus => "softplus",
            Activation::Silu => "silu",
            Activation::Softmax => "softmax",
        }
    }

    /// The activation a spec names, with its parameters at their defaults.
    pub fn from_name(name: &str) -> Option<Activation> {
        if name == Self::LINEAR {
            return Some(Activation::Identity);
        }
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Every name a spec may use, aliases included.
    pub fn names() -> Vec<&'static str> {
        let mut names: Vec<&str> = Self::ALL.iter().map(Activation::name).collect();
        names.insert(1, Self::LINEAR);
        names
    }

    /// The parameters of this kind, each with its value.
    pub fn parameters_mut(&mut self) -> Vec<(Parameter, &mut f64)> {
        match self {
            Activation::LeakyRelu { alpha } => vec![(ALPHA_LEAKY, alpha)],
            Activation::Elu { alpha } => vec![(ALPHA_ELU, alpha)],
            Activation::Identity
            | Activation::Sigmoid
            | Activation::Tanh
            | Activation::FastTanh
            | Activation::FastSigmoid
            | Activation::Relu
            | Activation::Gelu
            | Activation::Softplus
            | Activation::Silu
            | Activation::Softmax => Vec::new(),
        }
    }

    /// Whether this is ReLU-like, which selects He initialisation by default.
    pub fn is_relu_family(&self) -> bool {
        match self {
            Activation::Relu | Activation::LeakyRelu { .. } | Activation::Elu { .. } => true,
            Activation::Identity
            | Activation::Sigmoid
            | Activation::Tanh
            | Activation::FastTanh
            | Activation::FastSigmoid
            | Activation::Gelu
            | Activation::Softplus
            | Activation::Silu
            | Activation::Softmax => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_activation_is_found_by_its_name_and_documented() {
        for activation in Activation::ALL {
            assert_eq!(Activation::from_name(activation.name()), Some(activation));
            let row = format!("| `{}`", activation.name());
            assert!(
                include_str!("reference.rs").contains(&row),
                "the reference documents `{}`",
                activation.name()
            );
        }
        assert_eq!(Activation::from_name("linear"), Some(Activation::Identity));
        assert_eq!(Activation::from_name("rleu"), None);
    }
}
