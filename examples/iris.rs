//! Iris (150 flowers, 3 species) with a 4-16-16-3 network compiled from `specs/iris.yaml`.
//!
//! Run with `cargo run --release --example iris`.

mod common;

use mlp_runtime::prelude::*;

/// 4 measurements, two hidden layers of 16 relu units, 3 softmax classes.
#[mlp(spec = "specs/iris.yaml")]
struct Iris;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = Dataset::<f32, 4, 3>::from_csv(common::data_file("iris.csv"), CsvTarget::Label(4))?;
    let run = common::holdout::<Iris, 4, 3>(&data, 0, true)?;
    common::save_curves("iris", &run.history)?;
    println!("test accuracy {:.4}", run.test.accuracy.unwrap_or(f64::NAN));
    if let Some(confusion) = &run.test.confusion {
        println!("{confusion}");
    }
    // Predict one new flower: inputs are standardised as in training.
    let mut flower = [5.9f32, 3.0, 5.1, 1.8];
    run.inputs.apply(&mut flower);
    let probabilities = run.network.forward(&IrisInput::from_column_slice(&flower));
    println!("P(setosa, versicolor, virginica) for [5.9, 3.0, 5.1, 1.8] = {probabilities:.3}");
    Ok(())
}
