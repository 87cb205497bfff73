//! Loads the model `cargo run --release --example digits` saved, with its input
//! standardisation, and scores it on the same held-out digits, from their raw pixels.
//!
//! Run with `cargo run --release --example digits_eval` (after the `digits` example).

mod common;

use mlp_runtime::checkpoint::load_weights;
use mlp_runtime::prelude::*;

/// The network of the `digits` example: same spec, so its checkpoints load here.
#[mlp(spec = "specs/digits.yaml")]
struct Digits;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = common::output_dir("digits")?.join("model.safetensors");
    let loaded = load_weights::<Digits>(&path)
        .map_err(|e| format!("{e}\n(run `cargo run --release --example digits` first)"))?;
    let data =
        Dataset::<f32, 64, 10>::from_csv(common::data_file("digits.csv"), CsvTarget::Label(64))?;
    let mut test = common::raw_test_part(&data, 0, true);
    if let Some(inputs) = &loaded.preprocessing.inputs {
        inputs.apply_inputs(&mut test);
    }
    let evaluation = evaluate(&loaded.network, &test)?;
    println!(
        "loaded {}: test accuracy {:.4} on {} held-out samples",
        path.display(),
        evaluation.accuracy.unwrap_or(f64::NAN),
        test.len()
    );
    // All samples, for cross-checking with another implementation (scripts/check_interop.py).
    let mut all = data.clone();
    if let Some(inputs) = &loaded.preprocessing.inputs {
        inputs.apply_inputs(&mut all);
    }
    let accuracy = evaluate(&loaded.network, &all)?
        .accuracy
        .unwrap_or(f64::NAN);
    println!("accuracy on all {} digits: {accuracy:.6}", all.len());
    Ok(())
}
