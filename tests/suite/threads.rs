//! Data-parallel training steps: 20 steps (full, partial and one-sample batches) end with the
//! same bits on 1, 2 and 3 threads, for sgd and adam, on MNIST-sized and iris-sized networks,
//! with class weights, penalties with clipping, and dropout; the compiled and dynamic engines
//! agree on them. A step split by units or into shards of the batch computes what the step
//! that does not split computes, up to rounding (by units with hidden activations and heads
//! of every family), and one whose loss is not finite changes nothing.

use mlp_runtime::prelude::*;
use mlp_runtime::{DynNetwork, TrainError};

use crate::common::Data;

#[mlp(spec = "tests/specs/threads-mnist.yaml")]
struct ThreadsMnist;

/// A classifier's spec: `input`, the hidden layers, `classes` softmax outputs.
fn spec(input: usize, hidden: &[usize], classes: usize, rest: &str) -> String {
    let layers: String = hidden
        .iter()
        .map(|units| format!("  - {{units: {units}, activation: relu}}\n"))
        .collect();
    format!(
        "input: {input}\nlayers:\n{layers}  - {{units: {classes}, activation: softmax}}\nloss: cross_entropy\ninit: {{seed: 5}}\n{rest}"
    )
}

/// What a run leaves: the parameters, each step's loss, and the trainer's threads.
struct Run<T> {
    params: Vec<T>,
    losses: Vec<f64>,
    threads: usize,
}

/// 20 steps of `network` on `threads` threads, on seeded data whose batches are full,
/// partial or of one sample; the first half of each batch is of class 0.
fn run<M: Model>(network: M, threads: usize) -> Run<M::Float> {
    run_weighted(network, threads, &[])
}

/// [`run`] with the classes weighed by `class_weights` (set on the trainer, as a program may,
/// unlike a spec's, which are all positive).
fn run_weighted<M: Model>(network: M, threads: usize, class_weights: &[f64]) -> Run<M::Float> {
    let config = TrainConfig::from_spec(&network.spec())
        .with_threads(threads)
        .quiet();
    run_configured(network, config, class_weights)
}

/// [`run_weighted`] with the trainer's configuration `config`.
fn run_configured<M: Model>(
    mut network: M,
    config: TrainConfig,
    class_weights: &[f64],
) -> Run<M::Float> {
    let mut trainer = Trainer::with_config(&network, config);
    trainer.set_class_weights(&network, class_weights);
    let (batch, input, classes) = (
        network.batch_size(),
        network.input_size(),
        network.output_size(),
    );
    let mut data = Data::new(11);
    let counts = [batch, batch - 5, 1, batch / 2 + 3];
    let losses = (0..20)
        .map(|step| {
            let count = counts[step % counts.len()];
            let inputs: Vec<M::Float> = (0..count * input)
                .map(|_| M::Float::cast(data.normal()))
                .collect();
            let mut targets = vec![M::Float::cast(0.0); count * classes];
            for sample in 0..count {
                let class = if sample < count / 2 {
                    0
                } else {
                    (data.unit() * classes as f64) as usize % classes
                };
                targets[sample * classes + class] = M::Float::cast(1.0);
            }
            let loss = trainer.step(&mut network, &inputs, &targets, count);
            loss.expect("a finite step").as_f64()
        })
        .collect();
    Run {
        params: network.params().to_vec(),
        losses,
        threads: trainer.threads(),
    }
}

fn dynamic(yaml: &str) -> DynNetwork<f32> {
    DynNetwork::from_yaml(yaml).unwrap()
}

/// Runs `yaml` on 1, 2 and 3 threads and checks that they end with the same bits, on as many
/// threads as the spec has shards (at most); returns the run.
fn same_on_any_thread_count(yaml: &str, shards: usize) -> Run<f32> {
    assert_eq!(dynamic(yaml).shards().count, shards, "{yaml}");
    let one = run(dynamic(yaml), 1);
    assert_eq!(one.threads, 1);
    for threads in [2, 3] {
        let many = run(dynamic(yaml), threads);
        assert_eq!(many.threads, threads.min(shards), "{yaml}");
        assert_eq!(
            many.losses, one.losses,
            "{threads} threads: losses of {yaml}"
        );
        let differ = one.params.iter().zip(&many.params).filter(|(a, b)| a != b);
        assert_eq!(differ.count(), 0, "{threads} threads: parameters of {yaml}");
    }
    one
}

/// A split run computes what the unsplit run computes, up to rounding.
fn close_to_unsplit(split: &Run<f32>, unsplit_yaml: &str, tolerance: f32) {
    close_to_weighted_unsplit(split, unsplit_yaml, tolerance, &[]);
}

