//! The trainer: epochs of seeded mini-batches, schedules, validation, early stopping,
//! gradient clipping, divergence detection, history, epoch hooks and a progress bar.

mod config;
mod diagnostics;
mod error;
mod fit;
mod history;
mod hooks;
mod online;
mod parallel;
#[cfg(feature = "plot")]
pub(crate) mod plot;
pub(crate) mod progress;
mod state;
mod stopping;
mod units;

use std::ops::ControlFlow;
use std::sync::Arc;

use mlp_spec::{ScheduleUnit, Spec};

pub use config::TrainConfig;
pub use diagnostics::LayerDiagnostics;
pub use error::TrainError;
pub use history::{EpochRecord, History, StopReason};
pub use hooks::EpochHook;
pub use online::Online;
#[cfg(feature = "plot")]
pub use plot::PlotError;
pub use state::TrainingState;

use crate::data::Standardizer;
use crate::float::{Float, first_not_finite};
use crate::layer::{DeferredUpdate, Mode, step_seed};
use crate::lines::Lines;
use crate::model::Model;
use crate::optim::Optimizer;
use crate::pool::Pool;
use crate::regularization::add_penalty_gradient;
use crate::schedule::learning_rate;

/// Trains networks of type `N` with the optimizer, schedule and penalties of their spec, or
/// of a [`TrainConfig`].
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
/// let config = TrainConfig::from_spec(&net.spec()).with_epochs(300).quiet();
/// let mut trainer = Trainer::with_config(&net, config);
/// let history = trainer.fit(&mut net, &data, None).unwrap();
/// assert_eq!(history.epochs.len(), 300);
/// assert!(history.last().unwrap().loss < history.epochs[0].loss);
/// ```
pub struct Trainer<N: Model> {
    spec: Spec,
    config: TrainConfig,
    state: TrainingState<N::Float>,
    /// Whether steps are the model's fused SGD steps.
    fuses: bool,
    /// Whether each step sets the seed of its dropout masks ([`step_seed`] of the training
    /// generator's key and the step's number, both restored with a training checkpoint).
    draws_masks: bool,
    /// The model's parameter layout, copied once so a step can borrow it beside the
    /// parameters.
    layout: Vec<mlp_spec::ParamSegment>,
    workspace: N::Workspace,
    grads: Lines<N::Float>,
    batch_inputs: Box<[N::Float]>,
    batch_targets: Box<[N::Float]>,
    hooks: Vec<Box<dyn EpochHook<N>>>,
    diagnostics: diagnostics::Diagnostics,
    /// The threads and shard buffers of a model whose steps split into shards.
    parallel: Option<parallel::DataParallel<N>>,
    /// The threads and tape of a model whose steps split by units.
    units: Option<units::UnitSplit<N::Float>>,
    /// Room for the first layer's held-back update in an on-line session, for a model whose
    /// steps are fused and whose plan defers that update ([`Trainer::online`]).
    held: Option<DeferredUpdate<N::Float>>,
    /// The outputs of an on-line session's last prediction ([`Online::predict`]).
    prediction: Box<[N::Float]>,
    /// What the settings break of the spec rules ([`TrainConfig::check`]): every step
    /// refuses to run with them. Checked when the trainer is made, and again by the first
    /// step after [`Trainer::config_mut`] lent them out (`settings_checked` false).
    refused: Option<mlp_spec::SpecErrors>,
    settings_checked: bool,
    /// The standardisation of a regression's targets, to score its epochs in their units
    /// ([`Trainer::score_in_units`]).
    target_units: Option<Standardizer>,
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
        let optimizer = Optimizer::new(config.optimizer, &config.regularization, params);
        let plain_sgd = matches!(config.optimizer, mlp_spec::Optimizer::Sgd { .. })
            && !config.regularization.is_active();
        let mut workspace = network.workspace();
        network.set_regularization(&mut workspace, config.regularization);
        let fuses = network.fuses_sgd() && plain_sgd;
        // One pool for the steps split by units and the on-line sessions' walk, which never
        // run at once: a pool each would leave one's workers spinning while the other works.
        // A session's walk shares out to `held_parts` threads (1 where nothing is held back).
        let held_parts = if fuses {
            spec.plan().held_parts(config.threads)
        } else {
            1
        };
        let unit_threads = units::UnitSplit::<N::Float>::threads_for(&spec, config.threads);
        let pool = Arc::new(Pool::new(unit_threads.max(held_parts)));
        let refused = config.check(&spec).err();
        Trainer {
            state: TrainingState::new(
                optimizer,
                config.schedule,
                config.regularization,
                config.seed,
            ),
            fuses,
            draws_masks: spec.plan().has_dropout(),
            layout: network.layout().to_vec(),
            workspace,
            grads: Lines::zeros(params),
            batch_inputs: zeros(network.input_size() * batch),
            batch_targets: zeros(network.output_size() * batch),
            hooks: Vec::new(),
            diagnostics: diagnostics::Diagnostics::new(network.layout()),
            parallel: (!spec.splits_units())
                .then(|| parallel::DataParallel::new(network, config.threads))
                .flatten(),
            units: units::UnitSplit::new(&spec, &pool, config.threads),
            held: fuses
                .then(|| held_update(&spec, &pool, held_parts))
                .flatten(),
            prediction: zeros(network.output_size()),
            refused,
            settings_checked: true,
            target_units: None,
            spec,
            config,
        }
    }

    /// [`TrainError::Settings`] if the settings break a spec rule.
    fn check_settings(&mut self) -> Result<(), TrainError> {
        if !self.settings_checked {
            self.refused = self.config.check(&self.spec).err();
            self.settings_checked = true;
        }
        match &self.refused {
            Some(errors) => Err(TrainError::Settings(errors.clone())),
            None => Ok(()),
        }
    }

    /// The settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The settings, to change them between runs. The optimizer, the schedule and the
    /// penalties are taken into the training state when the trainer is made
    /// ([`Trainer::with_config`]), and a training checkpoint restores them; changing them
    /// here has no effect. Nor does changing the threads, which start with the trainer.
    /// The next step or [`Trainer::fit`] checks the settings again ([`TrainConfig::check`]).
    pub fn config_mut(&mut self) -> &mut TrainConfig {
        self.settings_checked = false;
        &mut self.config
    }

    /// The threads a step runs on: at most [`TrainConfig::threads`], and no more than the
    /// model's steps have shards ([`Model::shards`]); 1 for a model whose steps do not
    /// split.
    pub fn threads(&self) -> usize {
        match (&self.parallel, &self.units) {
            (Some(parallel), _) => parallel.threads(),
            (_, Some(units)) => units.threads(),
            _ => 1,
        }
    }

    /// The threads an on-line session's steps run on ([`Trainer::online`]): more than one
    /// where the session holds the first layer's update back and shares out its walk over
    /// the weight ([`mlp_spec::Plan::held_parts`] of [`TrainConfig::threads`]); 1 otherwise.
    pub fn online_threads(&self) -> usize {
        self.held.as_ref().map_or(1, DeferredUpdate::threads)
    }

    /// The optimizer and its state.
    pub fn optimizer(&self) -> &Optimizer<N::Float> {
        &self.state.optimizer
    }

    /// The state a training checkpoint saves.
    pub fn state(&self) -> &TrainingState<N::Float> {
        &self.state
    }

    /// The state, to restore it from a checkpoint.
    pub(crate) fn state_mut(&mut self) -> &mut TrainingState<N::Float> {
        &mut self.state
    }

    /// Epochs completed so far, by [`Trainer::fit`] or [`Trainer::end_epoch`] (they drive
    /// per-epoch schedules).
    pub fn epochs_done(&self) -> usize {
        self.state.epochs_done
    }

    /// Ends an epoch of a hand-written loop over [`Trainer::step`]: a schedule with
    /// `every: epoch` moves to its next rate, as it does after each epoch of
    /// [`Trainer::fit`]. (A schedule with `every: step` counts steps by itself.)
    pub fn end_epoch(&mut self) {
        self.state.epochs_done += 1;
    }

    /// Adds a callback run after each epoch; returning `ControlFlow::Break(())` stops
    /// training.
    pub fn on_epoch(&mut self, callback: impl FnMut(&EpochRecord) -> ControlFlow<()> + 'static) {
        self.hooks.push(Box::new(hooks::Callback(callback)));
    }

    /// Adds a hook run after each epoch, with the model and the training state.
    pub fn add_hook(&mut self, hook: impl EpochHook<N> + 'static) {
        self.hooks.push(Box::new(hook));
    }

    /// Makes the steps' losses weigh classes by `weights` (one per class, from class 0; empty
    /// for equal weights), as [`Trainer::fit`] does for `class_weights: balanced` with
    /// [`DynDataset::balanced_class_weights`](crate::DynDataset::balanced_class_weights) of
    /// its training data.
    pub fn set_class_weights(&mut self, network: &N, weights: &[f64]) {
        network.set_class_weights(&mut self.workspace, weights);
        if let Some(parallel) = &mut self.parallel {
            parallel.set_class_weights(network, weights);
        }
        if let Some(units) = &mut self.units {
            units.set_class_weights(weights);
        }
    }

    /// Scores a regression's epochs in the targets' units: the data [`Trainer::fit`] gets
    /// has targets that `targets` standardised, and the history's R^2, RMSE and MAE are then
    /// those of the outputs and targets mapped back
    /// ([`evaluate_in_units`](crate::evaluate_in_units)), in the units its
    /// predictions are read in. The losses stay the training objective's.
    ///
    /// # Panics
    ///
    /// If `targets` has other columns than the network has outputs.
    pub fn score_in_units(&mut self, targets: Standardizer) {
        targets.assert_width("targets", self.spec.outputs());
        self.target_units = Some(targets);
    }

    /// The learning rate of the next step.
    pub fn learning_rate(&self) -> f64 {
        let schedule = &self.state.schedule;
        let t = match schedule.every {
            ScheduleUnit::Epoch => self.state.epochs_done as u64,
            ScheduleUnit::Step => self.state.optimizer.steps(),
        };
        learning_rate(schedule, self.state.optimizer.spec().lr(), t)
    }

    /// One optimizer step on `count` samples (`1 <= count <= BATCH_SIZE`, laid out sample
    /// after sample; values after the first `count` samples are not read): backward pass,
    /// gradient clipping, update. Returns the batch's mean loss, computed before the update.
    /// Allocates nothing. A loop of its own calls [`Trainer::end_epoch`] after each pass
    /// over its data, for per-epoch schedules.
    ///
    /// A model whose steps split ([`Model::shards`]) runs them on the trainer's threads: by
    /// units ([`Spec::splits_units`]), or by shards of the batch and then the update by
    /// parts; the result does not depend on the number of threads.
    ///
    /// # Errors
    ///
    /// [`TrainError::StepSamples`] if `count` is out of range or the slices hold fewer than
    /// `count` samples, [`TrainError::Settings`] if the trainer's settings break a spec
    /// rule, and [`TrainError::NotFiniteSample`] (an input or target of the step is NaN or
    /// infinite) or [`TrainError::StepDiverged`] (they are all finite) if the loss is not
    /// finite; the step is then not applied, and the parameters are left as they were
    /// before it.
    pub fn step(
        &mut self,
        network: &mut N,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
    ) -> Result<N::Float, TrainError> {
        self.check_settings()?;
        check_step_samples(network, inputs.len(), targets.len(), count)?;
        // An on-line session left without being dropped (`mem::forget`) still held a step.
        self.apply_held(network);
        let lr = self.learning_rate();
        if self.parallel.is_some() {
            return self.split_step(network, inputs, targets, count, lr);
        }
        // One sample takes the small kernels, whose rows do not split: it runs here.
        if self.units.is_some() && count >= 2 {
            return self.unit_step(network, inputs, targets, count, lr);
        }
        if self.draws_masks {
            let seed = step_seed(self.state.mask_seed(), self.state.optimizer.steps());
            network.set_mode(&mut self.workspace, Mode::Train { seed });
        }
        let fused = self.steps_fused();
        let workspace = &mut self.workspace;
        let loss = if fused {
            let grads = &mut self.grads;
            network.fused_sgd_step(workspace, inputs, targets, count, grads, lr)
        } else {
            network.backward_slice(workspace, inputs, targets, count, &mut self.grads)
        };
        if !loss.as_f64().is_finite() {
            return Err(not_finite(network, loss, inputs, targets, count));
        }
        if fused {
            self.state.optimizer.count_step();
        } else {
            if self.config.diagnostics {
                self.diagnostics.record_step(&self.grads, &self.layout);
            }
            if let Some(max_norm) = self.config.training.clip_grad_norm {
                clip_grad_norm(&mut self.grads, max_norm);
            }
            let params = network.params_mut();
            self.state
                .optimizer
                .step(params, &self.grads, &self.layout, lr);
        }
        network.update_statistics(&mut self.workspace);
        Ok(loss)
    }
}

