/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 784-128-10 network, 101770 parameters, `f32`, loss `cross_entropy`.
pub struct Mnist {
    __mlp_params: ::mlp_runtime::__private::Box<[f32]>,
}
/// One input sample of [`Mnist`]: 784 features.
pub type MnistInput = ::mlp_runtime::__private::nalgebra::SVector<f32, 784>;
/// One output (or target) sample of [`Mnist`]: 10 values.
pub type MnistOutput = ::mlp_runtime::__private::nalgebra::SVector<f32, 10>;
/// A batch of inputs of [`Mnist`]: 784 features by 32 samples, one sample per column.
pub type MnistBatchInput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 784, 32>;
/// A batch of outputs (or targets) of [`Mnist`]: 10 values by 32 samples.
pub type MnistBatchOutput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 10, 32>;
/// Gradients of the parameters of [`Mnist`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct MnistGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
#[automatically_derived]
impl MnistGradients {
    /// All-zero gradients.
    pub fn zeros() -> Self {
        MnistGradients {
            __mlp_values: ::mlp_runtime::__private::zeros(101770),
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
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 128, 784> {
        ::mlp_runtime::__private::matrix::<f32, 128, 784>(&self.__mlp_values, 0)
    }
    /// Layer 0's bias, 128 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 128> {
        ::mlp_runtime::__private::vector::<f32, 128>(&self.__mlp_values, 100352)
    }
    /// Layer 1's weight, 10 x 128 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 10, 128> {
        ::mlp_runtime::__private::matrix::<f32, 10, 128>(&self.__mlp_values, 100480)
    }
    /// Layer 1's bias, 10 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 10> {
        ::mlp_runtime::__private::vector::<f32, 10>(&self.__mlp_values, 101760)
    }
}
#[automatically_derived]
impl ::core::default::Default for MnistGradients {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::core::clone::Clone for Mnist {
    fn clone(&self) -> Self {
        Mnist {
            __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params),
        }
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
impl Mnist {
    /// A network with the weights of the spec's `init` section, drawn with its seed.
    pub fn new() -> Self {
        Self::with_seed(Self::__MLP_SEED)
    }
    /// A network initialised as the spec says, but with another seed.
    pub fn with_seed(seed: u64) -> Self {
        let mut params = ::mlp_runtime::__private::zeros(101770);
        ::mlp_runtime::__private::initialize(
            &mut params,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_WEIGHT_INIT,
            Self::__MLP_BIAS_INIT,
            seed,
        );
        Mnist { __mlp_params: params }
    }
    /// A network whose parameters are all zero.
    pub fn zeros() -> Self {
        Mnist {
            __mlp_params: ::mlp_runtime::__private::zeros(101770),
        }
    }
    /// All-zero gradients for this network.
    pub fn gradients(&self) -> MnistGradients {
        MnistGradients::zeros()
    }
    /// Layer 0's weight, 128 x 784 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 128, 784> {
        ::mlp_runtime::__private::matrix::<f32, 128, 784>(&self.__mlp_params, 0)
    }
    /// Layer 0's bias, 128 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 128> {
        ::mlp_runtime::__private::vector::<f32, 128>(&self.__mlp_params, 100352)
    }
    /// Layer 0's weight, 128 x 784 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 128, 784> {
        ::mlp_runtime::__private::matrix_mut::<f32, 128, 784>(&mut self.__mlp_params, 0)
    }
    /// Layer 0's bias, 128 values.
    pub fn layer0_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 128> {
        ::mlp_runtime::__private::vector_mut::<f32, 128>(&mut self.__mlp_params, 100352)
    }
    /// Layer 1's weight, 10 x 128 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 10, 128> {
        ::mlp_runtime::__private::matrix::<f32, 10, 128>(&self.__mlp_params, 100480)
    }
    /// Layer 1's bias, 10 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 10> {
        ::mlp_runtime::__private::vector::<f32, 10>(&self.__mlp_params, 101760)
    }
    /// Layer 1's weight, 10 x 128 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 10, 128> {
        ::mlp_runtime::__private::matrix_mut::<
            f32,
            10,
            128,
        >(&mut self.__mlp_params, 100480)
    }
    /// Layer 1's bias, 10 values.
    pub fn layer1_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 10> {
        ::mlp_runtime::__private::vector_mut::<f32, 10>(&mut self.__mlp_params, 101760)
    }
}
#[automatically_derived]
impl Mnist {
    /// Number of input features.
    pub const INPUTS: usize = 784;
    /// Number of outputs.
    pub const OUTPUTS: usize = 10;
    /// The static batch size of the batched code (the spec's `batch_size`).
    pub const BATCH_SIZE: usize = 32;
    /// Number of parameters (weights and biases).
    pub const PARAM_COUNT: usize = 101770;
    /// Bytes of the parameters.
    pub const PARAM_BYTES: usize = 407080;
    /// Bytes of optimizer state for `adam` (2 buffer(s) the size of the parameters).
    pub const OPTIMIZER_STATE_BYTES: usize = 814160;
    /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
    pub const ACTIVATION_BYTES: usize = 52992;
    const __MLP_LAYOUT: [::mlp_runtime::__private::ParamSegment; 4] = [
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 0,
            rows: 128,
            cols: 784,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 100352,
            rows: 128,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 100480,
            rows: 10,
            cols: 128,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 101760,
            rows: 10,
            cols: 1,
            lr_scale: 1f64,
        },
    ];
    const __MLP_WEIGHT_INIT: [::mlp_runtime::__private::InitScheme; 2] = [
        ::mlp_runtime::__private::InitScheme::HeNormal,
        ::mlp_runtime::__private::InitScheme::XavierUniform,
    ];
    const __MLP_BIAS_INIT: ::mlp_runtime::__private::InitScheme = ::mlp_runtime::__private::InitScheme::Zeros;
    const __MLP_SEED: u64 = 1u64;
    const __MLP_REGULARIZATION: ::mlp_runtime::__private::Regularization = ::mlp_runtime::__private::Regularization {
        l2: 0f64,
        l1: 0f64,
        bias: false,
    };
    const __MLP_SPEC_YAML: &'static str = "name: mnist\ninput: 784\nlayers:\n- units: 128\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: adam\n  lr: 0.001\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-8\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 1\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 100\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
}
/// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
#[doc(hidden)]
pub struct __MlpMnistTape<T, const C: usize> {
    z0: ::mlp_runtime::__private::HeapMatrix<T, 128, C>,
    a0: ::mlp_runtime::__private::HeapMatrix<T, 128, C>,
    d0: ::mlp_runtime::__private::HeapMatrix<T, 128, C>,
    z1: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
    a1: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
    d1: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
}
#[automatically_derived]
impl<T: ::mlp_runtime::__private::Float, const C: usize> __MlpMnistTape<T, C> {
    fn __mlp_new() -> Self {
        __MlpMnistTape {
            z0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            z1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d1: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
/// Preallocated buffers for the batched passes of [`Mnist`]; create one with [`Mnist::workspace`] and reuse it.
pub struct MnistWorkspace {
    __mlp_single: __MlpMnistTape<f32, 1>,
    __mlp_batch: __MlpMnistTape<f32, 32>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    __mlp_padded: ::mlp_runtime::__private::HeapMatrix<f32, 784, 32>,
}
#[automatically_derived]
impl Mnist {
    /// Allocates the buffers the batched passes need; reuse it across calls.
    pub fn workspace(&self) -> MnistWorkspace {
        MnistWorkspace {
            __mlp_single: __MlpMnistTape::__mlp_new(),
            __mlp_batch: __MlpMnistTape::__mlp_new(),
            __mlp_padded: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
#[automatically_derived]
impl Mnist {
    /// The output for one input. Allocation-free; needs no workspace.
    pub fn forward(&self, input: &MnistInput) -> MnistOutput {
        let params: &[f32] = &self.__mlp_params;
        let mut z0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 128>::zeros();
        let mut a0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 128>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            784,
            128,
            1,
        >(&params[0..100480], input.as_slice(), z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            128,
            z0.as_slice(),
            a0.as_mut_slice(),
        );
        let mut z1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 10>::zeros();
        let mut a1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 10>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            128,
            10,
            1,
        >(&params[100480..101770], a0.as_slice(), z1.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            z1.as_slice(),
            a1.as_mut_slice(),
        );
        a1
    }
    #[inline(always)]
    fn __mlp_forward<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        tape: &mut __MlpMnistTape<T, C>,
    ) {
        ::mlp_runtime::__private::dense::forward::<
            T,
            784,
            128,
            C,
        >(&params[0..100480], inputs, tape.z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            128,
            tape.z0.as_slice(),
            tape.a0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            128,
            10,
            C,
        >(&params[100480..101770], tape.a0.as_slice(), tape.z1.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z1.as_slice(),
            tape.a1.as_mut_slice(),
        );
    }
    fn __mlp_loss<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        targets: &[T],
        valid: usize,
        tape: &mut __MlpMnistTape<T, C>,
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
        );
        loss
            + ::mlp_runtime::__private::penalty(
                params,
                &Self::__MLP_LAYOUT,
                &Self::__MLP_REGULARIZATION,
            )
    }
    #[inline(always)]
    fn __mlp_backward<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        targets: &[T],
        valid: usize,
        tape: &mut __MlpMnistTape<T, C>,
        grads: &mut [T],
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
        );
        ::mlp_runtime::__private::Head::delta(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            10,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
            tape.d1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            128,
            10,
            C,
        >(tape.d1.as_slice(), tape.a0.as_slice(), &mut grads[100480..101770]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            128,
            10,
            C,
        >(&params[100480..101770], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            128,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            784,
            128,
            C,
        >(tape.d0.as_slice(), inputs, &mut grads[0..100480]);
        ::mlp_runtime::__private::add_penalty_gradient(
            params,
            grads,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_REGULARIZATION,
        );
        loss
            + ::mlp_runtime::__private::penalty(
                params,
                &Self::__MLP_LAYOUT,
                &Self::__MLP_REGULARIZATION,
            )
    }
}
#[automatically_derived]
impl Mnist {
    /// The outputs for a batch, one sample per column. Allocation-free.
    pub fn forward_batch<'w>(
        &self,
        workspace: &'w mut MnistWorkspace,
        inputs: &MnistBatchInput,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'w, f32, 10, 32> {
        let view = inputs.as_slice();
        Self::__mlp_forward::<
            f32,
            32,
        >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
        workspace.__mlp_batch.a1.view()
    }
    /// The loss for one sample, regularisation included.
    pub fn loss(
        &self,
        workspace: &mut MnistWorkspace,
        input: &MnistInput,
        target: &MnistOutput,
    ) -> f32 {
        let view = input.as_slice();
        Self::__mlp_loss::<
            f32,
            1,
        >(&self.__mlp_params, view, target.as_slice(), 1, &mut workspace.__mlp_single)
    }
    /// The mean loss over a batch, regularisation included.
    pub fn loss_batch(
        &self,
        workspace: &mut MnistWorkspace,
        inputs: &MnistBatchInput,
        targets: &MnistBatchOutput,
    ) -> f32 {
        let view = inputs.as_slice();
        Self::__mlp_loss::<
            f32,
            32,
        >(&self.__mlp_params, view, targets.as_slice(), 32, &mut workspace.__mlp_batch)
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
        let view = input.as_slice();
        Self::__mlp_backward::<
            f32,
            1,
        >(
            &self.__mlp_params,
            view,
            target.as_slice(),
            1,
            &mut workspace.__mlp_single,
            &mut grads.__mlp_values,
        )
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
        let view = inputs.as_slice();
        Self::__mlp_backward::<
            f32,
            32,
        >(
            &self.__mlp_params,
            view,
            targets.as_slice(),
            32,
            &mut workspace.__mlp_batch,
            &mut grads.__mlp_values,
        )
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Network for Mnist {
    type Input = MnistInput;
    type Output = MnistOutput;
    const INPUTS: usize = Mnist::INPUTS;
    const OUTPUTS: usize = Mnist::OUTPUTS;
    const BATCH_SIZE: usize = Mnist::BATCH_SIZE;
    const PARAM_COUNT: usize = Mnist::PARAM_COUNT;
    const SPEC_YAML: &'static str = Mnist::__MLP_SPEC_YAML;
    const LAYOUT: &'static [::mlp_runtime::__private::ParamSegment] = &Mnist::__MLP_LAYOUT;
    fn with_seed(seed: u64) -> Self {
        Mnist::with_seed(seed)
    }
    fn predict(&self, input: &MnistInput) -> MnistOutput {
        Mnist::forward(self, input)
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Model for Mnist {
    type Float = f32;
    type Workspace = MnistWorkspace;
    fn spec(&self) -> ::mlp_runtime::__private::Spec {
        ::mlp_runtime::__private::parse_compiled_spec(Mnist::__MLP_SPEC_YAML)
    }
    fn canonical_spec(&self) -> &str {
        Mnist::__MLP_SPEC_YAML
    }
    fn input_size(&self) -> usize {
        784
    }
    fn output_size(&self) -> usize {
        10
    }
    fn batch_size(&self) -> usize {
        32
    }
    fn layout(&self) -> &[::mlp_runtime::__private::ParamSegment] {
        &Mnist::__MLP_LAYOUT
    }
    fn params(&self) -> &[f32] {
        &self.__mlp_params
    }
    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.__mlp_params
    }
    fn workspace(&self) -> MnistWorkspace {
        Mnist::workspace(self)
    }
    fn forward_slice(
        &self,
        workspace: &mut MnistWorkspace,
        inputs: &[f32],
        count: usize,
        outputs: &mut [f32],
    ) {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        if count == 1 {
            let view = &inputs[..784];
            Self::__mlp_forward::<
                f32,
                1,
            >(&self.__mlp_params, view, &mut workspace.__mlp_single);
            outputs[..10].copy_from_slice(workspace.__mlp_single.a1.as_slice());
        } else {
            let view = Self::__mlp_batch_view(
                &mut workspace.__mlp_padded,
                inputs,
                count,
            );
            Self::__mlp_forward::<
                f32,
                32,
            >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
            let n = 10 * count;
            outputs[..n].copy_from_slice(&workspace.__mlp_batch.a1.as_slice()[..n]);
        }
    }
    fn loss_slice(
        &self,
        workspace: &mut MnistWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
    ) -> f32 {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        let targets = &targets[..10 * count];
        if count == 1 {
            let view = &inputs[..784];
            Self::__mlp_loss::<
                f32,
                1,
            >(&self.__mlp_params, view, targets, 1, &mut workspace.__mlp_single)
        } else {
            let view = Self::__mlp_batch_view(
                &mut workspace.__mlp_padded,
                inputs,
                count,
            );
            Self::__mlp_loss::<
                f32,
                32,
            >(&self.__mlp_params, view, targets, count, &mut workspace.__mlp_batch)
        }
    }
    fn loss_f64(
        &self,
        params: &[f64],
        inputs: &[f64],
        targets: &[f64],
        count: usize,
    ) -> f64 {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        let targets = &targets[..10 * count];
        let mut padded = ::mlp_runtime::__private::HeapMatrix::<f64, 784, 32>::zeros();
        let view = Self::__mlp_batch_view(&mut padded, inputs, count);
        let mut tape = __MlpMnistTape::<f64, 32>::__mlp_new();
        Self::__mlp_loss::<f64, 32>(params, view, targets, count, &mut tape)
    }
    fn backward_slice(
        &self,
        workspace: &mut MnistWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
        grads: &mut [f32],
    ) -> f32 {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        let targets = &targets[..10 * count];
        let grads = &mut grads[..Mnist::PARAM_COUNT];
        /// The pass after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a [f32],
            workspace: &'a mut MnistWorkspace,
            inputs: &'a [f32],
            targets: &'a [f32],
            count: usize,
            grads: &'a mut [f32],
        }
        impl ::mlp_runtime::__private::WidePass for Pass<'_> {
            type Output = f32;
            #[inline(always)]
            fn run(self) -> f32 {
                let Pass { params, workspace, inputs, targets, count, grads } = self;
                if count == 1 {
                    let view = &inputs[..784];
                    Mnist::__mlp_backward::<
                        f32,
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                } else {
                    let view = Mnist::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Mnist::__mlp_backward::<
                        f32,
                        32,
                    >(params, view, targets, count, &mut workspace.__mlp_batch, grads)
                }
            }
        }
        let params = &self.__mlp_params[..];
        ::mlp_runtime::__private::with_wide_registers(Pass {
            params,
            workspace,
            inputs,
            targets,
            count,
            grads,
        })
    }
}
#[automatically_derived]
impl Mnist {
    /// A full-batch view of `count` input columns: the slice itself when it holds a
    /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
    fn __mlp_batch_view<'a, T: ::mlp_runtime::__private::Float>(
        padded: &'a mut ::mlp_runtime::__private::HeapMatrix<T, 784, 32>,
        inputs: &'a [T],
        count: usize,
    ) -> &'a [T] {
        if count == 32 {
            return &inputs[..784 * 32];
        }
        let n = 784 * count;
        let buffer = padded.as_mut_slice();
        buffer[..n].copy_from_slice(&inputs[..n]);
        buffer[n..].fill(T::zero());
        padded.as_slice()
    }
}
const _: &[u8] = ::core::include_bytes!("specs/mnist.yaml");
