//! Checks a network's backward pass against central finite differences computed in `f64`.

use crate::float::Float;
use crate::layer::Mode;
use crate::model::{Model, StaticModel};
use crate::sample::Sample;

/// The comparison of analytic and numerical gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct GradCheck {
    /// The gradient from the network's backward pass, in its own precision.
    pub analytic: Vec<f64>,
    /// The central finite-difference estimate, computed in `f64`.
    pub numeric: Vec<f64>,
    /// The largest relative error, `|a - n| / max(|a|, |n|, floor)`, over all parameters.
    pub max_relative_error: f64,
    /// The parameter where it occurs.
    pub worst: usize,
}

/// Options of [`gradient_check`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradCheckConfig {
    /// The finite-difference step. Defaults to `1e-5`, where the truncation error (of order
    /// `step^2`) and the rounding error (of order `1e-16 / step`) of `f64` are both far
    /// below `1e-9`.
    pub step: f64,
    /// Gradient components smaller than this are compared absolutely: the relative error
    /// divides by `max(|a|, |n|, floor)`. Defaults to `1e-4`: the difference quotient of a
    /// loss near 1 carries a rounding noise near `1e-16 / step = 1e-11` whatever the
    /// component's size, which would otherwise dominate the relative error of components
    /// below about `1e-5`. A wrong gradient still shows: an error of the size of a `1e-5`
    /// component counts as `0.1`.
    pub floor: f64,
    /// The mode of both passes. Defaults to training with dropout seed 0, the mode of a new
    /// workspace: batch norm then normalises with the batch's statistics, and dropout
    /// applies the same masks to both passes.
    pub mode: Mode,
}

impl Default for GradCheckConfig {
    fn default() -> Self {
        GradCheckConfig {
            step: 1e-5,
            floor: 1e-4,
            mode: Mode::Train { seed: 0 },
        }
    }
}

/// Compares the gradient of the mean loss over `inputs` and `targets` (typed samples of a
/// compiled network) from [`Model::backward_slice`] with central differences of
/// [`Model::loss_f64`]; see [`gradient_check_slices`].
///
/// # Panics
///
/// If `inputs` and `targets` differ in length, or hold zero or more than `BATCH_SIZE`
/// samples.
///
/// ```
/// use mlp_runtime::prelude::*;
/// use mlp_runtime::{GradCheckConfig, gradient_check};
///
/// #[mlp(spec = "../specs/xor.yaml")]
/// struct Xor;
///
/// let net = Xor::with_seed(1);
/// let inputs = [XorInput::new(0.3, -0.7), XorInput::new(1.0, 0.5)];
/// let targets = [XorOutput::new(1.0), XorOutput::new(0.0)];
/// let report = gradient_check(&net, &inputs, &targets, GradCheckConfig::default());
/// assert!(report.max_relative_error < 1e-2);
/// ```
pub fn gradient_check<N: StaticModel>(
    network: &N,
    inputs: &[N::Input],
    targets: &[N::Output],
    config: GradCheckConfig,
) -> GradCheck {
    assert_eq!(inputs.len(), targets.len(), "one target per input");
    let x: Vec<N::Float> = inputs
        .iter()
        .flat_map(|s| s.as_slice().iter().copied())
        .collect();
    let y: Vec<N::Float> = targets
        .iter()
        .flat_map(|s| s.as_slice().iter().copied())
        .collect();
    gradient_check_slices(network, &x, &y, inputs.len(), config)
}

/// Compares the gradient of the mean loss over `count` samples from
/// [`Model::backward_slice`] (in the model's precision) with central differences
/// `(L(p + h) - L(p - h)) / 2h` of [`Model::loss_f64`], one parameter at a time, in `f64`.
/// Buffers (batch norm's running statistics) are not parameters: their numeric gradient is
/// reported as zero, as their analytic one is.
///
/// # Panics
///
/// If `count` is 0 or above the batch size, or a slice is shorter than `count` samples.
pub fn gradient_check_slices<M: Model>(
    model: &M,
    inputs: &[M::Float],
    targets: &[M::Float],
    count: usize,
    config: GradCheckConfig,
) -> GradCheck {
    let param_count = model.params().len();
    let mut workspace = model.workspace();
    model.set_mode(&mut workspace, config.mode);
    let mut grads = vec![<M::Float as Default>::default(); param_count];
    model.backward_slice(&mut workspace, inputs, targets, count, &mut grads);
    let analytic: Vec<f64> = grads.iter().map(|g| g.as_f64()).collect();

    let widen = |values: &[M::Float]| -> Vec<f64> { values.iter().map(|v| v.as_f64()).collect() };
    let (x, y) = (widen(inputs), widen(targets));
    let mut params = widen(model.params());
    let mut numeric = Vec::with_capacity(param_count);
    // Batch norm's running statistics are buffers, not parameters: their gradient is zero
    // by definition (in evaluation the loss depends on them, but nothing optimises them).
    let buffer = |i: usize| {
        let layout = model.layout();
        layout
            .iter()
            .any(|s| s.role.is_buffer() && s.range().contains(&i))
    };
    for i in 0..param_count {
        if buffer(i) {
            numeric.push(0.0);
            continue;
        }
        let original = params[i];
        params[i] = original + config.step;
        let plus = model.loss_f64(&params, &x, &y, count, config.mode);
        params[i] = original - config.step;
        let minus = model.loss_f64(&params, &x, &y, count, config.mode);
        params[i] = original;
        numeric.push((plus - minus) / (2.0 * config.step));
    }

    let (worst, max_relative_error) = analytic
        .iter()
        .zip(&numeric)
        .map(|(a, n)| (a - n).abs() / a.abs().max(n.abs()).max(config.floor))
        .enumerate()
        .fold(
            (0, 0.0),
            |best, (i, e)| if e > best.1 { (i, e) } else { best },
        );
    GradCheck {
        analytic,
        numeric,
        max_relative_error,
        worst,
    }
}
