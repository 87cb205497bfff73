//! Tuning a compiled network's hyper-parameters as the lecture notes teach: a range of
//! values for each, one at a time with the others fixed, until a round changes nothing,
//! each choice scored by 5-fold cross-validation on the training part only. Then one
//! training with the chosen values on the whole training part, and the held-out test score
//! beside the untuned spec's. Nothing is recompiled: the learning rate, the L2 penalty and
//! the epochs are run-time hyper-parameters of the compiled network.
//!
//! Run with `cargo run --release --example tune [SEED]` (default 0). The search is the
//! `search` section of `specs/breast_cancer_tune.yaml`; `mlp tune` runs the same kind of
//! search on the dynamic engine, sizes included.

mod common;

use mlp_runtime::prelude::*;

/// 30 features, 16 relu units, one sigmoid output (the probability of benign).
#[mlp(spec = "specs/breast_cancer_tune.yaml")]
struct BreastCancer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("the seed must be a whole number, found `{text}`"))?,
        None => 0,
    };
    let data = Dataset::<f32, 30, 1>::from_csv(
        common::data_file("breast_cancer.csv"),
        CsvTarget::Label(30),
    )?;
    let tuned = common::tune::<BreastCancer, 30, 1>(&data, seed, true)?;
    let results = &tuned.results;
    print!("{}", results.table());
    let best = results.best().ok_or("every trial failed")?;
    println!(
        "coordinate search: {} trials in {} rounds; chose {} (cross-validated accuracy {:.4} +/- {:.4})",
        results.trials.len(),
        results.rounds,
        results.values_text(best),
        best.mean,
        best.std
    );
    println!(
        "test accuracy untuned {:.4}, tuned {:.4}",
        tuned.untuned, tuned.tuned
    );
    Ok(())
}
