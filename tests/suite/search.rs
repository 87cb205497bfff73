//! Hyper-parameter search with compiled networks: run-time hyper-parameters without
//! recompiling, and a spec written by `mlp tune` that compiles and trains to the score the
//! tune reported.

use mlp_runtime::prelude::*;
use mlp_runtime::search::{SearchError, Tuner};
use mlp_runtime::spec::{Optimizer, Regularization};
use mlp_runtime::{DynNetwork, evaluate_dyn};

use crate::examples;

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

#[mlp(spec = "tests/specs/tune/iris.tuned.yaml")]
struct TunedIris;

fn raw_iris() -> DynDataset<f32> {
    DynDataset::from_csv(examples::data_file("iris.csv"), CsvTarget::Label(4), 4, 3).unwrap()
}

fn iris() -> DynDataset<f32> {
    let mut data = raw_iris();
    Standardizer::fit_inputs(&data).apply_inputs(&mut data);
    data
}

/// A compiled network trained with another optimizer, schedule and penalties than its
/// spec's (from `TrainConfig`) ends bit for bit where a dynamic network of a spec with those
/// values does.
#[test]
fn a_compiled_network_takes_its_optimizer_and_penalties_at_run_time() {
    let data = iris();
    let compiled_spec = Iris::new().spec();
    let values = [
        ("optimizer.lr", 0.05),
        ("regularization.l2", 0.01),
        ("regularization.l1", 0.001),
        ("training.epochs", 3.0),
        ("training.clip_grad_norm", 1.0),
    ];
    let varied = compiled_spec.with_values(&values).unwrap();
    assert_ne!(varied.regularization, compiled_spec.regularization);

    let mut compiled = Iris::with_seed(0);
    let mut config = TrainConfig::from_spec(&varied).quiet();
    // The optimizer's kind is run-time too: momentum instead of the spec's adam.
    config.optimizer = Optimizer::Momentum {
        lr: 0.05,
        momentum: 0.8,
    };
    Trainer::with_config(&compiled, config.clone())
        .fit_dyn(&mut compiled, &data, None)
        .unwrap();

    let mut dynamic_spec = varied.clone();
    dynamic_spec.optimizer = config.optimizer;
    let mut dynamic = DynNetwork::<f32>::from_spec(dynamic_spec.clone()).unwrap();
    dynamic.reinitialize(0);
    Trainer::with_config(&dynamic, TrainConfig::from_spec(&dynamic_spec).quiet())
        .fit_dyn(&mut dynamic, &data, None)
        .unwrap();
    assert_eq!(compiled.params(), dynamic.params());

    // And the run differs from one with the spec's own settings.
    let mut own = Iris::with_seed(0);
    let own_config = TrainConfig::from_spec(&compiled_spec)
        .with_epochs(3)
        .quiet();
    Trainer::with_config(&own, own_config)
        .fit_dyn(&mut own, &data, None)
        .unwrap();
    assert_ne!(own.params(), compiled.params());
    assert_eq!(
        config.regularization,
        Regularization {
            l2: 0.01,
            l1: 0.001,
            bias: false
        }
    );
}

/// The spec `mlp tune` wrote (tests/specs/tune/iris.tuned.yaml, checked against a fresh run
/// in tests/cli.rs) compiles, and the compiled network scores on the tune's folds within the
/// spread the tune reported.
#[test]
fn the_tuned_spec_trains_to_the_reported_score_within_the_fold_spread() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/specs/tune/iris.tuned.yaml"
    ))
    .unwrap();
    // "# accuracy 0.9733 +/- 0.0249 over the folds with ..."
    let line = text.lines().nth(1).unwrap();
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    let (reported, spread) = (numbers[0], numbers[1]);

    // The tune's folds: stratified 5-fold with the search's seed (0), each standardised with
    // its training part (`mlp tune` standardises by default).
    let raw = raw_iris();
    let spec = TunedIris::new().spec();
    let mut scores = Vec::new();
    for (mut training, mut held_out) in raw.stratified_k_fold(5, 0) {
        let standardizer = Standardizer::fit_inputs(&training);
        standardizer.apply_inputs(&mut training);
        standardizer.apply_inputs(&mut held_out);
        let mut network = TunedIris::with_seed(spec.init.seed);
        let config = TrainConfig::from_spec(&spec).quiet();
        Trainer::with_config(&network, config)
            .fit_dyn(&mut network, &training, Some(&held_out))
            .unwrap();
        scores.push(evaluate_dyn(&network, &held_out).unwrap().accuracy.unwrap());
    }
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    assert!(
        (mean - reported).abs() <= spread,
        "compiled {mean} vs tuned {reported} +/- {spread}"
    );
}

