//! Products of small layers with every size a constant: plain loops over fixed-length arrays,
//! which the compiler unrolls and vectorises for each layer. nalgebra's static products on
//! views iterate element by element through strided views (filling a 32 x 64 gradient with
//! zeros took longer than the whole rest of a training step), so these work on slices
//! reinterpreted as arrays (`as_chunks`) instead.
//!
//! Matrices are column-major: a weight is `I` columns of `O` values, a batch is `C` columns.
//! Sums run in a fixed order, so results do not depend on the instruction set.

use crate::float::Float;

/// Lanes of the partial sums of [`dot`]: independent accumulators that the compiler keeps in
/// one vector register, so that a dot product vectorises without reassociating.
const LANES: usize = 8;

fn columns<T, const R: usize>(values: &[T], count: usize) -> &[[T; R]] {
    values[..R * count].as_chunks::<R>().0
}

fn columns_mut<T, const R: usize>(values: &mut [T], count: usize) -> &mut [[T; R]] {
    values[..R * count].as_chunks_mut::<R>().0
}

/// `z = W x + b` for `C` columns.
#[inline(always)]
pub(crate) fn forward<T: Float, const I: usize, const O: usize, const C: usize>(
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let weight = columns::<T, O>(weight, I);
    let bias = &columns::<T, O>(bias, 1)[0];
    for (x, z) in columns::<T, I>(inputs, C)
        .iter()
        .zip(columns_mut::<T, O>(z, C))
    {
        *z = *bias;
        for (w, &x) in weight.iter().zip(x) {
            axpy(z, w, x);
        }
    }
}

/// `g = W^T delta` for `C` columns: one dot product per input and column.
#[inline(always)]
pub(crate) fn backward_inputs<T: Float, const I: usize, const O: usize, const C: usize>(
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let weight = columns::<T, O>(weight, I);
    for (d, g) in columns::<T, O>(delta, C)
        .iter()
        .zip(columns_mut::<T, I>(input_grad, C))
    {
        for (g, w) in g.iter_mut().zip(weight) {
            *g = dot(w, d);
            // Once `dot` is unrolled, the compiler would vectorise this loop across columns,
            // assembling each vector from strided elements one insert at a time: iris' step
            // spent a quarter of its time there. A fence, which emits no instruction, keeps
            // the loop scalar so that each dot product is vectorised instead. Columns shorter
            // than a vector have no dot product to vectorise, and there the inserts win.
            if O >= LANES {
                std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
            }
        }
    }
}

/// `dW = delta X^T` for `C` columns, overwriting `weight_grad`.
#[inline(always)]
pub(crate) fn backward_weight<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
) {
    let delta = columns::<T, O>(delta, C);
    let inputs = columns::<T, I>(inputs, C);
    for (j, grad) in columns_mut::<T, O>(weight_grad, I).iter_mut().enumerate() {
        // Column j of dW is sum_c x[j, c] delta_c: written by the first sample, then added to.
        for (k, (d, x)) in delta.iter().zip(inputs).enumerate() {
            if k == 0 {
                for (g, &d) in grad.iter_mut().zip(d) {
                    *g = d * x[j];
                }
            } else {
                axpy(grad, d, x[j]);
            }
        }
    }
}

/// `W -= lr dW`, with `dW` summed as [`backward_weight`] sums it but never stored.
#[inline(always)]
pub(crate) fn sgd_weight<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    lr: T,
) {
    let delta = columns::<T, O>(delta, C).split_first();
    let inputs = columns::<T, I>(inputs, C).split_first();
    let (Some((d0, delta)), Some((x0, inputs))) = (delta, inputs) else {
        return;
    };
    for (j, weight) in columns_mut::<T, O>(weight, I).iter_mut().enumerate() {
        let mut grad = [T::zero(); O];
        for (g, &d) in grad.iter_mut().zip(d0) {
            *g = d * x0[j];
        }
        for (d, x) in delta.iter().zip(inputs) {
            axpy(&mut grad, d, x[j]);
        }
        for (w, &g) in weight.iter_mut().zip(&grad) {
            *w -= lr * g;
        }
    }
}

/// `b -= lr db`, with `db` summed as [`backward_bias`] sums it.
#[inline(always)]
pub(crate) fn sgd_bias<T: Float, const O: usize, const C: usize>(
    delta: &[T],
    bias: &mut [T],
    lr: T,
) {
    let delta = columns::<T, O>(delta, C);
    let Some((first, rest)) = delta.split_first() else {
        return;
    };
    let mut grad = *first;
    for d in rest {
        axpy(&mut grad, d, T::one());
    }
    for (b, &g) in columns_mut::<T, O>(bias, 1)[0].iter_mut().zip(&grad) {
        *b -= lr * g;
    }
}

/// `y += a x`.
#[inline(always)]
fn axpy<T: Float, const N: usize>(y: &mut [T; N], x: &[T; N], a: T) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y += x * a;
    }
}

/// `sum_k a_k b_k`, in `LANES` interleaved partial sums added pairwise at the end.
#[inline(always)]
fn dot<T: Float, const N: usize>(a: &[T; N], b: &[T; N]) -> T {
    let (a_blocks, a_rest) = a.as_chunks::<LANES>();
    let (b_blocks, b_rest) = b.as_chunks::<LANES>();
    let mut lanes = [T::zero(); LANES];
    for (a, b) in a_blocks.iter().zip(b_blocks) {
        for ((s, &a), &b) in lanes.iter_mut().zip(a).zip(b) {
            *s += a * b;
        }
    }
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            lanes[k] += lanes[k + width];
        }
    }
    a_rest
        .iter()
        .zip(b_rest)
        .fold(lanes[0], |sum, (&a, &b)| sum + a * b)
}

/// `db = delta 1` for `C` columns, overwriting `bias_grad`.
#[inline(always)]
pub(crate) fn backward_bias<T: Float, const O: usize, const C: usize>(
    delta: &[T],
    bias_grad: &mut [T],
) {
    let grad = &mut columns_mut::<T, O>(bias_grad, 1)[0];
    for (k, d) in columns::<T, O>(delta, C).iter().enumerate() {
        if k == 0 {
            *grad = *d;
        } else {
            axpy(grad, d, T::one());
        }
    }
}
