//! Register-tiled matrix products for large layers.
//!
//! nalgebra's product for statically sized matrices (and its matrix-vector kernels) works one
//! output column at a time, so a layer's whole weight matrix streams through the cache once
//! per sample; and its dynamic product calls matrixmultiply, which allocates a packing buffer
//! on every call. These kernels compute tiles of the result in local accumulators that the
//! compiler keeps in vector registers, and allocate nothing.
//!
//! The default x86-64 target lets the compiler use SSE2 only (four lanes, no fused
//! multiply-add, sixteen registers); `-C target-cpu=native` is no answer, as it slows the small
//! layers. So each product is compiled three times, for AVX-512, AVX2 with FMA, and the
//! baseline, with tile shapes that fit each register file, and the CPU's features pick one at
//! run time (`instruction_set()` tells which). With FMA the products round differently from
//! the baseline, so results are bit-identical on one machine, not across machines with
//! different features.
//!
//! All matrices are column-major slices. Each function overwrites `c`.

mod dispatch;
mod small;
mod tiles;

pub use dispatch::{WidePass, gemm_nn, gemm_tn, instruction_set, with_wide_registers};

/// Products of small layers with every size a constant, each compiled per instruction set.
pub(crate) mod fixed {
    pub(crate) use super::dispatch::{
        backward_bias, backward_inputs, backward_layer, forward, sgd_bias, sgd_layer,
    };
}

pub(crate) use dispatch::{FixedSizes, optimizer_step, product_nn, product_tn};
pub(crate) use tiles::{Descend, Overwrite};

/// The largest inner size of a product that `product_nn` can apply as a descent step
/// (`C -= lr A B`): one block of the tiled kernels.
pub(crate) const DESCENT_DEPTH: usize = tiles::DEPTH;

/// Whether a layer's product is computed with the tiled kernels rather than with loops over
/// columns (the fixed-size loops of compiled networks, nalgebra's matrix-vector products in
/// the dynamic engine): a product with `rows` result rows (`units` for the forward pass and
/// the weight gradient, `inputs` for the input gradient), a weight of `weight` values, and
/// `columns` samples.
///
/// Measured on the benchmark machine at 32 samples (f32, AVX-512): the tiled forward kernel
/// reaches 108 GFLOP/s from a 32 x 32 weight on (32 x 64: 108, 64 x 64: 106) against 17 to
/// 22 GFLOP/s for nalgebra's static product, but only about 2 GFLOP/s when the result has
/// fewer than 32 rows (16 x 16, 16 x 64, 10 x 128), whose rows all fall outside the 32-row
/// tiles. Against the fixed-size loops the threshold still holds: the compiled 64-32-10
/// network trains at 2.8 M samples/s at batch 32 with its first layer tiled, 1.7 M with a
/// threshold of 4096 that leaves it to the loops (`cargo bench --bench engines --
/// train/digits/batch32`, the threshold edited). One sample is a matrix-vector product,
/// which the loops do well.
pub const fn tiled(rows: usize, weight: usize, columns: usize) -> bool {
    rows >= 32 && weight >= 1024 && columns > 1
}
