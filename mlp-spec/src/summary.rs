//! A network's summary, as Keras' `model.summary()` prints it: each layer's sizes, activation
//! and parameters, and the memory a training run needs. Everything comes from the spec, so
//! the compiled footprint consts, `Model::summary`, `mlp check` and `mlp inspect` agree.

use std::fmt;

use crate::activation::Activation;
use crate::ir::Spec;

/// One layer of a [`ModelSummary`].
#[derive(Clone, Debug, PartialEq)]
pub struct LayerSummary {
    /// Inputs of the layer.
    pub inputs: usize,
    /// Its units (outputs).
    pub units: usize,
    /// Its activation.
    pub activation: Activation,
    /// Its weights and biases (with batch norm: its weight, scale, shift and running
    /// statistics).
    pub params: usize,
    /// Bytes of its parameters.
    pub bytes: usize,
    /// What the layer adds to its product and activation, as `batch norm, residual,
    /// dropout 0.2`; empty for a plain layer.
    pub extras: String,
}

/// A network's layers and the memory training it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSummary {
    /// The spec's name, if it has one.
    pub name: Option<String>,
    /// The layers, input side first.
    pub layers: Vec<LayerSummary>,
    /// The element type: `f32` or `f64`.
    pub precision: &'static str,
    /// Parameters of all layers.
    pub params: usize,
    /// Bytes of all parameters.
    pub param_bytes: usize,
    /// The optimizer's name.
    pub optimizer: &'static str,
    /// Buffers of the parameters' size the optimizer keeps.
    pub optimizer_buffers: usize,
    /// Bytes of optimizer state.
    pub optimizer_state_bytes: usize,
    /// The spec's batch size.
    pub batch_size: usize,
    /// Bytes of the activations one training batch keeps: pre-activations, activations and
    /// deltas of every layer.
    pub activation_bytes: usize,
}

impl ModelSummary {
    /// Bytes a training run asks for at once: the parameters, their gradient, the optimizer's
    /// state and a batch's activations.
    pub fn training_bytes(&self) -> usize {
        (self.param_bytes.saturating_mul(2))
            .saturating_add(self.optimizer_state_bytes)
            .saturating_add(self.activation_bytes)
    }
}

/// The memory a training run asks for at once ([`ModelSummary::training_bytes`]), when it is
/// more than the process can allocate; [`Spec::check_training_memory`]'s error. Its message
/// reads after "training this network".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryShortfall {
    /// The bytes asked for.
    pub bytes: usize,
}

impl fmt::Display for MemoryShortfall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "needs {} bytes (about {}: its parameters, their gradient, the optimizer's state and \
             a batch's activations, as `mlp check` lists them), more than can be allocated here",
            self.bytes,
            in_units(self.bytes)
        )
    }
}

impl std::error::Error for MemoryShortfall {}

impl Spec {
    /// Asks for the memory training this network takes at once
    /// ([`ModelSummary::training_bytes`]), and gives it back: where it cannot be had, a
    /// training run would abort the process at its first buffer that does not fit.
    ///
    /// # Errors
    ///
    /// [`MemoryShortfall`] when the allocator refuses it.
    pub fn check_training_memory(&self) -> Result<(), MemoryShortfall> {
        let bytes = self.summary().training_bytes();
        match Vec::<u8>::new().try_reserve_exact(bytes) {
            Ok(()) => Ok(()),
            Err(_) => Err(MemoryShortfall { bytes }),
        }
    }

