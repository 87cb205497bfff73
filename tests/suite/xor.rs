//! XOR, which no single perceptron can represent, is learned by the 2-8-1 network of
//! specs/xor.yaml from every seed, with full-batch gradient descent.

use mlp_runtime::prelude::*;

#[mlp(spec = "specs/xor.yaml")]
struct Xor;

#[test]
fn xor_is_learned_from_seeds_0_to_9() {
    let inputs = XorBatchInput::from_column_slice(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    let targets = XorBatchOutput::from_column_slice(&[0.0, 1.0, 1.0, 0.0]);
    for seed in 0..10 {
        let mut net = Xor::with_seed(seed);
        let mut workspace = net.workspace();
        let mut grads = net.gradients();
        for _ in 0..2000 {
            net.backward_batch(&mut workspace, &inputs, &targets, &mut grads);
            for (p, g) in net.params_mut().iter_mut().zip(grads.as_slice()) {
                *p -= 0.5 * g;
            }
        }
        for (x, y) in inputs.column_iter().zip(targets.iter()) {
            let predicted = net.forward(&XorInput::new(x[0], x[1]))[0];
            assert_eq!(
                predicted > 0.5,
                *y > 0.5,
                "seed {seed}: {} XOR {} predicted {predicted}",
                x[0],
                x[1]
            );
        }
    }
}
