use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/search-size-key.yaml")]
pub struct Net;

fn main() {}
