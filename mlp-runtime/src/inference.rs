//! Inference with a compiled network: what `#[mlp]` generates for every network, and the
//! one-sample forward pass on the stack. Needs neither `std` nor an allocator.

use nalgebra::{Const, DimName};

use crate::float::Float;
use crate::kernels::{WidePass, with_wide_registers};
use crate::layer::Pass;
use crate::sample::Sample;

/// What `#[mlp]` generates for every network: its sizes, and its forward pass unrolled over
/// layers with every size a constant. Used by generated code. Not public API.
pub trait Inference: Sized + Sync + 'static {
    /// The scalar type.
    type Float: Float;
    /// One input sample.
    type Input: Sample<Self::Float>;
    /// One output sample.
    type Output: Sample<Self::Float>;
    /// The number of inputs.
    type Inputs: DimName;
    /// The number of outputs.
    type Outputs: DimName;
    /// A tape of one sample, on the stack.
    type SampleTape: AsMut<[Self::Float]> + AsRef<[Self::Float]> + Copy;

    /// A zero tape of one sample.
    const SAMPLE_TAPE: Self::SampleTape;
    /// Number of parameters.
    const PARAM_COUNT: usize;
    /// Units of all layers.
    const TAPE_UNITS: usize;
    /// Per-sample scratch units of layers with batch norm, dropout or a residual connection.
    const EXTRA_COLUMNS: usize = 0;
    /// Scratch values those layers keep once per pass.
    const EXTRA_FIXED: usize = 0;

    /// The parameters.
    fn buffer(&self) -> &[Self::Float];

    /// The forward pass: every layer's activations into the tape, laid out as
    /// `mlp_spec::Dense` describes (`C` columns: `Const<1>` or the batch), in the pass's mode.
    fn forward<T: Float, C: DimName>(params: &[T], inputs: &[T], tape: &mut [T], pass: Pass);
}

/// The output for one input, with the activations on the stack: no workspace, no allocation.
pub fn predict<N: Inference>(network: &N, input: &N::Input) -> N::Output {
    with_wide_registers(Prediction { network, input })
}

/// A prediction, compiled as one function by `with_wide_registers`.
struct Prediction<'a, N: Inference> {
    network: &'a N,
    input: &'a N::Input,
}

impl<N: Inference> WidePass for Prediction<'_, N> {
    type Output = N::Output;

    #[inline(always)]
    fn run(self) -> N::Output {
        let mut tape = N::SAMPLE_TAPE;
        let (params, input) = (self.network.buffer(), self.input.as_slice());
        N::forward::<N::Float, Const<1>>(params, input, tape.as_mut(), Pass::eval(1));
        N::Output::from_slice(output_block::<N>(tape.as_ref(), 1))
    }
}

/// The output layer's activations in a tape of `columns` samples.
pub(crate) fn output_block<N: Inference>(tape: &[N::Float], columns: usize) -> &[N::Float] {
    let outputs = N::Outputs::DIM;
    let start = 3 * columns * (N::TAPE_UNITS - outputs) + outputs * columns;
    &tape[start..start + outputs * columns]
}
