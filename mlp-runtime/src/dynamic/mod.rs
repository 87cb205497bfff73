//! The dynamic engine: a network built at run time from a spec, with every size a run-time
//! value. It implements [`Model`] like the compiled networks, so the same trainer,
//! optimizers, metrics, gradient checker and checkpoints work with it; it is both a
//! prototyping tool (no compilation needed, see the `mlp` command) and the baseline the
//! compiled networks are benchmarked against. A step allocates nothing.

mod dense;
mod layers;

use std::path::Path;

use mlp_spec::{ParamSegment, Spec, SpecErrors};

pub use dense::Shape;
pub use layers::{DynActivation, DynHead, ElementLossKind};

use crate::activation::Activation;
use crate::checkpoint::{self, CheckpointError, Loaded};
use crate::float::Float;
use crate::init::initialize;
use crate::loss::Head;
use crate::network::Model;
use crate::regularization::{add_penalty_gradient, penalty};
use crate::train::Trainer;

/// Why a dynamic network could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DynError {
    /// The spec has errors (each with its line and column).
    #[error("{0}")]
    Spec(#[from] SpecErrors),
    /// The spec's precision is not the scalar type asked for.
    #[error("the spec computes in {spec}, but the network was asked for {asked}")]
    Precision {
        /// The spec's precision.
        spec: &'static str,
        /// The scalar type asked for.
        asked: &'static str,
    },
}

/// A layer of a dynamic network.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DynLayer {
    shape: Shape,
    /// Offset of the weight in the flat buffer; the bias follows it.
    offset: usize,
    activation: DynActivation,
}

impl DynLayer {
    fn params<'a, U>(&self, params: &'a [U]) -> &'a [U] {
        &params[self.offset..self.offset + self.shape.units * (self.shape.inputs + 1)]
    }
}

/// A multi-layer perceptron whose sizes are known at run time (nalgebra `DMatrix` views over
/// one flat parameter buffer, in the same order as a compiled network's).
///
/// ```
/// use mlp_runtime::{DynNetwork, Model};
///
/// let net = DynNetwork::<f32>::from_yaml(
///     "input: 2\nlayers:\n  - {units: 4, activation: tanh}\n  - {units: 1, activation: sigmoid}\nloss: bce\n",
/// )
/// .unwrap();
/// assert_eq!((net.input_size(), net.output_size(), net.params().len()), (2, 1, 17));
/// let y = net.predict(&[0.5, -0.5]);
/// assert!(y[0] > 0.0 && y[0] < 1.0);
/// // The same errors as the attribute, with line and column.
/// let error = DynNetwork::<f32>::from_yaml("input: 2\nlayers: [{units: 1}]\nloss: bce\n").unwrap_err();
/// assert!(error.to_string().starts_with("3:7: loss `bce` needs a sigmoid output layer"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DynNetwork<T> {
    spec: Spec,
    canonical: String,
    layout: Vec<ParamSegment>,
    layers: Vec<DynLayer>,
    head: DynHead,
    params: Box<[T]>,
}

/// Activations of every layer for up to `columns` samples.
#[derive(Clone, Debug)]
struct Tape<U> {
    z: Vec<Box<[U]>>,
    a: Vec<Box<[U]>>,
    d: Vec<Box<[U]>>,
}

impl<U: Float> Tape<U> {
    fn new(layers: &[DynLayer], columns: usize) -> Self {
        let buffers = || {
            layers
                .iter()
                .map(|l| vec![U::zero(); l.shape.units * columns].into_boxed_slice())
                .collect()
        };
        Tape {
            z: buffers(),
            a: buffers(),
            d: buffers(),
        }
    }
}

/// Preallocated buffers for the passes of a [`DynNetwork`].
#[derive(Clone, Debug)]
pub struct DynWorkspace<T> {
    tape: Tape<T>,
}

