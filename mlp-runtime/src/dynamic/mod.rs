//! The dynamic engine: a network built at run time from a spec, with every size a run-time
//! value. It implements [`Model`] like the compiled networks, so the same trainer,
//! optimizers, metrics, gradient checker and checkpoints work with it; it is both a
//! prototyping tool (no compilation needed, see the `mlp` command) and the baseline the
//! compiled networks are benchmarked against. It runs the same layer code as compiled
//! networks (see [`layer`](crate::layer)), in a loop over the layers of its spec's
//! [`Plan`]. A step allocates nothing.

mod passes;

use mlp_spec::{ParamSegment, Plan, Regularization, Shards, Spec, SpecErrors};

use crate::compiled::{NOT_DEFERRED, NOT_FUSED, NOT_SHARED, check_count};
use crate::float::Float;
use crate::init::initialize_spec;
use crate::layer::{DeferredUpdate, Mode, Pass, SharedProduct};
use crate::lines::Lines;
use crate::loss::{Targets, share};
use crate::model::Model;
use crate::regularization::penalty;
use crate::workspace::Workspace;

/// Why a dynamic network could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DynError {
    /// The spec has errors (each with its line and column).
    #[error("{0}")]
    Spec(#[from] SpecErrors),
    /// The spec's precision is not the scalar type asked for.
    #[error("the spec computes in {spec}, but the network was asked for {asked}")]
    Precision {
        /// The spec's precision.
        spec: &'static str,
        /// The scalar type asked for.
        asked: &'static str,
    },
    /// The parameters do not fit in the memory the process can allocate.
    #[error(
        "the network's {parameters} parameters take {bytes} bytes, more than can be allocated \
         here; make its layers smaller"
    )]
    Memory {
        /// The number of parameters.
        parameters: usize,
        /// Their bytes.
        bytes: usize,
    },
}

/// A multi-layer perceptron whose sizes are known at run time, over one flat parameter
/// buffer in the same order as a compiled network's.
///
/// ```
/// use mlp_runtime::{DynNetwork, Model};
///
/// let net = DynNetwork::<f32>::from_yaml(
///     "input: 2\nlayers:\n  - {units: 4, activation: tanh}\n  - {units: 1, activation: sigmoid}\nloss: bce\n",
/// )
/// .unwrap();
/// assert_eq!((net.input_size(), net.output_size(), net.params().len()), (2, 1, 17));
/// let y = net.predict(&[0.5, -0.5]);
/// assert!(y[0] > 0.0 && y[0] < 1.0);
/// // The same errors as the attribute, with line and column.
/// let error = DynNetwork::<f32>::from_yaml("input: 2\nlayers: [{units: 1}]\nloss: bce\n").unwrap_err();
/// assert!(error.to_string().starts_with("3:7: loss `bce` needs a sigmoid output layer"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DynNetwork<T> {
    spec: Spec,
    plan: Plan,
    canonical: String,
    layout: Vec<ParamSegment>,
    params: Lines<T>,
}

/// Preallocated buffers for the passes of a [`DynNetwork`].
pub type DynWorkspace<T> = Workspace<DynNetwork<T>>;

impl<T: Float> DynNetwork<T> {
    /// Builds a network from a validated spec, initialised as its `init` section says.
    ///
    /// # Errors
    ///
    /// [`DynError::Precision`] if the spec's precision is not `T`, [`DynError::Memory`] if its
    /// parameters cannot be allocated.
    pub fn from_spec(spec: Spec) -> Result<Self, DynError> {
        if spec.precision.type_name() != T::NAME {
            return Err(DynError::Precision {
                spec: spec.precision.type_name(),
                asked: T::NAME,
            });
        }
        let parameters = spec.param_count();
        let params = Lines::try_zeros(parameters).map_err(|_| DynError::Memory {
            parameters,
            bytes: parameters.saturating_mul(size_of::<T>()),
        })?;
        let mut network = DynNetwork {
            canonical: spec.canonical_yaml(),
            params,
            layout: spec.param_layout(),
            plan: spec.plan(),
            spec,
        };
        network.reinitialize(network.spec.init.seed);
        Ok(network)
    }

    /// Parses, validates and builds a network from YAML text.
    ///
    /// # Errors
    ///
    /// [`DynError::Spec`] with every problem of the spec, [`DynError::Precision`] or
    /// [`DynError::Memory`].
    pub fn from_yaml(yaml: &str) -> Result<Self, DynError> {
        Self::from_spec(mlp_spec::parse(yaml)?)
    }

