//! One-sample predictions whose first layer's product a `Predictor` on threads shares out
//! (`Plan::shared_product_parts`) give the bits of one thread, in both engines, for layers
//! of two and more blocks of 64 units with and without a rest, below deeper networks; and a
//! first layer too small for it stays on the calling thread.

use mlp_runtime::prelude::*;
use mlp_runtime::{DynNetwork, Preprocessing, Standardizer};

#[mlp(spec = "tests/specs/threads-mnist.yaml")]
struct ThreadsMnist;

/// Seeded inputs in [-1, 1), different for each `k`.
fn input(k: usize, width: usize) -> Vec<f32> {
    (0..width)
        .map(|i| ((i * 37 + k * 101) % 211) as f32 / 105.5 - 1.0)
        .collect()
}

/// Sets every parameter of `model` to a seeded value in [-0.1, 0.1): the biases too, which
/// the initialisation leaves at zero, so that a part given another part's rows of them
/// computes other sums.
fn vary<M: Model<Float = f32>>(mut model: M) -> M {
    for (k, p) in model.params_mut().iter_mut().enumerate() {
        *p = ((k * 37 % 211) as f32 / 105.5 - 1.0) / 10.0;
    }
    model
}

/// Each of 8 samples' outputs from `predictor` of the model, one sample a call.
fn outputs<M: Model<Float = f32>>(predictor: &mut Predictor<'_, M>) -> Vec<Vec<u32>> {
    let model = predictor.model();
    (0..8)
        .map(|k| {
            let mut out = vec![0.0f32; model.output_size()];
            predictor
                .predict(&input(k, model.input_size()), &mut out)
                .unwrap();
            out.iter().map(|v| v.to_bits()).collect()
        })
        .collect()
}

/// The outputs on `threads` threads, which share out the first product on `parts` of them,
/// and on one.
fn on_threads<M: Model<Float = f32>>(
    model: &M,
    threads: usize,
    parts: usize,
) -> [Vec<Vec<u32>>; 2] {
    let mut shared = Predictor::new(model).with_threads(threads);
    assert_eq!(shared.one_sample_threads(), parts, "{threads} threads");
    let mut one = Predictor::new(model);
    assert_eq!(one.one_sample_threads(), 1);
    [outputs(&mut shared), outputs(&mut one)]
}

#[test]
fn a_shared_first_product_gives_the_bits_of_one_thread() {
    // input, hidden layers, threads and the parts the product is shared out to: 128 units
    // in two blocks; 320 in five, on three threads (64, 128 and 128 rows), and with 256
    // inputs on two only (parts of at least 32768 weights); 300 in four and a rest of 44 (the
    // last part's); below one hidden layer and two.
    let cases = [
        (784, vec![128], 2, 2),
        (784, vec![128], 3, 2),
        (784, vec![320, 32], 3, 3),
        (256, vec![320], 3, 2),
        (300, vec![300, 16], 2, 2),
        (784, vec![300], 4, 4),
    ];
    for (inputs, hidden, threads, parts) in cases {
        let layers: String = hidden
            .iter()
            .map(|units| format!("  - {{units: {units}, activation: tanh}}\n"))
            .collect();
        let yaml = format!(
            "input: {inputs}\nlayers:\n{layers}  - {{units: 5, activation: softmax}}\nloss: cross_entropy\ninit: {{seed: 7}}\n"
        );
        let network = vary(DynNetwork::<f32>::from_yaml(&yaml).unwrap());
        let [shared, one] = on_threads(&network, threads, parts);
        assert!(shared == one, "{inputs} -> {hidden:?} on {threads} threads");
    }
}

#[test]
fn the_compiled_networks_shared_product_gives_the_dynamic_engines_bits() {
    let compiled = vary(ThreadsMnist::new());
    let yaml = include_str!("../specs/threads-mnist.yaml");
    let dynamic = vary(DynNetwork::<f32>::from_yaml(yaml).unwrap());
    assert_eq!(compiled.params(), dynamic.params());
    let [compiled_shared, compiled_one] = on_threads(&compiled, 2, 2);
    let [dynamic_shared, _] = on_threads(&dynamic, 2, 2);
    assert!(
        compiled_shared == compiled_one,
        "the compiled network on two threads"
    );
    assert!(
        compiled_shared == dynamic_shared,
        "the two engines on two threads"
    );
    // Class probabilities of raw inputs, standardised first, go through the same pass.
    let raw: Vec<f32> = (0..4)
        .flat_map(|k| input(k, 784))
        .map(|x| 3.0 * x + 1.0)
        .collect();
    let preprocessing = Preprocessing {
        inputs: Some(Standardizer::fit(&raw, 784)),
        ..Preprocessing::default()
    };
    let probabilities = |threads| {
        let mut predictor =
            Predictor::with_preprocessing(&compiled, &preprocessing).with_threads(threads);
        assert_eq!(predictor.one_sample_threads(), threads);
        let mut p = [0.0f32; 10];
        predictor.predict_proba(&raw[784..1568], &mut p).unwrap();
        p.map(f32::to_bits)
    };
    assert_eq!(probabilities(2), probabilities(1));
}

#[test]
fn a_small_or_normalised_first_layer_is_not_shared_out() {
    for first in [
        "{units: 64, activation: relu}",
        "{units: 255, activation: relu}",
        "{units: 128, activation: relu, batch_norm: true}",
    ] {
        let inputs = if first.contains("255") { 256 } else { 784 };
        let yaml = format!(
            "input: {inputs}\nlayers:\n  - {first}\n  - {{units: 3, activation: softmax}}\nloss: cross_entropy\n"
        );
        let network = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
        let predictor = Predictor::new(&network).with_threads(4);
        assert_eq!(predictor.one_sample_threads(), 1, "{first}");
        assert_eq!(predictor.threads(), 4);
    }
}
