//! Writing searched values into a spec's canonical tree, and the keys a search may write.

use crate::ir::search::{HIDDEN_LAYERS, RUN_TIME_SECTIONS};
use crate::yaml::Value;

/// The searchable keys of a canonical spec tree (see `Spec::searchable_keys`).
pub(crate) fn searchable(tree: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    for section in RUN_TIME_SECTIONS {
        if let Some(value) = tree.get(*section) {
            numeric_leaves(value, section, &mut keys);
        }
    }
    // Trials are scored on held-out folds, so the trainer's own split has no use in them.
    keys.retain(|k| k != "training.validation_split");
    let clip = "training.clip_grad_norm";
    if !keys.iter().any(|k| k == clip) {
        keys.push(clip.to_owned());
    }
    let layers = tree.get("layers").and_then(Value::as_sequence);
    let hidden = layers.map_or(0, |layers| layers.len().saturating_sub(1));
    keys.extend((0..hidden).map(|i| format!("layers.{i}.units")));
    keys.push(HIDDEN_LAYERS.to_owned());
    keys.push("batch_size".to_owned());
    keys
}

fn numeric_leaves(value: &Value, prefix: &str, keys: &mut Vec<String>) {
    match value {
        Value::Number(_) => keys.push(prefix.to_owned()),
        Value::Mapping(map) => {
            for (key, child) in map {
                if let Some(key) = key.as_str() {
                    numeric_leaves(child, &format!("{prefix}.{key}"), keys);
                }
            }
        }
        _ => {}
    }
}

/// The number at `key` in a canonical spec tree, if it holds one there.
pub(crate) fn get(tree: &Value, key: &str) -> Option<f64> {
    let mut node = tree;
    for step in key.split('.') {
        node = match node {
            Value::Mapping(map) => map.get(step),
            Value::Sequence(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }?;
    }
    node.as_f64()
}

/// Writes `value` at `key` in a canonical spec tree.
pub(crate) fn set(tree: &mut Value, key: &str, value: f64) -> Result<(), String> {
    if key == HIDDEN_LAYERS {
        return set_depth(tree, value);
    }
    let mut node = tree;
    for step in key.split('.') {
        node = match node {
            Value::Mapping(map) => map.get_mut(step),
            Value::Sequence(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        }
        .ok_or_else(|| format!("the spec has no hyper-parameter `{key}`"))?;
    }
    *node = number(value, node.is_u64());
    Ok(())
}

/// A YAML number: a whole number for a key that holds one (rounding the value), else a
/// float.
fn number(value: f64, whole: bool) -> Value {
    if whole && value.is_finite() && value >= 0.0 {
        Value::Number((value.round() as u64).into())
    } else {
        Value::Number(value.into())
    }
}

/// The most hidden layers a search may set (`hidden_layers`). One number makes every layer,
/// so a typo's extra zeros (`100000000`) would repeat the last hidden layer as many times,
/// and take all the memory before its spec could be checked.
const MAX_HIDDEN_LAYERS: usize = 1024;

/// Sets the number of hidden layers: drops the last ones, or repeats the last hidden layer.
fn set_depth(tree: &mut Value, value: f64) -> Result<(), String> {
    if !(value.is_finite() && value >= 0.0 && value.fract() == 0.0) {
        return Err(format!(
            "`{HIDDEN_LAYERS}` must be a whole number >= 0, found {value}"
        ));
    }
    if value > MAX_HIDDEN_LAYERS as f64 {
        return Err(format!(
            "`{HIDDEN_LAYERS}` must be at most {MAX_HIDDEN_LAYERS}, found {value}"
        ));
    }
    let layers = tree
        .get_mut("layers")
        .and_then(Value::as_sequence_mut)
        .ok_or("the spec has no layers")?;
    let Some(output) = layers.pop() else {
        return Err("the spec has no layers".to_owned());
    };
    let depth = value as usize;
    if depth > layers.len() {
        let last = layers.last().cloned().ok_or_else(|| {
            format!("`{HIDDEN_LAYERS}: {depth}` needs a hidden layer to repeat; the spec has none")
        })?;
        layers.resize(depth, last);
    }
    layers.truncate(depth);
    layers.push(output);
    // Per-layer settings of `init` (if any) would no longer fit; the trial's validation
    // reports that.
    Ok(())
}
