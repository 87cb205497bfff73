//! From the YAML tree to a [`Spec`], checking every rule of the format and collecting every
//! problem with the path where it was found.

mod layers;
mod optim;
mod search;
mod settings;
mod values;

pub(crate) use values::{get, searchable, set};

use crate::ir::{Precision, Spec};
use crate::read::{Ctx, field};
use crate::yaml::{Path, Value};

const TOP_KEYS: &[&str] = &[
    "version",
    "name",
    "input",
    "layers",
    "loss",
    "optimizer",
    "schedule",
    "regularization",
    "init",
    "batch_size",
    "precision",
    "training",
    "search",
];

pub(crate) fn spec(root: &Value, ctx: &mut Ctx) -> Option<Spec> {
    let path = Path::root();
    if root.is_null() {
        ctx.error(
            &path,
            "the spec is empty",
            "a spec needs at least `input`, `layers` and `loss`",
        );
        return None;
    }
    let map = ctx.mapping(root, &path, "the spec", TOP_KEYS)?;

    if let Some((value, at)) = field(map, &path, "version")
        && value.as_u64() != Some(1)
    {
        ctx.error(
            &at,
            format!(
                "unsupported spec format version {}",
                crate::read::show(value)
            ),
            "this version of mlp reads format version 1; remove `version` or set it to 1",
        );
    }
    let name = match field(map, &path, "name") {
        None | Some((Value::Null, _)) => Some(None),
        Some((Value::String(name), _)) => Some(Some(name.clone())),
        Some((other, at)) => {
            ctx.error(
                &at,
                format!("`name` must be text, found {}", crate::read::show(other)),
                "",
            );
            None
        }
    };
    let input = match field(map, &path, "input") {
        Some((value, at)) => crate::read::size(ctx, value, &at, "input"),
        None => {
            ctx.missing(
                &path,
                "input",
                "the spec",
                "add `input: N` with N the number of input features",
            );
            None
        }
    };
    let (layers, output) = layers::layers(ctx, map, &path);
    let loss = layers::loss(ctx, map, &path, output);
    let optimizer = optim::optimizer(ctx, map, &path);
    let schedule = optim::schedule(ctx, map, &path);
    let regularization = settings::regularization(ctx, map, &path);
    let init = settings::init(ctx, map, &path, layers.as_ref().map(Vec::len));
    let batch_size = match field(map, &path, "batch_size") {
        Some((value, at)) => crate::read::size(ctx, value, &at, "batch_size"),
        None => Some(32),
    };
    let precision = match field(map, &path, "precision") {
        None => Some(Precision::F32),
        Some((Value::String(p), _)) if p == "f32" => Some(Precision::F32),
        Some((Value::String(p), _)) if p == "f64" => Some(Precision::F64),
        Some((other, at)) => {
            ctx.error(
                &at,
                format!(
                    "`precision` must be `f32` or `f64`, found {}",
                    crate::read::show(other)
                ),
                "",
            );
            None
        }
    };
    if let (Some(input), Some(layers)) = (input, &layers) {
        layers::check_residual_sizes(ctx, map, &path, input, layers);
    }
    if let (Some(1), Some(layers)) = (batch_size, &layers) {
        layers::check_batch_norm_batches(ctx, map, &path, layers);
    }
    let outputs = layers.as_ref().and_then(|l| l.last()).map(|l| l.units);
    let training = settings::training(ctx, map, &path, loss.as_ref(), outputs);

    let mut spec = Spec {
        name: name?,
        input: input?,
        layers: layers?,
        loss: loss?,
        optimizer: optimizer?,
        schedule: schedule?,
        regularization: regularization?,
        init: init?,
        batch_size: batch_size?,
        precision: precision?,
        training: training?,
        search: None,
    };
    // The search's values are checked against the rest of the spec, once that is valid.
    let valid = ctx.issues.is_empty();
    spec.search = search::search(ctx, map, &path, valid.then_some(&spec))?;
    Some(spec)
}

/// Validates a whole spec tree; the problems as `(path, message, help)`.
pub(crate) fn tree(tree: &Value) -> Result<Spec, Vec<(String, String, Option<String>)>> {
    let mut ctx = Ctx::default();
    let spec = spec(tree, &mut ctx);
    match spec {
        Some(spec) if ctx.issues.is_empty() => Ok(spec),
        _ => Err(ctx
            .issues
            .into_iter()
            .map(|issue| (issue.path.to_string(), issue.message, issue.help))
            .collect()),
    }
}
