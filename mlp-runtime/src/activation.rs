//! Activation functions and their derivatives, shared by every engine.
//!
//! Blocks of values are column-major matrices with `rows` rows stored in a slice: one column
//! per sample. `rows` is a nalgebra dimension, a constant in compiled networks; element-wise
//! activations ignore it, softmax works column by column.
//!
//! The spec's [`mlp_spec::Activation`] implements [`Activation`] too, by one `match` that
//! hands each kind to its function ([`with_activation`]): that is how the dynamic engine runs
//! the activations compiled networks name by type.

#[cfg(feature = "std")]
use mlp_spec::Activation as Kind;
use nalgebra::Dim;

use crate::approx::{self, Approximation};
use crate::float::Float;
use crate::kernels;

/// An activation applied to a block of pre-activations.
pub trait Activation: Copy {
    /// Writes `a = f(z)`.
    fn forward<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]);

    /// Turns `g` from `dL/da` into `dL/dz`, given `z` and `a = f(z)`.
    fn backward<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], g: &mut [T]);
}

/// An activation that acts on each value independently.
pub trait Elementwise: Copy {
    /// `f(z)`.
    fn value<T: Float>(&self, z: T) -> T;

    /// `f'(z)`, given `z` and `a = f(z)` (whichever is cheaper to use).
    fn derivative<T: Float>(&self, z: T, a: T) -> T;

    /// Whether a layer's forward pass computes `value` in a loop of its own rather than
    /// through the vectorised call `kernels::map`: true for functions of a comparison and
    /// a multiplication (relu, leaky relu, identity), which the compiler vectorises inline,
    /// so that such a layer makes no call for its activation (4-16-16-3's one-sample training
    /// step ran 5% faster so).
    const INLINE: bool = false;

    /// Writes `a = f(z)` for a block of values: by default `value` on each, inline or through
    /// a vectorised call as [`Elementwise::INLINE`] says. The logistic activations and `tanh`
    /// compute `f32` blocks eight values at a time in vector registers where the CPU has
    /// AVX2, inline in a compiled pass: unrolled into it, the scalar functions of a few values
    /// were compiled into scalar code, and as a call they cost a 2-8-1 prediction a fifth of
    /// its instructions.
    #[inline(always)]
    fn values<T: Float>(&self, z: &[T], a: &mut [T]) {
        if Self::INLINE {
            for (a, &z) in a.iter_mut().zip(z) {
                *a = self.value(z);
            }
            return;
        }
        kernels::map(|z| self.value(z), z, a);
    }
}

impl<E: Elementwise> Activation for E {
    #[inline(always)]
    fn forward<T: Float, R: Dim>(&self, _rows: R, z: &[T], a: &mut [T]) {
        self.values(z, a);
    }

    fn backward<T: Float, R: Dim>(&self, _rows: R, z: &[T], a: &[T], g: &mut [T]) {
        for ((g, &z), &a) in g.iter_mut().zip(z).zip(a) {
            *g *= self.derivative(z, a);
        }
    }
}

/// [`Elementwise::values`] of an activation that `crate::approx`'s function `F` computes for
/// `f32`: `F` on vector lanes for `f32` blocks, `value` on each otherwise.
#[inline(always)]
fn approximated<F: Approximation, E: Elementwise, T: Float>(activation: &E, z: &[T], a: &mut [T]) {
    match T::as_f32_blocks(z, a) {
        Some((z, a)) => kernels::map_lanes::<F>(z, a),
        None => kernels::map(|z| activation.value(z), z, a),
    }
}

/// Something to do with an activation, whatever its type: [`with_activation`] calls it with
/// the activation a spec names.
pub trait ActivationVisitor {
    /// What the visit returns.
    type Output;

    /// Does it with `activation`.
    fn visit<A: Activation>(self, activation: A) -> Self::Output;
}

