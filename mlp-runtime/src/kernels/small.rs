//! Products of small layers and of one sample: plain loops over the columns of a shape's
//! sizes. nalgebra's static products on views iterate element by element through strided
//! views (filling a 32 x 64 gradient with zeros took longer than the whole rest of a training
//! step), so these work on slices, and on fixed-length arrays wherever the compiler should keep
//! running sums in registers.
//!
//! Matrices are column-major: a weight is `inputs` columns of `units` values, a batch is
//! `columns` columns. Every output value is summed in a fixed order whatever the sizes and the
//! instruction set, so constant and run-time sizes give the same bits. Sizes are [`Size`]s,
//! which decide how a kernel walks them. Kernels that keep sums per output row work on blocks
//! of rows of a constant length: for a layer whose units are a constant, one block of all of
//! them, which the compiler unrolls; for run-time units, blocks of 64 rows and one block per
//! bit of the rest (32, 16, ..., 1).

use core::slice::{ChunksExact, ChunksExactMut};

use nalgebra::{Const, Dim, Dyn};

use super::shape::Shape;
use crate::float::Float;

/// Lanes of the partial sums of [`dot`]: independent accumulators that the compiler keeps in
/// one vector register, so that a dot product vectorises without reassociating.
pub(crate) const LANES: usize = 8;

/// A size the kernels work with: nalgebra's `Const<N>`, fixed at compile time, or `Dyn`,
/// known at run time. It decides how a kernel walks rows and columns of that length.
pub trait Size: Dim + sealed::Sealed {
    /// The columns of a matrix whose columns have this length times a factor.
    #[doc(hidden)]
    type Columns<'a, T: 'a>: Iterator<Item = &'a [T]> + Clone;
    /// The columns, mutably.
    #[doc(hidden)]
    type ColumnsMut<'a, T: 'a>: Iterator<Item = &'a mut [T]>;

    /// The first `count` columns of `factor` times this length in `values`. For a constant
    /// length, `chunks_exact`, which the compiler resolves; for a run-time one, steps that
    /// never divide (a division by a run-time length costs more than a tiny layer's product).
    #[doc(hidden)]
    fn columns<T>(self, factor: usize, values: &[T], count: usize) -> Self::Columns<'_, T>;

    /// [`Size::columns`], mutably.
    #[doc(hidden)]
    fn columns_mut<T>(
        self,
        factor: usize,
        values: &mut [T],
        count: usize,
    ) -> Self::ColumnsMut<'_, T>;

    /// Runs `kernel` on blocks of rows of a constant length that cover this many rows, none
    /// longer than `LONG` (a power of two) where the kernel keeps sums per row.
    #[doc(hidden)]
    fn blocks<const LONG: usize, K: Block>(self, kernel: &mut K);
}

/// A kernel's work on a block of `R` rows of every column, from row `first`.
#[doc(hidden)]
pub trait Block {
    /// Whether the kernel keeps a running sum per row of a block while it walks the columns.
    /// Such kernels get blocks of at most the rows their caller asks for ([`LONG_BLOCK`] for
    /// AVX2's registers): one block of 128 rows kept 16 vectors of sums, every register AVX2
    /// has, and the compiler spilled and shuffled them on every input of a 784-128 layer's
    /// product. Kernels that keep nothing per row walk a constant number of rows in one
    /// block, each column once from end to end.
    fn keeps_sums(&self) -> bool;

    /// Does it.
    fn rows<const R: usize>(&mut self, first: usize);
}

mod sealed {
    /// Only the dimensions the kernels know how to walk are [`Size`](super::Size)s.
    pub trait Sealed {}
    impl<const N: usize> Sealed for nalgebra::Const<N> {}
    impl Sealed for nalgebra::Dyn {}
}

impl<const N: usize> Size for Const<N> {
    type Columns<'a, T: 'a> = ChunksExact<'a, T>;
    type ColumnsMut<'a, T: 'a> = ChunksExactMut<'a, T>;

    #[inline(always)]
    fn columns<T>(self, factor: usize, values: &[T], count: usize) -> ChunksExact<'_, T> {
        values[..factor * N * count].chunks_exact(factor * N)
    }

    #[inline(always)]
    fn columns_mut<T>(
        self,
        factor: usize,
        values: &mut [T],
        count: usize,
    ) -> ChunksExactMut<'_, T> {
        values[..factor * N * count].chunks_exact_mut(factor * N)
    }

    /// One block of all `N` rows, which the compiler unrolls, unless the kernel keeps sums
    /// for its rows and `N` is above `LONG`: then blocks as for run-time rows.
    #[inline(always)]
    fn blocks<const LONG: usize, K: Block>(self, kernel: &mut K) {
        if !kernel.keeps_sums() || N <= LONG {
            kernel.rows::<N>(0);
        } else {
            Dyn(N).blocks::<LONG, K>(kernel);
        }
    }
}

/// Rows of the longest blocks of run-time units, and of constant ones in kernels that keep a
/// sum per row: long enough that a wide layer's inputs are read a few times only, short
/// enough that the sums stay in AVX2's sixteen registers.
const LONG_BLOCK: usize = 64;

impl Size for Dyn {
    type Columns<'a, T: 'a> = Steps<'a, T>;
    type ColumnsMut<'a, T: 'a> = StepsMut<'a, T>;

    #[inline(always)]
    fn columns<T>(self, factor: usize, values: &[T], count: usize) -> Steps<'_, T> {
        let len = factor * self.0;
        Steps {
            values: &values[..len * count],
            len,
        }
    }

    #[inline(always)]
    fn columns_mut<T>(self, factor: usize, values: &mut [T], count: usize) -> StepsMut<'_, T> {
        let len = factor * self.0;
        StepsMut {
            values: &mut values[..len * count],
            len,
        }
    }

    /// Blocks of `LONG` rows, then at most one of each smaller power of two: a layer of up to
    /// `LONG` units takes one block per bit of its number of units. Kernels that keep no sum
    /// per row take blocks of [`WALK_BLOCK`] rows instead.
    #[inline(always)]
    fn blocks<const LONG: usize, K: Block>(self, kernel: &mut K) {
        if kernel.keeps_sums() {
            blocks_of::<LONG, K>(self.0, kernel);
        } else {
            blocks_of::<WALK_BLOCK, K>(self.0, kernel);
        }
    }
}

