//! What every compiled network has in common. `#[mlp]` implements [`Compiled`], a small trait
//! of constants and unrolled passes, and this module turns it into the [`Model`] and
//! [`StaticModel`] implementations and the bodies of the typed methods, as generic code: the
//! same for every network apart from what the trait gives.

use std::marker::PhantomData;

use mlp_spec::{ParamSegment, Regularization, Shards, Spec};
use nalgebra::{Const, DimName, MatrixView, SMatrix};

use crate::float::Float;
use crate::inference::{Inference, output_block, predict};
use crate::init::initialize_spec;
use crate::kernels::{WidePass, with_wide_registers};
use crate::layer::{DeferredUpdate, Mode, Pass, SharedProduct};
use crate::lines::Lines;
use crate::loss::{Targets, descend_unless_diverged, share};
use crate::model::{Model, StaticModel};
use crate::regularization::{add_penalty_gradient, penalty};
use crate::workspace::{Workspace, padded_batch};

/// What `#[mlp]` generates for a network besides [`Inference`]: its training constants and
/// passes, unrolled over layers with every size a constant (calls of the
/// [layer API](crate::layer)). Used by generated code. Not public API.
///
/// The passes take `C` columns (`Const<1>` or [`Compiled::Batch`]) and work in a tape laid
/// out as [`mlp_spec::Dense`] describes. They are generic over the scalar so that a network
/// of either precision can evaluate its loss in `f64` for gradient checks.
pub trait Compiled: Inference {
    /// The batch size.
    type Batch: DimName;
    /// The columns of a shard of a data-parallel training step (the batch size when steps
    /// do not split).
    type Shard: DimName;

    /// The segments of the flat parameter buffer.
    const LAYOUT: &'static [ParamSegment];
    /// The spec's penalties.
    const REGULARIZATION: Regularization;
    /// Whether training fuses SGD into the backward pass ([`Compiled::descend`] exists).
    const FUSES_SGD: bool;
    /// The shards of a full batch in a data-parallel training step (1: steps do not split).
    const SHARDS: usize;
    /// The canonical spec.
    const SPEC_YAML: &'static str;
    /// The class weights the spec lists; empty for none, and for `balanced`, which the
    /// trainer computes from its data.
    const CLASS_WEIGHTS: &'static [f64];

    /// The parameters, mutably.
    fn buffer_mut(&mut self) -> &mut [Self::Float];

    /// The network holding `params` (of [`Inference::PARAM_COUNT`] values).
    fn from_params(params: Lines<Self::Float>) -> Self;

