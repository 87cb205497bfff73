//! The `#[mlp(spec = "path/to/net.yaml")]` attribute.
//!
//! Use it through `mlp-runtime`, which re-exports it and provides everything the generated
//! code calls. The pipeline is one stage per module: `args` reads the attribute, `load`
//! finds, reads and validates the spec (with `mlp-spec`, so the dynamic engine applies the
//! same rules), `mlp-codegen` emits the network, and `fallback` keeps the user's struct
//! compiling when something fails, so that a bad spec shows its own errors and no cascade.
//!
//! The spec path is relative to the invoking crate's `CARGO_MANIFEST_DIR`. The environment
//! variable `MLP_SPEC_ROOT`, when set, replaces that directory; it exists for compile-fail
//! tests, which trybuild builds in a scratch crate of its own (dtolnay/trybuild#202).

mod args;
mod expand;
mod fallback;
mod load;
mod missing;
mod weights;

use proc_macro::TokenStream;

/// Whether the runtime has `std` (its `std` feature enables this crate's): training,
/// workspaces and heap parameters are generated only then.
const STD: bool = cfg!(feature = "std");

/// Compiles a YAML network spec into a statically typed network on the annotated unit
/// struct. See the `mlp-runtime` crate for what is generated.
#[proc_macro_attribute]
pub fn mlp(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::mlp(args.into(), item.into()).into()
}
