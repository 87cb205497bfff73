//! The generated backward pass against central finite differences, for every activation in
//! hidden layers and every output/loss pair, and batch norm, residual layers and dropout (in
//! training, with two mask seeds, and in evaluation), in f32 and f64, on random weights and
//! inputs, for one sample, a partial batch (padded inside) and a full batch.

use mlp_runtime::layer::Mode;
use mlp_runtime::prelude::*;
use mlp_runtime::{GradCheckConfig, gradient_check};

use crate::common::Data;

/// What targets the loss expects.
#[derive(Clone, Copy)]
enum Targets {
    /// Real values.
    Real,
    /// -1 or +1.
    Signs,
    /// Values in (0, 1).
    Probabilities,
    /// Positive vectors summing to 1.
    Distributions,
}

fn targets<N: StaticModel>(data: &mut Data, kind: Targets, count: usize) -> Vec<N::Output> {
    data.samples(count, |d| match kind {
        Targets::Real => (0..N::OUTPUTS).map(|_| d.normal()).collect(),
        Targets::Signs => (0..N::OUTPUTS)
            .map(|_| if d.unit() < 0.5 { -1.0 } else { 1.0 })
            .collect(),
        Targets::Probabilities => (0..N::OUTPUTS).map(|_| d.unit()).collect(),
        Targets::Distributions => {
            let raw: Vec<f64> = (0..N::OUTPUTS).map(|_| 0.05 + d.unit()).collect();
            let sum: f64 = raw.iter().sum();
            raw.into_iter().map(|v| v / sum).collect()
        }
    })
}

fn check<N: StaticModel>(kind: Targets) {
    let f64_network = <N::Float as Float>::NAME == "f64";
    let tolerance = if f64_network { 1e-6 } else { 1e-2 };
    let mut data = Data::new(2024);
    let mut network = N::with_seed(5);
    crate::common::move_running_statistics(&mut network);
    // Networks with batch norm or dropout train and evaluate differently: both modes, and
    // another seed's masks.
    let modes: &[Mode] = if network
        .spec()
        .plan()
        .hidden
        .iter()
        .any(|h| h.extras.is_some())
    {
        &[
            Mode::Train { seed: 0 },
            Mode::Train { seed: 77 },
            Mode::Eval,
        ]
    } else {
        &[Mode::Train { seed: 0 }]
    };
    for (count, &mode) in [1, N::BATCH_SIZE - 1, N::BATCH_SIZE]
        .into_iter()
        .flat_map(|count| modes.iter().map(move |mode| (count, mode)))
    {
        let inputs = data.inputs::<N>(count);
        let targets = targets::<N>(&mut data, kind, count);
        let config = GradCheckConfig {
            mode,
            ..GradCheckConfig::default()
        };
        let report = gradient_check(&network, &inputs, &targets, config);
        let w = report.worst;
        assert!(
            report.max_relative_error < tolerance,
            "{count} samples, {mode:?}: relative error {:.3e} at parameter {w}: analytic {:.8e}, numeric {:.8e}",
            report.max_relative_error,
            report.analytic[w],
            report.numeric[w],
        );
        assert!(
            report.analytic.iter().any(|g| g.abs() > 1e-3),
            "gradients are not all zero"
        );
    }
}

macro_rules! gradcheck {
    ($($name:ident: $path:literal, $targets:expr;)*) => {$(
        mod $name {
            use super::*;

            #[mlp(spec = $path)]
            struct Net;

            #[test]
            fn backward_matches_finite_differences() {
                check::<Net>($targets);
            }
        }
    )*};
}

