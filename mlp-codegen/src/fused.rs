//! The training step of a network whose spec trains with plain SGD and no regularisation:
//! each layer's update is applied as its gradient is computed, so small layers never store
//! their gradient and large ones update while it is in cache.
//!
//! The update is the optimizer's `p -= (lr * lr_scale) g`, with `g` summed in the same
//! order as the separate backward pass, so both give the same bits.

use mlp_spec::Optimizer;
use proc_macro2::TokenStream;
use quote::quote;

use super::passes::{head_loss_and_delta, layer_input, param_range, previous_delta};
use super::{Model, lit, lit_f64, rt};

/// Whether the spec's training can use the fused step.
fn applies(model: &Model) -> bool {
    let reg = model.spec.regularization;
    matches!(model.spec.optimizer, Optimizer::Sgd { .. }) && reg.l1 == 0.0 && reg.l2 == 0.0
}

/// `__mlp_sgd_step`, the fused step over `C` columns, when the spec allows it.
pub(crate) fn generate(model: &Model) -> TokenStream {
    if !applies(model) {
        return TokenStream::new();
    }
    let rt = rt();
    let Model {
        name, float, tape, ..
    } = model;
    let scalar = quote!(#float);
    let mut backward = TokenStream::new();
    for layer in model.layers.iter().rev() {
        let (i, o) = (lit(layer.inputs), lit(layer.units));
        let range = param_range(layer);
        let (d, input) = (layer.d(), layer_input(model, layer));
        let lr_scale = lit_f64(layer.lr_scale);
        // The previous layer's delta needs this layer's weights before their update.
        backward.extend(previous_delta(model, layer, &scalar));
        backward.extend(quote! {
            #rt::dense::sgd_update::<#float, #i, #o, C>(
                tape.#d.as_slice(),
                #input,
                &mut params[#range],
                &mut grads[#range],
                <#float as #rt::Float>::cast(lr * #lr_scale),
            );
        });
    }
    let (head_loss, head_delta) = head_loss_and_delta(model);

    quote! {
        #[automatically_derived]
        impl #name {
            /// Forward pass, loss, and a backward pass that updates each layer by SGD as
            /// soon as its gradient is known; `grads` is scratch space for large layers.
            /// Returns the loss, and leaves the parameters untouched when it is not finite.
            #[inline(always)]
            fn __mlp_sgd_step<const C: usize>(
                params: &mut [#float],
                inputs: &[#float],
                targets: &[#float],
                valid: usize,
                tape: &mut #tape<#float, C>,
                grads: &mut [#float],
                lr: f64,
            ) -> #float {
                Self::__mlp_forward::<#float, C>(params, inputs, tape);
                #head_loss
                if !#rt::Float::as_f64(loss).is_finite() {
                    return loss;
                }
                #head_delta
                #backward
                loss
            }
        }
    }
}

/// The `Model::sgd_step` method, when the spec allows the fused step (otherwise the trait's
/// default, which declines, stays).
pub(crate) fn trait_method(model: &Model) -> TokenStream {
    if !applies(model) {
        return TokenStream::new();
    }
    let Model {
        name,
        float,
        workspace,
        ..
    } = model;
    let (inputs, outputs, batch) = (
        lit(model.spec.input),
        lit(model.spec.outputs()),
        lit(model.spec.batch_size),
    );
    let count_message = super::api::count_message(model);
    let rt = rt();
    quote! {
        fn sgd_step(
            &mut self,
            workspace: &mut #workspace,
            inputs: &[#float],
            targets: &[#float],
            count: usize,
            grads: &mut [#float],
            lr: f64,
        ) -> ::core::option::Option<#float> {
            ::core::assert!((1..=#batch).contains(&count), #count_message);
            let targets = &targets[..#outputs * count];
            let grads = &mut grads[..#name::PARAM_COUNT];
            /// The step after its checks, compiled as one function by `with_wide_registers`.
            struct Pass<'a> {
                params: &'a mut [#float],
                workspace: &'a mut #workspace,
                inputs: &'a [#float],
                targets: &'a [#float],
                count: usize,
                grads: &'a mut [#float],
                lr: f64,
            }
            impl #rt::WidePass for Pass<'_> {
                type Output = #float;

                #[inline(always)]
                fn run(self) -> #float {
                    let Pass { params, workspace, inputs, targets, count, grads, lr } = self;
                    if count == 1 {
                        let view = &inputs[..#inputs];
                        #name::__mlp_sgd_step::<1>(params, view, targets, 1, &mut workspace.__mlp_single, grads, lr)
                    } else {
                        let view = #name::__mlp_batch_view(&mut workspace.__mlp_padded, inputs, count);
                        #name::__mlp_sgd_step::<#batch>(params, view, targets, count, &mut workspace.__mlp_batch, grads, lr)
                    }
                }
            }
            let params = &mut self.__mlp_params[..];
            let pass = Pass { params, workspace, inputs, targets, count, grads, lr };
            ::core::option::Option::Some(#rt::with_wide_registers(pass))
        }
    }
}
