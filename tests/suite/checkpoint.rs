//! Checkpoints: exact round trips, exact resumption, crash safety, one test per error, no
//! panic on damaged files, and PyTorch's layout in and out.

use std::collections::HashMap;
use std::io::Write;

use tempfile::TempDir;

use mlp_runtime::checkpoint::{
    self, CheckpointError, CheckpointPolicy, Preprocessing, import_state_dict, load_training,
    load_weights, save_training, save_weights, write_atomic,
};
use mlp_runtime::prelude::*;
use mlp_runtime::{DynNetwork, Model};
use safetensors::{Dtype, SafeTensors, tensor::TensorView};

use crate::common::{Data, Recorder};

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

#[mlp(spec = "tests/specs/checkpoint-f64.yaml")]
struct Momentum64;

#[mlp(spec = "tests/specs/checkpoint-wider.yaml")]
struct WiderIris;

#[mlp(spec = "tests/specs/checkpoint-iris-f64.yaml")]
struct Iris64;

#[mlp(spec = "tests/specs/checkpoint-batch-norm.yaml")]
struct NormIris;

#[mlp(spec = "tests/specs/import-batch-norm.yaml")]
struct ImportedNorm;

/// A fresh directory for one test's files, removed with everything in it when dropped.
fn scratch(test: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("mlp-checkpoint-{test}-"))
        .tempdir()
        .unwrap()
}

fn iris() -> Dataset<f32, 4, 3> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/iris.csv");
    let data = Dataset::from_csv(path, CsvTarget::Label(4)).unwrap();
    let mut data = data;
    Standardizer::fit_inputs(&data).apply_inputs(&mut data);
    data
}

fn quiet<N: StaticModel>(epochs: usize) -> TrainConfig {
    TrainConfig::from_spec(&N::with_seed(0).spec())
        .with_epochs(epochs)
        .quiet()
}

fn error_of<N: StaticModel>(path: &std::path::Path) -> String {
    match load_weights::<N>(path) {
        Ok(_) => panic!("{} should not load", path.display()),
        Err(error) => error
            .to_string()
            .replace(&path.display().to_string(), "FILE"),
    }
}

/// Iris's names, and a standardizer of its four inputs.
fn iris_preprocessing() -> Preprocessing {
    Preprocessing {
        inputs: Some(Standardizer {
            mean: vec![1.0, 2.0, 3.0, 4.0],
            std: vec![0.5; 4],
        }),
        targets: None,
        class_names: vec!["setosa".into(), "versicolor".into(), "virginica".into()],
        feature_names: ["sepal length", "sepal width", "petal length", "petal width"]
            .map(String::from)
            .to_vec(),
        target_names: vec!["species".into()],
    }
}

#[test]
fn weights_and_training_state_round_trip_exactly_in_f32_and_f64() {
    let dir = scratch("round-trip");
    // f32 with adam state, after some training.
    let mut net = Iris::new();
    let mut trainer = Trainer::with_config(&net, quiet::<Iris>(3));
    trainer.fit(&mut net, &iris(), None).unwrap();
    let preprocessing = iris_preprocessing();
    save_training(
        dir.path().join("iris.safetensors"),
        &net,
        &trainer,
        &preprocessing,
    )
    .unwrap();
    let (loaded, resumed) = load_training::<Iris>(dir.path().join("iris.safetensors")).unwrap();
    assert_eq!(loaded.network.params(), net.params());
    assert_eq!(loaded.preprocessing, preprocessing);
    assert_eq!(
        (loaded.epoch, loaded.step),
        (3, trainer.optimizer().steps())
    );
    assert_eq!(
        resumed.optimizer(),
        trainer.optimizer(),
        "buffers and step count"
    );
    assert_eq!(resumed.epochs_done(), 3);
    let weights_only = load_weights::<Iris>(dir.path().join("iris.safetensors")).unwrap();
    assert_eq!(weights_only.network.params(), net.params());

    // f64 with a momentum buffer.
    let mut net = Momentum64::new();
    let mut trainer = Trainer::with_config(&net, quiet::<Momentum64>(1));
    let mut data = Data::new(5);
    let x: Vec<f64> = (0..12).map(|_| data.normal()).collect();
    let y: Vec<f64> = (0..8).map(|_| data.normal()).collect();
    trainer.step(&mut net, &x, &y, 4).unwrap();
    trainer.step(&mut net, &x, &y, 4).unwrap();
    save_training(
        dir.path().join("m64.safetensors"),
        &net,
        &trainer,
        &Preprocessing::default(),
    )
    .unwrap();
    let (loaded, resumed) =
        load_training::<Momentum64>(dir.path().join("m64.safetensors")).unwrap();
    let bits = |values: &[f64]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(loaded.network.params()), bits(net.params()));
    assert_eq!(
        bits(&resumed.optimizer().state()[0]),
        bits(&trainer.optimizer().state()[0])
    );
    save_weights(
        dir.path().join("w64.safetensors"),
        &net,
        &Preprocessing::default(),
    )
    .unwrap();
    let loaded = load_weights::<Momentum64>(dir.path().join("w64.safetensors")).unwrap();
    assert_eq!(bits(loaded.network.params()), bits(net.params()));
}

