//! The dynamic engine's passes: the layer API's calls, in a loop over the plan's layers, in
//! the order compiled networks unroll them.

use mlp_spec::Plan;

use super::DynNetwork;
use crate::float::Float;
use crate::kernels::WidePass;
use crate::layer::Dense;
use crate::regularization::{add_penalty_gradient, penalty};

/// Every layer's activations for `count` samples into `tape`.
#[inline(always)]
pub(super) fn forward<T: Float>(
    plan: &Plan,
    params: &[T],
    inputs: &[T],
    count: usize,
    tape: &mut [T],
) {
    for hidden in &plan.hidden {
        Dense::hidden(hidden, count).forward(params, inputs, tape);
    }
    Dense::output(plan, count).forward_head(params, inputs, tape);
}

/// The head's mean loss over `count` samples, after [`forward`].
#[inline(always)]
pub(super) fn loss<T: Float>(plan: &Plan, tape: &mut [T], targets: &[T], count: usize) -> T {
    Dense::output(plan, count).loss(tape, targets, count)
}

/// The network's outputs for `count` samples in a tape after [`forward`].
pub(super) fn outputs<'t, T>(plan: &Plan, tape: &'t [T], count: usize) -> &'t [T] {
    let (units, start) = (plan.output.units, 3 * count * plan.output.tape);
    &tape[start + units * count..start + 2 * units * count]
}

/// The forward pass into `outputs`, run by `with_wide_registers`.
pub(super) struct Forward<'a, T> {
    pub(super) network: &'a DynNetwork<T>,
    pub(super) tape: &'a mut [T],
    pub(super) inputs: &'a [T],
    pub(super) count: usize,
    pub(super) outputs: &'a mut [T],
}

impl<T: Float> WidePass for Forward<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let plan = &self.network.plan;
        forward(
            plan,
            &self.network.params,
            self.inputs,
            self.count,
            self.tape,
        );
        let n = plan.output.units * self.count;
        self.outputs[..n].copy_from_slice(outputs(plan, self.tape, self.count));
    }
}

/// The forward and backward pass with the penalty, run by `with_wide_registers`.
pub(super) struct Backward<'a, T> {
    pub(super) network: &'a DynNetwork<T>,
    pub(super) tape: &'a mut [T],
    pub(super) inputs: &'a [T],
    pub(super) targets: &'a [T],
    pub(super) count: usize,
    pub(super) grads: &'a mut [T],
}

impl<T: Float> WidePass for Backward<'_, T> {
    type Output = T;

    #[inline(always)]
    fn run(self) -> T {
        let Backward {
            network,
            tape,
            inputs,
            targets,
            count,
            grads,
        } = self;
        let (plan, params) = (&network.plan, &network.params[..]);
        forward(plan, params, inputs, count, tape);
        let loss = loss(plan, tape, targets, count);
        let output = Dense::output(plan, count);
        output.delta(tape, targets, count);
        output.gradients(inputs, tape, grads);
        let mut below = plan.hidden.iter().rev().map(|h| Dense::hidden(h, count));
        if let Some(last) = below.clone().next() {
            output.propagate(&last, params, tape);
        }
        while let Some(layer) = below.next() {
            layer.gradients(inputs, tape, grads);
            if let Some(next) = below.clone().next() {
                layer.propagate(&next, params, tape);
            }
        }
        let (layout, regularization) = (&network.layout, &network.spec.regularization);
        add_penalty_gradient(params, grads, layout, regularization);
        loss + penalty(params, layout, regularization)
    }
}

/// The forward pass and a fused SGD step, run by `with_wide_registers`.
pub(super) struct Descend<'a, T> {
    pub(super) plan: &'a Plan,
    pub(super) params: &'a mut [T],
    pub(super) tape: &'a mut [T],
    pub(super) inputs: &'a [T],
    pub(super) targets: &'a [T],
    pub(super) count: usize,
    pub(super) scratch: &'a mut [T],
    pub(super) lr: f64,
}

impl<T: Float> WidePass for Descend<'_, T> {
    type Output = T;

    #[inline(always)]
    fn run(self) -> T {
        let Descend {
            plan,
            params,
            tape,
            inputs,
            targets,
            count,
            scratch,
            lr,
        } = self;
        forward(plan, params, inputs, count, tape);
        let loss = loss(plan, tape, targets, count);
        if !loss.as_f64().is_finite() {
            return loss;
        }
        let output = Dense::output(plan, count);
        output.delta(tape, targets, count);
        let mut below = plan.hidden.iter().rev();
        // The layer below's delta needs this layer's weights before their update.
        if let Some(last) = below.clone().next() {
            output.propagate(&Dense::hidden(last, count), params, tape);
        }
        output.descend(params, inputs, tape, scratch, lr * plan.output.lr_scale);
        while let Some(hidden) = below.next() {
            let layer = Dense::hidden(hidden, count);
            if let Some(next) = below.clone().next() {
                layer.propagate(&Dense::hidden(next, count), params, tape);
            }
            layer.descend(params, inputs, tape, scratch, lr * hidden.dense.lr_scale);
        }
        loss
    }
}
