use nalgebra::{Const, Dyn};

use super::*;
use crate::kernels::small::PortableRowSums;

fn naive(
    m: usize,
    n: usize,
    k: usize,
    a: impl Fn(usize, usize) -> f64,
    b: impl Fn(usize, usize) -> f64,
) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for j in 0..n {
        for i in 0..m {
            c[j * m + i] = (0..k).map(|kk| a(i, kk) * b(kk, j)).sum();
        }
    }
    c
}

fn values(len: usize, salt: usize) -> Vec<f64> {
    (0..len)
        .map(|i| ((i * 7 + salt * 13) % 23) as f64 - 11.0)
        .collect()
}

/// Small integers make every rounding exact, so all instruction sets give the
/// definition's values exactly.
fn check(
    m: usize,
    n: usize,
    k: usize,
    nn_impl: impl Fn(&[f64], &[f64], &mut [f64], bool),
    tn_impl: impl Fn(&[f64], &[f64], &mut [f64]),
) {
    let a = values(m * k, 1);
    let b = values(k * n, 2);
    let mut c = vec![f64::NAN; m * n];
    nn_impl(&a, &b, &mut c, false);
    assert_eq!(
        c,
        naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[j * k + kk]),
        "nn {m}x{n}x{k}"
    );
    nn_impl(&a, &b, &mut c, true);
    assert_eq!(
        c,
        naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[kk * n + j]),
        "nt {m}x{n}x{k}"
    );
    tn_impl(&a, &b, &mut c);
    assert_eq!(
        c,
        naive(m, n, k, |i, kk| a[i * k + kk], |kk, j| b[j * k + kk]),
        "tn {m}x{n}x{k}"
    );
}

/// `b` as a block of rows of a taller matrix: its columns `lead` apart, from row `first`.
fn in_taller(b: &[f64], rows: usize, first: usize, lead: usize) -> Vec<f64> {
    let mut taller = vec![f64::NAN; first + b.len() / rows * lead];
    for (column, values) in b.chunks_exact(rows).enumerate() {
        taller[first + column * lead..][..rows].copy_from_slice(values);
    }
    taller
}

/// `A B` (or `A B^T`) with `b`'s columns `lead` apart, by the dispatched kernel and by the
/// baseline's tiles.
fn products_with_lead<const TRANSPOSED: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f64],
    b: &[f64],
    lead: usize,
) -> [Vec<f64>; 2] {
    let (mut dispatched, mut baseline) = (vec![f64::NAN; m * n], vec![f64::NAN; m * n]);
    let sizes = Product(Dyn(m), Dyn(n), Dyn(k));
    product_nn::<f64, _, _, _, _, _, TRANSPOSED>(
        sizes,
        a,
        b,
        Dyn(lead),
        &mut dispatched,
        Overwrite,
    );
    let leads = Leads {
        a: m,
        b: lead,
        c: m,
    };
    nn::<f64, 8, 4, 4, TRANSPOSED, false>(m, n, k, a, b, &mut baseline, leads, Overwrite);
    [dispatched, baseline]
}

#[test]
fn a_lead_reads_a_block_of_a_taller_matrix() {
    for &(m, n, k) in SIZES {
        let (a, b) = (values(m * k, 1), values(k * n, 2));
        for transposed in [false, true] {
            // B is k x n, or n x k when transposed; its block starts at row 3 of a matrix
            // with 5 more rows, whose other values are NaN.
            let rows = if transposed { n } else { k };
            let (first, lead) = (3, rows + 5);
            let taller = in_taller(&b, rows, first, lead);
            let expected = if transposed {
                naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[kk * n + j])
            } else {
                naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[j * k + kk])
            };
            let block = &taller[first..];
            let [dispatched, baseline] = if transposed {
                products_with_lead::<true>(m, n, k, &a, block, lead)
            } else {
                products_with_lead::<false>(m, n, k, &a, block, lead)
            };
            assert_eq!(dispatched, expected, "{m}x{n}x{k}, transposed {transposed}");
            assert_eq!(baseline, expected, "{m}x{n}x{k}, transposed {transposed}");
        }
    }
}

/// The rows `first..first + rows` of a `height`-row matrix whose columns are `values`'s, the
/// other rows NaN.
fn taller(values: &[f64], rows: usize, first: usize, height: usize) -> Vec<f64> {
    let mut matrix = vec![f64::NAN; values.len() / rows * height];
    for (column, values) in values.chunks_exact(rows).enumerate() {
        matrix[column * height + first..][..rows].copy_from_slice(values);
    }
    matrix
}

