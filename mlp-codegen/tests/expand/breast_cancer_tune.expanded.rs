/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 30-16-1 network, 513 parameters, `f32`, loss `bce`.
#[derive(::core::clone::Clone)]
pub struct BreastCancerTune {
    __mlp_params: ::mlp_runtime::__private::Params<f32>,
}
/// One input sample of [`BreastCancerTune`]: 30 features.
pub type BreastCancerTuneInput = ::mlp_runtime::__private::SVector<f32, 30>;
/// One output (or target) sample of [`BreastCancerTune`]: 1 value.
pub type BreastCancerTuneOutput = ::mlp_runtime::__private::SVector<f32, 1>;
/// A batch of inputs of [`BreastCancerTune`]: 30 features by 32 samples, one sample per column.
pub type BreastCancerTuneBatchInput = ::mlp_runtime::__private::SMatrix<f32, 30, 32>;
/// A batch of outputs (or targets) of [`BreastCancerTune`]: 1 value by 32 samples.
pub type BreastCancerTuneBatchOutput = ::mlp_runtime::__private::SMatrix<f32, 1, 32>;
/// Preallocated buffers for the passes of [`BreastCancerTune`]; create one with [`BreastCancerTune::workspace`] and reuse it.
pub type BreastCancerTuneWorkspace = ::mlp_runtime::__private::Workspace<
    BreastCancerTune,
