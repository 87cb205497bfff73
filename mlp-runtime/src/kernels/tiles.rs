//! The tile loops, generic over the scalar, the tile shape and fused multiply-add; the
//! dispatch module instantiates them per instruction set.

use crate::float::Float;

/// `acc + a * b`, fused when the instruction set has FMA (otherwise `mul_add` would be a slow
/// library call).
#[inline(always)]
fn madd<T: Float, const FMA: bool>(acc: T, a: T, b: T) -> T {
    if FMA { a.mul_add(b, acc) } else { acc + a * b }
}

/// Depth of a block: a panel of `ROWS x DEPTH` left-operand values stays in the L1 cache
/// while every column tile uses it.
pub(super) const DEPTH: usize = 128;

/// One tile: `acc += panel * B[k0..k0 + depth, j0..j0 + COLS]`, where `panel(kk)` is the
/// tile's rows of the left operand's column `k0 + kk`.
#[inline(always)]
fn tile<
    'p,
    T: Float,
    const ROWS: usize,
    const COLS: usize,
    const TRANSPOSED: bool,
    const FMA: bool,
>(
    panel: impl Fn(usize) -> &'p [T; ROWS],
    right: Right<'_, T, TRANSPOSED>,
    j0: usize,
    acc: &mut [[T; ROWS]; COLS],
) {
    let Right { b, lead, k0, depth } = right;
    if TRANSPOSED {
        // Each step's values are side by side: one slice of them a step.
        let rows = &b[k0 * lead + j0..];
        for kk in 0..depth {
            let row: &[T; COLS] = rows[kk * lead..][..COLS].try_into().expect("a row of B");
            step::<T, ROWS, COLS, FMA>(acc, panel(kk), |j| row[j]);
        }
        return;
    }
    // Each of the tile's columns of `B` is a run of the depth: cut into arrays of `RUN`
    // steps, so that a bound is checked for each column once every `RUN` steps.
    let mut kk = 0;
    while kk + RUN <= depth {
        let runs: [&[T; RUN]; COLS] = core::array::from_fn(|j| {
            b[(j0 + j) * lead + k0 + kk..][..RUN]
                .try_into()
                .expect("a run of B")
        });
        #[allow(clippy::needless_range_loop)] // `r` indexes each column's run, not `runs`.
        for r in 0..RUN {
            step::<T, ROWS, COLS, FMA>(acc, panel(kk + r), |j| runs[j][r]);
        }
        kk += RUN;
    }
    for kk in kk..depth {
        step::<T, ROWS, COLS, FMA>(acc, panel(kk), |j| b[(j0 + j) * lead + k0 + kk]);
    }
}

/// One step of the depth: `acc[j] += column * row(j)`.
#[inline(always)]
fn step<T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    acc: &mut [[T; ROWS]; COLS],
    column: &[T; ROWS],
    row: impl Fn(usize) -> T,
) {
    for (j, acc) in acc.iter_mut().enumerate() {
        let scale = row(j);
        for (acc, &w) in acc.iter_mut().zip(column) {
            *acc = madd::<T, FMA>(*acc, w, scale);
        }
    }
}

/// The steps of the depth whose values a tile reads from each column of a right operand
/// that is not transposed, per bound checked.
const RUN: usize = 8;

/// A block's right operand, `B[k0..k0 + depth, ..]`: `B` itself, its columns `lead` apart,
/// or with `TRANSPOSED` the `n x k` matrix whose transpose `B` is. A tile cuts its slices of
/// it once a step or once every [`RUN`] steps: indexed value by value, it checked a bound for
/// each of its columns at every step wherever the compiler could not prove them (sizes known
/// only at run time: 24 instructions a step beside 16 multiply-adds of AVX-512 registers).
#[derive(Clone, Copy)]
struct Right<'b, T, const TRANSPOSED: bool> {
    b: &'b [T],
    lead: usize,
    k0: usize,
    depth: usize,
}

/// How a product's results reach `c`. A type rather than a value, so that each kind is
/// compiled on its own: a run-time choice in the tile loops cost the products half their
/// speed (the register allocator kept it live beside the accumulators).
pub(crate) trait Epilogue<T>: Copy {
    /// Whether results may arrive in parts (blocks of depth) added to what `c` holds.
    const ACCUMULATES: bool;

    /// Puts `result` into `c`.
    fn store(self, c: &mut [T], result: &[T]);
}

/// `c = result`.
#[derive(Clone, Copy)]
pub(crate) struct Overwrite;

impl<T: Float> Epilogue<T> for Overwrite {
    const ACCUMULATES: bool = true;

    #[inline(always)]
    fn store(self, c: &mut [T], result: &[T]) {
        c.copy_from_slice(result);
    }
}

