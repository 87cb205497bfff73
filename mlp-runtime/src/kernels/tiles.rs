//! The tile loops, generic over the scalar, the tile shape and fused multiply-add; the
//! dispatch module instantiates them per instruction set.
//!
//! One of the modules with `unsafe`: a tile's steps read their operands without a bound
//! check. [`Panel`] and [`Right`] check once, when they are made, that every step of their
//! block lies inside the operand's slice, and a tile checks once that it reads inside them.
//! Checked at every step, with sizes known only at run time (a layer's parts in a step split
//! by units, the dynamic engine), the bounds cost four compares and branches beside sixteen
//! multiply-adds of AVX-512 registers (BENCHMARKS.md, "Tiles without a bound check a step").
#![allow(unsafe_code)]

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

/// One tile: `acc += panel * B[k0..k0 + depth, j0..j0 + COLS]`, where `panel.column(kk)` is
/// the tile's rows of the left operand's column `k0 + kk`.
#[inline(always)]
fn tile<T: Float, const ROWS: usize, const COLS: usize, const TRANSPOSED: bool, const FMA: bool>(
    panel: Panel<'_, T, ROWS>,
    right: Right<'_, T, TRANSPOSED>,
    j0: usize,
    acc: &mut [[T; ROWS]; COLS],
) {
    let depth = right.depth;
    assert!(
        panel.depth >= depth && COLS <= right.n.saturating_sub(j0),
        "a tile inside its operands"
    );
    if TRANSPOSED {
        // Each step's values are side by side: one array of them a step.
        for kk in 0..depth {
            // SAFETY: `kk < depth`, which is at most the panel's, and `j0 + COLS <= n`.
            let (column, row) = unsafe { (panel.column(kk), right.row::<COLS>(j0, kk)) };
            step::<T, ROWS, COLS, FMA>(acc, column, |j| row[j]);
        }
        return;
    }
    // Each of the tile's columns of `B` is a run of the depth: read as arrays of `RUN` steps.
    let mut kk = 0;
    while kk + RUN <= depth {
        // SAFETY: `j0 + j < n` and `kk + RUN <= depth`.
        let runs: [&[T; RUN]; COLS] =
            core::array::from_fn(|j| unsafe { right.run::<RUN>(j0 + j, kk) });
        #[allow(clippy::needless_range_loop)] // `r` indexes each column's run, not `runs`.
        for r in 0..RUN {
            // SAFETY: `kk + r < depth`, which is at most the panel's.
            let column = unsafe { panel.column(kk + r) };
            step::<T, ROWS, COLS, FMA>(acc, column, |j| runs[j][r]);
        }
        kk += RUN;
    }
    for kk in kk..depth {
        // SAFETY: `kk < depth`, which is at most the panel's, and `j0 + j < n`.
        let (column, runs) = unsafe {
            (
                panel.column(kk),
                core::array::from_fn::<_, COLS, _>(|j| right.run::<1>(j0 + j, kk)),
            )
        };
        step::<T, ROWS, COLS, FMA>(acc, column, |j| runs[j][0]);
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

/// The steps of the depth whose values a tile reads at once from each column of a right
/// operand that is not transposed.
const RUN: usize = 8;

/// A block's left operand: for each step `kk` of its depth, the `ROWS` values at `kk * lead`
/// of `values` (the tile's rows of one column of `A`, or of a panel packed on the stack).
#[derive(Clone, Copy)]
struct Panel<'a, T, const ROWS: usize> {
    values: &'a [T],
    lead: usize,
    depth: usize,
}

impl<'a, T, const ROWS: usize> Panel<'a, T, ROWS> {
    /// The panel of `depth` steps whose first column starts at `first` of `values`.
    ///
    /// # Panics
    ///
    /// If a step's column reaches past `values`.
    #[inline(always)]
    fn new(values: &'a [T], first: usize, lead: usize, depth: usize) -> Self {
        let values = &values[first..];
        assert!(
            fits(ROWS, depth, lead, values.len()),
            "a panel inside its operand"
        );
        Self {
            values,
            lead,
            depth,
        }
    }

    /// The column of step `kk`.
    ///
    /// # Safety
    ///
    /// `kk < self.depth`.
    #[inline(always)]
    unsafe fn column(self, kk: usize) -> &'a [T; ROWS] {
        debug_assert!(kk < self.depth);
        // SAFETY: `kk * lead + ROWS <= (depth - 1) * lead + ROWS`, which `new` checked is at
        // most `values.len()`.
        unsafe { &*self.values.as_ptr().add(kk * self.lead).cast::<[T; ROWS]>() }
    }
}

