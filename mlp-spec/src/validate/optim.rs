//! `optimizer` and `schedule`.

use super::read::{Ctx, field, param, required_count, required_param, show};
use crate::ir::{Optimizer, Schedule, ScheduleKind, ScheduleUnit, Warmup};
use crate::yaml::{Mapping, Path, Value};

const OPTIMIZERS: &[&str] = &[
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
];
const SCHEDULES: &[&str] = &[
    "constant",
    "step",
    "exponential",
    "inverse_time",
    "inverse_sqrt",
    "polynomial",
    "cosine",
];

fn positive(x: f64) -> bool {
    x > 0.0
}

fn non_negative(x: f64) -> bool {
    x >= 0.0
}

fn unit_interval(x: f64) -> bool {
    (0.0..1.0).contains(&x)
}

fn decay_factor(x: f64) -> bool {
    x > 0.0 && x <= 1.0
}

pub(super) fn optimizer(ctx: &mut Ctx, map: &Mapping, path: &Path) -> Option<Optimizer> {
    let Some((value, at)) = field(map, path, "optimizer") else {
        return Some(Optimizer::Sgd { lr: 0.01 });
    };
    let (kind, params) = ctx.kind(value, &at, "optimizer", OPTIMIZERS)?;
    let allowed: &[&str] = match kind.as_str() {
        "sgd" => &["kind", "lr"],
        "momentum" | "nesterov" => &["kind", "lr", "momentum"],
        "adagrad" => &["kind", "lr", "eps", "initial_accumulator"],
        "rmsprop" => &["kind", "lr", "alpha", "eps"],
        "adam" => &["kind", "lr", "beta1", "beta2", "eps"],
        _ => &["kind", "lr", "beta1", "beta2", "eps", "weight_decay"],
    };
    if let Some(params) = params {
        ctx.keys(params, &at, &format!("the `{kind}` optimizer"), allowed);
    }
    let default_lr = if kind.starts_with("adam") { 1e-3 } else { 1e-2 };
    let lr = param(ctx, params, &at, "lr", default_lr, "> 0", positive);
    let momentum = |ctx: &mut Ctx| {
        param(
            ctx,
            params,
            &at,
            "momentum",
            0.9,
            "in [0, 1)",
            unit_interval,
        )
    };
    let eps = |ctx: &mut Ctx, default| param(ctx, params, &at, "eps", default, "> 0", positive);
    let beta = |ctx: &mut Ctx, key, default| {
        param(ctx, params, &at, key, default, "in [0, 1)", unit_interval)
    };
    let optimizer = match kind.as_str() {
        "sgd" => Optimizer::Sgd { lr: lr? },
        "momentum" => Optimizer::Momentum {
            lr: lr?,
            momentum: momentum(ctx)?,
        },
        "nesterov" => {
            let momentum = param(ctx, params, &at, "momentum", 0.9, "in (0, 1)", |m| {
                m > 0.0 && m < 1.0
            });
            Optimizer::Nesterov {
                lr: lr?,
                momentum: momentum?,
            }
        }
        "adagrad" => {
            let eps = eps(ctx, 1e-10);
            let initial = param(
                ctx,
                params,
                &at,
                "initial_accumulator",
                0.0,
                ">= 0",
                non_negative,
            );
            Optimizer::Adagrad {
                lr: lr?,
                eps: eps?,
                initial_accumulator: initial?,
            }
        }
        "rmsprop" => {
            let alpha = param(ctx, params, &at, "alpha", 0.99, "in [0, 1)", unit_interval);
            let eps = eps(ctx, 1e-8);
            Optimizer::Rmsprop {
                lr: lr?,
                alpha: alpha?,
                eps: eps?,
            }
        }
        _ => {
            let beta1 = beta(ctx, "beta1", 0.9);
            let beta2 = beta(ctx, "beta2", 0.999);
            let eps = eps(ctx, 1e-8);
            if kind == "adam" {
                Optimizer::Adam {
                    lr: lr?,
                    beta1: beta1?,
                    beta2: beta2?,
                    eps: eps?,
                }
            } else {
                let decay = param(ctx, params, &at, "weight_decay", 0.01, ">= 0", non_negative);
                Optimizer::Adamw {
                    lr: lr?,
                    beta1: beta1?,
                    beta2: beta2?,
                    eps: eps?,
                    weight_decay: decay?,
                }
            }
        }
    };
    Some(optimizer)
}

