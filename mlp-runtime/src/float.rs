//! The scalar types a network can compute in.

use core::fmt::{Debug, Display, LowerExp};

use nalgebra::RealField;

/// The index of the first value of `values` that is NaN or infinite, for the errors that name
/// it (a step's, a prediction's, a data set's); `None` when every value is finite.
#[cfg(feature = "std")]
pub(crate) fn first_not_finite<T: Float>(values: &[T]) -> Option<usize> {
    values.iter().position(|value| !value.as_f64().is_finite())
}

/// A floating-point scalar: `f32` or `f64`, chosen by the spec's `precision`.
///
/// Everything nalgebra's [`RealField`] offers, plus exact conversions to and from `f64` for
/// hyper-parameters and reports, and the error function used by GELU.
pub trait Float:
    RealField + Copy + Default + Debug + Display + LowerExp + Send + Sync + 'static
{
    /// The spec's name for this precision (`"f32"` or `"f64"`).
    const NAME: &'static str;

    /// The machine epsilon, as `f64`: the gap between 1 and the next value of this type.
    const EPSILON: f64;

    /// Converts from `f64`, rounding to nearest.
    fn cast(value: f64) -> Self;

    /// Converts to `f64` exactly.
    fn as_f64(self) -> f64;

    /// The error function `erf(x)`.
    fn erf(self) -> Self;

    /// `e^x` for activations: for `f32` a branch-free approximation within 1.5 ulp that
    /// vectorises and gives the same bits on every CPU a build runs on (0 below -87.3, `e^88`
    /// above 88); for `f64` the standard library's.
    fn activation_exp(self) -> Self;

    /// `tanh x` for activations: for `f32` a branch-free approximation within 2 ulp, for
    /// `f64` the standard library's.
    fn activation_tanh(self) -> Self;

    /// The logistic function `1 / (1 + e^-x)`, without overflow for any `x`: for `f32` a
    /// branch-free approximation within 2.5 ulp (exactly 0 below -87.3 and 1 above 87.3), for
    /// `f64` from the standard library's `exp`.
    fn activation_sigmoid(self) -> Self;

    /// `tanh x` for the `fast_tanh` activation: for `f32` Eigen's rational approximation
    /// ([`crate::activation::FastTanh`]), for `f64` [`Float::activation_tanh`].
    fn activation_fast_tanh(self) -> Self;

    /// The logistic function for the `fast_sigmoid` activation: for `f32` from the fast
    /// `tanh` ([`crate::activation::FastSigmoid`]), for `f64` [`Float::activation_sigmoid`].
    fn activation_fast_sigmoid(self) -> Self;

    /// Zero for a subnormal value (nonzero, smaller in magnitude than the smallest normal
    /// number), else the value. Optimizers flush their gradients and moments with it: a
    /// moment that decays geometrically (a saturated network's vanishing gradients) would
    /// otherwise stay subnormal for hundreds of steps, and arithmetic on subnormals takes a
    /// microcode assist on x86, many times slower, for a share of a step below the rounding
    /// of any parameter of ordinary size.
    fn flush_subnormal(self) -> Self;

    /// Pre-activations `z` and their activations' block `a` as `f32` slices, where `Self` is
    /// `f32`: the activations with vector code for `f32` ([`crate::activation::Tanh`] and the
    /// other logistic ones) reach it through this.
    fn as_f32_blocks<'a>(z: &'a [Self], a: &'a mut [Self]) -> Option<(&'a [f32], &'a mut [f32])>;

    /// Appends the little-endian bytes of the value.
    #[cfg(feature = "std")]
    fn extend_le_bytes(self, out: &mut Vec<u8>);

    /// Reads a value from exactly `size_of::<Self>()` little-endian bytes.
    #[cfg(feature = "std")]
    ///
    /// # Panics
    ///
    /// If `bytes` has another length.
    fn from_le_slice(bytes: &[u8]) -> Self;
}

impl Float for f32 {
    const NAME: &'static str = "f32";
    const EPSILON: f64 = f32::EPSILON as f64;

    fn cast(value: f64) -> Self {
        value as f32
    }

    fn as_f64(self) -> f64 {
        f64::from(self)
    }

