//! The items a user names: the network struct, its sample and batch aliases, its workspace
//! alias and its gradient struct.

use mlp_spec::counted;
use proc_macro2::TokenStream;
use quote::quote;

use super::Network;
use super::tokens::lit;

pub(crate) fn generate(network: &Network) -> TokenStream {
    let Network {
        item,
        name,
        float,
        input_alias,
        output_alias,
        batch_input_alias,
        batch_output_alias,
        gradients,
        workspace,
        spec,
        ..
    } = network;
    let (vis, attrs) = (&item.vis, &item.attrs);
    let (inputs, outputs, batch) = (lit(spec.input), lit(spec.outputs()), lit(spec.batch_size));
    let summary = format!(
        " Compiled by `#[mlp]` from the spec: {} network, {} parameters, `{float}`, loss `{}`.",
        spec.shape(),
        spec.param_count(),
        spec.loss.name(),
    );
    let docs = [
        format!(
            " One input sample of [`{name}`]: {}.",
            counted(spec.input, "feature")
        ),
        format!(
            " One output (or target) sample of [`{name}`]: {}.",
            counted(spec.outputs(), "value")
        ),
        format!(
            " A batch of inputs of [`{name}`]: {} by {}, one sample per column.",
            counted(spec.input, "feature"),
            counted(spec.batch_size, "sample")
        ),
        format!(
            " A batch of outputs (or targets) of [`{name}`]: {} by {}.",
            counted(spec.outputs(), "value"),
            counted(spec.batch_size, "sample")
        ),
        format!(
            " Preallocated buffers for the passes of [`{name}`]; create one with \
             [`{name}::workspace`] and reuse it."
        ),
        format!(" Gradients of the parameters of [`{name}`], with the same shapes and flat order."),
    ];
    let [
        input_doc,
        output_doc,
        batch_input_doc,
        batch_output_doc,
        workspace_doc,
        gradients_doc,
    ] = docs;
    // A blank doc line between the user's docs and the summary, when there are user docs.
    let separator = (!attrs.is_empty()).then(|| quote!(#[doc = ""]));
    let rt = quote!(::mlp_runtime::__private);
    let training = network.std.then(|| {
        quote! {
            #[doc = #workspace_doc]
            #vis type #workspace = #rt::Workspace<#name>;
            #[doc = #gradients_doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
            #vis struct #gradients {
                __mlp_values: #rt::Box<[#float]>,
            }
        }
    });
    quote! {
        #(#attrs)*
        #separator
        #[doc = #summary]
        #[derive(::core::clone::Clone)]
        #vis struct #name {
            __mlp_params: #rt::Params<#float>,
        }
        #[doc = #input_doc]
        #vis type #input_alias = #rt::SVector<#float, #inputs>;
        #[doc = #output_doc]
        #vis type #output_alias = #rt::SVector<#float, #outputs>;
        #[doc = #batch_input_doc]
        #vis type #batch_input_alias = #rt::SMatrix<#float, #inputs, #batch>;
        #[doc = #batch_output_doc]
        #vis type #batch_output_alias = #rt::SMatrix<#float, #outputs, #batch>;
        #training
    }
}
