//! The layer API: every step of a network's passes, for one dense layer, written once and
//! called by both engines.
//!
//! A layer is a [`Dense`] value: its sizes for a pass, where its parameters and activations
//! live, and what follows its product: its activation for a hidden layer, the output head for
//! the output layer. A compiled network's generated code makes one per layer with every size a
//! constant (`Fixed::<4, 16, C>::at(0, 0, Relu)`) and calls them unrolled; the dynamic engine
//! makes them from its plan with run-time sizes (`Dense::hidden`, `Dense::output`) and calls
//! the same functions in a loop. A layer finds its parameters, its input and its activations in
//! the network's flat buffers from the offsets of [`mlp_spec::Dense`].
//!
//! A forward pass calls [`Dense::forward`] on each hidden layer and [`Dense::forward_head`] on
//! the output layer. A backward pass then takes the output layer's [`Dense::loss`] and
//! [`Dense::delta`], and goes down the layers: [`Dense::gradients`] for each, and
//! [`Dense::propagate`] for each but the first, to hand the delta to the layer below. A fused
//! SGD step replaces `gradients` with [`Dense::descend`], after `propagate` (which needs the
//! weights before their update). An on-line session's one-sample steps may hold the first
//! layer's weight update back ([`DeferredUpdate`]): [`Dense::descend_first`] holds it, and the
//! next sample's [`Dense::forward_held`] applies it in the same walk over the weight as its
//! product. A prediction on threads may share the first layer's one-sample product out to them
//! ([`SharedProduct`], through [`Dense::forward_shared`]).
//!
//! A hidden layer may also normalise its batch, drop units and add its input to its output:
//! its [`Extras`], `X`. A plain layer's are [`Plain`], known at compile time to be none, so its
//! code is the same as without them; a [`Decorated`] layer runs the same steps with the
//! extras' work added where it belongs (see [`mlp_spec::Extras`]).

#[cfg(feature = "std")]
mod deferred;
mod extras;
mod norm;
#[cfg(feature = "std")]
mod rows;
#[cfg(feature = "std")]
mod shared;

#[cfg(feature = "std")]
pub use deferred::DeferredUpdate;
pub use extras::{Decorated, Extras, Mode, Norm, Pass, Plain, step_seed, uniform};
#[cfg(feature = "std")]
pub use shared::SharedProduct;

#[cfg(feature = "std")]
use mlp_spec::{Activation as ActivationKind, Head as HeadKind, Hidden, Plan};
#[cfg(feature = "std")]
use nalgebra::Dyn;
use nalgebra::{Const, Dim, DimName};

use crate::activation::Activation;
use crate::float::Float;
use crate::kernels::{Shape, Size, dense};
use crate::loss::{Head, Targets, weigh_delta, weighted_loss};
use extras::Scratch;
use norm::NormParams;

/// A dense layer inside a network's buffers: its sizes for a pass over `columns` samples,
/// where its parameters start, how many units come before it (which places its activations in
/// the tape, see [`mlp_spec::Dense`]), what follows its product, `F`: an [`Activation`] or
/// a [`Head`], and the layer's [`Extras`], `X`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dense<I, O, C, F, X = Plain> {
    shape: Shape<I, O, C>,
    params: usize,
    tape: usize,
    function: F,
    extras: X,
}

/// A dense layer of a compiled network: `I` inputs and `O` units, fixed at compile time.
pub type Fixed<const I: usize, const O: usize, C, F = (), X = Plain> =
    Dense<Const<I>, Const<O>, C, F, X>;

impl<const I: usize, const O: usize, C: DimName> Fixed<I, O, C> {
    /// The layer whose weight starts at `params`, after `tape` units of other layers, whose
    /// product `function` follows.
    #[inline(always)]
    pub fn at<F>(params: usize, tape: usize, function: F) -> Fixed<I, O, C, F> {
        Dense {
            shape: Shape {
                inputs: Const,
                units: Const,
                columns: C::name(),
            },
            params,
            tape,
            function,
            extras: Plain,
        }
    }
}

