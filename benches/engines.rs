//! Compiled (static) against dynamic engine, in one run, for every benchmark network: the
//! training step (forward, backward, sgd update) at batch 1 and at batch 32, and inference
//! at batch 1; plus a reference 512x512x512 SGEMM (nalgebra's dynamic product, which calls
//! matrixmultiply) for the FLOP rate of large layers. Throughput is in samples (elements).
//!
//! `scripts/benchmarks.sh` runs this and writes BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mlp_runtime::DynNetwork;
use mlp_runtime::prelude::*;

/// Batches the steps cycle through. Random labels keep training from converging: repeating
/// one batch millions of times drives the gradients, and adam's moments, into subnormal
/// numbers, whose arithmetic is many times slower on x86 and would measure that instead.
const BATCHES: usize = 16;

/// A portable pseudo-random sequence (SplitMix64), so both engines see the same data.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `BATCHES` batches of `count` samples: inputs in [-1, 1), one-hot random labels (0/1 for a
/// single output).
fn batches(inputs: usize, outputs: usize, count: usize) -> Vec<(Vec<f32>, Vec<f32>)> {
    let mut numbers = Numbers(42);
    (0..BATCHES)
        .map(|_| {
            let x = (0..inputs * count)
                .map(|_| (2.0 * numbers.next() - 1.0) as f32)
                .collect();
            let mut y = vec![0.0f32; outputs * count];
            for sample in 0..count {
                let label = (numbers.next() * outputs.max(2) as f64) as usize;
                if outputs == 1 {
                    y[sample] = label as f32;
                } else {
                    y[sample * outputs + label] = 1.0;
                }
            }
            (x, y)
        })
        .collect()
}

/// One training step per call, cycling through `data`.
fn stepper<'a, M: Model<Float = f32>>(
    model: &'a mut M,
    data: &'a [(Vec<f32>, Vec<f32>)],
    count: usize,
) -> impl FnMut() + 'a {
    let mut trainer = Trainer::new(model);
    let mut next = 0;
    move || {
        let (x, y) = &data[next % BATCHES];
        next += 1;
        black_box(
            trainer
                .step(model, black_box(x), black_box(y), count)
                .expect("finite"),
        );
    }
}

fn bench_network<N: Network<Float = f32>>(c: &mut Criterion, name: &str, yaml: &str) {
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
        group.finish();
    }
    let x: Vec<f32> = batches(inputs_per_sample, outputs, 1).swap_remove(0).0;
    let mut group = c.benchmark_group(format!("infer/{name}/batch1"));
    group.throughput(Throughput::Elements(1));
    let input = N::Input::from_slice(&x);
    group.bench_function("static", |b| {
        b.iter(|| black_box(compiled.predict(black_box(&input))))
    });
    let mut workspace = dynamic.workspace();
    let mut out = vec![0.0f32; outputs];
    group.bench_function("dynamic", |b| {
        b.iter(|| dynamic.forward_slice(&mut workspace, black_box(&x), 1, black_box(&mut out)))
    });
    group.finish();
}

macro_rules! networks {
    ($($name:ident: $file:literal;)*) => {
        $(
            #[mlp(spec = $file)]
            #[allow(non_camel_case_types)]
            struct $name;
        )*

        fn engines(c: &mut Criterion) {
            $(
                bench_network::<$name>(
                    c,
                    stringify!($name),
                    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $file)),
                );
            )*
        }
    };
}

networks! {
    xor: "benches/specs/xor.yaml";
    iris: "benches/specs/iris.yaml";
    digits: "benches/specs/digits.yaml";
    breast_cancer: "benches/specs/breast_cancer.yaml";
    mnist: "benches/specs/mnist.yaml";
    wide: "benches/specs/wide.yaml";
}

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
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20);
    targets = engines, reference_sgemm
}
criterion_main!(benches);
