//! On-line sessions: one-sample steps whose first layer's weight update is held back to the
//! next sample's forward pass give the bits of `Trainer::step` on each sample, in both
//! engines, through a diverged step, and on models that hold nothing back.

use mlp_runtime::layer::DeferredUpdate;
use mlp_runtime::prelude::*;
use mlp_runtime::spec::Optimizer;
use mlp_runtime::{DynNetwork, TrainError};

use crate::threads::ThreadsMnistSgd;

#[mlp(spec = "tests/specs/online-wide.yaml")]
struct OnlineWide;

const SPEC: &str = include_str!("../specs/online-wide.yaml");

/// Sample `k`'s input and one-hot target, with the input of `nan_at` not a number.
fn sample(k: usize, inputs: usize, nan_at: Option<usize>) -> (Vec<f32>, [f32; 10]) {
    let input = (0..inputs)
        .map(|j| {
            if nan_at == Some(k) {
                f32::NAN
            } else {
                ((k * 31 + j * 7) % 17) as f32 / 17.0 - 0.3
            }
        })
        .collect();
    let mut target = [0.0; 10];
    target[k % 10] = 1.0;
    (input, target)
}

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

/// The settings of `spec` with Adam (set in code), whose steps do not fuse.
fn adam(spec: &mlp_runtime::spec::Spec) -> TrainConfig {
    TrainConfig {
        optimizer: Optimizer::Adam {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        },
        ..TrainConfig::from_spec(spec)
    }
}

/// Sample `k`'s loss bits or error in a session, against `expected`, `Trainer::step`'s.
fn assert_same_step(k: usize, loss: &Result<u32, TrainError>, expected: &Result<u32, TrainError>) {
    match (loss, expected) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "loss of sample {k}"),
        // A NaN input: the same sample and value named as the cause.
        (Err(a), Err(b)) => {
            assert!(matches!(a, TrainError::NotFiniteSample { .. }), "{a:?}");
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "sample {k}");
        }
        _ => panic!("sample {k}: {loss:?} against {expected:?}"),
    }
}

/// `steps` samples by `Trainer::step` on one copy of `network` and by an on-line session on
/// another: the same losses, the same errors and the same parameters, read in the session
/// (halfway) and after it.
fn check_session<M: Model<Float = f32> + Clone>(
    network: M,
    config: TrainConfig,
    nan_at: Option<usize>,
) {
    let steps = 30;
    let (mut stepped, mut online) = (network.clone(), network);
    let mut trainer = Trainer::with_config(&stepped, config.clone());
    let mut expected = Vec::new();
    let mut halfway = Vec::new();
    for k in 0..steps {
        let (x, y) = sample(k, stepped.input_size(), nan_at);
        expected.push(trainer.step(&mut stepped, &x, &y, 1).map(f32::to_bits));
        if k == steps / 2 {
            halfway = bits(stepped.params());
        }
    }
    let mut session_trainer = Trainer::with_config(&online, config);
    let mut session = session_trainer.online(&mut online);
    for (k, expected) in expected.iter().enumerate() {
        let (x, y) = sample(k, session.network().input_size(), nan_at);
        let loss = session.step(&x, &y).map(f32::to_bits);
        assert_same_step(k, &loss, expected);
        if k == steps / 2 {
            assert_eq!(bits(session.network().params()), halfway, "halfway");
        }
    }
    assert_eq!(
        session.trainer().optimizer().steps(),
        trainer.optimizer().steps()
    );
    drop(session);
    assert_eq!(bits(online.params()), bits(stepped.params()));
    assert_ne!(
        halfway,
        bits(online.params()),
        "the steps after halfway changed nothing"
    );
}