    /// Draws new parameters as the spec's `init` section says, with `seed`: the same values
    /// a compiled network of the same spec gets from `with_seed(seed)`.
    pub fn reinitialize(&mut self, seed: u64) {
        initialize_spec(&self.spec, &mut self.params, seed);
    }

    /// The number of layers.
    pub fn layer_count(&self) -> usize {
        self.spec.layers.len()
    }

    /// The output for one input (a convenience that allocates its buffers and result).
    ///
    /// # Panics
    ///
    /// If `input` does not have `input_size()` values.
    pub fn predict(&self, input: &[T]) -> Vec<T> {
        assert_eq!(input.len(), self.input_size(), "one input sample");
        let mut tape = vec![T::zero(); self.plan.tape_len(1)];
        passes::forward(&self.plan, &self.params, input, &mut tape, Pass::eval(1));
        passes::outputs(&self.plan, &tape, 1).to_vec()
    }

    /// The forward and backward pass of `count` samples in `workspace`'s mode, with the
    /// penalties of `regularization`.
    fn backward_with(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
        grads: &mut [T],
        regularization: &Regularization,
    ) -> T {
        let targets = Targets {
            values: targets,
            class_weights: &workspace.class_weights,
        };
        let pass = Pass {
            mode: workspace.mode,
            valid: count,
        };
        let tape = &mut workspace.batch;
        passes::backward(self, tape, inputs, targets, pass, grads, regularization)
    }
}

impl<T: Float> Model for DynNetwork<T> {
    type Float = T;
    type Workspace = DynWorkspace<T>;

    fn spec(&self) -> Spec {
        self.spec.clone()
    }

    fn canonical_spec(&self) -> &str {
        &self.canonical
    }

    fn input_size(&self) -> usize {
        self.spec.input
    }

    fn output_size(&self) -> usize {
        self.spec.outputs()
    }

    fn batch_size(&self) -> usize {
        self.spec.batch_size
    }

    fn layout(&self) -> &[ParamSegment] {
        &self.layout
    }

    fn params(&self) -> &[T] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    fn workspace(&self) -> DynWorkspace<T> {
        let batch = self.spec.batch_size;
        Workspace::new(
            (self.plan.tape_len(1), self.plan.tape_len(batch)),
            self.spec.input,
            self.spec.batch_size,
            false,
            self.spec.training.given_class_weights(),
            self.spec.regularization,
        )
    }

    fn set_class_weights(&self, workspace: &mut DynWorkspace<T>, weights: &[f64]) {
        workspace.set_class_weights(weights);
    }

    fn set_regularization(&self, workspace: &mut DynWorkspace<T>, regularization: Regularization) {
        workspace.regularization = regularization;
    }

    fn set_mode(&self, workspace: &mut DynWorkspace<T>, mode: Mode) {
        workspace.mode = mode;
    }

    fn forward_slice(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        count: usize,
        outputs: &mut [T],
    ) {
        check_count(count, self.spec.batch_size);
        let tape = &mut workspace.batch;
        passes::forward(&self.plan, &self.params, inputs, tape, Pass::eval(count));
        let n = self.plan.output.units * count;
        outputs[..n].copy_from_slice(passes::outputs(&self.plan, tape, count));
    }

    fn forward_shared(
        &self,
        workspace: &mut DynWorkspace<T>,
        input: &[T],
        outputs: &mut [T],
        shared: &SharedProduct<T>,
    ) {
        assert!(self.plan.shares_first_product(), "{}", NOT_SHARED);
        let tape = &mut workspace.batch;
        passes::forward_shared(&self.plan, &self.params, input, tape, shared);
        let n = self.plan.output.units;
        outputs[..n].copy_from_slice(passes::outputs(&self.plan, tape, 1));
    }

    fn loss_slice(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
    ) -> T {
        check_count(count, self.spec.batch_size);
        let targets = Targets {
            values: targets,
            class_weights: &workspace.class_weights,
        };
        let tape = &mut workspace.batch;
        let pass = Pass {
            mode: workspace.mode,
            valid: count,
        };
        passes::forward(&self.plan, &self.params, inputs, tape, pass);
        let loss = passes::loss(&self.plan, tape, targets, count);
        loss + penalty(&self.params, &self.layout, &workspace.regularization)
    }

