use mlp_runtime::prelude::*;

// Iris's checkpoint (4-16-16-3) for the digits network (64-32-10).
#[mlp(spec = "specs/digits.yaml", weights = "tests/weights/iris.safetensors")]
struct Digits;

fn main() {
    let _ = Digits::trained();
}
