use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/leaky-relu-alpha.yaml")]
pub struct Net;

fn main() {}