/// The rows `first..first + rows` of each `height`-row column of `matrix`.
fn rows_of(matrix: &[f64], rows: usize, first: usize, height: usize) -> Vec<f64> {
    let columns = matrix.chunks_exact(height);
    columns
        .flat_map(|column| column[first..first + rows].to_vec())
        .collect()
}

#[test]
fn every_operand_may_be_a_block_of_a_taller_matrix() {
    for &(m, n, k) in SIZES {
        // A: rows 2.. of m + 5; B (or the n x k matrix of B^T): rows 1.. of its height + 3;
        // C: rows 4.. of m + 9, whose other rows the products leave as they are.
        let (a, b) = (values(m * k, 1), values(k * n, 2));
        let (lda, ldc) = (m + 5, m + 9);
        let a_in = taller(&a, m, 2, lda);
        let sizes = Product(Dyn(m), Dyn(n), Dyn(k));
        for transposed in [false, true] {
            let b_rows = if transposed { n } else { k };
            let b_in = taller(&b, b_rows, 1, b_rows + 3);
            let leads = (Dyn(lda), Dyn(b_rows + 3), Dyn(ldc));
            let mut c = vec![f64::NAN; n * ldc];
            let (a_block, b_block, c_block) = (&a_in[2..], &b_in[1..], &mut c[4..]);
            if transposed {
                product_nn_in::<f64, _, _, _, _, _, _, _, true>(
                    sizes, a_block, b_block, c_block, leads, Overwrite,
                );
            } else {
                product_nn_in::<f64, _, _, _, _, _, _, _, false>(
                    sizes, a_block, b_block, c_block, leads, Overwrite,
                );
            }
            let expected = if transposed {
                naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[kk * n + j])
            } else {
                naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[j * k + kk])
            };
            assert_eq!(rows_of(&c, m, 4, ldc), expected, "{m}x{n}x{k} {transposed}");
            let others = c.chunks_exact(ldc).flat_map(|column| {
                column[..4]
                    .iter()
                    .chain(&column[4 + m..])
                    .copied()
                    .collect::<Vec<_>>()
            });
            assert!(others.into_iter().all(f64::is_nan), "{m}x{n}x{k}");
        }
        // A^T B: A (k x m) rows 3.. of k + 5, B (k x n) rows 0.. of k + 7, C as above; then
        // accumulated over a second depth block, B's and A's next rows.
        let a_t = values(k * m, 3);
        let a_in = taller(&a_t, k, 3, k + 5);
        let b_in = taller(&b, k, 0, k + 7);
        let leads = (Dyn(k + 5), Dyn(k + 7), Dyn(ldc));
        let mut c = vec![f64::NAN; n * ldc];
        product_tn_in(sizes, &a_in[3..], &b_in, &mut c[4..], leads, false);
        let product = naive(m, n, k, |i, kk| a_t[i * k + kk], |kk, j| b[j * k + kk]);
        assert_eq!(rows_of(&c, m, 4, ldc), product, "tn {m}x{n}x{k}");
        product_tn_in(sizes, &a_in[3..], &b_in, &mut c[4..], leads, true);
        let twice: Vec<f64> = product.iter().map(|p| 2.0 * p).collect();
        assert_eq!(rows_of(&c, m, 4, ldc), twice, "tn accumulated {m}x{n}x{k}");
    }
}

#[test]
fn a_depth_cut_at_the_blocks_accumulates_to_the_bits_of_one_product() {
    // Values that round: the cut must keep each chain's order of operations.
    let (m, n, k) = (40, 9, 2 * super::super::tiles::DEPTH + 40);
    let a: Vec<f32> = (0..k * m).map(|i| (i as f32 * 0.37).sin()).collect();
    let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.53).cos()).collect();
    let mut whole = vec![0.0; m * n];
    product_tn(Product(Dyn(m), Dyn(n), Dyn(k)), &a, &b, &mut whole, m);
    let mut cut = vec![f32::NAN; m * n];
    let mut start = 0;
    for end in [super::super::tiles::DEPTH, k] {
        let sizes = Product(Dyn(m), Dyn(n), Dyn(end - start));
        let leads = (Dyn(k), Dyn(k), Dyn(m));
        product_tn_in(sizes, &a[start..], &b[start..], &mut cut, leads, start > 0);
        start = end;
    }
    assert_eq!(cut, whole);
}

/// `C -= lr A B`, the descent step of a fused update, against the definition.
fn check_descent(m: usize, n: usize, k: usize) {
    let (a, b, start) = (values(m * k, 1), values(k * n, 2), values(m * n, 3));
    let product = naive(m, n, k, |i, kk| a[kk * m + i], |kk, j| b[kk * n + j]);
    let expected: Vec<f64> = start
        .iter()
        .zip(&product)
        .map(|(c, p)| c - 0.5 * p)
        .collect();
    let mut c = start.clone();
    let descend = super::super::tiles::Descend(0.5);
    let sizes = Product(Dyn(m), Dyn(n), Dyn(k));
    product_nn::<f64, _, _, _, _, _, true>(sizes, &a, &b, Dyn(n), &mut c, descend);
    assert_eq!(c, expected, "descent {m}x{n}x{k}");
}

