use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/dropout-out-of-range.yaml")]
pub struct Net;

fn main() {}
