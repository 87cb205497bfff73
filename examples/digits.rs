//! Handwritten digits (8x8 pixels, 1797 samples) with a 64-32-10 network compiled from
//! `specs/digits.yaml`: train on 80%, report accuracy and the confusion matrix on the held-out
//! 20%, and save the model with its input standardisation to
//! `target/mlp/digits/model.safetensors` (`cargo run --release --example digits_eval` loads it
//! again).
//!
//! Run with `cargo run --release --example digits`.

mod common;

use mlp_runtime::checkpoint::{Preprocessing, save_weights};
use mlp_runtime::prelude::*;

/// 64 pixels, 32 relu units, 10 softmax classes, cross-entropy, adam.
#[mlp(spec = "specs/digits.yaml")]
struct Digits;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data =
        Dataset::<f32, 64, 10>::from_csv(common::data_file("digits.csv"), CsvTarget::Label(64))?;
    println!(
        "digits: {} samples; network 64-32-10, {} parameters",
        data.len(),
        Digits::PARAM_COUNT
    );
    let run = common::holdout::<Digits, 64, 10>(&data, 0, true)?;
    common::save_curves("digits", &run.history)?;
    let last = run.history.last().expect("at least one epoch");
    println!(
        "trained {} epochs: loss {:.4}, training accuracy {:.4}",
        last.epoch,
        last.loss,
        last.metric.unwrap_or(f64::NAN)
    );
    println!(
        "test accuracy {:.4} on {} held-out samples",
        run.test.accuracy.unwrap_or(f64::NAN),
        data.len() - (data.len() as f64 * 0.8).round() as usize
    );
    if let Some(confusion) = &run.test.confusion {
        println!("confusion matrix (rows: true digit, columns: predicted):\n{confusion}");
    }
    let path = common::output_dir("digits")?.join("model.safetensors");
    let preprocessing = Preprocessing::for_data(&data, Some(run.inputs), None);
    save_weights(&path, &run.network, &preprocessing)?;
    println!("saved the model to {}", path.display());
    Ok(())
}
