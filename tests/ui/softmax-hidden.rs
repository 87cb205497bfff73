use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/softmax-hidden.yaml")]
pub struct Net;

fn main() {}
