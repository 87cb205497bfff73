//! Optimizers with torch.optim semantics, written once over flat parameter buffers.
//!
//! The state buffers have the parameters' length and flat order, so each segment of the
//! layout (one weight or bias) is updated with its layer's `lr_scale`. A step allocates
//! nothing.

mod adagrad;
mod adam;
mod rmsprop;
mod sgd;

use mlp_spec::{Optimizer as OptimizerSpec, ParamRole, ParamSegment, Regularization};

pub use adagrad::adagrad;
use adam::bias_corrections;
pub use adam::{AdamStep, adam, decay};
pub use rmsprop::rmsprop;
pub use sgd::{momentum, sgd};

use crate::float::Float;
use crate::kernels::{WidePass, with_wide_registers};
use crate::lines::Lines;

/// An optimizer and its state.
///
/// ```
/// use mlp_runtime::Optimizer;
/// use mlp_runtime::spec::{Optimizer as Spec, ParamRole, ParamSegment, Regularization};
///
/// let spec = Spec::Momentum { lr: 0.1, momentum: 0.9 };
/// let none = Regularization { l2: 0.0, l1: 0.0, bias: false };
/// let mut optimizer = Optimizer::<f64>::new(spec, &none, 1);
/// let layout = [ParamSegment { layer: 0, role: ParamRole::Weight, offset: 0, rows: 1, cols: 1, lr_scale: 1.0 }];
/// let mut params = [1.0];
/// optimizer.step(&mut params, &[2.0], &layout, 0.1);
/// optimizer.step(&mut params, &[2.0], &layout, 0.1);
/// // As torch.optim.SGD with momentum: buffers 2, then 0.9 * 2 + 2 = 3.8.
/// assert!((params[0] - (1.0 - 0.1 * 2.0 - 0.1 * 3.8)).abs() < 1e-15);
/// assert_eq!(optimizer.state_names(), ["momentum_buffer"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer<T> {
    spec: OptimizerSpec,
    /// Whether AdamW's decay reaches biases (`regularization.bias`).
    decay_biases: bool,
    state: Vec<Lines<T>>,
    steps: u64,
}

impl<T: Float> Optimizer<T> {
    /// A fresh optimizer for `param_count` parameters.
    pub fn new(spec: OptimizerSpec, regularization: &Regularization, param_count: usize) -> Self {
        let initial = match spec {
            OptimizerSpec::Adagrad {
                initial_accumulator,
                ..
            } => T::cast(initial_accumulator),
            _ => T::zero(),
        };
        let state = (0..spec.state_buffers())
            .map(|_| Lines::filled(initial, param_count))
            .collect();
        Optimizer {
            spec,
            decay_biases: regularization.bias,
            state,
            steps: 0,
        }
    }

    /// The optimizer's spec.
    pub fn spec(&self) -> &OptimizerSpec {
        &self.spec
    }

