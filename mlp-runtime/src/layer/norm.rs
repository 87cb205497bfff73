//! Batch normalisation of a `units x columns` block, as `torch.nn.BatchNorm1d`: statistics
//! per unit over the samples, in the pass's mode. Loops run over units inside columns, so they
//! read the column-major blocks in order.

use super::extras::{Norm, Pass};
use crate::float::Float;

/// The normalisation's parameters and running statistics, each `units` long.
pub(super) struct NormParams<'p, T> {
    pub(super) gamma: &'p [T],
    pub(super) beta: &'p [T],
    pub(super) running_mean: &'p [T],
    pub(super) running_var: &'p [T],
}

/// The batch's statistics: mean, `1 / sqrt(var + eps)`, biased variance.
fn split<T>(stats: &mut [T], units: usize) -> (&mut [T], &mut [T], &mut [T]) {
    let (mean, rest) = stats.split_at_mut(units);
    let (inv_std, rest) = rest.split_at_mut(units);
    (mean, inv_std, &mut rest[..units])
}

/// Normalises `z` (the product `u`, overwritten with `gamma x̂ + beta`), keeping `x̂` and the
/// statistics for the backward pass. Training uses the first `valid` columns' mean and biased
/// variance; evaluation the running ones. Padding columns are normalised too (and ignored).
pub(super) fn forward<T: Float>(
    norm: Norm,
    params: NormParams<'_, T>,
    pass: Pass,
    units: usize,
    z: &mut [T],
    xhat: &mut [T],
    stats: &mut [T],
) {
    let (mean, inv_std, var) = split(stats, units);
    if pass.training() {
        let n = T::cast(pass.valid as f64);
        mean.fill(T::zero());
        for column in z.chunks_exact(units).take(pass.valid) {
            for (m, &u) in mean.iter_mut().zip(column) {
                *m += u;
            }
        }
        for m in mean.iter_mut() {
            *m /= n;
        }
        var.fill(T::zero());
        for column in z.chunks_exact(units).take(pass.valid) {
            for ((v, &m), &u) in var.iter_mut().zip(&*mean).zip(column) {
                let centred = u - m;
                *v += centred * centred;
            }
        }
        for v in var.iter_mut() {
            *v /= n;
        }
    } else {
        mean.copy_from_slice(params.running_mean);
        var.copy_from_slice(params.running_var);
    }
    let eps = T::cast(norm.eps);
    for (s, &v) in inv_std.iter_mut().zip(&*var) {
        *s = T::one() / (v + eps).sqrt();
    }
    for (column, xhat) in z.chunks_exact_mut(units).zip(xhat.chunks_exact_mut(units)) {
        for r in 0..units {
            let x = (column[r] - mean[r]) * inv_std[r];
            xhat[r] = x;
            column[r] = params.gamma[r] * x + params.beta[r];
        }
    }
}

/// Turns `d` from `dL/dz` into `dL/du` for the first `valid` columns (zero for padding), and
/// writes the gradients of gamma and beta. In training the batch's statistics depend on every
/// sample, which adds the two mean terms; in evaluation they are constants.
#[allow(clippy::too_many_arguments)] // The blocks and vectors of one layer's normalisation.
pub(super) fn backward<T: Float>(
    pass: Pass,
    units: usize,
    gamma: &[T],
    d: &mut [T],
    xhat: &[T],
    stats: &[T],
    gamma_grad: &mut [T],
    beta_grad: &mut [T],
) {
    let inv_std = &stats[units..2 * units];
    gamma_grad.fill(T::zero());
    beta_grad.fill(T::zero());
    let columns = d.chunks_exact(units).zip(xhat.chunks_exact(units));
    for (d, xhat) in columns.take(pass.valid) {
        for r in 0..units {
            beta_grad[r] += d[r];
            gamma_grad[r] += d[r] * xhat[r];
        }
    }
    let training = pass.training();
    let n = T::cast(pass.valid as f64);
    for (j, (d, xhat)) in d
        .chunks_exact_mut(units)
        .zip(xhat.chunks_exact(units))
        .enumerate()
    {
        if j >= pass.valid {
            d.fill(T::zero());
            continue;
        }
        for r in 0..units {
            let scale = gamma[r] * inv_std[r];
            d[r] = if training {
                (d[r] - beta_grad[r] / n - xhat[r] * (gamma_grad[r] / n)) * scale
            } else {
                d[r] * scale
            };
        }
    }
}

/// Moves the running statistics towards the last training pass's, as PyTorch does during
/// that pass: `running = (1 - momentum) running + momentum batch`, with the batch's unbiased
/// variance. A batch of one sample has none, and leaves them as they are.
pub(super) fn update<T: Float>(
    norm: Norm,
    valid: usize,
    units: usize,
    stats: &[T],
    running_mean: &mut [T],
    running_var: &mut [T],
) {
    if valid < 2 {
        return;
    }
    let (mean, var) = (&stats[..units], &stats[2 * units..3 * units]);
    let momentum = T::cast(norm.momentum);
    let keep = T::one() - momentum;
    let unbiased = T::cast(valid as f64 / (valid - 1) as f64);
    for r in 0..units {
        running_mean[r] = keep * running_mean[r] + momentum * mean[r];
        running_var[r] = keep * running_var[r] + momentum * (var[r] * unbiased);
    }
}
