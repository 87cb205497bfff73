//! Code generation for `#[mlp(spec = "...")]`, one module per generated piece.
//!
//! `mlp-macros` calls [`generate`] on the annotated struct; the `mlp expand` command calls
//! [`expand_to_string`] to show a user the code their spec compiles to.
//!
//! Generated code is thin glue: it fixes every size and offset as a constant and calls the
//! runtime's unit-tested kernels through `::mlp_runtime::__private`. It is unrolled over
//! layers but never over matrix elements, so its size does not grow with the layer widths.

mod api;
mod fused;
mod network;
mod passes;
mod tables;
mod workspace;

use mlp_spec::{Activation, Loss, Spec};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use syn::DeriveInput;

#[cfg(test)]
mod golden;

/// Everything the generators share: names, the scalar type, and per-layer facts.
pub(crate) struct Model<'a> {
    pub(crate) spec: &'a Spec,
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
    pub(crate) tape: Ident,
    pub(crate) layers: Vec<LayerInfo>,
}

/// One layer's sizes and position in the flat buffer.
pub(crate) struct LayerInfo {
    pub(crate) index: usize,
    pub(crate) inputs: usize,
    pub(crate) units: usize,
    /// Offset of the weight; the bias follows it.
    pub(crate) offset: usize,
    pub(crate) activation: Activation,
    /// The layer's multiplier of the learning rate.
    pub(crate) lr_scale: f64,
}

impl LayerInfo {
    pub(crate) fn len(&self) -> usize {
        (self.inputs + 1) * self.units
    }

    pub(crate) fn z(&self) -> Ident {
        format_ident!("z{}", self.index)
    }

    pub(crate) fn a(&self) -> Ident {
        format_ident!("a{}", self.index)
    }

    pub(crate) fn d(&self) -> Ident {
        format_ident!("d{}", self.index)
    }
}

/// The path of the runtime's hidden module, written once.
pub(crate) fn rt() -> TokenStream {
    quote!(::mlp_runtime::__private)
}

pub(crate) fn lit(value: usize) -> Literal {
    Literal::usize_unsuffixed(value)
}

pub(crate) fn lit_f64(value: f64) -> Literal {
    Literal::f64_suffixed(value)
}

impl<'a> Model<'a> {
    fn new(item: &'a DeriveInput, spec: &'a Spec) -> Self {
        let name = &item.ident;
        let layout = spec.param_layout();
        let layers = spec
            .layers
            .iter()
            .enumerate()
            .map(|(index, layer)| LayerInfo {
                index,
                inputs: spec.layer_inputs(index),
                units: layer.units,
                offset: layout[2 * index].offset,
                activation: layer.activation,
                lr_scale: layer.lr_scale,
            })
            .collect();
        Model {
            spec,
            item,
            name,
            float: format_ident!("{}", spec.precision.type_name()),
            input_alias: format_ident!("{name}Input"),
            output_alias: format_ident!("{name}Output"),
            batch_input_alias: format_ident!("{name}BatchInput"),
            batch_output_alias: format_ident!("{name}BatchOutput"),
            gradients: format_ident!("{name}Gradients"),
            workspace: format_ident!("{name}Workspace"),
            tape: format_ident!("__Mlp{name}Tape"),
            layers,
        }
    }

    pub(crate) fn output(&self) -> &LayerInfo {
        self.layers
            .last()
            .expect("a validated spec has an output layer")
    }

    /// The runtime value of an element-wise (or softmax) activation.
    pub(crate) fn activation(&self, activation: Activation) -> TokenStream {
        let rt = rt();
        match activation {
            Activation::Identity => quote!(#rt::Identity),
            Activation::Sigmoid => quote!(#rt::Sigmoid),
            Activation::Tanh => quote!(#rt::Tanh),
            Activation::Relu => quote!(#rt::Relu),
            Activation::LeakyRelu { alpha } => {
                let alpha = lit_f64(alpha);
                quote!(#rt::LeakyRelu { alpha: #alpha })
            }
            Activation::Elu { alpha } => {
                let alpha = lit_f64(alpha);
                quote!(#rt::Elu { alpha: #alpha })
            }
            Activation::Gelu => quote!(#rt::Gelu),
            Activation::Softplus => quote!(#rt::Softplus),
            Activation::Softmax => quote!(#rt::Softmax),
        }
    }

    /// The runtime value of the output head. Cross-entropy, KL divergence and binary
    /// cross-entropy are fused with their activation (validation guarantees softmax,
    /// softmax and sigmoid); other losses chain after any activation.
    pub(crate) fn head(&self) -> TokenStream {
        let rt = rt();
        let element_loss = match self.spec.loss {
            Loss::CrossEntropy => return quote!(#rt::SoftmaxCrossEntropy),
            Loss::KlDiv => return quote!(#rt::SoftmaxKlDiv),
            Loss::Bce => return quote!(#rt::SigmoidBce),
            Loss::Mse => quote!(#rt::Mse),
            Loss::SumOfSquares => quote!(#rt::SumOfSquares),
            Loss::Mae => quote!(#rt::Mae),
            Loss::Huber { delta } => {
                let delta = lit_f64(delta);
                quote!(#rt::Huber { delta: #delta })
            }
            Loss::Hinge => quote!(#rt::Hinge),
        };
        let activation = self.activation(self.output().activation);
        quote!(#rt::Chain { activation: #activation, loss: #element_loss })
    }
}

/// Generates the whole expansion for `item` from `spec`; `tracked` is the absolute path of
/// the spec file, included as bytes so that Cargo rebuilds when it changes.
pub fn generate(item: &DeriveInput, spec: &Spec, tracked: &str) -> TokenStream {
    let model = Model::new(item, spec);
    let mut out = TokenStream::new();
    out.extend(network::generate(&model));
    out.extend(tables::generate(&model));
    out.extend(workspace::generate(&model));
    out.extend(passes::generate(&model));
    out.extend(fused::generate(&model));
    out.extend(api::generate(&model));
    out.extend(quote! {
        // Cargo does not track files a proc macro reads; including the bytes makes it
        // rebuild when the spec changes (proc_macro::tracked_path is unstable,
        // rust-lang/rust#73921).
        const _: &[u8] = ::core::include_bytes!(#tracked);
    });
    out
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
        syn::parse2(generate(&item, spec, spec_path)).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}
