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
    /// The predictor's preprocessing does not fit the model
    /// ([`Predictor::with_preprocessing`](super::Predictor::with_preprocessing)).
    #[error(
        "the predictor's preprocessing does not fit the model: its `{key}` is {problem}; \
         give the preprocessing saved with the model"
    )]
    Preprocessing {
        /// The checkpoint metadata key of what does not fit.
        key: &'static str,
        /// How it does not fit.
        problem: String,
    },
    /// An input is NaN or infinite, so no prediction from it could be trusted.
    #[error(
        "sample {sample} (from 0) has {value} as its feature {feature} (from 0): a network \
         predicts from finite numbers only; fill in or drop the sample"
    )]
    NotFinite {
        /// The sample, from 0.
        sample: usize,
        /// The feature, from 0.
        feature: usize,
        /// The value: `NaN`, `inf` or `-inf`.
        value: &'static str,
    },
    /// The result buffer does not have room for exactly the samples' results.
    #[error(
        "the result buffer holds {values} values, where {} are needed for {} ({width} each); \
         size it `samples * {width}`",
        samples * width,
        mlp_spec::counted(*samples, "sample")
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
