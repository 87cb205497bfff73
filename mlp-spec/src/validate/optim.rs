//! `optimizer` and `schedule`.

use crate::ir::{Schedule, ScheduleKind, ScheduleUnit, Warmup};
use crate::optimizer::Optimizer;
use crate::read::{Ctx, field, param, parameters, required_count, required_param, show};
use crate::yaml::{Mapping, Path, Value};

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

fn decay_factor(x: f64) -> bool {
    x > 0.0 && x <= 1.0
}

pub(super) fn optimizer(ctx: &mut Ctx, map: &Mapping, path: &Path) -> Option<Optimizer> {
    let Some((value, at)) = field(map, path, "optimizer") else {
        return Some(Optimizer::ALL[0]);
    };
    let (kind, params) = ctx.kind(value, &at, "optimizer", &Optimizer::names())?;
    let mut optimizer = Optimizer::from_name(&kind)?;
    let what = format!("the `{kind}` optimizer");
    parameters(ctx, params, &at, &what, optimizer.parameters_mut(), |key| {
        torch_argument(&kind, key)
    })?;
    Some(optimizer)
}

/// What to write for a `torch.optim` argument that a spec spells otherwise, found under the
/// optimizer `kind`.
fn torch_argument(kind: &str, key: &str) -> Option<String> {
    let help = match (kind, key) {
        ("sgd", "momentum") => {
            "torch's `SGD(momentum=...)` is an optimizer of its own here: \
             `{kind: momentum, momentum: 0.9}` (or `kind: nesterov` for `nesterov=True`)"
        }
        ("sgd", "nesterov") => "torch's `SGD(nesterov=True)` is `{kind: nesterov, momentum: 0.9}`",
        ("adam" | "adamw", "betas") => "write torch's `betas=(b1, b2)` as `beta1: b1, beta2: b2`",
        (kind, "weight_decay") if kind != "adamw" => {
            "torch's `weight_decay` adds `weight_decay * W` to the gradient, which is \
             `regularization: {l2: VALUE}` here (`kind: adamw` takes a decoupled `weight_decay`)"
        }
        _ => return None,
    };
    Some(help.to_owned())
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
        Some((value, at)) => every.and_then(|every| warmup(ctx, value, &at, every)),
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

/// Reads `warmup: {epochs: N}` for a schedule that steps every epoch, `{steps: N}` for one
/// that steps every optimizer step: the key names the unit, and the other unit is an error.
fn warmup(ctx: &mut Ctx, value: &Value, at: &Path, every: ScheduleUnit) -> Option<Option<Warmup>> {
    let (key, other, fix) = match every {
        ScheduleUnit::Epoch => (
            "epochs",
            "steps",
            "write `warmup: {epochs: N}`, or set `every: step` to warm up over optimizer steps",
        ),
        ScheduleUnit::Step => (
            "steps",
            "epochs",
            "write `warmup: {steps: N}`, or set `every: epoch` to warm up over epochs",
        ),
    };
    let map = ctx.mapping(value, at, "`warmup`", &["epochs", "steps"])?;
    if field(map, at, other).is_some() {
        ctx.error(
            &at.key(other),
            format!(
                "this schedule counts {key} (`every: {}`), so its warm-up is in {key}, not {other}",
                every.name()
            ),
            fix,
        );
        return None;
    }
    match field(map, at, key) {
        Some((length, at)) => ctx
            .count(length, &at, key, 0)
            .map(|length| Some(Warmup { length })),
        None => {
            ctx.missing(at, key, "`warmup`", fix);
            None
        }
    }
}
