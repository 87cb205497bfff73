//! Typed in-memory datasets, CSV loading, seeded splits and standardisation.
//!
//! A [`Dataset<T, IN, OUT>`] holds samples of `IN` features and `OUT` targets, so pairing it
//! with a network of another shape does not compile; [`DynDataset`] is the same with widths
//! known at run time.

mod csv;
mod error;
mod preprocessing;
pub(crate) mod split;
mod standardize;

pub use self::csv::{CsvTarget, Features, csv_columns, read_features};
pub use error::DataError;
pub use preprocessing::Preprocessing;
pub use standardize::Standardizer;

pub use crate::sample::class_of;

use nalgebra::SVector;

use crate::float::{Float, first_not_finite};

/// Samples of a number of features and targets known at run time, stored sample after
/// sample (the column-major batch layout networks take). The dynamic engine and the
/// command-line tool use it; compiled networks use the typed [`Dataset`].
#[derive(Clone, Debug, PartialEq)]
pub struct DynDataset<T> {
    inputs: Vec<T>,
    targets: Vec<T>,
    input_width: usize,
    output_width: usize,
    /// The classes' names, in class order, when the labels were names; empty otherwise.
    class_names: Vec<String>,
    /// The CSV header's names of the feature columns, in order; empty without a header.
    feature_names: Vec<String>,
    /// The CSV header's names of the target columns, or of the label column; empty without
    /// a header.
    target_names: Vec<String>,
}

impl<T: Float> DynDataset<T> {
    /// An empty dataset of samples with `input_width` features and `output_width` targets.
    ///
    /// # Panics
    ///
    /// If a width is 0.
    pub fn new(input_width: usize, output_width: usize) -> Self {
        assert!(
            input_width > 0 && output_width > 0,
            "samples need at least one feature and one target"
        );
        DynDataset {
            inputs: Vec::new(),
            targets: Vec::new(),
            input_width,
            output_width,
            class_names: Vec::new(),
            feature_names: Vec::new(),
            target_names: Vec::new(),
        }
    }

    /// Builds a dataset from flat slices, `input_width` values per input and
    /// `output_width` per target.
    ///
    /// # Errors
    ///
    /// [`DataError::Shape`] if the lengths do not hold the same whole number of samples, and
    /// [`DataError::NotFiniteSample`] for a NaN or infinite value.
    ///
    /// # Panics
    ///
    /// If a width is 0.
    pub fn from_slices(
        inputs: &[T],
        targets: &[T],
        input_width: usize,
        output_width: usize,
    ) -> Result<Self, DataError> {
        let mut data = Self::new(input_width, output_width);
        let count = inputs.len() / input_width;
        if !inputs.len().is_multiple_of(input_width) || targets.len() != count * output_width {
            return Err(DataError::Shape {
                inputs: inputs.len(),
                targets: targets.len(),
                features: input_width,
                outputs: output_width,
            });
        }
        data.check_finite(inputs, targets, 0)?;
        data.inputs = inputs.to_vec();
        data.targets = targets.to_vec();
        Ok(data)
    }

    /// [`DataError::NotFiniteSample`] for the first NaN or infinite value of whole samples'
    /// `inputs` and `targets`, numbering the samples from `first`.
    fn check_finite(&self, inputs: &[T], targets: &[T], first: usize) -> Result<(), DataError> {
        for (what, values, width) in [
            ("input", inputs, self.input_width),
            ("target", targets, self.output_width),
        ] {
            if let Some(at) = first_not_finite(values) {
                return Err(DataError::NotFiniteSample {
                    what,
                    sample: first + at / width,
                    index: at % width,
                    value: values[at].to_string(),
                });
            }
        }
        Ok(())
    }

    /// Features per sample.
    pub fn input_width(&self) -> usize {
        self.input_width
    }

    /// Targets per sample.
    pub fn output_width(&self) -> usize {
        self.output_width
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.inputs.len() / self.input_width
    }

