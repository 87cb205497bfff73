use mlp_runtime::prelude::*;

// The spec named as if it were beside Cargo.toml: the files of that name in the crate are
// suggested.
#[mlp(spec = "xor.yaml")]
pub struct Net;

fn main() {}
