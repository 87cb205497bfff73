//! Sizes known at compile time or at run time.
//!
//! Every kernel takes its sizes as nalgebra dimensions: `Const<N>` for a size fixed at compile
//! time (compiled networks), `Dyn` for one read at run time (the dynamic engine). The code is
//! the same for both; with constants the compiler unrolls it for the layer at hand.

use nalgebra::Dim;

/// The sizes of a dense layer's products over a batch: `inputs` in, `units` out, for
/// `columns` samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape<I, O, C> {
    /// Inputs of the layer.
    pub inputs: I,
    /// Units (outputs) of the layer.
    pub units: O,
    /// Samples in the batch.
    pub columns: C,
}

impl<I: Dim, O: Dim, C: Dim> Shape<I, O, C> {
    /// `(inputs, units, columns)` as numbers.
    #[inline(always)]
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.inputs.value(),
            self.units.value(),
            self.columns.value(),
        )
    }
}

/// The sizes `(m, n, k)` of a product `C (m x n) = A (m x k) * B (k x n)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Product<M, N, K>(pub M, pub N, pub K);

impl<M: Dim, N: Dim, K: Dim> Product<M, N, K> {
    /// `(m, n, k)` as numbers.
    #[inline(always)]
    pub(crate) fn get(self) -> (usize, usize, usize) {
        (self.0.value(), self.1.value(), self.2.value())
    }
}
