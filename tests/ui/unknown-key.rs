use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/unknown-key.yaml")]
pub struct Net;

fn main() {}
