//! `Trainer::fit`: epochs of mini-batches, evaluation, hooks and the reasons to stop.

use std::time::Instant;

use mlp_spec::{ClassWeights, Loss, Monitor};
use nalgebra::SVector;

use super::progress::Progress;
use super::stopping::EarlyStopper;
use super::{EpochRecord, History, StopReason, TrainError, Trainer};
use crate::data::split::shuffle;
use crate::data::{Dataset, DynDataset};
use crate::float::Float;
use crate::metrics::{Evaluation, Task, WidthMismatch, evaluate_in_units};
use crate::model::{Model, StaticModel};

/// Why an epoch did not end.
enum Unfinished {
    /// A batch's loss was NaN or infinite (the batch counts from 1).
    Diverged { batch: usize, loss: f64 },
    /// Any other error.
    Failed(TrainError),
}

impl<N: Model> Trainer<N> {
    /// Trains `network` on `train` for the configured epochs, evaluating on `validation`
    /// (or on a split of `train`, see `training.validation_split`) after each epoch.
    ///
    /// Each epoch visits every sample once, in a seeded shuffled order when `shuffle` is
    /// on, in batches of the spec's batch size; the last, partial batch is a step of its
    /// own whose loss is the mean over its samples, and the epoch's loss weighs each batch
    /// by its size. A batch of one sample is an on-line session's step ([`Trainer::online`]),
    /// with the same bits as [`Trainer::step`]; what it holds back is applied by the end of
    /// the epoch.
    ///
    /// # Errors
    ///
    /// [`TrainError::Diverged`] when a loss is NaN or infinite (the parameters are reset to
    /// the end of the last complete epoch), [`TrainError::NoData`] for empty training data,
    /// [`TrainError::NoneLeftToTrain`] when `training.validation_split` holds out all of it,
    /// [`TrainError::NoValidationData`] when early stopping watches validation results and
    /// there are none, [`TrainError::HingeTarget`] when hinge loss gets a target other than
    /// -1 or +1, [`TrainError::Settings`] when a setting breaks its key's rule in a spec
    /// file (a [`TrainConfig`](super::TrainConfig) field changed in code), and the error of a
    /// hook that fails.
    pub fn fit<T, const IN: usize, const OUT: usize>(
        &mut self,
        network: &mut N,
        train: &Dataset<T, IN, OUT>,
        validation: Option<&Dataset<T, IN, OUT>>,
    ) -> Result<History, TrainError>
    where
        T: Float,
        N: StaticModel<Float = T, Input = SVector<T, IN>, Output = SVector<T, OUT>>,
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
        self.check_settings()?;
        for data in std::iter::once(train).chain(validation) {
            WidthMismatch::check(network, data)?;
            if self.spec.loss == Loss::Hinge {
                check_signs(data)?;
            }
        }
        let task = Task::for_loss(&self.spec.loss);
        let held_out;
        let (train, validation) = match validation {
            Some(validation) => (train, Some(validation)),
            None if self.config.training.validation_split > 0.0 => {
                held_out = self.split(task, train);
                if held_out.0.is_empty() && !train.is_empty() {
                    return Err(TrainError::NoneLeftToTrain {
                        fraction: self.config.training.validation_split,
                        samples: train.len(),
                    });
                }
                (&held_out.0, Some(&held_out.1).filter(|v| !v.is_empty()))
            }
            None => (train, None),
        };
        if train.is_empty() {
            return Err(TrainError::NoData);
        }
        self.apply_class_weights(network, train, validation)?;
        let mut stopper = self.early_stopper(validation.is_some())?;
        let metric_name = match task {
            Task::Classification { .. } => "accuracy",
            Task::Regression => "r2",
        };
        let progress = Progress::new(self.config.training.epochs, self.config.progress);
        let mut order = vec![0; train.len()];
        let mut last_good = network.params().to_vec();
        // Grown as epochs end: reserving `epochs` up front would abort on a count in the
        // trillions (a typo's zeros), which early stopping or an interruption may never reach.
        let mut records: Vec<EpochRecord> = Vec::new();
        let mut stop = StopReason::Completed;
        for _ in 0..self.config.training.epochs {
            let started = Instant::now();
            let lr = self.learning_rate();
            let loss = match self.epoch(network, train, &mut order, &last_good) {
                Ok(loss) => loss,
                Err(unfinished) => {
                    progress.finish();
                    return Err(match unfinished {
                        Unfinished::Diverged { batch, loss } => TrainError::Diverged {
                            epoch: self.state.epochs_done + 1,
                            batch,
                            loss,
                            history: Box::new(History {
                                epochs: records,
                                stop: StopReason::Diverged,
                                restored_epoch: None,
                                metric_name,
                            }),
                        },
                        Unfinished::Failed(error) => error,
                    });
                }
            };
            last_good.copy_from_slice(network.params());
            let units = self.target_units.as_ref();
            let evaluate = |data| evaluate_in_units(network, data, units);
            let evaluated = evaluate(train).and_then(|train_eval| {
                let val_eval = validation.map(evaluate).transpose()?;
                Ok((train_eval, val_eval))
            });
            let (train_eval, val_eval) = match evaluated {
                Ok(evaluations) => evaluations,
                Err(error) => {
                    progress.finish();
                    return Err(error.into());
                }
            };
            let record = EpochRecord {
                epoch: self.state.epochs_done,
                loss,
                metric: train_eval.metric(),
                val_loss: val_eval.as_ref().map(|e| e.loss),
                val_metric: val_eval.as_ref().and_then(|e| e.metric()),
                lr,
                seconds: started.elapsed().as_secs_f64(),
                scores: train_eval.scores(),
                val_scores: val_eval
                    .as_ref()
                    .map(Evaluation::scores)
                    .unwrap_or_default(),
                layers: if self.config.diagnostics {
                    self.diagnostics.finish_epoch(network, train)
                } else {
                    Vec::new()
                },
            };
            progress.epoch(&record, metric_name);
            let previous_loss = records.last().map(|r| r.loss);
            records.push(record);
            let record = records.last().expect("just pushed");
            if let Some(reason) = self.reason_to_stop(record, network, &mut stopper, previous_loss)
            {
                match reason {
                    Ok(reason) => stop = reason,
                    Err(error) => {
                        progress.finish();
                        return Err(error);
                    }
                }
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

    /// With class weights, checks that the targets are class labels and, for `balanced`,
    /// weighs the classes by their shares of `train`.
    fn apply_class_weights(
        &mut self,
        network: &N,
        train: &DynDataset<N::Float>,
        validation: Option<&DynDataset<N::Float>>,
    ) -> Result<(), TrainError> {
        let Some(weights) = &self.spec.training.class_weights else {
            return Ok(());
        };
        for data in std::iter::once(train).chain(validation) {
            check_labels(data)?;
        }
        if *weights == ClassWeights::Balanced {
            let counts = train.class_counts();
            let weights = train.balanced_class_weights().ok_or_else(|| {
                let class = counts.iter().position(|&c| c == 0).unwrap_or_default();
                TrainError::EmptyClass { class }
            })?;
            self.set_class_weights(network, &weights);
        }
        Ok(())
    }

    /// Holds out `training.validation_split` of `train` (stratified for classifiers).
    fn split(
        &self,
        task: Task,
        train: &DynDataset<N::Float>,
    ) -> (DynDataset<N::Float>, DynDataset<N::Float>) {
        let (fraction, seed) = (self.config.training.validation_split, self.config.seed);
        match task {
            Task::Classification { .. } => train.stratified_split(fraction, seed),
            Task::Regression => train.split(fraction, seed),
        }
    }

    /// Early stopping as configured, which needs validation data unless it watches `loss`.
    fn early_stopper(
        &self,
        has_validation: bool,
    ) -> Result<Option<EarlyStopper<N::Float>>, TrainError> {
        let Some(settings) = self.config.training.early_stopping else {
            return Ok(None);
        };
        let monitor = match settings.monitor {
            Monitor::Loss => return Ok(Some(EarlyStopper::new(settings))),
            Monitor::ValLoss => "val_loss",
            Monitor::ValAccuracy => "val_accuracy",
            Monitor::ValR2 => "val_r2",
        };
        if !has_validation {
            return Err(TrainError::NoValidationData { monitor });
        }
        Ok(Some(EarlyStopper::new(settings)))
    }

    /// One pass over `train` in batches; returns the mean loss, weighted by batch size. On
    /// divergence, puts back the parameters of the last complete epoch, `last_good`, and says
    /// where (`fit` adds the history of the epochs before).
    fn epoch(
        &mut self,
        network: &mut N,
        train: &DynDataset<N::Float>,
        order: &mut [usize],
        last_good: &[N::Float],
    ) -> Result<f64, Unfinished> {
        let (inputs, outputs) = (network.input_size(), network.output_size());
        // Each epoch's order depends only on the generator's state, so a run resumed from a
        // checkpoint visits the samples as the uninterrupted run would.
        order.iter_mut().enumerate().for_each(|(i, slot)| *slot = i);
        if self.config.training.shuffle {
            shuffle(&mut self.state.rng, order);
        }
        let mut loss_sum = 0.0;
        for (index, chunk) in order.chunks(network.batch_size()).enumerate() {
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
            let (batch_input, batch_target) = (
                &batch_inputs[..chunk.len() * inputs],
                &batch_targets[..chunk.len() * outputs],
            );
            // One sample is an on-line session's step, whose update of the first layer the
            // next sample's forward pass may apply (nothing reads the network in between).
            let result = match chunk.len() {
                1 => self.held_step(network, batch_input, batch_target),
                count => self.step(network, batch_input, batch_target, count),
            };
            self.batch_inputs = batch_inputs;
            self.batch_targets = batch_targets;
            match result {
                Ok(loss) => loss_sum += loss.as_f64() * chunk.len() as f64,
                // A diverged step applied the step held before it in its forward pass, and
                // holds none of its own; the threads' rows of the weight, if they hold it,
                // come back before the parameters are put back.
                Err(TrainError::StepDiverged { loss }) => {
                    self.apply_held(network);
                    network.params_mut().copy_from_slice(last_good);
                    return Err(Unfinished::Diverged {
                        batch: index + 1,
                        loss,
                    });
                }
                Err(other) => return Err(Unfinished::Failed(other)),
            }
        }
        self.apply_held(network);
        self.end_epoch();
        Ok(loss_sum / train.len() as f64)
    }

    /// Runs the hooks and the stopping rules after an epoch: `Some` when training stops.
    fn reason_to_stop(
        &mut self,
        record: &EpochRecord,
        network: &N,
        stopper: &mut Option<EarlyStopper<N::Float>>,
        previous_loss: Option<f64>,
    ) -> Option<Result<StopReason, TrainError>> {
        let mut wants_stop = false;
        for hook in &mut self.hooks {
            match hook.after_epoch(record, network, &self.state) {
                Ok(flow) => wants_stop |= flow.is_break(),
                Err(error) => return Some(Err(error)),
            }
        }
        if wants_stop {
            return Some(Ok(StopReason::Callback));
        }
        if let Some(stopper) = stopper
            && stopper.update(record, network.params())
        {
            return Some(Ok(StopReason::EarlyStopping));
        }
        let min_change = self.config.training.min_loss_change;
        if let Some(previous) = previous_loss
            && min_change > 0.0
            && (previous - record.loss).abs() < min_change
        {
            return Some(Ok(StopReason::MinLossChange));
        }
        None
    }
}

/// Checks that every target is -1 or +1, the labels hinge loss is defined for.
fn check_signs<T: Float>(data: &DynDataset<T>) -> Result<(), TrainError> {
    let outputs = data.output_width();
    let one = T::one();
    match data.targets().iter().position(|&t| t != one && t != -one) {
        None => Ok(()),
        Some(index) => Err(TrainError::HingeTarget {
            sample: index / outputs,
            value: data.targets()[index].as_f64(),
        }),
    }
}

/// Checks that every target is a class label: a one-hot row, or 0 or 1 for one output.
fn check_labels<T: Float>(data: &DynDataset<T>) -> Result<(), TrainError> {
    let (zero, one) = (T::zero(), T::one());
    for sample in 0..data.len() {
        let target = data.target(sample);
        let hard = target.iter().all(|&t| t == zero || t == one);
        let ones = target.iter().filter(|&&t| t == one).count();
        if !hard || (target.len() > 1 && ones != 1) {
            return Err(TrainError::ClassWeightTarget {
                sample,
                target: target.iter().map(|t| t.as_f64()).collect(),
            });
        }
    }
    Ok(())
}
