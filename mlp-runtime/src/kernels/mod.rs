//! The products of dense layers.
//!
//! Each product picks its kernel from the layer's sizes ([`tiled`]): loops over columns for
//! small products and for one sample (`small`), register-tiled kernels for large products
//! with a batch (`tiles`). Sizes are nalgebra dimensions, constants for compiled networks and
//! run-time values for the dynamic engine: the same code serves both, so both engines compute
//! the same bits, and constants let the compiler unroll it per layer.
//!
//! nalgebra's product for statically sized matrices (and its matrix-vector kernels) works one
//! output column at a time, so a layer's whole weight matrix streams through the cache once
//! per sample; and its dynamic product calls matrixmultiply, which allocates a packing buffer
//! on every call. These kernels keep their running sums in local accumulators that the
//! compiler holds in vector registers, and allocate nothing.
//!
//! The default x86-64 target lets the compiler use SSE2 only (four lanes, no fused
//! multiply-add, sixteen registers); `-C target-cpu=native` is no answer, as it slows the small
//! layers. So the tiled products are compiled for AVX-512, AVX2 with FMA, and the baseline,
//! with tile shapes that fit each register file, and the small ones for AVX2 and the baseline,
//! except two that also have an AVX-512 variant for layers of 64 units or more: the product
//! (with FMA; one sample's product of a wide layer) and one sample's SGD step (without FMA,
//! so the same bits as the other variants); the CPU's features pick one at run time
//! (`instruction_set()` tells which). With FMA these products round differently from the
//! baseline, so results are bit-identical on one machine (both engines call the same
//! kernels), not across machines with different features, unless `MLP_INSTRUCTION_SET`
//! ([`INSTRUCTION_SET_VARIABLE`]) caps every machine at a set they all have.
//!
//! All matrices are column-major slices.

pub(crate) mod dense;
mod dispatch;
mod shape;
mod small;
mod tiles;

pub use dispatch::{INSTRUCTION_SET_VARIABLE, gemm_nn, gemm_tn, instruction_set};
#[cfg(feature = "std")]
pub use dispatch::{UnknownInstructionSet, requested_instruction_set};
pub use shape::Shape;
pub use small::Size;

pub(crate) use dispatch::{WidePass, map, map_lanes, with_wide_registers};
#[cfg(feature = "std")]
pub(crate) use small::HeldStep;
#[cfg(feature = "std")]
pub(crate) use tiles::span;

/// The largest inner size of a product that can be applied as a descent step
/// (`C -= lr A B`): one block of the tiled kernels.
const DESCENT_DEPTH: usize = tiles::DEPTH;

/// Whether a layer's product is computed with the tiled kernels rather than with loops over
/// columns: a product with `rows` result rows (`units` for the forward pass and the weight
/// gradient, `inputs` for the input gradient), a weight of `weight` values, and `columns`
/// samples. Tiles pay from 32 result rows and a 32 x 32 weight, with more than one sample;
/// one sample is a matrix-vector product, which the loops do well. The measurements behind
/// the threshold are in BENCHMARKS.md.
pub const fn tiled(rows: usize, weight: usize, columns: usize) -> bool {
    rows >= 32 && weight >= 1024 && columns > 1
}
