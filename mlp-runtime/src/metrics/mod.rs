//! Evaluation: loss, accuracy, confusion matrix, precision, recall, F1, log-loss and ROC-AUC
//! for classifiers; MAE, RMSE and R^2 for regressors.

mod scores;

use std::fmt;

use mlp_spec::Loss;
use nalgebra::SVector;

use crate::data::{Dataset, DynDataset, Standardizer};
use crate::float::Float;
use crate::model::{Model, StaticModel};

pub use scores::{log_loss, mae, roc_auc};

/// How outputs are read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Task {
    /// The output names a class: the largest of several outputs, or a single output above
    /// `threshold` (0.5 for a sigmoid, 0 for hinge's -1/+1).
    Classification {
        /// The decision threshold of a single output.
        threshold: f64,
    },
    /// The outputs are real values.
    Regression,
}

impl Task {
    /// The task a loss implies.
    pub fn for_loss(loss: &Loss) -> Self {
        match loss {
            Loss::Hinge => Task::Classification { threshold: 0.0 },
            loss if loss.is_classification() => Task::Classification { threshold: 0.5 },
            _ => Task::Regression,
        }
    }

    /// The class `values` (an output or a target) stand for.
    pub fn class<T: Float>(&self, values: &[T]) -> usize {
        match (self, values) {
            (Task::Classification { threshold }, [single]) => {
                usize::from(single.as_f64() > *threshold)
            }
            _ => crate::data::class_of(values),
        }
    }
}

/// Counts of (true class, predicted class) pairs.
///
/// ```
/// use mlp_runtime::ConfusionMatrix;
///
/// let mut matrix = ConfusionMatrix::new(3);
/// for (actual, predicted) in [(0, 0), (1, 1), (1, 2), (2, 2)] {
///     matrix.add(actual, predicted);
/// }
/// assert_eq!(matrix.count(1, 2), 1);
/// assert_eq!(matrix.accuracy(), 0.75);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfusionMatrix {
    classes: usize,
    counts: Vec<usize>,
}

impl ConfusionMatrix {
    /// An empty matrix for `classes` classes.
    pub fn new(classes: usize) -> Self {
        ConfusionMatrix {
            classes,
            counts: vec![0; classes * classes],
        }
    }

    /// Counts one sample.
    ///
    /// # Panics
    ///
    /// If a class is not below [`classes`](Self::classes) (one past the last row would
    /// otherwise count in the next row).
    #[track_caller]
    pub fn add(&mut self, actual: usize, predicted: usize) {
        let cell = self.cell(actual, predicted);
        self.counts[cell] += 1;
    }

    /// How many samples of class `actual` were predicted as `predicted`.
    ///
    /// # Panics
    ///
    /// If a class is not below [`classes`](Self::classes).
    #[track_caller]
    pub fn count(&self, actual: usize, predicted: usize) -> usize {
        self.counts[self.cell(actual, predicted)]
    }

