use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/search-random-without-trials.yaml")]
pub struct Net;

fn main() {}
