//! `mlp predict`: a checkpoint's predictions for the rows of a CSV file, labelled or not.

use std::io::Write as _;
use std::path::PathBuf;

use mlp_runtime::checkpoint::{self, Loaded};
use mlp_runtime::data::{csv_columns, read_features};
use mlp_runtime::spec::{Loss, Precision, counted};
use mlp_runtime::{CsvTarget, DynDataset, DynNetwork, Float, Model, Task, evaluate_in_units};

use crate::commands::{
    apply, check_threads, chosen_label_note, create_directory_of, csv_target, metric_line,
};
use crate::written::Written;

/// The arguments of `mlp predict`.
pub(crate) struct PredictArgs {
    pub(crate) checkpoint: PathBuf,
    pub(crate) data: PathBuf,
    pub(crate) label_column: Option<usize>,
    pub(crate) out: Option<PathBuf>,
    pub(crate) threads: usize,
}

pub(crate) fn predict(args: &PredictArgs) -> Result<(), String> {
    check_threads("--threads", args.threads, 0)?;
    if let Some(out) = &args.out {
        let written = Written {
            option: "--out",
            given: out,
            files: &[("the predictions", out)],
        };
        written.check(&[
            ("the data", &args.data),
            ("the checkpoint", &args.checkpoint),
        ])?;
    }
    let summary = checkpoint::inspect(&args.checkpoint).map_err(|e| e.to_string())?;
    match summary.spec.precision {
        Precision::F32 => predict_as::<f32>(args),
        Precision::F64 => predict_as::<f64>(args),
    }
}

/// Where the data's targets are, if it has any.
enum Layout {
    /// Feature columns only.
    Unlabelled,
    /// Features and targets, read as this, with the class-label column read (from 1) if any.
    Labelled(CsvTarget, Option<usize>),
}

/// Decides from the first row's width whether the file holds targets besides the features.
fn layout(args: &PredictArgs, network: &DynNetwork<impl Float>) -> Result<Layout, String> {
    let loss = network.spec().loss;
    let (inputs, outputs) = (network.input_size(), network.output_size());
    let classifier = matches!(Task::for_loss(&loss), Task::Classification { .. });
    let labelled = if classifier {
        inputs + 1
    } else {
        inputs + outputs
    };
    let columns = csv_columns(&args.data).map_err(|e| e.to_string())?;
    let labels = match args.label_column {
        None if classifier => Some(inputs + 1),
        given => given,
    };
    let target = csv_target(labels, loss)?;
    if args.label_column.is_some() || columns != inputs {
        if columns != labelled {
            let with = if classifier {
                "a label column"
            } else if outputs == 1 {
                "a target column"
            } else {
                "the target columns"
            };
            return Err(format!(
                "{}:1: expected {inputs} columns (the network's features) or {labelled} \
                 (features and {with}), found {columns}",
                args.data.display()
            ));
        }
        return Ok(Layout::Labelled(target, labels));
    }
    Ok(Layout::Unlabelled)
}