gradcheck! {
    hidden_identity_f32: "tests/specs/grad/hidden-identity-f32.yaml", Targets::Real;
    hidden_identity_f64: "tests/specs/grad/hidden-identity-f64.yaml", Targets::Real;
    hidden_sigmoid_f32: "tests/specs/grad/hidden-sigmoid-f32.yaml", Targets::Real;
    hidden_sigmoid_f64: "tests/specs/grad/hidden-sigmoid-f64.yaml", Targets::Real;
    hidden_tanh_f32: "tests/specs/grad/hidden-tanh-f32.yaml", Targets::Real;
    hidden_tanh_f64: "tests/specs/grad/hidden-tanh-f64.yaml", Targets::Real;
    hidden_fast_tanh_f32: "tests/specs/grad/hidden-fast_tanh-f32.yaml", Targets::Real;
    hidden_relu_f32: "tests/specs/grad/hidden-relu-f32.yaml", Targets::Real;
    hidden_relu_f64: "tests/specs/grad/hidden-relu-f64.yaml", Targets::Real;
    hidden_leaky_relu_f32: "tests/specs/grad/hidden-leaky_relu-f32.yaml", Targets::Real;
    hidden_leaky_relu_f64: "tests/specs/grad/hidden-leaky_relu-f64.yaml", Targets::Real;
    hidden_elu_f32: "tests/specs/grad/hidden-elu-f32.yaml", Targets::Real;
    hidden_elu_f64: "tests/specs/grad/hidden-elu-f64.yaml", Targets::Real;
    hidden_gelu_f32: "tests/specs/grad/hidden-gelu-f32.yaml", Targets::Real;
    hidden_gelu_f64: "tests/specs/grad/hidden-gelu-f64.yaml", Targets::Real;
    hidden_softplus_f32: "tests/specs/grad/hidden-softplus-f32.yaml", Targets::Real;
    hidden_softplus_f64: "tests/specs/grad/hidden-softplus-f64.yaml", Targets::Real;
    hidden_silu_f32: "tests/specs/grad/hidden-silu-f32.yaml", Targets::Real;
    hidden_silu_f64: "tests/specs/grad/hidden-silu-f64.yaml", Targets::Real;
    batch_norm_f32: "tests/specs/grad/hidden-batch_norm-f32.yaml", Targets::Real;
    batch_norm_f64: "tests/specs/grad/hidden-batch_norm-f64.yaml", Targets::Real;
    residual_f32: "tests/specs/grad/hidden-residual-f32.yaml", Targets::Distributions;
    residual_f64: "tests/specs/grad/hidden-residual-f64.yaml", Targets::Distributions;
    dropout_f32: "tests/specs/grad/hidden-dropout-f32.yaml", Targets::Probabilities;
    dropout_f64: "tests/specs/grad/hidden-dropout-f64.yaml", Targets::Probabilities;

    identity_mse_f32: "tests/specs/grad/output-identity-mse-f32.yaml", Targets::Real;
    identity_mse_f64: "tests/specs/grad/output-identity-mse-f64.yaml", Targets::Real;
    identity_sum_of_squares_f32: "tests/specs/grad/output-identity-sum_of_squares-f32.yaml", Targets::Real;
    identity_sum_of_squares_f64: "tests/specs/grad/output-identity-sum_of_squares-f64.yaml", Targets::Real;
    identity_mae_f32: "tests/specs/grad/output-identity-mae-f32.yaml", Targets::Real;
    identity_mae_f64: "tests/specs/grad/output-identity-mae-f64.yaml", Targets::Real;
    identity_huber_f32: "tests/specs/grad/output-identity-huber-f32.yaml", Targets::Real;
    identity_huber_f64: "tests/specs/grad/output-identity-huber-f64.yaml", Targets::Real;
    identity_hinge_f32: "tests/specs/grad/output-identity-hinge-f32.yaml", Targets::Signs;
    identity_hinge_f64: "tests/specs/grad/output-identity-hinge-f64.yaml", Targets::Signs;
    tanh_hinge_f32: "tests/specs/grad/output-tanh-hinge-f32.yaml", Targets::Signs;
    tanh_hinge_f64: "tests/specs/grad/output-tanh-hinge-f64.yaml", Targets::Signs;
    tanh_huber_f32: "tests/specs/grad/output-tanh-huber-f32.yaml", Targets::Real;
    tanh_huber_f64: "tests/specs/grad/output-tanh-huber-f64.yaml", Targets::Real;
    sigmoid_bce_f32: "tests/specs/grad/output-sigmoid-bce-f32.yaml", Targets::Probabilities;
    sigmoid_bce_f64: "tests/specs/grad/output-sigmoid-bce-f64.yaml", Targets::Probabilities;
    fast_sigmoid_bce_f32: "tests/specs/grad/output-fast_sigmoid-bce-f32.yaml", Targets::Probabilities;
    sigmoid_mse_f32: "tests/specs/grad/output-sigmoid-mse-f32.yaml", Targets::Probabilities;
    sigmoid_mse_f64: "tests/specs/grad/output-sigmoid-mse-f64.yaml", Targets::Probabilities;
    softmax_cross_entropy_f32: "tests/specs/grad/output-softmax-cross_entropy-f32.yaml", Targets::Distributions;
    softmax_cross_entropy_f64: "tests/specs/grad/output-softmax-cross_entropy-f64.yaml", Targets::Distributions;
    softmax_kl_div_f32: "tests/specs/grad/output-softmax-kl_div-f32.yaml", Targets::Distributions;
    softmax_kl_div_f64: "tests/specs/grad/output-softmax-kl_div-f64.yaml", Targets::Distributions;
    softmax_mse_f32: "tests/specs/grad/output-softmax-mse-f32.yaml", Targets::Distributions;
    softmax_mse_f64: "tests/specs/grad/output-softmax-mse-f64.yaml", Targets::Distributions;
}
