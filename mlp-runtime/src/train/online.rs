//! On-line learning: a session of one-sample steps, which may hold the first layer's weight
//! update back until the next sample's forward pass.

use super::{TrainError, Trainer, check_step_samples, not_finite};
use crate::float::Float;
use crate::model::Model;

/// A session of one-sample training steps on a network, from [`Trainer::online`].
///
/// Each [`Online::step`] is [`Trainer::step`] on one sample, with the same result. For a
/// network whose first layer is too large for an L1 cache and that trains with plain SGD
/// ([`mlp_spec::Plan::defers_first_update`]), the session holds that layer's weight update
/// back until the next sample's forward pass, which applies it in the same walk over the
/// weight as its product: one pass over the weight per sample instead of two. The session
/// borrows the network, so nothing can read it with an update held: [`Online::network`] and
/// dropping the session apply it first, and the parameters then have exactly the bits of
/// `Trainer::step` on each sample.
///
/// With threads ([`TrainConfig::threads`](crate::TrainConfig)), a session that holds that
/// update back shares the walk over the weight out to them ([`Trainer::online_threads`]),
/// each thread over its own blocks of the layer's units and with the bits of one thread; the
/// threads' rows of the weight then stay with them for the session, and
/// [`Online::network`] copies them back (which the next step undoes): between steps,
/// predict with [`Online::predict`].
///
/// Where the target comes after the prediction (a controller acts on its output, then
/// observes), [`Online::predict`] and [`Online::learn`] split a step in two around it: the
/// forward pass runs once, for the prediction, and the step reuses it.
///
/// ```
/// use mlp_runtime::prelude::*;
///
/// #[mlp(spec = "../specs/xor.yaml")]
/// struct Xor;
///
/// let mut net = Xor::new();
/// let mut trainer = Trainer::new(&net);
/// let mut online = trainer.online(&mut net);
/// for (input, target) in [([0.0, 1.0], [1.0]), ([1.0, 1.0], [0.0])] {
///     online.step(&input, &target).unwrap();
/// }
/// let trained = online.network().params().to_vec();
/// // Predict, act on the output, then learn from what was observed.
/// let output = online.predict(&[1.0, 0.0]).unwrap()[0];
/// let loss = online.learn(&[1.0]).unwrap();
/// assert!(output > 0.0 && output < 1.0 && loss > 0.0);
/// drop(online);
/// assert_ne!(net.params(), &trained[..]);
/// ```
pub struct Online<'a, N: Model> {
    trainer: &'a mut Trainer<N>,
    network: &'a mut N,
    /// Whether a prediction waits for its target ([`Online::learn`]), its input in the
    /// trainer's batch buffer and, for fused steps, its forward pass in the workspace.
    predicted: bool,
}

impl<N: Model> Trainer<N> {
    /// Starts an on-line session of one-sample steps on `network` (see [`Online`]).
    pub fn online<'a>(&'a mut self, network: &'a mut N) -> Online<'a, N> {
        Online {
            trainer: self,
            network,
            predicted: false,
        }
    }

    /// [`Online::step`]: a step on one sample that holds the first layer's weight update
    /// back when the steps are fused and the plan defers it, and is [`Trainer::step`]
    /// otherwise. The caller applies what is held ([`Trainer::apply_held`]) before anything
    /// reads the network.
    pub(super) fn held_step(
        &mut self,
        network: &mut N,
        input: &[N::Float],
        target: &[N::Float],
    ) -> Result<N::Float, TrainError> {
        self.check_settings()?;
        check_step_samples(network, input.len(), target.len(), 1)?;
        let (fused, lr) = (self.steps_fused(), self.learning_rate());
        let Some(held) = self.held.as_mut().filter(|_| fused) else {
            return self.step(network, input, target, 1);
        };
        let (workspace, grads) = (&mut self.workspace, &mut self.grads);
        let loss = network.held_sgd_step(workspace, input, target, grads, lr, held);
        self.count_fused_step(network, loss, input, target)
    }

    /// A fused one-sample step's result: for a loss that is not finite (the step then
    /// updated nothing), [`TrainError::NotFiniteSample`] or [`TrainError::StepDiverged`] as
    /// from [`Trainer::step`], else the loss, with the step counted.
    fn count_fused_step(
        &mut self,
        network: &N,
        loss: N::Float,
        input: &[N::Float],
        target: &[N::Float],
    ) -> Result<N::Float, TrainError> {
        if !loss.as_f64().is_finite() {
            return Err(not_finite(network, loss, input, target, 1));
        }
        self.state.optimizer.count_step();
        Ok(loss)
    }

    /// Applies the step [`Trainer::held_step`] holds, if any, to `network`.
    pub(super) fn apply_held(&mut self, network: &mut N) {
        if let Some(held) = &mut self.held {
            held.apply(network.params_mut());
        }
    }
}

