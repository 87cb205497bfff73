//! The traits every network implements, so that generic code (trainer, gradient checker,
//! checkpoints, benchmarks) works with any of them.
//!
//! [`Model`] is what both engines share, with sizes known at run time: the dynamic engine
//! implements it alone. [`StaticModel`] adds what only a compiled network has: its sizes as
//! constants and typed samples, so that data of another shape does not type-check.

use crate::float::Float;
use crate::layer::{DeferredUpdate, Mode, SharedProduct};
use crate::sample::Sample;
use mlp_spec::{ParamSegment, Regularization, Shards, Spec};

/// A multi-layer perceptron with a flat parameter buffer, of either engine.
///
/// Parameters are one flat buffer in the order documented by [`ParamSegment`] (layer by
/// layer, weight then bias, weights column-major). Batches passed as slices are column-major
/// too: sample `j` occupies `inputs[j * input_size..(j + 1) * input_size]`.
///
/// A model is shareable between threads (`Sync`) and its workspaces can move to one (`Send`),
/// so predictions and searches can spread over cores.
pub trait Model: Sync {
    /// The scalar type (`f32` or `f64`).
    type Float: Float;
    /// Preallocated buffers for batched computations.
    type Workspace: Send;

    /// The validated spec the network was built from.
    fn spec(&self) -> Spec;

    /// Each layer's sizes, activation and parameters, and the memory training takes, as
    /// Keras' `model.summary()`; `println!("{}", net.summary())` prints it as a table.
    fn summary(&self) -> mlp_spec::ModelSummary {
        self.spec().summary()
    }

    /// The canonical form of that spec (see [`Spec::canonical_yaml`]).
    fn canonical_spec(&self) -> &str;

    /// Number of input features.
    fn input_size(&self) -> usize;

    /// Number of outputs.
    fn output_size(&self) -> usize;

    /// The largest number of samples the batched passes take at once (the spec's batch
    /// size).
    fn batch_size(&self) -> usize;

    /// The segments of the flat parameter buffer.
    fn layout(&self) -> &[ParamSegment];

    /// The parameters, in the flat order.
    fn params(&self) -> &[Self::Float];

    /// The parameters, mutably.
    fn params_mut(&mut self) -> &mut [Self::Float];

    /// Allocates the buffers batched computations need; reuse it across calls. Its losses
    /// weigh classes by the weights the spec lists (`training.class_weights`), if any.
    fn workspace(&self) -> Self::Workspace;

    /// Makes the losses computed in `workspace` weigh classes by `weights`, one per class
    /// from class 0 (as `torch.nn.CrossEntropyLoss(weight=...)`); empty for equal weights.
    /// The trainer sets `balanced` weights this way, from its training data.
    fn set_class_weights(&self, workspace: &mut Self::Workspace, weights: &[f64]);

    /// Makes the losses and gradients computed in `workspace` add the penalties of
    /// `regularization` instead of the spec's (a run-time hyper-parameter: the trainer sets
    /// its [`TrainConfig::regularization`](crate::TrainConfig::regularization) this way).
    fn set_regularization(&self, workspace: &mut Self::Workspace, regularization: Regularization);

    /// Makes the losses and gradients computed in `workspace` train or evaluate: how batch
    /// normalisation and dropout behave (see [`Mode`]). A new workspace trains, with dropout
    /// seed 0; forward passes and predictions always evaluate.
    fn set_mode(&self, workspace: &mut Self::Workspace, mode: Mode);

    /// Outputs for `count` samples, `1 <= count <= batch_size()`.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than `count` samples.
    fn forward_slice(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        count: usize,
        outputs: &mut [Self::Float],
    );

    /// [`Model::forward_slice`] of one sample, with the first layer's product shared out to
    /// threads by `shared`, which was made for this model's parameters; the outputs have the
    /// bits of `forward_slice`'s.
    ///
    /// # Panics
    ///
    /// If the plan does not share out its first product
    /// ([`mlp_spec::Plan::shares_first_product`]), if `shared` was made for another layer, or
    /// if a slice is shorter than one sample.
    fn forward_shared(
        &self,
        workspace: &mut Self::Workspace,
        input: &[Self::Float],
        outputs: &mut [Self::Float],
        shared: &SharedProduct<Self::Float>,
    );

    /// The mean loss over `count` samples, regularisation included.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than `count` samples.
    fn loss_slice(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        targets: &[Self::Float],
        count: usize,
    ) -> Self::Float;

    /// The mean loss over `count` samples computed in `f64` with the parameters `params`
    /// (in the flat order), whatever the network's precision, in `mode`. Gradient checks use
    /// it so that finite differences of `f32` networks are not drowned in `f32` rounding.
    /// Allocates its buffers.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than it must be.
    fn loss_f64(
        &self,
        params: &[f64],
        inputs: &[f64],
        targets: &[f64],
        count: usize,
        mode: Mode,
    ) -> f64;

    /// Writes the gradient of the mean loss over `count` samples (regularisation included)
    /// into `grads` (one value per parameter, flat order) and returns the loss. Allocates
    /// nothing.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than it must be.
    fn backward_slice(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        targets: &[Self::Float],
        count: usize,
        grads: &mut [Self::Float],
    ) -> Self::Float;

    /// How a training step splits its batch into shards for threads (the spec's
    /// `training.threads` and the cost model, [`Spec::shards`]).
    fn shards(&self) -> Shards;

