//! The network's own items: its constants and footprint report, its constructors, the typed
//! methods over the runtime's generic passes, and typed views of each layer's weight and bias,
//! for the network and for its gradients.

use mlp_spec::{Dense, ParamRole, counted};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Network;
use super::tokens::lit;

/// Every layer's product, in order.
pub(crate) fn layers(network: &Network) -> Vec<Dense> {
    let plan = &network.plan;
    plan.hidden
        .iter()
        .map(|hidden| hidden.dense)
        .chain([plan.output])
        .collect()
}

pub(crate) fn generate(network: &Network) -> TokenStream {
    let Network {
        spec,
        name,
        input_alias,
        output_alias,
        ..
    } = network;
    let (inputs, outputs, batch) = (lit(spec.input), lit(spec.outputs()), lit(spec.batch_size));
    let summary = spec.summary();
    let param_count = lit(summary.params);
    let param_bytes = lit(summary.param_bytes);
    let optimizer_bytes = lit(summary.optimizer_state_bytes);
    let activation_bytes = lit(summary.activation_bytes);
    let optimizer_doc = format!(
        " Bytes of optimizer state for `{}` ({} the size of the parameters).",
        spec.optimizer.name(),
        counted(spec.optimizer.state_buffers(), "buffer")
    );
    let activation_doc = format!(
        " Bytes of activations kept for one training batch of {} (pre-activations, \
         activations and deltas of every layer).",
        counted(spec.batch_size, "sample")
    );
    let shards_doc = format!(
        " The shards a training step splits its batch into, for threads (1: it does not \
         split). {}",
        spec.shards_decision()
    );
    let shards = lit(network.plan.shards.count);
    let online_doc = format!(
        " Whether an on-line session holds the first layer's weight update back.\n\n {}",
        network.plan.online_decision(spec.training.threads)
    );
    let defers = network.plan.defers_first_update;
    let shared_doc = format!(
        " Whether a one-sample prediction on more than one thread shares out the first \
         layer's product.\n\n {}",
        network.plan.prediction_decision()
    );
    let shares = network.plan.shares_first_product();
    let (network_views, _) = views(network, quote!(__mlp_params));
    let training = network.std.then(|| training_items(network));
    let trained = trained(network, summary.param_bytes);
    let scalar_bytes = spec.precision.bytes();
    let stack_bytes = lit(network.plan.tape_len(1) * scalar_bytes);
    let read_only_bytes = lit(if network.trained.is_some() {
        summary.param_bytes
    } else {
        0
    });
    quote! {
        #trained
        #[automatically_derived]
        impl #name {
            /// Number of input features.
            pub const INPUTS: usize = #inputs;
            /// Number of outputs.
            pub const OUTPUTS: usize = #outputs;
            /// The static batch size of the batched code (the spec's `batch_size`).
            pub const BATCH_SIZE: usize = #batch;
            #[doc = #shards_doc]
            pub const TRAINING_SHARDS: usize = #shards;
            #[doc = #online_doc]
            pub const ONLINE_DEFERS_FIRST_UPDATE: bool = #defers;
            #[doc = #shared_doc]
            pub const PREDICTION_SHARES_FIRST_PRODUCT: bool = #shares;
            /// Number of parameters (weights and biases; with batch norm, also its scales,
            /// shifts and running statistics).
            pub const PARAM_COUNT: usize = #param_count;
            /// Bytes of the parameters.
            pub const PARAM_BYTES: usize = #param_bytes;
            #[doc = #optimizer_doc]
            pub const OPTIMIZER_STATE_BYTES: usize = #optimizer_bytes;
            #[doc = #activation_doc]
            pub const ACTIVATION_BYTES: usize = #activation_bytes;
            /// Bytes of read-only data in the binary: the trained weights when they are
            /// compiled in (`weights = "..."`), else none.
            pub const READ_ONLY_BYTES: usize = #read_only_bytes;
            /// Bytes `forward` writes for one sample, all on the stack (the activations of
            /// every layer); it allocates nothing.
            pub const INFERENCE_MUTABLE_BYTES: usize = #stack_bytes;

            /// The output for one input. Allocation-free; needs no workspace.
            pub fn forward(&self, input: &#input_alias) -> #output_alias {
                __mlp::predict(self, input)
            }
            #network_views
        }

        #training
    }
}

