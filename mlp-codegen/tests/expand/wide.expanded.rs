/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 256-256-256-10 network, 134154 parameters, `f32`, loss `cross_entropy`.
pub struct Wide {
    __mlp_params: ::mlp_runtime::__private::Box<[f32]>,
}
/// One input sample of [`Wide`]: 256 features.
pub type WideInput = ::mlp_runtime::__private::nalgebra::SVector<f32, 256>;
/// One output (or target) sample of [`Wide`]: 10 values.
pub type WideOutput = ::mlp_runtime::__private::nalgebra::SVector<f32, 10>;
/// A batch of inputs of [`Wide`]: 256 features by 32 samples, one sample per column.
pub type WideBatchInput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 256, 32>;
/// A batch of outputs (or targets) of [`Wide`]: 10 values by 32 samples.
pub type WideBatchOutput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 10, 32>;
/// Gradients of the parameters of [`Wide`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct WideGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
#[automatically_derived]
impl WideGradients {
    /// All-zero gradients.
    pub fn zeros() -> Self {
        WideGradients {
            __mlp_values: ::mlp_runtime::__private::zeros(134154),
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
    /// Layer 0's weight, 256 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 256, 256> {
        ::mlp_runtime::__private::matrix::<f32, 256, 256>(&self.__mlp_values, 0)
    }
    /// Layer 0's bias, 256 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 256> {
        ::mlp_runtime::__private::vector::<f32, 256>(&self.__mlp_values, 65536)
    }
    /// Layer 1's weight, 256 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 256, 256> {
        ::mlp_runtime::__private::matrix::<f32, 256, 256>(&self.__mlp_values, 65792)
    }
    /// Layer 1's bias, 256 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 256> {
        ::mlp_runtime::__private::vector::<f32, 256>(&self.__mlp_values, 131328)
    }
    /// Layer 2's weight, 10 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer2_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 10, 256> {
        ::mlp_runtime::__private::matrix::<f32, 10, 256>(&self.__mlp_values, 131584)
    }
    /// Layer 2's bias, 10 values.
    pub fn layer2_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 10> {
        ::mlp_runtime::__private::vector::<f32, 10>(&self.__mlp_values, 134144)
    }
}
#[automatically_derived]
impl ::core::default::Default for WideGradients {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::core::clone::Clone for Wide {
    fn clone(&self) -> Self {
        Wide {
            __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params),
        }
    }
}
#[automatically_derived]
impl ::core::default::Default for Wide {
    /// The same as [`Self::new`].
    fn default() -> Self {
        Self::new()
    }
}
#[automatically_derived]
impl Wide {
    /// A network with the weights of the spec's `init` section, drawn with its seed.
    pub fn new() -> Self {
        Self::with_seed(Self::__MLP_SEED)
    }
    /// A network initialised as the spec says, but with another seed.
    pub fn with_seed(seed: u64) -> Self {
        let mut params = ::mlp_runtime::__private::zeros(134154);
        ::mlp_runtime::__private::initialize(
            &mut params,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_WEIGHT_INIT,
            Self::__MLP_BIAS_INIT,
            seed,
        );
        Wide { __mlp_params: params }
    }
    /// A network whose parameters are all zero.
    pub fn zeros() -> Self {
        Wide {
            __mlp_params: ::mlp_runtime::__private::zeros(134154),
        }
    }
    /// All-zero gradients for this network.
    pub fn gradients(&self) -> WideGradients {
        WideGradients::zeros()
    }
    /// Layer 0's weight, 256 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 256, 256> {
        ::mlp_runtime::__private::matrix::<f32, 256, 256>(&self.__mlp_params, 0)
    }
    /// Layer 0's bias, 256 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 256> {
        ::mlp_runtime::__private::vector::<f32, 256>(&self.__mlp_params, 65536)
    }
    /// Layer 0's weight, 256 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 256, 256> {
        ::mlp_runtime::__private::matrix_mut::<f32, 256, 256>(&mut self.__mlp_params, 0)
    }
    /// Layer 0's bias, 256 values.
    pub fn layer0_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 256> {
        ::mlp_runtime::__private::vector_mut::<f32, 256>(&mut self.__mlp_params, 65536)
    }
    /// Layer 1's weight, 256 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 256, 256> {
        ::mlp_runtime::__private::matrix::<f32, 256, 256>(&self.__mlp_params, 65792)
    }
    /// Layer 1's bias, 256 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 256> {
        ::mlp_runtime::__private::vector::<f32, 256>(&self.__mlp_params, 131328)
    }
    /// Layer 1's weight, 256 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 256, 256> {
        ::mlp_runtime::__private::matrix_mut::<
            f32,
            256,
            256,
        >(&mut self.__mlp_params, 65792)
    }
    /// Layer 1's bias, 256 values.
    pub fn layer1_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 256> {
        ::mlp_runtime::__private::vector_mut::<f32, 256>(&mut self.__mlp_params, 131328)
    }
    /// Layer 2's weight, 10 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer2_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 10, 256> {
        ::mlp_runtime::__private::matrix::<f32, 10, 256>(&self.__mlp_params, 131584)
    }
    /// Layer 2's bias, 10 values.
    pub fn layer2_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 10> {
        ::mlp_runtime::__private::vector::<f32, 10>(&self.__mlp_params, 134144)
    }
    /// Layer 2's weight, 10 x 256 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer2_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 10, 256> {
        ::mlp_runtime::__private::matrix_mut::<
            f32,
            10,
            256,
        >(&mut self.__mlp_params, 131584)
    }
    /// Layer 2's bias, 10 values.
    pub fn layer2_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 10> {
        ::mlp_runtime::__private::vector_mut::<f32, 10>(&mut self.__mlp_params, 134144)
    }
}
#[automatically_derived]
impl Wide {
    /// Number of input features.
    pub const INPUTS: usize = 256;
    /// Number of outputs.
    pub const OUTPUTS: usize = 10;
    /// The static batch size of the batched code (the spec's `batch_size`).
    pub const BATCH_SIZE: usize = 32;
    /// Number of parameters (weights and biases).
    pub const PARAM_COUNT: usize = 134154;
    /// Bytes of the parameters.
    pub const PARAM_BYTES: usize = 536616;
    /// Bytes of optimizer state for `adam` (2 buffer(s) the size of the parameters).
    pub const OPTIMIZER_STATE_BYTES: usize = 1073232;
    /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
    pub const ACTIVATION_BYTES: usize = 200448;
    const __MLP_LAYOUT: [::mlp_runtime::__private::ParamSegment; 6] = [
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 0,
            rows: 256,
            cols: 256,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 65536,
            rows: 256,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 65792,
            rows: 256,
            cols: 256,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 131328,
            rows: 256,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 2,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 131584,
            rows: 10,
            cols: 256,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 2,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 134144,
            rows: 10,
            cols: 1,
            lr_scale: 1f64,
        },
    ];
    const __MLP_WEIGHT_INIT: [::mlp_runtime::__private::InitScheme; 3] = [
        ::mlp_runtime::__private::InitScheme::HeNormal,
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
    const __MLP_SPEC_YAML: &'static str = "name: wide\ninput: 256\nlayers:\n- units: 256\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 256\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: adam\n  lr: 0.001\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-8\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 1\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 100\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
}
/// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
#[doc(hidden)]
pub struct __MlpWideTape<T, const C: usize> {
    z0: ::mlp_runtime::__private::HeapMatrix<T, 256, C>,
    a0: ::mlp_runtime::__private::HeapMatrix<T, 256, C>,
    d0: ::mlp_runtime::__private::HeapMatrix<T, 256, C>,
    z1: ::mlp_runtime::__private::HeapMatrix<T, 256, C>,
    a1: ::mlp_runtime::__private::HeapMatrix<T, 256, C>,
    d1: ::mlp_runtime::__private::HeapMatrix<T, 256, C>,
    z2: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
    a2: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
    d2: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
}
#[automatically_derived]
impl<T: ::mlp_runtime::__private::Float, const C: usize> __MlpWideTape<T, C> {
    fn __mlp_new() -> Self {
        __MlpWideTape {
            z0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            z1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            z2: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a2: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d2: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
/// Preallocated buffers for the batched passes of [`Wide`]; create one with [`Wide::workspace`] and reuse it.
pub struct WideWorkspace {
    __mlp_single: __MlpWideTape<f32, 1>,
    __mlp_batch: __MlpWideTape<f32, 32>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    __mlp_padded: ::mlp_runtime::__private::HeapMatrix<f32, 256, 32>,
}
#[automatically_derived]
impl Wide {
    /// Allocates the buffers the batched passes need; reuse it across calls.
    pub fn workspace(&self) -> WideWorkspace {
        WideWorkspace {
            __mlp_single: __MlpWideTape::__mlp_new(),
            __mlp_batch: __MlpWideTape::__mlp_new(),
            __mlp_padded: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
#[automatically_derived]
impl Wide {
    /// The output for one input. Allocation-free; needs no workspace.
    pub fn forward(&self, input: &WideInput) -> WideOutput {
        let params: &[f32] = &self.__mlp_params;
        let mut z0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 256>::zeros();
        let mut a0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 256>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            256,
            256,
            1,
        >(&params[0..65792], input.as_slice(), z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            256,
            z0.as_slice(),
            a0.as_mut_slice(),
        );
        let mut z1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 256>::zeros();
        let mut a1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 256>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            256,
            256,
            1,
        >(&params[65792..131584], a0.as_slice(), z1.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            256,
            z1.as_slice(),
            a1.as_mut_slice(),
        );
        let mut z2 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 10>::zeros();
        let mut a2 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 10>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            256,
            10,
            1,
        >(&params[131584..134154], a1.as_slice(), z2.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            z2.as_slice(),
            a2.as_mut_slice(),
        );
        a2
    }
    #[inline(always)]
    fn __mlp_forward<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        tape: &mut __MlpWideTape<T, C>,
    ) {
        ::mlp_runtime::__private::dense::forward::<
            T,
            256,
            256,
            C,
        >(&params[0..65792], inputs, tape.z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            256,
            tape.z0.as_slice(),
            tape.a0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            256,
            256,
            C,
        >(&params[65792..131584], tape.a0.as_slice(), tape.z1.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            256,
            tape.z1.as_slice(),
            tape.a1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            256,
            10,
            C,
        >(&params[131584..134154], tape.a1.as_slice(), tape.z2.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z2.as_slice(),
            tape.a2.as_mut_slice(),
        );
    }
    fn __mlp_loss<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        targets: &[T],
        valid: usize,
        tape: &mut __MlpWideTape<T, C>,
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z2.as_slice(),
            tape.a2.as_slice(),
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
        tape: &mut __MlpWideTape<T, C>,
        grads: &mut [T],
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            10,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z2.as_slice(),
            tape.a2.as_slice(),
            targets,
            valid,
        );
        ::mlp_runtime::__private::Head::delta(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            10,
            tape.z2.as_slice(),
            tape.a2.as_slice(),
            targets,
            valid,
            tape.d2.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            256,
            10,
            C,
        >(tape.d2.as_slice(), tape.a1.as_slice(), &mut grads[131584..134154]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            256,
            10,
            C,
        >(&params[131584..134154], tape.d2.as_slice(), tape.d1.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            256,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            tape.d1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            256,
            256,
            C,
        >(tape.d1.as_slice(), tape.a0.as_slice(), &mut grads[65792..131584]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            256,
            256,
            C,
        >(&params[65792..131584], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            256,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            256,
            256,
            C,
        >(tape.d0.as_slice(), inputs, &mut grads[0..65792]);
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
impl Wide {
    /// The outputs for a batch, one sample per column. Allocation-free.
    pub fn forward_batch<'w>(
        &self,
        workspace: &'w mut WideWorkspace,
        inputs: &WideBatchInput,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'w, f32, 10, 32> {
        let view = inputs.as_slice();
        Self::__mlp_forward::<
            f32,
            32,
        >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
        workspace.__mlp_batch.a2.view()
    }
    /// The loss for one sample, regularisation included.
    pub fn loss(
        &self,
        workspace: &mut WideWorkspace,
        input: &WideInput,
        target: &WideOutput,
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
        workspace: &mut WideWorkspace,
        inputs: &WideBatchInput,
        targets: &WideBatchOutput,
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
        workspace: &mut WideWorkspace,
        input: &WideInput,
        target: &WideOutput,
        grads: &mut WideGradients,
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
        workspace: &mut WideWorkspace,
        inputs: &WideBatchInput,
        targets: &WideBatchOutput,
        grads: &mut WideGradients,
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
impl ::mlp_runtime::__private::Network for Wide {
    type Input = WideInput;
    type Output = WideOutput;
    const INPUTS: usize = Wide::INPUTS;
    const OUTPUTS: usize = Wide::OUTPUTS;
    const BATCH_SIZE: usize = Wide::BATCH_SIZE;
    const PARAM_COUNT: usize = Wide::PARAM_COUNT;
    const SPEC_YAML: &'static str = Wide::__MLP_SPEC_YAML;
    const LAYOUT: &'static [::mlp_runtime::__private::ParamSegment] = &Wide::__MLP_LAYOUT;
    fn with_seed(seed: u64) -> Self {
        Wide::with_seed(seed)
    }
    fn predict(&self, input: &WideInput) -> WideOutput {
        Wide::forward(self, input)
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Model for Wide {
    type Float = f32;
    type Workspace = WideWorkspace;
    fn spec(&self) -> ::mlp_runtime::__private::Spec {
        ::mlp_runtime::__private::parse_compiled_spec(Wide::__MLP_SPEC_YAML)
    }
    fn canonical_spec(&self) -> &str {
        Wide::__MLP_SPEC_YAML
    }
    fn input_size(&self) -> usize {
        256
    }
    fn output_size(&self) -> usize {
        10
    }
    fn batch_size(&self) -> usize {
        32
    }
    fn layout(&self) -> &[::mlp_runtime::__private::ParamSegment] {
        &Wide::__MLP_LAYOUT
    }
    fn params(&self) -> &[f32] {
        &self.__mlp_params
    }
    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.__mlp_params
    }
    fn workspace(&self) -> WideWorkspace {
        Wide::workspace(self)
    }
    fn forward_slice(
        &self,
        workspace: &mut WideWorkspace,
        inputs: &[f32],
        count: usize,
        outputs: &mut [f32],
    ) {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        if count == 1 {
            let view = &inputs[..256];
            Self::__mlp_forward::<
                f32,
                1,
            >(&self.__mlp_params, view, &mut workspace.__mlp_single);
            outputs[..10].copy_from_slice(workspace.__mlp_single.a2.as_slice());
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
            outputs[..n].copy_from_slice(&workspace.__mlp_batch.a2.as_slice()[..n]);
        }
    }
    fn loss_slice(
        &self,
        workspace: &mut WideWorkspace,
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
            let view = &inputs[..256];
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
        let mut padded = ::mlp_runtime::__private::HeapMatrix::<f64, 256, 32>::zeros();
        let view = Self::__mlp_batch_view(&mut padded, inputs, count);
        let mut tape = __MlpWideTape::<f64, 32>::__mlp_new();
        Self::__mlp_loss::<f64, 32>(params, view, targets, count, &mut tape)
    }
    fn backward_slice(
        &self,
        workspace: &mut WideWorkspace,
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
        let grads = &mut grads[..Wide::PARAM_COUNT];
        /// The pass after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a [f32],
            workspace: &'a mut WideWorkspace,
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
                    let view = &inputs[..256];
                    Wide::__mlp_backward::<
                        f32,
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                } else {
                    let view = Wide::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Wide::__mlp_backward::<
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
impl Wide {
    /// A full-batch view of `count` input columns: the slice itself when it holds a
    /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
    fn __mlp_batch_view<'a, T: ::mlp_runtime::__private::Float>(
        padded: &'a mut ::mlp_runtime::__private::HeapMatrix<T, 256, 32>,
        inputs: &'a [T],
        count: usize,
    ) -> &'a [T] {
        if count == 32 {
            return &inputs[..256 * 32];
        }
        let n = 256 * count;
        let buffer = padded.as_mut_slice();
        buffer[..n].copy_from_slice(&inputs[..n]);
        buffer[n..].fill(T::zero());
        padded.as_slice()
    }
}
const _: &[u8] = ::core::include_bytes!("specs/wide.yaml");
