//! ONNX export: a network and its preprocessing as a standard ONNX graph (opset 13), for
//! ONNX Runtime, tract, OpenVINO, TensorRT and the other runtimes that read it.
//!
//! The graph takes `input`, a `[batch, inputs]` tensor of raw features (of the spec's
//! precision), and gives `output`, `[batch, outputs]`: the input standardisation as `Sub` and
//! `Div` nodes, each layer as a `Gemm` with its weight in `nn.Linear`'s `[out, in]` layout
//! (`transB = 1`; for `f64` networks `Transpose`, `MatMul` and `Add`, which every runtime
//! reads in double precision) and its activation, the output's softmax or sigmoid included, and a
//! regression's target standardisation undone by `Mul` and `Add`. In f64, the activations
//! whose operators ONNX Runtime or tract lacks in double are built from operators both have,
//! so that an f64 graph loads in each (GELU's `Erf` runs in f32 between two `Cast`s).
//! Initializers are named as
//! the checkpoint's tensors (`layers.0.weight`, ...); the metadata holds the canonical spec
//! and the class names.
//!
//! ```
//! use mlp_runtime::{DynNetwork, Preprocessing, onnx};
//!
//! let net = DynNetwork::<f32>::from_yaml(
//!     "input: 2\nlayers:\n  - {units: 4, activation: gelu}\n  - {units: 3, activation: softmax}\nloss: cross_entropy\n",
//! )
//! .unwrap();
//! let bytes = onnx::to_onnx(&net, &Preprocessing::default()).unwrap();
//! assert!(bytes.len() > 100);
//! ```

mod proto;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mlp_spec::Activation;
use prost::Message as _;

use crate::checkpoint::format::{param_name, segment_bytes};
use crate::checkpoint::write_atomic;
use crate::data::Preprocessing;
use crate::float::Float;
use crate::model::Model;
use proto::{
    Attribute, Dimension, DimensionValue, Graph, Node, OperatorSet, Shape, StringPair, Tensor,
    TensorType, Type, TypeValue, ValueInfo,
};

/// The ONNX operator set the graph is written for.
pub const OPSET: i64 = 13;
/// The ONNX IR version of opset 13.
const IR_VERSION: i64 = 7;