    fn erf(self) -> Self {
        libm::erff(self)
    }

    #[inline(always)]
    fn activation_exp(self) -> Self {
        crate::approx::exp(self)
    }

    #[inline(always)]
    fn activation_tanh(self) -> Self {
        crate::approx::tanh(self)
    }

    #[inline(always)]
    fn activation_sigmoid(self) -> Self {
        crate::approx::sigmoid(self)
    }

    #[inline(always)]
    fn activation_fast_tanh(self) -> Self {
        crate::approx::fast_tanh(self)
    }

    #[inline(always)]
    fn activation_fast_sigmoid(self) -> Self {
        crate::approx::fast_sigmoid(self)
    }

    #[inline(always)]
    fn flush_subnormal(self) -> Self {
        if self.abs() < f32::MIN_POSITIVE {
            0.0
        } else {
            self
        }
    }

    #[cfg(feature = "std")]
    fn extend_le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }

    #[inline(always)]
    fn as_f32_blocks<'a>(z: &'a [Self], a: &'a mut [Self]) -> Option<(&'a [f32], &'a mut [f32])> {
        Some((z, a))
    }

    #[cfg(feature = "std")]
    fn from_le_slice(bytes: &[u8]) -> Self {
        f32::from_le_bytes(bytes.try_into().expect("4 bytes"))
    }
}

impl Float for f64 {
    const NAME: &'static str = "f64";
    const EPSILON: f64 = f64::EPSILON;

    fn cast(value: f64) -> Self {
        value
    }

    fn as_f64(self) -> f64 {
        self
    }

    fn erf(self) -> Self {
        libm::erf(self)
    }

    #[inline(always)]
    fn activation_exp(self) -> Self {
        #[cfg(feature = "std")]
        return f64::exp(self);
        #[cfg(not(feature = "std"))]
        return libm::exp(self);
    }

    #[inline(always)]
    fn activation_tanh(self) -> Self {
        #[cfg(feature = "std")]
        return f64::tanh(self);
        #[cfg(not(feature = "std"))]
        return libm::tanh(self);
    }

    #[inline(always)]
    fn activation_sigmoid(self) -> Self {
        // 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below, without a branch.
        let e = (-self.abs()).activation_exp();
        let numerator = if self >= 0.0 { 1.0 } else { e };
        numerator / (1.0 + e)
    }

    // In `f64` the exact functions are what a fast one would approximate in `f32`.
    #[inline(always)]
    fn activation_fast_tanh(self) -> Self {
        self.activation_tanh()
    }

    #[inline(always)]
    fn activation_fast_sigmoid(self) -> Self {
        self.activation_sigmoid()
    }

    #[inline(always)]
    fn flush_subnormal(self) -> Self {
        if self.abs() < f64::MIN_POSITIVE {
            0.0
        } else {
            self
        }
    }

    #[cfg(feature = "std")]
    fn extend_le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }

    #[inline(always)]
    fn as_f32_blocks<'a>(_z: &'a [Self], _a: &'a mut [Self]) -> Option<(&'a [f32], &'a mut [f32])> {
        None
    }

    #[cfg(feature = "std")]
    fn from_le_slice(bytes: &[u8]) -> Self {
        f64::from_le_bytes(bytes.try_into().expect("8 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_subnormals_flush() {
        let tiny = f32::MIN_POSITIVE;
        for value in [tiny / 2.0, -tiny / 2.0, f32::from_bits(1), 0.0, -0.0] {
            assert_eq!(value.flush_subnormal().to_bits(), 0, "{value:e}");
        }
        for value in [tiny, -tiny, 1.0, f32::INFINITY, f32::MAX] {
            assert_eq!(value.flush_subnormal(), value);
        }
        assert!(f32::NAN.flush_subnormal().is_nan());
        assert_eq!((f64::MIN_POSITIVE / 2.0).flush_subnormal().to_bits(), 0);
        assert_eq!(f64::MIN_POSITIVE.flush_subnormal(), f64::MIN_POSITIVE);
        assert_eq!(
            f64::from(tiny / 2.0).flush_subnormal(),
            f64::from(tiny / 2.0)
        );
    }
}