impl<T: Float> DynNetwork<T> {
    /// Builds a network from a validated spec, initialised as its `init` section says.
    ///
    /// # Errors
    ///
    /// [`DynError::Precision`] if the spec's precision is not `T`.
    pub fn from_spec(spec: Spec) -> Result<Self, DynError> {
        if spec.precision.type_name() != T::NAME {
            return Err(DynError::Precision {
                spec: spec.precision.type_name(),
                asked: T::NAME,
            });
        }
        let layout = spec.param_layout();
        let layers = spec
            .layers
            .iter()
            .enumerate()
            .map(|(index, layer)| DynLayer {
                shape: Shape {
                    inputs: spec.layer_inputs(index),
                    units: layer.units,
                },
                offset: layout[2 * index].offset,
                activation: layer.activation.into(),
            })
            .collect::<Vec<_>>();
        let head = DynHead::new(spec.layers[spec.layers.len() - 1].activation, spec.loss);
        let mut network = DynNetwork {
            canonical: spec.canonical_yaml(),
            params: vec![T::zero(); spec.param_count()].into_boxed_slice(),
            layout,
            layers,
            head,
            spec,
        };
        network.reinitialize(network.spec.init.seed);
        Ok(network)
    }

    /// Parses, validates and builds a network from YAML text.
    ///
    /// # Errors
    ///
    /// [`DynError::Spec`] with every problem of the spec, or [`DynError::Precision`].
    pub fn from_yaml(yaml: &str) -> Result<Self, DynError> {
        Self::from_spec(mlp_spec::parse(yaml)?)
    }

    /// Draws new parameters as the spec's `init` section says, with `seed`: the same values
    /// a compiled network of the same spec gets from `with_seed(seed)`.
    pub fn reinitialize(&mut self, seed: u64) {
        let weights: Vec<_> = self
            .spec
            .layers
            .iter()
            .map(|layer| self.spec.init.weights_for(&layer.activation))
            .collect();
        initialize(
            &mut self.params,
            &self.layout,
            &weights,
            self.spec.init.bias,
            seed,
        );
    }

    /// Loads a network of whatever architecture a checkpoint holds.
    ///
    /// # Errors
    ///
    /// As [`checkpoint::load_weights`], plus a metadata error if the checkpoint's spec does
    /// not build (for example another precision than `T`).
    pub fn load(path: impl AsRef<Path>) -> Result<Loaded<Self>, CheckpointError> {
        let file = checkpoint::open_checked(path.as_ref())?;
        let network = Self::for_checkpoint(&file)?;
        checkpoint::load_weights_into(&file, network)
    }

    /// Loads a network and a trainer that resumes its training, from a training checkpoint.
    ///
    /// # Errors
    ///
    /// As [`checkpoint::load_training`].
    pub fn load_training(
        path: impl AsRef<Path>,
    ) -> Result<(Loaded<Self>, Trainer<Self>), CheckpointError> {
        let file = checkpoint::open_checked(path.as_ref())?;
        let network = Self::for_checkpoint(&file)?;
        checkpoint::load_training_into(&file, network)
    }

    fn for_checkpoint(file: &checkpoint::File) -> Result<Self, CheckpointError> {
        let spec = file.spec()?;
        Self::from_spec(spec).map_err(|e| file.bad("spec", e.to_string()))
    }

    /// The number of layers.
    pub fn layer_count(&self) -> usize {
        self.layers.len()
    }

    /// The output for one input (a convenience that allocates its buffers and result).
    ///
    /// # Panics
    ///
    /// If `input` does not have `input_size()` values.
    pub fn predict(&self, input: &[T]) -> Vec<T> {
        assert_eq!(input.len(), self.input_size(), "one input sample");
        let mut tape = Tape::new(&self.layers, 1);
        self.run_forward(&self.params, input, 1, &mut tape);
        tape.a[self.layers.len() - 1].to_vec()
    }

    fn check_count(&self, count: usize) {
        assert!(
            (1..=self.spec.batch_size).contains(&count),
            "`count` must be between 1 and the batch size {}",
            self.spec.batch_size
        );
    }

    fn run_forward<U: Float>(&self, params: &[U], inputs: &[U], count: usize, tape: &mut Tape<U>) {
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let units = layer.shape.units;
            let n = units * count;
            let (before, rest) = tape.a.split_at_mut(l);
            let x = if l == 0 {
                inputs
            } else {
                &before[l - 1][..layer.shape.inputs * count]
            };
            dense::forward(
                layer.shape,
                layer.params(params),
                x,
                &mut tape.z[l][..n],
                count,
            );
            if l == last {
                self.head
                    .activate(units, &tape.z[l][..n], &mut rest[0][..n]);
            } else {
                layer
                    .activation
                    .forward(units, &tape.z[l][..n], &mut rest[0][..n]);
            }
        }
    }

    fn run_loss<U: Float>(
        &self,
        params: &[U],
        inputs: &[U],
        targets: &[U],
        count: usize,
        tape: &mut Tape<U>,
    ) -> U {
        self.run_forward(params, inputs, count, tape);
        let last = self.layers.len() - 1;
        let n = self.layers[last].shape.units * count;
        let loss = self.head.loss(
            self.layers[last].shape.units,
            &tape.z[last][..n],
            &tape.a[last][..n],
            &targets[..n],
            count,
        );
        loss + penalty(params, &self.layout, &self.spec.regularization)
    }
}