/// Rows of the longest blocks of run-time units in kernels that keep no sum per row (one
/// sample's weight gradient or SGD step): 128, so that a layer of 128 units is one block and
/// the kernel walks its weight once from end to end, as it does a constant layer's, rather
/// than twice, each time through half of every column. The dynamic engine's one-sample
/// training step measured 6% faster on 784-128-10 and 5% on 256-256-256-10 so
/// (`scripts/ab_bench.sh`).
const WALK_BLOCK: usize = 128;

/// [`Size::blocks`] of `rows` run-time rows with blocks of at most `LONG` rows.
#[inline(always)]
fn blocks_of<const LONG: usize, K: Block>(rows: usize, kernel: &mut K) {
    let mut first = 0;
    while first + LONG <= rows {
        kernel.rows::<LONG>(first);
        first += LONG;
    }
    let rest = rows - first;
    macro_rules! block {
        ($($bit:literal)*) => {$(
            if $bit < LONG && rest & $bit != 0 {
                kernel.rows::<$bit>(first);
                first += $bit;
            }
        )*};
    }
    block!(128 64 32 16 8 4 2 1);
}

/// The columns of a run-time length, one step at a time.
#[doc(hidden)]
pub struct Steps<'a, T> {
    values: &'a [T],
    len: usize,
}

impl<T> Clone for Steps<'_, T> {
    fn clone(&self) -> Self {
        Steps {
            values: self.values,
            len: self.len,
        }
    }
}

impl<'a, T> Iterator for Steps<'a, T> {
    type Item = &'a [T];

    #[inline(always)]
    fn next(&mut self) -> Option<&'a [T]> {
        let (column, rest) = self.values.split_at_checked(self.len)?;
        self.values = rest;
        Some(column)
    }
}

/// The columns of a run-time length, mutably.
#[doc(hidden)]
pub struct StepsMut<'a, T> {
    values: &'a mut [T],
    len: usize,
}

impl<'a, T> Iterator for StepsMut<'a, T> {
    type Item = &'a mut [T];

    #[inline(always)]
    fn next(&mut self) -> Option<&'a mut [T]> {
        let values = core::mem::take(&mut self.values);
        let (column, rest) = values.split_at_mut_checked(self.len)?;
        self.values = rest;
        Some(column)
    }
}

/// Rows `first..first + R` of a column.
#[inline(always)]
fn block<T, const R: usize>(column: &[T], first: usize) -> &[T; R] {
    column[first..first + R]
        .try_into()
        .expect("a block of R rows")
}

/// Rows `first..first + R` of a column, mutably.
#[inline(always)]
fn block_mut<T, const R: usize>(column: &mut [T], first: usize) -> &mut [T; R] {
    (&mut column[first..first + R])
        .try_into()
        .expect("a block of R rows")
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

/// `z = W x + b` for every column: `b + ((s0 + s1) + (s2 + s3))` (or `b + (s0 + s1)`), where
/// `s_r` sums the columns `j` of `W x` with `j % chains == r`; with one chain, or fewer
/// inputs than four, `b` plus the columns in order.
///
/// One running sum would make a chain of `inputs` dependent additions per vector of outputs;
/// a 16-unit layer has only two such vectors to overlap, and waits on the adder's latency.
/// Wide layers have enough vectors per column and keep one chain, which also keeps their sums
/// in registers.
#[inline(always)]
pub(crate) fn forward<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    shape.units.blocks::<LONG_BLOCK, _>(&mut Forward {
        shape,
        chains: forward_chains(o),
        weight: &weight[..o * i],
        bias: &bias[..o],
        x: &inputs[..i * c],
        z: &mut z[..o * c],
    });
}

struct Forward<'a, T, I, O, C> {
    shape: Shape<I, O, C>,
    chains: usize,
    weight: &'a [T],
    bias: &'a [T],
    x: &'a [T],
    z: &'a mut [T],
}

impl<T: Float, I: Size, O: Size, C: Dim> Block for Forward<'_, T, I, O, C> {
    #[inline(always)]
    fn keeps_sums(&self) -> bool {
        true
    }

    #[inline(always)]
    fn rows<const R: usize>(&mut self, first: usize) {
        // The number of sums as a constant, so that every index into them is one and they stay
        // in registers (indexed by a run-time count, they went to the stack, and adding them
        // up waited on a failed store-to-load forward). A block never has more units than its
        // layer, so `forward_chains(R)` bounds the count and the arms above it are never built.
        match self.chains.min(forward_chains(R)) {
            1 => self.chained::<R, 1>(first),
            2 => self.chained::<R, 2>(first),
            _ => self.chained::<R, MAX_CHAINS>(first),
        }
    }
}

