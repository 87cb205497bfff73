//! Why a prediction was refused.

/// Why a prediction was refused. Nothing is written when one is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PredictError {
    /// The inputs are not a whole number of samples.
    #[error(
        "{values} input values are not a whole number of samples of {width} features; pass \
         the samples one after the other, {width} values each"
    )]
    Inputs {
        /// Values given.
        values: usize,
        /// The model's input size.
        width: usize,
    },
    /// The result buffer does not have room for exactly the samples' results.
    #[error(
        "the result buffer holds {values} values, but {samples} samples give {} ({width} \
         each); size it `samples * {width}`",
        samples * width
    )]
    Outputs {
        /// Values the buffer holds.
        values: usize,
        /// Samples in the inputs.
        samples: usize,
        /// Values per sample.
        width: usize,
    },
    /// Classes were asked of a regression.
    #[error("the network's loss `{loss}` makes it a regression: it predicts values, not classes")]
    NotAClassifier {
        /// The network's loss.
        loss: &'static str,
    },
    /// Probabilities were asked of a network whose outputs are not probabilities.
    #[error(
        "the network's loss `{loss}` does not make its outputs probabilities; \
         `cross_entropy` (softmax) and `bce` (sigmoid) do"
    )]
    NotProbabilistic {
        /// The network's loss.
        loss: &'static str,
    },
}
