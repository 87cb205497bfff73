//! Standardisation: zero mean and unit variance per column, fitted on training data.

use serde::{Deserialize, Serialize};

use mlp_spec::counted;

use super::DynDataset;
use crate::float::Float;

/// Per-column means and standard deviations.
///
/// Fit it on the training part only and apply it to every part, so no information from the
/// test data leaks into training. Columns with zero spread are left centred but unscaled.
///
/// ```
/// use mlp_runtime::Standardizer;
///
/// // Two columns, three samples: the first column is 1, 2, 3, the second constant.
/// let mut values = [1.0f32, 5.0, 2.0, 5.0, 3.0, 5.0];
/// let scaler = Standardizer::fit(&values, 2);
/// assert_eq!(scaler.mean, [2.0, 5.0]);
/// scaler.apply(&mut values);
/// // The first column becomes -1.22, 0, 1.22 (standard deviation sqrt(2/3)); the second 0.
/// assert_eq!(values[2..4], [0.0, 0.0]);
/// assert!((values[4] - 1.224_745).abs() < 1e-6 && values[0] == -values[4]);
/// scaler.invert(&mut values);
/// assert!((values[0] - 1.0).abs() < 1e-6 && values[5] == 5.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// Mean of each column.
    pub mean: Vec<f64>,
    /// Standard deviation of each column (population form), or 1 where it is 0.
    pub std: Vec<f64>,
}

impl Standardizer {
    /// Fits the columns of `values`, laid out `width` values per sample.
    ///
    /// # Panics
    ///
    /// If `width` is 0.
    pub fn fit<T: Float>(values: &[T], width: usize) -> Self {
        let rows = (values.len() / width).max(1) as f64;
        let mut mean = vec![0.0; width];
        for row in values.chunks_exact(width) {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v.as_f64();
            }
        }
        mean.iter_mut().for_each(|m| *m /= rows);
        let mut var = vec![0.0; width];
        for row in values.chunks_exact(width) {
            for ((s, v), m) in var.iter_mut().zip(row).zip(&mean) {
                *s += (v.as_f64() - m).powi(2);
            }
        }
        let std = var
            .into_iter()
            .map(|s| (s / rows).sqrt())
            .map(|s| if s > 0.0 { s } else { 1.0 })
            .collect();
        Standardizer { mean, std }
    }

    /// Fits the inputs of a dataset (a [`Dataset`](super::Dataset) or a [`DynDataset`]).
    pub fn fit_inputs<T: Float>(data: &impl AsRef<DynDataset<T>>) -> Self {
        let data = data.as_ref();
        Self::fit(data.inputs(), data.input_width())
    }

    /// Fits the targets of a dataset (for regression).
    pub fn fit_targets<T: Float>(data: &impl AsRef<DynDataset<T>>) -> Self {
        let data = data.as_ref();
        Self::fit(data.targets(), data.output_width())
    }

    /// Standardises `values` in place, `x -> (x - mean) / std`, column by column.
    ///
    /// # Panics
    ///
    /// If `values` are not whole rows of this standardizer's columns.
    #[track_caller]
    pub fn apply<T: Float>(&self, values: &mut [T]) {
        self.assert_rows(values.len());
        for row in values.chunks_exact_mut(self.mean.len()) {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *v = T::cast((v.as_f64() - m) / s);
            }
        }
    }

    /// Undoes [`Standardizer::apply`].
    ///
    /// # Panics
    ///
    /// As [`Standardizer::apply`].
    #[track_caller]
    pub fn invert<T: Float>(&self, values: &mut [T]) {
        self.assert_rows(values.len());
        for row in values.chunks_exact_mut(self.mean.len()) {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *v = T::cast(v.as_f64() * s + m);
            }
        }
    }

    /// Standardises a dataset's inputs.
    ///
    /// # Panics
    ///
    /// If the dataset has another number of inputs than this standardizer has columns (it
    /// was fitted on other columns, such as the targets).
    #[track_caller]
    pub fn apply_inputs<T: Float>(&self, data: &mut impl AsMut<DynDataset<T>>) {
        let data = data.as_mut();
        self.assert_width("inputs", data.input_width());
        self.apply(data.inputs_mut());
    }

    /// Standardises a dataset's targets.
    ///
    /// # Panics
    ///
    /// If the dataset has another number of targets than this standardizer has columns.
    #[track_caller]
    pub fn apply_targets<T: Float>(&self, data: &mut impl AsMut<DynDataset<T>>) {
        let data = data.as_mut();
        self.assert_width("targets", data.output_width());
        self.apply(data.targets_mut());
    }

    /// Panics unless the data's `what` are as many as this standardizer's columns: rows of
    /// another width would be standardised with other columns' statistics, silently.
    #[track_caller]
    pub(crate) fn assert_width(&self, what: &str, width: usize) {
        let columns = self.mean.len();
        assert!(
            width == columns,
            "a standardizer of {} applied to data of {width} {what}: fit it on the same \
             columns (`fit_inputs` for inputs, `fit_targets` for targets)",
            counted(columns, "column")
        );
    }

    #[track_caller]
    fn assert_rows(&self, values: usize) {
        let columns = self.mean.len();
        assert!(
            columns > 0 && values.is_multiple_of(columns),
            "a standardizer of {} applied to {values} values, which are not whole rows of \
             {columns}",
            counted(columns, "column")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitted_columns_get_zero_mean_and_unit_spread() {
        let mut values = vec![1.0f64, 10.0, 3.0, 10.0, 5.0, 10.0];
        let scaler = Standardizer::fit(&values, 2);
        assert_eq!(scaler.mean, [3.0, 10.0]);
        assert!((scaler.std[0] - (8.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(scaler.std[1], 1.0, "a constant column is not scaled");
        scaler.apply(&mut values);
        assert!((values[0] + values[2] + values[4]).abs() < 1e-12);
        assert_eq!([values[1], values[3], values[5]], [0.0; 3]);
        scaler.invert(&mut values);
        assert!((values[4] - 5.0).abs() < 1e-12);
    }

    #[test]
    #[should_panic(
        expected = "a standardizer of 1 column applied to data of 2 inputs: fit \
                               it on the same columns"
    )]
    fn a_standardizer_of_other_columns_is_refused() {
        let mut data =
            DynDataset::from_slices(&[1.0f64, 2.0, 3.0, 4.0], &[0.5, 1.5], 2, 1).unwrap();
        Standardizer::fit_targets(&data).apply_inputs(&mut data);
    }

    #[test]
    #[should_panic(expected = "applied to 3 values, which are not whole rows of 2")]
    fn values_that_are_not_whole_rows_are_refused() {
        Standardizer::fit(&[1.0f32, 2.0, 3.0, 4.0], 2).apply(&mut [1.0f32, 2.0, 3.0]);
    }
}