    /// The head's mean loss over the first `valid` columns, after [`Inference::forward`].
    fn loss<T: Float, C: DimName>(tape: &mut [T], targets: Targets<'_, T>, valid: usize) -> T;

    /// Whether the head assures a finite loss over the first `valid` columns, after
    /// [`Inference::forward`] and before [`Compiled::loss`]
    /// ([`crate::loss::Head::assures_finite_loss`]).
    fn assures_finite_loss<T: Float, C: DimName>(
        tape: &mut [T],
        targets: Targets<'_, T>,
        valid: usize,
    ) -> bool;

    /// The backward pass after [`Compiled::loss`]: the head's delta, then every layer's
    /// gradient into `grads`, in the mode of the forward pass.
    fn backward<T: Float, C: DimName>(
        params: &[T],
        inputs: &[T],
        targets: Targets<'_, T>,
        tape: &mut [T],
        grads: &mut [T],
        pass: Pass,
    );

    /// Moves the running statistics of normalised layers towards those of the training pass
    /// of `valid` samples in `tape`. Generated for specs with batch norm.
    fn update_statistics<C: DimName>(
        params: &mut [Self::Float],
        tape: &mut [Self::Float],
        valid: usize,
    ) {
        let _ = (params, tape, valid);
    }

    /// The fused SGD step after [`Compiled::loss`]: the head's delta, then every layer's
    /// update, the first layer's weight's held in `held` when given (one sample, after
    /// [`Compiled::forward_held`]). Generated for specs whose plan fuses SGD
    /// ([`Compiled::FUSES_SGD`]), the only ones whose fused steps run: `Model::fused_sgd_step`
    /// checks it first.
    #[allow(clippy::too_many_arguments)] // The buffers of a pass, its learning rate and held step.
    fn descend<C: DimName>(
        params: &mut [Self::Float],
        inputs: &[Self::Float],
        targets: Targets<'_, Self::Float>,
        valid: usize,
        tape: &mut [Self::Float],
        scratch: &mut [Self::Float],
        lr: f64,
        held: Option<&mut DeferredUpdate<Self::Float>>,
    ) {
        let _ = (params, inputs, targets, valid, tape, scratch, lr, held);
        unreachable!("{NOT_FUSED}")
    }

    /// The forward pass of one sample in an on-line session: the first layer first applies
    /// the step `held` holds. Generated for specs whose plan defers the first layer's update
    /// ([`mlp_spec::Plan::defers_first_update`]), the only ones whose trainers hold one:
    /// `Model::held_sgd_step` checks it first.
    fn forward_held(
        params: &mut [Self::Float],
        inputs: &[Self::Float],
        tape: &mut [Self::Float],
        held: &mut DeferredUpdate<Self::Float>,
    ) {
        let _ = (params, inputs, tape, held);
        unreachable!("{NOT_DEFERRED}")
    }

    /// The forward pass of one sample in evaluation, with the first layer's product shared
    /// out to threads by `shared`. Generated for specs whose plan shares it out
    /// ([`mlp_spec::Plan::shares_first_product`]), the only ones a [`SharedProduct`] is made
    /// for: `Model::forward_shared` checks it first.
    fn forward_shared(
        params: &[Self::Float],
        inputs: &[Self::Float],
        tape: &mut [Self::Float],
        shared: &SharedProduct<Self::Float>,
    ) {
        let _ = (params, inputs, tape, shared);
        unreachable!("{NOT_SHARED}")
    }
}

/// The length of a tape of `columns` samples (see `mlp_spec::Plan::tape_len`).
const fn tape_len<N: Inference>(columns: usize) -> usize {
    columns * (3 * N::TAPE_UNITS + N::EXTRA_COLUMNS) + N::EXTRA_FIXED
}

/// Parses the canonical spec the macro embedded in a compiled network.
fn compiled_spec<N: Compiled>() -> Spec {
    // The macro wrote this text from a spec that had passed the same validation.
    mlp_spec::parse(N::SPEC_YAML).expect("the canonical spec of a compiled network is valid")
}

/// A network initialised as its spec's `init` section says, with `seed`.
pub fn with_seed<N: Compiled>(seed: u64) -> N {
    let mut params = Lines::zeros(N::PARAM_COUNT);
    initialize_spec(&compiled_spec::<N>(), &mut params, seed);
    N::from_params(params)
}

/// A network initialised with the spec's own seed.
pub fn new<N: Compiled>() -> N {
    with_seed(compiled_spec::<N>().init.seed)
}

/// A network whose parameters are all zero.
pub fn zeros<N: Compiled>() -> N {
    N::from_params(Lines::zeros(N::PARAM_COUNT))
}

/// The forward pass of `count` samples into `outputs`, compiled as one function by
/// `with_wide_registers`.
struct ForwardPass<'a, N: Compiled> {
    params: &'a [N::Float],
    workspace: &'a mut Workspace<N>,
    inputs: &'a [N::Float],
    count: usize,
    outputs: &'a mut [N::Float],
}

impl<N: Compiled> WidePass for ForwardPass<'_, N> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let ForwardPass {
            params,
            workspace,
            inputs,
            count,
            outputs,
        } = self;
        if count == 1 {
            let inputs = &inputs[..N::Inputs::DIM];
            N::forward::<N::Float, Const<1>>(params, inputs, &mut workspace.single, Pass::eval(1));
            outputs.copy_from_slice(output_block::<N>(&workspace.single, 1));
        } else {
            let padded = padded_batch(&mut workspace.padded, inputs, N::Inputs::DIM, count);
            let pass = Pass::eval(count);
            N::forward::<N::Float, N::Batch>(params, padded, &mut workspace.batch, pass);
            let block = output_block::<N>(&workspace.batch, N::Batch::DIM);
            outputs.copy_from_slice(&block[..outputs.len()]);
        }
    }
}

