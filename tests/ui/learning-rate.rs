use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/learning-rate.yaml")]
pub struct Net;

fn main() {}
