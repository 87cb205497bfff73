use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/several-errors.yaml")]
pub struct Net;

fn main() {}