    /// The names of the classes, class 0 first, when the CSV file's labels were names
    /// (`setosa`); empty when they were numbers or the data did not come from a file.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// The names the CSV file's header gave the feature columns, in order (the label
    /// column left out); empty when the file had no header or the data did not come from a
    /// file. [`Preprocessing`] keeps them, so that a file of another column order is caught.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The names the CSV file's header gave the target columns (`progression`), or the label
    /// column (`species`); empty as [`DynDataset::feature_names`] is.
    pub fn target_names(&self) -> &[String] {
        &self.target_names
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// All inputs, sample after sample.
    pub fn inputs(&self) -> &[T] {
        &self.inputs
    }

    /// All targets, sample after sample.
    pub fn targets(&self) -> &[T] {
        &self.targets
    }

    /// Sample `index`'s input.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn input(&self, index: usize) -> &[T] {
        &self.inputs[index * self.input_width..(index + 1) * self.input_width]
    }

    /// Sample `index`'s target.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn target(&self, index: usize) -> &[T] {
        &self.targets[index * self.output_width..(index + 1) * self.output_width]
    }

    /// Appends a sample, or nothing if it is refused.
    ///
    /// # Errors
    ///
    /// [`DataError::Shape`] if a slice has the wrong width, and
    /// [`DataError::NotFiniteSample`] for a NaN or infinite value, as
    /// [`DynDataset::from_slices`] refuses them.
    pub fn push(&mut self, input: &[T], target: &[T]) -> Result<(), DataError> {
        if (input.len(), target.len()) != (self.input_width, self.output_width) {
            return Err(DataError::Shape {
                inputs: input.len(),
                targets: target.len(),
                features: self.input_width,
                outputs: self.output_width,
            });
        }
        self.check_finite(input, target, self.len())?;
        self.inputs.extend_from_slice(input);
        self.targets.extend_from_slice(target);
        Ok(())
    }

    /// The class of sample `index`: the largest target for several outputs, or whether the
    /// single target exceeds one half (0 or 1) for one output.
    pub fn class(&self, index: usize) -> usize {
        class_of(self.target(index))
    }

    /// Samples of each class (see [`DynDataset::class`]), from class 0; a one-output
    /// classifier has two classes.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.output_width.max(2)];
        for index in 0..self.len() {
            counts[self.class(index)] += 1;
        }
        counts
    }

    /// scikit-learn's `class_weight="balanced"`: `n / (classes * n_c)` for a class of `n_c`
    /// of the `n` samples, so that every class weighs as much in the loss. `None` if a class
    /// has no sample.
    pub fn balanced_class_weights(&self) -> Option<Vec<f64>> {
        let counts = self.class_counts();
        let (n, classes) = (self.len() as f64, counts.len() as f64);
        counts
            .iter()
            .map(|&count| (count > 0).then(|| n / (classes * count as f64)))
            .collect()
    }

    /// The samples at `indices`, in that order.
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    pub fn subset(&self, indices: &[usize]) -> Self {
        let mut subset = Self::new(self.input_width, self.output_width);
        subset.class_names.clone_from(&self.class_names);
        subset.feature_names.clone_from(&self.feature_names);
        subset.target_names.clone_from(&self.target_names);
        subset.inputs.reserve(indices.len() * self.input_width);
        subset.targets.reserve(indices.len() * self.output_width);
        for &index in indices {
            subset.inputs.extend_from_slice(self.input(index));
            subset.targets.extend_from_slice(self.target(index));
        }
        subset
    }

    pub(crate) fn inputs_mut(&mut self) -> &mut [T] {
        &mut self.inputs
    }

    pub(crate) fn targets_mut(&mut self) -> &mut [T] {
        &mut self.targets
    }
}

/// Samples of `IN` features with `OUT` targets each: a [`DynDataset`] whose widths are part
/// of its type, so pairing it with a network of another shape does not compile.
///
/// ```
/// use mlp_runtime::Dataset;
///
/// // Two samples of 2 features with 1 target each, sample after sample.
/// let data = Dataset::<f32, 2, 1>::from_slices(&[0.0, 1.0, 1.0, 0.0], &[1.0, 1.0]).unwrap();
/// assert_eq!(data.len(), 2);
/// assert_eq!(data.input(1), &[1.0, 0.0]);
/// // NaN and ragged data are errors, not panics.
/// assert!(Dataset::<f32, 2, 1>::from_slices(&[0.0, f32::NAN], &[1.0]).is_err());
/// assert!(Dataset::<f32, 2, 1>::from_slices(&[0.0, 1.0, 2.0], &[1.0]).is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset<T, const IN: usize, const OUT: usize> {
    inner: DynDataset<T>,
}

