use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/step-activation.yaml")]
pub struct Net;

fn main() {}
