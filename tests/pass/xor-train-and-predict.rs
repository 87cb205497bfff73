//! The typed API end to end: construct, train a step, predict.
use mlp_runtime::prelude::*;

/// Doc comments and visibility are kept.
#[mlp(spec = "specs/xor.yaml")]
pub struct Xor;

fn main() {
    let mut net = Xor::new();
    let mut workspace = net.workspace();
    let mut grads = net.gradients();
    let inputs = XorBatchInput::from_column_slice(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    let targets = XorBatchOutput::from_column_slice(&[0.0, 1.0, 1.0, 0.0]);
    let loss = net.backward_batch(&mut workspace, &inputs, &targets, &mut grads);
    assert!(loss.is_finite());
    for (p, g) in net.params_mut().iter_mut().zip(grads.as_slice()) {
        *p -= 0.1 * g;
    }
    let y: XorOutput = net.forward(&XorInput::new(1.0, 0.0));
    assert!(y[0] > 0.0 && y[0] < 1.0);
    let _: SMatrixView<'_, f32, 8, 2> = net.layer0_weight();
    const _: () = assert!(Xor::PARAM_COUNT == 2 * 8 + 8 + 8 + 1);
}