impl<I, O, C, F> Dense<I, O, C, F> {
    /// The same layer with batch normalisation, dropout or a residual connection.
    #[inline(always)]
    pub fn decorated(self, extras: Decorated) -> Dense<I, O, C, F, Decorated> {
        Dense {
            shape: self.shape,
            params: self.params,
            tape: self.tape,
            function: self.function,
            extras,
        }
    }
}

#[cfg(feature = "std")]
impl<F, X> Dense<Dyn, Dyn, Dyn, F, X> {
    fn dynamic(dense: &mlp_spec::Dense, columns: usize, function: F, extras: X) -> Self {
        Dense {
            shape: Shape {
                inputs: Dyn(dense.inputs),
                units: Dyn(dense.units),
                columns: Dyn(columns),
            },
            params: dense.params,
            tape: dense.tape,
            function,
            extras,
        }
    }
}

#[cfg(feature = "std")]
impl Dense<Dyn, Dyn, Dyn, ActivationKind, Option<Decorated>> {
    /// A hidden layer of a plan, for `columns` samples.
    pub fn hidden(plan: &Plan, hidden: &Hidden, columns: usize) -> Self {
        let extras = hidden.extras.map(|extras| Decorated {
            norm: extras.batch_norm.map(|norm| Norm {
                eps: norm.eps,
                momentum: norm.momentum,
            }),
            residual: extras.residual,
            dropout: extras.dropout,
            layer: extras.layer as u64,
            tape_units: plan.tape_units,
            extra_columns: plan.extra_columns,
            column: extras.column,
            fixed: extras.fixed,
        });
        Self::dynamic(&hidden.dense, columns, hidden.activation, extras)
    }
}

#[cfg(feature = "std")]
impl Dense<Dyn, Dyn, Dyn, HeadKind> {
    /// The output layer of a plan, for `columns` samples.
    pub fn output(plan: &Plan, columns: usize) -> Self {
        Self::dynamic(&plan.output, columns, plan.head, Plain)
    }
}

/// A layer's three blocks of the tape: pre-activations, activations, deltas.
struct Blocks<'t, T> {
    z: &'t mut [T],
    a: &'t mut [T],
    d: &'t mut [T],
}

