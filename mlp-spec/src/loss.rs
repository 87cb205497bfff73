//! Losses: the names a spec gives them, the output activation each needs, and the output
//! head each becomes. Everything per kind is an exhaustive `match`.

use serde::Serialize;

use crate::activation::Activation;
use crate::parameter::Parameter;

/// A loss function; each is a mean over the batch (PyTorch reductions).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Loss {
    /// Mean over batch and outputs of `(yhat - y)^2` (`MSELoss`).
    Mse,
    /// `(1/N) sum_n 1/2 ||yhat_n - y_n||^2`.
    SumOfSquares,
    /// Mean over batch and outputs of `|yhat - y|` (`L1Loss`).
    Mae,
    /// `HuberLoss` with the given threshold.
    Huber {
        /// Where the loss turns from quadratic to linear.
        delta: f64,
    },
    /// Binary cross-entropy on sigmoid outputs, computed from the logits.
    Bce,
    /// Cross-entropy on softmax outputs, computed from the logits.
    CrossEntropy,
    /// `max(0, 1 - y yhat)` with targets in {-1, +1}.
    Hinge,
    /// `sum_k y_k (ln y_k - ln yhat_k)` on softmax outputs (`KLDivLoss`, batchmean).
    KlDiv,
}

/// A loss that is a sum of one term per output value, applied after the output activation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ElementLoss {
    /// `(yhat - y)^2`, averaged over batch and outputs.
    Mse,
    /// `(yhat - y)^2 / 2`, summed over outputs and averaged over the batch.
    SumOfSquares,
    /// `|yhat - y|`, averaged over batch and outputs.
    Mae,
    /// Huber's loss with threshold `delta`, averaged over batch and outputs.
    Huber {
        /// Where the loss turns from quadratic to linear.
        delta: f64,
    },
    /// `max(0, 1 - y yhat)`, averaged over batch and outputs.
    Hinge,
}

/// The output layer's activation and loss as they are computed: fused from the logits where
/// a loss has a stable form for its activation, otherwise the activation then an element-wise
/// loss.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Head {
    /// Softmax with cross-entropy, from the logits (log-sum-exp).
    SoftmaxCrossEntropy,
    /// Softmax with KL divergence, from the logits.
    SoftmaxKlDiv,
    /// Sigmoid with binary cross-entropy, from the logits (`BCEWithLogitsLoss`).
    SigmoidBce,
    /// `fast_sigmoid` with binary cross-entropy: the loss from the logits, as
    /// [`Head::SigmoidBce`]'s, the outputs (and so the delta) from the fast sigmoid.
    FastSigmoidBce,
    /// Any output activation followed by an element-wise loss.
    Chain {
        /// The output activation.
        activation: Activation,
        /// The loss on its output.
        loss: ElementLoss,
    },
}

/// What a loss needs of the output activation, for the validation message.
pub(crate) struct Requirement {
    /// Whether the activation is accepted.
    pub(crate) accepts: fn(Activation) -> bool,
    /// What is needed, as the message says it (`"a softmax output layer"`).
    pub(crate) needs: &'static str,
    /// How to fix a spec whose output is `found`.
    pub(crate) help: fn(found: Activation) -> &'static str,
}

const DELTA: Parameter = Parameter {
    key: "delta",
    expected: "> 0",
    ok: |delta| delta > 0.0,
};

impl Loss {
    /// Every loss, parameters at their defaults, in the order messages list them.
    pub const ALL: [Loss; 8] = [
        Loss::Mse,
        Loss::SumOfSquares,
        Loss::Mae,
        Loss::Huber { delta: 1.0 },
        Loss::Bce,
        Loss::CrossEntropy,
        Loss::Hinge,
        Loss::KlDiv,
    ];

