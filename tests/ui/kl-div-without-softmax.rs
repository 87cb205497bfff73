use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/kl-div-without-softmax.yaml")]
pub struct Net;

fn main() {}
