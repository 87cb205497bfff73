//! The validated spec: what a network is, with every default filled in.
//!
//! Values of these types only come out of [`crate::parse`], so they always satisfy the rules of
//! the spec format (sizes at least 1, finite learning rates, softmax only on the output layer,
//! a loss that fits the output activation, ...). Code generation and the dynamic engine rely on
//! that and do not check again.

use serde::Serialize;

use crate::activation::Activation;
use crate::layer::Layer;
use crate::loss::Loss;
use crate::optimizer::Optimizer;

pub(crate) mod search;

/// A validated network spec (format version 1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spec {
    /// Optional name, recorded in checkpoint metadata.
    pub name: Option<String>,
    /// Number of input features.
    pub input: usize,
    /// The dense layers in order; the last one is the output layer.
    pub layers: Vec<Layer>,
    /// The training loss.
    pub loss: Loss,
    /// The optimizer and its hyper-parameters.
    pub optimizer: Optimizer,
    /// The learning-rate schedule.
    pub schedule: Schedule,
    /// L1/L2 penalties.
    pub regularization: Regularization,
    /// Parameter initialisation.
    pub init: Init,
    /// The batch size compiled into the batched code.
    pub batch_size: usize,
    /// Floating-point precision of parameters and arithmetic.
    pub precision: Precision,
    /// Run-time training defaults.
    pub training: Training,
    /// The hyper-parameter search `mlp tune` and the runtime's search run, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<search::Search>,
}

/// A learning-rate schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Schedule {
    /// The shape of the schedule.
    pub kind: ScheduleKind,
    /// Whether `t` counts epochs or optimizer steps.
    pub every: ScheduleUnit,
    /// Linear warm-up at the start, if any.
    pub warmup: Option<Warmup>,
}

impl Serialize for Schedule {
    /// As the spec writes it: the warm-up's key names the schedule's unit,
    /// `warmup: {epochs: N}` or `warmup: {steps: N}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Written<'a> {
            #[serde(flatten)]
            kind: &'a ScheduleKind,
            every: ScheduleUnit,
            warmup: Option<std::collections::BTreeMap<&'static str, usize>>,
        }
        let unit = match self.every {
            ScheduleUnit::Epoch => "epochs",
            ScheduleUnit::Step => "steps",
        };
        Written {
            kind: &self.kind,
            every: self.every,
            warmup: self.warmup.map(|w| [(unit, w.length)].into()),
        }
        .serialize(serializer)
    }
}

/// Linear learning-rate warm-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Warmup {
    /// Length of the warm-up, in the schedule's unit (`every`): epochs or optimizer steps.
    pub length: usize,
}

/// The shape of a learning-rate schedule, as a function of `t`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScheduleKind {
    /// `lr`.
    Constant,
    /// `lr gamma^floor(t / step_size)`.
    Step {
        /// Period of the decay.
        step_size: usize,
        /// Decay factor.
        gamma: f64,
    },
    /// `lr gamma^t`.
    Exponential {
        /// Decay factor.
        gamma: f64,
    },
    /// `lr / (1 + decay t)`.
    InverseTime {
        /// Decay rate.
        decay: f64,
    },
    /// `lr / sqrt(1 + t)`.
    InverseSqrt,
    /// `(lr - end_lr) (1 - min(t, horizon) / horizon)^power + end_lr`.
    Polynomial {
        /// Exponent.
        power: f64,
        /// Final learning rate.
        end_lr: f64,
        /// Length of the decay.
        horizon: usize,
    },
    /// `min_lr + (lr - min_lr) (1 + cos(pi min(t, horizon) / horizon)) / 2`.
    Cosine {
        /// Length of the decay.
        horizon: usize,
        /// Final learning rate.
        min_lr: f64,
    },
}

/// What the schedule's `t` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleUnit {
    /// Completed epochs.
    Epoch,
    /// Completed optimizer steps.
    Step,
}

impl ScheduleUnit {
    /// The name used in specs.
    pub fn name(self) -> &'static str {
        match self {
            ScheduleUnit::Epoch => "epoch",
            ScheduleUnit::Step => "step",
        }
    }
}

/// L1 and L2 penalties, part of the reported loss.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Regularization {
    /// Adds `(l2 / 2) sum W^2`.
    pub l2: f64,
    /// Adds `l1 sum |W|`.
    pub l1: f64,
    /// Whether biases are penalised (and decayed by adamw) too.
    pub bias: bool,
}

impl Regularization {
    /// No penalty.
    pub const NONE: Regularization = Regularization {
        l2: 0.0,
        l1: 0.0,
        bias: false,
    };

    /// Whether any penalty is active.
    pub fn is_active(&self) -> bool {
        self.l1 != 0.0 || self.l2 != 0.0
    }
}

/// Parameter initialisation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Init {
    /// Weight initialisation; `None` means He normal before ReLU-family activations and
    /// Xavier uniform otherwise.
    pub weights: Option<InitScheme>,
    /// Bias initialisation.
    pub bias: InitScheme,
    /// Seed of the portable generator.
    pub seed: u64,
    /// Accepts weights that start equal (`zeros`) in a network with a hidden layer, whose
    /// hidden units then stay identical.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub symmetric: bool,
}