    fn loss_f64(
        &self,
        params: &[f64],
        inputs: &[f64],
        targets: &[f64],
        count: usize,
        mode: Mode,
    ) -> f64 {
        check_count(count, self.spec.batch_size);
        let mut tape = vec![0.0; self.plan.tape_len(count)];
        passes::forward(
            &self.plan,
            params,
            inputs,
            &mut tape,
            Pass { mode, valid: count },
        );
        let targets = Targets {
            values: targets,
            class_weights: self.spec.training.given_class_weights(),
        };
        let loss = passes::loss(&self.plan, &mut tape, targets, count);
        loss + penalty(params, &self.layout, &self.spec.regularization)
    }

    fn backward_slice(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
        grads: &mut [T],
    ) -> T {
        check_count(count, self.spec.batch_size);
        workspace.trained = count;
        let regularization = workspace.regularization;
        self.backward_with(workspace, inputs, targets, count, grads, &regularization)
    }

    fn shards(&self) -> Shards {
        self.plan.shards
    }

    fn backward_shard(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
        grads: &mut [T],
    ) -> (T, f64) {
        check_count(count, self.plan.shards.size);
        let outputs = self.plan.output.units;
        let values = &targets[..outputs * count];
        let share = share(outputs, values, count, &workspace.class_weights);
        let none = &Regularization::NONE;
        let loss = self.backward_with(workspace, inputs, values, count, grads, none);
        (loss, share)
    }

    fn update_statistics(&mut self, workspace: &mut DynWorkspace<T>) {
        let count = std::mem::take(&mut workspace.trained);
        if count > 0 && matches!(workspace.mode, Mode::Train { .. }) {
            passes::update_statistics(&self.plan, &mut self.params, &mut workspace.batch, count);
        }
    }

    fn fuses_sgd(&self) -> bool {
        self.plan.fused_sgd
    }

    fn fused_sgd_step(
        &mut self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
        grads: &mut [T],
        lr: f64,
    ) -> T {
        assert!(self.plan.fused_sgd, "{}", NOT_FUSED);
        check_count(count, self.spec.batch_size);
        let targets = Targets {
            values: targets,
            class_weights: &workspace.class_weights,
        };
        let buffers = (&mut *self.params, &mut *workspace.batch, grads);
        passes::descend(&self.plan, buffers, inputs, targets, count, lr, None)
    }

    fn held_sgd_step(
        &mut self,
        workspace: &mut DynWorkspace<T>,
        input: &[T],
        target: &[T],
        grads: &mut [T],
        lr: f64,
        held: &mut DeferredUpdate<T>,
    ) -> T {
        self.check_fused(true);
        let targets = Targets {
            values: target,
            class_weights: &workspace.class_weights,
        };
        let buffers = (&mut *self.params, &mut *workspace.batch, grads);
        passes::descend(&self.plan, buffers, input, targets, 1, lr, Some(held))
    }

    fn forward_to_descend(
        &mut self,
        workspace: &mut DynWorkspace<T>,
        input: &[T],
        outputs: &mut [T],
        held: Option<&mut DeferredUpdate<T>>,
    ) {
        self.check_fused(held.is_some());
        let tape = &mut workspace.batch;
        passes::forward_to_descend(&self.plan, &mut self.params, input, tape, 1, held);
        let units = self.plan.output.units;
        outputs[..units].copy_from_slice(passes::outputs(&self.plan, tape, 1));
    }

    fn descend_after_forward(
        &mut self,
        workspace: &mut DynWorkspace<T>,
        input: &[T],
        target: &[T],
        grads: &mut [T],
        lr: f64,
        held: Option<&mut DeferredUpdate<T>>,
    ) -> T {
        self.check_fused(held.is_some());
        let targets = Targets {
            values: target,
            class_weights: &workspace.class_weights,
        };
        let buffers = (&mut *self.params, &mut *workspace.batch, grads);
        passes::descend_after_forward(&self.plan, buffers, input, targets, 1, lr, held)
    }
}

impl<T: Float> DynNetwork<T> {
    /// Panics unless the plan fuses its SGD steps and, for a step that `holds` the first
    /// layer's update back, defers that update.
    fn check_fused(&self, holds: bool) {
        assert!(self.plan.fused_sgd, "{}", NOT_FUSED);
        assert!(!holds || self.plan.defers_first_update, "{}", NOT_DEFERRED);
    }
}
