//! Orchestration: arguments, then the spec, then code generation; any error goes to the
//! fallback.

use mlp_spec::StatedSizes;
use proc_macro2::{Span, TokenStream};
use syn::DeriveInput;

use crate::{args, fallback, load, weights};

pub(crate) fn mlp(args: TokenStream, item: TokenStream) -> TokenStream {
    let strukt: DeriveInput = match syn::parse2(item.clone()) {
        Ok(strukt) => strukt,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[mlp] goes on a unit struct, such as `pub struct Net;`",
            );
            let mut out = error.to_compile_error();
            out.extend(item);
            return out;
        }
    };
    if let Err(error) = check_unit_struct(&strukt) {
        return fallback::echo(&strukt, error);
    }
    let args = match args::parse(args, Span::call_site()) {
        Ok(args) => args,
        Err(error) => {
            return fallback::placeholder(&strukt, error, StatedSizes::default(), false);
        }
    };
    let trained = args.weights.is_some();
    let loaded = match load::load(&args.spec) {
        Ok(loaded) => loaded,
        Err(failed) => return fallback::placeholder(&strukt, failed.error, failed.sizes, trained),
    };
    let weights = match args
        .weights
        .as_ref()
        .map(|w| weights::load(w, &loaded.spec))
    {
        None => None,
        Some(Ok(weights)) => Some(weights),
        Some(Err(error)) => {
            let spec = &loaded.spec;
            let sizes = StatedSizes {
                input: Some(spec.input),
                outputs: Some(spec.outputs()),
                batch_size: Some(spec.batch_size),
                f64: spec.precision == mlp_spec::Precision::F64,
            };
            return fallback::placeholder(&strukt, error, sizes, true);
        }
    };
    let tracked = loaded.path.to_string_lossy().into_owned();
    mlp_codegen::generate(
        &strukt,
        &loaded.spec,
        &tracked,
        weights.as_ref(),
        crate::STD,
    )
}

fn check_unit_struct(strukt: &DeriveInput) -> syn::Result<()> {
    let fields = match &strukt.data {
        syn::Data::Struct(data) => &data.fields,
        _ => {
            return Err(syn::Error::new_spanned(
                &strukt.ident,
                "#[mlp] goes on a unit struct, such as `pub struct Net;`",
            ));
        }
    };
    if !matches!(fields, syn::Fields::Unit) {
        return Err(syn::Error::new_spanned(
            fields,
            "#[mlp] needs a unit struct: its fields are generated from the spec; write `struct Net;`",
        ));
    }
    if !strukt.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &strukt.generics,
            "#[mlp] networks cannot be generic: every size comes from the spec",
        ));
    }
    Ok(())
}
