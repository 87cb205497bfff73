use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/precision.yaml")]
pub struct Net;

fn main() {}
