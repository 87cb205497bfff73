use mlp_runtime::prelude::*;

#[mlp(path = "specs/xor.yaml")]
pub struct Net;

fn main() {}