/// Calls `visitor` with the runtime activation of the spec's `kind`: the one place that maps
/// the spec's activations to their functions.
#[cfg(feature = "std")]
pub fn with_activation<V: ActivationVisitor>(kind: Kind, visitor: V) -> V::Output {
    match kind {
        Kind::Identity => visitor.visit(Identity),
        Kind::Sigmoid => visitor.visit(Sigmoid),
        Kind::Tanh => visitor.visit(Tanh),
        Kind::FastTanh => visitor.visit(FastTanh),
        Kind::FastSigmoid => visitor.visit(FastSigmoid),
        Kind::Relu => visitor.visit(Relu),
        Kind::LeakyRelu { alpha } => visitor.visit(LeakyRelu { alpha }),
        Kind::Elu { alpha } => visitor.visit(Elu { alpha }),
        Kind::Gelu => visitor.visit(Gelu),
        Kind::Softplus => visitor.visit(Softplus),
        Kind::Silu => visitor.visit(Silu),
        Kind::Softmax => visitor.visit(Softmax),
    }
}

/// Work with an activation whose type is known, run by [`with_wide_activation`].
#[cfg(feature = "std")]
pub(crate) trait WideActivationPass {
    /// Runs the work with `activation`. Implementations mark it `#[inline(always)]`, so that
    /// it is compiled inside the wrapper for wide registers.
    fn run<A: Activation>(self, activation: A);
}

/// Runs `pass` with the activation `kind` names, as its type, compiled for AVX2 where the
/// CPU has it ([`kernels::with_wide_registers`]): a loop over a block's columns then inlines
/// the activation and vectorises it. Through `Kind`, each column's activation is a call with
/// a `match`, whose loop is compiled for the baseline.
#[cfg(feature = "std")]
pub(crate) fn with_wide_activation<P: WideActivationPass>(kind: Kind, pass: P) {
    struct Visit<P>(P);

    impl<P: WideActivationPass> ActivationVisitor for Visit<P> {
        type Output = ();

        fn visit<A: Activation>(self, activation: A) {
            kernels::with_wide_registers(Wide {
                pass: self.0,
                activation,
            });
        }
    }

    struct Wide<P, A> {
        pass: P,
        activation: A,
    }

    impl<P: WideActivationPass, A: Activation> kernels::WidePass for Wide<P, A> {
        type Output = ();

        #[inline(always)]
        fn run(self) {
            self.pass.run(self.activation);
        }
    }

    with_activation(kind, Visit(pass));
}

#[cfg(feature = "std")]
struct Forward<'a, T, R> {
    rows: R,
    z: &'a [T],
    a: &'a mut [T],
}

#[cfg(feature = "std")]
impl<T: Float, R: Dim> ActivationVisitor for Forward<'_, T, R> {
    type Output = ();

    fn visit<A: Activation>(self, activation: A) {
        activation.forward(self.rows, self.z, self.a);
    }
}

#[cfg(feature = "std")]
struct Backward<'a, T, R> {
    rows: R,
    z: &'a [T],
    a: &'a [T],
    g: &'a mut [T],
}

#[cfg(feature = "std")]
impl<T: Float, R: Dim> ActivationVisitor for Backward<'_, T, R> {
    type Output = ();

    fn visit<A: Activation>(self, activation: A) {
        activation.backward(self.rows, self.z, self.a, self.g);
    }
}

#[cfg(feature = "std")]
impl Activation for Kind {
    fn forward<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        with_activation(*self, Forward { rows, z, a });
    }

    fn backward<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], g: &mut [T]) {
        with_activation(*self, Backward { rows, z, a, g });
    }
}

/// `f(z) = z`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Identity;

impl Elementwise for Identity {
    const INLINE: bool = true;

    fn value<T: Float>(&self, z: T) -> T {
        z
    }

    fn derivative<T: Float>(&self, _z: T, _a: T) -> T {
        T::one()
    }
}

/// `f(z) = 1 / (1 + e^-z)`, evaluated without overflow for any `z`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sigmoid;

