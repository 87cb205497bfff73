//! **mlp**: a model-spec compiler for multi-layer perceptrons.
//!
//! This facade re-exports [`mlp_runtime`], the crate user code depends on; it hosts the
//! workspace's examples and benchmarks. Generated code refers to `::mlp_runtime`, so depend
//! on `mlp-runtime` directly.

pub use mlp_runtime::*;

/// The README's Rust examples, compiled (and the first one run) as doc tests, so that what it
/// shows stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
