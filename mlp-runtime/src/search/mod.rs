//! Hyper-parameter search: the spec's `search` section run as trials, each trained and
//! scored by k-fold cross-validation (or a validation split), on every core.
//!
//! A trial's spec is the searched spec with the trial's values written in
//! ([`Spec::with_values`]); its network is built from that spec and trained with a
//! [`TrainConfig`] of that spec, so a compiled network varies its run-time
//! hyper-parameters (optimizer, schedule, penalties, `training`) without recompiling, and
//! the dynamic engine varies everything, sizes included. Every trial starts from the seed of
//! its spec (`init.seed`) and the folds from the search's `seed`, never from the order in
//! which threads pick trials up: results are bit-identical for any number of threads, and
//! trials differ only by their values (common random numbers make them fairer to compare).
//!
//! ```
//! use mlp_runtime::DynDataset;
//! use mlp_runtime::search::Tuner;
//!
//! let spec = mlp_runtime::spec::parse(
//!     "input: 1\nlayers: [{units: 1}]\nloss: mse\noptimizer: {kind: sgd, lr: 0.1}\n\
//!      training: {epochs: 20}\nbatch_size: 4\n\
//!      search: {method: grid, folds: 3, metric: r2, space: {optimizer.lr: [0.001, 0.1]}}\n",
//! )
//! .unwrap();
//! let xs: Vec<f32> = (0..12).map(|i| i as f32 / 12.0).collect();
//! let ys: Vec<f32> = xs.iter().map(|x| 2.0 * x - 1.0).collect();
//! let data = DynDataset::from_slices(&xs, &ys, 1, 1).unwrap();
//! let results = Tuner::new(&spec).unwrap().quiet().run_dyn(&data).unwrap();
//! assert_eq!(results.trials.len(), 2);
//! assert_eq!(results.best().unwrap().values, [0.1]); // the larger rate fits in 20 epochs
//! ```

mod jobs;
mod methods;
#[cfg(feature = "plot")]
mod plot;
mod results;
#[cfg(test)]
mod tests;

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use mlp_spec::{MemoryShortfall, Scoring, Search, SearchMethod, SearchMetric, Spec, SpecErrors};

pub use results::{SearchResults, Trial};

use crate::data::{DynDataset, Standardizer};
use crate::dynamic::DynNetwork;
use crate::float::Float;
use crate::metrics::{Task, WidthMismatch, evaluate_dyn};
use crate::model::{Model, StaticModel};
use crate::train::{StopReason, TrainConfig, Trainer};
use methods::Point;

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The spec has no `search` section.
    #[error("the spec has no `search` section: add one (see the spec reference, `search`)")]
    NoSearch,
    /// The spec, changed in code, breaks a rule a spec file obeys.
    #[error("the searched spec breaks the spec's rules: {0}")]
    Spec(#[from] SpecErrors),
    /// A compiled network was asked to search a key that changes its sizes.
    #[error(
        "`{key}` changes the network's sizes, which a compiled network has compiled in: \
         search it on the dynamic engine (`run_dyn`, `mlp tune`)"
    )]
    CompileTime {
        /// The searched key.
        key: String,
    },
    /// The spec is not the compiled network's.
    #[error(
        "the searched spec ({searched}) is not the compiled network's ({compiled}): search \
         the network's own spec, `network.spec()` with a `search` section"
    )]
    OtherNetwork {
        /// The searched spec's shape.
        searched: String,
        /// The compiled network's shape.
        compiled: String,
    },
    /// The data's widths are not the network's.
    #[error(transparent)]
    Shape(#[from] WidthMismatch),
    /// The search's largest network cannot get the memory its training needs.
    #[error(
        "training the search's largest network ({sizes}) {shortfall}; lower the largest \
         values the search gives those keys"
    )]
    Memory {
        /// Each searched size at its largest value, as "`layers.0.units` 4096".
        sizes: String,
        /// The memory its training asks for at once.
        shortfall: MemoryShortfall,
    },
    /// Too few samples for the folds.
    #[error(
        "{folds}-fold cross-validation needs at least {folds} samples, the data has {samples}: \
         lower `search.folds`"
    )]
    TooFewSamples {
        /// Folds asked for.
        folds: usize,
        /// Samples in the data.
        samples: usize,
    },
}

