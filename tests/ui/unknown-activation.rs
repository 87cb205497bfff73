use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/unknown-activation.yaml")]
pub struct Net;

fn main() {}
