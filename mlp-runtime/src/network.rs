//! The trait every network implements, so that generic code (trainer, gradient checker,
//! checkpoints, benchmarks) works with any of them.

use mlp_spec::{ParamSegment, Spec};
use nalgebra::SVector;

use crate::float::Float;

/// One sample's input or output vector.
///
/// The network's `Input` and `Output` types fix the sample sizes at compile time, so data of
/// another network's shape does not type-check.
pub trait Sample<T>: Clone {
    /// Number of values.
    const LEN: usize;

    /// A sample holding `values`.
    ///
    /// # Panics
    ///
    /// If `values` does not hold exactly [`Sample::LEN`] values.
    fn from_slice(values: &[T]) -> Self;

    /// The values.
    fn as_slice(&self) -> &[T];

    /// The values, mutably.
    fn as_mut_slice(&mut self) -> &mut [T];
}

impl<T: Float, const N: usize> Sample<T> for SVector<T, N> {
    const LEN: usize = N;

    fn from_slice(values: &[T]) -> Self {
        assert_eq!(values.len(), N, "a sample of this type holds {N} values");
        SVector::from_column_slice(values)
    }

    fn as_slice(&self) -> &[T] {
        self.as_slice()
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

/// A multi-layer perceptron with a flat parameter buffer.
///
/// `#[mlp(spec = "...")]` implements it for the annotated struct. Parameters are one flat
/// buffer in the order documented by [`ParamSegment`] (layer by layer, weight then bias,
/// weights column-major). Batches passed as slices are column-major too: sample `j`
/// occupies `inputs[j * INPUTS..(j + 1) * INPUTS]`.
pub trait Network: Sized {
    /// The scalar type (`f32` or `f64`).
    type Float: Float;
    /// One input sample.
    type Input: Sample<Self::Float>;
    /// One output (or target) sample.
    type Output: Sample<Self::Float>;
    /// Preallocated buffers for batched computations.
    type Workspace;

    /// Number of input features.
    const INPUTS: usize;
    /// Number of outputs.
    const OUTPUTS: usize;
    /// The static batch size of the batched code.
    const BATCH_SIZE: usize;
    /// Number of parameters.
    const PARAM_COUNT: usize;
    /// The canonical form of the spec the network was built from.
    const SPEC_YAML: &'static str;
    /// The segments of the flat parameter buffer.
    const LAYOUT: &'static [ParamSegment];

    /// A network initialised as its spec's `init` section says, with the given seed.
    fn with_seed(seed: u64) -> Self;

    /// The parameters, in the flat order.
    fn params(&self) -> &[Self::Float];

    /// The parameters, mutably.
    fn params_mut(&mut self) -> &mut [Self::Float];

    /// Allocates the buffers batched computations need; reuse it across calls.
    fn workspace(&self) -> Self::Workspace;

    /// The output for one input.
    fn predict(&self, input: &Self::Input) -> Self::Output;

    /// Outputs for `count` samples, `1 <= count <= BATCH_SIZE`.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than `count` samples.
    fn forward_slice(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        count: usize,
        outputs: &mut [Self::Float],
    );

    /// The mean loss over `count` samples, regularisation included.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than `count` samples.
    fn loss_slice(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        targets: &[Self::Float],
        count: usize,
    ) -> Self::Float;

    /// The mean loss over `count` samples computed in `f64` with the parameters `params`
    /// (in the flat order), whatever the network's precision. Gradient checks use it so
    /// that finite differences of `f32` networks are not drowned in `f32` rounding.
    /// Allocates its buffers.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than it must be.
    fn loss_f64(params: &[f64], inputs: &[f64], targets: &[f64], count: usize) -> f64;

    /// Writes the gradient of the mean loss over `count` samples (regularisation included)
    /// into `grads` (`PARAM_COUNT` long, flat order) and returns the loss.
    ///
    /// # Panics
    ///
    /// If `count` is out of range or a slice is shorter than it must be.
    fn backward_slice(
        &self,
        workspace: &mut Self::Workspace,
        inputs: &[Self::Float],
        targets: &[Self::Float],
        count: usize,
        grads: &mut [Self::Float],
    ) -> Self::Float;

    /// The spec, parsed from [`Network::SPEC_YAML`].
    fn spec() -> Spec {
        // The macro wrote this text from a spec that had passed validation.
        mlp_spec::parse(Self::SPEC_YAML).expect("the canonical spec of a compiled network is valid")
    }
}
