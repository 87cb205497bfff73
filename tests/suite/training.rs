//! The trainer's contract: what an epoch visits, how batches are weighted, determinism,
//! divergence, early stopping and the history.

use mlp_runtime::prelude::*;
use mlp_runtime::{DynNetwork, Optimizer, StopReason, TrainError, evaluate_dyn};

use crate::common::{Data, Recorder};

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

#[mlp(spec = "tests/specs/fused-sgd-long-batch.yaml")]
struct FusedSgdLongBatch;

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

fn quiet<N: StaticModel>(epochs: usize, shuffle: bool, seed: u64) -> TrainConfig {
    let mut config = TrainConfig::from_spec(&N::with_seed(0).spec())
        .with_epochs(epochs)
        .with_seed(seed)
        .quiet();
    config.training.shuffle = shuffle;
    config
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

/// Steps `fused` with the trainer (which fuses the update into the backward pass) and a copy
/// of it with the backward pass then the optimizer, on batches of `counts` samples: the same
/// bits every step. Returns the smallest loss of the steps.
fn check_fused_step<M: Model<Float = f32> + Clone>(mut fused: M, counts: &[usize]) -> f32 {
    assert!(fused.fuses_sgd(), "the spec trains with plain sgd");
    let (inputs_per_sample, outputs) = (fused.input_size(), fused.output_size());
    let longest = counts.iter().max().copied().unwrap_or(1);
    let mut data = Data::new(3);
    let inputs: Vec<f32> = (0..longest * inputs_per_sample)
        .map(|_| data.normal() as f32)
        .collect();
    let mut targets = vec![0.0f32; longest * outputs];
    for sample in 0..longest {
        targets[sample * outputs + sample % outputs] = 1.0;
    }
    let initial = fused.params().to_vec();
    let mut separate = fused.clone();
    let mut trainer = Trainer::new(&fused);
    let spec = fused.spec();
    let mut optimizer = Optimizer::<f32>::new(spec.optimizer, &spec.regularization, initial.len());
    let mut workspace = separate.workspace();
    let mut grads = vec![0.0f32; initial.len()];
    let layout = separate.layout().to_vec();
    let mut smallest = f32::INFINITY;
    for &count in counts {
        let x = &inputs[..inputs_per_sample * count];
        let y = &targets[..outputs * count];
        let loss = trainer.step(&mut fused, x, y, count).unwrap();
        smallest = smallest.min(loss);
        let expected = separate.backward_slice(&mut workspace, x, y, count, &mut grads);
        optimizer.step(separate.params_mut(), &grads, &layout, 0.1);
        assert_eq!(loss.to_bits(), expected.to_bits(), "{count} samples");
        assert!(
            fused
                .params()
                .iter()
                .zip(separate.params())
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "{count} samples"
        );
    }
    assert_eq!(trainer.optimizer().steps(), counts.len() as u64);
    assert_ne!(fused.params(), &initial[..]);
    smallest
}

#[test]
fn the_fused_sgd_step_gives_the_bits_of_backward_then_optimizer() {
    // One sample (the small loops), a full batch (tiled first layer), a partial one.
    let counts = [1, 5, 3, 5, 1];
    check_fused_step(FusedSgd::with_seed(4), &counts);
    let yaml = include_str!("../specs/fused-sgd.yaml");
    check_fused_step(DynNetwork::<f32>::from_yaml(yaml).unwrap(), &counts);
    // Batches longer than the tiled kernels' depth update through the gradient buffer.
    let counts = [150, 140, 1];
    check_fused_step(FusedSgdLongBatch::with_seed(4), &counts);
    let yaml = include_str!("../specs/fused-sgd-long-batch.yaml");
    check_fused_step(DynNetwork::<f32>::from_yaml(yaml).unwrap(), &counts);
}

/// Softmax's and the sigmoid's fused steps update before computing the loss only while every
/// logit and target is within `2^32` (the bound under which their losses are sure to be
/// finite). Beyond it they compute the loss first: with logits near `1e13` the step still
/// gives the bits of the backward pass then the optimizer, and with a logit that is not
/// finite it changes nothing.
#[test]
fn fused_sgd_steps_beyond_the_heads_bound_check_the_loss_first() {
    let yaml = include_str!("../specs/fused-sgd.yaml");
    let magnify = |params: &mut [f32]| params.iter_mut().for_each(|p| *p *= 1e6);
    let mut compiled = FusedSgd::with_seed(4);
    magnify(compiled.params_mut());
    let mut dynamic = DynNetwork::<f32>::from_yaml(yaml).unwrap();
    dynamic.reinitialize(4);
    magnify(dynamic.params_mut());
    for smallest in [
        check_fused_step(compiled.clone(), &[1, 5, 3]),
        check_fused_step(dynamic.clone(), &[1, 5, 3]),
    ] {
        // A cross-entropy this large needs logits far beyond 2^32.
        assert!(smallest > 1e10, "{smallest}");
    }
    check_diverged_fused_step(compiled);
    check_diverged_fused_step(dynamic);
}

/// A fused step of `net` with its last parameter (the output layer's last bias) infinite: a
/// diverged step that changes nothing.
fn check_diverged_fused_step<M: Model<Float = f32>>(mut net: M) {
    let last = net.params().len() - 1;
    net.params_mut()[last] = f32::INFINITY;
    let before = net.params().to_vec();
    let mut trainer = Trainer::new(&net);
    let (x, y) = (vec![0.5f32; net.input_size()], [1.0f32, 0.0, 0.0]);
    let error = trainer.step(&mut net, &x, &y, 1).unwrap_err();
    assert!(
        matches!(error, TrainError::StepDiverged { .. }),
        "{error:?}"
    );
    assert!(
        net.params()
            .iter()
            .zip(&before)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
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
    // The parameters after each complete epoch, recorded by a hook.
    let (recorder, recorded) = Recorder::new();
    trainer.add_hook(recorder);
    let error = trainer.fit(&mut net, &data, None).unwrap_err();
    let TrainError::Diverged {
        epoch, ref history, ..
    } = error
    else {
        panic!("expected divergence, got {error}");
    };
    let recorded = recorded.borrow();
    // The error's history holds the epochs before, their losses rising.
    assert_eq!(history.stop, StopReason::Diverged);
    assert_eq!(history.epochs.len(), recorded.len());
    assert!(history.epochs.iter().map(|r| r.loss).all(f64::is_finite));
    assert!(history.epochs[recorded.len() - 1].loss > history.epochs[0].loss);
    assert!(history.to_json().contains("\"stop\": \"diverged\""));
    assert!(recorded.len() >= 2, "a few good epochs before diverging");
    assert_eq!(
        epoch,
        recorded.len() + 1,
        "the error names the epoch after the last good one"
    );
    assert_eq!(
        net.params(),
        &recorded[recorded.len() - 1][..],
        "the weights of the last good epoch are kept"
    );
    assert_ne!(recorded[0], recorded[recorded.len() - 1]);
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
    let mut config = quiet::<Iris>(400, true, 1);
    config.training.validation_split = 0.3;
    config.training.early_stopping = Some(mlp_runtime::spec::EarlyStopping {
        monitor: mlp_runtime::spec::Monitor::ValLoss,
        patience: 3,
        min_delta: 0.0,
        restore_best: true,
    });
    let mut trainer = Trainer::with_config(&net, config);
    let history = trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(history.stop, StopReason::EarlyStopping);
    let best = history.restored_epoch.expect("the best epoch was restored");

    // A split that holds out every sample says which setting left nothing to train on.
    let mut config = quiet::<Iris>(1, true, 1);
    config.training.validation_split = 0.999;
    let mut untrained = Iris::new();
    let error = Trainer::with_config(&untrained, config)
        .fit(&mut untrained, &data, None)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`training.validation_split` 0.999 holds out all 150 training samples for validation, \
         leaving none to train on; lower it"
    );
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
        csv.starts_with(
            "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,f1_macro,log_loss,\
             val_f1_macro,val_log_loss\n"
        ),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), history.epochs.len() + 1);
    let json = history.to_json();
    assert!(json.contains("\"stop\": \"early_stopping\""), "{json}");

    // Written to files, and an error that says which file could not be written.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.csv");
    history.write_csv(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), csv);
    history.write_json(dir.path().join("history.json")).unwrap();
    let missing = dir.path().join("no/such/history.csv");
    let error = history.write_csv(&missing).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot write {}: ", missing.display())),
        "{error}"
    );
}