/// [`SearchError::Memory`] unless the memory that training the search's largest network asks
/// for at once can be allocated.
fn check_largest_memory(spec: &Spec, search: &Search) -> Result<(), SearchError> {
    let sizes = search.largest_sizes();
    if sizes.is_empty() {
        return Ok(());
    }
    // When the spec's rules refuse these values together, no trial takes them all (one that
    // would fails with the rules' message, allocating nothing), and there is no bound here.
    let Ok(largest) = spec.with_values(&sizes) else {
        return Ok(());
    };
    largest.check_training_memory().map_err(|shortfall| {
        let named: Vec<String> = sizes
            .iter()
            .map(|(key, value)| format!("`{key}` {value}"))
            .collect();
        SearchError::Memory {
            sizes: named.join(", "),
            shortfall,
        }
    })
}

/// Runs a spec's search. Build it with [`Tuner::new`], then run it for the dynamic engine
/// ([`Tuner::run_dyn`]) or for a compiled network ([`Tuner::run_compiled`]).
#[derive(Clone, Debug)]
pub struct Tuner {
    spec: Spec,
    search: Search,
    threads: usize,
    progress: bool,
    standardize: bool,
    stop: Option<Arc<AtomicBool>>,
}

impl Tuner {
    /// A tuner for the spec's `search` section, on every core, with a progress bar.
    ///
    /// # Errors
    ///
    /// [`SearchError::NoSearch`] if the spec has no `search` section,
    /// [`SearchError::Spec`] if a value changed in code breaks the rules of its key in a
    /// spec file ([`Spec::check`]), such as `search.folds` below 2, and
    /// [`SearchError::Memory`] if the search's largest network (every searched size at its
    /// largest value, [`Search::largest_sizes`]), which no trial exceeds, cannot get the
    /// memory its training asks for at once. That trial would otherwise abort the process.
    pub fn new(spec: &Spec) -> Result<Self, SearchError> {
        let search = spec.search.clone().ok_or(SearchError::NoSearch)?;
        spec.check()?;
        check_largest_memory(spec, &search)?;
        Ok(Tuner {
            spec: spec.clone(),
            search,
            threads: 0,
            progress: true,
            standardize: false,
            stop: None,
        })
    }

    /// The same tuner with `threads` workers (0: one per core).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The same tuner without a progress bar.
    pub fn quiet(mut self) -> Self {
        self.progress = false;
        self
    }

    /// The same tuner standardising each fold with the statistics of its training part:
    /// the inputs, and a regression's targets (the held-out part never leaks into them).
    pub fn standardized(mut self) -> Self {
        self.standardize = true;
        self
    }

    /// The same tuner, stopped once `stop` is set (by a Ctrl-C handler, say): no trial
    /// starts after it, the trials under way stop at the end of their epoch and are left
    /// out, and the results hold the trials that finished, with
    /// [`SearchResults::stopped`] set. A finished trial's scores are those of a search that
    /// was not stopped.
    pub fn stop_on(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }

    /// The search being run.
    pub fn search(&self) -> &Search {
        &self.search
    }

    /// Searches with the dynamic engine: every key, sizes included.
    ///
    /// # Errors
    ///
    /// [`SearchError::Shape`] for data of other widths than the spec's,
    /// [`SearchError::TooFewSamples`] for fewer samples than folds. A trial that fails
    /// (a diverged training, a combination of values the spec refuses) is recorded in the
    /// results with its error, and the search goes on.
    pub fn run_dyn<T: Float>(&self, data: &DynDataset<T>) -> Result<SearchResults, SearchError> {
        self.run_with(data, |spec| {
            DynNetwork::<T>::from_spec(spec.clone()).map_err(|e| e.to_string())
        })
    }

    /// Searches with the compiled network `N`, over its run-time hyper-parameters; the
    /// tuner's spec must be `N`'s (with a `search` section).
    ///
    /// # Errors
    ///
    /// [`SearchError::CompileTime`] for a searched key that changes sizes,
    /// [`SearchError::OtherNetwork`] when the spec is not `N`'s, and as
    /// [`Tuner::run_dyn`].
    pub fn run_compiled<N: StaticModel>(
        &self,
        data: &DynDataset<N::Float>,
    ) -> Result<SearchResults, SearchError> {
        if let Some(axis) = self.search.space.iter().find(|a| !a.is_run_time()) {
            return Err(SearchError::CompileTime {
                key: axis.key.clone(),
            });
        }
        let compiled = N::with_seed(0).spec();
        let same = |a: &Spec, b: &Spec| {
            (a.input, &a.layers, a.loss, a.batch_size, a.precision)
                == (b.input, &b.layers, b.loss, b.batch_size, b.precision)
        };
        if !same(&self.spec, &compiled) {
            return Err(SearchError::OtherNetwork {
                searched: self.spec.shape(),
                compiled: compiled.shape(),
            });
        }
        self.run_with(data, |spec| Ok(N::with_seed(spec.init.seed)))
    }

