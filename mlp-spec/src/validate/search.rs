//! `search`: the method, the scoring, the metric and the space, each searched value checked
//! by the rules of the key it replaces.

use crate::ir::Spec;
use crate::ir::search::{
    Axis, AxisValues, HIDDEN_LAYERS, MAX_TRIALS, Scoring, Search, SearchMethod, SearchMetric,
    is_run_time,
};
use crate::read::Engine;
use crate::read::{Ctx, closest, field, show};

use super::values::{get, searchable, set};
use crate::yaml::{self, Mapping, Path, Value};

const KEYS: &[&str] = &[
    "method",
    "rounds",
    "trials",
    "folds",
    "validation_split",
    "metric",
    "seed",
    "space",
];
const METHODS: &[&str] = &["coordinate", "grid", "random"];
const METRICS: &[&str] = &["val_loss", "accuracy", "r2"];

/// Reads `search`, when present. `base` is the rest of the spec, when it is valid: searched
/// values are checked against it.
pub(super) fn search(
    ctx: &mut Ctx,
    map: &Mapping,
    path: &Path,
    base: Option<&Spec>,
) -> Option<Option<Search>> {
    let engine = ctx.engine;
    let at = path.value("search");
    let section = match map.get("search") {
        None | Some(Value::Null) => return Some(None),
        Some(value) => ctx.mapping(value, &at, "`search`", KEYS)?,
    };
    let method = method(ctx, section, &at);
    let scoring = scoring(ctx, section, &at);
    let metric = metric(ctx, section, &at, base);
    let seed = match field(section, &at, "seed") {
        Some((value, key_at)) => ctx.count(value, &key_at, "seed", 0).map(|s| s as u64),
        None => Some(0),
    };
    let space = space(ctx, section, &at, base, engine, method);
    Some(Some(Search {
        method: method?,
        scoring: scoring?,
        metric: metric?,
        seed: seed?,
        space: space?,
    }))
}

fn method(ctx: &mut Ctx, section: &Mapping, at: &Path) -> Option<SearchMethod> {
    let name = match field(section, at, "method") {
        None => "coordinate".to_owned(),
        Some((value, key_at)) => ctx.kind(value, &key_at, "search method", METHODS)?.0,
    };
    let rounds = field(section, at, "rounds");
    let trials = field(section, at, "trials");
    let misplaced = |ctx: &mut Ctx, key: &str, found: Option<(&Value, Path)>, owner: &str| {
        if let Some((_, key_at)) = found {
            ctx.error(
                &key_at,
                format!("`{key}` belongs to `method: {owner}`, not `method: {name}`"),
                format!("remove `{key}`, or set `method: {owner}`"),
            );
        }
    };
    match name.as_str() {
        "coordinate" => {
            misplaced(ctx, "trials", trials, "random");
            let rounds = match rounds {
                Some((value, key_at)) => ctx.count(value, &key_at, "rounds", 1),
                None => Some(3),
            };
            Some(SearchMethod::Coordinate { rounds: rounds? })
        }
        "grid" => {
            misplaced(ctx, "rounds", rounds, "coordinate");
            misplaced(ctx, "trials", trials, "random");
            Some(SearchMethod::Grid)
        }
        _ => {
            misplaced(ctx, "rounds", rounds, "coordinate");
            let Some((value, key_at)) = trials else {
                ctx.missing(
                    at,
                    "trials",
                    "a random `search`",
                    "add `trials: N`, the number of seeded draws",
                );
                return None;
            };
            let trials = ctx.count(value, &key_at, "trials", 1)?;
            if trials > MAX_TRIALS {
                ctx.error(
                    &key_at,
                    format!("`trials` must be at most {MAX_TRIALS}, found {trials}"),
                    "each trial trains the network once per fold: draw fewer",
                );
                return None;
            }
            Some(SearchMethod::Random { trials })
        }
    }
}

