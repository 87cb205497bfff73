use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/yaml-syntax.yaml")]
pub struct Net;

fn main() {}