    /// Searches with networks that `build` makes from each trial's spec.
    ///
    /// # Errors
    ///
    /// As [`Tuner::run_dyn`].
    pub fn run_with<N: Model>(
        &self,
        data: &DynDataset<N::Float>,
        build: impl Fn(&Spec) -> Result<N, String> + Sync,
    ) -> Result<SearchResults, SearchError> {
        let folds = self.folds(data)?;
        let axes = &self.search.space;
        let keys: Vec<String> = axes.iter().map(|a| a.key.clone()).collect();
        let progress = jobs::Progress::new(self.progress);
        let mut trials: Vec<Trial> = Vec::new();
        let mut best = f64::NAN;
        let mut stopped = false;
        let metric = self.search.metric;
        let mut score = |points: &[Point]| -> Option<Vec<f64>> {
            progress.add(points.len());
            let scored = self.score(points, &keys, &folds, &build, &progress);
            let comparable: Vec<f64> = scored
                .iter()
                .map(|t| {
                    t.as_ref()
                        .map_or(f64::NAN, |t| methods::comparable(metric, t.mean))
                })
                .collect();
            for &c in &comparable {
                if methods::beats(c, best) {
                    best = c;
                }
            }
            // Negating a loss twice gives it back.
            let shown = methods::comparable(metric, best);
            progress.message(format!("best {} {shown:.4}", metric.name()));
            stopped |= scored.iter().any(Option::is_none);
            trials.extend(scored.into_iter().flatten());
            (!stopped).then_some(comparable)
        };
        let rounds = match self.search.method {
            SearchMethod::Grid => {
                score(&methods::grid(&methods::lists(axes)));
                1
            }
            SearchMethod::Random { trials } => {
                score(&methods::random(axes, trials, self.search.seed));
                1
            }
            SearchMethod::Coordinate { rounds } => {
                let lists = methods::lists(axes);
                let start = methods::start(&self.spec, axes, &lists);
                methods::coordinate(&lists, start, rounds, &mut score)
            }
        };
        progress.finish();
        Ok(SearchResults {
            keys,
            metric,
            trials,
            rounds,
            stopped,
            search: self.search.clone(),
            base: self.spec.clone(),
        })
    }

    /// The `(training, held-out)` pairs every trial is scored on, standardised if asked.
    fn folds<T: Float>(&self, data: &DynDataset<T>) -> Result<Vec<Fold<T>>, SearchError> {
        let (input, output) = (self.spec.input, self.spec.outputs());
        if data.input_width() != input || data.output_width() != output {
            return Err(WidthMismatch {
                features: data.input_width(),
                targets: data.output_width(),
                inputs: input,
                outputs: output,
            }
            .into());
        }
        let task = Task::for_loss(&self.spec.loss);
        let classifies = matches!(task, Task::Classification { .. });
        let seed = self.search.seed;
        let mut folds = match self.search.scoring {
            Scoring::KFold { folds } if folds > data.len() => {
                return Err(SearchError::TooFewSamples {
                    folds,
                    samples: data.len(),
                });
            }
            Scoring::KFold { folds } if classifies => data.stratified_k_fold(folds, seed),
            Scoring::KFold { folds } => data.k_fold(folds, seed),
            Scoring::ValidationSplit { fraction } if classifies => {
                vec![data.stratified_split(fraction, seed)]
            }
            Scoring::ValidationSplit { fraction } => vec![data.split(fraction, seed)],
        };
        if self.standardize {
            for (training, held_out) in &mut folds {
                let inputs = Standardizer::fit_inputs(&*training);
                inputs.apply_inputs(training);
                inputs.apply_inputs(held_out);
                if task == Task::Regression {
                    let targets = Standardizer::fit_targets(&*training);
                    targets.apply_targets(training);
                    targets.apply_targets(held_out);
                }
            }
        }
        Ok(folds)
    }

