//! What the real-data examples share (and the accuracy tests reuse): the data directory,
//! and a held-out evaluation run.

// Each example (and the accuracy test) reads a different part of a run.
#![allow(dead_code)]

use std::path::PathBuf;

use mlp_runtime::prelude::*;
use mlp_runtime::{Evaluation, History, Task, TrainError, evaluate_in_units};

/// A file of `examples/data/`.
pub fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/data")
        .join(name)
}

/// A trained network and its scores.
pub struct Run<N> {
    /// The trained network.
    pub network: N,
    /// Its training history.
    pub history: History,
    /// Its scores on the held-out part.
    pub test: Evaluation,
    /// The input standardisation fitted on the training part.
    pub inputs: Standardizer,
}

/// Holds out 20% of `data` as the test set (stratified for classifiers) with `seed`, and 10%
/// of the rest as the validation set (Keras' usual `validation_split`); standardises inputs (and regression targets) with
/// statistics of the training part; trains a network initialised with `seed`, watching the
/// validation set after each epoch (the learning curves, and early stopping when a spec asks
/// for it); and scores it once on the test set at the end, which nothing was chosen on, a
/// regression's RMSE and MAE in the targets' units.
pub fn holdout<N, const IN: usize, const OUT: usize>(
    data: &Dataset<f32, IN, OUT>,
    seed: u64,
    progress: bool,
) -> Result<Run<N>, TrainError>
where
    N: StaticModel<Float = f32, Input = SVector<f32, IN>, Output = SVector<f32, OUT>>,
{
    holdout_configured(data, seed, |config| TrainConfig { progress, ..config })
}

/// [`holdout`], quiet, with the trainer's per-layer diagnostics in the history.
pub fn holdout_with_diagnostics<N, const IN: usize, const OUT: usize>(
    data: &Dataset<f32, IN, OUT>,
    seed: u64,
) -> Result<Run<N>, TrainError>
where
    N: StaticModel<Float = f32, Input = SVector<f32, IN>, Output = SVector<f32, OUT>>,
{
    holdout_configured(data, seed, |config| config.with_diagnostics().quiet())
}

/// [`holdout`] with the spec's training settings (seeded with `seed`) changed by `configure`.
fn holdout_configured<N, const IN: usize, const OUT: usize>(
    data: &Dataset<f32, IN, OUT>,
    seed: u64,
    configure: impl FnOnce(TrainConfig) -> TrainConfig,
) -> Result<Run<N>, TrainError>
where
    N: StaticModel<Float = f32, Input = SVector<f32, IN>, Output = SVector<f32, OUT>>,
{
    let mut network = N::with_seed(seed);
    let task = Task::for_loss(&network.spec().loss);
    let split = |data: &Dataset<f32, IN, OUT>, fraction| match task {
        Task::Classification { .. } => data.stratified_split(fraction, seed),
        Task::Regression => data.split(fraction, seed),
    };
    let (rest, mut test) = split(data, 0.2);
    let (mut train, mut validation) = split(&rest, 0.1);
    let inputs = Standardizer::fit_inputs(&train);
    for part in [&mut train, &mut validation, &mut test] {
        inputs.apply_inputs(part);
    }
    let targets = (task == Task::Regression).then(|| Standardizer::fit_targets(&train));
    if let Some(targets) = &targets {
        for part in [&mut train, &mut validation, &mut test] {
            targets.apply_targets(part);
        }
    }
    let config = configure(TrainConfig::from_spec(&network.spec()).with_seed(seed));
    let mut trainer = Trainer::with_config(&network, config);
    if let Some(targets) = &targets {
        trainer.score_in_units(targets.clone());
    }
    let history = trainer.fit(&mut network, &train, Some(&validation))?;
    let test = evaluate_in_units(&network, test.as_dyn(), targets.as_ref())?;
    Ok(Run {
        network,
        history,
        test,
        inputs,
    })
}

