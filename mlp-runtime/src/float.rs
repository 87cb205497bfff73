//! The scalar types a network can compute in.

use std::fmt::{Debug, Display};

use nalgebra::RealField;

/// A floating-point scalar: `f32` or `f64`, chosen by the spec's `precision`.
///
/// Everything nalgebra's [`RealField`] offers, plus exact conversions to and from `f64` for
/// hyper-parameters and reports, and the error function used by GELU.
pub trait Float: RealField + Copy + Default + Debug + Display + Send + Sync + 'static {
    /// The spec's name for this precision (`"f32"` or `"f64"`).
    const NAME: &'static str;

    /// Converts from `f64`, rounding to nearest.
    fn cast(value: f64) -> Self;

    /// Converts to `f64` exactly.
    fn as_f64(self) -> f64;

    /// The error function `erf(x)`.
    fn erf(self) -> Self;
}

impl Float for f32 {
    const NAME: &'static str = "f32";

    fn cast(value: f64) -> Self {
        value as f32
    }

    fn as_f64(self) -> f64 {
        f64::from(self)
    }

    fn erf(self) -> Self {
        libm::erff(self)
    }
}

impl Float for f64 {
    const NAME: &'static str = "f64";

    fn cast(value: f64) -> Self {
        value
    }

    fn as_f64(self) -> f64 {
        self
    }

    fn erf(self) -> Self {
        libm::erf(self)
    }
}
