//! The trainer's contract: what an epoch visits, how batches are weighted, determinism,
//! divergence, early stopping and the history.

use mlp_runtime::prelude::*;
use mlp_runtime::{Optimizer, StopReason, TrainError};

use crate::common::Data;

#[mlp(spec = "tests/specs/visit.yaml")]
struct Visit;

#[mlp(spec = "tests/specs/full-batch.yaml")]
struct FullBatch;

#[mlp(spec = "tests/specs/partial-batch.yaml")]
struct PartialBatch;

#[mlp(spec = "tests/specs/diverge.yaml")]
struct Diverge;

#[mlp(spec = "tests/specs/fused-sgd.yaml")]
struct FusedSgd;

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

fn quiet<N: Network>(epochs: usize, shuffle: bool, seed: u64) -> TrainConfig {
    TrainConfig {
        epochs,
        shuffle,
        seed,
        progress: false,
        ..TrainConfig::from_spec(&N::with_seed(0).spec())
    }
}

fn random_data<const IN: usize, const OUT: usize>(
    count: usize,
    seed: u64,
) -> Dataset<f64, IN, OUT> {
    let mut data = Data::new(seed);
    let inputs: Vec<f64> = (0..count * IN).map(|_| data.normal()).collect();
    let targets: Vec<f64> = (0..count * OUT).map(|_| data.normal()).collect();
    Dataset::from_slices(&inputs, &targets).unwrap()
}

#[test]
fn a_shuffled_epoch_visits_every_sample_exactly_once() {
    // Sample j is the j-th unit vector: only its visit moves weight j. With batches of one,
    // eight steps that move all eight weights visit each sample exactly once.
    let mut inputs = vec![0.0f32; 64];
    for j in 0..8 {
        inputs[j * 8 + j] = 1.0;
    }
    let data = Dataset::<f32, 8, 1>::from_slices(&inputs, &[1.0; 8]).unwrap();
    let first_visited = |seed| {
        let mut net = Visit::zeros();
        let mut trainer = Trainer::with_config(&net, quiet::<Visit>(1, true, seed));
        trainer.fit(&mut net, &data, None).unwrap();
        assert_eq!(trainer.optimizer().steps(), 8);
        let weights = net.layer0_weight();
        assert!(
            weights.iter().all(|&w| w != 0.0),
            "every sample moved its weight: {weights}"
        );
        // The first sample visited sees a zero output: its weight moves by 0.5 * (1 - 0).
        weights
            .iter()
            .position(|&w| w == 0.5)
            .expect("one sample was first")
    };
    let firsts: Vec<usize> = (0..6).map(first_visited).collect();
    assert!(
        firsts.windows(2).any(|w| w[0] != w[1]),
        "the order depends on the seed: {firsts:?}"
    );
}

#[test]
fn full_batch_training_steps_along_the_mean_of_per_sample_gradients() {
    let data = random_data::<3, 2>(6, 1);
    let mut net = FullBatch::new();
    let mut workspace = net.workspace();
    let mut mean = vec![0.0; FullBatch::PARAM_COUNT];
    for i in 0..data.len() {
        let mut grads = net.gradients();
        let x = FullBatchInput::from_column_slice(data.input(i));
        let y = FullBatchOutput::from_column_slice(data.target(i));
        net.backward(&mut workspace, &x, &y, &mut grads);
        for (m, g) in mean.iter_mut().zip(grads.as_slice()) {
            *m += g / data.len() as f64;
        }
    }
    let expected: Vec<f64> = net
        .params()
        .iter()
        .zip(&mean)
        .map(|(p, g)| p - 0.1 * g)
        .collect();
    let mut trainer = Trainer::with_config(&net, quiet::<FullBatch>(1, true, 0));
    trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(trainer.optimizer().steps(), 1);
    for (a, e) in net.params().iter().zip(&expected) {
        assert!((a - e).abs() < 1e-14, "{a} vs {e}");
    }
}

#[test]
fn the_last_partial_batch_is_a_step_weighted_by_its_own_size() {
    let data = random_data::<3, 2>(7, 2);
    let mut net = PartialBatch::new();
    let mut expected = net.clone();
    let mut workspace = expected.workspace();
    let mut grads = expected.gradients();
    let mut losses = Vec::new();
    for (start, count) in [(0, 4), (4, 3)] {
        let inputs = &data.inputs()[start * 3..(start + count) * 3];
        let targets = &data.targets()[start * 2..(start + count) * 2];
        losses.push(expected.backward_slice(
            &mut workspace,
            inputs,
            targets,
            count,
            grads.as_mut_slice(),
        ));
        for (p, g) in expected.params_mut().iter_mut().zip(grads.as_slice()) {
            *p -= 0.1 * g;
        }
    }
    let mut trainer = Trainer::with_config(&net, quiet::<PartialBatch>(1, false, 0));
    let history = trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(net.params(), expected.params());
    let epoch_loss = (4.0 * losses[0] + 3.0 * losses[1]) / 7.0;
    assert!((history.epochs[0].loss - epoch_loss).abs() < 1e-15);
}