impl<I: Size, O: Size, C: Dim, F, X: Extras> Dense<I, O, C, F, X> {
    /// The layer's weight and bias (or, normalised, its weight and the normalisation's
    /// vectors).
    #[inline(always)]
    fn params<'p, T>(&self, params: &'p [T]) -> &'p [T] {
        &params[self.params..self.params + self.len()]
    }

    /// The layer's parameters, mutably.
    #[inline(always)]
    fn params_mut<'p, T>(&self, params: &'p mut [T]) -> &'p mut [T] {
        &mut params[self.params..self.params + self.len()]
    }

    /// The layer's scalars in the flat buffer.
    #[inline(always)]
    fn len(&self) -> usize {
        let (i, o, _) = self.shape.sizes();
        let norm = self.extras.get().is_some_and(|e| e.norm.is_some());
        mlp_spec_free_layer_len(i, o, norm)
    }

    /// The blocks of the layer below (empty for the first layer) and the layer's own.
    #[inline(always)]
    fn blocks<'t, T>(&self, tape: &'t mut [T]) -> (Blocks<'t, T>, Blocks<'t, T>) {
        let (i, o, c) = self.shape.sizes();
        let start = 3 * c * self.tape;
        let (below, here) = tape[..start + 3 * o * c].split_at_mut(start);
        let below_block = if self.tape == 0 { 0 } else { i * c };
        let below = &mut below[start - 3 * below_block..];
        let split = |blocks: &'t mut [T], n| {
            let (z, rest) = blocks.split_at_mut(n);
            let (a, d) = rest.split_at_mut(n);
            Blocks { z, a, d }
        };
        (split(below, below_block), split(here, o * c))
    }

    /// The layer's input: `inputs` for the first layer, the layer below's activations after.
    #[inline(always)]
    fn input<'a, T>(&self, inputs: &'a [T], below: &'a [T]) -> &'a [T] {
        if self.tape == 0 {
            let (i, _, c) = self.shape.sizes();
            &inputs[..i * c]
        } else {
            below
        }
    }

    /// `z = W x + b` into the tape; returns the layer's blocks.
    #[inline(always)]
    fn product<'t, T: Float>(
        &self,
        params: &[T],
        inputs: &[T],
        tape: &'t mut [T],
    ) -> Blocks<'t, T> {
        let (below, here) = self.blocks(tape);
        let x = self.input(inputs, below.a);
        dense::forward(self.shape, self.params(params), x, here.z);
        here
    }

    /// The gradient of the layer's parameters from its delta, into `grads` (the whole
    /// network's flat gradient buffer). A normalised layer first turns its delta from
    /// `dL/dz` into `dL/du`, the delta of its product, which the layer below's needs.
    #[inline(always)]
    pub fn gradients<T: Float>(
        &self,
        params: &[T],
        inputs: &[T],
        tape: &mut [T],
        grads: &mut [T],
        pass: Pass,
    ) {
        let Some(extras) = self.extras.get().filter(|e| e.norm.is_some()) else {
            let (below, here) = self.blocks(tape);
            let x = self.input(inputs, below.a);
            return dense::backward_params(self.shape, here.d, x, self.params_mut(grads));
        };
        let (i, o, c) = self.shape.sizes();
        let (layers, rest) = tape.split_at_mut(3 * c * extras.tape_units);
        let (below, here) = self.blocks(layers);
        let scratch = extras.scratch(rest, o, c);
        let gamma = &self.params(params)[o * i..o * (i + 1)];
        let grads = self.params_mut(grads);
        let (weight_grad, vectors) = grads.split_at_mut(o * i);
        let (gamma_grad, vectors) = vectors.split_at_mut(o);
        let (beta_grad, buffers) = vectors.split_at_mut(o);
        norm::backward(
            pass,
            o,
            gamma,
            here.d,
            scratch.xhat,
            scratch.stats,
            gamma_grad,
            beta_grad,
        );
        // The product has no bias; the kernels' sum of the delta (zero but for rounding)
        // lands in the running statistics' part of the gradient, which is then cleared.
        let x = self.input(inputs, below.a);
        let bias_sink = &mut buffers[..o];
        dense::backward_weight(self.shape, here.d, x, weight_grad, bias_sink);
        buffers.fill(T::zero());
    }

    /// The delta of the layer `below`: `W^T d` (plus this layer's `dL/da` when it is
    /// residual) is `dL/da` of the layer below, which its extras and activation turn into
    /// `dL/dz`. Does nothing for the first layer.
    #[inline(always)]
    pub fn propagate<T: Float, J, B: Activation, Y: Extras>(
        &self,
        below: &Dense<J, I, C, B, Y>,
        params: &[T],
        tape: &mut [T],
        pass: Pass,
    ) {
        if self.tape == 0 {
            return;
        }
        let (inputs, _, c) = self.shape.sizes();
        let (extras, below_extras) = (self.extras.get(), below.extras.get());
        let Some(tape_units) = extras.or(below_extras).map(|e| e.tape_units) else {
            let (under, here) = self.blocks(tape);
            dense::backward_inputs(self.shape, self.params(params), here.d, under.d);
            let inputs = self.shape.inputs;
            return below.function.backward(inputs, under.z, under.a, under.d);
        };
        let (layers, rest) = tape.split_at_mut(3 * c * tape_units);
        let (under, here) = self.blocks(layers);
        dense::backward_inputs(self.shape, self.params(params), here.d, under.d);
        if let Some(extras) = extras.filter(|e| e.residual) {
            let own = extras.scratch(rest, self.shape.units.value(), c);
            for (d, &g) in under.d.iter_mut().zip(&*own.g) {
                *d += g;
            }
        }
        let Some(below_extras) = below_extras else {
            return below
                .function
                .backward(self.shape.inputs, under.z, under.a, under.d);
        };
        let scratch = below_extras.scratch(rest, inputs, c);
        if below_extras.residual {
            scratch.g.copy_from_slice(under.d);
        }
        let dropped = below_extras.dropout > 0.0 && pass.training();
        if dropped {
            for (d, &m) in under.d.iter_mut().zip(&*scratch.mask) {
                *d *= m;
            }
        }
        let activated = if below_extras.keeps_h() {
            &*scratch.h
        } else {
            &*under.a
        };
        below
            .function
            .backward(self.shape.inputs, under.z, activated, under.d);
    }

    /// One SGD step of the layer's weight and bias, `p -= lr g` (with `lr` rounded to `T`),
    /// with the gradient of [`Dense::gradients`] computed the same way but never stored;
    /// `scratch` (the network's gradient buffer) holds what cannot stay in registers. Plain
    /// layers only: a plan fuses SGD only when every layer is plain.
    #[inline(always)]
    pub fn descend<T: Float>(
        &self,
        params: &mut [T],
        inputs: &[T],
        tape: &mut [T],
        scratch: &mut [T],
        lr: f64,
    ) {
        let (below, here) = self.blocks(tape);
        let x = self.input(inputs, below.a);
        let (params, scratch) = (self.params_mut(params), self.params_mut(scratch));
        dense::sgd_update(self.shape, here.d, x, params, scratch, T::cast(lr));
    }

    /// The first layer's [`Dense::descend`], or with `held`, for one sample, the bias' step
    /// alone: the weight's is held in `held` for the next sample's [`Dense::forward_held`] (or
    /// [`DeferredUpdate::apply`]). Plain layers only, as for `descend`.
    #[cfg(feature = "std")]
    #[inline(always)]
    pub fn descend_first<T: Float>(
        &self,
        params: &mut [T],
        inputs: &[T],
        tape: &mut [T],
        scratch: &mut [T],
        lr: f64,
        held: Option<&mut DeferredUpdate<T>>,
    ) {
        let Some(held) = held else {
            return self.descend(params, inputs, tape, scratch, lr);
        };
        let (_, here) = self.blocks(tape);
        let shape = self.one_sample();
        let (x, lr) = (&inputs[..shape.inputs.value()], T::cast(lr));
        let (params, scratch) = (self.params_mut(params), self.params_mut(scratch));
        dense::sgd_bias_of_one(shape, here.d, params, scratch, lr);
        held.hold(here.d, x, lr);
    }

    /// The layer's shape for one sample.
    #[cfg(feature = "std")]
    #[inline(always)]
    fn one_sample(&self) -> Shape<I, O, Const<1>> {
        assert_eq!(self.shape.columns.value(), 1, "a held step is one sample's");
        Shape {
            inputs: self.shape.inputs,
            units: self.shape.units,
            columns: Const::<1>,
        }
    }

    /// Moves a normalised layer's running statistics towards those of the last training
    /// pass in `tape`. Does nothing for other layers.
    #[inline(always)]
    pub fn update_statistics<T: Float>(&self, params: &mut [T], tape: &mut [T], valid: usize) {
        let Some((extras, norm)) = self.extras.get().and_then(|e| Some((e, e.norm?))) else {
            return;
        };
        let (i, o, c) = self.shape.sizes();
        let rest = &mut tape[3 * c * extras.tape_units..];
        let scratch = extras.scratch(rest, o, c);
        let buffers = &mut self.params_mut(params)[o * (i + 2)..];
        let (running_mean, running_var) = buffers.split_at_mut(o);
        norm::update(norm, valid, o, scratch.stats, running_mean, running_var);
    }
}

