use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/search-empty-list.yaml")]
pub struct Net;

fn main() {}
