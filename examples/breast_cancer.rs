//! Breast cancer diagnosis (569 samples, 30 features) with a 30-16-1 network compiled from
//! `specs/breast_cancer.yaml`: one sigmoid output, binary cross-entropy.
//!
//! Run with `cargo run --release --example breast_cancer`.

mod common;

use mlp_runtime::prelude::*;

/// 30 features, 16 relu units, one sigmoid output (the probability of benign).
#[mlp(spec = "specs/breast_cancer.yaml")]
struct BreastCancer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Dataset::<f32, 30, 1>::from_csv(
        common::data_file("breast_cancer.csv"),
        CsvTarget::Label(30),
    )?;
    let run = common::holdout::<BreastCancer, 30, 1>(&data, 0, true)?;
    common::save_curves("breast_cancer", &run.history)?;
    println!("test accuracy {:.4}", run.test.accuracy.unwrap_or(f64::NAN));
    if let Some(confusion) = &run.test.confusion {
        println!("(0 malignant, 1 benign)\n{confusion}");
    }
    Ok(())
}
