//! Picks the instruction set at run time. The only module of the workspace that uses
//! `unsafe` (with its `x86` and `f32x8` children): calling a `#[target_feature]` function is
//! unsafe because running it on a CPU without those features is undefined behaviour, and
//! every call here is guarded by the run-time check of exactly those features. So is every
//! use of the intrinsics (`x86`'s horizontal adds, `f32x8`'s lanes): only code compiled for
//! those features reaches them.
#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
mod f32x8;
mod features;
#[cfg(target_arch = "x86_64")]
mod x86;

#[cfg(feature = "std")]
use nalgebra::Const;
use nalgebra::{Dim, Dyn};

pub use features::INSTRUCTION_SET_VARIABLE;
#[cfg(target_arch = "x86_64")]
use features::features;
#[cfg(feature = "std")]
pub use features::{UnknownInstructionSet, requested_instruction_set};

use super::shape::{Product, Shape};
#[cfg(feature = "std")]
use super::small::HeldStep;
use super::small::{self, Size};
use super::tiles::{Epilogue, Leads, Overwrite, nn, right_span, span, tn};
use crate::approx::Approximation;
use crate::float::Float;

/// The instruction set the kernels use on this CPU: `"avx512"`, `"avx2+fma"` or
/// `"baseline"`, the widest the CPU has that [`INSTRUCTION_SET_VARIABLE`] allows.
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

/// AVX-512F and FMA: the tiled products' widest variants, and one sample's wide kernels.
#[cfg(target_arch = "x86_64")]
#[inline]
fn avx512() -> bool {
    features().avx512_fma
}

/// AVX2 and FMA: the tiled products' AVX2 variants.
#[cfg(target_arch = "x86_64")]
#[inline]
fn avx2() -> bool {
    features().avx2_fma
}

/// AVX2 alone: the variants of the kernels that fuse no multiply-adds.
#[cfg(target_arch = "x86_64")]
#[inline]
fn avx2_vectors() -> bool {
    features().avx2
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
    let sizes = Product(Dyn(m), Dyn(n), Dyn(k));
    if b_transposed {
        product_nn::<T, _, _, _, _, _, true>(sizes, a, b, Dyn(n), c, Overwrite);
    } else {
        product_nn::<T, _, _, _, _, _, false>(sizes, a, b, Dyn(k), c, Overwrite);
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
    product_tn(Product(Dyn(m), Dyn(n), Dyn(k)), a, b, c, m);
}

/// [`gemm_nn`] with `TRANSPOSED` for `b_transposed`, for sizes of either kind, with the
/// columns of the matrix `b` holds `ldb` apart (its rows, or more: `b` may hold a block of a
/// taller matrix's rows), putting the results into `C` by `epilogue`:
/// [`Overwrite`], or [`Descend`](super::tiles::Descend) for `C -= lr A B` with `k` up to
/// [`DESCENT_DEPTH`](super::DESCENT_DEPTH).
#[inline(always)]
pub(crate) fn product_nn<T, M, N, K, L, E, const TRANSPOSED: bool>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    ldb: L,
    c: &mut [T],
    epilogue: E,
) where
    T: Float,
    M: Dim,
    N: Dim,
    K: Dim,
    L: Dim,
    E: Epilogue<T>,
{
    let leads = (sizes.0, ldb, sizes.0);
    product_nn_in::<T, M, N, K, M, L, M, E, TRANSPOSED>(sizes, a, b, c, leads, epilogue);
}

/// [`product_nn`] with the columns of `A`, of the matrix `b` holds and of `C` `leads` apart
/// (each its height, or more where it is a block of a taller matrix's rows).
#[inline(always)]
pub(crate) fn product_nn_in<T, M, N, K, LA, LB, LC, E, const TRANSPOSED: bool>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    leads: (LA, LB, LC),
    epilogue: E,
) where
    T: Float,
    M: Dim,
    N: Dim,
    K: Dim,
    LA: Dim,
    LB: Dim,
    LC: Dim,
    E: Epilogue<T>,
{
    let (m, n, k) = sizes.get();
    let b_rows = if TRANSPOSED { n } else { k };
    let lead = leads_of(leads);
    assert!(
        lead.a >= m
            && lead.b >= b_rows
            && lead.c >= m
            && a.len() >= span(m, k, lead.a)
            && b.len() >= right_span::<TRANSPOSED>(n, k, lead.b)
            && c.len() >= span(m, n, lead.c),
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
            return unsafe {
                x86::nn_avx512::<T, _, _, _, _, _, _, E, TRANSPOSED>(
                    sizes, a, b, c, leads, epilogue,
                )
            };
        }
        if avx2() {
            // SAFETY: the CPU has AVX2 and FMA, the features the function is compiled for.
            return unsafe {
                x86::nn_avx2::<T, _, _, _, _, _, _, E, TRANSPOSED>(sizes, a, b, c, leads, epilogue)
            };
        }
    }
    nn::<T, 8, 4, 4, TRANSPOSED, false>(m, n, k, a, b, c, lead, epilogue);
}