/// `c -= lr * result`: a gradient descent step with a gradient that is never stored.
#[derive(Clone, Copy)]
pub(crate) struct Descend<T>(pub T);

impl<T: Float> Epilogue<T> for Descend<T> {
    const ACCUMULATES: bool = false;

    #[inline(always)]
    fn store(self, c: &mut [T], result: &[T]) {
        for (c, &r) in c.iter_mut().zip(result) {
            *c -= self.0 * r;
        }
    }
}

/// Runs the tiles of the result block `rows x n` over a block of the depth, into `c` (whose
/// columns start `ldc` apart): continuing the chains of the values `c` holds if `continues`
/// (a block after the first), else from zero.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The shape, the block, and the operands' accessors.
fn block<
    'p,
    T: Float,
    const ROWS: usize,
    const COLS: usize,
    const TRANSPOSED: bool,
    const FMA: bool,
>(
    ldc: usize,
    n: usize,
    r0: usize,
    continues: bool,
    panel: impl Fn(usize) -> &'p [T; ROWS] + Copy,
    right: Right<'_, T, TRANSPOSED>,
    c: &mut [T],
    epilogue: impl Epilogue<T>,
) {
    let mut j0 = 0;
    while j0 + COLS <= n {
        let mut acc = [[T::zero(); ROWS]; COLS];
        if continues {
            for (j, acc) in acc.iter_mut().enumerate() {
                acc.copy_from_slice(&c[(j0 + j) * ldc + r0..(j0 + j) * ldc + r0 + ROWS]);
            }
        }
        tile::<T, ROWS, COLS, TRANSPOSED, FMA>(panel, right, j0, &mut acc);
        for (j, acc) in acc.iter().enumerate() {
            epilogue.store(&mut c[(j0 + j) * ldc + r0..(j0 + j) * ldc + r0 + ROWS], acc);
        }
        j0 += COLS;
    }
    // The last columns, fewer than a tile, one at a time.
    for j in j0..n {
        let mut acc = [[T::zero(); ROWS]; 1];
        if continues {
            acc[0].copy_from_slice(&c[j * ldc + r0..j * ldc + r0 + ROWS]);
        }
        tile::<T, ROWS, 1, TRANSPOSED, FMA>(panel, right, j, &mut acc);
        epilogue.store(&mut c[j * ldc + r0..j * ldc + r0 + ROWS], &acc[0]);
    }
}

/// The length a slice of `columns` columns of `rows` rows each, `lead` apart, needs (a block
/// of a taller matrix's rows, whose slice starts at the block's first row).
pub(crate) const fn span(rows: usize, columns: usize, lead: usize) -> usize {
    if columns == 0 {
        0
    } else {
        (columns - 1) * lead + rows
    }
}

/// The length of the slice that holds [`nn`]'s right operand: `B` (`k x n`), or with
/// `TRANSPOSED` the `n x k` matrix, its columns `ldb` apart.
pub(super) const fn right_span<const TRANSPOSED: bool>(n: usize, k: usize, ldb: usize) -> usize {
    let (rows, columns) = if TRANSPOSED { (n, k) } else { (k, n) };
    span(rows, columns, ldb)
}

/// `C (m x n) = A (m x k) * B (k x n)`, or `A * B^T` when `TRANSPOSED` and `b` holds the
/// `n x k` matrix `B`; the columns of `A`, of the matrix `b` holds and of `C` start `lead.a`,
/// `lead.b` and `lead.c` apart (so each may be a block of rows of a taller matrix, from the
/// block's first row). Tiles of `ROWS x COLS`
/// results, blocked by [`DEPTH`]. `epilogue` puts each result into `C`; one other than
/// [`Overwrite`] needs `k <= DEPTH` (one block, so that each result is complete when it is
/// stored). Each result is one chain of multiply-adds in the order of `k`, whichever tile or
/// edge computes it, so where `b`'s columns start changes no bit.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands and the epilogue.
pub(super) fn nn<
    T: Float,
    const ROWS: usize,
    const COLS: usize,
    const TRANSPOSED: bool,
    const FMA: bool,
>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    epilogue: impl Epilogue<T>,
) {
    let (a, b, c) = (
        &a[..span(m, k, lead.a)],
        &b[..right_span::<TRANSPOSED>(n, k, lead.b)],
        &mut c[..span(m, n, lead.c)],
    );
    // A second pass of narrower tiles for the leftover rows measured slower here (it changes
    // how the compiler allocates the wide tiles' registers), unlike in `tn`.
    let covered = nn_rows::<T, ROWS, COLS, TRANSPOSED, FMA>(m, n, k, a, b, c, lead, epilogue);
    edge::<T, TRANSPOSED, FMA>(n, k, a, b, c, lead, covered..m, epilogue);
}