/// [`mlp_spec::ParamSegment::layer_len`], which `no_std` builds (without the spec crate)
/// need too.
#[inline(always)]
const fn mlp_spec_free_layer_len(inputs: usize, units: usize, norm: bool) -> usize {
    units * (inputs + if norm { 4 } else { 1 })
}

impl<I: Size, O: Size, C: Dim, A: Activation, X: Extras> Dense<I, O, C, A, X> {
    /// `z = W x + b`, then `a = f(z)` with the layer's activation, and its extras if it has
    /// any.
    #[inline(always)]
    pub fn forward<T: Float>(&self, params: &[T], inputs: &[T], tape: &mut [T], pass: Pass) {
        let Some(extras) = self.extras.get() else {
            let here = self.product(params, inputs, tape);
            return self.function.forward(self.shape.units, here.z, here.a);
        };
        let (i, o, c) = self.shape.sizes();
        let (layers, rest) = tape.split_at_mut(3 * c * extras.tape_units);
        let (below, here) = self.blocks(layers);
        let x = self.input(inputs, below.a);
        let Scratch {
            xhat,
            h,
            mask,
            stats,
            ..
        } = extras.scratch(rest, o, c);
        let params = self.params(params);
        let weight = &params[..o * i];
        if let Some(norm) = extras.norm {
            let (stats, zero) = stats.split_at_mut(3 * o);
            zero.fill(T::zero());
            dense::forward_with_bias(self.shape, weight, zero, x, here.z);
            let vectors = &params[o * i..];
            let norm_params = NormParams {
                gamma: &vectors[..o],
                beta: &vectors[o..2 * o],
                running_mean: &vectors[2 * o..3 * o],
                running_var: &vectors[3 * o..4 * o],
            };
            norm::forward(norm, norm_params, pass, o, here.z, xhat, stats);
        } else {
            dense::forward(self.shape, params, x, here.z);
        }
        if !extras.keeps_h() {
            return self.function.forward(self.shape.units, here.z, here.a);
        }
        self.function.forward(self.shape.units, here.z, h);
        match pass.mode {
            Mode::Train { seed } if extras.dropout > 0.0 => {
                let keep = T::cast(1.0 / (1.0 - extras.dropout));
                for (index, (m, (a, &h))) in
                    mask.iter_mut().zip(here.a.iter_mut().zip(&*h)).enumerate()
                {
                    let kept = uniform(seed, extras.layer, index as u64) >= extras.dropout;
                    *m = if kept { keep } else { T::zero() };
                    *a = h * *m;
                }
            }
            _ => here.a.copy_from_slice(h),
        }
        if extras.residual {
            for (a, &x) in here.a.iter_mut().zip(x) {
                *a += x;
            }
        }
    }
}

