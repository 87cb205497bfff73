//! `mlp`: check, train, tune, evaluate, predict with, export, inspect and expand network specs without compiling a
//! network, on the dynamic engine. Errors go to standard error as one paragraph, with exit
//! status 1 (2 for a malformed command line).

#[macro_use]
mod output;

mod commands;
mod interrupt;
mod predict;
mod tune;
mod written;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Work with mlp network specs and checkpoints.
#[derive(Parser)]
#[command(
    name = "mlp",
    version,
    after_help = "Environment: MLP_INSTRUCTION_SET=avx512, avx2+fma (or avx2) or baseline caps \
                  the instruction set of the kernels, so that machines with different CPUs \
                  compute the same bits."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a spec, with the same messages as the `#[mlp]` attribute.
    Check {
        /// The spec file (YAML).
        spec: PathBuf,
    },
    /// Train a spec's network on a CSV file and save it as a checkpoint. Ctrl-C stops training
    /// at the end of the epoch that runs, and saves what it trained; a second Ctrl-C quits.
    Train {
        /// The spec file (YAML).
        spec: PathBuf,
        /// The data: a CSV file, features then targets. Its first row is a header unless
        /// every cell of it is a number.
        #[arg(long)]
        data: PathBuf,
        /// The column holding a class label, counted from 1 as in every message (5 is the
        /// fifth column). Labels become one-hot targets; for hinge loss, classes 0 and 1
        /// become -1 and +1. Without it, a classifier of several classes (or of hinge loss)
        /// whose rows hold the features and one more column reads that column as the label;
        /// otherwise the target columns follow the features.
        #[arg(long, allow_negative_numbers = true)]
        label_column: Option<usize>,
        /// Passes over the data; defaults to the spec's `training.epochs`.
        #[arg(long, allow_negative_numbers = true)]
        epochs: Option<usize>,
        /// The optimizer's learning rate; defaults to the spec's.
        #[arg(long, allow_negative_numbers = true)]
        lr: Option<f64>,
        /// Fraction of the training part held out for validation after each epoch (early
        /// stopping watches it); defaults to the spec's `training.validation_split`.
        #[arg(long, allow_negative_numbers = true)]
        validation_split: Option<f64>,
        /// Train on the raw inputs (and targets) instead of standardising them with the
        /// training part's mean and standard deviation.
        #[arg(long)]
        no_standardize: bool,
        /// Record each layer's gradient norm, weight norm and dead ReLU units per epoch in
        /// the history, and draw the gradient norms as `<name>.gradients.svg` and `.png`.
        #[arg(long)]
        diagnostics: bool,
        /// Threads a training step may use, as the spec's `training.threads` (which it
        /// replaces): a step splits its batch only where that pays (`mlp expand` shows the
        /// decision), and gives the same result on any number of threads.
        #[arg(long, allow_negative_numbers = true)]
        threads: Option<usize>,
        /// Seed of the split, the initial weights and the shuffling; defaults to the spec's
        /// `init.seed`.
        #[arg(long, allow_negative_numbers = true)]
        seed: Option<u64>,
        /// Fraction of the data held out to report a test score (stratified for classes).
        #[arg(long, allow_negative_numbers = true, default_value_t = 0.2)]
        test_fraction: f64,
        /// Where to write the checkpoint (its directory is made, before training, if missing);
        /// the history goes beside it as `<name>.history.csv`, the learning curves as
        /// `<name>.curves.svg` and `.png`.
        #[arg(long, default_value = "model.safetensors")]
        out: PathBuf,
    },
    /// Evaluate a checkpoint on a CSV file.
    Eval {
        /// The checkpoint (safetensors).
        checkpoint: PathBuf,
        /// The data, laid out as for `train`.
        #[arg(long)]
        data: PathBuf,
        /// The class-label column, counted from 1, as for `train` (and found as `train`
        /// finds it when not given).
        #[arg(long, allow_negative_numbers = true)]
        label_column: Option<usize>,
    },
    /// Predict the rows of a CSV file with a checkpoint: class and probabilities, or values
    /// in the targets' units, one row per sample. Rows may hold only the features; with a
    /// label column (or target columns) as well, the score is reported too.
    Predict {
        /// The checkpoint (safetensors).
        checkpoint: PathBuf,
        /// The data: the features, in the training file's order, with or without the label
        /// (or target) columns. Its first row is a header unless every cell is a number.
        #[arg(long)]
        data: PathBuf,
        /// The class-label column, counted from 1, as for `train`; without it a labelled
        /// file's label is its last column.
        #[arg(long, allow_negative_numbers = true)]
        label_column: Option<usize>,
        /// Where to write the predictions (CSV; its directory is made if missing); without
        /// it they go to standard output and the score to standard error.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Threads to predict on; 0 for one per core.
        #[arg(long, allow_negative_numbers = true, default_value_t = 0)]
        threads: usize,
    },
    /// Export a checkpoint as an ONNX graph (opset 13): raw features in, the standardisation,
    /// every layer, the output activation and a regression's target units included.
    Export {
        /// The checkpoint (safetensors).
        checkpoint: PathBuf,
        /// Where to write the ONNX model (its directory is made if missing).
        #[arg(long)]
        onnx: PathBuf,
    },
    /// Run a spec's `search` on the dynamic engine: print the ranked trials, and write them
    /// as CSV, the metric against each hyper-parameter as SVG and PNG, and the best spec as
    /// canonical YAML ready for `#[mlp]`. Ctrl-C stops the search, and ranks and writes the
    /// trials that finished; a second Ctrl-C quits.
    Tune {
        /// The spec file (YAML), with a `search` section.
        spec: PathBuf,
        /// The data: a CSV file, features then targets (as for `mlp train`).
        #[arg(long)]
        data: PathBuf,
        /// The column holding a class label, counted from 1 (as for `mlp train`, and found
        /// as `mlp train` finds it when not given).
        #[arg(long, allow_negative_numbers = true)]
        label_column: Option<usize>,
        /// Trials trained at once, on as many threads; 0 (the default) uses every core.
        /// Results are the same for any number.
        #[arg(long, allow_negative_numbers = true, default_value_t = 0)]
        jobs: usize,
        /// Train on the raw inputs instead of standardising each fold with the statistics
        /// of its training part.
        #[arg(long)]
        no_standardize: bool,
        /// The directory to write `trials.csv`, `search.svg`, `search.png` and
        /// `<spec>.tuned.yaml` to.
        #[arg(long, default_value = "tune")]
        out: PathBuf,
    },
    /// Show a checkpoint's spec, tensors and training metadata.
    Inspect {
        /// The checkpoint (safetensors).
        checkpoint: PathBuf,
    },
    /// Print the Rust code `#[mlp(spec = "...")]` generates for a spec.
    Expand {
        /// The spec file (YAML).
        spec: PathBuf,
        /// The struct's name.
        #[arg(long, default_value = "Net")]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The kernels would only warn and use everything the CPU has; a command whose bits the
    // user asked to pin stops before it computes any.
    if let Err(unknown) = mlp_runtime::kernels::requested_instruction_set() {
        eprintln!("error: {unknown}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        Command::Check { spec } => commands::check(&spec),
        Command::Train {
            spec,
            data,
            label_column,
            epochs,
            lr,
            validation_split,
            no_standardize,
            diagnostics,
            threads,
            seed,
            test_fraction,
            out,
        } => commands::train(&commands::TrainArgs {
            spec,
            data,
            label_column,
            epochs,
            lr,
            validation_split,
            standardize: !no_standardize,
            diagnostics,
            threads,
            seed,
            test_fraction,
            out,
        }),
        Command::Eval {
            checkpoint,
            data,
            label_column,
        } => commands::eval(&checkpoint, &data, label_column),
        Command::Predict {
            checkpoint,
            data,
            label_column,
            out,
            threads,
        } => predict::predict(&predict::PredictArgs {
            checkpoint,
            data,
            label_column,
            out,
            threads,
        }),
        Command::Export { checkpoint, onnx } => commands::export(&checkpoint, &onnx),
        Command::Tune {
            spec,
            data,
            label_column,
            jobs,
            no_standardize,
            out,
        } => tune::tune(&tune::TuneArgs {
            spec,
            data,
            label_column,
            jobs,
            standardize: !no_standardize,
            out,
        }),
        Command::Inspect { checkpoint } => commands::inspect(&checkpoint),
        Command::Expand { spec, name } => commands::expand(&spec, &name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
