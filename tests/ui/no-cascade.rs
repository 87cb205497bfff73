// A spec with an error, and code that uses the network's whole API: the spec's error is the
// only one reported.
use mlp_runtime::prelude::*;
use mlp_runtime::{DynNetwork, gradient_check, GradCheckConfig};

#[mlp(spec = "tests/ui/no-cascade.yaml")]
pub struct Net;

fn main() {
    let mut net = Net::new();
    let input = NetInput::new(1.0, 2.0, 3.0, 4.0);
    let output: NetOutput = net.forward(&input);
    let mut workspace: NetWorkspace = net.workspace();
    let batch = NetBatchInput::zeros();
    let _ = net.forward_batch(&mut workspace, &batch);
    let mut grads: NetGradients = net.gradients();
    let _ = net.backward(&mut workspace, &input, &output, &mut grads);
    let _ = (Net::INPUTS, Net::OUTPUTS, Net::PARAM_COUNT, Net::ACTIVATION_BYTES);
    let _ = net.layer0_weight();
    let _ = gradient_check(&net, &[input], &[output], GradCheckConfig::default());
    let mut trainer = Trainer::new(&net);
    let _ = trainer.step(&mut net, input.as_slice(), output.as_slice(), 1);
    let _ = DynNetwork::<f32>::from_spec(net.spec());
}