fn exact<T: Float>(len: usize, salt: usize) -> Vec<T> {
    values(len, salt).into_iter().map(T::cast).collect()
}

fn fixed<const I: usize, const O: usize, const C: usize>() -> Shape<Const<I>, Const<O>, Const<C>> {
    Shape {
        inputs: Const,
        units: Const,
        columns: Const,
    }
}

fn dynamic<const I: usize, const O: usize, const C: usize>() -> Shape<Dyn, Dyn, Dyn> {
    Shape {
        inputs: Dyn(I),
        units: Dyn(O),
        columns: Dyn(C),
    }
}

/// `W x + b` for the `C` columns of `x`, computed in f64 by the definition.
fn forward_definition<T: Float, const I: usize, const O: usize, const C: usize>(
    w: &[T],
    b: &[T],
    x: &[T],
) -> Vec<T> {
    let product = naive(
        O,
        C,
        I,
        |o, j| w[j * O + o].as_f64(),
        |j, c| x[c * I + j].as_f64(),
    );
    (0..O * C)
        .map(|k| T::cast(b[k % O].as_f64() + product[k]))
        .collect()
}

/// The small kernels against the definition, with small integers (exact in any order of
/// additions), for sizes fixed at compile time and the same sizes at run time.
fn check_small<T: Float, const I: usize, const O: usize, const C: usize>() {
    let (w, b) = (exact::<T>(I * O, 1), exact::<T>(O, 2));
    let (x, d) = (exact::<T>(I * C, 3), exact::<T>(O * C, 4));
    let expected = forward_definition::<T, I, O, C>(&w, &b, &x);
    let mut z = vec![T::cast(f64::NAN); O * C];
    forward(fixed::<I, O, C>(), &w, &b, &x, &mut z);
    assert_eq!(z, expected, "forward {I} -> {O} x {C}");
    forward(dynamic::<I, O, C>(), &w, &b, &x, &mut z);
    assert_eq!(z, expected, "forward {I} -> {O} x {C} at run time");
    let expected = naive(
        I,
        C,
        O,
        |j, o| w[j * O + o].as_f64(),
        |o, c| d[c * O + o].as_f64(),
    );
    let expected: Vec<T> = expected.into_iter().map(T::cast).collect();
    let mut g = vec![T::cast(f64::NAN); I * C];
    backward_inputs(fixed::<I, O, C>(), &w, &d, &mut g);
    assert_eq!(g, expected, "input gradient {I} -> {O} x {C}");
    backward_inputs(dynamic::<I, O, C>(), &w, &d, &mut g);
    assert_eq!(g, expected, "input gradient {I} -> {O} x {C} at run time");
    let weight_grad = naive(
        O,
        I,
        C,
        |o, c| d[c * O + o].as_f64(),
        |c, j| x[c * I + j].as_f64(),
    );
    let bias_grad: Vec<f64> = (0..O)
        .map(|o| (0..C).map(|c| d[c * O + o].as_f64()).sum())
        .collect();
    let (mut gw, mut gb) = (vec![T::cast(f64::NAN); O * I], vec![T::cast(f64::NAN); O]);
    backward_layer(fixed::<I, O, C>(), &d, &x, &mut gw, &mut gb);
    let widen = |v: &[T]| v.iter().map(|v| v.as_f64()).collect::<Vec<_>>();
    assert_eq!(
        (widen(&gw), widen(&gb)),
        (weight_grad.clone(), bias_grad.clone())
    );
    // One SGD step with lr 1/2 (exact) from the weights.
    let (mut sw, mut sb) = (w.clone(), b.clone());
    let mut scratch = vec![T::zero(); O];
    sgd_layer(
        dynamic::<I, O, C>(),
        &d,
        &x,
        &mut sw,
        &mut sb,
        &mut scratch,
        T::cast(0.5),
    );
    let stepped = |p: &[T], g: &[f64]| -> Vec<f64> {
        p.iter().zip(g).map(|(p, g)| p.as_f64() - 0.5 * g).collect()
    };
    assert_eq!(
        widen(&sw),
        stepped(&w, &weight_grad),
        "sgd {I} -> {O} x {C}"
    );
    assert_eq!(
        widen(&sb),
        stepped(&b, &bias_grad),
        "sgd bias {I} -> {O} x {C}"
    );
}

