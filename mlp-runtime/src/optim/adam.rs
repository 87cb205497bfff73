//! Adam and AdamW, as `torch.optim.Adam` and `torch.optim.AdamW`.

use crate::float::Float;

/// Adam's hyper-parameters for one step of one parameter segment.
#[derive(Clone, Copy, Debug)]
pub struct AdamStep<T> {
    /// `lr / (1 - beta1^t)`: the learning rate with the first moment's bias correction.
    pub step_size: T,
    /// `sqrt(1 - beta2^t)`: the second moment's bias correction.
    pub correction2_sqrt: T,
    /// First-moment decay.
    pub beta1: T,
    /// Second-moment decay.
    pub beta2: T,
    /// Added after the square root.
    pub eps: T,
}

impl<T: Float> AdamStep<T> {
    /// The hyper-parameters of step `step` (counting from 1) with learning rate `lr`.
    ///
    /// The bias corrections are computed in `f64` and rounded once, as PyTorch computes them
    /// in Python floats.
    pub fn new(lr: f64, beta1: f64, beta2: f64, eps: f64, step: u64) -> Self {
        Self::with_corrections(lr, beta1, beta2, eps, bias_corrections(beta1, beta2, step))
    }

    /// The hyper-parameters for the corrections `(1 - beta1^t, sqrt(1 - beta2^t))` that
    /// [`bias_corrections`] computed once for every segment of a step.
    pub(crate) fn with_corrections(
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
        (correction1, correction2_sqrt): (f64, f64),
    ) -> Self {
        AdamStep {
            step_size: T::cast(lr / correction1),
            correction2_sqrt: T::cast(correction2_sqrt),
            beta1: T::cast(beta1),
            beta2: T::cast(beta2),
            eps: T::cast(eps),
        }
    }
}

/// `(1 - beta1^t, sqrt(1 - beta2^t))` for step `t` (counting from 1).
pub(crate) fn bias_corrections(beta1: f64, beta2: f64, step: u64) -> (f64, f64) {
    let step = i32::try_from(step).unwrap_or(i32::MAX);
    (1.0 - beta1.powi(step), (1.0 - beta2.powi(step)).sqrt())
}

/// `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`, then
/// `p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`, PyTorch's arrangement of
/// the bias corrections. Subnormal gradients and moments count as zero
/// ([`Float::flush_subnormal`]).
#[inline(always)]
pub fn adam<T: Float>(params: &mut [T], grads: &[T], m: &mut [T], v: &mut [T], hyper: AdamStep<T>) {
    let AdamStep {
        step_size,
        correction2_sqrt,
        beta1,
        beta2,
        eps,
    } = hyper;
    let one = T::one();
    for (((p, &g), m), v) in params
        .iter_mut()
        .zip(grads)
        .zip(m.iter_mut())
        .zip(v.iter_mut())
    {
        let g = g.flush_subnormal();
        *m = (beta1 * *m + (one - beta1) * g).flush_subnormal();
        *v = (beta2 * *v + (one - beta2) * g * g).flush_subnormal();
        *p -= step_size * *m / (v.sqrt() / correction2_sqrt + eps);
    }
}

/// AdamW's decoupled decay, applied before the Adam step: `p -= lr wd p`.
#[inline(always)]
pub fn decay<T: Float>(params: &mut [T], lr: T, weight_decay: T) {
    let keep = T::one() - lr * weight_decay;
    for p in params {
        *p *= keep;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hyper(step: i32) -> AdamStep<f64> {
        AdamStep::new(0.1, 0.9, 0.999, 1e-8, step as u64)
    }

    #[test]
    fn three_adam_steps_by_hand() {
        // p0 = 1, g = 2p + 1. Step 1: m = 0.3, v = 0.009; mhat = 3, vhat = 9: p = 1 - 0.1 * 3 / (3 + 1e-8).
        let (mut p, mut m, mut v) = ([1.0f64], [0.0], [0.0]);
        adam(&mut p, &[3.0], &mut m, &mut v, hyper(1));
        let p1 = 1.0 - 0.1 * 3.0 / (3.0 + 1e-8);
        assert!((m[0] - 0.3).abs() < 1e-15 && (v[0] - 0.009).abs() < 1e-15);
        assert!((p[0] - p1).abs() < 1e-15, "{} vs {p1}", p[0]);
        // Steps 2 and 3 from the formulas in plain arithmetic.
        let (mut mm, mut vv, mut pp) = (0.3f64, 0.009f64, p1);
        for step in 2..=3 {
            let g = 2.0 * pp + 1.0;
            mm = 0.9 * mm + 0.1 * g;
            vv = 0.999 * vv + 0.001 * g * g;
            let mhat = mm / (1.0 - 0.9f64.powi(step));
            let vhat = vv / (1.0 - 0.999f64.powi(step));
            pp -= 0.1 * mhat / (vhat.sqrt() + 1e-8);
            adam(&mut p, &[g], &mut m, &mut v, hyper(step));
            assert!((p[0] - pp).abs() < 1e-12, "step {step}: {} vs {pp}", p[0]);
        }
    }

    #[test]
    fn three_adamw_steps_by_hand() {
        // As Adam, with p -= lr wd p before each step (lr 0.1, wd 0.01).
        let (mut p, mut m, mut v) = ([1.0f64], [0.0], [0.0]);
        let (mut pp, mut mm, mut vv) = (1.0f64, 0.0f64, 0.0f64);
        for step in 1..=3 {
            let g = 2.0 * pp + 1.0;
            pp -= 0.1 * 0.01 * pp;
            mm = 0.9 * mm + 0.1 * g;
            vv = 0.999 * vv + 0.001 * g * g;
            let mhat = mm / (1.0 - 0.9f64.powi(step));
            let vhat = vv / (1.0 - 0.999f64.powi(step));
            pp -= 0.1 * mhat / (vhat.sqrt() + 1e-8);
            decay(&mut p, 0.1, 0.01);
            adam(&mut p, &[g], &mut m, &mut v, hyper(step));
            assert!((p[0] - pp).abs() < 1e-12, "step {step}: {} vs {pp}", p[0]);
        }
    }

    #[test]
    fn adamw_decays_before_the_adam_step() {
        let (mut p, mut m, mut v) = ([1.0f64], [0.0], [0.0]);
        decay(&mut p, 0.1, 0.01);
        assert_eq!(p[0], 1.0 - 0.1 * 0.01);
        adam(&mut p, &[3.0], &mut m, &mut v, hyper(1));
        assert!((p[0] - (0.999 - 0.1 * 3.0 / (3.0 + 1e-8))).abs() < 1e-15);
    }

    #[test]
    fn subnormal_gradients_and_moments_are_zero() {
        let tiny = f32::MIN_POSITIVE;
        let hyper = AdamStep::new(0.1, 0.9, 0.999, 1e-8, 50);
        // A first moment decaying below the smallest normal number, with no gradient; a
        // subnormal gradient, whose square underflows too.
        let (mut p, mut m, mut v) = ([0.5f32, 0.5], [tiny * 1.05, 0.0], [1e-30f32, 0.0]);
        adam(&mut p, &[0.0, tiny / 4.0], &mut m, &mut v, hyper);
        assert_eq!(m, [0.0, 0.0]);
        assert_eq!(v[1], 0.0);
        assert_eq!(p, [0.5, 0.5]);
        // The smallest normal moment is kept.
        let (mut p, mut m, mut v) = ([0.5f32], [0.0], [0.0]);
        adam(&mut p, &[tiny * 10.0], &mut m, &mut v, hyper);
        assert_eq!(m[0], 0.1 * tiny * 10.0);
    }
}