/// A block's right operand, `B[k0..k0 + depth, 0..n]`: `B` itself, its columns `lead` apart,
/// or with `TRANSPOSED` the `n x k` matrix whose transpose `B` is.
#[derive(Clone, Copy)]
struct Right<'b, T, const TRANSPOSED: bool> {
    b: &'b [T],
    lead: usize,
    n: usize,
    k0: usize,
    depth: usize,
}

impl<'b, T, const TRANSPOSED: bool> Right<'b, T, TRANSPOSED> {
    /// The block of steps `k0..k0 + depth` of `B`'s `n` columns.
    ///
    /// # Panics
    ///
    /// If a value of the block lies past `b`.
    #[inline(always)]
    fn new(b: &'b [T], lead: usize, n: usize, k0: usize, depth: usize) -> Self {
        let steps = k0.checked_add(depth).expect("a block inside its operand");
        let (rows, columns) = if TRANSPOSED { (n, steps) } else { (steps, n) };
        assert!(
            depth == 0 || fits(rows, columns, lead, b.len()),
            "a block inside its operand"
        );
        Self {
            b,
            lead,
            n,
            k0,
            depth,
        }
    }

    /// With `TRANSPOSED`, step `kk`'s values of columns `j0..j0 + LEN`, which are side by
    /// side.
    ///
    /// # Safety
    ///
    /// `kk < self.depth` and `j0 + LEN <= self.n`.
    #[inline(always)]
    unsafe fn row<const LEN: usize>(self, j0: usize, kk: usize) -> &'b [T; LEN] {
        debug_assert!(TRANSPOSED && kk < self.depth && j0 + LEN <= self.n);
        // SAFETY: the row ends at `(k0 + kk) * lead + j0 + LEN`, at most
        // `(k0 + depth - 1) * lead + n`, which `new` checked is at most `b.len()`.
        unsafe {
            &*self
                .b
                .as_ptr()
                .add((self.k0 + kk) * self.lead + j0)
                .cast::<[T; LEN]>()
        }
    }

    /// Without `TRANSPOSED`, column `j`'s values of steps `kk..kk + LEN`, which are side by
    /// side.
    ///
    /// # Safety
    ///
    /// `kk + LEN <= self.depth` and `j < self.n`.
    #[inline(always)]
    unsafe fn run<const LEN: usize>(self, j: usize, kk: usize) -> &'b [T; LEN] {
        debug_assert!(!TRANSPOSED && kk + LEN <= self.depth && j < self.n);
        // SAFETY: the run ends at `j * lead + k0 + kk + LEN`, at most
        // `(n - 1) * lead + k0 + depth`, which `new` checked is at most `b.len()`.
        unsafe {
            &*self
                .b
                .as_ptr()
                .add(j * self.lead + self.k0 + kk)
                .cast::<[T; LEN]>()
        }
    }
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
/// (a block after the first), else from zero. `rows` is at most `ROWS`: a tile's other rows
/// are computed from the panel's and never stored.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The shape, the block, and the operands' accessors.
fn block<
    T: Float,
    const ROWS: usize,
    const COLS: usize,
    const TRANSPOSED: bool,
    const FMA: bool,
