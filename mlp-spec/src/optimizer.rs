//! Optimizers: the names a spec gives them, their parameters with defaults and ranges, and
//! their state. Everything per kind is an exhaustive `match`.

use serde::Serialize;

use crate::parameter::Parameter;

/// An optimizer, with torch.optim semantics.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Optimizer {
    /// Plain gradient descent.
    Sgd {
        /// Learning rate.
        lr: f64,
    },
    /// Heavy-ball momentum (`torch.optim.SGD(momentum=...)`).
    Momentum {
        /// Learning rate.
        lr: f64,
        /// Momentum factor.
        momentum: f64,
    },
    /// Nesterov momentum (`torch.optim.SGD(nesterov=True)`).
    Nesterov {
        /// Learning rate.
        lr: f64,
        /// Momentum factor.
        momentum: f64,
    },
    /// Adagrad.
    Adagrad {
        /// Learning rate.
        lr: f64,
        /// Added to the denominator.
        eps: f64,
        /// Initial value of the squared-gradient accumulator.
        initial_accumulator: f64,
    },
    /// RMSprop.
    Rmsprop {
        /// Learning rate.
        lr: f64,
        /// Smoothing constant.
        alpha: f64,
        /// Added to the denominator.
        eps: f64,
    },
    /// Adam, bias-corrected.
    Adam {
        /// Learning rate.
        lr: f64,
        /// First-moment decay.
        beta1: f64,
        /// Second-moment decay.
        beta2: f64,
        /// Added after the square root.
        eps: f64,
    },
    /// AdamW: Adam with decoupled weight decay.
    Adamw {
        /// Learning rate.
        lr: f64,
        /// First-moment decay.
        beta1: f64,
        /// Second-moment decay.
        beta2: f64,
        /// Added after the square root.
        eps: f64,
        /// Decoupled weight decay.
        weight_decay: f64,
    },
}

const LR: Parameter = Parameter {
    key: "lr",
    expected: "> 0",
    ok: |x| x > 0.0,
};

const EPS: Parameter = Parameter {
    key: "eps",
    expected: "> 0",
    ok: |x| x > 0.0,
};

const MOMENTUM: Parameter = Parameter {
    key: "momentum",
    expected: "in [0, 1)",
    ok: |x| (0.0..1.0).contains(&x),
};

const NESTEROV_MOMENTUM: Parameter = Parameter {
    key: "momentum",
    expected: "in (0, 1)",
    ok: |x| x > 0.0 && x < 1.0,
};

const INITIAL_ACCUMULATOR: Parameter = Parameter {
    key: "initial_accumulator",
    expected: ">= 0",
    ok: |x| x >= 0.0,
};

const ALPHA: Parameter = Parameter {
    key: "alpha",
    expected: "in [0, 1)",
    ok: |x| (0.0..1.0).contains(&x),
};

const BETA1: Parameter = Parameter {
    key: "beta1",
    expected: "in [0, 1)",
    ok: |x| (0.0..1.0).contains(&x),
};

const BETA2: Parameter = Parameter {
    key: "beta2",
    expected: "in [0, 1)",
    ok: |x| (0.0..1.0).contains(&x),
};

const WEIGHT_DECAY: Parameter = Parameter {
    key: "weight_decay",
    expected: ">= 0",
    ok: |x| x >= 0.0,
};

impl Optimizer {
    /// Every optimizer, parameters at their defaults, in the order messages list them.
    pub const ALL: [Optimizer; 7] = [
        Optimizer::Sgd { lr: 0.01 },
        Optimizer::Momentum {
            lr: 0.01,
            momentum: 0.9,
        },
        Optimizer::Nesterov {
            lr: 0.01,
            momentum: 0.9,
        },
        Optimizer::Adagrad {
            lr: 0.01,
            eps: 1e-10,
            initial_accumulator: 0.0,
        },
        Optimizer::Rmsprop {
            lr: 0.01,
            alpha: 0.99,
            eps: 1e-8,
        },
        Optimizer::Adam {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        },
        Optimizer::Adamw {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.01,
        },
    ];

    /// The name used in specs.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Sgd { .. } => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Nesterov { .. } => "nesterov",
            Optimizer::Adagrad { .. } => "adagrad",
            Optimizer::Rmsprop { .. } => "rmsprop",
            Optimizer::Adam { .. } => "adam",
            Optimizer::Adamw { .. } => "adamw",
        }
    }

    /// The optimizer a spec names, with its parameters at their defaults.
    pub fn from_name(name: &str) -> Option<Optimizer> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Every name a spec may use.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(Optimizer::name).collect()
    }

    /// The parameters of this kind, each with its value, in the order messages list them.
    pub fn parameters_mut(&mut self) -> Vec<(Parameter, &mut f64)> {
        match self {
            Optimizer::Sgd { lr } => vec![(LR, lr)],
            Optimizer::Momentum { lr, momentum } => vec![(LR, lr), (MOMENTUM, momentum)],
            Optimizer::Nesterov { lr, momentum } => vec![(LR, lr), (NESTEROV_MOMENTUM, momentum)],
            Optimizer::Adagrad {
                lr,
                eps,
                initial_accumulator,
            } => vec![
                (LR, lr),
                (EPS, eps),
                (INITIAL_ACCUMULATOR, initial_accumulator),
            ],
            Optimizer::Rmsprop { lr, alpha, eps } => vec![(LR, lr), (ALPHA, alpha), (EPS, eps)],
            Optimizer::Adam {
                lr,
                beta1,
                beta2,
                eps,
            } => vec![(LR, lr), (BETA1, beta1), (BETA2, beta2), (EPS, eps)],
            Optimizer::Adamw {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            } => vec![
                (LR, lr),
                (BETA1, beta1),
                (BETA2, beta2),
                (EPS, eps),
                (WEIGHT_DECAY, weight_decay),
            ],
        }
    }

    /// The base learning rate.
    pub fn lr(&self) -> f64 {
        match *self {
            Optimizer::Sgd { lr }
            | Optimizer::Momentum { lr, .. }
            | Optimizer::Nesterov { lr, .. }
            | Optimizer::Adagrad { lr, .. }
            | Optimizer::Rmsprop { lr, .. }
            | Optimizer::Adam { lr, .. }
            | Optimizer::Adamw { lr, .. } => lr,
        }
    }

    /// How many state buffers of the parameters' size the optimizer keeps.
    pub fn state_buffers(&self) -> usize {
        match self {
            Optimizer::Sgd { .. } => 0,
            Optimizer::Momentum { .. }
            | Optimizer::Nesterov { .. }
            | Optimizer::Adagrad { .. }
            | Optimizer::Rmsprop { .. } => 1,
            Optimizer::Adam { .. } | Optimizer::Adamw { .. } => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_optimizer_is_found_by_its_name_and_documented() {
        for optimizer in Optimizer::ALL {
            assert_eq!(Optimizer::from_name(optimizer.name()), Some(optimizer));
            let row = format!("| `{}`", optimizer.name());
            assert!(
                include_str!("reference.rs").contains(&row),
                "the reference documents `{}`",
                optimizer.name()
            );
        }
    }
}
