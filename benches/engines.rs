//! Compiled (static) engine, dynamic engine and a plain nalgebra network (the code a user
//! would otherwise write, `common/baseline.rs`), in one run, for every benchmark network: the
//! training step (forward, backward, sgd update) at batch 1 and at batch 32, and inference
//! at batch 1; the one-sample prediction of 2-8-1 with the fast activations (both, and
//! `fast_tanh` alone); 784-128-10's one-sample steps in an on-line session, and its
//! one-sample prediction by a `Predictor` on one thread and on two; plus a
//! reference 512x512x512 SGEMM for the FLOP rate of large layers.
//! Throughput is in samples (elements).
//!
//! `scripts/benchmarks.sh` runs this and `benches/ratios.rs` (the same measurements with the
//! engines interleaved, for ratios that the machine's noise does not move) and writes
//! BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mlp_runtime::DynNetwork;
use mlp_runtime::prelude::*;

mod common;

use common::baseline::Baseline;
use common::{BATCHES, baseline_stepper, batches, session_stepper, single_inputs, stepper};

fn bench_network<N: StaticModel<Float = f32>>(c: &mut Criterion, name: &str, yaml: &str) {
    let mut compiled = N::with_seed(1);
    let mut dynamic = DynNetwork::<f32>::from_yaml(yaml).expect("a valid bench spec");
    dynamic.reinitialize(1);
    let (inputs_per_sample, outputs) = (N::INPUTS, N::OUTPUTS);
    for count in [1, 32] {
        let data = batches(inputs_per_sample, outputs, count);
        let mut group = c.benchmark_group(format!("train/{name}/batch{count}"));
        group.throughput(Throughput::Elements(count as u64));
        let mut step = stepper(&mut compiled, &data, count);
        group.bench_function("static", |b| b.iter(&mut step));
        drop(step);
        let mut step = stepper(&mut dynamic, &data, count);
        group.bench_function("dynamic", |b| b.iter(&mut step));
        drop(step);
        let mut baseline = Baseline::new(yaml, dynamic.params(), count);
        let mut step = baseline_stepper(&mut baseline, &data);
        group.bench_function("baseline", |b| b.iter(&mut step));
        drop(step);
        group.finish();
    }
    let xs = single_inputs(inputs_per_sample, outputs);
    let samples: Vec<N::Input> = xs.iter().map(|x| N::Input::from_slice(x)).collect();
    let mut group = c.benchmark_group(format!("infer/{name}/batch1"));
    group.throughput(Throughput::Elements(1));
    let mut next = 0;
    group.bench_function("static", |b| {
        b.iter(|| {
            next += 1;
            black_box(compiled.predict(black_box(&samples[next % BATCHES])))
        })
    });
    let mut workspace = dynamic.workspace();
    let mut out = vec![0.0f32; outputs];
    group.bench_function("dynamic", |b| {
        b.iter(|| {
            next += 1;
            let x = &xs[next % BATCHES];
            dynamic.forward_slice(&mut workspace, black_box(x), 1, black_box(&mut out))
        })
    });
    let mut baseline = Baseline::new(yaml, dynamic.params(), 1);
    group.bench_function("baseline", |b| {
        b.iter(|| {
            next += 1;
            baseline.forward(black_box(&xs[next % BATCHES]));
            black_box(baseline.outputs()[0])
        })
    });
    group.finish();
}

fn engines(c: &mut Criterion) {
    for_each_network!(bench_network, c);
}

/// 2-8-1 with `fast_tanh` and `fast_sigmoid` (`benches/specs/xor_fast.yaml`).
#[mlp_runtime::mlp(spec = "benches/specs/xor_fast.yaml")]
struct XorFast;

/// 2-8-1 with `fast_tanh` and `sigmoid` (`benches/specs/xor_fast_tanh.yaml`), the functions
/// RTNeural's 2-8-1 computes.
#[mlp_runtime::mlp(spec = "benches/specs/xor_fast_tanh.yaml")]
struct XorFastTanh;

/// The compiled 2-8-1's one-sample prediction with the fast activations, and with Eigen's
/// `tanh` only, as `infer/xor/batch1/static` measures the exact ones.
fn fast_activations(c: &mut Criterion) {
    fast_prediction(c, "xor_fast", XorFast::with_seed(1));
    fast_prediction(c, "xor_fast_tanh", XorFastTanh::with_seed(1));
}