fn scoring(ctx: &mut Ctx, section: &Mapping, at: &Path) -> Option<Scoring> {
    match (
        field(section, at, "folds"),
        field(section, at, "validation_split"),
    ) {
        (Some(_), Some((_, split_at))) => {
            ctx.error(
                &split_at,
                "`search` scores by `folds` or by `validation_split`, not both",
                "keep `folds: K` for k-fold cross-validation, or `validation_split` for one split",
            );
            None
        }
        (Some((value, key_at)), None) => {
            let folds = ctx.count(value, &key_at, "folds", 2)?;
            Some(Scoring::KFold { folds })
        }
        (None, Some((value, key_at))) => {
            let fraction = ctx.number(value, &key_at, "validation_split", "in (0, 1)", |f| {
                f > 0.0 && f < 1.0
            })?;
            Some(Scoring::ValidationSplit { fraction })
        }
        (None, None) => Some(Scoring::KFold { folds: 5 }),
    }
}

fn metric(
    ctx: &mut Ctx,
    section: &Mapping,
    at: &Path,
    base: Option<&Spec>,
) -> Option<SearchMetric> {
    let classifies = base.map(|spec| spec.loss.is_classification());
    let Some((value, key_at)) = field(section, at, "metric") else {
        return Some(match classifies {
            Some(false) => SearchMetric::R2,
            _ => SearchMetric::Accuracy,
        });
    };
    let name = ctx.kind(value, &key_at, "search metric", METRICS)?.0;
    let metric = match name.as_str() {
        "val_loss" => SearchMetric::ValLoss,
        "accuracy" => SearchMetric::Accuracy,
        _ => SearchMetric::R2,
    };
    let (wrong, instead) = match (metric, classifies) {
        (SearchMetric::Accuracy, Some(false)) => ("a regression loss", "r2"),
        (SearchMetric::R2, Some(true)) => ("a classification loss", "accuracy"),
        _ => return Some(metric),
    };
    ctx.error(
        &key_at,
        format!("`metric: {name}` does not score {wrong}"),
        format!("use `metric: {instead}` or `metric: val_loss`"),
    );
    None
}

fn space(
    ctx: &mut Ctx,
    section: &Mapping,
    at: &Path,
    base: Option<&Spec>,
    engine: Engine,
    method: Option<SearchMethod>,
) -> Option<Vec<Axis>> {
    let Some((value, space_at)) = field(section, at, "space") else {
        ctx.missing(
            at,
            "space",
            "`search`",
            "add `space:` with one `key: [values]` line per hyper-parameter, such as \
             `optimizer.lr: [0.001, 0.01, 0.1]`",
        );
        return None;
    };
    let map = match value {
        Value::Mapping(map) if !map.is_empty() => map,
        Value::Mapping(_) => {
            ctx.error(
                &space_at,
                "`space` names no hyper-parameter to search",
                "write one `key: [values]` line per hyper-parameter, such as \
                 `optimizer.lr: [0.001, 0.01, 0.1]`",
            );
            return None;
        }
        other => {
            ctx.error(
                &space_at,
                format!(
                    "`space` must map hyper-parameters to values, found {}",
                    show(other)
                ),
                "write one `key: [values]` line per hyper-parameter, such as \
                 `optimizer.lr: [0.001, 0.01, 0.1]`",
            );
            return None;
        }
    };
    // The base spec's canonical tree: searched values are written into it and checked.
    let tree = base.and_then(|spec| {
        let mut spec = spec.clone();
        spec.search = None;
        yaml::parse(&spec.canonical_yaml()).ok()
    });
    let allowed = tree.as_ref().map(searchable);
    let mut axes = Vec::new();
    let mut all_read = true;
    for (key, values) in map {
        let Some(key) = key.as_str() else {
            ctx.error(
                &space_at,
                format!("keys of `space` must be names, found {}", show(key)),
                "",
            );
            all_read = false;
            continue;
        };
        let axis = axis(ctx, &space_at, key, values, method);
        let checked = match (&axis, &tree, &allowed) {
            (Some(axis), Some(tree), Some(allowed)) => {
                check_axis(ctx, &space_at, axis, tree, allowed, engine)
            }
            _ => true,
        };
        match axis {
            Some(axis) if checked => axes.push(axis),
            _ => all_read = false,
        }
    }
    let hidden = axes.iter().any(|a| a.key == HIDDEN_LAYERS);
    if let Some(units) = axes
        .iter()
        .find(|a| a.key.starts_with("layers."))
        .filter(|_| hidden)
    {
        ctx.error(
            &space_at.key(&units.key),
            format!("`{}` and `{HIDDEN_LAYERS}` in one search", units.key),
            format!(
                "the layers `{HIDDEN_LAYERS}` adds repeat the last hidden layer; search its \
                 depth and the widths in two searches"
            ),
        );
        all_read = false;
    }
    if matches!(method, Some(SearchMethod::Grid)) && all_read {
        let lengths: Vec<usize> = axes
            .iter()
            .filter_map(|axis| match &axis.values {
                AxisValues::List(values) => Some(values.len()),
                AxisValues::LogUniform { .. } => None,
            })
            .collect();
        // In `u128`, which 38 digits of points would take to overflow (and then saturate).
        let points = lengths
            .iter()
            .fold(1u128, |points, &n| points.saturating_mul(n as u128));
        if points > MAX_TRIALS as u128 {
            let lengths: Vec<String> = lengths.iter().map(usize::to_string).collect();
            ctx.error(
                &space_at,
                format!(
                    "the grid has {points} points ({}), more than the {MAX_TRIALS} a search may \
                     try",
                    lengths.join(" x ")
                ),
                "list fewer values, or draw some of the grid with `method: random` and `trials: N`",
            );
            return None;
        }
    }
    all_read.then_some(axes)
}

