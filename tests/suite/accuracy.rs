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