/// Sizes that take every path: one, two or four running sums in the forward product,
/// fewer inputs than four, input gradients in blocks of eight with and without a rest,
/// units fewer than eight, and columns longer than the stack's running sums; layers of 64
/// units or more (AVX-512 with fused multiply-adds where the CPU has it) in one block, in
/// blocks of 64 and a rest, and in blocks of 128 and rests of 64 and 8.
#[test]
fn small_kernels_compute_the_definition() {
    fn all<T: Float>() {
        check_small::<T, 4, 16, 1>();
        check_small::<T, 16, 16, 3>();
        check_small::<T, 19, 10, 2>();
        check_small::<T, 35, 10, 5>();
        check_small::<T, 19, 13, 3>();
        check_small::<T, 5, 12, 3>();
        check_small::<T, 16, 3, 4>();
        check_small::<T, 3, 24, 2>();
        check_small::<T, 11, 24, 2>();
        check_small::<T, 21, 40, 1>();
        check_small::<T, 16, 3, 1>();
        check_small::<T, 9, 8, 4>();
        check_small::<T, 5, 70, 3>();
        check_small::<T, 21, 96, 2>();
        check_small::<T, 9, 200, 1>();
    }
    all::<f32>();
    all::<f64>();
}

fn random<T: Float>(len: usize, salt: u64) -> Vec<T> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64 ^ salt;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            T::cast((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5)
        })
        .collect()
}

/// The input gradient reduces eight dot products at once, with horizontal adds on x86
/// (when the CPU has AVX2) and in portable code elsewhere: both give the same bits.
#[test]
fn every_reduction_of_dot_products_gives_the_same_bits() {
    fn check<T: Float, const I: usize, const O: usize, const C: usize>() {
        let (w, d) = (random::<T>(I * O, 1), random::<T>(O * C, 2));
        let (mut dispatched, mut portable) = (vec![T::zero(); I * C], vec![T::zero(); I * C]);
        backward_inputs(fixed::<I, O, C>(), &w, &d, &mut dispatched);
        small::backward_inputs(fixed::<I, O, C>(), PortableRowSums, &w, &d, &mut portable);
        assert_eq!(dispatched, portable, "{I} -> {O} x {C}");
    }
    check::<f32, 16, 16, 1>();
    check::<f32, 35, 64, 3>();
    check::<f64, 16, 16, 2>();
}

/// The input gradient of a layer whose units fill no whole vectors (summed with the inputs
/// in the lanes) and the weight gradient of a block of such rows (summed with the columns in
/// the lanes) round as the definition of their order does, with random values: each input's
/// sum as [`small::dot`] adds it (eight lanes over whole blocks of units, added pairwise,
/// then the units after them in order), and each weight's over the samples in order.
#[test]
fn sums_with_other_values_in_the_lanes_keep_their_order() {
    fn dot<T: Float>(a: &[T], b: &[T]) -> T {
        let blocks = a.len() / 8;
        let mut lanes = [T::zero(); 8];
        for (lane, sum) in lanes.iter_mut().enumerate() {
            for block in 0..blocks {
                let product = a[block * 8 + lane] * b[block * 8 + lane];
                *sum = if block == 0 { product } else { *sum + product };
            }
        }
        let pairs = |l: &[T]| (l[0] + l[1]) + (l[2] + l[3]);
        let mut sum = pairs(&lanes[..4]) + pairs(&lanes[4..]);
        for k in blocks * 8..a.len() {
            sum += a[k] * b[k];
        }
        sum
    }
    fn check<T: Float, const I: usize, const O: usize, const C: usize>() {
        let (w, x, d) = (
            random::<T>(I * O, 7),
            random::<T>(I * C, 8),
            random::<T>(O * C, 9),
        );
        let mut expected = vec![T::zero(); I * C];
        for c in 0..C {
            for j in 0..I {
                expected[c * I + j] = dot(&w[j * O..(j + 1) * O], &d[c * O..(c + 1) * O]);
            }
        }
        let mut g = vec![T::cast(f64::NAN); I * C];
        backward_inputs(fixed::<I, O, C>(), &w, &d, &mut g);
        assert_eq!(g, expected, "input gradient {I} -> {O} x {C}");
        backward_inputs(dynamic::<I, O, C>(), &w, &d, &mut g);
        assert_eq!(g, expected, "input gradient {I} -> {O} x {C} at run time");
        let mut expected = vec![T::zero(); O * I];
        for j in 0..I {
            for o in 0..O {
                expected[j * O + o] =
                    (1..C).fold(d[o] * x[j], |sum, c| sum + d[c * O + o] * x[c * I + j]);
            }
        }
        let (mut gw, mut gb) = (vec![T::cast(f64::NAN); O * I], vec![T::zero(); O]);
        backward_layer(fixed::<I, O, C>(), &d, &x, &mut gw, &mut gb);
        assert_eq!(gw, expected, "weight gradient {I} -> {O} x {C}");
        backward_layer(dynamic::<I, O, C>(), &d, &x, &mut gw, &mut gb);
        assert_eq!(gw, expected, "weight gradient {I} -> {O} x {C} at run time");
    }
    check::<f32, 35, 10, 5>();
    check::<f32, 32, 10, 32>();
    check::<f32, 16, 3, 4>();
    check::<f32, 19, 13, 3>();
    check::<f32, 40, 12, 1>();
    check::<f64, 35, 10, 5>();
    check::<f64, 16, 3, 4>();
}

