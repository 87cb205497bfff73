//! The dynamic engine's passes: the layer API's calls, in a loop over the plan's layers, in
//! the order compiled networks unroll them.
//!
//! Unlike a compiled network's, these passes are not compiled as one AVX2 function
//! (`with_wide_registers`): the kernels they call pick AVX2 themselves, and a whole pass in one
//! such function made small networks slower (2-8-1's inference and training at one sample
//! about 10% slower than with the kernels' own dispatch, measured with `scripts/ab_bench.sh`).

use mlp_spec::{Plan, Regularization};

use super::DynNetwork;
use crate::float::Float;
use crate::layer::{DeferredUpdate, Dense, Pass, SharedProduct};
use crate::loss::{Targets, descend_unless_diverged};
use crate::regularization::{add_penalty_gradient, penalty};

/// Every layer's activations for `count` samples into `tape`.
#[inline(always)]
pub(super) fn forward<T: Float>(
    plan: &Plan,
    params: &[T],
    inputs: &[T],
    tape: &mut [T],
    pass: Pass,
) {
    let count = pass.valid;
    for hidden in &plan.hidden {
        Dense::hidden(plan, hidden, count).forward(params, inputs, tape, pass);
    }
    Dense::output(plan, count).forward_head(params, inputs, tape);
}

/// [`forward`] of one sample in evaluation, with the first layer's product shared out to
/// threads by `shared`.
pub(super) fn forward_shared<T: Float>(
    plan: &Plan,
    params: &[T],
    input: &[T],
    tape: &mut [T],
    shared: &SharedProduct<T>,
) {
    // The plan shares out its first product, so it has a first hidden layer.
    Dense::hidden(plan, &plan.hidden[0], 1).forward_shared(input, tape, shared);
    forward_above_first(plan, params, input, tape);
}

/// [`forward`] of one sample in evaluation above its first layer, once that layer has run.
#[inline(always)]
fn forward_above_first<T: Float>(plan: &Plan, params: &[T], input: &[T], tape: &mut [T]) {
    for hidden in &plan.hidden[1..] {
        Dense::hidden(plan, hidden, 1).forward(params, input, tape, Pass::eval(1));
    }
    Dense::output(plan, 1).forward_head(params, input, tape);
}

/// The head's mean loss over `count` samples, after [`forward`].
#[inline(always)]
pub(super) fn loss<T: Float>(
    plan: &Plan,
    tape: &mut [T],
    targets: Targets<'_, T>,
    count: usize,
) -> T {
    Dense::output(plan, count).loss(tape, targets, count)
}

/// The network's outputs for `count` samples in a tape after [`forward`].
pub(super) fn outputs<'t, T>(plan: &Plan, tape: &'t [T], count: usize) -> &'t [T] {
    let (units, start) = (plan.output.units, 3 * count * plan.output.tape);
    &tape[start + units * count..start + 2 * units * count]
}

/// The forward and backward pass over the pass's samples: the gradient of the mean loss and
/// the penalty into `grads`; returns the loss with the penalty.
#[inline(always)]
pub(super) fn backward<T: Float>(
    network: &DynNetwork<T>,
    tape: &mut [T],
    inputs: &[T],
    targets: Targets<'_, T>,
    pass: Pass,
    grads: &mut [T],
    regularization: &Regularization,
) -> T {
    let (plan, params, count) = (&network.plan, &network.params[..], pass.valid);
    forward(plan, params, inputs, tape, pass);
    let loss = loss(plan, tape, targets, count);
    let output = Dense::output(plan, count);
    output.delta(tape, targets, count);
    output.gradients(params, inputs, tape, grads, pass);
    let mut below = plan
        .hidden
        .iter()
        .rev()
        .map(|h| Dense::hidden(plan, h, count));
    if let Some(last) = below.clone().next() {
        output.propagate(&last, params, tape, pass);
    }
    while let Some(layer) = below.next() {
        layer.gradients(params, inputs, tape, grads, pass);
        if let Some(next) = below.clone().next() {
            layer.propagate(&next, params, tape, pass);
        }
    }
    let layout = &network.layout;
    add_penalty_gradient(params, grads, layout, regularization);
    loss + penalty(params, layout, regularization)
}

/// Moves the running statistics of normalised layers towards those of the training pass of
/// `count` samples in `tape`.
pub(super) fn update_statistics<T: Float>(
    plan: &Plan,
    params: &mut [T],
    tape: &mut [T],
    count: usize,
) {
    for hidden in &plan.hidden {
        Dense::hidden(plan, hidden, count).update_statistics(params, tape, count);
    }
}