/// Why a network could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum OnnxError {
    /// The preprocessing does not fit the network: a standardisation of another width, or
    /// with a deviation of 0, or names of another count. A graph made from it would
    /// standardise the wrong columns, or divide by zero.
    #[error(
        "not exported: the preprocessing does not fit the network, its `{key}` being \
         {problem}; fit it on the network's training data"
    )]
    Preprocessing {
        /// The checkpoint metadata key of what does not fit.
        key: &'static str,
        /// How it does not fit.
        problem: String,
    },
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The ONNX model of `model` with `preprocessing` (see the [module](self)), encoded.
///
/// # Errors
///
/// [`OnnxError::Preprocessing`] if the preprocessing does not fit the network.
pub fn to_onnx<M: Model>(model: &M, preprocessing: &Preprocessing) -> Result<Vec<u8>, OnnxError> {
    if let Some((key, problem)) = preprocessing.misfit(model.input_size(), model.output_size()) {
        return Err(OnnxError::Preprocessing { key, problem });
    }
    let spec = model.spec();
    let mut graph = GraphBuilder::new::<M::Float>();
    let mut x = "input".to_owned();
    if let Some(scaler) = &preprocessing.inputs {
        let mean = graph.vector::<M::Float>("input_mean", &scaler.mean);
        let std = graph.vector::<M::Float>("input_std", &scaler.std);
        let centred = graph.node("Sub", &[&x, &mean], "input_centred", Vec::new());
        x = graph.node("Div", &[&centred, &std], "input_standardized", Vec::new());
    }
    for segment in model.layout() {
        let bytes = segment_bytes(model.params(), segment);
        let dims = segment
            .torch_shape()
            .into_iter()
            .map(|d| d as i64)
            .collect();
        graph.initializer(&param_name(segment), dims, bytes);
    }
    for (index, layer) in spec.layers.iter().enumerate() {
        let weight = format!("layers.{index}.weight");
        let linear = format!("layers.{index}.linear");
        // A normalised layer's product has no bias; `BatchNormalization` (inference mode:
        // the running statistics) follows it.
        let bias = layer
            .batch_norm
            .is_none()
            .then(|| format!("layers.{index}.bias"));
        let mut z = graph.product(&x, &weight, bias.as_deref(), &linear, index);
        if let Some(norm) = layer.batch_norm {
            let inputs = ["weight", "bias", "running_mean", "running_var"]
                .map(|name| format!("layers.{index}.norm.{name}"));
            let normalised = format!("layers.{index}.normalized");
            let attributes = vec![float("epsilon", norm.eps)];
            let [scale, shift, mean, var] = &inputs;
            z = graph.node(
                "BatchNormalization",
                &[&z, scale, shift, mean, var],
                &normalised,
                attributes,
            );
        }
        // Dropout does nothing at inference.
        let output = format!("layers.{index}.output");
        x = if layer.residual {
            let h = graph.activation(layer.activation, &z, &format!("layers.{index}.activated"));
            graph.node("Add", &[&x, &h], &output, Vec::new())
        } else {
            graph.activation(layer.activation, &z, &output)
        };
    }
    if let Some(scaler) = &preprocessing.targets {
        let std = graph.vector::<M::Float>("target_std", &scaler.std);
        let mean = graph.vector::<M::Float>("target_mean", &scaler.mean);
        let scaled = graph.node("Mul", &[&x, &std], "output_scaled", Vec::new());
        x = graph.node(
            "Add",
            &[&scaled, &mean],
            "output_unstandardized",
            Vec::new(),
        );
    }
    graph.node("Identity", &[&x], "output", Vec::new());

    let mut metadata = vec![StringPair {
        key: "spec".to_owned(),
        value: model.canonical_spec().to_owned(),
    }];
    for (key, names) in [
        ("class_names", &preprocessing.class_names),
        ("feature_names", &preprocessing.feature_names),
        ("target_names", &preprocessing.target_names),
    ] {
        if !names.is_empty() {
            metadata.push(StringPair {
                key: key.to_owned(),
                value: names.join("\n"),
            });
        }
    }
    let elem = graph.elem;
    let onnx = proto::Model {
        ir_version: IR_VERSION,
        producer_name: "mlp".to_owned(),
        producer_version: env!("CARGO_PKG_VERSION").to_owned(),
        doc_string: format!(
            "{} network exported by mlp; input: raw features, output: {}",
            spec.shape(),
            output_meaning(&spec.loss)
        ),
        graph: Some(Graph {
            node: graph.nodes,
            name: spec.name.clone().unwrap_or_else(|| "mlp".to_owned()),
            initializer: graph.initializers,
            input: vec![value_info("input", elem, model.input_size())],
            output: vec![value_info("output", elem, model.output_size())],
        }),
        opset_import: vec![OperatorSet {
            domain: String::new(),
            version: OPSET,
        }],
        metadata_props: metadata,
    };
    Ok(onnx.encode_to_vec())
}

/// Writes the ONNX model of `model` with `preprocessing` to `path`, atomically.
///
/// # Errors
///
/// As [`to_onnx`], and [`OnnxError::Io`] if the file cannot be written.
pub fn save_onnx<M: Model>(
    path: impl AsRef<Path>,
    model: &M,
    preprocessing: &Preprocessing,
) -> Result<(), OnnxError> {
    let bytes = to_onnx(model, preprocessing)?;
    let path = path.as_ref();
    write_atomic(path, |file| std::io::Write::write_all(file, &bytes)).map_err(|source| {
        OnnxError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

fn output_meaning(loss: &mlp_spec::Loss) -> &'static str {
    if *loss == mlp_spec::Loss::Hinge {
        "class scores (class 1 above 0)"
    } else if loss.is_classification() {
        "class probabilities"
    } else {
        "values in the targets' units"
    }
}

/// A `[batch, width]` tensor of `elem`, the batch size left to the runtime.
fn value_info(name: &str, elem: i32, width: usize) -> ValueInfo {
    let dim = |value| Dimension { value: Some(value) };
    ValueInfo {
        name: name.to_owned(),
        r#type: Some(Type {
            value: Some(TypeValue::Tensor(TensorType {
                elem_type: elem,
                shape: Some(Shape {
                    dim: vec![
                        dim(DimensionValue::Named("batch".to_owned())),
                        dim(DimensionValue::Size(width as i64)),
                    ],
                }),
            })),
        }),
    }
}

fn int(name: &str, value: i64) -> Attribute {
    Attribute {
        name: name.to_owned(),
        i: value,
        r#type: proto::ATTRIBUTE_INT,
        ..Attribute::default()
    }
}

fn float(name: &str, value: f64) -> Attribute {
    Attribute {
        name: name.to_owned(),
        f: value as f32,
        r#type: proto::ATTRIBUTE_FLOAT,
        ..Attribute::default()
    }
}

/// The nodes and initializers of a graph under construction.
struct GraphBuilder {
    nodes: Vec<Node>,
    initializers: Vec<Tensor>,
    /// The names of the initializers, so that shared constants are added once.
    names: BTreeSet<String>,
    /// `FLOAT` or `DOUBLE`.
    elem: i32,
}

