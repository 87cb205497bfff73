use mlp_runtime::prelude::*;

// A checkpoint of a run that diverged: `layers.0.weight[3, 1]` is NaN (tests/weights/nan.py).
#[mlp(spec = "specs/iris.yaml", weights = "tests/weights/iris-nan.safetensors")]
struct Iris;

fn main() {
    let _ = Iris::trained();
}