/// [`close_to_unsplit`] with the classes weighed by `class_weights` in the unsplit run.
fn close_to_weighted_unsplit(
    split: &Run<f32>,
    unsplit_yaml: &str,
    tolerance: f32,
    class_weights: &[f64],
) {
    assert_eq!(dynamic(unsplit_yaml).shards().count, 1);
    let whole = run_weighted(dynamic(unsplit_yaml), 1, class_weights);
    for (step, (a, b)) in split.losses.iter().zip(&whole.losses).enumerate() {
        assert!(
            (a - b).abs() <= 1e-5 * b.abs().max(1.0),
            "step {step}: loss {a} vs {b}"
        );
    }
    let worst = split
        .params
        .iter()
        .zip(&whole.params)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max);
    assert!(worst <= tolerance, "parameters differ by up to {worst}");
    assert!(
        split.params != whole.params,
        "a split step groups its sums differently"
    );
}

#[test]
fn parameters_after_20_steps_are_identical_on_1_2_and_3_threads() {
    let mnist = |optimizer: &str, threads: usize| {
        let rest =
            format!("optimizer: {optimizer}\nbatch_size: 64\ntraining: {{threads: {threads}}}\n");
        spec(784, &[128], 10, &rest)
    };
    // Iris-sized inputs and outputs: the small network never splits; a wide one does.
    let iris = |hidden: &[usize], optimizer: &str, threads: usize| {
        let rest =
            format!("optimizer: {optimizer}\nbatch_size: 64\ntraining: {{threads: {threads}}}\n");
        spec(4, hidden, 3, &rest)
    };
    let sgd = "{kind: sgd, lr: 0.05}";
    let adam = "{kind: adam, lr: 0.001}";
    // Wide hidden layers split by units, whatever the optimizer.
    for optimizer in [sgd, adam] {
        assert!(dynamic(&mnist(optimizer, 2)).spec().splits_units());
        let split = same_on_any_thread_count(&mnist(optimizer, 2), 2);
        close_to_unsplit(&split, &mnist(optimizer, 1), 1e-4);
        same_on_any_thread_count(&iris(&[16], optimizer, 2), 1);
        let wide = same_on_any_thread_count(&iris(&[256, 256], optimizer, 3), 3);
        close_to_unsplit(&wide, &iris(&[256, 256], optimizer, 1), 1e-4);
        // Three hidden layers: the middle one's delta, kept by parts, feeds a propagation
        // (in blocks of 32 rows: the third part has none of the 64 units).
        assert!(
            dynamic(&iris(&[256, 64, 512], optimizer, 3))
                .spec()
                .splits_units()
        );
        let deep = same_on_any_thread_count(&iris(&[256, 64, 512], optimizer, 3), 3);
        close_to_unsplit(&deep, &iris(&[256, 64, 512], optimizer, 1), 1e-4);
        // A 48-unit layer is too narrow to split by units: the batch splits into shards.
        let sharded = iris(&[256, 256, 48], optimizer, 3);
        assert!(!dynamic(&sharded).spec().splits_units());
        let split = same_on_any_thread_count(&sharded, 3);
        close_to_unsplit(&split, &iris(&[256, 256, 48], optimizer, 1), 1e-4);
    }
    let split = same_on_any_thread_count(&mnist(sgd, 3), 3);
    close_to_unsplit(&split, &mnist(sgd, 1), 1e-4);
    let split = same_on_any_thread_count(&mnist(adam, 3), 3);
    close_to_unsplit(&split, &mnist(adam, 1), 1e-5);
}

/// Networks just large enough to split at batch 64 on 2 or 3 threads, with iris' sizes: by
/// units, and (with a narrow last hidden layer) into shards.
const WIDE_IRIS: [&[usize]; 2] = [&[256, 256], &[256, 256, 48]];

#[test]
fn class_weighted_means_split_alike() {
    // Each batch's first half is of class 0, so two shards' weights differ: weighing them by
    // their sample counts would change the losses in their second digit.
    for (hidden, by_units) in WIDE_IRIS.into_iter().zip([true, false]) {
        let weighted = |threads: usize| {
            let rest = format!(
                "batch_size: 64\ntraining: {{threads: {threads}, class_weights: [5, 1, 2]}}\n"
            );
            spec(4, hidden, 3, &rest)
        };
        assert_eq!(dynamic(&weighted(2)).spec().splits_units(), by_units);
        let split = same_on_any_thread_count(&weighted(2), 2);
        close_to_unsplit(&split, &weighted(1), 1e-5);
    }
}

