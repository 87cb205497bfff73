use mlp_runtime::prelude::*;

#[mlp(spec = "specs/xor.yaml")]
pub struct Net {
    weights: Vec<f32>,
}

fn main() {}