/// [`Model::forward_shared`], compiled as one function by `with_wide_registers`.
struct SharedForwardPass<'a, N: Compiled> {
    params: &'a [N::Float],
    workspace: &'a mut Workspace<N>,
    input: &'a [N::Float],
    outputs: &'a mut [N::Float],
    shared: &'a SharedProduct<N::Float>,
}

impl<N: Compiled> WidePass for SharedForwardPass<'_, N> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let tape = &mut self.workspace.single;
        N::forward_shared(self.params, self.input, tape, self.shared);
        self.outputs.copy_from_slice(output_block::<N>(tape, 1));
    }
}

/// The outputs for a full batch, one sample per column.
pub fn forward_batch<'w, N: Compiled>(
    network: &N,
    workspace: &'w mut Workspace<N>,
    inputs: &[N::Float],
) -> MatrixView<'w, N::Float, N::Outputs, N::Batch> {
    let inputs = &inputs[..N::Inputs::DIM * N::Batch::DIM];
    let pass = Pass::eval(N::Batch::DIM);
    N::forward::<N::Float, N::Batch>(network.buffer(), inputs, &mut workspace.batch, pass);
    let outputs = output_block::<N>(&workspace.batch, N::Batch::DIM);
    MatrixView::from_slice_generic(outputs, N::Outputs::name(), N::Batch::name())
}

/// The loss of `C` samples (one or a full batch), regularisation included.
pub fn loss<N: Compiled, const I: usize, const O: usize, const C: usize>(
    network: &N,
    workspace: &mut Workspace<N>,
    inputs: &SMatrix<N::Float, I, C>,
    targets: &SMatrix<N::Float, O, C>,
) -> N::Float {
    let (inputs, targets) = (inputs.as_slice(), targets.as_slice());
    network.loss_slice(workspace, inputs, targets, C)
}

/// The gradient of the mean loss of `C` samples (one or a full batch) into `grads`; returns
/// the loss.
pub fn backward<N: Compiled, const I: usize, const O: usize, const C: usize>(
    network: &N,
    workspace: &mut Workspace<N>,
    inputs: &SMatrix<N::Float, I, C>,
    targets: &SMatrix<N::Float, O, C>,
    grads: &mut [N::Float],
) -> N::Float {
    let (inputs, targets) = (inputs.as_slice(), targets.as_slice());
    network.backward_slice(workspace, inputs, targets, C, grads)
}

/// The panic message for a sample count outside `1..=batch`.
pub(crate) fn check_count(count: usize, batch: usize) {
    assert!(
        (1..=batch).contains(&count),
        "`count` must be between 1 and the batch size {batch}"
    );
}

/// The forward pass, loss and backward pass over `C` columns, with the penalty's gradient.
#[inline(always)]
fn backward_columns<N: Compiled, C: DimName>(
    params: &[N::Float],
    inputs: &[N::Float],
    targets: Targets<'_, N::Float>,
    pass: Pass,
    tape: &mut [N::Float],
    grads: &mut [N::Float],
    regularization: &Regularization,
) -> N::Float {
    N::forward::<N::Float, C>(params, inputs, tape, pass);
    let loss = N::loss::<N::Float, C>(tape, targets, pass.valid);
    N::backward::<N::Float, C>(params, inputs, targets, tape, grads, pass);
    add_penalty_gradient(params, grads, N::LAYOUT, regularization);
    loss + penalty(params, N::LAYOUT, regularization)
}

/// The forward pass, loss and fused SGD step over `C` columns; with `held` (one sample), the
/// first layer applies the step it holds in the forward pass and holds its own.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The buffers of a pass, its learning rate and held step.
fn descend_columns<N: Compiled, C: DimName>(
    params: &mut [N::Float],
    inputs: &[N::Float],
    targets: Targets<'_, N::Float>,
    valid: usize,
    tape: &mut [N::Float],
    scratch: &mut [N::Float],
    lr: f64,
    held: Option<&mut DeferredUpdate<N::Float>>,
) -> N::Float {
    let held = forward_to_descend::<N, C>(params, inputs, tape, valid, held);
    descend_after_forward::<N, C>(params, inputs, targets, valid, tape, scratch, lr, held)
}