>(
    ldc: usize,
    n: usize,
    (r0, rows): (usize, usize),
    continues: bool,
    panel: Panel<'_, T, ROWS>,
    right: Right<'_, T, TRANSPOSED>,
    c: &mut [T],
    epilogue: impl Epilogue<T>,
) {
    let mut j0 = 0;
    while j0 + COLS <= n {
        let mut acc = [[T::zero(); ROWS]; COLS];
        if continues {
            for (j, acc) in acc.iter_mut().enumerate() {
                acc[..rows].copy_from_slice(&c[(j0 + j) * ldc + r0..][..rows]);
            }
        }
        tile::<T, ROWS, COLS, TRANSPOSED, FMA>(panel, right, j0, &mut acc);
        for (j, acc) in acc.iter().enumerate() {
            epilogue.store(&mut c[(j0 + j) * ldc + r0..][..rows], &acc[..rows]);
        }
        j0 += COLS;
    }
    // The last columns, fewer than a tile, one at a time.
    for j in j0..n {
        let mut acc = [[T::zero(); ROWS]; 1];
        if continues {
            acc[0][..rows].copy_from_slice(&c[j * ldc + r0..][..rows]);
        }
        tile::<T, ROWS, 1, TRANSPOSED, FMA>(panel, right, j, &mut acc);
        epilogue.store(&mut c[j * ldc + r0..][..rows], &acc[0][..rows]);
    }
}

/// Whether `columns` columns of `rows` values each, `lead` apart, fit in `len` values: the
/// check [`Panel`] and [`Right`] make once for all their unchecked reads, so computed without
/// overflow.
fn fits(rows: usize, columns: usize, lead: usize, len: usize) -> bool {
    columns == 0
        || (columns - 1)
            .checked_mul(lead)
            .and_then(|start| start.checked_add(rows))
            .is_some_and(|end| end <= len)
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
/// block's first row). Tiles of `ROWS x COLS` results, then of `EDGE x COLS` for the rows past
/// them, blocked by [`DEPTH`]. `epilogue` puts each result into `C`; one other than
/// [`Overwrite`] needs `k <= DEPTH` (one block, so that each result is complete when it is
/// stored). Each result is one chain of multiply-adds in the order of `k`, whichever tile or
/// edge computes it, so where `b`'s columns start changes no bit.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands and the epilogue.
pub(super) fn nn<
    T: Float,
    const ROWS: usize,
    const EDGE: usize,
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
    const {
        assert!(
            0 < EDGE && EDGE < ROWS,
            "edge tiles narrower than the wide ones"
        )
    };
    let (a, b, c) = (
        &a[..span(m, k, lead.a)],
        &b[..right_span::<TRANSPOSED>(n, k, lead.b)],
        &mut c[..span(m, n, lead.c)],
    );
    let covered =
        nn_rows::<T, ROWS, COLS, TRANSPOSED, FMA>(m, n, k, a, b, c, lead, epilogue, (0, false));
    // The rows past the wide tiles, in tiles of `EDGE` rows (one vector), the last of them
    // padded, so that every step of the depth still carries `COLS` independent chains of
    // whole vectors. One result at a time, each step waited for the one before: 784-100-10's
    // training step at batch 32 took 2.2-2.5x the time of 784-128-10's. One row at a time,
    // LeNet-300-100's step (12 and 4 such rows) ran 82% as many multiply-adds a second as
    // 784-320-96-10's (BENCHMARKS.md, "The rows past the wide tiles", "Padded edge tiles").
    // With run-time sizes these tiles sit in the wide tiles' function, and products without
    // such rows ran as fast as before.
    nn_rows::<T, EDGE, COLS, TRANSPOSED, FMA>(m, n, k, a, b, c, lead, epilogue, (covered, true));
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

/// The tiles of `ROWS` rows from row `start` on: the whole ones, read from `A` in place,
/// and with `to_the_end` a last one of the rows left (fewer than `ROWS`), their values of
/// `A` copied into a panel on the stack whose other rows are zero. Returns the first row not
/// covered.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands, the epilogue and the rows.
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
    (start, to_the_end): (usize, bool),
) -> usize {
    let end = start + (m - start) / ROWS * ROWS;
    // Hidden from the optimiser: with constant sizes it knew which of the last tile's rows
    // are never stored, dropped their lanes and split each step's vector into narrower ones;
    // LeNet-300-100's first product then took 151.7 us against 138.7 us with run-time sizes.
    let last_rows = if to_the_end {
        core::hint::black_box(m - end)
    } else {
        0
    };
    let mut packed = [[T::zero(); ROWS]; DEPTH];
    let mut k0 = 0;
    while k0 < k {
        let depth = DEPTH.min(k - k0);
        let continues = k0 > 0;
        let right = Right::<T, TRANSPOSED>::new(b, lead.b, n, k0, depth);
        for r0 in (start..end).step_by(ROWS) {
            let panel = Panel::new(a, k0 * lead.a + r0, lead.a, depth);
            block::<T, ROWS, COLS, TRANSPOSED, FMA>(
                lead.c,
                n,
                (r0, ROWS),
                continues,
                panel,
                right,
                c,
                epilogue,
            );
        }
        if last_rows > 0 {
            for (kk, values) in packed[..depth].iter_mut().enumerate() {
                let column = &a[(k0 + kk) * lead.a + end..][..last_rows];
                for (value, &x) in values.iter_mut().zip(column) {
                    *value = x;
                }
            }
            let panel = Panel::new(packed.as_flattened(), 0, ROWS, depth);
            block::<T, ROWS, COLS, TRANSPOSED, FMA>(
                lead.c,
                n,
                (end, last_rows),
                continues,
                panel,
                right,
                c,
                epilogue,
            );
        }
        k0 += depth;
    }
    end + last_rows
}

