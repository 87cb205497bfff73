use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/zero-units.yaml")]
pub struct Net;

fn main() {}