/// Sizes known at compile time and the same sizes at run time run the same operations in
/// the same order: the same bits, with rounding.
#[test]
fn constant_and_run_time_sizes_give_the_same_bits() {
    fn check<const I: usize, const O: usize, const C: usize>() {
        let (w, b) = (random::<f32>(I * O, 3), random::<f32>(O, 4));
        let (x, d) = (random::<f32>(I * C, 5), random::<f32>(O * C, 6));
        let (mut z1, mut z2) = (vec![0.0; O * C], vec![1.0; O * C]);
        forward(fixed::<I, O, C>(), &w, &b, &x, &mut z1);
        forward(dynamic::<I, O, C>(), &w, &b, &x, &mut z2);
        assert_eq!(z1, z2, "forward {I} -> {O} x {C}");
        let (mut g1, mut g2) = (vec![0.0; I * C], vec![1.0; I * C]);
        backward_inputs(fixed::<I, O, C>(), &w, &d, &mut g1);
        backward_inputs(dynamic::<I, O, C>(), &w, &d, &mut g2);
        assert_eq!(g1, g2, "input gradient {I} -> {O} x {C}");
        let (mut gw1, mut gb1) = (vec![0.0; O * I], vec![0.0; O]);
        let (mut gw2, mut gb2) = (vec![1.0; O * I], vec![1.0; O]);
        backward_layer(fixed::<I, O, C>(), &d, &x, &mut gw1, &mut gb1);
        backward_layer(dynamic::<I, O, C>(), &d, &x, &mut gw2, &mut gb2);
        assert_eq!((gw1, gb1), (gw2, gb2), "gradients {I} -> {O} x {C}");
        let (mut w1, mut b1, mut w2, mut b2) = (w.clone(), b.clone(), w.clone(), b.clone());
        let mut scratch = vec![0.0; O];
        sgd_layer(
            fixed::<I, O, C>(),
            &d,
            &x,
            &mut w1,
            &mut b1,
            &mut scratch,
            0.1,
        );
        sgd_layer(
            dynamic::<I, O, C>(),
            &d,
            &x,
            &mut w2,
            &mut b2,
            &mut scratch,
            0.1,
        );
        assert_eq!((w1, b1), (w2, b2), "sgd {I} -> {O} x {C}");
    }
    check::<4, 16, 1>();
    check::<16, 16, 16>();
    check::<64, 32, 1>();
    check::<30, 16, 5>();
    check::<7, 50, 3>();
    check::<784, 128, 1>();
    check::<33, 200, 1>();
    check::<12, 96, 4>();
    check::<5, 272, 1>();
}

const SIZES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (16, 4, 3),
    (17, 5, 9),
    (35, 33, 40),
    (10, 32, 128),
    (128, 3, 17),
    (64, 13, 70),
    (70, 7, 300),
];

#[test]
fn every_instruction_set_computes_the_definition() {
    for &(m, n, k) in SIZES {
        check(
            m,
            n,
            k,
            |a, b, c, t| gemm_nn(m, n, k, a, b, c, t),
            |a, b, c| gemm_tn(m, n, k, a, b, c),
        );
        check(
            m,
            n,
            k,
            |a, b, c, t| {
                if t {
                    nn::<f64, 8, 4, 4, true, false>(
                        m,
                        n,
                        k,
                        a,
                        b,
                        c,
                        Leads { a: m, b: n, c: m },
                        Overwrite,
                    )
                } else {
                    nn::<f64, 8, 4, 4, false, false>(
                        m,
                        n,
                        k,
                        a,
                        b,
                        c,
                        Leads { a: m, b: k, c: m },
                        Overwrite,
                    )
                }
            },
            |a, b, c| {
                tn::<f64, 8, 4, 4, false>(m, n, k, a, b, c, Leads { a: k, b: k, c: m }, false)
            },
        );
    }
    for &(m, n, k) in SIZES
        .iter()
        .filter(|&&(_, _, k)| k <= super::super::DESCENT_DEPTH)
    {
        check_descent(m, n, k);
    }
}