impl<T: Float, I: Size, O: Size, C: Dim> Forward<'_, T, I, O, C> {
    /// [`Block::rows`] with `CHAINS` running sums.
    #[inline(always)]
    fn chained<const R: usize, const CHAINS: usize>(&mut self, first: usize) {
        let Shape {
            inputs,
            units,
            columns,
        } = self.shape;
        let (i, c) = (inputs.value(), columns.value());
        let bias: &[T; R] = block(self.bias, first);
        let samples = inputs.columns(1, self.x, c);
        for (x, z) in samples.zip(units.columns_mut(1, self.z, c)) {
            let z: &mut [T; R] = block_mut(z, first);
            if CHAINS == 1 || i < MAX_CHAINS {
                // Summed in a local array, which stays in registers: summed in `z`, with
                // run-time sizes, each input loaded and stored every sum.
                let mut sums = *bias;
                for (w, &x) in units.columns(1, self.weight, i).zip(x) {
                    axpy(&mut sums, block(w, first), x);
                }
                *z = sums;
                continue;
            }
            // Column j goes to sum j % CHAINS (CHAINS divides MAX_CHAINS); every index below
            // is a constant once the loops over a group of four are unrolled.
            let o = units.value();
            let mut sums = [[T::zero(); R]; CHAINS];
            let (w_first, w_rest) = self.weight.split_at(MAX_CHAINS * o);
            let (x_first, x_rest) = x.split_at(MAX_CHAINS);
            for r in 0..MAX_CHAINS {
                let (w, x) = (block(&w_first[r * o..], first), x_first[r]);
                if r < CHAINS {
                    for (s, &w) in sums[r].iter_mut().zip(w) {
                        *s = w * x;
                    }
                } else {
                    axpy(&mut sums[r % CHAINS], w, x);
                }
            }
            let (x_groups, x_tail) = x_rest.as_chunks::<MAX_CHAINS>();
            let (w_groups, w_tail) = w_rest.split_at(x_groups.len() * MAX_CHAINS * o);
            let w_groups = units.columns(MAX_CHAINS, w_groups, x_groups.len());
            for (w, x) in w_groups.zip(x_groups) {
                for r in 0..MAX_CHAINS {
                    axpy(&mut sums[r % CHAINS], block(&w[r * o..], first), x[r]);
                }
            }
            // Fewer than four columns are left: a loop of constant length keeps `r` one.
            let mut tail = units.columns(1, w_tail, x_tail.len()).zip(x_tail);
            for r in 0..MAX_CHAINS {
                if let Some((w, &x)) = tail.next() {
                    axpy(&mut sums[r % CHAINS], block(w, first), x);
                }
            }
            for (k, z) in z.iter_mut().enumerate() {
                let total = if CHAINS == 2 {
                    sums[0][k] + sums[1][k]
                } else {
                    (sums[0][k] + sums[1][k]) + (sums[2][k] + sums[3][k])
                };
                *z = bias[k] + total;
            }
        }
    }
}

/// `z = W x + b` for every column with fused multiply-adds: `b`, then column `j` of `W`
/// times `x_j` added for each `j` in order, one rounding per addition; rows in blocks of at
/// most `LONG`. The wide layers' product on CPUs with FMA (see the dispatch): a multiply and
/// an add per weight kept a 784-128 product on two ports busier than the L2 cache that feeds
/// it.
#[inline(always)]
pub(crate) fn forward_fused<T: Float, I: Size, O: Size, C: Dim, const LONG: usize>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    shape.units.blocks::<LONG, _>(&mut FusedForward {
        shape,
        head: aligned_head(weight, o),
        weight: &weight[..o * i],
        bias: &bias[..o],
        x: &inputs[..i * c],
        z: &mut z[..o * c],
    });
}

/// Bytes of the cache lines a wide layer's product streams.
const CACHE_LINE: usize = 64;

/// The rows of each column of `weight` (columns of `rows` values) before its first cache-line
/// boundary, when every column has the same number (its length is a whole number of lines):
/// blocks that start there load whole lines. An allocator aligns large buffers to 16 bytes
/// only (glibc puts a 16-byte header before each), and a 784-128-10 prediction whose loads
/// each straddled two lines took 5.2-6.7 us, against 3.4-4.3 us from an aligned weight.
#[inline(always)]
fn aligned_head<T>(weight: &[T], rows: usize) -> usize {
    let head = weight.as_ptr().align_offset(CACHE_LINE);
    if (rows * size_of::<T>()).is_multiple_of(CACHE_LINE) && head < rows {
        head
    } else {
        0
    }
}

/// A block kernel that can walk a whole layer's weight by aligned lines when the weight does
/// not start on a cache line.
trait ByLines {
    /// [`aligned_head`] of the weight.
    fn head(&self) -> usize;

    /// The kernel on all `R` rows of the layer, from a weight whose columns each have a line
    /// boundary `HEAD` values in.
    fn by_lines<const R: usize, const HEAD: usize>(&mut self);
}

/// Runs `kernel` by lines when its block of `R` rows from `first` is the whole layer of
/// `units` rows, its columns are whole lines and its weight is misaligned; whether it did.
#[inline(always)]
fn walked_by_lines<K: ByLines, const R: usize>(kernel: &mut K, first: usize, units: usize) -> bool {
    if first != 0 || R != units || !R.is_multiple_of(LINE) {
        return false;
    }
    macro_rules! heads {
        ($($head:literal)*) => {
            match kernel.head() {
                $($head => kernel.by_lines::<R, $head>(),)*
                _ => return false,
            }
        };
    }
    heads!(2 4 6 8 10 12 14);
    true
}

struct FusedForward<'a, T, I, O, C> {
    shape: Shape<I, O, C>,
    /// [`aligned_head`] of the weight.
    head: usize,
    weight: &'a [T],
    bias: &'a [T],
    x: &'a [T],
    z: &'a mut [T],
}

impl<T: Float, I: Size, O: Size, C: Dim> Block for FusedForward<'_, T, I, O, C> {
    #[inline(always)]
    fn keeps_sums(&self) -> bool {
        true
    }

    #[inline(always)]
    fn rows<const R: usize>(&mut self, first: usize) {
        let Shape {
            inputs,
            units,
            columns,
        } = self.shape;
        let (o, c) = (units.value(), columns.value());
        if inputs.value() > 0 && walked_by_lines::<_, R>(self, first, o) {
            return;
        }
        let samples = inputs.columns(1, self.x, c);
        for (x, z) in samples.zip(units.columns_mut(1, self.z, c)) {
            let mut sums: [T; R] = *block(self.bias, first);
            // Two columns per step, each sum still taking column j before column j + 1: the
            // same operations in the same order as one column per step, and measured about 8%
            // faster on 784-128 (two streams of loads in flight).
            let (x_pairs, x_last) = x.as_chunks::<2>();
            let (w_pairs, w_last) = self.weight.split_at(x_pairs.len() * 2 * o);
            for (w, x) in units.columns(2, w_pairs, x_pairs.len()).zip(x_pairs) {
                let (w0, w1) = w.split_at(o);
                let pairs = block::<T, R>(w0, first)
                    .iter()
                    .zip(block::<T, R>(w1, first));
                for (s, (&w0, &w1)) in sums.iter_mut().zip(pairs) {
                    *s = w1.mul_add(x[1], w0.mul_add(x[0], *s));
                }
            }
            for (w, &x) in units.columns(1, w_last, x_last.len()).zip(x_last) {
                for (s, &w) in sums.iter_mut().zip(block::<T, R>(w, first)) {
                    *s = w.mul_add(x, *s);
                }
            }
            *block_mut(z, first) = sums;
        }
    }
}

