//! Forward outputs, the first batch's loss (regularisation included), its gradients, and
//! the losses and parameters of five optimizer steps against reference runs computed with
//! PyTorch (tests/oracle, see its README), within the oracle's tolerance
//! `|actual - expected| <= 1e-5 + 1e-4 |expected|`. The cases cover every activation, and
//! sgd, momentum, nesterov, adagrad, rmsprop, adam and adamw, with l1 and l2, and batch norm
//! (its running statistics too), residual layers and dropout (with the engines' masks). Each case runs
//! both engines, the compiled network and a `DynNetwork` of the same spec, through one
//! function.

use mlp_runtime::prelude::*;
use mlp_runtime::spec::{ParamRole, ParamSegment};
use mlp_runtime::{DynNetwork, TrainConfig, Trainer};
use safetensors::SafeTensors;

struct Tensors(Vec<u8>);

impl Tensors {
    fn open(case: &str, file: &str) -> Self {
        let path = format!("{}/tests/oracle/{case}/{file}", env!("CARGO_MANIFEST_DIR"));
        Tensors(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    /// A little-endian F32 tensor's values in row-major order.
    fn get(&self, name: &str) -> Vec<f32> {
        let tensors = SafeTensors::deserialize(&self.0).expect("a valid safetensors file");
        let tensor = tensors
            .tensor(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(tensor.dtype(), safetensors::Dtype::F32, "{name}");
        tensor
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    }
}

/// Gathers per-layer tensors named `{prefix}layers.{i}.{weight|bias}` (weights row-major
/// `[out, in]`) into the flat parameter order of `layout` (weights column-major).
fn flat(tensors: &Tensors, prefix: &str, layout: &[ParamSegment]) -> Vec<f32> {
    let mut flat = vec![0.0; layout.iter().map(ParamSegment::len).sum()];
    for segment in layout {
        let name = format!("{prefix}layers.{}.{}", segment.layer, segment.role.name());
        let values = tensors.get(&name);
        assert_eq!(values.len(), segment.len(), "{name}");
        for r in 0..segment.rows {
            for c in 0..segment.cols {
                let row_major = match segment.role {
                    ParamRole::Weight => r * segment.cols + c,
                    _ => r,
                };
                flat[segment.offset + c * segment.rows + r] = values[row_major];
            }
        }
    }
    flat
}

fn assert_close(what: &str, actual: &[f32], expected: &[f32]) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let tolerance = 1e-5 + 1e-4 * e.abs();
        assert!(
            (a - e).abs() <= tolerance,
            "{what}[{i}]: {a} vs PyTorch {e} (tolerance {tolerance:e})"
        );
    }
}

/// Runs `network` (of either engine) through the case and compares every number.
fn check<M: Model<Float = f32>>(case: &str, mut network: M) {
    let init = Tensors::open(case, "init.safetensors");
    let data = Tensors::open(case, "data.safetensors");
    let expected = Tensors::open(case, "expected.safetensors");
    let layout = network.layout().to_vec();
    network
        .params_mut()
        .copy_from_slice(&flat(&init, "", &layout));

    // Rows of `x` are samples, so the first batch is already column-major.
    let (batch, inputs, outputs) = (
        network.batch_size(),
        network.input_size(),
        network.output_size(),
    );
    let x = &data.get("x")[..batch * inputs];
    let y = &data.get("y")[..batch * outputs];
    let mut workspace = network.workspace();

    let mut out = vec![0.0; batch * outputs];
    network.forward_slice(&mut workspace, x, batch, &mut out);
    assert_close("forward.out", &out, &expected.get("forward.out"));

    let loss = network.loss_slice(&mut workspace, x, y, batch);
    assert_close("loss0", &[loss], &expected.get("loss0"));

    let mut grads = vec![0.0; network.params().len()];
    let backward_loss = network.backward_slice(&mut workspace, x, y, batch, &mut grads);
    assert_eq!(backward_loss, loss, "backward returns the same loss");
    assert_close("grad", &grads, &flat(&expected, "grad.", &layout));

    // Five optimizer steps on consecutive batches, in order.
    let mut config = TrainConfig::from_spec(&network.spec()).quiet();
    config.training.shuffle = false;
    let mut trainer = Trainer::with_config(&network, config);
    let losses = expected.get("losses");
    let (x, y) = (data.get("x"), data.get("y"));
    for (k, expected_loss) in losses.iter().enumerate() {
        let batch_inputs = &x[k * batch * inputs..(k + 1) * batch * inputs];
        let targets = &y[k * batch * outputs..(k + 1) * batch * outputs];
        let loss = trainer
            .step(&mut network, batch_inputs, targets, batch)
            .expect("a finite loss");
        assert_close(&format!("losses[{k}]"), &[loss], &[*expected_loss]);
        if k == 0 {
            assert_close(
                "step1",
                network.params(),
                &flat(&expected, "step1.", &layout),
            );
        }
    }
    assert_close(
        "final",
        network.params(),
        &flat(&expected, "final.", &layout),
    );
}

macro_rules! oracle {
    ($($case:ident: $spec:literal;)*) => {$(
        mod $case {
            #[mlp_runtime::mlp(spec = $spec)]
            struct Net;

            #[test]
            fn compiled_passes_and_optimizer_steps_match_pytorch() {
                super::check(stringify!($case), Net::new());
            }

            #[test]
            fn dynamic_passes_and_optimizer_steps_match_pytorch() {
                let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $spec));
                let network = super::DynNetwork::<f32>::from_yaml(yaml).expect("a valid spec");
                super::check(stringify!($case), network);
            }
        }
    )*};
}

oracle! {
    case_01: "tests/oracle/case_01/spec.yaml";
    case_02: "tests/oracle/case_02/spec.yaml";
    case_03: "tests/oracle/case_03/spec.yaml";
    case_04: "tests/oracle/case_04/spec.yaml";
    case_05: "tests/oracle/case_05/spec.yaml";
    case_06: "tests/oracle/case_06/spec.yaml";
    case_07: "tests/oracle/case_07/spec.yaml";
    case_08: "tests/oracle/case_08/spec.yaml";
    case_09: "tests/oracle/case_09/spec.yaml";
    case_10: "tests/oracle/case_10/spec.yaml";
    case_11: "tests/oracle/case_11/spec.yaml";
    case_12: "tests/oracle/case_12/spec.yaml";
    case_13: "tests/oracle/case_13/spec.yaml";
    case_14: "tests/oracle/case_14/spec.yaml";
    case_15: "tests/oracle/case_15/spec.yaml";
}
