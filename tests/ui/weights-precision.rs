use mlp_runtime::prelude::*;

// Iris's layers in f64; the checkpoint holds f32 tensors.
#[mlp(spec = "tests/specs/checkpoint-iris-f64.yaml", weights = "tests/weights/iris.safetensors")]
struct Iris64;

fn main() {
    let _ = Iris64::trained();
}