    /// Steps taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// PyTorch's names of the state buffers, in the order of [`Optimizer::state`].
    pub fn state_names(&self) -> &'static [&'static str] {
        match self.spec {
            OptimizerSpec::Sgd { .. } => &[],
            OptimizerSpec::Momentum { .. } | OptimizerSpec::Nesterov { .. } => &["momentum_buffer"],
            OptimizerSpec::Adagrad { .. } => &["sum"],
            OptimizerSpec::Rmsprop { .. } => &["square_avg"],
            OptimizerSpec::Adam { .. } | OptimizerSpec::Adamw { .. } => &["exp_avg", "exp_avg_sq"],
        }
    }

    /// The state buffers, each in the flat parameter order.
    pub fn state(&self) -> &[Lines<T>] {
        &self.state
    }

    /// The state buffers and the step count, mutably (to restore a checkpoint).
    pub fn state_mut(&mut self) -> (&mut [Lines<T>], &mut u64) {
        (&mut self.state, &mut self.steps)
    }

    /// Counts a step that a model took itself ([`Model::fused_sgd_step`](crate::Model::fused_sgd_step)),
    /// or that threads took by parts ([`Optimizer::next_step`]).
    pub(crate) fn count_step(&mut self) {
        self.steps += 1;
    }

    /// Updates `params` from `grads` with the learning rate `lr` (times each layer's
    /// `lr_scale`).
    ///
    /// # Panics
    ///
    /// If the buffers are shorter than the layout.
    pub fn step(&mut self, params: &mut [T], grads: &[T], layout: &[ParamSegment], lr: f64) {
        self.steps += 1;
        let rule = self.rule();
        let (first, second) = moments(&mut self.state);
        let part = Part {
            start: 0,
            params,
            first,
            second,
        };
        part.update(rule, grads, layout, lr);
    }

    /// Starts a step that updates the parameters in parts, each of which may go to another
    /// thread (`Part::update`): counts the step, and cuts the parameters, their gradients and
    /// the state into `parts` runs of whole cache lines. Every part gets the values a whole
    /// [`Optimizer::step`] would give it.
    pub(crate) fn parts<'a>(
        &'a mut self,
        params: &'a mut [T],
        grads: &'a mut [T],
        parts: usize,
    ) -> (Rule, PartsOf<'a, T>) {
        self.steps += 1;
        let rule = self.rule();
        let (first, second) = moments(&mut self.state);
        let line = 64 / std::mem::size_of::<T>();
        let length = params.len().div_ceil(parts.max(1)).div_ceil(line) * line;
        let rest = Part {
            start: 0,
            params,
            first,
            second,
        };
        (
            rule,
            PartsOf {
                rest,
                grads,
                length,
            },
        )
    }

    /// The next step's rule and the state buffers, for a step whose threads update the parts
    /// of the parameters they own, wherever those are ([`Part::new`]); the step counts
    /// itself ([`Optimizer::count_step`]) once it has updated, and not if it has not.
    pub(crate) fn next_step(&mut self) -> (Rule, &mut [T], &mut [T]) {
        let rule = Rule {
            steps: self.steps + 1,
            ..self.rule()
        };
        let (first, second) = moments(&mut self.state);
        (rule, first, second)
    }

    /// What a step applies to every part: the kind, hyper-parameters and step number.
    fn rule(&self) -> Rule {
        Rule {
            spec: self.spec,
            steps: self.steps,
            decay_biases: self.decay_biases,
        }
    }
}

/// The optimizer's state buffers (unused ones empty).
fn moments<T>(state: &mut [Lines<T>]) -> (&mut [T], &mut [T]) {
    match state {
        [] => (&mut [], &mut []),
        [first] => (first, &mut []),
        [first, second] => (first, second),
        // `new` allocates at most two buffers.
        _ => unreachable!("optimizers keep at most two state buffers"),
    }
}

/// What one step of an optimizer applies to any part of the parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rule {
    spec: OptimizerSpec,
    /// The step's number, from 1.
    steps: u64,
    decay_biases: bool,
}

/// The parameters from `start` on, and the optimizer's state for them.
pub(crate) struct Part<'a, T> {
    start: usize,
    params: &'a mut [T],
    first: &'a mut [T],
    second: &'a mut [T],
}

impl<'a, T: Float> Part<'a, T> {
    /// The parameters `params` from `start` on, with their state in `first` and `second`
    /// (as long as `params`, or empty when the optimizer keeps no such buffer).
    pub(crate) fn new(
        start: usize,
        params: &'a mut [T],
        first: &'a mut [T],
        second: &'a mut [T],
    ) -> Self {
        Part {
            start,
            params,
            first,
            second,
        }
    }

    /// Where the part starts in the flat buffers.
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    /// Updates the part from its gradients `grads`, compiled for AVX2 when the CPU has it
    /// (element-wise loops, in the same order either way).
    pub(crate) fn update(self, rule: Rule, grads: &[T], layout: &[ParamSegment], lr: f64) {
        with_wide_registers(Step {
            rule,
            part: self,
            grads,
            layout,
            lr,
        });
    }
}

/// The parts of [`Optimizer::parts`], each with its gradients.
pub(crate) struct PartsOf<'a, T> {
    rest: Part<'a, T>,
    grads: &'a mut [T],
    length: usize,
}

impl<'a, T> Iterator for PartsOf<'a, T> {
    type Item = (Part<'a, T>, &'a mut [T]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.params.is_empty() {
            return None;
        }
        let cut = self.length.min(self.rest.params.len());
        let split = |slice: &mut &'a mut [T]| {
            let at = cut.min(slice.len());
            let (head, tail) = std::mem::take(slice).split_at_mut(at);
            *slice = tail;
            head
        };
        let part = Part {
            start: self.rest.start,
            params: split(&mut self.rest.params),
            first: split(&mut self.rest.first),
            second: split(&mut self.rest.second),
        };
        self.rest.start += cut;
        Some((part, split(&mut self.grads)))
    }
}

