use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/residual-size-mismatch.yaml")]
pub struct Net;

fn main() {}
