//! A sample of a compiled network: a statically sized vector.

use nalgebra::SVector;

use crate::float::Float;

/// One sample's input or output vector.
pub trait Sample<T>: Clone {
    /// Number of values.
    const LEN: usize;

    /// A sample holding `values`.
    ///
    /// # Panics
    ///
    /// If `values` does not hold exactly [`Sample::LEN`] values.
    fn from_slice(values: &[T]) -> Self;

    /// The values.
    fn as_slice(&self) -> &[T];

    /// The values, mutably.
    fn as_mut_slice(&mut self) -> &mut [T];
}

impl<T: Float, const N: usize> Sample<T> for SVector<T, N> {
    const LEN: usize = N;

    fn from_slice(values: &[T]) -> Self {
        assert_eq!(values.len(), N, "a sample of this type holds {N} values");
        SVector::from_column_slice(values)
    }

    fn as_slice(&self) -> &[T] {
        self.as_slice()
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        self.as_mut_slice()
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