/// The forward pass and a fused SGD step over `count` samples of the parameters, the tape
/// and `scratch` for what the kernels cannot keep in registers (the three `buffers`); returns
/// the loss (and updates nothing if it is not finite). With `held` (one sample), the first
/// layer applies the step it holds in the forward pass and holds its own.
#[inline(always)]
pub(super) fn descend<T: Float>(
    plan: &Plan,
    (params, tape, scratch): (&mut [T], &mut [T], &mut [T]),
    inputs: &[T],
    targets: Targets<'_, T>,
    count: usize,
    lr: f64,
    held: Option<&mut DeferredUpdate<T>>,
) -> T {
    let held = forward_to_descend(plan, params, inputs, tape, count, held);
    descend_after_forward(
        plan,
        (params, tape, scratch),
        inputs,
        targets,
        count,
        lr,
        held,
    )
}

/// The forward pass of [`descend`]; with `held` (one sample), the first layer first applies
/// the step it holds, and `held` is returned for the step's own.
#[inline(always)]
pub(super) fn forward_to_descend<'h, T: Float>(
    plan: &Plan,
    params: &mut [T],
    inputs: &[T],
    tape: &mut [T],
    count: usize,
    held: Option<&'h mut DeferredUpdate<T>>,
) -> Option<&'h mut DeferredUpdate<T>> {
    match held {
        Some(held) => {
            forward_held(plan, params, inputs, tape, held);
            Some(held)
        }
        None => {
            forward(plan, params, inputs, tape, Pass::eval(count));
            None
        }
    }
}

/// The loss and fused SGD step of [`descend`] after [`forward_to_descend`] left its pass in
/// the tape; with `held`, the first layer's weight step is held there.
#[inline(always)]
pub(super) fn descend_after_forward<T: Float>(
    plan: &Plan,
    (params, tape, scratch): (&mut [T], &mut [T], &mut [T]),
    inputs: &[T],
    targets: Targets<'_, T>,
    count: usize,
    lr: f64,
    held: Option<&mut DeferredUpdate<T>>,
) -> T {
    let output = Dense::output(plan, count);
    // The loss first, whatever the head assures: this engine's update is a chain of calls,
    // and with the loss after it, one-sample steps took longer (2-8-1 147-162 ns against
    // 141-146, 4-16-16-3 300-306 ns against 283-291).
    descend_unless_diverged(
        &mut (params, tape, scratch),
        false,
        |(_, tape, _)| output.loss(tape, targets, count),
        |(params, tape, scratch)| {
            let buffers = (&mut **params, &mut **tape, &mut **scratch);
            descend_layers(plan, buffers, inputs, targets, count, lr, held);
        },
    )
}

/// [`forward`] of one sample whose first layer first applies the step `held` holds.
#[inline(always)]
fn forward_held<T: Float>(
    plan: &Plan,
    params: &mut [T],
    inputs: &[T],
    tape: &mut [T],
    held: &mut DeferredUpdate<T>,
) {
    // The plan defers its first layer's update, so it has a first hidden layer.
    Dense::hidden(plan, &plan.hidden[0], 1).forward_held(params, inputs, tape, held);
    forward_above_first(plan, params, inputs, tape);
}

/// The fused SGD step of [`descend`] after the forward pass: the head's delta, then each
/// layer's update, from the output layer down.
#[inline(always)]
fn descend_layers<T: Float>(
    plan: &Plan,
    (params, tape, scratch): (&mut [T], &mut [T], &mut [T]),
    inputs: &[T],
    targets: Targets<'_, T>,
    count: usize,
    lr: f64,
    mut held: Option<&mut DeferredUpdate<T>>,
) {
    let output = Dense::output(plan, count);
    output.delta(tape, targets, count);
    let mut below = plan.hidden.iter().rev();
    // The layer below's delta needs this layer's weights before their update.
    if let Some(last) = below.clone().next() {
        output.propagate(
            &Dense::hidden(plan, last, count),
            params,
            tape,
            Pass::eval(count),
        );
    }
    output.descend(params, inputs, tape, scratch, lr * plan.output.lr_scale);
    while let Some(hidden) = below.next() {
        let layer = Dense::hidden(plan, hidden, count);
        if let Some(next) = below.clone().next() {
            let next = Dense::hidden(plan, next, count);
            layer.propagate(&next, params, tape, Pass::eval(count));
        }
        let lr = lr * hidden.dense.lr_scale;
        if below.clone().next().is_none() {
            layer.descend_first(params, inputs, tape, scratch, lr, held.take());
        } else {
            layer.descend(params, inputs, tape, scratch, lr);
        }
    }
}