/// Where the columns of a product's three matrices start, each relative to the one before:
/// their heights, or more where a matrix is a block of a taller matrix's rows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Leads {
    /// The left operand's.
    pub(crate) a: usize,
    /// The right operand's (of the matrix its slice holds).
    pub(crate) b: usize,
    /// The result's.
    pub(crate) c: usize,
}

/// The whole tiles of `ROWS` rows; returns the first row not covered.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands and the epilogue.
fn nn_rows<
    T: Float,
    const ROWS: usize,
    const COLS: usize,
    const TRANSPOSED: bool,
    const FMA: bool,
>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    epilogue: impl Epilogue<T>,
) -> usize {
    let end = m / ROWS * ROWS;
    let mut k0 = 0;
    while k0 < k {
        let depth = DEPTH.min(k - k0);
        for r0 in (0..end).step_by(ROWS) {
            let panel = |kk: usize| -> &[T; ROWS] {
                let first = (k0 + kk) * lead.a + r0;
                a[first..first + ROWS].try_into().expect("a tile")
            };
            let right = Right::<T, TRANSPOSED> {
                b,
                lead: lead.b,
                k0,
                depth,
            };
            let continues = k0 > 0;
            block::<T, ROWS, COLS, TRANSPOSED, FMA>(
                lead.c, n, r0, continues, panel, right, c, epilogue,
            );
        }
        k0 += depth;
    }
    end
}

/// The results in `rows`, outside whole tiles, one at a time.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The shape, the operands, and the rows.
fn edge<T: Float, const TRANSPOSED: bool, const FMA: bool>(
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    rows: core::ops::Range<usize>,
    epilogue: impl Epilogue<T>,
) {
    for j in 0..n {
        for r in rows.clone() {
            let mut sum = T::zero();
            for kk in 0..k {
                let b = if TRANSPOSED {
                    b[kk * lead.b + j]
                } else {
                    b[j * lead.b + kk]
                };
                sum = madd::<T, FMA>(sum, a[kk * lead.a + r], b);
            }
            let at = j * lead.c + r;
            epilogue.store(&mut c[at..=at], &[sum]);
        }
    }
}

/// `C (m x n) = A^T * B`, or `C += A^T B` if `accumulate`, where `a` holds the `k x m`
/// matrix `A` and `b` the `k x n` matrix `B`, whose columns and `C`'s start `lead.a`, `lead.b`
/// and `lead.c` apart. Blocks of `ROWS` columns of `A` are copied, transposed, into a panel
/// on the stack so that the tiles of [`nn`] can run on them. As in `nn`, each result is one
/// chain of multiply-adds in the order of `k`; accumulating, it continues the chain of the
/// value `C` holds, so a product over a depth cut into blocks that one call would cut alike
/// (at multiples of [`DEPTH`]), by one call per block, has the bits of the whole one.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands, the leads and the mode.
pub(super) fn tn<T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    accumulate: bool,
) {
    let (a, b, c) = (
        &a[..span(k, m, lead.a)],
        &b[..span(k, n, lead.b)],
        &mut c[..span(m, n, lead.c)],
    );
    let covered = tn_rows::<T, ROWS, COLS, FMA>(m, n, k, a, b, c, lead, accumulate, 0);
    let covered = tn_rows::<T, 8, COLS, FMA>(m, n, k, a, b, c, lead, accumulate, covered);
    for j in 0..n {
        for r in covered..m {
            let at = j * lead.c + r;
            let mut sum = if accumulate { c[at] } else { T::zero() };
            for kk in 0..k {
                sum = madd::<T, FMA>(sum, a[r * lead.a + kk], b[j * lead.b + kk]);
            }
            c[at] = sum;
        }
    }
}

/// The whole tiles of `ROWS` rows of `A^T B` (added to `C` if `accumulate`) from row `start`
/// on; returns the first row not covered.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands, the leads, the mode and the start.
fn tn_rows<T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    accumulate: bool,
    start: usize,
) -> usize {
    let end = start + (m - start) / ROWS * ROWS;
    let mut packed = [[T::zero(); ROWS]; DEPTH];
    let mut k0 = 0;
    while k0 < k {
        let depth = DEPTH.min(k - k0);
        for r0 in (start..end).step_by(ROWS) {
            for r in 0..ROWS {
                let column = &a[(r0 + r) * lead.a + k0..][..depth];
                for (kk, &value) in column.iter().enumerate() {
                    packed[kk][r] = value;
                }
            }
            let panel = |kk: usize| &packed[kk];
            let right = Right::<T, false> {
                b,
                lead: lead.b,
                k0,
                depth,
            };
            let continues = k0 > 0 || accumulate;
            block::<T, ROWS, COLS, false, FMA>(
                lead.c, n, r0, continues, panel, right, c, Overwrite,
            );
        }
        k0 += depth;
    }
    end
}
