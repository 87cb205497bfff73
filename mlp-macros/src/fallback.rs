//! What is emitted when the spec cannot be compiled: the errors, and the user's struct
//! unchanged, so that the rest of the crate still resolves the name and the spec's own
//! errors are what the user sees.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::DeriveInput;

pub(crate) fn emit(strukt: &DeriveInput, error: syn::Error) -> TokenStream {
    let mut out = error.to_compile_error();
    // A unit struct keeps its name resolvable; anything else is echoed as written.
    let DeriveInput {
        attrs,
        vis,
        ident,
        generics,
        data,
    } = strukt;
    match data {
        syn::Data::Struct(_) => out.extend(quote::quote! {
            #(#attrs)* #vis struct #ident #generics;
        }),
        _ => strukt.to_tokens(&mut out),
    }
    out
}
