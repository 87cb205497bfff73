//! RMSprop, as `torch.optim.RMSprop` (not centred, no momentum).

use crate::float::Float;

/// `v = alpha v + (1 - alpha) g^2`, then `p -= lr g / (sqrt(v) + eps)`. Subnormal gradients
/// and averages count as zero ([`Float::flush_subnormal`]).
#[inline(always)]
pub fn rmsprop<T: Float>(
    params: &mut [T],
    grads: &[T],
    square_avg: &mut [T],
    lr: T,
    alpha: T,
    eps: T,
) {
    for ((p, &g), v) in params.iter_mut().zip(grads).zip(square_avg.iter_mut()) {
        let g = g.flush_subnormal();
        *v = (alpha * *v + (T::one() - alpha) * g * g).flush_subnormal();
        *p -= lr * g / (v.sqrt() + eps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_steps_by_hand() {
        // p0 = 1, g = 2p + 1, lr 0.01, alpha 0.99, eps 1e-8.
        // Step 1: v = 0.01 * 9 = 0.09, p = 1 - 0.01 * 3 / (0.3 + 1e-8) = 0.9000000033...
        // Step 2: g = 2.8, v = 0.0891 + 0.0784 = 0.1675, p = 0.9 - 0.028 / 0.409267...
        // Step 3: g = 2 p2 + 1, v = 0.99 v2 + 0.01 g^2.
        let (mut p, mut v) = ([1.0f64], [0.0]);
        rmsprop(&mut p, &[3.0], &mut v, 0.01, 0.99, 1e-8);
        let p1 = 1.0 - 0.03 / (0.3 + 1e-8);
        assert!(
            (v[0] - 0.09).abs() < 1e-12 && (p[0] - p1).abs() < 1e-15,
            "{p:?} {v:?}"
        );
        let grad = [2.0 * p[0] + 1.0];
        rmsprop(&mut p, &grad, &mut v, 0.01, 0.99, 1e-8);
        let g2 = 2.0 * p1 + 1.0;
        let v2 = 0.99 * 0.09 + 0.01 * g2 * g2;
        let p2 = p1 - 0.01 * g2 / (v2.sqrt() + 1e-8);
        assert!((v2 - 0.1675).abs() < 1e-7, "{v2}");
        assert!(
            (v[0] - v2).abs() < 1e-15 && (p[0] - p2).abs() < 1e-15,
            "{p:?} {v:?}"
        );
        let g3 = 2.0 * p2 + 1.0;
        let v3 = 0.99 * v2 + 0.01 * g3 * g3;
        let p3 = p2 - 0.01 * g3 / (v3.sqrt() + 1e-8);
        rmsprop(&mut p, &[g3], &mut v, 0.01, 0.99, 1e-8);
        assert!((p[0] - p3).abs() < 1e-12, "{} vs {p3}", p[0]);
    }

    #[test]
    fn subnormal_gradients_and_averages_are_zero() {
        let tiny = f32::MIN_POSITIVE;
        let (mut p, mut v) = ([0.5f32, 0.5], [tiny, 0.0]);
        rmsprop(&mut p, &[0.0, tiny / 8.0], &mut v, 0.01, 0.99, 1e-8);
        assert_eq!(v, [0.0, 0.0]);
        assert_eq!(p, [0.5, 0.5]);
    }
}