/// The leads of [`product_nn_in`] as the tile loops take them.
#[inline(always)]
fn leads_of<LA: Dim, LB: Dim, LC: Dim>((a, b, c): (LA, LB, LC)) -> Leads {
    Leads {
        a: a.value(),
        b: b.value(),
        c: c.value(),
    }
}

/// [`gemm_tn`] for sizes of either kind, with the columns of `C` `ldc` apart.
#[inline(always)]
pub(crate) fn product_tn<T: Float, M: Dim, N: Dim, K: Dim>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    ldc: usize,
) {
    let leads = (sizes.2, sizes.2, Dyn(ldc));
    product_tn_in::<T, M, N, K, K, K, Dyn>(sizes, a, b, c, leads, false);
}

/// [`product_tn`] with the columns of `A`, `B` and `C` `leads` apart (each its height, or
/// more where it is a block of a taller matrix's rows), and with `accumulate`, `C += A^T B`
/// (continuing each result's chain from the value `C` holds).
#[inline(always)]
pub(crate) fn product_tn_in<T: Float, M: Dim, N: Dim, K: Dim, LA: Dim, LB: Dim, LC: Dim>(
    sizes: Product<M, N, K>,
    a: &[T],
    b: &[T],
    c: &mut [T],
    leads: (LA, LB, LC),
    accumulate: bool,
) {
    let (m, n, k) = sizes.get();
    let lead = leads_of(leads);
    assert!(
        lead.a >= k
            && lead.b >= k
            && lead.c >= m
            && a.len() >= span(k, m, lead.a)
            && b.len() >= span(k, n, lead.b)
            && c.len() >= span(m, n, lead.c),
        "matrix sizes"
    );
    #[cfg(target_arch = "x86_64")]
    {
        if avx512() {
            // SAFETY: the CPU has AVX-512F and FMA, the features the function is compiled for.
            return unsafe { x86::tn_avx512(sizes, a, b, c, leads, accumulate) };
        }
        if avx2() {
            // SAFETY: the CPU has AVX2 and FMA, the features the function is compiled for.
            return unsafe { x86::tn_avx2(sizes, a, b, c, leads, accumulate) };
        }
    }
    tn::<T, 8, 4, 4, false>(m, n, k, a, b, c, lead, accumulate);
}

/// A whole pass (of a network, or of the optimizer), run by [`with_wide_registers`].
/// Implementations mark `run` `#[inline(always)]`, so that the pass is compiled inside the
/// wrapper (a closure would stay a separate function, compiled for the baseline).
pub(crate) trait WidePass {
    /// What the pass returns.
    type Output;

    /// Runs the pass.
    fn run(self) -> Self::Output;
}

/// Runs `pass` compiled for AVX2 when the CPU has it, otherwise for the baseline: one
/// feature check and one call for a whole pass, instead of one per product. In such a
/// build, for no particular CPU, nothing in a pass contracts into fused multiply-adds, so
/// both versions compute the same bits.
///
/// The pass is never inlined into its caller. Inlined into a caller's loop, its kernels and
/// activations stayed calls: a 2-8-1 prediction with `fast_tanh` and the sigmoid took
/// 13.5-14.5 ns instead of 9.1-9.2 ns in such a loop. In a build for AVX2 already (`-C target-cpu`), the pass
/// is a plain function marked `#[inline(never)]`, because rustc (1.95) does not pass that
/// mark on to LLVM for a `#[target_feature]` function, which a caller with the same features
/// may then inline; elsewhere the AVX2 variant cannot be inlined into a caller compiled for
/// the baseline.
#[inline(always)]
pub(crate) fn with_wide_registers<P: WidePass>(pass: P) -> P::Output {
    #[cfg(target_feature = "avx2")]
    {
        #[inline(never)]
        fn in_frame<P: WidePass>(pass: P) -> P::Output {
            pass.run()
        }
        in_frame(pass)
    }
    #[cfg(not(target_feature = "avx2"))]
    {
        with_baseline_or_avx2(pass)
    }
}