/// On-line learning scored as it goes ("test, then train", prequential evaluation): each
/// sample of `data`, in order, is predicted by the network as it stands and only then learnt
/// from, in one on-line session (`Online::predict`, then `Online::learn` on its target), so
/// every prediction is of a sample the network has not seen. Inputs are multiplied by
/// `scale` on their way in: a stream cannot be standardised with statistics of samples still
/// to come, but its range is often known (a sensor's, a pixel's). Returns, for each run of
/// `window` samples (the last may be shorter), how many there were and how many the network
/// predicted right.
pub fn prequential<N, const IN: usize, const OUT: usize>(
    network: &mut N,
    data: &Dataset<f32, IN, OUT>,
    scale: f32,
    window: usize,
) -> Result<Vec<(usize, usize)>, TrainError>
where
    N: StaticModel<Float = f32>,
{
    let task = Task::for_loss(&network.spec().loss);
    let mut trainer = Trainer::new(network);
    let mut session = trainer.online(network);
    let mut scaled = [0.0f32; IN];
    let mut windows = Vec::new();
    for start in (0..data.len()).step_by(window) {
        let samples = start..(start + window).min(data.len());
        let mut right = 0;
        for sample in samples.clone() {
            for (x, raw) in scaled.iter_mut().zip(data.input(sample)) {
                *x = raw * scale;
            }
            let outputs = session.predict(&scaled)?;
            right += usize::from(task.class(outputs) == data.class(sample));
            session.learn(data.target(sample))?;
        }
        windows.push((samples.len(), right));
    }
    Ok(windows)
}

/// Where an example writes what it produces: `target/mlp/<example>/`, created if needed.
pub fn output_dir(example: &str) -> std::io::Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/mlp")
        .join(example);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The held-out part [`holdout`] scores on, with raw (unstandardised) inputs.
pub fn raw_test_part<const IN: usize, const OUT: usize>(
    data: &Dataset<f32, IN, OUT>,
    seed: u64,
    classification: bool,
) -> Dataset<f32, IN, OUT> {
    if classification {
        data.stratified_split(0.2, seed).1
    } else {
        data.split(0.2, seed).1
    }
}

/// Writes the learning curves of a run to `target/mlp/<example>/curves.svg` and `.png`, and
/// says where.
pub fn save_curves(example: &str, history: &History) -> Result<(), Box<dyn std::error::Error>> {
    let dir = output_dir(example)?;
    let (svg, png) = (dir.join("curves.svg"), dir.join("curves.png"));
    history.write_svg(&svg)?;
    history.write_png(&png)?;
    println!("learning curves: {} and {}", svg.display(), png.display());
    Ok(())
}

/// The test scores of a spec before and after tuning, and the search that tuned it.
pub struct Tuned {
    /// Held-out accuracy of the network trained with the spec's own values.
    pub untuned: f64,
    /// Held-out accuracy of the network trained with the values the search chose.
    pub tuned: f64,
    /// The search's trials.
    pub results: mlp_runtime::search::SearchResults,
}

/// Holds out 20% of `data` (stratified) with `seed` as the test set; runs `N`'s spec's
/// search on the rest only (each fold standardised with its own training part); then
/// trains on the whole rest twice, with the spec's values and with the chosen ones (inputs
/// standardised with the rest's statistics, network and shuffling seeded with `seed`), and
/// scores both once on the test set, which nothing was chosen on.
pub fn tune<N, const IN: usize, const OUT: usize>(
    data: &Dataset<f32, IN, OUT>,
    seed: u64,
    progress: bool,
) -> Result<Tuned, Box<dyn std::error::Error>>
where
    N: StaticModel<Float = f32, Input = SVector<f32, IN>, Output = SVector<f32, OUT>>,
{
    let spec = N::with_seed(seed).spec();
    let (mut rest, mut test) = data.stratified_split(0.2, seed);
    let mut tuner = mlp_runtime::search::Tuner::new(&spec)?.standardized();
    if !progress {
        tuner = tuner.quiet();
    }
    let results = tuner.run_compiled::<N>(rest.as_dyn())?;
    let best = results.best().ok_or("every trial failed")?;
    let tuned_spec = results.spec_of(best)?;

    let inputs = Standardizer::fit_inputs(&rest);
    inputs.apply_inputs(&mut rest);
    inputs.apply_inputs(&mut test);
    let score = |spec: &mlp_runtime::spec::Spec| -> Result<f64, Box<dyn std::error::Error>> {
        let mut network = N::with_seed(seed);
        let config = TrainConfig {
            seed,
            progress: false,
            ..TrainConfig::from_spec(spec)
        };
        Trainer::with_config(&network, config).fit(&mut network, &rest, None)?;
        Ok(evaluate(&network, &test)?.accuracy.ok_or("a classifier")?)
    };
    Ok(Tuned {
        untuned: score(&spec)?,
        tuned: score(&tuned_spec)?,
        results,
    })
}