    /// One shard of a data-parallel training step: writes the gradient of the mean loss over
    /// `count` samples (`1 <= count <= shards().size`) into `grads`, without the penalties
    /// (the step adds them once, to the sum of the shards' gradients). Returns the shard's
    /// loss and its weight in the batch's mean ([`Model::backward_slice`] of the whole
    /// batch is the weighted mean of its shards): the number of samples, or with class
    /// weights over several classes, the sum of the samples' class weights. Allocates nothing.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than it must be.
    fn backward_shard(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        targets: &[Self::Float],
        count: usize,
        grads: &mut [Self::Float],
    ) -> (Self::Float, f64);

    /// Moves the running statistics of batch-normalised layers towards those of the last
    /// training pass of [`Model::backward_slice`] in `workspace`, as PyTorch does during a
    /// training forward pass. The trainer calls it after each step; it does nothing for a
    /// network without batch norm, after an evaluation, or twice for one pass.
    fn update_statistics(&mut self, workspace: &mut Self::Workspace);

    /// Whether the model trains by [`Model::fused_sgd_step`]: its spec trains with plain `sgd`
    /// and no regularisation (see [`mlp_spec::Plan::fused_sgd`]).
    fn fuses_sgd(&self) -> bool;

    /// One training step of plain SGD (`p -= lr * lr_scale * g` for each layer) with each
    /// layer's update fused into the backward pass, so that no weight gradient is stored.
    /// Returns the batch's loss, which is computed before the update; when it is not finite
    /// the parameters are left untouched. `grads` is scratch space of the parameters' length.
    /// The parameters end bit-identical to those of [`Model::backward_slice`] followed by the
    /// optimizer.
    ///
    /// # Panics
    ///
    /// If the model does not fuse its steps ([`Model::fuses_sgd`]), if `count` is out of
    /// range or a slice is shorter than it must be.
    fn fused_sgd_step(
        &mut self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        targets: &[Self::Float],
        count: usize,
        grads: &mut [Self::Float],
        lr: f64,
    ) -> Self::Float;

    /// [`Model::fused_sgd_step`] on one sample in an on-line session, for a model whose plan
    /// defers its first layer's update ([`mlp_spec::Plan::defers_first_update`]): the forward
    /// pass first applies the step `held` holds (the sample before's), and the first layer's
    /// weight step is then held in `held` instead of applied. The parameters after
    /// [`DeferredUpdate::apply`] are bit-identical to those of `fused_sgd_step` on each sample.
    ///
    /// # Panics
    ///
    /// If the model does not fuse its steps, if `held` is not room for its first layer's step
    /// ([`DeferredUpdate::for_plan`] of its plan), or if a slice is shorter than one sample.
    fn held_sgd_step(
        &mut self,
        workspace: &mut Self::Workspace,
        input: &[Self::Float],
        target: &[Self::Float],
        grads: &mut [Self::Float],
        lr: f64,
        held: &mut DeferredUpdate<Self::Float>,
    ) -> Self::Float;

    /// The forward pass of one sample's fused SGD step, before its target is known, with
    /// the outputs copied into `outputs`: an on-line session's prediction
    /// ([`Online::predict`](crate::train::Online::predict)), whose step
    /// [`Model::descend_after_forward`] then takes from the pass this leaves in `workspace`.
    /// With `held`, the pass first applies the step it holds, as [`Model::held_sgd_step`]'s
    /// does. The outputs have the bits of [`Model::forward_slice`] on the parameters after
    /// that step.
    ///
    /// # Panics
    ///
    /// If the model does not fuse its steps, if `held` is given and the plan does not defer
    /// its first layer's update, or if a slice is shorter than one sample.
    fn forward_to_descend(
        &mut self,
        workspace: &mut Self::Workspace,
        input: &[Self::Float],
        outputs: &mut [Self::Float],
        held: Option<&mut DeferredUpdate<Self::Float>>,
    );

    /// The loss and fused SGD step of the sample whose forward pass
    /// [`Model::forward_to_descend`] left in `workspace` (`input` is that sample's; nothing
    /// may run in `workspace` in between). With `held`, the first layer's weight step is held
    /// there, as in [`Model::held_sgd_step`]. Returns the loss; when it is not finite, nothing
    /// is updated or held. Forward pass and step together are bit-identical to
    /// [`Model::fused_sgd_step`] (or `held_sgd_step`) on the sample.
    ///
    /// `held` must be what [`Model::forward_to_descend`] was given for the pass: room for the
    /// first layer's step of a plan that defers it, or `None`.
    ///
    /// # Panics
    ///
    /// If the model does not fuse its steps, or if a slice is shorter than one sample.
    fn descend_after_forward(
        &mut self,
        workspace: &mut Self::Workspace,
        input: &[Self::Float],
        target: &[Self::Float],
        grads: &mut [Self::Float],
        lr: f64,
        held: Option<&mut DeferredUpdate<Self::Float>>,
    ) -> Self::Float;
}

/// A network compiled by `#[mlp(spec = "...")]`: a [`Model`] whose sizes are constants and
/// whose samples are statically sized vectors.
pub trait StaticModel: Model + Sized {
    /// One input sample.
    type Input: Sample<Self::Float>;
    /// One output (or target) sample.
    type Output: Sample<Self::Float>;

    /// Number of input features.
    const INPUTS: usize;
    /// Number of outputs.
    const OUTPUTS: usize;
    /// The static batch size of the batched code.
    const BATCH_SIZE: usize;
    /// Number of parameters.
    const PARAM_COUNT: usize;
    /// The canonical form of the spec the network was compiled from.
    const SPEC_YAML: &'static str;
    /// The segments of the flat parameter buffer.
    const LAYOUT: &'static [ParamSegment];

    /// A network initialised as its spec's `init` section says, with the given seed.
    fn with_seed(seed: u64) -> Self;

    /// The output for one input.
    fn predict(&self, input: &Self::Input) -> Self::Output;
}
