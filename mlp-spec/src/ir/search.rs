//! The `search` section of a spec: which hyper-parameters a search tries, how, and how
//! trials are scored.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

/// The virtual key that sets the number of hidden layers.
pub const HIDDEN_LAYERS: &str = "hidden_layers";

/// The top-level sections whose keys a compiled network takes at run time; every other
/// searchable key changes the network's sizes.
pub(crate) const RUN_TIME_SECTIONS: &[&str] =
    &["optimizer", "schedule", "regularization", "training"];

/// The most trials a search may hold: a random search's `trials`, the points of a grid.
/// Each trial trains a network once per fold, so a search of more would not end; a typo
/// (`trials: 100000000000`) is caught before the trials' list is allocated.
pub const MAX_TRIALS: usize = 1_000_000;

/// A hyper-parameter search: the `search` section of a spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    /// How the trials are chosen.
    pub method: SearchMethod,
    /// How each trial is scored.
    pub scoring: Scoring,
    /// The score compared between trials.
    pub metric: SearchMetric,
    /// Seed of the folds (or the validation split) and of random draws.
    pub seed: u64,
    /// The searched hyper-parameters, in the order written (coordinate search tunes them in
    /// this order).
    pub space: Vec<Axis>,
}

/// How a search chooses its trials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchMethod {
    /// One hyper-parameter at a time, the others fixed at their best values so far, starting
    /// from the spec's own values; a round tunes each once, and the search stops after a
    /// round that changes nothing, or after `rounds` rounds.
    Coordinate {
        /// The most rounds.
        rounds: usize,
    },
    /// Every combination of the listed values.
    Grid,
    /// `trials` seeded draws, each value uniform over its list or log-uniform over its range.
    Random {
        /// Number of trials.
        trials: usize,
    },
}

impl SearchMethod {
    /// The name used in specs.
    pub fn name(&self) -> &'static str {
        match self {
            SearchMethod::Coordinate { .. } => "coordinate",
            SearchMethod::Grid => "grid",
            SearchMethod::Random { .. } => "random",
        }
    }
}

/// How a trial is scored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scoring {
    /// k-fold cross-validation (stratified for classifiers): the mean over the folds.
    KFold {
        /// Number of folds, at least 2.
        folds: usize,
    },
    /// One seeded split (stratified for classifiers) holding out this fraction.
    ValidationSplit {
        /// Fraction held out, in (0, 1).
        fraction: f64,
    },
}

/// The score a search maximises (or, for a loss, minimises).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchMetric {
    /// The loss on the held-out samples (lower is better).
    ValLoss,
    /// Accuracy on the held-out samples, for classifiers.
    Accuracy,
    /// R^2 on the held-out samples, for regression.
    R2,
}

impl SearchMetric {
    /// The name used in specs.
    pub fn name(self) -> &'static str {
        match self {
            SearchMetric::ValLoss => "val_loss",
            SearchMetric::Accuracy => "accuracy",
            SearchMetric::R2 => "r2",
        }
    }

    /// Whether a higher score is better.
    pub fn higher_is_better(self) -> bool {
        self != SearchMetric::ValLoss
    }
}

/// One searched hyper-parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The dotted key, such as `optimizer.lr`.
    pub key: String,
    /// The values tried.
    pub values: AxisValues,
}

impl Axis {
    /// Whether a compiled network can take this hyper-parameter at run time (sizes,
    /// activations, the loss and the batch size are compiled in).
    pub fn is_run_time(&self) -> bool {
        is_run_time(&self.key)
    }
}

impl Search {
    /// Each searched key that sets a size (every key a compiled network cannot take at run
    /// time: `layers.N.units`, `hidden_layers`, `batch_size`) with the largest value the search
    /// gives it, in the order of the space. A network's memory grows with each of them, so
    /// the spec with these values ([`Spec::with_values`](crate::Spec::with_values)) needs
    /// as much memory as the search's largest trial, or more. Empty when the search varies
    /// no size.
    pub fn largest_sizes(&self) -> Vec<(String, f64)> {
        self.space
            .iter()
            .filter(|axis| !axis.is_run_time())
            .map(|axis| {
                let largest = match &axis.values {
                    AxisValues::List(values) => values.iter().copied().fold(f64::NAN, f64::max),
                    AxisValues::LogUniform { high, .. } => *high,
                };
                (axis.key.clone(), largest)
            })
            .collect()
    }
}

/// Whether a searchable key is a run-time hyper-parameter of a compiled network.
pub fn is_run_time(key: &str) -> bool {
    let section = key.split('.').next().unwrap_or_default();
    RUN_TIME_SECTIONS.contains(&section)
}

/// The values of a searched hyper-parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum AxisValues {
    /// These values (any method).
    List(Vec<f64>),
    /// Log-uniform between two positive bounds (random search only); whole-number keys are
    /// rounded.
    LogUniform {
        /// Lower bound, > 0.
        low: f64,
        /// Upper bound, > `low`.
        high: f64,
    },
}

impl Serialize for Search {
    /// As the spec writes it: `method` with `rounds` or `trials`, then `folds` or
    /// `validation_split`, `metric`, `seed` and `space`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Search", 5)?;
        out.serialize_field("method", self.method.name())?;
        match self.method {
            SearchMethod::Coordinate { rounds } => out.serialize_field("rounds", &rounds)?,
            SearchMethod::Random { trials } => out.serialize_field("trials", &trials)?,
            SearchMethod::Grid => {}
        }
        match self.scoring {
            Scoring::KFold { folds } => out.serialize_field("folds", &folds)?,
            Scoring::ValidationSplit { fraction } => {
                out.serialize_field("validation_split", &fraction)?;
            }
        }
        out.serialize_field("metric", &self.metric)?;
        out.serialize_field("seed", &self.seed)?;
        out.serialize_field("space", &Space(&self.space))?;
        out.end()
    }
}

struct Space<'a>(&'a [Axis]);

/// A searched value as written: a whole number without a fraction (`epochs: [20, 60]`).
struct Number(f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Below 2^53 every whole f64 is an exact i64.
        if self.0.fract() == 0.0 && self.0.abs() < 9_007_199_254_740_992.0 {
            serializer.serialize_i64(self.0 as i64)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl Serialize for Space<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for axis in self.0 {
            match &axis.values {
                AxisValues::List(values) => {
                    let written: Vec<Number> = values.iter().map(|&v| Number(v)).collect();
                    map.serialize_entry(&axis.key, &written)?;
                }
                AxisValues::LogUniform { low, high } => {
                    let range = std::collections::BTreeMap::from([("log_uniform", [low, high])]);
                    map.serialize_entry(&axis.key, &range)?;
                }
            }
        }
        map.end()
    }
}
