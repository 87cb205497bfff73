/// A network compiled from a spec.
///
/// Compiled by `#[mlp]` from the spec: 10-32-1 network, 385 parameters, `f32`, loss `mse`.
pub struct Diabetes {
    __mlp_params: ::mlp_runtime::__private::Box<[f32]>,
}
/// One input sample of [`Diabetes`]: 10 features.
pub type DiabetesInput = ::mlp_runtime::__private::nalgebra::SVector<f32, 10>;
/// One output (or target) sample of [`Diabetes`]: 1 value.
pub type DiabetesOutput = ::mlp_runtime::__private::nalgebra::SVector<f32, 1>;
/// A batch of inputs of [`Diabetes`]: 10 features by 32 samples, one sample per column.
pub type DiabetesBatchInput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 10, 32>;
/// A batch of outputs (or targets) of [`Diabetes`]: 1 value by 32 samples.
pub type DiabetesBatchOutput = ::mlp_runtime::__private::nalgebra::SMatrix<f32, 1, 32>;
/// Gradients of the parameters of [`Diabetes`], with the same shapes and flat order.
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub struct DiabetesGradients {
    __mlp_values: ::mlp_runtime::__private::Box<[f32]>,
}
#[automatically_derived]
impl DiabetesGradients {
    /// All-zero gradients.
    pub fn zeros() -> Self {
        DiabetesGradients {
            __mlp_values: ::mlp_runtime::__private::zeros(385),
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
    /// Layer 0's weight, 32 x 10 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 32, 10> {
        ::mlp_runtime::__private::matrix::<f32, 32, 10>(&self.__mlp_values, 0)
    }
    /// Layer 0's bias, 32 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 32> {
        ::mlp_runtime::__private::vector::<f32, 32>(&self.__mlp_values, 320)
    }
    /// Layer 1's weight, 1 x 32 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 1, 32> {
        ::mlp_runtime::__private::matrix::<f32, 1, 32>(&self.__mlp_values, 352)
    }
    /// Layer 1's bias, 1 value.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 1> {
        ::mlp_runtime::__private::vector::<f32, 1>(&self.__mlp_values, 384)
    }
}
#[automatically_derived]
impl ::core::default::Default for DiabetesGradients {
    fn default() -> Self {
        Self::zeros()
    }
}
#[automatically_derived]
impl ::core::clone::Clone for Diabetes {
    fn clone(&self) -> Self {
        Diabetes {
            __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params),
        }
    }
}
#[automatically_derived]
impl ::core::default::Default for Diabetes {
    /// The same as [`Self::new`].
    fn default() -> Self {
        Self::new()
    }
}
#[automatically_derived]
impl Diabetes {
    /// A network with the weights of the spec's `init` section, drawn with its seed.
    pub fn new() -> Self {
        Self::with_seed(Self::__MLP_SEED)
    }
    /// A network initialised as the spec says, but with another seed.
    pub fn with_seed(seed: u64) -> Self {
        let mut params = ::mlp_runtime::__private::zeros(385);
        ::mlp_runtime::__private::initialize(
            &mut params,
            &Self::__MLP_LAYOUT,
            &Self::__MLP_WEIGHT_INIT,
            Self::__MLP_BIAS_INIT,
            seed,
        );
        Diabetes { __mlp_params: params }
    }
    /// A network whose parameters are all zero.
    pub fn zeros() -> Self {
        Diabetes {
            __mlp_params: ::mlp_runtime::__private::zeros(385),
        }
    }
    /// All-zero gradients for this network.
    pub fn gradients(&self) -> DiabetesGradients {
        DiabetesGradients::zeros()
    }
    /// Layer 0's weight, 32 x 10 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 32, 10> {
        ::mlp_runtime::__private::matrix::<f32, 32, 10>(&self.__mlp_params, 0)
    }
    /// Layer 0's bias, 32 values.
    pub fn layer0_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 32> {
        ::mlp_runtime::__private::vector::<f32, 32>(&self.__mlp_params, 320)
    }
    /// Layer 0's weight, 32 x 10 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer0_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 32, 10> {
        ::mlp_runtime::__private::matrix_mut::<f32, 32, 10>(&mut self.__mlp_params, 0)
    }
    /// Layer 0's bias, 32 values.
    pub fn layer0_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 32> {
        ::mlp_runtime::__private::vector_mut::<f32, 32>(&mut self.__mlp_params, 320)
    }
    /// Layer 1's weight, 1 x 32 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'_, f32, 1, 32> {
        ::mlp_runtime::__private::matrix::<f32, 1, 32>(&self.__mlp_params, 352)
    }
    /// Layer 1's bias, 1 value.
    pub fn layer1_bias(
        &self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorView<'_, f32, 1> {
        ::mlp_runtime::__private::vector::<f32, 1>(&self.__mlp_params, 384)
    }
    /// Layer 1's weight, 1 x 32 (`[out, in]` as `torch.nn.Linear`).
    pub fn layer1_weight_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixViewMut<'_, f32, 1, 32> {
        ::mlp_runtime::__private::matrix_mut::<f32, 1, 32>(&mut self.__mlp_params, 352)
    }
    /// Layer 1's bias, 1 value.
    pub fn layer1_bias_mut(
        &mut self,
    ) -> ::mlp_runtime::__private::nalgebra::SVectorViewMut<'_, f32, 1> {
        ::mlp_runtime::__private::vector_mut::<f32, 1>(&mut self.__mlp_params, 384)
    }
}
#[automatically_derived]
impl Diabetes {
    /// Number of input features.
    pub const INPUTS: usize = 10;
    /// Number of outputs.
    pub const OUTPUTS: usize = 1;
    /// The static batch size of the batched code (the spec's `batch_size`).
    pub const BATCH_SIZE: usize = 32;
    /// Number of parameters (weights and biases).
    pub const PARAM_COUNT: usize = 385;
    /// Bytes of the parameters.
    pub const PARAM_BYTES: usize = 1540;
    /// Bytes of optimizer state for `adam` (2 buffer(s) the size of the parameters).
    pub const OPTIMIZER_STATE_BYTES: usize = 3080;
    /// Bytes of activations kept for one training batch of 32 samples (pre-activations, activations and deltas of every layer).
    pub const ACTIVATION_BYTES: usize = 12672;
    const __MLP_LAYOUT: [::mlp_runtime::__private::ParamSegment; 4] = [
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 0,
            rows: 32,
            cols: 10,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 0,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 320,
            rows: 32,
            cols: 1,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Weight,
            offset: 352,
            rows: 1,
            cols: 32,
            lr_scale: 1f64,
        },
        ::mlp_runtime::__private::ParamSegment {
            layer: 1,
            role: ::mlp_runtime::__private::ParamRole::Bias,
            offset: 384,
            rows: 1,
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
        l2: 0.01f64,
        l1: 0f64,
        bias: false,
    };
    const __MLP_SPEC_YAML: &'static str = "name: diabetes\ninput: 10\nlayers:\n- units: 32\n  activation:\n    kind: relu\n  lr_scale: 1.0\n- units: 1\n  activation:\n    kind: identity\n  lr_scale: 1.0\nloss:\n  kind: mse\noptimizer:\n  kind: adam\n  lr: 0.003\n  beta1: 0.9\n  beta2: 0.999\n  eps: 1e-8\nschedule:\n  kind: constant\n  every: epoch\n  warmup: null\nregularization:\n  l2: 0.01\n  l1: 0.0\n  bias: false\ninit:\n  weights: null\n  bias:\n    kind: zeros\n  seed: 0\nbatch_size: 32\nprecision: f32\ntraining:\n  epochs: 60\n  shuffle: true\n  validation_split: 0.0\n  early_stopping: null\n  min_loss_change: 0.0\n  clip_grad_norm: null\n";
}
/// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
#[doc(hidden)]
pub struct __MlpDiabetesTape<T, const C: usize> {
    z0: ::mlp_runtime::__private::HeapMatrix<T, 32, C>,
    a0: ::mlp_runtime::__private::HeapMatrix<T, 32, C>,
    d0: ::mlp_runtime::__private::HeapMatrix<T, 32, C>,
    z1: ::mlp_runtime::__private::HeapMatrix<T, 1, C>,
    a1: ::mlp_runtime::__private::HeapMatrix<T, 1, C>,
    d1: ::mlp_runtime::__private::HeapMatrix<T, 1, C>,
}
#[automatically_derived]
impl<T: ::mlp_runtime::__private::Float, const C: usize> __MlpDiabetesTape<T, C> {
    fn __mlp_new() -> Self {
        __MlpDiabetesTape {
            z0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d0: ::mlp_runtime::__private::HeapMatrix::zeros(),
            z1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            a1: ::mlp_runtime::__private::HeapMatrix::zeros(),
            d1: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
/// Preallocated buffers for the batched passes of [`Diabetes`]; create one with [`Diabetes::workspace`] and reuse it.
pub struct DiabetesWorkspace {
    __mlp_single: __MlpDiabetesTape<f32, 1>,
    __mlp_batch: __MlpDiabetesTape<f32, 32>,
    /// Inputs of a partial batch, padded with zero columns to the full batch size.
    __mlp_padded: ::mlp_runtime::__private::HeapMatrix<f32, 10, 32>,
}
#[automatically_derived]
impl Diabetes {
    /// Allocates the buffers the batched passes need; reuse it across calls.
    pub fn workspace(&self) -> DiabetesWorkspace {
        DiabetesWorkspace {
            __mlp_single: __MlpDiabetesTape::__mlp_new(),
            __mlp_batch: __MlpDiabetesTape::__mlp_new(),
            __mlp_padded: ::mlp_runtime::__private::HeapMatrix::zeros(),
        }
    }
}
#[automatically_derived]
impl Diabetes {
    /// The output for one input. Allocation-free; needs no workspace.
    pub fn forward(&self, input: &DiabetesInput) -> DiabetesOutput {
        let params: &[f32] = &self.__mlp_params;
        let mut z0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 32>::zeros();
        let mut a0 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 32>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            10,
            32,
            1,
        >(&params[0..352], input.as_slice(), z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            32,
            z0.as_slice(),
            a0.as_mut_slice(),
        );
        let mut z1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 1>::zeros();
        let mut a1 = ::mlp_runtime::__private::nalgebra::SVector::<f32, 1>::zeros();
        ::mlp_runtime::__private::dense::forward::<
            f32,
            32,
            1,
            1,
        >(&params[352..385], a0.as_slice(), z1.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::Chain {
                activation: ::mlp_runtime::__private::Identity,
                loss: ::mlp_runtime::__private::Mse,
            },
            z1.as_slice(),
            a1.as_mut_slice(),
        );
        a1
    }
    #[inline(always)]
    fn __mlp_forward<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        tape: &mut __MlpDiabetesTape<T, C>,
    ) {
        ::mlp_runtime::__private::dense::forward::<
            T,
            10,
            32,
            C,
        >(&params[0..352], inputs, tape.z0.as_mut_slice());
        ::mlp_runtime::__private::Activation::forward(
            &::mlp_runtime::__private::Relu,
            32,
            tape.z0.as_slice(),
            tape.a0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::forward::<
            T,
            32,
            1,
            C,
        >(&params[352..385], tape.a0.as_slice(), tape.z1.as_mut_slice());
        ::mlp_runtime::__private::Head::activate_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::Chain {
                activation: ::mlp_runtime::__private::Identity,
                loss: ::mlp_runtime::__private::Mse,
            },
            tape.z1.as_slice(),
            tape.a1.as_mut_slice(),
        );
    }
    fn __mlp_loss<T: ::mlp_runtime::__private::Float, const C: usize>(
        params: &[T],
        inputs: &[T],
        targets: &[T],
        valid: usize,
        tape: &mut __MlpDiabetesTape<T, C>,
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::Chain {
                activation: ::mlp_runtime::__private::Identity,
                loss: ::mlp_runtime::__private::Mse,
            },
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
        tape: &mut __MlpDiabetesTape<T, C>,
        grads: &mut [T],
    ) -> T {
        Self::__mlp_forward::<T, C>(params, inputs, tape);
        let loss = ::mlp_runtime::__private::Head::loss_fixed::<
            _,
            1,
        >(
            &::mlp_runtime::__private::Chain {
                activation: ::mlp_runtime::__private::Identity,
                loss: ::mlp_runtime::__private::Mse,
            },
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
        );
        ::mlp_runtime::__private::Head::delta(
            &::mlp_runtime::__private::Chain {
                activation: ::mlp_runtime::__private::Identity,
                loss: ::mlp_runtime::__private::Mse,
            },
            1,
            tape.z1.as_slice(),
            tape.a1.as_slice(),
            targets,
            valid,
            tape.d1.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            32,
            1,
            C,
        >(tape.d1.as_slice(), tape.a0.as_slice(), &mut grads[352..385]);
        ::mlp_runtime::__private::dense::backward_inputs::<
            T,
            32,
            1,
            C,
        >(&params[352..385], tape.d1.as_slice(), tape.d0.as_mut_slice());
        ::mlp_runtime::__private::Activation::backward(
            &::mlp_runtime::__private::Relu,
            32,
            tape.z0.as_slice(),
            tape.a0.as_slice(),
            tape.d0.as_mut_slice(),
        );
        ::mlp_runtime::__private::dense::backward_params::<
            T,
            10,
            32,
            C,
        >(tape.d0.as_slice(), inputs, &mut grads[0..352]);
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
impl Diabetes {
    /// The outputs for a batch, one sample per column. Allocation-free.
    pub fn forward_batch<'w>(
        &self,
        workspace: &'w mut DiabetesWorkspace,
        inputs: &DiabetesBatchInput,
    ) -> ::mlp_runtime::__private::nalgebra::SMatrixView<'w, f32, 1, 32> {
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
        workspace: &mut DiabetesWorkspace,
        input: &DiabetesInput,
        target: &DiabetesOutput,
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
        workspace: &mut DiabetesWorkspace,
        inputs: &DiabetesBatchInput,
        targets: &DiabetesBatchOutput,
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
        workspace: &mut DiabetesWorkspace,
        input: &DiabetesInput,
        target: &DiabetesOutput,
        grads: &mut DiabetesGradients,
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
        workspace: &mut DiabetesWorkspace,
        inputs: &DiabetesBatchInput,
        targets: &DiabetesBatchOutput,
        grads: &mut DiabetesGradients,
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
impl ::mlp_runtime::__private::Network for Diabetes {
    type Input = DiabetesInput;
    type Output = DiabetesOutput;
    const INPUTS: usize = Diabetes::INPUTS;
    const OUTPUTS: usize = Diabetes::OUTPUTS;
    const BATCH_SIZE: usize = Diabetes::BATCH_SIZE;
    const PARAM_COUNT: usize = Diabetes::PARAM_COUNT;
    const SPEC_YAML: &'static str = Diabetes::__MLP_SPEC_YAML;
    const LAYOUT: &'static [::mlp_runtime::__private::ParamSegment] = &Diabetes::__MLP_LAYOUT;
    fn with_seed(seed: u64) -> Self {
        Diabetes::with_seed(seed)
    }
    fn predict(&self, input: &DiabetesInput) -> DiabetesOutput {
        Diabetes::forward(self, input)
    }
}
#[automatically_derived]
impl ::mlp_runtime::__private::Model for Diabetes {
    type Float = f32;
    type Workspace = DiabetesWorkspace;
    fn spec(&self) -> ::mlp_runtime::__private::Spec {
        ::mlp_runtime::__private::parse_compiled_spec(Diabetes::__MLP_SPEC_YAML)
    }
    fn canonical_spec(&self) -> &str {
        Diabetes::__MLP_SPEC_YAML
    }
    fn input_size(&self) -> usize {
        10
    }
    fn output_size(&self) -> usize {
        1
    }
    fn batch_size(&self) -> usize {
        32
    }
    fn layout(&self) -> &[::mlp_runtime::__private::ParamSegment] {
        &Diabetes::__MLP_LAYOUT
    }
    fn params(&self) -> &[f32] {
        &self.__mlp_params
    }
    fn params_mut(&mut self) -> &mut [f32] {
        &mut self.__mlp_params
    }
    fn workspace(&self) -> DiabetesWorkspace {
        Diabetes::workspace(self)
    }
    fn forward_slice(
        &self,
        workspace: &mut DiabetesWorkspace,
        inputs: &[f32],
        count: usize,
        outputs: &mut [f32],
    ) {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        if count == 1 {
            let view = &inputs[..10];
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
                32,
            >(&self.__mlp_params, view, &mut workspace.__mlp_batch);
            let n = 1 * count;
            outputs[..n].copy_from_slice(&workspace.__mlp_batch.a1.as_slice()[..n]);
        }
    }
    fn loss_slice(
        &self,
        workspace: &mut DiabetesWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
    ) -> f32 {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        let targets = &targets[..1 * count];
        if count == 1 {
            let view = &inputs[..10];
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
        let targets = &targets[..1 * count];
        let mut padded = ::mlp_runtime::__private::HeapMatrix::<f64, 10, 32>::zeros();
        let view = Self::__mlp_batch_view(&mut padded, inputs, count);
        let mut tape = __MlpDiabetesTape::<f64, 32>::__mlp_new();
        Self::__mlp_loss::<f64, 32>(params, view, targets, count, &mut tape)
    }
    fn backward_slice(
        &self,
        workspace: &mut DiabetesWorkspace,
        inputs: &[f32],
        targets: &[f32],
        count: usize,
        grads: &mut [f32],
    ) -> f32 {
        ::core::assert!(
            (1..= 32).contains(& count),
            "`count` must be between 1 and the batch size 32"
        );
        let targets = &targets[..1 * count];
        let grads = &mut grads[..Diabetes::PARAM_COUNT];
        /// The pass after its checks, compiled as one function by `with_wide_registers`.
        struct Pass<'a> {
            params: &'a [f32],
            workspace: &'a mut DiabetesWorkspace,
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
                    let view = &inputs[..10];
                    Diabetes::__mlp_backward::<
                        f32,
                        1,
                    >(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                } else {
                    let view = Diabetes::__mlp_batch_view(
                        &mut workspace.__mlp_padded,
                        inputs,
                        count,
                    );
                    Diabetes::__mlp_backward::<
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
impl Diabetes {
    /// A full-batch view of `count` input columns: the slice itself when it holds a
    /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
    fn __mlp_batch_view<'a, T: ::mlp_runtime::__private::Float>(
        padded: &'a mut ::mlp_runtime::__private::HeapMatrix<T, 10, 32>,
        inputs: &'a [T],
        count: usize,
    ) -> &'a [T] {
        if count == 32 {
            return &inputs[..10 * 32];
        }
        let n = 10 * count;
        let buffer = padded.as_mut_slice();
        buffer[..n].copy_from_slice(&inputs[..n]);
        buffer[n..].fill(T::zero());
        padded.as_slice()
    }
}
const _: &[u8] = ::core::include_bytes!("specs/diabetes.yaml");