impl<T: Float, const IN: usize, const OUT: usize> Default for Dataset<T, IN, OUT> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Float, const IN: usize, const OUT: usize> Dataset<T, IN, OUT> {
    /// An empty dataset.
    pub fn new() -> Self {
        Dataset {
            inner: DynDataset::new(IN, OUT),
        }
    }

    /// Types a dataset whose widths are `IN` and `OUT`.
    ///
    /// # Errors
    ///
    /// [`DataError::Shape`] if the widths differ.
    pub fn from_dyn(inner: DynDataset<T>) -> Result<Self, DataError> {
        if (inner.input_width, inner.output_width) != (IN, OUT) {
            return Err(DataError::Shape {
                inputs: inner.input_width,
                targets: inner.output_width,
                features: IN,
                outputs: OUT,
            });
        }
        Ok(Dataset { inner })
    }

    /// Builds a dataset from flat slices, `IN` values per input and `OUT` per target.
    ///
    /// # Errors
    ///
    /// As [`DynDataset::from_slices`].
    pub fn from_slices(inputs: &[T], targets: &[T]) -> Result<Self, DataError> {
        DynDataset::from_slices(inputs, targets, IN, OUT).map(|inner| Dataset { inner })
    }

    /// Appends a sample, or nothing if it is refused.
    ///
    /// # Errors
    ///
    /// [`DataError::NotFiniteSample`] for a NaN or infinite value.
    pub fn push(
        &mut self,
        input: &SVector<T, IN>,
        target: &SVector<T, OUT>,
    ) -> Result<(), DataError> {
        self.inner.push(input.as_slice(), target.as_slice())
    }

    /// The untyped dataset.
    pub fn as_dyn(&self) -> &DynDataset<T> {
        &self.inner
    }

    /// The untyped dataset, mutably (its widths cannot change).
    pub fn as_dyn_mut(&mut self) -> &mut DynDataset<T> {
        &mut self.inner
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// The names of the feature columns (see [`DynDataset::feature_names`]).
    pub fn feature_names(&self) -> &[String] {
        self.inner.feature_names()
    }

    /// The names of the target or label columns (see [`DynDataset::target_names`]).
    pub fn target_names(&self) -> &[String] {
        self.inner.target_names()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// All inputs, sample after sample.
    pub fn inputs(&self) -> &[T] {
        self.inner.inputs()
    }

    /// All targets, sample after sample.
    pub fn targets(&self) -> &[T] {
        self.inner.targets()
    }

    /// Sample `index`'s input.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn input(&self, index: usize) -> &[T] {
        self.inner.input(index)
    }

    /// Sample `index`'s target.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn target(&self, index: usize) -> &[T] {
        self.inner.target(index)
    }

    /// The class of sample `index` (see [`DynDataset::class`]).
    pub fn class(&self, index: usize) -> usize {
        self.inner.class(index)
    }

    /// The samples at `indices`, in that order.
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    pub fn subset(&self, indices: &[usize]) -> Self {
        Dataset {
            inner: self.inner.subset(indices),
        }
    }

    /// Splits off a seeded random `test_fraction` of the samples: `(rest, test)`.
    ///
    /// # Panics
    ///
    /// If `test_fraction` is not between 0 and 1.
    pub fn split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
        let (rest, test) = self.inner.split(test_fraction, seed);
        (Dataset { inner: rest }, Dataset { inner: test })
    }

    /// Like [`Dataset::split`], stratified by class (see [`DynDataset::stratified_split`]).
    ///
    /// # Panics
    ///
    /// If `test_fraction` is not between 0 and 1.
    pub fn stratified_split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
        let (rest, test) = self.inner.stratified_split(test_fraction, seed);
        (Dataset { inner: rest }, Dataset { inner: test })
    }

    /// The folds of k-fold cross-validation (see [`DynDataset::k_fold`]).
    ///
    /// # Panics
    ///
    /// If `k` is 0 or more than the number of samples.
    pub fn k_fold(&self, k: usize, seed: u64) -> Vec<(Self, Self)> {
        Self::wrap(self.inner.k_fold(k, seed))
    }

    /// The folds of stratified k-fold cross-validation (see
    /// [`DynDataset::stratified_k_fold`]).
    ///
    /// # Panics
    ///
    /// If `k` is 0 or more than the number of samples.
    pub fn stratified_k_fold(&self, k: usize, seed: u64) -> Vec<(Self, Self)> {
        Self::wrap(self.inner.stratified_k_fold(k, seed))
    }

    fn wrap(folds: Vec<(DynDataset<T>, DynDataset<T>)>) -> Vec<(Self, Self)> {
        let wrap = |inner| Dataset { inner };
        folds.into_iter().map(|(a, b)| (wrap(a), wrap(b))).collect()
    }

    /// The names of the classes (see [`DynDataset::class_names`]).
    pub fn class_names(&self) -> &[String] {
        self.inner.class_names()
    }

    /// Reads a CSV file whose first row is a header (see [`DynDataset::from_csv`]).
    ///
    /// # Errors
    ///
    /// As [`DynDataset::from_csv`].
    pub fn from_csv(
        path: impl AsRef<std::path::Path>,
        target: CsvTarget,
    ) -> Result<Self, DataError> {
        DynDataset::from_csv(path, target, IN, OUT).map(|inner| Dataset { inner })
    }
}