/// The logistic function, stable for large `|z|` ([`Float::activation_sigmoid`]).
#[inline(always)]
pub fn sigmoid<T: Float>(z: T) -> T {
    z.activation_sigmoid()
}

impl Elementwise for Sigmoid {
    #[inline(always)]
    fn values<T: Float>(&self, z: &[T], a: &mut [T]) {
        approximated::<approx::Sigmoid, _, _>(self, z, a);
    }

    fn value<T: Float>(&self, z: T) -> T {
        sigmoid(z)
    }

    fn derivative<T: Float>(&self, _z: T, a: T) -> T {
        a * (T::one() - a)
    }
}

/// `f(z) = tanh z`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tanh;

impl Elementwise for Tanh {
    #[inline(always)]
    fn values<T: Float>(&self, z: &[T], a: &mut [T]) {
        approximated::<approx::Tanh, _, _>(self, z, a);
    }

    fn value<T: Float>(&self, z: T) -> T {
        z.activation_tanh()
    }

    fn derivative<T: Float>(&self, _z: T, a: T) -> T {
        T::one() - a * a
    }
}

/// `f(z) = tanh z` as Eigen computes it for `f32` (its rational approximation, which
/// RTNeural's networks run): within 7.5 ulp, or 5 where the crate is built for a CPU with
/// fused multiply-adds (`-C target-cpu=...`), which it then uses, so its last bits depend on
/// the build. Shorter than [`Tanh`] on a one-sample prediction's chain of dependent
/// operations. `f64` networks compute [`Tanh`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FastTanh;

impl Elementwise for FastTanh {
    #[inline(always)]
    fn values<T: Float>(&self, z: &[T], a: &mut [T]) {
        approximated::<approx::FastTanh, _, _>(self, z, a);
    }

    fn value<T: Float>(&self, z: T) -> T {
        z.activation_fast_tanh()
    }

    fn derivative<T: Float>(&self, _z: T, a: T) -> T {
        T::one() - a * a
    }
}

/// `f(z) = 1 / (1 + e^-z)` as `1/2 + tanh(z/2) / 2` from [`FastTanh`]: within 2.5e-7 of the
/// exact value, an absolute bound (where the value is tiny, its relative error is large, and
/// from about -16 down it stays at 0, or 9e-8 with fused multiply-adds). `f64` networks
/// compute [`Sigmoid`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FastSigmoid;

impl Elementwise for FastSigmoid {
    #[inline(always)]
    fn values<T: Float>(&self, z: &[T], a: &mut [T]) {
        approximated::<approx::FastSigmoid, _, _>(self, z, a);
    }

    fn value<T: Float>(&self, z: T) -> T {
        z.activation_fast_sigmoid()
    }

    fn derivative<T: Float>(&self, _z: T, a: T) -> T {
        a * (T::one() - a)
    }
}

/// `f(z) = max(0, z)`, with `f'(0) = 0`, `f(NaN) = NaN` and `f(-0.0) = -0.0` as in PyTorch.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Relu;

impl Elementwise for Relu {
    const INLINE: bool = true;

    fn value<T: Float>(&self, z: T) -> T {
        // Not `z > 0 ? z : 0`, which would turn a NaN into 0 and hide it from every check
        // downstream (the loss, the predictions). This form is `torch.relu`'s on NaN and on
        // `-0.0` alike (both kept), and one `maxps` as the other was.
        if z < T::zero() { T::zero() } else { z }
    }

    fn derivative<T: Float>(&self, z: T, _a: T) -> T {
        if z > T::zero() { T::one() } else { T::zero() }
    }
}

/// `f(z) = z` for `z > 0` and `alpha z` otherwise, with `f'(0) = alpha` as in PyTorch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeakyRelu {
    /// Slope for `z <= 0`.
    pub alpha: f64,
}

impl Elementwise for LeakyRelu {
    const INLINE: bool = true;