pub(super) fn schedule(ctx: &mut Ctx, map: &Mapping, path: &Path) -> Option<Schedule> {
    let Some((value, at)) = field(map, path, "schedule") else {
        return Some(Schedule {
            kind: ScheduleKind::Constant,
            every: ScheduleUnit::Epoch,
            warmup: None,
        });
    };
    let (kind, params) = ctx.kind(value, &at, "schedule", SCHEDULES)?;
    let allowed: &[&str] = match kind.as_str() {
        "step" => &["kind", "every", "warmup", "step_size", "gamma"],
        "exponential" => &["kind", "every", "warmup", "gamma"],
        "inverse_time" => &["kind", "every", "warmup", "decay"],
        "polynomial" => &["kind", "every", "warmup", "power", "end_lr", "horizon"],
        "cosine" => &["kind", "every", "warmup", "horizon", "min_lr"],
        _ => &["kind", "every", "warmup"],
    };
    if let Some(params) = params {
        ctx.keys(params, &at, &format!("the `{kind}` schedule"), allowed);
    }
    let every = match params.and_then(|p| field(p, &at, "every")) {
        None => Some(ScheduleUnit::Epoch),
        Some((Value::String(unit), _)) if unit == "epoch" => Some(ScheduleUnit::Epoch),
        Some((Value::String(unit), _)) if unit == "step" => Some(ScheduleUnit::Step),
        Some((other, at)) => {
            ctx.error(
                &at,
                format!("`every` must be `epoch` or `step`, found {}", show(other)),
                "",
            );
            None
        }
    };
    let warmup = match params.and_then(|p| field(p, &at, "warmup")) {
        None | Some((Value::Null, _)) => Some(None),
        Some((value, at)) => ctx
            .mapping(value, &at, "`warmup`", &["steps"])
            .and_then(|warmup| match field(warmup, &at, "steps") {
                Some((steps, at)) => ctx
                    .count(steps, &at, "steps", 0)
                    .map(|steps| Some(Warmup { steps })),
                None => {
                    ctx.missing(&at, "steps", "`warmup`", "write `warmup: {steps: N}`");
                    None
                }
            }),
    };
    let kind = match kind.as_str() {
        "constant" => ScheduleKind::Constant,
        "step" => {
            let step_size = required_count(ctx, params, &at, "step", "step_size");
            let gamma = param(ctx, params, &at, "gamma", 0.1, "in (0, 1]", decay_factor);
            ScheduleKind::Step {
                step_size: step_size?,
                gamma: gamma?,
            }
        }
        "exponential" => ScheduleKind::Exponential {
            gamma: required_param(
                ctx,
                params,
                &at,
                "exponential",
                "gamma",
                "in (0, 1]",
                decay_factor,
            )?,
        },
        "inverse_time" => ScheduleKind::InverseTime {
            decay: required_param(ctx, params, &at, "inverse_time", "decay", "> 0", positive)?,
        },
        "inverse_sqrt" => ScheduleKind::InverseSqrt,
        "polynomial" => {
            let power = param(ctx, params, &at, "power", 1.0, "> 0", positive);
            let end_lr = param(ctx, params, &at, "end_lr", 0.0, ">= 0", non_negative);
            let horizon = required_count(ctx, params, &at, "polynomial", "horizon");
            ScheduleKind::Polynomial {
                power: power?,
                end_lr: end_lr?,
                horizon: horizon?,
            }
        }
        _ => {
            let horizon = required_count(ctx, params, &at, "cosine", "horizon");
            let min_lr = param(ctx, params, &at, "min_lr", 0.0, ">= 0", non_negative);
            ScheduleKind::Cosine {
                horizon: horizon?,
                min_lr: min_lr?,
            }
        }
    };
    Some(Schedule {
        kind,
        every: every?,
        warmup: warmup?,
    })
}
