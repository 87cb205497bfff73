//! The spec `mlp tune` wrote (canonical YAML after a score comment, no `search` section)
//! compiles as it is.

use mlp_runtime::prelude::*;

#[mlp(spec = "tests/specs/tune/iris.tuned.yaml")]
struct TunedIris;

fn main() {
    let network = TunedIris::new();
    let spec = network.spec();
    assert_eq!(spec.search, None);
    assert_eq!(spec.shape(), "4-8-3");
    assert_eq!(spec.optimizer.lr(), 0.01);
    let output = network.predict(&SVector::<f32, 4>::from_element(0.5));
    assert!((output.sum() - 1.0).abs() < 1e-5, "softmax probabilities");
}
