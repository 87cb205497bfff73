//! The subcommands. Each returns its error as the message to print.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use mlp_runtime::checkpoint::{self, Preprocessing, save_weights};
use mlp_runtime::data::csv_columns;
use mlp_runtime::spec::{Loss, MAX_THREADS, Precision, Spec, counted};
use mlp_runtime::{
    ConfusionMatrix, CsvTarget, DataError, DynDataset, DynNetwork, Evaluation, Float, History,
    Model, Standardizer, StopReason, Task, TrainConfig, TrainError, Trainer, evaluate_in_units,
};

use crate::interrupt::Interrupt;
use crate::written::Written;

/// Reads and validates a spec; errors read as the `#[mlp]` attribute's.
pub(crate) fn load_spec(path: &Path) -> Result<Spec, String> {
    let written = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read spec file `{written}`: {e}"))?;
    // One `error: ` paragraph per problem (main prints the first prefix), as rustc shows the
    // attribute's errors.
    mlp_runtime::spec::parse(&text).map_err(|errors| {
        let paragraphs: Vec<String> = errors.errors().iter().map(|e| e.render(&written)).collect();
        paragraphs.join("\nerror: ")
    })
}

pub(crate) fn check(path: &Path) -> Result<(), String> {
    let spec = load_spec(path)?;
    outln!(
        "{}: ok: {} network, {} parameters, loss {}, optimizer {}",
        path.display(),
        spec.shape(),
        spec.param_count(),
        spec.loss.name(),
        spec.optimizer.name()
    );
    outln!("{}", spec.summary());
    if let Some(search) = &spec.search {
        outln!("{}", search_line(search));
    }
    Ok(())
}

/// What `check` says of a search: `search: coordinate (3 rounds at most), 5-fold, accuracy;
/// optimizer.lr (3 values), ...`.
fn search_line(search: &mlp_runtime::spec::Search) -> String {
    use mlp_runtime::spec::{AxisValues, Scoring, SearchMethod};
    let method = match search.method {
        SearchMethod::Coordinate { rounds } => format!("coordinate ({rounds} rounds at most)"),
        SearchMethod::Grid => "grid".to_owned(),
        SearchMethod::Random { trials } => format!("random ({trials} trials)"),
    };
    let scoring = match search.scoring {
        Scoring::KFold { folds } => format!("{folds}-fold cross-validation"),
        Scoring::ValidationSplit { fraction } => format!("validation split {fraction}"),
    };
    let axes: Vec<String> = search
        .space
        .iter()
        .map(|axis| match &axis.values {
            AxisValues::List(values) => format!("{} ({} values)", axis.key, values.len()),
            AxisValues::LogUniform { low, high } => {
                format!("{} (log-uniform {low} to {high})", axis.key)
            }
        })
        .collect();
    format!(
        "search: {method}, {scoring}, {}; {}",
        search.metric.name(),
        axes.join(", ")
    )
}

/// The arguments of `mlp train`.
pub(crate) struct TrainArgs {
    pub(crate) spec: PathBuf,
    pub(crate) data: PathBuf,
    pub(crate) label_column: Option<usize>,
    pub(crate) epochs: Option<usize>,
    pub(crate) lr: Option<f64>,
    pub(crate) validation_split: Option<f64>,
    pub(crate) standardize: bool,
    pub(crate) diagnostics: bool,
    pub(crate) threads: Option<usize>,
    pub(crate) seed: Option<u64>,
    pub(crate) test_fraction: f64,
    pub(crate) out: PathBuf,
}

/// How to read the data's targets: `label_column` counts from 1; hinge loss gets -1/+1.
pub(crate) fn csv_target(label_column: Option<usize>, loss: Loss) -> Result<CsvTarget, String> {
    match label_column {
        None => Ok(CsvTarget::Columns),
        Some(0) => Err("--label-column counts from 1: the first column is 1".to_owned()),
        Some(_) if !loss.is_classification() => Err(format!(
            "--label-column names a column of class labels, but loss `{}` is a regression's; \
             drop the option, and give the target columns after the features",
            loss.name()
        )),
        Some(column) if loss == Loss::Hinge => Ok(CsvTarget::SignedLabel(column - 1)),
        Some(column) => Ok(CsvTarget::Label(column - 1)),
    }
}

