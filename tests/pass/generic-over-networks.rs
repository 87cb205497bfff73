//! Generic code works with any generated network, in a module, at either precision.
use mlp_runtime::prelude::*;

mod nets {
    use mlp_runtime::prelude::*;

    #[mlp(spec = "specs/xor.yaml")]
    pub(crate) struct Xor;

    #[mlp(spec = "tests/specs/grad/hidden-gelu-f64.yaml")]
    pub struct Gelu64;
}

fn parameter_norm<N: StaticModel>(net: &N) -> f64 {
    net.params().iter().map(|p| p.as_f64().powi(2)).sum::<f64>().sqrt()
}

fn main() {
    assert!(parameter_norm(&nets::Xor::new()) > 0.0);
    assert!(parameter_norm(&nets::Gelu64::with_seed(3)) > 0.0);
    let y: nets::Gelu64Output = nets::Gelu64::new().forward(&nets::Gelu64Input::zeros());
    assert!(y.iter().all(|v: &f64| v.is_finite()));
}
