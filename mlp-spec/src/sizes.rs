//! The sizes a spec states, read without validating it.

use crate::yaml::{self, Value};

/// The sizes a spec's text states, whether or not the spec is valid: what the `#[mlp]`
/// attribute needs to declare a network's types when the spec has errors, so that code using
/// the network sees the spec's errors and no cascade.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatedSizes {
    /// `input`, if it is a whole number.
    pub input: Option<usize>,
    /// `units` of the last layer, if it is a whole number.
    pub outputs: Option<usize>,
    /// `batch_size`, if it is a whole number.
    pub batch_size: Option<usize>,
    /// Whether `precision` is `f64`.
    pub f64: bool,
}

/// Reads the sizes `source` states; anything unreadable is left out.
///
/// ```
/// let sizes = mlp_spec::read_sizes("input: 4\nlayers: [{units: 8}, {units: rleu}]\n");
/// assert_eq!((sizes.input, sizes.outputs, sizes.batch_size), (Some(4), None, None));
/// ```
pub fn read_sizes(source: &str) -> StatedSizes {
    let Ok(root) = yaml::parse(source) else {
        return StatedSizes::default();
    };
    let whole = |value: Option<&Value>| {
        value
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let last_layer = root
        .get("layers")
        .and_then(Value::as_sequence)
        .and_then(|layers| layers.last());
    StatedSizes {
        input: whole(root.get("input")),
        outputs: whole(last_layer.and_then(|layer| layer.get("units"))),
        batch_size: whole(root.get("batch_size")),
        f64: root.get("precision").and_then(Value::as_str) == Some("f64"),
    }
}
