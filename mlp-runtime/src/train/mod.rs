//! The trainer: epochs of seeded mini-batches, schedules, validation, early stopping,
//! gradient clipping, divergence detection, history, callbacks and a progress bar.

mod error;
mod history;
#[cfg(feature = "plot")]
mod plot;
mod progress;
mod stopping;

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Instant;

use mlp_spec::{EarlyStopping, Monitor, Optimizer as OptimizerSpec, ScheduleUnit, Spec};
use nalgebra::SVector;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

pub use error::TrainError;
pub use history::{EpochRecord, History, StopReason};
#[cfg(feature = "plot")]
pub use plot::PlotError;

use crate::checkpoint::{Preprocessing, save_training, save_weights};
use crate::data::split::shuffle;
use crate::data::{Dataset, DynDataset};
use crate::float::Float;
use crate::metrics::{Task, evaluate_dyn};
use crate::network::{Model, Network};
use crate::optim::Optimizer;
use crate::schedule::learning_rate;
use progress::Progress;
use stopping::EarlyStopper;

/// Run-time training settings. [`TrainConfig::from_spec`] takes them from the spec's
/// `training` section; every field can be changed in code.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training data. Defaults to the spec's `training.epochs` (100).
    pub epochs: usize,
    /// Whether each epoch visits the samples in a seeded shuffled order. Defaults to the
    /// spec's `training.shuffle` (true).
    pub shuffle: bool,
    /// Seed of the shuffling generator (and of the validation split). Defaults to the
    /// spec's `init.seed`.
    pub seed: u64,
    /// Fraction of the training data held out for validation when no validation set is
    /// given (stratified for classifiers). Defaults to `training.validation_split` (0).
    pub validation_split: f64,
    /// Early stopping. Defaults to `training.early_stopping` (none).
    pub early_stopping: Option<EarlyStopping>,
    /// Stop when the epoch's mean loss changes by less than this; 0 disables. Defaults to
    /// `training.min_loss_change` (0).
    pub min_loss_change: f64,
    /// Scale gradients down to this global L2 norm when above it. Defaults to
    /// `training.clip_grad_norm` (none).
    pub clip_grad_norm: Option<f64>,
    /// Show a progress bar when standard error is a terminal. Defaults to true.
    pub progress: bool,
    /// Checkpoints written during training. Defaults to none.
    pub checkpoint: Option<CheckpointPolicy>,
}

/// Where and when [`Trainer::fit`] writes checkpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckpointPolicy {
    /// A training checkpoint (to resume from) is written here...
    pub path: PathBuf,
    /// ...every this many epochs (0: never).
    pub every: usize,
    /// The weights of the epoch with the lowest validation loss (training loss without
    /// validation data) so far are written here, if set.
    pub best: Option<PathBuf>,
    /// Saved with every checkpoint, so a loaded model takes raw inputs.
    pub preprocessing: Preprocessing,
}

impl TrainConfig {
    /// The settings of a spec.
    pub fn from_spec(spec: &Spec) -> Self {
        let training = &spec.training;
        TrainConfig {
            epochs: training.epochs,
            shuffle: training.shuffle,
            seed: spec.init.seed,
            validation_split: training.validation_split,
            early_stopping: training.early_stopping,
            min_loss_change: training.min_loss_change,
            clip_grad_norm: training.clip_grad_norm,
            progress: true,
            checkpoint: None,
        }
    }
}

/// A callback run after each epoch; returning `ControlFlow::Break(())` stops training.
pub type EpochCallback = Box<dyn FnMut(&EpochRecord) -> ControlFlow<()>>;

/// Trains networks of type `N` with the optimizer and schedule of their spec.
///
/// The trainer owns the optimizer state, the shuffling generator and every buffer a step
/// needs, so [`Trainer::step`] allocates nothing.
///
/// ```
/// use mlp_runtime::prelude::*;
///
/// #[mlp(spec = "../specs/xor.yaml")]
/// struct Xor;
///
/// let data = Dataset::<f32, 2, 1>::from_slices(
///     &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0],
///     &[0.0, 1.0, 1.0, 0.0],
/// )
/// .unwrap();
/// let mut net = Xor::new();
/// let config = TrainConfig { epochs: 300, progress: false, ..TrainConfig::from_spec(&net.spec()) };
/// let mut trainer = Trainer::with_config(&net, config);
/// let history = trainer.fit(&mut net, &data, None).unwrap();
/// assert_eq!(history.epochs.len(), 300);
/// assert!(history.last().unwrap().loss < history.epochs[0].loss);
/// ```
pub struct Trainer<N: Model> {
    spec: Spec,
    config: TrainConfig,
    optimizer: Optimizer<N::Float>,
    /// The model's parameter layout, copied once so a step can borrow it beside the
    /// parameters.
    layout: Vec<mlp_spec::ParamSegment>,
    workspace: N::Workspace,
    grads: Box<[N::Float]>,
    batch_inputs: Box<[N::Float]>,
    batch_targets: Box<[N::Float]>,
    rng: ChaCha8Rng,
    epochs_done: usize,
    callbacks: Vec<EpochCallback>,
}

