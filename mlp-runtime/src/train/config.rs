//! The trainer's settings.

use mlp_spec::{Optimizer, Regularization, Schedule, Spec, SpecErrors, Training};

/// Run-time training settings. [`TrainConfig::from_spec`] takes them from the spec; every
/// field can be changed in code, for a compiled network too: the optimizer (its kind and
/// every hyper-parameter), the schedule, the penalties and the `training` section are
/// run-time hyper-parameters, which a search varies without recompiling.
///
/// ```
/// use mlp_runtime::TrainConfig;
///
/// let spec = mlp_runtime::spec::parse("input: 1\nlayers: [{units: 1}]\nloss: mse\n").unwrap();
/// let config = TrainConfig::from_spec(&spec).with_epochs(5).quiet();
/// assert_eq!((config.training.epochs, config.progress), (5, false));
/// assert!(config.training.shuffle); // the spec's default
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// The optimizer and its hyper-parameters (the spec's `optimizer`). A network whose
    /// spec fuses its SGD update into the backward pass fuses it only while this is plain
    /// `sgd` without penalties.
    pub optimizer: Optimizer,
    /// The learning-rate schedule (the spec's `schedule`).
    pub schedule: Schedule,
    /// The L1/L2 penalties (the spec's `regularization`), part of the loss and gradient of
    /// every step and of the reported training loss.
    pub regularization: Regularization,
    /// The spec's `training` section: epochs, shuffling, the validation split, early
    /// stopping, the `min_loss_change` stop and gradient clipping.
    pub training: Training,
    /// Seed of the shuffling generator (and of the validation split). Defaults to the
    /// spec's `init.seed`.
    pub seed: u64,
    /// Show a progress bar when standard error is a terminal. Defaults to true.
    pub progress: bool,
    /// Record per-layer gradient norms, weight norms and dead ReLU units in each epoch's
    /// record ([`EpochRecord::layers`](super::EpochRecord::layers)). Defaults to false: the
    /// steps of a spec that fuses its SGD update then compute the gradient apart, as
    /// without fusion (the same bits, somewhat slower).
    pub diagnostics: bool,
    /// Threads a training step may use (the spec's `training.threads`). A step uses no more
    /// than its model's steps have shards, which the spec fixes ([`Model::shards`](crate::Model::shards)): one for
    /// a model whose steps do not split. The number of threads never changes the result.
    pub threads: usize,
}

impl TrainConfig {
    /// The settings of a spec.
    pub fn from_spec(spec: &Spec) -> Self {
        TrainConfig {
            optimizer: spec.optimizer,
            schedule: spec.schedule,
            regularization: spec.regularization,
            training: spec.training.clone(),
            seed: spec.init.seed,
            progress: true,
            diagnostics: false,
            threads: spec.training.threads,
        }
    }

    /// Checks the settings that come from a spec (the optimizer, the schedule, the
    /// penalties and the `training` section) by the rules of their keys in a spec file, as
    /// the network's spec with these settings: fields changed in code get the messages a
    /// spec file's values would. The trainer checks them before it trains
    /// ([`TrainError::Settings`](super::TrainError::Settings)).
    ///
    /// ```
    /// use mlp_runtime::TrainConfig;
    ///
    /// let spec = mlp_runtime::spec::parse("input: 1\nlayers: [{units: 1}]\nloss: mse\n").unwrap();
    /// let mut config = TrainConfig::from_spec(&spec);
    /// config.training.validation_split = 1.5;
    /// let error = config.check(&spec).unwrap_err().to_string();
    /// assert!(error.contains("training.validation_split"), "{error}");
    /// ```
    ///
    /// # Errors
    ///
    /// Every setting the rules refuse.
    pub fn check(&self, spec: &Spec) -> Result<(), SpecErrors> {
        let mut spec = spec.clone();
        spec.optimizer = self.optimizer;
        spec.schedule = self.schedule;
        spec.regularization = self.regularization;
        spec.training.clone_from(&self.training);
        // A search is the tuner's business, and its space may name keys of the spec's own
        // optimizer, not of one swapped in here.
        spec.search = None;
        spec.check()
    }

    /// The same settings with `epochs` epochs.
    pub fn with_epochs(mut self, epochs: usize) -> Self {
        self.training.epochs = epochs;
        self
    }

    /// The same settings with another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The same settings with per-layer diagnostics recorded.
    pub fn with_diagnostics(mut self) -> Self {
        self.diagnostics = true;
        self
    }

    /// The same settings on `threads` threads.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The same settings without a progress bar.
    pub fn quiet(mut self) -> Self {
        self.progress = false;
        self
    }
}