/// A compiled network's search varies its run-time hyper-parameters, gives the dynamic
/// engine's results, and refuses keys that change its sizes.
#[test]
fn a_compiled_search_matches_the_dynamic_one() {
    let base = Iris::new().spec();
    let mut spec = mlp_runtime::spec::parse(&format!(
        "{}search:\n  method: grid\n  folds: 3\n  space:\n    optimizer.lr: [0.001, 0.01]\n    \
         training.epochs: [5, 10]\n",
        base.canonical_yaml()
    ))
    .unwrap();
    let data = iris();
    let tuner = Tuner::new(&spec).unwrap().quiet().with_threads(2);
    let compiled = tuner.run_compiled::<Iris>(&data).unwrap();
    let dynamic = tuner.run_dyn(&data).unwrap();
    assert_eq!(compiled.trials.len(), 4);
    for (a, b) in compiled.trials.iter().zip(&dynamic.trials) {
        assert_eq!((&a.values, &a.scores), (&b.values, &b.scores));
    }
    assert_eq!(compiled.best().unwrap().values, [0.01, 10.0]);

    let search = spec.search.as_mut().unwrap();
    search.space[0] = mlp_runtime::spec::Axis {
        key: "layers.0.units".to_owned(),
        values: mlp_runtime::spec::AxisValues::List(vec![4.0, 8.0]),
    };
    let error = Tuner::new(&spec)
        .unwrap()
        .run_compiled::<Iris>(&data)
        .unwrap_err();
    assert!(matches!(error, SearchError::CompileTime { ref key } if key == "layers.0.units"));
}

#[mlp(spec = "specs/breast_cancer_tune.yaml")]
struct BreastCancer;

/// `examples/tune.rs` over seeds 0..4: tuning by cross-validation on the training part
/// never loses held-out accuracy against the spec's first guess.
#[test]
fn tuning_breast_cancer_never_loses_test_accuracy() {
    let data = Dataset::<f32, 30, 1>::from_csv(
        examples::data_file("breast_cancer.csv"),
        CsvTarget::Label(30),
    )
    .unwrap();
    for seed in 0..5 {
        let tuned = examples::tune::<BreastCancer, 30, 1>(&data, seed, false).unwrap();
        assert!(
            tuned.tuned >= tuned.untuned,
            "seed {seed}: tuned {} < untuned {}",
            tuned.tuned,
            tuned.untuned
        );
        assert!(tuned.tuned >= 0.93, "seed {seed}: tuned {}", tuned.tuned);
    }
}

/// A run with run-time hyper-parameters of its own, checkpointed halfway and resumed,
/// continues with them (the checkpoint's `trained_with`) exactly as the uninterrupted run.
#[test]
fn a_resumed_run_keeps_its_run_time_hyper_parameters() {
    use mlp_runtime::checkpoint::{load_training, save_training};
    let data = iris();
    let mut config = TrainConfig::from_spec(&Iris::new().spec())
        .quiet()
        .with_seed(4);
    config.optimizer = Optimizer::Momentum {
        lr: 0.02,
        momentum: 0.5,
    };
    config.regularization.l2 = 0.01;
    config.schedule = mlp_runtime::spec::parse(
        "input: 1\nlayers: [{units: 1}]\nloss: mse\nschedule: {kind: exponential, gamma: 0.9}\n",
    )
    .unwrap()
    .schedule;

    let mut straight = Iris::with_seed(4);
    Trainer::with_config(&straight, config.clone().with_epochs(6))
        .fit_dyn(&mut straight, &data, None)
        .unwrap();

    let mut first = Iris::with_seed(4);
    let mut trainer = Trainer::with_config(&first, config.clone().with_epochs(3));
    trainer.fit_dyn(&mut first, &data, None).unwrap();
    let dir = tempfile::Builder::new()
        .prefix("mlp-resume-hyper-")
        .tempdir()
        .unwrap();
    let path = dir.path().join("iris.safetensors");
    save_training(&path, &first, &trainer, &Preprocessing::default()).unwrap();
    let (loaded, mut resumed_trainer) = load_training::<Iris>(&path).unwrap();
    assert_eq!(resumed_trainer.optimizer().spec(), &config.optimizer);
    assert_eq!(
        resumed_trainer.state().regularization(),
        &config.regularization
    );
    // Replacing the settings (epochs, progress) keeps the restored hyper-parameters.
    *resumed_trainer.config_mut() = TrainConfig::from_spec(&Iris::new().spec())
        .quiet()
        .with_epochs(3);
    let mut resumed = loaded.network;
    resumed_trainer.fit_dyn(&mut resumed, &data, None).unwrap();
    assert_eq!(resumed.params(), straight.params());
}
