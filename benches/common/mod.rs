//! What both benchmark programs share: the networks, their data, a training step, and the
//! plain nalgebra network they are compared with.

use std::hint::black_box;

use mlp_runtime::prelude::*;

pub mod baseline;
mod data;

use baseline::Baseline;
pub use data::{BATCHES, batches};

/// The inputs of the `BATCHES` one-sample batches: the inference benchmarks cycle through
/// them as the training steps cycle through their batches (and as RTNeural's runs in
/// `scripts/peers/rtneural_infer.cpp` cycle through 16 inputs of their own).
pub fn single_inputs(inputs: usize, outputs: usize) -> Vec<Vec<f32>> {
    batches(inputs, outputs, 1)
        .into_iter()
        .map(|(x, _)| x)
        .collect()
}

/// One training step per call, cycling through `data`.
pub fn stepper<'a, M: Model<Float = f32>>(
    model: &'a mut M,
    data: &'a [(Vec<f32>, Vec<f32>)],
    count: usize,
) -> impl FnMut() + 'a {
    let mut trainer = Trainer::new(model);
    let mut next = 0;
    move || {
        let (x, y) = &data[next % BATCHES];
        next += 1;
        black_box(
            trainer
                .step(model, black_box(x), black_box(y), count)
                .expect("finite"),
        );
    }
}

/// One sample's training step per call in an on-line session of `trainer` on `model`
/// ([`Trainer::online`]), cycling through `data`'s one-sample batches.
pub fn session_stepper<'a, M: Model<Float = f32>>(
    trainer: &'a mut Trainer<M>,
    model: &'a mut M,
    data: &'a [(Vec<f32>, Vec<f32>)],
) -> impl FnMut() + 'a {
    let mut session = trainer.online(model);
    let mut next = 0;
    move || {
        let (x, y) = &data[next % BATCHES];
        next += 1;
        black_box(session.step(black_box(x), black_box(y)).expect("finite"));
    }
}

/// One SGD step of the plain nalgebra network per call, cycling through `data`.
pub fn baseline_stepper<'a>(
    baseline: &'a mut Baseline,
    data: &'a [(Vec<f32>, Vec<f32>)],
) -> impl FnMut() + 'a {
    let mut next = 0;
    move || {
        let (x, y) = &data[next % BATCHES];
        next += 1;
        black_box(baseline.step(black_box(x), black_box(y)));
    }
}

/// Declares the benchmark networks (compiled from `benches/specs`) and calls
/// `$run::<Network>($context, name, yaml)` for each.
#[macro_export]
macro_rules! for_each_network {
    ($run:ident, $context:expr) => {
        $crate::for_each_network!(@networks $run, $context;
            xor: "benches/specs/xor.yaml";
            iris: "benches/specs/iris.yaml";
            digits: "benches/specs/digits.yaml";
            breast_cancer: "benches/specs/breast_cancer.yaml";
            mnist: "benches/specs/mnist.yaml";
            wide: "benches/specs/wide.yaml";
            lenet: "benches/specs/lenet.yaml";
        )
    };
    (@networks $run:ident, $context:expr; $($name:ident: $file:literal;)*) => {{
        $(
            #[mlp_runtime::mlp(spec = $file)]
            #[allow(non_camel_case_types)]
            struct $name;
            $run::<$name>(
                $context,
                stringify!($name),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $file)),
            );
        )*
    }};
}
