//! Targets, and the weights of their classes in the loss.
//!
//! With class weights `w`, each sample's loss and delta are multiplied by a factor `f_n` and
//! the loss stays a mean over the `N` samples: `L = (1/N) sum_n f_n l_n`. PyTorch's factors:
//! - `cross_entropy` (`CrossEntropyLoss(weight=w)` with class labels): `f_n = N w_{c_n} /
//!   sum_m w_{c_m}`, a mean weighted by the samples' classes;
//! - one-output `bce` (`BCEWithLogitsLoss(weight=w_0, pos_weight=w_1 / w_0)`): `f_n =
//!   w_{c_n}`, still divided by `N`.
//!
//! The class `c_n` of a target is its largest entry, or `y > 0.5` for one output: the factors
//! are PyTorch's for hard labels (one-hot rows or 0/1), which the trainer checks.

use nalgebra::Dim;

use super::Head;
use crate::float::Float;

/// A pass's targets: the values, sample after sample, and the weights of the classes (empty
/// for none).
#[derive(Clone, Copy, Debug)]
pub struct Targets<'a, T> {
    /// The targets of the samples, `rows` values each.
    pub values: &'a [T],
    /// One weight per class, or none.
    pub class_weights: &'a [T],
}

impl<'a, T> Targets<'a, T> {
    /// Targets whose classes weigh the same.
    pub fn plain(values: &'a [T]) -> Self {
        Targets {
            values,
            class_weights: &[],
        }
    }
}

/// The factor of each of the first `valid` samples, as the module describes, into `f`.
fn factors<T: Float>(
    rows: usize,
    y: &[T],
    valid: usize,
    weights: &[T],
    f: &mut impl FnMut(usize, T),
) {
    let weight = |n: usize| weights[crate::sample::class_of(&y[n * rows..(n + 1) * rows])];
    let scale = if rows == 1 {
        T::one()
    } else {
        let total = (0..valid).fold(T::zero(), |sum, n| sum + weight(n));
        T::cast(valid as f64) / total
    };
    for n in 0..valid {
        f(n, weight(n) * scale);
    }
}

/// The head's loss over the first `valid` columns, each sample's weighed by its factor.
pub(crate) fn weighted_loss<T: Float, R: Dim, H: Head>(
    head: &H,
    rows: R,
    z: &[T],
    a: &[T],
    y: &[T],
    valid: usize,
    weights: &[T],
) -> T {
    let r = rows.value();
    let mut sum = T::zero();
    factors(r, y, valid, weights, &mut |n, factor| {
        let column = n * r..(n + 1) * r;
        let loss = head.loss(rows, &z[column.clone()], &a[column.clone()], &y[column], 1);
        sum += factor * loss;
    });
    sum / T::cast(valid as f64)
}

/// Multiplies the delta of each of the first `valid` columns by its sample's factor.
pub(crate) fn weigh_delta<T: Float>(
    rows: usize,
    y: &[T],
    valid: usize,
    weights: &[T],
    delta: &mut [T],
) {
    factors(rows, y, valid, weights, &mut |n, factor| {
        for d in &mut delta[n * rows..(n + 1) * rows] {
            *d *= factor;
        }
    });
}

/// The weight of the first `valid` samples in a mean over a larger batch that they are part
/// of: their count, or with class weights over several classes (a mean weighted by the
/// samples' classes) the sum of their classes' weights. A data-parallel step weighs each
/// shard's mean loss and gradient by it.
#[cfg(feature = "std")]
pub(crate) fn share<T: Float>(rows: usize, y: &[T], valid: usize, weights: &[T]) -> f64 {
    if weights.is_empty() || rows == 1 {
        return valid as f64;
    }
    (0..valid)
        .map(|n| weights[crate::sample::class_of(&y[n * rows..(n + 1) * rows])].as_f64())
        .sum()
}
