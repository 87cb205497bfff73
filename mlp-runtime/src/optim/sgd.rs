//! Stochastic gradient descent, plain and with (Nesterov) momentum, as `torch.optim.SGD`.

use crate::float::Float;

/// `p -= lr g`.
#[inline(always)]
pub fn sgd<T: Float>(params: &mut [T], grads: &[T], lr: T) {
    for (p, &g) in params.iter_mut().zip(grads) {
        *p -= lr * g;
    }
}

/// `buf = mu buf + g`, then `p -= lr buf`, or with Nesterov `p -= lr (g + mu buf)`.
///
/// The buffer starts at zero, so the first step sets it to `g` exactly as PyTorch's
/// `buf = clone(g)` does. Subnormal gradients and buffers count as zero
/// ([`Float::flush_subnormal`]).
#[inline(always)]
pub fn momentum<T: Float>(
    params: &mut [T],
    grads: &[T],
    buffer: &mut [T],
    lr: T,
    momentum: T,
    nesterov: bool,
) {
    for ((p, &g), b) in params.iter_mut().zip(grads).zip(buffer.iter_mut()) {
        let g = g.flush_subnormal();
        *b = (momentum * *b + g).flush_subnormal();
        let direction = if nesterov { g + momentum * *b } else { *b };
        *p -= lr * direction;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A parameter p0 = 1 with the gradient g = 2p + 1 (of p^2 + p), three steps.

    #[test]
    fn sgd_steps_by_hand() {
        let (mut p, lr) = ([1.0f64], 0.1);
        let expected = [1.0 - 0.1 * 3.0, 0.7 - 0.1 * 2.4, 0.46 - 0.1 * 1.92];
        for want in expected {
            let g = [2.0 * p[0] + 1.0];
            sgd(&mut p, &g, lr);
            assert!((p[0] - want).abs() < 1e-15, "{} vs {want}", p[0]);
        }
    }

    #[test]
    fn momentum_and_nesterov_steps_by_hand() {
        // Momentum 0.9, lr 0.1: buf1 = 3, p1 = 0.7; g = 2.4, buf2 = 2.7 + 2.4 = 5.1,
        // p2 = 0.19; g = 1.38, buf3 = 4.59 + 1.38 = 5.97, p3 = -0.407.
        let (mut p, mut buf) = ([1.0f64], [0.0]);
        for want in [0.7, 0.19, -0.407] {
            let g = [2.0 * p[0] + 1.0];
            momentum(&mut p, &g, &mut buf, 0.1, 0.9, false);
            assert!((p[0] - want).abs() < 1e-12, "{} vs {want}", p[0]);
        }
        // Nesterov: buf1 = 3, step 3 + 2.7 = 5.7, p1 = 0.43; g = 1.86, buf2 = 2.7 + 1.86 = 4.56,
        // step 1.86 + 4.104 = 5.964, p2 = -0.1664; g = 0.6672, buf3 = 4.104 + 0.6672 = 4.7712,
        // step 0.6672 + 4.29408 = 4.96128, p3 = -0.662528.
        let (mut p, mut buf) = ([1.0f64], [0.0]);
        for want in [0.43, -0.1664, -0.662528] {
            let g = [2.0 * p[0] + 1.0];
            momentum(&mut p, &g, &mut buf, 0.1, 0.9, true);
            assert!((p[0] - want).abs() < 1e-12, "{} vs {want}", p[0]);
        }
    }

    #[test]
    fn subnormal_gradients_and_buffers_are_zero() {
        let tiny = f32::MIN_POSITIVE;
        for nesterov in [false, true] {
            let (mut p, mut buf) = ([0.5f32, 0.5], [tiny, 0.0]);
            momentum(&mut p, &[0.0, tiny / 8.0], &mut buf, 0.1, 0.9, nesterov);
            assert_eq!(buf, [0.0, 0.0]);
            assert_eq!(p, [0.5, 0.5]);
        }
    }
}
