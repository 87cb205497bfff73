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
const DEPTH: usize = 128;

/// One tile: `acc += panel * B[k0..k0 + depth, j0..j0 + COLS]`, where `panel(kk)` is the
/// tile's rows of the left operand's column `k0 + kk`.
#[inline(always)]
fn tile<'p, T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    depth: usize,
    panel: impl Fn(usize) -> &'p [T; ROWS],
    b_at: impl Fn(usize, usize) -> T,
    acc: &mut [[T; ROWS]; COLS],
) {
    for kk in 0..depth {
        let column = panel(kk);
        for (j, acc) in acc.iter_mut().enumerate() {
            let scale = b_at(kk, j);
            for (acc, &w) in acc.iter_mut().zip(column) {
                *acc = madd::<T, FMA>(*acc, w, scale);
            }
        }
    }
}

/// Runs the tiles of the result block `rows x n` from depth `k0` on, accumulating into `c`
/// after the first block.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The shape, the block, and the operands' accessors.
fn block<'p, T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    m: usize,
    n: usize,
    r0: usize,
    k0: usize,
    depth: usize,
    panel: impl Fn(usize) -> &'p [T; ROWS] + Copy,
    b_at: impl Fn(usize, usize) -> T + Copy,
    c: &mut [T],
) {
    let mut j0 = 0;
    while j0 + COLS <= n {
        let mut acc = [[T::zero(); ROWS]; COLS];
        if k0 > 0 {
            for (j, acc) in acc.iter_mut().enumerate() {
                acc.copy_from_slice(&c[(j0 + j) * m + r0..(j0 + j) * m + r0 + ROWS]);
            }
        }
        tile::<T, ROWS, COLS, FMA>(depth, panel, |kk, j| b_at(kk, j0 + j), &mut acc);
        for (j, acc) in acc.iter().enumerate() {
            c[(j0 + j) * m + r0..(j0 + j) * m + r0 + ROWS].copy_from_slice(acc);
        }
        j0 += COLS;
    }
    // The last columns, fewer than a tile, one at a time.
    for j in j0..n {
        let mut acc = [[T::zero(); ROWS]; 1];
        if k0 > 0 {
            acc[0].copy_from_slice(&c[j * m + r0..j * m + r0 + ROWS]);
        }
        tile::<T, ROWS, 1, FMA>(depth, panel, |kk, _| b_at(kk, j), &mut acc);
        c[j * m + r0..j * m + r0 + ROWS].copy_from_slice(&acc[0]);
    }
}

/// `C (m x n) = A (m x k) * B (k x n)`, or `A * B^T` when `TRANSPOSED` and `b` holds the
/// `n x k` matrix `B`. Tiles of `ROWS x COLS` results, blocked by [`DEPTH`].
#[inline(always)]
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
) {
    let (a, b, c) = (&a[..m * k], &b[..k * n], &mut c[..m * n]);
    // A second pass of narrower tiles for the leftover rows measured slower here (it changes
    // how the compiler allocates the wide tiles' registers), unlike in `tn`.
    let covered = nn_rows::<T, ROWS, COLS, TRANSPOSED, FMA>(m, n, k, a, b, c, 0);
    edge::<T, TRANSPOSED, FMA>(m, n, k, a, b, c, covered..m, 0..n);
}

/// The whole tiles of `ROWS` rows from row `start` on; returns the first row not covered.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The shape, the operands, and where to start.
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
    start: usize,
) -> usize {
    let end = start + (m - start) / ROWS * ROWS;
    let mut k0 = 0;
    while k0 < k {
        let depth = DEPTH.min(k - k0);
        for r0 in (start..end).step_by(ROWS) {
            let panel = |kk: usize| -> &[T; ROWS] {
                let first = (k0 + kk) * m + r0;
                a[first..first + ROWS].try_into().expect("a tile")
            };
            let b_at = |kk: usize, j: usize| {
                if TRANSPOSED {
                    b[(k0 + kk) * n + j]
                } else {
                    b[j * k + k0 + kk]
                }
            };
            block::<T, ROWS, COLS, FMA>(m, n, r0, k0, depth, panel, b_at, c);
        }
        k0 += depth;
    }
    end
}

/// The results outside whole tiles, one at a time.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The shape, the operands, and the block.
fn edge<T: Float, const TRANSPOSED: bool, const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
) {
    for j in cols {
        for r in rows.clone() {
            let mut sum = T::zero();
            for kk in 0..k {
                let b = if TRANSPOSED {
                    b[kk * n + j]
                } else {
                    b[j * k + kk]
                };
                sum = madd::<T, FMA>(sum, a[kk * m + r], b);
            }
            c[j * m + r] = sum;
        }
    }
}

/// `C (m x n) = A^T * B` where `a` holds the `k x m` matrix `A` and `b` the `k x n` matrix
/// `B`. Blocks of `ROWS` columns of `A` are copied, transposed, into a panel on the stack so
/// that the tiles of [`nn`] can run on them.
#[inline(always)]
pub(super) fn tn<T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
) {
    let (a, b, c) = (&a[..m * k], &b[..k * n], &mut c[..m * n]);
    let covered = tn_rows::<T, ROWS, COLS, FMA>(m, n, k, a, b, c, 0);
    let covered = tn_rows::<T, 8, COLS, FMA>(m, n, k, a, b, c, covered);
    for j in 0..n {
        for r in covered..m {
            let mut sum = T::zero();
            for kk in 0..k {
                sum = madd::<T, FMA>(sum, a[r * k + kk], b[j * k + kk]);
            }
            c[j * m + r] = sum;
        }
    }
}

/// The whole tiles of `ROWS` rows of `A^T B` from row `start` on; returns the first row not
/// covered.
#[inline(always)]
fn tn_rows<T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    start: usize,
) -> usize {
    let end = start + (m - start) / ROWS * ROWS;
    let mut packed = [[T::zero(); ROWS]; DEPTH];
    let mut k0 = 0;
    while k0 < k {
        let depth = DEPTH.min(k - k0);
        for r0 in (start..end).step_by(ROWS) {
            for (r, column) in a[r0 * k..(r0 + ROWS) * k].chunks_exact(k).enumerate() {
                for (kk, &value) in column[k0..k0 + depth].iter().enumerate() {
                    packed[kk][r] = value;
                }
            }
            let panel = |kk: usize| &packed[kk];
            let b_at = |kk: usize, j: usize| b[j * k + k0 + kk];
            block::<T, ROWS, COLS, FMA>(m, n, r0, k0, depth, panel, b_at, c);
        }
        k0 += depth;
    }
    end
}
