use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/symmetric-init.yaml")]
pub struct Net;

fn main() {}
