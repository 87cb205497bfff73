use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/empty-layers.yaml")]
pub struct Net;

fn main() {}
