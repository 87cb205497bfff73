use mlp_runtime::prelude::*;

#[mlp(spec = "specs/xor.yaml")]
struct Xor;

fn main() {
    let net = Xor::new();
    let mut workspace = net.workspace();
    let mut grads = net.gradients();
    let inputs = XorBatchInput::zeros();
    // The batch size is 4; these are targets for 8 samples.
    let targets = SMatrix::<f32, 1, 8>::zeros();
    let _ = net.loss_batch(&mut workspace, &inputs, &targets);
    let _ = net.backward_batch(&mut workspace, &inputs, &targets, &mut grads);
}
