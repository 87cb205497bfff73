//! Products of small layers and of one sample: plain loops over columns of a shape's sizes.
//! With constant sizes the compiler unrolls and vectorises them for each layer; with run-time
//! sizes they are ordinary loops, and compute the same bits. (nalgebra's static products on
//! views iterate element by element through strided views: filling a 32 x 64 gradient with
//! zeros took longer than the whole rest of a training step.)
//!
//! Matrices are column-major: a weight is `inputs` columns of `units` values, a batch is
//! `columns` columns. Sums run in a fixed order, so results do not depend on the instruction
//! set. Running sums that the compiler should keep in registers live in stack arrays of
//! [`STACK_ROWS`] rows, of which a layer uses its first `units`.

use nalgebra::Dim;

use super::shape::Shape;
use crate::float::Float;

/// Lanes of the partial sums of [`dot`]: independent accumulators that the compiler keeps in
/// one vector register, so that a dot product vectorises without reassociating.
pub(crate) const LANES: usize = 8;

/// Rows of the running sums kept in stack arrays; longer columns are worked through in
/// blocks of this many rows.
const STACK_ROWS: usize = 32;

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

// Several chains only for layers whose sums fit the stack arrays.
const _: () = assert!(forward_chains(STACK_ROWS + 1) == 1);

/// `z = W x + b` for every column: `b + ((s0 + s1) + (s2 + s3))` (or `b + (s0 + s1)`), where
/// `s_r` sums the columns `j` of `W x` with `j % chains == r`; with one chain, or fewer
/// inputs than four, `b` plus the columns in order.
///
/// One running sum would make a chain of `inputs` dependent additions per vector of outputs;
/// a 16-unit layer has only two such vectors to overlap, and waits on the adder's latency.
/// Wide layers have enough vectors per column and keep one chain, which also keeps their sums
/// in registers.
#[inline(always)]
pub(crate) fn forward<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    let (weight, bias) = (&weight[..o * i], &bias[..o]);
    let chains = forward_chains(o);
    for (x, z) in inputs[..i * c]
        .chunks_exact(i)
        .zip(z[..o * c].chunks_exact_mut(o))
    {
        if chains == 1 || i < MAX_CHAINS {
            z.copy_from_slice(bias);
            for (w, &x) in weight.chunks_exact(o).zip(x) {
                axpy(z, w, x);
            }
            continue;
        }
        // Column j goes to sum j % chains (chains divides MAX_CHAINS); every index below is
        // a constant once the loops over a block are unrolled, so the sums stay in registers.
        let mut sums = [[T::zero(); STACK_ROWS]; MAX_CHAINS];
        let (w_first, w_rest) = weight.split_at(MAX_CHAINS * o);
        let (x_first, x_rest) = x.split_at(MAX_CHAINS);
        for (r, (w, &x)) in w_first.chunks_exact(o).zip(x_first).enumerate() {
            let sum = &mut sums[r % chains][..o];
            if r < chains {
                for (s, &w) in sum.iter_mut().zip(w) {
                    *s = w * x;
                }
            } else {
                axpy(sum, w, x);
            }
        }
        let (x_blocks, x_tail) = x_rest.as_chunks::<MAX_CHAINS>();
        let w_blocks = w_rest.chunks_exact(MAX_CHAINS * o);
        let w_tail = w_blocks.remainder();
        for (w, x) in w_blocks.zip(x_blocks) {
            for (r, (w, &x)) in w.chunks_exact(o).zip(x).enumerate() {
                axpy(&mut sums[r % chains][..o], w, x);
            }
        }
        for (r, (w, &x)) in w_tail.chunks_exact(o).zip(x_tail).enumerate() {
            axpy(&mut sums[r % chains][..o], w, x);
        }
        let [s0, s1, s2, s3] = &sums;
        let pairs = s0.iter().zip(s1).zip(s2.iter().zip(s3));
        for ((z, &b), ((&s0, &s1), (&s2, &s3))) in z.iter_mut().zip(bias).zip(pairs) {
            let total = if chains == 2 {
                s0 + s1
            } else {
                (s0 + s1) + (s2 + s3)
            };
            *z = b + total;
        }
    }
}

/// `g = W^T delta` for every column: one dot product per input and column, summed as [`dot`]
/// sums it; `reduce` adds up the partial sums of eight inputs at once.
#[inline(always)]
pub(crate) fn backward_inputs<T: Float, R: RowSums, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    reduce: R,
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    let weight = &weight[..o * i];
    for (d, g) in delta[..o * c]
        .chunks_exact(o)
        .zip(input_grad[..i * c].chunks_exact_mut(i))
    {
        if o < LANES {
            // Columns shorter than a vector have no dot product to vectorise; the compiler
            // vectorises across inputs instead.
            for (g, w) in g.iter_mut().zip(weight.chunks_exact(o)) {
                *g = dot(w, d);
            }
            continue;
        }
        let (g_blocks, g_rest) = g.as_chunks_mut::<LANES>();
        let w_blocks = weight.chunks_exact(LANES * o);
        let w_rest = w_blocks.remainder();
        for (g, w) in g_blocks.iter_mut().zip(w_blocks) {
            dots(reduce, w, o, d, g);
        }
        for (g, w) in g_rest.iter_mut().zip(w_rest.chunks_exact(o)) {
            *g = dot(w, d);
            fence();
        }
    }
}