/// Values of a line of [`ByLines::by_lines`]: 64 bytes of f32 (two lines of f64).
const LINE: usize = 16;

impl<T: Float, I: Size, O: Size, C: Dim> ByLines for FusedForward<'_, T, I, O, C> {
    #[inline(always)]
    fn head(&self) -> usize {
        self.head
    }

    /// All `R` rows of a layer in one block, from a weight whose columns each have a line
    /// boundary `HEAD` values in, each load a whole aligned line of `LINE` values: step `j`
    /// reads from row `HEAD` of column `j` to row `HEAD` of column `j + 1`, so the sums of
    /// the last line take column `j` in their first `LINE - HEAD` lanes (the column's last
    /// rows) and column `j + 1` in the rest (the next column's first rows), which are one step
    /// ahead. Every row still adds `b`, then the columns in order, one fused multiply-add
    /// each: the bits of [`Block::rows`] with an aligned weight.
    #[inline(always)]
    fn by_lines<const R: usize, const HEAD: usize>(&mut self) {
        let Shape {
            inputs,
            units,
            columns,
        } = self.shape;
        let (i, c) = (inputs.value(), columns.value());
        let tail = LINE - HEAD;
        let body = R - LINE;
        let samples = inputs.columns(1, self.x, c);
        for (x, z) in samples.zip(units.columns_mut(1, self.z, c)) {
            // Rows HEAD..R - tail, then the line across: rows R - tail..R, then 0..HEAD.
            let mut sums = [T::zero(); R];
            sums[..body].copy_from_slice(&self.bias[HEAD..HEAD + body]);
            sums[body..body + tail].copy_from_slice(&self.bias[R - tail..R]);
            let heads = self.bias[..HEAD].iter().zip(self.weight);
            for (s, (&b, &w)) in sums[body + tail..].iter_mut().zip(heads) {
                *s = w.mul_add(x[0], b);
            }
            let last = &self.weight[(i - 1) * R..i * R];
            // Each step reads the lines from row HEAD of column j to row HEAD of column j + 1;
            // two steps at a time (for every row the first step's column before the
            // second's), which measured 3-4% faster on 784-128.
            let steps = &self.weight[HEAD..HEAD + (i - 1) * R];
            let mut j = 0;
            let mut windows = steps.chunks_exact(2 * R);
            for lines in &mut windows {
                let (first, second) = lines.split_at(R);
                let first: &[T; R] = first.try_into().expect("R values from row HEAD");
                let second: &[T; R] = second.try_into().expect("R values from row HEAD");
                let (x0, x1, x2) = (x[j], x[j + 1], x[j + 2]);
                for (k, (s, (&w0, &w1))) in
                    sums.iter_mut().zip(first.iter().zip(second)).enumerate()
                {
                    let (a, b) = if k < body + tail { (x0, x1) } else { (x1, x2) };
                    *s = w1.mul_add(b, w0.mul_add(a, *s));
                }
                j += 2;
            }
            for lines in windows.remainder().chunks_exact(R) {
                let (x, next) = (x[j], x[j + 1]);
                let lines: &[T; R] = lines.try_into().expect("R values from row HEAD");
                for (k, (s, &w)) in sums.iter_mut().zip(lines).enumerate() {
                    *s = w.mul_add(if k < body + tail { x } else { next }, *s);
                }
                j += 1;
            }
            let x_last = x[i - 1];
            for (s, &w) in sums[..body].iter_mut().zip(&last[HEAD..HEAD + body]) {
                *s = w.mul_add(x_last, *s);
            }
            for (s, &w) in sums[body..body + tail].iter_mut().zip(&last[R - tail..]) {
                *s = w.mul_add(x_last, *s);
            }
            z[HEAD..R - tail].copy_from_slice(&sums[..body]);
            z[R - tail..].copy_from_slice(&sums[body..body + tail]);
            z[..HEAD].copy_from_slice(&sums[body + tail..]);
        }
    }
}

/// One sample's SGD step of a weight, held back from the sample before: `W -= lr delta x^T`
/// for that sample's `delta` (of the layer's units) and input `x`.
#[cfg(feature = "std")]
#[derive(Clone, Copy)]
pub(crate) struct HeldStep<'a, T> {
    pub(crate) delta: &'a [T],
    pub(crate) x: &'a [T],
    pub(crate) lr: T,
}

/// `W -= lr delta p^T` (the [`HeldStep`] of the sample before), then `z = W x + b` for one
/// sample, in one walk over the weight: each column of a block of rows takes its update, then
/// adds its product. Each weight is updated as [`sgd_weight`] updates it, and each sum takes
/// the updated columns as [`forward_fused`] takes them, so the bits are those of the step and
/// then the product; the weight streams through the cache once instead of twice.
#[cfg(feature = "std")]
#[inline(always)]
pub(crate) fn descend_forward<T: Float, I: Size, O: Size, const LONG: usize>(
    shape: Shape<I, O, Const<1>>,
    step: HeldStep<'_, T>,
    weight: &mut [T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (i, o, _) = shape.sizes();
    shape.units.blocks::<LONG, _>(&mut DescentForward {
        shape,
        delta: &step.delta[..o],
        previous: &step.x[..i],
        lr: step.lr,
        weight: &mut weight[..o * i],
        bias: &bias[..o],
        x: &inputs[..i],
        z: &mut z[..o],
    });
}

#[cfg(feature = "std")]
struct DescentForward<'a, T, I, O> {
    shape: Shape<I, O, Const<1>>,
    delta: &'a [T],
    /// The input of the sample whose step is held back.
    previous: &'a [T],
    lr: T,
    weight: &'a mut [T],
    bias: &'a [T],
    x: &'a [T],
    z: &'a mut [T],
}

