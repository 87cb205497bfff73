use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/unknown-optimizer.yaml")]
pub struct Net;

fn main() {}