/// [`with_wide_registers`] in a build for no particular CPU: the AVX2 variant of the pass
/// where the CPU has it.
#[cfg(not(target_feature = "avx2"))]
#[inline(always)]
fn with_baseline_or_avx2<P: WidePass>(pass: P) -> P::Output {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        #[inline(never)]
        fn with_avx2<P: WidePass>(pass: P) -> P::Output {
            pass.run()
        }
        if avx2_vectors() {
            // SAFETY: the CPU has AVX2, the feature the function is compiled for.
            return unsafe { with_avx2(pass) };
        }
    }
    pass.run()
}

/// Defines `$name` to run `$body` compiled for AVX2 when the CPU has it, or for the baseline.
/// The baseline variant is never inlined, so that a pass compiled for AVX2 carries no second
/// copy of the kernel (a dynamic inference carried every block size twice). The AVX2 variant
/// has no inline attribute, so LLVM inlines it where it finds it worth it inside such a pass:
/// into a compiled network's prediction, not into the dynamic engine's passes.
/// The bodies are element-wise loops and dot products with a fixed order of operations; no
/// feature changes that order (the compiler contracts nothing into fused multiply-adds), so
/// both variants give the same bits.
///
/// AVX2, not AVX-512: with AVX-512 the compiler vectorised the small products across a
/// weight's columns with scatter instructions (see BENCHMARKS.md).
macro_rules! multiversion {
    (
        $(#[$doc:meta])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) = $($body:ident)::+;
    ) => {
        $(#[$doc])*
        #[inline]
        pub(crate) fn $name<T: Float, I: Size, O: Size, C: Dim>(
            shape: Shape<I, O, C>,
            $($arg: $ty),*
        ) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn with_avx2<T: Float, I: Size, O: Size, C: Dim>(
                    shape: Shape<I, O, C>,
                    $($arg: $ty),*
                ) {
                    $($body)::+(shape, $($arg),*)
                }
                if avx2_vectors() {
                    // SAFETY: the CPU has AVX2, the feature the function is compiled for.
                    return unsafe { with_avx2(shape, $($arg),*) };
                }
            }
            #[inline(never)]
            fn baseline<T: Float, I: Size, O: Size, C: Dim>(
                shape: Shape<I, O, C>,
                $($arg: $ty),*
            ) {
                $($body)::+(shape, $($arg),*)
            }
            baseline(shape, $($arg),*)
        }
    };
}

multiversion! {
    /// `z = W x + b` for every column of a small layer, without fused multiply-adds.
    fn forward_separate(weight: &[T], bias: &[T], inputs: &[T], z: &mut [T]) = small::forward;
}

/// The fewest units for which [`forward`] uses AVX-512 and fused multiply-adds: four vectors
/// of sixteen sums per block. A 784-128-10 prediction took 6.6 us with AVX2 (a multiply and
/// an add per weight kept two ports busy), 5.6 us with AVX-512 and FMA in one block of 128
/// rows, 5.0 us taking two columns per step, and 3.3-4.1 us loading whole cache lines from
/// the misaligned weight; reading the 401 KB weight from L2 by whole lines takes about 4 us
/// (BENCHMARKS.md, "One-sample training and the memory bound").
const FUSED_UNITS: usize = 64;

