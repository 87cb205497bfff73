use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/batch-norm-bad-constant.yaml")]
pub struct Net;

fn main() {}