/// A wide layer's product from a weight at every offset from a cache line (the kernel reads
/// whole lines across columns when the weight is misaligned) computes the definition, for
/// sizes fixed at compile time and the same sizes at run time, and one block or several.
#[test]
fn wide_products_compute_the_definition_from_any_alignment() {
    fn check<T: Float, const I: usize, const O: usize, const C: usize>() {
        let storage = exact::<T>(I * O + 16, 1);
        let (b, x) = (exact::<T>(O, 2), exact::<T>(I * C, 3));
        for offset in 0..16 {
            let w = &storage[offset..offset + I * O];
            let expected = forward_definition::<T, I, O, C>(w, &b, &x);
            let mut z = vec![T::cast(f64::NAN); O * C];
            forward(fixed::<I, O, C>(), w, &b, &x, &mut z);
            assert_eq!(z, expected, "forward {I} -> {O} x {C} at offset {offset}");
            forward(dynamic::<I, O, C>(), w, &b, &x, &mut z);
            assert_eq!(
                z, expected,
                "forward {I} -> {O} x {C} at offset {offset}, run time"
            );
        }
    }
    fn all<T: Float>() {
        check::<T, 37, 128, 1>();
        check::<T, 4, 128, 1>();
        check::<T, 1, 64, 1>();
        check::<T, 2, 96, 3>();
        check::<T, 9, 256, 1>();
        check::<T, 5, 272, 2>();
    }
    all::<f32>();
    all::<f64>();
}

/// Reading a wide weight by whole lines (misaligned) and by columns (aligned) rounds alike:
/// the same random weight at every offset from a cache line gives the same bits.
#[test]
fn wide_products_give_the_same_bits_at_any_alignment() {
    const I: usize = 50;
    const O: usize = 128;
    let (w, b, x) = (
        random::<f32>(I * O, 7),
        random::<f32>(O, 8),
        random::<f32>(I, 9),
    );
    let mut results = Vec::new();
    for offset in 0..16 {
        let mut storage = vec![0.0f32; I * O + 16];
        storage[offset..offset + I * O].copy_from_slice(&w);
        let mut z = vec![0.0f32; O];
        forward(fixed::<I, O, 1>(), &storage[offset..], &b, &x, &mut z);
        results.push(z);
    }
    assert!(results.iter().all(|z| *z == results[0]));
}

/// One sample's SGD step from a weight at every offset from a cache line (the step walks
/// whole lines across columns when the weight is misaligned, with AVX-512 for wide layers)
/// takes each weight by its own definition, `w - lr (d x)`, bit for bit, for sizes fixed at
/// compile time and the same sizes at run time.
#[test]
fn one_sample_descent_steps_each_weight_from_any_alignment() {
    fn check<T: Float, const I: usize, const O: usize>() {
        let (start, b) = (random::<T>(I * O + 16, 1), random::<T>(O, 2));
        let (x, d, lr) = (random::<T>(I, 3), random::<T>(O, 4), T::cast(0.3));
        let expected: Vec<T> = (0..I * O).map(|k| lr * (d[k % O] * x[k / O])).collect();
        let expected_bias: Vec<T> = b.iter().zip(&d).map(|(&b, &d)| b - lr * d).collect();
        for offset in 0..16 {
            let step = |shape_is_fixed: bool| {
                let (mut storage, mut bias, mut grad) =
                    (start.clone(), b.clone(), vec![T::zero(); O]);
                let w = &mut storage[offset..offset + I * O];
                if shape_is_fixed {
                    sgd_layer(fixed::<I, O, 1>(), &d, &x, w, &mut bias, &mut grad, lr);
                } else {
                    sgd_layer(dynamic::<I, O, 1>(), &d, &x, w, &mut bias, &mut grad, lr);
                }
                (storage, bias)
            };
            for shape_is_fixed in [true, false] {
                let (storage, bias) = step(shape_is_fixed);
                let w = &storage[offset..offset + I * O];
                let stepped = start[offset..offset + I * O].iter().zip(&expected);
                assert!(
                    w.iter().zip(stepped).all(|(&w, (&w0, &g))| w == w0 - g),
                    "sgd {I} -> {O} at offset {offset}, fixed sizes: {shape_is_fixed}"
                );
                assert_eq!(storage[..offset], start[..offset], "before the weight");
                assert_eq!(
                    storage[offset + I * O..],
                    start[offset + I * O..],
                    "after it"
                );
                assert_eq!(bias, expected_bias, "bias of {I} -> {O}");
            }
        }
    }
    fn all<T: Float>() {
        check::<T, 37, 128>();
        check::<T, 1, 64>();
        check::<T, 9, 256>();
        check::<T, 5, 272>();
        check::<T, 3, 48>();
        check::<T, 4, 20>();
    }
    all::<f32>();
    all::<f64>();
}

