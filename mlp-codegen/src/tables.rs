//! Constants: sizes, the footprint report, the parameter layout, and the spec's
//! initialisation and regularisation settings.

use mlp_spec::{InitScheme, ParamRole};
use proc_macro2::TokenStream;
use quote::quote;

use super::{Model, lit, lit_f64, rt};

fn scheme(scheme: InitScheme) -> TokenStream {
    let rt = rt();
    match scheme {
        InitScheme::Zeros => quote!(#rt::InitScheme::Zeros),
        InitScheme::Normal { std } => {
            let std = lit_f64(std);
            quote!(#rt::InitScheme::Normal { std: #std })
        }
        InitScheme::Uniform { limit } => {
            let limit = lit_f64(limit);
            quote!(#rt::InitScheme::Uniform { limit: #limit })
        }
        InitScheme::XavierUniform => quote!(#rt::InitScheme::XavierUniform),
        InitScheme::XavierNormal => quote!(#rt::InitScheme::XavierNormal),
        InitScheme::HeUniform => quote!(#rt::InitScheme::HeUniform),
        InitScheme::HeNormal => quote!(#rt::InitScheme::HeNormal),
        InitScheme::LecunNormal => quote!(#rt::InitScheme::LecunNormal),
    }
}

pub(crate) fn generate(model: &Model) -> TokenStream {
    let rt = rt();
    let spec = model.spec;
    let name = model.name;
    let bytes = spec.precision.bytes();
    let param_count = spec.param_count();
    let inputs = lit(spec.input);
    let outputs = lit(spec.outputs());
    let batch = lit(spec.batch_size);
    let count = lit(param_count);
    let param_bytes = lit(param_count * bytes);
    let optimizer_bytes = lit(spec.optimizer.state_buffers() * param_count * bytes);
    let activation_bytes = lit(spec.activation_scalars_per_sample() * spec.batch_size * bytes);
    let segments = spec.param_layout().into_iter().map(|segment| {
        let layer = lit(segment.layer);
        let role = match segment.role {
            ParamRole::Weight => quote!(#rt::ParamRole::Weight),
            ParamRole::Bias => quote!(#rt::ParamRole::Bias),
        };
        let (offset, rows, cols) = (lit(segment.offset), lit(segment.rows), lit(segment.cols));
        let lr_scale = lit_f64(segment.lr_scale);
        quote! {
            #rt::ParamSegment {
                layer: #layer,
                role: #role,
                offset: #offset,
                rows: #rows,
                cols: #cols,
                lr_scale: #lr_scale,
            }
        }
    });
    let segment_count = lit(2 * spec.layers.len());
    let layer_count = lit(spec.layers.len());
    let weight_init = spec
        .layers
        .iter()
        .map(|layer| scheme(spec.init.weights_for(&layer.activation)));
    let bias_init = scheme(spec.init.bias);
    let seed = spec.init.seed;
    let reg = spec.regularization;
    let (l2, l1, reg_bias) = (lit_f64(reg.l2), lit_f64(reg.l1), reg.bias);
    let canonical = spec.canonical_yaml();
    let optimizer_doc = format!(
        " Bytes of optimizer state for `{}` ({} buffer(s) the size of the parameters).",
        spec.optimizer.name(),
        spec.optimizer.state_buffers()
    );
    let activation_doc = format!(
        " Bytes of activations kept for one training batch of {} samples (pre-activations, \
         activations and deltas of every layer).",
        spec.batch_size
    );
    quote! {
        #[automatically_derived]
        impl #name {
            /// Number of input features.
            pub const INPUTS: usize = #inputs;
            /// Number of outputs.
            pub const OUTPUTS: usize = #outputs;
            /// The static batch size of the batched code (the spec's `batch_size`).
            pub const BATCH_SIZE: usize = #batch;
            /// Number of parameters (weights and biases).
            pub const PARAM_COUNT: usize = #count;
            /// Bytes of the parameters.
            pub const PARAM_BYTES: usize = #param_bytes;
            #[doc = #optimizer_doc]
            pub const OPTIMIZER_STATE_BYTES: usize = #optimizer_bytes;
            #[doc = #activation_doc]
            pub const ACTIVATION_BYTES: usize = #activation_bytes;

            const __MLP_LAYOUT: [#rt::ParamSegment; #segment_count] = [#(#segments),*];
            const __MLP_WEIGHT_INIT: [#rt::InitScheme; #layer_count] = [#(#weight_init),*];
            const __MLP_BIAS_INIT: #rt::InitScheme = #bias_init;
            const __MLP_SEED: u64 = #seed;
            const __MLP_REGULARIZATION: #rt::Regularization = #rt::Regularization {
                l2: #l2,
                l1: #l1,
                bias: #reg_bias,
            };
            const __MLP_SPEC_YAML: &'static str = #canonical;
        }
    }
}