impl GraphBuilder {
    fn new<T: Float>() -> Self {
        GraphBuilder {
            nodes: Vec::new(),
            initializers: Vec::new(),
            names: BTreeSet::new(),
            elem: if T::NAME == "f64" {
                proto::DOUBLE
            } else {
                proto::FLOAT
            },
        }
    }

    /// Adds a node computing `output` from `inputs`; returns `output`.
    fn node(
        &mut self,
        op: &str,
        inputs: &[&str],
        output: &str,
        attribute: Vec<Attribute>,
    ) -> String {
        self.nodes.push(Node {
            input: inputs.iter().map(|&i| i.to_owned()).collect(),
            output: vec![output.to_owned()],
            name: output.to_owned(),
            op_type: op.to_owned(),
            attribute,
        });
        output.to_owned()
    }

    /// Adds an initializer of little-endian `bytes`, once.
    fn initializer(&mut self, name: &str, dims: Vec<i64>, raw_data: Vec<u8>) -> String {
        if self.names.insert(name.to_owned()) {
            self.initializers.push(Tensor {
                dims,
                data_type: self.elem,
                name: name.to_owned(),
                raw_data,
            });
        }
        name.to_owned()
    }

    /// Adds a vector of `values` in the network's precision.
    fn vector<T: Float>(&mut self, name: &str, values: &[f64]) -> String {
        let mut bytes = Vec::new();
        for &v in values {
            T::cast(v).extend_le_bytes(&mut bytes);
        }
        self.initializer(name, vec![values.len() as i64], bytes)
    }

    /// Adds a scalar in the network's precision.
    fn scalar(&mut self, name: &str, value: f64) -> String {
        let mut bytes = Vec::new();
        if self.elem == proto::DOUBLE {
            value.extend_le_bytes(&mut bytes);
        } else {
            (value as f32).extend_le_bytes(&mut bytes);
        }
        self.initializer(name, Vec::new(), bytes)
    }

    /// `x W^T (+ b)` as node `output`: `Gemm` in f32; in f64 `Transpose`, `MatMul` and `Add`,
    /// since tract (0.23) builds `Gemm`'s `beta` as an f32 constant and fails on double
    /// tensors.
    fn product(
        &mut self,
        x: &str,
        weight: &str,
        bias: Option<&str>,
        output: &str,
        index: usize,
    ) -> String {
        if self.elem == proto::FLOAT {
            let mut inputs = vec![x, weight];
            inputs.extend(bias);
            return self.node("Gemm", &inputs, output, vec![int("transB", 1)]);
        }
        let transposed = format!("layers.{index}.weight_t");
        let transposed = self.node("Transpose", &[weight], &transposed, Vec::new());
        let Some(bias) = bias else {
            return self.node("MatMul", &[x, &transposed], output, Vec::new());
        };
        let product = format!("layers.{index}.product");
        let product = self.node("MatMul", &[x, &transposed], &product, Vec::new());
        self.node("Add", &[&product, bias], output, Vec::new())
    }

