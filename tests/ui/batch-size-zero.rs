use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/batch-size-zero.yaml")]
pub struct Net;

fn main() {}
