use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/huber-delta.yaml")]
pub struct Net;

fn main() {}