/// The forward pass of a fused step over `C` columns; with `held` (one sample), the first
/// layer first applies the step it holds, and `held` is returned for the step's own.
#[inline(always)]
fn forward_to_descend<'h, N: Compiled, C: DimName>(
    params: &mut [N::Float],
    inputs: &[N::Float],
    tape: &mut [N::Float],
    valid: usize,
    held: Option<&'h mut DeferredUpdate<N::Float>>,
) -> Option<&'h mut DeferredUpdate<N::Float>> {
    match held {
        Some(held) => {
            N::forward_held(params, inputs, tape, held);
            Some(held)
        }
        None => {
            N::forward::<N::Float, C>(params, inputs, tape, Pass::eval(valid));
            None
        }
    }
}

/// The loss and fused SGD step after [`forward_to_descend`] left its pass in `tape`; with
/// `held`, the first layer's weight step is held there.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The buffers of a pass, its learning rate and held step.
fn descend_after_forward<N: Compiled, C: DimName>(
    params: &mut [N::Float],
    inputs: &[N::Float],
    targets: Targets<'_, N::Float>,
    valid: usize,
    tape: &mut [N::Float],
    scratch: &mut [N::Float],
    lr: f64,
    held: Option<&mut DeferredUpdate<N::Float>>,
) -> N::Float {
    let assured = N::assures_finite_loss::<N::Float, C>(tape, targets, valid);
    descend_unless_diverged(
        &mut (params, tape, scratch),
        assured,
        |(_, tape, _)| N::loss::<N::Float, C>(tape, targets, valid),
        |(params, tape, scratch)| {
            N::descend::<C>(params, inputs, targets, valid, tape, scratch, lr, held);
        },
    )
}

/// A training pass after its checks over up to `C` columns (a full batch, or a shard of one),
/// compiled as one function by `with_wide_registers`.
struct TrainingPass<'a, N: Compiled, P, C = <N as Compiled>::Batch> {
    params: P,
    workspace: &'a mut Workspace<N>,
    inputs: &'a [N::Float],
    targets: &'a [N::Float],
    count: usize,
    grads: &'a mut [N::Float],
    /// The learning rate of a fused step.
    lr: f64,
    /// Whether the penalties enter the loss and gradient (not a shard's).
    penalised: bool,
    /// The first layer's held-back step of an on-line session's fused one-sample step.
    held: Option<&'a mut DeferredUpdate<N::Float>>,
    columns: PhantomData<C>,
}

impl<N: Compiled, C: DimName> WidePass for TrainingPass<'_, N, &[N::Float], C> {
    type Output = N::Float;

    #[inline(always)]
    fn run(self) -> N::Float {
        let TrainingPass {
            params,
            workspace,
            inputs,
            targets,
            count,
            grads,
            penalised,
            ..
        } = self;
        let targets = Targets {
            values: targets,
            class_weights: &workspace.class_weights,
        };
        let reg = &if penalised {
            workspace.regularization
        } else {
            Regularization::NONE
        };
        let pass = Pass {
            mode: workspace.mode,
            valid: count,
        };
        if count == 1 {
            let inputs = &inputs[..N::Inputs::DIM];
            let tape = &mut workspace.single;
            backward_columns::<N, Const<1>>(params, inputs, targets, pass, tape, grads, reg)
        } else {
            let padded = &mut workspace.padded[..N::Inputs::DIM * C::DIM];
            let padded = padded_batch(padded, inputs, N::Inputs::DIM, count);
            let tape = &mut workspace.batch;
            backward_columns::<N, C>(params, padded, targets, pass, tape, grads, reg)
        }
    }
}

impl<N: Compiled> WidePass for TrainingPass<'_, N, &mut [N::Float]> {
    type Output = N::Float;

    #[inline(always)]
    fn run(self) -> N::Float {
        let TrainingPass {
            params,
            workspace,
            inputs,
            targets,
            count,
            grads,
            lr,
            held,
            ..
        } = self;
        let targets = Targets {
            values: targets,
            class_weights: &workspace.class_weights,
        };
        if count == 1 {
            let inputs = &inputs[..N::Inputs::DIM];
            let tape = &mut workspace.single;
            descend_columns::<N, Const<1>>(params, inputs, targets, 1, tape, grads, lr, held)
        } else {
            let padded = padded_batch(&mut workspace.padded, inputs, N::Inputs::DIM, count);
            let tape = &mut workspace.batch;
            descend_columns::<N, N::Batch>(params, padded, targets, count, tape, grads, lr, None)
        }
    }
}

