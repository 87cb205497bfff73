//! The products of a dense layer, for sizes of either kind.
//!
//! A layer's parameters are one slice of the flat buffer: the `units x inputs` weight
//! (column-major) followed by the `units` bias; batches are column-major `rows x columns`
//! slices. Each product picks its kernel from the sizes ([`tiled`]), which the compiler
//! resolves for every layer and product when the sizes are constants. Nothing allocates.

use nalgebra::Dim;
#[cfg(feature = "std")]
use nalgebra::{Const, Dyn};

#[cfg(feature = "std")]
use super::HeldStep;
use super::dispatch::{
    backward_bias, backward_inputs as small_backward_inputs, backward_layer,
    forward as small_forward, product_nn, product_tn, sgd_bias, sgd_layer,
};
#[cfg(feature = "std")]
use super::dispatch::{backward_weight as small_backward_weight, descend_forward, sgd_weight};
#[cfg(feature = "std")]
use super::dispatch::{product_nn_in, product_tn_in};
use super::shape::{Product, Shape};
use super::small::Size;
#[cfg(feature = "std")]
use super::tiles::Epilogue;
use super::tiles::{Descend, Overwrite};
use super::{DESCENT_DEPTH, tiled};
#[cfg(feature = "std")]
use super::{WidePass, with_wide_registers};
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
        tiled_forward(shape, shape.inputs, weight, bias, inputs, z);
    } else {
        small_forward(shape, weight, bias, inputs, z);
    }
}