/// Why a step's loss is not finite: [`TrainError::NotFiniteSample`] for the first input or
/// target of its `count` samples that is not finite, else [`TrainError::StepDiverged`]. Only
/// a step whose loss is not finite looks, so the others pay nothing for it.
#[cold]
fn not_finite<N: Model>(
    network: &N,
    loss: N::Float,
    inputs: &[N::Float],
    targets: &[N::Float],
    count: usize,
) -> TrainError {
    let loss = loss.as_f64();
    let data = [
        ("input", inputs, network.input_size()),
        ("target", targets, network.output_size()),
    ];
    for (what, values, width) in data {
        let values = &values[..count * width];
        if let Some(at) = first_not_finite(values) {
            return TrainError::NotFiniteSample {
                what,
                sample: at / width,
                index: at % width,
                value: values[at].as_f64(),
                loss,
            };
        }
    }
    TrainError::StepDiverged { loss }
}

/// Whether `input_values` and `target_values` hold `count` samples of `network`, one step's.
fn check_step_samples<N: Model>(
    network: &N,
    input_values: usize,
    target_values: usize,
    count: usize,
) -> Result<(), TrainError> {
    let (inputs, outputs) = (network.input_size(), network.output_size());
    let batch_size = network.batch_size();
    if (1..=batch_size).contains(&count)
        && input_values >= count * inputs
        && target_values >= count * outputs
    {
        return Ok(());
    }
    Err(TrainError::StepSamples {
        count,
        batch_size,
        inputs,
        outputs,
        input_values,
        target_values,
    })
}

