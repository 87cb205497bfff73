//! `exp` and `tanh` for `f32` from plain arithmetic, for activations and softmax.
//!
//! The C library's `expf` and `tanhf` are calls the compiler cannot vectorise, and `tanhf`
//! (through `expm1f`) took more than half of a 2-8-1 network's training step. These have no
//! branches, so a layer's loop runs them several lanes at a time, and they use no fused
//! multiply-add, so they give the same bits on every CPU and platform (the C library's do
//! not). The tests bound their error against `f64`: within 1.5 ulp for `exp` (1.23
//! measured), 2.5 ulp for `tanh` (1.84 measured).

/// `1.5 * 2^23`: adding it rounds a float of magnitude below `2^22` to an integer, which is
/// then in the low bits of the sum.
const ROUNDER: f32 = 12_582_912.0;

/// `ln 2` in two parts (Cody and Waite): `n * LN2_HI` is exact for the `n` used here.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;

/// Below this, `e^x` is under the smallest normal float and the result is 0.
const EXP_MIN: f32 = -87.3;
/// Inputs above this give `e^88` (no caller needs more: softmax and sigmoid pass
/// non-positive values, tanh saturates long before).
const EXP_MAX: f32 = 88.0;

/// `e^x`, within 1.5 ulp for `x` in `[-87.3, 88]`; 0 below, `e^88` above, NaN for NaN.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // Only the upper bound: below EXP_MIN the result is replaced by 0 at the end, whatever
    // the arithmetic made of it, and one comparison less is shorter latency for a softmax.
    let clamped = if x > EXP_MAX { EXP_MAX } else { x };
    // x = n ln 2 + r with |r| <= ln 2 / 2, so e^x = 2^n e^r.
    let shifted = clamped * core::f32::consts::LOG2_E + ROUNDER;
    let n = shifted - ROUNDER;
    let r = (clamped - n * LN2_HI) - n * LN2_LO;
    // Taylor series of e^r to degree 7: the remainder is below 6e-9 relative. Evaluated by
    // Estrin's scheme, pairs then pairs of pairs, rather than by Horner's rule, whose chain
    // of dependent operations was the latency of a softmax over a few outputs.
    // The 1 is added last, so that only one rounding happens at its magnitude.
    let r2 = r * r;
    let r4 = r2 * r2;
    let p23 = 1.0 / 2.0 + r * (1.0 / 6.0);
    let p45 = 1.0 / 24.0 + r * (1.0 / 120.0);
    let p67 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    let p = 1.0 + ((r + r2 * p23) + r4 * (p45 + r2 * p67));
    // The integer n sits in the low bits of `shifted`; 2^n is its biased exponent.
    let exponent = shifted
        .to_bits()
        .wrapping_sub(ROUNDER.to_bits())
        .wrapping_add(127);
    let value = p * f32::from_bits(exponent << 23);
    if x < EXP_MIN { 0.0 } else { value }
}

/// Where [`tanh`] switches from its series to the exponential.
const TANH_SERIES_END: f32 = 0.5;

/// `tanh x`, within 2.5 ulp.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    // Near 0, 1 - 2 / (e^2a + 1) cancels, so the odd Taylor series (to x^15) is used there:
    // below 0.5 its remainder is under 1e-8 relative.
    let s = x * x;
    let series = x
        * (1.0
            + s * (-1.0 / 3.0
                + s * (2.0 / 15.0
                    + s * (-17.0 / 315.0
                        + s * (62.0 / 2835.0
                            + s * (-1382.0 / 155_925.0
                                + s * (21844.0 / 6_081_075.0
                                    + s * (-929_569.0 / 638_512_875.0))))))));
    let saturating = (1.0 - 2.0 / (exp(2.0 * a) + 1.0)).copysign(x);
    if a < TANH_SERIES_END {
        series
    } else {
        saturating
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between `value` and the `f64` reference.
    fn ulps(value: f32, reference: f64) -> f64 {
        let rounded = reference as f32;
        let ulp = (f32::from_bits(rounded.abs().to_bits() + 1) - rounded.abs()) as f64;
        ((value as f64) - reference).abs() / ulp
    }

    /// Every 997th float of `[-range, range]`, so the test sees every binade's patterns.
    fn samples(range: f32) -> impl Iterator<Item = f32> {
        (0..u32::MAX / 997)
            .map(|i| f32::from_bits(i * 997))
            .filter(move |x| x.is_finite() && x.abs() <= range)
            .flat_map(|x| [x, -x])
    }

    #[test]
    fn exp_is_within_one_and_a_half_ulp() {
        let mut worst = (0.0, 0.0f32);
        for x in samples(87.0) {
            let error = ulps(exp(x), (x as f64).exp());
            if error > worst.0 {
                worst = (error, x);
            }
        }
        assert!(worst.0 <= 1.5, "{} ulp at {}", worst.0, worst.1);
    }

    #[test]
    fn tanh_is_within_two_and_a_half_ulp() {
        let mut worst = (0.0, 0.0f32);
        for x in samples(20.0) {
            let reference = (x as f64).tanh();
            if reference == 0.0 {
                continue;
            }
            let error = ulps(tanh(x), reference);
            if error > worst.0 {
                worst = (error, x);
            }
        }
        assert!(worst.0 <= 2.5, "{} ulp at {}", worst.0, worst.1);
    }

    #[test]
    fn limits_and_special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-100.0), 0.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert!(exp(f32::NAN).is_nan());
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(tanh(50.0), 1.0);
        assert_eq!(tanh(-50.0), -1.0);
        assert_eq!(tanh(f32::INFINITY), 1.0);
        assert!(tanh(f32::NAN).is_nan());
    }
}