#[test]
fn the_fused_sgd_step_gives_the_bits_of_backward_then_optimizer() {
    let mut data = Data::new(3);
    let inputs: Vec<f32> = (0..5 * 40).map(|_| data.normal() as f32).collect();
    let mut targets = [0.0f32; 5 * 3];
    for sample in 0..5 {
        targets[sample * 3 + sample % 3] = 1.0;
    }
    let mut fused = FusedSgd::with_seed(4);
    let mut separate = fused.clone();
    let mut trainer = Trainer::new(&fused);
    let mut optimizer = Optimizer::<f32>::new(
        fused.spec().optimizer,
        &fused.spec().regularization,
        FusedSgd::PARAM_COUNT,
    );
    let mut workspace = separate.workspace();
    let mut grads = vec![0.0f32; FusedSgd::PARAM_COUNT];
    // One sample (the fixed-size loops), a full batch (tiled first layer), a partial one.
    for count in [1, 5, 3, 5, 1] {
        let (x, y) = (&inputs[..40 * count], &targets[..3 * count]);
        let loss = trainer.step(&mut fused, x, y, count).unwrap();
        let expected = separate.backward_slice(&mut workspace, x, y, count, &mut grads);
        optimizer.step(separate.params_mut(), &grads, FusedSgd::LAYOUT, 0.1);
        assert_eq!(loss.to_bits(), expected.to_bits());
        assert!(
            fused
                .params()
                .iter()
                .zip(separate.params())
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
    }
    assert_eq!(trainer.optimizer().steps(), 5);
    assert_ne!(fused.params(), FusedSgd::with_seed(4).params());
}

#[test]
fn the_same_seed_gives_bit_identical_weights() {
    let data = Dataset::<f32, 4, 3>::from_csv(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/iris.csv"),
        CsvTarget::Label(4),
    )
    .unwrap();
    let run = |seed| {
        let mut net = Iris::with_seed(seed);
        let mut trainer = Trainer::with_config(&net, quiet::<Iris>(5, true, seed));
        trainer.fit(&mut net, &data, None).unwrap();
        net.params()
            .iter()
            .map(|p| p.to_bits())
            .collect::<Vec<u32>>()
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn divergence_stops_with_an_error_and_keeps_the_last_good_weights() {
    let data =
        Dataset::<f32, 1, 1>::from_slices(&[1.0, 3.0, -2.0, 5.0], &[10.0, -4.0, 8.0, 1.0]).unwrap();
    let mut net = Diverge::new();
    let mut trainer = Trainer::with_config(&net, quiet::<Diverge>(100, false, 0));
    let good_epochs = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = good_epochs.clone();
    trainer.on_epoch(move |record| {
        counter.set(record.epoch);
        std::ops::ControlFlow::Continue(())
    });
    let error = trainer.fit(&mut net, &data, None).unwrap_err();
    let TrainError::Diverged { epoch, .. } = error else {
        panic!("expected divergence, got {error}");
    };
    assert_eq!(
        epoch,
        good_epochs.get() + 1,
        "the error names the epoch after the last good one"
    );
    assert!(
        net.params().iter().all(|p| p.is_finite()),
        "{:?}",
        net.params()
    );
    assert!(
        error.to_string().contains("lower the learning rate")
            || error.to_string().contains("Lower the learning rate")
    );
}

#[test]
fn early_stopping_restores_the_best_epoch_and_history_exports() {
    let data = Dataset::<f32, 4, 3>::from_csv(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/iris.csv"),
        CsvTarget::Label(4),
    )
    .unwrap();
    let mut net = Iris::new();
    let config = TrainConfig {
        validation_split: 0.3,
        early_stopping: Some(mlp_runtime::spec::EarlyStopping {
            monitor: mlp_runtime::spec::Monitor::ValLoss,
            patience: 3,
            min_delta: 0.0,
            restore_best: true,
        }),
        ..quiet::<Iris>(400, true, 1)
    };
    let mut trainer = Trainer::with_config(&net, config);
    let history = trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(history.stop, StopReason::EarlyStopping);
    let best = history.restored_epoch.expect("the best epoch was restored");
    let best_loss = history.epochs[best - 1].val_loss.unwrap();
    assert!(
        history
            .epochs
            .iter()
            .all(|r| r.val_loss.unwrap() >= best_loss)
    );
    assert_eq!(history.epochs.len(), best + 3);

    let csv = history.to_csv();
    assert!(
        csv.starts_with("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), history.epochs.len() + 1);
    let json = history.to_json();
    assert!(json.contains("\"stop\": \"early_stopping\""), "{json}");
}

#[test]
fn min_loss_change_and_callbacks_stop_training() {
    let data = random_data::<3, 2>(6, 3);
    let mut net = FullBatch::new();
    let config = TrainConfig {
        min_loss_change: 1e-3,
        ..quiet::<FullBatch>(10_000, false, 0)
    };
    let mut trainer = Trainer::with_config(&net, config);
    let history = trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(history.stop, StopReason::MinLossChange);
    let n = history.epochs.len();
    assert!((history.epochs[n - 2].loss - history.epochs[n - 1].loss).abs() < 1e-3);

    let mut trainer = Trainer::with_config(&net, quiet::<FullBatch>(100, false, 0));
    trainer.on_epoch(|record| {
        if record.epoch == 4 {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    });
    let history = trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(
        (history.stop, history.epochs.len()),
        (StopReason::Callback, 4)
    );
}
