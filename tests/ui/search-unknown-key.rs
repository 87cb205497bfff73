use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/search-unknown-key.yaml")]
pub struct Net;

fn main() {}