impl<N: Model> Online<'_, N> {
    /// One optimizer step on one sample (`input` and `target` each one sample's values):
    /// [`Trainer::step`] with a count of 1. Returns the sample's loss, computed before the
    /// update. Allocates nothing.
    ///
    /// # Errors
    ///
    /// [`TrainError::StepSamples`] if a slice holds fewer values than a sample,
    /// [`TrainError::Settings`] if the trainer's settings break a spec rule, and, if the loss
    /// is not finite, [`TrainError::NotFiniteSample`] (a value of the sample is not finite)
    /// or [`TrainError::StepDiverged`]; the step is then not applied, and the parameters are
    /// those after the step before.
    pub fn step(
        &mut self,
        input: &[N::Float],
        target: &[N::Float],
    ) -> Result<N::Float, TrainError> {
        self.predicted = false;
        self.trainer.held_step(self.network, input, target)
    }

    /// The network's outputs for one sample (`input`, one sample's values) after every step
    /// so far, before its target is known; [`Online::learn`] then takes the sample's step
    /// from the same forward pass. Predict, act, observe, learn: for fused SGD steps the
    /// forward pass runs once, and for a first layer whose update the session holds back,
    /// it applies that update on its way, so a prediction and its step walk the weight once
    /// as [`Online::step`] does. The outputs have the bits of the network's own prediction
    /// ([`Model::forward_slice`]), and `predict` and `learn` together those of `step`.
    /// Allocates nothing.
    ///
    /// # Errors
    ///
    /// [`TrainError::SessionSample`] if `input` holds fewer values than a sample.
    pub fn predict(&mut self, input: &[N::Float]) -> Result<&[N::Float], TrainError> {
        let (trainer, network) = (&mut *self.trainer, &mut *self.network);
        let width = network.input_size();
        let input = one_sample("predict", "inputs", input, width)?;
        trainer.batch_inputs[..width].copy_from_slice(input);
        let fused = trainer.steps_fused();
        let (workspace, outputs) = (&mut trainer.workspace, &mut trainer.prediction);
        if fused {
            network.forward_to_descend(workspace, input, outputs, trainer.held.as_mut());
        } else {
            network.forward_slice(workspace, input, 1, outputs);
        }
        self.predicted = true;
        Ok(&self.trainer.prediction)
    }

    /// The step of the sample last predicted ([`Online::predict`]) on its `target`: the
    /// bits of [`Online::step`] on that sample, without its forward pass again. Returns the
    /// sample's loss, computed before the update. Allocates nothing.
    ///
    /// # Errors
    ///
    /// [`TrainError::NothingPredicted`] if no prediction waits for its target (none yet,
    /// already learnt from, or a [`Online::step`] since); [`TrainError::SessionSample`] if
    /// `target` holds fewer values than a sample (the prediction then still waits);
    /// [`TrainError::Settings`] as for [`Online::step`]; and [`TrainError::NotFiniteSample`]
    /// or [`TrainError::StepDiverged`] if the loss is not finite, when the step is not
    /// applied.
    pub fn learn(&mut self, target: &[N::Float]) -> Result<N::Float, TrainError> {
        let (trainer, network) = (&mut *self.trainer, &mut *self.network);
        if !self.predicted {
            return Err(TrainError::NothingPredicted);
        }
        trainer.check_settings()?;
        let width = network.input_size();
        let target = one_sample("learn", "targets", target, network.output_size())?;
        self.predicted = false;
        if !trainer.steps_fused() {
            // Moved out for the step and back after it, as `fit` does.
            let input = std::mem::take(&mut trainer.batch_inputs);
            let result = trainer.step(network, &input[..width], target, 1);
            trainer.batch_inputs = input;
            return result;
        }
        let lr = trainer.learning_rate();
        let loss = network.descend_after_forward(
            &mut trainer.workspace,
            &trainer.batch_inputs[..width],
            target,
            &mut trainer.grads,
            lr,
            trainer.held.as_mut(),
        );
        let input = std::mem::take(&mut trainer.batch_inputs);
        let result = trainer.count_fused_step(network, loss, &input[..width], target);
        trainer.batch_inputs = input;
        result
    }

    /// The network, with every step so far applied (and the threads' rows of the first
    /// weight copied back into it, when the session shares out its walk).
    pub fn network(&mut self) -> &N {
        self.apply_held();
        self.network
    }

    /// The trainer: its settings, optimizer and learning rate.
    pub fn trainer(&self) -> &Trainer<N> {
        self.trainer
    }

    /// Applies the step the session holds, if any.
    fn apply_held(&mut self) {
        self.trainer.apply_held(self.network);
    }
}

impl<N: Model> Drop for Online<'_, N> {
    fn drop(&mut self) {
        self.apply_held();
    }
}

/// The first `needed` values of `values`, one sample's, for the session's `call`.
fn one_sample<'v, T>(
    call: &'static str,
    what: &'static str,
    values: &'v [T],
    needed: usize,
) -> Result<&'v [T], TrainError> {
    values.get(..needed).ok_or(TrainError::SessionSample {
        call,
        what,
        needed,
        given: values.len(),
    })
}
