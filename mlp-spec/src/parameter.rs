//! The numeric parameters of named choices (activations, losses, optimizers).

/// A numeric parameter of an activation, a loss or an optimizer: its key, the range it must
/// be in (as messages print it), and the test of that range.
#[derive(Clone, Copy, Debug)]
pub struct Parameter {
    /// The key in the spec.
    pub key: &'static str,
    /// The allowed range, for messages (`">= 0"`).
    pub expected: &'static str,
    /// Whether a value is in range.
    pub ok: fn(f64) -> bool,
}