impl<I: Size, O: Size, C: Dim, A: Activation, X: Extras> Dense<I, O, C, A, X> {
    /// The first layer's [`Dense::forward`] of one sample, which first applies the step
    /// `held` holds, if any, in the same walk over the weight as the product (with the bits of
    /// the step and then the product). Plain layers only, as for [`Dense::descend`].
    #[cfg(feature = "std")]
    #[inline(always)]
    pub fn forward_held<T: Float>(
        &self,
        params: &mut [T],
        inputs: &[T],
        tape: &mut [T],
        held: &mut DeferredUpdate<T>,
    ) {
        let shape = self.one_sample();
        let (_, here) = self.blocks(tape);
        let x = &inputs[..shape.inputs.value()];
        if held.forward(shape, self.params_mut(params), x, here.z) {
            self.function.forward(self.shape.units, here.z, here.a);
        } else {
            self.forward(params, inputs, tape, Pass::eval(1));
        }
    }
}

impl<I: Size, O: Size, C: Dim, A: Activation, X: Extras> Dense<I, O, C, A, X> {
    /// The first layer's [`Dense::forward`] of one sample in evaluation, with its product
    /// shared out to threads by `shared` (the bits of one thread's). Plain layers only, the
    /// only ones a [`SharedProduct`] is made for.
    #[cfg(feature = "std")]
    #[inline(always)]
    pub fn forward_shared<T: Float>(
        &self,
        inputs: &[T],
        tape: &mut [T],
        shared: &SharedProduct<T>,
    ) {
        assert!(
            self.extras.get().is_none(),
            "only a plain layer's product is shared out"
        );
        let shape = self.one_sample();
        let (_, here) = self.blocks(tape);
        shared.product(self.params, &inputs[..shape.inputs.value()], here.z);
        self.function.forward(self.shape.units, here.z, here.a);
    }
}

