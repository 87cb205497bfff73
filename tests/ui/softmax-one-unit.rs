use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/softmax-one-unit.yaml")]
pub struct Net;

fn main() {}