/// The class-label column a command reads, counted from 1: `--label-column` if given;
/// otherwise, for a classifier whose rows hold the features and one more column, that column
/// (as `mlp predict` reads it); otherwise none, and the target columns follow the features.
/// A file that cannot be read gets none here, and its error where it is read.
pub(crate) fn label_column(
    data: &Path,
    given: Option<usize>,
    loss: Loss,
    inputs: usize,
    outputs: usize,
) -> Option<usize> {
    if given.is_some() || !labels_may_be_a_column(loss, outputs) {
        return given;
    }
    let columns = csv_columns(data).ok()?;
    (columns == inputs + 1).then_some(columns)
}

/// Whether a network's targets may be read from one column of class labels: a classifier's
/// of several outputs, or a one-output classifier's for hinge loss, whose targets must be -1
/// and +1 (a label column of 0 and 1 becomes them; a binary cross-entropy's column stays a
/// target, which may lie between 0 and 1).
fn labels_may_be_a_column(loss: Loss, outputs: usize) -> bool {
    loss.is_classification() && (outputs > 1 || loss == Loss::Hinge)
}

/// What to add to an error about the class labels, or about a text cell among the features,
/// when the command chose the labels' column itself: which column it read, and how to name
/// another. To a classifier's file of the wrong width read without a label column, the two
/// widths it may have.
pub(crate) fn chosen_label_note(
    error: &DataError,
    given: Option<usize>,
    read: Option<usize>,
    loss: Loss,
) -> String {
    let about_labels = matches!(
        error,
        DataError::Label { .. }
            | DataError::UnknownClass { .. }
            | DataError::ClassNames { .. }
            | DataError::NotANumber { .. }
    );
    if given.is_some() {
        return String::new();
    }
    match (error, read) {
        (_, Some(column)) if about_labels => format!(
            "; column {column}, the one after the features, was read as the class labels: if \
             they are in another column, pass `--label-column` with its number"
        ),
        (
            DataError::ColumnCount {
                features, expected, ..
            },
            None,
        ) if labels_may_be_a_column(loss, expected - features) => format!(
            "; a classifier's rows hold the features and then either its class labels, in one \
             column ({} columns), or one target column per class ({expected})",
            features + 1
        ),
        _ => String::new(),
    }
}

/// Refuses a network whose training cannot get the memory it needs: its parameters, their
/// gradient, the optimizer's state and a batch's activations (as `mlp check` lists them),
/// asked for at once before anything is read or trained. A spec with a layer too wide then
/// says so, where the first buffer that could not be allocated would abort the process.
pub(crate) fn check_training_memory(spec: &Spec, path: &Path) -> Result<(), String> {
    spec.check_training_memory().map_err(|shortfall| {
        format!(
            "{}: training this network {shortfall}; make its layers smaller",
            path.display()
        )
    })
}

/// Makes the directory a file given as `option` goes into, if it is missing, as every
/// command that writes a file does.
pub(crate) fn create_directory_of(path: &Path, option: &str) -> Result<(), String> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(directory) => std::fs::create_dir_all(directory).map_err(|e| {
            format!(
                "{option} {}: cannot create {}: {e}",
                path.display(),
                directory.display()
            )
        }),
        None => Ok(()),
    }
}

/// Sets the spec's settings that `mlp train`'s options override, each checked as the
/// spec's own value would be.
fn override_spec(spec: &mut Spec, args: &TrainArgs) -> Result<(), String> {
    if let Some(lr) = args.lr {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(format!("--lr must be a number > 0, found {lr}"));
        }
        for (parameter, value) in spec.optimizer.parameters_mut() {
            if parameter.key == "lr" {
                *value = lr;
            }
        }
    }
    if let Some(split) = args.validation_split {
        if !(0.0..1.0).contains(&split) {
            return Err(format!(
                "--validation-split must be in [0, 1), found {split}"
            ));
        }
        spec.training.validation_split = split;
    }
    if let Some(epochs) = args.epochs {
        if epochs == 0 {
            return Err("--epochs must be at least 1, found 0".to_owned());
        }
        spec.training.epochs = epochs;
    }
    if let Some(threads) = args.threads {
        check_threads("--threads", threads, 1)?;
        spec.training.threads = threads;
    }
    Ok(())
}

