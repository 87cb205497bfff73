use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/missing-input.yaml")]
pub struct Net;

fn main() {}
