//! The network struct, its type aliases, its gradient struct, and their constructors and
//! typed per-layer views.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Model, lit, rt};

pub(crate) fn generate(model: &Model) -> TokenStream {
    let rt = rt();
    let Model {
        item,
        name,
        float,
        input_alias,
        output_alias,
        batch_input_alias,
        batch_output_alias,
        gradients,
        ..
    } = model;
    let vis = &item.vis;
    let attrs = &item.attrs;
    let spec = model.spec;
    let inputs = lit(spec.input);
    let outputs = lit(spec.outputs());
    let batch = lit(spec.batch_size);
    let param_count = lit(spec.param_count());
    let shape: Vec<String> = std::iter::once(spec.input)
        .chain(spec.layers.iter().map(|l| l.units))
        .map(|n| n.to_string())
        .collect();
    let summary = format!(
        " Compiled by `#[mlp]` from the spec: {} network, {} parameters, `{}`, loss `{}`.",
        shape.join("-"),
        spec.param_count(),
        float,
        spec.loss.name(),
    );
    let network_views = views(model, quote!(__mlp_params), true);
    let gradient_views = views(model, quote!(__mlp_values), false);
    let input_doc = format!(
        " One input sample of [`{name}`]: {}.",
        plural(spec.input, "feature")
    );
    let output_doc = format!(
        " One output (or target) sample of [`{name}`]: {}.",
        plural(spec.outputs(), "value")
    );
    let batch_input_doc = format!(
        " A batch of inputs of [`{name}`]: {} by {}, one sample per column.",
        plural(spec.input, "feature"),
        plural(spec.batch_size, "sample")
    );
    let batch_output_doc = format!(
        " A batch of outputs (or targets) of [`{name}`]: {} by {}.",
        plural(spec.outputs(), "value"),
        plural(spec.batch_size, "sample")
    );
    let gradients_doc =
        format!(" Gradients of the parameters of [`{name}`], with the same shapes and flat order.");
    // A blank doc line between the user's docs and the summary, when there are user docs.
    let separator = (!attrs.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #(#attrs)*
        #separator
        #[doc = #summary]
        #vis struct #name {
            __mlp_params: #rt::Box<[#float]>,
        }

        #[doc = #input_doc]
        #vis type #input_alias = #rt::nalgebra::SVector<#float, #inputs>;
        #[doc = #output_doc]
        #vis type #output_alias = #rt::nalgebra::SVector<#float, #outputs>;
        #[doc = #batch_input_doc]
        #vis type #batch_input_alias = #rt::nalgebra::SMatrix<#float, #inputs, #batch>;
        #[doc = #batch_output_doc]
        #vis type #batch_output_alias = #rt::nalgebra::SMatrix<#float, #outputs, #batch>;

        #[doc = #gradients_doc]
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        #vis struct #gradients {
            __mlp_values: #rt::Box<[#float]>,
        }

        #[automatically_derived]
        impl #gradients {
            /// All-zero gradients.
            pub fn zeros() -> Self {
                #gradients { __mlp_values: #rt::zeros(#param_count) }
            }

            /// The gradients in the flat parameter order.
            pub fn as_slice(&self) -> &[#float] {
                &self.__mlp_values
            }

            /// The gradients in the flat parameter order, mutably.
            pub fn as_mut_slice(&mut self) -> &mut [#float] {
                &mut self.__mlp_values
            }

            #gradient_views
        }

        #[automatically_derived]
        impl ::core::default::Default for #gradients {
            fn default() -> Self {
                Self::zeros()
            }
        }

        #[automatically_derived]
        impl ::core::clone::Clone for #name {
            fn clone(&self) -> Self {
                #name { __mlp_params: ::core::clone::Clone::clone(&self.__mlp_params) }
            }
        }

        #[automatically_derived]
        impl ::core::default::Default for #name {
            /// The same as [`Self::new`].
            fn default() -> Self {
                Self::new()
            }
        }

        #[automatically_derived]
        impl #name {
            /// A network with the weights of the spec's `init` section, drawn with its seed.
            pub fn new() -> Self {
                Self::with_seed(Self::__MLP_SEED)
            }

            /// A network initialised as the spec says, but with another seed.
            pub fn with_seed(seed: u64) -> Self {
                let mut params = #rt::zeros(#param_count);
                #rt::initialize(
                    &mut params,
                    &Self::__MLP_LAYOUT,
                    &Self::__MLP_WEIGHT_INIT,
                    Self::__MLP_BIAS_INIT,
                    seed,
                );
                #name { __mlp_params: params }
            }

            /// A network whose parameters are all zero.
            pub fn zeros() -> Self {
                #name { __mlp_params: #rt::zeros(#param_count) }
            }

            /// All-zero gradients for this network.
            pub fn gradients(&self) -> #gradients {
                #gradients::zeros()
            }

            #network_views
        }
    }
}

/// Typed views of each layer's weight and bias inside a flat buffer field.
fn views(model: &Model, field: TokenStream, mutable: bool) -> TokenStream {
    let rt = rt();
    let float = &model.float;
    let mut out = TokenStream::new();
    for layer in &model.layers {
        let (rows, cols) = (lit(layer.units), lit(layer.inputs));
        let weight_at = lit(layer.offset);
        let bias_at = lit(layer.offset + layer.inputs * layer.units);
        let weight = format_ident!("layer{}_weight", layer.index);
        let bias = format_ident!("layer{}_bias", layer.index);
        let weight_doc = format!(
            " Layer {}'s weight, {} x {} (`[out, in]` as `torch.nn.Linear`).",
            layer.index, layer.units, layer.inputs
        );
        let bias_doc = format!(
            " Layer {}'s bias, {}.",
            layer.index,
            plural(layer.units, "value")
        );
        out.extend(quote! {
            #[doc = #weight_doc]
            pub fn #weight(&self) -> #rt::nalgebra::SMatrixView<'_, #float, #rows, #cols> {
                #rt::matrix::<#float, #rows, #cols>(&self.#field, #weight_at)
            }

            #[doc = #bias_doc]
            pub fn #bias(&self) -> #rt::nalgebra::SVectorView<'_, #float, #rows> {
                #rt::vector::<#float, #rows>(&self.#field, #bias_at)
            }
        });
        if mutable {
            let weight_mut = format_ident!("layer{}_weight_mut", layer.index);
            let bias_mut = format_ident!("layer{}_bias_mut", layer.index);
            out.extend(quote! {
                #[doc = #weight_doc]
                pub fn #weight_mut(&mut self) -> #rt::nalgebra::SMatrixViewMut<'_, #float, #rows, #cols> {
                    #rt::matrix_mut::<#float, #rows, #cols>(&mut self.#field, #weight_at)
                }

                #[doc = #bias_doc]
                pub fn #bias_mut(&mut self) -> #rt::nalgebra::SVectorViewMut<'_, #float, #rows> {
                    #rt::vector_mut::<#float, #rows>(&mut self.#field, #bias_at)
                }
            });
        }
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}
