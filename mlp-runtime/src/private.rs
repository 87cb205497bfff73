//! Used by generated code. Not public API.

pub use nalgebra::{
    self, Const, DimName, SMatrix, SMatrixView, SMatrixViewMut, SVector, SVectorView,
    SVectorViewMut,
};

// Globs, so that a new activation or loss needs no line here.
pub use crate::activation::*;
pub use crate::float::Float;
pub use crate::inference::{Inference, predict};
pub use crate::layer::{Decorated, Fixed, Norm, Pass};
pub use crate::loss::*;
pub use crate::params::Params;
pub use crate::views::{matrix, vector};

#[cfg(feature = "std")]
pub use {
    crate::compiled::{Compiled, backward, forward_batch, loss, new, with_seed, zeros},
    crate::layer::{DeferredUpdate, SharedProduct},
    crate::lines::Lines,
    crate::model::Model,
    crate::params::zeros as zero_values,
    crate::views::{matrix_mut, vector_mut},
    crate::workspace::Workspace,
    mlp_spec::{ParamSegment, Regularization, dense_layout},
    std::boxed::Box,
};
