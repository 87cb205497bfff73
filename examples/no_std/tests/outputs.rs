//! The `#![no_std]` library's network computes what the checkpoint, loaded at run time,
//! computes: the same outputs bit for bit, and the same species for every flower.

use mlp_no_std_example::{Iris, IrisInput, species};
use mlp_runtime::checkpoint::load_dyn;
use mlp_runtime::{CsvTarget, DynDataset, Predictor};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

#[test]
fn the_compiled_in_network_is_the_loaded_checkpoint() {
    let loaded = load_dyn::<f32>(format!("{ROOT}/tests/weights/iris.safetensors")).unwrap();
    let data = DynDataset::<f32>::from_csv(
        format!("{ROOT}/examples/data/iris.csv"),
        CsvTarget::Label(4),
        4,
        3,
    )
    .unwrap();
    let mut standardised = data.inputs().to_vec();
    loaded
        .preprocessing
        .inputs
        .as_ref()
        .unwrap()
        .apply(&mut standardised);
    let mut expected = vec![0.0; data.len() * 3];
    Predictor::new(&loaded.network)
        .predict(&standardised, &mut expected)
        .unwrap();
    let mut classes = vec![0; data.len()];
    loaded
        .predictor()
        .predict_class(data.inputs(), &mut classes)
        .unwrap();

    let network = Iris::trained();
    for (i, x) in standardised.chunks_exact(4).enumerate() {
        let x: [f32; 4] = x.try_into().unwrap();
        let y = network.forward(&IrisInput::from(x));
        // One sample through the compiled network, a batch through the dynamic engine: the
        // same products in the same order.
        assert_eq!(y.as_slice(), &expected[3 * i..3 * i + 3], "flower {i}");
        assert_eq!(species(x), classes[i], "flower {i}");
    }
    assert_eq!(Iris::READ_ONLY_BYTES, 403 * 4);
}
