//! What a hidden layer may compute besides `act(W x + b)`: batch normalisation, dropout and a
//! residual connection, and the mode of a pass, which decides how the first two behave.

/// Whether a pass trains or evaluates, as PyTorch's `module.train()` / `module.eval()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Inference: batch normalisation uses its running statistics, dropout does nothing.
    /// Forward passes and predictions always evaluate.
    Eval,
    /// Training: batch normalisation uses the batch's statistics, and dropout zeroes units
    /// by masks drawn from `seed` (the same seed, the same masks).
    Train {
        /// The seed of the pass's dropout masks.
        seed: u64,
    },
}

/// What a pass tells its layers: the mode, and how many of its columns are samples (a
/// partial batch is padded to the full batch size; statistics ignore the padding). Used by
/// generated code. Not public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass {
    /// Training or evaluation.
    pub mode: Mode,
    /// The columns that hold samples.
    pub valid: usize,
}

impl Pass {
    /// An evaluation of `valid` samples.
    pub const fn eval(valid: usize) -> Self {
        Pass {
            mode: Mode::Eval,
            valid,
        }
    }

    /// Whether the pass trains.
    #[inline(always)]
    pub fn training(&self) -> bool {
        matches!(self.mode, Mode::Train { .. })
    }
}

/// `torch.nn.BatchNorm1d`'s constants for one layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Norm {
    /// Added to the variance before its square root.
    pub eps: f64,
    /// The weight of a batch's statistics in the running ones.
    pub momentum: f64,
}

/// A hidden layer's batch normalisation, residual connection and dropout, and where its
/// scratch lives in the tape (see `mlp_spec::Extras`, whose fields these are).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decorated {
    /// Batch normalisation, if the layer has it.
    pub norm: Option<Norm>,
    /// Whether the layer adds its input to its output.
    pub residual: bool,
    /// The dropout probability (0 for none).
    pub dropout: f64,
    /// The layer's index, which keeps its masks apart from other layers'.
    pub layer: u64,
    /// Units of every layer of the network: scratch starts after their blocks.
    pub tape_units: usize,
    /// Per-sample scratch units of the whole network.
    pub extra_columns: usize,
    /// The layer's first per-sample scratch unit.
    pub column: usize,
    /// The layer's first value of once-per-pass scratch.
    pub fixed: usize,
}

/// A layer's batch normalisation, residual connection and dropout: none for [`Plain`], a
/// [`Decorated`] value otherwise. [`Plain`] answers at compile time, so a plain layer's code is
/// exactly what it was without them.
pub trait Extras: Copy {
    /// The layer's extras, or `None` for a plain layer.
    fn get(&self) -> Option<&Decorated>;
}

/// A layer with no extras.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Plain;

impl Extras for Plain {
    #[inline(always)]
    fn get(&self) -> Option<&Decorated> {
        None
    }
}

impl Extras for Decorated {
    #[inline(always)]
    fn get(&self) -> Option<&Decorated> {
        Some(self)
    }
}

/// The dynamic engine's layers: extras known at run time.
impl Extras for Option<Decorated> {
    #[inline(always)]
    fn get(&self) -> Option<&Decorated> {
        self.as_ref()
    }
}

/// A decorated layer's scratch in a tape of `C` samples: each block is empty when the layer
/// does not need it.
pub(super) struct Scratch<'t, T> {
    /// The normalised product `x̂` (batch norm), `units x C`.
    pub(super) xhat: &'t mut [T],
    /// The activation's output `h` before dropout and the residual sum.
    pub(super) h: &'t mut [T],
    /// Dropout's factors: 0 or `1 / (1 - p)`.
    pub(super) mask: &'t mut [T],
    /// `dL/da`, kept for the residual path of the backward pass.
    pub(super) g: &'t mut [T],
    /// The batch's mean, `1 / sqrt(var + eps)` and biased variance, then a zero bias for
    /// the product (batch norm), `units` each.
    pub(super) stats: &'t mut [T],
}

impl Decorated {
    /// Whether the layer keeps its activation's output `h` apart from `a`: dropout or the
    /// residual sum change `a`, and the activation's derivative needs `h`.
    #[inline(always)]
    pub(super) fn keeps_h(&self) -> bool {
        self.residual || self.dropout > 0.0
    }

    /// The layer's scratch, from `rest`, the tape after every layer's blocks.
    #[inline(always)]
    pub(super) fn scratch<'t, T>(
        &self,
        rest: &'t mut [T],
        units: usize,
        columns: usize,
    ) -> Scratch<'t, T> {
        let block = units * columns;
        let (per_column, fixed) = rest.split_at_mut(columns * self.extra_columns);
        let mut free = &mut per_column[columns * self.column..];
        let mut take = |wanted: bool| {
            let (taken, rest) =
                core::mem::take(&mut free).split_at_mut(if wanted { block } else { 0 });
            free = rest;
            taken
        };
        let xhat = take(self.norm.is_some());
        let h = take(self.keeps_h());
        let mask = take(self.dropout > 0.0);
        let g = take(self.residual);
        let stats_len = if self.norm.is_some() { 4 * units } else { 0 };
        let stats = &mut fixed[self.fixed..self.fixed + stats_len];
        Scratch {
            xhat,
            h,
            mask,
            g,
            stats,
        }
    }
}

/// The stream of [`mix`] that [`step_seed`] draws from; layers' masks use their index,
/// which is far below it.
const STEPS: u64 = (1 << 23) - 1;

/// A 64-bit hash of `(seed, stream, index)`: SplitMix64's output function over a counter.
/// Every random number of a training step's dropout comes from it, so masks need no generator
/// state, any element can be drawn alone, and a script can draw the same ones
/// (`tests/oracle/generate.py` does, to give PyTorch our masks).
#[inline(always)]
fn mix(seed: u64, stream: u64, index: u64) -> u64 {
    const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
    let counter = (stream << 40) ^ index;
    let mut z = seed.wrapping_add(counter.wrapping_add(1).wrapping_mul(GOLDEN));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of the masks of training step `step` (counted from 0) of a run seeded with
/// `seed`: a resumed run draws the masks it would have drawn.
pub fn step_seed(seed: u64, step: u64) -> u64 {
    mix(seed, STEPS, step)
}

/// A uniform number in `[0, 1)` for element `index` (`sample * units + unit`) of layer
/// `layer`'s mask in the pass seeded by `seed`; the unit is kept when it is at least the
/// dropout probability.
#[inline(always)]
pub fn uniform(seed: u64, layer: u64, index: u64) -> f64 {
    (mix(seed, layer, index) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