/// `C (m x n) = A^T * B`, or `C += A^T B` if `accumulate`, where `a` holds the `k x m`
/// matrix `A` and `b` the `k x n` matrix `B`, whose columns and `C`'s start `lead.a`, `lead.b`
/// and `lead.c` apart. Blocks of `ROWS` columns of `A` (then of `EDGE`, the last of them
/// padded with zeros, as in [`nn`]) are copied, transposed, into a panel on the stack so that
/// the tiles of [`nn`] can run on them. As in `nn`, each result is one chain of multiply-adds
/// in the order of `k`; accumulating, it continues the chain of the value `C` holds, so a
/// product over a depth cut into blocks that one call would cut alike (at multiples of
/// [`DEPTH`]), by one call per block, has the bits of the whole one.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands, the leads and the mode.
pub(super) fn tn<
    T: Float,
    const ROWS: usize,
    const EDGE: usize,
    const COLS: usize,
    const FMA: bool,
>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    accumulate: bool,
) {
    const {
        assert!(
            0 < EDGE && EDGE < ROWS,
            "edge tiles narrower than the wide ones"
        )
    };
    let (a, b, c) = (
        &a[..span(k, m, lead.a)],
        &b[..span(k, n, lead.b)],
        &mut c[..span(m, n, lead.c)],
    );
    let covered = tn_rows::<T, ROWS, COLS, FMA>(m, n, k, a, b, c, lead, accumulate, (0, false));
    tn_rows::<T, EDGE, COLS, FMA>(m, n, k, a, b, c, lead, accumulate, (covered, true));
}