#[cfg(feature = "std")]
impl<T: Float, I: Size, O: Size> Block for DescentForward<'_, T, I, O> {
    #[inline(always)]
    fn keeps_sums(&self) -> bool {
        true
    }

    #[inline(always)]
    fn rows<const R: usize>(&mut self, first: usize) {
        let (units, lr) = (self.shape.units, self.lr);
        let delta: &[T; R] = block(self.delta, first);
        let mut sums: [T; R] = *block(self.bias, first);
        // One column per step (the sums take the columns in the same order as the product's
        // two per step), each stepped in a copy that the sums then read: stepped in place, its
        // values were read back from memory, since the compiler could not tell the column from
        // the next one written.
        let columns = units.columns_mut(1, self.weight, self.x.len());
        for (w, (&x, &p)) in columns.zip(self.x.iter().zip(self.previous)) {
            let w = block_mut::<T, R>(w, first);
            let mut stepped = *w;
            descend_block(&mut stepped, delta, lr, p);
            *w = stepped;
            for (s, &w) in sums.iter_mut().zip(&stepped) {
                *s = w.mul_add(x, *s);
            }
        }
        *block_mut(self.z, first) = sums;
    }
}

/// `w -= lr (delta x)` for a block of a column's rows, as [`sgd_weight`] steps each weight.
#[cfg(feature = "std")]
#[inline(always)]
fn descend_block<T: Float, const R: usize>(weights: &mut [T; R], delta: &[T; R], lr: T, x: T) {
    for (w, &d) in weights.iter_mut().zip(delta) {
        *w -= lr * (d * x);
    }
}

/// `g = W^T delta` for every column: one dot product per input and column, summed as [`dot`]
/// sums it; `reduce` adds up the partial sums of eight inputs at once.
#[inline(always)]
pub(crate) fn backward_inputs<T: Float, R: RowSums, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    reduce: R,
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let Shape { inputs, units, .. } = shape;
    let (i, o, c) = shape.sizes();
    if o > LANES && o < 2 * LANES && c > 1 {
        return inputs_in_lanes(shape, weight, delta, input_grad);
    }
    let weight = &weight[..o * i];
    let samples = units.columns(1, delta, c);
    for (d, g) in samples.zip(inputs.columns_mut(1, input_grad, c)) {
        if o < LANES {
            // Columns shorter than a vector have no dot product to vectorise; the compiler
            // vectorises across inputs instead. The delta is read one value at a time: the
            // pass has just stored it, and the compiler's wider load of two of its values
            // spanned two of those stores, which the processor cannot forward, so the load
            // waited for both to reach the cache (4-16-16-3's one-sample step 3-5% slower).
            let mut own = [T::zero(); LANES];
            for (own, &d) in own.iter_mut().zip(d) {
                *own = d;
                fence();
            }
            let d = &own[..o];
            for (g, w) in g.iter_mut().zip(units.columns(1, weight, i)) {
                *g = dot(w, d);
            }
            continue;
        }
        let (g_blocks, g_rest) = g.as_chunks_mut::<LANES>();
        let (w_blocks, w_rest) = weight.split_at(g_blocks.len() * LANES * o);
        let w_blocks = units.columns(LANES, w_blocks, g_blocks.len());
        for (g, w) in g_blocks.iter_mut().zip(w_blocks) {
            dots(reduce, units, w, d, g);
        }
        let w_rest = units.columns(1, w_rest, g_rest.len());
        for (g, w) in g_rest.iter_mut().zip(w_rest) {
            *g = dot(w, d);
            fence();
        }
    }
}

/// [`backward_inputs`] for several samples of a layer of nine to fifteen units (a 10-class
/// output layer), with eight inputs in the vector lanes: each sample's eight sums are
/// [`dot`]'s, taken lane-wise from the rows of the eight inputs' columns of the weight,
/// transposed once for all the samples. Eight dot products at a time ([`dots`]) reduced one
/// vector and two values per sum: the compiled 64-32-10's SGD step at batch 32 spent 12% of
/// its time there. For one sample, the transpose costs more than it saves (64-32-10's
/// one-sample step took 10% more instructions). Never inlined: inlined into the dynamic
/// engine's `backward_inputs`, which takes every path, it slowed the others down (iris'
/// dynamic step at batch 32 10-25% slower).
#[inline(never)]
fn inputs_in_lanes<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let Shape { inputs, units, .. } = shape;
    let (i, o, c) = shape.sizes();
    let groups = i / LANES;
    let (w_groups, w_rest) = weight[..o * i].split_at(groups * LANES * o);
    for (group, w) in units.columns(LANES, w_groups, groups).enumerate() {
        // Row `k` of the group's columns, for `k < o`.
        let mut rows = [[T::zero(); LANES]; 2 * LANES];
        for (lane, column) in units.columns(1, w, LANES).enumerate() {
            for (row, &w) in rows.iter_mut().zip(column) {
                row[lane] = w;
            }
        }
        let samples = units.columns(1, delta, c);
        for (d, g) in samples.zip(inputs.columns_mut(1, input_grad, c)) {
            let mut products = [[T::zero(); LANES]; LANES];
            for ((products, row), &d) in products.iter_mut().zip(&rows).zip(d) {
                for (p, &w) in products.iter_mut().zip(row) {
                    *p = w * d;
                }
            }
            let mut sums = pairwise(&products, |mut a, b| {
                for (a, b) in a.iter_mut().zip(b) {
                    *a += b;
                }
                a
            });
            for (row, &d) in rows[LANES..o].iter().zip(&d[LANES..o]) {
                for (s, &w) in sums.iter_mut().zip(row) {
                    *s += w * d;
                }
            }
            *block_mut(g, group * LANES) = sums;
            fence();
        }
    }
    let rest = i - groups * LANES;
    for (j, w) in (groups * LANES..i).zip(units.columns(1, w_rest, rest)) {
        for (d, g) in units
            .columns(1, delta, c)
            .zip(inputs.columns_mut(1, input_grad, c))
        {
            g[j] = dot(w, d);
        }
    }
}

