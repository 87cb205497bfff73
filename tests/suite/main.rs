//! The workspace's integration tests, in one binary (one link instead of one per file).

mod common;
// What the real-data examples share: data files and a held-out training run.
#[path = "../../examples/common/mod.rs"]
mod examples;
// Forward outputs, losses and gradients against PyTorch reference runs.
mod oracle;
// Forward pass of a small network against values computed by hand.
mod forward;
// Backward pass against finite differences, for every activation and output/loss pair.
mod gradcheck;
// Held-out accuracy of the real-data examples.
mod accuracy;
// The trainer: epochs, batches, determinism, divergence, stopping.
mod training;
// Data-parallel steps: the same bits on any number of threads.
mod threads;
// On-line sessions: a held-back first update gives the bits of single steps.
mod online;
// One-sample predictions whose first product is shared out to threads: the bits of one.
mod shared;
// Hyper-parameter search with compiled networks, and the spec `mlp tune` writes.
mod search;
// ONNX export against an independent runtime.
mod onnx;
// Trained weights compiled into the binary.
mod weights;
// Checkpoints: round trips, resumption, errors, damaged files, PyTorch layout.
mod checkpoint;
// The compiled and dynamic engines agree on every spec.
mod parity;
// XOR is learned from every seed.
mod xor;
// A 784-128-10 network runs on a thread with a 2 MB stack.
mod large;
// No two modules of a crate depend on each other.
mod modules;
// The benches' plain nalgebra network computes what the engines compute.
mod baseline;