#[test]
fn a_part_whose_samples_all_weigh_nothing_adds_nothing() {
    // Class 0 weighs nothing, and the first half of each batch, the first part's samples in
    // full batches, is of class 0: that part's own mean is not a number, and it must add
    // nothing to the step rather than stop it, as a shard without share does.
    let weights = [0.0, 1.0, 2.0];
    let yaml = |threads: usize| {
        let rest = format!("batch_size: 64\ntraining: {{threads: {threads}}}\n");
        spec(4, WIDE_IRIS[0], 3, &rest)
    };
    assert!(dynamic(&yaml(2)).spec().splits_units());
    let one = run_weighted(dynamic(&yaml(2)), 1, &weights);
    let two = run_weighted(dynamic(&yaml(2)), 2, &weights);
    assert_eq!(one.losses, two.losses);
    assert!(one.params == two.params);
    assert!(one.params.iter().all(|p| p.is_finite()));
    close_to_weighted_unsplit(&one, &yaml(1), 1e-5, &weights);
}

#[test]
fn penalties_clipping_and_dropout_split_alike() {
    // Wide hidden layers split by units (the update then runs after the threads' passes, on
    // the whole gradient); a narrow one into shards.
    for (hidden, optimizer, by_units) in [
        (WIDE_IRIS[0], "sgd", true),
        (WIDE_IRIS[0], "momentum", true),
        (WIDE_IRIS[1], "momentum", false),
    ] {
        let penalised = |threads: usize| {
            let rest = format!(
                "optimizer: {{kind: {optimizer}, lr: 0.05}}\nregularization: {{l2: 0.01, l1: 0.001}}\nbatch_size: 64\ntraining: {{threads: {threads}, clip_grad_norm: 0.5}}\n"
            );
            spec(4, hidden, 3, &rest)
        };
        assert_eq!(dynamic(&penalised(2)).spec().splits_units(), by_units);
        let split = same_on_any_thread_count(&penalised(2), 2);
        close_to_unsplit(&split, &penalised(1), 1e-5);
    }
    // Dropout: each shard draws its own masks, the same on any number of threads.
    let dropout = "input: 4\nlayers:\n  - {units: 256, activation: relu}\n  - {units: 256, activation: relu, dropout: 0.3}\n  - {units: 3, activation: softmax}\nloss: cross_entropy\nbatch_size: 64\ntraining: {threads: 2}\n";
    same_on_any_thread_count(dropout, 2);
}

#[test]
fn an_output_layer_for_the_tiled_kernels_splits_by_units_alike() {
    // 32 classes: the output weight's products (and the last hidden layer's delta) take the
    // tiled kernels, whose blocks the threads split; with a penalty, the threads write the
    // gradient instead of stepping.
    for rest in ["", "regularization: {l2: 0.01}\n"] {
        let wide_output = |threads: usize| {
            let rest = format!(
                "optimizer: {{kind: sgd, lr: 0.05}}\nbatch_size: 64\ntraining: {{threads: {threads}}}\n{rest}"
            );
            spec(784, &[256], 32, &rest)
        };
        assert!(dynamic(&wide_output(3)).spec().splits_units());
        let split = same_on_any_thread_count(&wide_output(3), 3);
        close_to_unsplit(&split, &wide_output(1), 1e-4);
    }
}

#[test]
fn every_activation_and_head_splits_by_units_alike() {
    // A step split by units runs each hidden layer's activation, and the head, with its type
    // known in code compiled for the CPU's widest registers: the logistic functions and the
    // `tanh`s on vector lanes, the others in loops the compiler vectorises, the chained heads
    // through their element-wise losses. Two hidden layers of different kinds per network.
    let cases = [
        (["tanh", "gelu"], "softmax", "cross_entropy"),
        (["fast_tanh", "silu"], "fast_sigmoid", "bce"),
        (["sigmoid", "leaky_relu"], "sigmoid", "bce"),
        (["fast_sigmoid", "elu"], "identity", "mse"),
        (["softplus", "relu"], "softmax", "kl_div"),
    ];
    for ([first, second], output, loss) in cases {
        let yaml = |threads: usize| {
            format!(
                "input: 8\nlayers:\n  - {{units: 192, activation: {first}}}\n  - {{units: 192, activation: {second}}}\n  - {{units: 3, activation: {output}}}\nloss: {loss}\ninit: {{seed: 5}}\nbatch_size: 64\ntraining: {{threads: {threads}}}\n"
            )
        };
        assert!(dynamic(&yaml(2)).spec().splits_units(), "{first}, {second}");
        let split = same_on_any_thread_count(&yaml(2), 2);
        close_to_unsplit(&split, &yaml(1), 1e-4);
    }
}

