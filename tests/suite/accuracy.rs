//! Test-set scores of the real-data examples (20% held out, 10% of the rest for validation),
//! averaged over seeds 0..4,
//! against the levels scikit-learn's MLP reaches with the same layer sizes
//! (examples/data/README.md).

use mlp_runtime::prelude::*;

use crate::examples;

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

#[mlp(spec = "specs/digits.yaml")]
struct Digits;

#[mlp(spec = "specs/breast_cancer.yaml")]
struct BreastCancer;

#[mlp(spec = "specs/diabetes.yaml")]
struct Diabetes;

/// The mean over seeds 0..4 of the held-out accuracy or R^2.
fn mean_score<N, const IN: usize, const OUT: usize>(data: &Dataset<f32, IN, OUT>) -> (f64, Vec<f64>)
where
    N: StaticModel<Float = f32, Input = SVector<f32, IN>, Output = SVector<f32, OUT>>,
{
    let scores: Vec<f64> = (0..5)
        .map(|seed| {
            let run =
                examples::holdout::<N, IN, OUT>(data, seed, false).expect("training converges");
            run.test.metric().expect("a score")
        })
        .collect();
    (scores.iter().sum::<f64>() / scores.len() as f64, scores)
}

#[test]
fn iris_reaches_093() {
    let data = Dataset::from_csv(examples::data_file("iris.csv"), CsvTarget::Label(4)).unwrap();
    let (mean, scores) = mean_score::<Iris, 4, 3>(&data);
    assert!(mean >= 0.93, "iris accuracy {mean:.4} ({scores:.4?})");
}

#[test]
fn digits_reaches_097() {
    let data = Dataset::from_csv(examples::data_file("digits.csv"), CsvTarget::Label(64)).unwrap();
    let (mean, scores) = mean_score::<Digits, 64, 10>(&data);
    assert!(mean >= 0.97, "digits accuracy {mean:.4} ({scores:.4?})");
}

#[mlp(spec = "specs/digits_online.yaml")]
struct DigitsOnline;

/// examples/online.rs: digits learnt one at a time in the file's order, each predicted
/// before it is learnt from. For each of seeds 0..4, the network guesses the first digits
/// and, from the 601st on, predicts nine in ten of the digits it has not seen yet (seed 0:
/// 0.59 for the first 200, 0.90-0.975 from the 601st; a network trained on 80% of the digits
/// in epochs scores 0.98 held out).
#[test]
fn digits_learnt_online_are_predicted_before_they_are_seen() {
    let data =
        Dataset::<f32, 64, 10>::from_csv(examples::data_file("digits.csv"), CsvTarget::Label(64))
            .unwrap();
    for seed in 0..5 {
        let mut network = DigitsOnline::with_seed(seed);
        let windows = examples::prequential(&mut network, &data, 1.0 / 16.0, 200).unwrap();
        let accuracy: Vec<f64> = windows
            .iter()
            .map(|&(samples, right)| right as f64 / samples as f64)
            .collect();
        assert_eq!(windows.iter().map(|w| w.0).sum::<usize>(), data.len());
        // 200 digits, each learnt from only after its prediction: the first are guesses.
        assert!(accuracy[0] < 0.75, "seed {seed}: {accuracy:.3?}");
        let late = &accuracy[3..];
        let mean = late.iter().sum::<f64>() / late.len() as f64;
        assert!(
            mean >= 0.9 && late.iter().all(|&a| a >= 0.85),
            "seed {seed}: {accuracy:.3?}"
        );
    }
}

#[test]
fn breast_cancer_reaches_097() {
    let data = Dataset::from_csv(
        examples::data_file("breast_cancer.csv"),
        CsvTarget::Label(30),
    )
    .unwrap();
    let (mean, scores) = mean_score::<BreastCancer, 30, 1>(&data);
    assert!(
        mean >= 0.97,
        "breast_cancer accuracy {mean:.4} ({scores:.4?})"
    );
}

#[test]
fn diabetes_reaches_r2_035() {
    let data = Dataset::from_csv(examples::data_file("diabetes.csv"), CsvTarget::Columns).unwrap();
    let (mean, scores) = mean_score::<Diabetes, 10, 1>(&data);
    assert!(mean >= 0.35, "diabetes R^2 {mean:.4} ({scores:.4?})");
}

#[mlp(spec = "specs/deep_sigmoid.yaml")]
struct DeepSigmoid;

#[mlp(spec = "specs/deep_sigmoid_norm.yaml")]
struct DeepSigmoidNorm;

/// `examples/deep.rs`'s claim: eight sigmoid layers with batch norm and residual connections
/// learn the digits (0.93 or better held out, for seed 0), and the gradient reaching their
/// first layer in the first epoch is over a thousand times the plain network's.
#[test]
fn batch_norm_and_residual_connections_train_eight_sigmoid_layers() {
    let data =
        Dataset::<f32, 64, 10>::from_csv(examples::data_file("digits.csv"), CsvTarget::Label(64))
            .unwrap();
    let first_gradient = |history: &mlp_runtime::History| history.epochs[0].layers[0].grad_norm;
    let plain = examples::holdout_with_diagnostics::<DeepSigmoid, 64, 10>(&data, 0).unwrap();
    let normalised =
        examples::holdout_with_diagnostics::<DeepSigmoidNorm, 64, 10>(&data, 0).unwrap();
    let accuracy = normalised.test.accuracy.unwrap();
    assert!(accuracy >= 0.93, "batch norm + residual: {accuracy}");
    let ratio = first_gradient(&normalised.history) / first_gradient(&plain.history);
    assert!(ratio > 1e3, "first layer's gradient ratio {ratio}");
}
