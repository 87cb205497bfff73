/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 64-32-10 network, 2410 parameters, `f32`, loss `cross_entropy`.
#[derive(::core::clone::Clone)]
pub struct DigitsOnline {
    __mlp_params: ::mlp_runtime::__private::Params<f32>,
}
/// One input sample of [`DigitsOnline`]: 64 features.
pub type DigitsOnlineInput = ::mlp_runtime::__private::SVector<f32, 64>;
/// One output (or target) sample of [`DigitsOnline`]: 10 values.
pub type DigitsOnlineOutput = ::mlp_runtime::__private::SVector<f32, 10>;
/// A batch of inputs of [`DigitsOnline`]: 64 features by 1 sample, one sample per column.
pub type DigitsOnlineBatchInput = ::mlp_runtime::__private::SMatrix<f32, 64, 1>;
/// A batch of outputs (or targets) of [`DigitsOnline`]: 10 values by 1 sample.
pub type DigitsOnlineBatchOutput = ::mlp_runtime::__private::SMatrix<f32, 10, 1>;
/// Preallocated buffers for the passes of [`DigitsOnline`]; create one with [`DigitsOnline::workspace`] and reuse it.
pub type DigitsOnlineWorkspace = ::mlp_runtime::__private::Workspace<DigitsOnline>;
/// Gradients of the parameters of [`DigitsOnline`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct DigitsOnlineGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
const _: () = {
    use ::mlp_runtime::__private as __mlp;
    #[automatically_derived]
    impl DigitsOnline {
        /// Number of input features.
        pub const INPUTS: usize = 64;
        /// Number of outputs.
        pub const OUTPUTS: usize = 10;
        /// The static batch size of the batched code (the spec's `batch_size`).
        pub const BATCH_SIZE: usize = 1;
        /// The shards a training step splits its batch into, for threads (1: it does not split). Training steps run on one thread (`training.threads: 1`).
        pub const TRAINING_SHARDS: usize = 1;
        /** Whether an on-line session holds the first layer's weight update back.

 An on-line session's steps are one-sample training steps: the first layer's 32 x 64 weight is small enough for an L1 cache (holding its update back pays from 16384 weights and 64 units).*/
        pub const ONLINE_DEFERS_FIRST_UPDATE: bool = false;
        /** Whether a one-sample prediction on more than one thread shares out the first layer's product.

 A one-sample prediction runs on the calling thread: the first layer's 32 x 64 weight takes less time to multiply than to hand to another core (sharing it out pays from 65536 weights and two blocks of 64 units).*/
        pub const PREDICTION_SHARES_FIRST_PRODUCT: bool = false;
        /// Number of parameters (weights and biases; with batch norm, also its scales,
        /// shifts and running statistics).
        pub const PARAM_COUNT: usize = 2410;
        /// Bytes of the parameters.
        pub const PARAM_BYTES: usize = 9640;
        /// Bytes of optimizer state for `sgd` (0 buffers the size of the parameters).
        pub const OPTIMIZER_STATE_BYTES: usize = 0;
        /// Bytes of activations kept for one training batch of 1 sample (pre-activations, activations and deltas of every layer).
        pub const ACTIVATION_BYTES: usize = 504;
        /// Bytes of read-only data in the binary: the trained weights when they are
        /// compiled in (`weights = "..."`), else none.
        pub const READ_ONLY_BYTES: usize = 0;
        /// Bytes `forward` writes for one sample, all on the stack (the activations of
        /// every layer); it allocates nothing.
        pub const INFERENCE_MUTABLE_BYTES: usize = 504;
        /// The output for one input. Allocation-free; needs no workspace.
        pub fn forward(&self, input: &DigitsOnlineInput) -> DigitsOnlineOutput {
            __mlp::predict(self, input)
        }
        /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 64> {
            __mlp::matrix(&self.__mlp_params, 0)
        }
        /// Layer 0's bias, 32 values.
        pub fn layer0_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 2048)
        }
        /// Layer 1's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 32> {
            __mlp::matrix(&self.__mlp_params, 2080)
        }
        /// Layer 1's bias, 10 values.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_params, 2400)
        }
    }
    #[automatically_derived]
    impl DigitsOnline {
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
        pub fn workspace(&self) -> DigitsOnlineWorkspace {
            __mlp::Model::workspace(self)
        }
        /// All-zero gradients for this network.
        pub fn gradients(&self) -> DigitsOnlineGradients {
            DigitsOnlineGradients::zeros()
        }
        /// The outputs for a batch, one sample per column. Allocation-free.
        pub fn forward_batch<'w>(
            &self,
            workspace: &'w mut DigitsOnlineWorkspace,
            inputs: &DigitsOnlineBatchInput,
        ) -> __mlp::SMatrixView<'w, f32, 10, 1> {
            __mlp::forward_batch(self, workspace, inputs.as_slice())
        }
        /// The loss for one sample, regularisation included.
        pub fn loss(
            &self,
            workspace: &mut DigitsOnlineWorkspace,
            input: &DigitsOnlineInput,
            target: &DigitsOnlineOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, input, target)
        }
        /// The mean loss over a batch, regularisation included.
        pub fn loss_batch(
            &self,
            workspace: &mut DigitsOnlineWorkspace,
            inputs: &DigitsOnlineBatchInput,
            targets: &DigitsOnlineBatchOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, inputs, targets)
        }
        /// Writes the gradient of one sample's loss into `grads` and returns the loss.
        /// Allocation-free.
        pub fn backward(
            &self,
            workspace: &mut DigitsOnlineWorkspace,
            input: &DigitsOnlineInput,
            target: &DigitsOnlineOutput,
            grads: &mut DigitsOnlineGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, input, target, &mut grads.__mlp_values)
        }
        /// Writes the gradient of the mean loss over a batch into `grads` and returns the
        /// loss. Allocation-free.
        pub fn backward_batch(
            &self,
            workspace: &mut DigitsOnlineWorkspace,
            inputs: &DigitsOnlineBatchInput,
            targets: &DigitsOnlineBatchOutput,
            grads: &mut DigitsOnlineGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, inputs, targets, &mut grads.__mlp_values)
        }
        /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 64> {
            __mlp::matrix_mut(&mut self.__mlp_params, 0)
        }
        /// Layer 0's bias, 32 values.
        pub fn layer0_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 2048)
        }
        /// Layer 1's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 10, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 2080)
        }
        /// Layer 1's bias, 10 values.
        pub fn layer1_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 10> {
            __mlp::vector_mut(&mut self.__mlp_params, 2400)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for DigitsOnline {
        /// The same as [`Self::new`].
        fn default() -> Self {
            Self::new()
        }
    }
    #[automatically_derived]
    impl DigitsOnlineGradients {
        /// All-zero gradients.
        pub fn zeros() -> Self {
            DigitsOnlineGradients {
                __mlp_values: __mlp::zero_values(2410),
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
        /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 64> {
            __mlp::matrix(&self.__mlp_values, 0)
        }
        /// Layer 0's bias, 32 values.
        pub fn layer0_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 2048)
        }
        /// Layer 1's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 32> {
            __mlp::matrix(&self.__mlp_values, 2080)
        }
        /// Layer 1's bias, 10 values.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_values, 2400)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for DigitsOnlineGradients {
        fn default() -> Self {
            Self::zeros()
        }
    }
    #[automatically_derived]
    impl __mlp::Inference for DigitsOnline {
        type Float = f32;
        type Input = DigitsOnlineInput;
        type Output = DigitsOnlineOutput;
        type Inputs = __mlp::Const<64>;
        type Outputs = __mlp::Const<10>;
        type SampleTape = [f32; 126];
        const SAMPLE_TAPE: [f32; 126] = [0.0; 126];
        const PARAM_COUNT: usize = 2410;
        const TAPE_UNITS: usize = 42;
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<32, 10, C>::at(2080, 32, __mlp::SoftmaxCrossEntropy);
            l0.forward(params, inputs, tape, pass);
            l1.forward_head(params, inputs, tape);
        }
    }
    #[automatically_derived]
    impl __mlp::Compiled for DigitsOnline {
        type Batch = __mlp::Const<1>;
        type Shard = __mlp::Const<1>;
        const LAYOUT: &'static [__mlp::ParamSegment] = &__mlp::dense_layout::<
            4,
        >(64, &[(32, 1f64, false), (10, 1f64, false)]);
        const REGULARIZATION: __mlp::Regularization = __mlp::Regularization {
            l2: 0f64,
            l1: 0f64,
            bias: false,
        };
        const FUSES_SGD: bool = true;
        const SHARDS: usize = 1;
        const SPEC_YAML: &'static str = "name: digits_online\ninput: 64\nlayers:\n- units: 32\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: sgd\n  lr: 0.05\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 1\nprecision: f32\ntraining:\n  epochs: 100\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
        const CLASS_WEIGHTS: &'static [f64] = &[];
        fn buffer_mut(&mut self) -> &mut [f32] {
            &mut self.__mlp_params
        }
        fn from_params(params: __mlp::Lines<f32>) -> Self {
            DigitsOnline {
                __mlp_params: __mlp::Params::Owned(params),
            }
        }
        #[inline(always)]
        fn loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> T {
            let l1 = __mlp::Fixed::<32, 10, C>::at(2080, 32, __mlp::SoftmaxCrossEntropy);
            l1.loss(tape, targets, valid)
        }
        #[inline(always)]
        fn assures_finite_loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> bool {
            let l1 = __mlp::Fixed::<32, 10, C>::at(2080, 32, __mlp::SoftmaxCrossEntropy);
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<32, 10, C>::at(2080, 32, __mlp::SoftmaxCrossEntropy);
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<32, 10, C>::at(2080, 32, __mlp::SoftmaxCrossEntropy);
            l1.delta(tape, targets, valid);
            l1.propagate(&l0, params, tape, __mlp::Pass::eval(valid));
            l1.descend(params, inputs, tape, scratch, lr);
            l0.descend_first(params, inputs, tape, scratch, lr, held);
        }
    }
};
const _: &[u8] = ::core::include_bytes!("specs/digits_online.yaml");
