//! Eight `f32` lanes in an AVX register, for the activations' approximations
//! ([`crate::lanes`]).

use core::arch::x86_64::{
    __m256, _CMP_GE_OQ, _CMP_GT_OQ, _CMP_LT_OQ, _mm256_add_epi32, _mm256_add_ps, _mm256_and_ps,
    _mm256_andnot_ps, _mm256_blendv_ps, _mm256_castps_si256, _mm256_castsi256_ps, _mm256_cmp_ps,
    _mm256_div_ps, _mm256_loadu_ps, _mm256_max_ps, _mm256_min_ps, _mm256_mul_ps, _mm256_set1_epi32,
    _mm256_set1_ps, _mm256_slli_epi32, _mm256_storeu_ps, _mm256_sub_epi32, _mm256_sub_ps,
    _mm256_xor_ps,
};
use core::ops::{Add, Div, Mul, Neg, Sub};

use crate::lanes::Lanes;

/// Eight `f32` values in an AVX register.
///
/// Only code compiled for AVX2 computes on it (`map_lanes_avx2`); every operation is one or
/// two AVX2 instructions that round as the scalar operation does.
#[derive(Clone, Copy)]
pub(super) struct F32x8(__m256);

impl F32x8 {
    /// The first eight values of `values`.
    ///
    /// # Safety
    ///
    /// The CPU must have AVX2.
    ///
    /// # Panics
    ///
    /// If `values` has fewer than eight.
    #[inline(always)]
    pub(super) unsafe fn load(values: &[f32]) -> Self {
        let values = &values[..8];
        // SAFETY: the caller guarantees AVX2; the load reads the eight values checked above.
        F32x8(unsafe { _mm256_loadu_ps(values.as_ptr()) })
    }

    /// Writes the lanes into the first eight values of `out`.
    ///
    /// # Panics
    ///
    /// If `out` has fewer than eight.
    #[inline(always)]
    pub(super) fn store(self, out: &mut [f32]) {
        let out = &mut out[..8];
        // SAFETY: the CPU has AVX2 (see below); the store writes the eight values checked
        // above.
        unsafe { _mm256_storeu_ps(out.as_mut_ptr(), self.0) }
    }
}

// SAFETY (every `unsafe` block below): the type is private to the kernels' dispatch, where
// only `map_lanes_avx2`, compiled for AVX2 and called where the CPU has it, computes on it (a
// value exists only from `F32x8::load`, whose caller guarantees AVX2); the intrinsics only
// compute on registers.

/// Implements the arithmetic operator `$operator` (method `$method`) by `$intrinsic`.
macro_rules! arithmetic {
    ($($operator:ident, $method:ident, $intrinsic:ident;)*) => {$(
        impl $operator for F32x8 {
            type Output = Self;

            #[inline(always)]
            fn $method(self, other: Self) -> Self {
                F32x8(unsafe { $intrinsic(self.0, other.0) })
            }
        }
    )*};
}

arithmetic! {
    Add, add, _mm256_add_ps;
    Sub, sub, _mm256_sub_ps;
    Mul, mul, _mm256_mul_ps;
    Div, div, _mm256_div_ps;
}

impl Neg for F32x8 {
    type Output = Self;

    /// The sign bit flipped, as scalar negation does (also for zeros and NaN).
    #[inline(always)]
    fn neg(self) -> Self {
        F32x8(unsafe { _mm256_xor_ps(self.0, _mm256_set1_ps(-0.0)) })
    }
}

impl Lanes for F32x8 {
    /// All ones in a lane where the comparison holds.
    type Mask = __m256;

    #[inline(always)]
    fn splat(value: f32) -> Self {
        F32x8(unsafe { _mm256_set1_ps(value) })
    }

    #[inline(always)]
    fn abs(self) -> Self {
        F32x8(unsafe { _mm256_andnot_ps(_mm256_set1_ps(-0.0), self.0) })
    }

    #[inline(always)]
    fn xor_sign(self, sign: Self) -> Self {
        let sign_bit = unsafe { _mm256_set1_ps(-0.0) };
        F32x8(unsafe { _mm256_xor_ps(self.0, _mm256_and_ps(sign_bit, sign.0)) })
    }

    #[inline(always)]
    fn at_most(self, max: f32) -> Self {
        // `minps(a, b)` is `a < b ? a : b`, so `b` where either is NaN.
        F32x8(unsafe { _mm256_min_ps(_mm256_set1_ps(max), self.0) })
    }

    #[inline(always)]
    fn clamp(self, min: f32, max: f32) -> Self {
        // `maxps(a, b)` is `a > b ? a : b`, so `b` where either is NaN: the value as the
        // second operand passes NaN on, as `f32::clamp` does.
        F32x8(unsafe { _mm256_max_ps(_mm256_set1_ps(min), self.0) }).at_most(max)
    }

    #[inline(always)]
    fn lt(self, other: Self) -> __m256 {
        unsafe { _mm256_cmp_ps::<_CMP_LT_OQ>(self.0, other.0) }
    }

    #[inline(always)]
    fn gt(self, other: Self) -> __m256 {
        unsafe { _mm256_cmp_ps::<_CMP_GT_OQ>(self.0, other.0) }
    }

    #[inline(always)]
    fn ge(self, other: Self) -> __m256 {
        unsafe { _mm256_cmp_ps::<_CMP_GE_OQ>(self.0, other.0) }
    }

    #[inline(always)]
    fn select(mask: __m256, if_true: Self, if_false: Self) -> Self {
        F32x8(unsafe { _mm256_blendv_ps(if_false.0, if_true.0, mask) })
    }

    #[inline(always)]
    fn power_of_two(shifted: Self, offset: f32, negate: bool) -> Self {
        let n = unsafe {
            _mm256_sub_epi32(
                _mm256_castps_si256(shifted.0),
                _mm256_set1_epi32(offset.to_bits() as i32),
            )
        };
        let bias = unsafe { _mm256_set1_epi32(127) };
        let exponent = if negate {
            unsafe { _mm256_sub_epi32(bias, n) }
        } else {
            unsafe { _mm256_add_epi32(n, bias) }
        };
        F32x8(unsafe { _mm256_castsi256_ps(_mm256_slli_epi32::<23>(exponent)) })
    }

    #[cfg(feature = "std")]
    #[inline(always)]
    fn fused_mul_add(self, b: Self, c: Self) -> Self {
        #[cfg(target_feature = "fma")]
        {
            use core::arch::x86_64::_mm256_fmadd_ps;
            F32x8(unsafe { _mm256_fmadd_ps(self.0, b.0, c.0) })
        }
        // Without the instruction in the build, the standard library's, lane by lane (only
        // the tests compute fused multiply-adds in such a build).
        #[cfg(not(target_feature = "fma"))]
        {
            let ([mut a, mut b_lanes, mut c_lanes], mut out) = ([[0.0f32; 8]; 3], [0.0f32; 8]);
            self.store(&mut a);
            b.store(&mut b_lanes);
            c.store(&mut c_lanes);
            for (k, out) in out.iter_mut().enumerate() {
                *out = a[k].mul_add(b_lanes[k], c_lanes[k]);
            }
            // SAFETY: the CPU has AVX2 (see above).
            unsafe { F32x8::load(&out) }
        }
    }
}