/// One sample's forward pass of a fused step ([`Model::forward_to_descend`]) in the
/// workspace's one-sample tape, its outputs copied into `outputs`, compiled as one function
/// by `with_wide_registers`.
struct OnlineForward<'a, N: Compiled> {
    params: &'a mut [N::Float],
    workspace: &'a mut Workspace<N>,
    input: &'a [N::Float],
    outputs: &'a mut [N::Float],
    held: Option<&'a mut DeferredUpdate<N::Float>>,
}

impl<N: Compiled> WidePass for OnlineForward<'_, N> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let OnlineForward {
            params,
            workspace,
            input,
            outputs,
            held,
        } = self;
        let tape = &mut workspace.single;
        forward_to_descend::<N, Const<1>>(params, input, tape, 1, held);
        outputs.copy_from_slice(output_block::<N>(tape, 1));
    }
}

/// The loss and fused step of the sample whose pass [`OnlineForward`] left in the workspace
/// ([`Model::descend_after_forward`]), compiled as one function by `with_wide_registers`.
struct OnlineDescent<'a, N: Compiled> {
    params: &'a mut [N::Float],
    workspace: &'a mut Workspace<N>,
    input: &'a [N::Float],
    target: &'a [N::Float],
    scratch: &'a mut [N::Float],
    lr: f64,
    held: Option<&'a mut DeferredUpdate<N::Float>>,
}

impl<N: Compiled> WidePass for OnlineDescent<'_, N> {
    type Output = N::Float;

    #[inline(always)]
    fn run(self) -> N::Float {
        let OnlineDescent {
            params,
            workspace,
            input,
            target,
            scratch,
            lr,
            held,
        } = self;
        let targets = Targets {
            values: target,
            class_weights: &workspace.class_weights,
        };
        let tape = &mut workspace.single;
        descend_after_forward::<N, Const<1>>(params, input, targets, 1, tape, scratch, lr, held)
    }
}

impl<N: Compiled> Model for N {
    type Float = N::Float;
    type Workspace = Workspace<N>;

    fn spec(&self) -> Spec {
        compiled_spec::<N>()
    }

    fn canonical_spec(&self) -> &str {
        N::SPEC_YAML
    }

    fn input_size(&self) -> usize {
        N::Inputs::DIM
    }

    fn output_size(&self) -> usize {
        N::Outputs::DIM
    }

    fn batch_size(&self) -> usize {
        N::Batch::DIM
    }

    fn layout(&self) -> &[ParamSegment] {
        N::LAYOUT
    }

    fn params(&self) -> &[N::Float] {
        self.buffer()
    }

    fn params_mut(&mut self) -> &mut [N::Float] {
        self.buffer_mut()
    }

    fn workspace(&self) -> Workspace<N> {
        let (inputs, batch) = (N::Inputs::DIM, N::Batch::DIM);
        let (reg, tapes) = (N::REGULARIZATION, (tape_len::<N>(1), tape_len::<N>(batch)));
        Workspace::new(tapes, inputs, batch, true, N::CLASS_WEIGHTS, reg)
    }

    fn set_class_weights(&self, workspace: &mut Workspace<N>, weights: &[f64]) {
        workspace.set_class_weights(weights);
    }

    fn set_regularization(&self, workspace: &mut Workspace<N>, regularization: Regularization) {
        workspace.regularization = regularization;
    }

    fn set_mode(&self, workspace: &mut Workspace<N>, mode: Mode) {
        workspace.mode = mode;
    }

    fn forward_slice(
        &self,
        workspace: &mut Workspace<N>,
        inputs: &[N::Float],
        count: usize,
        outputs: &mut [N::Float],
    ) {
        check_count(count, N::Batch::DIM);
        with_wide_registers(ForwardPass {
            params: self.buffer(),
            workspace,
            inputs,
            count,
            outputs: &mut outputs[..N::Outputs::DIM * count],
        });
    }

