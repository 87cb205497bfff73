//! The three products of a dense layer, on statically sized nalgebra views.
//!
//! A layer's parameters are one slice of the flat buffer: the `O x I` weight (column-major)
//! followed by the `O` bias. Every function writes into a `&mut` view that the caller owns (a
//! heap buffer of the network or its workspace, or a small stack vector), so none of them
//! allocates.

use nalgebra::{SMatrixView, SMatrixViewMut};

use crate::buffer::{matrix, matrix_mut, vector, vector_mut};
use crate::float::Float;

/// `z = W x + b` for `C` columns of inputs; `params` is the layer's weight then bias.
pub fn forward<T: Float, const I: usize, const O: usize, const C: usize>(
    params: &[T],
    inputs: SMatrixView<'_, T, I, C>,
    mut z: SMatrixViewMut<'_, T, O, C>,
) {
    let weight = matrix::<T, O, I>(params, 0);
    let bias = vector::<T, O>(params, O * I);
    z.gemm(T::one(), &weight, &inputs, T::zero());
    for mut column in z.column_iter_mut() {
        column += &bias;
    }
}

/// `g_in = W^T delta`: the gradient with respect to the layer's inputs.
pub fn backward_inputs<T: Float, const I: usize, const O: usize, const C: usize>(
    params: &[T],
    delta: SMatrixView<'_, T, O, C>,
    mut input_grad: SMatrixViewMut<'_, T, I, C>,
) {
    let weight = matrix::<T, O, I>(params, 0);
    input_grad.gemm_tr(T::one(), &weight, &delta, T::zero());
}

/// `dW = delta x^T` and `db = delta 1` into `grads` (the layer's weight then bias), summed
/// over the columns: the loss already divided `delta` by the batch size.
pub fn backward_params<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: SMatrixView<'_, T, O, C>,
    inputs: SMatrixView<'_, T, I, C>,
    grads: &mut [T],
) {
    let (weight, bias) = grads.split_at_mut(O * I);
    let mut weight_grad = matrix_mut::<T, O, I>(weight, 0);
    let mut bias_grad = vector_mut::<T, O>(bias, 0);
    weight_grad.fill(T::zero());
    bias_grad.fill(T::zero());
    for (d, x) in delta.column_iter().zip(inputs.column_iter()) {
        weight_grad.ger(T::one(), &d, &x, T::one());
        bias_grad += d;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_match_hand_computation() {
        // W = [[1, 2, 3], [4, 5, 6]] column-major, b = [0.5, -1].
        let params = [1.0, 4.0, 2.0, 5.0, 3.0, 6.0, 0.5, -1.0];
        let x = [1.0, 0.0, -1.0, 2.0, 1.0, 0.0];
        let mut z = [0.0; 4];
        forward::<f64, 3, 2, 2>(&params, matrix(&x, 0), matrix_mut(&mut z, 0));
        assert_eq!(
            z,
            [
                1.0 - 3.0 + 0.5,
                4.0 - 6.0 - 1.0,
                2.0 + 2.0 + 0.5,
                8.0 + 5.0 - 1.0
            ]
        );

        let delta = [1.0, 0.0, 0.5, -1.0];
        let mut g_in = [0.0; 6];
        backward_inputs::<f64, 3, 2, 2>(&params, matrix(&delta, 0), matrix_mut(&mut g_in, 0));
        assert_eq!(g_in, [1.0, 2.0, 3.0, 0.5 - 4.0, 1.0 - 5.0, 1.5 - 6.0]);

        let mut grads = [9.0; 8];
        backward_params::<f64, 3, 2, 2>(matrix(&delta, 0), matrix(&x, 0), &mut grads);
        // dW = delta x^T: row 0 = 1*[1,0,-1] + 0.5*[2,1,0], row 1 = -1*[2,1,0].
        assert_eq!(grads, [2.0, -2.0, 0.5, -1.0, -1.0, 0.0, 1.5, -1.0]);
    }
}
