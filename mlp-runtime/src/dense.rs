//! The three products of a dense layer for compiled networks, with every size a constant.
//!
//! A layer's parameters are one slice of the flat buffer: the `O x I` weight (column-major)
//! followed by the `O` bias; batches are column-major `rows x C` slices. Each product picks
//! its kernel from the layer's sizes, a constant expression that the compiler resolves for
//! every layer and product: loops over fixed-length arrays for small products and for one
//! sample, which the compiler unrolls for the layer's sizes, and the register-tiled
//! [`kernels`](crate::kernels) for large batched ones (see [`tiled`]). Both are compiled for
//! several instruction sets and picked at run time. Nothing allocates.

use crate::float::Float;
use crate::kernels::{
    DESCENT_DEPTH, Descend, FixedSizes, Overwrite, fixed, product_nn, product_tn, tiled,
};

/// `z = W x + b` for `C` columns of inputs; `params` is the layer's weight then bias.
pub fn forward<T: Float, const I: usize, const O: usize, const C: usize>(
    params: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (weight, bias) = params[..O * (I + 1)].split_at(O * I);
    if tiled(O, O * I, C) {
        product_nn::<T, _, _, false>(FixedSizes::<O, C, I>, weight, inputs, z, Overwrite);
        for column in z[..O * C].chunks_exact_mut(O) {
            for (z, &b) in column.iter_mut().zip(bias) {
                *z += b;
            }
        }
    } else {
        fixed::forward::<T, I, O, C>(weight, bias, inputs, z);
    }
}

/// `g_in = W^T delta`: the gradient with respect to the layer's inputs.
pub fn backward_inputs<T: Float, const I: usize, const O: usize, const C: usize>(
    params: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let weight = &params[..O * I];
    if tiled(I, O * I, C) {
        product_tn::<T, _>(FixedSizes::<I, C, O>, weight, delta, input_grad);
    } else {
        fixed::backward_inputs::<T, I, O, C>(weight, delta, input_grad);
    }
}

/// `dW = delta x^T` and `db = delta 1` into `grads` (the layer's weight then bias), summed
/// over the columns: the loss already divided `delta` by the batch size.
pub fn backward_params<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: &[T],
    inputs: &[T],
    grads: &mut [T],
) {
    let (weight, bias) = grads[..O * (I + 1)].split_at_mut(O * I);
    if !tiled(O, O * I, C) {
        return fixed::backward_layer::<T, I, O, C>(delta, inputs, weight, bias);
    }
    // dW (O x I) = delta (O x C) * X^T, where X (I x C) is the transposed operand.
    product_nn::<T, _, _, true>(FixedSizes::<O, I, C>, delta, inputs, weight, Overwrite);
    fixed::backward_bias::<T, O, C>(delta, bias);
}

/// One SGD update of the layer, `p -= lr g` with `g` the gradient of [`backward_params`],
/// computed the same way, so the result has the same bits as the gradient followed by the
/// optimizer. The weight's gradient is never stored: small layers sum it in registers and
/// the tiled kernels subtract it as they finish each tile (up to 128 columns;
/// beyond, it goes through `scratch`, the layer's part of a gradient buffer).
pub fn sgd_update<T: Float, const I: usize, const O: usize, const C: usize>(
    delta: &[T],
    inputs: &[T],
    params: &mut [T],
    scratch: &mut [T],
    lr: T,
) {
    let (weight, bias) = params[..O * (I + 1)].split_at_mut(O * I);
    if !tiled(O, O * I, C) {
        return fixed::sgd_layer::<T, I, O, C>(delta, inputs, weight, bias, lr);
    }
    if C <= DESCENT_DEPTH {
        product_nn::<T, _, _, true>(FixedSizes::<O, I, C>, delta, inputs, weight, Descend(lr));
    } else {
        let scratch = &mut scratch[..O * I];
        product_nn::<T, _, _, true>(FixedSizes::<O, I, C>, delta, inputs, scratch, Overwrite);
        for (p, &g) in weight.iter_mut().zip(&*scratch) {
            *p -= lr * g;
        }
    }
    fixed::sgd_bias::<T, O, C>(delta, bias, lr);
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
        forward::<f64, 3, 2, 2>(&params, &x, &mut z);
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
        backward_inputs::<f64, 3, 2, 2>(&params, &delta, &mut g_in);
        assert_eq!(g_in, [1.0, 2.0, 3.0, 0.5 - 4.0, 1.0 - 5.0, 1.5 - 6.0]);

        let mut grads = [9.0; 8];
        backward_params::<f64, 3, 2, 2>(&delta, &x, &mut grads);
        // dW = delta x^T: row 0 = 1*[1,0,-1] + 0.5*[2,1,0], row 1 = -1*[2,1,0].
        assert_eq!(grads, [2.0, -2.0, 0.5, -1.0, -1.0, 0.0, 1.5, -1.0]);
    }

    #[test]
    fn tiled_and_static_products_agree() {
        // 40 inputs, 33 units: every product takes the tiled kernels; against nalgebra's.
        const I: usize = 40;
        const O: usize = 33;
        const C: usize = 5;
        let params: Vec<f64> = (0..O * (I + 1))
            .map(|i| ((i * 31) % 17) as f64 - 8.0)
            .collect();
        let x: Vec<f64> = (0..I * C).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
        let delta: Vec<f64> = (0..O * C).map(|i| ((i * 5) % 13) as f64 - 6.0).collect();
        let mut z = vec![0.0; O * C];
        forward::<f64, I, O, C>(&params, &x, &mut z);
        let w = nalgebra::SMatrix::<f64, O, I>::from_column_slice(&params[..O * I]);
        let xs = nalgebra::SMatrix::<f64, I, C>::from_column_slice(&x);
        let b = nalgebra::SVector::<f64, O>::from_column_slice(&params[O * I..]);
        let mut expected = w * xs;
        for mut column in expected.column_iter_mut() {
            column += &b;
        }
        assert_eq!(z, expected.as_slice());
        let d = nalgebra::SMatrix::<f64, O, C>::from_column_slice(&delta);
        let mut g = vec![0.0; I * C];
        backward_inputs::<f64, I, O, C>(&params, &delta, &mut g);
        assert_eq!(g, (w.transpose() * d).as_slice());
        let mut grads = vec![0.0; O * (I + 1)];
        backward_params::<f64, I, O, C>(&delta, &x, &mut grads);
        assert_eq!(&grads[..O * I], (d * xs.transpose()).as_slice());
    }
}
