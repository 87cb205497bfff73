//! The two engines agree: for every spec, a compiled network and a `DynNetwork` built from
//! the same YAML start from bit-identical weights for a seed, and give the same outputs,
//! losses and gradients on random inputs, and the same parameters and optimizer state after
//! several steps of their optimizer (every optimizer is covered by the oracle specs). Ten
//! random seeds per spec.
//!
//! "The same" is exact: both engines run the same layer code in the same order, the compiled
//! one with its sizes as constants, so every value is equal (compared with `==`, under which
//! the two zeros are equal: a partial batch padded with zero columns can turn a `-0` sum into
//! `+0`).

use mlp_runtime::prelude::*;
use mlp_runtime::{DynNetwork, GradCheckConfig, gradient_check_slices};

use crate::common::Data;

fn same<T: Float>(what: &str, a: &[T], b: &[T]) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(x == y, "{what}[{i}]: static {x} vs dynamic {y}");
    }
}

fn random<T: Float>(data: &mut Data, n: usize, scale: f64) -> Vec<T> {
    (0..n).map(|_| T::cast(scale * data.normal())).collect()
}

/// Targets the loss accepts: class distributions, 0/1, -1/+1, or real values.
fn targets<T: Float>(data: &mut Data, spec: &mlp_runtime::spec::Spec, count: usize) -> Vec<T> {
    use mlp_runtime::spec::Loss;
    let outputs = spec.outputs();
    (0..count)
        .flat_map(|_| {
            let row: Vec<f64> = match spec.loss {
                Loss::CrossEntropy | Loss::KlDiv => {
                    let raw: Vec<f64> = (0..outputs).map(|_| 0.05 + data.unit()).collect();
                    let sum: f64 = raw.iter().sum();
                    raw.into_iter().map(|v| v / sum).collect()
                }
                Loss::Bce => (0..outputs).map(|_| f64::from(data.unit() < 0.5)).collect(),
                Loss::Hinge => (0..outputs)
                    .map(|_| if data.unit() < 0.5 { -1.0 } else { 1.0 })
                    .collect(),
                _ => (0..outputs).map(|_| data.normal()).collect(),
            };
            row
        })
        .map(T::cast)
        .collect()
}

fn check<N: StaticModel>(yaml: &str) {
    let mut dynamic = DynNetwork::<N::Float>::from_yaml(yaml).expect("the spec builds dynamically");
    for seed in 0..10 {
        let mut compiled = N::with_seed(seed);
        dynamic.reinitialize(seed);
        assert_eq!(
            compiled.params(),
            dynamic.params(),
            "seed {seed}: the same initial weights"
        );
        let spec = compiled.spec();
        assert_eq!(N::LAYOUT, &spec.param_layout()[..], "the embedded layout");
        let mut data = Data::new(100 + seed);
        let batch = N::BATCH_SIZE;
        for count in [1, batch.div_ceil(2), batch] {
            let x: Vec<N::Float> = random(&mut data, N::INPUTS * count, 1.0);
            let y: Vec<N::Float> = targets(&mut data, &spec, count);
            let (mut ws, mut dws) = (compiled.workspace(), dynamic.workspace());
            let mut out = vec![N::Float::cast(0.0); N::OUTPUTS * count];
            let mut dout = out.clone();
            compiled.forward_slice(&mut ws, &x, count, &mut out);
            dynamic.forward_slice(&mut dws, &x, count, &mut dout);
            same("outputs", &out, &dout);
            let mut grads = vec![N::Float::cast(0.0); N::PARAM_COUNT];
            let mut dgrads = grads.clone();
            let loss = compiled.backward_slice(&mut ws, &x, &y, count, &mut grads);
            let dloss = dynamic.backward_slice(&mut dws, &x, &y, count, &mut dgrads);
            same("loss", &[loss], &[dloss]);
            same("gradients", &grads, &dgrads);
        }
        // Five optimizer steps each, on the same batches.
        let (mut trainer, mut dtrainer) = (Trainer::new(&compiled), Trainer::new(&dynamic));
        for _ in 0..5 {
            let x: Vec<N::Float> = random(&mut data, N::INPUTS * batch, 1.0);
            let y: Vec<N::Float> = targets(&mut data, &spec, batch);
            trainer.step(&mut compiled, &x, &y, batch).unwrap();
            dtrainer.step(&mut dynamic, &x, &y, batch).unwrap();
        }
        same(
            "parameters after 5 steps",
            compiled.params(),
            dynamic.params(),
        );
        same(
            "optimizer state",
            &flat(trainer.optimizer().state()),
            &flat(dtrainer.optimizer().state()),
        );
    }
}

fn flat<T: Copy>(buffers: &[mlp_runtime::Lines<T>]) -> Vec<T> {
    buffers.iter().flat_map(|b| b.iter().copied()).collect()
}

