use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/duplicate-key.yaml")]
pub struct Net;

fn main() {}