/// [`forward`] with the tiled kernels, the columns of `inputs` `lead` apart. Not inlined
/// into a pass: inlined, the bias' addition stayed scalar (64-32-10's step at 32 samples 5%
/// slower).
#[inline(never)]
fn tiled_forward<T: Float, I: Dim, O: Size, C: Dim, L: Dim>(
    shape: Shape<I, O, C>,
    lead: L,
    weight: &[T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    let (_, o, c) = shape.sizes();
    let sizes = Product(shape.units, shape.columns, shape.inputs);
    product_nn::<T, _, _, _, _, _, false>(sizes, weight, inputs, lead, z, Overwrite);
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
        product_tn(sizes, weight, delta, input_grad, i);
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
    tiled_weight_gradient(shape, shape.inputs, delta, inputs, weight);
    backward_bias(shape, delta, bias);
}

/// `dW = delta X^T` with the tiled kernels: `dW` (units x inputs) = `delta` (units x columns)
/// times `X^T`, where `X` is the transposed operand, its columns `lead` apart.
#[inline(always)]
fn tiled_weight_gradient<T: Float, I: Dim, O: Dim, C: Dim, L: Dim>(
    shape: Shape<I, O, C>,
    lead: L,
    delta: &[T],
    inputs: &[T],
    weight_grad: &mut [T],
) {
    let sizes = Product(shape.units, shape.inputs, shape.columns);
    product_nn::<T, _, _, _, _, _, true>(sizes, delta, inputs, lead, weight_grad, Overwrite);
}

/// `W -= lr dW` with the tiled kernels, subtracting each tile's gradient as it is finished (up
/// to [`DESCENT_DEPTH`] columns; beyond, through `weight_grad`); the columns of `inputs`
/// `lead` apart.
#[inline(always)]
fn tiled_weight_descent<T: Float, I: Dim, O: Dim, C: Dim, L: Dim>(
    shape: Shape<I, O, C>,
    lead: L,
    delta: &[T],
    inputs: &[T],
    weight: &mut [T],
    weight_grad: &mut [T],
    lr: T,
) {
    let (i, o, c) = shape.sizes();
    if c > DESCENT_DEPTH {
        tiled_weight_gradient(shape, lead, delta, inputs, weight_grad);
        for (p, &g) in weight[..o * i].iter_mut().zip(&weight_grad[..o * i]) {
            *p -= lr * g;
        }
        return;
    }
    let sizes = Product(shape.units, shape.inputs, shape.columns);
    product_nn::<T, _, _, _, _, _, true>(sizes, delta, inputs, lead, weight, Descend(lr));
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
    tiled_weight_descent(shape, shape.inputs, delta, inputs, weight, weight_grad, lr);
    sgd_bias(shape, delta, bias, bias_grad, lr);
}

/// `z = W x + b` for one sample, after the held-back step of the sample before (`W -= lr
/// delta p^T`, see [`crate::layer::DeferredUpdate`]). The bits of [`apply_held_step`] and then
/// [`forward`].
#[cfg(feature = "std")]
#[inline(always)]
pub(crate) fn forward_after_held_step<T: Float, I: Size, O: Size>(
    shape: Shape<I, O, Const<1>>,
    step: HeldStep<'_, T>,
    weight: &mut [T],
    bias: &[T],
    inputs: &[T],
    z: &mut [T],
) {
    descend_forward(shape, step, weight, bias, inputs, z);
}

/// The held-back step alone, `W -= lr delta p^T`, as [`sgd_update`] steps the weight of one
/// sample.
#[cfg(feature = "std")]
#[inline]
pub(crate) fn apply_held_step<T: Float, I: Size, O: Size>(
    shape: Shape<I, O, Const<1>>,
    step: HeldStep<'_, T>,
    weight: &mut [T],
) {
    sgd_weight(shape, step.delta, step.x, weight, step.lr);
}

/// The bias' part of [`sgd_update`] for one sample, `b -= lr delta`, with the bias' gradient
/// in `scratch` as [`sgd_update`] leaves it: the rest of the layer's step when its weight's is
/// held back.
#[cfg(feature = "std")]
#[inline(always)]
pub(crate) fn sgd_bias_of_one<T: Float, I: Size, O: Size>(
    shape: Shape<I, O, Const<1>>,
    delta: &[T],
    params: &mut [T],
    scratch: &mut [T],
    lr: T,
) {
    let (i, o, _) = shape.sizes();
    let bias = &mut params[o * i..o * (i + 1)];
    sgd_bias(shape, delta, bias, &mut scratch[o * i..o * (i + 1)], lr);
}

/// A block of `rows` of a dense layer's products over `columns` samples: of its units for the
/// bias, of its inputs for the inputs' gradient. The tiled kernels compute each result the
/// same way whatever block holds it, so a block's results have the bits of the same rows of
/// the whole layer's; the layer must be one the tiled kernels take ([`tiled`]) for that to
/// be the whole layer's way.
#[cfg(feature = "std")]
#[derive(Clone, Debug)]
pub(crate) struct RowBlock {
    /// The layer's units.
    pub(crate) units: usize,
    /// The samples.
    pub(crate) columns: usize,
    /// The block.
    pub(crate) rows: core::ops::Range<usize>,
}

#[cfg(feature = "std")]
impl RowBlock {
    /// The block's sizes in a product with `n` columns and depth `k`.
    fn product(&self, n: usize, k: usize) -> Product<nalgebra::Dyn, nalgebra::Dyn, nalgebra::Dyn> {
        Product(
            nalgebra::Dyn(self.rows.len()),
            nalgebra::Dyn(n),
            nalgebra::Dyn(k),
        )
    }

    /// `g = W^T delta` for the block's rows of the inputs' gradient: `weight` holds the
    /// weight's columns of those inputs, the delta's rows come in `delta`'s blocks (in order),
    /// and `g` starts at the block's first row, its columns `g_lead` apart. Each block's
    /// product continues the sums of the one before, so blocks cut where the tiled kernels
    /// cut the depth (at multiples of 128 rows) give the bits of the whole delta's product.
    pub(crate) fn backward_inputs<'d, T: Float + 'd>(
        &self,
        weight: &[T],
        delta: impl IntoIterator<Item = Rows<'d, T>>,
        g: &mut [T],
        g_lead: usize,
    ) {
        let (o, c) = (self.units, self.columns);
        for (index, block) in delta.into_iter().enumerate() {
            let sizes = self.product(c, block.units.len());
            let leads = (Dyn(o), Dyn(block.lead), Dyn(g_lead));
            let weight = &weight[block.units.start..];
            product_tn_in(sizes, weight, block.values, g, leads, index > 0);
        }
    }

    /// `db = delta 1` for the block's rows (`delta` the delta's rows of the block, `grad` the
    /// block's), summed over the columns in order as the small kernels sum a whole layer's
    /// (`backward_bias`, `sgd_bias`).
    pub(crate) fn bias_gradient<T: Float>(&self, delta: Rows<'_, T>, grad: &mut [T]) {
        debug_assert_eq!(delta.units, self.rows);
        with_wide_registers(BiasGradient {
            block: self,
            delta,
            grad,
        });
    }

    /// One SGD step of the block's rows of the bias, with their gradient into `bias_grad`
    /// ([`RowBlock::bias_gradient`]), as [`sgd_update`] steps a whole layer's.
    pub(crate) fn bias_descend<T: Float>(
        &self,
        delta: Rows<'_, T>,
        bias: &mut [T],
        bias_grad: &mut [T],
        lr: T,
    ) {
        self.bias_gradient(delta, bias_grad);
        for (b, &g) in bias.iter_mut().zip(&*bias_grad) {
            *b -= lr * g;
        }
    }
}

/// [`RowBlock::bias_gradient`]'s sums, compiled for AVX2 where the CPU has it: compiled for
/// the baseline, they took about 1% of a 256-256-256-10 step split by units (`perf`).
#[cfg(feature = "std")]
struct BiasGradient<'a, T> {
    block: &'a RowBlock,
    delta: Rows<'a, T>,
    grad: &'a mut [T],
}