/// Refuses a thread count below `least` or above the spec's [`MAX_THREADS`]: each thread
/// gets buffers of its own, so a typo (`--threads 100000`) would take the memory of as many.
pub(crate) fn check_threads(option: &str, threads: usize, least: usize) -> Result<(), String> {
    if (least..=MAX_THREADS).contains(&threads) {
        return Ok(());
    }
    let zero = if least == 0 { " (0: one per core)" } else { "" };
    Err(format!(
        "{option} must be between {least} and {MAX_THREADS}{zero}, found {threads}"
    ))
}

/// Every score of an evaluation on one line: `loss 0.1234, accuracy 0.9667, ...`.
pub(crate) fn metric_line(evaluation: &Evaluation) -> String {
    let scores: Vec<String> = evaluation
        .scores()
        .into_iter()
        .map(|(name, value)| {
            let shown = match name {
                "f1_macro" => "macro F1",
                "log_loss" => "log-loss",
                "roc_auc" => "ROC-AUC",
                "r2" => "R^2",
                "rmse" => "RMSE",
                "mae" => "MAE",
                other => other,
            };
            format!("{shown} {}", score(value))
        })
        .collect();
    scores.join(", ")
}

/// A score to four decimals, or in scientific notation where four decimals would show only
/// zeros or thirty digits (the loss of a network that diverged on unscaled data).
pub(crate) fn score(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-4..1e6).contains(&magnitude) {
        format!("{value:.4e}")
    } else {
        format!("{value:.4}")
    }
}

/// Precision, recall and F1 of each class (by name when the labels had names), and their
/// macro averages.
fn class_table(confusion: &ConfusionMatrix, preprocessing: &Preprocessing) -> String {
    let names: Vec<String> = (0..confusion.classes())
        .map(|k| preprocessing.class_name(k))
        .collect();
    let w = names.iter().map(String::len).max().unwrap_or(0).max(9);
    let mut table = format!(
        "{:>w$} {:>9} {:>9} {:>9}\n",
        "class", "precision", "recall", "F1"
    );
    let row =
        |name: &str, p: f64, r: f64, f: f64| format!("{name:>w$} {p:>9.4} {r:>9.4} {f:>9.4}\n");
    for (k, name) in names.iter().enumerate() {
        table.push_str(&row(
            name,
            confusion.precision(k),
            confusion.recall(k),
            confusion.f1(k),
        ));
    }
    table.push_str(&row(
        "macro",
        confusion.macro_average(ConfusionMatrix::precision),
        confusion.macro_average(ConfusionMatrix::recall),
        confusion.macro_average(ConfusionMatrix::f1),
    ));
    table
}

pub(crate) fn train(args: &TrainArgs) -> Result<(), String> {
    let spec = load_spec(&args.spec)?;
    let interrupt = Interrupt::install(
        "training stops at the end of this epoch, and what it trained is saved",
    )?;
    match spec.precision {
        Precision::F32 => train_as::<f32>(spec, args, &interrupt),
        Precision::F64 => train_as::<f64>(spec, args, &interrupt),
    }
}

