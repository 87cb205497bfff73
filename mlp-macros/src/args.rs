//! Parses the attribute's arguments: `spec = "path/to/net.yaml"` and, optionally,
//! `weights = "path/to/model.safetensors"`.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, MetaNameValue, Token};

const USAGE: &str = "expected `#[mlp(spec = \"path/to/net.yaml\")]`, or with trained weights \
                     `#[mlp(spec = \"net.yaml\", weights = \"model.safetensors\")]`";

/// The parsed arguments.
pub(crate) struct Args {
    /// The spec path as written, kept for its span and its text.
    pub(crate) spec: LitStr,
    /// The path of a checkpoint whose weights are compiled in, as written.
    pub(crate) weights: Option<LitStr>,
}

pub(crate) fn parse(args: TokenStream, attribute_span: proc_macro2::Span) -> syn::Result<Args> {
    let pairs = Punctuated::<MetaNameValue, Token![,]>::parse_terminated
        .parse2(args)
        .map_err(|e| syn::Error::new(e.span(), format!("{e}: {USAGE}")))?;
    let (mut spec, mut weights) = (None, None);
    for pair in pairs {
        let slot = if pair.path.is_ident("spec") {
            &mut spec
        } else if pair.path.is_ident("weights") {
            &mut weights
        } else {
            let name = quote::ToTokens::to_token_stream(&pair.path).to_string();
            return Err(syn::Error::new_spanned(
                &pair.path,
                format!("unknown argument `{name}`; {USAGE}"),
            ));
        };
        let key = if pair.path.is_ident("spec") {
            "spec"
        } else {
            "weights"
        };
        match pair.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(path),
                ..
            }) if slot.is_none() => *slot = Some(path),
            Expr::Lit(ExprLit {
                lit: Lit::Str(path),
                ..
            }) => {
                return Err(syn::Error::new(
                    path.span(),
                    format!("`{key}` is given twice"),
                ));
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    format!("the {key} path must be a string literal; {USAGE}"),
                ));
            }
        }
    }
    let spec =
        spec.ok_or_else(|| syn::Error::new(attribute_span, format!("missing `spec`; {USAGE}")))?;
    Ok(Args { spec, weights })
}
