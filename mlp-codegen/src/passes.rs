//! The forward and backward passes, unrolled over layers.
//!
//! `__mlp_forward`, `__mlp_loss` and `__mlp_backward` are generic over the number of columns
//! `C`, instantiated for 1 (one sample) and for the spec's batch size, and keep their
//! activations in a workspace tape. They are also generic over the scalar type, so that a
//! network of either precision can evaluate its loss in `f64` for gradient checks. `forward`
//! for one sample keeps its activations in small stack vectors instead, so that inference
//! needs no workspace.

use proc_macro2::TokenStream;
use quote::quote;

use super::{LayerInfo, Model, lit, rt};

pub(crate) fn param_range(layer: &LayerInfo) -> TokenStream {
    let (start, end) = (lit(layer.offset), lit(layer.offset + layer.len()));
    quote!(#start..#end)
}

/// The input of `layer` in the tape (or the batch's inputs for the first layer).
pub(crate) fn layer_input(model: &Model, layer: &LayerInfo) -> TokenStream {
    match layer.index {
        0 => quote!(inputs),
        index => {
            let pa = model.layers[index - 1].a();
            quote!(tape.#pa.as_slice())
        }
    }
}

/// The previous layer's delta from `layer`'s (`W^T delta`, then the previous activation's
/// derivative), in scalar type `scalar`; nothing for the first layer.
pub(crate) fn previous_delta(
    model: &Model,
    layer: &LayerInfo,
    scalar: &TokenStream,
) -> TokenStream {
    if layer.index == 0 {
        return TokenStream::new();
    }
    let rt = rt();
    let (i, o, d) = (lit(layer.inputs), lit(layer.units), layer.d());
    let range = param_range(layer);
    let previous = &model.layers[layer.index - 1];
    let (pz, pa, pd) = (previous.z(), previous.a(), previous.d());
    let pu = lit(previous.units);
    let activation = model.activation(previous.activation);
    quote! {
        #rt::dense::backward_inputs::<#scalar, #i, #o, C>(&params[#range], tape.#d.as_slice(), tape.#pd.as_mut_slice());
        #rt::Activation::backward(
            &#activation,
            #pu,
            tape.#pz.as_slice(),
            tape.#pa.as_slice(),
            tape.#pd.as_mut_slice(),
        );
    }
}

/// The output head's loss over the tape's outputs (`let loss = ...;`), and the statement
/// writing its delta.
pub(crate) fn head_loss_and_delta(model: &Model) -> (TokenStream, TokenStream) {
    let rt = rt();
    let outputs = lit(model.spec.outputs());
    let head = model.head();
    let output = model.output();
    let (z_out, a_out, d_out) = (output.z(), output.a(), output.d());
    let loss = quote! {
        let loss = #rt::Head::loss_fixed::<_, #outputs>(
            &#head,
            tape.#z_out.as_slice(),
            tape.#a_out.as_slice(),
            targets,
            valid,
        );
    };
    let delta = quote! {
        #rt::Head::delta(
            &#head,
            #outputs,
            tape.#z_out.as_slice(),
            tape.#a_out.as_slice(),
            targets,
            valid,
            tape.#d_out.as_mut_slice(),
        );
    };
    (loss, delta)
}

pub(crate) fn generate(model: &Model) -> TokenStream {
    let rt = rt();
    let Model {
        name,
        float,
        tape,
        input_alias,
        output_alias,
        ..
    } = model;
    let a_out = model.output().a();

    let mut batch_forward = TokenStream::new();
    let mut single_forward = TokenStream::new();
    for layer in &model.layers {
        let (i, o) = (lit(layer.inputs), lit(layer.units));
        let range = param_range(layer);
        let (z, a) = (layer.z(), layer.a());
        let (input, single_input) = match layer.index {
            0 => (quote!(inputs), quote!(input.as_slice())),
            index => {
                let pa = model.layers[index - 1].a();
                (quote!(tape.#pa.as_slice()), quote!(#pa.as_slice()))
            }
        };
        let activate_tape = activate(
            model,
            layer,
            quote!(tape.#z.as_slice()),
            quote!(tape.#a.as_mut_slice()),
        );
        let activate_stack = activate(
            model,
            layer,
            quote!(#z.as_slice()),
            quote!(#a.as_mut_slice()),
        );
        batch_forward.extend(quote! {
            #rt::dense::forward::<T, #i, #o, C>(&params[#range], #input, tape.#z.as_mut_slice());
            #activate_tape;
        });
        single_forward.extend(quote! {
            let mut #z = #rt::nalgebra::SVector::<#float, #o>::zeros();
            let mut #a = #rt::nalgebra::SVector::<#float, #o>::zeros();
            #rt::dense::forward::<#float, #i, #o, 1>(&params[#range], #single_input, #z.as_mut_slice());
            #activate_stack;
        });
    }

    let scalar = quote!(T);
    let mut backward = TokenStream::new();
    for layer in model.layers.iter().rev() {
        let (i, o) = (lit(layer.inputs), lit(layer.units));
        let range = param_range(layer);
        let (d, input) = (layer.d(), layer_input(model, layer));
        backward.extend(quote! {
            #rt::dense::backward_params::<T, #i, #o, C>(tape.#d.as_slice(), #input, &mut grads[#range]);
        });
        backward.extend(previous_delta(model, layer, &scalar));
    }
    let (head_loss, head_delta) = head_loss_and_delta(model);

    quote! {
        #[automatically_derived]
        impl #name {
            /// The output for one input. Allocation-free; needs no workspace.
            pub fn forward(&self, input: &#input_alias) -> #output_alias {
                let params: &[#float] = &self.__mlp_params;
                #single_forward
                #a_out
            }

            #[inline(always)]
            fn __mlp_forward<T: #rt::Float, const C: usize>(
                params: &[T],
                inputs: &[T],
                tape: &mut #tape<T, C>,
            ) {
                #batch_forward
            }

            fn __mlp_loss<T: #rt::Float, const C: usize>(
                params: &[T],
                inputs: &[T],
                targets: &[T],
                valid: usize,
                tape: &mut #tape<T, C>,
            ) -> T {
                Self::__mlp_forward::<T, C>(params, inputs, tape);
                #head_loss
                loss + #rt::penalty(params, &Self::__MLP_LAYOUT, &Self::__MLP_REGULARIZATION)
            }

            #[inline(always)]
            fn __mlp_backward<T: #rt::Float, const C: usize>(
                params: &[T],
                inputs: &[T],
                targets: &[T],
                valid: usize,
                tape: &mut #tape<T, C>,
                grads: &mut [T],
            ) -> T {
                Self::__mlp_forward::<T, C>(params, inputs, tape);
                #head_loss
                #head_delta
                #backward
                #rt::add_penalty_gradient(params, grads, &Self::__MLP_LAYOUT, &Self::__MLP_REGULARIZATION);
                loss + #rt::penalty(params, &Self::__MLP_LAYOUT, &Self::__MLP_REGULARIZATION)
            }
        }
    }
}

/// The call that turns layer `layer`'s pre-activations `z` into its activations `a`: the
/// output head for the last layer, the layer's activation otherwise.
fn activate(model: &Model, layer: &LayerInfo, z: TokenStream, a: TokenStream) -> TokenStream {
    let rt = rt();
    let units = lit(layer.units);
    if layer.index == model.layers.len() - 1 {
        let head = model.head();
        quote!(#rt::Head::activate_fixed::<_, #units>(&#head, #z, #a))
    } else {
        let activation = model.activation(layer.activation);
        quote!(#rt::Activation::forward(&#activation, #units, #z, #a))
    }
}
