//! Picks the instruction set at run time. The only module of the workspace that uses
//! `unsafe`: calling a `#[target_feature]` function is unsafe because running it on a CPU
//! without those features is undefined behaviour, and every call here is guarded by the
//! run-time check of exactly those features. The functions themselves are safe code.
#![allow(unsafe_code)]

use mlp_spec::ParamSegment;

use super::small;
use super::tiles::{Epilogue, Overwrite, nn, tn};
use crate::float::Float;
use crate::optim::Optimizer;

/// The instruction set the kernels use on this CPU: `"avx512"`, `"avx2+fma"` or
/// `"baseline"`.
pub fn instruction_set() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        if avx512() {
            return "avx512";
        }
        if avx2() {
            return "avx2+fma";
        }
    }
    "baseline"
}

#[cfg(target_arch = "x86_64")]
fn avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// The sizes `(m, n, k)` of a product: known at run time ([`RuntimeSizes`]) or at compile
/// time ([`FixedSizes`]), in which case every kernel is compiled for them and its loops have
/// constant bounds: 10-15% faster on all three products of the 784-128 and 256-256 layers at
/// 32 samples, measured with a throwaway program that alternated both versions in one process.
pub(crate) trait Sizes: Copy {
    /// `(m, n, k)`.
    fn get(self) -> (usize, usize, usize);
}

/// Sizes known at run time.
#[derive(Clone, Copy)]
pub(crate) struct RuntimeSizes(pub usize, pub usize, pub usize);

impl Sizes for RuntimeSizes {
    #[inline(always)]
    fn get(self) -> (usize, usize, usize) {
        (self.0, self.1, self.2)
    }
}

/// Sizes known at compile time.
#[derive(Clone, Copy)]
pub(crate) struct FixedSizes<const M: usize, const N: usize, const K: usize>;

impl<const M: usize, const N: usize, const K: usize> Sizes for FixedSizes<M, N, K> {
    #[inline(always)]
    fn get(self) -> (usize, usize, usize) {
        (M, N, K)
    }
}

/// `C (m x n) = A (m x k) * B (k x n)`, or with `b_transposed`, `A * B^T` where `b` holds the
/// `n x k` matrix `B`.
///
/// ```
/// use mlp_runtime::kernels::gemm_nn;
///
/// // Column-major: A = [[1, 2], [3, 4]], B = the identity.
/// let (a, b) = ([1.0f32, 3.0, 2.0, 4.0], [1.0f32, 0.0, 0.0, 1.0]);
/// let mut c = [0.0f32; 4];
/// gemm_nn(2, 2, 2, &a, &b, &mut c, false);
/// assert_eq!(c, a);
/// ```
///
/// # Panics
///
/// If a slice is shorter than its matrix.
pub fn gemm_nn<T: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    b_transposed: bool,
) {
    let sizes = RuntimeSizes(m, n, k);
    if b_transposed {
        product_nn::<T, _, _, true>(sizes, a, b, c, Overwrite);
    } else {
        product_nn::<T, _, _, false>(sizes, a, b, c, Overwrite);
    }
}

/// `C (m x n) = A^T * B` where `a` holds the `k x m` matrix `A` and `b` the `k x n` matrix
/// `B`.
///
/// ```
/// use mlp_runtime::kernels::gemm_tn;
///
/// // A = [1, 2] as a 2 x 1 column, B = [3, 4]: A^T B = 1 * 3 + 2 * 4.
/// let mut c = [0.0f64];
/// gemm_tn(1, 1, 2, &[1.0, 2.0], &[3.0, 4.0], &mut c);
/// assert_eq!(c, [11.0]);
/// ```
///
/// # Panics
///
/// If a slice is shorter than its matrix.
pub fn gemm_tn<T: Float>(m: usize, n: usize, k: usize, a: &[T], b: &[T], c: &mut [T]) {
    product_tn::<T, _>(RuntimeSizes(m, n, k), a, b, c);
}

