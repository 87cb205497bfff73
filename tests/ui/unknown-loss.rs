use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/unknown-loss.yaml")]
pub struct Net;

fn main() {}