#[test]
fn the_same_network_saved_again_writes_the_same_bytes() {
    let dir = scratch("same-bytes");
    let mut net = Iris::new();
    let mut trainer = Trainer::with_config(&net, quiet::<Iris>(2));
    trainer.fit(&mut net, &iris(), None).unwrap();
    let preprocessing = iris_preprocessing();
    // Each save builds its metadata map afresh, with a hasher of its own: a map's order
    // would differ between them.
    let saves = |name: &str, save: &dyn Fn(&std::path::Path)| -> Vec<Vec<u8>> {
        (0..4)
            .map(|i| {
                let path = dir.path().join(format!("{name}-{i}.safetensors"));
                save(&path);
                std::fs::read(&path).unwrap()
            })
            .collect()
    };
    let training = saves("training", &|path| {
        save_training(path, &net, &trainer, &preprocessing).unwrap()
    });
    let weights = saves("weights", &|path| {
        save_weights(path, &net, &preprocessing).unwrap()
    });
    for files in [&training, &weights] {
        assert!(files.iter().all(|file| file == &files[0]));
    }
    // Still a checkpoint that loads exactly, with its metadata in the order of its keys.
    let path = dir.path().join("training-0.safetensors");
    let (loaded, _) = load_training::<Iris>(&path).unwrap();
    assert_eq!(loaded.network.params(), net.params());
    assert_eq!(loaded.preprocessing, preprocessing);
    let (_, metadata) = SafeTensors::read_metadata(&training[0]).unwrap();
    let keys: Vec<String> = metadata
        .metadata()
        .as_ref()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let header_len = u64::from_le_bytes(training[0][..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&training[0][8..8 + header_len]).unwrap();
    let mut sorted = keys.clone();
    sorted.sort();
    let at = |key: &String| header.find(&format!("\"{key}\":")).unwrap();
    assert!(
        sorted.windows(2).all(|pair| at(&pair[0]) < at(&pair[1])),
        "{header}"
    );
    assert!(keys.len() >= 8, "{keys:?}");
}

#[test]
fn resuming_from_a_checkpoint_continues_exactly_as_an_uninterrupted_run() {
    let dir = scratch("resume");
    let data = iris();
    let mut straight = Iris::with_seed(9);
    let config = quiet::<Iris>(10).with_seed(9);
    Trainer::with_config(&straight, config.clone())
        .fit(&mut straight, &data, None)
        .unwrap();

    let mut first = Iris::with_seed(9);
    let mut trainer = Trainer::with_config(&first, config.with_epochs(5));
    trainer.fit(&mut first, &data, None).unwrap();
    save_training(
        dir.path().join("half.safetensors"),
        &first,
        &trainer,
        &Preprocessing::default(),
    )
    .unwrap();
    drop((first, trainer));

    let (loaded, mut trainer) = load_training::<Iris>(dir.path().join("half.safetensors")).unwrap();
    let mut resumed = loaded.network;
    *trainer.config_mut() = quiet::<Iris>(5).with_seed(9);
    trainer.fit(&mut resumed, &data, None).unwrap();
    let bits = |net: &Iris| net.params().iter().map(|p| p.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&resumed), bits(&straight));
}

