//! Adagrad, as `torch.optim.Adagrad` (no learning-rate decay).

use crate::float::Float;

/// `sum += g^2`, then `p -= lr g / (sqrt(sum) + eps)`. Subnormal gradients and sums count as
/// zero ([`Float::flush_subnormal`]).
#[inline(always)]
pub fn adagrad<T: Float>(params: &mut [T], grads: &[T], sum: &mut [T], lr: T, eps: T) {
    for ((p, &g), s) in params.iter_mut().zip(grads).zip(sum.iter_mut()) {
        let g = g.flush_subnormal();
        *s = (*s + g * g).flush_subnormal();
        *p -= lr * g / (s.sqrt() + eps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_steps_by_hand() {
        // p0 = 1, g = 2p + 1, lr 0.1, eps 1e-10, initial accumulator 0.5.
        let (mut p, mut sum) = ([1.0f64], [0.5]);
        let mut want = 1.0f64;
        let mut acc = 0.5f64;
        for _ in 0..3 {
            let g = 2.0 * want + 1.0;
            acc += g * g;
            want -= 0.1 * g / (acc.sqrt() + 1e-10);
            let grad = [2.0 * p[0] + 1.0];
            adagrad(&mut p, &grad, &mut sum, 0.1, 1e-10);
            assert_eq!(p[0], want);
        }
        // The values themselves: sum1 = 9.5, p1 = 1 - 0.3 / sqrt(9.5) = 0.9026671...
        let (mut p, mut sum) = ([1.0f64], [0.5]);
        adagrad(&mut p, &[3.0], &mut sum, 0.1, 1e-10);
        assert!((p[0] - 0.902_667_147_3).abs() < 1e-9, "{}", p[0]);
    }

    #[test]
    fn subnormal_gradients_and_sums_are_zero() {
        // A gradient of 1e-20 squares to a subnormal; one of MIN_POSITIVE / 8 is subnormal.
        let (mut p, mut sum) = ([0.5f32, 0.5], [0.0, 0.0]);
        adagrad(
            &mut p,
            &[1e-20, f32::MIN_POSITIVE / 8.0],
            &mut sum,
            0.1,
            1e-10,
        );
        assert_eq!(sum, [0.0, 0.0]);
        assert_eq!(p[1], 0.5);
    }
}