/// A held-back step and the next product in one walk (`descend_forward`, on this CPU's
/// instruction set, and the portable kernel with run-time blocks of rows) give the bits of
/// the step (`sgd_weight`) and then the product (`forward`; for the portable kernel,
/// `small::forward_fused`, whose multiply-adds it shares), from a weight at several offsets
/// from a cache line, with sizes fixed at compile time and at run time, and an odd number of
/// inputs.
#[test]
fn a_held_step_and_the_next_product_give_the_bits_of_both_apart() {
    fn check<T: Float, const I: usize, const O: usize>() {
        let (start, b) = (random::<T>(I * O + 16, 11), random::<T>(O, 12));
        let (p, d, x) = (random::<T>(I, 13), random::<T>(O, 14), random::<T>(I, 15));
        let step = HeldStep {
            delta: &d,
            x: &p,
            lr: T::cast(0.3),
        };
        for offset in [0, 4, 9] {
            let apart = |portable: bool| {
                let mut storage = start.clone();
                let w = &mut storage[offset..offset + I * O];
                let mut z = vec![T::zero(); O];
                let shape = Shape {
                    inputs: Dyn(I),
                    units: Dyn(O),
                    columns: Const::<1>,
                };
                sgd_weight(shape, step.delta, step.x, w, step.lr);
                if portable {
                    small::forward_fused::<T, _, _, _, 128>(shape, w, &b, &x, &mut z);
                } else {
                    forward(shape, w, &b, &x, &mut z);
                }
                (storage, z)
            };
            let expected = apart(false);
            for shape_is_fixed in [true, false] {
                let mut storage = start.clone();
                let mut z = vec![T::zero(); O];
                let w = &mut storage[offset..offset + I * O];
                if shape_is_fixed {
                    descend_forward(fixed_one::<I, O>(), step, w, &b, &x, &mut z);
                } else {
                    let shape = Shape {
                        inputs: Dyn(I),
                        units: Dyn(O),
                        columns: Const::<1>,
                    };
                    descend_forward(shape, step, w, &b, &x, &mut z);
                }
                assert!(
                    storage == expected.0,
                    "weight of {I} -> {O} at offset {offset}"
                );
                assert!(z == expected.1, "product of {I} -> {O} at offset {offset}");
            }
            let expected = apart(true);
            let mut storage = start.clone();
            let mut z = vec![T::zero(); O];
            let shape = Shape {
                inputs: Dyn(I),
                units: Dyn(O),
                columns: Const::<1>,
            };
            let w = &mut storage[offset..offset + I * O];
            small::descend_forward::<T, _, _, 64>(shape, step, w, &b, &x, &mut z);
            assert!(
                storage == expected.0,
                "portable weight of {I} -> {O} at {offset}"
            );
            assert!(
                z == expected.1,
                "portable product of {I} -> {O} at {offset}"
            );
        }
    }
    fn all<T: Float>() {
        check::<T, 37, 128>();
        check::<T, 40, 64>();
        check::<T, 9, 200>();
        check::<T, 5, 20>();
    }
    all::<f32>();
    all::<f64>();
}

/// Where a CPU has no AVX-512, an on-line session's walk shared out to threads is the step
/// (`sgd_weight`) and then the product (`forward_separate`) over each part's rows, kept
/// column after column in a buffer of their own: runs of 64 of the layer's units (the last
/// with the rest). Those give the bits of the whole layer's step and product: every unit's
/// sum is one running sum from 33 units on, over the inputs in order.
#[test]
fn the_separate_step_and_product_by_blocks_of_rows_give_the_whole_layer_s_bits() {
    fn check<T: Float>(inputs: usize, units: usize, blocks: &[usize]) {
        let whole = |units: usize| Shape {
            inputs: Dyn(inputs),
            units: Dyn(units),
            columns: Const::<1>,
        };
        let (start, b) = (random::<T>(inputs * units, 21), random::<T>(units, 22));
        let (p, d, x) = (
            random::<T>(inputs, 23),
            random::<T>(units, 24),
            random::<T>(inputs, 25),
        );
        let (lr, mut w, mut z) = (T::cast(0.3), start.clone(), vec![T::zero(); units]);
        sgd_weight(whole(units), &d, &p, &mut w, lr);
        forward_separate(whole(units), &w, &b, &x, &mut z);
        let mut first = 0;
        for &len in blocks {
            let rows = first..first + len;
            let mut own: Vec<T> = start
                .chunks_exact(units)
                .flat_map(|column| column[rows.clone()].to_vec())
                .collect();
            let mut own_z = vec![T::zero(); len];
            sgd_weight(whole(len), &d[rows.clone()], &p, &mut own, lr);
            forward_separate(whole(len), &own, &b[rows.clone()], &x, &mut own_z);
            let stepped = w.chunks_exact(units).zip(own.chunks_exact(len));
            for (j, (column, own)) in stepped.enumerate() {
                assert!(
                    column[rows.clone()] == *own,
                    "{inputs} -> {units}: rows {rows:?} of column {j}"
                );
            }
            assert!(
                z[rows.clone()] == own_z[..],
                "{inputs} -> {units}: sums of {rows:?}"
            );
            first += len;
        }
        assert_eq!(first, units);
    }
    for (inputs, units, blocks) in [(131, 128, &[64, 64][..]), (83, 200, &[64, 64, 72])] {
        check::<f32>(inputs, units, blocks);
        check::<f64>(inputs, units, blocks);
    }
}