/// `z = W x + b` for every column of a small layer (or one sample of any layer): with
/// AVX-512 and fused multiply-adds for layers of at least [`FUSED_UNITS`] units where the
/// CPU has them, which rounds differently from the other instruction sets (as the tiled
/// products do); otherwise as `forward_separate`.
#[inline]
pub(crate) fn forward<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    #[cfg(target_arch = "x86_64")]
    if shape.units.value() >= FUSED_UNITS && avx512() {
        // With run-time sizes, as the dynamic engine runs it: the instance for a compiled
        // network's constant sizes compiled to a loop of the same loads and multiply-adds,
        // which ran a quarter slower on a Zen 5 host (784-128-10's prediction 3.0-3.4 us
        // against 2.3-2.5 us).
        let (i, o, c) = shape.sizes();
        let shape = Shape {
            inputs: Dyn(i),
            units: Dyn(o),
            columns: Dyn(c),
        };
        // SAFETY: the CPU has AVX-512F and FMA, the features the function is compiled for.
        return unsafe { x86::forward_avx512(shape, weight, bias, inputs, z) };
    }
    forward_separate(shape, weight, bias, inputs, z);
}

/// One sample's product `z = W x + b` after the [`HeldStep`] of the sample before
/// (`W -= lr delta p^T`): in one walk over the weight where [`forward`] takes AVX-512 and
/// fused multiply-adds, with its bits; otherwise the step (as `sgd_weight` takes it) and then
/// [`forward`].
#[cfg(feature = "std")]
#[inline]
pub(crate) fn descend_forward<T: Float, I: Size, O: Size>(
    shape: Shape<I, O, Const<1>>,
    step: HeldStep<'_, T>,
    weight: &mut [T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    #[cfg(target_arch = "x86_64")]
    if shape.units.value() >= FUSED_UNITS && avx512() {
        // Run-time sizes, as `forward` runs its product.
        let (i, o, _) = shape.sizes();
        let shape = Shape {
            inputs: Dyn(i),
            units: Dyn(o),
            columns: Const::<1>,
        };
        // SAFETY: the CPU has AVX-512F and FMA, the features the function is compiled for.
        return unsafe { x86::descend_forward_avx512(shape, step, weight, bias, inputs, z) };
    }
    sgd_weight(shape, step.delta, step.x, weight, step.lr);
    forward(shape, weight, bias, inputs, z);
}

multiversion! {
    /// `dW = delta X^T` and `db = delta 1` over every column of a small layer.
    fn backward_layer(delta: &[T], inputs: &[T], weight_grad: &mut [T], bias_grad: &mut [T]) =
        small::backward_layer;
}

multiversion! {
    /// `db = delta 1` over every column.
    fn backward_bias(delta: &[T], bias_grad: &mut [T]) = small::backward_bias;
}

multiversion! {
    /// `dW = delta X^T` over every column of a small layer, without the bias'.
    #[cfg(feature = "std")]
    fn backward_weight(delta: &[T], inputs: &[T], weight_grad: &mut [T]) =
        small::backward_weight;
}

multiversion! {
    /// `W -= lr dW` over every column of a small layer, without the bias'.
    #[cfg(feature = "std")]
    fn sgd_weight(delta: &[T], inputs: &[T], weight: &mut [T], lr: T) = small::sgd_weight;
}

multiversion! {
    /// `W -= lr dW` and `b -= lr db` over every column of a small layer.
    fn sgd_layer_separate(
        delta: &[T],
        inputs: &[T],
        weight: &mut [T],
        bias: &mut [T],
        bias_grad: &mut [T],
        lr: T
    ) = small::sgd_layer;
}

/// `W -= lr dW` and `b -= lr db` over every column of a small layer: one sample's step on a
/// layer of at least [`FUSED_UNITS`] units with AVX-512 where the CPU has it (half the
/// instructions for a step that reads and writes the whole weight; no fused multiply-adds, so
/// the same bits as `sgd_layer_separate`).
#[inline]
pub(crate) fn sgd_layer<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    bias: &mut [T],
    bias_grad: &mut [T],
    lr: T,
) {
    #[cfg(target_arch = "x86_64")]
    if shape.columns.value() == 1 && shape.units.value() >= FUSED_UNITS && avx512() {
        // SAFETY: the CPU has AVX-512F, the feature the function is compiled for.
        return unsafe { x86::sgd_avx512(shape, delta, inputs, weight, bias, bias_grad, lr) };
    }
    sgd_layer_separate(shape, delta, inputs, weight, bias, bias_grad, lr);
}

multiversion! {
    /// `b -= lr db` over every column.
    fn sgd_bias(delta: &[T], bias: &mut [T], grad: &mut [T], lr: T) = small::sgd_bias;
}