#[cfg(feature = "std")]
impl<T: Float> WidePass for BiasGradient<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let h = self.block.rows.len();
        let (lead, delta, grad) = (self.delta.lead, self.delta.values, self.grad);
        grad[..h].copy_from_slice(&delta[..h]);
        for column in 1..self.block.columns {
            let d = &delta[column * lead..column * lead + h];
            for (g, &d) in grad.iter_mut().zip(d) {
                *g += d * T::one();
            }
        }
    }
}

/// A block of the rows of a layer's `units x columns` matrix (its delta): rows `units` of
/// every column, `lead` apart, from `values`' first (the block's first row of the first
/// column). A whole matrix is one block of all its rows, `lead` its height; a step split by
/// units keeps each hidden layer's matrices but the last's as its parts' blocks, one after
/// another, so that no thread writes rows next to another's.
#[cfg(feature = "std")]
#[derive(Clone, Debug)]
pub(crate) struct Rows<'a, T> {
    /// The block's rows of the matrix.
    pub(crate) units: core::ops::Range<usize>,
    /// The values, from the block's first.
    pub(crate) values: &'a [T],
    /// Where each column's rows start, relative to the one before.
    pub(crate) lead: usize,
}

/// A block's rows of a layer's inputs over a batch: column `j`'s rows start at
/// `values[j * lead]`. Gathered next to each other, `lead` is the block's own height; in
/// place, `values` starts at the block's first row of the whole input matrix and `lead` is
/// that matrix's height (the layer's inputs).
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug)]
pub(crate) struct BlockRows<'a, T> {
    /// The rows, from the block's first.
    pub(crate) values: &'a [T],
    /// Where each column starts, relative to the one before.
    pub(crate) lead: usize,
}

/// A block of a dense layer's weight columns (a thread's share of its inputs), whose partial
/// product, weight gradient and SGD step are computed with the kernels the block's or the
/// whole layer's sizes choose ([`tiled`]), so the block's results have the bits of the same
/// columns of the whole layer's. The block's rows of the inputs are read where they are
/// when its products are tiled ([`ColumnBlock::reads_in_place`]); the small kernels take them
/// gathered. The weight's columns are contiguous already. The bias is stepped by units
/// ([`RowBlock::bias_descend`]).
#[cfg(feature = "std")]
#[derive(Clone, Debug)]
pub(crate) struct ColumnBlock {
    /// The layer's inputs.
    pub(crate) inputs: usize,
    /// The layer's units.
    pub(crate) units: usize,
    /// The samples.
    pub(crate) columns: usize,
    /// The block of the weight's columns.
    pub(crate) cols: core::ops::Range<usize>,
}

#[cfg(feature = "std")]
impl ColumnBlock {
    /// The block as a layer of its own: `cols` inputs.
    fn shape(&self) -> Shape<nalgebra::Dyn, nalgebra::Dyn, nalgebra::Dyn> {
        Shape {
            inputs: nalgebra::Dyn(self.cols.len()),
            units: nalgebra::Dyn(self.units),
            columns: nalgebra::Dyn(self.columns),
        }
    }

    /// Whether the whole layer's weight products are tiled.
    fn tiled(&self) -> bool {
        tiled(self.units, self.units * self.inputs, self.columns)
    }

    /// Whether the block's products take its rows of the inputs where they are (the tiled
    /// kernels, which step from column to column by any lead), rather than gathered: when the
    /// block's partial product, as a layer of its own, is tiled (then so is the whole
    /// layer's weight gradient).
    pub(crate) fn reads_in_place(&self) -> bool {
        tiled(self.units, self.units * self.cols.len(), self.columns)
    }

