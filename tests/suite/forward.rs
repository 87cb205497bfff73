//! The generated passes of small networks against values computed by hand.

use mlp_runtime::prelude::*;

#[mlp(spec = "tests/specs/hand-relu.yaml")]
struct Hand;

#[mlp(spec = "tests/specs/hand-softmax.yaml")]
struct HandSoftmax;

/// W0 = [[1, -1], [0.5, 2]], b0 = [0, -1], W1 = [[2, -1]], b1 = [0.5].
fn hand() -> Hand {
    let mut net = Hand::zeros();
    net.layer0_weight_mut()
        .copy_from(&SMatrix::<f32, 2, 2>::new(1.0, -1.0, 0.5, 2.0));
    net.layer0_bias_mut().copy_from_slice(&[0.0, -1.0]);
    net.layer1_weight_mut()
        .copy_from(&SMatrix::<f32, 1, 2>::new(2.0, -1.0));
    net.layer1_bias_mut().copy_from_slice(&[0.5]);
    net
}

#[test]
fn relu_network_forward_by_hand() {
    let net = hand();
    // z0 = [1 - 2 + 0, 0.5 + 4 - 1] = [-1, 3.5]; a0 = [0, 3.5]; z1 = 0 - 3.5 + 0.5.
    assert_eq!(
        net.forward(&HandInput::new(1.0, 2.0)),
        HandOutput::new(-3.0)
    );
    // z0 = [-1 - 0.5, -0.5 + 1 - 1] = [-1.5, -0.5]; a0 = [0, 0]; z1 = 0.5.
    assert_eq!(
        net.forward(&HandInput::new(-1.0, 0.5)),
        HandOutput::new(0.5)
    );

    let mut workspace = net.workspace();
    let batch = HandBatchInput::new(1.0, -1.0, 2.0, 0.5);
    let outputs = net.forward_batch(&mut workspace, &batch);
    assert_eq!(outputs.as_slice(), &[-3.0, 0.5]);
}

#[test]
fn relu_network_loss_and_gradients_by_hand() {
    let net = hand();
    let mut workspace = net.workspace();
    let mut grads = net.gradients();
    let inputs = HandBatchInput::new(1.0, -1.0, 2.0, 0.5);
    let targets = HandBatchOutput::new(1.0, 0.5);
    // mse = ((-3 - 1)^2 + (0.5 - 0.5)^2) / 2 = 8.
    assert_eq!(net.loss_batch(&mut workspace, &inputs, &targets), 8.0);
    assert_eq!(
        net.backward_batch(&mut workspace, &inputs, &targets, &mut grads),
        8.0
    );
    // dL/dyhat = 2 (yhat - y) / 2 = [-4, 0]. dW1 = -4 a0(x1)^T = [0, -14], db1 = -4.
    // delta0 = (W1^T -4) * relu'(z0) = [-8, 4] * [0, 1] = [0, 4]: dW0 = [[0, 0], [4, 8]].
    assert_eq!(grads.layer1_weight(), SMatrix::<f32, 1, 2>::new(0.0, -14.0));
    assert_eq!(grads.layer1_bias()[0], -4.0);
    assert_eq!(
        grads.layer0_weight(),
        SMatrix::<f32, 2, 2>::new(0.0, 0.0, 4.0, 8.0)
    );
    assert_eq!(grads.layer0_bias().as_slice(), &[0.0, 4.0]);
    // The flat order: layer by layer, weight (column-major) then bias.
    assert_eq!(
        grads.as_slice(),
        &[0.0, 4.0, 0.0, 8.0, 0.0, 4.0, 0.0, -14.0, -4.0]
    );

    // One sample alone: mse = (-3 - 1)^2 = 16, and twice the batch's gradients.
    let mut single = net.gradients();
    let loss = net.backward(
        &mut workspace,
        &HandInput::new(1.0, 2.0),
        &HandOutput::new(1.0),
        &mut single,
    );
    assert_eq!(loss, 16.0);
    let doubled: Vec<f32> = grads.as_slice().iter().map(|g| 2.0 * g).collect();
    assert_eq!(single.as_slice(), &doubled[..]);
}

