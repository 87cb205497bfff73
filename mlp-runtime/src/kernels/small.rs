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
pub(crate) const LANES: usize = 8;

fn columns<T, const R: usize>(values: &[T], count: usize) -> &[[T; R]] {
    values[..R * count].as_chunks::<R>().0
}

fn columns_mut<T, const R: usize>(values: &mut [T], count: usize) -> &mut [[T; R]] {
    values[..R * count].as_chunks_mut::<R>().0
}

/// `z = W x + b` for `C` columns: `b + ((s0 + s1) + (s2 + s3))` (or `b + (s0 + s1)`), where
/// `s_r` sums the columns `j` of `W x` with `j % chains == r`; with one chain, or fewer
/// inputs than four, `b` plus the columns in order.
///
/// One running sum would make a chain of `I` dependent additions per vector of outputs; a
/// 16-unit layer has only two such vectors to overlap, and waits on the adder's latency.
/// Wide layers have enough vectors per column and keep one chain, which also keeps their
/// sums in registers. Measured in turns against one chain everywhere (`cargo bench --bench
/// ratios -- iris digits`, four runs each): static / dynamic for iris' training step 3.10x
/// against 3.01x, iris inference 3.00x against 2.87x, digits inference 2.54x against 2.28x.
#[inline(always)]
pub(crate) fn forward<T: Float, const I: usize, const O: usize, const C: usize>(
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let weight = columns::<T, O>(weight, I);
    let bias = &columns::<T, O>(bias, 1)[0];
    let chains = forward_chains(O);
    let (w_blocks, w_rest) = weight.as_chunks::<MAX_CHAINS>();
    for (x, z) in columns::<T, I>(inputs, C)
        .iter()
        .zip(columns_mut::<T, O>(z, C))
    {
        let (x_blocks, x_rest) = x.as_chunks::<MAX_CHAINS>();
        let (Some((w_first, w_blocks)), Some((x_first, x_blocks)), true) =
            (w_blocks.split_first(), x_blocks.split_first(), chains > 1)
        else {
            *z = *bias;
            for (w, &x) in weight.iter().zip(x) {
                axpy(z, w, x);
            }
            continue;
        };
        // Column j goes to sum j % chains (chains divides MAX_CHAINS); every index below is
        // a constant once the loops over a block are unrolled, so the sums stay in registers.
        let mut sums = [[T::zero(); O]; MAX_CHAINS];
        for (r, (w, &x)) in w_first.iter().zip(x_first).enumerate() {
            if r < chains {
                for (s, &w) in sums[r].iter_mut().zip(w) {
                    *s = w * x;
                }
            } else {
                axpy(&mut sums[r % chains], w, x);
            }
        }
        for (w, x) in w_blocks.iter().zip(x_blocks) {
            for (r, (w, &x)) in w.iter().zip(x).enumerate() {
                axpy(&mut sums[r % chains], w, x);
            }
        }
        for (r, (w, &x)) in w_rest.iter().zip(x_rest).enumerate() {
            axpy(&mut sums[r % chains], w, x);
        }
        let [s0, s1, s2, s3] = &sums;
        for (o, z) in z.iter_mut().enumerate() {
            let total = if chains == 2 {
                s0[o] + s1[o]
            } else {
                (s0[o] + s1[o]) + (s2[o] + s3[o])
            };
            *z = bias[o] + total;
        }
    }
}

/// The most running sums [`forward`] keeps per output.
const MAX_CHAINS: usize = 4;

/// How many running sums [`forward`] keeps for `units` outputs (1, 2 or 4): enough for about
/// eight vectors of sums in flight, the adder's latency times its throughput.
const fn forward_chains(units: usize) -> usize {
    match units.div_ceil(LANES) {
        0..=2 => 4,
        3..=4 => 2,
        _ => 1,
    }
}

/// `g = W^T delta` for `C` columns: one dot product per input and column, summed as [`dot`]
/// sums; `R` adds up the partial sums of eight columns at once.
#[inline(always)]
pub(crate) fn backward_inputs<
    T: Float,
    R: RowSums,
    const I: usize,
    const O: usize,
    const C: usize,
