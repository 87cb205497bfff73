//! ONNX export, read back by an independent runtime (tract): every architecture of `specs/`
//! and every activation computes what the Rust model computes from the same raw inputs,
//! standardisation included, in f32 and in f64.

use mlp_runtime::onnx::{OnnxError, to_onnx};
use mlp_runtime::spec::Precision;
use mlp_runtime::{DynNetwork, Float, Model, Predictor, Preprocessing, Standardizer};
use tract_onnx::prelude::*;

/// Samples run through both: more than one batch of most specs, and a partial one.
const SAMPLES: usize = 37;

/// Raw features far from standardised: column `c` around `10 c` with spread `c + 1`.
fn raw_inputs(width: usize) -> Vec<f64> {
    (0..SAMPLES * width)
        .map(|i| {
            let c = i % width;
            10.0 * c as f64 + (c + 1) as f64 * (((i * 37) % 19) as f64 / 9.0 - 1.0)
        })
        .collect()
}

/// The outputs tract computes from the exported graph.
fn tract_outputs<T: Float + Datum>(
    bytes: &[u8],
    inputs: &[T],
    width: usize,
) -> TractResult<Vec<T>> {
    let model = tract_onnx::onnx()
        .model_for_read(&mut &bytes[..])?
        .with_input_fact(0, T::fact([SAMPLES, width]).into())?
        .into_optimized()?
        .into_runnable()?;
    let input = Tensor::from_shape(&[SAMPLES, width], inputs)?;
    let outputs = model.run(tvec!(input.into_tvalue()))?;
    let plain = outputs[0].try_as_plain_ram()?;
    Ok(plain.as_slice::<T>()?.to_vec())
}

/// Compares tract's outputs with the network's.
fn check<T: Float + Datum>(name: &str, yaml: &str) {
    let mut network = DynNetwork::<T>::from_yaml(yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
    crate::common::move_running_statistics(&mut network);
    let (width, outputs) = (network.input_size(), network.output_size());
    let raw: Vec<T> = raw_inputs(width).into_iter().map(T::cast).collect();
    let regression = !network.spec().loss.is_classification();
    let preprocessing = Preprocessing {
        inputs: Some(Standardizer::fit(&raw, width)),
        targets: regression.then(|| Standardizer {
            mean: (0..outputs).map(|k| 100.0 + k as f64).collect(),
            std: (0..outputs).map(|k| 20.0 + k as f64).collect(),
        }),
        ..Preprocessing::default()
    };
    let bytes = to_onnx(&network, &preprocessing).unwrap();
    let mut expected = vec![T::zero(); SAMPLES * outputs];
    Predictor::with_preprocessing(&network, &preprocessing)
        .predict(&raw, &mut expected)
        .unwrap();
    // An f64 graph builds the activations whose operators tract (0.23) or ONNX Runtime
    // lacks in double from others, so that each loads it.
    let got = tract_outputs(&bytes, &raw, width).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(got.len(), expected.len(), "{name}");
    for (i, (a, b)) in got.iter().zip(&expected).enumerate() {
        let (a, b) = (a.as_f64(), b.as_f64());
        // 1e-5 relative to the value, as the targets' units of a regression can be large.
        assert!(
            (a - b).abs() <= 1e-5 * b.abs().max(1.0),
            "{name}: output {i}: tract {a}, mlp {b}"
        );
    }
}

fn specs_in(dir: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut specs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    specs.sort();
    specs
}

#[test]
fn tract_computes_what_the_network_computes_for_every_architecture_and_activation() {
    let (mut f32_compared, mut f64_compared) = (0, 0);
    for dir in ["specs", "tests/specs/grad"] {
        for (name, yaml) in specs_in(dir) {
            match mlp_runtime::spec::parse(&yaml).unwrap().precision {
                Precision::F32 => {
                    check::<f32>(&name, &yaml);
                    f32_compared += 1;
                }
                Precision::F64 => {
                    check::<f64>(&name, &yaml);
                    f64_compared += 1;
                }
            }
        }
    }
    // Every architecture of `specs/` and every activation and head, in f32 and in f64.
    assert!(f32_compared >= 7 + 20, "{f32_compared} f32 specs");
    assert!(f64_compared >= 20, "{f64_compared} f64 specs");
}

#[test]
fn the_metadata_names_the_spec_classes_and_columns() {
    let yaml = std::fs::read_to_string("specs/iris.yaml").unwrap();
    let network = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
    let names = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect::<Vec<_>>();
    let preprocessing = Preprocessing {
        class_names: names(&["setosa", "versicolor", "virginica"]),
        feature_names: names(&["sepal length", "sepal width", "petal length", "petal width"]),
        target_names: names(&["species"]),
        ..Preprocessing::default()
    };
    let bytes = to_onnx(&network, &preprocessing).unwrap();
    let proto = tract_onnx::onnx()
        .proto_model_for_read(&mut &bytes[..])
        .unwrap();
    let props: Vec<(&str, &str)> = proto
        .metadata_props
        .iter()
        .map(|p| (p.key.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        props,
        [
            ("spec", network.canonical_spec()),
            ("class_names", "setosa\nversicolor\nvirginica"),
            (
                "feature_names",
                "sepal length\nsepal width\npetal length\npetal width"
            ),
            ("target_names", "species"),
        ]
    );
}

#[test]
fn a_preprocessing_that_does_not_fit_is_refused() {
    let yaml = std::fs::read_to_string("specs/iris.yaml").unwrap();
    let network = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
    let preprocessing = Preprocessing {
        inputs: Some(Standardizer::fit(&[1.0f32, 2.0, 3.0], 3)),
        ..Preprocessing::default()
    };
    let error = to_onnx(&network, &preprocessing).unwrap_err();
    assert!(matches!(
        error,
        OnnxError::Preprocessing {
            key: "input_standardizer",
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "not exported: the preprocessing does not fit the network, its `input_standardizer` \
         being 3 means and 3 standard deviations for a network of 4 inputs; fit it on the \
         network's training data"
    );
    // A deviation of 0 would make the graph divide by zero.
    let constant = Preprocessing {
        inputs: Some(Standardizer {
            mean: vec![0.0; 4],
            std: vec![1.0, 0.0, 1.0, 1.0],
        }),
        ..Preprocessing::default()
    };
    let error = to_onnx(&network, &constant).unwrap_err().to_string();
    assert!(
        error.contains("a mean of 0 and a standard deviation of 0 for column 2"),
        "{error}"
    );
}