    /// The network's summary.
    pub fn summary(&self) -> ModelSummary {
        let bytes = self.precision.bytes();
        let layers: Vec<LayerSummary> = self
            .layers
            .iter()
            .enumerate()
            .map(|(index, layer)| {
                let inputs = self.layer_inputs(index);
                let params = self.layer_len(index);
                let mut extras = Vec::new();
                if layer.batch_norm.is_some() {
                    extras.push("batch norm".to_owned());
                }
                if layer.residual {
                    extras.push("residual".to_owned());
                }
                if layer.dropout > 0.0 {
                    extras.push(format!("dropout {}", layer.dropout));
                }
                LayerSummary {
                    inputs,
                    units: layer.units,
                    activation: layer.activation,
                    params,
                    bytes: params * bytes,
                    extras: extras.join(", "),
                }
            })
            .collect();
        let params = self.param_count();
        ModelSummary {
            name: self.name.clone(),
            layers,
            precision: self.precision.type_name(),
            params,
            param_bytes: params * bytes,
            optimizer: self.optimizer.name(),
            optimizer_buffers: self.optimizer.state_buffers(),
            optimizer_state_bytes: self.optimizer.state_buffers() * params * bytes,
            batch_size: self.batch_size,
            activation_bytes: self.activation_scalars_per_sample() * self.batch_size * bytes,
        }
    }
}

/// A number of bytes in the largest decimal unit of which it holds at least one: `80.1 GB`.
fn in_units(bytes: usize) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < units.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", units[unit])
}

/// `count` and `noun`, the noun in the plural unless `count` is 1 ("1 sample", "0 buffers",
/// "3 classes"): the form of every count in the summary, the generated code's documentation
/// and the command line's messages.
pub fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ if noun.ends_with('s') => format!("{count} {noun}es"),
        _ => format!("{count} {noun}s"),
    }
}

impl fmt::Display for ModelSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name.as_deref().unwrap_or("network");
        writeln!(
            f,
            "{name} ({}, batch size {})",
            self.precision, self.batch_size
        )?;
        writeln!(
            f,
            "{:>5}  {:>7}  {:>7}  {:<12} {:>10}  {:>12}",
            "layer", "inputs", "outputs", "activation", "parameters", "bytes"
        )?;
        for (index, layer) in self.layers.iter().enumerate() {
            let row = format!(
                "{index:>5}  {:>7}  {:>7}  {:<12} {:>10}  {:>12}",
                layer.inputs,
                layer.units,
                layer.activation.name(),
                layer.params,
                layer.bytes
            );
            if layer.extras.is_empty() {
                writeln!(f, "{row}")?;
            } else {
                writeln!(f, "{row}  {}", layer.extras)?;
            }
        }
        writeln!(
            f,
            "parameters: {} ({} bytes)",
            self.params, self.param_bytes
        )?;
        writeln!(
            f,
            "optimizer state: {} bytes ({}: {} the size of the parameters)",
            self.optimizer_state_bytes,
            self.optimizer,
            counted(self.optimizer_buffers, "buffer")
        )?;
        write!(
            f,
            "activations of one training batch: {} bytes ({})",
            self.activation_bytes,
            counted(self.batch_size, "sample")
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn layers_parameters_and_memory_add_up() {
        let spec = crate::parse(
            "name: digits\ninput: 64\nlayers:\n  - {units: 32, activation: relu}\n  \
             - {units: 10, activation: softmax}\nloss: cross_entropy\n\
             optimizer: adam\nbatch_size: 16\n",
        )
        .unwrap();
        let summary = spec.summary();
        assert_eq!(summary.layers[0].params, 65 * 32);
        assert_eq!(summary.layers[1].params, 33 * 10);
        assert_eq!(summary.params, 2410);
        assert_eq!(summary.param_bytes, 4 * 2410);
        assert_eq!(
            summary.optimizer_state_bytes,
            2 * 4 * 2410,
            "adam keeps two buffers"
        );
        assert_eq!(summary.activation_bytes, 3 * (32 + 10) * 16 * 4);
        assert_eq!(
            summary.to_string(),
            "digits (f32, batch size 16)\n\
             layer   inputs  outputs  activation   parameters         bytes\n    \
                 0       64       32  relu               2080          8320\n    \
                 1       32       10  softmax             330          1320\n\
             parameters: 2410 (9640 bytes)\n\
             optimizer state: 19280 bytes (adam: 2 buffers the size of the parameters)\n\
             activations of one training batch: 8064 bytes (16 samples)"
        );
    }
}
