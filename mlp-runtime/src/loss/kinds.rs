//! The spec's heads at run time: [`with_head`] maps each kind to its type, and the spec's
//! [`mlp_spec::Head`] implements [`Head`] through it (the dynamic engine's heads).

use mlp_spec::Head as Kind;
use nalgebra::Dim;

use super::element::{self, ElementLoss};
use super::{Chain, FastSigmoidBce, Head, SigmoidBce, SoftmaxCrossEntropy, SoftmaxKlDiv};
use crate::float::Float;

/// Something to do with an output head, whatever its type: [`with_head`] calls it with the
/// head a spec's plan names.
pub trait HeadVisitor {
    /// What the visit returns.
    type Output;

    /// Does it with `head`.
    fn visit<H: Head>(self, head: H) -> Self::Output;
}

/// Calls `visitor` with the runtime head of the plan's `kind`: the one place that maps the
/// spec's heads to their types.
pub fn with_head<V: HeadVisitor>(kind: Kind, visitor: V) -> V::Output {
    match kind {
        Kind::SoftmaxCrossEntropy => visitor.visit(SoftmaxCrossEntropy),
        Kind::SoftmaxKlDiv => visitor.visit(SoftmaxKlDiv),
        Kind::SigmoidBce => visitor.visit(SigmoidBce),
        Kind::FastSigmoidBce => visitor.visit(FastSigmoidBce),
        Kind::Chain { activation, loss } => element::with_element_loss(
            loss,
            ChainOf {
                activation,
                visitor,
            },
        ),
    }
}

/// Work with a head whose type is known, run by [`with_wide_head`].
pub(crate) trait WideHeadPass {
    /// What the work returns.
    type Output;

    /// Runs the work with `head`. Implementations mark it `#[inline(always)]`, so that it is
    /// compiled inside the wrapper for wide registers.
    fn run<H: Head>(self, head: H) -> Self::Output;
}

/// Runs `pass` with the head `kind` names, as its type, compiled for AVX2 where the CPU has
/// it ([`crate::kernels::with_wide_registers`]): the head's activation, loss and delta are
/// then inlined into one function, where through `Kind` each is a call with a `match`.
pub(crate) fn with_wide_head<P: WideHeadPass>(kind: Kind, pass: P) -> P::Output {
    struct Visit<P>(P);

    impl<P: WideHeadPass> HeadVisitor for Visit<P> {
        type Output = P::Output;

        fn visit<H: Head>(self, head: H) -> P::Output {
            crate::kernels::with_wide_registers(Wide { pass: self.0, head })
        }
    }

    struct Wide<P, H> {
        pass: P,
        head: H,
    }

    impl<P: WideHeadPass, H: Head> crate::kernels::WidePass for Wide<P, H> {
        type Output = P::Output;

        #[inline(always)]
        fn run(self) -> P::Output {
            self.pass.run(self.head)
        }
    }

    with_head(kind, Visit(pass))
}

/// Completes a chained head once its element-wise loss has a type.
struct ChainOf<V> {
    activation: mlp_spec::Activation,
    visitor: V,
}

impl<V: HeadVisitor> element::ElementLossVisitor for ChainOf<V> {
    type Output = V::Output;

    fn visit<L: ElementLoss>(self, loss: L) -> V::Output {
        self.visitor.visit(Chain {
            activation: self.activation,
            loss,
        })
    }
}

struct Activate<'a, T, R> {
    rows: R,
    z: &'a [T],
    a: &'a mut [T],
}

impl<T: Float, R: Dim> HeadVisitor for Activate<'_, T, R> {
    type Output = ();

    fn visit<H: Head>(self, head: H) {
        head.activate(self.rows, self.z, self.a);
    }
}

struct Loss<'a, T, R> {
    rows: R,
    z: &'a [T],
    a: &'a [T],
    y: &'a [T],
    valid: usize,
}

impl<T: Float, R: Dim> HeadVisitor for Loss<'_, T, R> {
    type Output = T;

    fn visit<H: Head>(self, head: H) -> T {
        head.loss(self.rows, self.z, self.a, self.y, self.valid)
    }
}

struct Delta<'a, T, R> {
    loss: Loss<'a, T, R>,
    delta: &'a mut [T],
}

impl<T: Float, R: Dim> HeadVisitor for Delta<'_, T, R> {
    type Output = ();

    fn visit<H: Head>(self, head: H) {
        let Loss {
            rows,
            z,
            a,
            y,
            valid,
        } = self.loss;
        head.delta(rows, z, a, y, valid, self.delta);
    }
}

impl Head for Kind {
    fn activate<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &mut [T]) {
        with_head(*self, Activate { rows, z, a });
    }

    fn loss<T: Float, R: Dim>(&self, rows: R, z: &[T], a: &[T], y: &[T], valid: usize) -> T {
        with_head(
            *self,
            Loss {
                rows,
                z,
                a,
                y,
                valid,
            },
        )
    }

    fn delta<T: Float, R: Dim>(
        &self,
        rows: R,
        z: &[T],
        a: &[T],
        y: &[T],
        valid: usize,
        delta: &mut [T],
    ) {
        let loss = Loss {
            rows,
            z,
            a,
            y,
            valid,
        };
        with_head(*self, Delta { loss, delta });
    }
}
