//! The typed public API over the passes, and the implementation of the runtime's
//! `Network` trait.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Model, lit, rt};

pub(crate) fn generate(model: &Model) -> TokenStream {
    let rt = rt();
    let Model {
        name,
        float,
        input_alias,
        output_alias,
        batch_input_alias,
        batch_output_alias,
        gradients,
        workspace,
        tape,
        ..
    } = model;
    let inputs = lit(model.spec.input);
    let outputs = lit(model.spec.outputs());
    let batch = lit(model.spec.batch_size);
    let a_out = model.output().a();
    let count_message = count_message(model);
    let sgd_step = super::fused::trait_method(model);
    quote! {
        #[automatically_derived]
        impl #name {
            /// The outputs for a batch, one sample per column. Allocation-free.
            pub fn forward_batch<'w>(
                &self,
                workspace: &'w mut #workspace,
                inputs: &#batch_input_alias,
            ) -> #rt::nalgebra::SMatrixView<'w, #float, #outputs, #batch> {
                let view = inputs.as_slice();
                Self::__mlp_forward::<#float, #batch>(&self.__mlp_params, view, &mut workspace.__mlp_batch);
                workspace.__mlp_batch.#a_out.view()
            }

            /// The loss for one sample, regularisation included.
            pub fn loss(
                &self,
                workspace: &mut #workspace,
                input: &#input_alias,
                target: &#output_alias,
            ) -> #float {
                let view = input.as_slice();
                Self::__mlp_loss::<#float, 1>(&self.__mlp_params, view, target.as_slice(), 1, &mut workspace.__mlp_single)
            }

            /// The mean loss over a batch, regularisation included.
            pub fn loss_batch(
                &self,
                workspace: &mut #workspace,
                inputs: &#batch_input_alias,
                targets: &#batch_output_alias,
            ) -> #float {
                let view = inputs.as_slice();
                Self::__mlp_loss::<#float, #batch>(&self.__mlp_params, view, targets.as_slice(), #batch, &mut workspace.__mlp_batch)
            }

            /// Writes the gradient of one sample's loss into `grads` and returns the loss.
            /// Allocation-free.
            pub fn backward(
                &self,
                workspace: &mut #workspace,
                input: &#input_alias,
                target: &#output_alias,
                grads: &mut #gradients,
            ) -> #float {
                let view = input.as_slice();
                Self::__mlp_backward::<#float, 1>(
                    &self.__mlp_params,
                    view,
                    target.as_slice(),
                    1,
                    &mut workspace.__mlp_single,
                    &mut grads.__mlp_values,
                )
            }

            /// Writes the gradient of the mean loss over a batch into `grads` and returns the
            /// loss. Allocation-free.
            pub fn backward_batch(
                &self,
                workspace: &mut #workspace,
                inputs: &#batch_input_alias,
                targets: &#batch_output_alias,
                grads: &mut #gradients,
            ) -> #float {
                let view = inputs.as_slice();
                Self::__mlp_backward::<#float, #batch>(
                    &self.__mlp_params,
                    view,
                    targets.as_slice(),
                    #batch,
                    &mut workspace.__mlp_batch,
                    &mut grads.__mlp_values,
                )
            }
        }

        #[automatically_derived]
        impl #rt::Network for #name {
            type Input = #input_alias;
            type Output = #output_alias;

            const INPUTS: usize = #name::INPUTS;
            const OUTPUTS: usize = #name::OUTPUTS;
            const BATCH_SIZE: usize = #name::BATCH_SIZE;
            const PARAM_COUNT: usize = #name::PARAM_COUNT;
            const SPEC_YAML: &'static str = #name::__MLP_SPEC_YAML;
            const LAYOUT: &'static [#rt::ParamSegment] = &#name::__MLP_LAYOUT;

            fn with_seed(seed: u64) -> Self {
                #name::with_seed(seed)
            }

            fn predict(&self, input: &#input_alias) -> #output_alias {
                #name::forward(self, input)
            }
        }

        #[automatically_derived]
        impl #rt::Model for #name {
            type Float = #float;
            type Workspace = #workspace;

            fn spec(&self) -> #rt::Spec {
                #rt::parse_compiled_spec(#name::__MLP_SPEC_YAML)
            }

            fn canonical_spec(&self) -> &str {
                #name::__MLP_SPEC_YAML
            }

            fn input_size(&self) -> usize {
                #inputs
            }

            fn output_size(&self) -> usize {
                #outputs
            }

            fn batch_size(&self) -> usize {
                #batch
            }

            fn layout(&self) -> &[#rt::ParamSegment] {
                &#name::__MLP_LAYOUT
            }

            fn params(&self) -> &[#float] {
                &self.__mlp_params
            }

            fn params_mut(&mut self) -> &mut [#float] {
                &mut self.__mlp_params
            }

            fn workspace(&self) -> #workspace {
                #name::workspace(self)
            }

            fn forward_slice(
                &self,
                workspace: &mut #workspace,
                inputs: &[#float],
                count: usize,
                outputs: &mut [#float],
            ) {
                ::core::assert!((1..=#batch).contains(&count), #count_message);
                if count == 1 {
                    let view = &inputs[..#inputs];
                    Self::__mlp_forward::<#float, 1>(&self.__mlp_params, view, &mut workspace.__mlp_single);
                    outputs[..#outputs].copy_from_slice(workspace.__mlp_single.#a_out.as_slice());
                } else {
                    let view = Self::__mlp_batch_view(&mut workspace.__mlp_padded, inputs, count);
                    Self::__mlp_forward::<#float, #batch>(&self.__mlp_params, view, &mut workspace.__mlp_batch);
                    let n = #outputs * count;
                    outputs[..n].copy_from_slice(&workspace.__mlp_batch.#a_out.as_slice()[..n]);
                }
            }

            fn loss_slice(
                &self,
                workspace: &mut #workspace,
                inputs: &[#float],
                targets: &[#float],
                count: usize,
            ) -> #float {
                ::core::assert!((1..=#batch).contains(&count), #count_message);
                let targets = &targets[..#outputs * count];
                if count == 1 {
                    let view = &inputs[..#inputs];
                    Self::__mlp_loss::<#float, 1>(&self.__mlp_params, view, targets, 1, &mut workspace.__mlp_single)
                } else {
                    let view = Self::__mlp_batch_view(&mut workspace.__mlp_padded, inputs, count);
                    Self::__mlp_loss::<#float, #batch>(&self.__mlp_params, view, targets, count, &mut workspace.__mlp_batch)
                }
            }

            fn loss_f64(&self, params: &[f64], inputs: &[f64], targets: &[f64], count: usize) -> f64 {
                ::core::assert!((1..=#batch).contains(&count), #count_message);
                let targets = &targets[..#outputs * count];
                let mut padded = #rt::HeapMatrix::<f64, #inputs, #batch>::zeros();
                let view = Self::__mlp_batch_view(&mut padded, inputs, count);
                let mut tape = #tape::<f64, #batch>::__mlp_new();
                Self::__mlp_loss::<f64, #batch>(params, view, targets, count, &mut tape)
            }

            fn backward_slice(
                &self,
                workspace: &mut #workspace,
                inputs: &[#float],
                targets: &[#float],
                count: usize,
                grads: &mut [#float],
            ) -> #float {
                ::core::assert!((1..=#batch).contains(&count), #count_message);
                let targets = &targets[..#outputs * count];
                let grads = &mut grads[..#name::PARAM_COUNT];
                /// The pass after its checks, compiled as one function by `with_wide_registers`.
                struct Pass<'a> {
                    params: &'a [#float],
                    workspace: &'a mut #workspace,
                    inputs: &'a [#float],
                    targets: &'a [#float],
                    count: usize,
                    grads: &'a mut [#float],
                }
                impl #rt::WidePass for Pass<'_> {
                    type Output = #float;

                    #[inline(always)]
                    fn run(self) -> #float {
                        let Pass { params, workspace, inputs, targets, count, grads } = self;
                        if count == 1 {
                            let view = &inputs[..#inputs];
                            #name::__mlp_backward::<#float, 1>(params, view, targets, 1, &mut workspace.__mlp_single, grads)
                        } else {
                            let view = #name::__mlp_batch_view(&mut workspace.__mlp_padded, inputs, count);
                            #name::__mlp_backward::<#float, #batch>(params, view, targets, count, &mut workspace.__mlp_batch, grads)
                        }
                    }
                }
                let params = &self.__mlp_params[..];
                #rt::with_wide_registers(Pass { params, workspace, inputs, targets, count, grads })
            }

            #sgd_step
        }

        #[automatically_derived]
        impl #name {
            /// A full-batch view of `count` input columns: the slice itself when it holds a
            /// full batch, otherwise a copy padded with zero columns (which the loss ignores).
            fn __mlp_batch_view<'a, T: #rt::Float>(
                padded: &'a mut #rt::HeapMatrix<T, #inputs, #batch>,
                inputs: &'a [T],
                count: usize,
            ) -> &'a [T] {
                if count == #batch {
                    return &inputs[..#inputs * #batch];
                }
                let n = #inputs * count;
                let buffer = padded.as_mut_slice();
                buffer[..n].copy_from_slice(&inputs[..n]);
                buffer[n..].fill(T::zero());
                padded.as_slice()
            }
        }
    }
}

/// The panic message for a sample count outside `1..=BATCH_SIZE`.
pub(crate) fn count_message(model: &Model) -> String {
    format!(
        "`count` must be between 1 and the batch size {}",
        model.spec.batch_size
    )
}