/// What needs the runtime's `std`: heap constructors, workspaces, the training passes,
/// mutable views, the gradient type's methods.
#[allow(clippy::too_many_lines)] // One quote of the generated items.
fn training_items(network: &Network) -> TokenStream {
    let Network {
        spec,
        name,
        float,
        input_alias,
        output_alias,
        batch_input_alias,
        batch_output_alias,
        gradients,
        workspace,
        ..
    } = network;
    let (outputs, batch) = (lit(spec.outputs()), lit(spec.batch_size));
    let param_count = lit(spec.param_count());
    let (_, network_views_mut) = views(network, quote!(__mlp_params));
    let (gradient_views, _) = views(network, quote!(__mlp_values));
    quote! {
        #[automatically_derived]
        impl #name {
            /// A network with the weights of the spec's `init` section, drawn with its seed.
            pub fn new() -> Self {
                __mlp::new()
            }
            /// A network initialised as the spec says, but with another seed.
            pub fn with_seed(seed: u64) -> Self {
                __mlp::with_seed(seed)
            }
            /// A network whose parameters are all zero.
            pub fn zeros() -> Self {
                __mlp::zeros()
            }
            /// Allocates the buffers the passes need; reuse it across calls.
            pub fn workspace(&self) -> #workspace {
                __mlp::Model::workspace(self)
            }
            /// All-zero gradients for this network.
            pub fn gradients(&self) -> #gradients {
                #gradients::zeros()
            }
            /// The outputs for a batch, one sample per column. Allocation-free.
            pub fn forward_batch<'w>(
                &self,
                workspace: &'w mut #workspace,
                inputs: &#batch_input_alias,
            ) -> __mlp::SMatrixView<'w, #float, #outputs, #batch> {
                __mlp::forward_batch(self, workspace, inputs.as_slice())
            }
            /// The loss for one sample, regularisation included.
            pub fn loss(&self, workspace: &mut #workspace, input: &#input_alias, target: &#output_alias) -> #float {
                __mlp::loss(self, workspace, input, target)
            }
            /// The mean loss over a batch, regularisation included.
            pub fn loss_batch(
                &self,
                workspace: &mut #workspace,
                inputs: &#batch_input_alias,
                targets: &#batch_output_alias,
            ) -> #float {
                __mlp::loss(self, workspace, inputs, targets)
            }
            /// Writes the gradient of one sample's loss into `grads` and returns the loss.
            /// Allocation-free.
            pub fn backward(
                &self,
                workspace: &mut #workspace,
                input: &#input_alias,
                target: &#output_alias,
                grads: &mut #gradients,
            ) -> #float {
                __mlp::backward(self, workspace, input, target, &mut grads.__mlp_values)
            }
            /// Writes the gradient of the mean loss over a batch into `grads` and returns the
            /// loss. Allocation-free.
            pub fn backward_batch(
                &self,
                workspace: &mut #workspace,
                inputs: &#batch_input_alias,
                targets: &#batch_output_alias,
                grads: &mut #gradients,
            ) -> #float {
                __mlp::backward(self, workspace, inputs, targets, &mut grads.__mlp_values)
            }
            #network_views_mut
        }

        #[automatically_derived]
        impl ::core::default::Default for #name {
            /// The same as [`Self::new`].
            fn default() -> Self {
                Self::new()
            }
        }

        #[automatically_derived]
        impl #gradients {
            /// All-zero gradients.
            pub fn zeros() -> Self {
                #gradients { __mlp_values: __mlp::zero_values(#param_count) }
            }
            /// The gradients in the flat parameter order.
            pub fn as_slice(&self) -> &[#float] {
                &self.__mlp_values
            }
            /// The gradients in the flat parameter order, mutably.
            pub fn as_mut_slice(&mut self) -> &mut [#float] {
                &mut self.__mlp_values
            }
            #gradient_views
        }

        #[automatically_derived]
        impl ::core::default::Default for #gradients {
            fn default() -> Self {
                Self::zeros()
            }
        }
    }
}