    /// The small kernels' rows: gathered, as they take them.
    fn gathered<'a, T>(&self, rows: BlockRows<'a, T>) -> &'a [T] {
        assert_eq!(
            rows.lead,
            self.cols.len(),
            "the small kernels take gathered rows"
        );
        rows.values
    }

    /// The block's partial product `P = W[:, cols] x[cols]` (`weight` holds the block's
    /// columns): the tiled product alone, or the small kernels' layer of the block's inputs
    /// with `zeros` (a zero per unit) for its bias.
    pub(crate) fn forward<T: Float>(
        &self,
        weight: &[T],
        zeros: &[T],
        rows: BlockRows<'_, T>,
        partial: &mut [T],
    ) {
        if self.reads_in_place() {
            let shape = self.shape();
            let sizes = Product(shape.units, shape.columns, shape.inputs);
            let lead = nalgebra::Dyn(rows.lead);
            product_nn::<T, _, _, _, _, _, false>(
                sizes,
                weight,
                rows.values,
                lead,
                partial,
                Overwrite,
            );
        } else {
            small_forward(self.shape(), weight, zeros, self.gathered(rows), partial);
        }
    }

    /// The block of `dW = delta x^T` into `weight_grad`, the block's columns of the gradient,
    /// with the delta's rows in `delta`'s blocks.
    pub(crate) fn gradient<'d, T: Float + 'd>(
        &self,
        delta: impl IntoIterator<Item = Rows<'d, T>>,
        rows: BlockRows<'_, T>,
        weight_grad: &mut [T],
    ) {
        if self.tiled() {
            self.tiled_products(delta, rows, weight_grad, Overwrite);
        } else {
            let delta = self.whole(delta);
            small_backward_weight(self.shape(), delta, self.gathered(rows), weight_grad);
        }
    }

    /// One SGD step of the block's columns of the weight, as [`sgd_update`] steps them, with
    /// `scratch` the block's columns of the weight gradient's buffer and the delta's rows in
    /// `delta`'s blocks.
    pub(crate) fn descend<'d, T: Float + 'd>(
        &self,
        delta: impl IntoIterator<Item = Rows<'d, T>>,
        rows: BlockRows<'_, T>,
        weight: &mut [T],
        scratch: &mut [T],
        lr: T,
    ) {
        if !self.tiled() {
            let delta = self.whole(delta);
            return sgd_weight(self.shape(), delta, self.gathered(rows), weight, lr);
        }
        if self.columns <= DESCENT_DEPTH {
            return self.tiled_products(delta, rows, weight, Descend(lr));
        }
        let len = self.units * self.cols.len();
        self.tiled_products(delta, rows, &mut scratch[..len], Overwrite);
        for (p, &g) in weight[..len].iter_mut().zip(&scratch[..len]) {
            *p -= lr * g;
        }
    }

    /// `delta x^T` into `c` (the block's columns of the weight or of its gradient) by
    /// `epilogue`, a tiled product for each block of the delta's rows. Each result is one
    /// chain over the samples whichever block holds it, so the results have the bits of the
    /// whole delta's product.
    fn tiled_products<'d, T: Float + 'd>(
        &self,
        delta: impl IntoIterator<Item = Rows<'d, T>>,
        rows: BlockRows<'_, T>,
        c: &mut [T],
        epilogue: impl Epilogue<T>,
    ) {
        for block in delta {
            let h = block.units.len();
            let sizes = Product(Dyn(h), Dyn(self.cols.len()), Dyn(self.columns));
            let leads = (Dyn(block.lead), Dyn(rows.lead), Dyn(self.units));
            let c = &mut c[block.units.start..];
            product_nn_in::<T, _, _, _, _, _, _, _, true>(
                sizes,
                block.values,
                rows.values,
                c,
                leads,
                epilogue,
            );
        }
    }

    /// The whole delta, which the small kernels take: one block of all its rows.
    fn whole<'d, T: 'd>(&self, delta: impl IntoIterator<Item = Rows<'d, T>>) -> &'d [T] {
        let mut blocks = delta.into_iter();
        let whole = blocks.next().expect("a delta");
        assert!(
            whole.units == (0..self.units) && whole.lead == self.units && blocks.next().is_none(),
            "the small kernels take a whole delta"
        );
        whole.values
    }
}

#[cfg(test)]
mod tests {
    use core::ops::Range;

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

