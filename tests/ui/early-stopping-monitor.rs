use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/early-stopping-monitor.yaml")]
pub struct Net;

fn main() {}
