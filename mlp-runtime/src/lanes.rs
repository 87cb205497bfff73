//! The arithmetic `crate::approx`'s functions are written in, for one `f32` or for several
//! computed together in a vector register: one implementation of each function, whose lanes
//! give the same bits as the scalar version, since every operation and its order are the same.
//!
//! A layer's activations run on eight lanes where the CPU has AVX2 (the kernels' `F32x8`).
//! Written with explicit lanes, the activation of a small layer can be inlined into a
//! one-sample pass and stay vectorised; the compiler unrolled the scalar loop of a few values
//! into scalar code there, so that loop had to be a call.

use core::ops::{Add, Div, Mul, Neg, Sub};

/// One `f32` or several, with the operations the approximations use. Comparisons give a
/// mask with which [`Lanes::select`] picks, lane by lane, so that a function has no branch.
pub(crate) trait Lanes:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The result of a comparison in each lane.
    type Mask: Copy;

    /// `value` in every lane.
    fn splat(value: f32) -> Self;

    /// `|self|`.
    fn abs(self) -> Self;

    /// `self` with its sign bit flipped where `sign`'s is set: `self.copysign(sign)` for a
    /// `self` whose sign bit is clear, in one operation.
    fn xor_sign(self, sign: Self) -> Self;

    /// `self` limited to at most `max`, NaN passed on.
    fn at_most(self, max: f32) -> Self;

    /// `self` limited to `[min, max]`, NaN passed on: `f32::clamp`.
    fn clamp(self, min: f32, max: f32) -> Self;

    /// `self < other` (false where either is NaN).
    fn lt(self, other: Self) -> Self::Mask;

    /// `self > other` (false where either is NaN).
    fn gt(self, other: Self) -> Self::Mask;

    /// `self >= other` (false where either is NaN).
    fn ge(self, other: Self) -> Self::Mask;

    /// `if_true` where `mask` holds, `if_false` elsewhere.
    fn select(mask: Self::Mask, if_true: Self, if_false: Self) -> Self;

    /// `2^n`, or `2^-n` if `negate`, as a float built from its biased exponent, for the
    /// integer `n` held in the low bits of `shifted = offset + n` (`offset` is `1.5 * 2^23`,
    /// so that those bits are `offset`'s plus `n`): exact while the power is within
    /// `[-126, 127]`.
    fn power_of_two(shifted: Self, offset: f32, negate: bool) -> Self;

    /// `self * b + c` with one rounding (only tests use it where the build has no fused
    /// multiply-add instruction).
    #[cfg(feature = "std")]
    #[cfg_attr(not(target_feature = "fma"), allow(dead_code))]
    fn fused_mul_add(self, b: Self, c: Self) -> Self;
}

impl Lanes for f32 {
    type Mask = bool;

    #[inline(always)]
    fn splat(value: f32) -> Self {
        value
    }

    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }

    #[inline(always)]
    fn xor_sign(self, sign: Self) -> Self {
        f32::from_bits(self.to_bits() ^ (sign.to_bits() & (-0.0f32).to_bits()))
    }

    #[inline(always)]
    fn at_most(self, max: f32) -> Self {
        // Written as `minss(max, self)` computes it, whose second operand passes NaN on.
        if max < self { max } else { self }
    }

    #[inline(always)]
    fn clamp(self, min: f32, max: f32) -> Self {
        f32::clamp(self, min, max)
    }

    #[inline(always)]
    fn lt(self, other: Self) -> bool {
        self < other
    }

    #[inline(always)]
    fn gt(self, other: Self) -> bool {
        self > other
    }

    #[inline(always)]
    fn ge(self, other: Self) -> bool {
        self >= other
    }

    #[inline(always)]
    fn select(mask: bool, if_true: Self, if_false: Self) -> Self {
        if mask { if_true } else { if_false }
    }

    #[inline(always)]
    fn power_of_two(shifted: Self, offset: f32, negate: bool) -> Self {
        let n = shifted.to_bits().wrapping_sub(offset.to_bits()) as i32;
        let power = if negate { n.wrapping_neg() } else { n };
        f32::from_bits((power.wrapping_add(127) as u32) << 23)
    }

    #[cfg(feature = "std")]
    #[inline(always)]
    fn fused_mul_add(self, b: Self, c: Self) -> Self {
        f32::mul_add(self, b, c)
    }
}
