//! What differs between the network a checkpoint was saved from and the one loading it.

use mlp_spec::Spec;

/// Architecture differences: input size, layers (units and activations), loss.
pub(crate) fn architecture(saved: &Spec, network: &Spec) -> Vec<String> {
    let mut differences = Vec::new();
    if saved.input != network.input {
        differences.push(format!(
            "input: checkpoint {}, network {}",
            saved.input, network.input
        ));
    }
    if saved.layers.len() != network.layers.len() {
        differences.push(format!(
            "layers: checkpoint {} ({}), network {} ({})",
            saved.layers.len(),
            saved.shape(),
            network.layers.len(),
            network.shape()
        ));
    } else {
        for (i, (a, b)) in saved.layers.iter().zip(&network.layers).enumerate() {
            if a.units != b.units {
                differences.push(format!(
                    "layers[{i}] units: checkpoint {}, network {}",
                    a.units, b.units
                ));
            }
            if a.activation != b.activation {
                differences.push(format!(
                    "layers[{i}] activation: checkpoint {:?}, network {:?}",
                    a.activation, b.activation
                ));
            }
        }
    }
    if saved.loss != network.loss {
        differences.push(format!(
            "loss: checkpoint {:?}, network {:?}",
            saved.loss, network.loss
        ));
    }
    differences
}

/// Differences that matter for resuming training too: the optimizer's kind.
pub(crate) fn training(saved: &Spec, network: &Spec) -> Vec<String> {
    let mut differences = architecture(saved, network);
    if saved.optimizer.name() != network.optimizer.name() {
        differences.push(format!(
            "optimizer: checkpoint {}, network {}",
            saved.optimizer.name(),
            network.optimizer.name()
        ));
    }
    differences
}
