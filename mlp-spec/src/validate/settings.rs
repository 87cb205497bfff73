//! `regularization`, `init` and `training`.

use crate::ir::{
    ClassWeights, EarlyStopping, Init, InitScheme, MAX_THREADS, Monitor, Regularization, Training,
};
use crate::loss::Loss;
use crate::read::{Ctx, field, param, show};
use crate::yaml::{Mapping, Path, Value};

const INIT_SCHEMES: &[&str] = &[
    "zeros",
    "normal",
    "uniform",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
    "lecun_normal",
    "torch_default",
];

fn non_negative(x: f64) -> bool {
    x >= 0.0
}

fn optional<'m>(map: Option<&'m Mapping>, path: &Path, key: &str) -> Option<(&'m Value, Path)> {
    map.and_then(|map| field(map, path, key))
}

fn flag(
    ctx: &mut Ctx,
    map: Option<&Mapping>,
    path: &Path,
    key: &str,
    default: bool,
) -> Option<bool> {
    match optional(map, path, key) {
        Some((value, at)) => ctx.boolean(value, &at, key),
        None => Some(default),
    }
}

fn section<'m>(
    ctx: &mut Ctx,
    map: &'m Mapping,
    path: &Path,
    key: &str,
    allowed: &[&str],
) -> (Option<&'m Mapping>, Path, bool) {
    let at = path.value(key);
    match map.get(key) {
        None | Some(Value::Null) => (None, at, true),
        Some(value) => {
            let section = ctx.mapping(value, &at, &format!("`{key}`"), allowed);
            let ok = section.is_some();
            (section, at, ok)
        }
    }
}

pub(super) fn regularization(ctx: &mut Ctx, map: &Mapping, path: &Path) -> Option<Regularization> {
    let (section, at, ok) = section(ctx, map, path, "regularization", &["l2", "l1", "bias"]);
    let l2 = param(ctx, section, &at, "l2", 0.0, ">= 0", non_negative);
    let l1 = param(ctx, section, &at, "l1", 0.0, ">= 0", non_negative);
    let bias = flag(ctx, section, &at, "bias", false);
    ok.then_some(())?;
    Some(Regularization {
        l2: l2?,
        l1: l1?,
        bias: bias?,
    })
}

/// Reads `init`; `layers` is the number of layers, when they could be read.
pub(super) fn init(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
    layers: Option<usize>,
) -> Option<Init> {
    let keys = &["weights", "bias", "seed", "symmetric"];
    let (section, at, ok) = section(ctx, map, path, "init", keys);
    let symmetric = flag(ctx, section, &at, "symmetric", false);
    let weights = match optional(section, &at, "weights") {
        None | Some((Value::Null, _)) => Some(None),
        Some((value, weights_at)) => {
            let weights = scheme(ctx, value, &weights_at);
            if weights == Some(InitScheme::Zeros)
                && symmetric == Some(false)
                && layers.is_some_and(|n| n > 1)
            {
                ctx.error(
                    &weights_at,
                    "`weights: zeros` gives every unit of a hidden layer the same weights, so \
                     they get the same gradients and stay identical forever: each hidden layer \
                     learns as if it had one unit",
                    "use a random scheme (the default, or `torch_default` as PyTorch's \
                     `nn.Linear`), or add `symmetric: true` to `init` if that is what you want",
                );
                None
            } else {
                weights.map(Some)
            }
        }
    };
    let bias = match optional(section, &at, "bias") {
        None | Some((Value::Null, _)) => Some(InitScheme::Zeros),
        Some((value, at)) => scheme(ctx, value, &at),
    };
    let seed = match optional(section, &at, "seed") {
        None => Some(0),
        Some((value, at)) => {
            let seed = value.as_u64();
            if seed.is_none() {
                ctx.error(
                    &at,
                    format!("`seed` must be a whole number >= 0, found {}", show(value)),
                    "",
                );
            }
            seed
        }
    };
    ok.then_some(())?;
    Some(Init {
        weights: weights?,
        bias: bias?,
        seed: seed?,
        symmetric: symmetric?,
    })
}