impl<N: Model> Trainer<N> {
    /// A trainer with the settings of `N`'s spec.
    pub fn new(network: &N) -> Self {
        let config = TrainConfig::from_spec(&network.spec());
        Self::with_config(network, config)
    }

    /// A trainer with the given settings.
    pub fn with_config(network: &N, config: TrainConfig) -> Self {
        let spec = network.spec();
        let zeros = |len| vec![<N::Float as Default>::default(); len].into_boxed_slice();
        let (params, batch) = (network.params().len(), network.batch_size());
        Trainer {
            optimizer: Optimizer::new(spec.optimizer, &spec.regularization, params),
            layout: network.layout().to_vec(),
            workspace: network.workspace(),
            grads: zeros(params),
            batch_inputs: zeros(network.input_size() * batch),
            batch_targets: zeros(network.output_size() * batch),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            epochs_done: 0,
            callbacks: Vec::new(),
            spec,
            config,
        }
    }

    /// The settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The settings, to change them between runs.
    pub fn config_mut(&mut self) -> &mut TrainConfig {
        &mut self.config
    }

    /// The optimizer and its state.
    pub fn optimizer(&self) -> &Optimizer<N::Float> {
        &self.optimizer
    }

    pub(crate) fn optimizer_mut(&mut self) -> &mut Optimizer<N::Float> {
        &mut self.optimizer
    }

    /// The shuffling generator, whose state a training checkpoint saves.
    pub(crate) fn rng(&self) -> &ChaCha8Rng {
        &self.rng
    }

    /// Continues from a checkpoint: epochs done and the shuffling generator.
    pub(crate) fn resume(&mut self, epochs_done: usize, rng: ChaCha8Rng) {
        self.epochs_done = epochs_done;
        self.rng = rng;
    }

    /// Epochs completed by [`Trainer::fit`] so far (they drive per-epoch schedules).
    pub fn epochs_done(&self) -> usize {
        self.epochs_done
    }

    /// Adds a callback run after each epoch.
    pub fn on_epoch(&mut self, callback: impl FnMut(&EpochRecord) -> ControlFlow<()> + 'static) {
        self.callbacks.push(Box::new(callback));
    }

    /// The learning rate of the next step.
    pub fn learning_rate(&self) -> f64 {
        let t = match self.spec.schedule.every {
            ScheduleUnit::Epoch => self.epochs_done as u64,
            ScheduleUnit::Step => self.optimizer.steps(),
        };
        learning_rate(&self.spec.schedule, self.spec.optimizer.lr(), t)
    }

    /// One optimizer step on `count` samples (`1 <= count <= BATCH_SIZE`, laid out sample
    /// after sample): backward pass, gradient clipping, update. Returns the batch's mean
    /// loss, computed before the update. Allocates nothing.
    ///
    /// # Errors
    ///
    /// [`TrainError::Diverged`] (with epoch and batch 0) if the loss is not finite; the
    /// parameters are then left as they were.
    pub fn step(
        &mut self,
        network: &mut N,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
    ) -> Result<N::Float, TrainError> {
        let lr = self.learning_rate();
        if self.config.clip_grad_norm.is_none()
            && matches!(self.optimizer.spec(), OptimizerSpec::Sgd { .. })
        {
            let grads = &mut self.grads;
            if let Some(loss) =
                network.sgd_step(&mut self.workspace, inputs, targets, count, grads, lr)
            {
                if !loss.as_f64().is_finite() {
                    return Err(TrainError::Diverged {
                        epoch: 0,
                        batch: 0,
                        loss: loss.as_f64(),
                    });
                }
                self.optimizer.count_step();
                return Ok(loss);
            }
        }
        let loss =
            network.backward_slice(&mut self.workspace, inputs, targets, count, &mut self.grads);
        if !loss.as_f64().is_finite() {
            return Err(TrainError::Diverged {
                epoch: 0,
                batch: 0,
                loss: loss.as_f64(),
            });
        }
        if let Some(max_norm) = self.config.clip_grad_norm {
            clip_grad_norm(&mut self.grads, max_norm);
        }
        self.optimizer
            .step(network.params_mut(), &self.grads, &self.layout, lr);
        Ok(loss)
    }