#[test]
fn resuming_batch_norm_and_dropout_continues_exactly_as_an_uninterrupted_run() {
    let dir = scratch("resume-norm");
    let data = iris();
    let config = quiet::<NormIris>(8).with_seed(4);
    let mut straight = NormIris::with_seed(4);
    Trainer::with_config(&straight, config.clone())
        .fit(&mut straight, &data, None)
        .unwrap();

    let mut first = NormIris::with_seed(4);
    let mut trainer = Trainer::with_config(&first, config.clone().with_epochs(3));
    trainer.fit(&mut first, &data, None).unwrap();
    let path = dir.path().join("half.safetensors");
    save_training(&path, &first, &trainer, &Preprocessing::default()).unwrap();
    // The running statistics are tensors of their own, named as PyTorch names the buffers
    // of the `BatchNorm1d` after the `Linear`, and they moved from their start.
    let bytes = std::fs::read(&path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let running = file.tensor("layers.1.norm.running_var").unwrap();
    assert_eq!(running.shape(), [16]);
    assert!(
        running
            .data()
            .chunks_exact(4)
            .any(|b| f32::from_le_bytes(b.try_into().unwrap()) != 1.0)
    );
    assert!(
        file.tensor("layers.0.bias").is_err(),
        "a normalised layer has no bias"
    );
    drop((first, trainer));

    let (loaded, mut trainer) = load_training::<NormIris>(&path).unwrap();
    let mut resumed = loaded.network;
    *trainer.config_mut() = config.with_epochs(5);
    trainer.fit(&mut resumed, &data, None).unwrap();
    let bits = |net: &NormIris| net.params().iter().map(|p| p.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&resumed), bits(&straight));
    assert_ne!(
        resumed.layer0_norm_running_mean(),
        NormIris::with_seed(4).layer0_norm_running_mean()
    );
}

#[test]
fn a_failure_mid_write_leaves_the_previous_checkpoint_loadable() {
    let dir = scratch("crash");
    let path = dir.path().join("model.safetensors");
    let net = Iris::with_seed(1);
    save_weights(&path, &net, &Preprocessing::default()).unwrap();
    let newer = std::fs::read(&path).unwrap();
    // Write half of a checkpoint, then fail as a full disk or a killed process would.
    let failed = write_atomic(&path, |file| {
        file.write_all(&newer[..newer.len() / 2])?;
        Err(std::io::Error::other("disk full"))
    });
    assert!(failed.is_err());
    let loaded = load_weights::<Iris>(&path).unwrap();
    assert_eq!(loaded.network.params(), net.params());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
}

#[test]
fn weights_are_stored_in_pytorch_linear_layout() {
    let dir = scratch("layout");
    let net = Iris::with_seed(2);
    save_weights(
        dir.path().join("w.safetensors"),
        &net,
        &Preprocessing::default(),
    )
    .unwrap();
    let bytes = std::fs::read(dir.path().join("w.safetensors")).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let weight = file.tensor("layers.0.weight").unwrap();
    assert_eq!((weight.dtype(), weight.shape()), (Dtype::F32, &[16, 4][..]));
    let values: Vec<f32> = weight
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    let w = net.layer0_weight();
    for r in 0..16 {
        for c in 0..4 {
            assert_eq!(values[r * 4 + c], w[(r, c)], "row-major [out, in]");
        }
    }
    assert_eq!(file.tensor("layers.2.bias").unwrap().shape(), &[3]);
    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    let metadata = header.metadata().clone().unwrap();
    assert_eq!(metadata["format"], "mlp-checkpoint/1");
    assert_eq!(metadata["spec"], <Iris as StaticModel>::SPEC_YAML);
    assert_eq!(
        metadata["spec_sha256"],
        checkpoint::sha256_hex(<Iris as StaticModel>::SPEC_YAML)
    );
    assert_eq!(metadata["precision"], "f32");
}