#[test]
fn a_session_holding_the_first_update_back_gives_the_bits_of_single_steps() {
    let spec = mlp_runtime::spec::parse(SPEC).unwrap();
    assert!(spec.plan().defers_first_update);
    let config = TrainConfig::from_spec(&spec);
    check_session(OnlineWide::with_seed(3), config.clone(), None);
    let mut dynamic = DynNetwork::<f32>::from_yaml(SPEC).unwrap();
    dynamic.reinitialize(3);
    check_session(dynamic, config, None);
    // A spec with two threads, whose sessions share their walk over the first weight out to
    // both and whose batch steps run on one.
    let threaded = format!("{SPEC}\ntraining: {{threads: 2}}\n");
    let mut threaded = DynNetwork::<f32>::from_yaml(&threaded).unwrap();
    threaded.reinitialize(3);
    let config = TrainConfig::from_spec(&threaded.spec());
    assert_eq!(config.threads, 2);
    check_session(threaded.clone(), config.clone(), None);
    check_predict_learn(threaded, config, None);
}

/// A session whose trainer has 1, 2 or 3 threads shares its walk over the 128-unit first
/// weight out to as many as there are blocks of 64 units (two), and gives the bits of single steps on one thread in every case, in both engines, through
/// predictions, learning and a diverged step.
#[test]
fn a_session_on_threads_gives_the_bits_of_single_steps_on_one() {
    let spec = mlp_runtime::spec::parse(SPEC).unwrap();
    assert_eq!(spec.plan().held_parts(3), 2);
    for threads in [1, 2, 3] {
        let config = TrainConfig {
            threads,
            ..TrainConfig::from_spec(&spec)
        };
        let trainer = Trainer::with_config(&OnlineWide::new(), config.clone());
        let shared_out = threads.min(2);
        assert_eq!(trainer.online_threads(), shared_out, "{threads} threads");
        check_session(OnlineWide::with_seed(5), config.clone(), Some(11));
        check_predict_learn(OnlineWide::with_seed(5), config.clone(), None);
        let mut dynamic = DynNetwork::<f32>::from_yaml(SPEC).unwrap();
        dynamic.reinitialize(5);
        check_session(dynamic.clone(), config.clone(), Some(11));
        check_predict_learn(dynamic, config, None);
    }
}

/// A spec whose batches split by units (784-128-10 at batch 64 with `threads: 2`) still fuses
/// its one-sample steps, which do not split: its sessions hold the first layer's update back,
/// shared out to both threads, with the bits of its single steps, in
/// both engines; and those are the steps of the same network whose batches do not split.
#[test]
fn a_spec_whose_batches_split_by_units_holds_its_sessions_back() {
    let yaml = include_str!("../specs/threads-mnist-sgd.yaml");
    let spec = mlp_runtime::spec::parse(yaml).unwrap();
    assert!(spec.splits_units());
    let config = TrainConfig::from_spec(&spec);
    let compiled = ThreadsMnistSgd::with_seed(4);
    let trainer = Trainer::with_config(&compiled, config.clone());
    assert_eq!(trainer.threads(), 2, "batches split in two");
    assert_eq!(trainer.online_threads(), 2);
    check_session(compiled.clone(), config.clone(), Some(7));
    check_predict_learn(compiled, config.clone(), None);
    let mut dynamic = DynNetwork::<f32>::from_yaml(yaml).unwrap();
    dynamic.reinitialize(4);
    check_session(dynamic.clone(), config, Some(7));

    let unsplit = yaml.replace("training: {threads: 2}", "");
    let mut unsplit = DynNetwork::<f32>::from_yaml(&unsplit).unwrap();
    unsplit.reinitialize(4);
    assert!(!unsplit.spec().shards().split());
    let single_steps = |mut network: DynNetwork<f32>| {
        let mut trainer = Trainer::new(&network);
        let losses: Vec<u32> = (0..5)
            .map(|k| {
                let (x, y) = sample(k, 784, None);
                trainer.step(&mut network, &x, &y, 1).unwrap().to_bits()
            })
            .collect();
        (losses, bits(network.params()))
    };
    assert_eq!(single_steps(dynamic), single_steps(unsplit));
}