/// [`gemm_nn`] with `TRANSPOSED` for `b_transposed`, for sizes of either kind, putting the
/// results into `C` by `epilogue`: [`Overwrite`], or [`Descend`] for `C -= lr A B` with `k`
/// up to [`DESCENT_DEPTH`](super::DESCENT_DEPTH).
#[inline(always)]
pub(crate) fn product_nn<T: Float, S: Sizes, E: Epilogue<T>, const TRANSPOSED: bool>(
    sizes: S,
    a: &[T],
    b: &[T],
    c: &mut [T],
    epilogue: E,
) {
    let (m, n, k) = sizes.get();
    assert!(
        a.len() >= m * k && b.len() >= k * n && c.len() >= m * n,
        "matrix sizes"
    );
    assert!(
        E::ACCUMULATES || k <= super::DESCENT_DEPTH,
        "this epilogue needs k <= {}",
        super::DESCENT_DEPTH
    );
    #[cfg(target_arch = "x86_64")]
    {
        if avx512() {
            // SAFETY: the CPU has AVX-512F and FMA, the features the function is compiled for.
            return unsafe { x86::nn_avx512::<T, S, E, TRANSPOSED>(sizes, a, b, c, epilogue) };
        }
        if avx2() {
            // SAFETY: the CPU has AVX2 and FMA, the features the function is compiled for.
            return unsafe { x86::nn_avx2::<T, S, E, TRANSPOSED>(sizes, a, b, c, epilogue) };
        }
    }
    nn::<T, 8, 4, TRANSPOSED, false>(m, n, k, a, b, c, epilogue);
}

/// [`gemm_tn`] for sizes of either kind.
#[inline(always)]
pub(crate) fn product_tn<T: Float, S: Sizes>(sizes: S, a: &[T], b: &[T], c: &mut [T]) {
    let (m, n, k) = sizes.get();
    assert!(
        a.len() >= m * k && b.len() >= k * n && c.len() >= m * n,
        "matrix sizes"
    );
    #[cfg(target_arch = "x86_64")]
    {
        if avx512() {
            // SAFETY: the CPU has AVX-512F and FMA, the features the function is compiled for.
            return unsafe { x86::tn_avx512::<T, S>(sizes, a, b, c) };
        }
        if avx2() {
            // SAFETY: the CPU has AVX2 and FMA, the features the function is compiled for.
            return unsafe { x86::tn_avx2::<T, S>(sizes, a, b, c) };
        }
    }
    tn::<T, 8, 4, false>(m, n, k, a, b, c);
}

/// A pass of a compiled network, run by [`with_wide_registers`]. Implementations mark `run`
/// `#[inline(always)]`, so that the whole pass is compiled inside the wrapper (a closure
/// would stay a separate function, compiled for the baseline).
pub trait WidePass {
    /// What the pass returns.
    type Output;

    /// Runs the pass.
    fn run(self) -> Self::Output;
}

/// Runs `pass` compiled for AVX2 when the CPU has it, otherwise for the baseline: one
/// feature check and one call for a whole pass, instead of one per product. Nothing in a
/// pass contracts into fused multiply-adds, so both versions compute the same bits.
#[inline(always)]
pub fn with_wide_registers<P: WidePass>(pass: P) -> P::Output {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn with_avx2<P: WidePass>(pass: P) -> P::Output {
            pass.run()
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, the feature the function is compiled for.
            return unsafe { with_avx2(pass) };
        }
    }
    pass.run()
}