/// Writes a safetensors file with the given tensors (all F32 unless named in `f64`) and a
/// real checkpoint's metadata, possibly edited.
fn craft(
    path: &std::path::Path,
    tensors: &[(&str, Vec<usize>)],
    dtype: Dtype,
    metadata: HashMap<String, String>,
) {
    let data: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .iter()
        .map(|(name, shape)| {
            let count: usize = shape.iter().product();
            (
                name.to_string(),
                shape.clone(),
                vec![0u8; count * dtype.bitsize() / 8],
            )
        })
        .collect();
    let views: Vec<(&str, TensorView<'_>)> = data
        .iter()
        .map(|(n, s, b)| (n.as_str(), TensorView::new(dtype, s.clone(), b).unwrap()))
        .collect();
    std::fs::write(path, safetensors::serialize(views, Some(metadata)).unwrap()).unwrap();
}

fn iris_metadata() -> HashMap<String, String> {
    let dir = scratch("metadata");
    save_weights(
        dir.path().join("m.safetensors"),
        &Iris::new(),
        &Preprocessing::default(),
    )
    .unwrap();
    let bytes = std::fs::read(dir.path().join("m.safetensors")).unwrap();
    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    header.metadata().clone().unwrap()
}

fn iris_tensors() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("layers.0.weight", vec![16, 4]),
        ("layers.0.bias", vec![16]),
        ("layers.1.weight", vec![16, 16]),
        ("layers.1.bias", vec![16]),
        ("layers.2.weight", vec![3, 16]),
        ("layers.2.bias", vec![3]),
    ]
}

