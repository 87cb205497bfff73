//! The workspace: preallocated heap buffers for the activations of a single sample and of a
//! full batch, so that batched passes and training steps allocate nothing.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Model, lit, rt};

pub(crate) fn generate(model: &Model) -> TokenStream {
    let rt = rt();
    let Model {
        item,
        name,
        float,
        workspace,
        tape,
        ..
    } = model;
    let vis = &item.vis;
    let batch = lit(model.spec.batch_size);
    let inputs = lit(model.spec.input);
    let fields: Vec<_> = model
        .layers
        .iter()
        .flat_map(|layer| {
            let units = lit(layer.units);
            [layer.z(), layer.a(), layer.d()]
                .map(|field| quote!(#field: #rt::HeapMatrix<T, #units, C>))
        })
        .collect();
    let names: Vec<_> = model
        .layers
        .iter()
        .flat_map(|layer| [layer.z(), layer.a(), layer.d()])
        .collect();
    let doc = format!(
        " Preallocated buffers for the batched passes of [`{name}`]; create one with \
         [`{name}::workspace`] and reuse it."
    );
    quote! {
        /// Pre-activations `z`, activations `a` and deltas `d` of every layer for `C` samples.
        #[doc(hidden)]
        #vis struct #tape<T, const C: usize> {
            #(#fields,)*
        }

        #[automatically_derived]
        impl<T: #rt::Float, const C: usize> #tape<T, C> {
            fn __mlp_new() -> Self {
                #tape { #(#names: #rt::HeapMatrix::zeros(),)* }
            }
        }

        #[doc = #doc]
        #vis struct #workspace {
            __mlp_single: #tape<#float, 1>,
            __mlp_batch: #tape<#float, #batch>,
            /// Inputs of a partial batch, padded with zero columns to the full batch size.
            __mlp_padded: #rt::HeapMatrix<#float, #inputs, #batch>,
        }

        #[automatically_derived]
        impl #name {
            /// Allocates the buffers the batched passes need; reuse it across calls.
            pub fn workspace(&self) -> #workspace {
                #workspace {
                    __mlp_single: #tape::__mlp_new(),
                    __mlp_batch: #tape::__mlp_new(),
                    __mlp_padded: #rt::HeapMatrix::zeros(),
                }
            }
        }
    }
}
