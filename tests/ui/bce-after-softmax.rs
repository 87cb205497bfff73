use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/bce-after-softmax.yaml")]
pub struct Net;

fn main() {}