#[test]
fn min_loss_change_and_callbacks_stop_training() {
    let data = random_data::<3, 2>(6, 3);
    let mut net = FullBatch::new();
    let mut config = quiet::<FullBatch>(10_000, false, 0);
    config.training.min_loss_change = 1e-3;
    let mut trainer = Trainer::with_config(&net, config);
    let history = trainer.fit(&mut net, &data, None).unwrap();
    assert_eq!(history.stop, StopReason::MinLossChange);
    let n = history.epochs.len();
    assert!((history.epochs[n - 2].loss - history.epochs[n - 1].loss).abs() < 1e-3);

    // However many epochs the spec asks for: their records are not reserved up front.
    let mut trainer = Trainer::with_config(&net, quiet::<FullBatch>(1 << 50, false, 0));
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

#[test]
fn hinge_loss_refuses_0_1_targets_and_says_how_to_fix_them() {
    let yaml = std::fs::read_to_string("tests/specs/hinge.yaml").unwrap();
    let mut net = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
    let inputs = vec![0.5f32; 30 * 3];
    let mut trainer = Trainer::with_config(&net, TrainConfig::from_spec(&net.spec()).quiet());
    let zero_one = DynDataset::from_slices(&inputs, &[1.0, 0.0, 1.0], 30, 1).unwrap();
    let error = trainer.fit_dyn(&mut net, &zero_one, None).unwrap_err();
    assert!(
        matches!(error, TrainError::HingeTarget { sample: 1, value } if value == 0.0),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("CsvTarget::SignedLabel"),
        "{error}"
    );

    let signed = DynDataset::from_slices(&inputs, &[1.0, -1.0, 1.0], 30, 1).unwrap();
    let history = trainer.fit_dyn(&mut net, &signed, None).unwrap();
    assert_eq!(history.epochs.len(), 30);
}

#[test]
fn a_hand_written_loop_ends_epochs_and_a_diverged_step_says_it_was_not_applied() {
    let yaml = "input: 1\nlayers: [{units: 1, activation: identity}]\nloss: mse\n\
                optimizer: {kind: sgd, lr: 0.1}\n\
                schedule: {kind: exponential, gamma: 0.5, warmup: {epochs: 2}}\nbatch_size: 2\n";
    let mut net = DynNetwork::<f32>::from_yaml(yaml).unwrap();
    let mut trainer = Trainer::with_config(&net, TrainConfig::from_spec(&net.spec()).quiet());
    let mut rates = Vec::new();
    for _ in 0..4 {
        for _ in 0..3 {
            rates.push(trainer.learning_rate());
            trainer.step(&mut net, &[1.0, 2.0], &[0.5, 1.0], 2).unwrap();
        }
        trainer.end_epoch();
    }
    // Per epoch t: 0.1 * 0.5^t, times (t + 1) / 2 during the two warm-up epochs; constant
    // within an epoch. Without `end_epoch` it would stay at 0.05.
    let per_epoch = [0.1 * 0.5, 0.1 * 0.5, 0.1 * 0.25, 0.1 * 0.125];
    let expected: Vec<f64> = per_epoch.iter().flat_map(|&r| [r; 3]).collect();
    assert_eq!(rates, expected);
    assert_eq!(trainer.epochs_done(), 4);

    // Finite inputs whose loss overflows f32: a diverged step (an infinite input would be
    // named as the cause, `TrainError::NotFiniteSample`).
    let before = net.params().to_vec();
    let error = trainer
        .step(&mut net, &[1e30, 1.0], &[0.5, 1.0], 2)
        .unwrap_err();
    assert!(
        matches!(error, TrainError::StepDiverged { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("the step was not applied"),
        "{error}"
    );
    assert_eq!(net.params(), &before[..]);
}

/// `step`'s arguments that do not hold `count` samples of the network, each as an error that
/// says what it was given, with the parameters untouched.
fn check_step_samples<N: Model<Float = f32>>(mut net: N) {
    let mut trainer = Trainer::with_config(&net, TrainConfig::from_spec(&net.spec()).quiet());
    let (i, o, batch) = (net.input_size(), net.output_size(), net.batch_size());
    let (x, y) = (vec![0.5f32; i * batch], vec![0.0f32; o * batch]);
    let before = net.params().to_vec();
    let cases = [
        (&x[..], &y[..], 0),
        (&x[..], &y[..], batch + 1),
        (&x[..i - 1], &y[..o], 1),
        (&x[..i], &y[..o - 1], 1),
        (&x[..2 * i], &y[..o], 2),
    ];
    for (inputs, targets, count) in cases {
        let error = trainer.step(&mut net, inputs, targets, count).unwrap_err();
        let TrainError::StepSamples {
            count: given,
            batch_size,
            input_values,
            target_values,
            ..
        } = error
        else {
            panic!("{error:?}");
        };
        assert_eq!(
            (given, batch_size, input_values, target_values),
            (count, batch, inputs.len(), targets.len())
        );
        let message = error.to_string();
        assert!(message.contains(&format!("`count` {count}")), "{message}");
        assert!(message.contains("pass as `count`"), "{message}");
    }
    assert_eq!(net.params(), &before[..]);
    // Slices longer than `count` samples are taken, as a preallocated batch buffer is.
    trainer.step(&mut net, &x, &y, 1).unwrap();
}

#[test]
fn a_step_given_fewer_values_than_count_samples_is_an_error_on_both_engines() {
    check_step_samples(Iris::with_seed(1));
    let yaml = std::fs::read_to_string("specs/iris.yaml").unwrap();
    check_step_samples(DynNetwork::<f32>::from_yaml(&yaml).unwrap());
}

#[test]
fn evaluation_scores_reach_the_history_and_empty_data_is_an_error() {
    let yaml = std::fs::read_to_string("specs/iris.yaml").unwrap();
    let mut net = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
    let data = DynDataset::from_csv("examples/data/iris.csv", CsvTarget::Label(4), 4, 3).unwrap();
    let (train, validation) = data.stratified_split(0.2, 0);
    let config = TrainConfig::from_spec(&net.spec()).with_epochs(3).quiet();
    let mut trainer = Trainer::with_config(&net, config);
    let history = trainer
        .fit_dyn(&mut net, &train, Some(&validation))
        .unwrap();
    let csv = history.to_csv();
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,f1_macro,log_loss,\
         val_f1_macro,val_log_loss"
    );
    assert!(
        csv.lines()
            .skip(1)
            .all(|row| row.split(',').all(|cell| !cell.is_empty()))
    );

    let evaluation = evaluate_dyn(&net, &validation).unwrap();
    // Cross-entropy without a penalty is the log-loss of the softmax's probabilities.
    let log_loss = evaluation.log_loss.unwrap();
    assert!(
        (log_loss - evaluation.loss).abs() < 1e-5 * evaluation.loss,
        "{evaluation:?}"
    );
    let confusion = evaluation.confusion.as_ref().unwrap();
    let f1 = (0..3).map(|k| confusion.f1(k)).sum::<f64>() / 3.0;
    assert_eq!(evaluation.f1_macro, Some(f1));
    assert_eq!(evaluation.roc_auc, None, "three classes");

    let empty = DynDataset::<f32>::new(4, 3);
    assert_eq!(
        evaluate_dyn(&net, &empty).unwrap_err(),
        mlp_runtime::EvaluateError::Empty
    );
    let error = trainer.fit_dyn(&mut net, &train, Some(&empty)).unwrap_err();
    assert!(error.to_string().contains("empty data set"), "{error}");
}

#[test]
fn diagnostics_record_gradient_and_weight_norms_and_dead_units_without_changing_training() {
    // 2-4-1 relu, plain sgd (a fused step without diagnostics), one full batch per epoch.
    let yaml = "input: 2\nlayers: [{units: 4, activation: relu}, {units: 1}]\nloss: mse\n\
                optimizer: {kind: sgd, lr: 0.05}\nbatch_size: 4\ntraining: {shuffle: false}\n";
    let data = DynDataset::from_slices(
        &[0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.5, -1.0],
        &[1.0, 1.0, 2.0, -0.5],
        2,
        1,
    )
    .unwrap();
    let mut net = DynNetwork::<f32>::from_yaml(yaml).unwrap();
    // Units 1 and 3 of the hidden layer: no weights and a bias far below zero, so their relu
    // is 0 for every input and their gradient is 0: dead for good.
    // (The weight is column-major: its element (unit, input) is at `input * 4 + unit`.)
    for unit in [1, 3] {
        net.params_mut()[unit] = 0.0;
        net.params_mut()[4 + unit] = 0.0;
        net.params_mut()[8 + unit] = -100.0;
    }
    let mut plain = net.clone();
    assert!(net.fuses_sgd());

    // The gradient of the first (and only) step of epoch 1, computed apart.
    let mut workspace = net.workspace();
    let mut grads = vec![0.0f32; net.params().len()];
    net.backward_slice(&mut workspace, data.inputs(), data.targets(), 4, &mut grads);
    let norm = |values: &[f32]| {
        values
            .iter()
            .map(|&v| f64::from(v).powi(2))
            .sum::<f64>()
            .sqrt()
    };

    let config = TrainConfig::from_spec(&net.spec()).with_epochs(3).quiet();
    let mut trainer = Trainer::with_config(&net, config.clone().with_diagnostics());
    let history = trainer.fit_dyn(&mut net, &data, None).unwrap();
    let first = &history.epochs[0].layers;
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].grad_norm, norm(&grads[..8]));
    assert_eq!(first[1].grad_norm, norm(&grads[12..16]));
    let last = &history.epochs[2].layers;
    assert_eq!(last[0].weight_norm, norm(&net.params()[..8]));
    assert_eq!(last[1].weight_norm, norm(&net.params()[12..16]));
    // Dead units, from the final weights by hand: no sample gives a positive pre-activation.
    let p = net.params();
    let dead = (0..4)
        .filter(|&u| {
            data.inputs()
                .chunks(2)
                .all(|x| p[u] * x[0] + p[4 + u] * x[1] + p[8 + u] <= 0.0)
        })
        .count();
    assert!(dead >= 2, "units 1 and 3 at least");
    assert_eq!(last[0].dead_fraction, Some(dead as f64 / 4.0));
    assert_eq!(
        last[1].dead_fraction, None,
        "the output layer is not a relu layer"
    );
    let csv = history.to_csv();
    assert!(
        csv.lines().next().unwrap().ends_with(
            ",layer0_grad_norm,layer0_weight_norm,layer0_dead_fraction,\
             layer1_grad_norm,layer1_weight_norm,layer1_dead_fraction"
        ),
        "{csv}"
    );

    // Diagnostics do not change what training computes: the fused step gives the same bits.
    let mut trainer = Trainer::with_config(&plain, config);
    let history = trainer.fit_dyn(&mut plain, &data, None).unwrap();
    assert_eq!(plain.params(), net.params());
    assert!(history.epochs.iter().all(|r| r.layers.is_empty()));
}

