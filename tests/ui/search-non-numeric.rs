use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/search-non-numeric.yaml")]
pub struct Net;

fn main() {}
