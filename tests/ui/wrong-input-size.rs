use mlp_runtime::prelude::*;

#[mlp(spec = "specs/xor.yaml")]
struct Xor;

fn main() {
    let net = Xor::new();
    // XOR takes 2 inputs; this is a 3-vector.
    let x = SVector::<f32, 3>::new(1.0, 0.0, 1.0);
    let _ = net.forward(&x);
}
