use mlp_runtime::prelude::*;
use mlp_runtime::{GradCheckConfig, gradient_check};

#[mlp(spec = "specs/xor.yaml")]
struct Xor;

#[mlp(spec = "specs/mnist.yaml")]
struct Mnist;

fn main() {
    let net = Xor::new();
    // Samples shaped for the MNIST network cannot be paired with the XOR network.
    let inputs = vec![MnistInput::zeros()];
    let targets = vec![MnistOutput::zeros()];
    let _ = gradient_check(&net, &inputs, &targets, GradCheckConfig::default());
}