    fn value<T: Float>(&self, z: T) -> T {
        if z > T::zero() {
            z
        } else {
            T::cast(self.alpha) * z
        }
    }

    fn derivative<T: Float>(&self, z: T, _a: T) -> T {
        if z > T::zero() {
            T::one()
        } else {
            T::cast(self.alpha)
        }
    }
}

/// `f(z) = z` for `z > 0` and `alpha (e^z - 1)` otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Elu {
    /// Scale of the negative part.
    pub alpha: f64,
}

impl Elementwise for Elu {
    fn value<T: Float>(&self, z: T) -> T {
        if z > T::zero() {
            z
        } else {
            T::cast(self.alpha) * z.exp_m1()
        }
    }

    fn derivative<T: Float>(&self, z: T, _a: T) -> T {
        if z > T::zero() {
            T::one()
        } else {
            T::cast(self.alpha) * z.exp()
        }
    }
}

/// `f(z) = z Phi(z)`, the exact (error-function) GELU.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Gelu;

impl Elementwise for Gelu {
    fn value<T: Float>(&self, z: T) -> T {
        let half = T::cast(0.5);
        z * half * (T::one() + (z * T::cast(core::f64::consts::FRAC_1_SQRT_2)).erf())
    }

    fn derivative<T: Float>(&self, z: T, _a: T) -> T {
        let half = T::cast(0.5);
        let cdf = half * (T::one() + (z * T::cast(core::f64::consts::FRAC_1_SQRT_2)).erf());
        // 1 / sqrt(2 pi)
        let pdf = T::cast(0.398_942_280_401_432_7) * (-half * z * z).exp();
        cdf + z * pdf
    }
}

/// `f(z) = ln(1 + e^z)`, evaluated without overflow for any `z`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Softplus;

impl Elementwise for Softplus {
    fn value<T: Float>(&self, z: T) -> T {
        z.max(T::zero()) + (-z.abs()).exp().ln_1p()
    }

    fn derivative<T: Float>(&self, z: T, _a: T) -> T {
        sigmoid(z)
    }
}

/// `f(z) = z sigmoid(z)`, as `torch.nn.SiLU`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Silu;

impl Elementwise for Silu {
    fn value<T: Float>(&self, z: T) -> T {
        z * sigmoid(z)
    }

    fn derivative<T: Float>(&self, z: T, _a: T) -> T {
        // As PyTorch's backward: s (1 + z (1 - s)).
        let s = sigmoid(z);
        s * (T::one() + z * (T::one() - s))
    }
}

/// Softmax over each column (the units of one sample).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Softmax;

/// Columns up to this long keep their exponentials in a stack array, which the compiler
/// holds in registers for a classifier's few outputs; longer ones work in the output.
const STACK_ROWS: usize = 32;

/// The largest value of a softmax column, by plain comparisons: one instruction each, where
/// `max`'s care for NaN takes three, on the latency of every softmax. NaN needs no care: a
/// NaN anywhere in the column makes every output NaN either way.
#[inline(always)]
pub(crate) fn column_max<T: Float>(z: &[T]) -> T {
    z.iter()
        .copied()
        .fold(z[0], |max, z| if z > max { z } else { max })
}

/// Softmax of every column of `rows` values: the exponentials of `z - max`, then their sum,
/// then each divided by it, in that order whatever the length (so the same bits).
#[inline(always)]
pub(crate) fn softmax<T: Float>(rows: usize, z: &[T], a: &mut [T]) {
    for (z, a) in z.chunks_exact(rows).zip(a.chunks_exact_mut(rows)) {
        let max = column_max(z);
        let mut stack = [T::zero(); STACK_ROWS];
        let exps = if rows <= STACK_ROWS {
            &mut stack[..rows]
        } else {
            &mut *a
        };
        // Exponentials first and their sum after, so that the exponentials vectorise.
        for (e, &z) in exps.iter_mut().zip(z) {
            *e = (z - max).activation_exp();
        }
        let sum = exps.iter().fold(T::zero(), |sum, &e| sum + e);
        if rows <= STACK_ROWS {
            for (a, &e) in a.iter_mut().zip(&stack[..rows]) {
                *a = e / sum;
            }
        } else {
            for a in a.iter_mut() {
                *a /= sum;
            }
        }
    }
}