    /// Adds the nodes of `activation` applied to `z`, the last one named `output`; returns
    /// the name of the activations.
    ///
    /// In f64, the activations whose operator a common runtime lacks in double are built
    /// from operators every runtime has in double (`Relu`, `Neg`, `Exp`, `Log`, ...): ONNX
    /// Runtime (1.32) has no double `LeakyRelu`, `Elu`, `Softplus` or `Erf`, tract (0.23) no
    /// double `Sigmoid` or `Erf`, and a graph with one of them did not load there.
    fn activation(&mut self, activation: Activation, z: &str, output: &str) -> String {
        let double = self.elem == proto::DOUBLE;
        let part = |name: &str| format!("{output}.{name}");
        match activation {
            Activation::Identity => z.to_owned(),
            // The fast activations approximate these; a runtime computes them its own way.
            Activation::Sigmoid | Activation::FastSigmoid => self.sigmoid(z, output),
            Activation::Tanh | Activation::FastTanh => self.node("Tanh", &[z], output, Vec::new()),
            Activation::Relu => self.node("Relu", &[z], output, Vec::new()),
            Activation::Softmax => self.node("Softmax", &[z], output, vec![int("axis", 1)]),
            Activation::Softplus if double => {
                // `relu(z) + log(1 + exp(-|z|))`, which no `z` overflows.
                let one = self.scalar("one", 1.0);
                let size = self.node("Abs", &[z], &part("abs"), Vec::new());
                let negative = self.node("Neg", &[&size], &part("neg_abs"), Vec::new());
                let exp = self.node("Exp", &[&negative], &part("exp"), Vec::new());
                let sum = self.node("Add", &[&exp, &one], &part("sum"), Vec::new());
                let log = self.node("Log", &[&sum], &part("log"), Vec::new());
                let positive = self.node("Relu", &[z], &part("relu"), Vec::new());
                self.node("Add", &[&positive, &log], output, Vec::new())
            }
            Activation::Softplus => self.node("Softplus", &[z], output, Vec::new()),
            Activation::LeakyRelu { alpha } if double => {
                // `relu(z) - alpha relu(-z)`: `z` above 0, `alpha z` below, exactly.
                let alpha = self.scalar(&part("alpha"), alpha);
                let positive = self.node("Relu", &[z], &part("relu"), Vec::new());
                let below = self.negative_part(z, output);
                let scaled = self.node("Mul", &[&below, &alpha], &part("scaled"), Vec::new());
                self.node("Sub", &[&positive, &scaled], output, Vec::new())
            }
            Activation::LeakyRelu { alpha } => {
                self.node("LeakyRelu", &[z], output, vec![float("alpha", alpha)])
            }
            Activation::Elu { alpha } if double => {
                // `relu(z) + alpha (exp(min(z, 0)) - 1)`, with `min(z, 0) = -relu(-z)`.
                let (one, alpha) = (self.scalar("one", 1.0), self.scalar(&part("alpha"), alpha));
                let positive = self.node("Relu", &[z], &part("relu"), Vec::new());
                let below = self.negative_part(z, output);
                let min = self.node("Neg", &[&below], &part("min"), Vec::new());
                let exp = self.node("Exp", &[&min], &part("exp"), Vec::new());
                let less = self.node("Sub", &[&exp, &one], &part("expm1"), Vec::new());
                let scaled = self.node("Mul", &[&less, &alpha], &part("scaled"), Vec::new());
                self.node("Add", &[&positive, &scaled], output, Vec::new())
            }
            Activation::Elu { alpha } => {
                self.node("Elu", &[z], output, vec![float("alpha", alpha)])
            }
            Activation::Silu => {
                let gate = self.sigmoid(z, &part("sigmoid"));
                self.node("Mul", &[z, &gate], output, Vec::new())
            }
            Activation::Gelu => {
                // `z Phi(z)` with the exact `Phi(z) = (1 + erf(z / sqrt 2)) / 2`: opset 13
                // has `Erf` but not yet `Gelu` (opset 20).
                let root_two = self.scalar("gelu.sqrt2", std::f64::consts::SQRT_2);
                let (one, half) = (self.scalar("one", 1.0), self.scalar("gelu.half", 0.5));
                let scaled = self.node("Div", &[z, &root_two], &part("scaled"), Vec::new());
                let erf = if double {
                    // No runtime above has a double `Erf`: the f32 one, whose error (about
                    // 1e-7 of `Phi`) is all this graph loses to f32.
                    let single = int("to", proto::FLOAT.into());
                    let cast = self.node("Cast", &[&scaled], &part("scaled_f32"), vec![single]);
                    let erf = self.node("Erf", &[&cast], &part("erf_f32"), Vec::new());
                    let back = int("to", proto::DOUBLE.into());
                    self.node("Cast", &[&erf], &part("erf"), vec![back])
                } else {
                    self.node("Erf", &[&scaled], &part("erf"), Vec::new())
                };
                let cdf = self.node("Add", &[&erf, &one], &part("cdf2"), Vec::new());
                let twice = self.node("Mul", &[z, &cdf], &part("twice"), Vec::new());
                self.node("Mul", &[&twice, &half], output, Vec::new())
            }
        }
    }

    /// The logistic sigmoid of `z` as node `output`: `Sigmoid`, or in f64 `1 / (1 +
    /// exp(-z))` (see [`GraphBuilder::activation`]).
    fn sigmoid(&mut self, z: &str, output: &str) -> String {
        if self.elem != proto::DOUBLE {
            return self.node("Sigmoid", &[z], output, Vec::new());
        }
        let one = self.scalar("one", 1.0);
        let negative = self.node("Neg", &[z], &format!("{output}.neg"), Vec::new());
        let exp = self.node("Exp", &[&negative], &format!("{output}.exp"), Vec::new());
        let sum = self.node("Add", &[&exp, &one], &format!("{output}.sum"), Vec::new());
        self.node("Div", &[&one, &sum], output, Vec::new())
    }

    /// `relu(-z)`, the size of `z`'s negative part, as a node named after `output`.
    fn negative_part(&mut self, z: &str, output: &str) -> String {
        let negated = self.node("Neg", &[z], &format!("{output}.neg"), Vec::new());
        self.node("Relu", &[&negated], &format!("{output}.below"), Vec::new())
    }
}