/// Reads one key's values: a non-empty list of numbers, or `{log_uniform: [low, high]}`
/// for a random search.
fn axis(
    ctx: &mut Ctx,
    space_at: &Path,
    key: &str,
    values: &Value,
    method: Option<SearchMethod>,
) -> Option<Axis> {
    let at = space_at.value(key);
    let example = format!("`{key}: [0.001, 0.01, 0.1]`");
    match values {
        Value::Sequence(items) if items.is_empty() => {
            ctx.error(
                &at,
                format!("`{key}` lists no values to try"),
                format!("list at least one value, such as {example}"),
            );
            None
        }
        Value::Sequence(items) => {
            let mut numbers = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_f64().filter(|n| n.is_finite()) {
                    Some(n) => numbers.push(n),
                    None => ctx.error(
                        &at.index(i),
                        format!("values of `{key}` must be numbers, found {}", show(item)),
                        format!("a search tries numbers only, such as {example}"),
                    ),
                }
            }
            (numbers.len() == items.len()).then(|| Axis {
                key: key.to_owned(),
                values: AxisValues::List(numbers),
            })
        }
        Value::Mapping(map) if map.len() == 1 && map.contains_key("log_uniform") => {
            let range_at = at.value("log_uniform");
            if !matches!(method, Some(SearchMethod::Random { .. }) | None) {
                ctx.error(
                    &range_at,
                    format!(
                        "a `log_uniform` range needs `method: random`, not `method: {}`",
                        method.map_or("", |m| m.name())
                    ),
                    format!("list the values to try instead, such as {example}"),
                );
                return None;
            }
            let bounds: Option<Vec<f64>> = map["log_uniform"]
                .as_sequence()
                .map(|items| items.iter().filter_map(Value::as_f64).collect());
            match bounds.as_deref() {
                Some(&[low, high]) if low > 0.0 && high > low && high.is_finite() => Some(Axis {
                    key: key.to_owned(),
                    values: AxisValues::LogUniform { low, high },
                }),
                _ => {
                    ctx.error(
                        &range_at,
                        "`log_uniform` takes two bounds `[low, high]` with 0 < low < high",
                        format!("such as `{key}: {{log_uniform: [0.0001, 0.1]}}`"),
                    );
                    None
                }
            }
        }
        other => {
            ctx.error(
                &at,
                format!("`{key}` must list the values to try, found {}", show(other)),
                format!(
                    "write a list such as {example}, or `{{log_uniform: [low, high]}}` for \
                     `method: random`"
                ),
            );
            None
        }
    }
}