fn scheme(ctx: &mut Ctx, value: &Value, path: &Path) -> Option<InitScheme> {
    let (kind, params) = ctx.kind(value, path, "init scheme", INIT_SCHEMES)?;
    let allowed: &[&str] = match kind.as_str() {
        "normal" => &["kind", "std"],
        "uniform" => &["kind", "limit"],
        _ => &["kind"],
    };
    if let Some(params) = params {
        ctx.keys(params, path, &format!("the `{kind}` init scheme"), allowed);
    }
    Some(match kind.as_str() {
        "zeros" => InitScheme::Zeros,
        "normal" => InitScheme::Normal {
            std: param(ctx, params, path, "std", 0.01, "> 0", |s| s > 0.0)?,
        },
        "uniform" => InitScheme::Uniform {
            limit: param(ctx, params, path, "limit", 0.05, "> 0", |l| l > 0.0)?,
        },
        "xavier_uniform" => InitScheme::XavierUniform,
        "xavier_normal" => InitScheme::XavierNormal,
        "he_uniform" => InitScheme::HeUniform,
        "he_normal" => InitScheme::HeNormal,
        "torch_default" => InitScheme::TorchDefault,
        _ => InitScheme::LecunNormal,
    })
}

/// Reads `training`; `loss` and `outputs` (the output layer's units) when they could be read.
pub(super) fn training(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
    loss: Option<&Loss>,
    outputs: Option<usize>,
) -> Option<Training> {
    let keys = &[
        "epochs",
        "shuffle",
        "validation_split",
        "early_stopping",
        "min_loss_change",
        "clip_grad_norm",
        "class_weights",
        "threads",
    ];
    let (section, at, ok) = section(ctx, map, path, "training", keys);
    let threads = match optional(section, &at, "threads") {
        Some((value, at)) => threads(ctx, value, &at),
        None => Some(1),
    };
    let epochs = match optional(section, &at, "epochs") {
        Some((value, at)) => ctx.count(value, &at, "epochs", 1),
        None => Some(100),
    };
    let shuffle = flag(ctx, section, &at, "shuffle", true);
    let split = param(
        ctx,
        section,
        &at,
        "validation_split",
        0.0,
        "in [0, 1)",
        |s| (0.0..1.0).contains(&s),
    );
    let min_loss_change = param(
        ctx,
        section,
        &at,
        "min_loss_change",
        0.0,
        ">= 0",
        non_negative,
    );
    let clip = match optional(section, &at, "clip_grad_norm") {
        None | Some((Value::Null, _)) => Some(None),
        Some((value, at)) => ctx
            .number(value, &at, "clip_grad_norm", "> 0", |c| c > 0.0)
            .map(Some),
    };
    let early_stopping = match optional(section, &at, "early_stopping") {
        None | Some((Value::Null, _)) => Some(None),
        Some((value, at)) => early_stopping(ctx, value, &at, loss).map(Some),
    };
    let class_weights = match optional(section, &at, "class_weights") {
        None | Some((Value::Null, _)) => Some(None),
        Some((value, at)) => class_weights(ctx, value, &at, loss, outputs).map(Some),
    };
    ok.then_some(())?;
    Some(Training {
        epochs: epochs?,
        shuffle: shuffle?,
        validation_split: split?,
        early_stopping: early_stopping?,
        min_loss_change: min_loss_change?,
        clip_grad_norm: clip?,
        class_weights: class_weights?,
        threads: threads?,
    })
}

/// Reads `training.threads`: a whole number of threads from 1 to [`MAX_THREADS`].
fn threads(ctx: &mut Ctx, value: &Value, at: &Path) -> Option<usize> {
    let threads = ctx.count(value, at, "threads", 1)?;
    if threads > MAX_THREADS {
        ctx.error(
            at,
            format!("`threads` must be at most {MAX_THREADS}, found {threads}"),
            "set it to the number of cores to train on (a step uses no more threads than it has shards)",
        );
        return None;
    }
    Some(threads)
}

