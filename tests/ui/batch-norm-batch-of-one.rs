use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/batch-norm-batch-of-one.yaml")]
pub struct Net;

fn main() {}