/// Checks that the spec has the key, that the engine can vary it, and that every value
/// obeys the key's rules (by writing it into the spec and validating that).
fn check_axis(
    ctx: &mut Ctx,
    space_at: &Path,
    axis: &Axis,
    tree: &Value,
    allowed: &[String],
    engine: Engine,
) -> bool {
    let key = axis.key.as_str();
    if !allowed.iter().any(|k| k == key) {
        ctx.error(
            &space_at.key(key),
            format!("unknown hyper-parameter `{key}` in `space`"),
            unknown_key_help(key, allowed, engine),
        );
        return false;
    }
    if engine == Engine::Compiled && !is_run_time(key) {
        ctx.error(
            &space_at.key(key),
            format!("`{key}` changes the network's sizes, which `#[mlp]` compiles in"),
            "a compiled network searches only `optimizer`, `schedule`, `regularization` and \
             `training` keys; search sizes with `mlp tune` (the dynamic engine), or remove the key",
        );
        return false;
    }
    let at = space_at.value(key);
    let (values, paths): (Vec<f64>, Vec<Path>) = match &axis.values {
        AxisValues::List(values) => {
            let paths = (0..values.len()).map(|i| at.index(i)).collect();
            (values.clone(), paths)
        }
        AxisValues::LogUniform { low, high } => {
            let range_at = at.value("log_uniform");
            (
                vec![*low, *high],
                vec![range_at.index(0), range_at.index(1)],
            )
        }
    };
    let listed = matches!(axis.values, AxisValues::List(_));
    let mut ok = true;
    for (value, value_at) in values.into_iter().zip(paths) {
        let mut trial = tree.clone();
        let refused = match set(&mut trial, key, value) {
            Err(message) => Some((message, None)),
            // A range's ends are rounded where the key is whole, as its draws are; a listed
            // value would be tried as another than the one written.
            Ok(()) if listed && value.fract() != 0.0 && get(&trial, key) != Some(value) => Some((
                format!("`{key}` takes whole numbers"),
                Some("write whole numbers, such as `[4, 8, 16]`".to_owned()),
            )),
            Ok(()) => super::tree(&trial)
                .err()
                .and_then(|issues| issues.into_iter().next())
                .map(|(_, message, help)| (message, help)),
        };
        if let Some((message, help)) = refused {
            let help = help.map_or_else(
                || format!("every value of `{key}` must be one the spec accepts there"),
                |help| format!("{help}; every value of `{key}` must be one the spec accepts"),
            );
            ctx.error(
                &value_at,
                format!("`{key}: {value}` is refused: {message}"),
                help,
            );
            ok = false;
        }
    }
    ok
}

/// The keys a search may try instead of an unknown one: the closest of its section (by the
/// last part of the key), then every key the engine can vary.
fn unknown_key_help(key: &str, allowed: &[String], engine: Engine) -> String {
    let candidates: Vec<&str> = allowed
        .iter()
        .map(String::as_str)
        .filter(|k| engine == Engine::Dynamic || is_run_time(k))
        .collect();
    let (section, leaf) = key.rsplit_once('.').unwrap_or(("", key));
    let siblings: Vec<&str> = candidates
        .iter()
        .filter_map(|k| {
            k.rsplit_once('.')
                .filter(|(s, _)| *s == section)
                .map(|(_, l)| l)
        })
        .collect();
    let list = format!("this spec can search: {}", candidates.join(", "));
    match closest(leaf, &siblings) {
        Some(leaf) => format!("did you mean `{section}.{leaf}`? {list}"),
        None => list,
    }
}