#[test]
fn every_bad_checkpoint_gets_its_own_message() {
    let dir = scratch("errors");
    let path = |name: &str| dir.path().join(name);
    let good = path("good.safetensors");
    save_training(
        &good,
        &Iris::new(),
        &Trainer::new(&Iris::new()),
        &Preprocessing::default(),
    )
    .unwrap();
    let bytes = std::fs::read(&good).unwrap();

    assert!(
        error_of::<Iris>(&path("missing.safetensors")).starts_with("checkpoint FILE: No such file")
    );

    std::fs::write(path("truncated"), &bytes[..bytes.len() - 10]).unwrap();
    assert!(
        error_of::<Iris>(&path("truncated"))
            .starts_with("checkpoint FILE: not a valid safetensors file ("),
        "{}",
        error_of::<Iris>(&path("truncated"))
    );
    std::fs::write(path("text.csv"), "a,b,c\n1,2,3\n").unwrap();
    assert!(error_of::<Iris>(&path("text.csv")).contains("not a valid safetensors file"));

    let mut metadata = iris_metadata();
    craft(
        &path("torch.safetensors"),
        &iris_tensors(),
        Dtype::F32,
        HashMap::new(),
    );
    assert!(error_of::<Iris>(&path("torch.safetensors")).contains("not an mlp checkpoint"));

    metadata.insert("format".into(), "mlp-checkpoint/2".into());
    craft(
        &path("newer.safetensors"),
        &iris_tensors(),
        Dtype::F32,
        metadata.clone(),
    );
    assert_eq!(
        error_of::<Iris>(&path("newer.safetensors")),
        "FILE: checkpoint format `mlp-checkpoint/2` is newer than this mlp reads (mlp-checkpoint/1); upgrade mlp"
    );
    metadata.insert("format".into(), "mlp-checkpoint/1".into());

    let mut named = metadata.clone();
    named.insert("feature_names".into(), r#"["a", "b", "c"]"#.into());
    craft(&path("names"), &iris_tensors(), Dtype::F32, named.clone());
    assert_eq!(
        error_of::<Iris>(&path("names")),
        "FILE: checkpoint metadata `feature_names` is 3 names for a network of 4 inputs"
    );
    // A standardizer of another width would standardise the wrong columns, one of no
    // columns made prediction panic, and a deviation of 0 divides by it.
    for (scaler, problem) in [
        (
            r#"{"mean": [1, 2], "std": [1, 1]}"#,
            "2 means and 2 standard deviations for a network of 4 inputs",
        ),
        (
            r#"{"mean": [], "std": []}"#,
            "0 means and 0 standard deviations for a network of 4 inputs",
        ),
        (
            r#"{"mean": [1, 2, 3, 4], "std": [1, 1, 0, 1]}"#,
            "a mean of 3 and a standard deviation of 0 for column 3: each mean must be finite, \
             and each deviation finite and above 0",
        ),
    ] {
        let mut scaled = metadata.clone();
        scaled.insert("input_standardizer".into(), scaler.into());
        craft(&path("scaled"), &iris_tensors(), Dtype::F32, scaled);
        assert_eq!(
            error_of::<Iris>(&path("scaled")),
            format!("FILE: checkpoint metadata `input_standardizer` is {problem}")
        );
    }
    named.insert("feature_names".into(), r#"["a", "b", "c", 4]"#.into());
    craft(&path("names"), &iris_tensors(), Dtype::F32, named);
    assert!(
        error_of::<Iris>(&path("names"))
            .starts_with("FILE: checkpoint metadata `feature_names` is unreadable: "),
        "{}",
        error_of::<Iris>(&path("names"))
    );

    let mut missing = iris_tensors();
    missing.remove(3);
    craft(
        &path("missing-tensor"),
        &missing,
        Dtype::F32,
        metadata.clone(),
    );
    assert_eq!(
        error_of::<Iris>(&path("missing-tensor")),
        "FILE: tensor `layers.1.bias` is missing"
    );

    let mut extra = iris_tensors();
    extra.push(("layers.3.weight", vec![2, 3]));
    craft(&path("extra-tensor"), &extra, Dtype::F32, metadata.clone());
    assert_eq!(
        error_of::<Iris>(&path("extra-tensor")),
        "FILE: unexpected tensor `layers.3.weight`"
    );

    let mut misshapen = iris_tensors();
    misshapen[2].1 = vec![16, 8];
    craft(&path("shape"), &misshapen, Dtype::F32, metadata.clone());
    assert_eq!(
        error_of::<Iris>(&path("shape")),
        "FILE: tensor `layers.1.weight` has shape [16, 8], the network expects [16, 16]"
    );

    // The same architecture in f64: its tensors are F64.
    save_weights(
        path("f64.safetensors"),
        &Iris64::new(),
        &Preprocessing::default(),
    )
    .unwrap();
    assert_eq!(
        error_of::<Iris>(&path("f64.safetensors")),
        "FILE: tensor `layers.0.weight` holds F64, the network computes in f32"
    );

    save_weights(
        path("wider.safetensors"),
        &WiderIris::new(),
        &Preprocessing::default(),
    )
    .unwrap();
    assert_eq!(
        error_of::<Iris>(&path("wider.safetensors")),
        "FILE: the checkpoint is of another network: layers[0] units: checkpoint 32, network 16"
    );

    save_weights(
        path("weights-only.safetensors"),
        &Iris::new(),
        &Preprocessing::default(),
    )
    .unwrap();
    let error = load_training::<Iris>(path("weights-only.safetensors"))
        .err()
        .unwrap();
    assert!(
        matches!(error, CheckpointError::NoTrainingState { .. }),
        "{error}"
    );

    // A NaN weight (of a run that diverged in PyTorch, say) would make every prediction NaN.
    let mut diverged = Iris::new();
    let segment = diverged.layout()[0];
    assert_eq!((segment.rows, segment.cols), (16, 4));
    // Column-major in the buffer: row 3, column 1 of `layers.0.weight`.
    diverged.params_mut()[segment.offset + 16 + 3] = f32::NAN;
    save_weights(
        path("nan.safetensors"),
        &diverged,
        &Preprocessing::default(),
    )
    .unwrap();
    assert_eq!(
        error_of::<Iris>(&path("nan.safetensors")),
        "FILE: tensor `layers.0.weight` holds NaN at [3, 1]: a network with it predicts \
         nothing finite; save the weights of an earlier epoch, before training diverged"
    );
}

/// Loads `bytes` as a checkpoint of each kind and reports a panic as a failure.
fn load_without_panic(dir: &std::path::Path, bytes: &[u8], what: &str) {
    let path = dir.join("damaged.safetensors");
    std::fs::write(&path, bytes).unwrap();
    let outcome = std::panic::catch_unwind(|| {
        let _ = load_weights::<Iris>(&path);
        let _ = load_training::<Iris>(&path);
        let _ = import_state_dict::<Iris>(&path);
    });
    assert!(outcome.is_ok(), "loading panicked on {what}");
}

#[test]
fn damaged_files_never_make_the_loader_panic() {
    let dir = scratch("fuzz");
    let net = Iris::new();
    let trainer = Trainer::new(&net);
    save_training(
        dir.path().join("good.safetensors"),
        &net,
        &trainer,
        &Preprocessing::default(),
    )
    .unwrap();
    let bytes = std::fs::read(dir.path().join("good.safetensors")).unwrap();
    let header_end = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;

    for cut in (0..header_end + 64).chain((header_end..bytes.len()).step_by(97)) {
        load_without_panic(
            dir.path(),
            &bytes[..cut],
            &format!("a file cut at {cut} bytes"),
        );
    }
    let mut data = Data::new(11);
    for _ in 0..300 {
        let mut flipped = bytes.clone();
        let at = (data.unit() * header_end as f64) as usize;
        flipped[at] ^= 1 << (data.unit() * 8.0) as u32;
        load_without_panic(dir.path(), &flipped, &format!("a bit flipped at byte {at}"));
    }
    for length in [0, 1, 7, 8, 9, 100, 5000] {
        let random: Vec<u8> = (0..length).map(|_| (data.unit() * 256.0) as u8).collect();
        load_without_panic(dir.path(), &random, &format!("{length} random bytes"));
    }
    // A header that claims an enormous size is rejected from the length prefix alone.
    let mut huge = u64::MAX.to_le_bytes().to_vec();
    huge.extend_from_slice(b"{}");
    load_without_panic(dir.path(), &huge, "a header claiming 2^64 bytes");
    let mut claims = bytes[..header_end].to_vec();
    let json = String::from_utf8_lossy(&claims[8..]).replace("[16,4]", "[1600000000,4000000]");
    claims.truncate(8);
    claims[..8].copy_from_slice(&(json.len() as u64).to_le_bytes());
    claims.extend_from_slice(json.as_bytes());
    std::fs::write(dir.path().join("claims.safetensors"), &claims).unwrap();
    assert!(load_weights::<Iris>(dir.path().join("claims.safetensors")).is_err());
}

/// Writes `(name, shape, bytes)` tensors of `dtype` as a safetensors file without metadata,
/// as PyTorch's `save_file(model.state_dict())` does.
fn write_state_dict(
    path: &std::path::Path,
    tensors: &[(String, Vec<usize>, Vec<u8>)],
    dtype: Dtype,
) {
    let views: Vec<(&str, TensorView<'_>)> = tensors
        .iter()
        .map(|(n, s, b)| (n.as_str(), TensorView::new(dtype, s.clone(), b).unwrap()))
        .collect();
    std::fs::write(path, safetensors::serialize(views, None).unwrap()).unwrap();
}

#[test]
fn weights_saved_from_pytorch_sequential_import() {
    let dir = scratch("import");
    // nn.Sequential(Linear(4,16), ReLU(), Linear(16,16), ReLU(), Linear(16,3)): the linear
    // layers are modules 0, 2 and 4; `10` sorts after `2` numerically.
    let reference = Iris::with_seed(3);
    let names = ["0", "2", "10"];
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    for segment in <Iris as StaticModel>::LAYOUT {
        let name = format!("{}.{}", names[segment.layer], segment.role.name());
        let mut bytes = Vec::new();
        for r in 0..segment.rows {
            for c in 0..segment.cols {
                let value = reference.params()[segment.offset + c * segment.rows + r];
                bytes.extend_from_slice(&value.to_le_bytes());
            }
        }
        let shape = if segment.cols == 1 {
            vec![segment.rows]
        } else {
            vec![segment.rows, segment.cols]
        };
        tensors.push((name, shape, bytes));
    }
    write_state_dict(&dir.path().join("torch.safetensors"), &tensors, Dtype::F32);
    let imported = import_state_dict::<Iris>(dir.path().join("torch.safetensors")).unwrap();
    assert_eq!(imported.params(), reference.params());

    let error = import_state_dict::<WiderIris>(dir.path().join("torch.safetensors"))
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .ends_with("tensor `0.weight` has shape [16, 4], the network expects [32, 4]"),
        "{error}"
    );

    // A double-precision state dict converts to f32, but not a value beyond its range.
    let wide: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .iter()
        .map(|(name, shape, bytes)| {
            let mut doubles: Vec<u8> = bytes
                .chunks_exact(4)
                .flat_map(|b| f64::from(f32::from_le_bytes(b.try_into().unwrap())).to_le_bytes())
                .collect();
            if name == "2.weight" {
                doubles[8..16].copy_from_slice(&1e300f64.to_le_bytes());
            }
            (name.clone(), shape.clone(), doubles)
        })
        .collect();
    let path = dir.path().join("torch64.safetensors");
    write_state_dict(&path, &wide, Dtype::F64);
    let error = import_state_dict::<Iris>(&path).err().unwrap().to_string();
    assert!(
        error.ends_with(
            "tensor `2.weight` holds 1e300 at [0, 1], beyond f32's range: a network with it \
             predicts nothing finite; save the weights of an earlier epoch, before training \
             diverged"
        ),
        "{error}"
    );
}

#[test]
fn a_pytorch_model_with_batch_norm_imports_with_its_linear_biases_folded() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oracle/import_batch_norm"
    );
    let network = import_state_dict::<ImportedNorm>(format!("{dir}/model.safetensors")).unwrap();
    let io = std::fs::read(format!("{dir}/io.safetensors")).unwrap();
    let io = SafeTensors::deserialize(&io).unwrap();
    let floats = |name: &str| -> Vec<f32> {
        let data = io.tensor(name).unwrap().data().to_vec();
        data.chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect()
    };
    let (x, y) = (floats("x"), floats("y"));
    for (input, expected) in x.chunks_exact(4).zip(y.chunks_exact(3)) {
        let output = network.forward(&ImportedNormInput::from_column_slice(input));
        for (a, e) in output.iter().zip(expected) {
            assert!((a - e).abs() < 1e-5, "{output:?} vs PyTorch {expected:?}");
        }
    }
}

