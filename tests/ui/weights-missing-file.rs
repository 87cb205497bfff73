use mlp_runtime::prelude::*;

#[mlp(spec = "specs/iris.yaml", weights = "tests/weights/no-such.safetensors")]
struct Iris;

fn main() {
    // No cascade: the constructor of compiled-in weights is still declared.
    let _ = Iris::trained();
}
