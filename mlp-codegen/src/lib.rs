//! Code generation for `#[mlp(spec = "...")]`, one module per generated piece.
//!
//! `mlp-macros` calls [`generate`] on the annotated struct (and [`generate_placeholder`] when
//! the spec has errors); the `mlp expand` command calls [`expand_to_string`] to show a user
//! the code their spec compiles to.
//!
//! Generated code keeps only what the spec decides: the struct, its aliases, constants and
//! typed per-layer views, and the sequence of calls of each pass, unrolled over layers with
//! every size a constant. Everything that is the same in every network is generic code in the
//! runtime, reached through `::mlp_runtime::__private`; the spec's plan
//! ([`mlp_spec::Spec::plan`]) decides every call.

mod compiled;
mod declarations;
mod inherent;
mod tokens;

use mlp_spec::{Plan, Spec, StatedSizes};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::DeriveInput;

#[cfg(test)]
mod golden;

/// What the generators share: the spec, its plan, and the names of the generated items.
pub(crate) struct Network<'a> {
    pub(crate) spec: &'a Spec,
    pub(crate) plan: Plan,
    pub(crate) item: &'a DeriveInput,
    pub(crate) name: &'a Ident,
    /// The scalar type, `f32` or `f64`.
    pub(crate) float: Ident,
    pub(crate) input_alias: Ident,
    pub(crate) output_alias: Ident,
    pub(crate) batch_input_alias: Ident,
    pub(crate) batch_output_alias: Ident,
    pub(crate) gradients: Ident,
    pub(crate) workspace: Ident,
    /// The bit patterns of trained weights compiled in (`weights = "..."`), if any.
    pub(crate) trained: Option<&'a [u64]>,
    /// Whether the runtime has `std`: training, workspaces and heap parameters are generated
    /// only then.
    pub(crate) std: bool,
}

/// Trained weights to compile into a network (`#[mlp(spec = "...", weights = "...")]`).
pub struct Weights {
    /// The checkpoint's absolute path, included as bytes so that Cargo rebuilds when it
    /// changes.
    pub path: String,
    /// The parameters in the network's flat order, as `f32::to_bits` (widened) or
    /// `f64::to_bits` of the spec's precision.
    pub bits: Vec<u64>,
}

impl<'a> Network<'a> {
    fn new(item: &'a DeriveInput, spec: &'a Spec, trained: Option<&'a [u64]>, std: bool) -> Self {
        let name = &item.ident;
        Network {
            spec,
            plan: spec.plan(),
            item,
            name,
            float: format_ident!("{}", spec.precision.type_name()),
            input_alias: format_ident!("{name}Input"),
            output_alias: format_ident!("{name}Output"),
            batch_input_alias: format_ident!("{name}BatchInput"),
            batch_output_alias: format_ident!("{name}BatchOutput"),
            gradients: format_ident!("{name}Gradients"),
            workspace: format_ident!("{name}Workspace"),
            trained,
            std,
        }
    }
}

/// Generates the whole expansion for `item` from `spec`, with `weights` compiled in if
/// given; `tracked` is the absolute path of the spec file, included as bytes so that Cargo
/// rebuilds when it changes (as is the weights file). Without `std` (a runtime built without
/// it), only inference is generated.
pub fn generate(
    item: &DeriveInput,
    spec: &Spec,
    tracked: &str,
    weights: Option<&Weights>,
    std: bool,
) -> TokenStream {
    let network = Network::new(item, spec, weights.map(|w| &w.bits[..]), std);
    let mut out = expand(&network, compiled::generate(&network));
    let files = std::iter::once(tracked).chain(weights.map(|w| w.path.as_str()));
    out.extend(quote! {
        // Cargo does not track files a proc macro reads; including the bytes makes it
        // rebuild when they change (proc_macro::tracked_path is unstable,
        // rust-lang/rust#73921).
        #(const _: &[u8] = ::core::include_bytes!(#files);)*
    });
    out
}

/// What `item` expands to when its spec has errors: the same items as [`generate`] (struct,
/// aliases, constructors, typed methods, trait implementations) for a one-layer network of
/// the sizes the spec gives, with passes that never run, so that code using the network sees
/// only the spec's own errors, not a cascade of unresolved names. With `trained`, it declares
/// the constructor of compiled-in weights too (of zeros).
pub fn generate_placeholder(
    item: &DeriveInput,
    sizes: StatedSizes,
    trained: bool,
    std: bool,
) -> TokenStream {
    let size = |value: Option<usize>| value.filter(|&n| (1..=1 << 20).contains(&n)).unwrap_or(1);
    let yaml = format!(
        "input: {}\nlayers: [{{units: {}}}]\nloss: mse\nbatch_size: {}\nprecision: {}\n",
        size(sizes.input),
        size(sizes.outputs),
        size(sizes.batch_size),
        if sizes.f64 { "f64" } else { "f32" },
    );
    let spec = mlp_spec::parse(&yaml).expect("the placeholder spec is valid");
    let zeros = vec![0; spec.param_count()];
    let network = Network::new(item, &spec, trained.then_some(&zeros[..]), std);
    expand(&network, compiled::placeholder(&network))
}

/// Every generated item, with the implementation of the runtime's `Compiled` trait given.
fn expand(network: &Network, compiled: TokenStream) -> TokenStream {
    let declarations = declarations::generate(network);
    let inherent = inherent::generate(network);
    quote! {
        #declarations
        const _: () = {
            use ::mlp_runtime::__private as __mlp;
            #inherent
            #compiled
        };
    }
}

/// The code `#[mlp(spec = "<spec_path>")] pub struct <name>;` expands to, formatted.
///
/// # Errors
///
/// If `name` is not a Rust identifier.
#[cfg(feature = "pretty")]
pub fn expand_to_string(name: &str, spec: &Spec, spec_path: &str) -> Result<String, String> {
    let name: Ident =
        syn::parse_str(name).map_err(|e| format!("`{name}` is not a Rust identifier: {e}"))?;
    let item: DeriveInput = syn::parse_quote! {
        pub struct #name;
    };
    let file: syn::File =
        syn::parse2(generate(&item, spec, spec_path, None, true)).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}