/// The whole tiles of `ROWS` rows of `A^T B` (added to `C` if `accumulate`) from row `start`
/// on, and with `to_the_end` a last tile of the rows left, its other rows zero; returns the
/// first row not covered.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // The sizes, the operands, the leads, the mode and the rows.
fn tn_rows<T: Float, const ROWS: usize, const COLS: usize, const FMA: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    lead: Leads,
    accumulate: bool,
    (start, to_the_end): (usize, bool),
) -> usize {
    let end = if to_the_end {
        m
    } else {
        start + (m - start) / ROWS * ROWS
    };
    let mut packed = [[T::zero(); ROWS]; DEPTH];
    let mut k0 = 0;
    while k0 < k {
        let depth = DEPTH.min(k - k0);
        for r0 in (start..end).step_by(ROWS) {
            // Hidden from the optimiser, as in `nn_rows`.
            let rows = if to_the_end {
                core::hint::black_box(ROWS.min(end - r0))
            } else {
                ROWS
            };
            for r in 0..ROWS {
                if r < rows {
                    let column = &a[(r0 + r) * lead.a + k0..][..depth];
                    for (kk, &value) in column.iter().enumerate() {
                        packed[kk][r] = value;
                    }
                } else {
                    for values in &mut packed[..depth] {
                        values[r] = T::zero();
                    }
                }
            }
            let panel = Panel::new(packed.as_flattened(), 0, ROWS, depth);
            let right = Right::<T, false>::new(b, lead.b, n, k0, depth);
            let continues = k0 > 0 || accumulate;
            block::<T, ROWS, COLS, false, FMA>(
                lead.c,
                n,
                (r0, rows),
                continues,
                panel,
                right,
                c,
                Overwrite,
            );
        }
        k0 += depth;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values whose products round, so that only the order of a result's multiply-adds
    /// decides its bits.
    fn inexact(len: usize, salt: usize) -> Vec<f32> {
        (0..len)
            .map(|i| ((i * 7919 + salt * 104_729) % 1000) as f32 / 997.0 - 0.5)
            .collect()
    }

    /// Each result of `A B` (or `A B^T`) as one chain of multiply-adds in the order of the
    /// depth.
    fn chains<const TRANSPOSED: bool, const FMA: bool>(
        (m, n, k): (usize, usize, usize),
        a: &[f32],
        b: &[f32],
    ) -> Vec<f32> {
        let mut c = vec![0.0; m * n];
        for j in 0..n {
            for i in 0..m {
                let mut sum = 0.0;
                for kk in 0..k {
                    let b = if TRANSPOSED {
                        b[kk * n + j]
                    } else {
                        b[j * k + kk]
                    };
                    sum = madd::<f32, FMA>(sum, a[kk * m + i], b);
                }
                c[j * m + i] = sum;
            }
        }
        c
    }

    /// `nn` with the AVX-512 tiles' shape (32 x 8, edges of 16, fused), AVX2's (16 x 4,
    /// edges of 8, fused) and the baseline's (8 x 4, edges of 4), `tn` alike where `B` is not
    /// transposed, and `Descend` where the depth is one block, against [`chains`].
    fn check_chains<const TRANSPOSED: bool>((m, n, k): (usize, usize, usize)) {
        let (a, b) = (inexact(m * k, 1), inexact(k * n, 2));
        let leads = Leads {
            a: m,
            b: if TRANSPOSED { n } else { k },
            c: m,
        };
        let mut c = vec![f32::NAN; m * n];
        nn::<f32, 32, 16, 8, TRANSPOSED, true>(m, n, k, &a, &b, &mut c, leads, Overwrite);
        let fused = chains::<TRANSPOSED, true>((m, n, k), &a, &b);
        assert_eq!(c, fused, "fused {m}x{n}x{k}, transposed: {TRANSPOSED}");
        c.fill(f32::NAN);
        nn::<f32, 16, 8, 4, TRANSPOSED, true>(m, n, k, &a, &b, &mut c, leads, Overwrite);
        assert_eq!(
            c, fused,
            "fused 16 x 4 {m}x{n}x{k}, transposed: {TRANSPOSED}"
        );
        nn::<f32, 8, 4, 4, TRANSPOSED, false>(m, n, k, &a, &b, &mut c, leads, Overwrite);
        let plain = chains::<TRANSPOSED, false>((m, n, k), &a, &b);
        assert_eq!(c, plain, "plain {m}x{n}x{k}, transposed: {TRANSPOSED}");
        if !TRANSPOSED {
            // `A` as the `k x m` matrix whose transpose it is.
            let a_t: Vec<f32> = (0..m * k).map(|at| a[at % k * m + at / k]).collect();
            let leads = Leads { a: k, b: k, c: m };
            c.fill(f32::NAN);
            tn::<f32, 32, 16, 8, true>(m, n, k, &a_t, &b, &mut c, leads, false);
            assert_eq!(c, fused, "tn fused {m}x{n}x{k}");
            c.fill(f32::NAN);
            tn::<f32, 16, 8, 4, true>(m, n, k, &a_t, &b, &mut c, leads, false);
            assert_eq!(c, fused, "tn fused 16 x 4 {m}x{n}x{k}");
            tn::<f32, 8, 4, 4, false>(m, n, k, &a_t, &b, &mut c, leads, false);
            assert_eq!(c, plain, "tn plain {m}x{n}x{k}");
        }
        if k <= DEPTH {
            let weight = inexact(m * n, 3);
            let mut c = weight.clone();
            nn::<f32, 32, 16, 8, TRANSPOSED, true>(m, n, k, &a, &b, &mut c, leads, Descend(0.5));
            let stepped: Vec<f32> = weight
                .iter()
                .zip(&fused)
                .map(|(w, g)| w - 0.5 * g)
                .collect();
            assert_eq!(c, stepped, "descent {m}x{n}x{k}, transposed: {TRANSPOSED}");
        }
    }

    #[test]
    fn every_result_is_one_chain_in_whole_tiles_and_in_the_rows_past_them() {
        // Rows past the wide tiles of 32 (of 8): none (none); a whole edge tile (none); a
        // padded one (a whole one); both (a whole one and a padded one: 61 is 32 + 16 + 13,
        // and 56 + 4 + 1); a padded one (a whole one); no wide tile (whole and padded edges);
        // fewer rows than an edge tile. Depths of one block and of three.
        for sizes in [
            (64, 9, 40),
            (80, 9, 40),
            (36, 10, 300),
            (61, 17, 300),
            (100, 32, 130),
            (13, 9, 40),
            (3, 5, 20),
        ] {
            check_chains::<false>(sizes);
            check_chains::<true>(sizes);
        }
    }

    #[test]
    fn blocks_fit_up_to_their_last_value() {
        assert!(fits(4, 3, 10, 24));
        assert!(!fits(4, 3, 10, 23));
        assert!(fits(4, 0, 10, 0));
        assert!(!fits(1, 3, usize::MAX, usize::MAX));
        assert!(!fits(usize::MAX, 1, 1, usize::MAX - 1));
    }

    #[test]
    #[should_panic(expected = "a panel inside its operand")]
    fn a_panel_past_its_operand_is_refused() {
        // Three steps of 4 rows, 10 apart, from value 2: the last ends at 26.
        Panel::<f32, 4>::new(&[0.0; 25], 2, 10, 3);
    }

    #[test]
    #[should_panic(expected = "a block inside its operand")]
    fn a_block_of_b_past_its_operand_is_refused() {
        // Steps 2..6 of 3 columns of B, 8 apart: the last column's run ends at 2 * 8 + 6.
        Right::<f32, false>::new(&[0.0; 21], 8, 3, 2, 4);
    }

    #[test]
    #[should_panic(expected = "a block inside its operand")]
    fn a_block_of_a_transposed_b_past_its_operand_is_refused() {
        // Steps 2..6 of 3 columns of B, its rows 8 apart: the last row ends at 5 * 8 + 3.
        Right::<f32, true>::new(&[0.0; 42], 8, 3, 2, 4);
    }

    #[test]
    #[should_panic(expected = "a tile inside its operands")]
    fn a_tile_past_its_block_is_refused() {
        let b = [1.0f32; 64];
        let right = Right::<f32, true>::new(&b, 8, 8, 0, 8);
        let panel = Panel::<f32, 4>::new(&[1.0; 32], 0, 4, 8);
        let mut acc = [[0.0f32; 4]; 2];
        // Columns 7 and 8 of a block of 8.
        tile::<f32, 4, 2, true, false>(panel, right, 7, &mut acc);
    }

    #[test]
    fn blocks_that_end_at_their_operand_s_last_value_are_read_whole() {
        // B (10 x 3, columns 12 apart, the last one ending the slice) times a 2 x 10 panel of
        // ones: a run of eight steps and two single steps. Each result is the sum of its
        // column of B, `120 j + 45`.
        let b: Vec<f32> = (0..34).map(|v| v as f32).collect();
        let right = Right::<f32, false>::new(&b, 12, 3, 0, 10);
        let panel = Panel::<f32, 2>::new(&[1.0; 20], 0, 2, 10);
        let mut acc = [[0.0f32; 2]; 3];
        tile::<f32, 2, 3, false, false>(panel, right, 0, &mut acc);
        assert_eq!(acc, [[45.0; 2], [165.0; 2], [285.0; 2]]);
    }
}
