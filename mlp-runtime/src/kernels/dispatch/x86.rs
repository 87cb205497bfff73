//! The x86 variants: tile shapes per register file, and horizontal adds for dot products.

use core::any::Any;
use core::arch::x86_64::{
    __m256, _mm256_add_ps, _mm256_hadd_ps, _mm256_loadu_ps, _mm256_permute2f128_ps,
    _mm256_storeu_ps,
};

#[cfg(feature = "std")]
use nalgebra::Const;
use nalgebra::Dim;

use super::super::shape::{Product, Shape};
#[cfg(feature = "std")]
use super::super::small::HeldStep;
use super::super::small::{self, LANES, PortableRowSums, RowSums, Size};
use super::{Epilogue, leads_of, nn, tn};
use crate::float::Float;

/// [`RowSums`] for f32 with AVX's horizontal adds: eight rows in six `vhaddps`, two lane
/// swaps and one add, where the compiler's transpose of the portable code takes about
/// seventy shuffles. Same order of additions, so the same bits.
///
/// A value is a proof that the CPU has AVX: only [`HorizontalAdds::new`], an unsafe function,
/// makes one.
#[derive(Clone, Copy)]
pub(super) struct HorizontalAdds(());

impl HorizontalAdds {
    /// The reduction by horizontal adds.
    ///
    /// # Safety
    ///
    /// The CPU must have AVX.
    pub(super) unsafe fn new() -> Self {
        HorizontalAdds(())
    }
}

impl RowSums for HorizontalAdds {
    #[inline(always)]
    fn row_sums<T: Float>(self, lanes: &[[T; LANES]; LANES], sums: &mut [T; LANES]) {
        // A type test that the compiler resolves per instantiation: f64 keeps the portable
        // code.
        let any_sums: &mut dyn Any = sums;
        match ((lanes as &dyn Any).downcast_ref(), any_sums.downcast_mut()) {
            // SAFETY: `self` exists, so `new` was called on a CPU with AVX.
            (Some(lanes), Some(sums)) => unsafe { horizontal_sums(lanes, sums) },
            _ => PortableRowSums.row_sums(lanes, sums),
        }
    }
}

/// `sums[j] = ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))` of row `j`.
///
/// # Safety
///
/// The CPU must have AVX.
#[inline(always)]
unsafe fn horizontal_sums(lanes: &[[f32; 8]; 8], sums: &mut [f32; 8]) {
    // SAFETY (all intrinsics): the caller guarantees AVX; the loads and the store stay
    // inside arrays of eight f32.
    unsafe {
        let row = |j: usize| -> __m256 { _mm256_loadu_ps(lanes[j].as_ptr()) };
        // [r0 pairs 0-3, r1 pairs 0-3 | r0 pairs 4-7, r1 pairs 4-7], pairwise once more:
        // [r0..r3 sums of lanes 0-3 | r0..r3 sums of lanes 4-7].
        let first = _mm256_hadd_ps(
            _mm256_hadd_ps(row(0), row(1)),
            _mm256_hadd_ps(row(2), row(3)),
        );
        let second = _mm256_hadd_ps(
            _mm256_hadd_ps(row(4), row(5)),
            _mm256_hadd_ps(row(6), row(7)),
        );
        let low_halves = _mm256_permute2f128_ps::<0x20>(first, second);
        let high_halves = _mm256_permute2f128_ps::<0x31>(first, second);
        _mm256_storeu_ps(sums.as_mut_ptr(), _mm256_add_ps(low_halves, high_halves));
    }
}

// Tile shapes: enough independent accumulators to hide the FMA latency, few enough to stay in
// the 32 (AVX-512) or 16 (AVX2) vector registers with the operands. AVX2's 16 x 6 tile (twelve
// accumulators, fifteen registers with a step's operands) had the compiler keep one
// accumulator on the stack, and with run-time sizes the steps waited on it: the dynamic
// engine's 784-128-10 step at batch 32 ran 0.72x the compiled one's (BENCHMARKS.md, "AVX2
// tiles of four columns").

#[target_feature(enable = "avx512f,fma")]
pub(super) fn nn_avx512<T, M, N, K, LA, LB, LC, E, const TRANSPOSED: bool>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    leads: (LA, LB, LC),
    epilogue: E,
) where
    T: Float,
    M: Dim,
    N: Dim,
    K: Dim,
    LA: Dim,
    LB: Dim,
    LC: Dim,
    E: Epilogue<T>,
{
    let (m, n, k) = sizes.get();
    let lead = leads_of(leads);
    nn::<T, 32, 16, 8, TRANSPOSED, true>(m, n, k, a, b, c, lead, epilogue);
}

#[target_feature(enable = "avx2,fma")]
pub(super) fn nn_avx2<T, M, N, K, LA, LB, LC, E, const TRANSPOSED: bool>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    leads: (LA, LB, LC),
    epilogue: E,
) where
    T: Float,
    M: Dim,
    N: Dim,
    K: Dim,
    LA: Dim,
    LB: Dim,
    LC: Dim,
    E: Epilogue<T>,
{
    let (m, n, k) = sizes.get();
    let lead = leads_of(leads);
    nn::<T, 16, 8, 4, TRANSPOSED, true>(m, n, k, a, b, c, lead, epilogue);
}

#[target_feature(enable = "avx512f,fma")]
pub(super) fn tn_avx512<T: Float, M: Dim, N: Dim, K: Dim, LA: Dim, LB: Dim, LC: Dim>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    leads: (LA, LB, LC),
    accumulate: bool,
) {
    let (m, n, k) = sizes.get();
    let lead = leads_of(leads);
    tn::<T, 32, 16, 8, true>(m, n, k, a, b, c, lead, accumulate);
}

#[target_feature(enable = "avx2,fma")]
pub(super) fn tn_avx2<T: Float, M: Dim, N: Dim, K: Dim, LA: Dim, LB: Dim, LC: Dim>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    leads: (LA, LB, LC),
    accumulate: bool,
) {
    let (m, n, k) = sizes.get();
    let lead = leads_of(leads);
    tn::<T, 16, 8, 4, true>(m, n, k, a, b, c, lead, accumulate);
}

/// The one-sample product of wide layers: sixteen lanes, eight vectors of sums per block of
/// 128 rows (a 784-128 weight streams through once, column after column), fused
/// multiply-adds.
#[target_feature(enable = "avx512f,fma")]
pub(super) fn forward_avx512<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    small::forward_fused::<T, I, O, C, 128>(shape, weight, bias, inputs, z);
}

/// One sample's held-back SGD step and the next sample's product of a wide layer in one walk
/// over its weight ([`small::descend_forward`]), with the lanes and blocks of
/// [`forward_avx512`].
#[cfg(feature = "std")]
#[target_feature(enable = "avx512f,fma")]
pub(super) fn descend_forward_avx512<T: Float, I: Size, O: Size>(
    shape: Shape<I, O, Const<1>>,
    step: HeldStep<'_, T>,
    weight: &mut [T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    small::descend_forward::<T, I, O, 128>(shape, step, weight, bias, inputs, z);
}

/// One sample's SGD step on a wide layer ([`small::sgd_layer`]): sixteen lanes, so half the
/// loads and stores of AVX2 for a step that reads and writes the whole weight.
#[target_feature(enable = "avx512f")]
pub(super) fn sgd_avx512<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    bias: &mut [T],
    bias_grad: &mut [T],
    lr: T,
) {
    small::sgd_layer(shape, delta, inputs, weight, bias, bias_grad, lr);
}