/// Typed views of each tensor of the flat buffer field (each layer's weight and bias, or
/// its weight and batch norm's vectors): read-only, and mutable.
fn views(network: &Network, field: TokenStream) -> (TokenStream, TokenStream) {
    let float = &network.float;
    let (mut out, mut mutable) = (TokenStream::new(), TokenStream::new());
    for segment in network.spec.param_layout() {
        let (index, at) = (segment.layer, lit(segment.offset));
        let (rows, cols) = (lit(segment.rows), lit(segment.cols));
        let name = segment.role.name().replace('.', "_");
        let (view, view_mut) = (
            format_ident!("layer{index}_{name}"),
            format_ident!("layer{index}_{name}_mut"),
        );
        let values = counted(segment.rows, "value");
        let doc = match segment.role {
            ParamRole::Weight => format!(
                " Layer {index}'s weight, {} x {} (`[out, in]` as `torch.nn.Linear`).",
                segment.rows, segment.cols
            ),
            ParamRole::Bias => format!(" Layer {index}'s bias, {values}."),
            ParamRole::NormWeight => {
                format!(" Layer {index}'s batch norm scale (gamma), {values}.")
            }
            ParamRole::NormBias => format!(" Layer {index}'s batch norm shift (beta), {values}."),
            ParamRole::RunningMean => {
                format!(" Layer {index}'s batch norm running mean, {values}.")
            }
            ParamRole::RunningVar => {
                format!(" Layer {index}'s batch norm running variance, {values}.")
            }
        };
        if segment.role == ParamRole::Weight {
            out.extend(quote! {
                #[doc = #doc]
                pub fn #view(&self) -> __mlp::SMatrixView<'_, #float, #rows, #cols> {
                    __mlp::matrix(&self.#field, #at)
                }
            });
            mutable.extend(quote! {
                #[doc = #doc]
                pub fn #view_mut(&mut self) -> __mlp::SMatrixViewMut<'_, #float, #rows, #cols> {
                    __mlp::matrix_mut(&mut self.#field, #at)
                }
            });
        } else {
            out.extend(quote! {
                #[doc = #doc]
                pub fn #view(&self) -> __mlp::SVectorView<'_, #float, #rows> {
                    __mlp::vector(&self.#field, #at)
                }
            });
            mutable.extend(quote! {
                #[doc = #doc]
                pub fn #view_mut(&mut self) -> __mlp::SVectorViewMut<'_, #float, #rows> {
                    __mlp::vector_mut(&mut self.#field, #at)
                }
            });
        }
    }
    (out, mutable)
}

/// With compiled-in weights: the static array of their values and the constructor that
/// borrows it, so that the network needs no heap.
fn trained(network: &Network, param_bytes: usize) -> TokenStream {
    let Some(bits) = network.trained else {
        return TokenStream::new();
    };
    let Network { name, float, .. } = network;
    let count = lit(bits.len());
    let values = bits.iter().map(|&b| match network.spec.precision {
        mlp_spec::Precision::F32 => {
            let bits = proc_macro2::Literal::u32_suffixed(b as u32);
            quote!(#float::from_bits(#bits))
        }
        mlp_spec::Precision::F64 => {
            let bits = proc_macro2::Literal::u64_suffixed(b);
            quote!(#float::from_bits(#bits))
        }
    });
    let doc = format!(
        " The network with the trained weights compiled into the binary ({param_bytes} bytes \
         of read-only data): nothing is allocated, nothing is read at run time."
    );
    quote! {
        static __MLP_TRAINED: [#float; #count] = [#(#values),*];

        #[automatically_derived]
        impl #name {
            #[doc = #doc]
            pub fn trained() -> Self {
                #name { __mlp_params: __mlp::Params::Static(&__MLP_TRAINED) }
            }
        }
    }
}