/// Sessions and batch steps split by units, alternated, give the same bits on 1, 2 and 3
/// threads: 784-192-10 at batch 64 with `threads: 2` splits its batches in two parts, and on
/// three threads its sessions' walk in three (blocks of 64 units), so the trainer's one pool
/// has three threads, and a batch step runs on the first two of them.
#[test]
fn sessions_and_batches_split_by_units_alternate_on_one_pool() {
    let yaml = include_str!("../specs/threads-mnist-sgd.yaml").replace("units: 128", "units: 192");
    let spec = mlp_runtime::spec::parse(&yaml).unwrap();
    assert!(spec.splits_units() && spec.plan().defers_first_update);
    let (mut inputs, mut targets) = (Vec::new(), Vec::new());
    for k in 0..64 {
        let (x, y) = sample(k, 784, None);
        inputs.extend(x);
        targets.extend(y);
    }
    let run = |threads: usize| {
        let mut network = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
        network.reinitialize(4);
        let config = TrainConfig {
            threads,
            ..TrainConfig::from_spec(&spec)
        };
        let mut trainer = Trainer::with_config(&network, config);
        assert_eq!(trainer.threads(), threads.min(2), "{threads} threads");
        assert_eq!(trainer.online_threads(), threads, "{threads} threads");
        let mut losses = Vec::new();
        for round in 0..3 {
            let mut session = trainer.online(&mut network);
            for k in 0..5 {
                let (x, y) = sample(round * 5 + k, 784, None);
                losses.push(session.step(&x, &y).unwrap().to_bits());
            }
            drop(session);
            let loss = trainer.step(&mut network, &inputs, &targets, 64).unwrap();
            losses.push(loss.to_bits());
        }
        (losses, bits(network.params()))
    };
    let one = run(1);
    assert_eq!(run(2), one, "two threads");
    assert_eq!(run(3), one, "three threads");
}

#[test]
fn a_diverged_sample_in_a_session_keeps_the_step_before() {
    let config = TrainConfig::from_spec(&OnlineWide::new().spec());
    check_session(OnlineWide::with_seed(5), config.clone(), Some(11));
    let mut dynamic = DynNetwork::<f32>::from_yaml(SPEC).unwrap();
    dynamic.reinitialize(5);
    check_session(dynamic, config, Some(11));
}

#[test]
fn sessions_that_hold_nothing_back_are_single_steps() {
    // Adam and gradient clipping do not fuse their steps.
    let spec = OnlineWide::new().spec();
    let adam = adam(&spec);
    check_session(OnlineWide::with_seed(6), adam, None);
    let mut clipped = TrainConfig::from_spec(&spec);
    clipped.training.clip_grad_norm = Some(0.5);
    check_session(OnlineWide::with_seed(6), clipped, None);
    // A first layer small enough for L1.
    let small = include_str!("../specs/fused-sgd.yaml");
    assert!(
        !mlp_runtime::spec::parse(small)
            .unwrap()
            .plan()
            .defers_first_update
    );
    let small = DynNetwork::<f32>::from_yaml(small).unwrap();
    check_session(small.clone(), TrainConfig::from_spec(&small.spec()), None);
}

/// Each sample's outputs' bits, with every NaN alike (its payload depends on the
/// instructions that made it).
fn output_bits(values: &[f32]) -> Vec<u32> {
    values
        .iter()
        .map(|v| if v.is_nan() { u32::MAX } else { v.to_bits() })
        .collect()
}

