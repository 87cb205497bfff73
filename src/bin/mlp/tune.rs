//! `mlp tune`: runs a spec's `search` on the dynamic engine and writes the trials, the plots
//! and the best spec.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use mlp_runtime::checkpoint::write_atomic;
use mlp_runtime::search::Tuner;
use mlp_runtime::spec::{Precision, Spec, counted};
use mlp_runtime::{DynDataset, Float};

use crate::commands::{
    check_threads, check_training_memory, chosen_label_note, csv_target, label_column, load_spec,
};
use crate::interrupt::Interrupt;
use crate::written::Written;

/// The arguments of `mlp tune`.
pub(crate) struct TuneArgs {
    pub(crate) spec: PathBuf,
    pub(crate) data: PathBuf,
    pub(crate) label_column: Option<usize>,
    pub(crate) jobs: usize,
    pub(crate) standardize: bool,
    pub(crate) out: PathBuf,
}

pub(crate) fn tune(args: &TuneArgs) -> Result<(), String> {
    check_threads("--jobs", args.jobs, 0)?;
    let spec = load_spec(&args.spec)?;
    if spec.search.is_none() {
        return Err(format!(
            "{}: the spec has no `search` section\n  help: add one, such as\n  \
             search:\n    folds: 5\n    space:\n      optimizer.lr: [0.001, 0.01, 0.1]",
            args.spec.display()
        ));
    }
    check_training_memory(&spec, &args.spec)?;
    // Before the data is read: it checks the memory of the search's largest network too.
    let tuner = Tuner::new(&spec).map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let interrupt = Interrupt::install(
        "the search stops, its trials under way at the end of their epoch; the trials \
         finished are ranked and saved",
    )?;
    match spec.precision {
        Precision::F32 => tune_as::<f32>(&spec, tuner, args, &interrupt),
        Precision::F64 => tune_as::<f64>(&spec, tuner, args, &interrupt),
    }
}

fn tune_as<T: Float>(
    spec: &Spec,
    tuner: Tuner,
    args: &TuneArgs,
    interrupt: &Interrupt,
) -> Result<(), String> {
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
    let mut tuner = tuner.with_threads(args.jobs).stop_on(interrupt.flag());
    if args.standardize {
        tuner = tuner.standardized();
    }
    let csv = args.out.join("trials.csv");
    let plots = ["svg", "png"].map(|extension| args.out.join(format!("search.{extension}")));
    let best_path = args
        .out
        .join(format!("{}.tuned.yaml", spec_stem(&args.spec)));
    let written = Written {
        option: "--out",
        given: &args.out,
        files: &[
            ("the trials", &csv),
            ("the plot", &plots[0]),
            ("the plot", &plots[1]),
            ("the best spec", &best_path),
        ],
    };
    // Before the search, which may run for long, rather than after it.
    written.check(&[("the data", &args.data), ("the spec", &args.spec)])?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let results = tuner.run_dyn(&data).map_err(|e| e.to_string())?;
    if results.stopped {
        if results.trials.is_empty() {
            return Err("stopped by Ctrl-C before any trial finished: nothing was written".into());
        }
        outln!(
            "stopped by Ctrl-C after {}: the trials under way and those not started are left out",
            counted(results.trials.len(), "trial")
        );
    }
    out!("{}", results.table());
    let write = |path: &Path, text: &str| {
        write_atomic(path, |file| file.write_all(text.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(&csv, &results.to_csv())?;
    outln!("trials: {}", csv.display());
    let Some(best) = results.best_spec_yaml() else {
        return Err(format!(
            "every trial failed (see the `error` column of {})",
            csv.display()
        ));
    };
    for path in &plots {
        let drawn = match path.extension() {
            Some(svg) if svg == "svg" => results.write_svg(path),
            _ => results.write_png(path),
        };
        drawn.map_err(|e| e.to_string())?;
        outln!("plot: {}", path.display());
    }
    write(&best_path, &best)?;
    outln!(
        "best spec: {} ({})",
        best_path.display(),
        best.lines()
            .nth(1)
            .unwrap_or_default()
            .trim_start_matches("# ")
            .trim_end_matches('.')
    );
    Ok(())
}

/// The spec file's name without its extension (`iris` for `specs/iris.yaml`).
fn spec_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "spec".to_owned(), |s| s.to_string_lossy().into_owned())
}
