//! Statically sized views of a compiled network's flat buffers: each layer's weight and bias
//! as nalgebra matrices of the layer's shape, at the offsets of the parameter layout.

use nalgebra::{SMatrixView, SVectorView};
#[cfg(feature = "std")]
use nalgebra::{SMatrixViewMut, SVectorViewMut};

/// The `R x C` column-major matrix stored at `offset` in `buffer`.
///
/// # Panics
///
/// If the buffer is too short; generated code only uses offsets of its own layout.
pub fn matrix<T: nalgebra::Scalar, const R: usize, const C: usize>(
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
#[cfg(feature = "std")]
pub fn matrix_mut<T: nalgebra::Scalar, const R: usize, const C: usize>(
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
pub fn vector<T: nalgebra::Scalar, const R: usize>(
    buffer: &[T],
    offset: usize,
) -> SVectorView<'_, T, R> {
    SVectorView::from_slice(&buffer[offset..offset + R])
}

/// The mutable `R`-vector stored at `offset` in `buffer`.
///
/// # Panics
///
/// If the buffer is too short.
#[cfg(feature = "std")]
pub fn vector_mut<T: nalgebra::Scalar, const R: usize>(
    buffer: &mut [T],
    offset: usize,
) -> SVectorViewMut<'_, T, R> {
    SVectorViewMut::from_slice(&mut buffer[offset..offset + R])
}
