/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 64-32-32-32-32-32-32-32-32-10 network, 10570 parameters, `f32`, loss `cross_entropy`.
#[derive(::core::clone::Clone)]
pub struct DeepSigmoidNorm {
    __mlp_params: ::mlp_runtime::__private::Params<f32>,
}
/// One input sample of [`DeepSigmoidNorm`]: 64 features.
pub type DeepSigmoidNormInput = ::mlp_runtime::__private::SVector<f32, 64>;
/// One output (or target) sample of [`DeepSigmoidNorm`]: 10 values.
pub type DeepSigmoidNormOutput = ::mlp_runtime::__private::SVector<f32, 10>;
/// A batch of inputs of [`DeepSigmoidNorm`]: 64 features by 32 samples, one sample per column.
pub type DeepSigmoidNormBatchInput = ::mlp_runtime::__private::SMatrix<f32, 64, 32>;
/// A batch of outputs (or targets) of [`DeepSigmoidNorm`]: 10 values by 32 samples.
pub type DeepSigmoidNormBatchOutput = ::mlp_runtime::__private::SMatrix<f32, 10, 32>;
/// Preallocated buffers for the passes of [`DeepSigmoidNorm`]; create one with [`DeepSigmoidNorm::workspace`] and reuse it.
pub type DeepSigmoidNormWorkspace = ::mlp_runtime::__private::Workspace<DeepSigmoidNorm>;
/// Gradients of the parameters of [`DeepSigmoidNorm`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct DeepSigmoidNormGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
const _: () = {
    use ::mlp_runtime::__private as __mlp;
    #[automatically_derived]
    impl DeepSigmoidNorm {
        /// Number of input features.
        pub const INPUTS: usize = 64;
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

 A one-sample prediction runs on the calling thread: only a plain first layer (no batch norm, dropout or residual connection) shares its product out.*/
        pub const PREDICTION_SHARES_FIRST_PRODUCT: bool = false;
        /// Number of parameters (weights and biases; with batch norm, also its scales,
        /// shifts and running statistics).
        pub const PARAM_COUNT: usize = 10570;
        /// Bytes of the parameters.
        pub const PARAM_BYTES: usize = 42280;
        /// Bytes of optimizer state for `sgd` (0 buffers the size of the parameters).
        pub const OPTIMIZER_STATE_BYTES: usize = 0;
        /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
        pub const ACTIVATION_BYTES: usize = 192256;
        /// Bytes of read-only data in the binary: the trained weights when they are
        /// compiled in (`weights = "..."`), else none.
        pub const READ_ONLY_BYTES: usize = 0;
        /// Bytes `forward` writes for one sample, all on the stack (the activations of
        /// every layer); it allocates nothing.
        pub const INFERENCE_MUTABLE_BYTES: usize = 10104;
        /// The output for one input. Allocation-free; needs no workspace.
        pub fn forward(&self, input: &DeepSigmoidNormInput) -> DeepSigmoidNormOutput {
            __mlp::predict(self, input)
        }
        /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 64> {
            __mlp::matrix(&self.__mlp_params, 0)
        }
        /// Layer 0's batch norm scale (gamma), 32 values.
        pub fn layer0_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 2048)
        }
        /// Layer 0's batch norm shift (beta), 32 values.
        pub fn layer0_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 2080)
        }
        /// Layer 0's batch norm running mean, 32 values.
        pub fn layer0_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 2112)
        }
        /// Layer 0's batch norm running variance, 32 values.
        pub fn layer0_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 2144)
        }
        /// Layer 1's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 2176)
        }
        /// Layer 1's batch norm scale (gamma), 32 values.
        pub fn layer1_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 3200)
        }
        /// Layer 1's batch norm shift (beta), 32 values.
        pub fn layer1_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 3232)
        }
        /// Layer 1's batch norm running mean, 32 values.
        pub fn layer1_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 3264)
        }
        /// Layer 1's batch norm running variance, 32 values.
        pub fn layer1_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 3296)
        }
        /// Layer 2's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer2_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 3328)
        }
        /// Layer 2's batch norm scale (gamma), 32 values.
        pub fn layer2_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 4352)
        }
        /// Layer 2's batch norm shift (beta), 32 values.
        pub fn layer2_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 4384)
        }
        /// Layer 2's batch norm running mean, 32 values.
        pub fn layer2_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 4416)
        }
        /// Layer 2's batch norm running variance, 32 values.
        pub fn layer2_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 4448)
        }
        /// Layer 3's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer3_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 4480)
        }
        /// Layer 3's batch norm scale (gamma), 32 values.
        pub fn layer3_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 5504)
        }
        /// Layer 3's batch norm shift (beta), 32 values.
        pub fn layer3_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 5536)
        }
        /// Layer 3's batch norm running mean, 32 values.
        pub fn layer3_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 5568)
        }
        /// Layer 3's batch norm running variance, 32 values.
        pub fn layer3_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 5600)
        }
        /// Layer 4's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer4_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 5632)
        }
        /// Layer 4's batch norm scale (gamma), 32 values.
        pub fn layer4_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 6656)
        }
        /// Layer 4's batch norm shift (beta), 32 values.
        pub fn layer4_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 6688)
        }
        /// Layer 4's batch norm running mean, 32 values.
        pub fn layer4_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 6720)
        }
        /// Layer 4's batch norm running variance, 32 values.
        pub fn layer4_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 6752)
        }
        /// Layer 5's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer5_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 6784)
        }
        /// Layer 5's batch norm scale (gamma), 32 values.
        pub fn layer5_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 7808)
        }
        /// Layer 5's batch norm shift (beta), 32 values.
        pub fn layer5_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 7840)
        }
        /// Layer 5's batch norm running mean, 32 values.
        pub fn layer5_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 7872)
        }
        /// Layer 5's batch norm running variance, 32 values.
        pub fn layer5_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 7904)
        }
        /// Layer 6's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer6_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 7936)
        }
        /// Layer 6's batch norm scale (gamma), 32 values.
        pub fn layer6_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 8960)
        }
        /// Layer 6's batch norm shift (beta), 32 values.
        pub fn layer6_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 8992)
        }
        /// Layer 6's batch norm running mean, 32 values.
        pub fn layer6_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 9024)
        }
        /// Layer 6's batch norm running variance, 32 values.
        pub fn layer6_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 9056)
        }
        /// Layer 7's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer7_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_params, 9088)
        }
        /// Layer 7's batch norm scale (gamma), 32 values.
        pub fn layer7_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 10112)
        }
        /// Layer 7's batch norm shift (beta), 32 values.
        pub fn layer7_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 10144)
        }
        /// Layer 7's batch norm running mean, 32 values.
        pub fn layer7_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 10176)
        }
        /// Layer 7's batch norm running variance, 32 values.
        pub fn layer7_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_params, 10208)
        }
        /// Layer 8's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer8_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 32> {
            __mlp::matrix(&self.__mlp_params, 10240)
        }
        /// Layer 8's bias, 10 values.
        pub fn layer8_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_params, 10560)
        }
    }
    #[automatically_derived]
    impl DeepSigmoidNorm {
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
        pub fn workspace(&self) -> DeepSigmoidNormWorkspace {
            __mlp::Model::workspace(self)
        }
        /// All-zero gradients for this network.
        pub fn gradients(&self) -> DeepSigmoidNormGradients {
            DeepSigmoidNormGradients::zeros()
        }
        /// The outputs for a batch, one sample per column. Allocation-free.
        pub fn forward_batch<'w>(
            &self,
            workspace: &'w mut DeepSigmoidNormWorkspace,
            inputs: &DeepSigmoidNormBatchInput,
        ) -> __mlp::SMatrixView<'w, f32, 10, 32> {
            __mlp::forward_batch(self, workspace, inputs.as_slice())
        }
        /// The loss for one sample, regularisation included.
        pub fn loss(
            &self,
            workspace: &mut DeepSigmoidNormWorkspace,
            input: &DeepSigmoidNormInput,
            target: &DeepSigmoidNormOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, input, target)
        }
        /// The mean loss over a batch, regularisation included.
        pub fn loss_batch(
            &self,
            workspace: &mut DeepSigmoidNormWorkspace,
            inputs: &DeepSigmoidNormBatchInput,
            targets: &DeepSigmoidNormBatchOutput,
        ) -> f32 {
            __mlp::loss(self, workspace, inputs, targets)
        }
        /// Writes the gradient of one sample's loss into `grads` and returns the loss.
        /// Allocation-free.
        pub fn backward(
            &self,
            workspace: &mut DeepSigmoidNormWorkspace,
            input: &DeepSigmoidNormInput,
            target: &DeepSigmoidNormOutput,
            grads: &mut DeepSigmoidNormGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, input, target, &mut grads.__mlp_values)
        }
        /// Writes the gradient of the mean loss over a batch into `grads` and returns the
        /// loss. Allocation-free.
        pub fn backward_batch(
            &self,
            workspace: &mut DeepSigmoidNormWorkspace,
            inputs: &DeepSigmoidNormBatchInput,
            targets: &DeepSigmoidNormBatchOutput,
            grads: &mut DeepSigmoidNormGradients,
        ) -> f32 {
            __mlp::backward(self, workspace, inputs, targets, &mut grads.__mlp_values)
        }
        /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer0_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 64> {
            __mlp::matrix_mut(&mut self.__mlp_params, 0)
        }
        /// Layer 0's batch norm scale (gamma), 32 values.
        pub fn layer0_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 2048)
        }
        /// Layer 0's batch norm shift (beta), 32 values.
        pub fn layer0_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 2080)
        }
        /// Layer 0's batch norm running mean, 32 values.
        pub fn layer0_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 2112)
        }
        /// Layer 0's batch norm running variance, 32 values.
        pub fn layer0_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 2144)
        }
        /// Layer 1's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 2176)
        }
        /// Layer 1's batch norm scale (gamma), 32 values.
        pub fn layer1_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 3200)
        }
        /// Layer 1's batch norm shift (beta), 32 values.
        pub fn layer1_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 3232)
        }
        /// Layer 1's batch norm running mean, 32 values.
        pub fn layer1_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 3264)
        }
        /// Layer 1's batch norm running variance, 32 values.
        pub fn layer1_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 3296)
        }
        /// Layer 2's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer2_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 3328)
        }
        /// Layer 2's batch norm scale (gamma), 32 values.
        pub fn layer2_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 4352)
        }
        /// Layer 2's batch norm shift (beta), 32 values.
        pub fn layer2_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 4384)
        }
        /// Layer 2's batch norm running mean, 32 values.
        pub fn layer2_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 4416)
        }
        /// Layer 2's batch norm running variance, 32 values.
        pub fn layer2_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 4448)
        }
        /// Layer 3's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer3_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 4480)
        }
        /// Layer 3's batch norm scale (gamma), 32 values.
        pub fn layer3_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 5504)
        }
        /// Layer 3's batch norm shift (beta), 32 values.
        pub fn layer3_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 5536)
        }
        /// Layer 3's batch norm running mean, 32 values.
        pub fn layer3_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 5568)
        }
        /// Layer 3's batch norm running variance, 32 values.
        pub fn layer3_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 5600)
        }
        /// Layer 4's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer4_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 5632)
        }
        /// Layer 4's batch norm scale (gamma), 32 values.
        pub fn layer4_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 6656)
        }
        /// Layer 4's batch norm shift (beta), 32 values.
        pub fn layer4_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 6688)
        }
        /// Layer 4's batch norm running mean, 32 values.
        pub fn layer4_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 6720)
        }
        /// Layer 4's batch norm running variance, 32 values.
        pub fn layer4_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 6752)
        }
        /// Layer 5's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer5_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 6784)
        }
        /// Layer 5's batch norm scale (gamma), 32 values.
        pub fn layer5_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 7808)
        }
        /// Layer 5's batch norm shift (beta), 32 values.
        pub fn layer5_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 7840)
        }
        /// Layer 5's batch norm running mean, 32 values.
        pub fn layer5_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 7872)
        }
        /// Layer 5's batch norm running variance, 32 values.
        pub fn layer5_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 7904)
        }
        /// Layer 6's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer6_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 7936)
        }
        /// Layer 6's batch norm scale (gamma), 32 values.
        pub fn layer6_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 8960)
        }
        /// Layer 6's batch norm shift (beta), 32 values.
        pub fn layer6_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 8992)
        }
        /// Layer 6's batch norm running mean, 32 values.
        pub fn layer6_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 9024)
        }
        /// Layer 6's batch norm running variance, 32 values.
        pub fn layer6_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 9056)
        }
        /// Layer 7's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer7_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 32, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 9088)
        }
        /// Layer 7's batch norm scale (gamma), 32 values.
        pub fn layer7_norm_weight_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 10112)
        }
        /// Layer 7's batch norm shift (beta), 32 values.
        pub fn layer7_norm_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 10144)
        }
        /// Layer 7's batch norm running mean, 32 values.
        pub fn layer7_norm_running_mean_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 10176)
        }
        /// Layer 7's batch norm running variance, 32 values.
        pub fn layer7_norm_running_var_mut(
            &mut self,
        ) -> __mlp::SVectorViewMut<'_, f32, 32> {
            __mlp::vector_mut(&mut self.__mlp_params, 10208)
        }
        /// Layer 8's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer8_weight_mut(&mut self) -> __mlp::SMatrixViewMut<'_, f32, 10, 32> {
            __mlp::matrix_mut(&mut self.__mlp_params, 10240)
        }
        /// Layer 8's bias, 10 values.
        pub fn layer8_bias_mut(&mut self) -> __mlp::SVectorViewMut<'_, f32, 10> {
            __mlp::vector_mut(&mut self.__mlp_params, 10560)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for DeepSigmoidNorm {
        /// The same as [`Self::new`].
        fn default() -> Self {
            Self::new()
        }
    }
    #[automatically_derived]
    impl DeepSigmoidNormGradients {
        /// All-zero gradients.
        pub fn zeros() -> Self {
            DeepSigmoidNormGradients {
                __mlp_values: __mlp::zero_values(10570),
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
        /// Layer 0's batch norm scale (gamma), 32 values.
        pub fn layer0_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 2048)
        }
        /// Layer 0's batch norm shift (beta), 32 values.
        pub fn layer0_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 2080)
        }
        /// Layer 0's batch norm running mean, 32 values.
        pub fn layer0_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 2112)
        }
        /// Layer 0's batch norm running variance, 32 values.
        pub fn layer0_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 2144)
        }
        /// Layer 1's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer1_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 2176)
        }
        /// Layer 1's batch norm scale (gamma), 32 values.
        pub fn layer1_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 3200)
        }
        /// Layer 1's batch norm shift (beta), 32 values.
        pub fn layer1_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 3232)
        }
        /// Layer 1's batch norm running mean, 32 values.
        pub fn layer1_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 3264)
        }
        /// Layer 1's batch norm running variance, 32 values.
        pub fn layer1_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 3296)
        }
        /// Layer 2's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer2_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 3328)
        }
        /// Layer 2's batch norm scale (gamma), 32 values.
        pub fn layer2_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 4352)
        }
        /// Layer 2's batch norm shift (beta), 32 values.
        pub fn layer2_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 4384)
        }
        /// Layer 2's batch norm running mean, 32 values.
        pub fn layer2_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 4416)
        }
        /// Layer 2's batch norm running variance, 32 values.
        pub fn layer2_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 4448)
        }
        /// Layer 3's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer3_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 4480)
        }
        /// Layer 3's batch norm scale (gamma), 32 values.
        pub fn layer3_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 5504)
        }
        /// Layer 3's batch norm shift (beta), 32 values.
        pub fn layer3_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 5536)
        }
        /// Layer 3's batch norm running mean, 32 values.
        pub fn layer3_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 5568)
        }
        /// Layer 3's batch norm running variance, 32 values.
        pub fn layer3_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 5600)
        }
        /// Layer 4's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer4_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 5632)
        }
        /// Layer 4's batch norm scale (gamma), 32 values.
        pub fn layer4_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 6656)
        }
        /// Layer 4's batch norm shift (beta), 32 values.
        pub fn layer4_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 6688)
        }
        /// Layer 4's batch norm running mean, 32 values.
        pub fn layer4_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 6720)
        }
        /// Layer 4's batch norm running variance, 32 values.
        pub fn layer4_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 6752)
        }
        /// Layer 5's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer5_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 6784)
        }
        /// Layer 5's batch norm scale (gamma), 32 values.
        pub fn layer5_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 7808)
        }
        /// Layer 5's batch norm shift (beta), 32 values.
        pub fn layer5_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 7840)
        }
        /// Layer 5's batch norm running mean, 32 values.
        pub fn layer5_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 7872)
        }
        /// Layer 5's batch norm running variance, 32 values.
        pub fn layer5_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 7904)
        }
        /// Layer 6's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer6_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 7936)
        }
        /// Layer 6's batch norm scale (gamma), 32 values.
        pub fn layer6_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 8960)
        }
        /// Layer 6's batch norm shift (beta), 32 values.
        pub fn layer6_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 8992)
        }
        /// Layer 6's batch norm running mean, 32 values.
        pub fn layer6_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 9024)
        }
        /// Layer 6's batch norm running variance, 32 values.
        pub fn layer6_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 9056)
        }
        /// Layer 7's weight, 32 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer7_weight(&self) -> __mlp::SMatrixView<'_, f32, 32, 32> {
            __mlp::matrix(&self.__mlp_values, 9088)
        }
        /// Layer 7's batch norm scale (gamma), 32 values.
        pub fn layer7_norm_weight(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 10112)
        }
        /// Layer 7's batch norm shift (beta), 32 values.
        pub fn layer7_norm_bias(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 10144)
        }
        /// Layer 7's batch norm running mean, 32 values.
        pub fn layer7_norm_running_mean(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 10176)
        }
        /// Layer 7's batch norm running variance, 32 values.
        pub fn layer7_norm_running_var(&self) -> __mlp::SVectorView<'_, f32, 32> {
            __mlp::vector(&self.__mlp_values, 10208)
        }
        /// Layer 8's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
        pub fn layer8_weight(&self) -> __mlp::SMatrixView<'_, f32, 10, 32> {
            __mlp::matrix(&self.__mlp_values, 10240)
        }
        /// Layer 8's bias, 10 values.
        pub fn layer8_bias(&self) -> __mlp::SVectorView<'_, f32, 10> {
            __mlp::vector(&self.__mlp_values, 10560)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for DeepSigmoidNormGradients {
        fn default() -> Self {
            Self::zeros()
        }
    }
    #[automatically_derived]
    impl __mlp::Inference for DeepSigmoidNorm {
        type Float = f32;
        type Input = DeepSigmoidNormInput;
        type Output = DeepSigmoidNormOutput;
        type Inputs = __mlp::Const<64>;
        type Outputs = __mlp::Const<10>;
        type SampleTape = [f32; 2526];
        const SAMPLE_TAPE: [f32; 2526] = [0.0; 2526];
        const PARAM_COUNT: usize = 10570;
        const TAPE_UNITS: usize = 266;
        const EXTRA_COLUMNS: usize = 704;
        const EXTRA_FIXED: usize = 1024;
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: false,
                    dropout: 0f64,
                    layer: 0,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 0,
                    fixed: 0,
                });
            let l1 = __mlp::Fixed::<32, 32, C>::at(2176, 32, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 1,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 32,
                    fixed: 128,
                });
            let l2 = __mlp::Fixed::<32, 32, C>::at(3328, 64, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 2,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 128,
                    fixed: 256,
                });
            let l3 = __mlp::Fixed::<32, 32, C>::at(4480, 96, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 3,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 224,
                    fixed: 384,
                });
            let l4 = __mlp::Fixed::<32, 32, C>::at(5632, 128, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 4,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 320,
                    fixed: 512,
                });
            let l5 = __mlp::Fixed::<32, 32, C>::at(6784, 160, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 5,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 416,
                    fixed: 640,
                });
            let l6 = __mlp::Fixed::<32, 32, C>::at(7936, 192, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 6,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 512,
                    fixed: 768,
                });
            let l7 = __mlp::Fixed::<32, 32, C>::at(9088, 224, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 7,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 608,
                    fixed: 896,
                });
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(10240, 256, __mlp::SoftmaxCrossEntropy);
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
    impl __mlp::Compiled for DeepSigmoidNorm {
        type Batch = __mlp::Const<32>;
        type Shard = __mlp::Const<32>;
        const LAYOUT: &'static [__mlp::ParamSegment] = &__mlp::dense_layout::<
            42,
        >(
            64,
            &[
                (32, 1f64, true),
                (32, 1f64, true),
                (32, 1f64, true),
                (32, 1f64, true),
                (32, 1f64, true),
                (32, 1f64, true),
                (32, 1f64, true),
                (32, 1f64, true),
                (10, 1f64, false),
            ],
        );
        const REGULARIZATION: __mlp::Regularization = __mlp::Regularization {
            l2: 0f64,
            l1: 0f64,
            bias: false,
        };
        const FUSES_SGD: bool = false;
        const SHARDS: usize = 1;
        const SPEC_YAML: &'static str = "name: deep_sigmoid_norm\ninput: 64\nlayers:\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 32\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\n  batch_norm:\n    eps: 0.00001\n    momentum: 0.1\n  residual: true\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: sgd\n  lr: 0.1\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 30\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
        const CLASS_WEIGHTS: &'static [f64] = &[];
        fn buffer_mut(&mut self) -> &mut [f32] {
            &mut self.__mlp_params
        }
        fn from_params(params: __mlp::Lines<f32>) -> Self {
            DeepSigmoidNorm {
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
            >::at(10240, 256, __mlp::SoftmaxCrossEntropy);
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
            >::at(10240, 256, __mlp::SoftmaxCrossEntropy);
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
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: false,
                    dropout: 0f64,
                    layer: 0,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 0,
                    fixed: 0,
                });
            let l1 = __mlp::Fixed::<32, 32, C>::at(2176, 32, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 1,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 32,
                    fixed: 128,
                });
            let l2 = __mlp::Fixed::<32, 32, C>::at(3328, 64, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 2,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 128,
                    fixed: 256,
                });
            let l3 = __mlp::Fixed::<32, 32, C>::at(4480, 96, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 3,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 224,
                    fixed: 384,
                });
            let l4 = __mlp::Fixed::<32, 32, C>::at(5632, 128, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 4,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 320,
                    fixed: 512,
                });
            let l5 = __mlp::Fixed::<32, 32, C>::at(6784, 160, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 5,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 416,
                    fixed: 640,
                });
            let l6 = __mlp::Fixed::<32, 32, C>::at(7936, 192, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 6,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 512,
                    fixed: 768,
                });
            let l7 = __mlp::Fixed::<32, 32, C>::at(9088, 224, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 7,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 608,
                    fixed: 896,
                });
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(10240, 256, __mlp::SoftmaxCrossEntropy);
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
        fn update_statistics<C: __mlp::DimName>(
            params: &mut [Self::Float],
            tape: &mut [Self::Float],
            valid: usize,
        ) {
            let l0 = __mlp::Fixed::<64, 32, C>::at(0, 0, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: false,
                    dropout: 0f64,
                    layer: 0,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 0,
                    fixed: 0,
                });
            let l1 = __mlp::Fixed::<32, 32, C>::at(2176, 32, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 1,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 32,
                    fixed: 128,
                });
            let l2 = __mlp::Fixed::<32, 32, C>::at(3328, 64, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 2,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 128,
                    fixed: 256,
                });
            let l3 = __mlp::Fixed::<32, 32, C>::at(4480, 96, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 3,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 224,
                    fixed: 384,
                });
            let l4 = __mlp::Fixed::<32, 32, C>::at(5632, 128, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 4,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 320,
                    fixed: 512,
                });
            let l5 = __mlp::Fixed::<32, 32, C>::at(6784, 160, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 5,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 416,
                    fixed: 640,
                });
            let l6 = __mlp::Fixed::<32, 32, C>::at(7936, 192, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 6,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 512,
                    fixed: 768,
                });
            let l7 = __mlp::Fixed::<32, 32, C>::at(9088, 224, __mlp::Sigmoid)
                .decorated(__mlp::Decorated {
                    norm: ::core::option::Option::Some(__mlp::Norm {
                        eps: 0.00001f64,
                        momentum: 0.1f64,
                    }),
                    residual: true,
                    dropout: 0f64,
                    layer: 7,
                    tape_units: 266,
                    extra_columns: 704,
                    column: 608,
                    fixed: 896,
                });
            let l8 = __mlp::Fixed::<
                32,
                10,
                C,
            >::at(10240, 256, __mlp::SoftmaxCrossEntropy);
            l0.update_statistics(params, tape, valid);
            l1.update_statistics(params, tape, valid);
            l2.update_statistics(params, tape, valid);
            l3.update_statistics(params, tape, valid);
            l4.update_statistics(params, tape, valid);
            l5.update_statistics(params, tape, valid);
            l6.update_statistics(params, tape, valid);
            l7.update_statistics(params, tape, valid);
        }
    }
};
const _: &[u8] = ::core::include_bytes!("specs/deep_sigmoid_norm.yaml");
