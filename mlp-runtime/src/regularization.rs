//! L1 and L2 penalties over the flat parameter buffer.

use mlp_spec::{ParamRole, ParamSegment, Regularization};

use crate::float::Float;
use crate::loss::sign;

fn penalised<'a>(
    layout: &'a [ParamSegment],
    reg: &'a Regularization,
) -> impl Iterator<Item = &'a ParamSegment> {
    layout.iter().filter(move |segment| {
        segment.role == ParamRole::Weight || (reg.bias && segment.role.is_bias_like())
    })
}

/// The penalty `(l2 / 2) sum p^2 + l1 sum |p|` over the weights (and the biases, and batch
/// norm's scales and shifts, when `reg.bias`), which is part of the reported loss.
pub fn penalty<T: Float>(params: &[T], layout: &[ParamSegment], reg: &Regularization) -> T {
    if !reg.is_active() {
        return T::zero();
    }
    let (l1, l2) = (T::cast(reg.l1), T::cast(reg.l2));
    let half = T::cast(0.5);
    penalised(layout, reg).fold(T::zero(), |acc, segment| {
        params[segment.range()]
            .iter()
            .fold(acc, |acc, &p| acc + half * l2 * p * p + l1 * p.abs())
    })
}

/// Adds the penalty's gradient `l2 p + l1 sign(p)` (with `sign(0) = 0`) to `grads`.
pub fn add_penalty_gradient<T: Float>(
    params: &[T],
    grads: &mut [T],
    layout: &[ParamSegment],
    reg: &Regularization,
) {
    if !reg.is_active() {
        return;
    }
    let (l1, l2) = (T::cast(reg.l1), T::cast(reg.l2));
    for segment in penalised(layout, reg) {
        let range = segment.range();
        for (g, &p) in grads[range.clone()].iter_mut().zip(&params[range]) {
            *g += l2 * p + l1 * sign(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Vec<ParamSegment> {
        let segment = |role, offset, rows, cols| ParamSegment {
            layer: 0,
            role,
            offset,
            rows,
            cols,
            lr_scale: 1.0,
        };
        vec![
            segment(ParamRole::Weight, 0, 1, 2),
            segment(ParamRole::Bias, 2, 1, 1),
        ]
    }

    #[test]
    fn penalties_cover_weights_and_biases_only_when_asked() {
        let params = [2.0f64, -3.0, 4.0];
        let weights_only = Regularization {
            l2: 0.5,
            l1: 0.1,
            bias: false,
        };
        let expected = 0.25 * (4.0 + 9.0) + 0.1 * 5.0;
        assert!((penalty(&params, &layout(), &weights_only) - expected).abs() < 1e-15);
        let mut grads = [0.0; 3];
        add_penalty_gradient(&params, &mut grads, &layout(), &weights_only);
        assert_eq!(grads, [0.5 * 2.0 + 0.1, 0.5 * -3.0 - 0.1, 0.0]);

        let with_bias = Regularization {
            bias: true,
            ..weights_only
        };
        let expected = expected + 0.25 * 16.0 + 0.1 * 4.0;
        assert!((penalty(&params, &layout(), &with_bias) - expected).abs() < 1e-15);
        let mut grads = [0.0; 3];
        add_penalty_gradient(&[0.0, 1.0, 0.0], &mut grads, &layout(), &with_bias);
        assert_eq!(grads, [0.0, 0.5 + 0.1, 0.0], "sign(0) = 0");
    }
}