/// `dW = delta X^T` and `db = delta 1` over every column, overwriting the gradients: column
/// `j` of `dW` is `sum_c x[j, c] delta_c`, written by the first sample, then added to.
#[inline(always)]
pub(crate) fn backward_layer<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
    bias_grad: &mut [T],
) {
    gradients(shape, delta, inputs, Some(weight_grad), Some(bias_grad));
}

/// `dW = delta X^T` over every column, as [`backward_layer`] sums it, without the bias': a
/// block of the weight's columns (the layer's `inputs` here), whose bias another call sums.
#[cfg(feature = "std")]
#[inline(always)]
pub(crate) fn backward_weight<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
) {
    gradients(shape, delta, inputs, Some(weight_grad), None);
}

/// `db = delta 1` over every column, overwriting `bias_grad`.
#[inline(always)]
pub(crate) fn backward_bias<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    bias_grad: &mut [T],
) {
    gradients(shape, delta, &[], None, Some(bias_grad));
}

/// The gradients asked for, over every column (`inputs` unread without the weight's).
#[inline(always)]
fn gradients<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight_grad: Option<&mut [T]>,
    bias_grad: Option<&mut [T]>,
) {
    let (i, o, c) = shape.sizes();
    let weight = weight_grad.map(|grad| &mut grad[..o * i]);
    shape.units.blocks::<LONG_BLOCK, _>(&mut Gradients {
        shape,
        delta: &delta[..o * c],
        x: if weight.is_some() {
            &inputs[..i * c]
        } else {
            &[]
        },
        weight,
        bias: bias_grad.map(|grad| &mut grad[..o]),
    });
}

struct Gradients<'a, T, I, O, C> {
    shape: Shape<I, O, C>,
    delta: &'a [T],
    x: &'a [T],
    /// The weight's gradient, unless only the bias' is asked for.
    weight: Option<&'a mut [T]>,
    /// The bias' gradient, unless only the weight's is asked for.
    bias: Option<&'a mut [T]>,
}

impl<T: Float, I: Size, O: Size, C: Dim> Block for Gradients<'_, T, I, O, C> {
    /// Sums over the samples; one sample's gradient is one product per weight.
    #[inline(always)]
    fn keeps_sums(&self) -> bool {
        self.shape.columns.value() > 1
    }

    #[inline(always)]
    fn rows<const R: usize>(&mut self, first: usize) {
        let Shape { units, columns, .. } = self.shape;
        let c = columns.value();
        if let Some(weight) = &mut self.weight {
            weight_gradient::<_, _, _, R>(self.shape, self.delta, self.x, first, |j, sums| {
                *block_mut(&mut weight[j * units.value()..], first) = *sums;
            });
        }
        let Some(bias) = &mut self.bias else {
            return;
        };
        let grad: &mut [T; R] = block_mut(bias, first);
        for (k, d) in units.columns(1, self.delta, c).enumerate() {
            let d: &[T; R] = block(d, first);
            if k == 0 {
                *grad = *d;
            } else {
                axpy(grad, d, T::one());
            }
        }
    }
}

/// `W -= lr dW` and `b -= lr db`, with the gradients summed as [`backward_layer`] sums them;
/// the weight's is never stored, the bias' is summed in `bias_grad`.
#[inline(always)]
pub(crate) fn sgd_layer<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    bias: &mut [T],
    bias_grad: &mut [T],
    lr: T,
) {
    sgd_weight(shape, delta, inputs, weight, lr);
    sgd_bias(shape, delta, bias, bias_grad, lr);
}

/// `W -= lr dW`, with the gradient summed as [`backward_layer`] sums it and never stored: the
/// weight's part of [`sgd_layer`], alone for a block of the weight's columns (the layer's
/// `inputs` here), whose bias another call steps.
#[inline(always)]
pub(crate) fn sgd_weight<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    lr: T,
) {
    let (i, o, c) = shape.sizes();
    shape.units.blocks::<LONG_BLOCK, _>(&mut WeightDescent {
        shape,
        head: aligned_head(weight, o),
        delta: &delta[..o * c],
        x: &inputs[..i * c],
        weight: &mut weight[..o * i],
        lr,
    });
}

/// `b -= lr db`, with `db` summed in `grad` as [`backward_layer`] sums it. (Summed in a stack
/// array as a block of rows, beside [`sgd_layer`]'s weight block, it crashed LLVM 22's
/// register coalescer for a 3-unit layer after a hidden one.)
#[inline(always)]
pub(crate) fn sgd_bias<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    bias: &mut [T],
    grad: &mut [T],
    lr: T,
) {
    let (units, c) = (shape.units, shape.columns.value());
    let o = units.value();
    let (grad, bias) = (&mut grad[..o], &mut bias[..o]);
    let Some((first, rest)) = delta[..o * c].split_at_checked(o) else {
        return;
    };
    grad.copy_from_slice(first);
    for d in units.columns(1, rest, c - 1) {
        for (g, &d) in grad.iter_mut().zip(d) {
            *g += d * T::one();
        }
    }
    for (b, &g) in bias.iter_mut().zip(&*grad) {
        *b -= lr * g;
    }
}