impl<T, const IN: usize, const OUT: usize> AsRef<DynDataset<T>> for Dataset<T, IN, OUT> {
    fn as_ref(&self) -> &DynDataset<T> {
        &self.inner
    }
}

impl<T, const IN: usize, const OUT: usize> AsMut<DynDataset<T>> for Dataset<T, IN, OUT> {
    fn as_mut(&mut self) -> &mut DynDataset<T> {
        &mut self.inner
    }
}

impl<T> AsRef<DynDataset<T>> for DynDataset<T> {
    fn as_ref(&self) -> &DynDataset<T> {
        self
    }
}

impl<T> AsMut<DynDataset<T>> for DynDataset<T> {
    fn as_mut(&mut self) -> &mut DynDataset<T> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_that_are_not_whole_finite_samples_are_refused_by_name() {
        let error = |inputs: &[f32], targets: &[f32]| {
            Dataset::<f32, 2, 1>::from_slices(inputs, targets)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(&[1.0, 2.0, 3.0, f32::NAN], &[0.0, 1.0]),
            "sample 1 (from 0) has NaN as its input 1 (from 0); remove the sample, or fill in \
             the value"
        );
        assert_eq!(
            error(&[1.0, 2.0, 3.0, 4.0], &[0.0, f32::NEG_INFINITY]),
            "sample 1 (from 0) has -inf as its target 0 (from 0); remove the sample, or fill in \
             the value"
        );
        assert!(Dataset::<f32, 2, 1>::from_slices(&[1.0, 2.0, 3.0, 4.0], &[0.0, 1.0]).is_ok());
    }

    #[test]
    fn a_pushed_sample_of_another_width_or_not_finite_is_refused_and_not_added() {
        let mut data = DynDataset::<f32>::new(2, 1);
        data.push(&[1.0, 2.0], &[0.0]).unwrap();
        let refused = |data: &mut DynDataset<f32>, input: &[f32], target: &[f32]| {
            data.push(input, target).unwrap_err().to_string()
        };
        assert_eq!(
            refused(&mut data, &[1.0, 2.0, 3.0], &[0.0]),
            "3 input values and 1 target value do not make whole samples of 2 features and 1 \
             target"
        );
        assert_eq!(
            refused(&mut data, &[1.0, f32::NAN], &[0.0]),
            "sample 1 (from 0) has NaN as its input 1 (from 0); remove the sample, or fill in \
             the value"
        );
        assert_eq!(
            refused(&mut data, &[1.0, 2.0], &[f32::INFINITY]),
            "sample 1 (from 0) has inf as its target 0 (from 0); remove the sample, or fill in \
             the value"
        );
        assert_eq!(
            (data.inputs(), data.targets()),
            (&[1.0, 2.0][..], &[0.0][..])
        );
        let mut typed = Dataset::<f32, 2, 1>::from_dyn(data).unwrap();
        typed.push(&[3.0, 4.0].into(), &[1.0].into()).unwrap();
        assert!(typed.push(&[f32::NAN, 4.0].into(), &[1.0].into()).is_err());
        assert_eq!(typed.as_dyn().inputs(), &[1.0, 2.0, 3.0, 4.0]);
    }
}
