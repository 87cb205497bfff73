/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 64-32-10 network, 2410 parameters, `f32`, loss `cross_entropy`.
pub struct Digits {
    __mlp_params: ::mlp_runtime::__private::Box<[f32]>,
}
/// One input sample of [`Digits`]: 64 features.
pub type DigitsInput = ::mlp_runtime::__private::nalgebra::SVector<f32, 64>;
/// One output (or target) sample of [`Digits`]: 10 values.
pub type DigitsOutput = ::mlp_runtime::__private::nalgebra::SVector<f32, 10>;
/// A batch of inputs of [`Digits`]: 64 features by 32 samples, one sample per column.
pub type DigitsBatchInput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 64, 32>;
/// A batch of outputs (or targets) of [`Digits`]: 10 values by 32 samples.
pub type DigitsBatchOutput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 10, 32>;
/// Gradients of the parameters of [`Digits`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct DigitsGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
#[automatically_derived]
impl DigitsGradients {
    /// All-zero gradients.
    pub fn zeros() -> Self {
        DigitsGradients {
            __mlp_values: ::mlp_runtime::__private::zeros(2410),
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
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 32, 64> {
        ::mlp_runtime::__private::matrix::<f32, 32, 64>(&self.__mlp_values, 0)
    }
    /// Layer 0's bias, 32 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 32> {
        ::mlp_runtime::__private::vector::<f32, 32>(&self.__mlp_values, 2048)
    }
    /// Layer 1's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 10, 32> {
        ::mlp_runtime::__private::matrix::<f32, 10, 32>(&self.__mlp_values, 2080)
    }
    /// Layer 1's bias, 10 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 10> {
        ::mlp_runtime::__private::vector::<f32, 10>(&self.__mlp_values, 2400)
    }
}
#[automatically_derived]
impl ::core::default::Default for DigitsGradients {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::core::clone::Clone for Digits {
    fn clone(&self) -> Self {
        Digits {
            __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params),
        }
    }
}
#[automatically_derived]
impl ::core::default::Default for Digits {
    /// The same as [`Self::new`].
    fn default() -> Self {
        Self::new()
    }
}
#[automatically_derived]
impl Digits {
    /// A network with the weights of the spec's `init` section, drawn with its seed.
    pub fn new() -> Self {
        Self::with_seed(Self::__MLP_SEED)
    }
    /// A network initialised as the spec says, but with another seed.
    pub fn with_seed(seed: u64) -> Self {
        let mut params = ::mlp_runtime::__private::zeros(2410);
        ::mlp_runtime::__private::initialize(
            &mut params,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_WEIGHT_INIT,
            Self::__MLP_BIAS_INIT,
            seed,
        );
        Digits { __mlp_params: params }
    }
    /// A network whose parameters are all zero.
    pub fn zeros() -> Self {
        Digits {
            __mlp_params: ::mlp_runtime::__private::zeros(2410),
        }
    }
    /// All-zero gradients for this network.
    pub fn gradients(&self) -> DigitsGradients {
        DigitsGradients::zeros()
    }
    /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 32, 64> {
        ::mlp_runtime::__private::matrix::<f32, 32, 64>(&self.__mlp_params, 0)
    }
    /// Layer 0's bias, 32 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 32> {
        ::mlp_runtime::__private::vector::<f32, 32>(&self.__mlp_params, 2048)
    }
    /// Layer 0's weight, 32 x 64 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 32, 64> {
        ::mlp_runtime::__private::matrix_mut::<f32, 32, 64>(&mut self.__mlp_params, 0)
    }
    /// Layer 0's bias, 32 values.
    pub fn layer0_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 32> {
        ::mlp_runtime::__private::vector_mut::<f32, 32>(&mut self.__mlp_params, 2048)
    }
    /// Layer 1's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 10, 32> {
        ::mlp_runtime::__private::matrix::<f32, 10, 32>(&self.__mlp_params, 2080)
    }
    /// Layer 1's bias, 10 values.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 10> {
        ::mlp_runtime::__private::vector::<f32, 10>(&self.__mlp_params, 2400)
    }
    /// Layer 1's weight, 10 x 32 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 10, 32> {
        ::mlp_runtime::__private::matrix_mut::<f32, 10, 32>(&mut self.__mlp_params, 2080)
    }
    /// Layer 1's bias, 10 values.
    pub fn layer1_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 10> {
        ::mlp_runtime::__private::vector_mut::<f32, 10>(&mut self.__mlp_params, 2400)
    }
}
#[automatically_derived]
impl Digits {
    /// Number of input features.
    pub const INPUTS: usize = 64;
    /// Number of outputs.
    pub const OUTPUTS: usize = 10;
    /// The static batch size of the batched code (the spec's `batch_size`).
    pub const BATCH_SIZE: usize = 32;
    /// Number of parameters (weights and biases).
    pub const PARAM_COUNT: usize = 2410;
    /// Bytes of the parameters.
    pub const PARAM_BYTES: usize = 9640;
    /// Bytes of optimizer state for `adam` (2 buffer(s) the size of the parameters).
    pub const OPTIMIZER_STATE_BYTES: usize = 19280;
    /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
    pub const ACTIVATION_BYTES: usize = 16128;
    const __MLP_LAYOUT: [::mlp_runtime::__private::ParamSegment; 4] = [
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 0,
            rows: 32,
            cols: 64,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 2048,
            rows: 32,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 2080,
            rows: 10,
            cols: 32,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 2400,
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
    const __MLP_SEED: u64 = 0u64;
    const __MLP_REGULARIZATION: ::mlp_runtime::__private::Regularization = ::mlp_runtime::__private::Regularization {
        l2: 0f64,
        l1: 0f64,
        bias: false,
    };
    const __MLP_SPEC_YAML: &'static str = "name: digits\ninput: 64\nlayers:\n- units: 32\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 10\n  activation:\n    kind: softmax\n  lr_scale: 1.0\nloss:\n  kind: cross_entropy\noptimizer:\n  kind: adam\n  lr: 0.003\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-8\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.0\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 60\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
}
/// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
#[doc(hidden)]
pub struct __MlpDigitsTape<T, const C: usize> {
    z0: ::mlp_runtime::__private::HeapMatrix<T, 32, C>,
    a0: ::mlp_runtime::__private::HeapMatrix<T, 32, C>,
    d0: ::mlp_runtime::__private::HeapMatrix<T, 32, C>,
    z1: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
    a1: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
    d1: ::mlp_runtime::__private::HeapMatrix<T, 10, C>,
}
#[automatically_derived]
impl<T: ::mlp_runtime::__private::Float, const C: usize> __MlpDigitsTape<T, C> {
    fn __mlp_new() -> Self {
        __MlpDigitsTape {
            z0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            z1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d1: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
/// Preallocated buffers for the batched passes of [`Digits`]; create one with [`Digits::workspace`] and reuse it.
pub struct DigitsWorkspace {
    __mlp_single: __MlpDigitsTape<f32, 1>,
    __mlp_batch: __MlpDigitsTape<f32, 32>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    __mlp_padded: ::mlp_runtime::__private::HeapMatrix<f32, 64, 32>,
}
#[automatically_derived]
impl Digits {
    /// Allocates the buffers the batched passes need; reuse it across calls.
    pub fn workspace(&self) -> DigitsWorkspace {
        DigitsWorkspace {
            __mlp_single: __MlpDigitsTape::__mlp_new(),
            __mlp_batch: __MlpDigitsTape::__mlp_new(),
            __mlp_padded: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
#[automatically_derived]
impl Digits {
    /// The output for one input. Allocation-free; needs no workspace.
    pub fn forward(&self, input: &DigitsInput) -> DigitsOutput {
        let params: &[f32] = &self.__mlp_params;
        let mut z0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 32>::zeros();
        let mut a0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 32>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            64,
            32,
            1,
        >(&params[0..2080], input.as_slice(), z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            32,
            z0.as_slice(),
            a0.as_mut_slice(),
        );
        let mut z1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 10>::zeros();
        let mut a1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 10>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            32,
            10,
            1,
        >(&params[2080..2410], a0.as_slice(), z1.as_mut_slice());
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
        tape: &mut __MlpDigitsTape<T, C>,
    ) {
        ::mlp_runtime::__private::dense::forward::<
            T,
            64,
            32,
            C,
        >(&params[0..2080], inputs, tape.z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            32,
            tape.z0.as_slice(),
            tape.a0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            32,
            10,
            C,
        >(&params[2080..2410], tape.a0.as_slice(), tape.z1.as_mut_slice());
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
        tape: &mut __MlpDigitsTape<T, C>,
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
        tape: &mut __MlpDigitsTape<T, C>,
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
            32,
            10,
            C,
        >(tape.d1.as_slice(), tape.a0.as_slice(), &mut grads[2080..2410]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            32,
            10,
            C,
        >(&params[2080..2410], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            32,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            64,
            32,
            C,
        >(tape.d0.as_slice(), inputs, &mut grads[0..2080]);
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
impl Digits {
    /// The outputs for a batch, one sample per column. Allocation-free.
    pub fn forward_batch<'w>(
        &self,
        workspace: &'w mut DigitsWorkspace,
        inputs: &DigitsBatchInput,
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
        workspace: &mut DigitsWorkspace,
        input: &DigitsInput,
        target: &DigitsOutput,
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
        workspace: &mut DigitsWorkspace,
        inputs: &DigitsBatchInput,
        targets: &DigitsBatchOutput,
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
        workspace: &mut DigitsWorkspace,
        input: &DigitsInput,
        target: &DigitsOutput,
        grads: &mut DigitsGradients,
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
        workspace: &mut DigitsWorkspace,
        inputs: &DigitsBatchInput,
        targets: &DigitsBatchOutput,
        grads: &mut DigitsGradients,
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
impl ::mlp_runtime::__private::Network for Digits {
    type Input = DigitsInput;
    type Output = DigitsOutput;
    const INPUTS: usize = Digits::INPUTS;
    const OUTPUTS: usize = Digits::OUTPUTS;
    const BATCH_SIZE: usize = Digits::BATCH_SIZE;
    const PARAM_COUNT: usize = Digits::PARAM_COUNT;
    const SPEC_YAML: &'static str = Digits::__MLP_SPEC_YAML;
    const LAYOUT: &'static [::mlp_runtime::__private::ParamSegment] = &Digits::__MLP_LAYOUT;
    fn with_seed(seed: u64) -> Self {
        Digits::with_seed(seed)
    }
    fn predict(&self, input: &DigitsInput) -> DigitsOutput {
        Digits::forward(self, input)
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Model for Digits {
    type Float = f32;
    type Workspace = DigitsWorkspace;
    fn spec(&self) -> ::mlp_runtime::__private::Spec {
        ::mlp_runtime::__private::parse_compiled_spec(Digits::__MLP_SPEC_YAML)
    }
    fn canonical_spec(&self) -> &str {
        Digits::__MLP_SPEC_YAML
    }
    fn input_size(&self) -> usize {
        64
    }
    fn output_size(&self) -> usize {
        10
    }
    fn batch_size(&self) -> usize {
        32
    }
    fn layout(&self) -> &[::mlp_runtime::__private::ParamSegment] {
        &Digits::__MLP_LAYOUT
    }
    fn params(&self) -> &[f32] {
        &self.__mlp_params
    }
    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.__mlp_params
    }
    fn workspace(&self) -> DigitsWorkspace {
        Digits::workspace(self)
    }
    fn forward_slice(
        &self,
        workspace: &mut DigitsWorkspace,
        inputs: &[f32],
        count: usize,
        outputs: &mut [f32],
    ) {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        if count == 1 {
            let view = &inputs[..64];
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
        workspace: &mut DigitsWorkspace,
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
            let view = &inputs[..64];
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
        let mut padded = ::mlp_runtime::__private::HeapMatrix::<f64, 64, 32>::zeros();
        let view = Self::__mlp_batch_view(&mut padded, inputs, count);
        let mut tape = __MlpDigitsTape::<f64, 32>::__mlp_new();
        Self::__mlp_loss::<f64, 32>(params, view, targets, count, &mut tape)
    }
    fn backward_slice(
        &self,
        workspace: &mut DigitsWorkspace,
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
        let grads = &mut grads[..Digits::PARAM_COUNT];
        /// The pass after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a [f32],
            workspace: &'a mut DigitsWorkspace,
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
                    let view = &inputs[..64];
                    Digits::__mlp_backward::<
                        f32,
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                } else {
                    let view = Digits::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Digits::__mlp_backward::<
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
impl Digits {
    /// A full-batch view of `count` input columns: the slice itself when it holds a
    /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
    fn __mlp_batch_view<'a, T: ::mlp_runtime::__private::Float>(
        padded: &'a mut ::mlp_runtime::__private::HeapMatrix<T, 64, 32>,
        inputs: &'a [T],
        count: usize,
    ) -> &'a [T] {
        if count == 32 {
            return &inputs[..64 * 32];
        }
        let n = 64 * count;
        let buffer = padded.as_mut_slice();
        buffer[..n].copy_from_slice(&inputs[..n]);
        buffer[n..].fill(T::zero());
        padded.as_slice()
    }
}
const _: &[u8] = ::core::include_bytes!("specs/digits.yaml");