impl<N: Model> Trainer<N> {
    /// Whether steps are the model's fused SGD steps: its spec's and the trainer's optimizer
    /// is plain SGD, and no clipping or diagnostics need the gradient.
    fn steps_fused(&self) -> bool {
        self.fuses && self.config.training.clip_grad_norm.is_none() && !self.config.diagnostics
    }

    /// Whether a split step's update needs the whole gradient at once, as penalties, clipping
    /// and diagnostics do, rather than each thread updating its part.
    fn needs_whole_gradient(&self) -> bool {
        self.state.regularization.is_active()
            || self.config.training.clip_grad_norm.is_some()
            || self.config.diagnostics
    }
}

/// The update of a split step from its whole gradient `grads`: the penalties' gradient,
/// diagnostics, clipping, then the optimizer's step of `params`.
fn update_from_whole_gradient<T: Float>(
    state: &mut TrainingState<T>,
    config: &TrainConfig,
    diagnostics: &mut diagnostics::Diagnostics,
    layout: &[mlp_spec::ParamSegment],
    params: &mut [T],
    grads: &mut [T],
    lr: f64,
) {
    add_penalty_gradient(params, grads, layout, &state.regularization);
    if config.diagnostics {
        diagnostics.record_step(grads, layout);
    }
    if let Some(max_norm) = config.training.clip_grad_norm {
        clip_grad_norm(grads, max_norm);
    }
    state.optimizer.step(params, grads, layout, lr);
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

/// Room for an on-line session's held-back update of the first layer, for a spec whose plan
/// defers it, with its walk shared out to `parts` of `pool`'s threads.
fn held_update<T: Float>(spec: &Spec, pool: &Arc<Pool>, parts: usize) -> Option<DeferredUpdate<T>> {
    let mut held = DeferredUpdate::for_plan(&spec.plan())?;
    held.share_out(pool, parts);
    Some(held)
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
