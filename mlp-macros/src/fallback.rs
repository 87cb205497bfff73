//! What is emitted when the spec cannot be compiled: the errors, and as much of the network
//! as can be declared, so that the rest of the crate still resolves its names and the spec's
//! own errors are what the user sees (thiserror and serde_derive do the same).

use mlp_spec::StatedSizes;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::DeriveInput;

/// The errors and the whole API of a network of the sizes the spec states: struct, aliases,
/// constructors (`trained()` too when weights were asked for), typed methods and trait
/// implementations, whose passes never run.
pub(crate) fn placeholder(
    strukt: &DeriveInput,
    error: syn::Error,
    sizes: StatedSizes,
    trained: bool,
) -> TokenStream {
    let mut out = error.to_compile_error();
    out.extend(mlp_codegen::generate_placeholder(
        strukt,
        sizes,
        trained,
        crate::STD,
    ));
    out
}

/// The error and the item as written, for an item that is not a network's unit struct.
pub(crate) fn echo(strukt: &DeriveInput, error: syn::Error) -> TokenStream {
    let mut out = error.to_compile_error();
    let DeriveInput {
        attrs,
        vis,
        ident,
        generics,
        data,
    } = strukt;
    match data {
        // A struct keeps its name resolvable.
        syn::Data::Struct(_) => out.extend(quote::quote! {
            #(#attrs)* #vis struct #ident #generics;
        }),
        _ => strukt.to_tokens(&mut out),
    }
    out
}
