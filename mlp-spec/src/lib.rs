//! The mlp spec format (version 1): parsing, validation and canonical form.
//!
//! A spec describes a multi-layer perceptron in YAML. [`parse`] checks every rule of the
//! format and reports *all* problems at once, each with its line and column and a hint on how
//! to fix it. The macro `#[mlp(spec = "...")]` and the dynamic engine both call it, so a spec
//! gets the same verdict and the same messages everywhere.
//!
//! ```
//! let spec = mlp_spec::parse(
//!     "input: 4\n\
//!      layers:\n  - {units: 16, activation: relu}\n  - {units: 3, activation: softmax}\n\
//!      loss: cross_entropy\n",
//! )
//! .unwrap();
//! assert_eq!(spec.param_count(), 4 * 16 + 16 + 16 * 3 + 3);
//! assert_eq!(spec.batch_size, 32); // the default
//!
//! let errors = mlp_spec::parse("input: 4\nlayers:\n  - {units: 3, activation: rleu}\nloss: mse\n")
//!     .unwrap_err();
//! assert_eq!(
//!     errors.to_string(),
//!     "3:28: unknown activation `rleu`\n  help: did you mean `relu`? activations: identity, \
//!      linear, sigmoid, tanh, fast_sigmoid, fast_tanh, relu, leaky_relu, elu, gelu, softplus, silu, softmax"
//! );
//! ```
//!
//! The full reference of keys, defaults and ranges is in the [`reference`](mod@reference) module.

#![deny(missing_docs)]

mod activation;
mod error;
mod ir;
mod layer;
mod layout;
mod loss;
mod optimizer;
mod parameter;
mod plan;
mod read;
pub mod reference;
mod search;
mod shards;
mod sizes;
mod summary;
mod validate;
mod yaml;

pub use activation::Activation;
pub use error::{Location, SpecError, SpecErrors};
pub use ir::search::{
    Axis, AxisValues, HIDDEN_LAYERS, MAX_TRIALS, Scoring, Search, SearchMethod, SearchMetric,
    is_run_time,
};
pub use ir::{
    ClassWeights, EarlyStopping, Init, InitScheme, MAX_THREADS, Monitor, Precision, Regularization,
    Schedule, ScheduleKind, ScheduleUnit, Spec, Training, Warmup,
};
pub use layer::{BatchNorm, Dense, Extras, Hidden, Layer};
pub use layout::{ParamRole, ParamSegment, dense_layout};
pub use loss::{ElementLoss, Head, Loss};
pub use optimizer::Optimizer;
pub use parameter::Parameter;
pub use plan::{DEFERRED_UNITS, DEFERRED_WEIGHTS, Plan, SHARED_PRODUCT_WEIGHTS};
pub use read::Engine;
pub use shards::{MIN_SHARD_WORK, MIN_SPLIT_UNITS, Shards};
pub use sizes::{StatedSizes, read_sizes};
pub use summary::{LayerSummary, MemoryShortfall, ModelSummary, counted};

/// Parses and validates a spec from YAML text.
///
/// # Errors
///
/// Returns every problem found: YAML syntax, unknown or missing keys, values out of range,
/// and combinations the format forbids. Each error carries the line and column it refers to.
pub fn parse(source: &str) -> Result<Spec, SpecErrors> {
    parse_for(source, Engine::Dynamic)
}

/// [`parse`] for the engine that will run the spec: for [`Engine::Compiled`] (`#[mlp]`), a
/// `search` section may only vary the hyper-parameters a compiled network takes at run time.
///
/// # Errors
///
/// As [`parse`], plus each searched key that changes the network's sizes, for
/// [`Engine::Compiled`].
pub fn parse_for(source: &str, engine: Engine) -> Result<Spec, SpecErrors> {
    let root = yaml::parse(source).map_err(|error| SpecErrors::new(vec![error]))?;
    let mut ctx = read::Ctx {
        engine,
        ..read::Ctx::default()
    };
    let spec = validate::spec(&root, &mut ctx);
    match spec {
        Some(spec) if ctx.issues.is_empty() => Ok(spec),
        _ => {
            let errors = ctx
                .issues
                .into_iter()
                .map(
                    |read::Issue {
                         path,
                         message,
                         help,
                     }| SpecError {
                        location: yaml::locate(source, &path),
                        message,
                        help,
                    },
                )
                .collect();
            Err(SpecErrors::new(errors))
        }
    }
}

impl Spec {
    /// The canonical form of the spec: YAML with every default written out, in a fixed key
    /// order. Two specs that mean the same network have the same canonical form, and parsing
    /// the canonical form gives the spec back.
    pub fn canonical_yaml(&self) -> String {
        yaml::to_string(self)
    }

    /// The layer sizes from the input to the output, as `784-128-10`.
    pub fn shape(&self) -> String {
        let sizes: Vec<String> = std::iter::once(self.input)
            .chain(self.layers.iter().map(|l| l.units))
            .map(|n| n.to_string())
            .collect();
        sizes.join("-")
    }
}

#[cfg(test)]
mod tests;

/// The SHA-256 of a text, in hex: what checkpoints record of their canonical spec
/// (`spec_sha256`), and what `#[mlp(weights = ...)]` compares it with.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