/// `out[k] = f(values[k])` for every element: an element-wise activation other than those a
/// pass computes inline (`Elementwise::INLINE`) or on explicit lanes ([`map_lanes`]), and
/// every `f64` one. Never inlined into a pass: inlined into a single-sample forward pass, a
/// layer's few values were unrolled into scalar code (tanh of 8 units took longer than the
/// rest of a 2-8-1 inference); called, the loop is vectorised, eight lanes wide where the CPU
/// has AVX2.
#[inline]
pub(crate) fn map<T: Float, F: Fn(T) -> T>(f: F, values: &[T], out: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if avx2_vectors() {
        // SAFETY: the CPU has AVX2.
        return unsafe { map_avx2(f, values, out) };
    }
    map_baseline(f, values, out);
}

#[inline(always)]
fn map_each<T: Float, F: Fn(T) -> T>(f: F, values: &[T], out: &mut [T]) {
    for (out, &value) in out.iter_mut().zip(values) {
        *out = f(value);
    }
}

#[inline(never)]
fn map_baseline<T: Float, F: Fn(T) -> T>(f: F, values: &[T], out: &mut [T]) {
    map_each(f, values, out);
}

/// [`map`] compiled for AVX2, a call even from a pass compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
fn map_avx2<T: Float, F: Fn(T) -> T>(f: F, values: &[T], out: &mut [T]) {
    map_each(f, values, out);
}

/// `out[k] = F(values[k])` for every element, `F` one of `crate::approx`'s functions: eight
/// values at a time in an AVX2 register where the CPU has it. Unlike [`map`], inlined into a
/// pass compiled for AVX2, since its lanes are explicit: a one-sample pass keeps a small
/// layer's activations vectorised, without a call.
#[inline(always)]
pub(crate) fn map_lanes<F: Approximation>(values: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if avx2_vectors() {
        // SAFETY: the CPU has AVX2.
        return unsafe { map_lanes_avx2::<F>(values, out) };
    }
    map_baseline(F::apply::<f32>, values, out);
}

/// [`map_lanes`] compiled for AVX2: the values in blocks of eight, the last block padded
/// with zeros, so that the function's code appears once (small enough to inline where a
/// pass calls it).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn map_lanes_avx2<F: Approximation>(values: &[f32], out: &mut [f32]) {
    let len = values.len().min(out.len());
    let (values, out) = (&values[..len], &mut out[..len]);
    for (values, out) in values.chunks(8).zip(out.chunks_mut(8)) {
        let mut padded = [0.0f32; 8];
        let block = if values.len() == 8 {
            values
        } else {
            padded[..values.len()].copy_from_slice(values);
            &padded
        };
        // SAFETY: the function is compiled for AVX2, so the CPU has it.
        let result = F::apply(unsafe { f32x8::F32x8::load(block) });
        if out.len() == 8 {
            result.store(out);
        } else {
            result.store(&mut padded);
            out.copy_from_slice(&padded[..out.len()]);
        }
    }
}

/// `g = W^T delta` for every column of a small layer. Written out rather than by
/// `multiversion!`: the AVX2 variant also reduces dot products with horizontal adds
/// ([`x86::HorizontalAdds`]).
#[inline]
pub(crate) fn backward_inputs<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn with_avx2<T: Float, I: Size, O: Size, C: Dim>(
            shape: Shape<I, O, C>,
            weight: &[T],
            delta: &[T],
            input_grad: &mut [T],
        ) {
            // SAFETY: this function is compiled for AVX2, and runs only where the CPU has it.
            let reduce = unsafe { x86::HorizontalAdds::new() };
            small::backward_inputs(shape, reduce, weight, delta, input_grad);
        }
        if avx2_vectors() {
            // SAFETY: the CPU has AVX2, the feature the function is compiled for.
            return unsafe { with_avx2(shape, weight, delta, input_grad) };
        }
    }
    #[inline(never)]
    fn baseline<T: Float, I: Size, O: Size, C: Dim>(
        shape: Shape<I, O, C>,
        weight: &[T],
        delta: &[T],
        input_grad: &mut [T],
    ) {
        small::backward_inputs(shape, small::PortableRowSums, weight, delta, input_grad);
    }
    baseline(shape, weight, delta, input_grad);
}

#[cfg(test)]
mod tests;