/// One update of a part, compiled for AVX2 when the CPU has it.
struct Step<'a, T> {
    rule: Rule,
    part: Part<'a, T>,
    grads: &'a [T],
    layout: &'a [ParamSegment],
    lr: f64,
}

impl<T: Float> WidePass for Step<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        update(self.rule, self.part, self.grads, self.layout, self.lr);
    }
}

/// The body of [`Part::update`].
#[inline(always)]
fn update<T: Float>(rule: Rule, part: Part<'_, T>, grads: &[T], layout: &[ParamSegment], lr: f64) {
    let Part {
        start,
        params,
        first,
        second,
    } = part;
    let segments = Segments {
        layout,
        start,
        end: start + params.len(),
        lr,
    };
    // One match per step, not per segment, so that nothing one kind needs (Adam's bias
    // corrections) is computed for another.
    match rule.spec {
        OptimizerSpec::Sgd { .. } => segments.each(|_, range, lr| {
            sgd(&mut params[range.clone()], &grads[range], T::cast(lr));
        }),
        OptimizerSpec::Momentum { momentum: mu, .. }
        | OptimizerSpec::Nesterov { momentum: mu, .. } => {
            let nesterov = matches!(rule.spec, OptimizerSpec::Nesterov { .. });
            segments.each(|_, range, lr| {
                let (p, g) = (&mut params[range.clone()], &grads[range.clone()]);
                momentum(p, g, &mut first[range], T::cast(lr), T::cast(mu), nesterov);
            });
        }
        OptimizerSpec::Adagrad { eps, .. } => segments.each(|_, range, lr| {
            let (p, g) = (&mut params[range.clone()], &grads[range.clone()]);
            adagrad(p, g, &mut first[range], T::cast(lr), T::cast(eps));
        }),
        OptimizerSpec::Rmsprop { alpha, eps, .. } => segments.each(|_, range, lr| {
            let (p, g) = (&mut params[range.clone()], &grads[range.clone()]);
            let (lr, alpha, eps) = (T::cast(lr), T::cast(alpha), T::cast(eps));
            rmsprop(p, g, &mut first[range], lr, alpha, eps);
        }),
        OptimizerSpec::Adam {
            beta1, beta2, eps, ..
        }
        | OptimizerSpec::Adamw {
            beta1, beta2, eps, ..
        } => {
            let weight_decay = match rule.spec {
                OptimizerSpec::Adamw { weight_decay, .. } => Some(weight_decay),
                _ => None,
            };
            let corrections = bias_corrections(beta1, beta2, rule.steps);
            segments.each(|segment, range, lr| {
                let p = &mut params[range.clone()];
                if let Some(weight_decay) = weight_decay
                    && (segment.role == ParamRole::Weight || rule.decay_biases)
                {
                    decay(p, T::cast(lr), T::cast(weight_decay));
                }
                let hyper = AdamStep::with_corrections(lr, beta1, beta2, eps, corrections);
                adam(
                    p,
                    &grads[range.clone()],
                    &mut first[range.clone()],
                    &mut second[range],
                    hyper,
                );
            });
        }
    }
}

/// The parameter segments of a layout (not the buffers) within the flat positions
/// `start..end`.
struct Segments<'a> {
    layout: &'a [ParamSegment],
    start: usize,
    end: usize,
    lr: f64,
}

