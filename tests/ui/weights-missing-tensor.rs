use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/weights-missing-tensor.yaml", weights = "tests/weights/iris.safetensors")]
struct Deeper;

fn main() {
    let _ = Deeper::trained();
}