impl<T: Float> Model for DynNetwork<T> {
    type Float = T;
    type Workspace = DynWorkspace<T>;

    fn spec(&self) -> Spec {
        self.spec.clone()
    }

    fn canonical_spec(&self) -> &str {
        &self.canonical
    }

    fn input_size(&self) -> usize {
        self.spec.input
    }

    fn output_size(&self) -> usize {
        self.spec.outputs()
    }

    fn batch_size(&self) -> usize {
        self.spec.batch_size
    }

    fn layout(&self) -> &[ParamSegment] {
        &self.layout
    }

    fn params(&self) -> &[T] {
        &self.params
    }

    fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    fn workspace(&self) -> DynWorkspace<T> {
        DynWorkspace {
            tape: Tape::new(&self.layers, self.spec.batch_size),
        }
    }

    fn forward_slice(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        count: usize,
        outputs: &mut [T],
    ) {
        self.check_count(count);
        self.run_forward(
            &self.params,
            &inputs[..self.spec.input * count],
            count,
            &mut workspace.tape,
        );
        let n = self.output_size() * count;
        outputs[..n].copy_from_slice(&workspace.tape.a[self.layers.len() - 1][..n]);
    }

    fn loss_slice(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
    ) -> T {
        self.check_count(count);
        self.run_loss(
            &self.params,
            &inputs[..self.spec.input * count],
            targets,
            count,
            &mut workspace.tape,
        )
    }

    fn loss_f64(&self, params: &[f64], inputs: &[f64], targets: &[f64], count: usize) -> f64 {
        self.check_count(count);
        let mut tape = Tape::new(&self.layers, count);
        self.run_loss(
            params,
            &inputs[..self.spec.input * count],
            targets,
            count,
            &mut tape,
        )
    }

    fn backward_slice(
        &self,
        workspace: &mut DynWorkspace<T>,
        inputs: &[T],
        targets: &[T],
        count: usize,
        grads: &mut [T],
    ) -> T {
        self.check_count(count);
        let inputs = &inputs[..self.spec.input * count];
        let tape = &mut workspace.tape;
        self.run_forward(&self.params, inputs, count, tape);
        let last = self.layers.len() - 1;
        let units = self.layers[last].shape.units;
        let n = units * count;
        let loss = self.head.loss(
            units,
            &tape.z[last][..n],
            &tape.a[last][..n],
            &targets[..n],
            count,
        );
        self.head.delta(
            units,
            &tape.z[last][..n],
            &tape.a[last][..n],
            &targets[..n],
            count,
            &mut tape.d[last][..n],
        );
        for (l, layer) in self.layers.iter().enumerate().rev() {
            let shape = layer.shape;
            let x = if l == 0 {
                inputs
            } else {
                &tape.a[l - 1][..shape.inputs * count]
            };
            let range = layer.offset..layer.offset + shape.units * (shape.inputs + 1);
            dense::backward_params(
                shape,
                &tape.d[l][..shape.units * count],
                x,
                &mut grads[range],
                count,
            );
            if l > 0 {
                let (before, rest) = tape.d.split_at_mut(l);
                let previous = &mut before[l - 1][..shape.inputs * count];
                dense::backward_inputs(
                    shape,
                    layer.params(&self.params),
                    &rest[0][..shape.units * count],
                    previous,
                    count,
                );
                self.layers[l - 1].activation.backward(
                    shape.inputs,
                    &tape.z[l - 1][..shape.inputs * count],
                    &tape.a[l - 1][..shape.inputs * count],
                    previous,
                );
            }
        }
        add_penalty_gradient(&self.params, grads, &self.layout, &self.spec.regularization);
        loss + penalty(&self.params, &self.layout, &self.spec.regularization)
    }
}
