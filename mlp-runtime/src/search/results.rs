//! The table of trials: ranking, the best trial's spec, CSV and text.

use mlp_spec::{Scoring, Search, SearchMethod, SearchMetric, Spec, SpecErrors, counted};

use super::methods::{beats, comparable};

/// One point of the search space, trained and scored on every fold.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// The value of each searched key, in the order of [`SearchResults::keys`].
    pub values: Vec<f64>,
    /// The metric on each fold's held-out part (one entry for a validation split).
    pub scores: Vec<f64>,
    /// The mean of `scores`; NaN when the trial failed.
    pub mean: f64,
    /// The standard deviation of `scores` (population, as scikit-learn's `std_test_score`).
    pub std: f64,
    /// Epochs run, averaged over the folds (early stopping ends some sooner).
    pub epochs: f64,
    /// Seconds of training and scoring, summed over the folds.
    pub seconds: f64,
    /// Why the trial failed (a value its key refuses, a diverged training), if it did.
    pub error: Option<String>,
}

/// What a search found: every trial in the order run, and the best.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults {
    /// The searched keys.
    pub keys: Vec<String>,
    /// The score compared.
    pub metric: SearchMetric,
    /// The trials, in the order they were chosen.
    pub trials: Vec<Trial>,
    /// Rounds run (coordinate search; 1 otherwise).
    pub rounds: usize,
    /// Whether the stop flag ([`Tuner::stop_on`](super::Tuner::stop_on)) ended the search
    /// before its last trial: `trials` then holds the trials that finished.
    pub stopped: bool,
    pub(crate) search: Search,
    pub(crate) base: Spec,
}

impl SearchResults {
    /// The trials from best to worst (failed ones last; ties keep the order run).
    pub fn ranked(&self) -> Vec<&Trial> {
        let mut ranked: Vec<&Trial> = self.trials.iter().collect();
        let key = |t: &Trial| comparable(self.metric, t.mean);
        ranked.sort_by(|a, b| {
            let (a, b) = (key(a), key(b));
            if beats(a, b) {
                std::cmp::Ordering::Less
            } else if beats(b, a) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        ranked
    }

    /// The best trial; `None` when every trial failed.
    pub fn best(&self) -> Option<&Trial> {
        self.ranked()
            .into_iter()
            .next()
            .filter(|t| t.error.is_none())
    }

    /// The spec of a trial: the searched spec with the trial's values and no `search`.
    ///
    /// # Errors
    ///
    /// When a value is refused (only a failed trial's can be).
    pub fn spec_of(&self, trial: &Trial) -> Result<Spec, SpecErrors> {
        let values: Vec<(&str, f64)> = self
            .keys
            .iter()
            .map(String::as_str)
            .zip(trial.values.iter().copied())
            .collect();
        self.base.with_values(&values)
    }

    /// A trial's values as `optimizer.lr = 0.01, regularization.l2 = 0.001`.
    pub fn values_text(&self, trial: &Trial) -> String {
        let pairs: Vec<String> = self
            .keys
            .iter()
            .zip(&trial.values)
            .map(|(key, value)| format!("{key} = {value}"))
            .collect();
        pairs.join(", ")
    }

    /// The best trial's spec in canonical YAML, after a comment with its score: ready for
    /// `#[mlp(spec = ...)]`. `None` when every trial failed.
    pub fn best_spec_yaml(&self) -> Option<String> {
        let best = self.best()?;
        let spec = self.spec_of(best).ok()?;
        let scoring = match self.search.scoring {
            Scoring::KFold { folds } => format!("{folds}-fold cross-validation"),
            Scoring::ValidationSplit { fraction } => format!("a {fraction} validation split"),
        };
        let mut trials = counted(self.trials.len(), "trial");
        if self.stopped {
            trials.push_str("; stopped before its end");
        }
        let method = match self.search.method {
            SearchMethod::Coordinate { .. } => {
                format!(
                    "coordinate search ({}, {trials})",
                    counted(self.rounds, "round")
                )
            }
            other => format!("{} search ({trials})", other.name()),
        };
        // One validation split gives one score, with no spread to show.
        let score = match self.search.scoring {
            Scoring::KFold { .. } => format!("{:.4} +/- {:.4} over the folds", best.mean, best.std),
            Scoring::ValidationSplit { .. } => format!("{:.4} on the validation split", best.mean),
        };
        Some(format!(
            "# Tuned by a {method}, scored by {scoring}:\n\
             # {} {score} with {}.\n{}",
            self.metric.name(),
            self.values_text(best),
            spec.canonical_yaml(),
        ))
    }

    /// The trials as CSV, in the order run: a column per key, then `mean_<metric>`,
    /// `std_<metric>`, one column per fold, `epochs`, `seconds`, `rank` and `error`.
    pub fn to_csv(&self) -> String {
        let metric = self.metric.name();
        let folds = self.trials.first().map_or(0, |t| t.scores.len());
        let mut header: Vec<String> = self.keys.clone();
        header.push(format!("mean_{metric}"));
        header.push(format!("std_{metric}"));
        header.extend((0..folds).map(|k| format!("fold{k}_{metric}")));
        header.extend(["epochs", "seconds", "rank", "error"].map(String::from));
        let ranks = self.ranks();
        let mut out = header.join(",") + "\n";
        for (trial, rank) in self.trials.iter().zip(ranks) {
            let mut row: Vec<String> = trial.values.iter().map(f64::to_string).collect();
            row.push(trial.mean.to_string());
            row.push(trial.std.to_string());
            row.extend(
                (0..folds).map(|k| trial.scores.get(k).map_or(String::new(), f64::to_string)),
            );
            row.push(trial.epochs.to_string());
            row.push(format!("{:.3}", trial.seconds));
            row.push(rank.to_string());
            row.push(csv_text(trial.error.as_deref().unwrap_or_default()));
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    /// Each trial's rank (1 is the best), in the order run.
    fn ranks(&self) -> Vec<usize> {
        let mut ranks = vec![0; self.trials.len()];
        for (rank, trial) in self.ranked().into_iter().enumerate() {
            let index = self
                .trials
                .iter()
                .position(|t| std::ptr::eq(t, trial))
                .unwrap_or_default();
            ranks[index] = rank + 1;
        }
        ranks
    }

    /// The ranked trials as an aligned text table, best first.
    pub fn table(&self) -> String {
        let metric = self.metric.name();
        // Each column as wide as its key or its widest value (a log-uniform draw's 17 digits).
        let widths: Vec<usize> = (0..self.keys.len())
            .map(|k| {
                let values = self.trials.iter().map(|t| format!("{}", t.values[k]).len());
                values.fold(self.keys[k].len().max(8), usize::max)
            })
            .collect();
        let mut out = format!("{:>4}", "rank");
        for (key, w) in self.keys.iter().zip(&widths) {
            out.push_str(&format!("  {key:>w$}"));
        }
        out.push_str(&format!(
            "  {:>10}  {:>8}  {:>6}\n",
            metric, "+/-", "epochs"
        ));
        for (rank, trial) in self.ranked().into_iter().enumerate() {
            out.push_str(&format!("{:>4}", rank + 1));
            for (value, w) in trial.values.iter().zip(&widths) {
                out.push_str(&format!("  {:>w$}", format!("{value}")));
            }
            match &trial.error {
                None => out.push_str(&format!(
                    "  {:>10.4}  {:>8.4}  {:>6.1}\n",
                    trial.mean, trial.std, trial.epochs
                )),
                Some(error) => out.push_str(&format!("  failed: {error}\n")),
            }
        }
        out
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_text(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
