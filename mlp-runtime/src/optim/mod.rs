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
    state: Vec<Box<[T]>>,
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
            .map(|_| vec![initial; param_count].into_boxed_slice())
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
    pub fn state(&self) -> &[Box<[T]>] {
        &self.state
    }

    /// The state buffers and the step count, mutably (to restore a checkpoint).
    pub fn state_mut(&mut self) -> (&mut [Box<[T]>], &mut u64) {
        (&mut self.state, &mut self.steps)
    }

    /// Counts a step that a model took itself ([`Model::sgd_step`](crate::Model::sgd_step)).
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
        with_wide_registers(Step {
            optimizer: self,
            params,
            grads,
            layout,
            lr,
        });
    }
}

/// One step of the optimizer, compiled for AVX2 when the CPU has it (element-wise loops over
/// every parameter, in the same order either way).
struct Step<'a, T> {
    optimizer: &'a mut Optimizer<T>,
    params: &'a mut [T],
    grads: &'a [T],
    layout: &'a [ParamSegment],
    lr: f64,
}

impl<T: Float> WidePass for Step<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        update(
            self.optimizer,
            self.params,
            self.grads,
            self.layout,
            self.lr,
        );
    }
}

/// The body of [`Optimizer::step`].
#[inline(always)]
fn update<T: Float>(
    optimizer: &mut Optimizer<T>,
    params: &mut [T],
    grads: &[T],
    layout: &[ParamSegment],
    lr: f64,
) {
    optimizer.steps += 1;
    // One match per step, not per segment, so that nothing one kind needs (Adam's bias
    // corrections) is computed for another.
    match (optimizer.spec, optimizer.state.as_mut_slice()) {
        (OptimizerSpec::Sgd { .. }, _) => each_segment(layout, lr, |_, range, lr| {
            sgd(&mut params[range.clone()], &grads[range], T::cast(lr));
        }),
        (
            OptimizerSpec::Momentum { momentum: mu, .. }
            | OptimizerSpec::Nesterov { momentum: mu, .. },
            [buffer],
        ) => {
            let nesterov = matches!(optimizer.spec, OptimizerSpec::Nesterov { .. });
            each_segment(layout, lr, |_, range, lr| {
                let (p, g) = (&mut params[range.clone()], &grads[range.clone()]);
                momentum(p, g, &mut buffer[range], T::cast(lr), T::cast(mu), nesterov);
            });
        }
        (OptimizerSpec::Adagrad { eps, .. }, [sum]) => each_segment(layout, lr, |_, range, lr| {
            let (p, g) = (&mut params[range.clone()], &grads[range.clone()]);
            adagrad(p, g, &mut sum[range], T::cast(lr), T::cast(eps));
        }),
        (OptimizerSpec::Rmsprop { alpha, eps, .. }, [square_avg]) => {
            each_segment(layout, lr, |_, range, lr| {
                let (p, g) = (&mut params[range.clone()], &grads[range.clone()]);
                let (lr, alpha, eps) = (T::cast(lr), T::cast(alpha), T::cast(eps));
                rmsprop(p, g, &mut square_avg[range], lr, alpha, eps);
            });
        }
        (
            OptimizerSpec::Adam {
                beta1, beta2, eps, ..
            },
            [m, v],
        )
        | (
            OptimizerSpec::Adamw {
                beta1, beta2, eps, ..
            },
            [m, v],
        ) => {
            let weight_decay = match optimizer.spec {
                OptimizerSpec::Adamw { weight_decay, .. } => Some(weight_decay),
                _ => None,
            };
            let corrections = bias_corrections(beta1, beta2, optimizer.steps);
            let decay_biases = optimizer.decay_biases;
            each_segment(layout, lr, |segment, range, lr| {
                let p = &mut params[range.clone()];
                if let Some(weight_decay) = weight_decay
                    && (segment.role == ParamRole::Weight || decay_biases)
                {
                    decay(p, T::cast(lr), T::cast(weight_decay));
                }
                let hyper = AdamStep::with_corrections(lr, beta1, beta2, eps, corrections);
                adam(
                    p,
                    &grads[range.clone()],
                    &mut m[range.clone()],
                    &mut v[range],
                    hyper,
                );
            });
        }
        // `new` allocates exactly `state_buffers()` buffers for each kind.
        _ => unreachable!("optimizer state does not match its kind"),
    }
}

/// Calls `update` with each parameter segment of `layout` (not the buffers), its range in the flat buffers, and its
/// learning rate (`lr` times the layer's `lr_scale`).
fn each_segment(
    layout: &[ParamSegment],
    lr: f64,
    mut update: impl FnMut(&ParamSegment, std::ops::Range<usize>, f64),
) {
    // Buffers (batch norm's running statistics) are state, not parameters.
    for segment in layout.iter().filter(|segment| !segment.role.is_buffer()) {
        update(segment, segment.range(), lr * segment.lr_scale);
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
}