/// Defines `$name` to run `$body` compiled for the first instruction set in the list that the
/// CPU has, or for the baseline. The bodies are element-wise loops and dot products with a
/// fixed order of operations; no feature changes that order (the compiler contracts nothing
/// into fused multiply-adds), so every variant gives the same bits.
macro_rules! multiversion {
    (
        $(#[$doc:meta])*
        fn $name:ident $sizes:tt $args:tt = $($body:ident)::+;
        $($feature:tt => $variant:ident),*
    ) => {
        multiversion!(
            @function [$(#[$doc])*] $name $sizes $sizes $args $args [$($body)::+] [$($body)::+];
            $($feature => $variant),*
        );
    };
    (
        @function [$(#[$doc:meta])*] $name:ident [$($size:ident),*] $sizes:tt
        ($($arg:ident: $ty:ty),* $(,)?) $args:tt [$($body:ident)::+] $path:tt;
        $($feature:tt => $variant:ident),*
    ) => {
        $(#[$doc])*
        #[inline]
        pub(crate) fn $name<T: Float, $(const $size: usize),*>($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                $(multiversion!(@variant $feature, $variant, $sizes, $args, $path);)*
            }
            $($body)::+::<T, $($size),*>($($arg),*)
        }
    };
    (
        @variant $feature:tt, $variant:ident, [$($size:ident),*],
        ($($arg:ident: $ty:ty),* $(,)?), [$($body:ident)::+]
    ) => {
        #[target_feature(enable = $feature)]
        fn $variant<T: Float, $(const $size: usize),*>($($arg: $ty),*) {
            $($body)::+::<T, $($size),*>($($arg),*)
        }
        if std::arch::is_x86_feature_detected!($feature) {
            // SAFETY: the CPU has the feature the function is compiled for.
            return unsafe { $variant::<T, $($size),*>($($arg),*) };
        }
    };
}

// These use AVX2 but not AVX-512. With AVX-512 the compiler vectorised the small products
// across a weight's columns with scatter instructions (digits' step 2x slower), and the
// optimizer's short bursts of 512-bit instructions made digits' step 25% slower than AVX2.

multiversion! {
    /// `z = W x + b` for `C` columns of a layer with `I` inputs and `O` units.
    fn forward[I, O, C](weight: &[T], bias: &[T], inputs: &[T], z: &mut [T]) = small::forward;
    "avx2" => with_avx2
}

/// `g = W^T delta` for `C` columns. Written out rather than by `multiversion!`: the AVX2
/// variant also reduces dot products with horizontal adds ([`x86::HorizontalAdds`]).
#[inline]
pub(crate) fn backward_inputs<T: Float, const I: usize, const O: usize, const C: usize>(
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn with_avx2<T: Float, const I: usize, const O: usize, const C: usize>(
            weight: &[T],
            delta: &[T],
            input_grad: &mut [T],
        ) {
            small::backward_inputs::<T, x86::HorizontalAdds, I, O, C>(weight, delta, input_grad);
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, the feature the function is compiled for.
            return unsafe { with_avx2::<T, I, O, C>(weight, delta, input_grad) };
        }
    }
    small::backward_inputs::<T, small::PortableRowSums, I, O, C>(weight, delta, input_grad);
}

multiversion! {
    /// `dW = delta X^T` and `db = delta 1` for `C` columns.
    fn backward_layer[I, O, C](
        delta: &[T],
        inputs: &[T],
        weight_grad: &mut [T],
        bias_grad: &mut [T]
    ) = small::backward_layer;
    "avx2" => with_avx2
}

multiversion! {
    /// `db = delta 1` for `C` columns.
    fn backward_bias[O, C](delta: &[T], bias_grad: &mut [T]) = small::backward_bias;
    "avx2" => with_avx2
}

multiversion! {
    /// `W -= lr dW` and `b -= lr db` for `C` columns.
    fn sgd_layer[I, O, C](delta: &[T], inputs: &[T], weight: &mut [T], bias: &mut [T], lr: T) =
        small::sgd_layer;
    "avx2" => with_avx2
}

multiversion! {
    /// `b -= lr db` for `C` columns.
    fn sgd_bias[O, C](delta: &[T], bias: &mut [T], lr: T) = small::sgd_bias;
    "avx2" => with_avx2
}

multiversion! {
    /// One optimizer step ([`Optimizer::step`](crate::optim::Optimizer::step)): element-wise
    /// loops over every parameter.
    fn optimizer_step[](
        optimizer: &mut Optimizer<T>,
        params: &mut [T],
        grads: &[T],
        layout: &[ParamSegment],
        lr: f64
    ) = crate::optim::update;
    "avx2" => with_avx2
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::any::Any;
    use std::arch::x86_64::{
        __m256, _mm256_add_ps, _mm256_hadd_ps, _mm256_loadu_ps, _mm256_permute2f128_ps,
        _mm256_storeu_ps,
    };

    use super::small::{LANES, PortableRowSums, RowSums};
    use super::{Epilogue, Sizes, nn, tn};
    use crate::float::Float;

    /// [`RowSums`] for f32 with AVX's horizontal adds: eight rows in six `vhaddps`, two lane
    /// swaps and one add, where the compiler's transpose of the portable code takes about
    /// seventy shuffles. Same order of additions, so the same bits. With one dot product
    /// reduced at a time, iris' 16 x 16 input gradient was 22% of its training step; with
    /// these, 14% (`perf record` on the criterion bench `train/iris/batch1/static`).
    ///
    /// Only named inside functions compiled for AVX2 that run after the CPU was checked for
    /// it: that is what makes its `unsafe` block sound.
    pub(super) struct HorizontalAdds;

    impl RowSums for HorizontalAdds {
        #[inline(always)]
        fn row_sums<T: Float>(lanes: &[[T; LANES]; LANES], sums: &mut [T; LANES]) {
            // A type test that the compiler resolves per instantiation: f64 keeps the
            // portable code.
            let any_sums: &mut dyn Any = sums;
            match ((lanes as &dyn Any).downcast_ref(), any_sums.downcast_mut()) {
                // SAFETY: see the type's documentation; AVX is part of AVX2.
                (Some(lanes), Some(sums)) => unsafe { horizontal_sums(lanes, sums) },
                _ => PortableRowSums::row_sums(lanes, sums),
            }
        }
    }

    /// `sums[j] = ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))` of row `j`.
    #[inline(always)]
    unsafe fn horizontal_sums(lanes: &[[f32; 8]; 8], sums: &mut [f32; 8]) {
        // SAFETY (all intrinsics): the caller guarantees AVX; the loads and the store stay
        // inside arrays of eight f32.
        unsafe {
            let row = |j: usize| -> __m256 { _mm256_loadu_ps(lanes[j].as_ptr()) };
            // [r0 pairs 0-3, r1 pairs 0-3 | r0 pairs 4-7, r1 pairs 4-7], pairwise once more:
            // [r0..r3 sums of lanes 0-3 | r0..r3 sums of lanes 4-7].
            let first = _mm256_hadd_ps(
                _mm256_hadd_ps(row(0), row(1)),
                _mm256_hadd_ps(row(2), row(3)),
            );
            let second = _mm256_hadd_ps(
                _mm256_hadd_ps(row(4), row(5)),
                _mm256_hadd_ps(row(6), row(7)),
            );
            let low_halves = _mm256_permute2f128_ps::<0x20>(first, second);
            let high_halves = _mm256_permute2f128_ps::<0x31>(first, second);
            _mm256_storeu_ps(sums.as_mut_ptr(), _mm256_add_ps(low_halves, high_halves));
        }
    }

    // Tile shapes: enough independent accumulators to hide the FMA latency, few enough to
    // stay in the 32 (AVX-512) or 16 (AVX2) vector registers.

    #[target_feature(enable = "avx512f,fma")]
    pub(super) fn nn_avx512<T: Float, S: Sizes, E: Epilogue<T>, const TRANSPOSED: bool>(
        sizes: S,
        a: &[T],
        b: &[T],
        c: &mut [T],
        epilogue: E,
    ) {
        let (m, n, k) = sizes.get();
        nn::<T, 32, 8, TRANSPOSED, true>(m, n, k, a, b, c, epilogue);
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn nn_avx2<T: Float, S: Sizes, E: Epilogue<T>, const TRANSPOSED: bool>(
        sizes: S,
        a: &[T],
        b: &[T],
        c: &mut [T],
        epilogue: E,
    ) {
        let (m, n, k) = sizes.get();
        nn::<T, 16, 6, TRANSPOSED, true>(m, n, k, a, b, c, epilogue);
    }

    #[target_feature(enable = "avx512f,fma")]
    pub(super) fn tn_avx512<T: Float, S: Sizes>(sizes: S, a: &[T], b: &[T], c: &mut [T]) {
        let (m, n, k) = sizes.get();
        tn::<T, 32, 8, true>(m, n, k, a, b, c);
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn tn_avx2<T: Float, S: Sizes>(sizes: S, a: &[T], b: &[T], c: &mut [T]) {
        let (m, n, k) = sizes.get();
        tn::<T, 16, 6, true>(m, n, k, a, b, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        product_nn::<f64, _, _, true>(RuntimeSizes(m, n, k), &a, &b, &mut c, descend);
        assert_eq!(c, expected, "descent {m}x{n}x{k}");
    }

    fn exact<T: Float>(len: usize, salt: usize) -> Vec<T> {
        values(len, salt).into_iter().map(T::cast).collect()
    }

    /// The fixed-size kernels against the definition, with small integers (exact in any
    /// order of additions).
    fn check_small<T: Float, const I: usize, const O: usize, const C: usize>() {
        let (w, b) = (exact::<T>(I * O, 1), exact::<T>(O, 2));
        let (x, d) = (exact::<T>(I * C, 3), exact::<T>(O * C, 4));
        let mut z = vec![T::cast(f64::NAN); O * C];
        forward::<T, I, O, C>(&w, &b, &x, &mut z);
        let product = naive(
            O,
            C,
            I,
            |o, j| w[j * O + o].as_f64(),
            |j, c| x[c * I + j].as_f64(),
        );
        let expected: Vec<T> = (0..O * C)
            .map(|k| T::cast(b[k % O].as_f64() + product[k]))
            .collect();
        assert_eq!(z, expected, "forward {I} -> {O} x {C}");
        let mut g = vec![T::cast(f64::NAN); I * C];
        backward_inputs::<T, I, O, C>(&w, &d, &mut g);
        let expected = naive(
            I,
            C,
            O,
            |j, o| w[j * O + o].as_f64(),
            |o, c| d[c * O + o].as_f64(),
        );
        let expected: Vec<T> = expected.into_iter().map(T::cast).collect();
        assert_eq!(g, expected, "input gradient {I} -> {O} x {C}");
    }

    /// Sizes that take every path: one, two or four running sums in the forward product,
    /// fewer inputs than four, input gradients in blocks of eight with and without a rest,
    /// and units fewer than eight.
    #[test]
    fn fixed_size_kernels_compute_the_definition() {
        fn all<T: Float>() {
            check_small::<T, 4, 16, 1>();
            check_small::<T, 16, 16, 3>();
            check_small::<T, 19, 10, 2>();
            check_small::<T, 3, 24, 2>();
            check_small::<T, 11, 24, 2>();
            check_small::<T, 21, 40, 1>();
            check_small::<T, 16, 3, 1>();
            check_small::<T, 9, 8, 4>();
        }
        all::<f32>();
        all::<f64>();
    }

    /// The input gradient reduces eight dot products at once, with horizontal adds on x86
    /// (when the CPU has AVX2) and in portable code elsewhere: both give the same bits.
    #[test]
    fn every_reduction_of_dot_products_gives_the_same_bits() {
        fn check<T: Float, const I: usize, const O: usize, const C: usize>() {
            let mut state = 0x2545_f491_4f6c_dd1d_u64;
            let mut random = |len: usize| -> Vec<T> {
                (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        T::cast((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5)
                    })
                    .collect()
            };
            let (w, d) = (random(I * O), random(O * C));
            let (mut dispatched, mut portable) = (vec![T::zero(); I * C], vec![T::zero(); I * C]);
            backward_inputs::<T, I, O, C>(&w, &d, &mut dispatched);
            small::backward_inputs::<T, small::PortableRowSums, I, O, C>(&w, &d, &mut portable);
            assert_eq!(dispatched, portable, "{I} -> {O} x {C}");
        }
        check::<f32, 16, 16, 1>();
        check::<f32, 35, 64, 3>();
        check::<f64, 16, 16, 2>();
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
                        nn::<f64, 8, 4, true, false>(m, n, k, a, b, c, Overwrite)
                    } else {
                        nn::<f64, 8, 4, false, false>(m, n, k, a, b, c, Overwrite)
                    }
                },
                |a, b, c| tn::<f64, 8, 4, false>(m, n, k, a, b, c),
            );
        }
        for &(m, n, k) in SIZES
            .iter()
            .filter(|&&(_, _, k)| k <= super::super::DESCENT_DEPTH)
        {
            check_descent(m, n, k);
        }
        assert!(["avx512", "avx2+fma", "baseline"].contains(&instruction_set()));
    }
}
