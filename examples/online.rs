//! On-line learning on a stream: the 1797 handwritten digits (8x8 pixels) arrive one at a
//! time, in the file's order, to a 64-32-10 network compiled from `specs/digits_online.yaml`
//! that has seen nothing. Each digit is predicted first and learnt from after (an on-line
//! session's `predict`, then `learn`), so the accuracy printed for each run of 200 digits is
//! of digits the network had not seen: it learns as it goes. Pixels (0 to 16) are scaled to
//! [0, 1], since a stream cannot be standardised with statistics of digits still to come.
//!
//! Run with `cargo run --release --example online`.

mod common;

use std::time::Instant;

use mlp_runtime::prelude::*;

/// 64 pixels, 32 relu units, 10 softmax classes, cross-entropy, plain sgd, one sample a step.
#[mlp(spec = "specs/digits_online.yaml")]
struct DigitsOnline;

/// Digits per line of the report.
const WINDOW: usize = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data =
        Dataset::<f32, 64, 10>::from_csv(common::data_file("digits.csv"), CsvTarget::Label(64))?;
    let mut network = DigitsOnline::new();
    let start = Instant::now();
    let windows = common::prequential(&mut network, &data, 1.0 / 16.0, WINDOW)?;
    let seconds = start.elapsed().as_secs_f64();
    println!("digits   accuracy before learning each (test, then train)");
    let mut seen = 0;
    for (samples, right) in &windows {
        println!(
            "{:>4}-{:<4} {:.3}",
            seen + 1,
            seen + samples,
            *right as f64 / *samples as f64
        );
        seen += samples;
    }
    println!(
        "{seen} digits predicted and learnt one at a time in {:.1} ms ({:.2} M samples/s)",
        seconds * 1e3,
        seen as f64 / seconds / 1e6
    );
    Ok(())
}
