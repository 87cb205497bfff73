use super::*;
use crate::data::{Preprocessing, Standardizer};
use crate::dynamic::DynNetwork;

fn network(yaml: &str) -> DynNetwork<f32> {
    DynNetwork::from_yaml(yaml).expect("a valid test spec")
}

const SOFTMAX: &str = "input: 3\nlayers:\n  - {units: 5, activation: tanh}\n  - {units: 4, activation: softmax}\nloss: cross_entropy\nbatch_size: 4\n";
const SIGMOID: &str = "input: 2\nlayers:\n  - {units: 3, activation: relu}\n  - {units: 1, activation: sigmoid}\nloss: bce\nbatch_size: 3\n";
const REGRESSION: &str = "input: 2\nlayers:\n  - {units: 4, activation: tanh}\n  - {units: 2}\nloss: mse\nbatch_size: 8\n";

/// `samples` inputs of `width` values, none alike.
fn inputs(samples: usize, width: usize) -> Vec<f32> {
    (0..samples * width)
        .map(|i| ((i * 37) % 23) as f32 / 7.0 - 1.5)
        .collect()
}

#[test]
fn any_number_of_samples_matches_one_sample_at_a_time() {
    let net = network(SOFTMAX);
    // Fewer than a batch, exactly two, and a partial third.
    for samples in [1, 3, 8, 11] {
        let x = inputs(samples, 3);
        let mut outputs = vec![0.0; samples * 4];
        let done = Predictor::new(&net).predict(&x, &mut outputs).unwrap();
        assert_eq!(done, samples);
        for (sample, got) in x.chunks_exact(3).zip(outputs.chunks_exact(4)) {
            let one = net.predict(sample);
            for (a, b) in got.iter().zip(&one) {
                assert!(
                    (a - b).abs() <= 1e-6,
                    "{samples} samples: {got:?} vs {one:?}"
                );
            }
        }
    }
}

#[test]
fn results_are_bit_identical_for_any_number_of_threads() {
    let net = network(SOFTMAX);
    let x = inputs(37, 3);
    let run = |threads| {
        let mut predictor = Predictor::new(&net).with_threads(threads);
        let mut outputs = vec![0.0; 37 * 4];
        predictor.predict(&x, &mut outputs).unwrap();
        let mut classes = vec![0; 37];
        predictor.predict_class(&x, &mut classes).unwrap();
        (outputs, classes)
    };
    let one = run(1);
    for threads in [2, 3, 16] {
        assert_eq!(run(threads), one, "{threads} threads");
    }
    // More threads than chunks, and no samples at all, are fine.
    let mut none: [f32; 0] = [];
    assert_eq!(
        Predictor::new(&net).with_threads(4).predict(&[], &mut none),
        Ok(0)
    );
}

#[test]
fn a_thread_count_beyond_the_limit_takes_the_limit() {
    let net = network(SOFTMAX);
    assert_eq!(Predictor::new(&net).with_threads(3).threads(), 3);
    let many = Predictor::new(&net).with_threads(usize::MAX);
    assert_eq!(many.threads(), MAX_THREADS);
    // Fewer threads after more drop the extra buffers.
    assert_eq!(many.with_threads(2).threads(), 2);
}

#[test]
fn probabilities_and_classes_follow_scikit_learn() {
    let net = network(SOFTMAX);
    let x = inputs(5, 3);
    let mut predictor = Predictor::new(&net);
    assert_eq!(predictor.classes(), Some(4));
    let (mut outputs, mut probabilities, mut classes) = (vec![0.0; 20], vec![0.0; 20], [0; 5]);
    predictor.predict(&x, &mut outputs).unwrap();
    predictor.predict_proba(&x, &mut probabilities).unwrap();
    predictor.predict_class(&x, &mut classes).unwrap();
    assert_eq!(
        outputs, probabilities,
        "softmax outputs are the probabilities"
    );
    for (row, class) in probabilities.chunks_exact(4).zip(classes) {
        let largest = (0..4).max_by(|&a, &b| row[a].total_cmp(&row[b])).unwrap();
        assert_eq!(class, largest);
    }

    // One sigmoid output p: probabilities [1 - p, p], class 1 above the threshold.
    let net = network(SIGMOID);
    let x = inputs(7, 2);
    let mut outputs = vec![0.0; 7];
    let mut predictor = Predictor::new(&net);
    assert_eq!(predictor.classes(), Some(2));
    predictor.predict(&x, &mut outputs).unwrap();
    let mut probabilities = vec![0.0; 14];
    predictor.predict_proba(&x, &mut probabilities).unwrap();
    for (p, pair) in outputs.iter().zip(probabilities.chunks_exact(2)) {
        assert_eq!(pair, [1.0 - p, *p]);
    }
    let threshold = outputs[3];
    let mut classes = [0; 7];
    let mut predictor = predictor.with_threshold(f64::from(threshold));
    predictor.predict_class(&x, &mut classes).unwrap();
    for (p, class) in outputs.iter().zip(classes) {
        assert_eq!(class, usize::from(*p > threshold));
    }
    assert_eq!(classes[3], 0, "the threshold itself is not above it");
}