    /// The name used in specs.
    pub fn name(&self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::SumOfSquares => "sum_of_squares",
            Loss::Mae => "mae",
            Loss::Huber { .. } => "huber",
            Loss::Bce => "bce",
            Loss::CrossEntropy => "cross_entropy",
            Loss::Hinge => "hinge",
            Loss::KlDiv => "kl_div",
        }
    }

    /// The loss a spec names, with its parameter at its default.
    pub fn from_name(name: &str) -> Option<Loss> {
        Self::ALL.into_iter().find(|loss| loss.name() == name)
    }

    /// Every name a spec may use.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(Loss::name).collect()
    }

    /// The parameters of this kind, each with its value.
    pub fn parameters_mut(&mut self) -> Vec<(Parameter, &mut f64)> {
        match self {
            Loss::Huber { delta } => vec![(DELTA, delta)],
            Loss::Mse
            | Loss::SumOfSquares
            | Loss::Mae
            | Loss::Bce
            | Loss::CrossEntropy
            | Loss::Hinge
            | Loss::KlDiv => Vec::new(),
        }
    }

    /// Whether the loss is a classification loss, so that accuracy is the natural metric.
    pub fn is_classification(&self) -> bool {
        match self {
            Loss::Bce | Loss::CrossEntropy | Loss::Hinge | Loss::KlDiv => true,
            Loss::Mse | Loss::SumOfSquares | Loss::Mae | Loss::Huber { .. } => false,
        }
    }

    /// What the loss needs of the output activation, if anything.
    pub(crate) fn requirement(&self) -> Option<Requirement> {
        match self {
            Loss::CrossEntropy | Loss::KlDiv => Some(Requirement {
                accepts: |output| output == Activation::Softmax,
                needs: "a softmax output layer",
                help: |_| "set the output layer's activation to `softmax`",
            }),
            Loss::Bce => Some(Requirement {
                accepts: |output| matches!(output, Activation::Sigmoid | Activation::FastSigmoid),
                needs: "a sigmoid output layer",
                help: |found| match found {
                    Activation::Softmax => {
                        "with a softmax output use `loss: cross_entropy`; or give the output layer `activation: sigmoid` to keep bce"
                    }
                    _ => "set the output layer's activation to `sigmoid`",
                },
            }),
            Loss::Hinge => Some(Requirement {
                accepts: |output| {
                    matches!(
                        output,
                        Activation::Identity | Activation::Tanh | Activation::FastTanh
                    )
                },
                needs: "an identity or tanh output layer",
                help: |_| "hinge targets are -1 and +1: use an `identity` or `tanh` output layer",
            }),
            Loss::Mse | Loss::SumOfSquares | Loss::Mae | Loss::Huber { .. } => None,
        }
    }

    /// The output head this loss makes with the output activation `output` (which validation
    /// has matched to the loss): the one place that decides between a fused and a chained
    /// loss.
    pub fn head(&self, output: Activation) -> Head {
        let loss = match *self {
            Loss::CrossEntropy => return Head::SoftmaxCrossEntropy,
            Loss::KlDiv => return Head::SoftmaxKlDiv,
            Loss::Bce if output == Activation::FastSigmoid => return Head::FastSigmoidBce,
            Loss::Bce => return Head::SigmoidBce,
            Loss::Mse => ElementLoss::Mse,
            Loss::SumOfSquares => ElementLoss::SumOfSquares,
            Loss::Mae => ElementLoss::Mae,
            Loss::Huber { delta } => ElementLoss::Huber { delta },
            Loss::Hinge => ElementLoss::Hinge,
        };
        Head::Chain {
            activation: output,
            loss,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_loss_is_found_by_its_name_and_documented() {
        for loss in Loss::ALL {
            assert_eq!(Loss::from_name(loss.name()), Some(loss));
            let mention = format!("`{}`", loss.name());
            assert!(
                include_str!("reference.rs").contains(&mention),
                "the reference documents `{}`",
                loss.name()
            );
        }
    }

    #[test]
    fn losses_with_a_stable_form_fuse_with_their_activation() {
        assert_eq!(
            Loss::CrossEntropy.head(Activation::Softmax),
            Head::SoftmaxCrossEntropy
        );
        assert_eq!(Loss::Bce.head(Activation::Sigmoid), Head::SigmoidBce);
        assert_eq!(
            Loss::Bce.head(Activation::FastSigmoid),
            Head::FastSigmoidBce
        );
        assert_eq!(
            Loss::Mse.head(Activation::Softmax),
            Head::Chain {
                activation: Activation::Softmax,
                loss: ElementLoss::Mse
            }
        );
    }
}
