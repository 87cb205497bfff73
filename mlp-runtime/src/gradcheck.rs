//! Checks a network's backward pass against central finite differences.

use crate::float::Float;
use crate::network::{Network, Sample};

/// The comparison of analytic and numerical gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct GradCheck {
    /// The gradient from the network's backward pass.
    pub analytic: Vec<f64>,
    /// The central finite-difference estimate.
    pub numeric: Vec<f64>,
    /// The largest relative error, `|a - n| / max(|a|, |n|, floor)`, over all parameters.
    pub max_relative_error: f64,
    /// The parameter where it occurs.
    pub worst: usize,
}

/// Options of [`gradient_check`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradCheckConfig {
    /// The finite-difference step. Defaults to `1e-6` for `f64` and `1e-2` for `f32`
    /// (where a smaller step drowns in rounding error).
    pub step: f64,
    /// Gradients smaller than this are compared absolutely: the relative error divides by
    /// `max(|a|, |n|, floor)`. Defaults to `1e-6` for `f64` and `1e-3` for `f32`.
    pub floor: f64,
}

impl GradCheckConfig {
    /// The defaults for the scalar type `T`.
    pub fn for_float<T: Float>() -> Self {
        if T::NAME == "f64" {
            GradCheckConfig { step: 1e-6, floor: 1e-6 }
        } else {
            GradCheckConfig { step: 1e-2, floor: 1e-3 }
        }
    }
}

/// Compares the gradient of the mean loss over `inputs` and `targets` from
/// [`Network::backward_slice`] with central differences `(L(p + h) - L(p - h)) / 2h` of
/// [`Network::loss_slice`], one parameter at a time, computed and compared in `f64`.
///
/// The parameters are restored exactly afterwards.
///
/// # Panics
///
/// If `inputs` and `targets` differ in length, or hold zero or more than `BATCH_SIZE`
/// samples.
pub fn gradient_check<N: Network>(
    network: &mut N,
    inputs: &[N::Input],
    targets: &[N::Output],
    config: GradCheckConfig,
) -> GradCheck {
    assert_eq!(inputs.len(), targets.len(), "one target per input");
    let count = inputs.len();
    let flat = |samples: &mut dyn Iterator<Item = &[N::Float]>| -> Vec<N::Float> {
        samples.flat_map(|s| s.iter().copied()).collect()
    };
    let x = flat(&mut inputs.iter().map(Sample::as_slice));
    let y = flat(&mut targets.iter().map(Sample::as_slice));
    let mut workspace = network.workspace();
    let mut grads = vec![<N::Float as Default>::default(); N::PARAM_COUNT];
    network.backward_slice(&mut workspace, &x, &y, count, &mut grads);
    let analytic: Vec<f64> = grads.iter().map(|g| g.as_f64()).collect();

    let step = N::Float::cast(config.step);
    let mut numeric = Vec::with_capacity(N::PARAM_COUNT);
    for i in 0..N::PARAM_COUNT {
        let original = network.params()[i];
        network.params_mut()[i] = original + step;
        let plus = network.loss_slice(&mut workspace, &x, &y, count).as_f64();
        network.params_mut()[i] = original - step;
        let minus = network.loss_slice(&mut workspace, &x, &y, count).as_f64();
        network.params_mut()[i] = original;
        // The step actually taken, after rounding to the network's precision.
        let taken = (original + step).as_f64() - (original - step).as_f64();
        numeric.push((plus - minus) / taken);
    }

    let (worst, max_relative_error) = analytic
        .iter()
        .zip(&numeric)
        .map(|(a, n)| (a - n).abs() / a.abs().max(n.abs()).max(config.floor))
        .enumerate()
        .fold((0, 0.0), |best, (i, e)| if e > best.1 { (i, e) } else { best });
    GradCheck {
        analytic,
        numeric,
        max_relative_error,
        worst,
    }
}

