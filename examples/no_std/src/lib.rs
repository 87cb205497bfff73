//! Iris species on a device with no operating system and no heap: a `#![no_std]` library
//! whose network, `specs/iris.yaml`, has the trained weights of
//! `tests/weights/iris.safetensors` compiled in. Nothing here allocates or reads a file;
//! `Iris::READ_ONLY_BYTES` of weights sit in the binary, and a prediction uses
//! `Iris::INFERENCE_MUTABLE_BYTES` of stack.
//!
//! `cargo build -p mlp-no-std-example` builds it, and mlp-runtime, without `std` (CI does).

#![no_std]

use mlp_runtime::prelude::*;

/// Iris (4-16-16-3), with its trained weights in the binary.
#[mlp(
    spec = "../../specs/iris.yaml",
    weights = "../../tests/weights/iris.safetensors"
)]
pub struct Iris;

/// The species of a flower (0 setosa, 1 versicolor, 2 virginica) from its four measurements,
/// standardised as the checkpoint's `input_standardizer` says (the network was trained on
/// standardised inputs).
pub fn species(standardised: [f32; 4]) -> usize {
    let probabilities = Iris::trained().forward(&IrisInput::from(standardised));
    let mut best = 0;
    for (class, &p) in probabilities.iter().enumerate() {
        if p > probabilities[best] {
            best = class;
        }
    }
    best
}