#[test]
fn the_trainer_writes_periodic_and_best_checkpoints() {
    let dir = scratch("policy");
    let mut net = Iris::new();
    let mut config = quiet::<Iris>(40);
    config.training.validation_split = 0.2;
    let mut trainer = Trainer::with_config(&net, config);
    let policy = CheckpointPolicy::new(dir.path().join("last.safetensors"), 2)
        .with_best(dir.path().join("best.safetensors"));
    trainer.add_hook(policy);
    let (recorder, recorded) = Recorder::new();
    trainer.add_hook(recorder);
    let history = trainer.fit(&mut net, &iris(), None).unwrap();
    let (last, _) = load_training::<Iris>(dir.path().join("last.safetensors")).unwrap();
    assert_eq!(last.epoch, 40, "written after every second epoch");
    assert_eq!(last.network.params(), &recorded.borrow()[39][..]);
    // The best weights are those of the epoch with the lowest validation loss.
    let best_epoch = history
        .epochs
        .iter()
        .min_by(|a, b| a.val_loss.unwrap().total_cmp(&b.val_loss.unwrap()))
        .unwrap()
        .epoch;
    let best = load_weights::<Iris>(dir.path().join("best.safetensors")).unwrap();
    assert_eq!(
        best.network.params(),
        &recorded.borrow()[best_epoch - 1][..],
        "the best file holds epoch {best_epoch}'s weights"
    );
}

