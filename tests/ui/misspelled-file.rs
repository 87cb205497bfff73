use mlp_runtime::prelude::*;

// A typo in the name: the closest name in that directory is suggested.
#[mlp(spec = "tests/ui/lerning-rate.yaml")]
pub struct Net;

fn main() {}