#[test]
fn balanced_class_weights_come_from_the_training_data() {
    let spec = |weights: &str| {
        format!(
            "input: 2\nlayers: [{{units: 4, activation: tanh}}, {{units: 3, activation: softmax}}]\n\
             loss: cross_entropy\noptimizer: adam\nbatch_size: 4\n\
             training: {{shuffle: false, class_weights: {weights}}}\n"
        )
    };
    // Six samples of class 0, two of class 1, four of class 2: n / (3 n_c).
    let labels = [0, 0, 1, 0, 2, 0, 2, 0, 1, 2, 0, 2];
    let inputs: Vec<f32> = (0..24).map(|i| (i as f32 * 0.37).sin()).collect();
    let targets: Vec<f32> = labels
        .iter()
        .flat_map(|&c| (0..3).map(move |k| if k == c { 1.0 } else { 0.0 }))
        .collect();
    let data = DynDataset::from_slices(&inputs, &targets, 2, 3).unwrap();
    let expected = [12.0 / 18.0, 12.0 / 6.0, 12.0 / 12.0];
    assert_eq!(data.balanced_class_weights(), Some(expected.to_vec()));

    // Training with `balanced` is training with those weights given.
    let train = |weights: &str| {
        let mut net = DynNetwork::<f32>::from_yaml(&spec(weights)).unwrap();
        let config = TrainConfig::from_spec(&net.spec()).with_epochs(3).quiet();
        let mut trainer = Trainer::with_config(&net, config);
        let history = trainer.fit_dyn(&mut net, &data, None).unwrap();
        (net.params().to_vec(), history.epochs[2].loss)
    };
    let listed = format!("[{}, {}, {}]", expected[0], expected[1], expected[2]);
    assert_eq!(train("balanced"), train(&listed));
    assert_ne!(train("balanced").0, train("[1, 1, 1]").0);

    let net = DynNetwork::<f32>::from_yaml(&spec("balanced")).unwrap();
    let mut trainer = Trainer::with_config(&net, TrainConfig::from_spec(&net.spec()).quiet());
    let missing = DynDataset::from_slices(&inputs[..4], &targets[..6], 2, 3).unwrap();
    let error = trainer
        .fit_dyn(&mut net.clone(), &missing, None)
        .unwrap_err();
    assert!(
        matches!(error, TrainError::EmptyClass { class: 1 }),
        "{error:?}"
    );
    let mut soft = targets.clone();
    soft[3..6].copy_from_slice(&[0.5, 0.5, 0.0]);
    let soft = DynDataset::from_slices(&inputs, &soft, 2, 3).unwrap();
    let error = trainer.fit_dyn(&mut net.clone(), &soft, None).unwrap_err();
    assert!(
        matches!(error, TrainError::ClassWeightTarget { sample: 1, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("class labels"), "{error}");
}

/// `TrainConfig`'s fields are public, so code can give it what a spec file could not: the
/// trainer checks them by the spec's rules, with the spec's messages, before it trains.
#[test]
fn settings_changed_in_code_obey_the_rules_of_a_spec_file() {
    let data = Dataset::<f32, 4, 3>::from_csv(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/iris.csv"),
        CsvTarget::Label(4),
    )
    .unwrap();
    let mut net = Iris::new();
    let before = net.params().to_vec();

    // A validation split over 1 would have cut more samples than the data has.
    let mut config = quiet::<Iris>(1, true, 1);
    config.training.validation_split = 1.5;
    let mut trainer = Trainer::with_config(&net, config);
    let error = trainer.fit(&mut net, &data, None).unwrap_err();
    assert!(matches!(error, TrainError::Settings(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(
            "the training settings break the rules a spec file's would obey; correct the \
             `TrainConfig` field:\ntraining.validation_split: "
        ),
        "{message}"
    );
    // Set right through `config_mut`, the same trainer trains; set wrong again, it refuses.
    trainer.config_mut().training.validation_split = 0.2;
    trainer.fit(&mut net, &data, None).unwrap();
    trainer.config_mut().training.validation_split = -0.5;
    let error = trainer.fit(&mut net, &data, None).unwrap_err();
    assert!(
        error.to_string().contains("training.validation_split: "),
        "{error}"
    );

    // A learning rate of NaN is refused by every kind of step, not reported as divergence.
    let mut net = Iris::new();
    let mut config = quiet::<Iris>(1, true, 1);
    config.optimizer = mlp_runtime::spec::Optimizer::Sgd { lr: f64::NAN };
    let mut trainer = Trainer::with_config(&net, config);
    let (input, target) = (data.input(0), data.target(0));
    let error = trainer.step(&mut net, input, target, 1).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("optimizer.lr: `lr` must be a finite number > 0"),
        "{error}"
    );
    let mut session = trainer.online(&mut net);
    assert!(matches!(
        session.step(input, target),
        Err(TrainError::Settings(_))
    ));
    session.predict(input).unwrap();
    assert!(matches!(
        session.learn(target),
        Err(TrainError::Settings(_))
    ));
    drop(session);
    assert!(matches!(
        trainer.fit(&mut net, &data, None),
        Err(TrainError::Settings(_))
    ));
    assert_eq!(net.params(), &before[..]);
}

/// A step's data that is not finite is named as the reason for a loss that is not finite, on
/// every kind of step: plain, on-line (a held update, and `learn`), split by units and into
/// shards. Nothing is applied.
#[test]
fn a_step_whose_sample_is_not_finite_names_the_value() {
    let spec = |path: &str| {
        let yaml = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")));
        DynNetwork::<f32>::from_yaml(&yaml.unwrap()).unwrap()
    };
    let check = |error: TrainError, what: &str, sample: usize, index: usize| match error {
        TrainError::NotFiniteSample {
            what: w,
            sample: s,
            index: i,
            loss,
            ..
        } => assert!((w, s, i) == (what, sample, index) && !loss.is_finite()),
        other => panic!("{other:?}"),
    };
    let sample = |net: &DynNetwork<f32>, count: usize| {
        let inputs: Vec<f32> = (0..count * net.input_size())
            .map(|i| (i % 7) as f32 / 7.0)
            .collect();
        let targets: Vec<f32> = (0..count * net.output_size())
            .map(|i| f32::from(u8::from(i % net.output_size() == 0)))
            .collect();
        (inputs, targets)
    };

    let mut net = spec("specs/iris.yaml");
    let before = net.params().to_vec();
    let mut trainer = Trainer::new(&net);
    let (mut x, mut y) = sample(&net, 3);
    x[4 + 2] = f32::NAN;
    let error = trainer.step(&mut net, &x, &y, 3).unwrap_err();
    assert_eq!(
        error.to_string(),
        "sample 1 (from 0) of the step has NaN as its input 2 (from 0), so the loss is NaN and \
         the step was not applied: a network trains on finite numbers only; fill in or drop the \
         sample"
    );
    x[4 + 2] = 0.5;
    y[2 * 3 + 1] = f32::INFINITY;
    check(
        trainer.step(&mut net, &x, &y, 3).unwrap_err(),
        "target",
        2,
        1,
    );
    assert_eq!(net.params(), &before[..]);

    let mut net = spec("tests/specs/online-wide.yaml");
    let before = net.params().to_vec();
    let mut trainer = Trainer::new(&net);
    let (mut x, y) = sample(&net, 1);
    x[130] = f32::NEG_INFINITY;
    let mut session = trainer.online(&mut net);
    check(session.step(&x, &y).unwrap_err(), "input", 0, 130);
    session.predict(&x).unwrap();
    check(session.learn(&y).unwrap_err(), "input", 0, 130);
    assert_eq!(session.network().params(), &before[..]);

    for path in [
        "tests/specs/threads-mnist-sgd.yaml",
        "tests/specs/threads-mnist-shards.yaml",
    ] {
        let mut net = spec(path);
        let before = net.params().to_vec();
        let mut trainer = Trainer::new(&net);
        assert_eq!(trainer.threads(), 2, "{path}");
        let (mut x, y) = sample(&net, 64);
        x[40 * 784 + 9] = f32::NAN;
        check(
            trainer.step(&mut net, &x, &y, 64).unwrap_err(),
            "input",
            40,
            9,
        );
        assert_eq!(net.params(), &before[..], "{path}");
    }
}

#[test]
fn a_regressions_history_scores_in_the_targets_units_when_told_them() {
    let yaml = "input: 1\nlayers: [{units: 4, activation: tanh}, {units: 2}]\nloss: mse\n\
                optimizer: {kind: adam, lr: 0.01}\nbatch_size: 4\ntraining: {epochs: 3}\n";
    let inputs: Vec<f32> = (0..12).map(|i| i as f32 / 6.0 - 1.0).collect();
    let raw: Vec<f32> = inputs
        .iter()
        .flat_map(|x| [100.0 + 40.0 * x, -0.5 * x * x])
        .collect();
    let mut data = DynDataset::from_slices(&inputs, &raw, 1, 2).unwrap();
    let targets = mlp_runtime::Standardizer::fit_targets(&data);
    targets.apply_targets(&mut data);
    let fit = |units: Option<&mlp_runtime::Standardizer>| {
        let mut net = DynNetwork::<f32>::from_yaml(yaml).unwrap();
        let config = TrainConfig::from_spec(&net.spec()).quiet();
        let mut trainer = Trainer::with_config(&net, config);
        if let Some(units) = units {
            trainer.score_in_units(units.clone());
        }
        let history = trainer.fit_dyn(&mut net, &data, None).unwrap();
        (net, history)
    };
    let (net, history) = fit(Some(&targets));
    let (plain_net, plain) = fit(None);
    assert_eq!(net.params(), plain_net.params(), "the training is the same");
    let last = history.epochs.last().unwrap();
    let score = |scores: &[(&'static str, f64)], name| {
        scores
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap()
    };
    let in_units = mlp_runtime::evaluate_in_units(&net, &data, Some(&targets)).unwrap();
    assert_eq!(score(&last.scores, "rmse"), in_units.rmse.unwrap());
    assert_eq!(score(&last.scores, "mae"), in_units.mae.unwrap());
    let standardised = evaluate_dyn(&net, &data).unwrap();
    let plain_last = plain.epochs.last().unwrap();
    assert_eq!(
        score(&plain_last.scores, "rmse"),
        standardised.rmse.unwrap()
    );
    assert_eq!(last.loss, plain_last.loss);
    assert!(in_units.rmse.unwrap() > 3.0 * standardised.rmse.unwrap());
}