    /// Trains and scores `points` on every fold, one job per (point, fold): `None` for a
    /// point whose folds the stop flag left unfinished.
    fn score<N: Model>(
        &self,
        points: &[Point],
        keys: &[String],
        folds: &[Fold<N::Float>],
        build: &(impl Fn(&Spec) -> Result<N, String> + Sync),
        progress: &jobs::Progress,
    ) -> Vec<Option<Trial>> {
        let specs: Vec<Result<Spec, String>> = points
            .iter()
            .map(|point| {
                let values: Vec<(&str, f64)> = keys
                    .iter()
                    .map(String::as_str)
                    .zip(point.iter().copied())
                    .collect();
                self.spec.with_values(&values).map_err(|e| e.to_string())
            })
            .collect();
        let k = folds.len();
        let remaining: Vec<AtomicUsize> = points.iter().map(|_| AtomicUsize::new(k)).collect();
        let outcomes = jobs::run(
            points.len() * k,
            self.workers(),
            |job| {
                if self.stopped() {
                    return Err(Unfinished::Stopped);
                }
                let (trial, fold) = (job / k, job % k);
                let spec = specs[trial].as_ref().map_err(Clone::clone)?;
                let (training, held_out) = &folds[fold];
                let stop = self.stop.clone();
                train_and_score(spec, build, training, held_out, self.search.metric, stop)
            },
            |job| {
                let left = &remaining[job / k];
                if left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    progress.trial_done();
                }
            },
        );
        points
            .iter()
            .zip(outcomes.chunks(k))
            .map(|(point, outcomes)| trial(point.clone(), outcomes))
            .collect()
    }

    /// Whether the stop flag is set.
    fn stopped(&self) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|stop| stop.load(Ordering::Relaxed))
    }

    fn workers(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }
}

/// A fold's training part and held-out part.
type Fold<T> = (DynDataset<T>, DynDataset<T>);

/// One fold's result: the score, epochs run and seconds taken.
type Outcome = Result<(f64, usize, f64), Unfinished>;

/// Why a fold has no score.
enum Unfinished {
    /// Its training or scoring failed.
    Failed(String),
    /// The stop flag ended it, or it never started.
    Stopped,
}

impl From<String> for Unfinished {
    fn from(error: String) -> Self {
        Unfinished::Failed(error)
    }
}

/// Trains a network of the trial's spec on `training` and scores it on `held_out`, unless
/// `stop` is set before its training ends.
fn train_and_score<N: Model>(
    spec: &Spec,
    build: &impl Fn(&Spec) -> Result<N, String>,
    training: &DynDataset<N::Float>,
    held_out: &DynDataset<N::Float>,
    metric: SearchMetric,
    stop: Option<Arc<AtomicBool>>,
) -> Outcome {
    let started = Instant::now();
    let mut network = build(spec)?;
    // The search's workers already fill the cores; a trial's steps give the same bits on one
    // thread as on the spec's `training.threads`.
    let config = TrainConfig::from_spec(spec).quiet().with_threads(1);
    let mut trainer = Trainer::with_config(&network, config);
    if let Some(stop) = stop {
        trainer.on_epoch(move |_| match stop.load(Ordering::Relaxed) {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        });
    }
    let history = trainer
        .fit_dyn(&mut network, training, Some(held_out))
        .map_err(|e| e.to_string())?;
    if history.stop == StopReason::Callback {
        return Err(Unfinished::Stopped);
    }
    let evaluation = evaluate_dyn(&network, held_out).map_err(|e| e.to_string())?;
    let score = match metric {
        SearchMetric::ValLoss => Some(evaluation.loss),
        SearchMetric::Accuracy => evaluation.accuracy,
        SearchMetric::R2 => evaluation.r2,
    }
    .ok_or_else(|| format!("the network's loss has no {}", metric.name()))?;
    let seconds = started.elapsed().as_secs_f64();
    Ok((score, history.epochs.len(), seconds))
}

/// A trial from its folds' outcomes: the first error, or the scores' mean and spread;
/// `None` when the stop flag left a fold unfinished before that error (a trial failed in
/// an earlier fold fails as it would have in a search that was not stopped).
fn trial(values: Point, outcomes: &[Outcome]) -> Option<Trial> {
    let failed = |error: String| Trial {
        values: values.clone(),
        scores: Vec::new(),
        mean: f64::NAN,
        std: f64::NAN,
        epochs: 0.0,
        seconds: 0.0,
        error: Some(error),
    };
    let mut scores = Vec::with_capacity(outcomes.len());
    let (mut epochs, mut seconds) = (0.0, 0.0);
    for outcome in outcomes {
        match outcome {
            Ok((score, ran, took)) => {
                scores.push(*score);
                epochs += *ran as f64;
                seconds += took;
            }
            Err(Unfinished::Failed(error)) => return Some(failed(error.clone())),
            Err(Unfinished::Stopped) => return None,
        }
    }
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let std = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n).sqrt();
    if !mean.is_finite() {
        return Some(failed(format!("a fold scored {mean}")));
    }
    Some(Trial {
        values,
        scores,
        mean,
        std,
        epochs: epochs / n,
        seconds,
        error: None,
    })
}