#[test]
fn each_parts_update_has_the_bits_of_the_whole_update() {
    // In a step split by units, each part's thread updates its own parameters as soon as
    // their gradient is complete. Diagnostics need the whole gradient, so with them the update
    // runs once on the calling thread, after the passes: the same bits, for every optimizer
    // with state.
    for optimizer in [
        "{kind: momentum, lr: 0.05, momentum: 0.9}",
        "{kind: nesterov, lr: 0.05, momentum: 0.9}",
        "{kind: adagrad, lr: 0.05}",
        "{kind: rmsprop, lr: 0.001}",
        "{kind: adam, lr: 0.001}",
        "{kind: adamw, lr: 0.001, weight_decay: 0.1}",
    ] {
        let rest = format!("optimizer: {optimizer}\nbatch_size: 64\ntraining: {{threads: 2}}\n");
        let yaml = spec(4, WIDE_IRIS[0], 3, &rest);
        assert!(dynamic(&yaml).spec().splits_units());
        for threads in [1, 2] {
            let config = || {
                TrainConfig::from_spec(&dynamic(&yaml).spec())
                    .with_threads(threads)
                    .quiet()
            };
            let by_parts = run_configured(dynamic(&yaml), config(), &[]);
            let whole = TrainConfig {
                diagnostics: true,
                ..config()
            };
            let whole = run_configured(dynamic(&yaml), whole, &[]);
            assert_eq!(
                by_parts.losses, whole.losses,
                "{optimizer}, {threads} threads"
            );
            assert!(
                by_parts.params == whole.params,
                "{optimizer}, {threads} threads"
            );
        }
    }
}

#[test]
fn a_split_step_whose_loss_is_not_finite_changes_nothing() {
    // Only the last sample's target is not finite, so only the second part's loss is not:
    // every thread must still see the batch's loss and leave its weights alone.
    let yaml = |threads: usize| {
        let rest = format!(
            "optimizer: {{kind: sgd, lr: 0.05}}\nbatch_size: 64\ntraining: {{threads: {threads}}}\n"
        );
        spec(4, WIDE_IRIS[0], 3, &rest)
    };
    let inputs: Vec<f32> = (0..64 * 4).map(|k| (k % 7) as f32 / 7.0).collect();
    let mut targets: Vec<f32> = (0..64 * 3).map(|k| f32::from(k % 3 == 0)).collect();
    for threads in [1, 2] {
        let mut network = dynamic(&yaml(2));
        assert!(network.spec().splits_units());
        let config = TrainConfig::from_spec(&network.spec())
            .with_threads(threads)
            .quiet();
        let mut trainer = Trainer::with_config(&network, config);
        let before = network.params().to_vec();
        targets[63 * 3] = f32::NAN;
        let error = trainer
            .step(&mut network, &inputs, &targets, 64)
            .unwrap_err();
        assert!(
            matches!(
                error,
                TrainError::NotFiniteSample {
                    what: "target",
                    sample: 63,
                    index: 0,
                    ..
                }
            ),
            "{threads} threads: {error:?}"
        );
        assert!(network.params() == &before[..], "{threads} threads");
        // The same batch with a finite target trains.
        targets[63 * 3] = 1.0;
        let loss = trainer.step(&mut network, &inputs, &targets, 64).unwrap();
        assert!(loss.is_finite() && network.params() != &before[..]);
    }
}

#[mlp(spec = "tests/specs/threads-mnist-sgd.yaml")]
pub(crate) struct ThreadsMnistSgd;
#[mlp(spec = "tests/specs/threads-mnist-shards.yaml")]
struct ThreadsMnistShards;

/// The compiled network's split steps are the dynamic engine's, bit for bit, on one thread
/// and on two: by units (adam, and sgd fused into the backward pass) and into shards (adam).
#[test]
fn compiled_and_dynamic_engines_split_alike() {
    assert_eq!(ThreadsMnist::TRAINING_SHARDS, 2);
    assert!(ThreadsMnist::new().spec().splits_units());
    assert!(ThreadsMnistSgd::new().spec().splits_units());
    assert_eq!(ThreadsMnistShards::TRAINING_SHARDS, 2);
    assert!(!ThreadsMnistShards::new().spec().splits_units());
    alike(
        ThreadsMnist::new,
        include_str!("../specs/threads-mnist.yaml"),
    );
    alike(
        ThreadsMnistSgd::new,
        include_str!("../specs/threads-mnist-sgd.yaml"),
    );
    alike(
        ThreadsMnistShards::new,
        include_str!("../specs/threads-mnist-shards.yaml"),
    );
}

/// Runs the compiled network `make` makes and the dynamic one of `yaml` on one thread and
/// on two, and checks that they end with the same bits.
fn alike<M: Model<Float = f32>>(make: impl Fn() -> M, yaml: &str) {
    for threads in [1, 2] {
        let compiled = run(make(), threads);
        let dynamic = run(dynamic(yaml), threads);
        assert_eq!(compiled.threads, threads);
        assert_eq!(compiled.losses, dynamic.losses, "{threads} threads");
        for (i, (a, b)) in compiled.params.iter().zip(&dynamic.params).enumerate() {
            assert!(a == b, "{threads} threads: parameter {i}: {a} vs {b}");
        }
    }
}
