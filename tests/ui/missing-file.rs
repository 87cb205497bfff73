use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/no-such-spec.yaml")]
pub struct Net;

fn main() {}