/// A one-sample shape of constant sizes.
fn fixed_one<const I: usize, const O: usize>() -> Shape<Const<I>, Const<O>, Const<1>> {
    Shape {
        inputs: Const,
        units: Const,
        columns: Const,
    }
}

/// A block of rows of `A^T B` (a part's rows of a layer's input gradient), written through
/// the result's lead from a slice that starts at its first row, has the bits of the same rows
/// of the whole product, with random values (so rounding matters), on this CPU's instruction
/// set.
#[test]
fn blocks_of_rows_have_the_bits_of_the_whole_product() {
    let (m, n, k) = (128, 64, 200);
    let (a, b) = (random::<f32>(m * k, 7), random::<f32>(k * n, 8));
    let sizes = Product(Dyn(m), Dyn(n), Dyn(k));
    // `A^T B` with `A` as `k x m`: column blocks of `A` give row blocks of the result.
    let mut whole = vec![0.0f32; m * n];
    product_tn(sizes, &a, &b, &mut whole, m);
    for rows in [0..32, 32..96, 96..128, 40..61, 0..128] {
        let (r0, h) = (rows.start, rows.len());
        let block = Product(Dyn(h), Dyn(n), Dyn(k));
        let mut c = vec![f32::NAN; m * n];
        product_tn(block, &a[r0 * k..], &b, &mut c[r0..], m);
        for j in 0..n {
            let cut = j * m + r0..j * m + r0 + h;
            assert_eq!(c[cut.clone()], whole[cut], "rows {rows:?} column {j}");
        }
    }
}

/// Every 997th float (both signs), the infinities and NaN, and the thresholds at which the
/// approximations clamp their input or switch formulas, each with its neighbours: 8.6 million values, not a
/// multiple of eight, so that the scalar rest runs too.
fn approximation_inputs() -> Vec<f32> {
    let mut inputs: Vec<f32> = (0..u32::MAX / 997)
        .map(|i| f32::from_bits(i * 997))
        .flat_map(|x| [x, -x])
        .collect();
    for threshold in [0.0004f32, 7.905_311, 9.1, 87.3, 88.0, 0.0] {
        for x in [threshold.next_down(), threshold, threshold.next_up()] {
            inputs.extend([x, -x]);
        }
    }
    inputs.extend([
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MIN_POSITIVE,
    ]);
    inputs.push(1.0);
    inputs
}

/// The activations' functions on a CPU's vector lanes ([`map_lanes`], eight values at a
/// time with AVX2) give the bits of the scalar functions, for every kind of input.
#[test]
fn approximations_on_lanes_give_the_scalar_bits() {
    fn check<F: Approximation>(name: &str, inputs: &[f32]) {
        let mut out = vec![0.0f32; inputs.len()];
        map_lanes::<F>(inputs, &mut out);
        for (&x, &lanes) in inputs.iter().zip(&out) {
            let scalar = F::apply(x);
            assert!(
                lanes.to_bits() == scalar.to_bits() || (lanes.is_nan() && scalar.is_nan()),
                "{name}({x:e}): {lanes:e} on lanes, {scalar:e} scalar"
            );
        }
    }
    let inputs = approximation_inputs();
    assert_ne!(inputs.len() % 8, 0);
    check::<crate::approx::Tanh>("tanh", &inputs);
    check::<crate::approx::Sigmoid>("sigmoid", &inputs);
    check::<crate::approx::FastTanh>("fast_tanh", &inputs);
    check::<crate::approx::FastSigmoid>("fast_sigmoid", &inputs);
}