impl<I: Size, O: Size, C: Dim, H: Head> Dense<I, O, C, H, Plain> {
    /// `z = W x + b`, then the output `a` of the layer's head.
    #[inline(always)]
    pub fn forward_head<T: Float>(&self, params: &[T], inputs: &[T], tape: &mut [T]) {
        let here = self.product(params, inputs, tape);
        self.function.activate(self.shape.units, here.z, here.a);
    }

    /// The head's mean loss over the first `valid` columns of the layer's activations, with
    /// the targets' class weights if they have any.
    #[inline(always)]
    pub fn loss<T: Float>(&self, tape: &mut [T], targets: Targets<'_, T>, valid: usize) -> T {
        let (_, here) = self.blocks(tape);
        let (units, weights) = (self.shape.units, targets.class_weights);
        let y = &targets.values[..units.value() * valid];
        if weights.is_empty() {
            self.function.loss(units, here.z, here.a, y, valid)
        } else {
            weighted_loss(&self.function, units, here.z, here.a, y, valid, weights)
        }
    }

    /// Whether the head assures a finite loss over the first `valid` columns before it is
    /// computed ([`Head::assures_finite_loss`]); never with class weights, whose factors the
    /// heads' bounds leave out.
    #[inline(always)]
    pub fn assures_finite_loss<T: Float>(
        &self,
        tape: &mut [T],
        targets: Targets<'_, T>,
        valid: usize,
    ) -> bool {
        let (_, here) = self.blocks(tape);
        let units = self.shape.units;
        let y = &targets.values[..units.value() * valid];
        targets.class_weights.is_empty()
            && self.function.assures_finite_loss(units, here.z, y, valid)
    }

