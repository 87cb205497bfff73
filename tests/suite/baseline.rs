//! The benches' plain nalgebra network computes what the engines compute: the same outputs
//! and, after several SGD steps, the same parameters, within float tolerance (its products
//! sum in matrixmultiply's order, not the layer kernels'). A baseline that computed something
//! else would make every comparison with it meaningless.

use mlp_runtime::DynNetwork;
use mlp_runtime::prelude::*;

#[path = "../../benches/common/baseline.rs"]
mod plain;

use crate::common::Data;
use plain::Baseline;

fn close(what: &str, actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let tolerance = 1e-5 + 1e-4 * e.abs();
        assert!(
            (a - e).abs() <= tolerance,
            "{what}[{i}]: baseline {a} vs engine {e}"
        );
    }
}

fn check(path: &str) {
    let yaml = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut network = DynNetwork::<f32>::from_yaml(&yaml).unwrap();
    network.reinitialize(3);
    let (inputs, outputs) = (network.input_size(), network.output_size());
    let mut data = Data::new(11);
    for count in [1, 32] {
        let mut engine = network.clone();
        let mut baseline = Baseline::new(&yaml, engine.params(), count);
        let x: Vec<f32> = (0..inputs * count).map(|_| data.normal() as f32).collect();
        let mut y = vec![0.0f32; outputs * count];
        for sample in 0..count {
            let label = (data.unit() * outputs.max(2) as f64) as usize;
            if outputs == 1 {
                y[sample] = label as f32;
            } else {
                y[sample * outputs + label] = 1.0;
            }
        }
        let mut workspace = engine.workspace();
        let mut out = vec![0.0f32; outputs * count];
        engine.forward_slice(&mut workspace, &x, count, &mut out);
        baseline.forward(&x);
        close(
            &format!("{path}: outputs at {count}"),
            baseline.outputs(),
            &out,
        );

        let mut trainer = Trainer::new(&engine);
        for step in 0..3 {
            let expected = trainer.step(&mut engine, &x, &y, count).unwrap();
            let loss = baseline.step(&x, &y);
            close(
                &format!("{path}: loss of step {step} at {count}"),
                &[loss],
                &[expected.as_f64() as f32],
            );
        }
        close(
            &format!("{path}: parameters at {count}"),
            &baseline.params(),
            engine.params(),
        );
    }
}

#[test]
fn the_bench_baseline_computes_what_the_engines_compute() {
    for spec in ["xor", "iris", "digits", "breast_cancer", "mnist", "wide"] {
        check(&format!("benches/specs/{spec}.yaml"));
    }
}