fn predict_as<T: Float>(args: &PredictArgs) -> Result<(), String> {
    let loaded = checkpoint::load_dyn::<T>(&args.checkpoint).map_err(|e| e.to_string())?;
    let network = &loaded.network;
    let check_feature_names = |names: &[String], target| {
        (loaded.preprocessing)
            .check_feature_names(&args.data, names, target)
            .map_err(|e| e.to_string())
    };
    let (inputs, labels) = match layout(args, network)? {
        Layout::Unlabelled => {
            let features =
                read_features::<T>(&args.data, network.input_size()).map_err(|e| e.to_string())?;
            check_feature_names(&features.names, CsvTarget::Columns)?;
            (features.values, None)
        }
        Layout::Labelled(target, labels) => {
            let data = DynDataset::<T>::from_csv_with_classes(
                &args.data,
                target,
                network.input_size(),
                network.output_size(),
                &loaded.preprocessing.class_names,
            )
            .map_err(|e| {
                format!(
                    "{e}{}",
                    chosen_label_note(&e, args.label_column, labels, network.spec().loss)
                )
            })?;
            check_feature_names(data.feature_names(), target)?;
            (data.inputs().to_vec(), Some(data))
        }
    };
    let table = prediction_table(&loaded, &inputs, args.threads)?;
    let samples = inputs.len() / network.input_size();
    let score = match labels {
        Some(mut data) => {
            apply(&loaded.preprocessing, &mut data);
            let targets = loaded.preprocessing.targets.as_ref();
            let e = evaluate_in_units(network, &data, targets).map_err(|e| e.to_string())?;
            Some(format!(
                "all of {} ({}): {}",
                args.data.display(),
                counted(data.len(), "sample"),
                metric_line(&e)
            ))
        }
        None => None,
    };
    match &args.out {
        Some(out) => {
            create_directory_of(out, "--out")?;
            checkpoint::write_atomic(out, |file| file.write_all(table.as_bytes()))
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            if let Some(score) = score {
                outln!("{score}");
            }
            outln!(
                "wrote the predictions of {} to {}",
                counted(samples, "sample"),
                out.display()
            );
        }
        None => {
            out!("{table}");
            // The predictions are the standard output; the score goes beside them.
            if let Some(score) = score {
                eprintln!("{score}");
            }
        }
    }
    Ok(())
}

/// The predictions as CSV: a classifier's class (by name when the labels had names) and
/// probabilities (or a hinge classifier's score), a regression's values in the targets' units.
fn prediction_table<T: Float>(
    loaded: &Loaded<DynNetwork<T>>,
    inputs: &[T],
    threads: usize,
) -> Result<String, String> {
    let network = &loaded.network;
    let samples = inputs.len() / network.input_size();
    let outputs = network.output_size();
    let mut predictor = loaded.predictor().with_threads(threads);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| format!("cannot write the predictions: {e}");
    let preprocessing = &loaded.preprocessing;
    match predictor.classes() {
        Some(classes) => {
            let mut class = vec![0; samples];
            predictor
                .predict_class(inputs, &mut class)
                .map_err(|e| e.to_string())?;
            let probabilistic = network.spec().loss != Loss::Hinge;
            let width = if probabilistic { classes } else { outputs };
            let mut values = vec![T::zero(); samples * width];
            let mut header = vec!["class".to_owned()];
            if probabilistic {
                predictor.predict_proba(inputs, &mut values)
            } else {
                predictor.predict(inputs, &mut values)
            }
            .map_err(|e| e.to_string())?;
            if probabilistic {
                header.extend((0..classes).map(|k| format!("p_{}", preprocessing.class_name(k))));
            } else {
                header.push("score".to_owned());
            }
            writer.write_record(&header).map_err(failed)?;
            for (k, row) in class.iter().zip(values.chunks_exact(width)) {
                let cells = std::iter::once(preprocessing.class_name(*k))
                    .chain(row.iter().map(|v| cell(*v)));
                writer.write_record(cells).map_err(failed)?;
            }
        }
        None => {
            let mut values = vec![T::zero(); samples * outputs];
            predictor
                .predict(inputs, &mut values)
                .map_err(|e| e.to_string())?;
            // The training file's names of the targets, where it had a header.
            let named = preprocessing.target_names.len() == outputs;
            let header = (1..=outputs).map(|k| match named {
                true => preprocessing.target_names[k - 1].clone(),
                false => format!("output_{k}"),
            });
            writer.write_record(header).map_err(failed)?;
            for row in values.chunks_exact(outputs) {
                writer
                    .write_record(row.iter().map(|v| cell(*v)))
                    .map_err(failed)?;
            }
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| format!("cannot write the predictions: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("cannot write the predictions: {e}"))
}

/// A value as the shortest text that reads back as it, in scientific notation when it is
/// tiny (a probability of 1e-23 is not 25 digits long).
fn cell<T: Float>(value: T) -> String {
    let magnitude = value.as_f64().abs();
    if magnitude != 0.0 && magnitude < 1e-4 {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}
