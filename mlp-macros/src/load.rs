//! Finds, reads and validates the spec, turning every problem into an error on the
//! `spec = "..."` literal whose message starts with `FILE:LINE:COL:`.

use std::path::PathBuf;

use mlp_spec::Spec;
use syn::LitStr;

/// The environment variable that replaces `CARGO_MANIFEST_DIR` as the base of spec paths.
/// For compile-fail tests only: trybuild compiles them in a scratch crate of its own.
const ROOT_OVERRIDE: &str = "MLP_SPEC_ROOT";

/// A validated spec and the absolute path it was read from.
pub(crate) struct Loaded {
    pub(crate) spec: Spec,
    pub(crate) path: PathBuf,
}

pub(crate) fn load(literal: &LitStr) -> syn::Result<Loaded> {
    let written = literal.value();
    let root = std::env::var_os(ROOT_OVERRIDE)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = root.join(&written);
    let source = std::fs::read_to_string(&path).map_err(|error| {
        let reason = match error.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            _ => error.to_string(),
        };
        syn::Error::new(
            literal.span(),
            format!(
                "cannot read spec file `{written}`: {reason}\n  \
                 help: the path is relative to the directory of this crate's Cargo.toml"
            ),
        )
    })?;
    let spec = mlp_spec::parse(&source).map_err(|errors| {
        errors
            .errors()
            .iter()
            .map(|error| syn::Error::new(literal.span(), error.render(&written)))
            .reduce(|mut all, next| {
                all.combine(next);
                all
            })
            .unwrap_or_else(|| syn::Error::new(literal.span(), "invalid spec"))
    })?;
    Ok(Loaded { spec, path })
}