fn fast_prediction<N: StaticModel<Float = f32>>(c: &mut Criterion, name: &str, network: N) {
    let samples: Vec<_> = single_inputs(N::INPUTS, N::OUTPUTS)
        .iter()
        .map(|x| N::Input::from_slice(x))
        .collect();
    let mut group = c.benchmark_group(format!("infer/{name}/batch1"));
    group.throughput(Throughput::Elements(1));
    let mut next = 0;
    group.bench_function("static", |b| {
        b.iter(|| {
            next += 1;
            black_box(network.predict(black_box(&samples[next % BATCHES])))
        })
    });
    group.finish();
}

/// 784-128-10 (`benches/specs/mnist.yaml`).
#[mlp_runtime::mlp(spec = "benches/specs/mnist.yaml")]
struct Mnist;

/// 784-128-10's one-sample steps in an on-line session (`Trainer::online`), which holds the
/// first layer's update back to the next sample's forward pass: `train/mnist/batch1/online`,
/// beside the step alone (`static`); and `online_two_threads`, whose trainer has two
/// threads, which share out that walk over the weight.
fn online_training(c: &mut Criterion) {
    let data = batches(Mnist::INPUTS, Mnist::OUTPUTS, 1);
    let mut group = c.benchmark_group("train/mnist/batch1");
    group.throughput(Throughput::Elements(1));
    for (name, threads) in [("online", 1), ("online_two_threads", 2)] {
        let mut network = Mnist::with_seed(1);
        let config = TrainConfig {
            threads,
            ..TrainConfig::from_spec(&network.spec())
        };
        let mut trainer = Trainer::with_config(&network, config);
        let mut step = session_stepper(&mut trainer, &mut network, &data);
        group.bench_function(name, |b| b.iter(&mut step));
    }
    group.finish();
}

/// 784-128-10's one-sample prediction by a `Predictor` on one thread
/// (`infer/mnist/batch1/predictor`) and on two (`predictor_two_threads`), whose threads share
/// out the first layer's product; beside `static`, the network's own `predict`.
fn shared_prediction(c: &mut Criterion) {
    let network = Mnist::with_seed(1);
    let inputs = single_inputs(Mnist::INPUTS, Mnist::OUTPUTS);
    let mut out = [0.0f32; Mnist::OUTPUTS];
    let mut group = c.benchmark_group("infer/mnist/batch1");
    group.throughput(Throughput::Elements(1));
    for (name, threads) in [("predictor", 1), ("predictor_two_threads", 2)] {
        let mut predictor = Predictor::new(&network).with_threads(threads);
        assert_eq!(predictor.one_sample_threads(), threads);
        let mut next = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                next += 1;
                let x = black_box(&inputs[next % BATCHES]);
                predictor.predict(x, black_box(&mut out)).unwrap()
            })
        });
    }
    group.finish();
}

/// 512x512x512 SGEMM two ways: nalgebra's dynamic product (matrixmultiply, with run-time
/// CPU detection) and this crate's tiled kernel; the faster is the reachable FLOP rate that
/// BENCHMARKS.md compares the large networks with.
fn reference_sgemm(c: &mut Criterion) {
    let n = 512;
    let a = mlp_runtime::nalgebra::DMatrix::<f32>::from_fn(n, n, |i, j| ((i + j) % 7) as f32);
    let b = mlp_runtime::nalgebra::DMatrix::<f32>::from_fn(n, n, |i, j| ((i * j) % 5) as f32);
    let mut out = mlp_runtime::nalgebra::DMatrix::<f32>::zeros(n, n);
    let mut group = c.benchmark_group("sgemm");
    // Elements are floating-point operations, so criterion reports FLOP/s.
    group.throughput(Throughput::Elements(2 * (n * n * n) as u64));
    group.bench_function("512", |bench| {
        bench.iter(|| out.gemm(1.0, black_box(&a), black_box(&b), 0.0))
    });
    group.bench_function("512-tiled", |bench| {
        bench.iter(|| {
            mlp_runtime::kernels::gemm_nn(
                n,
                n,
                n,
                black_box(a.as_slice()),
                black_box(b.as_slice()),
                out.as_mut_slice(),
                false,
            )
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = engines, fast_activations, online_training, shared_prediction, reference_sgemm
}
criterion_main!(benches);