#[mlp(spec = "specs/digits.yaml")]
struct Digits;

#[test]
fn a_saved_digits_model_scores_the_same_from_raw_inputs() {
    // What the `digits` and `digits_eval` examples do, in one process.
    let dir = scratch("digits");
    let data = Dataset::<f32, 64, 10>::from_csv(
        crate::examples::data_file("digits.csv"),
        CsvTarget::Label(64),
    )
    .unwrap();
    let run = crate::examples::holdout::<Digits, 64, 10>(&data, 0, false).unwrap();
    let preprocessing = Preprocessing::for_data(&data, Some(run.inputs.clone()), None);
    save_weights(
        dir.path().join("digits.safetensors"),
        &run.network,
        &preprocessing,
    )
    .unwrap();

    let loaded = load_weights::<Digits>(dir.path().join("digits.safetensors")).unwrap();
    let mut test = crate::examples::raw_test_part(&data, 0, true);
    loaded
        .preprocessing
        .inputs
        .as_ref()
        .unwrap()
        .apply_inputs(&mut test);
    let evaluation = evaluate(&loaded.network, &test).unwrap();
    assert_eq!(evaluation.accuracy, run.test.accuracy);
    assert!(evaluation.accuracy.unwrap() > 0.95);

    // The loaded model's predictor takes the raw pixels and gets the same classes.
    let raw = crate::examples::raw_test_part(&data, 0, true);
    let mut classes = vec![0; raw.len()];
    loaded
        .predictor()
        .with_threads(2)
        .predict_class(raw.inputs(), &mut classes)
        .unwrap();
    let right = (0..raw.len())
        .filter(|&i| classes[i] == raw.class(i))
        .count();
    assert_eq!(Some(right as f64 / raw.len() as f64), evaluation.accuracy);
}

