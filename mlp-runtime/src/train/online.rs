//! On-line learning: a session of one-sample steps, which may hold the first layer's weight
//! update back until the next sample's forward pass.

use super::{TrainError, Trainer, check_step_samples};
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
/// drop(online);
/// assert_eq!(net.params(), &trained[..]);
/// ```
pub struct Online<'a, N: Model> {
    trainer: &'a mut Trainer<N>,
    network: &'a mut N,
}

impl<N: Model> Trainer<N> {
    /// Starts an on-line session of one-sample steps on `network` (see [`Online`]).
    pub fn online<'a>(&'a mut self, network: &'a mut N) -> Online<'a, N> {
        Online {
            trainer: self,
            network,
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
        check_step_samples(network, input.len(), target.len(), 1)?;
        let (fused, lr) = (self.steps_fused(), self.learning_rate());
        let Some(held) = self.held.as_mut().filter(|_| fused) else {
            return self.step(network, input, target, 1);
        };
        let (workspace, grads) = (&mut self.workspace, &mut self.grads);
        let loss = network.held_sgd_step(workspace, input, target, grads, lr, held);
        if !loss.as_f64().is_finite() {
            return Err(TrainError::StepDiverged {
                loss: loss.as_f64(),
            });
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
    /// [`TrainError::StepSamples`] if a slice holds fewer values than a sample, and
    /// [`TrainError::StepDiverged`] if the loss is not finite; the step is then not applied,
    /// and the parameters are those after the step before.
    pub fn step(
        &mut self,
        input: &[N::Float],
        target: &[N::Float],
    ) -> Result<N::Float, TrainError> {
        self.trainer.held_step(self.network, input, target)
    }

    /// The network, with every step so far applied.
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
