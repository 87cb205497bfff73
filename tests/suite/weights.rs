//! Trained weights compiled into the binary (`weights = "..."`): the same parameters and
//! predictions as the checkpoint loaded at run time, with no heap behind them.

use mlp_runtime::checkpoint::load_weights;
use mlp_runtime::prelude::*;

/// Iris, with the weights of a trained checkpoint compiled in.
#[mlp(spec = "specs/iris.yaml", weights = "tests/weights/iris.safetensors")]
struct TrainedIris;

const CHECKPOINT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/weights/iris.safetensors"
);

#[test]
fn compiled_in_weights_are_the_checkpoints_bit_for_bit() {
    let compiled = TrainedIris::trained();
    let loaded = load_weights::<TrainedIris>(CHECKPOINT).unwrap();
    let bits = |values: &[f32]| values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(compiled.params()), bits(loaded.network.params()));
    assert_eq!(TrainedIris::READ_ONLY_BYTES, TrainedIris::PARAM_BYTES);
    assert_eq!(TrainedIris::INFERENCE_MUTABLE_BYTES, 3 * (16 + 16 + 3) * 4);

    // The same predictions from raw inputs as the loaded checkpoint's, for every flower.
    let data = Dataset::<f32, 4, 3>::from_csv(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/iris.csv"),
        CsvTarget::Label(4),
    )
    .unwrap();
    let scaler = loaded.preprocessing.inputs.as_ref().unwrap();
    let mut right = 0;
    for i in 0..data.len() {
        let mut x = data.input(i).to_vec();
        scaler.apply(&mut x);
        let y = compiled.forward(&TrainedIrisInput::from_column_slice(&x));
        assert_eq!(
            y,
            loaded
                .network
                .forward(&TrainedIrisInput::from_column_slice(&x))
        );
        right += usize::from(y.argmax().0 == data.class(i));
    }
    assert!(right >= 140, "{right} of 150 right");
}

#[test]
fn training_compiled_in_weights_copies_them_first() {
    let mut net = TrainedIris::trained();
    let before = TrainedIris::trained().params().to_vec();
    net.params_mut()[0] += 1.0;
    assert_eq!(net.params()[0], before[0] + 1.0);
    assert_eq!(
        TrainedIris::trained().params(),
        &before[..],
        "the binary's copy is unchanged"
    );
}