/// 30 samples predicted by `forward_slice` and stepped by `Trainer::step` on one copy of
/// `network`, and predicted and learnt from in an on-line session on another: the same
/// outputs, losses, errors and parameters.
fn check_predict_learn<M: Model<Float = f32> + Clone>(
    network: M,
    config: TrainConfig,
    nan_at: Option<usize>,
) {
    let (mut stepped, mut online) = (network.clone(), network);
    let mut trainer = Trainer::with_config(&stepped, config.clone());
    let mut workspace = stepped.workspace();
    let mut outputs = vec![0.0; stepped.output_size()];
    let inputs = stepped.input_size();
    let mut expected = Vec::new();
    for k in 0..30 {
        let (x, y) = sample(k, inputs, nan_at);
        stepped.forward_slice(&mut workspace, &x, 1, &mut outputs);
        let loss = trainer.step(&mut stepped, &x, &y, 1).map(f32::to_bits);
        expected.push((output_bits(&outputs), loss));
    }
    let mut session_trainer = Trainer::with_config(&online, config);
    let mut session = session_trainer.online(&mut online);
    for (k, (outputs, expected)) in expected.iter().enumerate() {
        let (x, y) = sample(k, inputs, nan_at);
        let predicted = output_bits(session.predict(&x).unwrap());
        assert_eq!(&predicted, outputs, "outputs of sample {k}");
        let loss = session.learn(&y).map(f32::to_bits);
        assert_same_step(k, &loss, expected);
    }
    drop(session);
    assert_eq!(bits(online.params()), bits(stepped.params()));
}

#[test]
fn predicting_then_learning_gives_the_bits_of_predictions_and_single_steps() {
    let spec = OnlineWide::new().spec();
    let config = TrainConfig::from_spec(&spec);
    // Holding the first layer's update back, in both engines, through a diverged sample.
    check_predict_learn(OnlineWide::with_seed(4), config.clone(), None);
    check_predict_learn(OnlineWide::with_seed(4), config.clone(), Some(11));
    let mut dynamic = DynNetwork::<f32>::from_yaml(SPEC).unwrap();
    dynamic.reinitialize(4);
    check_predict_learn(dynamic.clone(), config, None);
    check_predict_learn(dynamic, TrainConfig::from_spec(&spec), Some(11));
    // Fused steps that hold nothing back, and steps that do not fuse (Adam).
    let small = DynNetwork::<f32>::from_yaml(include_str!("../specs/fused-sgd.yaml")).unwrap();
    check_predict_learn(small.clone(), TrainConfig::from_spec(&small.spec()), None);
    check_predict_learn(OnlineWide::with_seed(4), adam(&spec), None);
}

#[test]
fn learning_needs_a_waiting_prediction() {
    let mut net = OnlineWide::new();
    let mut trainer = Trainer::new(&net);
    let mut session = trainer.online(&mut net);
    let (x, y) = sample(0, 131, None);
    let nothing = |result: Result<f32, TrainError>| {
        let error = result.unwrap_err();
        assert!(matches!(error, TrainError::NothingPredicted), "{error:?}");
        assert!(error.to_string().contains("call `predict`"), "{error}");
    };
    nothing(session.learn(&y));
    session.predict(&x).unwrap();
    // A target of the wrong length is an error, and the prediction still waits.
    let error = session.learn(&y[..9]).unwrap_err();
    assert!(
        matches!(
            error,
            TrainError::SessionSample {
                call: "learn",
                needed: 10,
                given: 9,
                ..
            }
        ),
        "{error:?}"
    );
    session.learn(&y).unwrap();
    nothing(session.learn(&y));
    session.predict(&x).unwrap();
    session.step(&x, &y).unwrap();
    nothing(session.learn(&y));
    let error = session.predict(&x[..130]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`predict` takes one sample's inputs, 131 values, but was given 130: pass the values \
         of one sample"
    );
    nothing(session.learn(&y));
}

