//! The products of a dense layer for sizes known at run time: the register-tiled
//! [`kernels`](crate::kernels) for large products with several samples, the same choice the
//! compiled networks make ([`tiled`]), and nalgebra's matrix-vector kernels one sample at a
//! time otherwise. Nothing allocates (nalgebra's dynamic matrix product would: matrixmultiply
//! allocates a packing buffer on every call).

use nalgebra::{DMatrixView, DVectorView, DVectorViewMut};

use crate::float::Float;
use crate::kernels::{gemm_nn, gemm_tn, tiled};

/// A layer's shape: `units` outputs from `inputs` inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Inputs.
    pub inputs: usize,
    /// Outputs.
    pub units: usize,
}

/// `z = W x + b` for `columns` samples; `params` is the layer's weight (column-major) then
/// bias.
pub fn forward<T: Float>(shape: Shape, params: &[T], x: &[T], z: &mut [T], columns: usize) {
    let Shape { inputs, units } = shape;
    if tiled(units, units * inputs, columns) {
        let bias = &params[units * inputs..units * (inputs + 1)];
        gemm_nn(
            units,
            columns,
            inputs,
            &params[..units * inputs],
            &x[..inputs * columns],
            &mut z[..units * columns],
            false,
        );
        for column in z[..units * columns].chunks_exact_mut(units) {
            for (z, &b) in column.iter_mut().zip(bias) {
                *z += b;
            }
        }
        return;
    }
    let weight = DMatrixView::from_slice(&params[..units * inputs], units, inputs);
    let bias = DVectorView::from_slice(&params[units * inputs..units * (inputs + 1)], units);
    for j in 0..columns {
        let x = DVectorView::from_slice(&x[j * inputs..(j + 1) * inputs], inputs);
        let mut z = DVectorViewMut::from_slice(&mut z[j * units..(j + 1) * units], units);
        z.gemv(T::one(), &weight, &x, T::zero());
        z += &bias;
    }
}

/// `g_in = W^T delta` for `columns` samples.
pub fn backward_inputs<T: Float>(
    shape: Shape,
    params: &[T],
    delta: &[T],
    input_grad: &mut [T],
    columns: usize,
) {
    let Shape { inputs, units } = shape;
    if tiled(inputs, units * inputs, columns) {
        gemm_tn(
            inputs,
            columns,
            units,
            &params[..units * inputs],
            &delta[..units * columns],
            &mut input_grad[..inputs * columns],
        );
        return;
    }
    let weight = DMatrixView::from_slice(&params[..units * inputs], units, inputs);
    for j in 0..columns {
        let d = DVectorView::from_slice(&delta[j * units..(j + 1) * units], units);
        let mut g =
            DVectorViewMut::from_slice(&mut input_grad[j * inputs..(j + 1) * inputs], inputs);
        g.gemv_tr(T::one(), &weight, &d, T::zero());
    }
}

/// `dW = delta x^T`, `db = delta 1` into `grads` (the layer's weight then bias), summed over
/// `columns` samples.
pub fn backward_params<T: Float>(
    shape: Shape,
    delta: &[T],
    x: &[T],
    grads: &mut [T],
    columns: usize,
) {
    let Shape { inputs, units } = shape;
    let (weight, bias) = grads[..units * (inputs + 1)].split_at_mut(units * inputs);
    if tiled(units, units * inputs, columns) {
        gemm_nn(
            units,
            inputs,
            columns,
            &delta[..units * columns],
            &x[..inputs * columns],
            weight,
            true,
        );
    } else {
        // Column j of dW is sum_c x[j, c] delta_c: written by the first sample, then added to.
        for (j, grad) in weight.chunks_exact_mut(units).enumerate() {
            let samples = delta[..units * columns].chunks_exact(units).enumerate();
            for (c, d) in samples {
                let x = x[c * inputs + j];
                if c == 0 {
                    for (g, &d) in grad.iter_mut().zip(d) {
                        *g = d * x;
                    }
                } else {
                    for (g, &d) in grad.iter_mut().zip(d) {
                        *g += d * x;
                    }
                }
            }
        }
    }
    bias.fill(T::zero());
    for column in delta[..units * columns].chunks_exact(units) {
        for (b, &d) in bias.iter_mut().zip(column) {
            *b += d;
        }
    }
}