    fn forward_shared(
        &self,
        workspace: &mut Workspace<N>,
        input: &[N::Float],
        outputs: &mut [N::Float],
        shared: &SharedProduct<N::Float>,
    ) {
        with_wide_registers(SharedForwardPass {
            params: self.buffer(),
            workspace,
            input: &input[..N::Inputs::DIM],
            outputs: &mut outputs[..N::Outputs::DIM],
            shared,
        });
    }

    fn loss_slice(
        &self,
        workspace: &mut Workspace<N>,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
    ) -> N::Float {
        check_count(count, N::Batch::DIM);
        let params = self.buffer();
        let targets = Targets {
            values: targets,
            class_weights: &workspace.class_weights,
        };
        let pass = Pass {
            mode: workspace.mode,
            valid: count,
        };
        let loss = if count == 1 {
            let (inputs, tape) = (&inputs[..N::Inputs::DIM], &mut workspace.single);
            N::forward::<N::Float, Const<1>>(params, inputs, tape, pass);
            N::loss::<N::Float, Const<1>>(tape, targets, 1)
        } else {
            let padded = padded_batch(&mut workspace.padded, inputs, N::Inputs::DIM, count);
            let tape = &mut workspace.batch;
            N::forward::<N::Float, N::Batch>(params, padded, tape, pass);
            N::loss::<N::Float, N::Batch>(tape, targets, count)
        };
        loss + penalty(params, N::LAYOUT, &workspace.regularization)
    }

    fn loss_f64(
        &self,
        params: &[f64],
        inputs: &[f64],
        targets: &[f64],
        count: usize,
        mode: Mode,
    ) -> f64 {
        check_count(count, N::Batch::DIM);
        let mut padded = vec![0.0; N::Inputs::DIM * N::Batch::DIM];
        let padded = padded_batch(&mut padded, inputs, N::Inputs::DIM, count);
        let mut tape = vec![0.0; tape_len::<N>(N::Batch::DIM)];
        let pass = Pass { mode, valid: count };
        N::forward::<f64, N::Batch>(params, padded, &mut tape, pass);
        let targets = Targets {
            values: targets,
            class_weights: N::CLASS_WEIGHTS,
        };
        let loss = N::loss::<f64, N::Batch>(&mut tape, targets, count);
        loss + penalty(params, N::LAYOUT, &N::REGULARIZATION)
    }

    fn backward_slice(
        &self,
        workspace: &mut Workspace<N>,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        grads: &mut [N::Float],
    ) -> N::Float {
        check_count(count, N::Batch::DIM);
        workspace.trained = count;
        let targets = &targets[..N::Outputs::DIM * count];
        train_columns::<N, N::Batch>(self, workspace, inputs, targets, count, grads, true)
    }

    fn shards(&self) -> Shards {
        Shards {
            count: N::SHARDS,
            size: N::Shard::DIM,
        }
    }

    fn backward_shard(
        &self,
        workspace: &mut Workspace<N>,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        grads: &mut [N::Float],
    ) -> (N::Float, f64) {
        check_count(count, N::Shard::DIM);
        let targets = &targets[..N::Outputs::DIM * count];
        let share = share(N::Outputs::DIM, targets, count, &workspace.class_weights);
        let loss =
            train_columns::<N, N::Shard>(self, workspace, inputs, targets, count, grads, false);
        (loss, share)
    }

    fn fuses_sgd(&self) -> bool {
        N::FUSES_SGD
    }

    fn update_statistics(&mut self, workspace: &mut Workspace<N>) {
        let count = std::mem::take(&mut workspace.trained);
        if count == 0 || !matches!(workspace.mode, Mode::Train { .. }) {
            return;
        }
        let params = self.buffer_mut();
        if count == 1 {
            N::update_statistics::<Const<1>>(params, &mut workspace.single, count);
        } else {
            N::update_statistics::<N::Batch>(params, &mut workspace.batch, count);
        }
    }

    fn fused_sgd_step(
        &mut self,
        workspace: &mut Workspace<N>,
        inputs: &[N::Float],
        targets: &[N::Float],
        count: usize,
        grads: &mut [N::Float],
        lr: f64,
    ) -> N::Float {
        assert!(N::FUSES_SGD, "{}", NOT_FUSED);
        check_count(count, N::Batch::DIM);
        with_wide_registers(TrainingPass {
            params: self.buffer_mut(),
            workspace,
            inputs,
            targets: &targets[..N::Outputs::DIM * count],
            count,
            grads: &mut grads[..N::PARAM_COUNT],
            lr,
            penalised: true,
            held: None,
            columns: PhantomData,
        })
    }

