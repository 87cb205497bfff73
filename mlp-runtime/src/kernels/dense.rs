//! The products of a dense layer, for sizes of either kind.
//!
//! A layer's parameters are one slice of the flat buffer: the `units x inputs` weight
//! (column-major) followed by the `units` bias; batches are column-major `rows x columns`
//! slices. Each product picks its kernel from the sizes ([`tiled`]), which the compiler
//! resolves for every layer and product when the sizes are constants. Nothing allocates.

use nalgebra::Dim;

use super::dispatch::{
    backward_bias, backward_inputs as small_backward_inputs, backward_layer,
    forward as small_forward, product_nn, product_tn, sgd_bias, sgd_layer,
};
use super::shape::{Product, Shape};
use super::small::Size;
use super::tiles::{Descend, Overwrite};
use super::{DESCENT_DEPTH, tiled};
use crate::float::Float;

/// `z = W x + b` for every column; `params` is the layer's weight then bias.
#[inline(always)]
pub(crate) fn forward<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    params: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (i, o, _) = shape.sizes();
    let (weight, bias) = params[..o * (i + 1)].split_at(o * i);
    forward_with_bias(shape, weight, bias, inputs, z);
}

/// `z = W x + b` for every column, with the weight and the bias apart (a normalised layer's
/// product passes a zero bias: adding zero changes no bit).
#[inline(always)]
pub(crate) fn forward_with_bias<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    if tiled(o, o * i, c) {
        tiled_forward(shape, weight, bias, inputs, z);
    } else {
        small_forward(shape, weight, bias, inputs, z);
    }
}

/// [`forward`] with the tiled kernels. Not inlined into a pass: inlined, the bias' addition
/// stayed scalar (64-32-10's step at 32 samples 5% slower).
#[inline(never)]
fn tiled_forward<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (_, o, c) = shape.sizes();
    let sizes = Product(shape.units, shape.columns, shape.inputs);
    product_nn::<T, _, _, _, _, false>(sizes, weight, inputs, z, Overwrite);
    for column in z[..o * c].chunks_exact_mut(o) {
        for (z, &b) in column.iter_mut().zip(bias) {
            *z += b;
        }
    }
}

/// `g_in = W^T delta`: the gradient with respect to the layer's inputs.
#[inline(always)]
pub(crate) fn backward_inputs<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    params: &[T],
    delta: &[T],
    input_grad: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    let weight = &params[..o * i];
    if tiled(i, o * i, c) {
        let sizes = Product(shape.inputs, shape.columns, shape.units);
        product_tn(sizes, weight, delta, input_grad);
    } else {
        small_backward_inputs(shape, weight, delta, input_grad);
    }
}

/// `dW = delta x^T` and `db = delta 1` into `grads` (the layer's weight then bias), summed
/// over the columns: the loss already divided `delta` by the batch size.
#[inline(always)]
pub(crate) fn backward_params<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    grads: &mut [T],
) {
    let (i, o, _) = shape.sizes();
    let (weight, bias) = grads[..o * (i + 1)].split_at_mut(o * i);
    backward_weight(shape, delta, inputs, weight, bias);
}

/// [`backward_params`] with the weight's and the bias' gradients apart.
#[inline(always)]
pub(crate) fn backward_weight<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    bias: &mut [T],
) {
    let (i, o, c) = shape.sizes();
    if !tiled(o, o * i, c) {
        return backward_layer(shape, delta, inputs, weight, bias);
    }
    // dW (units x inputs) = delta (units x columns) * X^T, where X is the transposed operand.
    let sizes = Product(shape.units, shape.inputs, shape.columns);
    product_nn::<T, _, _, _, _, true>(sizes, delta, inputs, weight, Overwrite);
    backward_bias(shape, delta, bias);
}

/// One SGD update of the layer, `p -= lr g` with `g` the gradient of [`backward_params`],
/// computed the same way, so the result has the same bits as the gradient followed by the
/// optimizer. The weight's gradient is never stored: small layers sum it in registers and
/// the tiled kernels subtract it as they finish each tile (up to 128 columns; beyond, it goes
/// through `scratch`, the layer's part of a gradient buffer, which also holds the bias').
#[inline(always)]
pub(crate) fn sgd_update<T: Float, I: Size, O: Size, C: Dim>(
    shape: Shape<I, O, C>,
    delta: &[T],
    inputs: &[T],
    params: &mut [T],
    scratch: &mut [T],
    lr: T,
) {
    let (i, o, c) = shape.sizes();
    let (weight, bias) = params[..o * (i + 1)].split_at_mut(o * i);
    let (weight_grad, bias_grad) = scratch[..o * (i + 1)].split_at_mut(o * i);
    if !tiled(o, o * i, c) {
        return sgd_layer(shape, delta, inputs, weight, bias, bias_grad, lr);
    }
    let sizes = Product(shape.units, shape.inputs, shape.columns);
    if c <= DESCENT_DEPTH {
        product_nn::<T, _, _, _, _, true>(sizes, delta, inputs, weight, Descend(lr));
    } else {
        product_nn::<T, _, _, _, _, true>(sizes, delta, inputs, weight_grad, Overwrite);
        for (p, &g) in weight.iter_mut().zip(&*weight_grad) {
            *p -= lr * g;
        }
    }
    sgd_bias(shape, delta, bias, bias_grad, lr);
}

