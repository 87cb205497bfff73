use mlp_runtime::checkpoint::load_weights;
use mlp_runtime::prelude::*;

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

#[mlp(spec = "specs/digits.yaml")]
struct Digits;

fn main() {
    // A checkpoint loaded for one network type cannot be used as another's.
    let loaded = load_weights::<Digits>("model.safetensors").unwrap();
    let iris: Iris = loaded.network;
    let _ = iris;
}
