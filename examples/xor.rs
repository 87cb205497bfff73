//! XOR, the problem a single perceptron cannot solve, learned by a 2-8-1 network compiled
//! from `specs/xor.yaml` with full-batch gradient descent in a plain loop.
//!
//! Run with `cargo run --release --example xor`.

use mlp_runtime::prelude::*;

/// A 2-8-1 network: tanh hidden layer, sigmoid output, binary cross-entropy.
#[mlp(spec = "specs/xor.yaml")]
struct Xor;

fn main() {
    // One sample per column: the four corners of the unit square and their XOR.
    let inputs = XorBatchInput::from_column_slice(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    let targets = XorBatchOutput::from_column_slice(&[0.0, 1.0, 1.0, 0.0]);

    let mut net = Xor::new();
    let mut workspace = net.workspace();
    let mut grads = net.gradients();
    let lr = 0.5;
    for epoch in 0..2000 {
        let loss = net.backward_batch(&mut workspace, &inputs, &targets, &mut grads);
        for (p, g) in net.params_mut().iter_mut().zip(grads.as_slice()) {
            *p -= lr * g;
        }
        if epoch % 500 == 0 {
            println!("epoch {epoch:4}  loss {loss:.4}");
        }
    }

    for (x, y) in inputs.column_iter().zip(targets.iter()) {
        let input = XorInput::new(x[0], x[1]);
        let p = net.forward(&input)[0];
        println!(
            "{} XOR {} = {y}  predicted {p:.3} -> {}",
            x[0],
            x[1],
            u8::from(p > 0.5)
        );
    }
}