    #[track_caller]
    fn cell(&self, actual: usize, predicted: usize) -> usize {
        let classes = self.classes;
        assert!(
            actual < classes && predicted < classes,
            "class {actual} predicted as {predicted} in a confusion matrix of {classes} \
             classes, numbered from 0 to {}",
            classes.saturating_sub(1)
        );
        actual * classes + predicted
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The fraction of samples on the diagonal.
    pub fn accuracy(&self) -> f64 {
        let total: usize = self.counts.iter().sum();
        let right: usize = (0..self.classes).map(|k| self.count(k, k)).sum();
        right as f64 / total.max(1) as f64
    }

    /// Of the samples predicted as `class`, the fraction that are: 0 when none is (as
    /// scikit-learn's `zero_division=0`).
    pub fn precision(&self, class: usize) -> f64 {
        let predicted: usize = (0..self.classes).map(|a| self.count(a, class)).sum();
        ratio(self.count(class, class), predicted)
    }

    /// Of the samples of `class`, the fraction predicted as such: 0 when there are none.
    pub fn recall(&self, class: usize) -> f64 {
        let actual: usize = (0..self.classes).map(|p| self.count(class, p)).sum();
        ratio(self.count(class, class), actual)
    }

    /// The harmonic mean of precision and recall of `class`: 0 when both are.
    pub fn f1(&self, class: usize) -> f64 {
        let (p, r) = (self.precision(class), self.recall(class));
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }

    /// The unweighted mean of `score` over the classes that occur, as true or as predicted
    /// classes (`ConfusionMatrix::f1` gives the macro F1, as scikit-learn's
    /// `average="macro"`, which averages over the labels of `y_true` and `y_pred`); 0 for a
    /// matrix without samples.
    ///
    /// ```
    /// use mlp_runtime::metrics::ConfusionMatrix;
    ///
    /// // Three classes, but only class 0 occurs: scikit-learn's
    /// // f1_score([0, 0], [0, 0], average="macro") is 1.
    /// let mut matrix = ConfusionMatrix::new(3);
    /// matrix.add(0, 0);
    /// matrix.add(0, 0);
    /// assert_eq!(matrix.macro_average(ConfusionMatrix::f1), 1.0);
    /// ```
    pub fn macro_average(&self, score: impl Fn(&Self, usize) -> f64) -> f64 {
        let occurs = |k: usize| (0..self.classes).any(|j| self.count(k, j) + self.count(j, k) > 0);
        let scores: Vec<f64> = (0..self.classes)
            .filter(|&k| occurs(k))
            .map(|k| score(self, k))
            .collect();
        match scores.len() {
            0 => 0.0,
            n => scores.iter().sum::<f64>() / n as f64,
        }
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl fmt::Display for ConfusionMatrix {
    /// Rows are true classes, columns predicted classes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .counts
            .iter()
            .max()
            .map_or(1, |m| m.to_string().len())
            .max(2);
        write!(f, "{:>8} |", "true\\pred")?;
        for k in 0..self.classes {
            write!(f, " {k:>width$}")?;
        }
        writeln!(f)?;
        writeln!(f, "{}", "-".repeat(10 + self.classes * (width + 1)))?;
        for actual in 0..self.classes {
            write!(f, "{actual:>9} |")?;
            for predicted in 0..self.classes {
                write!(f, " {:>width$}", self.count(actual, predicted))?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The coefficient of determination, averaged over outputs (scikit-learn's
/// `uniform_average`): `1 - SS_res / SS_tot` per output.
///
/// ```
/// // One output: predictions off by 0.5 on targets 1, 2, 3 (mean 2, SS_tot = 2).
/// let r2 = mlp_runtime::metrics::r2(&[1.5f64, 2.0, 2.5], &[1.0, 2.0, 3.0], 1);
/// assert_eq!(r2, 1.0 - 0.5 / 2.0);
/// ```
///
/// # Panics
///
/// If `outputs` and `targets` are not rows of `width` values, as many of each.
#[track_caller]
pub fn r2<T: Float>(outputs: &[T], targets: &[T], width: usize) -> f64 {
    scores::assert_paired("r2", outputs.len(), targets.len(), width);
    let rows = targets.len() / width;
    (0..width)
        .map(|k| {
            let column = |values: &[T]| -> Vec<f64> {
                (0..rows).map(|i| values[i * width + k].as_f64()).collect()
            };
            let (yhat, y) = (column(outputs), column(targets));
            let mean = y.iter().sum::<f64>() / rows as f64;
            let total: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
            let residual: f64 = y.iter().zip(&yhat).map(|(v, p)| (v - p).powi(2)).sum();
            // A constant target: 1 when it is predicted exactly, else 0 (scikit-learn's
            // `force_finite`).
            match (total > 0.0, residual == 0.0) {
                (true, _) => 1.0 - residual / total,
                (false, true) => 1.0,
                (false, false) => 0.0,
            }
        })
        .sum::<f64>()
        / width as f64
}

/// The root of the mean squared error over all outputs.
///
/// # Panics
///
/// If `outputs` and `targets` are not as many values.
#[track_caller]
pub fn rmse<T: Float>(outputs: &[T], targets: &[T]) -> f64 {
    scores::assert_paired("rmse", outputs.len(), targets.len(), 1);
    let sum: f64 = outputs
        .iter()
        .zip(targets)
        .map(|(p, y)| (p.as_f64() - y.as_f64()).powi(2))
        .sum();
    (sum / targets.len().max(1) as f64).sqrt()
}

/// A network's scores on a dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The mean loss, regularisation included, with every class weighing the same (the
    /// spec's `class_weights` shape training, not scores).
    pub loss: f64,
    /// The fraction of correct classes, for classifiers.
    pub accuracy: Option<f64>,
    /// True against predicted classes, for classifiers: per-class precision, recall and F1
    /// come from it.
    pub confusion: Option<ConfusionMatrix>,
    /// The mean F1 over the classes that occur (true or predicted), for classifiers.
    pub f1_macro: Option<f64>,
    /// The mean cross-entropy of the predicted probabilities, without the regularisation
    /// penalty, for classifiers with a sigmoid or softmax output.
    pub log_loss: Option<f64>,
    /// The area under the ROC curve, for binary classifiers whose data holds both classes.
    pub roc_auc: Option<f64>,
    /// R^2 averaged over outputs, for regressors.
    pub r2: Option<f64>,
    /// Root mean squared error, for regressors.
    pub rmse: Option<f64>,
    /// Mean absolute error, for regressors.
    pub mae: Option<f64>,
}

impl Evaluation {
    /// The task's headline metric: accuracy or R^2.
    pub fn metric(&self) -> Option<f64> {
        self.accuracy.or(self.r2)
    }

    /// Every score this evaluation has, by name, in a fixed order: `loss`, then `accuracy`,
    /// `f1_macro`, `log_loss`, `roc_auc` or `r2`, `rmse`, `mae`.
    pub fn scores(&self) -> Vec<(&'static str, f64)> {
        [
            ("loss", Some(self.loss)),
            ("accuracy", self.accuracy),
            ("f1_macro", self.f1_macro),
            ("log_loss", self.log_loss),
            ("roc_auc", self.roc_auc),
            ("r2", self.r2),
            ("rmse", self.rmse),
            ("mae", self.mae),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect()
    }
}

/// Why a network could not be evaluated on a data set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// The data set holds no sample, so no score is defined.
    #[error("cannot evaluate on an empty data set: no score is defined without samples")]
    Empty,
    /// The data's widths are not the model's sizes.
    #[error(transparent)]
    Shape(#[from] WidthMismatch),
}

/// The data's widths are not the model's input and output sizes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the data has {} and {} per sample, the network takes {} and gives {}",
    mlp_spec::counted(*features, "feature"),
    mlp_spec::counted(*targets, "target"),
    mlp_spec::counted(*inputs, "input"),
    mlp_spec::counted(*outputs, "output")
)]
pub struct WidthMismatch {
    /// Features per sample in the data.
    pub features: usize,
    /// Targets per sample in the data.
    pub targets: usize,
    /// The network's inputs.
    pub inputs: usize,
    /// The network's outputs.
    pub outputs: usize,
}

impl WidthMismatch {
    /// Checks that `data`'s widths are `model`'s sizes.
    pub(crate) fn check<M: Model>(model: &M, data: &DynDataset<M::Float>) -> Result<(), Self> {
        let (inputs, outputs) = (model.input_size(), model.output_size());
        let (features, targets) = (data.input_width(), data.output_width());
        if (features, targets) == (inputs, outputs) {
            return Ok(());
        }
        Err(WidthMismatch {
            features,
            targets,
            inputs,
            outputs,
        })
    }
}

/// Evaluates a compiled network on a dataset of its shape (see [`evaluate_dyn`]).
///
/// # Errors
///
/// [`EvaluateError::Empty`] if `data` is empty.
pub fn evaluate<T, N, const IN: usize, const OUT: usize>(
    network: &N,
    data: &Dataset<T, IN, OUT>,
) -> Result<Evaluation, EvaluateError>
where
    T: Float,
    N: StaticModel<Float = T, Input = SVector<T, IN>, Output = SVector<T, OUT>>,
{
    evaluate_dyn(network, data.as_dyn())
}

/// Evaluates `model` on `data` in batches of its batch size: the mean loss, and for
/// classification losses accuracy, confusion matrix, macro F1, log-loss (sigmoid or softmax
/// outputs) and ROC-AUC (binary), for regression losses R^2, RMSE and MAE.
///
/// # Errors
///
/// [`EvaluateError::Empty`] if `data` is empty, [`EvaluateError::Shape`] if its widths are
/// not the model's input and output sizes.
pub fn evaluate_dyn<M: Model>(
    model: &M,
    data: &DynDataset<M::Float>,
) -> Result<Evaluation, EvaluateError> {
    evaluate_in_units(model, data, None)
}

/// [`evaluate_dyn`] on data whose targets `targets` standardised (a regression trained on
/// standardised targets, as `mlp train` trains one): R^2, RMSE and MAE of the outputs and
/// targets mapped back to the targets' own units, as scikit-learn scores the raw values.
/// The loss stays the training objective's, on the standardised targets. With `None`, or for
/// a classifier, the same as [`evaluate_dyn`].
///
/// ```
/// use mlp_runtime::{DynDataset, DynNetwork, Standardizer, evaluate_dyn, evaluate_in_units};
///
/// let net = DynNetwork::<f64>::from_yaml(
///     "input: 1\nlayers: [{units: 1}]\nloss: mse\nprecision: f64\n",
/// )
/// .unwrap();
/// let mut data = DynDataset::from_slices(&[0.0, 1.0, 2.0], &[100.0, 300.0, 200.0], 1, 1).unwrap();
/// let targets = Standardizer::fit_targets(&data);
/// targets.apply_targets(&mut data);
/// let standardised = evaluate_dyn(&net, &data).unwrap().rmse.unwrap();
/// let in_units = evaluate_in_units(&net, &data, Some(&targets)).unwrap().rmse.unwrap();
/// // The targets' standard deviation is 81.65: an error of 1 there is one of 81.65 here.
/// assert!((in_units - standardised * targets.std[0]).abs() < 1e-9);
/// ```
///
/// # Errors
///
/// As [`evaluate_dyn`].
///
/// # Panics
///
/// If `targets` has other columns than the model has outputs.
pub fn evaluate_in_units<M: Model>(
    model: &M,
    data: &DynDataset<M::Float>,
    targets: Option<&Standardizer>,
) -> Result<Evaluation, EvaluateError> {
    WidthMismatch::check(model, data)?;
    let (input, output) = (model.input_size(), model.output_size());
    if let Some(scaler) = targets {
        scaler.assert_width("targets", output);
    }
    if data.is_empty() {
        return Err(EvaluateError::Empty);
    }
    let spec = model.spec();
    let task = Task::for_loss(&spec.loss);
    let mut workspace = model.workspace();
    // A score of the model, not the training objective: class weights do not count.
    model.set_class_weights(&mut workspace, &[]);
    let mut outputs = vec![<M::Float as Default>::default(); data.len() * output];
    let mut loss = 0.0;
    let batch = model.batch_size();
    for start in (0..data.len()).step_by(batch) {
        let count = batch.min(data.len() - start);
        let inputs = &data.inputs()[start * input..(start + count) * input];
        let targets = &data.targets()[start * output..(start + count) * output];
        model.forward_slice(
            &mut workspace,
            inputs,
            count,
            &mut outputs[start * output..],
        );
        loss += model
            .loss_slice(&mut workspace, inputs, targets, count)
            .as_f64()
            * count as f64;
    }
    let loss = loss / data.len() as f64;
    let (scaler, targets) = (targets, data.targets());
    let none = Evaluation {
        loss,
        accuracy: None,
        confusion: None,
        f1_macro: None,
        log_loss: None,
        roc_auc: None,
        r2: None,
        rmse: None,
        mae: None,
    };
    Ok(match task {
        Task::Classification { .. } => {
            let mut confusion = ConfusionMatrix::new(output.max(2));
            for (out, target) in outputs
                .chunks_exact(output)
                .zip(targets.chunks_exact(output))
            {
                confusion.add(task.class(target), task.class(out));
            }
            let probabilities = matches!(
                spec.layers.last().map(|l| &l.activation),
                Some(mlp_spec::Activation::Sigmoid | mlp_spec::Activation::Softmax)
            );
            // The score of class 1: the single output, or the second of two.
            let binary_scores: Option<Vec<f64>> = match output {
                1 => Some(outputs.iter().map(|o| o.as_f64()).collect()),
                2 => Some(outputs.chunks_exact(2).map(|o| o[1].as_f64()).collect()),
                _ => None,
            };
            let roc_auc = binary_scores.and_then(|scores| {
                let positive: Vec<bool> = targets
                    .chunks_exact(output)
                    .map(|t| task.class(t) == 1)
                    .collect();
                roc_auc(&scores, &positive)
            });
            Evaluation {
                accuracy: Some(confusion.accuracy()),
                f1_macro: Some(confusion.macro_average(ConfusionMatrix::f1)),
                log_loss: probabilities.then(|| log_loss(&outputs, targets, output)),
                roc_auc,
                confusion: Some(confusion),
                ..none
            }
        }
        Task::Regression => {
            let in_units = |values: &[M::Float]| {
                let mut values: Vec<f64> = values.iter().map(|v| v.as_f64()).collect();
                if let Some(scaler) = scaler {
                    scaler.invert(&mut values);
                }
                values
            };
            let (outputs, targets) = (in_units(&outputs), in_units(targets));
            Evaluation {
                r2: Some(r2(&outputs, &targets, output)),
                rmse: Some(rmse(&outputs, &targets)),
                mae: Some(mae(&outputs, &targets)),
                ..none
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_in_units_map_each_output_back_with_its_own_statistics() {
        let net = crate::DynNetwork::<f64>::from_yaml(
            "input: 1\nlayers: [{units: 2}]\nloss: mse\nprecision: f64\n",
        )
        .unwrap();
        let inputs = [0.0, 1.0, 2.0, 3.0];
        let raw = [10.0, -1.0, 30.0, 0.0, 20.0, 2.0, 50.0, 1.0];
        let mut data = DynDataset::from_slices(&inputs, &raw, 1, 2).unwrap();
        let scaler = Standardizer::fit_targets(&data);
        scaler.apply_targets(&mut data);
        let scores = evaluate_in_units(&net, &data, Some(&scaler)).unwrap();
        // The outputs mapped back by hand, against the raw targets.
        let mut outputs: Vec<f64> = inputs.iter().flat_map(|x| net.predict(&[*x])).collect();
        scaler.invert(&mut outputs);
        let errors: Vec<f64> = outputs.iter().zip(&raw).map(|(o, y)| o - y).collect();
        let rmse = (errors.iter().map(|e| e * e).sum::<f64>() / 8.0).sqrt();
        let mae = errors.iter().map(|e| e.abs()).sum::<f64>() / 8.0;
        assert!((scores.rmse.unwrap() - rmse).abs() < 1e-12 * rmse);
        assert!((scores.mae.unwrap() - mae).abs() < 1e-12 * mae);
        // R^2 of each output does not change with its units, nor does the loss.
        let standardised = evaluate_dyn(&net, &data).unwrap();
        assert!((scores.r2.unwrap() - standardised.r2.unwrap()).abs() < 1e-12);
        assert_eq!(scores.loss, standardised.loss);
        assert_ne!(scores.rmse, standardised.rmse);
    }

    #[test]
    fn a_width_mismatch_counts_in_the_singular_and_the_plural() {
        let mismatch = WidthMismatch {
            features: 1,
            targets: 3,
            inputs: 2,
            outputs: 1,
        };
        assert_eq!(
            mismatch.to_string(),
            "the data has 1 feature and 3 targets per sample, the network takes 2 inputs and \
             gives 1 output"
        );
    }

    #[test]
    fn regression_scores() {
        let y = [1.0f64, 2.0, 3.0, 4.0];
        assert_eq!(r2(&y, &y, 1), 1.0);
        assert_eq!(r2(&[2.5f64; 4], &y, 1), 0.0);
        // Residuals 0.5 each: SS_res = 1, SS_tot = 5.
        assert!((r2(&[1.5f64, 1.5, 3.5, 3.5], &y, 1) - 0.8).abs() < 1e-15);
        assert!((rmse(&[1.5f64, 1.5, 3.5, 3.5], &y) - 0.5).abs() < 1e-15);
        // A constant target, as scikit-learn 1.9.1 scores it: r2_score([1, 1, 1], [1, 1, 1])
        // is 1.0, r2_score([1, 1, 1], [1, 2, 1]) is 0.0.
        assert_eq!(r2(&[1.0f64; 3], &[1.0; 3], 1), 1.0);
        assert_eq!(r2(&[1.0f64, 2.0, 1.0], &[1.0; 3], 1), 0.0);
    }

    #[test]
    fn classes_and_confusion() {
        let sigmoid = Task::for_loss(&Loss::Bce);
        assert_eq!((sigmoid.class(&[0.7f32]), sigmoid.class(&[0.2f32])), (1, 0));
        let hinge = Task::for_loss(&Loss::Hinge);
        assert_eq!((hinge.class(&[0.2f32]), hinge.class(&[-1.0f32])), (1, 0));
        let softmax = Task::for_loss(&Loss::CrossEntropy);
        assert_eq!(softmax.class(&[0.1f32, 0.7, 0.2]), 1);
        let mut confusion = ConfusionMatrix::new(3);
        for (a, p) in [(0, 0), (1, 1), (1, 2), (2, 2)] {
            confusion.add(a, p);
        }
        assert_eq!(confusion.accuracy(), 0.75);
        assert_eq!(confusion.count(1, 2), 1);
        assert!(confusion.to_string().contains("true\\pred"));
    }

    #[test]
    #[should_panic(
        expected = "class 0 predicted as 3 in a confusion matrix of 3 classes, \
                               numbered from 0 to 2"
    )]
    fn a_class_beyond_the_matrix_is_refused_not_counted_in_the_next_row() {
        ConfusionMatrix::new(3).add(0, 3);
    }

    #[test]
    fn precision_recall_and_f1_per_class_and_macro() {
        // scikit-learn: precision_recall_fscore_support([0, 1, 1, 2, 2, 2], [0, 2, 1, 2, 2, 0])
        // gives precision [0.5, 1, 0.667], recall [1, 0.5, 0.667], f1 [0.667, 0.667, 0.667].
        let mut confusion = ConfusionMatrix::new(3);
        for (a, p) in [(0, 0), (1, 2), (1, 1), (2, 2), (2, 2), (2, 0)] {
            confusion.add(a, p);
        }
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(confusion.precision(0), 0.5) && close(confusion.recall(0), 1.0));
        assert!(close(confusion.precision(1), 1.0) && close(confusion.recall(1), 0.5));
        assert!(close(confusion.precision(2), 2.0 / 3.0) && close(confusion.recall(2), 2.0 / 3.0));
        for k in 0..3 {
            assert!(close(confusion.f1(k), 2.0 / 3.0), "class {k}");
        }
        assert!(close(
            confusion.macro_average(ConfusionMatrix::f1),
            2.0 / 3.0
        ));
        // A class never predicted and never present scores 0, not NaN.
        let empty = ConfusionMatrix::new(2);
        assert_eq!(
            (empty.precision(1), empty.recall(1), empty.f1(1)),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(empty.macro_average(ConfusionMatrix::f1), 0.0);
        // ...and takes no part in the macro average, as in scikit-learn:
        // f1_score([0, 1], [0, 0], average="macro", zero_division=0) is 1/3 (class 0's F1 is
        // 2/3, class 1's 0), with or without a third class that never occurs.
        let mut two_of_three = ConfusionMatrix::new(3);
        two_of_three.add(0, 0);
        two_of_three.add(1, 0);
        assert!(close(
            two_of_three.macro_average(ConfusionMatrix::f1),
            1.0 / 3.0
        ));
    }
}
