use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/search-out-of-range.yaml")]
pub struct Net;

fn main() {}