#[test]
fn a_loaded_regression_takes_raw_inputs_and_answers_in_the_targets_units() {
    let dir = scratch("raw-regression");
    let yaml = std::fs::read_to_string("specs/diabetes.yaml").unwrap();
    let mut net = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
    let mut data = DynDataset::<f32>::from_csv(
        crate::examples::data_file("diabetes.csv"),
        CsvTarget::Columns,
        10,
        1,
    )
    .unwrap();
    let raw = data.clone();
    let preprocessing = Preprocessing::for_data(
        &data,
        Some(Standardizer::fit_inputs(&data)),
        Some(Standardizer::fit_targets(&data)),
    );
    preprocessing
        .inputs
        .as_ref()
        .unwrap()
        .apply_inputs(&mut data);
    preprocessing
        .targets
        .as_ref()
        .unwrap()
        .apply_targets(&mut data);
    let config = TrainConfig::from_spec(&net.spec()).with_epochs(5).quiet();
    let mut trainer = Trainer::with_config(&net, config);
    trainer.fit_dyn(&mut net, &data, None).unwrap();
    save_weights(
        dir.path().join("diabetes.safetensors"),
        &net,
        &preprocessing,
    )
    .unwrap();

    let loaded = checkpoint::load_dyn::<f32>(dir.path().join("diabetes.safetensors")).unwrap();
    assert_eq!(loaded.preprocessing, preprocessing);
    let predicted = loaded.predict(raw.inputs()).unwrap();
    // By hand: standardise, predict one sample at a time, map back to the targets' units.
    let mut expected = Vec::new();
    for i in 0..raw.len() {
        let mut x = raw.input(i).to_vec();
        preprocessing.inputs.as_ref().unwrap().apply(&mut x);
        let mut y = net.predict(&x);
        preprocessing.targets.as_ref().unwrap().invert(&mut y);
        expected.extend(y);
    }
    assert_eq!(predicted.len(), raw.len());
    for (i, (got, want)) in predicted.iter().zip(&expected).enumerate() {
        assert!(
            (got - want).abs() <= 1e-3 * want.abs().max(1.0),
            "sample {i}: {got} vs {want}"
        );
    }
    // In the targets' units: disease progression scores between 25 and 346, mean 152.
    let mean = predicted.iter().sum::<f32>() / predicted.len() as f32;
    assert!((100.0..200.0).contains(&mean), "{mean}");
}

/// A preprocessing that does not fit the network is refused before anything is written, as
/// loading would refuse the file, and by a predictor given it.
#[test]
fn a_preprocessing_of_another_width_is_not_saved_nor_predicted_with() {
    let dir = scratch("unfit");
    let path = dir.path().join("model.safetensors");
    let net = Iris::new();
    save_weights(&path, &net, &Preprocessing::default()).unwrap();
    let saved = std::fs::read(&path).unwrap();
    let two_columns = Standardizer::fit(&[1.0f32, 2.0, 3.0, 5.0], 2);
    let unfit = Preprocessing {
        inputs: Some(two_columns),
        ..Preprocessing::default()
    };
    let error = save_weights(&path, &net, &unfit).unwrap_err().to_string();
    assert_eq!(
        error.replace(&path.display().to_string(), "FILE"),
        "FILE: not saved: the preprocessing does not fit the network, its `input_standardizer` \
         being 2 means and 2 standard deviations for a network of 4 inputs; fit it on the \
         network's training data"
    );
    let trainer = Trainer::new(&net);
    assert!(save_training(&path, &net, &trainer, &unfit).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), saved);

    let named = Preprocessing {
        class_names: vec!["setosa".into(), "versicolor".into()],
        ..Preprocessing::default()
    };
    let error = save_weights(&path, &net, &named).unwrap_err().to_string();
    assert!(
        error.ends_with(
            "its `class_names` being 2 names for a network of 3 classes; fit it on \
                         the network's training data"
        ),
        "{error}"
    );

    let mut predictor = Predictor::with_preprocessing(&net, &unfit);
    let error = predictor
        .predict(&[5.1, 3.5, 1.4, 0.2], &mut [0.0; 3])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the predictor's preprocessing does not fit the model: its `input_standardizer` is 2 \
         means and 2 standard deviations for a network of 4 inputs; give the preprocessing \
         saved with the model"
    );
}
