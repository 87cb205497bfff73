use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/schedule-missing-step-size.yaml")]
pub struct Net;

fn main() {}