    /// Each product and update of a block of rows, from slices starting at its first row,
    /// has the bits of the same rows of the whole layer's (random values, so rounding
    /// matters), with one block of depth and with several (the update through scratch).
    #[test]
    fn blocks_of_rows_have_the_bits_of_the_whole_layer() {
        // 70 inputs and 96 units: the tiled kernels take the inputs' gradient.
        let (i, o) = (70, 96);
        let mut state = 7u64;
        let mut random = |len: usize| -> Vec<f32> {
            (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                })
                .collect()
        };
        for c in [64, 200] {
            let shape = Shape {
                inputs: nalgebra::Dyn(i),
                units: nalgebra::Dyn(o),
                columns: nalgebra::Dyn(c),
            };
            let (params, x, delta) = (random(o * (i + 1)), random(i * c), random(o * c));
            let mut grads = vec![0.0; o * (i + 1)];
            backward_params(shape, &delta, &x, &mut grads);
            let mut stepped = params.clone();
            sgd_update(
                shape,
                &delta,
                &x,
                &mut stepped,
                &mut vec![0.0; o * (i + 1)],
                0.5,
            );
            // The inputs' gradient, to compare with blocks of its rows.
            let mut g = vec![0.0; i * c];
            backward_inputs(shape, &params, &delta, &mut g);
            for rows in [0..32, 32..96, 64..96] {
                let (r0, r1) = (rows.start, rows.end);
                let block = RowBlock {
                    units: o,
                    columns: c,
                    rows: rows.clone(),
                };
                // The block's rows of the delta, in place and as a block of their own.
                let own = by_parts(&delta, o, std::slice::from_ref(&rows));
                for delta in [
                    whole(&delta[r0..], rows.clone(), o),
                    whole(&own, rows.clone(), rows.len()),
                ] {
                    let mut bias_grad = vec![f32::NAN; rows.len()];
                    block.bias_gradient(delta.clone(), &mut bias_grad);
                    assert_eq!(bias_grad, grads[o * i + r0..o * i + r1], "{c} columns");
                    let mut bias = params[o * i + r0..o * i + r1].to_vec();
                    let mut scratch = vec![f32::NAN; rows.len()];
                    block.bias_descend(delta, &mut bias, &mut scratch, 0.5);
                    assert_eq!(bias, stepped[o * i + r0..o * i + r1], "{c} columns");
                }
                // Rows of the inputs' gradient: the weight's columns of those inputs.
                let inputs = RowBlock {
                    units: o,
                    columns: c,
                    rows: r0.min(i)..r1.min(i),
                };
                let (s0, s1) = (inputs.rows.start, inputs.rows.end);
                let mut block_g = vec![f32::NAN; i * c];
                let weight = &params[s0 * o..s1 * o];
                inputs.backward_inputs(weight, [whole(&delta, 0..o, o)], &mut block_g[s0..], i);
                for j in 0..c {
                    assert_eq!(block_g[j * i + s0..j * i + s1], g[j * i + s0..j * i + s1]);
                }
                // Into a block of its own, from a delta by parts (cut where the tiled kernels
                // do not cut the depth, so the sums round differently): no other value
                // written, each result within rounding.
                let mut own_g = vec![f32::NAN; (s1 - s0) * c + 1];
                let cut = [0..48, 48..o];
                let parts = by_parts(&delta, o, &cut);
                let blocks = blocks_of(&parts, &cut, c);
                inputs.backward_inputs(&params[s0 * o..s1 * o], blocks, &mut own_g, s1 - s0);
                assert!(own_g[(s1 - s0) * c].is_nan());
                for j in 0..c {
                    let own = &own_g[j * (s1 - s0)..(j + 1) * (s1 - s0)];
                    for (own, whole) in own.iter().zip(&g[j * i + s0..j * i + s1]) {
                        assert!((own - whole).abs() <= 1e-5, "{own} against {whole}");
                    }
                }
            }
        }
    }

    /// The rows `units` of each `o`-row column of `matrix`, with `lead` its own.
    fn whole(matrix: &[f32], units: Range<usize>, lead: usize) -> Rows<'_, f32> {
        Rows {
            units,
            values: matrix,
            lead,
        }
    }

    /// `matrix` (`o` rows) kept by the blocks of rows `cut`: each block's rows of every
    /// column together, the blocks one after another.
    fn by_parts(matrix: &[f32], o: usize, cut: &[Range<usize>]) -> Vec<f32> {
        let mut blocks = Vec::new();
        for units in cut {
            for column in matrix.chunks_exact(o) {
                blocks.extend_from_slice(&column[units.clone()]);
            }
        }
        blocks
    }

    /// The blocks of a matrix kept by the blocks of rows `cut` ([`by_parts`]).
    fn blocks_of<'a>(
        parts: &'a [f32],
        cut: &'a [Range<usize>],
        c: usize,
    ) -> impl Iterator<Item = Rows<'a, f32>> + Clone {
        cut.iter().map(move |units| Rows {
            units: units.clone(),
            values: &parts[units.start * c..units.end * c],
            lead: units.len(),
        })
    }

    #[test]
    fn blocks_of_columns_have_the_bits_of_the_whole_layer() {
        let mut state = 3u64;
        let mut random = |len: usize| -> Vec<f32> {
            (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                })
                .collect()
        };
        // A 10-unit layer takes the small kernels, a 40-unit one the tiled kernels (their
        // descent fused up to 128 samples, through the gradient beyond).
        for (o, c) in [(10, 64), (10, 2), (40, 64), (40, 200)] {
            let i = 96;
            let shape = Shape {
                inputs: nalgebra::Dyn(i),
                units: nalgebra::Dyn(o),
                columns: nalgebra::Dyn(c),
            };
            assert_eq!(tiled(o, o * i, c), o == 40);
            let (params, x, delta) = (random(o * (i + 1)), random(i * c), random(o * c));
            let mut grads = vec![0.0; o * (i + 1)];
            backward_params(shape, &delta, &x, &mut grads);
            let mut stepped = params.clone();
            let mut scratch = vec![0.0; o * (i + 1)];
            sgd_update(shape, &delta, &x, &mut stepped, &mut scratch, 0.5);
            let mut z = vec![0.0; o * c];
            forward(shape, &params, &x, &mut z);
            for cols in [0..8, 0..32, 32..96, 64..96, 0..96] {
                let block = ColumnBlock {
                    inputs: i,
                    units: o,
                    columns: c,
                    cols: cols.clone(),
                };
                let gathered: Vec<f32> = (0..c)
                    .flat_map(|j| x[j * i + cols.start..j * i + cols.end].to_vec())
                    .collect();
                let rows = if block.reads_in_place() {
                    BlockRows {
                        values: &x[cols.start..],
                        lead: i,
                    }
                } else {
                    BlockRows {
                        values: &gathered[..],
                        lead: cols.len(),
                    }
                };
                // Only a 40-unit block of 32 inputs or more is tiled (40 x 8 is too small).
                assert_eq!(block.reads_in_place(), o == 40 && cols.len() >= 32);
                let what = format!("{o} units, {c} columns, inputs {cols:?}");
                let part = cols.start * o..cols.end * o;
                // The delta whole, and (for the tiled kernels) by parts cut anywhere.
                let cut = [0..24, 24..o.max(24)];
                let parts = if o == 40 {
                    by_parts(&delta, o, &cut)
                } else {
                    Vec::new()
                };
                let mut deltas = vec![vec![whole(&delta, 0..o, o)]];
                if o == 40 {
                    deltas.push(blocks_of(&parts, &cut, c).collect());
                }
                for delta in deltas {
                    let mut block_grad = vec![f32::NAN; part.len()];
                    block.gradient(delta.clone(), rows, &mut block_grad);
                    assert_eq!(block_grad, grads[part.clone()], "{what}");
                    let mut weight = params[part.clone()].to_vec();
                    let mut block_scratch = vec![f32::NAN; part.len()];
                    block.descend(delta, rows, &mut weight, &mut block_scratch, 0.5);
                    assert_eq!(weight, stepped[part.clone()], "{what}");
                }
                // The block's partial product, as a layer of its inputs with a zero bias.
                let mut partial = vec![f32::NAN; o * c];
                block.forward(&params[part.clone()], &vec![0.0; o], rows, &mut partial);
                let alone = Shape {
                    inputs: nalgebra::Dyn(cols.len()),
                    ..shape
                };
                let mut expected = vec![0.0; o * c];
                forward_with_bias(
                    alone,
                    &params[part],
                    &vec![0.0; o],
                    &gathered,
                    &mut expected,
                );
                assert_eq!(partial, expected, "{what}");
                if cols == (0..i) && block.reads_in_place() {
                    // The whole layer's tiled product, to which the tiled forward pass adds
                    // the bias last.
                    for (column, partial) in partial.chunks_exact(o).enumerate() {
                        for (u, &p) in partial.iter().enumerate() {
                            let bias = params[o * i + u];
                            assert_eq!(p + bias, z[column * o + u], "{what}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn tiled_products_and_fused_updates_compute_the_definition() {
        check_tiled::<5>();
        check_tiled::<128>();
        check_tiled::<200>();
    }
}