macro_rules! parity {
    ($($name:ident: $path:literal;)*) => {$(
        mod $name {
            #[mlp_runtime::mlp(spec = $path)]
            struct Net;

            #[test]
            fn static_and_dynamic_engines_agree() {
                super::check::<Net>(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)));
            }
        }
    )*};
}

parity! {
    xor: "specs/xor.yaml";
    iris: "specs/iris.yaml";
    digits: "specs/digits.yaml";
    breast_cancer: "specs/breast_cancer.yaml";
    diabetes: "specs/diabetes.yaml";
    mnist: "specs/mnist.yaml";
    wide: "specs/wide.yaml";
    bench_xor: "benches/specs/xor.yaml";
    bench_xor_fast: "benches/specs/xor_fast.yaml";
    bench_iris: "benches/specs/iris.yaml";
    bench_digits: "benches/specs/digits.yaml";
    bench_breast_cancer: "benches/specs/breast_cancer.yaml";
    bench_mnist: "benches/specs/mnist.yaml";
    bench_wide: "benches/specs/wide.yaml";
    fused_sgd: "tests/specs/fused-sgd.yaml";
    fused_sgd_long_batch: "tests/specs/fused-sgd-long-batch.yaml";
    fused_sgd_one_sample_wide: "tests/specs/fused-sgd-one-sample-wide.yaml";
    sgd: "tests/oracle/case_01/spec.yaml";
    momentum_l2: "tests/oracle/case_02/spec.yaml";
    nesterov: "tests/oracle/case_03/spec.yaml";
    adagrad_l1: "tests/oracle/case_04/spec.yaml";
    rmsprop: "tests/oracle/case_05/spec.yaml";
    adam: "tests/oracle/case_06/spec.yaml";
    adamw: "tests/oracle/case_07/spec.yaml";
    sum_of_squares: "tests/oracle/case_08/spec.yaml";
    silu_momentum: "tests/oracle/case_09/spec.yaml";
    weighted_cross_entropy: "tests/oracle/case_10/spec.yaml";
    weighted_bce_fused: "tests/oracle/case_11/spec.yaml";
    elu_f64: "tests/specs/grad/hidden-elu-f64.yaml";
    gelu_f32: "tests/specs/grad/hidden-gelu-f32.yaml";
    silu_f32: "tests/specs/grad/hidden-silu-f32.yaml";
    silu_f64: "tests/specs/grad/hidden-silu-f64.yaml";
    softmax_kl_div: "tests/specs/grad/output-softmax-kl_div-f32.yaml";
    softmax_mse_f64: "tests/specs/grad/output-softmax-mse-f64.yaml";
    tanh_hinge: "tests/specs/grad/output-tanh-hinge-f32.yaml";
    fast_tanh: "tests/specs/grad/hidden-fast_tanh-f32.yaml";
    identity_mae: "tests/specs/grad/output-identity-mae-f32.yaml";
    batch_norm_adam: "tests/oracle/case_12/spec.yaml";
    residual_momentum: "tests/oracle/case_13/spec.yaml";
    batch_norm_residual_adamw: "tests/oracle/case_14/spec.yaml";
    dropout_sgd: "tests/oracle/case_15/spec.yaml";
    batch_norm_f32: "tests/specs/grad/hidden-batch_norm-f32.yaml";
    batch_norm_f64: "tests/specs/grad/hidden-batch_norm-f64.yaml";
    residual_f64: "tests/specs/grad/hidden-residual-f64.yaml";
    dropout_f32: "tests/specs/grad/hidden-dropout-f32.yaml";
    deep_batch_norm: "tests/specs/deep-batch-norm.yaml";
}

/// The dynamic engine's backward pass against finite differences, for every gradient-check
/// spec (every activation in hidden layers, every output/loss pair, f32 and f64).
#[test]
fn dynamic_backward_matches_finite_differences_for_every_spec() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/specs/grad");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let yaml = std::fs::read_to_string(&path).unwrap();
        let worst = if yaml.contains("precision: f64") {
            worst_error(&DynNetwork::<f64>::from_yaml(&yaml).unwrap(), &path)
        } else {
            worst_error(&DynNetwork::<f32>::from_yaml(&yaml).unwrap(), &path)
        };
        let tolerance = if yaml.contains("precision: f64") {
            1e-6
        } else {
            1e-2
        };
        assert!(
            worst < tolerance,
            "{}: relative error {worst:e}",
            path.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 50);
}

fn worst_error<T: Float>(network: &DynNetwork<T>, path: &std::path::Path) -> f64 {
    let spec = network.spec();
    let mut data = Data::new(7);
    let count = network.batch_size();
    let x: Vec<T> = random(&mut data, network.input_size() * count, 1.0);
    let y: Vec<T> = targets(&mut data, &spec, count);
    let report = gradient_check_slices(network, &x, &y, count, GradCheckConfig::default());
    assert!(
        report.analytic.iter().any(|g| g.abs() > 1e-3),
        "{}: gradients vanish",
        path.display()
    );
    report.max_relative_error
}