>;
/// Gradients of the parameters of [`BreastCancerTune`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct BreastCancerTuneGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
const _: () = {
    use ::mlp_runtime::__private as __mlp;
    #[automatically_derived]
    impl BreastCancerTune {
        /// Number of input features.
        pub const INPUTS: usize = 30;
        /// Number of outputs.
        pub const OUTPUTS: usize = 1;
        /// The static batch size of the batched code (the spec's `batch_size`).
        pub const BATCH_SIZE: usize = 32;
        /// The shards a training step splits its batch into, for threads (1: it does not split). Training steps run on one thread (`training.threads: 1`).
        pub const TRAINING_SHARDS: usize = 1;
        /** Whether an on-line session holds the first layer's weight update back.

 An on-line session's steps are one-sample training steps: the first layer's 16 x 30 weight is small enough for an L1 cache (holding its update back pays from 16384 weights and 64 units).*/
        pub const ONLINE_DEFERS_FIRST_UPDATE: bool = false;
        /** Whether a one-sample prediction on more than one thread shares out the first layer's product.

 A one-sample prediction runs on the calling thread: the first layer's 16 x 30 weight takes less time to multiply than to hand to another core (sharing it out pays from 65536 weights and two blocks of 64 units).*/
        pub const PREDICTION_SHARES_FIRST_PRODUCT: bool = false;
        /// Number of parameters (weights and biases; with batch norm, also its scales,
        /// shifts and running statistics).
        pub const PARAM_COUNT: usize = 513;
        /// Bytes of the parameters.
        pub const PARAM_BYTES: usize = 2052;
        /// Bytes of optimizer state for `sgd` (0 buffers the size of the parameters).
        pub const OPTIMIZER_STATE_BYTES: usize = 0;
        /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
        pub const ACTIVATION_BYTES: usize = 6528;
        /// Bytes of read-only data in the binary: the trained weights when they are
        /// compiled in (`weights = "..."`), else none.
        pub const READ_ONLY_BYTES: usize = 0;
        /// Bytes `forward` writes for one sample, all on the stack (the activations of
        /// every layer); it allocates nothing.
        pub const INFERENCE_MUTABLE_BYTES: usize = 204;
        /// The output for one input. Allocation-free; needs no workspace.
        pub fn forward(&self, input: &BreastCancerTuneInput) -> BreastCancerTuneOutput {
            __mlp::predict(self, input)
        }
        /// Layer 0's weight, 16 x 30 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 16, 30> {
            __mlp::matrix(&self.__mlp_params, 0)
        }
        /// Layer 0's bias, 16 values.
        pub fn layer0_bias(&self) -> __mlp::SVectorView<'_, f32, 16> {
            __mlp::vector(&self.__mlp_params, 480)
        }
        /// Layer 1's weight, 1 x 16 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 1, 16> {
            __mlp::matrix(&self.__mlp_params, 496)
        }
        /// Layer 1's bias, 1 value.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 1> {
            __mlp::vector(&self.__mlp_params, 512)
        }
    }
    #[automatically_derived]
    impl BreastCancerTune {
        /// A network with the weights of the spec's `init` section, drawn with its seed.
        pub fn new() -> Self {
            __mlp::new()
        }
        /// A network initialised as the spec says, but with another seed.
        pub fn with_seed(seed: u64) -> Self {
            __mlp::with_seed(seed)
        }
        /// A network whose parameters are all zero.
        pub fn zeros() -> Self {
            __mlp::zeros()
        }
        /// Allocates the buffers the passes need; reuse it across calls.
        pub fn workspace(&self) -> BreastCancerTuneWorkspace {
            __mlp::Model::workspace(self)
        }
        /// All-zero gradients for this network.
        pub fn gradients(&self) -> BreastCancerTuneGradients {
            BreastCancerTuneGradients::zeros()
        }
        /// The outputs for a batch, one sample per column. Allocation-free.
        pub fn forward_batch<'w>(
            &self,
            workspace: &'w mut BreastCancerTuneWorkspace,
            inputs: &BreastCancerTuneBatchInput,
        ) -> __mlp::SMatrixView<'w, f32, 1, 32> {
            __mlp::forward_batch(self, workspace, inputs.as_slice())
        }
        /// The loss for one sample, regularisation included.
        pub fn loss(
            &self,
            workspace: &mut BreastCancerTuneWorkspace,
            input: &BreastCancerTuneInput,
            target: &BreastCancerTuneOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, input, target)
        }
        /// The mean loss over a batch, regularisation included.
        pub fn loss_batch(
            &self,
            workspace: &mut BreastCancerTuneWorkspace,
            inputs: &BreastCancerTuneBatchInput,
            targets: &BreastCancerTuneBatchOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, inputs, targets)
        }
        /// Writes the gradient of one sample's loss into `grads` and returns the loss.
        /// Allocation-free.
        pub fn backward(
            &self,
            workspace: &mut BreastCancerTuneWorkspace,
            input: &BreastCancerTuneInput,
            target: &BreastCancerTuneOutput,
            grads: &mut BreastCancerTuneGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, input, target, &mut grads.__mlp_values)
        }
        /// Writes the gradient of the mean loss over a batch into `grads` and returns the
        /// loss. Allocation-free.
        pub fn backward_batch(
            &self,
            workspace: &mut BreastCancerTuneWorkspace,
            inputs: &BreastCancerTuneBatchInput,
            targets: &BreastCancerTuneBatchOutput,
            grads: &mut BreastCancerTuneGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, inputs, targets, &mut grads.__mlp_values)
        }
        /// Layer 0's weight, 16 x 30 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 16, 30> {
            __mlp::matrix_mut(&mut self.__mlp_params, 0)
        }
        /// Layer 0's bias, 16 values.
        pub fn layer0_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 16> {
            __mlp::vector_mut(&mut self.__mlp_params, 480)
        }
        /// Layer 1's weight, 1 x 16 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 1, 16> {
            __mlp::matrix_mut(&mut self.__mlp_params, 496)
        }
        /// Layer 1's bias, 1 value.
        pub fn layer1_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 1> {
            __mlp::vector_mut(&mut self.__mlp_params, 512)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for BreastCancerTune {
        /// The same as [`Self::new`].
        fn default() -> Self {
            Self::new()
        }
    }
    #[automatically_derived]
    impl BreastCancerTuneGradients {
        /// All-zero gradients.
        pub fn zeros() -> Self {
            BreastCancerTuneGradients {
                __mlp_values: __mlp::zero_values(513),
            }
        }
        /// The gradients in the flat parameter order.
        pub fn as_slice(&self) -> &[f32] {
            &self.__mlp_values
        }
        /// The gradients in the flat parameter order, mutably.
        pub fn as_mut_slice(&mut self) -> &mut [f32] {
            &mut self.__mlp_values
        }
        /// Layer 0's weight, 16 x 30 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 16, 30> {
            __mlp::matrix(&self.__mlp_values, 0)
        }
        /// Layer 0's bias, 16 values.
        pub fn layer0_bias(&self) -> __mlp::SVectorView<'_, f32, 16> {
            __mlp::vector(&self.__mlp_values, 480)
        }
        /// Layer 1's weight, 1 x 16 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 1, 16> {
            __mlp::matrix(&self.__mlp_values, 496)
        }
        /// Layer 1's bias, 1 value.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 1> {
            __mlp::vector(&self.__mlp_values, 512)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for BreastCancerTuneGradients {
        fn default() -> Self {
            Self::zeros()
        }
    }
    #[automatically_derived]
    impl __mlp::Inference for BreastCancerTune {
        type Float = f32;
        type Input = BreastCancerTuneInput;
        type Output = BreastCancerTuneOutput;
        type Inputs = __mlp::Const<30>;
        type Outputs = __mlp::Const<1>;
        type SampleTape = [f32; 51];
        const SAMPLE_TAPE: [f32; 51] = [0.0; 51];
        const PARAM_COUNT: usize = 513;
        const TAPE_UNITS: usize = 17;
        fn buffer(&self) -> &[f32] {
            &self.__mlp_params
        }
        #[inline(always)]
        fn forward<T: __mlp::Float, C: __mlp::DimName>(
            params: &[T],
            inputs: &[T],
            tape: &mut [T],
            pass: __mlp::Pass,
        ) {
            let l0 = __mlp::Fixed::<30, 16, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<16, 1, C>::at(496, 16, __mlp::SigmoidBce);
            l0.forward(params, inputs, tape, pass);
            l1.forward_head(params, inputs, tape);
        }
    }
    #[automatically_derived]
    impl __mlp::Compiled for BreastCancerTune {
        type Batch = __mlp::Const<32>;
        type Shard = __mlp::Const<32>;
        const LAYOUT: &'static [__mlp::ParamSegment] = &__mlp::dense_layout::<
            4,
        >(30, &[(16, 1f64, false), (1, 1f64, false)]);
        const REGULARIZATION: __mlp::Regularization = __mlp::Regularization {
            l2: 0f64,
            l1: 0f64,
            bias: false,
        };
        const FUSES_SGD: bool = true;
        const SHARDS: usize = 1;
        const SPEC_YAML: &'static str = "name: breast_cancer_tune\ninput: 30\nlayers:\n- units: 16\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 1\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\nloss:\n  kind: bce\noptimizer:\n  kind: sgd\n  lr: 0.001\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 20\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\nsearch:\n  method: coordinate\n  rounds: 3\n  folds: 5\n  metric: accuracy\n  seed: 0\n  space:\n    optimizer.lr:\n    - 0.001\n    - 0.01\n    - 0.1\n    - 0.3\n    regularization.l2:\n    - 0\n    - 0.001\n    - 0.01\n    training.epochs:\n    - 20\n    - 60\n";
        const CLASS_WEIGHTS: &'static [f64] = &[];
        fn buffer_mut(&mut self) -> &mut [f32] {
            &mut self.__mlp_params
        }
        fn from_params(params: __mlp::Lines<f32>) -> Self {
            BreastCancerTune {
                __mlp_params: __mlp::Params::Owned(params),
            }
        }
        #[inline(always)]
        fn loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> T {
            let l1 = __mlp::Fixed::<16, 1, C>::at(496, 16, __mlp::SigmoidBce);
            l1.loss(tape, targets, valid)
        }
        #[inline(always)]
        fn assures_finite_loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> bool {
            let l1 = __mlp::Fixed::<16, 1, C>::at(496, 16, __mlp::SigmoidBce);
            l1.assures_finite_loss(tape, targets, valid)
        }
        #[inline(always)]
        fn backward<T: __mlp::Float, C: __mlp::DimName>(
            params: &[T],
            inputs: &[T],
            targets: __mlp::Targets<'_, T>,
            tape: &mut [T],
            grads: &mut [T],
            pass: __mlp::Pass,
        ) {
            let l0 = __mlp::Fixed::<30, 16, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<16, 1, C>::at(496, 16, __mlp::SigmoidBce);
            l1.delta(tape, targets, pass.valid);
            l1.gradients(params, inputs, tape, grads, pass);
            l1.propagate(&l0, params, tape, pass);
            l0.gradients(params, inputs, tape, grads, pass);
        }
        #[inline(always)]
        fn descend<C: __mlp::DimName>(
            params: &mut [Self::Float],
            inputs: &[Self::Float],
            targets: __mlp::Targets<'_, Self::Float>,
            valid: usize,
            tape: &mut [Self::Float],
            scratch: &mut [Self::Float],
            lr: f64,
            held: ::core::option::Option<&mut __mlp::DeferredUpdate<Self::Float>>,
        ) {
            let l0 = __mlp::Fixed::<30, 16, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<16, 1, C>::at(496, 16, __mlp::SigmoidBce);
            l1.delta(tape, targets, valid);
            l1.propagate(&l0, params, tape, __mlp::Pass::eval(valid));
            l1.descend(params, inputs, tape, scratch, lr);
            l0.descend_first(params, inputs, tape, scratch, lr, held);
        }
    }
};
const _: &[u8] = ::core::include_bytes!("specs/breast_cancer_tune.yaml");
