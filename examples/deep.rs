//! Why batch normalisation and residual connections matter: the same eight sigmoid hidden
//! layers on the digits, plain (`specs/deep_sigmoid.yaml`) and with batch norm before every
//! sigmoid and residual connections (`specs/deep_sigmoid_norm.yaml`), trained alike (plain
//! SGD, 30 epochs, on 72% of the samples; 20% held out for the test). Prints each layer's weight-gradient norm over the first epochs (the
//! trainer's diagnostics: the plain network's shrink towards its input) and both test
//! accuracies, and draws the norms to `target/mlp/deep/{plain,normalised}.gradients.svg`.
//!
//! Run with `cargo run --release --example deep`.

mod common;

use mlp_runtime::History;
use mlp_runtime::prelude::*;

/// 64-32x8-10, sigmoid hidden layers, plain.
#[mlp(spec = "specs/deep_sigmoid.yaml")]
struct Plain;

/// The same with batch norm and residual connections.
#[mlp(spec = "specs/deep_sigmoid_norm.yaml")]
struct Normalised;

/// Epochs whose gradient norms are printed.
const SHOWN: usize = 3;

fn print_gradients(name: &str, history: &History) {
    println!(
        "{name}: weight-gradient norm per layer (input side first), mean over each epoch's steps"
    );
    for record in history.epochs.iter().take(SHOWN) {
        let norms: Vec<String> = record
            .layers
            .iter()
            .map(|layer| format!("{:.1e}", layer.grad_norm))
            .collect();
        println!("  epoch {}: {}", record.epoch, norms.join(" "));
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data =
        Dataset::<f32, 64, 10>::from_csv(common::data_file("digits.csv"), CsvTarget::Label(64))?;
    let plain = common::holdout_with_diagnostics::<Plain, 64, 10>(&data, 0)?;
    let normalised = common::holdout_with_diagnostics::<Normalised, 64, 10>(&data, 0)?;
    let plain_accuracy = plain.test.accuracy.unwrap_or(f64::NAN);
    let normalised_accuracy = normalised.test.accuracy.unwrap_or(f64::NAN);
    let (plain, normalised) = (plain.history, normalised.history);
    print_gradients("plain", &plain);
    print_gradients("batch norm + residual", &normalised);
    let dir = common::output_dir("deep")?;
    for (name, history) in [("plain", &plain), ("normalised", &normalised)] {
        history.write_gradients_svg(dir.join(format!("{name}.gradients.svg")))?;
    }
    println!("gradient norms drawn in {}", dir.display());
    println!(
        "test accuracy after {} epochs: plain {plain_accuracy:.4}, batch norm + residual {normalised_accuracy:.4}",
        plain.epochs.len()
    );
    Ok(())
}
