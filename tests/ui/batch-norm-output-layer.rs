use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/batch-norm-output-layer.yaml")]
pub struct Net;

fn main() {}