    /// The head's delta `dL/dz` over the first `valid` columns, with the targets' class
    /// weights if they have any, and its subnormal values zero
    /// ([`Float::flush_subnormal`]): a saturated softmax's tiny probabilities, divided by
    /// the batch, would otherwise carry subnormals into every product of the backward pass.
    #[inline(always)]
    pub fn delta<T: Float>(&self, tape: &mut [T], targets: Targets<'_, T>, valid: usize) {
        let (_, here) = self.blocks(tape);
        let (units, weights) = (self.shape.units, targets.class_weights);
        let y = &targets.values[..units.value() * valid];
        self.function.delta(units, here.z, here.a, y, valid, here.d);
        if !weights.is_empty() {
            weigh_delta(units.value(), y, valid, weights, here.d);
        }
        for d in &mut here.d[..units.value() * valid] {
            *d = d.flush_subnormal();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::{Identity, Relu};
    use crate::loss::{Chain, Mse};

    /// A 2-2-1 network by hand: relu hidden layer, identity output, mse; one sample.
    #[test]
    fn one_pass_through_two_layers_matches_hand_computation() {
        // Layer 0: W = [[1, -1], [2, 0.5]] (column-major 1, 2, -1, 0.5), b = [0, -1].
        // Layer 1: W = [[1, 3]], b = [0.5].
        let mut params = [1.0, 2.0, -1.0, 0.5, 0.0, -1.0, 1.0, 3.0, 0.5];
        let hidden = Fixed::<2, 2, Const<1>>::at(0, 0, Relu);
        let head = Chain {
            activation: Identity,
            loss: Mse,
        };
        let output = Fixed::<2, 1, Const<1>>::at(6, 2, head);
        let mut tape = [f64::NAN; 3 * 3];
        let x = [1.0, 2.0];
        hidden.forward(&params, &x, &mut tape, Pass::eval(1));
        output.forward_head(&params, &x, &mut tape);
        // z0 = [1 - 2, 2 + 1 - 1] = [-1, 2], a0 = [0, 2]; z1 = 0 + 6 + 0.5.
        assert_eq!(&tape[..4], &[-1.0, 2.0, 0.0, 2.0]);
        assert_eq!(tape[7], 6.5);
        let target = [4.5];
        assert_eq!(output.loss(&mut tape, Targets::plain(&target), 1), 4.0);
        output.delta(&mut tape, Targets::plain(&target), 1);
        assert_eq!(tape[8], 4.0, "d1 = 2 (yhat - y)");
        let mut grads = [0.0; 9];
        output.gradients(&params, &x, &mut tape, &mut grads, Pass::eval(1));
        output.propagate(&hidden, &params, &mut tape, Pass::eval(1));
        hidden.gradients(&params, &x, &mut tape, &mut grads, Pass::eval(1));
        // d0 = relu'(z0) * W1^T d1 = [0, 12]; dW0 = d0 x^T, db0 = d0; dW1 = d1 a0^T.
        assert_eq!(grads, [0.0, 12.0, 0.0, 24.0, 0.0, 12.0, 0.0, 8.0, 4.0]);
        // Descending gives p - lr g for the output layer.
        let mut scratch = [0.0; 9];
        output.descend(&mut params, &x, &mut tape, &mut scratch, 0.5);
        assert_eq!(&params[6..], &[1.0, 3.0 - 4.0, 0.5 - 2.0]);
    }

    /// A delta below the smallest normal number is zero: MSE's `2 (a - y) / n` of an output
    /// of 2e-38 over four values is 1e-38, subnormal in `f32`.
    #[test]
    fn subnormal_deltas_are_zero() {
        let head = Chain {
            activation: Identity,
            loss: Mse,
        };
        let output = Fixed::<1, 2, Const<2>>::at(0, 0, head);
        let outputs = [2e-38f32, 0.5, 0.0, -1.0];
        let mut tape = [0.0f32; 3 * 4];
        tape[..4].copy_from_slice(&outputs);
        tape[4..8].copy_from_slice(&outputs);
        output.delta(&mut tape, Targets::plain(&[0.0; 4]), 2);
        assert_eq!(&tape[8..], &[0.0, 0.25, 0.0, -0.5]);
    }

    /// Dropout zeroes each unit with probability p and scales the rest by 1 / (1 - p):
    /// 200 000 draws of p = 0.3 keep a share within five standard deviations of 0.7, every
    /// kept unit is exactly `h / (1 - p)`, the mean is kept, masks follow the seed, and
    /// evaluation drops nothing.
    #[cfg(feature = "std")]
    #[test]
    fn dropout_masks_have_the_rate_and_scale_of_their_probability() {
        let spec = mlp_spec::parse(
            "input: 2\nlayers:\n  - {units: 100, activation: identity, dropout: 0.3}\n  - {units: 1}\nloss: mse\n",
        )
        .unwrap();
        let plan = spec.plan();
        let columns = 2000;
        let layer = Dense::hidden(&plan, &plan.hidden[0], columns);
        // Zero weights and a bias of 2: every unit's h is 2.
        let mut params = vec![0.0f64; spec.param_count()];
        params[200..300].fill(2.0);
        let inputs = vec![0.5; 2 * columns];
        let outputs = |mode| {
            let mut tape = vec![0.0; plan.tape_len(columns)];
            let pass = Pass {
                mode,
                valid: columns,
            };
            layer.forward(&params, &inputs, &mut tape, pass);
            tape[100 * columns..200 * columns].to_vec()
        };
        let a = outputs(Mode::Train { seed: 11 });
        let n = a.len() as f64;
        let kept = a.iter().filter(|&&a| a != 0.0).count() as f64;
        let sd = (0.3 * 0.7 / n).sqrt();
        assert!((kept / n - 0.7).abs() < 5.0 * sd, "kept {}", kept / n);
        assert!(a.iter().all(|&a| a == 0.0 || a == 2.0 * (1.0 / 0.7)));
        let mean = a.iter().sum::<f64>() / n;
        assert!((mean - 2.0).abs() < 5.0 * 2.0 / 0.7 * sd, "mean {mean}");
        assert_eq!(
            a,
            outputs(Mode::Train { seed: 11 }),
            "the same seed, the same masks"
        );
        assert_ne!(a, outputs(Mode::Train { seed: 12 }));
        assert!(outputs(Mode::Eval).iter().all(|&a| a == 2.0));
    }
}