>(
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let weight = columns::<T, O>(weight, I);
    for (d, g) in columns::<T, O>(delta, C)
        .iter()
        .zip(columns_mut::<T, I>(input_grad, C))
    {
        if O < LANES {
            // Columns shorter than a vector have no dot product to vectorise; the compiler
            // vectorises across inputs instead.
            for (g, w) in g.iter_mut().zip(weight) {
                *g = dot(w, d);
            }
            continue;
        }
        let (g_blocks, g_rest) = g.as_chunks_mut::<LANES>();
        let (w_blocks, w_rest) = weight.as_chunks::<LANES>();
        for (g, w) in g_blocks.iter_mut().zip(w_blocks) {
            dots::<T, R, O>(w, d, g);
        }
        for (g, w) in g_rest.iter_mut().zip(w_rest) {
            *g = dot(w, d);
            fence();
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

/// [`backward_weight`] then [`backward_bias`]: a small layer's whole gradient in one call.
#[inline(always)]
pub(crate) fn backward_layer<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
    bias_grad: &mut [T],
) {
    backward_weight::<T, I, O, C>(delta, inputs, weight_grad);
    backward_bias::<T, O, C>(delta, bias_grad);
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

/// [`sgd_weight`] then [`sgd_bias`]: a small layer's whole update in one call.
#[inline(always)]
pub(crate) fn sgd_layer<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    bias: &mut [T],
    lr: T,
) {
    sgd_weight::<T, I, O, C>(delta, inputs, weight, lr);
    sgd_bias::<T, O, C>(delta, bias, lr);
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

/// `sum_k a_k b_k`, in `LANES` interleaved partial sums added in adjacent pairs at the end.
#[inline(always)]
fn dot<T: Float, const N: usize>(a: &[T; N], b: &[T; N]) -> T {
    let (a_blocks, a_rest) = a.as_chunks::<LANES>();
    let (b_blocks, b_rest) = b.as_chunks::<LANES>();
    add_rest(sum_lanes(&partial_sums(a_blocks, b_blocks)), a_rest, b_rest)
}

/// `sum` plus the products of the elements after the last whole block, in order.
#[inline(always)]
fn add_rest<T: Float>(sum: T, a: &[T], b: &[T]) -> T {
    a.iter().zip(b).fold(sum, |sum, (&a, &b)| sum + a * b)
}

/// `sum_k a_k b_k` over whole blocks, lane by lane.
#[inline(always)]
fn partial_sums<T: Float>(a: &[[T; LANES]], b: &[[T; LANES]]) -> [T; LANES] {
    let mut lanes = [T::zero(); LANES];
    for (k, (a, b)) in a.iter().zip(b).enumerate() {
        for ((s, &a), &b) in lanes.iter_mut().zip(a).zip(b) {
            // The first block writes, so that no `0 +` is left for the compiler to keep.
            *s = if k == 0 { a * b } else { *s + a * b };
        }
    }
    lanes
}

/// `LANES` dot products of `columns` with `b` into `sums`, each summed exactly as [`dot`]
/// sums it: partial sums column by column, then `R` reduces all of them together.
#[inline(always)]
fn dots<T: Float, R: RowSums, const N: usize>(
    columns: &[[T; N]; LANES],
    b: &[T; N],
    sums: &mut [T; LANES],
) {
    let (b_blocks, b_rest) = b.as_chunks::<LANES>();
    let mut lanes = [[T::zero(); LANES]; LANES];
    for (lanes, a) in lanes.iter_mut().zip(columns) {
        *lanes = partial_sums(a.as_chunks::<LANES>().0, b_blocks);
        fence();
    }
    R::row_sums(&lanes, sums);
    for (sum, a) in sums.iter_mut().zip(columns) {
        *sum = add_rest(*sum, a.as_chunks::<LANES>().1, b_rest);
    }
}

/// Once a dot product is unrolled, the compiler would vectorise the loop around it across
/// columns, assembling each vector from strided elements one insert at a time (a quarter of
/// iris' training step). This fence, which emits no instruction, keeps that loop scalar so
/// that each dot product is vectorised instead.
#[inline(always)]
fn fence() {
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

/// How [`dots`] adds up the partial sums of eight columns: row `j` of `lanes` into `sums[j]`,
/// in the order of [`sum_lanes`].
pub(crate) trait RowSums {
    /// `sums[j] = sum_lanes(lanes[j])` for every row.
    fn row_sums<T: Float>(lanes: &[[T; LANES]; LANES], sums: &mut [T; LANES]);
}

/// [`RowSums`] in portable code. The compiler vectorises it with a transpose of shuffles.
pub(crate) struct PortableRowSums;

impl RowSums for PortableRowSums {
    #[inline(always)]
    fn row_sums<T: Float>(lanes: &[[T; LANES]; LANES], sums: &mut [T; LANES]) {
        for (sum, lanes) in sums.iter_mut().zip(lanes) {
            *sum = sum_lanes(lanes);
        }
    }
}

/// `((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))`: the order of x86's horizontal adds.
#[inline(always)]
fn sum_lanes<T: Float>(lanes: &[T; LANES]) -> T {
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
        + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
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
