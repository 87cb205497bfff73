//! Diabetes progression (442 patients, 10 features) with a 10-32-1 regression network
//! compiled from `specs/diabetes.yaml`.
//!
//! Run with `cargo run --release --example diabetes`.

mod common;

use mlp_runtime::prelude::*;

/// 10 features, 32 relu units, one linear output, mean squared error.
#[mlp(spec = "specs/diabetes.yaml")]
struct Diabetes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data =
        Dataset::<f32, 10, 1>::from_csv(common::data_file("diabetes.csv"), CsvTarget::Columns)?;
    let run = common::holdout::<Diabetes, 10, 1>(&data, 0, true)?;
    common::save_curves("diabetes", &run.history)?;
    println!(
        "test R^2 {:.4}, RMSE {:.4} (in the target's units)",
        run.test.r2.unwrap_or(f64::NAN),
        run.test.rmse.unwrap_or(f64::NAN)
    );
    Ok(())
}