    /// Trains `network` on `train` for the configured epochs, evaluating on `validation`
    /// (or on a split of `train`, see [`TrainConfig::validation_split`]) after each epoch.
    ///
    /// Each epoch visits every sample once, in a seeded shuffled order when `shuffle` is
    /// on, in batches of the spec's batch size; the last, partial batch is a step of its
    /// own whose loss is the mean over its samples, and the epoch's loss weighs each batch
    /// by its size.
    ///
    /// # Errors
    ///
    /// [`TrainError::Diverged`] when a loss is NaN or infinite (the parameters are reset to
    /// the end of the last complete epoch), [`TrainError::NoData`] for empty training data,
    /// [`TrainError::NoValidationData`] when early stopping watches validation results and
    /// there are none.
    pub fn fit<T, const IN: usize, const OUT: usize>(
        &mut self,
        network: &mut N,
        train: &Dataset<T, IN, OUT>,
        validation: Option<&Dataset<T, IN, OUT>>,
    ) -> Result<History, TrainError>
    where
        T: Float,
        N: Network<Float = T, Input = SVector<T, IN>, Output = SVector<T, OUT>>,
    {
        self.fit_dyn(network, train.as_dyn(), validation.map(Dataset::as_dyn))
    }

    /// [`Trainer::fit`] for data whose widths are known at run time (the dynamic engine).
    ///
    /// # Errors
    ///
    /// As [`Trainer::fit`], plus [`TrainError::Shape`] when the data's widths are not the
    /// model's input and output sizes.
    pub fn fit_dyn(
        &mut self,
        network: &mut N,
        train: &DynDataset<N::Float>,
        validation: Option<&DynDataset<N::Float>>,
    ) -> Result<History, TrainError> {
        let (inputs, outputs) = (network.input_size(), network.output_size());
        for data in std::iter::once(train).chain(validation) {
            if (data.input_width(), data.output_width()) != (inputs, outputs) {
                return Err(TrainError::Shape {
                    features: data.input_width(),
                    targets: data.output_width(),
                    inputs,
                    outputs,
                });
            }
        }
        let task = Task::for_loss(&self.spec.loss);
        let held_out;
        let (train, validation) = match validation {
            Some(validation) => (train, Some(validation)),
            None if self.config.validation_split > 0.0 => {
                let split = match task {
                    Task::Classification { .. } => {
                        train.stratified_split(self.config.validation_split, self.config.seed)
                    }
                    Task::Regression => train.split(self.config.validation_split, self.config.seed),
                };
                held_out = split;
                (&held_out.0, Some(&held_out.1).filter(|v| !v.is_empty()))
            }
            None => (train, None),
        };
        if train.is_empty() {
            return Err(TrainError::NoData);
        }
        let mut stopper = self.config.early_stopping.map(EarlyStopper::new);
        if let (Some(settings), None) = (self.config.early_stopping, validation)
            && settings.monitor != Monitor::Loss
        {
            return Err(TrainError::NoValidationData {
                monitor: match settings.monitor {
                    Monitor::ValLoss => "val_loss",
                    Monitor::ValAccuracy => "val_accuracy",
                    _ => "val_r2",
                },
            });
        }

        let metric_name = match task {
            Task::Classification { .. } => "accuracy",
            Task::Regression => "r2",
        };
        let progress = Progress::new(self.config.epochs, self.config.progress);
        let mut order = vec![0; train.len()];
        let mut last_good = network.params().to_vec();
        let mut records = Vec::with_capacity(self.config.epochs);
        let mut stop = StopReason::Completed;
        let mut best_checkpoint_loss = f64::INFINITY;
        let batch = network.batch_size();
        for _ in 0..self.config.epochs {
            let started = Instant::now();
            let epoch = self.epochs_done + 1;
            let lr = self.learning_rate();
            // Each epoch's order depends only on the generator's state, so a run resumed
            // from a checkpoint visits the samples as the uninterrupted run would.
            order.iter_mut().enumerate().for_each(|(i, slot)| *slot = i);
            if self.config.shuffle {
                shuffle(&mut self.rng, &mut order);
            }
            let mut loss_sum = 0.0;
            for (index, chunk) in order.chunks(batch).enumerate() {
                for (slot, &sample) in chunk.iter().enumerate() {
                    self.batch_inputs[slot * inputs..(slot + 1) * inputs]
                        .copy_from_slice(train.input(sample));
                    self.batch_targets[slot * outputs..(slot + 1) * outputs]
                        .copy_from_slice(train.target(sample));
                }
                // Moved out for the step and back after it (an empty box does not allocate),
                // since `step` borrows the whole trainer.
                let batch_inputs = std::mem::take(&mut self.batch_inputs);
                let batch_targets = std::mem::take(&mut self.batch_targets);
                let result = self.step(
                    network,
                    &batch_inputs[..chunk.len() * inputs],
                    &batch_targets[..chunk.len() * outputs],
                    chunk.len(),
                );
                self.batch_inputs = batch_inputs;
                self.batch_targets = batch_targets;
                match result {
                    Ok(loss) => loss_sum += loss.as_f64() * chunk.len() as f64,
                    Err(TrainError::Diverged { loss, .. }) => {
                        network.params_mut().copy_from_slice(&last_good);
                        progress.finish();
                        return Err(TrainError::Diverged {
                            epoch,
                            batch: index + 1,
                            loss,
                        });
                    }
                    Err(other) => {
                        progress.finish();
                        return Err(other);
                    }
                }
            }
            self.epochs_done += 1;
            last_good.copy_from_slice(network.params());

            let train_eval = evaluate_dyn(network, train);
            let val_eval = validation.map(|v| evaluate_dyn(network, v));
            let record = EpochRecord {
                epoch,
                loss: loss_sum / train.len() as f64,
                metric: train_eval.metric(),
                val_loss: val_eval.as_ref().map(|e| e.loss),
                val_metric: val_eval.as_ref().and_then(|e| e.metric()),
                lr,
                seconds: started.elapsed().as_secs_f64(),
            };
            progress.epoch(&record, metric_name);
            let previous_loss = records.last().map(|r: &EpochRecord| r.loss);
            records.push(record);
            let record = records.last().expect("just pushed");

            if let Some(policy) = &self.config.checkpoint {
                if policy.every > 0 && epoch.is_multiple_of(policy.every) {
                    save_training(&policy.path, network, self, &policy.preprocessing)?;
                }
                let watched = record.val_loss.unwrap_or(record.loss);
                if let Some(best) = &policy.best
                    && watched < best_checkpoint_loss
                {
                    best_checkpoint_loss = watched;
                    save_weights(best, network, &policy.preprocessing)?;
                }
            }

            let mut wants_stop = false;
            for callback in &mut self.callbacks {
                wants_stop |= callback(record).is_break();
            }
            if wants_stop {
                stop = StopReason::Callback;
                break;
            }
            if let Some(stopper) = &mut stopper
                && stopper.update(record, network.params())
            {
                stop = StopReason::EarlyStopping;
                break;
            }
            if let Some(previous) = previous_loss
                && self.config.min_loss_change > 0.0
                && (previous - record.loss).abs() < self.config.min_loss_change
            {
                stop = StopReason::MinLossChange;
                break;
            }
        }
        progress.finish();
        let restored_epoch = stopper.and_then(|s| s.restore(network.params_mut()));
        Ok(History {
            epochs: records,
            stop,
            restored_epoch,
            metric_name,
        })
    }
}

/// Scales `grads` so that their global L2 norm is at most `max_norm`, as
/// `torch.nn.utils.clip_grad_norm_` (which divides by `norm + 1e-6`).
pub fn clip_grad_norm<T: Float>(grads: &mut [T], max_norm: f64) -> f64 {
    let norm = grads.iter().map(|g| g.as_f64().powi(2)).sum::<f64>().sqrt();
    let scale = max_norm / (norm + 1e-6);
    if scale < 1.0 {
        let scale = T::cast(scale);
        for g in grads {
            *g *= scale;
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_scales_to_the_max_norm() {
        let mut grads = [3.0f64, 4.0];
        assert_eq!(clip_grad_norm(&mut grads, 1.0), 5.0);
        assert!((grads[0] - 0.6).abs() < 1e-6 && (grads[1] - 0.8).abs() < 1e-6);
        let mut small = [0.3f64, 0.4];
        clip_grad_norm(&mut small, 1.0);
        assert_eq!(small, [0.3, 0.4]);
    }
}
