/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 2-8-1 network, 33 parameters, `f32`, loss `bce`.
pub struct Xor {
    __mlp_params: ::mlp_runtime::__private::Box<[f32]>,
}
/// One input sample of [`Xor`]: 2 features.
pub type XorInput = ::mlp_runtime::__private::nalgebra::SVector<f32, 2>;
/// One output (or target) sample of [`Xor`]: 1 value.
pub type XorOutput = ::mlp_runtime::__private::nalgebra::SVector<f32, 1>;
/// A batch of inputs of [`Xor`]: 2 features by 4 samples, one sample per column.
pub type XorBatchInput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 2, 4>;
/// A batch of outputs (or targets) of [`Xor`]: 1 value by 4 samples.
pub type XorBatchOutput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 1, 4>;
/// Gradients of the parameters of [`Xor`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct XorGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
#[automatically_derived]
impl XorGradients {
    /// All-zero gradients.
    pub fn zeros() -> Self {
        XorGradients {
            __mlp_values: ::mlp_runtime::__private::zeros(33),
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
    /// Layer 0's weight, 8 x 2 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 8, 2> {
        ::mlp_runtime::__private::matrix::<f32, 8, 2>(&self.__mlp_values, 0)
    }
    /// Layer 0's bias, 8 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 8> {
        ::mlp_runtime::__private::vector::<f32, 8>(&self.__mlp_values, 16)
    }
    /// Layer 1's weight, 1 x 8 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 1, 8> {
        ::mlp_runtime::__private::matrix::<f32, 1, 8>(&self.__mlp_values, 24)
    }
    /// Layer 1's bias, 1 value.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 1> {
        ::mlp_runtime::__private::vector::<f32, 1>(&self.__mlp_values, 32)
    }
}
#[automatically_derived]
impl ::core::default::Default for XorGradients {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::core::clone::Clone for Xor {
    fn clone(&self) -> Self {
        Xor {
            __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params),
        }
    }
}
#[automatically_derived]
impl ::core::default::Default for Xor {
    /// The same as [`Self::new`].
    fn default() -> Self {
        Self::new()
    }
}
#[automatically_derived]
impl Xor {
    /// A network with the weights of the spec's `init` section, drawn with its seed.
    pub fn new() -> Self {
        Self::with_seed(Self::__MLP_SEED)
    }
    /// A network initialised as the spec says, but with another seed.
    pub fn with_seed(seed: u64) -> Self {
        let mut params = ::mlp_runtime::__private::zeros(33);
        ::mlp_runtime::__private::initialize(
            &mut params,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_WEIGHT_INIT,
            Self::__MLP_BIAS_INIT,
            seed,
        );
        Xor { __mlp_params: params }
    }
    /// A network whose parameters are all zero.
    pub fn zeros() -> Self {
        Xor {
            __mlp_params: ::mlp_runtime::__private::zeros(33),
        }
    }
    /// All-zero gradients for this network.
    pub fn gradients(&self) -> XorGradients {
        XorGradients::zeros()
    }
    /// Layer 0's weight, 8 x 2 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 8, 2> {
        ::mlp_runtime::__private::matrix::<f32, 8, 2>(&self.__mlp_params, 0)
    }
    /// Layer 0's bias, 8 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 8> {
        ::mlp_runtime::__private::vector::<f32, 8>(&self.__mlp_params, 16)
    }
    /// Layer 0's weight, 8 x 2 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 8, 2> {
        ::mlp_runtime::__private::matrix_mut::<f32, 8, 2>(&mut self.__mlp_params, 0)
    }
    /// Layer 0's bias, 8 values.
    pub fn layer0_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 8> {
        ::mlp_runtime::__private::vector_mut::<f32, 8>(&mut self.__mlp_params, 16)
    }
    /// Layer 1's weight, 1 x 8 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 1, 8> {
        ::mlp_runtime::__private::matrix::<f32, 1, 8>(&self.__mlp_params, 24)
    }
    /// Layer 1's bias, 1 value.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 1> {
        ::mlp_runtime::__private::vector::<f32, 1>(&self.__mlp_params, 32)
    }
    /// Layer 1's weight, 1 x 8 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 1, 8> {
        ::mlp_runtime::__private::matrix_mut::<f32, 1, 8>(&mut self.__mlp_params, 24)
    }
    /// Layer 1's bias, 1 value.
    pub fn layer1_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 1> {
        ::mlp_runtime::__private::vector_mut::<f32, 1>(&mut self.__mlp_params, 32)
    }
}
#[automatically_derived]
impl Xor {
    /// Number of input features.
    pub const INPUTS: usize = 2;
    /// Number of outputs.
    pub const OUTPUTS: usize = 1;
    /// The static batch size of the batched code (the spec's `batch_size`).
    pub const BATCH_SIZE: usize = 4;
    /// Number of parameters (weights and biases).
    pub const PARAM_COUNT: usize = 33;
    /// Bytes of the parameters.
    pub const PARAM_BYTES: usize = 132;
    /// Bytes of optimizer state for `sgd` (0 buffer(s) the size of the parameters).
    pub const OPTIMIZER_STATE_BYTES: usize = 0;
    /// Bytes of activations kept for one training batch of 4 samples (pre-activations, activations and deltas of every layer).
    pub const ACTIVATION_BYTES: usize = 432;
    const __MLP_LAYOUT: [::mlp_runtime::__private::ParamSegment; 4] = [
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 0,
            rows: 8,
            cols: 2,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 16,
            rows: 8,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 24,
            rows: 1,
            cols: 8,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 32,
            rows: 1,
            cols: 1,
            lr_scale: 1f64,
        },
    ];
    const __MLP_WEIGHT_INIT: [::mlp_runtime::__private::InitScheme; 2] = [
        ::mlp_runtime::__private::InitScheme::XavierUniform,
        ::mlp_runtime::__private::InitScheme::XavierUniform,
    ];
    const __MLP_BIAS_INIT: ::mlp_runtime::__private::InitScheme = ::mlp_runtime::__private::InitScheme::Zeros;
    const __MLP_SEED: u64 = 0u64;
    const __MLP_REGULARIZATION: ::mlp_runtime::__private::Regularization = ::mlp_runtime::__private::Regularization {
        l2: 0f64,
        l1: 0f64,
        bias: false,
    };
    const __MLP_SPEC_YAML: &'static str = "name: xor\ninput: 2\nlayers:\n- units: 8\n  activation:\n    kind: tanh\n  lr_scale: 1.0\n- units: 1\n  activation:\n    kind: sigmoid\n  lr_scale: 1.0\nloss:\n  kind: bce\noptimizer:\n  kind: sgd\n  lr: 0.5\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 4\nprecision: f32\ntraining:\n  epochs: 2000\n  shuffle: false\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
}
/// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
#[doc(hidden)]
pub struct __MlpXorTape<T, const C: usize> {
    z0: ::mlp_runtime::__private::HeapMatrix<T, 8, C>,
    a0: ::mlp_runtime::__private::HeapMatrix<T, 8, C>,
    d0: ::mlp_runtime::__private::HeapMatrix<T, 8, C>,
    z1: ::mlp_runtime::__private::HeapMatrix<T, 1, C>,
    a1: ::mlp_runtime::__private::HeapMatrix<T, 1, C>,
    d1: ::mlp_runtime::__private::HeapMatrix<T, 1, C>,
}
#[automatically_derived]
impl<T: ::mlp_runtime::__private::Float, const C: usize> __MlpXorTape<T, C> {
    fn __mlp_new() -> Self {
        __MlpXorTape {
            z0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            z1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d1: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
/// Preallocated buffers for the batched passes of [`Xor`]; create one with [`Xor::workspace`] and reuse it.
pub struct XorWorkspace {
    __mlp_single: __MlpXorTape<f32, 1>,
    __mlp_batch: __MlpXorTape<f32, 4>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    __mlp_padded: ::mlp_runtime::__private::HeapMatrix<f32, 2, 4>,
}
#[automatically_derived]
impl Xor {
    /// Allocates the buffers the batched passes need; reuse it across calls.
    pub fn workspace(&self) -> XorWorkspace {
        XorWorkspace {
            __mlp_single: __MlpXorTape::__mlp_new(),
            __mlp_batch: __MlpXorTape::__mlp_new(),
            __mlp_padded: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
#[automatically_derived]
impl Xor {
    /// The output for one input. Allocation-free; needs no workspace.
    pub fn forward(&self, input: &XorInput) -> XorOutput {
        let params: &[f32] = &self.__mlp_params;
        let mut z0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 8>::zeros();
        let mut a0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 8>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            2,
            8,
            1,
        >(&params[0..24], input.as_slice(), z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Tanh,
            8,
            z0.as_slice(),
            a0.as_mut_slice(),
        );
        let mut z1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 1>::zeros();
        let mut a1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 1>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            8,
            1,
            1,
        >(&params[24..33], a0.as_slice(), z1.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            1,
        >(&::mlp_runtime::__private::SigmoidBce, z1.as_slice(), a1.as_mut_slice());
        a1
    }
    #[inline(always)]
    fn __mlp_forward<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        tape: &mut __MlpXorTape<T, C>,
    ) {
        ::mlp_runtime::__private::dense::forward::<
            T,
            2,
            8,
            C,
        >(&params[0..24], inputs, tape.z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Tanh,
            8,
            tape.z0.as_slice(),
            tape.a0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            8,
            1,
            C,
        >(&params[24..33], tape.a0.as_slice(), tape.z1.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::SigmoidBce,
            tape.z1.as_slice(),
            tape.a1.as_mut_slice(),
        );
    }
    fn __mlp_loss<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        targets: &[T],
        valid: usize,
        tape: &mut __MlpXorTape<T, C>,
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::SigmoidBce,
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
        tape: &mut __MlpXorTape<T, C>,
        grads: &mut [T],
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::SigmoidBce,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
        );
        ::mlp_runtime::__private::Head::delta(
            &::mlp_runtime::__private::SigmoidBce,
            1,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
            tape.d1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            8,
            1,
            C,
        >(tape.d1.as_slice(), tape.a0.as_slice(), &mut grads[24..33]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            8,
            1,
            C,
        >(&params[24..33], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Tanh,
            8,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            2,
            8,
            C,
        >(tape.d0.as_slice(), inputs, &mut grads[0..24]);
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
impl Xor {
    /// Forward pass, loss, and a backward pass that updates each layer by SGD as
    /// soon as its gradient is known; `grads` is scratch space for large layers.
    /// Returns the loss, and leaves the parameters untouched when it is not finite.
    #[inline(always)]
    fn __mlp_sgd_step<const C: usize>(
        params: &mut [f32],
        inputs: &[f32],
        targets: &[f32],
        valid: usize,
        tape: &mut __MlpXorTape<f32, C>,
        grads: &mut [f32],
        lr: f64,
    ) -> f32 {
        Self::__mlp_forward::<f32, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::SigmoidBce,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
        );
        if !::mlp_runtime::__private::Float::as_f64(loss).is_finite() {
            return loss;
        }
        ::mlp_runtime::__private::Head::delta(
            &::mlp_runtime::__private::SigmoidBce,
            1,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
            tape.d1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_inputs::<
            f32,
            8,
            1,
            C,
        >(&params[24..33], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Tanh,
            8,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::sgd_update::<
            f32,
            8,
            1,
            C,
        >(
            tape.d1.as_slice(),
            tape.a0.as_slice(),
            &mut params[24..33],
            &mut grads[24..33],
            <f32 as ::mlp_runtime::__private::Float>::cast(lr * 1f64),
        );
        ::mlp_runtime::__private::dense::sgd_update::<
            f32,
            2,
            8,
            C,
        >(
            tape.d0.as_slice(),
            inputs,
            &mut params[0..24],
            &mut grads[0..24],
            <f32 as ::mlp_runtime::__private::Float>::cast(lr * 1f64),
        );
        loss
    }
}
#[automatically_derived]
impl Xor {
    /// The outputs for a batch, one sample per column. Allocation-free.
    pub fn forward_batch<'w>(
        &self,
        workspace: &'w mut XorWorkspace,
        inputs: &XorBatchInput,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'w, f32, 1, 4> {
        let view = inputs.as_slice();
        Self::__mlp_forward::<
            f32,
            4,
        >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
        workspace.__mlp_batch.a1.view()
    }
    /// The loss for one sample, regularisation included.
    pub fn loss(
        &self,
        workspace: &mut XorWorkspace,
        input: &XorInput,
        target: &XorOutput,
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
        workspace: &mut XorWorkspace,
        inputs: &XorBatchInput,
        targets: &XorBatchOutput,
    ) -> f32 {
        let view = inputs.as_slice();
        Self::__mlp_loss::<
            f32,
            4,
        >(&self.__mlp_params, view, targets.as_slice(), 4, &mut workspace.__mlp_batch)
    }
    /// Writes the gradient of one sample's loss into `grads` and returns the loss.
    /// Allocation-free.
    pub fn backward(
        &self,
        workspace: &mut XorWorkspace,
        input: &XorInput,
        target: &XorOutput,
        grads: &mut XorGradients,
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
        workspace: &mut XorWorkspace,
        inputs: &XorBatchInput,
        targets: &XorBatchOutput,
        grads: &mut XorGradients,
    ) -> f32 {
        let view = inputs.as_slice();
        Self::__mlp_backward::<
            f32,
            4,
        >(
            &self.__mlp_params,
            view,
            targets.as_slice(),
            4,
            &mut workspace.__mlp_batch,
            &mut grads.__mlp_values,
        )
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Network for Xor {
    type Input = XorInput;
    type Output = XorOutput;
    const INPUTS: usize = Xor::INPUTS;
    const OUTPUTS: usize = Xor::OUTPUTS;
    const BATCH_SIZE: usize = Xor::BATCH_SIZE;
    const PARAM_COUNT: usize = Xor::PARAM_COUNT;
    const SPEC_YAML: &'static str = Xor::__MLP_SPEC_YAML;
    const LAYOUT: &'static [::mlp_runtime::__private::ParamSegment] = &Xor::__MLP_LAYOUT;
    fn with_seed(seed: u64) -> Self {
        Xor::with_seed(seed)
    }
    fn predict(&self, input: &XorInput) -> XorOutput {
        Xor::forward(self, input)
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Model for Xor {
    type Float = f32;
    type Workspace = XorWorkspace;
    fn spec(&self) -> ::mlp_runtime::__private::Spec {
        ::mlp_runtime::__private::parse_compiled_spec(Xor::__MLP_SPEC_YAML)
    }
    fn canonical_spec(&self) -> &str {
        Xor::__MLP_SPEC_YAML
    }
    fn input_size(&self) -> usize {
        2
    }
    fn output_size(&self) -> usize {
        1
    }
    fn batch_size(&self) -> usize {
        4
    }
    fn layout(&self) -> &[::mlp_runtime::__private::ParamSegment] {
        &Xor::__MLP_LAYOUT
    }
    fn params(&self) -> &[f32] {
        &self.__mlp_params
    }
    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.__mlp_params
    }
    fn workspace(&self) -> XorWorkspace {
        Xor::workspace(self)
    }
    fn forward_slice(
        &self,
        workspace: &mut XorWorkspace,
        inputs: &[f32],
        count: usize,
        outputs: &mut [f32],
    ) {
        ::core::assert!(
            (1..= 4).contains(& count), "`count` must be between 1 and the batch size 4"
        );
        if count == 1 {
            let view = &inputs[..2];
            Self::__mlp_forward::<
                f32,
                1,
            >(&self.__mlp_params, view, &mut workspace.__mlp_single);
            outputs[..1].copy_from_slice(workspace.__mlp_single.a1.as_slice());
        } else {
            let view = Self::__mlp_batch_view(
                &mut workspace.__mlp_padded,
                inputs,
                count,
            );
            Self::__mlp_forward::<
                f32,
                4,
            >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
            let n = 1 * count;
            outputs[..n].copy_from_slice(&workspace.__mlp_batch.a1.as_slice()[..n]);
        }
    }
    fn loss_slice(
        &self,
        workspace: &mut XorWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
    ) -> f32 {
        ::core::assert!(
            (1..= 4).contains(& count), "`count` must be between 1 and the batch size 4"
        );
        let targets = &targets[..1 * count];
        if count == 1 {
            let view = &inputs[..2];
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
                4,
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
            (1..= 4).contains(& count), "`count` must be between 1 and the batch size 4"
        );
        let targets = &targets[..1 * count];
        let mut padded = ::mlp_runtime::__private::HeapMatrix::<f64, 2, 4>::zeros();
        let view = Self::__mlp_batch_view(&mut padded, inputs, count);
        let mut tape = __MlpXorTape::<f64, 4>::__mlp_new();
        Self::__mlp_loss::<f64, 4>(params, view, targets, count, &mut tape)
    }
    fn backward_slice(
        &self,
        workspace: &mut XorWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
        grads: &mut [f32],
    ) -> f32 {
        ::core::assert!(
            (1..= 4).contains(& count), "`count` must be between 1 and the batch size 4"
        );
        let targets = &targets[..1 * count];
        let grads = &mut grads[..Xor::PARAM_COUNT];
        /// The pass after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a [f32],
            workspace: &'a mut XorWorkspace,
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
                    let view = &inputs[..2];
                    Xor::__mlp_backward::<
                        f32,
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                } else {
                    let view = Xor::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Xor::__mlp_backward::<
                        f32,
                        4,
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
    fn sgd_step(
        &mut self,
        workspace: &mut XorWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
        grads: &mut [f32],
        lr: f64,
    ) -> ::core::option::Option<f32> {
        ::core::assert!(
            (1..= 4).contains(& count), "`count` must be between 1 and the batch size 4"
        );
        let targets = &targets[..1 * count];
        let grads = &mut grads[..Xor::PARAM_COUNT];
        /// The step after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a mut [f32],
            workspace: &'a mut XorWorkspace,
            inputs: &'a [f32],
            targets: &'a [f32],
            count: usize,
            grads: &'a mut [f32],
            lr: f64,
        }
        impl ::mlp_runtime::__private::WidePass for Pass<'_> {
            type Output = f32;
            #[inline(always)]
            fn run(self) -> f32 {
                let Pass { params, workspace, inputs, targets, count, grads, lr } = self;
                if count == 1 {
                    let view = &inputs[..2];
                    Xor::__mlp_sgd_step::<
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads, lr)
                } else {
                    let view = Xor::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Xor::__mlp_sgd_step::<
                        4,
                    >(
                        params,
                        view,
                        targets,
                        count,
                        &mut workspace.__mlp_batch,
                        grads,
                        lr,
                    )
                }
            }
        }
        let params = &mut self.__mlp_params[..];
        let pass = Pass {
            params,
            workspace,
            inputs,
            targets,
            count,
            grads,
            lr,
        };
        ::core::option::Option::Some(::mlp_runtime::__private::with_wide_registers(pass))
    }
}
#[automatically_derived]
impl Xor {
    /// A full-batch view of `count` input columns: the slice itself when it holds a
    /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
    fn __mlp_batch_view<'a, T: ::mlp_runtime::__private::Float>(
        padded: &'a mut ::mlp_runtime::__private::HeapMatrix<T, 2, 4>,
        inputs: &'a [T],
        count: usize,
    ) -> &'a [T] {
        if count == 4 {
            return &inputs[..2 * 4];
        }
        let n = 2 * count;
        let buffer = padded.as_mut_slice();
        buffer[..n].copy_from_slice(&inputs[..n]);
        buffer[n..].fill(T::zero());
        padded.as_slice()
    }
}
const _: &[u8] = ::core::include_bytes!("specs/xor.yaml");