impl Init {
    /// The weight scheme for a layer with the given activation.
    pub fn weights_for(&self, activation: &Activation) -> InitScheme {
        match self.weights {
            Some(scheme) => scheme,
            None if activation.is_relu_family() => InitScheme::HeNormal,
            None => InitScheme::XavierUniform,
        }
    }
}

/// A parameter initialisation scheme (fan-in and fan-out are the layer's inputs and units).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InitScheme {
    /// All zeros.
    Zeros,
    /// `N(0, std^2)`.
    Normal {
        /// Standard deviation.
        std: f64,
    },
    /// `U(-limit, limit)`.
    Uniform {
        /// Half-width.
        limit: f64,
    },
    /// `U(-a, a)`, `a = sqrt(6 / (fan_in + fan_out))`.
    XavierUniform,
    /// `N(0, 2 / (fan_in + fan_out))`.
    XavierNormal,
    /// `U(-a, a)`, `a = sqrt(6 / fan_in)`.
    HeUniform,
    /// `N(0, 2 / fan_in)`.
    HeNormal,
    /// `N(0, 1 / fan_in)`.
    LecunNormal,
    /// `U(-a, a)`, `a = 1 / sqrt(fan_in)`: PyTorch's default for `nn.Linear`, weights and
    /// biases (`kaiming_uniform_(a=sqrt(5))`, whose bound is the same).
    TorchDefault,
}

/// Floating-point precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// 32-bit floats.
    F32,
    /// 64-bit floats.
    F64,
}

impl Precision {
    /// The Rust type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::F64 => "f64",
        }
    }

    /// Bytes per scalar.
    pub fn bytes(&self) -> usize {
        match self {
            Precision::F32 => 4,
            Precision::F64 => 8,
        }
    }
}

/// The most threads `training.threads` (and the `mlp` command's thread options) may ask
/// for: more than any machine this runs on has cores, and few enough that a typo
/// (`threads: 1000`) is caught before it allocates a worker's buffers per thread.
pub const MAX_THREADS: usize = 256;

/// Run-time training defaults, each overridable in code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Training {
    /// Number of passes over the training data.
    pub epochs: usize,
    /// Whether each epoch visits the samples in a seeded shuffled order.
    pub shuffle: bool,
    /// Fraction of the training data held out for validation.
    pub validation_split: f64,
    /// Early stopping, if enabled.
    pub early_stopping: Option<EarlyStopping>,
    /// Stop when the epoch's mean loss changes by less than this (0 disables).
    pub min_loss_change: f64,
    /// Global L2 norm to clip gradients to, if any.
    pub clip_grad_norm: Option<f64>,
    /// Weights of the classes in the loss, if any (`cross_entropy` and `bce` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_weights: Option<ClassWeights>,
    /// Threads a training step may use (1 by default, at most [`MAX_THREADS`]). A step
    /// splits its batch into shards only when the cost model finds that it pays
    /// ([`Spec::shards`]); the shards, not the threads, fix the result, so any number of
    /// threads computes the same bits.
    #[serde(skip_serializing_if = "is_one")]
    pub threads: usize,
}

/// Whether `threads` is the default, which the canonical YAML leaves out so that specs
/// written before the key existed keep their hashes.
fn is_one(threads: &usize) -> bool {
    *threads == 1
}

impl Training {
    /// The class weights the spec lists; empty for none and for `balanced` (which depends on
    /// the training data).
    pub fn given_class_weights(&self) -> &[f64] {
        match &self.class_weights {
            Some(ClassWeights::Given(weights)) => weights,
            _ => &[],
        }
    }
}

/// How much each class counts in the loss, as `torch.nn.CrossEntropyLoss(weight=...)` and
/// `BCEWithLogitsLoss(pos_weight=...)` weigh them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", untagged)]
pub enum ClassWeights {
    /// `n / (classes * n_c)` for a class of `n_c` of the `n` training samples, as
    /// scikit-learn's `class_weight="balanced"`: computed from the training data.
    #[serde(serialize_with = "balanced")]
    Balanced,
    /// One weight per class, from class 0.
    Given(Vec<f64>),
}

fn balanced<S: serde::Serializer>(serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("balanced")
}

/// Early-stopping settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EarlyStopping {
    /// The quantity watched.
    pub monitor: Monitor,
    /// Epochs without improvement before stopping.
    pub patience: usize,
    /// The smallest change that counts as an improvement.
    pub min_delta: f64,
    /// Whether the best weights are restored when stopping.
    pub restore_best: bool,
}

/// A quantity early stopping can watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitor {
    /// Validation loss (lower is better).
    ValLoss,
    /// Training loss (lower is better).
    Loss,
    /// Validation accuracy, for classification losses (higher is better).
    ValAccuracy,
    /// Validation R^2, for regression losses (higher is better).
    ValR2,
}