#[cfg(test)]
mod tests {
    use nalgebra::{Const, Dyn};

    use super::*;

    fn fixed<const I: usize, const O: usize, const C: usize>() -> Shape<Const<I>, Const<O>, Const<C>>
    {
        Shape {
            inputs: Const,
            units: Const,
            columns: Const,
        }
    }

    #[test]
    fn products_match_hand_computation() {
        // W = [[1, 2, 3], [4, 5, 6]] column-major, b = [0.5, -1].
        let params = [1.0, 4.0, 2.0, 5.0, 3.0, 6.0, 0.5, -1.0];
        let x = [1.0, 0.0, -1.0, 2.0, 1.0, 0.0];
        let mut z = [0.0; 4];
        forward(fixed::<3, 2, 2>(), &params, &x, &mut z);
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
        backward_inputs(fixed::<3, 2, 2>(), &params, &delta, &mut g_in);
        assert_eq!(g_in, [1.0, 2.0, 3.0, 0.5 - 4.0, 1.0 - 5.0, 1.5 - 6.0]);

        let mut grads = [9.0; 8];
        backward_params(fixed::<3, 2, 2>(), &delta, &x, &mut grads);
        // dW = delta x^T: row 0 = 1*[1,0,-1] + 0.5*[2,1,0], row 1 = -1*[2,1,0].
        assert_eq!(grads, [2.0, -2.0, 0.5, -1.0, -1.0, 0.0, 1.5, -1.0]);
    }

    /// Every product of a layer large enough for the tiled kernels against nalgebra's, and the
    /// fused update against the gradient then a step, with `columns` samples: more than one
    /// block of the tiled kernels' depth takes the update through the scratch buffer.
    fn check_tiled<const C: usize>() {
        // 40 inputs, 33 units: every product takes the tiled kernels.
        const I: usize = 40;
        const O: usize = 33;
        let shape = fixed::<I, O, C>();
        let params: Vec<f64> = (0..O * (I + 1))
            .map(|i| ((i * 31) % 17) as f64 - 8.0)
            .collect();
        let x: Vec<f64> = (0..I * C).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
        let delta: Vec<f64> = (0..O * C).map(|i| ((i * 5) % 13) as f64 - 6.0).collect();
        let mut z = vec![0.0; O * C];
        forward(shape, &params, &x, &mut z);
        let w = nalgebra::SMatrix::<f64, O, I>::from_column_slice(&params[..O * I]);
        let xs = nalgebra::DMatrix::<f64>::from_column_slice(I, C, &x);
        let b = nalgebra::SVector::<f64, O>::from_column_slice(&params[O * I..]);
        let mut expected = w * &xs;
        for mut column in expected.column_iter_mut() {
            column += &b;
        }
        assert_eq!(z, expected.as_slice());
        let d = nalgebra::DMatrix::<f64>::from_column_slice(O, C, &delta);
        let mut g = vec![0.0; I * C];
        backward_inputs(shape, &params, &delta, &mut g);
        assert_eq!(g, (w.transpose() * &d).as_slice());
        let mut grads = vec![0.0; O * (I + 1)];
        backward_params(shape, &delta, &x, &mut grads);
        assert_eq!(&grads[..O * I], (&d * xs.transpose()).as_slice());
        let mut stepped = params.clone();
        let mut scratch = vec![f64::NAN; O * (I + 1)];
        sgd_update(shape, &delta, &x, &mut stepped, &mut scratch, 0.5);
        let expected: Vec<f64> = params
            .iter()
            .zip(&grads)
            .map(|(p, g)| p - 0.5 * g)
            .collect();
        assert_eq!(stepped, expected, "{C} columns");
        // The same sizes at run time.
        let dynamic = Shape {
            inputs: Dyn(I),
            units: Dyn(O),
            columns: Dyn(C),
        };
        let mut z_dynamic = vec![0.0; O * C];
        forward(dynamic, &params, &x, &mut z_dynamic);
        assert_eq!(z, z_dynamic);
    }

    #[test]
    fn tiled_products_and_fused_updates_compute_the_definition() {
        check_tiled::<5>();
        check_tiled::<128>();
        check_tiled::<200>();
    }
}