#[test]
fn raw_inputs_are_standardised_and_outputs_mapped_back() {
    let net = network(REGRESSION);
    let raw = inputs(10, 2)
        .iter()
        .map(|v| v * 40.0 + 100.0)
        .collect::<Vec<_>>();
    let preprocessing = Preprocessing {
        inputs: Some(Standardizer::fit(&raw, 2)),
        targets: Some(Standardizer {
            mean: vec![50.0, -3.0],
            std: vec![10.0, 0.5],
        }),
        ..Preprocessing::default()
    };
    let mut got = vec![0.0; 20];
    Predictor::with_preprocessing(&net, &preprocessing)
        .predict(&raw, &mut got)
        .unwrap();
    let mut standardised = raw.clone();
    preprocessing
        .inputs
        .as_ref()
        .unwrap()
        .apply(&mut standardised);
    let mut expected = vec![0.0; 20];
    Predictor::new(&net)
        .predict(&standardised, &mut expected)
        .unwrap();
    preprocessing
        .targets
        .as_ref()
        .unwrap()
        .invert(&mut expected);
    assert_eq!(got, expected);
}

#[test]
fn wrong_buffers_and_wrong_questions_are_errors_that_write_nothing() {
    let net = network(REGRESSION);
    let mut predictor = Predictor::new(&net);
    let mut outputs = vec![7.0; 4];
    assert_eq!(
        predictor.predict(&[1.0, 2.0, 3.0], &mut outputs),
        Err(PredictError::Inputs {
            values: 3,
            width: 2
        })
    );
    assert_eq!(
        predictor.predict(&[1.0, 2.0, 3.0, 4.0], &mut outputs[..3]),
        Err(PredictError::Outputs {
            values: 3,
            samples: 2,
            width: 2
        })
    );
    assert_eq!(outputs, [7.0; 4]);
    assert_eq!(predictor.classes(), None);
    let error = predictor.predict_class(&[1.0, 2.0], &mut [0]).unwrap_err();
    assert_eq!(error, PredictError::NotAClassifier { loss: "mse" });
    assert_eq!(
        PredictError::Outputs {
            values: 3,
            samples: 2,
            width: 2
        }
        .to_string(),
        "the result buffer holds 3 values, where 4 are needed for 2 samples (2 each); size it \
         `samples * 2`"
    );
    assert_eq!(
        predictor
            .predict(&[1.0, 2.0], &mut outputs)
            .unwrap_err()
            .to_string(),
        "the result buffer holds 4 values, where 2 are needed for 1 sample (2 each); size it \
         `samples * 2`"
    );

    let hinge = network("input: 2\nlayers: [{units: 1}]\nloss: hinge\n");
    let mut predictor = Predictor::new(&hinge);
    let mut classes = [9; 2];
    assert_eq!(
        predictor.predict_proba(&[1.0, 2.0, 3.0, 4.0], &mut [0.0; 4]),
        Err(PredictError::NotProbabilistic { loss: "hinge" })
    );
    // Hinge's classes are the sign of the score.
    predictor
        .predict_class(&[1.0, 2.0, -3.0, -4.0], &mut classes)
        .unwrap();
    let mut scores = [0.0; 2];
    predictor
        .predict(&[1.0, 2.0, -3.0, -4.0], &mut scores)
        .unwrap();
    assert_eq!(classes.map(|k| k == 1), scores.map(|s| s > 0.0));
}

#[test]
fn inputs_that_are_not_finite_are_refused_at_the_first_on_any_number_of_threads() {
    let net = network(SOFTMAX);
    // 37 samples in chunks of 4: bad values in the chunks of samples 12-15 and 28-31.
    let mut x = inputs(37, 3);
    (x[13 * 3 + 2], x[29 * 3]) = (f32::NAN, f32::INFINITY);
    for threads in [1, 2, 3, 16] {
        let mut predictor = Predictor::new(&net).with_threads(threads);
        let expected = PredictError::NotFinite {
            sample: 13,
            feature: 2,
            value: "NaN",
        };
        let mut outputs = vec![0.0; 37 * 4];
        assert_eq!(predictor.predict(&x, &mut outputs), Err(expected.clone()));
        assert_eq!(
            predictor.predict_class(&x, &mut [0; 37]),
            Err(expected),
            "{threads} threads"
        );
    }
    x[13 * 3 + 2] = 0.5;
    let error = Predictor::new(&net)
        .predict(&x, &mut vec![0.0; 37 * 4])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "sample 29 (from 0) has inf as its feature 0 (from 0): a network predicts from finite \
         numbers only; fill in or drop the sample"
    );
    x[29 * 3] = 0.5;
    assert!(
        Predictor::new(&net)
            .predict(&x, &mut vec![0.0; 37 * 4])
            .is_ok()
    );
}

#[test]
fn all_finite_finds_a_bad_value_in_the_lanes_and_in_the_rest() {
    for len in 0..20 {
        let values: Vec<f64> = (0..len).map(|i| i as f64 - 3.5).collect();
        assert!(all_finite(&values), "{len}");
        for at in 0..len {
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let mut values = values.clone();
                values[at] = bad;
                assert!(!all_finite(&values), "{bad} at {at} of {len}");
            }
        }
    }
    assert!(all_finite(&[
        f32::MAX,
        f32::MIN,
        -0.0,
        f32::MIN_POSITIVE / 2.0
    ]));
}