impl Activation for Softmax {
    fn forward<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        softmax(rows.value(), z, a);
    }

    fn backward<T: Float, R: Dim>(&self, rows: R, _z: &[T], a: &[T], g: &mut [T]) {
        let rows = rows.value();
        for (a, g) in a.chunks_exact(rows).zip(g.chunks_exact_mut(rows)) {
            let dot = a
                .iter()
                .zip(g.iter())
                .fold(T::zero(), |acc, (&a, &g)| acc + a * g);
            for (g, &a) in g.iter_mut().zip(a) {
                *g = a * (*g - dot);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use nalgebra::Dyn;

    use super::*;

    fn derivative_by_differences<A: Elementwise>(act: A, z: f64) -> f64 {
        let h = 1e-6;
        (act.value(z + h) - act.value(z - h)) / (2.0 * h)
    }

    /// A NaN goes through every activation as it goes through PyTorch's, so that a NaN
    /// input shows as a NaN output or loss instead of a plausible number.
    #[test]
    fn nan_stays_nan() {
        struct Value(f32);
        impl ActivationVisitor for Value {
            type Output = [f32; 2];
            fn visit<A: Activation>(self, activation: A) -> [f32; 2] {
                // A column long enough for the vectorised blocks, with NaN in two of them.
                let mut z = [0.5; 16];
                (z[0], z[9]) = (self.0, self.0);
                let mut a = [0.0; 16];
                activation.forward(nalgebra::Dyn(16), &z, &mut a);
                [a[0], a[9]]
            }
        }
        for kind in Kind::ALL {
            let values = with_activation(kind, Value(f32::NAN));
            assert!(
                values.iter().all(|v| v.is_nan()),
                "{}(NaN) = {values:?}",
                kind.name()
            );
        }
    }

    #[test]
    fn values_match_their_definitions() {
        assert_eq!(Relu.value(-2.0), 0.0);
        // `torch.relu(torch.tensor(-0.0))` is `-0.0`.
        assert_eq!(Relu.value(-0.0f32).to_bits(), (-0.0f32).to_bits());
        assert_eq!(Relu.value(3.0), 3.0);
        assert_eq!(LeakyRelu { alpha: 0.1 }.value(-2.0), -0.2);
        assert!((Sigmoid.value(0.0f64) - 0.5).abs() < 1e-15);
        assert!((Elu { alpha: 2.0 }.value(-1.0f64) - 2.0 * ((-1.0f64).exp() - 1.0)).abs() < 1e-15);
        // GELU(1) = 1 * Phi(1) = 0.8413447460685429...
        assert!((Gelu.value(1.0f64) - 0.841_344_746_068_542_9).abs() < 1e-15);
        assert!((Softplus.value(0.0f64) - 2f64.ln()).abs() < 1e-15);
        // Large inputs stay finite.
        assert_eq!(Sigmoid.value(-1000.0f32), 0.0);
        assert_eq!(Sigmoid.value(1000.0f32), 1.0);
        assert_eq!(Softplus.value(1000.0f32), 1000.0);
        assert_eq!(Softplus.value(-1000.0f32), 0.0);
    }

    #[test]
    fn derivatives_match_finite_differences() {
        for z in [-2.5, -0.7, -0.1, 0.3, 1.1, 2.9] {
            let check = |name: &str, analytic: f64, numeric: f64| {
                assert!(
                    (analytic - numeric).abs() < 1e-8,
                    "{name} at {z}: {analytic} vs {numeric}"
                );
            };
            check(
                "identity",
                Identity.derivative(z, z),
                derivative_by_differences(Identity, z),
            );
            check(
                "sigmoid",
                Sigmoid.derivative(z, Sigmoid.value(z)),
                derivative_by_differences(Sigmoid, z),
            );
            check(
                "tanh",
                Tanh.derivative(z, Tanh.value(z)),
                derivative_by_differences(Tanh, z),
            );
            check(
                "relu",
                Relu.derivative(z, Relu.value(z)),
                derivative_by_differences(Relu, z),
            );
            let leaky = LeakyRelu { alpha: 0.03 };
            check(
                "leaky_relu",
                leaky.derivative(z, leaky.value(z)),
                derivative_by_differences(leaky, z),
            );
            let elu = Elu { alpha: 1.3 };
            check(
                "elu",
                elu.derivative(z, elu.value(z)),
                derivative_by_differences(elu, z),
            );
            check(
                "gelu",
                Gelu.derivative(z, Gelu.value(z)),
                derivative_by_differences(Gelu, z),
            );
            check(
                "softplus",
                Softplus.derivative(z, Softplus.value(z)),
                derivative_by_differences(Softplus, z),
            );
        }
    }

    #[test]
    fn fast_derivatives_match_finite_differences_in_f32() {
        // The derivative from `a` against the approximation's own slope: central differences
        // in f32 with a step of 0.01 are good to about 2e-5 here.
        for z in [-9.0f32, -2.5, -0.7, -0.1, 0.0, 0.3, 1.1, 2.9, 7.0] {
            let h = 0.01f32;
            let slope = |f: &dyn Fn(f32) -> f32| (f(z + h) - f(z - h)) / (2.0 * h);
            let tanh = FastTanh.derivative(z, FastTanh.value(z));
            let numeric = slope(&|z| FastTanh.value(z));
            assert!(
                (tanh - numeric).abs() < 1e-4,
                "fast_tanh at {z}: {tanh} vs {numeric}"
            );
            let sigmoid = FastSigmoid.derivative(z, FastSigmoid.value(z));
            let numeric = slope(&|z| FastSigmoid.value(z));
            assert!(
                (sigmoid - numeric).abs() < 1e-4,
                "fast_sigmoid at {z}: {sigmoid} vs {numeric}"
            );
        }
    }

    #[test]
    fn derivatives_at_zero_follow_pytorch() {
        assert_eq!(Relu.derivative(0.0f64, 0.0), 0.0);
        assert_eq!(LeakyRelu { alpha: 0.2 }.derivative(0.0f64, 0.0), 0.2);
        assert_eq!(Elu { alpha: 0.5 }.derivative(0.0f64, 0.0), 0.5);
    }

    #[test]
    fn softmax_columns_sum_to_one_and_backward_is_the_jacobian_product() {
        let z = [1.0f64, 2.0, 3.0, -1000.0, 0.0, 1000.0];
        let mut a = [0.0; 6];
        Softmax.forward(Dyn(3), &z, &mut a);
        assert!((a[..3].iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert_eq!(&a[3..], &[0.0, 0.0, 1.0]);
        // d(sum_k w_k a_k)/dz_j by central differences on the first column.
        let w = [0.3, -1.2, 0.7];
        let mut g = [w[0], w[1], w[2]];
        Softmax.backward(Dyn(3), &z[..3], &a[..3], &mut g);
        for j in 0..3 {
            let h = 1e-6;
            let objective = |shift: f64| {
                let mut zz = [z[0], z[1], z[2]];
                zz[j] += shift;
                let mut aa = [0.0; 3];
                Softmax.forward(Dyn(3), &zz, &mut aa);
                aa.iter().zip(&w).map(|(a, w)| a * w).sum::<f64>()
            };
            let numeric = (objective(h) - objective(-h)) / (2.0 * h);
            assert!((g[j] - numeric).abs() < 1e-9, "{j}: {} vs {numeric}", g[j]);
        }
    }
}
