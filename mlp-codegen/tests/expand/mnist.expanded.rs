/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 784-128-10 network, 101770 parameters, `f32`, loss `cross_entropy`.
#[derive(::core::clone::Clone)]
pub struct Mnist {
    __mlp_params: ::mlp_runtime::__private::Params<f32>,
}
/// One input sample of [`Mnist`]: 784 features.
pub type MnistInput = ::mlp_runtime::__private::SVector<f32, 784>;
/// One output (or target) sample of [`Mnist`]: 10 values.
pub type MnistOutput = ::mlp_runtime::__private::SVector<f32, 10>;
/// A batch of inputs of [`Mnist`]: 784 features by 32 samples, one sample per column.
pub type MnistBatchInput = ::mlp_runtime::__private::SMatrix<f32, 784, 32>;
/// A batch of outputs (or targets) of [`Mnist`]: 10 values by 32 samples.
pub type MnistBatchOutput = ::mlp_runtime::__private::SMatrix<f32, 10, 32>;
/// Preallocated buffers for the passes of [`Mnist`]; create one with [`Mnist::workspace`] and reuse it.
pub type MnistWorkspace = ::mlp_runtime::__private::Workspace<Mnist>;
/// Gradients of the parameters of [`Mnist`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct MnistGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
const _: () = {
    use ::mlp_runtime::__private as __mlp;
    #[automatically_derived]
    impl Mnist {
        /// Number of input features.
        pub const INPUTS: usize = 784;
        /// Number of outputs.
        pub const OUTPUTS: usize = 10;
        /// The static batch size of the batched code (the spec's `batch_size`).
        pub const BATCH_SIZE: usize = 32;
        /// The shards a training step splits its batch into, for threads (1: it does not split). Training steps run on one thread (`training.threads: 1`).
        pub const TRAINING_SHARDS: usize = 1;
        /** Whether an on-line session holds the first layer's weight update back.

 An on-line session's steps are one-sample training steps: only plain `sgd` without regularisation (whose update is fused into the backward pass) holds the first layer's update back.*/
        pub const ONLINE_DEFERS_FIRST_UPDATE: bool = false;
        /** Whether a one-sample prediction on more than one thread shares out the first layer's product.

 A one-sample prediction by a `Predictor` on more than one thread shares out the first layer's product, on up to 2 threads (blocks of 64 units, at least 32768 weights a thread): the 128 x 784 weight is too large for one core's L1 cache, and each thread multiplies its own blocks of 64 units with its own copy of their rows of the weight, which stays in its core's cache. The outputs keep the bits of one thread.*/
        pub const PREDICTION_SHARES_FIRST_PRODUCT: bool = true;
        /// Number of parameters (weights and biases; with batch norm, also its scales,
        /// shifts and running statistics).
        pub const PARAM_COUNT: usize = 101770;
        /// Bytes of the parameters.
        pub const PARAM_BYTES: usize = 407080;
        /// Bytes of optimizer state for `adam` (2 buffers the size of the parameters).
        pub const OPTIMIZER_STATE_BYTES: usize = 814160;
        /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
        pub const ACTIVATION_BYTES: usize = 52992;
        /// Bytes of read-only data in the binary: the trained weights when they are
        /// compiled in (`weights = "..."`), else none.
        pub const READ_ONLY_BYTES: usize = 0;
        /// Bytes `forward` writes for one sample, all on the stack (the activations of
        /// every layer); it allocates nothing.
        pub const INFERENCE_MUTABLE_BYTES: usize = 1656;
        /// The output for one input. Allocation-free; needs no workspace.
        pub fn forward(&self, input: &MnistInput) -> MnistOutput {
            __mlp::predict(self, input)
        }
        /// Layer 0's weight, 128 x 784 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 128, 784> {
            __mlp::matrix(&self.__mlp_params, 0)
        }
        /// Layer 0's bias, 128 values.
        pub fn layer0_bias(&self) -> __mlp::SVectorView<'_, f32, 128> {
            __mlp::vector(&self.__mlp_params, 100352)
        }
        /// Layer 1's weight, 10 x 128 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 128> {
            __mlp::matrix(&self.__mlp_params, 100480)
        }
        /// Layer 1's bias, 10 values.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_params, 101760)
        }
    }
    #[automatically_derived]
    impl Mnist {
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
        pub fn workspace(&self) -> MnistWorkspace {
            __mlp::Model::workspace(self)
        }
        /// All-zero gradients for this network.
        pub fn gradients(&self) -> MnistGradients {
            MnistGradients::zeros()
        }
        /// The outputs for a batch, one sample per column. Allocation-free.
        pub fn forward_batch<'w>(
            &self,
            workspace: &'w mut MnistWorkspace,
            inputs: &MnistBatchInput,
        ) -> __mlp::SMatrixView<'w, f32, 10, 32> {
            __mlp::forward_batch(self, workspace, inputs.as_slice())
        }
        /// The loss for one sample, regularisation included.
        pub fn loss(
            &self,
            workspace: &mut MnistWorkspace,
            input: &MnistInput,
            target: &MnistOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, input, target)
        }
        /// The mean loss over a batch, regularisation included.
        pub fn loss_batch(
            &self,
            workspace: &mut MnistWorkspace,
            inputs: &MnistBatchInput,
            targets: &MnistBatchOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, inputs, targets)
        }
        /// Writes the gradient of one sample's loss into `grads` and returns the loss.
        /// Allocation-free.
        pub fn backward(
            &self,
            workspace: &mut MnistWorkspace,
            input: &MnistInput,
            target: &MnistOutput,
            grads: &mut MnistGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, input, target, &mut grads.__mlp_values)
        }
        /// Writes the gradient of the mean loss over a batch into `grads` and returns the
        /// loss. Allocation-free.
        pub fn backward_batch(
            &self,
            workspace: &mut MnistWorkspace,
            inputs: &MnistBatchInput,
            targets: &MnistBatchOutput,
            grads: &mut MnistGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, inputs, targets, &mut grads.__mlp_values)
        }
        /// Layer 0's weight, 128 x 784 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 128, 784> {
            __mlp::matrix_mut(&mut self.__mlp_params, 0)
        }
        /// Layer 0's bias, 128 values.
        pub fn layer0_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 128> {
            __mlp::vector_mut(&mut self.__mlp_params, 100352)
        }
        /// Layer 1's weight, 10 x 128 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 10, 128> {
            __mlp::matrix_mut(&mut self.__mlp_params, 100480)
        }
        /// Layer 1's bias, 10 values.
        pub fn layer1_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 10> {
            __mlp::vector_mut(&mut self.__mlp_params, 101760)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for Mnist {
        /// The same as [`Self::new`].
        fn default() -> Self {
            Self::new()
        }
    }
    #[automatically_derived]
    impl MnistGradients {
        /// All-zero gradients.
        pub fn zeros() -> Self {
            MnistGradients {
                __mlp_values: __mlp::zero_values(101770),
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
        /// Layer 0's weight, 128 x 784 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 128, 784> {
            __mlp::matrix(&self.__mlp_values, 0)
        }
        /// Layer 0's bias, 128 values.
        pub fn layer0_bias(&self) -> __mlp::SVectorView<'_, f32, 128> {
            __mlp::vector(&self.__mlp_values, 100352)
        }
        /// Layer 1's weight, 10 x 128 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 128> {
            __mlp::matrix(&self.__mlp_values, 100480)
        }
        /// Layer 1's bias, 10 values.
        pub fn layer1_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_values, 101760)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for MnistGradients {
        fn default() -> Self {
            Self::zeros()
        }
    }
    #[automatically_derived]
    impl __mlp::Inference for Mnist {
        type Float = f32;
        type Input = MnistInput;
        type Output = MnistOutput;
        type Inputs = __mlp::Const<784>;
        type Outputs = __mlp::Const<10>;
        type SampleTape = [f32; 414];
        const SAMPLE_TAPE: [f32; 414] = [0.0; 414];
        const PARAM_COUNT: usize = 101770;
        const TAPE_UNITS: usize = 138;
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
            let l0 = __mlp::Fixed::<784, 128, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<
                128,
                10,
                C,
            >::at(100480, 128, __mlp::SoftmaxCrossEntropy);
            l0.forward(params, inputs, tape, pass);
            l1.forward_head(params, inputs, tape);
        }
    }
    #[automatically_derived]
    impl __mlp::Compiled for Mnist {
        type Batch = __mlp::Const<32>;
        type Shard = __mlp::Const<32>;
        const LAYOUT: &'static [__mlp::ParamSegment] = &__mlp::dense_layout::<
            4,
        >(784, &[(128, 1f64, false), (10, 1f64, false)]);
        const REGULARIZATION: __mlp::Regularization = __mlp::Regularization {
            l2: 0f64,
            l1: 0f64,
            bias: false,
        };
        const FUSES_SGD: bool = false;
        const SHARDS: usize = 1;
        const SPEC_YAML: &'static str = "name: mnist\ninput: 784\nlayers:\n- units: 128\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: adam\n  lr: 0.001\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-8\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 1\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 100\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
        const CLASS_WEIGHTS: &'static [f64] = &[];
        fn buffer_mut(&mut self) -> &mut [f32] {
            &mut self.__mlp_params
        }
        fn from_params(params: __mlp::Lines<f32>) -> Self {
            Mnist {
                __mlp_params: __mlp::Params::Owned(params),
            }
        }
        #[inline(always)]
        fn loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> T {
            let l1 = __mlp::Fixed::<
                128,
                10,
                C,
            >::at(100480, 128, __mlp::SoftmaxCrossEntropy);
            l1.loss(tape, targets, valid)
        }
        #[inline(always)]
        fn assures_finite_loss<T: __mlp::Float, C: __mlp::DimName>(
            tape: &mut [T],
            targets: __mlp::Targets<'_, T>,
            valid: usize,
        ) -> bool {
            let l1 = __mlp::Fixed::<
                128,
                10,
                C,
            >::at(100480, 128, __mlp::SoftmaxCrossEntropy);
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
            let l0 = __mlp::Fixed::<784, 128, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<
                128,
                10,
                C,
            >::at(100480, 128, __mlp::SoftmaxCrossEntropy);
            l1.delta(tape, targets, pass.valid);
            l1.gradients(params, inputs, tape, grads, pass);
            l1.propagate(&l0, params, tape, pass);
            l0.gradients(params, inputs, tape, grads, pass);
        }
        #[inline(always)]
        fn forward_shared(
            params: &[Self::Float],
            inputs: &[Self::Float],
            tape: &mut [Self::Float],
            shared: &__mlp::SharedProduct<Self::Float>,
        ) {
            type C = __mlp::Const<1>;
            let l0 = __mlp::Fixed::<784, 128, C>::at(0, 0, __mlp::Relu);
            let l1 = __mlp::Fixed::<
                128,
                10,
                C,
            >::at(100480, 128, __mlp::SoftmaxCrossEntropy);
            l0.forward_shared(inputs, tape, shared);
            l1.forward_head(params, inputs, tape);
        }
    }
};
const _: &[u8] = ::core::include_bytes!("specs/mnist.yaml");