    fn held_sgd_step(
        &mut self,
        workspace: &mut Workspace<N>,
        input: &[N::Float],
        target: &[N::Float],
        grads: &mut [N::Float],
        lr: f64,
        held: &mut DeferredUpdate<N::Float>,
    ) -> N::Float {
        assert!(N::FUSES_SGD, "{}", NOT_FUSED);
        with_wide_registers(TrainingPass {
            params: self.buffer_mut(),
            workspace,
            inputs: input,
            targets: &target[..N::Outputs::DIM],
            count: 1,
            grads: &mut grads[..N::PARAM_COUNT],
            lr,
            penalised: true,
            held: Some(held),
            columns: PhantomData,
        })
    }

    fn forward_to_descend(
        &mut self,
        workspace: &mut Workspace<N>,
        input: &[N::Float],
        outputs: &mut [N::Float],
        held: Option<&mut DeferredUpdate<N::Float>>,
    ) {
        assert!(N::FUSES_SGD, "{}", NOT_FUSED);
        with_wide_registers(OnlineForward {
            params: self.buffer_mut(),
            workspace,
            input: &input[..N::Inputs::DIM],
            outputs: &mut outputs[..N::Outputs::DIM],
            held,
        });
    }

    fn descend_after_forward(
        &mut self,
        workspace: &mut Workspace<N>,
        input: &[N::Float],
        target: &[N::Float],
        grads: &mut [N::Float],
        lr: f64,
        held: Option<&mut DeferredUpdate<N::Float>>,
    ) -> N::Float {
        assert!(N::FUSES_SGD, "{}", NOT_FUSED);
        with_wide_registers(OnlineDescent {
            params: self.buffer_mut(),
            workspace,
            input: &input[..N::Inputs::DIM],
            target: &target[..N::Outputs::DIM],
            scratch: &mut grads[..N::PARAM_COUNT],
            lr,
            held,
        })
    }
}

/// The forward pass, loss and backward pass of `count` samples over up to `C` columns, with
/// the penalties when `penalised`, compiled as one function by `with_wide_registers`.
fn train_columns<N: Compiled, C: DimName>(
    network: &N,
    workspace: &mut Workspace<N>,
    inputs: &[N::Float],
    targets: &[N::Float],
    count: usize,
    grads: &mut [N::Float],
    penalised: bool,
) -> N::Float {
    with_wide_registers(TrainingPass::<N, _, C> {
        params: network.buffer(),
        workspace,
        inputs,
        targets,
        count,
        grads: &mut grads[..N::PARAM_COUNT],
        lr: 0.0,
        penalised,
        held: None,
        columns: PhantomData,
    })
}

/// The panic message of a fused step on a model whose spec does not fuse.
pub(crate) const NOT_FUSED: &str =
    "fused SGD steps need a spec that trains with plain `sgd` and no regularisation";

/// The panic message of a held step on a model whose spec does not defer its first layer's
/// update.
pub(crate) const NOT_DEFERRED: &str =
    "held steps need a spec whose plan defers its first layer's update";

/// The panic message of a shared product on a model whose plan does not share it out.
pub(crate) const NOT_SHARED: &str =
    "shared products need a spec whose plan shares out its first layer's product";

impl<N: Compiled> StaticModel for N {
    type Input = N::Input;
    type Output = N::Output;

    const INPUTS: usize = N::Inputs::DIM;
    const OUTPUTS: usize = N::Outputs::DIM;
    const BATCH_SIZE: usize = N::Batch::DIM;
    const PARAM_COUNT: usize = <N as Inference>::PARAM_COUNT;
    const SPEC_YAML: &'static str = <N as Compiled>::SPEC_YAML;
    const LAYOUT: &'static [ParamSegment] = <N as Compiled>::LAYOUT;

    fn with_seed(seed: u64) -> Self {
        with_seed(seed)
    }

    fn predict(&self, input: &N::Input) -> N::Output {
        predict(self, input)
    }
}