/// Reads `class_weights: balanced` or a list of one positive weight per class, for the
/// losses that weigh classes as PyTorch does: `cross_entropy` and one-output `bce`.
fn class_weights(
    ctx: &mut Ctx,
    value: &Value,
    at: &Path,
    loss: Option<&Loss>,
    outputs: Option<usize>,
) -> Option<ClassWeights> {
    match (loss, outputs) {
        (Some(Loss::CrossEntropy), _) | (Some(Loss::Bce), Some(1)) => {}
        (Some(Loss::Bce), Some(_)) => {
            ctx.error(
                at,
                "class weights with `bce` need one output: with several, each output is a \
                 label of its own",
                "use one sigmoid output for two classes, or a softmax output with \
                 `cross_entropy`",
            );
            return None;
        }
        (Some(other), _) => {
            ctx.error(
                at,
                format!(
                    "class weights apply to `cross_entropy` and `bce`, not `{}`",
                    other.name()
                ),
                "remove `class_weights`, or train with a classification loss",
            );
            return None;
        }
        (None, _) => return None,
    }
    let classes = outputs.map(|n| n.max(2));
    match value {
        Value::String(name) if name == "balanced" => Some(ClassWeights::Balanced),
        Value::Sequence(items) => {
            let mut weights = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let item_at = at.index(index);
                weights.push(ctx.number(item, &item_at, "class_weights", "> 0", |w| w > 0.0));
            }
            let weights: Option<Vec<f64>> = weights.into_iter().collect();
            let weights = weights?;
            if let Some(classes) = classes
                && weights.len() != classes
            {
                ctx.error(
                    at,
                    format!(
                        "`class_weights` lists {} weights, but the network has {classes} classes",
                        weights.len()
                    ),
                    "give one weight per class, from class 0, or write `balanced`",
                );
                return None;
            }
            Some(ClassWeights::Given(weights))
        }
        other => {
            ctx.error(
                at,
                format!(
                    "`class_weights` must be `balanced` or a list of numbers, found {}",
                    show(other)
                ),
                "write `class_weights: balanced` or `class_weights: [1.0, 3.0]`",
            );
            None
        }
    }
}

fn early_stopping(
    ctx: &mut Ctx,
    value: &Value,
    at: &Path,
    loss: Option<&Loss>,
) -> Option<EarlyStopping> {
    let keys = &["monitor", "patience", "min_delta", "restore_best"];
    let section = ctx.mapping(value, at, "`early_stopping`", keys)?;
    let monitor = match field(section, at, "monitor") {
        None => Some(Monitor::ValLoss),
        Some((value, at)) => monitor(ctx, value, &at, loss),
    };
    let patience = match field(section, at, "patience") {
        Some((value, at)) => ctx.count(value, &at, "patience", 1),
        None => Some(10),
    };
    let min_delta = param(
        ctx,
        Some(section),
        at,
        "min_delta",
        0.0,
        ">= 0",
        non_negative,
    );
    let restore_best = flag(ctx, Some(section), at, "restore_best", true);
    Some(EarlyStopping {
        monitor: monitor?,
        patience: patience?,
        min_delta: min_delta?,
        restore_best: restore_best?,
    })
}

fn monitor(ctx: &mut Ctx, value: &Value, at: &Path, loss: Option<&Loss>) -> Option<Monitor> {
    let classification = loss.map(Loss::is_classification);
    let (monitor, fits) = match value.as_str() {
        Some("val_loss") => (Monitor::ValLoss, true),
        Some("loss") => (Monitor::Loss, true),
        Some("val_accuracy") => (Monitor::ValAccuracy, classification != Some(false)),
        Some("val_r2") => (Monitor::ValR2, classification != Some(true)),
        _ => {
            ctx.error(
                at,
                format!("unknown early-stopping monitor {}", show(value)),
                "one of: val_loss, loss, val_accuracy (classification), val_r2 (regression)",
            );
            return None;
        }
    };
    if !fits {
        ctx.error(
            at,
            format!("early stopping cannot monitor {} with the loss of this spec", show(value)),
            "monitor `val_accuracy` with a classification loss and `val_r2` with a regression loss, or monitor `val_loss`",
        );
        return None;
    }
    Some(monitor)
}
