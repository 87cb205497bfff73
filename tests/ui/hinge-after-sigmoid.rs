use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/hinge-after-sigmoid.yaml")]
pub struct Net;

fn main() {}
