//! Heap storage with statically sized views.
//!
//! Large networks cannot live on the stack: a 784x128 `f32` matrix is 400 KB, and with its
//! gradient and optimizer moments a thread's 2 MB stack overflows. `Box::new(matrix)` does not
//! help because the value is built on the stack first (rust-lang/rust#53827). So every buffer
//! here is allocated directly on the heap as a slice, and typed nalgebra views of compile-time
//! shapes are laid over it.

use nalgebra::{SMatrixView, SMatrixViewMut, SVectorView, SVectorViewMut};

use crate::float::Float;

/// A zero-filled heap slice of `len` scalars.
pub fn zeros<T: Float>(len: usize) -> Box<[T]> {
    vec![T::zero(); len].into_boxed_slice()
}

/// The `R x C` column-major matrix stored at `offset` in `buffer`.
///
/// # Panics
///
/// If the buffer is too short; generated code only uses offsets of its own layout.
pub fn matrix<T: Float, const R: usize, const C: usize>(
    buffer: &[T],
    offset: usize,
) -> SMatrixView<'_, T, R, C> {
    SMatrixView::from_slice(&buffer[offset..offset + R * C])
}

/// The mutable `R x C` column-major matrix stored at `offset` in `buffer`.
///
/// # Panics
///
/// If the buffer is too short.
pub fn matrix_mut<T: Float, const R: usize, const C: usize>(
    buffer: &mut [T],
    offset: usize,
) -> SMatrixViewMut<'_, T, R, C> {
    SMatrixViewMut::from_slice(&mut buffer[offset..offset + R * C])
}

/// The `R`-vector stored at `offset` in `buffer`.
///
/// # Panics
///
/// If the buffer is too short.
pub fn vector<T: Float, const R: usize>(buffer: &[T], offset: usize) -> SVectorView<'_, T, R> {
    SVectorView::from_slice(&buffer[offset..offset + R])
}

/// The mutable `R`-vector stored at `offset` in `buffer`.
///
/// # Panics
///
/// If the buffer is too short.
pub fn vector_mut<T: Float, const R: usize>(
    buffer: &mut [T],
    offset: usize,
) -> SVectorViewMut<'_, T, R> {
    SVectorViewMut::from_slice(&mut buffer[offset..offset + R])
}

/// An `R x C` matrix on the heap, for activations of a batch of `C` samples.
#[derive(Clone, Debug, PartialEq)]
pub struct HeapMatrix<T, const R: usize, const C: usize> {
    data: Box<[T]>,
}

impl<T: Float, const R: usize, const C: usize> HeapMatrix<T, R, C> {
    /// A zero matrix.
    pub fn zeros() -> Self {
        HeapMatrix { data: zeros(R * C) }
    }

    /// A typed view.
    pub fn view(&self) -> SMatrixView<'_, T, R, C> {
        matrix(&self.data, 0)
    }

    /// A typed mutable view.
    pub fn view_mut(&mut self) -> SMatrixViewMut<'_, T, R, C> {
        matrix_mut(&mut self.data, 0)
    }

    /// The values, column by column.
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// The values, column by column, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }
}

impl<T: Float, const R: usize, const C: usize> Default for HeapMatrix<T, R, C> {
    fn default() -> Self {
        Self::zeros()
    }
}
