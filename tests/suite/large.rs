//! A 784-128-10 network keeps its parameters, gradients and activations on the heap, so a
//! forward and a backward pass fit on a thread with a 2 MB stack.

use mlp_runtime::prelude::*;
use mlp_runtime::{DynError, DynNetwork};

use crate::common::Data;

#[mlp(spec = "specs/mnist.yaml")]
struct Mnist;

#[test]
fn mnist_sized_network_runs_on_a_2mb_stack() {
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let net = Mnist::new();
            let mut workspace = net.workspace();
            let mut grads = net.gradients();
            let mut data = Data::new(3);
            let batch = Mnist::BATCH_SIZE;
            let x: Vec<f32> = (0..784 * batch).map(|_| data.unit() as f32).collect();
            let mut y = vec![0.0f32; 10 * batch];
            for j in 0..batch {
                y[j * 10 + j % 10] = 1.0;
            }

            let single = net.forward(&MnistInput::from_column_slice(&x[..784]));
            assert!((single.sum() - 1.0).abs() < 1e-5);

            let mut outputs = vec![0.0f32; 10 * batch];
            net.forward_slice(&mut workspace, &x, batch, &mut outputs);
            // The batch goes through the tiled kernels (with fused multiply-add where the CPU
            // has it), the single sample through nalgebra's: the same values up to rounding.
            for (batched, alone) in outputs[..10].iter().zip(single.iter()) {
                assert!((batched - alone).abs() < 1e-6, "{batched} vs {alone}");
            }

            let loss = net.backward_slice(&mut workspace, &x, &y, batch, grads.as_mut_slice());
            assert!(loss.is_finite() && loss > 0.0);
            assert!(grads.as_slice().iter().all(|g| g.is_finite()));
            assert!(grads.layer0_weight().norm() > 0.0);
            let target = MnistOutput::from_column_slice(&y[..10]);
            let input = MnistInput::from_column_slice(&x[..784]);
            net.backward(&mut workspace, &input, &target, &mut grads);
            assert!(grads.layer1_bias().norm() > 0.0);
        })
        .expect("spawn a thread");
    worker
        .join()
        .expect("the worker thread finished without overflowing its stack");
}

/// A network whose parameters no process can allocate (20 weights of 2^20 x 2^20 f64 values,
/// 176 TB, more than a 64-bit process can address) is an error that says so, where the
/// allocation would abort.
#[test]
fn a_network_too_large_for_memory_is_an_error() {
    let hidden = "  - {units: 1048576, activation: relu}\n".repeat(20);
    let yaml =
        format!("input: 1048576\nprecision: f64\nlayers:\n{hidden}  - {{units: 1}}\nloss: mse\n");
    let error = DynNetwork::<f64>::from_yaml(&yaml).unwrap_err();
    let parameters = 20 * ((1 << 40) + (1 << 20)) + (1 << 20) + 1;
    assert!(
        matches!(error, DynError::Memory { parameters: p, bytes } if p == parameters && bytes == 8 * parameters),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the network's 21990254575617 parameters take 175922036604936 bytes, more than can be \
         allocated here; make its layers smaller"
    );
}
