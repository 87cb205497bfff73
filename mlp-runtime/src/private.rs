//! Used by generated code. Not public API.

pub use std::boxed::Box;

pub use mlp_spec::{ParamSegment, Regularization, dense_layout};
pub use nalgebra::{
    self, Const, DimName, SMatrix, SMatrixView, SMatrixViewMut, SVector, SVectorView,
    SVectorViewMut,
};

// Globs, so that a new activation or loss needs no line here.
pub use crate::activation::*;
pub use crate::compiled::{
    Compiled, backward, forward_batch, loss, new, predict, with_seed, zeros,
};
pub use crate::float::Float;
pub use crate::layer::Fixed;
pub use crate::loss::*;
pub use crate::model::Model;
pub use crate::params::{Params, zeros as zero_values};
pub use crate::views::{matrix, matrix_mut, vector, vector_mut};
pub use crate::workspace::Workspace;
