//! A training step allocates nothing once the trainer exists: counted with a global
//! allocator (allocation-counter) for every optimizer, at batch 1 and at the full batch, with
//! and without per-layer diagnostics, in on-line sessions, and for inference (a prediction of
//! any number of samples included), in both engines; a network with compiled-in weights needs
//! no heap at all. Its own test binary, since it replaces the global allocator.

use allocation_counter::measure;
use mlp_runtime::prelude::*;

fn assert_steps_do_not_allocate<M: Model>(mut network: M) {
    for diagnostics in [false, true] {
        let config = TrainConfig {
            diagnostics,
            ..TrainConfig::from_spec(&network.spec())
        };
        let trainer = Trainer::with_config(&network, config);
        assert_trainer_steps_do_not_allocate(&mut network, trainer);
    }
}

fn assert_trainer_steps_do_not_allocate<M: Model>(network: &mut M, mut trainer: Trainer<M>) {
    let batch = network.batch_size();
    let (input_size, output_size) = (network.input_size(), network.output_size());
    let inputs: Vec<M::Float> = (0..input_size * batch)
        .map(|i| M::Float::cast((i % 7) as f64 / 7.0))
        .collect();
    let targets: Vec<M::Float> = (0..output_size * batch)
        .map(|i| M::Float::cast(if i % output_size == 0 { 1.0 } else { 0.0 }))
        .collect();
    // Warm up: the first step is where lazily initialised state would allocate.
    trainer.step(network, &inputs, &targets, batch).unwrap();
    for count in [1, batch] {
        let info = measure(|| {
            for _ in 0..5 {
                trainer.step(network, &inputs, &targets, count).unwrap();
            }
        });
        assert_eq!(
            info.count_total,
            0,
            "{} ({}, diagnostics {}): {} allocations in 5 steps of {count} samples",
            std::any::type_name::<M>(),
            network.spec().optimizer.name(),
            trainer.config().diagnostics,
            info.count_total
        );
    }
    // Nor does an on-line session, whose steps may hold the first layer's update back, nor
    // its predictions and the steps learnt from them, nor applying the held update when the
    // session ends.
    let info = measure(|| {
        let mut session = trainer.online(network);
        for _ in 0..5 {
            session.step(&inputs, &targets).unwrap();
            session.predict(&inputs).unwrap();
            session.learn(&targets).unwrap();
        }
    });
    assert_eq!(info.count_total, 0, "an on-line session allocated");
    // The counter is live: creating a workspace allocates its buffers.
    let mut workspace = None;
    assert!(measure(|| workspace = Some(network.workspace())).count_total > 0);
    let mut workspace = workspace.expect("created above");
    let mut outputs = vec![M::Float::cast(0.0); output_size * batch];
    let info = measure(|| {
        network.forward_slice(&mut workspace, &inputs, 1, &mut outputs);
        network.forward_slice(&mut workspace, &inputs, batch, &mut outputs);
    });
    assert_eq!(info.count_total, 0, "inference allocated");
    // Predicting any number of samples (here two and a half batches, from raw inputs) in the
    // caller's buffers allocates nothing once the predictor exists.
    let samples = batch * 5 / 2 + 1;
    let raw: Vec<M::Float> = (0..input_size * samples)
        .map(|i| M::Float::cast((i % 5) as f64))
        .collect();
    let preprocessing = mlp_runtime::checkpoint::Preprocessing {
        inputs: Some(Standardizer::fit(&raw, input_size)),
        ..Default::default()
    };
    let mut predictor = Predictor::with_preprocessing(&*network, &preprocessing);
    let mut outputs = vec![M::Float::cast(0.0); output_size * samples];
    let info = measure(|| {
        predictor.predict(&raw, &mut outputs).unwrap();
    });
    assert_eq!(info.count_total, 0, "prediction allocated");
}

fn assert_compiled_inference_does_not_allocate<N: StaticModel>(network: &N) {
    let input = N::Input::from_slice(&vec![N::Float::cast(0.5); N::INPUTS]);
    let info = measure(|| {
        let _ = network.predict(&input);
    });
    assert_eq!(info.count_total, 0, "predict allocated");
}

macro_rules! networks {
    ($($name:ident: $spec:literal;)*) => {
        $(
            #[mlp(spec = $spec)]
            struct $name;
        )*

        #[test]
        fn training_steps_and_inference_do_not_allocate() {
            $(
                assert_compiled_inference_does_not_allocate(&$name::new());
                assert_steps_do_not_allocate($name::new());
            )*
        }

        #[test]
        fn dynamic_engine_steps_and_inference_do_not_allocate() {
            $(
                let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $spec));
                if yaml.contains("precision: f64") {
                    assert_steps_do_not_allocate(mlp_runtime::DynNetwork::<f64>::from_yaml(yaml).unwrap());
                } else {
                    assert_steps_do_not_allocate(mlp_runtime::DynNetwork::<f32>::from_yaml(yaml).unwrap());
                }
            )*
        }
    };
}

networks! {
    Sgd: "tests/oracle/case_01/spec.yaml";
    MomentumL2: "tests/oracle/case_02/spec.yaml";
    Nesterov: "tests/oracle/case_03/spec.yaml";
    AdagradL1: "tests/oracle/case_04/spec.yaml";
    Rmsprop: "tests/oracle/case_05/spec.yaml";
    AdamL2: "tests/oracle/case_06/spec.yaml";
    Adamw: "tests/oracle/case_07/spec.yaml";
    Digits: "specs/digits.yaml";
    Mnist: "specs/mnist.yaml";
    OnlineWide: "tests/specs/online-wide.yaml";
    BatchNormResidualDropout: "tests/specs/deep-batch-norm.yaml";
    DropoutGrad: "tests/specs/grad/hidden-dropout-f64.yaml";
}

/// Iris with trained weights compiled in.
#[mlp(spec = "specs/iris.yaml", weights = "tests/weights/iris.safetensors")]
struct TrainedIris;

#[test]
fn a_network_with_compiled_in_weights_needs_no_heap() {
    let input = TrainedIrisInput::new(0.1, -0.2, 0.3, 0.4);
    let info = measure(|| {
        let network = TrainedIris::trained();
        let _ = network.forward(&input);
    });
    assert_eq!(info.count_total, 0, "constructing and predicting allocated");
    // The counter is live: a heap network allocates its parameters.
    assert!(measure(|| drop(TrainedIris::new())).count_total > 0);
}
