//! The implementations of the runtime's `Inference` and `Compiled` traits: the network's
//! constants, and its passes as calls of the runtime's layer API, one per layer and step,
//! unrolled, with every size and offset a constant. `Compiled` (training) is generated when
//! the runtime has `std`.

use mlp_spec::{Extras, Plan};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::Network;
use super::inherent::layers;
use super::tokens::{activation, head, lit, lit_f64};

/// `let lN = __mlp::Fixed::<I, O, C>::at(params, tape, function);` for every layer (the
/// function: its activation, or the head for the output layer; then `.decorated(..)` for a
/// layer with batch norm, dropout or a residual connection), and their names.
fn bind_layers(network: &Network) -> (Vec<TokenStream>, Vec<Ident>) {
    let plan = &network.plan;
    let functions = plan
        .hidden
        .iter()
        .map(|hidden| {
            let function = activation(hidden.activation);
            match &hidden.extras {
                Some(extras) => {
                    let extras = decorated(plan, extras);
                    (function, quote!(.decorated(#extras)))
                }
                None => (function, TokenStream::new()),
            }
        })
        .chain([(head(plan.head), TokenStream::new())]);
    let names: Vec<Ident> = (0..=plan.hidden.len())
        .map(|l| format_ident!("l{l}"))
        .collect();
    let bindings = layers(network)
        .iter()
        .zip(functions)
        .zip(&names)
        .map(|((layer, (function, extras)), name)| {
            let (i, o) = (lit(layer.inputs), lit(layer.units));
            let (params, tape) = (lit(layer.params), lit(layer.tape));
            quote!(let #name = __mlp::Fixed::<#i, #o, C>::at(#params, #tape, #function)#extras;)
        })
        .collect();
    (bindings, names)
}

/// The runtime's `Decorated` value of a layer's extras.
fn decorated(plan: &Plan, extras: &Extras) -> TokenStream {
    let norm = match extras.batch_norm {
        Some(norm) => {
            let (eps, momentum) = (lit_f64(norm.eps), lit_f64(norm.momentum));
            quote!(::core::option::Option::Some(__mlp::Norm { eps: #eps, momentum: #momentum }))
        }
        None => quote!(::core::option::Option::None),
    };
    let (residual, dropout) = (extras.residual, lit_f64(extras.dropout));
    let layer = Literal::u64_unsuffixed(extras.layer as u64);
    let (tape_units, extra_columns) = (lit(plan.tape_units), lit(plan.extra_columns));
    let (column, fixed) = (lit(extras.column), lit(extras.fixed));
    quote! {
        __mlp::Decorated {
            norm: #norm,
            residual: #residual,
            dropout: #dropout,
            layer: #layer,
            tape_units: #tape_units,
            extra_columns: #extra_columns,
            column: #column,
            fixed: #fixed,
        }
    }
}

pub(crate) fn generate(network: &Network) -> TokenStream {
    let plan = &network.plan;
    let dense = layers(network);
    let (bindings, names) = bind_layers(network);
    let output_binding = bindings.last().cloned();
    let bindings = quote!(#(#bindings)*);
    let (hidden, output) = names.split_at(names.len() - 1);
    let output = &output[0];
    // The backward pass goes down the layers: the gradient of each, and the delta of the
    // layer below it.
    let mut backward = quote!(#output.delta(tape, targets, pass.valid););
    let mut descend = quote!(#output.delta(tape, targets, valid););
    let rates = dense.iter().map(|layer| match layer.lr_scale {
        1.0 => quote!(lr),
        scale => {
            let scale = lit_f64(scale);
            quote!(lr * #scale)
        }
    });
    let steps: Vec<_> = names.iter().zip(rates).enumerate().rev().collect();
    for (index, (layer, lr)) in steps {
        backward.extend(quote!(#layer.gradients(params, inputs, tape, grads, pass);));
        if let Some(below) = index.checked_sub(1).map(|b| &names[b]) {
            backward.extend(quote!(#layer.propagate(&#below, params, tape, pass);));
            // The layer below's delta needs this layer's weights before their update.
            let pass = quote!(__mlp::Pass::eval(valid));
            descend.extend(quote!(#layer.propagate(&#below, params, tape, #pass);));
        }
        if index == 0 {
            descend.extend(quote!(#layer.descend_first(params, inputs, tape, scratch, #lr, held);));
        } else {
            descend.extend(quote!(#layer.descend(params, inputs, tape, scratch, #lr);));
        }
    }
    let descend = plan.fused_sgd.then(|| {
        quote! {
            #[inline(always)]
            fn descend<C: __mlp::DimName>(
                params: &mut [Self::Float],
                inputs: &[Self::Float],
                targets: __mlp::Targets<'_, Self::Float>,
                valid: usize,
                tape: &mut [Self::Float],
                scratch: &mut [Self::Float],
                lr: f64,
                held: ::core::option::Option<&mut __mlp::DeferredUpdate<Self::Float>>,
            ) {
                #bindings
                #descend
            }
        }
    });
    // One sample's forward pass in evaluation with its first layer called otherwise: an
    // on-line session's, whose first layer applies its held-back update (see
    // `mlp_spec::Plan::defers_first_update`), and a prediction's, whose first layer's product
    // runs on threads (see `mlp_spec::Plan::shared_product_parts`).
    let one_sample = |signature: TokenStream, first_call: TokenStream| {
        let (first, rest) = hidden
            .split_first()
            .expect("a plan that calls its first layer otherwise has a hidden layer");
        quote! {
            #[inline(always)]
            #signature {
                type C = __mlp::Const<1>;
                #bindings
                #first.#first_call;
                #(#rest.forward(params, inputs, tape, __mlp::Pass::eval(1));)*
                #output.forward_head(params, inputs, tape);
            }
        }
    };
    let forward_held = plan.defers_first_update.then(|| {
        one_sample(
            quote! {
                fn forward_held(
                    params: &mut [Self::Float],
                    inputs: &[Self::Float],
                    tape: &mut [Self::Float],
                    held: &mut __mlp::DeferredUpdate<Self::Float>,
                )
            },
            quote!(forward_held(params, inputs, tape, held)),
        )
    });
    let forward_shared = plan.shares_first_product().then(|| {
        one_sample(
            quote! {
                fn forward_shared(
                    params: &[Self::Float],
                    inputs: &[Self::Float],
                    tape: &mut [Self::Float],
                    shared: &__mlp::SharedProduct<Self::Float>,
                )
            },
            quote!(forward_shared(inputs, tape, shared)),
        )
    });
    // Only normalised layers have running statistics to update.
    let normalised: Vec<&Ident> = plan
        .hidden
        .iter()
        .zip(hidden)
        .filter(|(layer, _)| layer.extras.is_some_and(|e| e.batch_norm.is_some()))
        .map(|(_, name)| name)
        .collect();
    let update_statistics = (!normalised.is_empty()).then(|| {
        quote! {
            fn update_statistics<C: __mlp::DimName>(params: &mut [Self::Float], tape: &mut [Self::Float], valid: usize) {
                #bindings
                #(#normalised.update_statistics(params, tape, valid);)*
            }
        }
    });
    let (inference, training) = (inference_constants(network), training_constants(network));
    let name = network.name;
    let compiled = network.std.then(|| {
        quote! {
            #[automatically_derived]
            impl __mlp::Compiled for #name {
                #training
                #[inline(always)]
                fn loss<T: __mlp::Float, C: __mlp::DimName>(tape: &mut [T], targets: __mlp::Targets<'_, T>, valid: usize) -> T {
                    #output_binding
                    #output.loss(tape, targets, valid)
                }
                #[inline(always)]
                fn assures_finite_loss<T: __mlp::Float, C: __mlp::DimName>(tape: &mut [T], targets: __mlp::Targets<'_, T>, valid: usize) -> bool {
                    #output_binding
                    #output.assures_finite_loss(tape, targets, valid)
                }
                #[inline(always)]
                fn backward<T: __mlp::Float, C: __mlp::DimName>(
                    params: &[T],
                    inputs: &[T],
                    targets: __mlp::Targets<'_, T>,
                    tape: &mut [T],
                    grads: &mut [T],
                    pass: __mlp::Pass,
                ) {
                    #bindings
                    #backward
                }
                #descend
                #forward_held
                #forward_shared
                #update_statistics
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl __mlp::Inference for #name {
            #inference
            #[inline(always)]
            fn forward<T: __mlp::Float, C: __mlp::DimName>(params: &[T], inputs: &[T], tape: &mut [T], pass: __mlp::Pass) {
                #bindings
                #(#hidden.forward(params, inputs, tape, pass);)*
                #output.forward_head(params, inputs, tape);
            }
        }
        #compiled
    }
}

/// The implementation for a spec with errors: the constants of a placeholder network, and
/// passes that never run (the crate does not compile).
pub(crate) fn placeholder(network: &Network) -> TokenStream {
    let (inference, training) = (inference_constants(network), training_constants(network));
    let name = network.name;
    let compiled = network.std.then(|| {
        quote! {
            #[automatically_derived]
            impl __mlp::Compiled for #name {
                #training
                fn loss<T: __mlp::Float, C: __mlp::DimName>(_: &mut [T], _: __mlp::Targets<'_, T>, _: usize) -> T {
                    ::core::unreachable!("the spec has errors")
                }
                fn assures_finite_loss<T: __mlp::Float, C: __mlp::DimName>(_: &mut [T], _: __mlp::Targets<'_, T>, _: usize) -> bool {
                    ::core::unreachable!("the spec has errors")
                }
                fn backward<T: __mlp::Float, C: __mlp::DimName>(_: &[T], _: &[T], _: __mlp::Targets<'_, T>, _: &mut [T], _: &mut [T], _: __mlp::Pass) {
                    ::core::unreachable!("the spec has errors")
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl __mlp::Inference for #name {
            #inference
            fn forward<T: __mlp::Float, C: __mlp::DimName>(_: &[T], _: &[T], _: &mut [T], _: __mlp::Pass) {
                ::core::unreachable!("the spec has errors")
            }
        }
        #compiled
    }
}

/// The `Inference` trait's types and constants, and the parameters' accessor.
fn inference_constants(network: &Network) -> TokenStream {
    let Network {
        spec,
        plan,
        float,
        input_alias,
        output_alias,
        ..
    } = network;
    let (inputs, outputs) = (lit(spec.input), lit(spec.outputs()));
    let tape = lit(plan.tape_len(1));
    let (param_count, tape_units) = (lit(spec.param_count()), lit(plan.tape_units));
    // Only networks with batch norm, dropout or residual layers have scratch in their tape.
    let scratch = (plan.extra_columns + plan.extra_fixed > 0).then(|| {
        let (columns, fixed) = (lit(plan.extra_columns), lit(plan.extra_fixed));
        quote! {
            const EXTRA_COLUMNS: usize = #columns;
            const EXTRA_FIXED: usize = #fixed;
        }
    });
    quote! {
        type Float = #float;
        type Input = #input_alias;
        type Output = #output_alias;
        type Inputs = __mlp::Const<#inputs>;
        type Outputs = __mlp::Const<#outputs>;
        type SampleTape = [#float; #tape];
        const SAMPLE_TAPE: [#float; #tape] = [0.0; #tape];
        const PARAM_COUNT: usize = #param_count;
        const TAPE_UNITS: usize = #tape_units;
        #scratch
        fn buffer(&self) -> &[#float] {
            &self.__mlp_params
        }
    }
}

/// The `Compiled` trait's types and constants, and the parameters' other accessors.
fn training_constants(network: &Network) -> TokenStream {
    let Network {
        spec,
        plan,
        name,
        float,
        ..
    } = network;
    let (inputs, batch) = (lit(spec.input), lit(spec.batch_size));
    let segments = lit(spec.param_layout().len());
    let layers = spec.layers.iter().map(|layer| {
        let (units, scale) = (lit(layer.units), lit_f64(layer.lr_scale));
        let normalised = layer.batch_norm.is_some();
        quote!((#units, #scale, #normalised))
    });
    let reg = spec.regularization;
    let (l2, l1, bias) = (lit_f64(reg.l2), lit_f64(reg.l1), reg.bias);
    let fuses = plan.fused_sgd;
    let (shards, shard) = (lit(plan.shards.count), lit(plan.shards.size));
    let canonical = spec.canonical_yaml();
    let class_weights = spec
        .training
        .given_class_weights()
        .iter()
        .map(|&w| lit_f64(w));
    quote! {
        type Batch = __mlp::Const<#batch>;
        type Shard = __mlp::Const<#shard>;
        const LAYOUT: &'static [__mlp::ParamSegment] = &__mlp::dense_layout::<#segments>(#inputs, &[#(#layers),*]);
        const REGULARIZATION: __mlp::Regularization = __mlp::Regularization { l2: #l2, l1: #l1, bias: #bias };
        const FUSES_SGD: bool = #fuses;
        const SHARDS: usize = #shards;
        const SPEC_YAML: &'static str = #canonical;
        const CLASS_WEIGHTS: &'static [f64] = &[#(#class_weights),*];
        fn buffer_mut(&mut self) -> &mut [#float] {
            &mut self.__mlp_params
        }
        fn from_params(params: __mlp::Lines<#float>) -> Self {
            #name { __mlp_params: __mlp::Params::Owned(params) }
        }
    }
}
