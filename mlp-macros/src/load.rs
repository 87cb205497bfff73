//! Finds, reads and validates the spec, turning every problem into an error on the
//! `spec = "..."` literal whose message starts with `FILE:LINE:COL:`.

use std::path::PathBuf;

use mlp_spec::{Spec, StatedSizes};

use crate::missing;
use syn::LitStr;

/// The environment variable that replaces `CARGO_MANIFEST_DIR` as the base of spec paths.
/// For compile-fail tests only: trybuild compiles them in a scratch crate of its own.
const ROOT_OVERRIDE: &str = "MLP_SPEC_ROOT";

/// A validated spec and the absolute path it was read from.
pub(crate) struct Loaded {
    pub(crate) spec: Spec,
    pub(crate) path: PathBuf,
}

/// A spec that could not be loaded: the errors, and the sizes its text states.
pub(crate) struct Failed {
    pub(crate) error: syn::Error,
    pub(crate) sizes: StatedSizes,
}

/// The directory paths of the attribute are relative to: the crate's, where its
/// `Cargo.toml` is.
fn root() -> PathBuf {
    std::env::var_os(ROOT_OVERRIDE)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Why a file of the attribute could not be read, and help: what the path may have meant
/// (see [`missing::hint`]), that it is relative to the crate's directory, and `more`.
pub(crate) fn unreadable(error: &std::io::Error, written: &str, more: &str) -> String {
    let relative = "the path is relative to the directory of this crate's Cargo.toml";
    match error.kind() {
        std::io::ErrorKind::NotFound => match missing::hint(&root(), written) {
            Some(meant) => format!("no such file\n  help: {meant} ({relative}){more}"),
            None => format!("no such file\n  help: {relative}{more}"),
        },
        _ => format!("{error}\n  help: {relative}{more}"),
    }
}

/// A path of the attribute, relative to the crate's `Cargo.toml`.
pub(crate) fn resolve(written: &str) -> PathBuf {
    root().join(written)
}

pub(crate) fn load(literal: &LitStr) -> Result<Loaded, Failed> {
    let written = literal.value();
    let path = resolve(&written);
    let source = std::fs::read_to_string(&path).map_err(|error| {
        let error = syn::Error::new(
            literal.span(),
            format!(
                "cannot read spec file `{written}`: {}",
                unreadable(&error, &written, "")
            ),
        );
        Failed {
            error,
            sizes: StatedSizes::default(),
        }
    })?;
    let spec = mlp_spec::parse_for(&source, mlp_spec::Engine::Compiled).map_err(|errors| {
        let error = errors
            .errors()
            .iter()
            .map(|error| syn::Error::new(literal.span(), error.render(&written)))
            .reduce(|mut all, next| {
                all.combine(next);
                all
            })
            .unwrap_or_else(|| syn::Error::new(literal.span(), "invalid spec"));
        Failed {
            error,
            sizes: mlp_spec::read_sizes(&source),
        }
    })?;
    Ok(Loaded { spec, path })
}
