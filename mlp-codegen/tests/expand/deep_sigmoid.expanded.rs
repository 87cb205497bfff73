/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 64-32-32-32-32-32-32-32-32-10 network, 9802 parameters, `f32`, loss `cross_entropy`.
#[derive(::core::clone::Clone)]
pub struct DeepSigmoid {
    __mlp_params: ::mlp_runtime::__private::Params<f32>,
}
/// One input sample of [`DeepSigmoid`]: 64 features.
pub type DeepSigmoidInput = ::mlp_runtime::__private::SVector<f32, 64>;
/// One output (or target) sample of [`DeepSigmoid`]: 10 values.
pub type DeepSigmoidOutput = ::mlp_runtime::__private::SVector<f32, 10>;
/// A batch of inputs of [`DeepSigmoid`]: 64 features by 32 samples, one sample per column.
pub type DeepSigmoidBatchInput = ::mlp_runtime::__private::SMatrix<f32, 64, 32>;
/// A batch of outputs (or targets) of [`DeepSigmoid`]: 10 values by 32 samples.
pub type DeepSigmoidBatchOutput = ::mlp_runtime::__private::SMatrix<f32, 10, 32>;
/// Preallocated buffers for the passes of [`DeepSigmoid`]; create one with [`DeepSigmoid::workspace`] and reuse it.
pub type DeepSigmoidWorkspace = ::mlp_runtime::__private::Workspace<DeepSigmoid>;
/// Gradients of the parameters of [`DeepSigmoid`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct DeepSigmoidGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
const _: () = {
    use ::mlp_runtime::__private as __mlp;
    #[automatically_derived]
    impl DeepSigmoid {
        /// Number of input features.
        pub const INPUTS: usize = 64;
        /// Number of outputs.
        pub const OUTPUTS: usize = 10;
        /// The static batch size of the batched code (the spec's `batch_size`).
        pub const BATCH_SIZE: usize = 32;
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
        pub const PARAM_COUNT: usize = 9802;
        /// Bytes of the parameters.
        pub const PARAM_BYTES: usize = 39208;
        /// Bytes of optimizer state for `sgd` (0 buffers the size of the parameters).
        pub const OPTIMIZER_STATE_BYTES: usize = 0;
        /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
        pub const ACTIVATION_BYTES: usize = 102144;
        /// Bytes of read-only data in the binary: the trained weights when they are
        /// compiled in (`weights = "..."`), else none.
        pub const READ_ONLY_BYTES: usize = 0;
        /// Bytes `forward` writes for one sample, all on the stack (the activations of
        /// every layer); it allocates nothing.
        pub const INFERENCE_MUTABLE_BYTES: usize = 3192;
        /// The output for one input. Allocation-free; needs no workspace.
        pub fn forward(&self, input: &DeepSigmoidInput) -> DeepSigmoidOutput {
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
        /// Layer 1's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 2080)
        }
        /// Layer 1's bias, 32 values.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 3104)
        }
        /// Layer 2's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer2_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 3136)
        }
        /// Layer 2's bias, 32 values.
        pub fn layer2_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 4160)
        }
        /// Layer 3's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer3_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 4192)
        }
        /// Layer 3's bias, 32 values.
        pub fn layer3_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 5216)
        }
        /// Layer 4's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer4_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 5248)
        }
        /// Layer 4's bias, 32 values.
        pub fn layer4_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 6272)
        }
        /// Layer 5's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer5_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 6304)
        }
        /// Layer 5's bias, 32 values.
        pub fn layer5_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 7328)
        }
        /// Layer 6's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer6_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 7360)
        }
        /// Layer 6's bias, 32 values.
        pub fn layer6_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 8384)
        }
        /// Layer 7's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer7_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 8416)
        }
        /// Layer 7's bias, 32 values.
        pub fn layer7_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 9440)
        }
        /// Layer 8's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer8_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 32> {
            __mlp::matrix(&self.__mlp_params, 9472)
        }
        /// Layer 8's bias, 10 values.
        pub fn layer8_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_params, 9792)
        }
    }
    #[automatically_derived]
    impl DeepSigmoid {
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
        pub fn workspace(&self) -> DeepSigmoidWorkspace {
            __mlp::Model::workspace(self)
        }
        /// All-zero gradients for this network.
        pub fn gradients(&self) -> DeepSigmoidGradients {
            DeepSigmoidGradients::zeros()
        }
        /// The outputs for a batch, one sample per column. Allocation-free.
        pub fn forward_batch<'w>(
            &self,
            workspace: &'w mut DeepSigmoidWorkspace,
            inputs: &DeepSigmoidBatchInput,
        ) -> __mlp::SMatrixView<'w, f32, 10, 32> {
            __mlp::forward_batch(self, workspace, inputs.as_slice())
        }
        /// The loss for one sample, regularisation included.
        pub fn loss(
            &self,
            workspace: &mut DeepSigmoidWorkspace,
            input: &DeepSigmoidInput,
            target: &DeepSigmoidOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, input, target)
        }
        /// The mean loss over a batch, regularisation included.
        pub fn loss_batch(
            &self,
            workspace: &mut DeepSigmoidWorkspace,
            inputs: &DeepSigmoidBatchInput,
            targets: &DeepSigmoidBatchOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, inputs, targets)
        }
        /// Writes the gradient of one sample's loss into `grads` and returns the loss.
        /// Allocation-free.
        pub fn backward(
            &self,
            workspace: &mut DeepSigmoidWorkspace,
            input: &DeepSigmoidInput,
            target: &DeepSigmoidOutput,
            grads: &mut DeepSigmoidGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, input, target, &mut grads.__mlp_values)
        }
        /// Writes the gradient of the mean loss over a batch into `grads` and returns the
        /// loss. Allocation-free.
        pub fn backward_batch(
            &self,
            workspace: &mut DeepSigmoidWorkspace,
            inputs: &DeepSigmoidBatchInput,
            targets: &DeepSigmoidBatchOutput,
            grads: &mut DeepSigmoidGradients,
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
        /// Layer 1's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 2080)
        }
        /// Layer 1's bias, 32 values.
        pub fn layer1_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 3104)
        }
        /// Layer 2's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer2_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 3136)
        }
        /// Layer 2's bias, 32 values.
        pub fn layer2_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 4160)
        }
        /// Layer 3's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer3_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 4192)
        }
        /// Layer 3's bias, 32 values.
        pub fn layer3_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 5216)
        }
        /// Layer 4's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer4_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 5248)
        }
        /// Layer 4's bias, 32 values.
        pub fn layer4_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 6272)
        }
        /// Layer 5's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer5_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 6304)
        }
        /// Layer 5's bias, 32 values.
        pub fn layer5_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 7328)
        }
        /// Layer 6's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer6_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 7360)
        }
        /// Layer 6's bias, 32 values.
        pub fn layer6_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 8384)
        }
        /// Layer 7's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer7_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 8416)
        }
        /// Layer 7's bias, 32 values.
        pub fn layer7_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 9440)
        }
        /// Layer 8's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer8_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 10, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 9472)
        }
        /// Layer 8's bias, 10 values.
        pub fn layer8_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 10> {
            __mlp::vector_mut(&mut self.__mlp_params, 9792)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for DeepSigmoid {
        /// The same as [`Self::new`].
        fn default() -> Self {
            Self::new()
        }
    }
    #[automatically_derived]
    impl DeepSigmoidGradients {
        /// All-zero gradients.
        pub fn zeros() -> Self {
            DeepSigmoidGradients {
                __mlp_values: __mlp::zero_values(9802),
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
        /// Layer 1's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 2080)
        }
        /// Layer 1's bias, 32 values.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 3104)
        }
        /// Layer 2's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer2_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 3136)
        }
        /// Layer 2's bias, 32 values.
        pub fn layer2_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 4160)
        }
        /// Layer 3's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer3_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 4192)
        }
        /// Layer 3's bias, 32 values.
        pub fn layer3_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 5216)
        }
        /// Layer 4's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer4_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 5248)
        }
        /// Layer 4's bias, 32 values.
        pub fn layer4_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 6272)
        }
        /// Layer 5's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer5_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 6304)
        }
        /// Layer 5's bias, 32 values.
        pub fn layer5_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 7328)
        }
        /// Layer 6's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer6_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 7360)
        }
        /// Layer 6's bias, 32 values.
        pub fn layer6_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 8384)
        }
        /// Layer 7's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer7_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 8416)
        }
        /// Layer 7's bias, 32 values.
        pub fn layer7_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 9440)
        }
        /// Layer 8's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer8_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 32> {
            __mlp::matrix(&self.__mlp_values, 9472)
        }
        /// Layer 8's bias, 10 values.
        pub fn layer8_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_values, 9792)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for DeepSigmoidGradients {
        fn default() -> Self {
            Self::zeros()
        }
    }
    #[automatically_derived]
    impl __mlp::Inference for DeepSigmoid {
        type Float = f32;
        type Input = DeepSigmoidInput;
        type Output = DeepSigmoidOutput;
        type Inputs = __mlp::Const<64>;
        type Outputs = __mlp::Const<10>;
        type SampleTape = [f32; 798];
        const SAMPLE_TAPE: [f32; 798] = [0.0; 798];
        const PARAM_COUNT: usize = 9802;
        const TAPE_UNITS: usize = 266;
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Sigmoid);
            let l1 = __mlp::Fixed::<32, 32, C>::at(2080, 32, __mlp::Sigmoid);
            let l2 = __mlp::Fixed::<32, 32, C>::at(3136, 64, __mlp::Sigmoid);
            let l3 = __mlp::Fixed::<32, 32, C>::at(4192, 96, __mlp::Sigmoid);
            let l4 = __mlp::Fixed::<32, 32, C>::at(5248, 128, __mlp::Sigmoid);
            let l5 = __mlp::Fixed::<32, 32, C>::at(6304, 160, __mlp::Sigmoid);
            let l6 = __mlp::Fixed::<32, 32, C>::at(7360, 192, __mlp::Sigmoid);
            let l7 = __mlp::Fixed::<32, 32, C>::at(8416, 224, __mlp::Sigmoid);
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(9472, 256, __mlp::SoftmaxCrossEntropy);
            l0.forward(params, inputs, tape, pass);
            l1.forward(params, inputs, tape, pass);
            l2.forward(params, inputs, tape, pass);
            l3.forward(params, inputs, tape, pass);
            l4.forward(params, inputs, tape, pass);
            l5.forward(params, inputs, tape, pass);
            l6.forward(params, inputs, tape, pass);
            l7.forward(params, inputs, tape, pass);
            l8.forward_head(params, inputs, tape);
        }
    }
    #[automatically_derived]
    impl __mlp::Compiled for DeepSigmoid {
        type Batch = __mlp::Const<32>;
        type Shard = __mlp::Const<32>;
        const LAYOUT: &'static [__mlp::ParamSegment] = &__mlp::dense_layout::<
            18,
        >(
            64,
            &[
                (32, 1f64, false),
                (32, 1f64, false),
                (32, 1f64, false),
                (32, 1f64, false),
                (32, 1f64, false),
                (32, 1f64, false),
                (32, 1f64, false),
                (32, 1f64, false),
                (10, 1f64, false),
            ],
        );
        const REGULARIZATION: __mlp::Regularization = __mlp::Regularization {
            l2: 0f64,
            l1: 0f64,
            bias: false,
        };
        const FUSES_SGD: bool = true;
        const SHARDS: usize = 1;
        const SPEC_YAML: &'static str = "name: deep_sigmoid\ninput: 64\nlayers:\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: sgd\n  lr: 0.1\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 30\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
        const CLASS_WEIGHTS: &'static [f64] = &[];
        fn buffer_mut(&mut self) -> &mut [f32] {
            &mut self.__mlp_params
        }
        fn from_params(params: __mlp::Lines<f32>) -> Self {
            DeepSigmoid {
                __mlp_params: __mlp::Params::Owned(params),
            }
        }
        #[inline(always)]
        fn loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> T {
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(9472, 256, __mlp::SoftmaxCrossEntropy);
            l8.loss(tape, targets, valid)
        }
        #[inline(always)]
        fn assures_finite_loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> bool {
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(9472, 256, __mlp::SoftmaxCrossEntropy);
            l8.assures_finite_loss(tape, targets, valid)
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Sigmoid);
            let l1 = __mlp::Fixed::<32, 32, C>::at(2080, 32, __mlp::Sigmoid);
            let l2 = __mlp::Fixed::<32, 32, C>::at(3136, 64, __mlp::Sigmoid);
            let l3 = __mlp::Fixed::<32, 32, C>::at(4192, 96, __mlp::Sigmoid);
            let l4 = __mlp::Fixed::<32, 32, C>::at(5248, 128, __mlp::Sigmoid);
            let l5 = __mlp::Fixed::<32, 32, C>::at(6304, 160, __mlp::Sigmoid);
            let l6 = __mlp::Fixed::<32, 32, C>::at(7360, 192, __mlp::Sigmoid);
            let l7 = __mlp::Fixed::<32, 32, C>::at(8416, 224, __mlp::Sigmoid);
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(9472, 256, __mlp::SoftmaxCrossEntropy);
            l8.delta(tape, targets, pass.valid);
            l8.gradients(params, inputs, tape, grads, pass);
            l8.propagate(&l7, params, tape, pass);
            l7.gradients(params, inputs, tape, grads, pass);
            l7.propagate(&l6, params, tape, pass);
            l6.gradients(params, inputs, tape, grads, pass);
            l6.propagate(&l5, params, tape, pass);
            l5.gradients(params, inputs, tape, grads, pass);
            l5.propagate(&l4, params, tape, pass);
            l4.gradients(params, inputs, tape, grads, pass);
            l4.propagate(&l3, params, tape, pass);
            l3.gradients(params, inputs, tape, grads, pass);
            l3.propagate(&l2, params, tape, pass);
            l2.gradients(params, inputs, tape, grads, pass);
            l2.propagate(&l1, params, tape, pass);
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Sigmoid);
            let l1 = __mlp::Fixed::<32, 32, C>::at(2080, 32, __mlp::Sigmoid);
            let l2 = __mlp::Fixed::<32, 32, C>::at(3136, 64, __mlp::Sigmoid);
            let l3 = __mlp::Fixed::<32, 32, C>::at(4192, 96, __mlp::Sigmoid);
            let l4 = __mlp::Fixed::<32, 32, C>::at(5248, 128, __mlp::Sigmoid);
            let l5 = __mlp::Fixed::<32, 32, C>::at(6304, 160, __mlp::Sigmoid);
            let l6 = __mlp::Fixed::<32, 32, C>::at(7360, 192, __mlp::Sigmoid);
            let l7 = __mlp::Fixed::<32, 32, C>::at(8416, 224, __mlp::Sigmoid);
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(9472, 256, __mlp::SoftmaxCrossEntropy);
            l8.delta(tape, targets, valid);
            l8.propagate(&l7, params, tape, __mlp::Pass::eval(valid));
            l8.descend(params, inputs, tape, scratch, lr);
            l7.propagate(&l6, params, tape, __mlp::Pass::eval(valid));
            l7.descend(params, inputs, tape, scratch, lr);
            l6.propagate(&l5, params, tape, __mlp::Pass::eval(valid));
            l6.descend(params, inputs, tape, scratch, lr);
            l5.propagate(&l4, params, tape, __mlp::Pass::eval(valid));
            l5.descend(params, inputs, tape, scratch, lr);
            l4.propagate(&l3, params, tape, __mlp::Pass::eval(valid));
            l4.descend(params, inputs, tape, scratch, lr);
            l3.propagate(&l2, params, tape, __mlp::Pass::eval(valid));
            l3.descend(params, inputs, tape, scratch, lr);
            l2.propagate(&l1, params, tape, __mlp::Pass::eval(valid));
            l2.descend(params, inputs, tape, scratch, lr);
            l1.propagate(&l0, params, tape, __mlp::Pass::eval(valid));
            l1.descend(params, inputs, tape, scratch, lr);
            l0.descend_first(params, inputs, tape, scratch, lr, held);
        }
    }
};
const _: &[u8] = ::core::include_bytes!("specs/deep_sigmoid.yaml");