struct WeightDescent<'a, T, I, O, C> {
    shape: Shape<I, O, C>,
    /// [`aligned_head`] of the weight.
    head: usize,
    delta: &'a [T],
    x: &'a [T],
    weight: &'a mut [T],
    lr: T,
}

impl<T: Float, I: Size, O: Size, C: Dim> Block for WeightDescent<'_, T, I, O, C> {
    /// Sums over the samples; one sample's gradient is one product per weight.
    #[inline(always)]
    fn keeps_sums(&self) -> bool {
        self.shape.columns.value() > 1
    }

    #[inline(always)]
    fn rows<const R: usize>(&mut self, first: usize) {
        let Shape {
            inputs,
            units,
            columns,
        } = self.shape;
        let (i, o, c, lr) = (inputs.value(), units.value(), columns.value(), self.lr);
        let (Some((d0, _)), Some((x0, _))) =
            (self.delta.split_at_checked(o), self.x.split_at_checked(i))
        else {
            return;
        };
        let d0: &[T; R] = block(d0, first);
        if c == 1 && i > 0 && walked_by_lines::<_, R>(self, first, o) {
            return;
        }
        if c == 1 {
            // One sample's gradient is one product per weight. Built in a stack array anyway,
            // a run-time block of 32 rows went through the stack in odd-sized pieces and took
            // twice as long as the old gradient and optimizer step together.
            for (weight, &x) in units.columns_mut(1, self.weight, i).zip(x0) {
                for (w, &d) in block_mut::<T, R>(weight, first).iter_mut().zip(d0) {
                    *w -= lr * (d * x);
                }
            }
            return;
        }
        let weight = &mut *self.weight;
        weight_gradient::<_, _, _, R>(self.shape, self.delta, self.x, first, |j, sums| {
            let column: &mut [T; R] = block_mut(&mut weight[j * o..], first);
            for (w, &g) in column.iter_mut().zip(sums) {
                *w -= lr * g;
            }
        });
    }
}

/// Rows `first..first + R` of `dW = delta X^T`, the samples' products summed in order (the
/// first written, then each added): `each(j, sums)` gets column `j`'s. A block of up to two
/// vectors of rows sums four of the weight's columns in one walk of the samples, so that their
/// chains of additions overlap and each sample's delta is read once for them (iris' step at
/// batch 32 1.11-1.15x as fast; two columns of 32 rows were no faster for 64-32-10). A block
/// of up to [`ACROSS_ROWS`] rows that fill no whole vectors sums with the columns in the
/// lanes instead ([`lane_groups`]): eight of them (`f64`: four), or sixteen for up to half as
/// many rows. Each sum's operations are the same in every form.
#[inline(always)]
fn weight_gradient<T: Float, I: Size, O: Size, const R: usize>(
    shape: Shape<I, O, impl Dim>,
    delta: &[T],
    x: &[T],
    first: usize,
    mut each: impl FnMut(usize, &[T; R]),
) {
    let across = !R.is_multiple_of(LANES) && R <= ACROSS_ROWS;
    if across && size_of::<T>() == 4 && R <= ACROSS_ROWS / 2 {
        lane_groups::<_, _, _, R, { 2 * LANES }>(shape, delta, x, first, &mut each);
    } else if across && size_of::<T>() == 4 {
        lane_groups::<_, _, _, R, LANES>(shape, delta, x, first, &mut each);
    } else if across {
        lane_groups::<_, _, _, R, { LANES / 2 }>(shape, delta, x, first, &mut each);
    } else if R <= 2 * LANES {
        column_groups::<_, _, _, R, 4>(shape, delta, x, first, 0, &mut each);
    } else {
        column_groups::<_, _, _, R, 1>(shape, delta, x, first, 0, &mut each);
    }
}

/// The most rows of a block whose weight gradient [`lane_groups`] sums: one vector of sums
/// per row (two for half as many rows), with a vector of inputs and a broadcast delta beside
/// them, in AVX2's sixteen registers.
const ACROSS_ROWS: usize = 12;

/// [`weight_gradient`] for a block of rows that does not fill whole vectors (a 10-unit
/// output layer's, say), with `G` of the weight's columns in the vector lanes: each row's
/// sums are one or two vectors, each sample adds its inputs `x_j..x_j+G` times the row's
/// delta, and the columns left after the groups are summed as [`column_groups`] sums them.
/// Summed with the rows in the lanes instead, the block's sums straddled two
/// vectors, and building each sample's products took more shuffles than multiplications:
/// the compiled 64-32-10's SGD step at batch 32 spent 13% of its time in the 10-unit layer's
/// update, and 6% after. Each sum's operations are the same in either form.
#[inline(always)]
fn lane_groups<T: Float, I: Size, O: Size, const R: usize, const G: usize>(
    shape: Shape<I, O, impl Dim>,
    delta: &[T],
    x: &[T],
    first: usize,
    each: &mut impl FnMut(usize, &[T; R]),
) {
    let i = shape.inputs.value();
    let grouped = i / G * G;
    for j in (0..grouped).step_by(G) {
        // Row `r` of column `j + g` in `sums[r][g]`.
        let sums: [[T; G]; R] = outer_sums(sample_blocks(shape, delta, x, first, j));
        for (g, column) in (j..j + G).enumerate() {
            each(column, &core::array::from_fn(|r| sums[r][g]));
        }
    }
    column_groups::<_, _, _, R, 4>(shape, delta, x, first, grouped, each);
}

/// Each sample's rows `first..first + R` of the delta and inputs `j..j + G`, in order: the
/// blocks whose products [`outer_sums`] adds up into rows of columns of `dW = delta X^T`.
#[inline(always)]
fn sample_blocks<'a, T: Float, I: Size, O: Size, const R: usize, const G: usize>(
    shape: Shape<I, O, impl Dim>,
    delta: &'a [T],
    x: &'a [T],
    first: usize,
    j: usize,
) -> impl Iterator<Item = (&'a [T; R], &'a [T; G])> {
    let c = shape.columns.value();
    let samples = shape
        .units
        .columns(1, delta, c)
        .zip(shape.inputs.columns(1, x, c));
    samples.map(move |(d, x)| (block(d, first), block(x, j)))
}