impl Segments<'_> {
    /// Calls `update` with each segment's part within `start..end`, as a range from `start`,
    /// and its learning rate (`lr` times the layer's `lr_scale`).
    #[inline(always)]
    fn each(&self, mut update: impl FnMut(&ParamSegment, std::ops::Range<usize>, f64)) {
        // Buffers (batch norm's running statistics) are state, not parameters.
        for segment in self.layout.iter().filter(|s| !s.role.is_buffer()) {
            let range = segment.range();
            let (from, to) = (range.start.max(self.start), range.end.min(self.end));
            if from < to {
                update(
                    segment,
                    from - self.start..to - self.start,
                    self.lr * segment.lr_scale,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Vec<ParamSegment> {
        let segment = |layer, role, offset, lr_scale| ParamSegment {
            layer,
            role,
            offset,
            rows: 1,
            cols: 1,
            lr_scale,
        };
        vec![
            segment(0, ParamRole::Weight, 0, 1.0),
            segment(0, ParamRole::Bias, 1, 1.0),
            segment(1, ParamRole::Weight, 2, 0.5),
            segment(1, ParamRole::Bias, 3, 0.5),
        ]
    }

    #[test]
    fn lr_scale_multiplies_each_layers_rate() {
        let no_reg = Regularization {
            l2: 0.0,
            l1: 0.0,
            bias: false,
        };
        let mut sgd = Optimizer::<f64>::new(OptimizerSpec::Sgd { lr: 0.1 }, &no_reg, 4);
        let mut params = [1.0; 4];
        sgd.step(&mut params, &[1.0; 4], &layout(), 0.1);
        assert_eq!(params, [0.9, 0.9, 0.95, 0.95]);
        assert_eq!(sgd.steps(), 1);
    }

    #[test]
    fn adamw_decays_weights_only_unless_biases_are_regularised() {
        let spec = OptimizerSpec::Adamw {
            lr: 0.1,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.5,
        };
        let run = |bias| {
            let reg = Regularization {
                l2: 0.0,
                l1: 0.0,
                bias,
            };
            let mut opt = Optimizer::<f64>::new(spec, &reg, 4);
            let mut params = [1.0; 4];
            opt.step(&mut params, &[0.0; 4], &layout(), 0.1);
            params
        };
        // A zero gradient leaves Adam's step at zero, so only the decay moves parameters.
        assert_eq!(run(false), [0.95, 1.0, 0.975, 1.0]);
        assert_eq!(run(true), [0.95, 0.95, 0.975, 0.975]);
    }

    #[test]
    fn state_has_pytorch_names_and_initial_values() {
        let no_reg = Regularization {
            l2: 0.0,
            l1: 0.0,
            bias: false,
        };
        let adagrad = OptimizerSpec::Adagrad {
            lr: 0.1,
            eps: 1e-10,
            initial_accumulator: 0.25,
        };
        let opt = Optimizer::<f32>::new(adagrad, &no_reg, 3);
        assert_eq!(opt.state_names(), ["sum"]);
        assert_eq!(&*opt.state()[0], &[0.25; 3]);
        let adam = OptimizerSpec::Adam {
            lr: 0.1,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        };
        assert_eq!(
            Optimizer::<f32>::new(adam, &no_reg, 3).state_names(),
            ["exp_avg", "exp_avg_sq"]
        );
    }

    #[test]
    fn an_update_in_parts_equals_the_whole_step() {
        let layout = dense_layout_of(&[(7, 5, 1.0), (5, 3, 0.5)]);
        let len = 7 * 5 + 5 + 5 * 3 + 3;
        let grads: Vec<f32> = (0..len)
            .map(|i| ((i * 37 % 11) as f32 - 5.0) / 7.0)
            .collect();
        let reg = Regularization {
            l2: 0.0,
            l1: 0.0,
            bias: true,
        };
        for spec in [
            OptimizerSpec::Sgd { lr: 0.1 },
            OptimizerSpec::Nesterov {
                lr: 0.1,
                momentum: 0.9,
            },
            OptimizerSpec::Adamw {
                lr: 0.01,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.1,
            },
        ] {
            let mut whole = Optimizer::<f32>::new(spec, &reg, len);
            let mut params = vec![0.5f32; len];
            for parts in [1, 2, 3, 5] {
                let mut split = whole.clone();
                let mut split_params = params.clone();
                let mut split_grads = grads.clone();
                let (rule, pieces) = split.parts(&mut split_params, &mut split_grads, parts);
                let mut count = 0;
                for (part, grads) in pieces {
                    part.update(rule, grads, &layout, 0.1);
                    count += 1;
                }
                assert!(count <= parts.max(2), "{count} parts of {len} values");
                let mut whole = whole.clone();
                let mut whole_params = params.clone();
                whole.step(&mut whole_params, &grads, &layout, 0.1);
                assert_eq!(split_params, whole_params, "{spec:?} in {parts} parts");
                assert_eq!(split, whole, "{spec:?} state in {parts} parts");
            }
            whole.step(&mut params, &grads, &layout, 0.1);
        }
    }

    fn dense_layout_of(layers: &[(usize, usize, f64)]) -> Vec<ParamSegment> {
        let mut offset = 0;
        let mut layout = Vec::new();
        for (layer, &(inputs, units, lr_scale)) in layers.iter().enumerate() {
            for (role, cols) in [(ParamRole::Weight, inputs), (ParamRole::Bias, 1)] {
                layout.push(ParamSegment {
                    layer,
                    role,
                    offset,
                    rows: units,
                    cols,
                    lr_scale,
                });
                offset += units * cols;
            }
        }
        layout
    }
}
