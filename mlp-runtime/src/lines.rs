//! Buffers that start on a cache line.
//!
//! A training step split by units gives each thread blocks of every layer's matrices (runs of
//! a weight's columns, blocks of 32 rows of the biases and the tape's matrices), in several
//! buffers: the parameters, their gradient, the optimizer's state and the tape.
//! When every buffer starts on a cache line, a block that starts on a line in one starts on a
//! line in all, and no two threads write the same line (with a default allocator, a large
//! buffer starts 16 bytes past a page, which put one line of every column of a 784-128 weight
//! on both threads' blocks). Wide products also read an aligned weight faster.

use core::ops::{Deref, DerefMut};
use std::collections::TryReserveError;

/// Bytes of a cache line.
const LINE: usize = 64;

/// The values of `T` a buffer holds beyond its length, to reach a line from any start.
const fn slack<T>() -> usize {
    LINE / if size_of::<T>() == 0 {
        1
    } else {
        size_of::<T>()
    }
}

/// A heap buffer of a fixed length whose first value starts on a cache line; it derefs to a
/// slice. It holds a line's worth of values more than its length, and starts where the
/// allocation meets a line.
pub struct Lines<T> {
    values: Box<[T]>,
    start: usize,
    len: usize,
}

impl<T: Clone> Lines<T> {
    /// `len` copies of `value`.
    pub fn filled(value: T, len: usize) -> Self {
        Self::in_values(vec![value; len + slack::<T>()].into_boxed_slice(), len)
    }

    /// `len` copies of `value`, or the error of an allocation that failed (a network too
    /// large for the machine's memory).
    pub fn try_filled(value: T, len: usize) -> Result<Self, TryReserveError> {
        // A length near `usize::MAX` asks for more than an allocation can hold, and fails.
        let total = len.saturating_add(slack::<T>());
        let mut values = Vec::new();
        values.try_reserve_exact(total)?;
        values.resize(total, value);
        Ok(Self::in_values(values.into_boxed_slice(), len))
    }

    /// The first `len` values from where `values` meets a line (`values` holds a line's
    /// worth more).
    fn in_values(values: Box<[T]>, len: usize) -> Self {
        let offset = values.as_ptr().align_offset(LINE);
        // A type whose size does not divide a line may not reach one: start at the start.
        let start = if offset <= slack::<T>() { offset } else { 0 };
        Lines { values, start, len }
    }
}

impl<T: Clone + Default> Lines<T> {
    /// `len` default values (zeros, for floats).
    pub fn zeros(len: usize) -> Self {
        Self::filled(T::default(), len)
    }

    /// `len` default values, or the error of an allocation that failed.
    pub fn try_zeros(len: usize) -> Result<Self, TryReserveError> {
        Self::try_filled(T::default(), len)
    }
}

impl<T: Clone + Default> From<&[T]> for Lines<T> {
    fn from(values: &[T]) -> Self {
        let mut lines = Self::zeros(values.len());
        lines.clone_from_slice(values);
        lines
    }
}

impl<T> Deref for Lines<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.values[self.start..self.start + self.len]
    }
}

impl<T> DerefMut for Lines<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.values[self.start..self.start + self.len]
    }
}

impl<T: Clone> Clone for Lines<T> {
    /// A copy in a buffer of its own, which starts on a line too.
    fn clone(&self) -> Self {
        let Some(fill) = self.values.first() else {
            return Lines {
                values: Box::default(),
                start: 0,
                len: 0,
            };
        };
        let mut lines = Self::filled(fill.clone(), self.len);
        lines.clone_from_slice(self);
        lines
    }
}

impl<T: PartialEq> PartialEq for Lines<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: core::fmt::Debug> core::fmt::Debug for Lines<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_start_on_a_line_and_keep_their_values() {
        for len in [0, 1, 5, 100, 100_000] {
            let mut lines = Lines::<f32>::filled(2.0, len);
            assert_eq!(lines.len(), len);
            assert!(lines.iter().all(|&v| v == 2.0));
            assert_eq!(lines.as_ptr() as usize % LINE, 0, "{len} values");
            if len > 0 {
                lines[len - 1] = 7.0;
            }
            let copy = lines.clone();
            assert_eq!(copy, lines);
            assert_eq!(copy.as_ptr() as usize % LINE, 0);
            let tried = Lines::<f32>::try_zeros(len).unwrap();
            assert_eq!((tried.len(), tried.as_ptr() as usize % LINE), (len, 0));
            let from_slice = Lines::from(&[1.0f64, 2.0, 3.0][..]);
            assert_eq!(&*from_slice, [1.0, 2.0, 3.0]);
            assert_eq!(from_slice.as_ptr() as usize % LINE, 0);
        }
    }

    #[test]
    fn a_buffer_larger_than_memory_is_an_error() {
        // More bytes than a 64-bit address space's user half, and more values than `usize`.
        assert!(Lines::<f64>::try_zeros(1 << 60).is_err());
        assert!(Lines::<f32>::try_zeros(usize::MAX).is_err());
    }
}