/// `dW = delta X^T` over every column, overwriting `weight_grad`.
#[inline(always)]
pub(crate) fn backward_weight<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    let (delta, inputs) = (&delta[..o * c], &inputs[..i * c]);
    for (j, grad) in weight_grad[..o * i].chunks_exact_mut(o).enumerate() {
        // Column j of dW is sum_c x[j, c] delta_c: written by the first sample, then added to.
        let samples = delta.chunks_exact(o).zip(inputs.chunks_exact(i));
        for (k, (d, x)) in samples.enumerate() {
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

/// `db = delta 1` over every column, overwriting `bias_grad`.
#[inline(always)]
pub(crate) fn backward_bias<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    bias_grad: &mut [T],
) {
    let (_, o, c) = shape.sizes();
    let grad = &mut bias_grad[..o];
    for (k, d) in delta[..o * c].chunks_exact(o).enumerate() {
        if k == 0 {
            grad.copy_from_slice(d);
        } else {
            axpy(grad, d, T::one());
        }
    }
}

/// [`backward_weight`] then [`backward_bias`]: a small layer's whole gradient in one call.
#[inline(always)]
pub(crate) fn backward_layer<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
    bias_grad: &mut [T],
) {
    backward_weight(shape, delta, inputs, weight_grad);
    backward_bias(shape, delta, bias_grad);
}

/// Calls `block` with the ranges of rows, at most [`STACK_ROWS`] each, that cover `rows`:
/// one range for a layer whose sums fit the stack arrays.
#[inline(always)]
fn row_blocks(rows: usize, mut block: impl FnMut(std::ops::Range<usize>)) {
    if rows <= STACK_ROWS {
        return block(0..rows);
    }
    for start in (0..rows).step_by(STACK_ROWS) {
        block(start..rows.min(start + STACK_ROWS));
    }
}

/// `W -= lr dW`, with `dW` summed as [`backward_weight`] sums it but never stored.
#[inline(always)]
pub(crate) fn sgd_weight<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    lr: T,
) {
    let (i, o, c) = shape.sizes();
    let (delta, inputs) = (&delta[..o * c], &inputs[..i * c]);
    let (Some((d0, delta)), Some((x0, inputs))) =
        (delta.split_at_checked(o), inputs.split_at_checked(i))
    else {
        return;
    };
    for (j, weight) in weight[..o * i].chunks_exact_mut(o).enumerate() {
        row_blocks(o, |rows| {
            let mut grad = [T::zero(); STACK_ROWS];
            let grad = &mut grad[..rows.len()];
            for (g, &d) in grad.iter_mut().zip(&d0[rows.clone()]) {
                *g = d * x0[j];
            }
            for (d, x) in delta.chunks_exact(o).zip(inputs.chunks_exact(i)) {
                axpy(grad, &d[rows.clone()], x[j]);
            }
            for (w, &g) in weight[rows].iter_mut().zip(&*grad) {
                *w -= lr * g;
            }
        });
    }
}

/// `b -= lr db`, with `db` summed as [`backward_bias`] sums it.
#[inline(always)]
pub(crate) fn sgd_bias<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    bias: &mut [T],
    lr: T,
) {
    let (_, o, c) = shape.sizes();
    let Some((first, rest)) = delta[..o * c].split_at_checked(o) else {
        return;
    };
    let bias = &mut bias[..o];
    row_blocks(o, |rows| {
        let mut grad = [T::zero(); STACK_ROWS];
        let grad = &mut grad[..rows.len()];
        grad.copy_from_slice(&first[rows.clone()]);
        for d in rest.chunks_exact(o) {
            axpy(grad, &d[rows.clone()], T::one());
        }
        for (b, &g) in bias[rows].iter_mut().zip(&*grad) {
            *b -= lr * g;
        }
    });
}

/// [`sgd_weight`] then [`sgd_bias`]: a small layer's whole update in one call.
#[inline(always)]
pub(crate) fn sgd_layer<T: Float, I: Dim, O: Dim, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    bias: &mut [T],
    lr: T,
) {
    sgd_weight(shape, delta, inputs, weight, lr);
    sgd_bias(shape, delta, bias, lr);
}

/// `y += a x`.
#[inline(always)]
fn axpy<T: Float>(y: &mut [T], x: &[T], a: T) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y += x * a;
    }
}

/// `sum_k a_k b_k`, in `LANES` interleaved partial sums added in adjacent pairs at the end.
#[inline(always)]
fn dot<T: Float>(a: &[T], b: &[T]) -> T {
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

/// `LANES` dot products of the columns of `columns` (each `rows` long) with `b` into `sums`,
/// each summed exactly as [`dot`] sums it: partial sums column by column, then `reduce` adds
/// up all of them together.
#[inline(always)]
fn dots<T: Float, R: RowSums>(
    reduce: R,
    columns: &[T],
    rows: usize,
    b: &[T],
    sums: &mut [T; LANES],
) {
    let (b_blocks, b_rest) = b.as_chunks::<LANES>();
    let mut lanes = [[T::zero(); LANES]; LANES];
    for (lanes, a) in lanes.iter_mut().zip(columns.chunks_exact(rows)) {
        *lanes = partial_sums(a.as_chunks::<LANES>().0, b_blocks);
        fence();
    }
    reduce.row_sums(&lanes, sums);
    for (sum, a) in sums.iter_mut().zip(columns.chunks_exact(rows)) {
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
pub(crate) trait RowSums: Copy {
    /// `sums[j] = sum_lanes(lanes[j])` for every row.
    fn row_sums<T: Float>(self, lanes: &[[T; LANES]; LANES], sums: &mut [T; LANES]);
}

/// [`RowSums`] in portable code. The compiler vectorises it with a transpose of shuffles.
#[derive(Clone, Copy)]
pub(crate) struct PortableRowSums;

impl RowSums for PortableRowSums {
    #[inline(always)]
    fn row_sums<T: Float>(self, lanes: &[[T; LANES]; LANES], sums: &mut [T; LANES]) {
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
