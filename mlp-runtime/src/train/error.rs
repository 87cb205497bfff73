//! Errors that stop training.

/// Why training could not go on.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// The loss became NaN or infinite; the parameters were reset to the end of the last
    /// epoch whose losses were all finite. The history holds the epochs that ended before it
    /// (its rising losses often show why), with [`StopReason::Diverged`](super::StopReason).
    #[error(
        "training diverged in epoch {epoch}, batch {batch}: the loss is {loss}; the weights of \
         the last good epoch were kept. Lower the learning rate, standardise the inputs, or \
         set `training.clip_grad_norm`"
    )]
    Diverged {
        /// The epoch, from 1.
        epoch: usize,
        /// The batch within the epoch, from 1.
        batch: usize,
        /// The loss.
        loss: f64,
        /// The records of the epochs before the one that diverged.
        history: Box<super::History>,
    },
    /// The loss of one [`Trainer::step`](super::Trainer::step) was NaN or infinite; the step
    /// was not applied.
    #[error(
        "the loss of this step is {loss}, so the step was not applied: the parameters are \
         those from before it. Lower the learning rate, standardise the inputs, or set \
         `training.clip_grad_norm`"
    )]
    StepDiverged {
        /// The loss.
        loss: f64,
    },
    /// A step's loss was NaN or infinite because one of its samples is: an input or a
    /// target is NaN or infinite. The step was not applied.
    #[error(
        "sample {sample} (from 0) of the step has {value} as its {what} {index} (from 0), so \
         the loss is {loss} and the step was not applied: a network trains on finite numbers \
         only; fill in or drop the sample"
    )]
    NotFiniteSample {
        /// `input` or `target`.
        what: &'static str,
        /// The sample within the step, from 0.
        sample: usize,
        /// The input or target within the sample, from 0.
        index: usize,
        /// The value.
        value: f64,
        /// The step's loss.
        loss: f64,
    },
    /// A setting of the trainer's [`TrainConfig`](super::TrainConfig), changed in code,
    /// breaks the rule of its key in a spec file ([`TrainConfig::check`](super::TrainConfig::check)).
    #[error(
        "the training settings break the rules a spec file's would obey; correct the `TrainConfig` field:\n{0}"
    )]
    Settings(mlp_spec::SpecErrors),
    /// An epoch hook failed, such as a checkpoint that could not be written.
    #[error(transparent)]
    Hook(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The data's widths are not the network's sizes.
    #[error(transparent)]
    Shape(#[from] crate::metrics::WidthMismatch),
    /// Hinge loss was given a target other than -1 or +1.
    #[error(
        "hinge loss takes targets -1 and +1, but sample {sample} has target {value}: with 0/1 \
         class labels every sample of class 0 would add nothing to the gradient. Load labels \
         with `CsvTarget::SignedLabel` (the `mlp` command does for hinge), or map 0 to -1"
    )]
    HingeTarget {
        /// The sample, from 0, in the data set that holds it.
        sample: usize,
        /// Its target.
        value: f64,
    },
    /// The data could not be evaluated after an epoch (an empty validation set).
    #[error("evaluating after an epoch: {0}")]
    Evaluate(#[from] crate::metrics::EvaluateError),
    /// Class weights need class labels: one-hot rows, or 0/1 for one output.
    #[error(
        "class weights need class labels, but sample {sample} has the target {target:?}: give \
         one-hot rows (or 0 and 1 for one output), or remove `training.class_weights`"
    )]
    ClassWeightTarget {
        /// The sample, from 0, in the data set that holds it.
        sample: usize,
        /// Its target.
        target: Vec<f64>,
    },
    /// `class_weights: balanced` found a class without a training sample.
    #[error(
        "`class_weights: balanced` weighs each class by its share of the training data, but \
         class {class} has no training sample: give the weights as a list instead"
    )]
    EmptyClass {
        /// The class.
        class: usize,
    },
    /// The training data is empty.
    #[error("the training data holds no samples")]
    NoData,
    /// `training.validation_split` holds out every training sample.
    #[error(
        "`training.validation_split` {fraction} holds out all {} for validation, leaving \
         none to train on; lower it",
        mlp_spec::counted(*samples, "training sample")
    )]
    NoneLeftToTrain {
        /// The fraction held out.
        fraction: f64,
        /// The training samples given.
        samples: usize,
    },
    /// The arguments of a [`Trainer::step`](super::Trainer::step) do not hold `count`
    /// samples, or `count` is not between 1 and the batch size.
    #[error(
        "a step takes 1 to {batch_size} samples (the spec's `batch_size`) of {} and {} each, \
         one after another, but it was given `count` {count} with {} and {}: pass as `count` \
         the number of samples the slices hold",
        mlp_spec::counted(*inputs, "input"),
        mlp_spec::counted(*outputs, "target"),
        mlp_spec::counted(*input_values, "input value"),
        mlp_spec::counted(*target_values, "target value")
    )]
    StepSamples {
        /// The `count` given.
        count: usize,
        /// The network's batch size, the most samples a step takes.
        batch_size: usize,
        /// The network's inputs per sample.
        inputs: usize,
        /// The network's outputs per sample.
        outputs: usize,
        /// The length of the inputs given.
        input_values: usize,
        /// The length of the targets given.
        target_values: usize,
    },
    /// An on-line session's [`Online::predict`](super::Online::predict) or
    /// [`Online::learn`](super::Online::learn) was given fewer values than one sample's.
    #[error(
        "`{call}` takes one sample's {what}, {needed} values, but was given {given}: pass the \
         values of one sample"
    )]
    SessionSample {
        /// The session's method: `predict` or `learn`.
        call: &'static str,
        /// What it takes: `inputs` or `targets`.
        what: &'static str,
        /// One sample's values.
        needed: usize,
        /// The values given.
        given: usize,
    },
    /// An on-line session's [`Online::learn`](super::Online::learn) had no prediction to
    /// learn from.
    #[error(
        "`learn` takes the step of the sample last predicted, and no prediction is waiting for \
         its target: call `predict` with the sample's input first (a prediction is learnt from \
         once, and a `step` in between drops it)"
    )]
    NothingPredicted,
    /// Early stopping watches validation results, but there is no validation data.
    #[error(
        "early stopping monitors `{monitor}` but there is no validation data: pass a validation \
         set, set `training.validation_split`, or monitor `loss`"
    )]
    NoValidationData {
        /// The monitored quantity.
        monitor: &'static str,
    },
}
