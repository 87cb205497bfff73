use mlp_runtime::prelude::*;

#[mlp(spec = "tests/ui/weights-other-spec.yaml", weights = "tests/weights/iris.safetensors")]
struct Iris;

fn main() {
    let _ = Iris::trained();
}
