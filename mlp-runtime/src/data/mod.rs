//! Typed in-memory datasets, CSV loading, seeded splits and standardisation.
//!
//! A [`Dataset<T, IN, OUT>`] holds samples of `IN` features and `OUT` targets, so pairing it
//! with a network of another shape does not compile.

mod csv;
mod error;
pub(crate) mod split;
mod standardize;

pub use self::csv::CsvTarget;
pub use error::DataError;
pub use standardize::Standardizer;

use nalgebra::SVector;

use crate::float::Float;

/// Samples of `IN` features with `OUT` targets each, stored sample after sample (the
/// column-major batch layout networks take).
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset<T, const IN: usize, const OUT: usize> {
    inputs: Vec<T>,
    targets: Vec<T>,
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
            inputs: Vec::new(),
            targets: Vec::new(),
        }
    }

    /// Builds a dataset from flat slices, `IN` values per input and `OUT` per target.
    ///
    /// # Errors
    ///
    /// [`DataError::Shape`] if the lengths do not hold the same whole number of samples, and
    /// [`DataError::NotFinite`] for a NaN or infinite value.
    pub fn from_slices(inputs: &[T], targets: &[T]) -> Result<Self, DataError> {
        let count = inputs.len() / IN.max(1);
        if !inputs.len().is_multiple_of(IN) || targets.len() != count * OUT {
            return Err(DataError::Shape {
                inputs: inputs.len(),
                targets: targets.len(),
                features: IN,
                outputs: OUT,
            });
        }
        for (index, value) in inputs.iter().chain(targets).enumerate() {
            if !value.is_finite() {
                let (sample, column) = if index < inputs.len() {
                    (index / IN, index % IN)
                } else {
                    let index = index - inputs.len();
                    (index / OUT, IN + index % OUT)
                };
                return Err(DataError::NotFinite {
                    source_name: "slice".into(),
                    row: sample + 1,
                    column: column + 1,
                    value: value.to_string(),
                });
            }
        }
        Ok(Dataset {
            inputs: inputs.to_vec(),
            targets: targets.to_vec(),
        })
    }

    /// Appends a sample.
    pub fn push(&mut self, input: &SVector<T, IN>, target: &SVector<T, OUT>) {
        self.inputs.extend_from_slice(input.as_slice());
        self.targets.extend_from_slice(target.as_slice());
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.inputs.len() / IN.max(1)
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
        &self.inputs[index * IN..(index + 1) * IN]
    }

    /// Sample `index`'s target.
    ///
    /// # Panics
    ///
    /// If `index >= len()`.
    pub fn target(&self, index: usize) -> &[T] {
        &self.targets[index * OUT..(index + 1) * OUT]
    }

    /// The class of sample `index`: the largest target for several outputs, or whether the
    /// single target exceeds one half (0 or 1) for one output.
    pub fn class(&self, index: usize) -> usize {
        class_of(self.target(index))
    }

    /// The samples at `indices`, in that order.
    ///
    /// # Panics
    ///
    /// If an index is out of range.
    pub fn subset(&self, indices: &[usize]) -> Self {
        let mut subset = Dataset {
            inputs: Vec::with_capacity(indices.len() * IN),
            targets: Vec::with_capacity(indices.len() * OUT),
        };
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

/// The class a target (or an output) stands for: the index of the largest value when there
/// are several, `value > 0.5` when there is one.
pub fn class_of<T: Float>(values: &[T]) -> usize {
    match values {
        [single] => usize::from(*single > T::cast(0.5)),
        _ => {
            values
                .iter()
                .enumerate()
                .fold(
                    (0, values[0]),
                    |best, (i, &v)| if v > best.1 { (i, v) } else { best },
                )
                .0
        }
    }
}