fn train_as<T: Float>(
    mut spec: Spec,
    args: &TrainArgs,
    interrupt: &Interrupt,
) -> Result<(), String> {
    if !(0.0..1.0).contains(&args.test_fraction) {
        return Err(format!(
            "--test-fraction must be in [0, 1), found {}",
            args.test_fraction
        ));
    }
    override_spec(&mut spec, args)?;
    check_training_memory(&spec, &args.spec)?;
    let history_path = args.out.with_extension("history.csv");
    let (svg, png) = (
        args.out.with_extension("curves.svg"),
        args.out.with_extension("curves.png"),
    );
    let gradients = (
        args.out.with_extension("gradients.svg"),
        args.out.with_extension("gradients.png"),
    );
    let mut files = vec![
        ("the checkpoint", args.out.as_path()),
        ("the history", &history_path),
        ("the learning curves", &svg),
        ("the learning curves", &png),
    ];
    if args.diagnostics {
        files.extend([
            ("the gradient norms", gradients.0.as_path()),
            ("the gradient norms", &gradients.1),
        ]);
    }
    let written = Written {
        option: "--out",
        given: &args.out,
        files: &files,
    };
    // Before training, so that training is not lost to a path that cannot be written.
    written.check(&[("the data", &args.data), ("the spec", &args.spec)])?;
    create_directory_of(&args.out, "--out")?;
    let seed = args.seed.unwrap_or(spec.init.seed);
    let task = Task::for_loss(&spec.loss);
    let (inputs, outputs) = (spec.input, spec.outputs());
    let labels = label_column(&args.data, args.label_column, spec.loss, inputs, outputs);
    let data =
        DynDataset::<T>::from_csv(&args.data, csv_target(labels, spec.loss)?, inputs, outputs)
            .map_err(|e| {
                format!(
                    "{e}{}",
                    chosen_label_note(&e, args.label_column, labels, spec.loss)
                )
            })?;
    let (mut train, mut test) = match task {
        Task::Classification { .. } => data.stratified_split(args.test_fraction, seed),
        Task::Regression => data.split(args.test_fraction, seed),
    };
    let preprocessing = if args.standardize {
        let inputs = Standardizer::fit_inputs(&train);
        let targets = (task == Task::Regression).then(|| Standardizer::fit_targets(&train));
        Preprocessing::for_data(&train, Some(inputs), targets)
    } else {
        Preprocessing::for_data(&train, None, None)
    };
    apply(&preprocessing, &mut train);
    apply(&preprocessing, &mut test);
    if train.is_empty() {
        return Err(format!(
            "--test-fraction {} leaves none of the {} rows of {} for training; lower it",
            args.test_fraction,
            test.len(),
            args.data.display()
        ));
    }
    if spec.batch_size > train.len() {
        // One batch of every training row either way (as PyTorch's `DataLoader` makes it);
        // the buffers of the larger batch, allocated up front, would only take memory.
        outln!(
            "batch_size {} is more than the {} training rows: one batch of all of them",
            spec.batch_size,
            train.len()
        );
        spec.batch_size = train.len();
    }

    let mut network = DynNetwork::<T>::from_spec(spec.clone()).map_err(|e| e.to_string())?;
    network.reinitialize(seed);
    let mut config = TrainConfig::from_spec(&spec);
    config.seed = seed;
    config.diagnostics = args.diagnostics;
    let mut trainer = Trainer::with_config(&network, config);
    if let Some(targets) = &preprocessing.targets {
        trainer.score_in_units(targets.clone());
    }
    let stop = interrupt.clone();
    trainer.on_epoch(move |_| match stop.pressed() {
        true => ControlFlow::Break(()),
        false => ControlFlow::Continue(()),
    });
    if spec.training.threads > 1 {
        outln!("{}", spec.shards_decision());
    }
    let write_history = |history: &History| -> Result<(), String> {
        history
            .write_csv(&history_path)
            .map_err(|e| e.to_string())?;
        history.write_svg(&svg).map_err(|e| e.to_string())?;
        history.write_png(&png).map_err(|e| e.to_string())?;
        if args.diagnostics {
            history
                .write_gradients_svg(&gradients.0)
                .map_err(|e| e.to_string())?;
            history
                .write_gradients_png(&gradients.1)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    let history = trainer
        .fit_dyn(&mut network, &train, None)
        .map_err(|error| match error {
            // The network holds the last good epoch's weights, but a run that diverged is
            // not saved as a model; its history shows how the loss got there.
            TrainError::Diverged {
                epoch,
                batch,
                loss,
                history,
            } => {
                let kept = match history.epochs.len() {
                    0 => String::new(),
                    before => match write_history(&history) {
                        Ok(()) => format!(
                            "; the losses of the {} before it are in {}, {} and {}",
                            counted(before, "epoch"),
                            history_path.display(),
                            svg.display(),
                            png.display()
                        ),
                        Err(e) => format!("; {e}"),
                    },
                };
                format!(
                    "training diverged in epoch {epoch}, batch {batch}: the loss is {loss}. Lower \
                     the learning rate, standardise the inputs, or set \
                     `training.clip_grad_norm`. Nothing was saved as {}{kept}",
                    args.out.display()
                )
            }
            other => other.to_string(),
        })?;
    // RMSE and MAE in the targets' units, as the predictions are written.
    let targets = preprocessing.targets.as_ref();
    let evaluate = |network: &DynNetwork<T>, data: &DynDataset<T>| {
        evaluate_in_units(network, data, targets).map_err(|e| e.to_string())
    };
    let held_out = match test.is_empty() {
        true => None,
        false => Some(evaluate(&network, &test)?),
    };
    let mut all = data;
    apply(&preprocessing, &mut all);
    let whole = evaluate(&network, &all)?;

    // Everything is saved before anything is printed: standard output that fails (a full
    // disk) then loses no training.
    save_weights(&args.out, &network, &preprocessing).map_err(|e| e.to_string())?;
    write_history(&history)?;

    if let Some(last) = history.last() {
        // The only callback is Ctrl-C's.
        if history.stop == StopReason::Callback {
            outln!(
                "stopped by Ctrl-C after epoch {} of {}: training loss {}",
                last.epoch,
                spec.training.epochs,
                score(last.loss)
            );
        } else {
            outln!(
                "trained {}: training loss {}",
                counted(last.epoch, "epoch"),
                score(last.loss)
            );
        }
    }
    if let Some(e) = held_out {
        outln!(
            "held out ({}): {}",
            counted(test.len(), "sample"),
            metric_line(&e)
        );
    }
    outln!(
        "all of {} ({}, the training rows included): {}",
        args.data.display(),
        counted(all.len(), "sample"),
        metric_line(&whole)
    );
    if args.diagnostics {
        outln!(
            "gradient norms per layer: {} and {}",
            gradients.0.display(),
            gradients.1.display()
        );
    }
    outln!(
        "saved {}, {}, {} and {}",
        args.out.display(),
        history_path.display(),
        svg.display(),
        png.display()
    );
    Ok(())
}

pub(crate) fn apply<T: Float>(preprocessing: &Preprocessing, data: &mut DynDataset<T>) {
    if let Some(inputs) = &preprocessing.inputs {
        inputs.apply_inputs(data);
    }
    if let Some(targets) = &preprocessing.targets {
        targets.apply_targets(data);
    }
}

pub(crate) fn eval(path: &Path, data: &Path, label_column: Option<usize>) -> Result<(), String> {
    let summary = checkpoint::inspect(path).map_err(|e| e.to_string())?;
    match summary.spec.precision {
        Precision::F32 => eval_as::<f32>(path, data, label_column),
        Precision::F64 => eval_as::<f64>(path, data, label_column),
    }
}

fn eval_as<T: Float>(path: &Path, data: &Path, label_column: Option<usize>) -> Result<(), String> {
    let loaded = checkpoint::load_dyn::<T>(path).map_err(|e| e.to_string())?;
    let network = &loaded.network;
    let (inputs, outputs, loss) = (
        network.input_size(),
        network.output_size(),
        network.spec().loss,
    );
    let labels = self::label_column(data, label_column, loss, inputs, outputs);
    let target = csv_target(labels, loss)?;
    let mut samples = DynDataset::<T>::from_csv_with_classes(
        data,
        target,
        inputs,
        outputs,
        &loaded.preprocessing.class_names,
    )
    .map_err(|e| {
        // The network's sizes say why a row's width is wrong; a pandas index column's
        // message says it all.
        if matches!(e, DataError::IndexColumn { .. }) {
            return e.to_string();
        }
        format!(
            "{e} (the checkpoint's network takes {} and gives {}){}",
            counted(inputs, "input"),
            counted(outputs, "output"),
            chosen_label_note(&e, label_column, labels, loss)
        )
    })?;
    loaded
        .preprocessing
        .check_feature_names(data, samples.feature_names(), target)
        .map_err(|e| e.to_string())?;
    apply(&loaded.preprocessing, &mut samples);
    let e = evaluate_in_units(network, &samples, loaded.preprocessing.targets.as_ref())
        .map_err(|e| e.to_string())?;
    outln!(
        "all of {} ({}): {}",
        data.display(),
        counted(samples.len(), "sample"),
        metric_line(&e)
    );
    if let Some(confusion) = &e.confusion {
        outln!("confusion matrix (rows: true class, columns: predicted):\n{confusion}");
        out!("{}", class_table(confusion, &loaded.preprocessing));
    }
    Ok(())
}

pub(crate) fn export(path: &Path, onnx: &Path) -> Result<(), String> {
    let summary = checkpoint::inspect(path).map_err(|e| e.to_string())?;
    match summary.spec.precision {
        Precision::F32 => export_as::<f32>(path, onnx),
        Precision::F64 => export_as::<f64>(path, onnx),
    }
}

fn export_as<T: Float>(path: &Path, onnx: &Path) -> Result<(), String> {
    let written = Written {
        option: "--onnx",
        given: onnx,
        files: &[("the ONNX model", onnx)],
    };
    written.check(&[("the checkpoint", path)])?;
    let loaded = checkpoint::load_dyn::<T>(path).map_err(|e| e.to_string())?;
    create_directory_of(onnx, "--onnx")?;
    mlp_runtime::onnx::save_onnx(onnx, &loaded.network, &loaded.preprocessing)
        .map_err(|e| e.to_string())?;
    outln!(
        "wrote {}: ONNX opset {}, input `input` [batch, {}] of raw features, output `output` \
         [batch, {}]",
        onnx.display(),
        mlp_runtime::onnx::OPSET,
        loaded.network.input_size(),
        loaded.network.output_size()
    );
    Ok(())
}

pub(crate) fn inspect(path: &Path) -> Result<(), String> {
    let summary = checkpoint::inspect(path).map_err(|e| e.to_string())?;
    let spec = &summary.spec;
    outln!("{}", path.display());
    outln!(
        "network: {} ({} parameters, {})",
        spec.shape(),
        spec.param_count(),
        spec.precision.type_name()
    );
    // A checkpoint of weights alone records no position in training (its epoch and step
    // are 0), so only a training checkpoint shows them.
    let training = summary
        .metadata
        .get("contents")
        .is_some_and(|c| c != "weights");
    let position = ["epoch", "step"].into_iter().filter(|_| training);
    for key in ["contents"].into_iter().chain(position).chain([
        "optimizer",
        "optimizer_steps",
        "crate_version",
        "spec_sha256",
    ]) {
        if let Some(value) = summary.metadata.get(key) {
            outln!("{key}: {value}");
        }
    }
    let preprocessing = &summary.preprocessing;
    for (key, present) in [
        ("input_standardizer", preprocessing.inputs.is_some()),
        ("target_standardizer", preprocessing.targets.is_some()),
    ] {
        if present {
            outln!("{key}: present");
        }
    }
    for (key, names) in [
        ("feature_names", &preprocessing.feature_names),
        ("target_names", &preprocessing.target_names),
        ("class_names", &preprocessing.class_names),
    ] {
        if !names.is_empty() {
            outln!("{key}: {}", names.join(", "));
        }
    }
    outln!("{}", spec.summary());
    outln!("tensors:");
    for (name, shape, dtype) in &summary.tensors {
        outln!("  {name} {shape:?} {dtype}");
    }
    outln!("spec:\n{}", spec.canonical_yaml());
    Ok(())
}

pub(crate) fn expand(path: &Path, name: &str) -> Result<(), String> {
    let spec = load_spec(path)?;
    let code = mlp_codegen::expand_to_string(name, &spec, &path.display().to_string())?;
    out!("{code}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::score;

    #[test]
    fn scores_show_four_decimals_or_an_exponent_where_those_would_hide_them() {
        assert_eq!(score(0.97333), "0.9733");
        assert_eq!(score(0.0), "0.0000");
        assert_eq!(score(-12.5), "-12.5000");
        assert_eq!(score(1.5669e30), "1.5669e30");
        assert_eq!(score(4.2e-7), "4.2000e-7");
    }
}