/// A session forgotten after two steps (the second a walk, which on two threads takes the
/// threads' rows of the weight out of the parameters) is applied by the trainer's next step.
#[test]
fn a_forgotten_session_is_applied_by_the_next_step() {
    for threads in [1, 2] {
        let mut online = OnlineWide::with_seed(7);
        let mut stepped = online.clone();
        let config = TrainConfig {
            threads,
            ..TrainConfig::from_spec(&online.spec())
        };
        let mut trainer = Trainer::with_config(&online, config);
        let mut reference = Trainer::new(&stepped);
        let mut session = trainer.online(&mut online);
        for k in [1, 2] {
            let (x, y) = sample(k, 131, None);
            session.step(&x, &y).unwrap();
            reference.step(&mut stepped, &x, &y, 1).unwrap();
        }
        std::mem::forget(session);
        let (x, y) = sample(3, 131, None);
        trainer.step(&mut online, &x, &y, 1).unwrap();
        reference.step(&mut stepped, &x, &y, 1).unwrap();
        assert_eq!(bits(online.params()), bits(stepped.params()), "{threads}");
    }
}

#[test]
fn a_session_step_of_the_wrong_length_is_an_error() {
    let mut net = OnlineWide::new();
    let mut trainer = Trainer::new(&net);
    let mut session = trainer.online(&mut net);
    let error = session.step(&[0.0; 130], &[0.0; 10]).unwrap_err();
    assert!(matches!(error, TrainError::StepSamples { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("131"), "{message}");
}

/// A held step leaves the first layer's weight as it was, steps everything else, and after
/// `DeferredUpdate::apply` gives the bits of the fused step.
fn check_held_step<M: Model<Float = f32> + Clone>(mut network: M) {
    let initial = network.params().to_vec();
    let mut reference = network.clone();
    let mut held = DeferredUpdate::<f32>::for_plan(&network.spec().plan()).unwrap();
    let (mut workspace, mut scratch) = (network.workspace(), initial.clone());
    let (x, y) = sample(0, network.input_size(), None);
    network.held_sgd_step(&mut workspace, &x, &y, &mut scratch, 0.05, &mut held);
    reference.fused_sgd_step(&mut workspace, &x, &y, 1, &mut scratch, 0.05);
    assert!(held.is_waiting());
    let weight = 131 * 128;
    assert_eq!(bits(&network.params()[..weight]), bits(&initial[..weight]));
    assert_ne!(
        bits(&reference.params()[..weight]),
        bits(&initial[..weight])
    );
    assert_eq!(
        bits(&network.params()[weight..]),
        bits(&reference.params()[weight..])
    );
    held.apply(network.params_mut());
    assert!(!held.is_waiting());
    assert_eq!(bits(network.params()), bits(reference.params()));
}

#[test]
fn a_held_step_leaves_the_first_weight_until_it_is_applied() {
    check_held_step(OnlineWide::with_seed(8));
    let mut dynamic = DynNetwork::<f32>::from_yaml(SPEC).unwrap();
    dynamic.reinitialize(8);
    check_held_step(dynamic);
}

#[mlp(spec = "specs/online.yaml")]
struct OnlineOneSample;

const ONE_SAMPLE_SPEC: &str = include_str!("../../specs/online.yaml");

/// The data of `fit`'s tests: 20 samples of `inputs` values and 10 outputs.
fn fit_data(inputs: usize) -> DynDataset<f32> {
    let (mut values, mut targets) = (Vec::new(), Vec::new());
    for k in 0..20 {
        let (x, y) = sample(k, inputs, None);
        values.extend(x);
        targets.extend(y);
    }
    DynDataset::from_slices(&values, &targets, inputs, 10).unwrap()
}

/// `fit` of one sample per step holds the first layer's update back, as a session does, in
/// both engines, on one thread and with the walk shared out to two: the bits of the unfused
/// steps that clipping (never scaling here) asks for.
#[test]
fn fitting_one_sample_per_step_holds_the_update_back_with_the_bits_of_unfused_steps() {
    let held = fit_bits(OnlineOneSample::with_seed(9), None);
    assert_ne!(held.0, bits(OnlineOneSample::with_seed(9).params()));
    let mut dynamic = DynNetwork::<f32>::from_yaml(ONE_SAMPLE_SPEC).unwrap();
    dynamic.reinitialize(9);
    for (engine, other) in [
        (
            "compiled, unfused",
            fit_bits(OnlineOneSample::with_seed(9), Some(1e30)),
        ),
        (
            "compiled, held on two threads",
            fit_bits_on(OnlineOneSample::with_seed(9), None, 2),
        ),
        ("dynamic, held", fit_bits(dynamic.clone(), None)),
        (
            "dynamic, held on two threads",
            fit_bits_on(dynamic.clone(), None, 2),
        ),
        ("dynamic, unfused", fit_bits(dynamic, Some(1e30))),
    ] {
        assert_eq!(held.1, other.1, "epoch losses ({engine})");
        assert_eq!(held.0, other.0, "parameters ({engine})");
    }
    // Batches of 19 of the 20 samples: each epoch ends with one sample alone, held back by a
    // first layer whose rate a schedule sets at each step and whose `lr_scale` scales.
    let mut nineteen =
        DynNetwork::<f32>::from_yaml(&SPEC.replace("batch_size: 8", "batch_size: 19")).unwrap();
    nineteen.reinitialize(9);
    let held = fit_bits(nineteen.clone(), None);
    assert_ne!(held.0, bits(nineteen.params()));
    assert_eq!(held, fit_bits(nineteen, Some(1e30)), "batches of 19");
}

/// The parameters and epoch losses of three epochs of `fit` on [`fit_data`], with gradients
/// clipped to `clip`.
fn fit_bits<M: Model<Float = f32>>(net: M, clip: Option<f64>) -> (Vec<u32>, Vec<u64>) {
    fit_bits_on(net, clip, 1)
}

/// [`fit_bits`] with a trainer of `threads` threads.
fn fit_bits_on<M: Model<Float = f32>>(
    mut net: M,
    clip: Option<f64>,
    threads: usize,
) -> (Vec<u32>, Vec<u64>) {
    let mut config = TrainConfig::from_spec(&net.spec()).with_epochs(3).quiet();
    config.training.clip_grad_norm = clip;
    config.threads = threads;
    let data = fit_data(net.input_size());
    let history = Trainer::with_config(&net, config)
        .fit_dyn(&mut net, &data, None)
        .unwrap();
    let losses = history.epochs.iter().map(|e| e.loss.to_bits()).collect();
    (bits(net.params()), losses)
}

/// A diverging `fit` of one sample per step puts back the weights of the last complete
/// epoch and leaves nothing held, on one thread and with the walk shared out to two (whose
/// rows of the weight come back before the weights are put back): the trainer's next step
/// is a fresh trainer's.
#[test]
fn a_diverging_fit_of_one_sample_per_step_leaves_no_step_held() {
    for threads in [1, 2] {
        diverging_fit_leaves_no_step_held(threads);
    }
}

fn diverging_fit_leaves_no_step_held(threads: usize) {
    let data = fit_data(784);
    let initial = OnlineOneSample::with_seed(9);
    let config = TrainConfig {
        optimizer: Optimizer::Sgd { lr: 1e30 },
        threads,
        ..TrainConfig::from_spec(&initial.spec())
            .with_epochs(2)
            .quiet()
    };
    let mut net = initial.clone();
    let mut trainer = Trainer::with_config(&net, config.clone());
    let error = trainer.fit_dyn(&mut net, &data, None).unwrap_err();
    let TrainError::Diverged {
        epoch: 1, batch, ..
    } = error
    else {
        panic!("expected divergence in the first epoch, got {error}");
    };
    assert!(batch > 1, "diverged at sample {batch}, after a held step");
    assert_eq!(bits(net.params()), bits(initial.params()));

    let (x, y) = sample(3, 784, None);
    let mut fresh = initial.clone();
    let fresh_loss = Trainer::with_config(&fresh, config)
        .step(&mut fresh, &x, &y, 1)
        .unwrap();
    assert_eq!(trainer.step(&mut net, &x, &y, 1).unwrap(), fresh_loss);
    assert_eq!(bits(net.params()), bits(fresh.params()));
}
