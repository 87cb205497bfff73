/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 4-16-16-3 network, 403 parameters, `f32`, loss `cross_entropy`.
pub struct Iris {
    __mlp_params: ::mlp_runtime::__private::Box<[f32]>,
}
/// One input sample of [`Iris`]: 4 features.
pub type IrisInput = ::mlp_runtime::__private::nalgebra::SVector<f32, 4>;
/// One output (or target) sample of [`Iris`]: 3 values.
pub type IrisOutput = ::mlp_runtime::__private::nalgebra::SVector<f32, 3>;
/// A batch of inputs of [`Iris`]: 4 features by 16 samples, one sample per column.
pub type IrisBatchInput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 4, 16>;
/// A batch of outputs (or targets) of [`Iris`]: 3 values by 16 samples.
pub type IrisBatchOutput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 3, 16>;
/// Gradients of the parameters of [`Iris`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct IrisGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
#[automatically_derived]
impl IrisGradients {
    /// All-zero gradients.
    pub fn zeros() -> Self {
        IrisGradients {
            __mlp_values: ::mlp_runtime::__private::zeros(403),
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
    /// Layer 0's weight, 16 x 4 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 16, 4> {
        ::mlp_runtime::__private::matrix::<f32, 16, 4>(&self.__mlp_values, 0)
    }
    /// Layer 0's bias, 16 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 16> {
        ::mlp_runtime::__private::vector::<f32, 16>(&self.__mlp_values, 64)
    }
    /// Layer 1's weight, 16 x 16 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 16, 16> {
        ::mlp_runtime::__private::matrix::<f32, 16, 16>(&self.__mlp_values, 80)
    }
    /// Layer 1's bias, 16 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 16> {
        ::mlp_runtime::__private::vector::<f32, 16>(&self.__mlp_values, 336)
    }
    /// Layer 2's weight, 3 x 16 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer2_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 3, 16> {
        ::mlp_runtime::__private::matrix::<f32, 3, 16>(&self.__mlp_values, 352)
    }
    /// Layer 2's bias, 3 values.
    pub fn layer2_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 3> {
        ::mlp_runtime::__private::vector::<f32, 3>(&self.__mlp_values, 400)
    }
}
#[automatically_derived]
impl ::core::default::Default for IrisGradients {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::core::clone::Clone for Iris {
    fn clone(&self) -> Self {
        Iris {
            __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params),
        }
    }
}
#[automatically_derived]
impl ::core::default::Default for Iris {
    /// The same as [`Self::new`].
    fn default() -> Self {
        Self::new()
    }
}
#[automatically_derived]
impl Iris {
    /// A network with the weights of the spec's `init` section, drawn with its seed.
    pub fn new() -> Self {
        Self::with_seed(Self::__MLP_SEED)
    }
    /// A network initialised as the spec says, but with another seed.
    pub fn with_seed(seed: u64) -> Self {
        let mut params = ::mlp_runtime::__private::zeros(403);
        ::mlp_runtime::__private::initialize(
            &mut params,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_WEIGHT_INIT,
            Self::__MLP_BIAS_INIT,
            seed,
        );
        Iris { __mlp_params: params }
    }
    /// A network whose parameters are all zero.
    pub fn zeros() -> Self {
        Iris {
            __mlp_params: ::mlp_runtime::__private::zeros(403),
        }
    }
    /// All-zero gradients for this network.
    pub fn gradients(&self) -> IrisGradients {
        IrisGradients::zeros()
    }
    /// Layer 0's weight, 16 x 4 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 16, 4> {
        ::mlp_runtime::__private::matrix::<f32, 16, 4>(&self.__mlp_params, 0)
    }
    /// Layer 0's bias, 16 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 16> {
        ::mlp_runtime::__private::vector::<f32, 16>(&self.__mlp_params, 64)
    }
    /// Layer 0's weight, 16 x 4 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 16, 4> {
        ::mlp_runtime::__private::matrix_mut::<f32, 16, 4>(&mut self.__mlp_params, 0)
    }
    /// Layer 0's bias, 16 values.
    pub fn layer0_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 16> {
        ::mlp_runtime::__private::vector_mut::<f32, 16>(&mut self.__mlp_params, 64)
    }
    /// Layer 1's weight, 16 x 16 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 16, 16> {
        ::mlp_runtime::__private::matrix::<f32, 16, 16>(&self.__mlp_params, 80)
    }
    /// Layer 1's bias, 16 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 16> {
        ::mlp_runtime::__private::vector::<f32, 16>(&self.__mlp_params, 336)
    }
    /// Layer 1's weight, 16 x 16 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 16, 16> {
        ::mlp_runtime::__private::matrix_mut::<f32, 16, 16>(&mut self.__mlp_params, 80)
    }
    /// Layer 1's bias, 16 values.
    pub fn layer1_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 16> {
        ::mlp_runtime::__private::vector_mut::<f32, 16>(&mut self.__mlp_params, 336)
    }
    /// Layer 2's weight, 3 x 16 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer2_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 3, 16> {
        ::mlp_runtime::__private::matrix::<f32, 3, 16>(&self.__mlp_params, 352)
    }
    /// Layer 2's bias, 3 values.
    pub fn layer2_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 3> {
        ::mlp_runtime::__private::vector::<f32, 3>(&self.__mlp_params, 400)
    }
    /// Layer 2's weight, 3 x 16 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer2_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 3, 16> {
        ::mlp_runtime::__private::matrix_mut::<f32, 3, 16>(&mut self.__mlp_params, 352)
    }
    /// Layer 2's bias, 3 values.
    pub fn layer2_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 3> {
        ::mlp_runtime::__private::vector_mut::<f32, 3>(&mut self.__mlp_params, 400)
    }
}
#[automatically_derived]
impl Iris {
    /// Number of input features.
    pub const INPUTS: usize = 4;
    /// Number of outputs.
    pub const OUTPUTS: usize = 3;
    /// The static batch size of the batched code (the spec's `batch_size`).
    pub const BATCH_SIZE: usize = 16;
    /// Number of parameters (weights and biases).
    pub const PARAM_COUNT: usize = 403;
    /// Bytes of the parameters.
    pub const PARAM_BYTES: usize = 1612;
    /// Bytes of optimizer state for `adam` (2 buffer(s) the size of the parameters).
    pub const OPTIMIZER_STATE_BYTES: usize = 3224;
    /// Bytes of activations kept for one training batch of 16 samples (pre-activations, activations and deltas of every layer).
    pub const ACTIVATION_BYTES: usize = 6720;
    const __MLP_LAYOUT: [::mlp_runtime::__private::ParamSegment; 6] = [
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 0,
            rows: 16,
            cols: 4,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 64,
            rows: 16,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 80,
            rows: 16,
            cols: 16,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 336,
            rows: 16,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 2,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 352,
            rows: 3,
            cols: 16,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 2,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 400,
            rows: 3,
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
    const __MLP_SEED: u64 = 0u64;
    const __MLP_REGULARIZATION: ::mlp_runtime::__private::Regularization = ::mlp_runtime::__private::Regularization {
        l2: 0f64,
        l1: 0f64,
        bias: false,
    };
    const __MLP_SPEC_YAML: &'static str = "name: iris\ninput: 4\nlayers:\n- units: 16\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 16\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 3\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: adam\n  lr: 0.01\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-8\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 16\nprecision: f32\ntraining:\n  epochs: 100\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
}
/// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
#[doc(hidden)]
pub struct __MlpIrisTape<T, const C: usize> {
    z0: ::mlp_runtime::__private::HeapMatrix<T, 16, C>,
    a0: ::mlp_runtime::__private::HeapMatrix<T, 16, C>,
    d0: ::mlp_runtime::__private::HeapMatrix<T, 16, C>,
    z1: ::mlp_runtime::__private::HeapMatrix<T, 16, C>,
    a1: ::mlp_runtime::__private::HeapMatrix<T, 16, C>,
    d1: ::mlp_runtime::__private::HeapMatrix<T, 16, C>,
    z2: ::mlp_runtime::__private::HeapMatrix<T, 3, C>,
    a2: ::mlp_runtime::__private::HeapMatrix<T, 3, C>,
    d2: ::mlp_runtime::__private::HeapMatrix<T, 3, C>,
}
#[automatically_derived]
impl<T: ::mlp_runtime::__private::Float, const C: usize> __MlpIrisTape<T, C> {
    fn __mlp_new() -> Self {
        __MlpIrisTape {
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
/// Preallocated buffers for the batched passes of [`Iris`]; create one with [`Iris::workspace`] and reuse it.
pub struct IrisWorkspace {
    __mlp_single: __MlpIrisTape<f32, 1>,
    __mlp_batch: __MlpIrisTape<f32, 16>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    __mlp_padded: ::mlp_runtime::__private::HeapMatrix<f32, 4, 16>,
}
#[automatically_derived]
impl Iris {
    /// Allocates the buffers the batched passes need; reuse it across calls.
    pub fn workspace(&self) -> IrisWorkspace {
        IrisWorkspace {
            __mlp_single: __MlpIrisTape::__mlp_new(),
            __mlp_batch: __MlpIrisTape::__mlp_new(),
            __mlp_padded: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
#[automatically_derived]
impl Iris {
    /// The output for one input. Allocation-free; needs no workspace.
    pub fn forward(&self, input: &IrisInput) -> IrisOutput {
        let params: &[f32] = &self.__mlp_params;
        let mut z0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 16>::zeros();
        let mut a0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 16>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            4,
            16,
            1,
        >(&params[0..80], input.as_slice(), z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            16,
            z0.as_slice(),
            a0.as_mut_slice(),
        );
        let mut z1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 16>::zeros();
        let mut a1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 16>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            16,
            16,
            1,
        >(&params[80..352], a0.as_slice(), z1.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            16,
            z1.as_slice(),
            a1.as_mut_slice(),
        );
        let mut z2 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 3>::zeros();
        let mut a2 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 3>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            16,
            3,
            1,
        >(&params[352..403], a1.as_slice(), z2.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            3,
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
        tape: &mut __MlpIrisTape<T, C>,
    ) {
        ::mlp_runtime::__private::dense::forward::<
            T,
            4,
            16,
            C,
        >(&params[0..80], inputs, tape.z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            16,
            tape.z0.as_slice(),
            tape.a0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            16,
            16,
            C,
        >(&params[80..352], tape.a0.as_slice(), tape.z1.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            16,
            tape.z1.as_slice(),
            tape.a1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            16,
            3,
            C,
        >(&params[352..403], tape.a1.as_slice(), tape.z2.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            3,
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
        tape: &mut __MlpIrisTape<T, C>,
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            3,
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
        tape: &mut __MlpIrisTape<T, C>,
        grads: &mut [T],
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            3,
        >(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            tape.z2.as_slice(),
            tape.a2.as_slice(),
            targets,
            valid,
        );
        ::mlp_runtime::__private::Head::delta(
            &::mlp_runtime::__private::SoftmaxCrossEntropy,
            3,
            tape.z2.as_slice(),
            tape.a2.as_slice(),
            targets,
            valid,
            tape.d2.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            16,
            3,
            C,
        >(tape.d2.as_slice(), tape.a1.as_slice(), &mut grads[352..403]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            16,
            3,
            C,
        >(&params[352..403], tape.d2.as_slice(), tape.d1.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            16,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            tape.d1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            16,
            16,
            C,
        >(tape.d1.as_slice(), tape.a0.as_slice(), &mut grads[80..352]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            16,
            16,
            C,
        >(&params[80..352], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            16,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            4,
            16,
            C,
        >(tape.d0.as_slice(), inputs, &mut grads[0..80]);
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
impl Iris {
    /// The outputs for a batch, one sample per column. Allocation-free.
    pub fn forward_batch<'w>(
        &self,
        workspace: &'w mut IrisWorkspace,
        inputs: &IrisBatchInput,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'w, f32, 3, 16> {
        let view = inputs.as_slice();
        Self::__mlp_forward::<
            f32,
            16,
        >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
        workspace.__mlp_batch.a2.view()
    }
    /// The loss for one sample, regularisation included.
    pub fn loss(
        &self,
        workspace: &mut IrisWorkspace,
        input: &IrisInput,
        target: &IrisOutput,
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
        workspace: &mut IrisWorkspace,
        inputs: &IrisBatchInput,
        targets: &IrisBatchOutput,
    ) -> f32 {
        let view = inputs.as_slice();
        Self::__mlp_loss::<
            f32,
            16,
        >(&self.__mlp_params, view, targets.as_slice(), 16, &mut workspace.__mlp_batch)
    }
    /// Writes the gradient of one sample's loss into `grads` and returns the loss.
    /// Allocation-free.
    pub fn backward(
        &self,
        workspace: &mut IrisWorkspace,
        input: &IrisInput,
        target: &IrisOutput,
        grads: &mut IrisGradients,
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
        workspace: &mut IrisWorkspace,
        inputs: &IrisBatchInput,
        targets: &IrisBatchOutput,
        grads: &mut IrisGradients,
    ) -> f32 {
        let view = inputs.as_slice();
        Self::__mlp_backward::<
            f32,
            16,
        >(
            &self.__mlp_params,
            view,
            targets.as_slice(),
            16,
            &mut workspace.__mlp_batch,
            &mut grads.__mlp_values,
        )
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Network for Iris {
    type Input = IrisInput;
    type Output = IrisOutput;
    const INPUTS: usize = Iris::INPUTS;
    const OUTPUTS: usize = Iris::OUTPUTS;
    const BATCH_SIZE: usize = Iris::BATCH_SIZE;
    const PARAM_COUNT: usize = Iris::PARAM_COUNT;
    const SPEC_YAML: &'static str = Iris::__MLP_SPEC_YAML;
    const LAYOUT: &'static [::mlp_runtime::__private::ParamSegment] = &Iris::__MLP_LAYOUT;
    fn with_seed(seed: u64) -> Self {
        Iris::with_seed(seed)
    }
    fn predict(&self, input: &IrisInput) -> IrisOutput {
        Iris::forward(self, input)
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Model for Iris {
    type Float = f32;
    type Workspace = IrisWorkspace;
    fn spec(&self) -> ::mlp_runtime::__private::Spec {
        ::mlp_runtime::__private::parse_compiled_spec(Iris::__MLP_SPEC_YAML)
    }
    fn canonical_spec(&self) -> &str {
        Iris::__MLP_SPEC_YAML
    }
    fn input_size(&self) -> usize {
        4
    }
    fn output_size(&self) -> usize {
        3
    }
    fn batch_size(&self) -> usize {
        16
    }
    fn layout(&self) -> &[::mlp_runtime::__private::ParamSegment] {
        &Iris::__MLP_LAYOUT
    }
    fn params(&self) -> &[f32] {
        &self.__mlp_params
    }
    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.__mlp_params
    }
    fn workspace(&self) -> IrisWorkspace {
        Iris::workspace(self)
    }
    fn forward_slice(
        &self,
        workspace: &mut IrisWorkspace,
        inputs: &[f32],
        count: usize,
        outputs: &mut [f32],
    ) {
        ::core::assert!(
            (1..= 16).contains(& count),
            "`count` must be between 1 and the batch size 16"
        );
        if count == 1 {
            let view = &inputs[..4];
            Self::__mlp_forward::<
                f32,
                1,
            >(&self.__mlp_params, view, &mut workspace.__mlp_single);
            outputs[..3].copy_from_slice(workspace.__mlp_single.a2.as_slice());
        } else {
            let view = Self::__mlp_batch_view(
                &mut workspace.__mlp_padded,
                inputs,
                count,
            );
            Self::__mlp_forward::<
                f32,
                16,
            >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
            let n = 3 * count;
            outputs[..n].copy_from_slice(&workspace.__mlp_batch.a2.as_slice()[..n]);
        }
    }
    fn loss_slice(
        &self,
        workspace: &mut IrisWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
    ) -> f32 {
        ::core::assert!(
            (1..= 16).contains(& count),
            "`count` must be between 1 and the batch size 16"
        );
        let targets = &targets[..3 * count];
        if count == 1 {
            let view = &inputs[..4];
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
                16,
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
            (1..= 16).contains(& count),
            "`count` must be between 1 and the batch size 16"
        );
        let targets = &targets[..3 * count];
        let mut padded = ::mlp_runtime::__private::HeapMatrix::<f64, 4, 16>::zeros();
        let view = Self::__mlp_batch_view(&mut padded, inputs, count);
        let mut tape = __MlpIrisTape::<f64, 16>::__mlp_new();
        Self::__mlp_loss::<f64, 16>(params, view, targets, count, &mut tape)
    }
    fn backward_slice(
        &self,
        workspace: &mut IrisWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
        grads: &mut [f32],
    ) -> f32 {
        ::core::assert!(
            (1..= 16).contains(& count),
            "`count` must be between 1 and the batch size 16"
        );
        let targets = &targets[..3 * count];
        let grads = &mut grads[..Iris::PARAM_COUNT];
        /// The pass after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a [f32],
            workspace: &'a mut IrisWorkspace,
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
                    let view = &inputs[..4];
                    Iris::__mlp_backward::<
                        f32,
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                } else {
                    let view = Iris::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Iris::__mlp_backward::<
                        f32,
                        16,
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
impl Iris {
    /// A full-batch view of `count` input columns: the slice itself when it holds a
    /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
    fn __mlp_batch_view<'a, T: ::mlp_runtime::__private::Float>(
        padded: &'a mut ::mlp_runtime::__private::HeapMatrix<T, 4, 16>,
        inputs: &'a [T],
        count: usize,
    ) -> &'a [T] {
        if count == 16 {
            return &inputs[..4 * 16];
        }
        let n = 4 * count;
        let buffer = padded.as_mut_slice();
        buffer[..n].copy_from_slice(&inputs[..n]);
        buffer[n..].fill(T::zero());
        padded.as_slice()
    }
}
const _: &[u8] = ::core::include_bytes!("specs/iris.yaml");