/// [`weight_gradient`] from column `start` on, by groups of `G` columns, then the columns
/// left one by one.
#[inline(always)]
fn column_groups<T: Float, I: Size, O: Size, const R: usize, const G: usize>(
    shape: Shape<I, O, impl Dim>,
    delta: &[T],
    x: &[T],
    first: usize,
    start: usize,
    each: &mut impl FnMut(usize, &[T; R]),
) {
    let i = shape.inputs.value();
    let grouped = start + (i - start) / G * G;
    for j in (start..grouped).step_by(G) {
        let blocks = sample_blocks::<_, _, _, R, G>(shape, delta, x, first, j);
        let sums: [[T; R]; G] = outer_sums(blocks.map(|(d, x)| (x, d)));
        for (g, sums) in sums.iter().enumerate() {
            each(j + g, sums);
        }
    }
    for j in grouped..i {
        let blocks = sample_blocks::<_, _, _, R, 1>(shape, delta, x, first, j);
        let [sums] = outer_sums(blocks.map(|(d, x)| (x, d)));
        each(j, &sums);
    }
}

/// `sums[a][b] = sum_c outer_c[a] inner_c[b]` over the samples' pairs of blocks, in order:
/// the first sample's products written, then each sample's added. The weight gradient's
/// sums, whichever of a sample's delta and inputs lies along the lanes (`inner`).
#[inline(always)]
fn outer_sums<'a, T: Float, const A: usize, const B: usize>(
    mut samples: impl Iterator<Item = (&'a [T; A], &'a [T; B])>,
) -> [[T; B]; A] {
    let mut sums = [[T::zero(); B]; A];
    let Some((outer, inner)) = samples.next() else {
        return sums;
    };
    for (sums, &a) in sums.iter_mut().zip(outer) {
        for (s, &b) in sums.iter_mut().zip(inner) {
            *s = b * a;
        }
    }
    for (outer, inner) in samples {
        for (sums, &a) in sums.iter_mut().zip(outer) {
            axpy(sums, inner, a);
        }
    }
    sums
}

impl<T: Float, I: Size, O: Size, C: Dim> ByLines for WeightDescent<'_, T, I, O, C> {
    #[inline(always)]
    fn head(&self) -> usize {
        self.head
    }

    /// One sample's step on all `R` rows of a layer in one block, from a weight whose
    /// columns each have a line boundary `HEAD` values in, by whole aligned lines as the
    /// forward product (`FusedForward`) reads them: step `j` updates from row `HEAD` of
    /// column `j` to row `HEAD` of column `j + 1`, with the delta's rows in that order. Each
    /// weight takes the same operations as in [`Block::rows`], so the bits are the same; what
    /// changes is that no load or store straddles two cache lines.
    #[inline(always)]
    fn by_lines<const R: usize, const HEAD: usize>(&mut self) {
        let (i, lr) = (self.shape.inputs.value(), self.lr);
        let (delta, x) = (&self.delta[..R], &self.x[..i]);
        let mut rotated = [T::zero(); R];
        rotated[..R - HEAD].copy_from_slice(&delta[HEAD..]);
        rotated[R - HEAD..].copy_from_slice(&delta[..HEAD]);
        let (first, rest) = self.weight.split_at_mut(HEAD);
        for (w, &d) in first.iter_mut().zip(&delta[..HEAD]) {
            *w -= lr * (d * x[0]);
        }
        let (steps, last) = rest.split_at_mut((i - 1) * R);
        for (j, lines) in steps.chunks_exact_mut(R).enumerate() {
            let (x, next) = (x[j], x[j + 1]);
            let lines: &mut [T; R] = lines.try_into().expect("R values from row HEAD");
            for (k, (w, &d)) in lines.iter_mut().zip(&rotated).enumerate() {
                *w -= lr * (d * if k < R - HEAD { x } else { next });
            }
        }
        for (w, &d) in last.iter_mut().zip(&delta[HEAD..]) {
            *w -= lr * (d * x[i - 1]);
        }
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
fn dots<T: Float, R: RowSums, O: Size>(
    reduce: R,
    rows: O,
    columns: &[T],
    b: &[T],
    sums: &mut [T; LANES],
) {
    let (b_blocks, b_rest) = b.as_chunks::<LANES>();
    let mut lanes = [[T::zero(); LANES]; LANES];
    for (lanes, a) in lanes.iter_mut().zip(rows.columns(1, columns, LANES)) {
        *lanes = partial_sums(a.as_chunks::<LANES>().0, b_blocks);
        fence();
    }
    // The sums stay in a local array until the rest is added: summed in `sums`, the output,
    // they were stored and at once loaded back, a store-to-load wait in every block.
    let mut own = [T::zero(); LANES];
    reduce.row_sums(&lanes, &mut own);
    for (sum, a) in own.iter_mut().zip(rows.columns(1, columns, LANES)) {
        *sum = add_rest(*sum, a.as_chunks::<LANES>().1, b_rest);
    }
    *sums = own;
}

/// Once a dot product is unrolled, the compiler would vectorise the loop around it across
/// columns, assembling each vector from strided elements one insert at a time (a quarter of
/// iris' training step). This fence, which emits no instruction, keeps that loop scalar so
/// that each dot product is vectorised instead.
#[inline(always)]
fn fence() {
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
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
    pairwise(lanes, |a, b| a + b)
}

/// [`sum_lanes`]' order of additions, with `add` adding two values of any kind.
#[inline(always)]
fn pairwise<V: Copy>(lanes: &[V; LANES], add: impl Fn(V, V) -> V) -> V {
    add(
        add(add(lanes[0], lanes[1]), add(lanes[2], lanes[3])),
        add(add(lanes[4], lanes[5]), add(lanes[6], lanes[7])),
    )
}