#[test]
fn softmax_network_by_hand() {
    let mut net = HandSoftmax::zeros();
    net.layer0_weight_mut().copy_from_slice(&[1.0, -1.0]);
    // z = [a, -a] with a = ln(3) / 2, so softmax = [3/4, 1/4].
    let x = HandSoftmaxInput::new(3f32.ln() / 2.0);
    let y = net.forward(&x);
    assert!(
        (y[0] - 0.75).abs() < 1e-7 && (y[1] - 0.25).abs() < 1e-7,
        "{y}"
    );
    let mut workspace = net.workspace();
    let target = HandSoftmaxOutput::new(1.0, 0.0);
    let loss = net.loss(&mut workspace, &x, &target);
    assert!((loss - (4.0f32 / 3.0).ln()).abs() < 1e-6, "{loss}");
    // dL/dz = yhat - y = [-1/4, 1/4]; dW = dL/dz x.
    let mut grads = net.gradients();
    net.backward(&mut workspace, &x, &target, &mut grads);
    assert!((grads.layer0_bias()[0] + 0.25).abs() < 1e-7);
    assert!((grads.layer0_weight()[1] - 0.25 * x[0]).abs() < 1e-7);
}

#[test]
fn footprint_and_sizes_are_constants() {
    assert_eq!((Hand::INPUTS, Hand::OUTPUTS, Hand::BATCH_SIZE), (2, 1, 2));
    assert_eq!(Hand::PARAM_COUNT, 2 * 2 + 2 + 2 + 1);
    assert_eq!(Hand::PARAM_BYTES, 9 * 4);
    // sgd keeps no state; z, a and delta of 3 units for 2 samples.
    assert_eq!(Hand::OPTIMIZER_STATE_BYTES, 0);
    assert_eq!(Hand::ACTIVATION_BYTES, 3 * 3 * 2 * 4);
    assert_eq!(Hand::new().spec().layers.len(), 2);
}

#[mlp(spec = "tests/specs/hand-bce.yaml")]
struct HandBce;

#[test]
fn fused_heads_stay_finite_for_logits_of_1000() {
    // Softmax + cross-entropy: logits [1000, -1000] against the class the network rules out.
    let mut net = HandSoftmax::zeros();
    net.layer0_weight_mut().copy_from_slice(&[1000.0, -1000.0]);
    let mut workspace = net.workspace();
    let mut grads = net.gradients();
    let x = HandSoftmaxInput::new(1.0);
    let loss = net.backward(
        &mut workspace,
        &x,
        &HandSoftmaxOutput::new(0.0, 1.0),
        &mut grads,
    );
    assert_eq!(loss, 2000.0);
    assert_eq!(grads.layer0_bias().as_slice(), &[1.0, -1.0]);

    // Sigmoid + binary cross-entropy: logits +1000 and -1000, both wrong.
    let mut net = HandBce::zeros();
    net.layer0_weight_mut().copy_from_slice(&[1000.0]);
    let mut workspace = net.workspace();
    let mut grads = net.gradients();
    let inputs = HandBceBatchInput::new(1.0, -1.0);
    let targets = HandBceBatchOutput::new(0.0, 1.0);
    let loss = net.backward_batch(&mut workspace, &inputs, &targets, &mut grads);
    assert_eq!(loss, 1000.0);
    // delta = (yhat - y) / 2 = [0.5, -0.5]; dW = 0.5 * 1 + (-0.5) * (-1) = 1, db = 0.
    assert_eq!(grads.as_slice(), &[1.0, 0.0]);
}

#[test]
fn the_summary_agrees_with_the_footprint_consts_and_the_dynamic_engine() {
    let net = Hand::new();
    let summary = net.summary();
    assert_eq!(summary.params, Hand::PARAM_COUNT);
    assert_eq!(summary.param_bytes, Hand::PARAM_BYTES);
    assert_eq!(summary.optimizer_state_bytes, Hand::OPTIMIZER_STATE_BYTES);
    assert_eq!(summary.activation_bytes, Hand::ACTIVATION_BYTES);
    assert_eq!(
        summary.layers.iter().map(|l| l.params).sum::<usize>(),
        Hand::PARAM_COUNT
    );
    let dynamic = mlp_runtime::DynNetwork::<f32>::from_spec(net.spec()).unwrap();
    assert_eq!(dynamic.summary(), summary);
}
